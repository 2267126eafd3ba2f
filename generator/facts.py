"""Key figures and direct quotations, with where the sources disagree.

Figures are amounts, counts, durations and dated things as the sources write them
("$4.5 billion", "47 provisions", "20-year pact", "2001 framework"). Each is shown with the
source's own words around it, which say what it measures; figures for the same measure
(same unit and same subject, after the configured synonyms) are grouped, and a group whose
sources give different values is a disagreement. Quotations are the text between quotation
marks, verbatim, with the speaker when a known player is named next to a speech verb.
Nothing here rewrites a source's words.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence

from .clean import FOLDS_TO_ASCII, folded, has_digit, may_hold_any
from .config import Facts
from .config import Players as PlayerSettings
from .model import Citation, Figure, FigureGroup, Player, Quote, Sentence, Source, Spelling
from .players import NAME_GAP_BODY, NAME_WORD, title_pattern
from .rank import STOPWORDS, tokens
from .timeline import MONTHS, WEEKDAYS

WORD_NUMBERS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "hundred": 100,
}
NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|" + "|".join(WORD_NUMBERS) + r")"
MAX_PER_GROUP = 8  # figures shown per measure; the count of the rest is kept
WORDS = re.compile(r"\w+")
MAY_HAVE_FIGURE = re.compile(r"\d|\b(?:" + "|".join(WORD_NUMBERS) + r")\b", re.IGNORECASE)
# Each number word alone: searched for only where the text holds it, as a sentence mostly holds
# one at most ("ten" in "often"), it takes a quarter of the time the pattern of all of them does.
WORD_NUMBER_ALONE = {word: re.compile(rf"\b{word}\b", re.IGNORECASE) for word in WORD_NUMBERS}
# "billion", "bn", "m": a scale written out or abbreviated, with or without a space before it.
SCALE_WORDS = {"thousand": "thousand", "k": "thousand", "million": "million", "mn": "million", "m": "million",
               "billion": "billion", "bn": "billion", "trillion": "trillion", "tn": "trillion"}
SCALE = r"(?:\s?(?P<scale>thousand|million|billion|trillion|bn|mn|tn|m|k)\b)?"
CURRENCY_WORDS = {"dollars": "$", "euros": "€", "pounds": "£", "yen": "¥", "yuan": "yuan", "rubles": "rubles",
                  "roubles": "rubles", "rials": "rials", "rupees": "rupees"}
# "$4.5-5 billion", "$4.5 to $5 billion": a range is one figure, valued at its low end.
RANGE = rf"{NUMBER}(?:\s?(?:-|–|to)\s?[$€£¥]?{NUMBER})?"
MONEY = re.compile(
    rf"(?P<code>\b(?:US|HK|A|C|NZ|S)|\b)?(?P<sign>[$€£¥])\s?(?P<n>{RANGE}){SCALE}"
    rf"|\b(?P<n2>{RANGE}){SCALE.replace('scale', 'scale2')}\s(?P<word>{'|'.join(CURRENCY_WORDS)})\b",
    re.IGNORECASE)
PERCENT = re.compile(rf"\b{NUMBER}(?:\s?%|\s(?:percent|per cent))", re.IGNORECASE)
# "47 provisions", "20-year pact", "three hours", "six nuclear powers": a number and its unit.
# The unit is in lowercase ("two Second Year students" counts no years); a number glued to a name
# by a hyphen or a slash is a model's ("GEnx-18 engines", "B787-8/9 aircraft").
COUNT = re.compile(rf"(?<![^\W\d_]-)(?<!/)\b(?P<n>{NUMBER})(?:-|\s)(?P<unit>(?-i:(?:[a-z]+\s)?[a-z]+))\b",
                   re.IGNORECASE)
# A number right after a capitalised name is the name's model or series ("Boeing 787 aircraft").
AFTER_A_NAME = re.compile(r"(?<![.!?:]\s)(?<!^)\b[A-Z][\w-]*[a-z][\w-]*\s$")
YEAR_NOUN = re.compile(r"\b(?P<n>(?:19|20)\d{2})\s(?P<unit>[a-z]+)\b")
# The figures a disaster's or a war's coverage leads with, however they are worded: "3,400
# injured", "1,700 people were killed", "killed 144 people", "the death toll rose to 2,056".
# Each is counted as its state (dead, injured, missing), so two outlets' tolls are one measure.
ABOUT = r"(?:(?:at\s+least|more\s+than|nearly|almost|about|around|some|over)\s+)?"
PEOPLE = r"(?:people|persons|civilians|others|residents|workers|passengers|children|soldiers|troops|migrants)"
CASUALTY = re.compile(
    rf"\b(?P<n>{RANGE})\s+(?:{PEOPLE}\s+)?"
    r"(?:(?:were|are|was|(?:have|has|had)(?:\s+been)?)\s+(?:reported\s+)?)?"
    r"(?P<state>dead|killed|died|injured|wounded|hurt|missing)\b"
    # "killed 144 people", "killing 241 of the 242 on board"
    rf"|\b(?P<verb>killed|killing|kills|injured|injuring|wounded|wounding)\s+{ABOUT}(?P<n2>{RANGE})\s+(?:{PEOPLE}|of)\b"
    r"|\bdeath\s+toll\b[^.;:!?\d]{0,40}?\b(?:to|at|of|past|reached|hit|exceeded|topped|above)\s+"
    rf"{ABOUT}(?P<n3>{NUMBER})\b(?!\s*(?:%|percent|per\s+cent))"
    rf"|\b(?P<n4>{NUMBER})\s+lives\b",  # "claimed 270 lives"
    re.IGNORECASE)
CASUALTY_STATES = {"dead": "dead", "killed": "dead", "killing": "dead", "kills": "dead", "died": "dead",
                   "injured": "injured", "injuring": "injured", "wounded": "injured", "wounding": "injured",
                   "hurt": "injured", "missing": "missing"}
CASUALTY_UNITS = frozenset(CASUALTY_STATES.values())
# What each pattern cannot match without: most sentences with a number have none of them, and
# these patterns, which can start anywhere, are tried at every character (half of `figures_in`).
CURRENCY_SIGNS = "$€£¥"
CASUALTY_CUES = ("dead", "kill", "died", "injur", "wound", "hurt", "missing", "death", "lives")
PERCENT_CUES = ("percent", "per cent")
# Words between a number and a noun that make the noun no count of the number's ("999 so people",
# "12 to ships"); an adjective may stand there ("43 container ports").
NOT_A_MODIFIER = frozenset("so to and or but of in on at for from by as if than that which who when".split())  # noqa: SIM905
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
UNITS = {
    "year", "years", "month", "months", "week", "weeks", "day", "days", "hour", "hours", "decade", "decades",
    "article", "articles", "provision", "provisions", "clause", "clauses", "point", "points", "member",
    "members", "people", "troops", "soldiers", "drones", "missiles", "tons", "tonnes", "barrels", "kilometres",
    "kilometers", "miles", "km", "powers", "projects", "agreements", "documents", "officials", "companies",
    "banks", "ships", "aircraft", "jets", "sites",
}  # not "countries", "nations", "leaders": "the two countries" names the parties, it is not a figure
UNIT_SINGULARS = {singular_ for singular_ in (u[:-1] if u.endswith("s") else u for u in UNITS)}
# Words ending in "s" that are no plural noun after a number ("5 across", "in 2 has").
NOT_PLURAL = {"does", "goes", "says", "always", "towards", "afterwards", "across", "whereas", "besides",
              "perhaps", "news", "ones", "plus", "less", "thus", "unless", "its", "this", "has", "was", "is"}
TIME_UNITS = {"year", "years", "month", "months", "week", "weeks", "day", "days", "hour", "hours", "decade",
              "decades"}
QUOTE = re.compile(r"“([^”]{3,400})”|\"([^\"]{3,400})\"")
SPEECH = re.compile(r"\b(?:said|says|stated|states|told|hailed|called|described|describes|emphasi[sz]e[sd]?|stressed|"
                    r"warned|added|adding|congratulated|noted|highlighted|declared|announced|insisted|argued|wrote|stating|saying|"
                    r"praised|expressed|characteri[sz]es|characteri[sz]ed|according to)\b")


def _number(text: str) -> float | None:
    text = folded(text).replace(",", "")
    if text in WORD_NUMBERS:
        return float(WORD_NUMBERS[text])
    try:
        return float(text)
    except ValueError:
        return None


# Plurals in -ches whose singular keeps its e: "tranches" is "tranche", not "tranch".
KEEP_THE_E = frozenset({"headaches", "toothaches", "niches", "caches", "avalanches", "tranches", "cliches",
                        "psyches", "moustaches", "mustaches", "quiches", "creches", "douches"})


def singular(word: str) -> str:
    """A counted thing's singular: "branches" is "branch", "ferries" "ferry", "ships" "ship"."""
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")) and word not in KEEP_THE_E:
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and word not in {"tons", "aircraft"}:
        return word[:-1]
    return word


# "the 2 nations" names the parties (a spinner's "the two nations"); it counts nothing.
THE_FEW = re.compile(r"\bthe [1-3]\b", re.IGNORECASE)


def is_plural_noun(word: str) -> bool:
    return len(word) >= 4 and word.endswith("s") and not word.endswith("ss") and word not in NOT_PLURAL


NON_SPACE = re.compile(r"\S+")


def _word_starts_before(text: str, start: int, words: int) -> list[int]:
    """Starts of the last `words` runs of non-space before `start`, as a search of all of
    text[:start] finds them, searching back in a window that doubles until it holds one more
    run than needed (its first run may be cut) or reaches the start: a figure's context costs
    its own length, not the text's (a sentence of many figures was quadratic)."""
    width = 64 * (words + 1)
    while True:
        low = max(0, start - width)
        found = [m.start() for m in NON_SPACE.finditer(text, low, start)]
        if low == 0 or len(found) > words:
            return found if low == 0 else found[1:]
        width *= 2


def _word_ends_after(text: str, end: int, words: int) -> list[int]:
    """Ends (from `end`) of the first `words` runs of non-space after `end`, likewise."""
    width = 64 * (words + 1)
    while True:
        high = min(len(text), end + width)
        found = [m.end() - end for m in NON_SPACE.finditer(text, end, high)]
        if high == len(text) or len(found) > words:
            return found if high == len(text) else found[:-1]
        width *= 2


def _context(text: str, start: int, end: int, words: int) -> str:
    """The figure with up to `words` words either side: a verbatim slice, with an ellipsis where cut."""
    before = _word_starts_before(text, start, words)
    after = _word_ends_after(text, end, words)
    left = before[-words] if words and len(before) >= words else 0
    right = end + after[words - 1] if words and len(after) >= words else len(text)
    return ("… " if left > 0 else "") + text[left:right].strip() + (" …" if right < len(text) else "")


def _subject(window: str, settings: Facts) -> str:
    """The thing a figure is about, by the configured synonyms ("pact" -> "treaty"), or ""."""
    subjects = settings.subjects or {}
    for word in re.findall(r"[a-z]+", window.lower()):
        if word in subjects:
            return subjects[word]
    return ""


# Physical measures: a length or weight next to a name ("the 162-kilometre Rasht-Astara railway")
# is that named thing's, so two sources' values of it are compared. Money is not: "$5bn of debt"
# and "a $20bn price" beside the same company's name are two measures.
MEASURES_OF_NAMED_THINGS = {"km", "mile", "ton", "tonne", "barrel"}
NAME = re.compile(r"\b[A-Z][\w’'-]*[a-z][\w’'-]*(?:[ -](?:of |al-)?[A-Z][\w’'-]*)*")
NOT_A_NAME_START = {"The", "A", "An", "It", "Its", "This", "That", "These", "Those", "In", "On", "At", "By",
                    "For", "From", "With", "And", "But", "Their", "His", "Her"}


def _named_thing(text: str, start: int, end: int) -> str:
    """The proper name nearest a figure within a few words (its capitalised first word dropped when
    that is only a sentence's or clause's opening: "The Rasht-Astara" is "Rasht-Astara"; one word
    opening the sentence is no name), or ""."""
    best = ""
    distance = 61
    for m in NAME.finditer(text, max(0, start - 60), min(len(text), end + 60)):
        words = m.group(0).split()
        if m.start() == 0 and len(words) == 1:
            continue
        while words and words[0] in NOT_A_NAME_START:
            words.pop(0)
        if not words:
            continue
        gap = start - m.end() if m.end() <= start else m.start() - end
        if 0 <= gap < distance:
            best, distance = " ".join(words), gap
    return best


def figures_in(sentence: Sentence, settings: Facts) -> list[Figure]:
    text = sentence.text
    found: list[Figure] = []
    taken = bytearray(len(text) + 1)  # characters of figures found: a check costs the figure's length
    citation = Citation(sentence.source_id, sentence.id)

    def add(start: int, end: int, kind: str, unit: str, value: float | None) -> None:
        if taken.find(1, start, end) >= 0:
            return
        taken[start:end] = b"\x01" * (end - start)
        window = text[max(0, start - 60): end + 60]
        years = sorted(set(YEAR.findall(window)) - {text[start:end]}) if kind != "date" else []
        unit = settings.units.get(unit, unit)
        subject = "" if kind == "date" else _subject(window, settings)
        if not subject and unit in MEASURES_OF_NAMED_THINGS:
            subject = _named_thing(text, start, end)
        if kind == "date":  # "the 2001 framework": what is dated is the measure; dates are listed, not compared
            key = f"date · {unit}"
        elif subject:
            key = " · ".join(x for x in (unit, subject, years[0] if len(years) == 1 and kind == "amount" else "")
                             if x)
        else:
            key = unit
        found.append(Figure(text[start:end], value, kind, key, _context(text, start, end, settings.context_words),
                            citation, alone=kind != "date" and not subject))

    may_be_money = any(sign in text for sign in CURRENCY_SIGNS) or may_hold_any(text, CURRENCY_WORDS)
    for m in MONEY.finditer(text) if may_be_money else ():
        digits = re.match(NUMBER, m.group("n") or m.group("n2"), re.IGNORECASE)
        scale = SCALE_WORDS.get(folded(m.group("scale") or m.group("scale2") or ""), "")
        code = (m.group("code") or "").upper().replace("US", "")  # US$ is $; HK$ is not
        currency = code + m.group("sign") if m.group("sign") else CURRENCY_WORDS[folded(m.group("word"))]
        add(m.start(), m.end(), "amount", f"{currency} {scale}".strip(), _number(digits.group(0)) if digits else None)
    for m in CASUALTY.finditer(text) if may_hold_any(text, CASUALTY_CUES) else ():
        state = m.group("state") or m.group("verb") or "dead"
        n = re.match(NUMBER, m.group("n") or m.group("n2") or m.group("n3") or m.group("n4"), re.IGNORECASE)
        if n is not None and not YEAR.fullmatch(n.group(0)):  # "the death toll of 2015" gives no toll
            # "the death toll rose to 2,056": 2,056 dead; a range ("10-12 people were hurt") is its low end
            start = m.start("n3") if m.group("n3") else m.start()
            end = m.end("n2") if m.group(0).lower().endswith(" of") else m.end()  # "killing 241| of the 242"
            add(start, end, "count", CASUALTY_STATES[folded(state)], _number(n.group(0)))
    for m in PERCENT.finditer(text) if "%" in text or may_hold_any(text, PERCENT_CUES) else ():
        digits = re.search(NUMBER, m.group(0), re.IGNORECASE)  # always found: PERCENT begins with one
        add(m.start(), m.end(), "share", "%", _number(digits.group(0)) if digits else None)
    for m in YEAR_NOUN.finditer(text):
        if m.group("unit") in settings.dated_things:
            add(m.start(), m.end(), "date", settings.units.get(m.group("unit"), m.group("unit")), float(m.group("n")))
    for m in COUNT.finditer(text):
        if m.group("n")[0].isdigit() and AFTER_A_NAME.search(text, max(0, m.start() - 30), m.start()):
            continue
        words = m.group("unit").lower().split()
        if words[0] in NOT_A_MODIFIER:  # "call 999 so people can get help": no count of people
            continue
        counted = next((w for w in reversed(words) if w in UNITS), None)
        if counted is None and words[0] in UNIT_SINGULARS and text[m.start("unit") - 1] == "-":
            counted = words[0]  # "162-kilometre line": a unit as an adjective, in the singular
        if counted is None and m.group("n")[0].isdigit() \
                and not THE_FEW.search(text, max(0, m.start() - 4), m.start() + 2):
            # "43 ports", "23 countries", "27 member states": written in digits, a count of anything
            counted = next((w for w in (words[0], words[-1]) if is_plural_noun(w)), None)
        if counted is None or YEAR.fullmatch(m.group("n")):
            continue
        unit, end = singular(counted), m.end() if words[-1] == counted else m.start("unit") + len(words[0])
        if counted == words[0] and len(words) == 2 and counted not in TIME_UNITS and not is_plural_noun(counted) \
                and is_plural_noun(words[1]) and text[m.start("unit") - 1] != "-":
            unit, end = f"{counted} {singular(words[1])}", m.end()  # "15 member states": states are counted
        kind = "duration" if counted in TIME_UNITS else "count"
        add(m.start(), end, kind, unit, _number(m.group("n")))
    return sorted(found, key=lambda f: f.context)


# A company's name with a capital inside ("CrowdStrike", "BlackRock", "OpenAI"): no common word is
# written so, so it is a name even where a sentence opens on it ("CrowdStrike said ...").
CAMEL_CASE = r"[A-Z][a-z]+(?:[A-Z][a-z]*)+"
CAMEL_CASE_WORD = re.compile(CAMEL_CASE)
# A name no gazetteer or title gives: two to four capitalised words ("Mempho Mujanovic", "Red
# Eléctrica", "Maria de Souza"). It may speak when a speech verb attributes it.
# A body's initials may open it: "NHS England", "BBC News", "EU Commission".
PLAIN_NAME = re.compile(rf"(?<![\w’'-])(?:{NAME_WORD}|[A-Z]{{2,5}}(?=\s+[A-Z][a-z]))"
                        rf"(?:{NAME_GAP_BODY}{NAME_WORD}){{1,3}}(?![\w’'-])")
CAPITALISED_WORD = re.compile(rf"(?<![\w’'-])(?:{NAME_WORD}|{CAMEL_CASE}|[A-Z]{{2,6}}(?:-[A-Z]{{1,3}})?)(?![\w’'-])")
# A name no gazetteer or title vouches for speaks only right beside its speech verb ("Aagesen
# told", "Karoline Leavitt said", "said Jalali"): in "the Iranian president said" and "White House
# press secretary Karoline Leavitt said" the words before are not the speaker. After the verb, only
# a verb of saying puts the speaker there: "told Reuters", "praised Iberdrola", "according to
# Reuters" name the listener, the praised or the report.
SPEECH_RIGHT_AFTER = re.compile(r",?\s+(?:(?:spokesperson|spokesman|spokeswoman|representative|official)s?\s+)?"
                                + SPEECH.pattern)  # "a SkyLink spokesperson said": the company speaks
# The verbs of saying after which a speaker is named ("said Jalali").
SAYING = (r"\b(?:said|says|added|stated|announced|wrote|insisted|noted|stressed|explained|argued|declared|continued|"
          r"replied|asked)")
HONORIFICS = frozenset(["Mr", "Mrs", "Ms", "Miss", "Dr", "Sir", "Dame", "Lord", "Lady"])
# An honorific may stand between ("said Mr Starmer", British style, without a full stop).
SPEAKER_AFTER_SAYING = re.compile(SAYING + rf"\s+(?:(?:{'|'.join(sorted(HONORIFICS))})\.?\s+)?$")
SAYING_WITHIN = 20  # characters before a name read for SPEAKER_AFTER_SAYING


# "said Red Eléctrica chief Beatriz Corredor": after the verb, a name followed by a role and another
# name is the other's employer, not the speaker.
ROLE_AND_NAME_AFTER = re.compile(r"\s+(?!(?:on|in|at|to|from|for|by|with|after|before|during|last|this|next)\s)"
                                 r"[a-z][\w-]*\s+[A-ZÀ-ÖØ-Þ]")  # not "on Monday", "in Tallinn"
NEXT_CAPITAL = re.compile(r"\s+[A-ZÀ-ÖØ-Þ]")
# What may come right before a word that opens a clause, not one inside it: the text's start, an
# opening quotation mark (a straight one after a space), a bracket, a colon or a sentence's end.
OPENS_A_CLAUSE = re.compile(r"(?:^|[“‘(\[:]|(?:^|\s)\"|[.!?][”\"’)]?)\s*$")
WEEKDAY_WORDS = frozenset(WEEKDAYS)
NOT_NAME_WORDS = WEEKDAY_WORDS | frozenset(MONTHS) | frozenset("""The A An It Its This That These Those In On At By
For From With And But Their His Her After Before As When While If Since Under Over Speaking Asked""".split())  # noqa: SIM905


# "said Red Eléctrica chief Beatriz Corredor": after the verb, an employer and a role before the name.
SAYING_THEN_EMPLOYER = re.compile(SAYING + r"\s+(?:the\s+)?(?:[A-Z][\w’'.&-]*\s+){1,4}(?:[a-z]+\s+){1,2}$")


# An aside between commas that a speech verb follows right after: the speaker's role or a clause
# about them ("Pedro Sánchez, Spain's prime minister, told", "Ebba Busch, who holds Sweden's energy
# brief, said"). No quotation, bracket or clause break inside; a number's thousands comma may be.
# A word in lower case: an aside all in capitals is the name itself ("the head of Red Eléctrica,
# Beatriz Corredor, said": she speaks, not her employer).
# Two at most: "Sara Aagesen, the Third Deputy Prime Minister, who chairs the committee, said".
ASIDE = r"(?:,\s+(?=[^,;:\"“”]*?(?<!\S)[a-z])(?:[^,;:\"“”()\[\]]|(?<=\d),(?=\d{3}))+?){1,2},\s+"
ASIDE_BEFORE_VERB = re.compile(ASIDE)
ASIDE_THEN_SPEECH = re.compile(ASIDE + SPEECH.pattern)
MAX_ASIDE = 100  # characters of an aside and its commas: a longer one is a clause of its own
LONGEST_SPEECH_VERB = 20


def _beside_speech(text: str, start: int, end: int) -> bool:
    return bool(SPEECH_RIGHT_AFTER.match(text, end)
                or ASIDE_THEN_SPEECH.match(text, end, end + MAX_ASIDE + LONGEST_SPEECH_VERB)
                or ((SPEAKER_AFTER_SAYING.search(text, max(0, start - SAYING_WITHIN), start)
                     or SAYING_THEN_EMPLOYER.search(text, max(0, start - 70), start))
                    and not ROLE_AND_NAME_AFTER.match(text, end)))


class SpeakerFinder:
    """Names that can speak in a sentence: people and organisations from the gazetteer, people
    the sentence itself names after a title ("Ambassador to Moscow Kazim Jalali"), and other
    names of two words or more. Places do not speak. A surname alone ("Aagesen told reporters")
    is the full name its article gives elsewhere ("Sara Aagesen"), when only one has that
    surname. Built once per run from the config, so workers can use it."""

    def __init__(self, settings: PlayerSettings) -> None:
        self.is_person = {v: e.kind == "person" for e in settings.gazetteer if e.kind in ("person", "organisation")
                          for v in (e.name, *e.variants)}
        self.places = frozenset(v for e in settings.gazetteer if e.kind == "place" for v in (e.name, *e.variants))
        names = sorted(self.is_person, key=len, reverse=True)
        self.known = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)") if names else None
        self.titled = title_pattern(settings.titles)
        self.title_words = frozenset(w for t in settings.titles for w in t.split()) | HONORIFICS

    def plain_names(self, text: str) -> Iterator[tuple[int, str]]:
        """Names of two words or more that are no place, without a sentence's opening word ("In",
        "Speaking"), a date's ("Monday") or a title's and what comes before it ("President Donald
        Trump" and "Transportation Secretary Pete Buttigieg" are the names after the title; "the
        Third Deputy Prime Minister" is a role, no name)."""
        for m in PLAIN_NAME.finditer(text):
            words = [(m.start() + w.start(), w.group()) for w in NON_SPACE.finditer(m.group(0))]
            while words and words[0][1] in NOT_NAME_WORDS:
                words.pop(0)
            titled = [i for i, (_, word) in enumerate(words) if word in self.title_words]
            if titled:
                words = words[titled[-1] + 1:]
            name = " ".join(word for _, word in words)
            if len(words) >= 2 and name not in self.places and WEEKDAY_WORDS.isdisjoint(name.split()):
                yield words[0][0], name

    def names_in(self, text: str) -> set[str]:
        """The names of two words or more in `text`: a title's name or a plain one, without the
        words of a title ("Secretary General Mark Rutte" has one name, Mark Rutte)."""
        names = {name for _, name in self.plain_names(text)}
        if self.titled is not None:
            for m in self.titled.finditer(text):
                words = m.group("name").split()
                while words and words[0] in self.title_words:
                    words.pop(0)
                names.add(" ".join(words))
        return {name for name in names if " " in name}

    def names(self, text: str) -> list[tuple[int, bool, str]]:
        """(position, is a person, the name as written). Besides the gazetteer's, titled and plain
        names: one capitalised word inside a clause and right beside a speech verb ("…,” Aagesen
        told reporters"), a person's surname, or an acronym ("ENTSO-E said"), an organisation's.
        A word opening the text or a quotation may be any word ("Officials said")."""
        found = []
        if self.known is not None:
            found += [(m.start(), self.is_person[m.group(0)], m.group(0)) for m in self.known.finditer(text)]
        titles = list(self.titled.finditer(text)) if self.titled is not None else []
        found += [(m.start("name"), True, m.group("name")) for m in titles]
        named = bytearray(len(text) + 1)  # characters inside a name, or a title, found already
        for start, end in [(pos, pos + len(name)) for pos, _, name in found] + [m.span() for m in titles]:
            named[start:end] = b"\x01" * (end - start)
        for pos, name in self.plain_names(text):  # not part of a known or titled name ("US State Department")
            if not any(named[pos:pos + len(name)]) and _beside_speech(text, pos, pos + len(name)):
                found.append((pos, False, name))
                named[pos:pos + len(name)] = b"\x01" * len(name)
        for m in CAPITALISED_WORD.finditer(text):
            word = m.group(0)
            if (word in NOT_NAME_WORDS or word in self.places or word.lower() in STOPWORDS or named[m.start()]
                    or word in self.title_words  # "the Deputy Prime Minister, who ..., said": a role
                    or NEXT_CAPITAL.match(text, m.end())  # one word of a longer name or title ("Cabinet Minister")
                    or (OPENS_A_CLAUSE.search(text, max(0, m.start() - 4), m.start())
                        and not CAMEL_CASE_WORD.fullmatch(word))
                    or not _beside_speech(text, m.start(), m.end())):
                continue
            found.append((m.start(), not word.isupper(), word))
        return found


# Between a speaker and the speech verb after it: a few words, no new clause ("John Lee said",
# "Kremlin officials emphasize", "Trump issued a stark warning, stating"). Between the verb and
# a speaker after it: names, titles, "by" and punctuation only ("said Chief Executive John Lee",
# "praised by Putin"); "said the deal showed that CK Hutchison" names no speaker.
SPEAKER_BEFORE_VERB = re.compile(r"(?:[\s,]*(?!(?:that|which|who|whom|because|while|but|if|when)\b)[\w'’.-]+){0,5}"
                                 r"[\s,]*")
SPEAKER_AFTER_VERB = re.compile(r"[\s,]*(?:(?:by|the|of|for|and|to|\d+|[A-Z][\w'’.-]*|"
                                r"chief|head|boss|spokesperson|spokesman|spokeswoman|director|minister|secretary|"
                                r"president|chairman|chairwoman|executive|official|analyst|founder|leader)[\s,]+)*")
SCARE_QUOTE_WORDS = 3  # this short and said by no one: a phrase held at arm's length, not a quotation
NAME_SMALL_WORDS = frozenset({"of", "and", "for", "the", "on", "in", "to", "a", "&"})
MAX_QUOTED_NAME_WORDS = 8
SAID_AFTER = 40  # characters after a quotation a speech verb says it was spoken: "“…,” the minister said"
# Just before it, a verb of saying (not of naming: "which it called the “New Arrangements”"):
# "Putin said: “Glory To Ukraine”".
SAID_JUST_BEFORE = re.compile(r"\b(?:said|says|told|stated|declared|added|wrote|saying|stating|chanted|shouted)"
                              r"\s*[:,]?\s*$")
SAID_BEFORE = 15  # characters read before a quotation for SAID_JUST_BEFORE


def _spoken_there(text: str, start: int, end: int) -> bool:
    """Whether a speech verb stands just before or just after the quotation at text[start:end]."""
    return SAID_JUST_BEFORE.search(text, max(0, start - SAID_BEFORE), start) is not None \
        or SPEECH.search(text, end, end + SAID_AFTER) is not None


def is_quoted_name(quoted: str) -> bool:
    """A name in quotation marks, not words someone said: "Bank Term Funding Program," "New
    Arrangements": every word capitalised (but small ones inside), no sentence in it."""
    inside = quoted.strip().rstrip(",.")
    words = inside.split()
    return 2 <= len(words) <= MAX_QUOTED_NAME_WORDS and words[0][:1].isupper() \
        and all(w[:1].isupper() or (w in NAME_SMALL_WORDS and 0 < i < len(words) - 1) for i, w in enumerate(words)) \
        and not any(ch in inside for ch in ".!?;:")


MAX_ATTRIBUTION_GAP = 80  # characters between a speaker and the verb: more is another clause


def speech_verb_spans(text: str) -> tuple[list[int], list[int]]:
    """Where the text's speech verbs start and end, in order (what `_attributed` looks up)."""
    spans = [v.span() for v in SPEECH.finditer(text)]
    return [a for a, _ in spans], [b for _, b in spans]


def _attributed(text: str, name_start: int, name_end: int, verb_starts: list[int], verb_ends: list[int]) -> bool:
    """Only the verbs nearest the name are tried, so a sentence of many names and verbs costs
    one lookup per name."""
    i = bisect_left(verb_starts, name_end)
    if i < len(verb_starts):
        gap = verb_starts[i] - name_end
        if (gap <= MAX_ATTRIBUTION_GAP and SPEAKER_BEFORE_VERB.fullmatch(text, name_end, verb_starts[i])) \
                or (gap <= MAX_ASIDE and ASIDE_BEFORE_VERB.fullmatch(text, name_end, verb_starts[i])):
            return True
    j = bisect_left(verb_ends, name_start + 1) - 1
    return j >= 0 and name_start - verb_ends[j] <= MAX_ATTRIBUTION_GAP \
        and SPEAKER_AFTER_VERB.fullmatch(text, verb_ends[j], name_start) is not None


class FullNames:
    """An article's full name for a surname ("Aagesen" is "Sara Aagesen" where the article writes
    that and no other name of hers), looked up only for a quotation's speaker given by surname, in
    the few words before each place the article writes the surname."""

    def __init__(self, speakers: SpeakerFinder, texts: Sequence[str]) -> None:
        self.speakers, self.text = speakers, "\n".join(texts)
        self.found: dict[str, str] = {}

    def of(self, surname: str) -> str:
        if surname not in self.found and len(self.found) >= MAX_SURNAMES_LOOKED_UP:
            return surname  # each look-up reads the whole article: a few dozen, not one per line of a list
        if surname not in self.found:
            names = set()
            for start in standing_alone(surname, self.text):
                window = self.text[max(0, start - NAME_WINDOW):start + len(surname)]
                names |= {name for name in self.speakers.names_in(window) if name.split()[-1] == surname}
            self.found[surname] = next(iter(names)) if len(names) == 1 else surname
        return self.found[surname]


NAME_WINDOW = 80  # characters before a surname where its first names and title stand
MAX_SURNAMES_LOOKED_UP = 50

NAME_PART = re.compile(r"[\w’'-]")


def standing_alone(word: str, text: str) -> Iterator[int]:
    r"""Where `re.finditer(rf"(?<![\w’'-]){re.escape(word)}(?![\w’'-])", text)` finds `word`,
    found by str.find: that pattern, which begins with a look-behind, was tried at every
    character of the article (most of the time taken to find quotes' speakers)."""
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        if (start == 0 or NAME_PART.match(text, start - 1) is None) and NAME_PART.match(text, end) is None:
            yield start
            start = text.find(word, max(end, start + 1))  # an empty word is found once per place
        else:
            start = text.find(word, start + 1)


def quotes_in(sentence: Sentence, speakers: SpeakerFinder, settings: Facts,
              cited: tuple[Citation, ...] = (), full_names: FullNames | None = None) -> list[Quote]:
    """Quotations of at least `min_quote_words` words. The speaker is a name in the same text,
    outside the quotation marks, that a speech verb attributes ("X said", "said X", "according
    to X"); a person before an organisation, as the source spells the name, the nearest to the
    quotation first. Otherwise None: a speaker is never guessed from a neighbouring sentence. A
    quotation of three words or fewer that no one says is a scare quote, not a quotation.

    Names and speech verbs are found once per sentence, and each quotation looks up its nearest
    names on either side (a name or verb cannot straddle a quotation mark), instead of searching
    the rest of the sentence again per quotation (a sentence of many quotations was quadratic).
    `cited`: the sentences a quotation spanning several was joined from (default: this one)."""
    text = sentence.text
    quotes = [(m, m.group(1) or m.group(2)) for m in QUOTE.finditer(text)]
    quotes = [(m, quoted) for m, quoted in quotes if len(quoted.split()) >= settings.min_quote_words]
    if not quotes:
        return []
    verb_starts, verb_ends = speech_verb_spans(text)
    # Per kind (person first), the positions of attributed names in order, and the names there.
    at: tuple[dict[int, list[str]], dict[int, list[str]]] = ({}, {})
    if verb_starts:
        for pos, is_person, name in speakers.names(text):
            if _attributed(text, pos, pos + len(name), verb_starts, verb_ends):
                # A surname alone is the full name its article gives ("Aagesen" is "Sara Aagesen").
                full = full_names.of(name) if full_names is not None and " " not in name else name
                at[0 if is_person else 1].setdefault(pos, []).append(full)
    positions = (sorted(at[0]), sorted(at[1]))
    breaks = [b.start() for b in CLAUSE_BREAK.finditer(text)] if verb_starts else []
    result = []
    for m, quoted in quotes:
        speaker = None
        if verb_starts:
            # The speaker of a quotation's own clause: in "A said ..., while B said '...'" the
            # quotation is B's, and in "the minister said '...', while B said" nobody's we can name.
            i = bisect_left(breaks, m.start())
            clause = (breaks[i - 1] if i else 0, breaks[i] if i < len(breaks) and breaks[i] >= m.end() else len(text))
            speaker = _nearest_speaker(m.start(), m.end(), positions, at, clause)
            verb = bisect_left(verb_starts, clause[0])
            if speaker is None and not (verb < len(verb_starts) and verb_starts[verb] < clause[1]):
                speaker = _nearest_speaker(m.start(), m.end(), positions, at)
        if (speaker is None and len(quoted.split()) <= SCARE_QUOTE_WORDS) \
                or (is_quoted_name(quoted) and not _spoken_there(text, m.start(), m.end())):
            continue
        result.append(Quote(quoted.strip(), speaker, cited or (Citation(sentence.source_id, sentence.id),)))
    return result


# Where a sentence's clauses part: "..., while", "..., whereas", "..., but", a semicolon.
CLAUSE_BREAK = re.compile(r";|,\s+(?:while|whereas|but)\b")


def _nearest_speaker(start: int, end: int, positions: tuple[list[int], list[int]],
                     at: tuple[dict[int, list[str]], dict[int, list[str]]],
                     within: tuple[int, int] = (0, sys.maxsize)) -> str | None:
    """The name nearest a quotation at text[start:end] as if the quotation were cut out and
    replaced by a space: a person before an organisation, then the nearer, then the first by name;
    only names at positions `within` count."""
    for kind in (0, 1):
        found = positions[kind]
        candidates = []
        i = bisect_left(found, start)
        if i > 0 and found[i - 1] >= within[0]:
            candidates += [(start - found[i - 1], name) for name in at[kind][found[i - 1]]]
        j = bisect_left(found, end)
        if j < len(found) and found[j] < within[1]:
            candidates += [(found[j] - end + 1, name) for name in at[kind][found[j]]]
        if candidates:
            return min(candidates)[1]
    return None


MAX_QUOTE_SENTENCES = 4  # a quotation left open longer than this was a stray mark, not a speech
OPENING, CLOSING = "“", "”"
OPENING_MARKS = (OPENING, '"')  # what a sentence that opens on a quotation starts with


def _open_quote(text: str) -> bool:
    """A curly quotation opened in this text and not closed in it."""
    return text.rfind(OPENING) > text.rfind(CLOSING)


def quoted_passages(sentences: Sequence[Sentence]) -> Iterator[tuple[Sentence, tuple[Citation, ...]]]:
    """Each sentence, or where a quotation runs over several ("The treaty is a breakthrough. It
    opens a new chapter,” he said.), those sentences joined into one to find quotes in, with the
    sentences it cites. Straight quotes open and close alike, so only curly ones are followed."""
    i = 0
    while i < len(sentences):
        first = sentences[i]
        j = i
        if _open_quote(first.text):
            while j + 1 < len(sentences) and j - i + 1 < MAX_QUOTE_SENTENCES and \
                    CLOSING not in sentences[j + 1].text.split(OPENING)[0] and OPENING not in sentences[j + 1].text:
                j += 1
            if j + 1 < len(sentences) and j - i + 1 < MAX_QUOTE_SENTENCES \
                    and CLOSING in sentences[j + 1].text.split(OPENING)[0]:
                j += 1
            else:
                j = i  # never closed: the sentence on its own
        if j == i:
            yield first, ()
        else:
            span = sentences[i:j + 1]
            joined = dataclasses.replace(first, text=" ".join(s.text for s in span))
            yield joined, tuple(Citation(s.source_id, s.id) for s in span)
        i = j + 1


# A quotation's speaker given as a pronoun, opening the sentence, after the quotation or after a
# comma: "She said ... “…”", "“…,” he said.", "…, he said, “…”". Not "His wife said he was …".
PRONOUN_SAID = re.compile(r"(?:^|[”\"],?\s+|,\s+)(?:[Hh]e|[Ss]he)\s+(?:said|says|added|adds|told|explained|noted"
                          r"|continued|recalled|wrote)\b")


def _the_one_person_before(passage: Sentence, by_index: Mapping[int, Sentence], speakers: SpeakerFinder,
                           full_names: FullNames) -> str | None:
    """The one person the sentence before `passage`, in its paragraph, has speak (as its article
    spells them in full: "Start-up founder Brad Hargreaves said ..."), or None when it has none or
    several speak. A person it only names ("Police arrested Mayor John Smith") is no speaker."""
    before = by_index.get(passage.index - 1)
    if before is None or before.block != passage.block:
        return None
    text = before.text
    starts, ends = speech_verb_spans(text)
    people = {full_names.of(name) if " " not in name else name
              for pos, is_person, name in speakers.names(text)
              if is_person and _attributed(text, pos, pos + len(name), starts, ends)}
    return people.pop() if len(people) == 1 else None


def may_have_figure(text: str) -> bool:
    """Whether `MAY_HAVE_FIGURE` finds something in `text`."""
    if has_digit(text):
        return True
    if not text.isascii() and any(char in text for char in FOLDS_TO_ASCII):  # see `may_hold_any`
        return MAY_HAVE_FIGURE.search(text) is not None
    held = list(filter(text.lower().__contains__, WORD_NUMBERS))  # mostly none: no generator then
    return bool(held) and any(WORD_NUMBER_ALONE[word].search(text) for word in held)


def article_facts(sentences: Iterable[Sentence], spun: bool, speakers: SpeakerFinder,
                  settings: Facts) -> tuple[tuple[Figure, ...], tuple[Quote, ...]]:
    """One article's figures and quotations (none from a spun article, whose quotation marks
    hold the spinner's rewording: a paraphrase inside quotation marks is not a quote)."""
    figures: list[Figure] = []
    quotes: list[Quote] = []
    listed = list(sentences)
    for s in listed:
        if may_have_figure(s.text):
            figures += figures_in(s, settings)
    if not spun and any("“" in s.text or '"' in s.text for s in listed):
        full_names = FullNames(speakers, [s.text for s in listed])
        by_index = {s.index: s for s in listed}
        previous: tuple[int, int, str] | None = None  # (block, last sentence index, speaker) of the last passage
        for passage, cited in quoted_passages(listed):
            if "“" not in passage.text and '"' not in passage.text:
                previous = None
                continue
            found = quotes_in(passage, speakers, settings, cited, full_names)
            last_index = passage.index + max(0, len(cited) - 1)
            if (found and previous and previous[:2] == (passage.block, passage.index - 1)
                    and passage.text.lstrip().startswith(OPENING_MARKS) and all(q.speaker is None for q in found)):
                # '“…,” Holden said. “The strike will end …”': a quotation that opens the next
                # sentence of the same paragraph, attributed to no one, goes on the last speaker's.
                found = [dataclasses.replace(q, speaker=previous[2]) for q in found]
            elif found and all(q.speaker is None for q in found) and PRONOUN_SAID.search(passage.text) \
                    and (named := _the_one_person_before(passage, by_index, speakers, full_names)):
                # '“It was terrible,” he said.': he is the one person the sentence before names.
                found = [dataclasses.replace(q, speaker=named) for q in found]
            speaker = next((q.speaker for q in reversed(found) if q.speaker), None)
            previous = (passage.block, last_index, speaker) if speaker else None
            quotes += found
    return tuple(figures), tuple(quotes)



# No article is a table of figures or an anthology of quotations: past these, the rest of an
# article's figures and quotations are left out, and a warning says so (they would make its
# pages and the briefing's figure groups grow without bound).
MAX_FIGURES_PER_ARTICLE = 500
MAX_QUOTES_PER_ARTICLE = 200


def capped_facts(figures: tuple[Figure, ...], quotes: tuple[Quote, ...]
                 ) -> tuple[tuple[Figure, ...], tuple[Quote, ...], list[str]]:
    """The first MAX_FIGURES_PER_ARTICLE figures and MAX_QUOTES_PER_ARTICLE quotations, in text
    order, and a warning reason for each cap reached."""
    reasons = []
    if len(figures) > MAX_FIGURES_PER_ARTICLE:
        reasons.append(f"{len(figures):,} figures; only the first {MAX_FIGURES_PER_ARTICLE:,} are used")
        figures = figures[:MAX_FIGURES_PER_ARTICLE]
    if len(quotes) > MAX_QUOTES_PER_ARTICLE:
        reasons.append(f"{len(quotes):,} quotations; only the first {MAX_QUOTES_PER_ARTICLE:,} are used")
        quotes = quotes[:MAX_QUOTES_PER_ARTICLE]
    return figures, quotes, reasons


def _shown(members: list[Figure]) -> list[Figure]:
    """At most MAX_PER_GROUP figures of a group, every distinct value first (so a disagreement is
    always visible), then the rest in source order."""
    first_of_value: dict[float | None, Figure] = {}
    for f in members:
        first_of_value.setdefault(f.value, f)
    chosen = list(first_of_value.values())[:MAX_PER_GROUP]
    chosen += [f for f in members if f not in chosen][: MAX_PER_GROUP - len(chosen)]
    order = {id(f): i for i, f in enumerate(members)}
    return sorted(chosen, key=lambda f: order[id(f)])


def _changed_between_reports(members: list[Figure], sources: dict[str, Source]) -> bool:
    """Whether every source is dated and the reports of each date agree on one value, two dates
    or more giving different ones: the figure changed between reports rather than being disputed."""
    by_date: dict[str, set[float]] = defaultdict(set)
    for f in members:
        published = sources[f.citation.source_id].meta.published
        if not published:
            return False
        if f.value is not None:
            by_date[published].add(f.value)
    return len(by_date) > 1 and all(len(values) == 1 for values in by_date.values())


def _said_around(figure: Figure) -> frozenset[str]:
    """What the words around a figure say, without the figure: its context's content words."""
    return frozenset(w for w in tokens(figure.context.replace(figure.text, " ", 1)) if not w[0].isdigit())


ALIKE_CONTEXTS = 0.25
WORDED_KINDS = frozenset({"amount", "share", "count"})  # compared only where the words around them are alike
MAX_COMPARED = 100  # figures of a group compared pairwise: one per source and value, the first ones


def _disputed(members: list[Figure]) -> bool:
    """Whether two sources give different values of one thing. Money, shares and counts of one
    unit and subject ("$ billion · the deal") are often different things (a price, a cash sum, a
    valuation): such a pair counts only when the words around the figures are alike (Jaccard at
    least ALIKE_CONTEXTS). No pair counts where either source gives the other's value too ("43
    ports in 23 countries" and, in the same article, "53 ports in 24 countries before this deal"
    is no dispute with another's 23)."""
    values_of: dict[str, set[float]] = defaultdict(set)
    firsts: dict[tuple[str, float], Figure] = {}
    for f in members:
        if f.value is not None:
            values_of[f.citation.source_id].add(f.value)
            firsts.setdefault((f.citation.source_id, f.value), f)
    chosen = list(firsts.values())[:MAX_COMPARED]
    # Money, shares and counts of one subject are many things; a duration of a subject is mostly
    # its term ("a 20-year treaty") and a length of a named thing that thing's ("km · Rasht-Astara").
    # A toll of one subject is one thing too ("2,056 dead" and "1,700 people were killed").
    one_thing = members[0].kind not in WORDED_KINDS \
        or members[0].measure.split(" · ")[0] in MEASURES_OF_NAMED_THINGS | CASUALTY_UNITS
    said = [frozenset[str]() if one_thing else _said_around(f) for f in chosen]
    for i, a in enumerate(chosen):
        for j in range(i + 1, len(chosen)):
            b = chosen[j]
            # The same value is in both sources' values, so it is skipped here too.
            if a.citation.source_id == b.citation.source_id \
                    or a.value in values_of[b.citation.source_id] or b.value in values_of[a.citation.source_id]:
                continue
            union = len(said[i] | said[j])
            if one_thing or (union and len(said[i] & said[j]) / union >= ALIKE_CONTEXTS):
                return True
    return False


def group_figures(figures: Iterable[Figure], sources: dict[str, Source]) -> tuple[FigureGroup, ...]:
    """Figures of one measure together; a group is a disagreement when sources give different values."""
    by_key: dict[str | int, list[Figure]] = defaultdict(list)
    for number, f in enumerate(figures):
        by_key[number if f.alone else f.measure].append(f)
    groups = []
    for members in by_key.values():
        members.sort(key=lambda f: (sources[f.citation.source_id].is_spun, f.citation.source_id,
                                    f.citation.sentence_id))
        values = {f.value for f in members if f.value is not None}
        by_source = {f.citation.source_id for f in members}
        comparable = members[0].kind != "date" and not members[0].alone
        differ = comparable and len(values) > 1 and len(by_source) > 1 and _disputed(members)
        changed = differ and _changed_between_reports(members, sources)
        agree = comparable and len(values) == 1 and len(by_source) > 1
        groups.append(FigureGroup(members[0].measure, tuple(_shown(members)), differ and not changed, agree,
                                  total=len(members), source_count=len(by_source), changed=changed))
    return tuple(sorted(groups, key=lambda g: (not g.disagreement, -g.source_count,
                                               g.figures[0].citation.source_id, g.figures[0].citation.sentence_id)))


def spellings(players: Iterable[Player]) -> tuple[Spelling, ...]:
    """People whose name the sources spell differently (counted while finding the players)."""
    return tuple(Spelling(p.name, p.spellings) for p in players if p.spellings)


def shared_part(forms: Sequence[str]) -> str:
    """The longest text every form holds (" Jalali" of "Kazem Jalali" and "Kazim Jalali"); "" if none."""
    shortest = min(forms, key=len, default="")
    for length in range(len(shortest), 0, -1):
        for start in range(len(shortest) - length + 1):
            part = shortest[start:start + length]
            if all(part in form for form in forms):
                return part
    return ""


def spellings_in(text: str, spelled: Iterable[Spelling]) -> tuple[Spelling, ...]:
    """The spellings with a form in `text`. A topic's text is megabytes and most forms are in
    none, so each form would be searched for to its end; the part a spelling's forms share is
    searched for first, once (at 10,000 articles: 16 searches per topic instead of 32)."""
    found = []
    for spelling in spelled:
        forms = [form for form, _ in spelling.forms]
        if shared_part(forms) in text and any(form in text for form in forms):
            found.append(spelling)
    return tuple(found)


def merge_quotes(quotes: Iterable[Quote]) -> tuple[Quote, ...]:
    """Each quotation once, with every sentence that has it, most widely quoted first."""
    by_words: dict[str, tuple[Quote, str | None, list[Citation]]] = {}  # first seen, speaker, citations
    for q in quotes:
        key = " ".join(WORDS.findall(q.text.lower()))
        first, speaker, citations = by_words.get(key, (q, None, []))
        by_words[key] = (first, speaker or q.speaker, citations)
        citations.extend(q.citations)
    merged = [Quote(first.text, speaker, tuple(citations)) for first, speaker, citations in by_words.values()]
    return tuple(sorted(merged, key=lambda q: (-len({c.source_id for c in q.citations}),
                                               q.citations[0].source_id, q.citations[0].sentence_id)))
