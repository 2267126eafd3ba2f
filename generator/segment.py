"""Split cleaned blocks into sentences with stable, readable ids.

sentencex (Wikimedia's rule-based segmenter) does the sentence boundary detection: it keeps
"Holdings Ltd. on Monday", "Gov. Smith" and "Acme Corp. said" in one sentence where segtok
split them, and is about five times faster. This module only maps its output back to
character spans so every sentence can be traced to the exact text it came from.
"""

from __future__ import annotations

import re

import sentencex

from .model import CleanArticle, Sentence, Source, SourceText, SpinEvidence

TRAILING_JUNK = re.compile(r"^[\W_]+$")
# A sentence never opens with a lower-case word: a piece that does ("in 2024 from ...") follows
# an abbreviation the segmenter took for a full stop ("$4.5 bn. in 2024"). "iPhone" and "eBay" open
# with a lower-case letter but are names.
LOWERCASE_OPENING = re.compile(r"^[a-z](?:[a-z'’-]|\s|$)")
HAS_WORD = re.compile(r"[^\W_]")
# A list item's number is no sentence of its own: "1." before "Security and defence cooperation".
LIST_NUMBER = re.compile(r"^\(?\d{1,3}[.)]$")
# "by 8 a.m. Eastern time", "at 9 p.m. GMT", "at 1:30 a.m. Tuesday": a clock's "a.m." before its
# time zone or its day ends no sentence.
CLOCK_END = re.compile(r"\b\d{1,2}(?:[:.]\d{2})?\s?[ap]\.m\.$")
ZONE_AFTER_CLOCK = re.compile(r"(?:GMT|UTC|BST|CES?T|EES?T|MSK|[ECMP][SD]?T|IST|JST|AE[SD]T)\b"
                              r"|[A-Z][a-z]+\s+(?:(?:standard|daylight)\s+)?time\b"
                              # the day itself, then a break or its part: "1:30 a.m. Tuesday, the ship ..."
                              r"|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
                              r"(?=\s*[,;)]|\s*\.?$|\s+(?:morning|afternoon|evening|night)\b)")
# A company's suffix opens no sentence: "Synergy Marine Pvte." | "Ltd, the ship's manager, said".
# ... after a name's abbreviation: "Synergy Marine Pvte." (not "He joined Volkswagen AG." | "SA, a rival, ...").
ABBREVIATED_END = re.compile(r"\b[A-Z][a-z]{1,4}\.$")
COMPANY_SUFFIX_OPENING = re.compile(r"^(?:Ltd|Limited|Inc|Corp|LLC|PLC|Plc|Co|GmbH|AG|SA|NV|BV|Pte|Pvt|LLP)\b\.?"
                                    r"(?:[,)]|\s+(?:said|says|told|added)\b)")
# "... were linked to the U.S. Trump said on Monday ...": an initialism ends a sentence when it
# closes a clause ("<verb> ... to the U.S.") and a one-word name and a verb of saying follow.
# The segmenter keeps these together because "the U.S. Treasury said" is the common case. Not
# after "until/after/because the U.S." or ", the U.S." (the attribution of a clause: "calm until
# the U.S. Pentagon said"), not without an auxiliary before it ("officials at the U.S. Mission
# said"), and not before an institution or a title.
INITIALISM_THEN_SPEAKER = re.compile(
    r"(?<=\s)(?:[A-Z]\.){2,}(?=\s+(?P<name>[A-Z][a-z]+)\s+(?:said|says|told|added|warned|wrote|announced"
    r"|stated|insisted|argued|noted|replied|responded)\b)")
CLOSES_A_CLAUSE = re.compile(r"\b(?:to|in|with|by|for|at|of|on|into|across|throughout)\s+the\s+$")
NOT_A_SPEAKER = frozenset("""Treasury Navy Army Military Government Embassy Congress Senate House Court
    Officials President Secretary Ambassador Envoy Senator Spokesman Spokeswoman Spokesperson Minister
    Command Forces Intelligence Justice State Defense Defence Commerce Energy Trade""".split())  # noqa: SIM905
AUXILIARY = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|can|could|may|might|must|did|does)\b")


# What every INITIALISM_THEN_SPEAKER match holds: found by a scan for its full stop, where the
# pattern's look-behind has re try it at every character (a thirtieth of the cost on most pieces).
DOTTED_CAPITAL = re.compile(r"\.[A-Z]\.")


def _speaker_splits(piece: str) -> list[str]:
    """A piece cut where an initialism ends a sentence and a speaker's name opens the next. Each
    part of the piece is searched for an auxiliary once, however many initialisms it has."""
    if DOTTED_CAPITAL.search(piece) is None:  # no initialism of two letters or more: most pieces
        return [piece]
    parts: list[str] = []
    start = searched = 0
    has_auxiliary = False
    for m in INITIALISM_THEN_SPEAKER.finditer(piece):
        has_auxiliary = has_auxiliary or AUXILIARY.search(piece, searched, m.start()) is not None
        searched = m.start()
        if (m.group("name") in NOT_A_SPEAKER or not has_auxiliary
                or not CLOSES_A_CLAUSE.search(piece, max(start, m.start() - 20), m.start())):
            continue
        parts.append(piece[start:m.end()])
        start = searched = m.end()
        has_auxiliary = False
    parts.append(piece[start:])
    return parts


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of one paragraph; each span's text is stripped."""
    spans: list[tuple[int, int]] = []
    cursor = 0
    for piece in (part for whole in sentencex.segment("en", text) for part in _speaker_splits(whole)):
        piece = piece.strip()
        if not piece:
            continue
        start = text.find(piece, cursor)
        if start < 0:  # the segmenter never rewrites text, but stay total if it ever does
            continue
        end = start + len(piece)
        if spans and joins_the_last(text, piece, spans[-1]):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
        cursor = end
    return _opening_quotes_moved_on(text, spans)


def joins_the_last(text: str, piece: str, last: tuple[int, int]) -> bool:
    """Whether `piece` belongs to the sentence before it, `last` (its span in `text`): junk, a
    lower-case opening, a company's suffix, a list's number or a clock's time zone (see the
    patterns above). Each pattern is tried only where the piece's first character, or the last
    sentence's length or ending, lets it match: most pieces open with a capital no suffix has."""
    last_start, last_end = last
    first = piece[:1]  # the piece is stripped, and not empty
    if not first.isalnum():  # what [\W_] matches: re's \w is isalnum() or "_"
        if TRAILING_JUNK.match(piece):
            return True
    elif "a" <= first <= "z":
        if LOWERCASE_OPENING.match(piece):
            return True
    elif first in COMPANY_SUFFIX_FIRST and COMPANY_SUFFIX_OPENING.match(piece) \
            and ABBREVIATED_END.search(text, last_start, last_end):
        return True
    # A span is stripped, so its end is no newline that `$` could stand before.
    if last_end - last_start <= LIST_NUMBER_LONGEST and LIST_NUMBER.match(text[last_start:last_end]):
        return True
    return text.endswith(("a.m.", "p.m."), last_start, last_end) and "A" <= first <= "Z" \
        and ZONE_AFTER_CLOCK.match(piece) is not None and CLOCK_END.search(text, last_start, last_end) is not None


COMPANY_SUFFIX_FIRST = frozenset("LICPGASNB")  # the first letters of COMPANY_SUFFIX_OPENING's suffixes
LIST_NUMBER_LONGEST = len("(123.")


# A quotation mark after a sentence's end and a space opens the next sentence; the segmenter
# gives it to the sentence before when the text mixes straight and curly marks ('... casualties. "'
# then 'Since the bodies ...,” she said.').
OPENING_QUOTE_AT_END = re.compile(r"[.!?]\s+[\"“‘]$")
OPENING_QUOTES = "\"“‘"


def _opening_quotes_moved_on(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    for i in range(len(spans) - 1):
        start, end = spans[i]
        if text[end - 1] not in OPENING_QUOTES:  # a span is stripped: `$` can stand only at its end
            continue
        found = OPENING_QUOTE_AT_END.search(text, max(start, end - 8), end)
        if found is not None:
            spans[i] = (start, found.start() + 1)
            spans[i + 1] = (end - 1, spans[i + 1][1])
    return spans


def sentence_id(index: int) -> str:
    return f"s{index:03d}"


def segment(clean: CleanArticle) -> tuple[Sentence, ...]:
    sentences: list[Sentence] = []
    section: str | None = None
    source_id = clean.id
    for block_index, block in enumerate(clean.blocks):
        if block.is_heading:
            section = block.text
            continue
        text = block.text
        for start, end in block.spans or sentence_spans(text):
            piece = text[start:end]
            if not piece[:1].isalnum() and not HAS_WORD.search(piece):  # [^\W_] is what isalnum() is
                continue  # punctuation alone is not a sentence
            index = len(sentences) + 1
            sentences.append(Sentence(sentence_id(index), source_id, index, piece, block_index, start, end, section))
    return tuple(sentences)


def to_source(clean: CleanArticle, sentences: tuple[Sentence, ...], *,
              spin_evidence: tuple[SpinEvidence, ...] = (), flags: tuple[str, ...] = ()) -> Source:
    return Source(
        id=clean.id, filename=clean.article.filename, meta=clean.article.meta,
        content=SourceText(clean.blocks, sentences), removed=clean.removed,
        spin_evidence=spin_evidence, flags=flags,
    )

