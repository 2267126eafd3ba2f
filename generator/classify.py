"""Score every sentence against every topic's terms.

Matching is on a sentence's own words plus its section heading (at a lower weight), after
undoing known spinner substitutions, so "army workouts" counts as "military exercises".
The shown text is never changed; normalisation is for matching only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .config import Classification, Topic
from .model import Sentence, TopicScore


@dataclass(frozen=True)
class TermMatcher:
    term: str
    weight: float
    pattern: re.Pattern[str]
    case_sensitive: bool


def term_pattern(term: str) -> tuple[re.Pattern[str], bool]:
    case_sensitive = any(c.isupper() for c in term)
    prefix = term.endswith("*")
    body = re.escape(term.rstrip("*").strip())
    body = body.replace(r"\ ", r"\s+")
    if prefix:
        body += r"[\w'’-]*"
    elif body[-1:].isalpha():
        body += r"(?:s|es)?"
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.compile(rf"(?<![\w]){body}(?![\w])", flags), case_sensitive


def compile_topic(topic: Topic) -> tuple[TermMatcher, ...]:
    matchers = []
    for term in sorted(topic.terms):
        pattern, case_sensitive = term_pattern(term)
        matchers.append(TermMatcher(term, topic.terms[term], pattern, case_sensitive))
    return tuple(matchers)


def equivalents_pattern(equivalents: dict[str, str]) -> re.Pattern[str] | None:
    if not equivalents:
        return None
    phrases = sorted(equivalents, key=lambda p: (-len(p), p))
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(p) for p in phrases) + r")(?![\w-])", re.IGNORECASE)


def normalise(text: str, equivalents: dict[str, str], pattern: re.Pattern[str] | None) -> str:
    """Undo spinner substitutions for matching; case is kept for case-sensitive terms."""
    if pattern is None:
        return text
    lookup = {k.lower(): v for k, v in equivalents.items()}
    return pattern.sub(lambda m: lookup[m.group(1).lower()], text)


class Classifier:
    """Compiled topic matchers; built once per run, holds no state between runs."""

    def __init__(self, topics: list[Topic], equivalents: dict[str, str], settings: Classification) -> None:
        self.topics = tuple((t.id, compile_topic(t)) for t in topics)
        self.equivalents = equivalents
        self.equivalents_re = equivalents_pattern(equivalents)
        self.settings = settings

    def _matches(self, matchers: tuple[TermMatcher, ...], text: str) -> tuple[float, list[str]]:
        score, matched = 0.0, []
        for m in matchers:
            if m.pattern.search(text):
                score += m.weight
                matched.append(m.term)
        return score, matched

    def names_other_topic(self, topic_id: str, phrase: str) -> bool:
        """True if the phrase matches another topic's terms and none of this topic's."""
        text = normalise(phrase, self.equivalents, self.equivalents_re)
        own = any(m.pattern.search(text) for tid, ms in self.topics if tid == topic_id for m in ms)
        other = any(m.pattern.search(text) for tid, ms in self.topics if tid != topic_id for m in ms)
        return other and not own

    def scores(self, sentence: Sentence) -> tuple[TopicScore, ...]:
        """All topics the sentence belongs to, strongest first."""
        text = normalise(sentence.text, self.equivalents, self.equivalents_re)
        heading = normalise(sentence.section or "", self.equivalents, self.equivalents_re)
        result = []
        for topic_id, matchers in self.topics:
            own, matched = self._matches(matchers, text)
            from_heading, _ = self._matches(matchers, heading) if heading else (0.0, [])
            score = own + self.settings.heading_weight * from_heading
            if own > 0 and score >= self.settings.min_score:
                result.append(TopicScore(topic_id, round(score, 6), tuple(matched)))
        return tuple(sorted(result, key=lambda s: (-s.score, s.topic_id)))


def classify(sentences: tuple[Sentence, ...], classifier: Classifier) -> dict[tuple[str, str], tuple[TopicScore, ...]]:
    """Topic scores keyed by (source id, sentence id); sentences on no topic are absent."""
    result = {}
    for sentence in sentences:
        scores = classifier.scores(sentence)
        if scores:
            result[(sentence.source_id, sentence.id)] = scores
    return result
