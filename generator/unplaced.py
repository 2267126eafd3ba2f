"""Sentences on no topic that say something a reader would want, and the words they share.

A story's terms are written from the few articles its maintainer read first; the others say the
same things in other words. On the blackout corpus's untuned half, 10 of the 15 analyst facts no
key point stated were in sentences no topic's terms caught. This is the maintainer's list of
what to add: the sentences that state a figure, quote someone or say who reported what, and the
words several of them use, with the topics those words already go with.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .classify import Classifier
from .config import Config
from .model import Sentence, Source, TopicScore
from .rank import STOPWORDS, is_key_point_material
from .timeline import MONTHS, WEEKDAYS

FIGURE = re.compile(r"\d")
QUOTATION = re.compile(r"[“\"][^“”\"]*?\s[^“”\"]*?\s[^“”\"]*?[”\"]")  # three words or more in quotation marks
ATTRIBUTION = re.compile(r"\b(?:said|says|told|according to|announced|stated|added|warned|estimated|estimates|"
                         r"concluded|reported|confirmed|insisted|argued|claimed)\b", re.IGNORECASE)
WORD = re.compile(r"[a-z][a-z-]*[a-z]")  # no apostrophe: "country's" is no term
MIN_WORD_LENGTH = 4
INNER_CAPITALISED = re.compile(r"(?<=[\w,;:’'\"”)] )[A-Z][a-z-]*[a-z]")  # after a word, not a sentence start
# A word in more than this share of all sentences is the story's own ("blackout", "power"): it
# names no topic, whatever the unplaced sentences say.
STORY_WORD_SHARE = 0.1
MIN_STORY_WORD_SENTENCES = 10  # in a few articles, a word in ten sentences may still be a topic's
# A word suggested for a topic's terms goes with one topic: more than this share of the on-topic
# sentences that use it are that topic's ("operator" in every topic's sentences names none).
MIN_TOPIC_SHARE = 0.5
CALENDAR = frozenset(w.lower() for w in (*WEEKDAYS, *MONTHS))


@dataclass(frozen=True)
class Unplaced:
    filename: str
    sentence_id: str
    text: str
    signals: tuple[str, ...]  # of "figure", "quotation", "attribution"


@dataclass(frozen=True)
class SharedWord:
    """A word two or more sources' unplaced sentences use, and how many of each topic's
    sentences use it too: where it would belong as a term."""

    word: str
    sentences: int
    sources: int
    topics: tuple[tuple[str, int], ...]  # (topic id, its sentences with the word), most first


@dataclass(frozen=True)
class UnplacedReport:
    sentences: int  # every sentence of the corpus
    on_no_topic: int
    informative: tuple[Unplaced, ...]
    shared_words: tuple[SharedWord, ...]


def signals_of(text: str) -> tuple[str, ...]:
    """What makes a sentence worth a reader's time whatever its topic."""
    found = []
    if FIGURE.search(text):
        found.append("figure")
    if QUOTATION.search(text):
        found.append("quotation")
    if ATTRIBUTION.search(text):
        found.append("attribution")
    return tuple(found)


def words_of(text: str) -> set[str]:
    return {w for w in WORD.findall(text.lower()) if len(w) >= MIN_WORD_LENGTH and w not in STOPWORDS}


def unplaced_report(sources: Iterable[Source], scores: Mapping[tuple[str, str], tuple[TopicScore, ...]],
                    config: Config, max_words: int = 20) -> UnplacedReport:
    """The sentences no topic's terms caught that state a figure, quote someone or attribute a
    statement (and read as sentences), and up to `max_words` words that at least two sources'
    such sentences use and no topic's terms match."""
    classifier = Classifier.from_config(config)
    total = placed = 0
    informative: list[Unplaced] = []
    source_of: dict[int, str] = {}
    sentence_words: list[set[str]] = []
    on_topic_words: dict[str, Counter[str]] = {t.id: Counter() for t in config.topics}
    frequency: Counter[str] = Counter()
    capitalised: Counter[str] = Counter()  # sentences that write the word with a capital, not first
    for source in sorted(sources, key=lambda s: s.filename):
        for sentence in source.sentences:
            total += 1
            words = words_of(sentence.text)
            frequency.update(words)
            capitalised.update({w.lower() for w in INNER_CAPITALISED.findall(sentence.text)} & words)
            found = scores.get((source.id, sentence.id), ())
            placed += bool(found)
            for score in found:
                on_topic_words[score.topic_id].update(words)
            if found or not _reads_as_a_sentence(sentence, config):
                continue
            signals = signals_of(sentence.text)
            if signals:
                source_of[len(informative)] = source.id
                informative.append(Unplaced(source.filename, sentence.id, sentence.text, signals))
                sentence_words.append(words)
    limit = max(STORY_WORD_SHARE * total, MIN_STORY_WORD_SENTENCES)
    names = {w for w in frequency if capitalised[w] * 2 > frequency[w]}
    sentences_with: Counter[str] = Counter()
    sources_with: dict[str, set[str]] = {}
    for number, words in enumerate(sentence_words):
        for word in words:
            sentences_with[word] += 1
            sources_with.setdefault(word, set()).add(source_of[number])
    candidates = sorted((w for w, n in sentences_with.items()
                         if len(sources_with[w]) >= 2 and frequency[w] <= limit and w not in CALENDAR
                         and not ATTRIBUTION.fullmatch(w) and w not in names),
                        key=lambda w: (-len(sources_with[w]), -sentences_with[w], w))
    shared: list[SharedWord] = []
    for word in candidates:
        if len(shared) == max_words:
            break
        topics = sorted(((t, c[word]) for t, c in on_topic_words.items() if c[word]), key=lambda x: (-x[1], x[0]))
        if not topics or topics[0][1] <= MIN_TOPIC_SHARE * sum(n for _, n in topics):
            continue
        if classifier.names_any_topic(word):  # a term already: its sentences are on no topic for other reasons
            continue
        shared.append(SharedWord(word, sentences_with[word], len(sources_with[word]), tuple(topics)))
    return UnplacedReport(total, total - placed, tuple(informative), tuple(shared))


def _reads_as_a_sentence(sentence: Sentence, config: Config) -> bool:
    return is_key_point_material(sentence, config.ranking)


def format_report(report: UnplacedReport, limit: int) -> str:
    """Plain text for the terminal: the sentences (up to `limit`), then the shared words."""
    lines = [f"{report.on_no_topic} of {report.sentences} sentences are on no topic; "
             f"{len(report.informative)} of them state a figure, quote someone or say who said what:"]
    for item in report.informative[:limit]:
        lines.append(f"  {item.filename} {item.sentence_id} [{', '.join(item.signals)}] {item.text}")
    if len(report.informative) > limit:
        lines.append(f"  ... and {len(report.informative) - limit} more (--limit {len(report.informative)} shows all)")
    if report.shared_words:
        lines.append("")
        lines.append("Words two or more sources use in them that no topic's terms match, with the topics whose "
                     "sentences use them too (add one to a topic's terms where it names the topic):")
        for shared in report.shared_words:
            goes_with = ", ".join(f"{t} {n}" for t, n in shared.topics) or "no topic yet"
            lines.append(f"  {shared.word}: {shared.sentences} sentences, {shared.sources} sources; "
                         f"also in: {goes_with}")
    return "\n".join(lines)
