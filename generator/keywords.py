"""Keywords for topics and sources.

YAKE proposes candidate phrases; this module keeps the ones distinctive for a topic
(more frequent in its text than in the rest of the corpus, not shared by most topics),
drops overlapping near-duplicates and anything a synonym spinner introduced, and only
lets through phrases made of letters, digits, spaces, hyphens and apostrophes, because
keywords become Material tags and must never carry markup.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable

import yake

from .config import Keywords as KeywordSettings
from .model import Keyword
from .rank import STOPWORDS

# YAKE reads about 50 KB a second; a topic's or a source's first 100 KB of distinct
# sentences say what it is about as well as all of it does.
MAX_YAKE_CHARS = 100_000
SAFE_PHRASE = re.compile(r"^[^\W\d_][\w'’ -]{0,58}[\w]$")


def yake_keywords(text: str, *, language: str, max_ngram: int, top: int) -> list[Keyword]:
    """The one place YAKE is called. YAKE's score is lower-is-better; ours is higher-is-better."""
    if not text.strip():
        return []
    if len(text) > MAX_YAKE_CHARS:
        text = text[: text.rfind(" ", 0, MAX_YAKE_CHARS) + 1 or MAX_YAKE_CHARS]
    extractor = yake.KeywordExtractor(lan=language, n=max_ngram, dedup_lim=0.7, dedup_func="seqm",
                                      window_size=1, top=top)
    result = []
    for phrase, score in extractor.extract_keywords(text):
        result.append(Keyword(phrase=" ".join(phrase.split()), score=round(1.0 / (1.0 + float(score)), 6)))
    return result


def content_words(phrase: str) -> set[str]:
    words = {w.strip("'’-") for w in phrase.lower().split()}
    return {w[:-1] if len(w) > 4 and w.endswith("s") else w for w in words if w and w not in STOPWORDS}


def is_safe(phrase: str) -> bool:
    return bool(SAFE_PHRASE.match(phrase)) and len(phrase.split()) <= 4


def is_spun(phrase: str, spin_phrases: Iterable[str]) -> bool:
    lowered = f" {phrase.lower()} "
    return any(f" {p.lower()} " in lowered for p in spin_phrases)


def drop_overlaps(keywords: list[Keyword], limit: int) -> list[Keyword]:
    """Keep the better of two phrases that share most of their words."""
    kept: list[Keyword] = []
    for kw in keywords:
        words = content_words(kw.phrase)
        if not words:
            continue
        overlapping = any(len(words & content_words(k.phrase)) / min(len(words), len(content_words(k.phrase))) >= 0.5
                          for k in kept)
        if not overlapping:
            kept.append(kw)
        if len(kept) == limit:
            break
    return kept


def contrast(phrase: str, target: list[str], rest: list[str]) -> tuple[int, float]:
    """(target sentences containing the phrase, how much likelier it is there than in the rest)."""
    pattern = re.compile(rf"(?<!\w){re.escape(phrase.lower())}(?!\w)")
    in_target = sum(1 for s in target if pattern.search(s))
    in_rest = sum(1 for s in rest if pattern.search(s))
    lift = (in_target / max(1, len(target))) / ((in_rest + 0.5) / (len(rest) + 1))
    return in_target, lift


def distinctive(candidates: list[Keyword], target: list[str], rest: list[str], settings: KeywordSettings,
                limit: int) -> tuple[Keyword, ...]:
    """Candidates that occur in several target sentences and are clearly likelier there than elsewhere."""
    target = list(dict.fromkeys(s.lower() for s in target))
    rest = list(dict.fromkeys(s.lower() for s in rest))
    min_sentences = 2 if len(target) >= 6 else 1
    scored = []
    for kw in candidates:
        in_target, lift = contrast(kw.phrase, target, rest)
        common_word = " " not in kw.phrase and kw.phrase.islower()
        # A lone common word must stand out twice as clearly as a phrase or a name.
        if in_target < min_sentences or lift < settings.min_lift * (2 if common_word else 1):
            continue
        score = kw.score * math.log1p(in_target) * math.log1p(min(lift, 20.0))
        if common_word:
            score *= 0.5
        scored.append(Keyword(kw.phrase, round(score, 6)))
    scored.sort(key=lambda k: (-k.score, k.phrase.lower()))
    return tuple(drop_overlaps(scored, limit))


def usable(found: list[Keyword], spin_phrases: tuple[str, ...]) -> list[Keyword]:
    return [k for k in found if is_safe(k.phrase) and not is_spun(k.phrase, spin_phrases)]


def topic_keywords(
    topic_sentences: dict[str, list[str]],
    corpus_sentences: list[str],
    settings: KeywordSettings,
    *,
    language: str,
    spin_phrases: Iterable[str],
    belongs_elsewhere: Callable[[str, str], bool] = lambda topic_id, phrase: False,
) -> dict[str, tuple[Keyword, ...]]:
    """Per topic, the phrases that set its sentences apart from the rest of the corpus.

    `belongs_elsewhere(topic_id, phrase)` vetoes a phrase that names another topic's subject
    (a "military" keyword on the finance page misleads even if it is frequent there).
    """
    spin_phrases = tuple(spin_phrases)
    candidates = {
        topic_id: usable(yake_keywords(" ".join(dict.fromkeys(sentences)), language=language,
                                       max_ngram=settings.max_ngram, top=settings.candidates), spin_phrases)
        for topic_id, sentences in sorted(topic_sentences.items())
    }
    sharing: dict[str, int] = {}
    for found in candidates.values():
        for phrase in {k.phrase.lower() for k in found}:
            sharing[phrase] = sharing.get(phrase, 0) + 1
    result = {}
    for topic_id, found in candidates.items():
        members = set(topic_sentences[topic_id])
        rest = [s for s in corpus_sentences if s not in members]
        specific = [k for k in found if sharing[k.phrase.lower()] <= settings.max_topics_sharing
                    and not belongs_elsewhere(topic_id, k.phrase)]
        result[topic_id] = distinctive(specific, topic_sentences[topic_id], rest, settings, settings.per_topic)
    return result


def is_name(phrase: str) -> bool:
    return all(w[:1].isupper() or w.lower() in STOPWORDS for w in phrase.split())


def source_keywords(sentences: list[str], other_sentences: list[str], settings: KeywordSettings, *,
                    language: str, spin_phrases: Iterable[str], spun: bool = False) -> tuple[Keyword, ...]:
    """What this source talks about more than the others do.

    A spinner swaps common words but leaves names alone, so a spun source keeps only names.
    """
    found = usable(yake_keywords(" ".join(dict.fromkeys(sentences)), language=language,
                                 max_ngram=settings.max_ngram, top=settings.candidates), tuple(spin_phrases))
    if spun:
        found = [k for k in found if is_name(k.phrase)]
    return distinctive(found, sentences, other_sentences, settings, settings.per_source)
