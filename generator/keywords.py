"""Keywords for topics and sources.

YAKE proposes candidate phrases; this module keeps the ones distinctive for a topic
(more frequent in its text than in the rest of the corpus, not shared by most topics),
drops overlapping near-duplicates and anything a synonym spinner introduced, and only
lets through phrases made of letters, digits, spaces, hyphens and apostrophes, because
keywords become Material tags and must never carry markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import yake

from .config import Keywords as KeywordSettings
from .model import Keyword
from .rank import STOPWORDS

SAFE_PHRASE = re.compile(r"^[^\W\d_][\w'’ -]{0,58}[\w]$")


def yake_keywords(text: str, *, language: str, max_ngram: int, top: int) -> list[Keyword]:
    """The one place YAKE is called. YAKE's score is lower-is-better; ours is higher-is-better."""
    if not text.strip():
        return []
    extractor = yake.KeywordExtractor(lan=language, n=max_ngram, dedup_lim=0.7, dedup_func="seqm",
                                      window_size=1, top=top)
    result = []
    for phrase, score in extractor.extract_keywords(text):
        result.append(Keyword(phrase=" ".join(phrase.split()), score=round(1.0 / (1.0 + float(score)), 6)))
    return result


def content_words(phrase: str) -> set[str]:
    words = {w.strip("'’-") for w in phrase.lower().split()}
    return {w[:-1] if len(w) > 4 and w.endswith("s") else w for w in words if w and w not in STOPWORDS}


def count_phrase(phrase: str, text_lower: str) -> int:
    return len(re.findall(rf"(?<!\w){re.escape(phrase.lower())}(?!\w)", text_lower))


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


def topic_keywords(
    topic_texts: dict[str, str],
    corpus_text: str,
    settings: KeywordSettings,
    *,
    language: str,
    spin_phrases: Iterable[str],
) -> dict[str, tuple[Keyword, ...]]:
    """Per topic, the phrases that set its text apart from the rest of the corpus."""
    spin_phrases = tuple(spin_phrases)
    corpus_lower = corpus_text.lower()
    corpus_words = max(1, len(corpus_lower.split()))
    candidates: dict[str, list[Keyword]] = {}
    for topic_id, text in sorted(topic_texts.items()):
        found = yake_keywords(text, language=language, max_ngram=settings.max_ngram, top=settings.candidates)
        candidates[topic_id] = [k for k in found if is_safe(k.phrase) and not is_spun(k.phrase, spin_phrases)]
    sharing: dict[str, int] = {}
    for found in candidates.values():
        for phrase in {k.phrase.lower() for k in found}:
            sharing[phrase] = sharing.get(phrase, 0) + 1

    result = {}
    for topic_id, found in candidates.items():
        text_lower = topic_texts[topic_id].lower()
        topic_words = max(1, len(text_lower.split()))
        rest_words = max(1, corpus_words - topic_words)
        scored = []
        for kw in found:
            if sharing[kw.phrase.lower()] > settings.max_topics_sharing:
                continue
            in_topic = count_phrase(kw.phrase, text_lower)
            in_rest = max(0, count_phrase(kw.phrase, corpus_lower) - in_topic)
            lift = (in_topic / topic_words) / ((in_rest + 0.5) / rest_words)
            if in_topic == 0 or lift < settings.min_lift:
                continue
            scored.append(Keyword(kw.phrase, round(kw.score * min(lift, 10.0), 6)))
        scored.sort(key=lambda k: (-k.score, k.phrase))
        result[topic_id] = tuple(drop_overlaps(scored, settings.per_topic))
    return result


def source_keywords(text: str, settings: KeywordSettings, *, language: str,
                    spin_phrases: Iterable[str]) -> tuple[Keyword, ...]:
    found = yake_keywords(text, language=language, max_ngram=settings.max_ngram, top=settings.candidates)
    spin_phrases = tuple(spin_phrases)
    usable = [k for k in found if is_safe(k.phrase) and not is_spun(k.phrase, spin_phrases)]
    return tuple(drop_overlaps(usable, settings.per_source))
