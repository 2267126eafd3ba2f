"""Score every sentence against every topic's terms.

Matching is on a sentence's own words plus its section heading (at a lower weight), after
undoing known spinner substitutions, so "army workouts" counts as "military exercises".
The shown text is never changed; normalisation is for matching only.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import TypeVar, cast

from .clean import folded
from .config import Classification, Config, Topic
from .model import Sentence, TopicScore


@dataclass(frozen=True)
class TermMatcher:
    term: str
    weight: float
    pattern: re.Pattern[str]
    case_sensitive: bool
    first_word: re.Pattern[str]


TOKEN = re.compile(r"\w[\w'’.-]*")
WORD_EDGE = re.compile(r"\w")
TOKEN_PARTS = re.compile(r"[-'’]")


def inflected(word: str, skip: int = 0) -> str:
    """A pattern body for a term and the forms that mean the same thing: the term as written with
    its plural, and for a verb's past form the verb's other forms ("monitored" also matches
    "monitor", "monitors", "monitoring"), for a noun in -y its plural in -ies ("energies").
    A base form is not given -ed or -ing: "state" is not "stated", "press" not "pressing", and
    a noun in -ing keeps its plural ("warnings", "meetings"). A term ending in "s" is kept as
    written: a plural often names something its singular does not ("shares", "customs").
    Every form starts as the word does; `skip` leaves out its first characters (see `term_search`)."""
    lower = word.lower()
    as_written = re.escape(word[skip:]) + (r"(?:s|es)?" if word[-1:].isalpha() else "")
    if not word.isalpha() or len(word) < 4 or word != lower or (lower.endswith("s") and not lower.endswith("ss")):
        return as_written
    if lower.endswith("ied") or (lower.endswith("y") and lower[-2] not in "aeiou"):
        return re.escape(word[skip:-3] if lower.endswith("ied") else word[skip:-1]) + r"(?:y|ies|ied|ying)"
    if lower.endswith("ed") and len(word) >= 6:
        return rf"(?:{as_written}|{re.escape(word[skip:-2])}(?:e|es|ing|s)?)"
    return as_written


def first_word_pattern(term: str) -> re.Pattern[str]:
    """Matches a single token that could begin a match of the term (used to skip hopeless terms)."""
    case_sensitive = any(c.isupper() for c in term)
    words = term.rstrip("*").split()
    body = re.escape(words[0])
    if len(words) == 1 and term.endswith("*"):
        body += r"[\w'’-]*"
    elif len(words) == 1 and body[-1:].isalpha():
        body = inflected(words[0])
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


NOT_AFTER_A_WORD = r"(?<![\w])"


def _term_body(term: str, skip: int = 0) -> str:
    """A term's pattern without its word edges, less its first `skip` characters."""
    words = term.rstrip("*").split()
    if term.endswith("*"):
        return r"\s+".join(re.escape(w) for w in [words[0][skip:], *words[1:]]) + r"[\w'’-]*"
    if not words[-1][-1:].isalpha():
        return r"\s+".join(re.escape(w) for w in [words[0][skip:], *words[1:]])
    if len(words) == 1:
        return inflected(words[0], skip)
    return r"\s+".join([re.escape(words[0][skip:]), *(re.escape(w) for w in words[1:-1]), inflected(words[-1])])


def _term_edges(term: str) -> tuple[str, str, int]:
    """What must not come before and after a term's match, and its flags."""
    words = term.rstrip("*").split()
    flags = 0 if any(c.isupper() for c in term) else re.IGNORECASE
    # A term that begins or ends on a sign ("HK$", "$5bn") meets a word there: "HK$48.20".
    before = NOT_AFTER_A_WORD if WORD_EDGE.match(words[0]) else ""
    after = r"(?![\w])" if term.endswith("*") or WORD_EDGE.match(words[-1][-1]) else ""
    return before, after, flags


def term_pattern(term: str) -> tuple[re.Pattern[str], bool]:
    before, after, flags = _term_edges(term)
    return re.compile(f"{before}{_term_body(term)}{after}", flags), flags == 0


def term_search(term: str) -> re.Pattern[str]:
    """`term_pattern(term)` to search with: the same matches, found two to three times faster.
    A pattern that starts by looking behind is tried at every character; one that starts with a
    character fails at once wherever that character is not. So the term's first character (every
    form begins with it) is matched first, and the character before it checked after."""
    before, after, flags = _term_edges(term)
    if not before:
        return term_pattern(term)[0]
    first = term.split()[0][0]  # a word character: re.escape leaves it as it is
    return re.compile(rf"{first}(?<![\w](?s:.)){_term_body(term, skip=1)}{after}", flags)


def stem(word: str) -> str:
    """The part of `word` that every form `inflected(word)` matches starts with, as written."""
    lower = word.lower()
    if not word.isalpha() or len(word) < 4 or word != lower or (lower.endswith("s") and not lower.endswith("ss")):
        return word
    if lower.endswith("ied"):
        return word[:-3]
    if lower.endswith("y") and lower[-2] not in "aeiou":
        return word[:-1]
    if lower.endswith("ed") and len(word) >= 6:
        return word[:-2]
    return word


def needle(term: str) -> str | None:
    """Text every match of a term of several words holds as written (in its case, or lowered when
    the term ignores case): its longest later word, the last one cut to its `stem`. A term's first
    word is a token of most sentences it is searched in ("the west"); its other words seldom are,
    and looking for one is far cheaper than the search. None for a term of one word."""
    words = term.rstrip("*").split()
    if len(words) < 2:
        return None
    last = words[-1] if term.endswith("*") or not words[-1][-1:].isalpha() else stem(words[-1])
    return max([*words[1:-1], last], key=len)


# What re's IGNORECASE and str.lower() do not agree on: "İ" lowers to two characters, and "ı" and
# "ſ" match "i" and "s" under IGNORECASE yet lower to themselves. In a text with none of them, a
# pattern of ASCII characters other than capitals (and \w, \s, "’") matches the lowered text, case
# kept, where and as it matches the text ignoring case (the tests check every code point).
UNFOLDABLE = re.compile("[\u0130\u0131\u017f]")


def lowered_for_search(text: str) -> str | None:
    """`text` lowered, to search with the patterns of `lowered_search`; None where that is not the same."""
    return text.lower() if text.isascii() or UNFOLDABLE.search(text) is None else None


def lowered_search(term: str) -> re.Pattern[str] | None:
    """`term_search(term)` without IGNORECASE, for a term of ASCII that ignores case, to search the
    `lowered_for_search` text with: the same matches, found two to three times faster (re skips in C
    to where a pattern's first character is, which it cannot do ignoring case). None otherwise."""
    pattern = term_search(term)
    if not pattern.flags & re.IGNORECASE or not term.isascii():
        return None
    return re.compile(pattern.pattern)


def any_term_pattern(terms: list[str]) -> re.Pattern[str]:
    """One pattern matching any of the terms, each with its own case rule. When every term starts
    a word, that is checked once before the terms are tried, not by each term: the same matches
    (case makes no difference to \\w), found ten times faster, as most places start no word."""
    parts = [(pattern.pattern, case_sensitive) for pattern, case_sensitive in map(term_pattern, terms)]
    start = ""
    if parts and all(body.startswith(NOT_AFTER_A_WORD) for body, _ in parts):
        start = NOT_AFTER_A_WORD
        parts = [(body.removeprefix(start), case_sensitive) for body, case_sensitive in parts]
    alternatives = "|".join(body if case_sensitive else f"(?i:{body})" for body, case_sensitive in parts)
    return re.compile(f"{start}(?:{alternatives})" if start else alternatives)


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


K = TypeVar("K")
V = TypeVar("V")


class BoundedMemo(dict[K, V]):
    """A run's memo of a pure function's answers, cleared (not grown) once it holds `limit`:
    bounded by a run's vocabulary, never by its text. Read with `get`, filled with `keep`."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def keep(self, key: K, value: V) -> V:
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value


class Unspinner:
    """Undoes spinner substitutions: `equivalents` everywhere, `spun_equivalents` only in a source
    flagged spun, where a common word ("financial", "safety") stands for another ("economic",
    "security") that it does not stand for in honest text."""

    def __init__(self, equivalents: dict[str, str], spun_equivalents: dict[str, str] | None = None) -> None:
        self.equivalents = {folded(k): v for k, v in equivalents.items()}
        self.pattern = equivalents_pattern(equivalents)
        self.spun = {folded(k): v for k, v in (spun_equivalents or {}).items()}
        self.spun_pattern = equivalents_pattern(spun_equivalents or {})
        # Classification, ranking features and copy keys each ask for the same sentence, close
        # together; the last few thousand answers are kept (cleared, not grown, beyond that).
        self._recent: BoundedMemo[tuple[str, bool], str] = BoundedMemo(4096)

    @classmethod
    def from_config(cls, config: Config) -> Unspinner:
        return cls(config.equivalents, config.spun_equivalents)

    def __call__(self, text: str, spun: bool = False) -> str:
        found = self._recent.get((text, spun))
        return found if found is not None else self._recent.keep((text, spun), self._unspin(text, spun))

    def _unspin(self, text: str, spun: bool) -> str:
        if spun and self.spun_pattern is not None:
            text, changed = self.spun_pattern.subn(lambda m: self.spun[folded(m.group(1))], text)
            if not changed:  # the same as unspun, which is often known already
                return self(text)
        if self.pattern is not None:
            text = self.pattern.sub(lambda m: self.equivalents[folded(m.group(1))], text)
        return text


# A plain enumeration: three or more short items separated by commas, the last after and/or.
LIST_ITEM = r"[^\W\d][\w’'-]*(?:\s+[\w’'-]+){0,3}"
# (Anchored at a word start: the same matches, four times faster than trying every character.)
ENUMERATION = re.compile(rf"(?<![\w’'-]){LIST_ITEM}(?:,\s+{LIST_ITEM}){{1,}},?\s+(?:and|or)\s+{LIST_ITEM}")
# ENUMERATION to search with: the same matches, in under half the time. A run of word characters
# is followed by a space or a comma, so giving some back never helps (`*+`, `++`), and the first
# item is followed by a comma, so nor does giving back a word of it (`{0,3}+`).
_ITEM_WORD = r"\s+[\w’'-]++"
_ITEM_START = r"[^\W\d][\w’'-]*+"
_ENUMERATION_SEARCH = re.compile(
    rf"(?<![\w’'-]){_ITEM_START}(?:{_ITEM_WORD}){{0,3}}+(?:,\s+{_ITEM_START}(?:{_ITEM_WORD}){{0,3}}){{1,}}"
    rf",?\s+(?:and|or)\s+{_ITEM_START}(?:{_ITEM_WORD}){{0,3}}")
ITEM_SPLIT = re.compile(r",\s+(?:and\s+|or\s+)?|,?\s+(?:and|or)\s+")


# "everything from energy markets to regional security": two items, named in passing.
RANGE = re.compile(rf"\b(?:everything|anything|ranging|range)\s+from\s+({LIST_ITEM})\s+to\s+({LIST_ITEM})")


# "trade and military ties": two single words joined before the noun they both qualify.
PAIR = re.compile(r"\b([^\W\d][\w’'-]*)\s+and\s+([^\W\d][\w’'-]*)\s+(?:ties|relations|cooperation|links)\b")


# "in areas such as trade, investment and military exercises": a list of areas is about breadth.
AREAS_CUE = re.compile(r"\b(?:areas|fields|sectors|spheres|domains)\b[^.;:]{0,50}$", re.IGNORECASE)


# Words every enumeration needs; most sentences lack them, and a plain search for them is far
# cheaper than the patterns above.
RANGE_CUE = re.compile(r"\bfrom\s", re.IGNORECASE)
PAIR_CUE = re.compile(r"\s(?:ties|relations|cooperation|links)\b")
JOINER = re.compile(r"\s(?:and|or)\s")
# What every ENUMERATION ends with: a comma, one item (up to four words), and/or. A search that
# starts at a comma is cheap; ENUMERATION, trying an item at every word, is not.
LAST_ITEM_CUE = re.compile(r",\s+[\w’'-]+(?:\s+[\w’'-]+){0,3},?\s+(?:and|or)\s")


def enumeration_items(text: str) -> list[list[tuple[int, int]]]:
    """The item spans of each enumeration in the text ("security, transport, energy and trade")."""
    # RANGE and PAIR need these words as written, and finding text is cheaper than a pattern.
    ranges = "from" in text and ("rang" in text or "thing" in text) and RANGE_CUE.search(text)
    pairs = "and" in text and PAIR_CUE.search(text)
    patterns = ([RANGE] if ranges else []) + ([PAIR] if pairs else [])
    lists = [[m.span(1), m.span(2)] for pattern in patterns for m in pattern.finditer(text)]
    if "," not in text or not JOINER.search(text) or not LAST_ITEM_CUE.search(text):
        return lists
    return lists + [items for m in _ENUMERATION_SEARCH.finditer(text) if len(items := list_items(text, m)) >= 3]


def list_items(text: str, enumeration: re.Match[str]) -> list[tuple[int, int]]:
    """The spans of an enumeration's items, between its commas and its and/or."""
    items, cursor = [], enumeration.start()
    for sep in ITEM_SPLIT.finditer(text, enumeration.start(), enumeration.end()):
        items.append((cursor, sep.start()))
        cursor = sep.end()
    items.append((cursor, enumeration.end()))
    return items


FEW_SPANS = 16  # up to this many matches in a sentence, overlaps are found by comparing pairs


SCALE_TERM = re.compile(r"(?i)thousands?|millions?|billions?|trillions?|bn|mn|tn")
SCALE_WORD = re.compile(r"[A-Za-z]*")
CURRENCY_BEFORE = re.compile(r"(?:[$€£¥₽]|\b(?:USD|EUR|GBP|RMB|CNY|[A-Z]{2}\$))\s?[\d.,]+"
                             r"(?:\s?(?:-|–|to)\s?[$€£¥]?[\d.,]+)?\s?$")
CURRENCY_AFTER = re.compile(r"[\s-]+(?:of\s+|in\s+)?(?:(?:US|U\.S\.|Hong Kong|Canadian|Australian|Singapore)\s+)?"
                            r"(?:dollars?|euros?|pounds?|yen|yuan|renminbi|rubles?|roubles?|rials?|rupees?|dirhams?|"
                            r"lira|francs?|won|pesos?)\b", re.IGNORECASE)


def is_money(text: str, start: int, end: int) -> bool:
    """Whether the scale word at text[start:end] counts money: "$4.5 billion", "1.6 billion euros",
    "billions of dollars", "a billion-dollar deal"."""
    word = SCALE_WORD.match(text, start)  # always matches ("*" allows none): "billion-dollar" is one term's match
    word_end = word.end() if word else end
    return bool(CURRENCY_BEFORE.search(text, max(0, start - 24), start)) or bool(CURRENCY_AFTER.match(text, word_end))


MEMO_LIMIT = 200_000  # words and phrases a run's memos keep before starting again


class Classifier:
    """Compiled topic matchers; built once per run and owned by it, so no state leaks between runs.

    Searching every term in every sentence is the cost of a large corpus; a term is only
    searched when its first word is one of the sentence's tokens (a per-run cache maps
    tokens to the terms they can start), which gives the same matches far faster.
    """

    def __init__(self, topics: list[Topic], unspin: Unspinner, settings: Classification) -> None:
        # Each topic's matchers by term: a sentence's possible terms pick out the few to search.
        self.topics = tuple((t.id, {m.term: m for m in compile_topic(t)}) for t in topics)
        self.requires = {t.id: any_term_pattern(t.requires) for t in topics if t.requires}
        self.unspin = unspin
        self.settings = settings
        self._starts: dict[str, frozenset[str]] = {}
        # A token of the text -> the terms any of its variants starts; a word of the text -> its tokens'.
        self._token_terms: BoundedMemo[str, frozenset[str]] = BoundedMemo(MEMO_LIMIT)
        self._word_terms: BoundedMemo[str, frozenset[str]] = BoundedMemo(MEMO_LIMIT)
        self._headings: dict[str, dict[str, float]] = {}
        self._named: BoundedMemo[str, frozenset[str]] = BoundedMemo(MEMO_LIMIT)  # a phrase -> topics its terms name
        self._all_terms = [m for _, ms in self.topics for m in ms.values()]
        # A term whose first word is no token of the text ("12:33", "HK$") is searched for in every
        # sentence: looked up by token, it would never be found.
        self._untokened = frozenset(m.term for m in self._all_terms
                                    if not TOKEN.fullmatch(m.term.rstrip("*").split()[0]))
        # A term's pattern is the same in every topic that has it: a sentence is searched for it once.
        self._pattern_of = {m.term: term_search(m.term) for m in self._all_terms}
        self._scale_terms = frozenset(m.term for m in self._all_terms if SCALE_TERM.fullmatch(m.term.rstrip("*")))
        # How `_hits` searches for each term: (pattern for the lowered text or None, its needle there,
        # pattern for the text, its needle there (a term minding case only), whether it is a scale word).
        self._plans: dict[str, tuple[re.Pattern[str] | None, str | None, re.Pattern[str], str | None, bool]] = {}
        for term, pattern in self._pattern_of.items():
            lowered, case_sensitive = lowered_search(term), not pattern.flags & re.IGNORECASE
            self._plans[term] = (lowered, needle(term) if lowered is not None else None, pattern,
                                 needle(term) if case_sensitive else None, term in self._scale_terms)
        self._topics_of_term: dict[str, list[tuple[int, TermMatcher]]] = {}
        for index, (_, matchers) in enumerate(self.topics):
            for m in matchers.values():
                self._topics_of_term.setdefault(m.term, []).append((index, m))

    @classmethod
    def from_config(cls, config: Config) -> Classifier:
        return cls(config.topics, Unspinner.from_config(config), config.classification)

    def _possible_terms(self, text: str) -> set[str]:
        # Looked up by the words between white space, which no token spans: splitting is cheaper
        # than finding the tokens, and a word's terms are those of its tokens.
        words = text.split()
        known = list(map(self._word_terms.get, words))  # looked up and joined in C: most words are known
        terms = [self._word_terms_of(word) for word in words] if None in known \
            else cast(list[frozenset[str]], known)
        return set(self._untokened).union(*terms)

    def _word_terms_of(self, word: str) -> frozenset[str]:
        terms = self._word_terms.get(word)
        if terms is None:
            terms = self._word_terms.keep(word, frozenset().union(*map(self._token_terms_of, TOKEN.findall(word))))
        return terms

    def _token_terms_of(self, token: str) -> frozenset[str]:
        terms = self._token_terms.get(token)
        if terms is None:
            terms = self._token_terms.keep(token, frozenset().union(*map(self._terms_starting, token_variants(token))))
        return terms

    def _terms_starting(self, word: str) -> frozenset[str]:
        terms = self._starts.get(word)
        if terms is None:
            terms = frozenset(m.term for m in self._all_terms if m.first_word.fullmatch(word))
            self._starts[word] = terms
        return terms

    def _hits(self, text: str, possible: set[str]) -> dict[str, list[tuple[int, int]]]:
        """Where each of the `possible` terms occurs, for the terms that do. A scale word
        ("billion") counts only where it is money: "55 billion cubic metres of gas" is no finance."""
        hits = {}
        lowered = lowered_for_search(text) if possible else None
        for term in possible:
            on_lowered, lowered_needle, pattern, text_needle, scale = self._plans[term]
            if on_lowered is not None and lowered is not None:
                if lowered_needle is not None and lowered_needle not in lowered:
                    continue
                matches = on_lowered.finditer(lowered)  # the same spans: lowering keeps every character's place
            elif text_needle is not None and text_needle not in text:
                continue
            else:
                matches = pattern.finditer(text)
            found = [hit.span() for hit in matches if not scale or is_money(text, hit.start(), hit.end())]
            if found:
                hits[term] = found
        return hits

    @staticmethod
    def _topic_spans(matchers: dict[str, TermMatcher],
                     hits: dict[str, list[tuple[int, int]]]) -> list[tuple[TermMatcher, int, int]]:
        """This topic's share of `hits`, in any order: spans are sorted in full by `_weigh`."""
        return [(matchers[term], a, b) for term in hits.keys() & matchers.keys() for a, b in hits[term]]

    def _spans_by_topic(self, hits: dict[str, list[tuple[int, int]]]) -> dict[int, list[tuple[TermMatcher, int, int]]]:
        """`hits` shared out by topic (numbered as in `topics`), in any order: spans are sorted in
        full by `_weigh`. Only the topics with hits are named."""
        spans_of: dict[int, list[tuple[TermMatcher, int, int]]] = {}
        for term, found in hits.items():
            for index, m in self._topics_of_term[term]:
                spans_of.setdefault(index, []).extend([(m, a, b) for a, b in found])
        return spans_of

    def _spans(self, matchers: dict[str, TermMatcher], text: str,
               possible: set[str]) -> list[tuple[TermMatcher, int, int]]:
        """Where this topic's terms occur; only the `possible` ones are searched."""
        return self._topic_spans(matchers, self._hits(text, possible & matchers.keys()))

    def _matches(self, matchers: dict[str, TermMatcher], text: str, possible: set[str],
                 lists: list[list[tuple[int, int]]] | None = None) -> tuple[float, list[str]]:
        spans = self._spans(matchers, text, possible)
        return self._weigh(spans, text, lists) if spans else (0.0, [])

    def _weigh(self, spans: list[tuple[TermMatcher, int, int]], text: str,
               lists: list[list[tuple[int, int]]] | None) -> tuple[float, list[str]]:
        """Sum of matched term weights; a term seen only as one item of a mixed enumeration
        ("security, transport, energy and trade") is a passing mention and counts for less."""
        # Words are counted once: "energy market" does not also count as "energy". Taken characters
        # are marked in a bytearray, so each span is checked in time of its own length, not
        # against every span taken before it (a sentence of one repeated term was quadratic).
        spans.sort(key=lambda x: (x[1] - x[2], x[1], x[0].term))
        by_term: dict[str, tuple[TermMatcher, list[int]]] = {}
        if len(spans) <= FEW_SPANS:  # the usual sentence: a few comparisons beat a text-long bytearray
            kept: list[tuple[int, int]] = []
            for m, a, b in spans:
                if not any(a < tb and ta < b for ta, tb in kept):
                    kept.append((a, b))
                    by_term.setdefault(m.term, (m, []))[1].append(a)
        else:
            taken = bytearray(len(text) + 1)
            for m, a, b in spans:
                if taken.find(1, a, b) < 0:
                    taken[a:b] = b"\x01" * (b - a)
                    by_term.setdefault(m.term, (m, []))[1].append(a)
        found = sorted(by_term.values(), key=lambda x: x[0].term)
        passing: set[int] = set()
        if lists:
            # Every match start once, sorted: an item's matches are found by bisection, not by
            # comparing every item with every match (a long enumeration was quadratic).
            starts_sorted = sorted(p for _, starts in found for p in starts)
            for items in lists:
                hit_items = {i: hits for i, (a, b) in enumerate(items)
                             if (hits := starts_sorted[bisect_left(starts_sorted, a):bisect_left(starts_sorted, b)])}
                of_areas = AREAS_CUE.search(text, max(0, items[0][0] - 60), items[1][0]) is not None
                if of_areas or 0 < len(hit_items) * 2 < len(items) or (len(items) == 2 and len(hit_items) == 1):
                    for hits in hit_items.values():
                        passing.update(hits)
        score, matched = 0.0, []
        for m, starts in found:
            focused = any(p not in passing for p in starts)
            score += m.weight if focused else m.weight * self.settings.list_mention_weight
            matched.append(m.term)
        return score, matched

    def _names_a_topic(self, words: str) -> bool:
        """A two-item list is a passing mention only when both items are topic words ("trade and military")."""
        possible = self._possible_terms(words)
        return any(self._pattern_of[m.term].search(words) for m in self._all_terms if m.term in possible)

    def _topics_named(self, phrase: str) -> frozenset[str]:
        """Memoised: every source asks of the words it repeats, and sources share most of them."""
        named = self._named.get(phrase)
        if named is None:
            text = self.unspin(phrase)
            possible = self._possible_terms(text)  # as in `scores`: only terms a token can start are searched
            named = self._named.keep(phrase, frozenset(
                tid for tid, ms in self.topics
                if any(self._pattern_of[term].search(text) for term in possible & ms.keys())))
        return named

    def names_topic(self, topic_id: str, phrase: str) -> bool:
        """True if the phrase matches one of this topic's terms."""
        return topic_id in self._topics_named(phrase)

    def names_any_topic(self, phrase: str) -> bool:
        """True if the phrase matches some topic's terms."""
        return bool(self._topics_named(phrase))

    def names_other_topic(self, topic_id: str, phrase: str) -> bool:
        """True if the phrase matches another topic's terms and none of this topic's."""
        named = self._topics_named(phrase)
        return topic_id not in named and bool(named)

    def _heading_scores(self, section: str | None) -> dict[str, float]:
        """Term weight per topic found in a section heading; every sentence under it asks, so it is memoised."""
        if not section:
            return {}
        cached = self._headings.get(section)
        if cached is None:
            heading = self.unspin(section)
            possible = self._possible_terms(heading)
            cached = {topic_id: self._matches(matchers, heading, possible)[0] for topic_id, matchers in self.topics}
            self._headings[section] = cached
        return cached

    def _mixed_lists(self, text: str) -> list[list[tuple[int, int]]]:
        """The enumerations whose items can be passing mentions: three or more items, or two topic words."""
        return [items for items in (enumeration_items(text) if "," in text or " and " in text else [])
                if len(items) > 2 or all(self._names_a_topic(text[a:b]) for a, b in items)]

    def scores(self, sentence: Sentence, spun: bool = False) -> tuple[TopicScore, ...]:
        """All topics the sentence belongs to, strongest first."""
        text = self.unspin(sentence.text, spun)
        possible = self._possible_terms(text)
        if not possible:
            return ()
        lists: list[list[tuple[int, int]]] | None = None  # found when a topic's terms first occur
        from_headings = self._heading_scores(sentence.section)
        spans_of = self._spans_by_topic(self._hits(text, possible))
        # A topic none of whose terms occur scores 0 by its own words: below any positive minimum.
        spanless_fail = self.settings.min_own_score > 0
        result = []
        for index, (topic_id, _) in enumerate(self.topics):
            spans = spans_of.get(index)
            if spans is None and spanless_fail:
                continue
            if spans:
                if lists is None:
                    lists = self._mixed_lists(text)
                own, matched = self._weigh(spans, text, lists)
            else:
                own, matched = 0.0, []
            score = own + self.settings.heading_weight * from_headings.get(topic_id, 0.0)
            if own < self.settings.min_own_score or score < self.settings.min_score:
                continue
            required = self.requires.get(topic_id)  # checked last: one long pattern, slow to search
            if required is None or required.search(text):
                result.append(TopicScore(topic_id, round(score, 6), tuple(matched), round(own, 6)))
        return tuple(sorted(result, key=lambda s: (-s.score, s.topic_id)))


def classify(sentences: tuple[Sentence, ...], classifier: Classifier,
             spun: bool = False) -> dict[tuple[str, str], tuple[TopicScore, ...]]:
    """Topic scores keyed by (source id, sentence id); sentences on no topic are absent. A news
    paragraph keeps to one subject: a sentence on no topic right after one whose own words put
    it firmly on a topic ("Gazprom will send gas through Azerbaijan. He put the first phase at
    2 billion cubic metres.") continues that topic (see `continued`)."""
    result: dict[tuple[str, str], tuple[TopicScore, ...]] = {}
    settings = classifier.settings
    previous: tuple[Sentence, tuple[TopicScore, ...]] | None = None
    for sentence in sentences:
        scores = classifier.scores(sentence, spun)
        if not scores and previous is not None and previous[0].block == sentence.block:
            scores = continued(previous[1], settings.paragraph_context_min_own, settings.min_score)
        if scores:
            result[(sentence.source_id, sentence.id)] = scores
        previous = (sentence, scores)
    return result


def continued(before: tuple[TopicScore, ...], min_own: float, min_score: float) -> tuple[TopicScore, ...]:
    """The topic a sentence on none continues from the sentence before it in its paragraph: that
    one's strongest by its own words, if they score at least `min_own` (0: none), at the lowest
    score that belongs, with no words of its own (never a key point by itself, nor continued)."""
    if not before or min_own <= 0:
        return ()
    strongest = max(before, key=lambda s: s.own)  # the first of equals: `before` is in a fixed order
    if strongest.own < min_own:
        return ()
    return (TopicScore(strongest.topic_id, min_score, (), 0.0),)
