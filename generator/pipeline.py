"""The build, read top to bottom as its list of stages.

ingest -> clean -> segment -> classify -> rank -> keywords -> (timeline, players) -> render. Every stage but
ingest and render is a pure function of its inputs; state lives only in the locals of
one run, so two runs never influence each other.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .classify import Classifier, classify
from .clean import clean, detect_spin, language_problem
from .config import Config, load_config
from .ingest import ingest
from .keywords import sentence_frequency, source_keywords, topic_keywords
from .model import Briefing, KeyPoint, Sentence, Source, TopicBriefing, TopicScore, Warning
from .players import count_players
from .rank import coverage, rank_topic, vectors
from .render import build_site, render_pages, staging, swap_in, write_tree
from .segment import segment, to_source
from .timeline import timeline

log = logging.getLogger("generator")


class StrictModeError(Exception):
    """Warnings were raised and the build was asked to treat them as errors."""


@dataclass(frozen=True)
class BuildResult:
    briefing: Briefing
    pages: int


def sentence_fingerprint(text: str) -> str:
    return hashlib.sha1(" ".join(re.findall(r"\w+", text.lower())).encode()).hexdigest()


def duplicate_of(sentences: tuple[Sentence, ...], seen: dict[str, str], threshold: float = 0.8) -> str | None:
    """The earlier source sharing at least `threshold` of these sentences; one lookup per sentence."""
    shared = Counter(seen[f] for f in {sentence_fingerprint(s.text) for s in sentences} if f in seen)
    if shared:
        source_id, count = min(shared.items(), key=lambda kv: (-kv[1], kv[0]))
        if count >= threshold * len(sentences):
            return source_id
    return None


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


def prepare_sources(seeds: Path, config: Config) -> tuple[list[Source], list[Warning]]:
    ingested = ingest(seeds)
    warnings = list(ingested.warnings)
    sources = []
    seen: dict[str, str] = {}
    for article in ingested.articles:
        cleaned = clean(article)
        warnings += input_shape_warnings(article.filename, article.text, cleaned.removed)
        sentences = segment(cleaned)
        if not sentences:
            warnings.append(Warning(article.filename, "no sentences left after cleaning; skipped"))
            continue
        original = duplicate_of(sentences, seen)
        if original:
            warnings.append(Warning(article.filename, f"exact or near duplicate of source {original!r}; skipped"))
            continue
        for s in sentences:
            seen.setdefault(sentence_fingerprint(s.text), article.id)
        problem = language_problem(cleaned.blocks, config.language)
        if problem:
            warnings.append(Warning(article.filename, problem))
        evidence = detect_spin(cleaned.blocks, config.spin_detection)
        sources.append(to_source(cleaned, sentences, spin_evidence=evidence, flags=("spun",) if evidence else ()))
    return sources, warnings


def topic_members(sources: list[Source], scores: dict[tuple[str, str], tuple[TopicScore, ...]],
                  topic_id: str) -> list[tuple[Sentence, tuple[TopicScore, ...]]]:
    return [
        (s, scores[(s.source_id, s.id)])
        for source in sources for s in source.sentences
        if any(t.topic_id == topic_id for t in scores.get((s.source_id, s.id), ()))
    ]


def keyword_sentences(members: list[tuple[Sentence, tuple[TopicScore, ...]]], by_id: dict[str, Source]) -> list[str]:
    """A topic's sentences for keywords: unspun wording where there is any, so spinner synonyms never surface."""
    unspun = [s.text for s, _ in members if not by_id[s.source_id].is_spun]
    return unspun or [s.text for s, _ in members]


def lead_of(points: list[KeyPoint], count: int) -> tuple[KeyPoint, ...]:
    """The most central, best-supported points: the top of the ranking, preferring corroborated ones."""
    ordered = sorted(points[: max(count * 2, count)], key=lambda p: (-(p.source_count > 1), -p.score))
    return tuple(ordered[:count])


def corpus_fingerprint(sources: list[Source]) -> str:
    """Changes whenever any used article's file name or cleaned text changes; order-independent."""
    digest = hashlib.sha256()
    for source in sorted(sources, key=lambda s: s.filename):
        text = "\n".join(s.text for s in source.sentences)
        digest.update(f"{source.filename}\0{hashlib.sha256(text.encode()).hexdigest()}\n".encode())
    return digest.hexdigest()


def generate(seeds: Path, config: Config) -> Briefing:
    sources, warnings = prepare_sources(seeds, config)
    by_id = {s.id: s for s in sources}
    all_sentences = tuple(s for source in sources for s in source.sentences)
    classifier = Classifier(config.topics, config.equivalents, config.classification)
    scores = classify(all_sentences, classifier)
    on_topic = {key[0] for key in scores}
    for source in sources:
        if source.id not in on_topic:
            warnings.append(Warning(source.filename, "not a single sentence on any topic"))
    sentence_vectors = vectors(all_sentences, config)
    spin_phrases = [sig.phrase for sig in config.spin_detection.signatures]

    members = {t.id: topic_members(sources, scores, t.id) for t in config.topics}
    corpus_df = sentence_frequency((s.text for s in all_sentences), config.keywords.max_ngram)
    keywords = topic_keywords(
        {t.id: keyword_sentences(members[t.id], by_id) for t in config.topics},
        corpus_df, len(all_sentences), config.keywords, language=config.language, spin_phrases=spin_phrases,
        belongs_elsewhere=classifier.names_other_topic,
    )
    topics = []
    for topic in config.topics:
        points = rank_topic(topic.id, members[topic.id], sentence_vectors, by_id, config)
        topics.append(TopicBriefing(
            id=topic.id, title=topic.title, description=topic.description,
            lead=lead_of(points, config.ranking.lead_points),
            key_points=tuple(points), keywords=keywords[topic.id], coverage=coverage(members[topic.id]),
            sentence_count=len(members[topic.id]),
            thin=len(points) < config.ranking.min_key_points_before_thin,
        ))
    per_source = {
        source.id: source_keywords([s.text for s in source.sentences], corpus_df, len(all_sentences),
                                   config.keywords, spin_phrases=spin_phrases, spun=source.is_spun)
        for source in sources
    }
    dated, undated = timeline(sources)
    return Briefing(title=config.title, description=config.description, sources=tuple(sources),
                    topics=tuple(topics), source_keywords=per_source, warnings=tuple(warnings),
                    timeline=dated, undated=undated, players=count_players(sources, scores, config.players),
                    fingerprint=corpus_fingerprint(sources), on_topic=len(scores))


def build(seeds: Path, docs: Path, config_path: Path, *, site: Path | None = None,
          mkdocs_yml: Path | None = None, strict: bool = False) -> BuildResult:
    """Generate `docs/` (and `site/` when asked) from the seeds; on any failure both stay as they were."""
    config = load_config(config_path)
    briefing = generate(seeds, config)
    for w in briefing.warnings:
        log.warning("%s: %s", w.filename, w.reason)
    if strict and briefing.warnings:
        raise StrictModeError(f"{len(briefing.warnings)} warnings and --strict was given")
    pages = render_pages(briefing, config)
    with staging(docs) as tmp:
        new_docs = tmp / "docs"
        write_tree(pages, new_docs)
        if site is not None:
            new_site = tmp / "site"
            build_site(mkdocs_yml or Path("mkdocs.yml"), new_docs, new_site)
            swap_in(new_site, site)
        swap_in(new_docs, docs)
    return BuildResult(briefing, len(pages))
