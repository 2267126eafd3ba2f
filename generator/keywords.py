"""Keywords for topics and sources.

YAKE proposes candidate phrases; this module keeps the ones distinctive for a topic
(more frequent in its text than in the rest of the corpus, not shared by most topics),
drops overlapping near-duplicates and anything a synonym spinner introduced, and only
lets through phrases made of letters, digits, spaces, hyphens and apostrophes, because
keywords become Material tags and must never carry markup.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import itertools
import json
import math
import re
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from .clean import world_places
from .config import TITLES
from .config import Keywords as KeywordSettings
from .model import Keyword
from .rank import STOPWORDS, tokens
from .timeline import WEEKDAYS

# The words of a person's title name no one alone: a tag "Secretary", "chief executive" or "CEO"
# finds every page that quotes someone.
TITLE_WORDS = frozenset(w.lower().rstrip(".") for title in TITLES for w in title.split()) \
    | frozenset("""gov rep gen lt col sgt capt adm cmdr supt sir dame lord lady rev captain sheriff detective
    officer councillor councilor inspector""".split())  # noqa: SIM905 - abbreviated, and honorifics

# YAKE reads about 50 KB a second; a topic's or a source's first 100 KB of distinct
# sentences say what it is about as well as all of it does.
MAX_YAKE_CHARS = 100_000
SAFE_PHRASE = re.compile(r"^[^\W\d_][\w'’ -]{0,58}[\w]$")


@dataclass
class YakeMemo:
    """YAKE's keywords by the exact text and options it was given, kept between builds (in the
    cache): a topic's text is its first 100 KB of sentences, the same after an article is added
    at the end of a large corpus, and YAKE took 0.4 s of a 10k rebuild to find the same phrases.
    `used` is what this build asked for, all the next one needs."""

    stored: dict[str, list[tuple[str, float]]] = field(default_factory=dict)
    used: dict[str, list[tuple[str, float]]] = field(default_factory=dict)


def yake_input(text: str) -> str:
    """What YAKE reads of a text: its first MAX_YAKE_CHARS, cut at a space."""
    if len(text) > MAX_YAKE_CHARS:
        return text[: text.rfind(" ", 0, MAX_YAKE_CHARS) + 1 or MAX_YAKE_CHARS]
    return text


def yake_keywords(text: str, *, language: str, max_ngram: int, top: int,
                  memo: YakeMemo | None = None) -> list[Keyword]:
    """The one place YAKE is called. YAKE's score is lower-is-better; ours is higher-is-better."""
    if not text.strip():
        return []
    text = yake_input(text)
    options = {"lan": language, "n": max_ngram, "dedup_lim": 0.7, "dedup_func": "seqm", "window_size": 1, "top": top}
    key = None
    if memo is not None:
        asked = json.dumps([importlib.metadata.version("yake"), options, text], ensure_ascii=False)
        key = hashlib.sha256(asked.encode("utf-8", "surrogatepass")).hexdigest()
        found = memo.stored.get(key)
        if found is not None:
            memo.used[key] = found
            return [Keyword(phrase, score) for phrase, score in found]
    # Imported here, not with the module: YAKE brings networkx (0.14 s), which a build needs only
    # for its topics' keywords, never in the per-article workers or before the corpus is loaded.
    import yake

    extractor = yake.KeywordExtractor(**options)
    result = []
    for phrase, score in extractor.extract_keywords(text):
        result.append(Keyword(phrase=" ".join(phrase.split()), score=round(1.0 / (1.0 + float(score)), 6)))
    if memo is not None and key is not None:
        memo.used[key] = [(k.phrase, k.score) for k in result]
    return result


@functools.cache
def yake_stopwords(language: str) -> frozenset[str]:
    """YAKE's stop words for the language, lowercase: words that name nothing alone ("another",
    "without"). Read from the extractor, so they are the ones its key phrases are cut at."""
    import yake  # see yake_keywords: imported only where it is needed

    return frozenset(w.lower() for w in yake.KeywordExtractor(lan=language).stopword_set)


POSSESSIVE_ENDING = re.compile(r"(?<=\w)['’]s\b")


def content_words(phrase: str) -> set[str]:
    """A phrase's content words, singular and without a possessive ending: "commentaries" and
    "commentary" are one keyword's, and so are "Lloyd's List" and "Lloyd"."""
    if "'" in phrase or "’" in phrase:
        phrase = POSSESSIVE_ENDING.sub("", phrase)
    return {word[:-2] + "y" if word.endswith("ie") and len(word) > 4 else word for word in tokens(phrase)}


def is_safe(phrase: str) -> bool:
    return bool(SAFE_PHRASE.match(phrase)) and len(phrase.split()) <= 4


# Words that name no subject on their own (a tag "January" or "percent" finds nothing a reader
# wants), and verbs and pronouns that make a phrase a clause ("Iran has supplied", "made it
# clear") rather than a noun phrase.
CALENDAR = frozenset("""january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow week month year""".split())  # noqa: SIM905 - a word list reads best as prose
EMPTY_ALONE = CALENDAR | frozenset("""percent per cent million billion trillion thousand spokesperson spokesman
spokeswoman president minister official officials statement report reports news agency sources
one two three four five six seven eight nine ten eleven twelve dozen hundred hundreds first second third last next
ago still already ahead later earlier recent recently soon together new old late previous past
weeks months years day days night morning afternoon evening weekend
gmt utc bst cet cest eet eest msk est edt cst cdt mst mdt pst pdt et pt ist jst aest aedt""".split()) \
    | TITLE_WORDS  # noqa: SIM905 - "Secretary", "CEO", "chief executive" alone
# After a verb's "-ed" or "-ing" form, these make it a verb and when: "agreed earlier", "signed today".
WHEN = CALENDAR | frozenset("ago still already ahead later earlier recently soon last next".split())  # noqa: SIM905
CONTRACTION = re.compile(r"\w(?:n['’]t|['’](?:re|ve|ll|m|d))\b", re.IGNORECASE)
NUMBER_WORDS = frozenset("one two three four five six seven eight nine ten eleven twelve dozen hundred".split())  # noqa: SIM905
# Irregular past forms of verbs news reports with, none of them also a common noun ("cut", "set",
# "hit" and "won" are): a phrase ending on one is a clause ("CK Hutchison rose", "group led").
# Those that are never adjectives make a phrase they start a verb and its object ("led by US");
# the others may describe a thing ("held tanker", "paid leave").
PAST_NOT_ADJECTIVE = frozenset("""rose fell led began became brought came drew fought gave grew knew meant ran sank saw
stood swore took threw told wrote""".split())  # noqa: SIM905 - a word list reads best as prose
IRREGULAR_PAST = PAST_NOT_ADJECTIVE | frozenset("""bought built kept made sent spent struck taught thought understood
sold paid held""".split())  # noqa: SIM905 - a word list reads best as prose
# Words in "-ly" that are no adverbs: adjectives ("deadly attack", "weekly report") and nouns.
NOT_ADVERBS = frozenset("""likely unlikely timely lively lonely lovely friendly unfriendly costly deadly elderly
orderly weekly monthly yearly quarterly hourly nightly daily early family supply assembly anomaly monopoly
oligopoly duopoly homily butterfly rally ally reply bully belly jelly folly holy only ugly silly curly manly
worldly scholarly kindly sickly leisurely heavenly""".split())  # noqa: SIM905 - a word list reads best as prose
# Before a day or a month, these make the phrase a time ("Kong on Thursday", "agreed earlier this month").
TIME_LEAD = frozenset("on in at by since until from last next this early late".split())  # noqa: SIM905
CLAUSE_VERBS = frozenset("""is are was were be been being has have had will would shall should can could
said says told did does do it its their they them he she his her we our""".split())  # noqa: SIM905 - a word list reads best as prose


# After a verb's "-ing" form, these make it a verb and its object ("building the railway"); "of",
# "on" and the like leave it a noun ("bombing of Gaza", "spending on defence").
DETERMINERS = frozenset("the a an its their his her our this these those both all each every some any".split())  # noqa: SIM905


# Words that need a noun after them ("checks of various"), or that only follow another word ("least"
# of "at least 241 people"): a phrase ending or opening on one is cut from a longer one.
NEEDS_A_NOUN = frozenset("various several numerous certain many few such other both each every".split())  # noqa: SIM905
ONLY_AFTER = frozenset("least than".split())  # noqa: SIM905
WEEKDAY_WORDS = frozenset(day.lower() for day in WEEKDAYS)
PARTS_OF_DAY = frozenset("morning afternoon evening night".split())  # noqa: SIM905
# A phrase opening on a preposition is a window on a clause: "across Australia", "amid concerns".
PREPOSITIONS = frozenset("""across after against along amid among around at before behind below beside besides
between beyond by despite during except for from in inside into near of off on onto outside over past since through
throughout to toward towards under until upon via with within without""".split())  # noqa: SIM905


def is_participle(word: str) -> bool:
    """A lowercase "-ed" or "-ing" form ("agreed", "building"); not a short noun ("seed", "king")."""
    return word.islower() and len(word) > 5 and word.endswith(("ed", "ing"))


def is_noun_phrase(phrase: str) -> bool:
    """Whether a keyword candidate reads as a thing: not one empty word, no finite verb, not cut
    off after a modifier ("plans for expanded", "group agreed"), not a verb and its object or
    adverbial ("building the Rasht-Astara", "damaged on December")."""
    written = phrase.split()
    words = [w.lower() for w in written]
    if not words or (all(w in EMPTY_ALONE for w in words) and (len(words) == 1 or phrase.islower())):
        return False  # "two", "last year"; a name of such words stays ("First Minister", "New Year")
    if not CLAUSE_VERBS.isdisjoint(words) or "to" in words[1:]:  # "position to engage": a verb follows
        return False
    if ("'" in phrase or "’" in phrase) and CONTRACTION.search(phrase):  # "don't feel safe", "We've"
        return False
    if "ly" in phrase and any(w.islower() and len(w) >= 6 and w.endswith("ly") and w not in NOT_ADVERBS
                              for w in written):
        return False  # an adverb: "Donald Trump publicly", "widely seen"
    if len(words) > 1 and (words[-1] in IRREGULAR_PAST or words[0] in PAST_NOT_ADJECTIVE  # "stock rose", "led by US"
                           or words[0] in ("percent", "per", "cent", "thousand", "million", "billion", "trillion")
                           # its number cut off: "percent stake", "billion company" of "$80 billion company"
                           or words[-1] in NUMBER_WORDS  # "stake in two"
                           or (words[-1] in CALENDAR and words[-2] in TIME_LEAD)):  # "Kong on Thursday"
        return False
    if len(words) > 1 and is_participle(written[0]) and written[0].endswith("ing") and written[1][:1].isupper():
        return False  # a verb and its object: "connecting Finland"
    first = words[0]
    if len(words) > 1 and written[0].islower() and words[1] in PREPOSITIONS and (
            first in IRREGULAR_PAST or (len(first) >= 4 and first.endswith("ed") and not first.endswith("eed"))):
        return False  # a participle and its preposition: "made in China", "based in Oslo", "built by Russia"
    if len(words) > 2 and written[0].islower() and words[1] in DETERMINERS and words[0] not in DETERMINERS \
            and words[0] not in ("half", "twice", "thrice"):
        return False  # a verb and its object: "rebuild the bridge", "stop all traffic"
    if len(words) > 1 and (written[-1] in NEEDS_A_NOUN or written[0] in ONLY_AFTER or written[0] in PREPOSITIONS
                           or (words[0] in WEEKDAY_WORDS and PARTS_OF_DAY.issuperset(words[1:]))  # "Friday morning"
                           or (words[0] in WEEKDAY_WORDS and words[1] in PREPOSITIONS)  # "Friday by Ohio"
                           or (written[0] in NUMBER_WORDS and words[1] in STOPWORDS)):  # "two from First"
        return False
    if len(written[0]) == 1 and written[0] not in "AI" and len(words) > 1:
        return False  # an initial cut from its name: "J Medical College" of "B.J. Medical College"
    if len(words) > 1 and written[0][:1].isupper() and is_participle(words[0]) and words[0].endswith("ing") \
            and words[1] in DETERMINERS:
        return False  # a sentence's opening verb and its object: "Confirming the deaths"
    if len(words) > 1 and (words[-1] == "per"  # "sell 80 per" of "sell 80 per cent"
                           or (is_participle(written[0]) and (words[1] in DETERMINERS or words[1] in WHEN or (
                               words[1] in STOPWORDS and words[0].endswith("ed"))))):
        return False
    last = written[-1]
    short_noun = len(last) <= 5 and last.endswith("eed")  # "speed", "greed"; not "agreed"
    return not (last.islower() and len(last) > 4 and last.endswith("ed") and not short_noun)


# Just before a phrase: a capitalised word and "of" or "for", so the phrase finishes a title or a
# name ("Secretary of| State", "Administration for| Market Regulation"); not "Much of| Europe". Or
# a capitalised word inside a sentence, not a possessive ("Defence| Forces", "North-South| Corridor";
# not "Sweden's| Aftonbladet", nor "Meanwhile| Fingrid" at a sentence's start). Just after: a
# capitalised word that continues it (not a weekday or month: "in Rotterdam Tuesday").
TITLE_OF_BEFORE = re.compile(r"\b([A-Z][\w'’-]*) (?:of|for) $")
NAME_BEFORE = re.compile(r"[^.!?:;“\"‘(\s]\s+([A-Z][\w-]*) $")
NAME_GOES_ON = re.compile(r" ([A-Z][a-z]+)")
OF_A_NAME_AFTER = re.compile(r" of (?:the )?[A-Z][a-z]")
NO_NAME_WORDS = STOPWORDS | CALENDAR  # a capital on these is a sentence's start or a date's, not a name's
# Where a sentence starts in a topic's joined text: a capital there says nothing of a name.
_SENTENCE_OPENS = r"(?:^|[.!?][\"”’)]*\s+|[“\"‘(]\s*)"
SENTENCE_START = re.compile(_SENTENCE_OPENS + "$")
SAYS_OR_OWNS = re.compile(r"[’']s\b|\s+(?:said|says|told|announced|added|reported|confirmed|declined|denied)\b")


def occurrences(phrase: str, text: str) -> Iterator[tuple[int, int]]:
    """Where `text` writes `phrase` as whole words (not inside "Gazprom-owned"'s "owned"): found
    with str.find, not with a pattern compiled for each phrase asked about."""
    start = text.find(phrase)
    while start >= 0:
        end = start + len(phrase)
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if not (before.isalnum() or before in "_'’-") and not (after.isalnum() or after == "_"):
            yield start, end
        start = text.find(phrase, start + 1)


def cut_from_a_name(phrase: str, text: str) -> bool:
    """A capitalised phrase the text only ever writes inside a longer name is a window on that
    name, not a keyword: "State Jane Doe" of "Secretary of State Jane Doe", "State Jane" of it,
    "Forces" of "Defence Forces"; so is a phrase that ends where a name goes on ("power cable on
    Christmas" of "... on Christmas Day"). A possessive or a hyphen after the phrase ("Gazprom's",
    "Gazprom-owned") ends the name, and an acronym is a name before another ("US| Treasury")."""
    name = phrase[:1].isupper() and is_name(phrase)
    if not (name or phrase.split()[-1][:1].isupper()):
        return False
    # A word before makes a window only of a one-word phrase ("Defence| Forces"): a name always
    # written with its title ("US President| Joe Biden") has no longer form among the candidates.
    one_word = " " not in phrase
    acronym = one_word and len(phrase) > 1 and phrase.isupper()  # "US" of "US President" is a name of its own
    # Nor does a name joined by "and" or "of" start after another capitalised word: "Protection and
    # Innovation" of "Department of Financial Protection and Innovation".
    joined = not one_word and any(w in ("and", "of", "for", "&") for w in phrase.split()[1:-1])
    seen = False
    for start, end in occurrences(phrase, text):
        seen = True
        after = NAME_GOES_ON.match(text, end)
        if after and after.group(1).lower() not in CALENDAR and not acronym:
            continue
        if one_word and name and OF_A_NAME_AFTER.match(text, end):  # "Port| of Baltimore", "State| of Maryland"
            continue
        if not name:  # "power cable on Christmas" of "... on Christmas Day": only a name's end is cut
            return False
        title = TITLE_OF_BEFORE.search(text, max(0, start - 40), start)
        if title and title.group(1).lower() not in STOPWORDS:
            continue
        before = NAME_BEFORE.search(text, max(0, start - 40), start)
        # A name after its title is whole ("US President| Joe Biden", "UN Secretary-General| Antonio
        # Guterres", "Republican| Mitt Romney", "UK| Supreme Court"); after another name's word it is
        # a window ("Francis| Scott Key Bridge").
        if before and before.group(1).lower() not in NO_NAME_WORDS \
                and (one_word or joined or not describes_a_name(before.group(1))):
            continue
        if not (one_word or joined):
            return False
        # At a sentence's start the capital before says nothing, unless the text writes the two
        # words together inside a sentence too: "New York regulators ..." and "... in New York".
        opener = SENTENCE_OPENER.search(text, max(0, start - 40), start) if one_word else None
        if not (opener and opener.group(1).lower() not in NO_NAME_WORDS
                and written_inside_a_sentence(f"{opener.group(1)} {phrase}", text)):
            return False
    return seen


PARTIES = frozenset("republican democrat democratic labour conservative tory liberal green socialist".split())  # noqa: SIM905


def describes_a_name(word: str) -> bool:
    """Whether a capitalised word before a name says what the name is rather than starting it: a
    title ("President", "Secretary-General"), an honorific, a party, a people's adjective or an
    acronym ("UK Supreme Court"); not a place ("Helsinki| District Court")."""
    lowered = word.lower().rstrip(".")
    return (lowered in TITLE_WORDS or lowered in PARTIES or word.isupper()
            or any(part in TITLE_WORDS for part in lowered.split("-"))
            or is_peoples_adjective(word))


SENTENCE_OPENER = re.compile(_SENTENCE_OPENS + r"([A-Z][\w-]*) $")  # the capitalised word opening it


def written_inside_a_sentence(name: str, text: str) -> bool:
    """Whether `text` writes `name` somewhere a capital is not a sentence's start."""
    return any(not SENTENCE_START.search(text, max(0, start - 4), start) for start, _ in occurrences(name, text))


# A word of a people or a place's adjective ("Indian", "British", "Australian", "Chinese", "Israeli",
# "French"), when the text only ever writes it before the noun it describes ("Indian authorities",
# "British nationals"): a modifier whose noun was cut off, not a thing the article is about.
DEMONYM_ENDING = re.compile(r"^[A-Z][a-z]+(?:ian|ean|an|ish|ese|i|ch|ss|ek|ic)$")
NEXT_WORD = re.compile(r" ([a-z][a-z-]+)\b")


def is_peoples_adjective(word: str) -> bool:
    """A word with a people's ending that is not a place's name ("Iran", "Dubai", "Helsinki")."""
    return DEMONYM_ENDING.match(word) is not None and word not in world_places()


def only_a_modifier(phrase: str, text: str) -> bool:
    """Whether a people's or place's adjective is written only before the noun it describes."""
    if not is_peoples_adjective(phrase):  # "Iran talks", "Dubai airport": places, however written
        return False
    seen = False
    for _, end in occurrences(phrase, text):
        after = NEXT_WORD.match(text, end)
        word = after.group(1) if after else ""
        # A verb after it makes it the subject, a name: "Pezeshkian predicted", "Pezeshkian inked".
        if not word or word in NO_NAME_WORDS or word.endswith("ed") or word in IRREGULAR_PAST \
                or SAYS_OR_OWNS.match(text, end):
            return False
        seen = True
    return seen


def capital_only_at_starts(phrase: str, text: str) -> bool:
    """A phrase whose only capital is its first letter, and which the text writes so only where
    a sentence or a quotation starts ("Devices for sending signals were fitted", "Power cables
    have failed"): common words, not a name."""
    first, *rest = phrase.split()
    if not first[:1].isupper() or not first[1:].islower() or any(not w.islower() for w in rest):
        return False
    seen = False
    # A bare singular word that says or owns something is a name, though the text also writes it
    # in lowercase: "Shell said ..." and "an artillery shell"; "Analysts said" is a plural.
    speaks = not rest and not first.lower().endswith("s")
    for start, end in occurrences(phrase, text):
        seen = True
        if not SENTENCE_START.search(text, max(0, start - 4), start) \
                or (speaks and SAYS_OR_OWNS.match(text, end)):
            return False
    # A name that happens to start every sentence it is in ("Pevkur said ...") is still a name:
    # the words must also be written in lowercase somewhere, or be a verb's form ("Confirming the
    # deaths, the dean said ...").
    return seen and (next(occurrences(phrase[0].lower() + phrase[1:], text), None) is not None
                     or (not rest and is_participle(first.lower())))


def is_spun(phrase: str, spin_phrases: Iterable[str]) -> bool:
    lowered = f" {phrase.lower()} "
    return any(f" {p.lower()} " in lowered for p in spin_phrases)


def spin_pattern(spin_phrases: Iterable[str]) -> re.Pattern[str] | None:
    """`is_spun` as one pattern, for testing many phrases: a spin phrase as whole words of the phrase."""
    words = sorted({p.lower() for p in spin_phrases} - {""})
    if not words:
        return None
    return re.compile("(?<![^ ])(?:" + "|".join(re.escape(w) for w in words) + ")(?![^ ])")


@functools.lru_cache(maxsize=8)
def _spin_pattern_of(spin_phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """`spin_pattern`, built once for a run's spin phrases, not once per source."""
    return spin_pattern(spin_phrases)


def drop_overlaps(keywords: Iterable[Keyword], limit: int,
                  words_of: Callable[[str], set[str]] = content_words) -> list[Keyword]:
    """Keep the better of two phrases that share most of their words; reads `keywords` (best
    first) only until `limit` are kept."""
    kept: list[Keyword] = []
    kept_words: list[set[str]] = []
    every_kept_word: set[str] = set()  # a phrase sharing none of them overlaps none (most of them)
    for kw in keywords:
        words = words_of(kw.phrase)
        if not words:
            continue
        if words.isdisjoint(every_kept_word) or not any(
                len(words & k) / min(len(words), len(k)) > 0.5 for k in kept_words):
            kept.append(kw)
            kept_words.append(words)
            every_kept_word |= words
        if len(kept) == limit:
            break
    return kept


# A word character, then word characters, apostrophes, hyphens and full stops before a word
# character ("U.S"). Written as runs, not one character at a time: the same tokens, found in a
# third less time.
GRAM_TOKEN = re.compile(r"[^\W_][\w'’-]*(?:\.(?=\w)[\w'’-]*)*")
# A phrase never spans punctuation: "North Korea, Belarus" is two names, not one.
CLAUSE_BREAK = re.compile(r"[,;:()\[\]“”\"–—!?]|\.(?=\s|$)")


def _tokens(chunk: str) -> list[str]:
    """Tokens without a possessive ending ("Russia’s" -> "Russia"), looked for only in text that has one."""
    found = GRAM_TOKEN.findall(chunk)
    if "'s" not in chunk and "’s" not in chunk:
        return found
    return [t[:-2] if t.endswith(("'s", "’s")) else t for t in found]


# A sentence's tokens and its clause breaks in one pass, a break as "": no token holds a break's
# character (a token's full stop is followed by a word character, a break's is not).
TOKEN_OR_BREAK = re.compile(rf"({GRAM_TOKEN.pattern})|{CLAUSE_BREAK.pattern}")


def sentence_grams(text: str, max_n: int) -> dict[str, str]:
    """Every n-gram (n <= max_n) of a sentence that neither starts nor ends with a stopword or a
    number, as lowercase key -> the sentence's own spelling. The key drops possessive endings, so
    "Russia's gas" and "Russia gas" count as one; the spelling keeps those inside the gram ("a
    doctor's wife", "Lloyd's List"), not the one that ends it ("Russia" of "Russia's")."""
    # Tokenised once for the whole sentence, not clause by clause: a gram stops at a break.
    written = TOKEN_OR_BREAK.findall(text)
    tokens = written if "'s" not in text and "’s" not in text else \
        [t[:-2] if t.endswith(("'s", "’s")) else t for t in written]
    lower = list(map(str.lower, tokens))
    # Grams start and end only on these: looping over them alone skips the stopwords' grams.
    inner = [i for i, w in enumerate(lower) if w and w not in STOPWORDS and not w[0].isdigit()]
    grams: dict[str, str] = {}
    for at, i in enumerate(inner):
        key = lower[i]
        if key not in grams:
            grams[key] = tokens[i]
        for j in inner[at + 1:at + max_n]:
            if j >= i + max_n:
                break
            words = lower[i:j + 1]
            if "" in words:  # across a clause break
                break
            key = " ".join(words)
            if key not in grams:  # the first spelling is kept; building another is wasted
                grams[key] = " ".join(written[i:j]) + " " + tokens[j]
    return grams


def phrase_key(phrase: str) -> str:
    return " ".join(t.lower() for t in _tokens(phrase))


def sentence_frequency(sentences: Iterable[str], max_n: int, keys: set[str] | None = None) -> Counter:
    """In how many of the sentences each n-gram occurs (only `keys`, if given)."""
    counts: Counter = Counter()
    for text in sentences:
        grams = sentence_grams(text, max_n)
        counts.update(grams.keys() if keys is None else grams.keys() & keys)
    return counts


def _joined(a: Keyword, b: Keyword, lowered: list[str]) -> Keyword | None:
    """`a` and `b` as one phrase when a's last words are b's first and a sentence uses the whole."""
    ta, tb = a.phrase.split(), b.phrase.split()
    for k in range(min(len(ta), len(tb)) - 1, 0, -1):
        if [w.lower() for w in ta[-k:]] == [w.lower() for w in tb[:k]]:
            merged = " ".join(ta + tb[k:])
            key = phrase_key(merged)
            if is_safe(merged) and is_noun_phrase(merged) and any(f" {key} " in f" {text} " for text in lowered):
                return Keyword(merged, max(a.score, b.score))
            return None
    return None


def merge_overlaps(keywords: list[Keyword], sentences: list[str]) -> list[Keyword]:
    """Join phrases that are two windows on one longer phrase the text really uses:
    "Iranian President Masoud" + "President Masoud Pezeshkian" -> "Iranian President Masoud Pezeshkian"."""
    lowered = [" ".join(t.lower() for t in _tokens(text)) for text in sentences]
    result = list(keywords)
    while True:
        join = next(((i, j, m) for i, a in enumerate(result) for j, b in enumerate(result)
                     if i != j and (m := _joined(a, b, lowered)) is not None), None)
        if join is None:
            break
        i, j, merged = join
        result[i] = merged
        del result[j]
    result.sort(key=lambda k: (-k.score, k.phrase.lower()))
    return result


def drop_contained(keywords: list[Keyword], counts: Counter, longer: Iterable[str] = ()) -> list[Keyword]:
    """Drop "bypass Western" when it is nearly always part of "bypass Western sanctions" (one of the
    keywords, or of the `longer` candidates, which may have been vetoed for this topic)."""
    keys = [phrase_key(k.phrase) for k in keywords]
    context = set(keys) | set(longer)
    kept = []
    for kw, key in zip(keywords, keys, strict=True):
        inside = [other for other in context if other != key and f" {key} " in f" {other} "]
        if any(counts[other] >= 0.7 * counts[key] for other in inside):
            continue
        kept.append(kw)
    return kept


def as_written(phrase: str, text: str) -> str:
    """A YAKE phrase as the text writes it: YAKE drops possessive endings ("Spain grid operator"
    of "Spain's grid operator"), which the keyword keeps."""
    if " " not in phrase or not text or next(occurrences(phrase, text), None) is not None:
        return phrase
    pattern = r"(?:['’]s)?\s+".join(map(re.escape, phrase.split()))
    found = re.search(rf"(?<![\w'’-]){pattern}(?![\w'’-])", text) if "'" in text or "’" in text else None
    return found.group(0) if found else phrase


def distinctive(candidates: list[Keyword], target: list[str], corpus_df: Counter, corpus_size: int,
                settings: KeywordSettings, limit: int,
                is_own_term: Callable[[str], bool] = lambda phrase: True,
                all_candidates: Iterable[str] = (), text: str = "") -> tuple[Keyword, ...]:
    """Candidates that occur in several target sentences and are clearly likelier there than elsewhere.

    A lone lowercase word ("sector", "agenda") says little unless it is one of the topic's own
    terms; a one-off phrase ("situation presents") is how one writer put it, not how the topic
    is talked about, so every keyword must occur in at least two of the topic's sentences.
    Windows on a longer name in `text` are joined into it where they can be, then dropped."""
    target = list(dict.fromkeys(target))
    longer = {phrase_key(p) for p in all_candidates}
    keys = {phrase_key(k.phrase) for k in candidates} | longer
    in_target_counts = sentence_frequency(target, settings.max_ngram, keys)
    rest_size = max(0, corpus_size - len(target))
    scored = []
    for kw in candidates:
        key = phrase_key(kw.phrase)
        in_target = in_target_counts[key]
        in_rest = max(0, corpus_df[key] - in_target)
        lift = (in_target / max(1, len(target))) / ((in_rest + 0.5) / (rest_size + 1))
        lone = " " not in kw.phrase
        # A lone word (a common one, or a name such as "Moscow") must stand out twice as clearly.
        if in_target < 2 or lift < settings.min_lift * (2 if lone else 1):
            continue
        if capital_only_at_starts(kw.phrase, text):  # "Devices for ...": "devices"
            kw = Keyword(kw.phrase[0].lower() + kw.phrase[1:], kw.score)
        common_word = lone and kw.phrase.islower()
        if common_word and not is_own_term(kw.phrase):
            continue
        score = kw.score * math.log1p(in_target) * math.log1p(min(lift, 20.0))
        if common_word:
            score *= 0.5
        scored.append(Keyword(as_written(kw.phrase, text), round(score, 6)))
    scored.sort(key=lambda k: (-k.score, k.phrase.lower()))
    scored = drop_contained(merge_overlaps(scored, target), in_target_counts, longer)
    return tuple(drop_overlaps((k for k in scored if not cut_from_a_name(k.phrase, text)
                                and not only_a_modifier(k.phrase, text)), limit))


def usable(found: list[Keyword], spin_phrases: tuple[str, ...]) -> list[Keyword]:
    return [k for k in found
            if is_safe(k.phrase) and is_noun_phrase(k.phrase) and not is_spun(k.phrase, spin_phrases)]


def topic_keywords(
    topic_sentences: dict[str, list[str]],
    corpus_df: Counter,
    corpus_size: int,
    settings: KeywordSettings,
    *,
    language: str,
    spin_phrases: Iterable[str],
    belongs_elsewhere: Callable[[str, str], bool] = lambda topic_id, phrase: False,
    is_own_term: Callable[[str, str], bool] = lambda topic_id, phrase: True,
    memo: YakeMemo | None = None,
) -> dict[str, tuple[Keyword, ...]]:
    """Per topic, the phrases that set its sentences apart from the rest of the corpus.

    `corpus_df` counts the corpus sentences each n-gram occurs in (see `sentence_frequency`).
    `belongs_elsewhere(topic_id, phrase)` vetoes a phrase that names another topic's subject
    (a "military" keyword on the finance page misleads even if it is frequent there).
    """
    spin_phrases = tuple(spin_phrases)
    # Only what YAKE reads is kept: a large corpus's topic texts run to megabytes each.
    texts = {topic_id: yake_input(" ".join(dict.fromkeys(sentences)))
             for topic_id, sentences in sorted(topic_sentences.items())}
    candidates = {
        topic_id: usable(yake_keywords(text, language=language, max_ngram=settings.max_ngram,
                                       top=settings.candidates, memo=memo), spin_phrases)
        for topic_id, text in texts.items()
    }
    sharing: Counter = Counter()
    for found in candidates.values():
        sharing.update({k.phrase.lower() for k in found})
    result = {}
    for topic_id, found in candidates.items():
        specific = [k for k in found if sharing[k.phrase.lower()] <= settings.max_topics_sharing
                    and not belongs_elsewhere(topic_id, k.phrase)]
        result[topic_id] = distinctive(specific, topic_sentences[topic_id], corpus_df, corpus_size, settings,
                                       settings.per_topic, functools.partial(is_own_term, topic_id),
                                       [k.phrase for k in found], texts[topic_id])
    return result


def is_name(phrase: str) -> bool:
    return all(w[:1].isupper() or w.lower() in STOPWORDS for w in phrase.split())


@dataclass(frozen=True)
class PhraseCandidates:
    """The phrases a source repeats, with what their keyword scores need besides the corpus
    counts, packed (a large corpus keeps about a hundred per source): each phrase as written,
    followed by a tab and its n-gram key when that is not the phrase in lowercase; the number of
    the source's sentences using it; a weight of 1 + 0.25 per extra word, or 0.5 for a lone
    lowercase word."""

    phrases: str = ""  # newline-separated
    counts: array = field(default_factory=lambda: array("I"))
    weights: array = field(default_factory=lambda: array("d"))


@dataclass(frozen=True)
class SourcePhrases:
    """What one source contributes to keyword scoring, computed with the rest of its per-article work."""

    sentence_frequency: Counter  # sentences of this source containing each n-gram
    candidates: PhraseCandidates  # its possible keywords, in key order

    def slim(self) -> SourcePhrases:
        """Only what scoring this source's keywords needs; a large corpus cannot keep every count."""
        return SourcePhrases(Counter(), self.candidates)


def source_text(sentences: Iterable[str]) -> str:
    """A source's sentences as one text to look for names in: a full stop between two, so a name
    never runs on into the next sentence ("... signed with Gazprom| Gazprom said ..."). Its first
    MAX_YAKE_CHARS, as for a topic's text: every candidate is looked for in it, so a source of
    megabytes would make the look-ups quadratic; a name past it is left as written."""
    return yake_input(". ".join(sentences))


def source_phrases(sentences: list[str], settings: KeywordSettings, *, spin_phrases: Iterable[str] = (),
                   spun: bool = False, language: str = "en",
                   names_a_topic: Callable[[str], bool] = lambda word: True) -> SourcePhrases:
    """N-gram counts of one source, and the phrases it repeats that could describe it: plain text,
    nothing a spinner introduced and, in a spun source, names only (a spinner leaves names alone).
    As for a topic's keywords, a window on a longer name the source writes ("Marco" of "Marco
    Rubio", "China and Hong" of "... Hong Kong") is none, a word capitalised only where its
    sentences start ("Analysts said") is the common word, and a word that names nothing alone
    ("across", "beyond") is none. A lone common word is one only when it is one of the story's
    topic terms (`names_a_topic`): "cyberattack", "railway", not "people", "matter" or "set"."""
    spun_words = _spin_pattern_of(tuple(spin_phrases))
    empty = yake_stopwords(language)
    unique = list(dict.fromkeys(sentences))
    text = source_text(unique)
    counts: Counter = Counter()
    per_sentence = [sentence_grams(text, settings.max_ngram) for text in unique]
    for grams in per_sentence:
        counts.update(grams.keys())
    surface: dict[str, str] = {}  # each n-gram as its first sentence writes it
    for grams in reversed(per_sentence):  # updated in C: earlier sentences overwrite later ones
        surface.update(grams)
    min_sentences = 2 if len(unique) >= 6 else 1
    entries, weights, used = [], array("d"), array("I")
    for key in sorted(key for key, count in counts.items() if count >= min_sentences):
        phrase = surface[key]
        lone = " " not in phrase
        if lone and phrase.islower() and not names_a_topic(phrase):
            continue  # most candidates: tested first, as no test below keeps such a word
        if not is_safe(phrase) or not is_noun_phrase(phrase) or (spun_words and spun_words.search(phrase.lower())):
            continue
        if (spun or counts[key] < 2) and not is_name(phrase):
            continue  # a spinner leaves names alone; a short source's one-off phrase is a name or none
        if lone and phrase.lower() in empty and not phrase.isupper() and not names_a_topic(phrase.lower()):
            continue  # "across", "beyond"; not a topic's term ("cause" of the term "cause*")
        if cut_from_a_name(phrase, text) or only_a_modifier(phrase, text):
            continue
        if capital_only_at_starts(phrase, text):
            phrase = phrase[0].lower() + phrase[1:]
            if lone and phrase.islower() and not names_a_topic(phrase):
                continue  # "Devices" of "Devices for ...": "devices"
        weight = 0.5 if lone and phrase.islower() else 1 + 0.25 * phrase.count(" ")
        entries.append(phrase if key == phrase.lower() else f"{phrase}\t{key}")
        used.append(counts[key])
        weights.append(weight)
    return SourcePhrases(counts, PhraseCandidates("\n".join(entries), used, weights))


@dataclass
class SourceKeywordMemo:
    """What scoring every source's keywords asks for again and again, kept for one corpus (pass
    the same memo for all its sources): the IDF of a sentence count (there are few distinct
    counts) and the content words of a phrase (sources share most of the phrases read)."""

    idf: dict[int, float] = field(default_factory=dict)
    words: dict[str, set[str]] = field(default_factory=dict)

    def words_of(self, phrase: str) -> set[str]:
        """`content_words(phrase)`, computed once; the set is shared, so it must not be changed."""
        found = self.words.get(phrase)
        if found is None:
            found = self.words[phrase] = content_words(phrase)
        return found


def source_keywords(phrases: SourcePhrases, corpus_df: Counter, corpus_size: int, settings: KeywordSettings,
                    memo: SourceKeywordMemo | None = None) -> tuple[Keyword, ...]:
    """What this source talks about more than the others do: n-grams by TF-IDF.

    YAKE reads about 50 KB a second, too slow to run on every article of a large corpus, so
    sources are described by the phrases they repeat that the corpus rarely uses.
    """
    memo = memo if memo is not None else SourceKeywordMemo()
    idf = memo.idf
    tf_weight = {}
    log_size = corpus_size + 1
    scored = []
    entries = phrases.candidates.phrases.split("\n") if phrases.candidates.phrases else []
    for entry, count, weight in zip(entries, phrases.candidates.counts, phrases.candidates.weights, strict=True):
        phrase, _, key = entry.partition("\t")
        df = corpus_df.get(key or phrase.lower(), 0)
        if df not in idf:
            idf[df] = math.log(log_size / (df + 1))
        if count not in tf_weight:
            tf_weight[count] = 1 + math.log(count)
        # The same products in the same order as (1 + log tf) * idf * length, halved for a lone lowercase word.
        score = tf_weight[count] * idf[df] * weight
        if score > 0:
            scored.append((score, phrase))
    # Best first by the score rounded to 6 places, then alphabetically. Rounding keeps the order,
    # so sorting the exact scores and re-sorting runs of equal rounded scores is the same order,
    # and only the candidates drop_overlaps reads are rounded.
    scored.sort(key=lambda x: -x[0])
    ranked = (Keyword(phrase, rounded)
              for rounded, tied in itertools.groupby(scored, key=lambda x: round(x[0], 6))
              for _, phrase in sorted(tied, key=lambda x: x[1].lower()))
    return tuple(drop_overlaps(ranked, settings.per_source, memo.words_of))
