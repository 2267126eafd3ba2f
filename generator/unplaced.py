"""Sentences on no topic that say something a reader would want, and the words they share.

A story's terms are written from the few articles its maintainer read first; the others say the
same things in other words. On the blackout corpus's untuned half, 10 of the 15 analyst facts no
key point stated were in sentences no topic's terms caught. This is the maintainer's list of
what to add: the sentences that state a figure or a date, quote someone or say who reported
what, and the words several sources use in them, with the topics those words already go with.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .classify import Classifier
from .config import Config
from .keywords import EMPTY_ALONE, yake_stopwords
from .model import Source, TopicScore
from .rank import STOPWORDS, is_key_point_material
from .timeline import ABSOLUTE, MONTHS, WEEKDAYS

QUOTED = re.compile(r"“[^“”]*”|\"[^\"]*\"")
MIN_QUOTED_WORDS = 3  # a "scare" word or a two-word name in quotation marks is no quotation
ATTRIBUTION = re.compile(r"\b(?:said|says|told|according to|announced|stated|added(?!\s+to\b)|warned|estimated|"
                         r"estimates|concluded|reported|confirmed|insisted|argued|claimed)\b", re.IGNORECASE)
CLOCK = re.compile(r"\b\d{1,2}[:.]\d{2}\b")
DIGIT = re.compile(r"\d")
# A word of letters in any script, hyphens inside; one with an apostrophe ("couldn't", "Iran's")
# is a contraction or a possessive, never a term.
WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|[-'’](?=[^\W\d_]))*")
MIN_WORD_LENGTH = 4
# Words of news prose that name no subject: time, quantity and the reporting itself.
GENERIC = frozenset("""
year years month months week weeks day days hour hours today yesterday tomorrow time times already still ahead
later earlier
million millions billion billions thousand thousands hundred hundreds percent cent number numbers
news report reports reported reporting statement statements place problem problems people part parts
""".split()) | frozenset(w.lower() for w in (*WEEKDAYS, *MONTHS))  # noqa: SIM905 - a word list reads best as prose
# A word in more than this share of all sentences is the story's own ("blackout", "power"): it
# names no topic, whatever the unplaced sentences say. So do the words of the story's title.
STORY_WORD_SHARE = 0.05
MIN_STORY_WORD_SENTENCES = 10  # in a few articles, a word in ten sentences may still be a topic's
# A word the topics' sentences use goes with one topic when more than this share of them are
# that topic's ("operator" in every topic's sentences names none, and is left out).
MIN_TOPIC_SHARE = 0.5


@dataclass(frozen=True)
class Unplaced:
    filename: str
    sentence_id: str
    text: str
    signals: tuple[str, ...]  # of "figure", "date", "quotation", "attribution"


@dataclass(frozen=True)
class SharedWord:
    """A word two or more independent sources' unplaced sentences use, and how many of each
    topic's sentences use it too: where it would belong as a term."""

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
    more_words: int  # words that met the tests beyond the ones given


def signals_of(text: str) -> tuple[str, ...]:
    """What makes a sentence worth a reader's time whatever its topic. A date or a year is a
    date, not a figure ("In 2020, he ordered ...")."""
    found = []
    without_dates = CLOCK.sub(" ", text)
    for date in ABSOLUTE:  # the timeline's own patterns: full dates first, then days, months and years
        without_dates = date.sub(" ", without_dates)
    if DIGIT.search(without_dates):
        found.append("figure")
    elif without_dates != text:
        found.append("date")
    if any(len(quoted.split()) >= MIN_QUOTED_WORDS for quoted in QUOTED.findall(text)):
        found.append("quotation")
    if ATTRIBUTION.search(text):
        found.append("attribution")
    return tuple(found)


def words_of(text: str) -> dict[str, str]:
    """Each content word's form for counting (lowercase, a plural or verb ending taken off, so
    "sign", "signs" and "signed" are one) and the form shown."""
    found: dict[str, str] = {}
    for word in WORD.findall(text):
        lower = word.lower()
        if len(lower) < MIN_WORD_LENGTH or lower in STOPWORDS or "'" in lower or "’" in lower:
            continue
        found.setdefault(stem(lower), lower)
    return found


def stem(word: str) -> str:
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= MIN_WORD_LENGTH - 1 and not word.endswith("ss"):
            return word[: -len(ending)]
    return word


def unplaced_report(sources: Iterable[Source], scores: Mapping[tuple[str, str], tuple[TopicScore, ...]],
                    config: Config, groups: Mapping[str, str] | None = None, max_words: int = 20) -> UnplacedReport:
    """The sentences no topic's terms caught that state a figure or a date, quote someone or
    attribute a statement (and read as sentences), and up to `max_words` words that unplaced
    sentences of two or more independent sources use (`groups`: each source's copy group, so a
    copy and its original count once and a copied sentence is listed once) and no topic's terms
    match."""
    groups = groups or {}
    classifier = Classifier.from_config(config)
    title_words = {stem(w) for w in words_of(config.title)}
    stopwords = yake_stopwords(config.language)
    total = placed = 0
    informative: list[Unplaced] = []
    listed: set[tuple[str, str]] = set()  # (copy group, text)
    group_of_listed: list[str] = []
    listed_words: list[dict[str, str]] = []
    on_topic_words: dict[str, Counter[str]] = {t.id: Counter() for t in config.topics}
    frequency: Counter[str] = Counter()
    in_lowercase: Counter[str] = Counter()  # sentences that write the word in lowercase: a name never is
    for source in sorted(sources, key=lambda s: s.filename):
        group = groups.get(source.id, source.id)
        for sentence in source.sentences:
            total += 1
            words = words_of(sentence.text)
            frequency.update(words.keys())
            in_lowercase.update({stem(w) for w in WORD.findall(sentence.text) if w.islower()} & words.keys())
            found = scores.get((source.id, sentence.id), ())
            placed += bool(found)
            for score in found:
                on_topic_words[score.topic_id].update(words.keys())
            if found or not is_key_point_material(sentence, config.ranking) or (group, sentence.text) in listed:
                continue
            signals = signals_of(sentence.text)
            if signals:
                listed.add((group, sentence.text))
                informative.append(Unplaced(source.filename, sentence.id, sentence.text, signals))
                group_of_listed.append(group)
                listed_words.append(words)
    story_limit = max(STORY_WORD_SHARE * total, MIN_STORY_WORD_SENTENCES)
    sentences_with: Counter[str] = Counter()
    groups_with: dict[str, set[str]] = {}
    shown_as: dict[str, Counter[str]] = {}
    for group, words in zip(group_of_listed, listed_words, strict=True):
        for key, form in words.items():
            sentences_with[key] += 1
            groups_with.setdefault(key, set()).add(group)
            shown_as.setdefault(key, Counter())[form] += 1

    def shown_form(key: str) -> str:
        return min(shown_as[key], key=lambda form: (-shown_as[key][form], form))

    def suggested(key: str) -> bool:
        if len(groups_with[key]) < 2 or frequency[key] > story_limit or key in title_words \
                or not in_lowercase[key]:  # a name: "Eduardo", "Kremlin"
            return False
        form = shown_form(key)
        return form not in GENERIC and form not in EMPTY_ALONE and form not in stopwords \
            and not ATTRIBUTION.fullmatch(form) and not classifier.names_any_topic(form)

    candidates = sorted((key for key in sentences_with if suggested(key)),
                        key=lambda k: (-len(groups_with[k]), -sentences_with[k], k))
    shared: list[SharedWord] = []
    for key in candidates:
        topics = sorted(((t, c[key]) for t, c in on_topic_words.items() if c[key]), key=lambda x: (-x[1], x[0]))
        if topics and topics[0][1] <= MIN_TOPIC_SHARE * sum(n for _, n in topics):
            continue  # spread over several topics: it names none of them
        shared.append(SharedWord(shown_form(key), sentences_with[key], len(groups_with[key]), tuple(topics)))
    return UnplacedReport(total, total - placed, tuple(informative), tuple(shared[:max_words]),
                          max(0, len(shared) - max_words))


def format_report(report: UnplacedReport, limit: int) -> str:
    """Plain text for the terminal: the sentences (up to `limit`), then the shared words."""
    head = f"{report.on_no_topic} of {report.sentences} sentences are on no topic"
    if not report.informative:
        return head + "; none of them states a figure or a date, quotes someone or says who said what."
    lines = [f"{head}; {len(report.informative)} of them state a figure or a date, quote someone or say who "
             "said what:"]
    for item in report.informative[:limit]:
        lines.append(f"  {item.filename} {item.sentence_id} [{', '.join(item.signals)}] {item.text}")
    if len(report.informative) > limit:
        lines.append(f"  ... and {len(report.informative) - limit} more (--limit {len(report.informative)} shows all)")
    if report.shared_words:
        lines.append("")
        lines.append("Words two or more sources use in them that no topic's terms match, with the topics whose "
                     "sentences use them too (a word one topic's sentences use may belong in its terms):")
        for shared in report.shared_words:
            goes_with = ", ".join(f"{t} {n}" for t, n in shared.topics) or "no topic's sentences"
            lines.append(f"  {shared.word}: {shared.sentences} sentences, {shared.sources} sources; "
                         f"also in: {goes_with}")
        if report.more_words:
            lines.append(f"  ... and {report.more_words} more")
    return "\n".join(lines)
