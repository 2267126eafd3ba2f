"""Key players: people, organisations and places, counted per source and per topic.

Names come from the gazetteer (the engine's countries, cities and international bodies, and
the story's own entries), people found after a title ("Ambassador to Moscow Kazim Jalali") or
before their role ("Eduardo Prieto, who runs operations"), and organisations found by their
shape ("the Central Bank of Iran", "Northwind Holdings Ltd") or by what they are ("grid operator
Red Eléctrica", "Fingrid, the Finnish grid operator,", "ENTSO-E said").
A found name whose surname matches a known person and whose first name nearly matches is a
spelling variant of that person, so the sources' "Kazim" and "Kazem" Jalali are one row. No
model is downloaded.
"""

from __future__ import annotations

import bisect
import difflib
import heapq
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TypeVar

from .clean import WORD_CHAR, at_word_boundary, matches_where, not_after_word
from .config import Players as PlayerSettings
from .model import Citation, Player, Sentence, Source, TopicScore
from .timeline import MONTHS, WEEKDAYS

# A run of word characters: a text's words, as `\b` and `(?<!\w)` see them.
WORD_RUN = re.compile(r"\w+")
# A capitalised word of a name, accents included ("José", "Müller", "Jean-Luc"), and a surname
# whose prefix keeps a capital inside it ("DeSantis", "McCarthy", "O'Brien"; not "BlackRock").
# It starts with the capital, so the pattern engine looks for one before trying anything else.
_NAME_PART = (r"[A-ZÀ-ÖØ-Þ](?:(?<=M)a?c[A-Z]|(?<=[DL])[aeiu][A-Z]|(?<=F)itz[A-Z]|(?<=[OD])['’][A-Z])?"
              r"[a-zß-öø-ÿ]+")
NAME_WORD = rf"(?:{_NAME_PART})(?:-{_NAME_PART})?"
# Between two words of a name: a space, and "al-", "bin" or a surname's particles ("Ursula von der Leyen").
NAME_GAP_BODY = r"\s+(?:al-|(?:(?:bin|al|von|van|der|den|de|da|del|dos|du|la|le)\s+){1,2})?"
KIND_ORDER = {"person": 0, "organisation": 1, "place": 2}

# Words that make a capitalised phrase an organisation's name in English news, whatever the
# story: "the Foreign Ministry", "Panama Ports Company", "Ministry of Foreign Affairs".
ORG_WORDS = (
    "Ministry", "Department", "Agency", "Bank", "Council", "Commission", "Committee", "Organization",
    "Organisation", "Party", "Group", "Holdings", "Corporation", "Corp", "Company", "Inc", "Ltd", "LLC", "PLC",
    "University", "Court", "Parliament", "Authority", "Administration", "Fund", "Association", "Institute",
    "Foundation", "Federation", "Alliance", "Exchange", "Airlines", "Consortium", "Cabinet", "Assembly",
    "Bureau", "Navy", "Guard", "Forces", "Police", "Service", "Office", "Centre", "Center", "Directorate",
)
_ORG_WORD = "(?:" + "|".join(sorted(ORG_WORDS, key=lambda w: (-len(w), w))) + ")"
_CAPITAL_WORD = r"(?:[A-Z][A-Za-z&'’-]*|[A-ZÀ-ÖØ-Þ][\w'’-]*)"
# A word of an organisation's name: capitalised, and so is every part after a hyphen; "Hong
# Kong-based", "Islands-registered" describe the name that follows, they are not part of it.
_ORG_NAME_WORD = r"(?:[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿ&'’]*(?:-[A-ZÀ-ÖØ-Þ][A-Za-zÀ-ÖØ-öø-ÿ&'’]*)*(?![\w-]))"
# Capitalised words that start a sentence or a phrase rather than a name.
NOT_NAME_START = frozenset("""The A An This That These Those Its His Her Their Our Your In On At By For From
    With And But Or As Of To If When While After Before Under Over Both Each Every Some Many Most Such No
    Mr Mrs Ms Miss Mx Dr Prof Sir Dame""".split())  # noqa: SIM905 - honorifics: "Ms Bajaj, who ..." is Bajaj
ORG_PATTERN = re.compile(
    rf"(?<![\w-])(?:(?:{_ORG_NAME_WORD}\s+){{1,4}}{_ORG_WORD}"
    rf"(?:\s+of\s+(?:the\s+)?{_CAPITAL_WORD}(?:\s+{_CAPITAL_WORD}){{0,2}}(?![\w-])|\.?(?![\w-]))"
    rf"|{_ORG_WORD}\s+(?:of|for)\s+(?:the\s+)?{_CAPITAL_WORD}(?:\s+(?:and\s+)?{_CAPITAL_WORD}){{0,3}}(?![\w-]))")
ORG_WORD_SET = frozenset(ORG_WORDS)
IS_ORG = re.compile(rf"(?:^{_ORG_WORD}\s+(?:of|for)\s|\s{_ORG_WORD}\.?$|\s{_ORG_WORD}\s+of\s)")


# Organisations a sentence names by what they are ("grid operator Red Eléctrica", "the distribution
# company E-Redes", "Fingrid, the Finnish grid operator"), whatever their names look like.
ORG_ROLES = ("operator", "operators", "company", "companies", "firm", "firms", "regulator", "utility", "utilities",
             "carrier", "insurer", "lender", "manufacturer", "shipowner", "conglomerate", "airline", "watchdog",
             "distributor", "producer", "agency")
_ROLE = "(?:" + "|".join(sorted(ORG_ROLES, key=lambda w: (-len(w), w))) + ")"
_ACRONYM = r"[A-Z][A-Z0-9]{1,6}(?:-[A-Z0-9]{1,3})?(?![\w-])"
_ROLE_NAME = rf"(?:{_ACRONYM}|{_ORG_NAME_WORD}(?:\s+{_ORG_NAME_WORD}){{0,3}})"
# After the role, the name stands alone or between commas ("Spain's grid operator, Red Eléctrica,
# said"): "the company, Comptroller General Anel Flores said" is two phrases.
ORG_AFTER_ROLE = re.compile(rf"\b{_ROLE}(?:\s+(?P<name>{_ROLE_NAME})|,\s*(?P<between>{_ROLE_NAME}),)")
# Before the role, the name and its description between commas: "Fingrid, the Finnish grid operator,
# said"; "According to Anel Flores, the company relied on ..." is a clause, not a description.
# "Beatriz Corredor, the chair of the grid operator," describes a person who works for one.
ORG_BEFORE_ROLE = re.compile(rf"(?<![\w'’-])(?:(?P<first>{_ROLE_NAME})\s+and\s+)?(?P<name>{_ROLE_NAME}),\s+"
                             rf"(?:the|a|an)\s+(?:(?!(?:of|at|for|with|in|to|from)\b)[\w'’-]+\s+){{0,4}}?{_ROLE}"
                             r"\s*(?:[,;:)]|$)")
# An acronym that speaks is a body ("ENTSO-E said", "REN announced").
SPEAKING_WORDS = frozenset({"said", "says", "told", "announced", "stated", "reported", "added"})
_SPEAKING = r"(?:said|says|told|announced|stated|reported|added)\b"
ACRONYM_SPEAKING = re.compile(rf"(?<![\w-])(?P<name>{_ACRONYM})\s+{_SPEAKING}")
SPEAKING_WORD = re.compile(rf"[A-Z0-9]\s+{_SPEAKING}")
ROLE_WORDS = frozenset(ORG_ROLES)
# People a sentence names with their role after them: "Eduardo Prieto, who runs operations at ...",
# "Sara Aagesen, the Third Deputy Prime Minister, ...".
_PERSON_NAME = rf"{NAME_WORD}(?:\s+{NAME_WORD}){{1,2}}"
PERSON_BEFORE_WHO = re.compile(rf"(?<![\w'’-])(?P<name>{_PERSON_NAME}),\s+who\s")
# People a speech verb names with their job after them: "said Kevin Yun, co-founder of GrowSurf",
# "Tim Bajarin, principal analyst with Creative Strategies, said". A job is a few words ending in
# a job's noun (not "one of the lender's advisers", said of a bank), before "of", "with", "at" or
# "for"; a name before its job opens the sentence ("Talks moved to New York, home of the exchange,
# said officials" names no one).
JOB_NOUNS = ("analyst", "founder", "co-founder", "partner", "head", "chief", "director", "president",
             "executive", "officer", "manager", "professor", "economist", "strategist", "spokesperson",
             "spokesman", "spokeswoman", "researcher", "fellow", "adviser", "advisor", "owner", "editor",
             "correspondent", "lawyer", "attorney", "chairman", "chairwoman", "chair", "member", "leader",
             "secretary", "minister", "engineer", "scientist", "student", "teacher", "doctor", "dean", "principal")
_JOB = (r"(?:the\s+|a\s+|an\s+)?(?:(?:[a-z][\w'’-]*|[A-Z][a-z]+-based)\s+){0,3}"
        rf"(?:{'|'.join(JOB_NOUNS)})s?\s+(?:of|with|at|for)\s+")
SPEAKER_WITH_JOB = re.compile(rf"\b(?:said|says|according\s+to|told)\s+(?P<name>{_PERSON_NAME}),\s+{_JOB}")
NAMED_WITH_JOB_SAID = re.compile(rf"^(?P<name>{_PERSON_NAME}),\s+{_JOB}[^,;.]{{2,60}},\s+(?:said|says|told|added)\b")
# Capitalised words that follow a role noun or speak without being a body's name: a day, a month,
# a job's abbreviation ("The company Thursday announced", "The company CEO said").
NOT_BODY_NAMES = frozenset([*WEEKDAYS, *MONTHS, "CEO", "CFO", "COO", "CTO", "MP", "MEP", "PM", "GM"])


POSSESSIVE = re.compile(r"[’']s$")


def _without_opening_words(name: str) -> str:
    """A name without the words that open its sentence or phrase ("The", "Finland's") and
    without a possessive ending ("the Bureau's inquiry")."""
    words = name.split()
    while words and (words[0] in NOT_NAME_START or (len(words) > 1 and POSSESSIVE.search(words[0]))):
        words.pop(0)
    if words:
        words[-1] = POSSESSIVE.sub("", words[-1])
    return " ".join(words)


def organisations_by_role(text: str, words: AbstractSet[str] | None = None) -> Iterator[str]:
    """Organisations named next to what they are ("grid operator REN", "E-Redes, the distribution
    company"), without a sentence's opening word; no name of one word that opens the sentence.
    `words`: the text's `WORD_RUN`s, when known."""
    # Most sentences name no role and no speaking acronym: their words rule them out (the full
    # patterns, tried at every capital, doubled the time taken to find names). Each pattern
    # needs one of them as a whole word.
    words = set(WORD_RUN.findall(text)) if words is None else words
    patterns = [] if ROLE_WORDS.isdisjoint(words) else [ORG_AFTER_ROLE, ORG_BEFORE_ROLE]
    if not SPEAKING_WORDS.isdisjoint(words) and SPEAKING_WORD.search(text):
        patterns.append(ACRONYM_SPEAKING)
    for pattern in patterns:
        for match in pattern.finditer(text):
            for group in ("first", "name", "between"):
                written = match.groupdict().get(group)
                name = _without_opening_words(written) if written else ""
                # One word opening a sentence before a description may be any word ("Meanwhile, the
                # company said"); a name joined to another by "and" is a name.
                if name and name not in NOT_BODY_NAMES and (group == "first" or match.start(group) > 0
                                                              or " " in name or name.isupper()):
                    yield name


def organisations_in(text: str, words: AbstractSet[str] | None = None) -> Iterator[str]:
    """Organisations named by their shape ("the Central Bank of Iran", "Northwind Holdings Ltd"),
    without the capitalised words that open the sentence before them. `words`: the text's
    `WORD_RUN`s, when known."""
    words = set(WORD_RUN.findall(text)) if words is None else words
    if ORG_WORD_SET.isdisjoint(words):  # a match holds one as a whole word; most sentences have none
        return
    for match in ORG_PATTERN.finditer(text):
        name = _without_opening_words(match.group().rstrip("."))
        if len(name.split()) >= 2:
            yield name


@dataclass
class _Entry:
    name: str
    kind: str
    variants: set[str] = field(default_factory=set)


INSTITUTION = (r"(?:Hospital|Infirmary|Clinic|Trust|School|College|University|Academy|Institute|Foundation|Bank|"
               r"Airport|Station|Street|Road|Avenue|Square|Bridge|Park|Hall|Centre|Center|Stadium|Museum|Library|"
               r"Palace|Church|Cathedral|Mosque|Temple|Barracks|Dock|Docks|Terminal|Port|Harbour|Harbor|Island|"
               r"Islands|Land|Sound|Bay|Canal|Dam|Reservoir|Prize|Award|Cup|Trophy|Memorial|"
               # a business: "CEO of Fifth Third Bancorp" names no "Third Bancorp"
               r"Bancorp|Bancshares|Corp|Corporation|Inc|Group|Holdings|Company|Ltd|LLC|PLC|Partners|Securities|"
               # a body: "chairman of the Homeland| Security Committee" names no person
               r"Committee|Commission|Council|Board|Agency|Authority|Department|Ministry|Office|Court|Assembly)")


def title_body(titles: list[str]) -> str | None:
    """A title and the name after it, without the `\\b` before the title (see `matches_where`)."""
    if not titles:
        return None
    alternatives = "|".join(re.escape(t) for t in sorted(titles, key=lambda t: (-len(t), t)))  # longest first
    # A name does not begin with a title: after "Chief" in "Chief Minister Vijay Rupani" comes a
    # title the list lacks, and the name is the one after "Minister".
    # Nor is it a place named after a person: "Princess Alexandra Hospital", "King Edward Street".
    return (rf"(?:{alternatives})\s+(?:(?:of|to|for)\s+(?:the\s+)?(?:[A-Z][\w-]*\s+){{1,2}})?"
            rf"(?P<name>(?!(?:{alternatives})\b)(?!(?:[A-Z][\w'’-]*\s+){{1,2}}{INSTITUTION}\b)"
            rf"{NAME_WORD}(?:{NAME_GAP_BODY}{NAME_WORD}){{1,2}})")


def title_pattern(titles: list[str]) -> re.Pattern[str] | None:
    body = title_body(titles)
    return re.compile(r"\b" + body) if body else None


def _same_person(found: str, known: str, threshold: float) -> bool:
    f, k = found.split(), known.split()
    if len(f) < 2 or len(k) < 2 or f[-1] != k[-1]:
        return False
    return difflib.SequenceMatcher(None, f[0].lower(), k[0].lower()).ratio() >= threshold


NAME_TOKEN = re.compile(NAME_WORD)
NAME_GAP = re.compile(NAME_GAP_BODY)
# A name word and, when the next one follows it across a NAME_GAP, that one: the words are those
# NAME_TOKEN finds one after another (trying the look-ahead never shortens the first, and no
# name word can start inside a gap), found with their neighbours in one pass in C.
NAME_TOKEN_AND_NEXT = re.compile(rf"({NAME_WORD})(?:(?={NAME_GAP.pattern}({NAME_WORD})))?")
# Joins an article's sentences for `name_pairs`: no part of a name word or of the gap between two.
SENTENCE_BREAK = "\x00"


def name_pairs(text: str) -> set[str]:
    """Every two name words next to each other ("Kazim Jalali"), as "first second". A name found
    after a title can only occur where each two of its neighbouring words do, so this tells
    whether an article could contain it. A hyphenated word also stands for its last part when
    first in a pair and its first part when second ("Al-Kazim Jalali-Smith" holds "Kazim Jalali").
    The pairs of texts joined by SENTENCE_BREAK are those of each text."""
    pairs = set()
    for a, b in NAME_TOKEN_AND_NEXT.findall(text):
        if not b:
            continue
        if "-" not in a and "-" not in b:
            pairs.add(f"{a} {b}")
            continue
        for first in {a, a.rsplit("-", 1)[-1]}:
            for second in {b, b.split("-", 1)[0]}:
                pairs.add(f"{first} {second}")
    return pairs


@dataclass(frozen=True)
class PlayerMentions:
    """One article's names, found with the rest of its per-article work. `matches` used the
    gazetteer plus the names this article gives after a title; a name found after a title only
    elsewhere in the corpus could also occur here, which `name_pairs` lets the corpus stage
    detect, so it searches the article again then."""

    after_titles: tuple[tuple[str, int], ...]
    name_pairs: str  # newline-separated (see `name_pairs`), packed: one per article is kept
    matches: tuple[tuple[str, str], ...]  # (name as written, sentence id), in text order
    organisations: tuple[str, ...] = ()  # names of `after_titles` the article shows are organisations
    surnamed: tuple[tuple[str, str], ...] = ()  # (person, sentence id) of `matches` that are a surname alone


def names_body(names: Iterable[str]) -> str | None:
    """The names as one pattern, without the `(?<!\\w)` before them (see `matches_where`); the
    longest name wins where names overlap ("Vladimir Putin" over "Putin")."""
    ordered = sorted(set(names), key=lambda n: (-len(n), n))
    if not ordered:
        return None
    return "(" + "|".join(re.escape(n) for n in ordered) + r")(?!\w)"


def names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    body = names_body(names)
    return re.compile(r"(?<!\w)" + body) if body else None


def gazetteer_names(settings: PlayerSettings) -> set[str]:
    return {v for e in settings.gazetteer for v in (e.name, *e.variants)}


# A place's name that runs on into a capitalised word is part of another name: "Washington
# Mutual" (a bank), "Silicon Valley Bank", "Tehran Times"; not before a weekday or a month.
PLACE_RUNS_ON = re.compile(rf" (?!(?:{'|'.join(WEEKDAYS + MONTHS)})\b)[A-Z][a-z]")
# ... unless a preposition stands before the place: "ambassador to Moscow Kazem Jalali", "the
# mayor of Kyiv Vitali Klitschko".
AFTER_A_PREPOSITION = re.compile(r"\b(?:to|in|from|at|for|with|into|across|near|outside|inside|of|by|on)\s+$")
PREPOSITION_WITHIN = 8  # characters before a place read for AFTER_A_PREPOSITION


def names_another_thing(text: str, start: int, end: int) -> bool:
    """Whether the place's name at text[start:end] runs on into another name, no preposition before it."""
    return PLACE_RUNS_ON.match(text, end) is not None \
        and not AFTER_A_PREPOSITION.search(text, max(0, start - PREPOSITION_WITHIN), start)


# Words a name's last word is not when it ends a place's, a building's or a body's name.
NOT_A_SURNAME = frozenset([*ORG_WORDS, *WEEKDAYS, *MONTHS, "House", "Street", "Palace", "Square", "Road", "Avenue",
                           "Bridge", "Park", "Hall", "Sea", "Ocean", "River", "Lake", "Island", "Islands", "Bay",
                           "Gulf", "Strait", "Canal", "Port", "Ports", "North", "South", "East", "West", "Central"])


# Candidate names an article is searched for, and people whose surnames alone it is searched for:
# an article naming thousands would make the searches quadratic; a news article names a few dozen.
MAX_PEOPLE_NAMED_AGAIN = 64
# Words before a title or a party that no name starts with ("Former Labour leader Jeremy Corbyn").
ROLE_MODIFIERS = frozenset("Former Outgoing Incoming Acting Interim Late Then Ex Veteran Opposition".split())  # noqa: SIM905


def people_named_again(text: str, pairs: AbstractSet[str], words: AbstractSet[str],
                       not_people: Callable[[str], bool], title_words: AbstractSet[str]) -> Counter:
    """People an article names in full and then by surname alone ("Keir Starmer became prime
    minister ... Starmer said"): the second reference of news style, which no title or role
    need announce. A surname is a capitalised word the article never writes in lower case
    ("Palace" and "palace"), standing alone: after no other capitalised word but an honorific or
    a title. Names the gazetteer knows, places' and bodies' names (`not_people`, and any inside
    a body's name: "Ministry of Roads and Urban Development") are none; the count is of the full
    name's mentions. The names tried are the article's pairs of capitalised words (`pairs`, see
    `name_pairs`; `words`: its words): most fail on their words, and the text is searched for
    the few left."""
    found: dict[str, list[int]] = {}
    candidates = sorted(pair for pair in pairs if _may_name_a_person(pair, words, title_words))
    for pair in candidates[:MAX_PEOPLE_NAMED_AGAIN]:  # each is counted in the whole text
        surname = pair.rpartition(" ")[2]
        if text.count(surname) <= text.count(pair):
            continue  # (written no more often than the name, the surname is never alone)
        # (the pair's own words, not the start of a longer name: "State Marco| Rubio")
        starts = [start for start in _whole_word_starts(text, pair) if not NAME_GOES_ON.match(text, start + len(pair))]
        if starts and not not_people(pair) and not IS_ORG.search(pair):
            found[pair] = starts
    named_again: Counter = Counter()
    bodies = _in_bodies(text, words) if found else bytearray()
    for name, starts in sorted(found.items()):
        surname = name.rpartition(" ")[2]
        if all(bodies[start] for start in starts):
            continue
        if any(not bodies[start] and _alone(text, start, len(surname), title_words)
               for start in _whole_word_starts(text, surname)):
            named_again[name] = len(starts)
    return named_again


def _may_name_a_person(pair: str, words: AbstractSet[str], title_words: AbstractSet[str]) -> bool:
    """Whether two capitalised words can be a first name and a surname, by the words alone."""
    first, _, surname = pair.partition(" ")
    return first not in NOT_NAME_START and first not in title_words and first not in ROLE_MODIFIERS \
        and surname not in title_words and surname not in NOT_A_SURNAME and surname.lower() not in words


def _alone(text: str, start: int, size: int, title_words: AbstractSet[str]) -> bool:
    """Whether the word at text[start:start + size] stands as a name of its own: after no
    capitalised word but an honorific or a title ("Mr Starmer", "said Starmer"), before none."""
    if NAME_GOES_ON.match(text, start + size):
        return False
    before = WORD_BEFORE.search(text, max(0, start - WORD_BEFORE_WITHIN), start)
    return before is None or not before.group(1)[:1].isupper() or before.group(1) in NOT_NAME_START \
        or before.group(1) in title_words


def surname_mentions(sentences: Iterable[Sentence], named: AbstractSet[str], title_words: AbstractSet[str],
                     taken: AbstractSet[str]) -> list[tuple[str, str]]:
    """(person, sentence id) for each surname standing alone (`_alone`) in these sentences, of
    the people `named` in full there ("Starmer" in an article naming Keir Starmer): only where
    one of them has that surname and no known name is that word (`taken`: "Putin" of the
    gazetteer's Vladimir Putin, the country Jordan)."""
    by_surname: dict[str, list[str]] = defaultdict(list)
    for name in sorted(named)[:MAX_PEOPLE_NAMED_AGAIN]:
        by_surname[name.rpartition(" ")[2]].append(name)
    surnames = {surname: names[0] for surname, names in by_surname.items() if len(names) == 1 and surname not in taken}
    return [(person, s.id) for s in sentences for surname, person in surnames.items() if surname in s.text
            for start in _whole_word_starts(s.text, surname) if _alone(s.text, start, len(surname), title_words)]


def with_surnames(named: Iterable[tuple[Sentence, list[tuple[str, str]]]],
                  surnamed: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Each sentence's (name, sentence id) matches, then its surnames alone, in sentence order."""
    by_sentence: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for person, sentence_id in surnamed:
        by_sentence[sentence_id].append((person, sentence_id))
    return [m for sentence, matches in named for m in (*matches, *by_sentence.get(sentence.id, ()))]


def _whole_word_starts(text: str, words: str) -> list[int]:
    """Where `words` stand in `text` as whole words, no word character, apostrophe or hyphen
    either side but a possessive ("Lavrov's", not "Lavrov-Smith" or "O'Lavrov"): found without compiling a
    pattern for each name (a few hundred names an article made compiling most of the cost)."""
    found, start, size = [], text.find(words), len(words)
    while start >= 0:
        if (start == 0 or not NAME_JOINED.match(text, start - 1)) \
                and (not NAME_JOINED.match(text, start + size) or POSSESSIVE_AFTER.match(text, start + size)):
            found.append(start)
        start = text.find(words, start + 1)
    return found


NAME_JOINED = re.compile(r"[\w'’-]")
POSSESSIVE_AFTER = re.compile(r"['’]s(?!\w)")


def _in_bodies(text: str, words: AbstractSet[str]) -> bytearray:
    """1 for each character inside a body's name ("Iran's Ministry of Roads and Urban Development")."""
    inside = bytearray(len(text))
    for m in ORG_PATTERN.finditer(text) if not ORG_WORD_SET.isdisjoint(words) else ():
        end = (more.end() if (more := BODY_NAME_GOES_ON.match(text, m.end())) else m.end())
        inside[m.start():end] = b"\x01" * (end - m.start())
    return inside


# A body's name going on past "and" ("Ministry of Roads| and Urban Development").
BODY_NAME_GOES_ON = re.compile(r"\s+(?:and|&)\s+(?:[A-Z][\w'’-]*\s+){0,3}[A-Z][\w'’-]*")
# A capitalised word right after one: both are of one name ("the Xin Xin Tian 2").
NAME_GOES_ON = re.compile(r"[ \t]+[A-ZÀ-ÖØ-Þ]")
# The word right before a position, only spaces between ("Mr Starmer", not "“Baltic Sentry”").
WORD_BEFORE = re.compile(r"([\w'’.-]+)[ \t]+$")
WORD_BEFORE_WITHIN = 40


class MentionFinder:
    """Finds one article's mentions; built once per run (or worker). The gazetteer's names and
    the names an article gives after a title are found as the one pattern of all of them would
    find them (`literal_matches`), each sentence searched for the names starting with one of its
    words only; no pattern is compiled per article (one of a few names took 0.15 ms)."""

    def __init__(self, settings: PlayerSettings) -> None:
        body = title_body(settings.titles)
        self.titles = re.compile(body) if body else None  # searched with matches_where
        roles = "|".join(re.escape(t) for t in sorted(settings.titles, key=lambda t: (-len(t), t)))
        self.title_words = frozenset(w for t in settings.titles for w in t.split())  # "Prime Minister" is no name
        # "Sara Aagesen, the Third Deputy Prime Minister": a person with a title after the name.
        self.titled_after = re.compile(rf"(?<![\w'’-])(?P<name>{_PERSON_NAME}),\s+(?:the|a|an)\s+"
                                       rf"(?:[\w'’-]+\s+){{0,4}}?"
                                       rf"(?i:{roles})\b") if roles else None
        self.title_starts = frozenset(first_word(t) for t in settings.titles)
        self.known = by_first_word(gazetteer_names(settings))
        self.places = frozenset(v for e in settings.gazetteer if e.kind == "place" for v in (e.name, *e.variants))
        self.gazetteer = frozenset(gazetteer_names(settings))
        self.people = frozenset(v for e in settings.gazetteer if e.kind == "person" for v in (e.name, *e.variants))

    def not_a_person(self, name: str) -> bool:
        """A name the gazetteer knows (as itself or as its last words: "Southern Iran"), or a body's."""
        words = name.split()
        return any(" ".join(words[i:]) in self.gazetteer for i in range(len(words)))

    def _people_patterns(self, text: str) -> list[re.Pattern[str]]:
        """The patterns of a person named before a role that can match `text` at all: a name before
        ", who" or before ", the"/", a" and a title."""
        patterns = [PERSON_BEFORE_WHO] if ", who " in text else []
        if self.titled_after is not None and (", the " in text or ", a " in text or ", an " in text):
            patterns.append(self.titled_after)
        if ("said" in text or "says" in text or "told" in text or "according" in text) and ", " in text:
            patterns += [SPEAKER_WITH_JOB, NAMED_WITH_JOB_SAID]
        return patterns

    def _titled(self, text: str, words: set[str]) -> Iterator[re.Match[str]]:
        """What `matches_where(self.titles, text, at_word_boundary)` finds, the pattern tried only
        where a word that starts a title starts (a title matched at a word's start begins with
        that whole word): its 82 alternatives tried at every capital took a third of the time."""
        assert self.titles is not None
        if "" in self.title_starts:  # a title starting with no word character can start anywhere
            yield from matches_where(self.titles, text, at_word_boundary)
            return
        if self.title_starts.isdisjoint(words):
            return
        pos = 0
        for word in WORD_RUN.finditer(text):
            if word.start() >= pos and word.group() in self.title_starts:
                match = self.titles.match(text, word.start())
                if match is not None:
                    yield match
                    pos = match.end()

    def __call__(self, sentences: Iterable[Sentence]) -> PlayerMentions:
        sentences = list(sentences)
        # Each sentence's words: most patterns need a word most sentences do not have.
        worded = [(s.text, set(WORD_RUN.findall(s.text))) for s in sentences]
        titled = Counter(m.group("name") for text, words in worded for m in self._titled(text, words)) \
            if self.titles else Counter()
        after = Counter(titled)
        bodies = Counter(name for text, words in worded for name in organisations_in(text, words))
        after.update(bodies)
        by_role = Counter(name for text, words in worded for name in organisations_by_role(text, words))
        after.update(by_role)
        # A name before its role that ends in a name after a title is that one, its title's last
        # word before it ("Secretary of State Marco Rubio, who ..." is Marco Rubio, not "State Marco Rubio").
        after.update(name for s in sentences for pattern in self._people_patterns(s.text)
                     for m in pattern.finditer(s.text)
                     if len((name := _without_opening_words(m.group("name"))).split()) >= 2
                     and self.title_words.isdisjoint(name.split())
                     and not any(name.endswith(" " + known) for known in titled))
        pair_set = name_pairs(SENTENCE_BREAK.join(s.text for s in sentences))  # one pass
        after.update(people_named_again("\n".join(text for text, _ in worded), pair_set,
                                        set().union(*(words for _, words in worded)), self.not_a_person,
                                        self.title_words))
        own = by_first_word(after)
        places = self.places
        found = []
        for s, (text, words) in zip(sentences, worded, strict=True):
            names = names_starting(words, self.known, own)
            found.append([(name, s.id) for name, start, end in literal_matches(names, text)
                          if name not in places or not names_another_thing(text, start, end)])
        # The people it names in full, whose surname alone is then theirs (see `surname_mentions`).
        people = {name for named in found for name, _ in named if " " in name and (
            name in self.people or (name in after and name not in bodies and name not in by_role
                                    and not IS_ORG.search(name)))}
        surnamed = surname_mentions(sentences, people, self.title_words, self.gazetteer.union(after)) if people else []
        matches = with_surnames(zip(sentences, found, strict=True), surnamed)
        pairs = "\n".join(sorted(pair_set))
        return PlayerMentions(tuple(sorted(after.items())), pairs, tuple(matches), tuple(sorted(by_role)),
                              tuple(surnamed))


def first_word(text: str) -> str:
    """The word characters `text` starts with; "" when it starts with another character."""
    match = WORD_RUN.match(text)
    return match.group() if match else ""


def by_first_word(names: Iterable[str]) -> dict[str, list[str]]:
    """The names by `first_word`."""
    index: dict[str, list[str]] = defaultdict(list)
    for name in names:
        index[first_word(name)].append(name)
    return dict(index)


def names_starting(words: AbstractSet[str], *indexes: dict[str, list[str]]) -> set[str]:
    """The names of these `by_first_word` indexes that a text of these words can hold where a
    name can match: a name matched at a word's start begins with that whole word."""
    names = set()
    for index in indexes:
        for start in index.keys() & words:
            names.update(index[start])
        names.update(index.get("", ()))  # starting with no word character, it may start anywhere
    return names


def literal_matches(names: Iterable[str], text: str) -> list[tuple[str, int, int]]:
    """(name, start, end) of what `matches_where(re.compile(names_body(names)), text, not_after_word)`
    finds, without compiling a pattern: each name's occurrences not followed by a word character,
    then leftmost first, the longest where several start at once, each start not after a word
    character, searching on after each match. The gazetteer's 1,100 names as one pattern were
    tried at every capital of every sentence (half the time taken to find names)."""
    found = []
    for name in set(names):
        start = text.find(name)
        while start >= 0:
            if WORD_CHAR.match(text, start + len(name)) is None:
                found.append((start, -len(name), name))
            start = text.find(name, start + 1)
    found.sort()
    matches = []
    pos = 0
    for start, minus_length, name in found:
        if start < pos:
            continue
        if not_after_word(text, start):
            matches.append((name, start, start - minus_length))
            pos = start - minus_length
        else:
            pos = start + 1
    return matches


# A new name is compared with the known people of its surname only, and with at most this many
# of their spellings: past that, a flood of one surname ("President Aaa Smith", "President Aab
# Smith", ...) would make the comparisons quadratic, and a name not yet merged stays its own player.
MAX_SAME_SURNAME = 64


def speaks(name: str, text: str) -> bool:
    """Whether `name` is said to speak in `text` ("according to Montenegro", "Montenegro said")."""
    return re.search(rf"\b[Aa]ccording to {re.escape(name)}\b|\b{re.escape(name)},?\s+(?:said|says|told|added|"
                     rf"stated|announced|insisted|stressed|warned)\b|\b(?:said|says|added)\s+{re.escape(name)}\b",
                     text) is not None


def discover(found: Counter, settings: PlayerSettings, organisations: frozenset[str] = frozenset()) -> list[_Entry]:
    """The gazetteer, extended by people found after titles (`found`: name -> mentions) and merged by spelling.

    People's spellings are indexed by surname (`_same_person` needs the same one), so each new
    name is compared with its namesakes only, in the order the players were made."""
    entries = [_Entry(e.name, e.kind, {e.name, *e.variants}) for e in settings.gazetteer]
    known = {v: entry for entry in entries for v in entry.variants}
    # surname -> (entry number, spelling) of people, in entry order, then spelling order
    by_surname: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for number, entry in enumerate(entries):
        if entry.kind == "person":
            for v in sorted(entry.variants):
                if len(v.split()) >= 2:
                    by_surname[v.split()[-1]].append((number, v))
    for name in sorted(found, key=lambda n: (-found[n], n)):
        if name in known:
            continue
        if IS_ORG.search(name) or name in organisations:
            entries.append(_Entry(name, "organisation", {name}))
            known[name] = entries[-1]
            continue
        words = name.split()
        namesakes = by_surname.get(words[-1], []) if len(words) >= 2 else []
        same = min((n for n, v in namesakes if _same_person(name, v, settings.fuzzy_first_name)), default=None)
        number = len(entries) if same is None else same
        if same is None:
            entries.append(_Entry(name, "person", {name}))
        match = entries[number]
        match.variants.add(name)
        known[name] = match
        if len(words) >= 2 and match.kind == "person":
            namesakes = by_surname[words[-1]]
            bisect.insort(namesakes, (number, name))
            del namesakes[MAX_SAME_SURNAME:]  # only these are ever compared
    return entries


def spelling_forms(name: str, forms: set[str]) -> list[str]:
    """The forms that spell the same name differently ("Kazem"/"Kazim Jalali"), not abbreviations
    or short forms ("EU", "Putin"); empty unless there are at least two."""
    similar = sorted(f for f in forms if len(f.split()) == len(name.split())
                     and difflib.SequenceMatcher(None, f.lower(), name.lower()).ratio() >= 0.75)
    return similar if len(similar) > 1 else []


def count_players(sources: list[Source], scores: dict[tuple[str, str], tuple[TopicScore, ...]],
                  settings: PlayerSettings, mentions: Mapping[str, PlayerMentions] | None = None) -> tuple[Player, ...]:
    """Mentions per player, source and topic. `mentions` (per source id) are found here when not
    given; an article whose own search could have missed a name found elsewhere is searched again."""
    if mentions is None:
        finder = MentionFinder(settings)
        mentions = {s.id: finder(s.sentences) for s in sources}
    return players_of(tally_players(sources, scores, settings, mentions))


CitationOrder = tuple[bool, str]  # (spun, source id) of a cited source: unspun wording is cited first


@dataclass(frozen=True)
class PlayerTally:
    """The counts of players in the first `sources` sources of a corpus, as `players_of` turns
    them into players. The fold keeps the tally of its sources, so a rebuild that adds an
    article counts only that article (about 0.8 s of counting saved at 10,000 articles),
    as long as the names the corpus gives after titles still make the same players (`census`)."""

    sources: int
    census: tuple  # the players (name, kind, variants) and every name found after a title
    found: Counter  # name found after a title -> mentions, in these sources
    organisations: frozenset[str]  # names of `found` an article shows are organisations ("grid operator REN")
    entries: tuple[tuple[str, str], ...]  # each player's name and kind, in the order found
    by_source: dict[str, Counter]  # player -> source id -> mentions
    by_topic: dict[str, Counter]  # player -> topic id -> mentions
    used: dict[str, set[str]]  # player -> the forms written
    form_sources: dict[tuple[str, str], set[str]]  # (player, form) -> source ids writing it
    cited: dict[str, list[tuple[CitationOrder, Citation]]]  # player -> its first citations, in order


def tally_players(sources: list[Source], scores: dict[tuple[str, str], tuple[TopicScore, ...]],
                  settings: PlayerSettings, mentions: Mapping[str, PlayerMentions],
                  kept: PlayerTally | None = None) -> PlayerTally:
    """The tally of `sources`: from `kept` (the tally of their first sources) and the rest, when
    the names after titles in all of them make the same players as in those first ones; else
    from every source. `mentions` must hold the sources `kept` does not cover, and every source
    when `kept` is None."""
    if kept is not None and kept.sources > len(sources):
        kept = None
    start = kept.sources if kept is not None else 0
    found: Counter = Counter(kept.found) if kept is not None else Counter()
    organisations = set(kept.organisations) if kept is not None else set()
    for source in sources[start:]:
        found.update(dict(mentions[source.id].after_titles))
        organisations.update(mentions[source.id].organisations)
    entries = discover(found, settings, frozenset(organisations))
    census = (tuple((e.name, e.kind, tuple(sorted(e.variants))) for e in entries), tuple(sorted(found)))
    if kept is None or kept.census != census:
        kept, start = None, 0
    tally = PlayerTally(
        len(sources), census, found, frozenset(organisations), tuple((e.name, e.kind) for e in entries),
        defaultdict(Counter), defaultdict(Counter), defaultdict(set), defaultdict(set), defaultdict(list))
    _count_sources(tally, sorted(sources[start:], key=lambda s: (s.is_spun, s.id)), scores, settings, mentions,
                   entries)
    return _merged(kept, tally, settings.max_citations) if kept is not None else tally


def _count_sources(tally: PlayerTally, ordered: list[Source], scores: dict[tuple[str, str], tuple[TopicScore, ...]],
                   settings: PlayerSettings, mentions: Mapping[str, PlayerMentions], entries: list[_Entry]) -> None:
    """Adds the mentions in `ordered` (sources in citation order) to `tally`."""
    owner = {variant: entry.name for entry in entries for variant in entry.variants}
    if not owner:
        return
    kind_of = {entry.name: entry.kind for entry in entries}
    # Places' and bodies' names that are some person's surname ("Montenegro", "Jordan").
    surnames = {v.split()[-1] for e in entries if e.kind == "person" for v in e.variants if " " in v}
    surname_places = {w for w, name in owner.items() if kind_of[name] != "person" and w in surnames}
    pattern = names_pattern(owner)
    assert pattern is not None
    # Names found after a title somewhere, indexed by their rarest pair of words, to tell which
    # articles could contain one their own search did not look for.
    known = gazetteer_names(settings)
    names_pairs = {name: name_pairs(name) for name in sorted(set(tally.found) - known)}
    pair_use = Counter(pair for pairs in names_pairs.values() for pair in pairs)
    elsewhere: dict[str, list[tuple[str, set[str]]]] = defaultdict(list)
    for name, pairs in names_pairs.items():
        elsewhere[min(pairs, key=lambda pair: (pair_use[pair], pair), default="")].append((name, pairs))
    by_source, by_topic, cited, used, form_sources = (tally.by_source, tally.by_topic, tally.cited, tally.used,
                                                      tally.form_sources)
    citing = set(owner.values()) if settings.max_citations > 0 else set()  # players with room for citations
    for source in ordered:
        mine = mentions[source.id]
        own = dict(mine.after_titles)
        pairs = set(mine.name_pairs.split("\n"))
        missed = any(name not in own and needed <= pairs
                     for pair in (pairs | {""}) & elsewhere.keys() for name, needed in elsewhere[pair])
        # Searched again, an article keeps the surnames its own search found (see `surname_mentions`).
        matches = with_surnames(((s, [(m.group(1), s.id) for m in pattern.finditer(s.text)]) for s in source.sentences),
                                mine.surnamed) if missed else mine.matches
        # "According to Montenegro" in an article naming Prime Minister Luís Montenegro is the man,
        # not the country: a place's or body's name that is the surname of one person the same
        # article names in full, and that speaks there, is that person ("Jordan hosts refugees"
        # beside Jim Jordan is still the country).
        forms = {w for w, _ in matches}
        if surname_places & forms:  # most articles name no place or body like a person: nothing to do
            by_surname: dict[str, set[str]] = defaultdict(set)
            for name in {owner[w] for w in forms if kind_of[owner[w]] == "person" and " " in owner[w]}:
                by_surname[name.split()[-1]].add(name)
            texts = {s.id: s.text for s in source.sentences}
            matches = [(next(iter(by_surname[w])), sid)
                       if len(by_surname.get(w, ())) == 1 and w in surname_places and speaks(w, texts[sid])
                       else (w, sid) for w, sid in matches]
        # A synthetic 10,000-article corpus has half a million (name, sentence) pairs, so the work
        # per pair is kept to the topic counts; the rest is done per name, or while a player
        # still has room for citations.
        for written, times in Counter(map(itemgetter(0), matches)).items():
            player = owner[written]
            used[player].add(written)
            form_sources[(player, written)].add(source.id)
            by_source[player][source.id] += times
        # Each name in each sentence once, with how often, in the order first found: a repeat
        # adds to the counts and cannot add a citation, so the citations come out the same.
        counted = Counter(matches)
        for (written, sentence_id), times in counted.items():
            sentence_scores = scores.get((source.id, sentence_id))
            if sentence_scores:
                topic_counts = by_topic[owner[written]]
                for t in sentence_scores:
                    topic_counts[t.topic_id] += times
        if citing:
            order = (source.is_spun, source.id)
            for written, sentence_id in counted:
                player = owner[written]
                if player in citing:
                    player_citations = cited[player]
                    citation = Citation(source.id, sentence_id)
                    if (order, citation) not in player_citations:
                        player_citations.append((order, citation))
                        if len(player_citations) >= settings.max_citations:
                            citing.discard(player)


K = TypeVar("K")
V = TypeVar("V")


def _to_add_to(table: dict[K, V], kind: Callable[..., V]) -> defaultdict[K, V]:
    """A copy whose values are copies too, and where a missing key starts empty."""
    return defaultdict(kind, {key: kind(value) for key, value in table.items()})


def _merged(kept: PlayerTally, added: PlayerTally, max_citations: int) -> PlayerTally:
    """`added` (the sources after those `kept` covers) counted into a copy of `kept`; the
    citations are the first of both in citation order (a source is in only one of them)."""
    merged = PlayerTally(added.sources, added.census, added.found, added.organisations, added.entries,
                         _to_add_to(kept.by_source, Counter), _to_add_to(kept.by_topic, Counter),
                         _to_add_to(kept.used, set), _to_add_to(kept.form_sources, set), _to_add_to(kept.cited, list))
    for table, more in ((merged.by_source, added.by_source), (merged.by_topic, added.by_topic)):
        for key, counts in more.items():
            table[key].update(counts)
    for player, forms in added.used.items():
        merged.used[player] |= forms
    for player_form, source_ids in added.form_sources.items():
        merged.form_sources[player_form] |= source_ids
    for player, citations in added.cited.items():
        merged.cited[player] = list(itertools.islice(
            heapq.merge(merged.cited[player], citations, key=itemgetter(0)), max_citations))
    return merged


def players_of(tally: PlayerTally) -> tuple[Player, ...]:
    players = [
        Player(
            name=name, kind=kind,
            variants=tuple(sorted(tally.used[name] - {name})),
            by_source=tuple(sorted(tally.by_source[name].items())),
            by_topic=tuple(sorted(tally.by_topic[name].items())),
            citations=tuple(citation for _, citation in tally.cited[name]),
            spellings=tuple((form, tuple(sorted(tally.form_sources[(name, form)])))
                            for form in spelling_forms(name, tally.used[name])),
        )
        for name, kind in tally.entries if tally.by_source.get(name)
    ]
    return tuple(sorted(players, key=lambda p: (KIND_ORDER.get(p.kind, 9), -p.mentions, p.name)))
