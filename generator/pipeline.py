"""The build, read top to bottom as its list of stages.

ingest -> clean -> segment -> classify -> rank -> keywords -> (timeline, players) -> render. Every stage but
ingest and render is a pure function of its inputs; state lives only in the locals of
one run, so two runs never influence each other.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import hashlib
import itertools
import logging
import marshal
import pickle
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager, nullcontext
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

from .classify import Classifier, classify
from .clean import clean, detect_spin, language_problem
from .config import Config, load_config
from .copies import sentence_fingerprint, sentence_keys, source_groups
from .editions import Changes, compare, previous_edition, snapshot
from .editions import keep as keep_edition
from .facts import SpeakerFinder, article_facts, capped_facts, group_figures, merge_quotes, spellings, spellings_in
from .fold import Corpus, CorpusFold, FoldReuse
from .ingest import ArticleStream, KnownArticle, SeedsError
from .keywords import (
    SourceKeywordMemo,
    SourcePhrases,
    YakeMemo,
    source_keywords,
    source_phrases,
    topic_keywords,
)
from .lead import what_happened
from .model import (
    Article,
    Briefing,
    Citation,
    Figure,
    FigureGroup,
    KeyPoint,
    Player,
    Quote,
    Sentence,
    Source,
    Spelling,
    TimelineEvent,
    TopicBriefing,
    TopicScore,
    Warning,
)
from .parallel import Claims, StatePool, beside
from .players import MentionFinder, PlayerMentions, PlayerTally, players_of, tally_players
from .progress import Progress, StageTimes
from .rank import FeatureFinder, SentenceFeatures, SentenceVectors, TopicSentences, coverage, rank_topic, with_context
from .render import (
    PageKeys,
    StoredPages,
    build_site,
    built_text,
    iter_pages,
    json_tail_beside,
    labels_of,
    write_tree,
)
from .segment import segment, to_source
from .store import EntryPack, PageStore, ResultCache
from .swap import clean_leftovers, staging, swap_all
from .timeline import events_of, timeline

log = logging.getLogger("generator")

# A page's worth: the most telling figures (disagreements, then the most widely reported) and quotes.
MAX_TOPIC_FIGURES, MAX_TOPIC_QUOTES = 15, 15
MAX_CORPUS_FIGURES, MAX_CORPUS_QUOTES = 60, 50


class StrictModeError(Exception):
    """Warnings were raised and the build was asked to treat them as errors."""


@contextmanager
def full_collections_paused() -> Iterator[None]:
    """A build holds millions of objects until it ends (about five million for 10,000 articles),
    and each of Python's full garbage collections walks all of them, once per quarter of growth:
    7 of the 23 s of a cached 10k rebuild. They are data, not cycles; the young generations,
    where a cycle made and dropped in passing is found, are still collected. Ends by unfreezing
    what `collector_off` froze, so it is collected as usual once the build is over."""
    young, middle, oldest = gc.get_threshold()
    gc.set_threshold(young, middle, 1_000_000_000)
    try:
        yield
    finally:
        gc.set_threshold(young, middle, oldest)
        gc.unfreeze()


@contextmanager
def collector_off() -> Iterator[None]:
    """Analysis and the corpus stages make millions of objects and next to no cyclic garbage
    (measured: none per article; about 25,000 objects in all, from YAKE and the process pools,
    the same for 1,000 and 2,000 articles), yet young-generation collections walk every object
    they make about twice: 0.9 of the 4.8 s of loading a cached 10k corpus, and 4% of analysing
    an article. The collector is off while they run (forked workers inherit that), and what
    they made is frozen, kept out of later collections, before it comes back on, so it is not
    walked in one go then either. Only `build` uses this, inside `full_collections_paused`, whose
    end unfreezes everything frozen (a caller's own `gc.freeze()` before a build included)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


@dataclass(frozen=True)
class Facts:
    """Figures and quotes: the most telling, as many as a page shows, and how many there are."""

    figures: tuple[FigureGroup, ...]  # disagreements first, then the most widely reported
    figures_total: int
    quotes: tuple[Quote, ...]
    quotes_total: int

    def fields(self) -> dict[str, Any]:
        """As keyword arguments of TopicBriefing and Briefing, which hold the same four fields."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


def gather_facts(figures: Iterable[Figure], quotes: Iterable[Quote], by_id: dict[str, Source],
                 max_figures: int, max_quotes: int) -> Facts:
    """A page shows only the first few groups and quotes; the totals tell it how many it leaves out."""
    grouped, merged = group_figures(figures, by_id), merge_quotes(quotes)
    return Facts(tuple(grouped[:max_figures]), len(grouped), tuple(merged[:max_quotes]), len(merged))


@dataclass(frozen=True)
class Descriptions:
    """The corpus stages that need no ranking, computed beside it."""

    dated: tuple[TimelineEvent, ...]
    undated: tuple[TimelineEvent, ...]
    hidden: tuple[tuple[int, int], ...]
    players: tuple[Player, ...]
    topic_facts: dict[str, Facts]  # by topic id
    facts: Facts  # the corpus's
    spellings: tuple[Spelling, ...]  # the corpus's
    topic_spellings: dict[str, tuple[Spelling, ...]]  # by topic id: those any of its sentences has
    player_tally: PlayerTally | None  # when asked for (sending it back costs time)


@dataclass(frozen=True)
class SourceDescriptions:
    """The descriptions, and the keywords of the chunks of sources the describing process took.
    In a process of its own, it pickles the descriptions as soon as they are made, before it
    takes keyword chunks: pickling them when it is done (0.24 s at 10,000 sources) would keep
    the ranking process waiting."""

    descriptions: Descriptions | bytes
    keywords: dict[int, KeywordChunk]  # the chunks of sources it took, by chunk
    seconds: dict[str, float]

    def unpacked(self) -> Descriptions:
        found = self.descriptions
        return pickle.loads(found) if isinstance(found, bytes) else found


T = TypeVar("T")


@dataclass(frozen=True)
class BuildResult:
    briefing: Briefing
    pages: int
    # The per-article analyses the briefing was made from, handed back instead of freed when the
    # build returns (millions of objects: 0.3 s at 10,000 articles), so a command that ends right
    # after can end without freeing them one by one (see cli.entry).
    corpus: Corpus | None = None


LONG_LINE = 100_000


def input_shape_warnings(filename: str, text: str, removed: tuple) -> list[Warning]:
    """Oddities that cleaning coped with but a maintainer should know about."""
    found = []
    kinds = {r.kind: r.count for r in removed}
    if "html page converted to text" in kinds:
        found.append(Warning(filename, "an HTML page saved as text; only its visible text was used"))
    longest = max((len(line) for line in text.split("\n")), default=0)
    if longest > LONG_LINE:
        found.append(Warning(filename, f"a single line of {longest:,} characters"))
    if kinds.get("junk"):
        found.append(Warning(filename, f"{kinds['junk']} runs of 100+ characters without a space removed as junk"))
    return found


@dataclass(frozen=True)
class ArticleResult:
    """Everything about one article that does not depend on the others, so workers can compute it."""

    filename: str
    article_id: str
    source: Source | None
    shape_warnings: tuple[Warning, ...]
    content_warnings: tuple[Warning, ...]
    scores: tuple[tuple[str, tuple[TopicScore, ...]], ...]
    phrases: SourcePhrases | None
    events: tuple[list[TimelineEvent], list[TimelineEvent]] = ([], [])
    copy_keys: tuple[tuple[int, int], ...] = ()
    fingerprints: tuple[int, ...] = ()  # of every sentence, for duplicate detection
    figures: tuple[Figure, ...] = ()
    quotes: tuple[Quote, ...] = ()
    features: tuple[tuple[str, SentenceFeatures], ...] = ()  # of each on-topic sentence, for ranking
    mentions: PlayerMentions | None = None
    text_digest: str = ""  # of the cleaned text, for the corpus fingerprint
    on_topic: tuple[Sentence, ...] = ()  # the sentences `scores` has, in order: the rest may stay deferred


@dataclass(frozen=True)
class Analysers:
    """What the per-article stages need besides the config, built once per run (or worker)."""

    classifier: Classifier
    speakers: SpeakerFinder
    features: FeatureFinder
    mentions: MentionFinder

    @classmethod
    def from_config(cls, config: Config) -> Analysers:
        classifier = Classifier.from_config(config)  # its unspinner is shared: sentences are asked for twice
        return cls(classifier, SpeakerFinder(config.players), FeatureFinder(config, classifier.unspin),
                   MentionFinder(config.players))


def analyse_article(article: Article, config: Config, analysers: Analysers) -> ArticleResult:
    """clean -> segment -> spin, language and topic scores -> phrase counts, for one article."""
    cleaned = clean(article)
    shape = tuple(input_shape_warnings(article.filename, article.text, cleaned.removed))
    sentences = segment(cleaned)
    if not sentences:
        return ArticleResult(article.filename, article.id, None,
                             (*shape, Warning(article.filename, "no sentences left after cleaning; skipped")),
                             (), (), None)
    problem = language_problem(cleaned.blocks, config.language)
    evidence = detect_spin(cleaned.blocks, config.spin_detection)
    source = to_source(cleaned, sentences, spin_evidence=evidence, flags=("spun",) if evidence else ())
    found_scores = classify(sentences, analysers.classifier, spun=bool(evidence))
    scores = tuple((sentence_id, found) for (_, sentence_id), found in found_scores.items())
    by_id = {s.id: s for s in sentences}
    features = tuple((sid, analysers.features(by_id[sid], found, bool(evidence))) for sid, found in scores)
    figures, quotes, capped = capped_facts(*article_facts(sentences, bool(evidence), analysers.speakers, config.facts))
    if capped:
        shape += tuple(Warning(article.filename, reason) for reason in capped)
    fingerprints = tuple(sentence_fingerprint(s.text) for s in sentences)
    return ArticleResult(
        article.filename, article.id, source, shape,
        (Warning(article.filename, problem),) if problem else (),
        scores, source_phrases([s.text for s in sentences], config.keywords, spun=bool(evidence),
                               spin_phrases=[sig.phrase for sig in config.spin_detection.signatures],
                               language=config.language, names_a_topic=analysers.classifier.names_any_topic),
        events_of(source),
        copy_keys=sentence_keys(sentences, analysers.classifier.unspin, fingerprints),
        fingerprints=fingerprints, figures=figures, quotes=quotes,
        features=features, mentions=analysers.mentions(sentences), text_digest=text_digest(sentences),
        on_topic=tuple(by_id[sid] for sid, _ in scores),
    )


# A pool worker's state (see parallel.StatePool): made once per worker from the configuration.
WorkerState = tuple[Config, Analysers, bool]


def worker_state(config: Config, encoded: bool) -> WorkerState:
    return config, Analysers.from_config(config), encoded


@dataclass(frozen=True)
class EncodedResult:
    """A result as its cache entry holds it: a worker sends these bytes, which the main process
    stores as they are and decodes, instead of pickling the result a second time for the cache."""

    entry: bytes  # the pickled result, without its n-gram counts
    counts: bytes | None  # the n-gram counts, marshalled (None for an article with no sentences)

    @classmethod
    def of(cls, result: ArticleResult) -> EncodedResult:
        """With the source's blocks and sentences deferred (see Source.deferred)."""
        if result.phrases is None or result.source is None:
            return cls(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL), None)
        slim = dataclasses.replace(result, phrases=result.phrases.slim(), source=result.source.deferred())
        return cls(pickle.dumps(slim, protocol=pickle.HIGHEST_PROTOCOL),
                   marshal.dumps(dict(result.phrases.sentence_frequency)))

    def decode(self) -> ArticleResult:
        result: ArticleResult = pickle.loads(self.entry)
        if result.phrases is None or self.counts is None:
            return result
        counts = Counter(marshal.loads(self.counts))
        return dataclasses.replace(result, phrases=SourcePhrases(counts, result.phrases.candidates))


def _analyse_in_worker(state: WorkerState, article: Article) -> ArticleResult | EncodedResult:
    """Analyse, and with a cache encode the result here, so the main process (which merges
    results while the workers run) does not pickle it for the cache."""
    config, analysers, encoded = state
    result = analyse_article(article, config, analysers)
    return EncodedResult.of(result) if encoded else result


class Plan(Enum):
    """What an article needs this build, decided as it is listed."""

    HELD = "the stored fold may hold its part: not read unless it cannot be taken over"
    CACHED = "its result is in the cache"
    ANALYSE = "read and analysed"


def planned(articles: ArticleStream, cache: ResultCache | None,
            reuse: FoldReuse | None) -> Iterator[tuple[Article | KnownArticle, Plan]]:
    """Each article as it is listed, with what it needs. An article the stream knew unchanged
    is read only when its entry is missing."""
    for known in articles:
        if reuse is not None and cache is not None and reuse.takes(cache.key(known), known.id):
            yield known, Plan.HELD
            continue
        article: Article | KnownArticle | None = known
        if isinstance(known, KnownArticle) and (cache is None or known.content_key not in cache.stored()):
            article = articles.reread(known)
        if article is None:
            continue
        yield article, Plan.CACHED if cache is not None and cache.has(article) else Plan.ANALYSE


def to_analyse(listing: Iterable[tuple[Article | KnownArticle, Plan]]) -> Iterator[Article]:
    for article, plan in listing:
        if plan is Plan.ANALYSE:
            assert isinstance(article, Article)  # a KnownArticle without an entry was read by `planned`
            yield article


def analyse_all(articles: ArticleStream, config: Config, jobs: int, cache: ResultCache | None = None,
                progress: Progress | None = None, reuse: FoldReuse | None = None,
                analysers: Callable[[], Analysers] | None = None,
                ) -> Iterator[tuple[Article | KnownArticle, ArticleResult | None]]:
    """Each article with its result, in article order whatever the number of jobs, streamed so a
    large corpus is never held in memory at once: cached results are read one by one as their
    turn comes (a damaged entry is recomputed on the spot), the rest come from the pool and are
    stored as they come. When most of the articles cannot be in the cache (a first build), the
    pool starts on the first articles while the rest are still being read. The articles whose
    part the stored fold may hold come without a result (see `cached_result`). `analysers`: this
    run's, made when first needed (see `lazy_analysers`)."""
    analysers = analysers or lazy_analysers(config)
    # The listing is read once: the pool's side takes the articles to analyse from it, and the
    # same listing is then replayed in order (tee keeps what one side read for the other).
    listing, in_order = itertools.tee(planned(articles, cache, reuse))
    todo: Iterable[Article] = to_analyse(listing)
    expected = articles.count
    cached_at_most = len(cache.stored()) if cache is not None else 0
    if jobs > 1 and expected - cached_at_most >= 4 * jobs:
        count = expected - cached_at_most  # read as the pool takes them
    else:
        todo = list(todo)
        count = len(todo)
    with ExitStack() as stack:
        if jobs <= 1 or count < 4 * jobs:
            local = analysers()
            fresh: Iterator[ArticleResult | EncodedResult] = (analyse_article(a, config, local) for a in todo)
        else:
            pool = stack.enter_context(StatePool(jobs, worker_state, (config, cache is not None)))
            fresh = pool.map(_analyse_in_worker, todo, chunksize=max(1, min(64, count // (jobs * 8))))
        # The whole listing has been read by now (map submits every article before it returns;
        # otherwise `todo` is a list), so the stored fold can be settled against all of it.
        seen = list(in_order)
        if reuse is not None:
            reuse.settle()
        for done, (article, plan) in enumerate(seen, start=1):
            result: ArticleResult | None = None
            if plan is Plan.ANALYSE:
                assert isinstance(article, Article)
                fresh_result = next(fresh)
                if isinstance(fresh_result, EncodedResult):  # analysed and encoded by a worker
                    assert cache is not None
                    cache.put_encoded(article, fresh_result.entry, fresh_result.counts)
                    fresh_result = fresh_result.decode()
                elif cache is not None:
                    store_result(cache, article, fresh_result)
                result = fresh_result
            elif plan is Plan.CACHED:
                assert cache is not None
                result = cached_result(article, cache, articles, config, analysers)
                if result is None:  # and the file is gone since it was listed
                    continue
            if progress:
                progress.update(done, len(seen))
            yield article, result


def lazy_analysers(config: Config) -> Callable[[], Analysers]:
    """One run's analysers, made on first call and kept: a damaged entry is rare, but a damaged
    store has thousands, and making them takes 25 ms and drops the classifier's per-run memo."""
    return functools.cache(functools.partial(Analysers.from_config, config))


def cached_result(article: Article | KnownArticle, cache: ResultCache, articles: ArticleStream,
                  config: Config, analysers: Callable[[], Analysers]) -> ArticleResult | None:
    """The article's result from the cache; analysed again if its entry is damaged (or was
    never read, the stored fold being expected to hold it); None if its file is gone since."""
    result = cache.get(article)
    if result is None:
        full = articles.reread(article)
        if full is None:
            return None
        result = analyse_article(full, config, analysers())
        store_result(cache, full, result)
    return result


def store_result(cache: ResultCache, article: Article, result: ArticleResult) -> EncodedResult:
    """The n-gram counts go beside the entry: a rebuild needs them only for corpus totals that changed."""
    encoded = EncodedResult.of(result)
    cache.put_encoded(article, encoded.entry, encoded.counts)
    return encoded


class CorpusCounts:
    """The corpus-wide n-gram sentence counts: the sum of every used article's counts. With a
    cache, the last run's total is the starting point and only articles added since are counted
    in (and ones gone since counted out), so a rebuild does not read every article's counts."""

    def __init__(self, config: Config, cache: ResultCache | None, articles: ArticleStream,
                 analysers: Callable[[], Analysers]) -> None:
        self.config = config
        self.analysers = analysers  # to analyse an article whose counts are damaged
        self.cache = cache
        self.articles = articles  # to read an article whose counts are damaged
        last = cache.load_totals() if cache is not None else None
        self.covered, self.total = last if last is not None else (frozenset(), Counter())
        self.used: list[tuple[Article | KnownArticle, str | None]] = []

    def add(self, article: Article | KnownArticle, result: ArticleResult | None) -> None:
        """A used article: `result` carries its counts if it was analysed this run."""
        key = self.cache.content_keys.get(article.id) if self.cache is not None else None
        self.used.append((article, key))
        if key is None or key not in self.covered:
            self.total.update(self._counts(article, key, result).elements())  # counted in C, not a loop

    def _counts(self, article: Article | KnownArticle, key: str | None, result: ArticleResult | None = None) -> Counter:
        """Fresh results carry their counts; cached ones left them in their cache entry."""
        if result is not None and result.phrases is not None and (key is None or result.phrases.sentence_frequency):
            return result.phrases.sentence_frequency
        found = self.cache.counts(key) if self.cache is not None and key is not None else None
        if found is None:  # damaged or missing counts: analyse the article again
            full = self.articles.reread(article)
            if full is None:
                log.warning("%s: its cached counts are damaged and the file is gone; not counted", article.filename)
                return Counter()
            fresh = analyse_article(full, self.config, self.analysers())
            if self.cache is not None:
                store_result(self.cache, full, fresh)
            found = fresh.phrases.sentence_frequency if fresh.phrases is not None else Counter()
        return found

    def finish(self) -> Counter:
        """The exact total; stored for the next run when there is a cache."""
        used_keys = {key for _, key in self.used}
        gone = self.covered - used_keys
        if gone:
            gone_counts = [self.cache.counts(k) if self.cache is not None else None for k in sorted(gone)]
            if None in gone_counts:  # cannot count them out: count every used article again
                self.total = Counter()
                for article, key in self.used:
                    self.total.update(self._counts(article, key).elements())
            else:
                for counts in gone_counts:
                    self.total.subtract(counts)
        self.total = +self.total  # drop n-grams whose count fell to zero
        if self.cache is not None and None not in used_keys:
            self.cache.save_totals(used_keys, self.total)  # type: ignore[arg-type]
        return self.total


def prepare_sources(seeds: Path, config: Config, jobs: int = 1, progress: Progress | None = None,
                    cache: ResultCache | None = None) -> Corpus:
    return fold_sources(seeds, config, jobs, progress, cache)[0]


def fold_sources(seeds: Path, config: Config, jobs: int = 1, progress: Progress | None = None,
                 cache: ResultCache | None = None) -> tuple[Corpus, CorpusFold]:
    """The corpus, and the fold it was made by: from the stored fold of the first articles,
    when this build's begin with them, and the rest added one by one (see fold.py)."""
    articles = ArticleStream(seeds, cache.load_files() if cache is not None else None)
    reuse = FoldReuse(cache.load_fold() if cache is not None else None)
    analysers = lazy_analysers(config)
    totals = CorpusCounts(config, cache, articles, analysers)
    for index, (article, result) in enumerate(analyse_all(articles, config, jobs, cache, progress, reuse, analysers)):
        fold = reuse.fold  # settled before the first article comes
        assert fold is not None
        key = cache.content_keys.get(article.id) if cache is not None else None
        if result is None:  # the stored fold may hold its part
            assert cache is not None and key is not None
            held = reuse.holds(index, key)
            if held is not None:
                cache.reuse(article)
                if held.is_source:
                    totals.add(article, None)
                continue
            result = cached_result(article, cache, articles, config, analysers)
            if result is None:
                continue
        if fold.add(key, result):
            totals.add(article, result)
    fold = reuse.fold or reuse.settle()  # settled already unless there were no articles
    fold.replay = None  # what it did not take over was added again
    corpus = dataclasses.replace(fold.corpus, sentence_frequency=totals.finish(),
                                 warnings=[*articles.warnings, *fold.corpus.warnings])  # the files' own first
    if cache is not None:
        cache.save_files(articles.records(cache.content_keys))
    return corpus, fold


TopicMembers = dict[str, TopicSentences]  # topic id -> its sentences, scored


def topic_members(sources: list[Source], on_topic: dict[str, tuple[Sentence, ...]],
                  scores: dict[tuple[str, str], tuple[TopicScore, ...]], topic_ids: list[str]) -> TopicMembers:
    """Each topic's sentences with all their topic scores, in corpus order, from one pass over
    the sentences on some topic (`on_topic`, by source id), with what ranking reads of each."""
    return TopicSentences.gather(((s, scores[(s.source_id, s.id)]) for source in sources for s in on_topic[source.id]),
                                 topic_ids)


# Below these shares the articles and the topics are probably not about the same story.
MIN_SOURCES_ON_TOPIC = 0.5
MIN_SENTENCES_ON_TOPIC = 0.05


def story_mismatch(sources: Sequence[Source], on_topic: dict[str, tuple[Sentence, ...]], members: TopicMembers,
                   sentence_count: int) -> list[Warning]:
    """Warnings, with the numbers, when the articles and briefing.yml's topics do not match:
    most articles on no topic, the topics catching almost no sentence, or a topic catching none."""
    found = []
    off = [s.filename for s in sources if not on_topic[s.id]]
    if sources and len(off) > (1 - MIN_SOURCES_ON_TOPIC) * len(sources):
        found.append(Warning("briefing.yml", f"{len(off)} of {len(sources)} articles have no sentence on any topic: "
                                             "are the topics in briefing.yml about these articles?"))
    caught = sum(len(on_topic[s.id]) for s in sources)
    if sentence_count and caught < MIN_SENTENCES_ON_TOPIC * sentence_count:
        found.append(Warning("briefing.yml", f"the topics catch {caught} of {sentence_count} sentences "
                                             f"({100 * caught / sentence_count:.1f} %): are their terms the words "
                                             "these articles use?"))
    for topic_id, sentences in members.items():
        if sources and not sentences:
            found.append(Warning("briefing.yml", f"topic {topic_id!r} catches no sentence of the "
                                                 f"{len(sources)} articles"))
    return found


def by_topic(items: Iterable[T], citation: Callable[[T], Citation],
             scores: dict[tuple[str, str], tuple[TopicScore, ...]]) -> defaultdict[str, list[T]]:
    """Items (figures, quotes) under every topic their cited sentence is on, in corpus order."""
    grouped: defaultdict[str, list[T]] = defaultdict(list)
    for item in items:
        cited = citation(item)
        for found in scores.get((cited.source_id, cited.sentence_id), ()):
            grouped[found.topic_id].append(item)
    return grouped


def keyword_sentences(members: TopicSentences, spun: set[str]) -> list[str]:
    """A topic's sentences for keywords: unspun wording where there is any, so spinner synonyms
    never surface. `spun`: the ids of the spun sources (looked up once, not per sentence; when
    there are none, every sentence is unspun and no source id is read)."""
    unspun = [s.text for s, _ in members if s.source_id not in spun] if spun else []
    return unspun or [s.text for s, _ in members]


def lead_of(points: list[KeyPoint], count: int) -> tuple[KeyPoint, ...]:
    """The most central, best-supported points: the top of the ranking, preferring corroborated ones
    and those that read alone (see KeyPoint.needs_context). A point only spun text makes never
    leads while a clean source has a point: a short lead is better than one in garbled words."""
    clean = [p for p in points if not p.spun_only]
    ordered = sorted((clean or points)[: count * 2],
                     key=lambda p: (p.needs_context, -(p.independent_count > 1), -p.score))
    return tuple(ordered[:count])


def text_digest(sentences: Sequence[Sentence]) -> str:
    """An article's cleaned text, hashed where the article is analysed (in a worker, or cached)."""
    return hashlib.sha256("\n".join(s.text for s in sentences).encode()).hexdigest()


def corpus_fingerprint(sources: list[Source], digests: dict[str, str]) -> str:
    """Changes whenever any used article's file name or cleaned text (`digests`, by source id)
    changes; order-independent."""
    digest = hashlib.sha256()
    for source in sorted(sources, key=lambda s: s.filename):
        digest.update(f"{source.filename}\0{digests[source.id]}\n".encode())
    return digest.hexdigest()


SOURCES_PER_CHUNK = 250  # about 20 ms of source keywords


def sources_of_chunk(sources: list[Source], chunk: int) -> list[Source]:
    return sources[chunk * SOURCES_PER_CHUNK:(chunk + 1) * SOURCES_PER_CHUNK]


# A chunk of sources' keyword phrases (best first), and their page keys if no key point cites them.
KeywordChunk = tuple[list[tuple[str, ...]], list[str]]


def chunked_keywords(corpus: Corpus, config: Config, sentence_count: int, claims: Claims, times: StageTimes,
                     page_keys: PageKeys | None = None) -> dict[int, KeywordChunk]:
    """Keyword phrases (best first) of each chunk of sources this process takes, until none is
    left, and with `page_keys` their page keys as if uncited: the ranking's process and the
    describing one both take chunks once their own work is done (whichever is first takes
    more), so neither waits long for the other. Phrases only: their scores are shown nowhere,
    and without them the describing process's result comes back faster."""
    memo = SourceKeywordMemo()
    found = {}
    with times.stage("source keywords"):
        while (chunk := claims.take()) * SOURCES_PER_CHUNK < len(corpus.sources):
            sources = sources_of_chunk(corpus.sources, chunk)
            phrases = [tuple(k.phrase for k in source_keywords(
                           corpus.phrases[source.id], corpus.sentence_frequency, sentence_count, config.keywords, memo))
                       for source in sources]
            keys = [page_keys.uncited(source.id, kept) for source, kept in zip(sources, phrases, strict=True)] \
                if page_keys is not None else []
            found[chunk] = (phrases, keys)
    return found


def describe_sources(corpus: Corpus, config: Config, members: TopicMembers, sentence_count: int,
                     by_id: dict[str, Source], claims: Claims, keep_tally: bool = False, packed: bool = False,
                     page_keys: PageKeys | None = None) -> SourceDescriptions:
    """The timeline, the players, the figures and quotes, the spellings of each topic, and the
    keywords of the sources `claims` hands it: none needs the topics' ranking, so they are
    computed beside it."""
    own = StageTimes()
    with own.stage("timeline+players"):
        dated, undated, hidden = timeline(corpus.events)
        tally = tally_players(corpus.sources, corpus.scores, config.players, corpus.mentions, corpus.player_tally)
        players = players_of(tally)
    with own.stage("topic figures+quotes"):
        topic_figures = by_topic(corpus.figures, lambda f: f.citation, corpus.scores)
        topic_quotes = by_topic(corpus.quotes, lambda q: q.citations[0], corpus.scores)
        topic_facts = {t.id: gather_facts(topic_figures[t.id], topic_quotes[t.id], by_id, MAX_TOPIC_FIGURES,
                                          MAX_TOPIC_QUOTES) for t in config.topics}
    with own.stage("figures+quotes"):
        facts = gather_facts(corpus.figures, corpus.quotes, by_id, MAX_CORPUS_FIGURES, MAX_CORPUS_QUOTES)
    with own.stage("spellings"):
        names_spelled = spellings(players)
        topic_spellings = {}
        for topic_id, scored in members.items():
            text = " ".join(s.text for s, _ in scored)
            topic_spellings[topic_id] = spellings_in(text, names_spelled)
    descriptions = Descriptions(dated, undated, hidden, players, topic_facts, facts, names_spelled, topic_spellings,
                                tally if keep_tally else None)
    with own.stage("pack descriptions"):
        ready = pickle.dumps(descriptions, protocol=pickle.HIGHEST_PROTOCOL) if packed else descriptions
    keywords = chunked_keywords(corpus, config, sentence_count, claims, own, page_keys)
    return SourceDescriptions(ready, keywords, own.seconds)


def brief_topics(corpus: Corpus, config: Config, members: TopicMembers, by_id: dict[str, Source],
                 sentence_count: int, times: StageTimes, yake_memo: YakeMemo | None = None) -> list[TopicBriefing]:
    """Each topic's key points, keywords and coverage (figures, quotes and spellings are added
    by `brief`); YAKE's keywords of a topic's text come from `yake_memo` when it has them."""
    classifier = Classifier.from_config(config)
    # Only sentences on some topic are ever ranked, so only they need vectors.
    with times.stage("vectors"):
        corpus.count_words()  # of the sentences added since the stored fold's were counted
        sentence_vectors = SentenceVectors(corpus.sentence_rows)
    groups = source_groups([s.id for s in corpus.sources], corpus.copies)
    with times.stage("topic keywords"):
        spun = {s.id for s in corpus.sources if s.is_spun}
        keywords = topic_keywords(
            {t.id: keyword_sentences(members[t.id], spun) for t in config.topics},
            corpus.sentence_frequency, sentence_count, config.keywords, language=config.language,
            spin_phrases=[sig.phrase for sig in config.spin_detection.signatures],
            belongs_elsewhere=classifier.names_other_topic, is_own_term=classifier.names_topic, memo=yake_memo,
        )
    topics = []
    for topic in config.topics:
        with times.stage("rank"):
            points = with_context(rank_topic(topic.id, members[topic.id], sentence_vectors, by_id, config, groups,
                                             features=corpus.features), by_id)
        topics.append(TopicBriefing(
            id=topic.id, title=topic.title, description=topic.description,
            lead=lead_of(points, config.ranking.lead_points),
            key_points=tuple(points), keywords=keywords[topic.id], coverage=coverage(members[topic.id]),
            sentence_count=len(members[topic.id]),
            thin=len(points) < config.ranking.min_key_points_before_thin,
        ))
    return topics


def generate(seeds: Path, config: Config, *, jobs: int = 1, progress: Progress | None = None,
             times: StageTimes | None = None, cache: ResultCache | None = None) -> Briefing:
    """The briefing of the articles in `seeds`: the per-article stages, then the corpus stages
    (`build` runs the two itself, to hand the corpus back instead of freeing it)."""
    times = times or StageTimes()
    corpus, _ = analyse_corpus(seeds, config, jobs=jobs, progress=progress, times=times, cache=cache)
    return brief(corpus, config, jobs=jobs, times=times)


def analyse_corpus(seeds: Path, config: Config, *, jobs: int, progress: Progress | None, times: StageTimes,
                   cache: ResultCache | None) -> tuple[Corpus, CorpusFold]:
    """The per-article stages, and the cache's unused entries dropped."""
    try:
        with times.stage("ingest+analyse"):
            corpus, fold = fold_sources(seeds, config, jobs, progress, cache)
        if cache:
            pruned = cache.prune()
            log.info("cache: %d articles reused, %d analysed, %d stale entries removed",
                     cache.hits, cache.misses, pruned)
    finally:
        if cache:
            cache.close()  # also when the analysis failed: what it stored is read by the next run
    return corpus, fold


@contextmanager
def pages_placed(store: PageStore | None, folder: Path, jobs: int,
                 published: Path | None = None) -> Iterator[Callable[[], dict[str, str]]]:
    """The last build's source pages put into `folder` beside the loading of the corpus, where
    a core is idle; yields the function that waits for them and gives which were put (source id
    -> page key). `published`: the live docs/sources, whose pages are linked where they are
    byte for byte the store's (see PageStore.place_pages). With one job, no cache, or no record
    of the last build's pages (a first build), none are, and no process is forked."""
    keys = store.placed_before() if store is not None and jobs > 1 else {}
    if store is None or not keys:
        yield dict
        return
    with beside(functools.partial(store.place_pages, str(folder), keys,
                                  str(published) if published is not None else None), jobs) as placed:
        yield placed


@contextmanager
def fold_stored(cache: ResultCache | None, fold: CorpusFold, jobs: int) -> Iterator[None]:
    """Store the fold for the next build, if it would gain by it, beside the rest of this one
    (pickling it takes about two seconds at 10,000 articles); a failure to store it is only logged."""
    if cache is None or not fold.worth_storing():
        yield
        return
    with beside(lambda: cache.save_fold(fold.keys, fold.dump_parts()), jobs) as stored:
        yield
        try:
            stored()
        except OSError as error:
            log.warning("%s: the corpus could not be kept for the next build (%s)", cache.folder, error)


def brief(corpus: Corpus, config: Config, *, jobs: int, times: StageTimes, keep_tally: bool = False) -> Briefing:
    """The corpus stages: what the sources say, topic by topic, and about the corpus as a whole.
    With `keep_tally`, the corpus keeps the players' tally of all its sources (for the fold)."""
    return brief_with_page_keys(corpus, config, jobs=jobs, times=times, keep_tally=keep_tally)[0]


def brief_with_page_keys(corpus: Corpus, config: Config, *, jobs: int, times: StageTimes, keep_tally: bool = False,
                         page_keys: PageKeys | None = None,
                         yake_memo: YakeMemo | None = None) -> tuple[Briefing, dict[str, str]]:
    """`brief`, and with `page_keys` the page keys of the sources as if no key point cited them
    (see PageKeys), made with their keywords; with `yake_memo`, YAKE is run only on topic texts
    it has not seen."""
    sources, warnings, scores = corpus.sources, corpus.warnings, corpus.scores
    by_id = {s.id: s for s in sources}
    for source in sources:
        if not corpus.on_topic[source.id]:
            warnings.append(Warning(source.filename, "not a single sentence on any topic"))
    sentence_count = sum(source.sentence_count for source in sources)
    # Both processes need each topic's sentences: found once, before the describing one is forked.
    members = topic_members(sources, corpus.on_topic, scores, [t.id for t in config.topics])
    warnings += story_mismatch(sources, corpus.on_topic, members, sentence_count)
    claims = Claims()
    with beside(lambda: describe_sources(corpus, config, members, sentence_count, by_id, claims, keep_tally,
                                         packed=jobs > 1, page_keys=page_keys), jobs) as described:
        topics = brief_topics(corpus, config, members, by_id, sentence_count, times, yake_memo)
        chunks = chunked_keywords(corpus, config, sentence_count, claims, times, page_keys)
        described_sources = described()
    times.add(described_sources.seconds)
    with times.stage("unpack descriptions"):
        descriptions = described_sources.unpacked()
    if keep_tally:
        corpus.player_tally = descriptions.player_tally
    chunks.update(described_sources.keywords)
    per_source: dict[str, tuple[str, ...]] = {}
    uncited: dict[str, str] = {}
    for chunk in sorted(chunks):
        phrases, keys = chunks[chunk]
        chunk_sources = sources_of_chunk(sources, chunk)
        per_source.update(zip((s.id for s in chunk_sources), phrases, strict=True))
        uncited.update(zip((s.id for s in chunk_sources), keys, strict=page_keys is not None))
    for i, topic in enumerate(topics):
        topics[i] = dataclasses.replace(topic, spellings=descriptions.topic_spellings[topic.id],
                                        **descriptions.topic_facts[topic.id].fields())
    briefing = Briefing(title=config.title, description=config.description, sources=tuple(sources),
                        topics=tuple(topics), source_keywords=per_source, warnings=tuple(warnings),
                        timeline=descriptions.dated, undated=descriptions.undated,
                        timeline_hidden=descriptions.hidden, players=descriptions.players,
                        fingerprint=corpus_fingerprint(sources, corpus.digests), on_topic=len(scores),
                        copies=tuple(corpus.copies), spellings=descriptions.spellings,
                        **descriptions.facts.fields())
    briefing = dataclasses.replace(briefing, what_happened=what_happened(briefing))
    return briefing, uncited


def build(seeds: Path, docs: Path, config_path: Path, *, site: Path | None = None,
          mkdocs_yml: Path | None = None, strict: bool = False, jobs: int = 1,
          progress: Progress | None = None, times: StageTimes | None = None,
          cache_dir: Path | None = None, editions: Path | None = None) -> BuildResult:
    """Generate `docs/` (and `site/` when asked) from the seeds; on any failure both stay as they were.
    With `editions`, a folder where the last editions are kept: pages mark what changed since.
    The phases: read the articles into a corpus, describe it, write docs/, make site/, swap them in."""
    for line in clean_leftovers([docs] if site is None else [docs, site]):
        log.warning("%s", line)
    with full_collections_paused(), staging(docs) as tmp, \
            (staging(site) if site is not None else nullcontext(tmp)) as site_tmp:
        times = times or StageTimes()
        config = load_config(config_path)
        cache = ResultCache(cache_dir, config) if cache_dir else None
        store = PageStore(cache.folder / "pages", cache.salt, cache.store) if cache is not None else None
        new_docs = tmp / "docs"
        with collector_off():
            corpus, fold, placed = read_articles(seeds, config, cache, store, new_docs, docs, jobs, progress, times)
            briefing, pages_of = describe(corpus, fold, config, cache, store, jobs, times)
        report_warnings(briefing, strict)
        edition, changes = editions_of(briefing, editions)
        with fold_stored(cache, fold, jobs):  # beside the rest of the build
            pages = write_docs(briefing, config, cache, store, pages_of, placed, new_docs, jobs, times, changes)
            swaps = [(new_docs, docs)]
            if site is not None:
                new_site = site_tmp / "site"  # staged beside site/: a rename cannot cross filesystems
                with times.stage("mkdocs"):
                    build_site(mkdocs_yml or Path("mkdocs.yml"), new_docs, new_site)
                swaps.insert(0, (new_site, site))
            swap_all(swaps, docs.absolute().parent)
        if editions is not None and edition is not None:
            keep_edition(editions, edition)
        return BuildResult(briefing, pages, corpus)


def read_articles(seeds: Path, config: Config, cache: ResultCache | None, store: PageStore | None, new_docs: Path,
                  docs: Path, jobs: int, progress: Progress | None,
                  times: StageTimes) -> tuple[Corpus, CorpusFold, dict[str, str]]:
    """The corpus and the fold it was made by; beside them, the last build's source pages put
    into the new docs/ (which were put: source id -> page key)."""
    with pages_placed(store, new_docs / "sources", jobs, docs / "sources") as placing:
        corpus, fold = analyse_corpus(seeds, config, jobs=jobs, progress=progress, times=times, cache=cache)
        placed = placing()  # done long since; its process ends here, before any other is forked
    if not corpus.sources:
        reasons = "; ".join(sorted({f"{w.filename}: {w.reason}" for w in corpus.warnings})[:5])
        raise SeedsError(f"{seeds}: no readable article, nothing to publish ({reasons})")
    return corpus, fold, placed


@dataclass(frozen=True)
class PagesOf:
    """What writing docs/ needs to reuse stored source pages: their keys, and the keys as if no
    key point cited them (see PageKeys)."""

    keys: PageKeys
    uncited: dict[str, str]


def describe(corpus: Corpus, fold: CorpusFold, config: Config, cache: ResultCache | None, store: PageStore | None,
             jobs: int, times: StageTimes) -> tuple[Briefing, PagesOf | None]:
    """The briefing; with a cache, YAKE runs only on topic texts it has not seen, and the fold
    keeps the players' tally when it is to be stored."""
    page_keys = PageKeys(store, corpus.sources, corpus.copies, cache.content_keys) \
        if store is not None and cache is not None else None
    yake_memo = YakeMemo(cache.load_keyword_memo()) if cache is not None else None
    briefing, uncited = brief_with_page_keys(corpus, config, jobs=jobs, times=times,
                                             keep_tally=fold.worth_storing(), page_keys=page_keys,
                                             yake_memo=yake_memo)
    if cache is not None and yake_memo is not None and yake_memo.used != yake_memo.stored:
        cache.save_keyword_memo(yake_memo.used)
    fold.corpus.player_tally = corpus.player_tally
    return briefing, PagesOf(page_keys, uncited) if page_keys is not None else None


def report_warnings(briefing: Briefing, strict: bool) -> None:
    for w in briefing.warnings:
        log.warning("%s: %s", w.filename, w.reason)
    if strict and briefing.warnings:
        raise StrictModeError(f"{len(briefing.warnings)} warnings and --strict was given")


def write_docs(briefing: Briefing, config: Config, cache: ResultCache | None, store: PageStore | None,
               pages_of: PagesOf | None, placed: dict[str, str], new_docs: Path, jobs: int, times: StageTimes,
               changes: Changes | None) -> int:
    """Every file of docs/; how many. The end of briefing.json is made beside, while this process
    works out which source pages are stored already, links them and renders the rest."""
    with json_tail_beside(briefing, jobs) as json_tail:
        stored = None
        if store is not None and pages_of is not None:
            stored = StoredPages(store, EntryPack(store.folder, store.salt, store.values),
                                 pages_of.keys.finish(briefing, pages_of.uncited), placed)
        with times.stage("render+write"):
            pages = write_tree(iter_pages(briefing, config, stored, jobs, json_tail,
                                          cache.folder / "templates" if cache is not None else None,
                                          changes), new_docs)
            if stored is not None:
                stored.remove_unlisted(new_docs / "sources")
                stored.save_entries(new_docs / "briefing.json")
        if stored is not None:
            log.info("pages: %d source pages rendered, %d reused from earlier builds; %d stale files removed",
                     stored.rendered, len(briefing.sources) - stored.rendered, stored.store.prune())
    return pages


def editions_of(briefing: Briefing, folder: Path | None) -> tuple[dict[str, Any] | None, Changes | None]:
    """This edition's record and what changed since the previous one, when editions are kept."""
    if folder is None:
        return None, None
    edition = snapshot(briefing, built_text(), labels_of(briefing.sources))
    return edition, compare(edition, previous_edition(folder, edition))
