"""The objects that flow between pipeline stages.

All are frozen so a stage can never change what an earlier stage produced; every
score is "higher is better" so ranking code never has to remember a sign.
"""

from __future__ import annotations

import dataclasses
import pickle
import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple


@dataclass(frozen=True)
class SourceMeta:
    """What is known about where an article came from; None means unknown, never guessed."""

    title: str | None = None
    title_inferred: bool = False
    publisher: str | None = None
    url: str | None = None
    published: str | None = None
    language: str | None = None
    # Where a publisher the metadata did not give was found: "url" (its host) or "text" (a disclaimer).
    publisher_from: str | None = None
    # Where a date the metadata did not give was found: "text" (the page's own time stamp).
    published_from: str | None = None


@dataclass(frozen=True)
class Article:
    """One input file as read from disk, before any cleaning."""

    id: str
    filename: str
    text: str
    meta: SourceMeta


@dataclass(frozen=True)
class Removal:
    """A kind of page furniture taken out of an article and how often; never the text itself."""

    kind: str
    count: int


@dataclass(frozen=True)
class Block:
    """A paragraph or heading of cleaned text."""

    text: str
    is_heading: bool = False
    # Sentence spans in `text` when cleaning already found them; segment splits otherwise.
    spans: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class CleanArticle:
    """An article with its furniture removed and its headings separated from its prose."""

    article: Article
    blocks: tuple[Block, ...]
    removed: tuple[Removal, ...] = ()

    @property
    def id(self) -> str:
        return self.article.id


@dataclass(frozen=True)
class Sentence:
    """One sentence of a source; `text == block_text[start:end]` of its block."""

    id: str
    source_id: str
    index: int
    text: str
    block: int
    start: int
    end: int
    section: str | None = None


@dataclass(frozen=True)
class SpinEvidence:
    """One phrase typical of a synonym spinner and how often it occurs in a source."""

    phrase: str
    meaning: str
    count: int


class DeferredTextError(Exception):
    """Cached data unpickled only when first needed (a source's blocks and sentences, parts of
    the stored corpus) could not be unpickled."""


class MappedText:
    """Pickled text left where a stored file has it (mapped into memory, see fold.py), copied
    out only when unpickled: loading a stored corpus of 10,000 sources skips 150 MB of their
    deferred text. Anywhere else it goes as the bytes it stands for."""

    __slots__ = ("view",)

    def __init__(self, view: memoryview) -> None:
        self.view = view

    def __bytes__(self) -> bytes:
        return self.view.tobytes()

    def __reduce__(self) -> tuple[type[bytes], tuple[bytes]]:
        return bytes, (bytes(self),)


def load_deferred(data: bytes | MappedText, what: str) -> Any:
    """`data` unpickled, or a DeferredTextError saying `what` could not be read and what to do."""
    try:
        return pickle.loads(data.view if isinstance(data, MappedText) else data)
    except Exception as exc:  # a damaged cache entry whose outer record still read back
        raise DeferredTextError(f"{what} cannot be read ({exc!r}); delete the cache folder and build again") from exc


class SourceText:
    """A source's blocks and sentences, or their pickle until first asked for: a rebuild reads
    10,000 sources from its cache and needs the text of the few whose pages changed (two thirds
    of the time it took to read the cache went on them). The pickle is bytes, or a MappedText
    where a stored fold holds it. Unpickling replaces the pickle inside this holder, once; the
    frozen Source that holds it is never changed."""

    __slots__ = ("_pickled", "_value", "count", "what")

    def __init__(self, blocks: tuple[Block, ...], sentences: tuple[Sentence, ...]) -> None:
        self._value: tuple[tuple[Block, ...], tuple[Sentence, ...]] | None = (blocks, sentences)
        self._pickled: bytes | MappedText | None = None
        self.count = len(sentences)
        self.what = "a source's cached text"

    @classmethod
    def deferred(cls, pickled: bytes | MappedText, count: int, what: str) -> SourceText:
        text = cls.__new__(cls)
        text._value, text._pickled, text.count, text.what = None, pickled, count, what
        return text

    def get(self) -> tuple[tuple[Block, ...], tuple[Sentence, ...]]:
        if self._value is None:
            assert self._pickled is not None
            self._value = load_deferred(self._pickled, self.what)
            self._pickled = None
        return self._value

    def pickled(self) -> bytes | MappedText:
        """The pickle of the blocks and sentences (made now if they are held)."""
        if self._pickled is not None:
            return self._pickled
        return pickle.dumps(self.get(), protocol=pickle.HIGHEST_PROTOCOL)

    @property
    def is_deferred(self) -> bool:
        return self._value is None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SourceText) and self.get() == other.get()

    def __hash__(self) -> int:
        return hash(self.get())

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Held text pickles as itself (its sentences shared with whatever else the pickle holds);
        deferred text as its pickle, which stays unread when loaded."""
        if self._value is not None:
            return SourceText, self._value
        assert self._pickled is not None
        return SourceText.deferred, (self._pickled, self.count, self.what)


@dataclass(frozen=True)
class Source:
    """A cleaned, segmented article as the rest of the pipeline sees it."""

    id: str
    filename: str
    meta: SourceMeta
    content: SourceText  # its blocks and sentences, possibly still pickled
    removed: tuple[Removal, ...] = ()
    spin_evidence: tuple[SpinEvidence, ...] = ()
    flags: tuple[str, ...] = ()

    @property
    def blocks(self) -> tuple[Block, ...]:
        return self.content.get()[0]

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return self.content.get()[1]

    @property
    def is_spun(self) -> bool:
        return "spun" in self.flags

    @property
    def sentence_count(self) -> int:
        """How many sentences, without unpickling them where they are deferred."""
        return self.content.count

    def deferred(self) -> Source:
        """The same source with its blocks and sentences pickled apart, unpickled when first asked for."""
        if self.content.is_deferred:
            return self
        return dataclasses.replace(self, content=SourceText.deferred(
            self.content.pickled(), self.content.count, f"{self.filename}: its cached text"))

    def without_text(self) -> tuple[Source, bytes | MappedText]:
        """A copy without its pickled blocks and sentences, and those: for a store that keeps the
        texts of many sources apart (fold.py); `with_text` puts them back."""
        return (dataclasses.replace(self, content=SourceText.deferred(b"", self.content.count, "")),
                self.content.pickled())

    def with_text(self, text: bytes | MappedText) -> Source:
        """A copy of a source `without_text` made, with its pickled text back."""
        return dataclasses.replace(self, content=SourceText.deferred(text, self.content.count,
                                                                     f"{self.filename}: its cached text"))


@dataclass(frozen=True)
class CopyRelation:
    """A source that shares sentences with an earlier one: `exact` word for word, `rewritten`
    reordered, lightly edited or passed through a synonym spinner."""

    source_id: str
    original_id: str
    exact: int
    rewritten: int
    sentences: int  # the copying source's sentences long enough to compare

    @property
    def shared(self) -> int:
        return self.exact + self.rewritten


class TopicScore(NamedTuple):
    """How strongly one sentence belongs to one topic. A named tuple, not a dataclass: a large
    corpus keeps 150,000 (its stored fold unpickled them in 0.28 s as dataclasses, 0.20 s as
    named tuples), and nothing compares one with anything but another TopicScore."""

    topic_id: str
    score: float
    matched_terms: tuple[str, ...]
    # The part of `score` from the sentence's own words, without its heading: what a key point needs.
    own: float = 0.0


@dataclass(frozen=True)
class Citation:
    source_id: str
    sentence_id: str


@dataclass(frozen=True)
class KeyPoint:
    """One point a topic page makes: a verbatim source sentence plus every sentence that corroborates it."""

    text: str
    citations: tuple[Citation, ...]
    score: float
    source_count: int
    # Sources that copy or rewrite one another count once here.
    independent_count: int = 1
    # Every source it cites is machine-paraphrased: its wording (and perhaps its facts) may be
    # garbled, so it is marked where it is read and ranked after every point of a clean source.
    spun_only: bool = False
    # The sentence before the one it shows, in the same source, when it needs that to be read
    # (`needs_context`): shown with it, so a reader learns who "he" is without leaving the page.
    context: Citation | None = None

    @property
    def corroborated_by(self) -> tuple[Citation, ...]:
        return self.citations[1:]

    @property
    def needs_context(self) -> bool:
        """Whether it points back at a sentence before it: opens so ("He put the first phase at
        ...", "That repost sent the shares down") or gives a pronoun as its speaker ("…, he said."):
        read alone, as a lead, it leaves the reader asking who or what."""
        return POINTS_BACK.match(self.text) is not None or SPOKEN_BY_A_PRONOUN.search(self.text) is not None


# "They accept ...", "It is unclear ...", "This is not the first time ...", "That day, police ...":
# a pronoun or a demonstrative. Read alone: "This" before a stretch of time, a weekday or a month
# ("This month the 27 governments ..."), "Those" before who, a participle or a place ("Those
# affected can claim ..."), "His"/"Her" before a title ("His Majesty's Government").
_TIMES = ("morning|afternoon|evening|night|week|weekend|month|year|spring|summer|autumn|fall|winter|season|quarter|"
          "time|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|june|"
          "july|august|september|october|november|december")
POINTS_BACK = re.compile(r"(?:He|She|They|It|We|Their|Its|Him|Them)\b"
                         r"|(?:His|Her)\b(?!\s+(?:Majesty|Majesty's|Majesty’s|Holiness|Excellency|Royal|Highness)\b)"
                         rf"|This\b(?!\s+(?i:{_TIMES})\b)"
                         r"|Those\b(?!\s+(?:who|whom|whose|which|in|on|at|with|without|from|near|under|[a-z]+ed)\b)"
                         r"|(?:That|These|Such)\b(?!\s+(?:who|whom|whose|which)\b)")
# "…, he said.", "Part of the reason, they said, was …", "…, it said." (a company): the speaker is
# in an earlier sentence.
SPOKEN_BY_A_PRONOUN = re.compile(r",\s*(?:he|she|they|it)\s+(?:said|says|added|adds|told|argued|noted|warned|stressed"
                                 r"|insisted|explained|confirmed|wrote)\b")


@dataclass(frozen=True)
class Keyword:
    phrase: str
    score: float


@dataclass(frozen=True)
class Figure:
    """A figure as written, what it measures in the source's own words around it, and where."""

    text: str
    value: float | None
    kind: str  # amount, share, count, duration, date
    measure: str  # unit and subject ("year · treaty"): figures with the same measure are compared
    context: str
    citation: Citation
    alone: bool = False  # no subject found ("three years" of what?): compared with no other figure


@dataclass(frozen=True)
class FigureGroup:
    measure: str
    figures: tuple[Figure, ...]
    disagreement: bool  # different sources give different values for this measure
    agreement: bool = False  # several sources, one value
    # The values differ only between reports of different dates, each date's reports giving one
    # value (a toll that rose, an offer that was replaced): an update, not a disagreement.
    changed: bool = False
    total: int = 0  # figures of this measure in the corpus; `figures` shows at most a few
    source_count: int = 0


@dataclass(frozen=True)
class Quote:
    """Words between quotation marks, verbatim; `speaker` only when the sentence names one, or
    when the quotation opens the sentence right after its paragraph's attributed one."""

    text: str
    speaker: str | None  # as the source spells it (a surname alone: the full name its article gives)
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Spelling:
    """One person whose name the sources spell differently: each form and the sources using it."""

    name: str
    forms: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class SourceCoverage:
    source_id: str
    sentence_count: int


@dataclass(frozen=True)
class TopicBriefing:
    id: str
    title: str
    description: str
    lead: tuple[KeyPoint, ...]
    key_points: tuple[KeyPoint, ...]
    keywords: tuple[Keyword, ...]
    coverage: tuple[SourceCoverage, ...]
    sentence_count: int
    thin: bool
    figures: tuple[FigureGroup, ...] = ()  # the first of `figures_total` groups
    quotes: tuple[Quote, ...] = ()
    spellings: tuple[Spelling, ...] = ()
    figures_total: int = 0
    quotes_total: int = 0


@dataclass(frozen=True)
class Warning:
    """A problem with one input that did not stop the build."""

    filename: str
    reason: str


@dataclass(frozen=True)
class TimelineEvent:
    """A dated statement: `sort_key` orders events; `when` is how the date reads to a reader."""

    sort_key: tuple[int, int, int]
    when: str
    as_written: str
    resolved: bool
    text: str
    citation: Citation
    corroborated_by: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class FactEntry:
    """One thing the fact sheet says, as a source writes it (or a player's name), with the
    sentences saying it."""

    text: str
    citations: tuple[Citation, ...]
    source_count: int
    as_written: bool = False  # a relative date ("on Friday") no article date placed
    disputed: bool = False  # a figure other sources give differently


@dataclass(frozen=True)
class Fact:
    """A line of the overview's "What happened": what, who, when, where, how long, how much."""

    label: str
    entries: tuple[FactEntry, ...]


@dataclass(frozen=True)
class Player:
    """A person, organisation or place, with every spelling the sources use merged under one name."""

    name: str
    kind: str
    variants: tuple[str, ...]
    by_source: tuple[tuple[str, int], ...]
    by_topic: tuple[tuple[str, int], ...]
    citations: tuple[Citation, ...]
    # When the sources spell the name differently: each spelling and the sources using it.
    spellings: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def mentions(self) -> int:
        return sum(n for _, n in self.by_source)


@dataclass(frozen=True)
class Briefing:
    title: str
    description: str
    sources: tuple[Source, ...]
    topics: tuple[TopicBriefing, ...]
    # Each source's keyword phrases, best first (their scores are shown nowhere).
    source_keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)
    warnings: tuple[Warning, ...] = ()
    timeline: tuple[TimelineEvent, ...] = ()
    undated: tuple[TimelineEvent, ...] = ()
    timeline_hidden: tuple[tuple[int, int], ...] = ()  # (year, events not shown) when a year is crowded
    players: tuple[Player, ...] = ()
    fingerprint: str = ""
    on_topic: int = 0
    copies: tuple[CopyRelation, ...] = ()
    figures: tuple[FigureGroup, ...] = ()  # the first of `figures_total` groups
    quotes: tuple[Quote, ...] = ()
    spellings: tuple[Spelling, ...] = ()
    figures_total: int = 0
    quotes_total: int = 0
    what_happened: tuple[Fact, ...] = ()  # the overview's fact sheet (see lead.py)

    def source(self, source_id: str) -> Source:
        for source in self.sources:
            if source.id == source_id:
                return source
        raise KeyError(source_id)
