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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from enum import Enum
from typing import TYPE_CHECKING, Any, BinaryIO, Generic, TypeVar, overload

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

FORMAT = 6
# After each article: the length of each of the corpus's positional columns (see COLUMNS), in order.
Marks = tuple[int, ...]


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


class Merge(Enum):
    """How an article's part of a column is merged into the corpus, and so cut, stored and loaded."""

    SOURCES = "a list of sources whose texts are stored apart, memory-mapped"
    LIST = "a list, appended to"
    BY_SOURCE = "a table keyed by source id"
    BY_SENTENCE = "a table keyed by (source id, sentence id)"
    APART = "a list only the describing process reads, pickled apart (StoredList)"
    MENTIONS = "a table keyed by source id only the describing process reads, pickled apart (Mentions)"
    COUNTER = "a counter summed over the articles, carried over by the store's totals, not by the fold"
    ROWS = "the words of the features' sentences, counted (SentenceRows), cut by how many features"
    TALLY = "the players' tally of the fold's first sources, when a build counted them"


@dataclass(frozen=True)
class Column:
    """One column the corpus carries: its name (an attribute of Corpus), how it merges, and
    which field of an article's result feeds it (as `feed` gives it; None: the fold makes it)."""

    name: str
    merge: Merge
    feed: Callable[[ArticleResult], Any] | None = None

    def empty(self) -> Any:
        return {Merge.SOURCES: list, Merge.LIST: list, Merge.BY_SOURCE: dict, Merge.BY_SENTENCE: dict,
                Merge.APART: StoredList, Merge.MENTIONS: Mentions, Merge.COUNTER: Counter,
                Merge.ROWS: SentenceRows, Merge.TALLY: type(None)}[self.merge]()

    @property
    def positional(self) -> bool:
        """Cut by length: its marks say how long it was after each article."""
        return self.merge in (Merge.SOURCES, Merge.LIST, Merge.APART, Merge.ROWS)

    @property
    def pickled_apart(self) -> bool:
        return self.merge in (Merge.APART, Merge.MENTIONS)


# Every column the corpus carries, declared once: Corpus, its empty value, the fold's `add`,
# `cut_to`, `dump_parts` and `load`, and the fold's property test (tests/test_fold.py) are made
# from this table. A per-article column with a feed is merged by `add` as its kind says; those
# without one (sources, warnings, copies) `add` fills itself, for the duplicate and copy checks.
COLUMNS: tuple[Column, ...] = (
    Column("sources", Merge.SOURCES),
    Column("warnings", Merge.LIST),
    Column("scores", Merge.BY_SENTENCE, lambda r: r.scores),
    Column("phrases", Merge.BY_SOURCE, lambda r: r.phrases and r.phrases.slim()),  # full counts: in the total
    Column("sentence_frequency", Merge.COUNTER),
    Column("events", Merge.APART, lambda r: [r.events]),
    Column("copies", Merge.LIST),
    Column("figures", Merge.APART, lambda r: r.figures),
    Column("quotes", Merge.APART, lambda r: r.quotes),
    Column("features", Merge.BY_SENTENCE, lambda r: r.features),
    Column("mentions", Merge.MENTIONS, lambda r: r.mentions),
    Column("digests", Merge.BY_SOURCE, lambda r: r.text_digest),  # for the corpus fingerprint
    Column("on_topic", Merge.BY_SOURCE, lambda r: r.on_topic),  # its sentences on some topic
    Column("sentence_rows", Merge.ROWS),  # counted from `features` by `count_words`
    Column("player_tally", Merge.TALLY),
)
POSITIONAL = tuple(c for c in COLUMNS if c.positional)
FED = tuple(c for c in COLUMNS if c.feed is not None)
# What the fold stores of the corpus in one pickle: all but the n-gram totals, which the store
# carries over, and what only the describing process reads, pickled apart after it.
FIELDS = tuple(c.name for c in COLUMNS if c.merge is not Merge.COUNTER and not c.pickled_apart)
APART = tuple(c for c in COLUMNS if c.pickled_apart)


@dataclass
class Corpus:
    """The per-article results merged, one attribute per column of COLUMNS (checked below)."""

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
    digests: dict[str, str]
    on_topic: dict[str, tuple[Sentence, ...]]
    sentence_rows: SentenceRows
    player_tally: PlayerTally | None

    @classmethod
    def empty(cls) -> Corpus:
        return cls(**{c.name: c.empty() for c in COLUMNS})

    def list_lengths(self) -> Marks:
        return tuple(len(self.features) if c.merge is Merge.ROWS else len(getattr(self, c.name)) for c in POSITIONAL)

    def count_words(self) -> None:
        """Rows for the sentences in `features` that have none yet (the last ones: both only grow at the end)."""
        rows = self.sentence_rows
        if len(rows.keys) < len(self.features):
            rows.extend({key: found.words for key, found in itertools.islice(self.features.items(), len(rows.keys),
                                                                             None)})


if [f.name for f in dataclass_fields(Corpus)] != [c.name for c in COLUMNS]:
    raise TypeError("Corpus and fold.COLUMNS name different columns: declare a column in both, in the same order")


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
            corpus.copies += self.copy_finder.add(article_id, result.copy_keys)
            keys: dict[str, tuple[str, str]] = {}
            for column in FED:
                value, table = column.feed(result), getattr(corpus, column.name)  # type: ignore[misc]
                if column.merge is Merge.BY_SENTENCE:
                    # One key object per sentence for every table (the stored fold pickles it once).
                    table.update((keys.setdefault(sid, (article_id, sid)), found) for sid, found in value)
                elif column.merge in (Merge.BY_SOURCE, Merge.MENTIONS):
                    if value is not None:
                        table[article_id] = value
                else:
                    table += value
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
        lengths = dict(zip((c.name for c in POSITIONAL), self.marks[count - 1] if count else [0] * len(POSITIONAL),
                           strict=True))
        dropped = {source.id for source in corpus.sources[lengths["sources"]:]}
        for source_id in dropped:
            sentences = corpus.on_topic[source_id]
            for column in COLUMNS:
                table = getattr(corpus, column.name)
                if column.merge is Merge.BY_SENTENCE:
                    for sentence in sentences:
                        table.pop((source_id, sentence.id), None)
                elif column.merge in (Merge.BY_SOURCE, Merge.MENTIONS):
                    table.pop(source_id, None)
        for column in POSITIONAL:
            items = getattr(corpus, column.name)
            if column.merge in (Merge.SOURCES, Merge.LIST):
                del items[lengths[column.name]:]
            else:
                items.cut(lengths[column.name])
        if corpus.player_tally is not None and corpus.player_tally.sources > lengths["sources"]:
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
        apart = tuple(getattr(corpus, column.name).dumps() for column in APART)
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
            apart = pickle.load(stored)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError,
                IndexError):
            return None
        if version != FORMAT or stored_keys != keys or len(marks) != len(keys) or len(fields) != len(FIELDS) \
                or len(apart) != len(APART):
            return None
        slim, spans = fields[FIELDS.index("sources")]
        if texts is None or len(slim) != len(spans) or any(start + size > len(texts) for start, size in spans):
            return None
        fields[FIELDS.index("sources")] = [source.with_text(MappedText(texts[start:start + size]))
                                           for source, (start, size) in zip(slim, spans, strict=True)]
        fold = cls()
        last = dict(zip((c.name for c in POSITIONAL), marks[-1] if marks else [0] * len(POSITIONAL), strict=True))
        columns: dict[str, Any] = dict(zip(FIELDS, fields, strict=True))
        columns.update((column.name, StoredList(data, last[column.name]) if column.merge is Merge.APART
                        else Mentions(data)) for column, data in zip(APART, apart, strict=True))
        fold.corpus = Corpus(**columns, sentence_frequency=Counter())
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
