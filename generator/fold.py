"""The per-article results merged into one corpus, in article order, and kept for the next build.

Merging is a fold: each article's result is added to what the articles before it made (an
exact or near duplicate of an earlier source is skipped, a copy is related to the earliest
source it copies). A rebuild starts from the last build's fold: the first articles that are
as they were are kept, and each later one is taken over unread unless an article added,
removed or edited changed which source first had one of its sentences (`Replay`); at 10,000
articles, loading the fold as one pickle took 0.8 s where loading and merging 10,000 cache
entries took 1.9 s. The fold is stored again only when it moved far from the one stored
(more than a twentieth of it added, or any of it cut), since storing it costs about two
seconds of a core (done beside the build, see `pipeline.build`)."""

from __future__ import annotations

import io
import itertools
import mmap
import pickle
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from enum import Enum
from typing import TYPE_CHECKING, Any, BinaryIO, Generic, NamedTuple, TypeVar, overload

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

FORMAT = 7
# After each article: the length of each of the corpus's positional columns (see COLUMNS), in order.
Marks = tuple[int, ...]
SentenceKey = tuple[str, str]  # (source id, sentence id)


class Placed(NamedTuple):
    """One article the fold has added, as a rebuild needs it to take the article's part over
    without its result: its cache key, the corpus's lengths after it, and the sentence keys
    whose first owner decides whether it is a duplicate or a copy (64-bit, packed)."""

    key: str | None
    article_id: str
    is_source: bool  # not empty, nor a duplicate
    marks: Marks
    fingerprints: bytes  # every sentence's, as duplicate detection keys them
    bags: bytes  # the unspun bag-of-words key of each sentence long enough to be telling (copies.py)

    def sentence_keys(self) -> itertools.chain[int]:
        return itertools.chain(memoryview(self.fingerprints).cast("Q"), memoryview(self.bags).cast("Q"))


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

    @property
    def per_article(self) -> bool:
        """Made of each article's share (not counted over the corpus, nor made by the fold)."""
        return self.merge not in (Merge.COUNTER, Merge.ROWS, Merge.TALLY)

    def merge_into(self, table: Any, share: Any, article_id: str) -> None:
        """One article's share of this column into the corpus's (a table's share: (key, value) pairs)."""
        if self.merge is Merge.BY_SENTENCE:
            table.update(share)
        elif self.merge in (Merge.BY_SOURCE, Merge.MENTIONS):
            if share is not None:
                table[article_id] = share
        else:
            table += share


def column(merge: Merge, feed: Callable[[ArticleResult], Any] | None = None) -> dict[str, Any]:
    """A Corpus attribute's metadata as a column: how it merges, and what of an article's result feeds it."""
    return {"merge": merge, "feed": feed}


@dataclass
class Corpus:
    """The per-article results merged: every column the corpus carries, declared once. Its
    empty value, the fold's `add`, `cut_to`, `take_over`, `dump_parts` and `load`, and the fold's
    property tests (tests/test_fold.py) are made from these declarations (COLUMNS). A column with
    a feed is merged by `add` as its kind says; those without one (sources, warnings, copies)
    `add` fills itself, for the duplicate and copy checks."""

    sources: list[Source] = field(metadata=column(Merge.SOURCES))
    warnings: list[Warning] = field(metadata=column(Merge.LIST))
    scores: dict[SentenceKey, tuple[TopicScore, ...]] = field(metadata=column(Merge.BY_SENTENCE, lambda r: r.scores))
    # The n-gram counts go in the corpus total, not here.
    phrases: dict[str, SourcePhrases] = field(metadata=column(Merge.BY_SOURCE,
                                                              lambda r: r.phrases and r.phrases.slim()))
    sentence_frequency: Counter = field(metadata=column(Merge.COUNTER))
    events: StoredList[tuple[list[TimelineEvent], list[TimelineEvent]]] = field(
        metadata=column(Merge.APART, lambda r: [r.events]))
    copies: list[CopyRelation] = field(metadata=column(Merge.LIST))
    figures: StoredList[Figure] = field(metadata=column(Merge.APART, lambda r: r.figures))
    quotes: StoredList[Quote] = field(metadata=column(Merge.APART, lambda r: r.quotes))
    features: dict[SentenceKey, SentenceFeatures] = field(metadata=column(Merge.BY_SENTENCE, lambda r: r.features))
    mentions: Mentions = field(metadata=column(Merge.MENTIONS, lambda r: r.mentions))
    # Each source's text digest, for the corpus fingerprint.
    digests: dict[str, str] = field(metadata=column(Merge.BY_SOURCE, lambda r: r.text_digest))
    # Each source's sentences on some topic.
    on_topic: dict[str, tuple[Sentence, ...]] = field(metadata=column(Merge.BY_SOURCE, lambda r: r.on_topic))
    sentence_rows: SentenceRows = field(metadata=column(Merge.ROWS))  # counted from `features` by `count_words`
    player_tally: PlayerTally | None = field(metadata=column(Merge.TALLY))

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


COLUMNS: tuple[Column, ...] = tuple(Column(f.name, f.metadata["merge"], f.metadata["feed"])
                                    for f in dataclass_fields(Corpus))
POSITIONAL = tuple(c for c in COLUMNS if c.positional)
FED = tuple(c for c in COLUMNS if c.feed is not None)
# What the fold stores of the corpus in one pickle: all but the n-gram totals, which the store
# carries over, and what only the describing process reads, pickled apart after it.
FIELDS = tuple(c.name for c in COLUMNS if c.merge is not Merge.COUNTER and not c.pickled_apart)
APART = tuple(c for c in COLUMNS if c.pickled_apart)


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
    sentence key), and what taking over the stored fold needs (each article's Placed record).
    Its warnings are the articles' own: the corpus a build uses has the files' warnings put
    before them."""

    def __init__(self) -> None:
        self.corpus = Corpus.empty()
        self.copy_finder = CopyFinder()  # its first_exact is duplicate detection's `seen` too
        self.placed: list[Placed] = []
        self.added = 0  # articles added since it was loaded
        self.cut = 0  # articles cut from what was loaded
        self.replay: Replay | None = None  # while a rebuild takes over the articles after the kept ones

    @property
    def keys(self) -> list[str | None]:
        return [placed.key for placed in self.placed]

    def add(self, key: str | None, result: ArticleResult) -> bool:
        """Whether the article became a source (it is not empty, nor a duplicate)."""
        corpus, seen = self.corpus, self.copy_finder.first_exact
        self.added += 1
        made = False
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
                value = column.feed(result)  # type: ignore[misc]
                if column.merge is Merge.BY_SENTENCE:
                    # One key object per sentence for every table (the stored fold pickles it once).
                    value = ((keys.setdefault(sid, (article_id, sid)), found) for sid, found in value)
                column.merge_into(getattr(corpus, column.name), value, article_id)
            made = True
            return True
        finally:
            placed = Placed(key, result.article_id, made, corpus.list_lengths(),
                            array("Q", result.fingerprints).tobytes(),
                            array("Q", [bag for _, bag in result.copy_keys]).tobytes())
            self.placed.append(placed)
            if self.replay is not None:
                self.replay.added(placed, frozenset(itertools.chain(*self.owned(placed))) if made else frozenset())

    def owned(self, placed: Placed) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """The sentence keys whose first source is this article (those it decides for later
        ones), exact and bag-of-words keys apart, in the order it claimed them."""
        first_exact, first_bag, article_id = self.copy_finder.first_exact, self.copy_finder.first_bag, placed.article_id
        return (tuple(dict.fromkeys(k for k in memoryview(placed.fingerprints).cast("Q")
                                    if first_exact.get(k) == article_id)),
                tuple(dict.fromkeys(k for k in memoryview(placed.bags).cast("Q") if first_bag.get(k) == article_id)))

    def cut_to(self, count: int) -> None:
        """Back to what the first `count` articles made: exactly the fold of those articles,
        since each article only appends to the lists and adds keys of its own to the tables."""
        if count >= len(self.placed):
            return
        corpus = self.corpus
        before = self.placed[count - 1].marks if count else (0,) * len(POSITIONAL)
        lengths = dict(zip((c.name for c in POSITIONAL), before, strict=True))
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
        self.cut += len(self.placed) - count
        del self.placed[count:]

    def take_over(self, count: int, listed: Sequence[tuple[str, str]]) -> None:
        """Keep the first `count` articles, and make ready to take each later one's part over
        unread (`replay_next`) when it comes, in this build's order (`listed`: each article's
        cache key and id), if nothing it depends on changed. An article's part depends on
        earlier articles only through which source first had each of its sentence keys (that
        decides whether it is a duplicate, and what it copies): so it is taken over unless
        one of its keys is dirty, owned by a different source than in the stored fold."""
        replay = Replay.of(self, count, listed)
        self.replay = replay if replay.parts else None
        self.cut_to(count)

    def replay_next(self, key: str) -> Placed | None:
        """The article, if the stored fold's part for it was taken over; if not (it was not
        stored, or depends on what changed), the caller adds the article's result."""
        part = self.replay.take(key) if self.replay is not None else None
        if part is None:
            return None
        corpus = self.corpus
        for column, share in zip(COLUMNS, part.values, strict=True):
            if column.per_article:
                column.merge_into(getattr(corpus, column.name), share, part.placed.article_id)
        for key_of in part.owned_exact:
            self.copy_finder.first_exact.setdefault(key_of, part.placed.article_id)
        for key_of in part.owned_bags:
            self.copy_finder.first_bag.setdefault(key_of, part.placed.article_id)
        placed = part.placed._replace(marks=corpus.list_lengths())
        self.placed.append(placed)
        return placed

    def worth_storing(self) -> bool:
        """Whether the next build would gain by starting from this fold rather than the stored one."""
        return self.cut > 0 or self.added * 20 > len(self.placed)

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
        state = (FORMAT, self.placed, fields, self.copy_finder.first_exact, self.copy_finder.first_bag)
        apart = tuple(getattr(corpus, column.name).dumps() for column in APART)
        return [offset.to_bytes(8, "big"), *texts,
                *(pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL) for part in (state, apart))]

    @classmethod
    def load(cls, stored: BinaryIO, keys: list[str | None]) -> CorpusFold | None:
        """The fold `dumps` made, if `stored` holds one, of articles with these keys; else None.
        Unpickled from the file, not from its bytes read first: 0.4 s less at 10,000 articles."""
        try:
            texts = _texts_of(stored)
            version, placed, fields, first_exact, first_bag = pickle.load(stored)
            # What only the describing process reads, pickled after the rest (see `Mentions`, `StoredList`).
            apart = pickle.load(stored)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError,
                IndexError):
            return None
        if version != FORMAT or [p.key for p in placed] != keys or len(fields) != len(FIELDS) \
                or len(apart) != len(APART):
            return None
        slim, spans = fields[FIELDS.index("sources")]
        if texts is None or len(slim) != len(spans) or any(start + size > len(texts) for start, size in spans):
            return None
        fields[FIELDS.index("sources")] = [source.with_text(MappedText(texts[start:start + size]))
                                           for source, (start, size) in zip(slim, spans, strict=True)]
        fold = cls()
        last = dict(zip((c.name for c in POSITIONAL), placed[-1].marks if placed else [0] * len(POSITIONAL),
                        strict=True))
        columns: dict[str, Any] = dict(zip(FIELDS, fields, strict=True))
        columns.update((column.name, StoredList(data, last[column.name]) if column.merge is Merge.APART
                        else Mentions(data)) for column, data in zip(APART, apart, strict=True))
        fold.corpus = Corpus(**columns, sentence_frequency=Counter())
        fold.placed = placed
        fold.copy_finder = CopyFinder(first_exact=first_exact)
        fold.copy_finder.first_bag = first_bag
        return fold


@dataclass(frozen=True)
class Part:
    """A stored article's part of the fold, to be taken over as it is: each column's share of
    it (in COLUMNS order) and the sentence keys it owned, in the order it claimed them."""

    placed: Placed
    values: tuple[Any, ...]
    owned_exact: tuple[int, ...]
    owned_bags: tuple[int, ...]

    @property
    def owned(self) -> frozenset[int]:
        return frozenset(self.owned_exact + self.owned_bags)


class Replay:
    """A rebuild's protocol for the stored articles after the kept ones (Sphinx's environment
    has one like it: outdated, cleared, merged). Each stored article still listed, in the same
    relative order, is a candidate: its Part is taken over unless one of its sentence keys is
    dirty. A key is dirty once its first source may differ from the stored fold's: it was owned
    by an article gone, or by one added again that owns a different set of keys now. An article
    added again under the same id (an edit) makes dirty only the keys whose ownership changed,
    so editing one article re-reads only the articles that share the sentences it gained or
    lost; if it is not added again before the candidate that followed it (its file went, or it
    moved later), every key it owned is dirty from there."""

    def __init__(self, parts: dict[str, tuple[int, Part]], pending: dict[str, tuple[int, frozenset[int]]],
                 dirty: set[int]) -> None:
        self.parts = parts  # key -> (its place among the candidates, its part)
        self.pending = pending  # article id -> (the candidate it must come before, the keys its stored self owned)
        self.dirty = dirty

    @classmethod
    def of(cls, fold: CorpusFold, count: int, listed: Sequence[tuple[str, str]]) -> Replay:
        """For `fold` before it is cut to its first `count` articles, and this build's articles after them."""
        stored = {placed.key: index for index, placed in enumerate(fold.placed[count:], start=count)}
        candidates: list[int] = []
        again: set[str] = set()  # the ids of the articles to be added again
        for key, article_id in listed:
            index = stored.get(key)
            if index is not None and index > (candidates[-1] if candidates else count - 1):
                candidates.append(index)
            else:
                again.add(article_id)
        if len(stored) != len(fold.placed) - count:  # keys not unique (no cache): nothing is taken over
            candidates, again = [], set()
        shares = _shares(fold, candidates)
        parts: dict[str, tuple[int, Part]] = {}
        pending: dict[str, tuple[int, frozenset[int]]] = {}
        dirty: set[int] = set()
        slot = 0
        chosen = set(candidates)
        for index in range(count, len(fold.placed)):
            placed = fold.placed[index]
            exact, bags = fold.owned(placed) if placed.is_source else ((), ())
            owned = frozenset(exact + bags)
            if index in chosen:
                parts[str(placed.key)] = (slot, Part(placed, shares[index], exact, bags))
                slot += 1
            elif placed.article_id in again:  # edited: settled when it is added again, before candidate `slot`
                pending[placed.article_id] = (slot, owned)
            else:
                dirty |= owned
        return cls(parts, pending, dirty)

    def take(self, key: str) -> Part | None:
        """The article's part if it can be taken over; else None, and it is to be added again."""
        found = self.parts.pop(key, None)
        if found is None:
            return None
        slot, part = found
        self._flush(slot)
        if self.dirty.isdisjoint(part.placed.sentence_keys()):
            return part
        self.pending[part.placed.article_id] = (slot + 1, part.owned)
        return None

    def added(self, placed: Placed, owned: frozenset[int]) -> None:
        """An article added again: the keys it owns now and did not, or owned and does not, are dirty."""
        _, before = self.pending.pop(placed.article_id, (0, frozenset()))
        self.dirty |= owned ^ before

    def _flush(self, slot: int) -> None:
        """Articles that were to be added again before this candidate and were not (they moved
        later, or their file went during the build): every key they owned is dirty."""
        for article_id in [a for a, (deadline, _) in self.pending.items() if deadline <= slot]:
            self.dirty |= self.pending.pop(article_id)[1]


def _shares(fold: CorpusFold, indexes: Sequence[int]) -> dict[int, tuple[Any, ...]]:
    """Each of these articles' share of every column, in COLUMNS order: its slice of a list
    (between its marks), its entries of a table (in the table's order); nothing for what is
    counted again (sentence rows) or dropped (the players' tally)."""
    corpus, placed = fold.corpus, fold.placed
    sources_of = {index: corpus.sources[placed[index - 1].marks[0] if index else 0].id
                  for index in indexes if placed[index].is_source}
    wanted = set(sources_of.values())
    by_sentence: dict[str, dict[str, list[tuple[Any, Any]]]] = {}
    for column in COLUMNS:
        if column.merge is Merge.BY_SENTENCE:
            grouped: dict[str, list[tuple[Any, Any]]] = {}
            for entry in getattr(corpus, column.name).items():
                if entry[0][0] in wanted:
                    grouped.setdefault(entry[0][0], []).append(entry)
            by_sentence[column.name] = grouped
    position = {c.name: i for i, c in enumerate(POSITIONAL)}
    shares = {}
    for index in indexes:
        before = placed[index - 1].marks if index > 0 else (0,) * len(POSITIONAL)
        after, source_id = placed[index].marks, sources_of.get(index)
        values: list[Any] = []
        for column in COLUMNS:
            table = getattr(corpus, column.name)
            if not column.per_article:
                values.append(None)
            elif column.positional:
                at = position[column.name]
                values.append(table[before[at]:after[at]])
            elif column.merge is Merge.BY_SENTENCE:
                values.append(by_sentence[column.name].get(source_id, []) if source_id else [])
            else:  # a table by source
                values.append(table.get(source_id) if source_id else None)
        shares[index] = tuple(values)
    return shares


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
    """Which of this build's articles the stored fold may hold: asked article by article while
    they are listed (`takes`: those are left unread); then `settle` loads the fold, keeps the
    first articles that are as they were, and makes ready to take over the later ones that
    nothing they depend on changed for (see `Replay`)."""

    def __init__(self, stored: tuple[list[str | None], BinaryIO] | None) -> None:
        """`stored`: the stored fold's article keys, and its file, open where the fold begins."""
        self._stored: BinaryIO | None
        self.keys, self._stored = stored if stored is not None else ([], None)
        self._held = set(self.keys)
        self.listed: list[tuple[str, str]] = []  # each article's cache key and id, as listed
        self.length = 0  # this build's first articles, kept as the stored fold has them
        self.fold: CorpusFold | None = None

    def takes(self, key: str, article_id: str) -> bool:
        """Whether the stored fold may hold this article's part (then it is not read now)."""
        self.listed.append((key, article_id))
        return key in self._held

    def settle(self) -> CorpusFold:
        """The fold to add this build's articles to; a new one if the stored fold holds none of
        them, or cannot be read (then the articles it was to hold are read from the cache)."""
        fold = None
        if self._stored is not None:
            with self._stored:
                held = any(key in self._held for key, _ in self.listed)
                fold = CorpusFold.load(self._stored, self.keys) if held else None
        if fold is None:
            fold = CorpusFold()
        else:
            same = itertools.takewhile(lambda pair: pair[0] == pair[1][0], zip(self.keys, self.listed, strict=False))
            self.length = sum(1 for _ in same)
            fold.take_over(self.length, self.listed[self.length:])
        self.fold = fold
        return fold

    def holds(self, index: int, key: str) -> Placed | None:
        """The article listed at `index` (this key) as the fold holds it, if it does: one of the
        first articles kept, or one whose part it took over (then the caller adds nothing)."""
        assert self.fold is not None, "settled first"
        return self.fold.placed[index] if index < self.length else self.fold.replay_next(key)
