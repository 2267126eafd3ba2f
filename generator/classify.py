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
    first_word: re.Pattern[str]


TOKEN = re.compile(r"\w[\w'’.-]*")
TOKEN_PARTS = re.compile(r"[-'’]")


def first_word_pattern(term: str) -> re.Pattern[str]:
    """Matches a single token that could begin a match of the term (used to skip hopeless terms)."""
    case_sensitive = any(c.isupper() for c in term)
    words = term.rstrip("*").split()
    body = re.escape(words[0])
    if len(words) == 1 and term.endswith("*"):
        body += r"[\w'’-]*"
    elif len(words) == 1 and body[-1:].isalpha():
        body += r"(?:s|es)?"
    return re.compile(body, 0 if case_sensitive else re.IGNORECASE)


def token_variants(text: str) -> set[str]:
    """Every way a term's first word can stand in the text: whole tokens, without a final
    period, and the pieces between hyphens and apostrophes ("Iran-Russia", "Russia’s")."""
    variants: set[str] = set()
    for token in TOKEN.findall(text):
        variants.add(token)
        stripped = token.rstrip(".")
        variants.add(stripped)
        variants.update(p for p in TOKEN_PARTS.split(stripped) if p)
    return variants


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
        matchers.append(TermMatcher(term, topic.terms[term], pattern, case_sensitive, first_word_pattern(term)))
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
    """Compiled topic matchers; built once per run and owned by it, so no state leaks between runs.

    Searching every term in every sentence is the cost of a large corpus; a term is only
    searched when its first word is one of the sentence's tokens (a per-run cache maps
    tokens to the terms they can start), which gives the same matches far faster.
    """

    def __init__(self, topics: list[Topic], equivalents: dict[str, str], settings: Classification) -> None:
        self.topics = tuple((t.id, compile_topic(t)) for t in topics)
        self.equivalents = equivalents
        self.equivalents_re = equivalents_pattern(equivalents)
        self.settings = settings
        self._starts: dict[str, frozenset[str]] = {}
        self._headings: dict[str, dict[str, float]] = {}
        self._all_terms = [m for _, ms in self.topics for m in ms]

    def _possible_terms(self, text: str) -> set[str]:
        possible: set[str] = set()
        for token in token_variants(text):
            terms = self._starts.get(token)
            if terms is None:
                terms = frozenset(m.term for m in self._all_terms if m.first_word.fullmatch(token))
                self._starts[token] = terms
            possible |= terms
        return possible

    def _matches(self, matchers: tuple[TermMatcher, ...], text: str,
                 possible: set[str] | None = None) -> tuple[float, list[str]]:
        score, matched = 0.0, []
        for m in matchers:
            if (possible is None or m.term in possible) and m.pattern.search(text):
                score += m.weight
                matched.append(m.term)
        return score, matched

    def names_other_topic(self, topic_id: str, phrase: str) -> bool:
        """True if the phrase matches another topic's terms and none of this topic's."""
        text = normalise(phrase, self.equivalents, self.equivalents_re)
        own = any(m.pattern.search(text) for tid, ms in self.topics if tid == topic_id for m in ms)
        other = any(m.pattern.search(text) for tid, ms in self.topics if tid != topic_id for m in ms)
        return other and not own

    def _heading_scores(self, section: str | None) -> dict[str, float]:
        """Term weight per topic found in a section heading; every sentence under it asks, so it is memoised."""
        if not section:
            return {}
        cached = self._headings.get(section)
        if cached is None:
            heading = normalise(section, self.equivalents, self.equivalents_re)
            possible = self._possible_terms(heading)
            cached = {topic_id: self._matches(matchers, heading, possible)[0] for topic_id, matchers in self.topics}
            self._headings[section] = cached
        return cached

    def scores(self, sentence: Sentence) -> tuple[TopicScore, ...]:
        """All topics the sentence belongs to, strongest first."""
        text = normalise(sentence.text, self.equivalents, self.equivalents_re)
        possible = self._possible_terms(text)
        from_headings = self._heading_scores(sentence.section)
        result = []
        for topic_id, matchers in self.topics:
            own, matched = self._matches(matchers, text, possible)
            score = own + self.settings.heading_weight * from_headings.get(topic_id, 0.0)
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
