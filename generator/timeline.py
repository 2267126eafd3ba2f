"""Dated events the sources mention, in order.

Absolute dates (a year, a month and year, a full date) are placed directly. Relative
dates ("on Friday", "last year", "three years ago") are resolved only against the
article's own published date; without one they are listed as written, never guessed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet

from .clean import ends_with_a_stop, folded, has_digit, may_hold_any
from .model import Citation, Sentence, Source, TimelineEvent

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
# Months as news agencies shorten them ("Sept. 25", "25 Sept 2024", "Dec. 2023"): a full stop
# after one is no part of the date. Not "May", which is never shortened and a word besides.
MONTH_ABBREVIATIONS = {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9, "Sept": 9,
                       "Oct": 10, "Nov": 11, "Dec": 12}
MONTH = "(?P<month>" + "|".join(MONTHS) + "|(?:" + "|".join(sorted(MONTH_ABBREVIATIONS, key=len, reverse=True)) \
    + r")(?![\w'’-])\.?)"
YEAR = r"(?P<year>(?:19|20)\d{2})"
DAY = r"(?P<day>[0-3]?\d)"
# A day and month with no year ("December 25", "7 January"): placed in the article's year.
DAY_AND_MONTH = [
    re.compile(rf"\b{MONTH}\s+{DAY}(?:st|nd|rd|th)?\b(?!,?\s*\d)"),
    re.compile(rf"\b{DAY}(?:st|nd|rd|th)?\s+{MONTH}\b(?!,?\s*\d)"),
]
# A four-digit clock time, not a year: "(2030 GMT)", "at 1900 hours", "2015 local time", "2100 CET".
CLOCK_AFTER = (r"\s*(?:(?:GMT|UTC|BST|W?EST|CES?T|EES?T|MSK|E[SD]T|C[SD]T|M[SD]T|P[SD]T|IST|JST|AE[SD]T)\b"
               r"|hrs\b|hours\b|h\b|local time)")
ABSOLUTE = [
    re.compile(rf"\b{MONTH}\s+{DAY}(?:st|nd|rd|th)?,?\s+{YEAR}\b"),
    re.compile(rf"\b{DAY}(?:st|nd|rd|th)?\s+{MONTH},?\s+{YEAR}\b"),
    re.compile(rf"\b{MONTH},?\s+{YEAR}\b"),
    re.compile(rf"\b{YEAR}(?P<decade>s)\b"),  # "the 2000s": a span no year may take, and no date
    *DAY_AND_MONTH,
    re.compile(rf"(?<![\d$€£.,-]){YEAR}(?![\d%s]|-year|\s*(?:years|km|tonnes|people)|{CLOCK_AFTER})"),
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "a": 1, "half a": 0}
RELATIVE = re.compile(
    r"\b(?P<weekday>(?:on|last)\s+(?:" + "|".join(WEEKDAYS) + r"))\b"
    r"|\b(?P<lastyear>last\s+year|this\s+year|next\s+year)\b"
    r"|\b(?P<ago>(?P<n>\d+|" + "|".join(k for k in NUMBER_WORDS if k != "half a") + r"|half\s+a)\s+"
    r"(?P<unit>years?|months?)\s+ago)\b"
    r"|\b(?P<month_only>in\s+" + "(?:" + "|".join(MONTHS) + r"))\b(?!\s*,?\s*(?:\d|[0-3]?\d))"
    # "ratified the treaty today": the article's own day (not "today's world"; see HOW_THINGS_STAND).
    r"|\b(?P<dayword>today|yesterday|tomorrow)\b(?!['’]s)",
    re.IGNORECASE,
)
# "until today", "as of today", "from today": how things stand, not when something happened.
# Looked for only before a day word (as lookbehinds in RELATIVE they doubled its cost).
HOW_THINGS_STAND = re.compile(r"\b(?:of|to|until|till|since|from)\s$", re.IGNORECASE)
# "$39 today", "4.5% today": a figure's value as things stand, not something that happened.
A_FIGURE_BEFORE = re.compile(r"(?:[$€£¥]\s?\d[\d,.]*|\d[\d,.]*\s?(?:%|per\s?cent|percent))"
                             r"(?:\s?(?:million|billion|trillion|bn|m))?\s+$", re.IGNORECASE)
FIGURE_WITHIN = 30  # characters before a day word read for A_FIGURE_BEFORE
# A day word dates an event only in a sentence that tells one: a past, a future or an action
# under way ("ratified the treaty today", "will vote tomorrow", "is launching today"), not a
# state of things ("Few ports today handle as much oil", "The fleet is larger today").
TELLS_AN_EVENT = re.compile(r"\b(?:will|would|shall|was|were|had|did|can|could)\b|\b[a-z]{2,}ed\b|\b[a-z]{3,}ing\b",
                            re.IGNORECASE)
DAYWORD_OFFSET = {"yesterday": -1, "today": 0, "tomorrow": 1}
# Before a date, words that make it no event: the day a figure stands at ("deposits of $89 billion
# as of March 8", "as at 31 December 2024") or the yardstick of a record ("the largest failure
# since the 2008 financial crisis", "the first time since 2011").
# The superlative and "since" are a few words apart with no comma between: "Most flights have
# been grounded since 12 March" and "the worst storm in years, and crews have worked since 2
# March" tell events.
NOT_AN_EVENT_BEFORE = re.compile(
    r"\bas\s+(?:of|at)\s+(?:the\s+end\s+of\s+)?$"
    r"|\b(?:largest|biggest|worst|best|highest|lowest|fewest|fastest|deepest|longest|sharpest|first)"
    r"(?:\s+[\w'’-]+){0,4}\s+since\s+(?:the\s+)?$", re.IGNORECASE)
COMPARED_WITHIN = 80  # characters before a date read for NOT_AN_EVENT_BEFORE: linear in the sentence

# Every alternative of RELATIVE needs one of these words; most sentences have none, and
# looking for them is a tenth of the cost of the pattern.
MONTH_STEMS = tuple(m[:3] for m in MONTHS)  # in every month's name, whole or shortened
RELATIVE_CUES = ("ago", "year", *DAYWORD_OFFSET, *(w.lower() for w in WEEKDAYS), *(m.lower() for m in MONTHS))
# Whether each of ABSOLUTE needs a month's name, and a year (so "19" or "20"), in the text: tried
# only where it can match, as most sentences with a number name neither a month nor a year.
ABSOLUTE_NEEDS = [("(?P<month>" in p.pattern, "(?P<year>" in p.pattern) for p in ABSOLUTE]


def _absolute(text: str, published: dt.date | None
              ) -> list[tuple[tuple[int, int, int] | None, str, tuple[int, int]]]:
    """(sort key, how it reads, span) for each absolute date, most specific first, a span used
    once; a day and month with no year has the key None unless the article's date places it
    (in the year that puts it nearest that date)."""
    found: list[tuple[tuple[int, int, int] | None, str, tuple[int, int]]] = []
    taken = bytearray(len(text))  # 1 where a date already read covers the text: linear, however many
    has_month = any(map(text.__contains__, MONTH_STEMS))
    has_year = "19" in text or "20" in text
    for pattern, (needs_month, needs_year) in zip(ABSOLUTE, ABSOLUTE_NEEDS, strict=True):
        if (needs_month and not has_month) or (needs_year and not has_year):
            continue
        for m in pattern.finditer(text):
            if 1 in taken[m.start():m.end()]:
                continue
            taken[m.start():m.end()] = b"\x01" * (m.end() - m.start())
            parts = m.groupdict()
            if parts.get("decade") or NOT_AN_EVENT_BEFORE.search(text, max(0, m.start() - COMPARED_WITHIN), m.start()):
                continue
            month = month_number(parts["month"]) if parts.get("month") else 0
            day = int(parts["day"]) if parts.get("day") else 0
            if not parts.get("year"):
                if published is None:
                    found.append((None, m.group(0), m.span()))
                    continue
                year = _nearest_year(month, day, published)
            else:
                year = int(parts["year"])
            if day and not _valid(year, month, day):
                continue
            when = (f"{day} {MONTHS[month - 1]} {year}" if day else
                    f"{MONTHS[month - 1]} {year}" if month else str(year))
            found.append(((year, month, day), when, m.span()))
    return found


def _nearest_year(month: int, day: int, published: dt.date) -> int:
    """The year that puts a day and month nearest the article's date: "December 25" in an
    article of 2 January is last year's, "the meeting on May 22" in one of March is this year's."""
    years = [y for y in (published.year - 1, published.year, published.year + 1) if _valid(y, month, day)]
    if not years:
        return published.year
    return min(years, key=lambda y: (abs((dt.date(y, month, day) - published).days), y))


def _valid(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def month_number(name: str) -> int:
    """1 for "January" however a case-blind pattern matched it ("JANUARY", "Auguſt"), and for "Jan."."""
    name = folded(name).rstrip(".").capitalize()
    return MONTH_ABBREVIATIONS[name] if name in MONTH_ABBREVIATIONS else MONTHS.index(name) + 1


def _on(day: dt.date) -> tuple[tuple[int, int, int], str]:
    """A resolved day's sort key and how it reads."""
    return (day.year, day.month, day.day), f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _resolve(m: re.Match[str], published: dt.date) -> tuple[tuple[int, int, int], str] | None:
    if m.group("weekday"):
        name = folded(m.group("weekday").split()[-1]).capitalize()
        back = (published.weekday() - WEEKDAYS.index(name)) % 7
        if m.group("weekday").lower().startswith("last") and back == 0:
            back = 7
        return _on(published - dt.timedelta(days=back))
    if m.group("dayword"):
        return _on(published + dt.timedelta(days=DAYWORD_OFFSET[folded(m.group("dayword"))]))
    if m.group("lastyear"):
        offset = {"last": -1, "this": 0, "next": 1}[folded(m.group("lastyear").split()[0])]
        year = published.year + offset
        return (year, 0, 0), str(year)
    if m.group("ago"):
        raw = " ".join(folded(m.group("n")).split())
        n = int(raw) if raw.isdigit() else NUMBER_WORDS[raw]
        if m.group("unit").lower().startswith("year"):
            if n == 0:
                return None
            return (published.year - n, 0, 0), f"about {published.year - n}"
        months = published.year * 12 + published.month - 1 - (n or 6)
        year, month = divmod(months, 12)
        return (year, month + 1, 0), f"about {MONTHS[month]} {year}"
    if m.group("month_only"):
        return _month_of(m.group("month_only").split()[-1], published, m.string)
    return None


# "will vote in March", "is due in March": a month the sentence looks forward to.
LOOKS_FORWARD = re.compile(r"\b(?:will|shall|plans?|planned|expected|due|scheduled|set\s+to|next)\b", re.IGNORECASE)


def _month_of(name: str, published: dt.date, sentence: str) -> tuple[tuple[int, int, int], str]:
    """The month "in July" names in an article of `published`: the last July up to the article's
    month ("said in July" in an article of 30 August 2024 is July 2024), or the next one from it
    in a sentence that looks forward ("will vote in March" in one of September is March next year)."""
    month = month_number(name)
    if LOOKS_FORWARD.search(sentence):
        year = published.year + (month < published.month)
    else:
        year = published.year - (month > published.month)
    return (year, month, 0), f"{name} {year}"


def events_of(source: Source, *, min_words: int = 6) -> tuple[list[TimelineEvent], list[TimelineEvent]]:
    """(dated events, relative dates that could not be resolved) of one source."""
    published = dt.date.fromisoformat(source.meta.published) if source.meta.published else None
    dated: list[TimelineEvent] = []
    undated: list[TimelineEvent] = []
    # A sentence that stops without a full stop was cut off by the page or is a heading: its
    # date may belong to words that are missing.
    # (Split no further than `min_words` words: enough to count them.)
    sentences = [s for s in source.sentences
                 if len(s.text.split(maxsplit=min_words - 1)) >= min_words and ends_with_a_stop(s.text)]
    cues = _cues_held([s.text for s in sentences])
    deadlines: set[int] = set()  # the id() of each dated event that is a deadline
    for sentence in sentences:
        numbered = has_digit(sentence.text)  # every absolute date has a number
        may_be_relative = may_hold_any(sentence.text, cues)
        if not (numbered or may_be_relative):  # most sentences: no date of either kind
            continue
        starts: set[int] = set()
        dates_before = len(dated) + len(undated)
        if numbered:
            for key, when, (a, b) in _absolute(sentence.text, published):
                starts.add(a)
                if key is None:
                    undated.append(_event((0, 0, 0), when, when, False, sentence))
                else:
                    dated.append(_event(key, when, sentence.text[a:b], True, sentence))
                    if DEADLINE_BEFORE.search(sentence.text, max(0, a - DEADLINE_WITHIN), a):
                        deadlines.add(id(dated[-1]))
        day_words: list[TimelineEvent] = []
        tells_an_event: bool | None = None  # looked for once per sentence, at its first day word
        quoted: QuotedSpans | None = None  # the sentence's quotations, found at its first day word
        for m in RELATIVE.finditer(sentence.text) if may_be_relative else ():
            if not starts.isdisjoint(range(m.end(), m.end() + 4)):  # "on Sunday, March 2": the date says it
                continue
            resolved = _resolve(m, published) if published else None
            if m.group("dayword"):
                if tells_an_event is None:
                    tells_an_event = TELLS_AN_EVENT.search(sentence.text) is not None
                # "“Expect mass layoffs later today”": the day the speaker spoke, not the article's.
                quoted = quoted or QuotedSpans(sentence.text)
                if resolved and tells_an_event and _is_the_article_s_day(sentence.text, m) \
                        and not quoted.holds(m.start()):
                    day_words.append(_event(resolved[0], resolved[1], m.group(0), True, sentence))
                continue
            if resolved:
                dated.append(_event(resolved[0], resolved[1], m.group(0), True, sentence))
            else:
                undated.append(_event((0, 0, 0), m.group(0), m.group(0), False, sentence))
        # "first signed in 2001, still in force today": the sentence's own date says what it is about.
        if len(dated) + len(undated) == dates_before:
            dated += day_words
    return _latest_per_sentence(dated, deadlines), undated


def _cues_held(texts: list[str]) -> tuple[str, ...]:
    """The RELATIVE_CUES that any of `texts` holds, in lower case: a cue none holds need not be
    looked for in each (`may_hold_any` with these alone answers as with all of them)."""
    together = "\n".join([text.lower() for text in texts])
    return tuple(cue for cue in RELATIVE_CUES if cue in together)


class QuotedSpans:
    """Where a sentence's quotation marks stand, found once: whether a position is inside a
    quotation is then two binary searches, not a count over the text before it."""

    def __init__(self, text: str) -> None:
        self.opening = [i for i, ch in enumerate(text) if ch == "“"]
        self.closing = [i for i, ch in enumerate(text) if ch == "”"]
        self.straight = [i for i, ch in enumerate(text) if ch == '"']

    def holds(self, at: int) -> bool:
        """Between curly quotation marks, or after an odd number of straight ones."""
        return bisect_left(self.opening, at) > bisect_left(self.closing, at) or bisect_left(self.straight, at) % 2 == 1


def _is_the_article_s_day(text: str, m: re.Match[str]) -> bool:
    """Whether a day word names a day: not "until today", not a name ("USA Today", "the Today
    programme"). Only the few characters before it are read, so a long sentence stays linear."""
    before = text[max(0, m.start() - 8):m.start()].rstrip()
    if m.group("dayword")[0].isupper() and before[-1:].isalnum():  # "Today I can announce" opens a quote
        return False
    return not HOW_THINGS_STAND.search(text, max(0, m.start() - 8), m.start()) \
        and not A_FIGURE_BEFORE.search(text, max(0, m.start() - FIGURE_WITHIN), m.start())


def _latest_per_sentence(events: list[TimelineEvent],
                         deadlines: AbstractSet[int] = frozenset()) -> list[TimelineEvent]:
    """A sentence naming two dates is about the later one ("first proposed in 2001, signed in
    2025"; "$4.5 billion in 2024, up from $1.5 billion in 2021"), a deadline (`deadlines`: their
    events' id()) only where it has no other: one entry, not one per year."""
    latest: dict[str, TimelineEvent] = {}
    for e in events:
        here = latest.get(e.citation.sentence_id)
        if here is None or (id(here) in deadlines, e.sort_key) > (id(e) in deadlines, here.sort_key):
            latest[e.citation.sentence_id] = e
    return [e for e in events if latest[e.citation.sentence_id] is e]


# A date something lasts until ("agreed on Thursday to suspend the strike until Jan. 15"): the
# sentence is about its other date, if it has one (see `_latest_per_sentence`).
DEADLINE_BEFORE = re.compile(r"\b(?:until|till|through)\s+$", re.IGNORECASE)
DEADLINE_WITHIN = 10  # characters before a date read for DEADLINE_BEFORE


def _event(key: tuple[int, int, int], when: str, as_written: str, resolved: bool, s: Sentence) -> TimelineEvent:
    return TimelineEvent(sort_key=key, when=when, as_written=as_written, resolved=resolved, text=s.text,
                         citation=Citation(s.source_id, s.id))


MAX_EVENTS_PER_YEAR = 25
MAX_UNDATED = 50


def _merge_repeats(events: list[TimelineEvent]) -> list[TimelineEvent]:
    """The same dated sentence in several sources is one entry citing all of them."""
    groups: dict[tuple, list[TimelineEvent]] = {}
    for e in events:
        groups.setdefault((e.sort_key, e.when, " ".join(e.text.lower().split())), []).append(e)
    merged = []
    for group in groups.values():
        group.sort(key=lambda e: (e.citation.source_id, e.citation.sentence_id))
        merged.append(dataclasses.replace(group[0], corroborated_by=tuple(e.citation for e in group[1:])))
    return merged


def _same_day(events: list[TimelineEvent]) -> list[TimelineEvent]:
    """Events on the same day are one event in a story's coverage: one entry, the sentence most
    sources share (then the first), citing every source that dates something to that day."""
    days: dict[tuple[int, int, int], list[TimelineEvent]] = {}
    kept = []
    for e in events:
        if e.sort_key[2]:
            days.setdefault(e.sort_key, []).append(e)
        else:
            kept.append(e)
    for group in days.values():
        main = min(group, key=lambda e: (-len(e.corroborated_by), _order(e)))
        others = {c for e in group for c in (e.citation, *e.corroborated_by)} - {main.citation}
        kept.append(dataclasses.replace(main, corroborated_by=tuple(sorted(
            others, key=lambda c: (c.source_id, c.sentence_id)))))
    return sorted(kept, key=_order)


def _order(e: TimelineEvent) -> tuple:
    return (e.sort_key, e.citation.source_id, e.citation.sentence_id, e.as_written)


def timeline(per_source: Iterable[tuple[list[TimelineEvent], list[TimelineEvent]]],
             ) -> tuple[tuple[TimelineEvent, ...], tuple[TimelineEvent, ...], tuple[tuple[int, int], ...]]:
    """Merge each source's (dated, undated) events into one order: (dated, undated, hidden per year).

    A crowded year keeps the events most sources report, so the page stays readable at any corpus size.
    """
    dated: list[TimelineEvent] = []
    undated: list[TimelineEvent] = []
    for d, u in per_source:
        dated += d
        undated += u
    by_year: dict[int, list[TimelineEvent]] = {}
    for e in _same_day(_merge_repeats(sorted(set(dated), key=_order))):
        by_year.setdefault(e.sort_key[0], []).append(e)
    shown: list[TimelineEvent] = []
    hidden: list[tuple[int, int]] = []
    for year in sorted(by_year):
        events = sorted(by_year[year], key=lambda e: (-len(e.corroborated_by), _order(e)))
        shown += events[:MAX_EVENTS_PER_YEAR]
        if len(events) > MAX_EVENTS_PER_YEAR:
            hidden.append((year, len(events) - MAX_EVENTS_PER_YEAR))
    undated_shown = sorted(_merge_repeats(sorted(set(undated), key=_order)),
                           key=lambda e: (-len(e.corroborated_by), _order(e)))[:MAX_UNDATED]
    return tuple(sorted(shown, key=_order)), tuple(sorted(undated_shown, key=_order)), tuple(hidden)


DAYS_BEFORE_THE_STORY = 92  # dated events this long before the first article are the story's own


@dataclasses.dataclass(frozen=True)
class TimelinePage:
    """The timeline as a reader meets it: the story's own dates first, then what came before."""

    own: tuple[TimelineEvent, ...]  # dated to a day or month from shortly before the first article on
    own_unplaced: tuple[TimelineEvent, ...]  # "on Friday", "December 25" in articles with no date
    earlier: tuple[TimelineEvent, ...]  # the background: years, and days long before the story
    other_unplaced: tuple[TimelineEvent, ...]  # "last year", "three years ago" in undated articles
    # For each of `own`, the undated mentions that most likely name its day (see `likely_day`).
    beside: tuple[tuple[TimelineEvent, ...], ...] = ()


def timeline_page(dated: Iterable[TimelineEvent], undated: Iterable[TimelineEvent],
                  published: Iterable[str]) -> TimelinePage:
    dates = sorted(published)
    start = dt.date.fromisoformat(dates[0]) - dt.timedelta(days=DAYS_BEFORE_THE_STORY) if dates else None
    own: list[TimelineEvent] = []
    earlier: list[TimelineEvent] = []
    for e in dated:
        year, month, day = e.sort_key
        is_own = start is not None and month and (year, month, day or 31) >= (start.year, start.month, start.day)
        (own if is_own else earlier).append(e)
    own_unplaced: list[TimelineEvent] = []
    other_unplaced: list[TimelineEvent] = []
    beside: list[list[TimelineEvent]] = [[] for _ in own]
    own_words = [_words(e.text) for e in own]  # once, not once per undated mention
    for e in undated:
        if not WEEKDAY_OR_DAY.search(e.as_written):
            other_unplaced.append(e)
            continue
        near = likely_day(e, own, own_words)
        if near is None:
            own_unplaced.append(e)
        else:
            beside[near].append(e)
    return TimelinePage(tuple(own), tuple(own_unplaced), tuple(earlier), tuple(other_unplaced),
                        tuple(tuple(b) for b in beside))


WEEKDAY_OR_DAY = re.compile(r"\b(?:" + "|".join(WEEKDAYS) + r")\b|\d", re.IGNORECASE)
WORD = re.compile(r"[a-z][a-z'’-]{3,}")
DATE_WORDS = frozenset(w.lower() for w in (*WEEKDAYS, *MONTHS))
# Words an undated mention must share with the event it is put beside: a weekday recurs every
# week, so it needs a sentence that says much the same; a day and month is itself most of the proof.
MIN_SHARED_WORDS = {"weekday": 3, "day": 1}


def likely_day(e: TimelineEvent, own: list[TimelineEvent], own_words: list[set[str]]) -> int | None:
    """Which of the story's dated events an undated mention ("on Friday" in an article with no
    date) most likely names: one on that weekday, or that day and month, whose sentence shares
    the most words with it besides dates (at least MIN_SHARED_WORDS); None if none does. Shown
    beside that event and marked as inferred, never moved onto a date of its own."""
    test = _day_test(e.as_written)
    if test is None:
        return None
    kind, fits = test
    words = _words(e.text)
    best: tuple[int, int] | None = None  # (shared words, -position)
    for i, (candidate, candidate_words) in enumerate(zip(own, own_words, strict=True)):
        year, month, day = candidate.sort_key
        if not (day and _valid(year, month, day) and fits(dt.date(year, month, day))):
            continue
        shared = len(words & candidate_words)
        if shared >= MIN_SHARED_WORDS[kind] and (best is None or (shared, -i) > best):
            best = (shared, -i)
    return -best[1] if best else None


def _words(text: str) -> set[str]:
    return set(WORD.findall(text.lower())) - DATE_WORDS


def _day_test(as_written: str) -> tuple[str, Callable[[dt.date], bool]] | None:
    """What a day must be to be the one an undated mention names: its day and month, or its weekday."""
    for pattern in DAY_AND_MONTH:
        m = pattern.search(as_written)
        if m:
            month, day = month_number(m.group("month")), int(m.group("day"))
            return "day", lambda d, named=(month, day): (d.month, d.day) == named
    for i, name in enumerate(WEEKDAYS):
        if name.lower() in as_written.lower():
            return "weekday", lambda d, named=i: d.weekday() == named
    return None
