"""The per-article results merged into one corpus, in article order, and kept for the next build.

Merging is a fold: each article's result is added to what the articles before it made (an
exact or near duplicate of an earlier source is skipped, a copy is related to the earliest
source it copies). A build that lists the last build's articles first, in the same order and
unchanged, starts from the last build's fold cut to them and adds only the articles after
them: at 10,000 articles, loading the fold as one pickle took 0.8 s where loading and merging
10,000 cache entries took 1.9 s. The fold is stored again only when it moved far from the one
stored (more than a twentieth of it added, or any of it cut), since storing it costs about
two seconds of a core (done beside the build, see `pipeline.build`).
"""

from __future__ import annotations

import io
import itertools
import mmap
import pickle
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO, Generic, TypeVar, overload

from .copies import CopyFinder
from .model import (
    CopyRelation,
    Figure,
    MappedText,
    Quote,
    Sentence,
    Source,
    TimelineEvent,
    TopicScore,
    Warning,
    load_deferred,
)
from .players import PlayerMentions, PlayerTally
from .rank import SentenceFeatures, SentenceRows

if TYPE_CHECKING:
    from .keywords import SourcePhrases
    from .pipeline import ArticleResult

FORMAT = 5
# After each article: how long the corpus's lists were (sources, warnings, events, copies, figures, quotes),
# and how many sentences had features.
Marks = tuple[int, int, int, int, int, int, int]
NO_MARKS: Marks = (0, 0, 0, 0, 0, 0, 0)


class Mentions(Mapping[str, PlayerMentions]):
    """Each source's player mentions, by source id. Those a stored fold holds stay pickled until
    asked for: a rebuild whose players' tally is carried over reads only the added sources'
    (unpickling all of them took 0.32 s at 10,000 articles)."""

    def __init__(self, stored: bytes = b"") -> None:
        self._stored = stored  # a pickled dict, not read yet
        self._gone: set[str] = set()  # stored ones cut since
        self._table: dict[str, PlayerMentions] = {}  # all of them once read; until then, those added since

    def _read(self) -> dict[str, PlayerMentions]:
        if self._stored:
            table: dict[str, PlayerMentions] = load_deferred(self._stored, "the stored corpus's player mentions")
            for source_id in self._gone:
                table.pop(source_id, None)
            table.update(self._table)
            self._table, self._stored, self._gone = table, b"", set()
        return self._table

    def __getitem__(self, source_id: str) -> PlayerMentions:
        found = self._table.get(source_id)
        return found if found is not None else self._read()[source_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())

    def __setitem__(self, source_id: str, mentions: PlayerMentions) -> None:
        self._table[source_id] = mentions

    def pop(self, source_id: str, default: PlayerMentions | None = None) -> PlayerMentions | None:
        if self._stored:
            self._gone.add(source_id)
        return self._table.pop(source_id, default)

    def dumps(self) -> bytes:
        return self._stored if self._stored and not self._gone and not self._table else \
            pickle.dumps(self._read(), protocol=pickle.HIGHEST_PROTOCOL)


T = TypeVar("T")


class StoredList(Sequence[T], Generic[T]):
    """One of the corpus's lists that only the describing process reads (events, figures,
    quotes): the items a stored fold holds stay pickled until read, there (unpickling the three
    took 0.44 s of the loading process at 10,000 articles). Appended to, extended and cut at the
    end as a fold does, without reading what is stored."""

    def __init__(self, stored: bytes = b"", length: int = 0) -> None:
        self._stored = stored  # a pickled list of `length` items, not read yet
        self._length = length
        self._kept = length  # how many of those are still in
        self._items: list[T] = []  # all of them once read; until then, those added since

    def _read(self) -> list[T]:
        if self._stored:
            items: list[T] = load_deferred(self._stored, "a list of the stored corpus")
            del items[self._kept:]
            items += self._items
            self._items, self._stored = items, b""
        return self._items

    def __len__(self) -> int:
        return self._kept + len(self._items) if self._stored else len(self._items)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        return self._read()[index]

    def __iter__(self) -> Iterator[T]:
        return iter(self._read())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StoredList | list) and list(self) == list(other)

    def append(self, item: T) -> None:
        self._items.append(item)

    def __iadd__(self, items: Iterable[T]) -> StoredList[T]:
        self._items += items
        return self

    def cut(self, length: int) -> None:
        """Only the first `length` items kept."""
        if not self._stored:
            del self._items[length:]
        elif length >= self._kept:
            del self._items[length - self._kept:]
        else:
            self._kept = length
            self._items.clear()

    def dumps(self) -> bytes:
        if self._stored and self._kept == self._length and not self._items:
            return self._stored
        return pickle.dumps(self._read(), protocol=pickle.HIGHEST_PROTOCOL)


@dataclass
class Corpus:
    sources: list[Source]
    warnings: list[Warning]
    scores: dict[tuple[str, str], tuple[TopicScore, ...]]
    phrases: dict[str, SourcePhrases]
    sentence_frequency: Counter
    events: StoredList[tuple[list[TimelineEvent], list[TimelineEvent]]]
    copies: list[CopyRelation]
    figures: StoredList[Figure]
    quotes: StoredList[Quote]
    features: dict[tuple[str, str], SentenceFeatures]
    mentions: Mentions
    digests: dict[str, str]  # source id -> its text's digest
    on_topic: dict[str, tuple[Sentence, ...]]  # source id -> its sentences on some topic
    sentence_rows: SentenceRows = field(default_factory=SentenceRows)  # the words of `features`, counted
    player_tally: PlayerTally | None = None  # of its first sources, when a build counted them

    @classmethod
    def empty(cls) -> Corpus:
        return cls([], [], {}, {}, Counter(), StoredList(), [], StoredList(), StoredList(), {}, Mentions(), {}, {})

    def list_lengths(self) -> Marks:
        return (len(self.sources), len(self.warnings), len(self.events), len(self.copies), len(self.figures),
                len(self.quotes), len(self.features))

    def count_words(self) -> None:
        """Rows for the sentences in `features` that have none yet (the last ones: both only grow at the end)."""
        rows = self.sentence_rows
        if len(rows.keys) < len(self.features):
            rows.extend({key: found.words for key, found in itertools.islice(self.features.items(), len(rows.keys),
                                                                             None)})


def duplicate_of(fingerprints: Sequence[int], seen: dict[int, str], threshold: float = 0.8) -> str | None:
    """The earlier source sharing at least `threshold` of these sentences (given by fingerprint)."""
    shared = Counter(map(seen.get, set(fingerprints)))  # counted in C, not a loop
    shared.pop(None, None)  # sentences no earlier source has
    if shared:
        source_id, count = min(shared.items(), key=lambda kv: (-kv[1], kv[0]))
        if count >= threshold * len(fingerprints):
            return source_id
    return None


class CorpusFold:
    """The corpus made so far, what adding the next article needs (the first source of each
    sentence key), and what cutting it back to its first articles needs (each article's cache
    key and the lengths of the corpus's lists after it). Its warnings are the articles' own: the
    corpus a build uses has the files' warnings put before them."""

    def __init__(self) -> None:
        self.corpus = Corpus.empty()
        self.copy_finder = CopyFinder()  # its first_exact is duplicate detection's `seen` too
        self.keys: list[str | None] = []
        self.marks: list[Marks] = []
        self.added = 0  # articles added since it was loaded
        self.cut = 0  # articles cut from what was loaded

    def add(self, key: str | None, result: ArticleResult) -> bool:
        """Whether the article became a source (it is not empty, nor a duplicate)."""
        corpus, seen = self.corpus, self.copy_finder.first_exact
        self.keys.append(key)
        self.added += 1
        try:
            corpus.warnings += result.shape_warnings
            if result.source is None or result.phrases is None:
                return False
            original = duplicate_of(result.fingerprints, seen)
            if original:
                corpus.warnings.append(
                    Warning(result.filename, f"exact or near duplicate of source {original!r}; skipped"))
                return False
            article_id = result.article_id
            for fingerprint in result.fingerprints:
                seen.setdefault(fingerprint, article_id)
            corpus.warnings += result.content_warnings
            corpus.sources.append(result.source)
            corpus.digests[article_id] = result.text_digest
            corpus.on_topic[article_id] = result.on_topic
            # One key object for both tables (only a sentence with scores has features): the stored
            # fold pickles it once and reads it back as one.
            keys = {sid: (article_id, sid) for sid, _ in result.scores}
            corpus.scores.update((keys[sid], found) for sid, found in result.scores)
            corpus.features.update((keys[sid], found) for sid, found in result.features)
            if result.mentions is not None:
                corpus.mentions[article_id] = result.mentions
            corpus.phrases[article_id] = result.phrases.slim()  # the full counts live on in the corpus total
            corpus.events.append(result.events)
            corpus.copies += self.copy_finder.add(article_id, result.copy_keys)
            corpus.figures += result.figures
            corpus.quotes += result.quotes
            return True
        finally:
            self.marks.append(corpus.list_lengths())

    def made_source(self, index: int) -> bool:
        """Whether the article at `index` became a source."""
        return self.marks[index][0] > (self.marks[index - 1][0] if index else 0)

    def cut_to(self, count: int) -> None:
        """Back to what the first `count` articles made: exactly the fold of those articles,
        since each article only appends to the lists and adds keys of its own to the tables."""
        if count >= len(self.keys):
            return
        corpus = self.corpus
        lengths = self.marks[count - 1] if count else NO_MARKS
        dropped = {source.id for source in corpus.sources[lengths[0]:]}
        for source_id in dropped:
            for sentence in corpus.on_topic.pop(source_id):
                corpus.scores.pop((source_id, sentence.id), None)
                corpus.features.pop((source_id, sentence.id), None)
            for table in (corpus.phrases, corpus.mentions, corpus.digests):
                table.pop(source_id, None)
        for items, length in ((corpus.sources, lengths[0]), (corpus.warnings, lengths[1]), (corpus.copies, lengths[3])):
            del items[length:]
        for stored, length in ((corpus.events, lengths[2]), (corpus.figures, lengths[4]), (corpus.quotes, lengths[5])):
            stored.cut(length)
        corpus.sentence_rows.cut(lengths[6])
        if corpus.player_tally is not None and corpus.player_tally.sources > lengths[0]:
            corpus.player_tally = None
        for first in (self.copy_finder.first_exact, self.copy_finder.first_bag):
            for key in [key for key, source_id in first.items() if source_id in dropped]:
                del first[key]
        self.cut += len(self.keys) - count
        del self.keys[count:], self.marks[count:]

    def worth_storing(self) -> bool:
        """Whether the next build would gain by starting from this fold rather than the stored one."""
        return self.cut > 0 or self.added * 20 > len(self.keys)

    def dumps(self) -> bytes:
        return b"".join(self.dump_parts())

    def dump_parts(self) -> list[bytes | memoryview]:
        """What `dumps` gives, in parts, to be written one after the other without joining them
        (300 MB at 10,000 articles): the sources' texts (pickled blocks and sentences) first,
        then the pickles. A build maps the texts into memory and reads only those of the pages
        it renders."""
        corpus = self.corpus
        slim, texts, spans, offset = [], [], [], 0
        for source in corpus.sources:
            without, text = source.without_text()
            data = text.view if isinstance(text, MappedText) else text
            slim.append(without)
            texts.append(data)
            spans.append((offset, len(data)))
            offset += len(data)
        fields = [(slim, spans) if name == "sources" else getattr(corpus, name) for name in FIELDS]
        state = (FORMAT, self.keys, self.marks, fields, self.copy_finder.first_exact, self.copy_finder.first_bag)
        apart = tuple(stored.dumps() for stored in (corpus.mentions, corpus.events, corpus.figures, corpus.quotes))
        return [offset.to_bytes(8, "big"), *texts,
                *(pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL) for part in (state, apart))]

    @classmethod
    def load(cls, stored: BinaryIO, keys: list[str | None]) -> CorpusFold | None:
        """The fold `dumps` made, if `stored` holds one, of articles with these keys; else None.
        Unpickled from the file, not from its bytes read first: 0.4 s less at 10,000 articles."""
        try:
            texts = _texts_of(stored)
            version, stored_keys, marks, fields, first_exact, first_bag = pickle.load(stored)
            # What only the describing process reads, pickled after the rest (see `Mentions`, `StoredList`).
            mentions, events, figures, quotes = pickle.load(stored)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError,
                IndexError):
            return None
        if version != FORMAT or stored_keys != keys or len(marks) != len(keys) or len(fields) != len(FIELDS):
            return None
        slim, spans = fields[FIELDS.index("sources")]
        if texts is None or len(slim) != len(spans) or any(start + size > len(texts) for start, size in spans):
            return None
        fields[FIELDS.index("sources")] = [source.with_text(MappedText(texts[start:start + size]))
                                           for source, (start, size) in zip(slim, spans, strict=True)]
        fold = cls()
        last = marks[-1] if marks else NO_MARKS
        fold.corpus = Corpus(**dict(zip(FIELDS, fields, strict=True)), sentence_frequency=Counter(),
                             mentions=Mentions(mentions), events=StoredList(events, last[2]),
                             figures=StoredList(figures, last[4]), quotes=StoredList(quotes, last[5]))
        fold.keys, fold.marks = stored_keys, marks
        fold.copy_finder = CopyFinder(first_exact=first_exact)
        fold.copy_finder.first_bag = first_bag
        return fold


def _texts_of(stored: BinaryIO) -> memoryview | None:
    """The sources' texts at the start of a stored fold, mapped into memory from its file (only
    the pages read are loaded), and `stored` moved past them; None if it is cut short."""
    size = int.from_bytes(stored.read(8), "big")
    start = stored.tell()
    try:
        fileno = stored.fileno()
    except (OSError, io.UnsupportedOperation):  # not a file (tests)
        view = memoryview(stored.read(size))
    else:
        view = memoryview(mmap.mmap(fileno, 0, access=mmap.ACCESS_READ))[start:start + size]
        stored.seek(start + size)
    return view if len(view) == size else None


# What the fold stores of the corpus in one pickle: all but the n-gram totals, which `CorpusCounts`
# carries over, and the mentions, events, figures and quotes, pickled apart after it.
FIELDS = ("sources", "warnings", "scores", "phrases", "copies", "features", "digests", "on_topic", "sentence_rows",
          "player_tally")


class FoldReuse:
    """Which of this build's first articles the stored fold covers: asked article by article, in
    order, while the articles are listed (`takes`); then `settle` loads the fold and cuts it to them."""

    def __init__(self, stored: tuple[list[str | None], BinaryIO] | None) -> None:
        """`stored`: the stored fold's article keys, and its file, open where the fold begins."""
        self._stored: BinaryIO | None
        self.keys, self._stored = stored if stored is not None else ([], None)
        self.length = 0
        self._open = True
        self.fold: CorpusFold | None = None

    def takes(self, key: str) -> bool:
        if self._open and self.length < len(self.keys) and self.keys[self.length] == key:
            self.length += 1
            return True
        self._open = False
        return False

    def settle(self) -> CorpusFold:
        """The fold of the articles taken; a new one if none were, or the stored fold cannot be
        read (then `length` is 0, and those articles must be read from the cache instead)."""
        self._open = False
        fold = None
        if self._stored is not None:
            with self._stored:
                fold = CorpusFold.load(self._stored, self.keys) if self.length else None
        if fold is None:
            self.length = 0
            fold = CorpusFold()
        fold.cut_to(self.length)
        self.fold = fold
        return fold
