from __future__ import annotations

import io
import itertools
import sys
import unittest

import segtok.segmenter
from hypothesis import example, given, settings
from hypothesis import strategies as st

from generator.clean import clean
from generator.model import Article, Block, CleanArticle, SourceMeta
from generator.segment import WHITESPACE, AbbreviationAtEnd, EndingBeforeLowercase, segment, sentence_spans


def clean_of(*blocks: Block) -> CleanArticle:
    return CleanArticle(article=Article("src", "src.txt", "", SourceMeta()), blocks=blocks)


def test_sentences_get_ids_in_order_and_their_section():
    sentences = segment(clean_of(
        Block("Intro sentence one. Intro sentence two."),
        Block("Energy", is_heading=True),
        Block("Gas will flow via the Caspian. Prices were agreed."),
    ))
    assert [s.id for s in sentences] == ["s001", "s002", "s003", "s004"]
    assert [s.section for s in sentences] == [None, None, "Energy", "Energy"]
    assert sentences[2].text == "Gas will flow via the Caspian."


def test_abbreviations_and_figures_do_not_split():
    text = "The U.S. State Department said trade reached $4.5 billion in 2024. Iran denied it."
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == [
        "The U.S. State Department said trade reached $4.5 billion in 2024.", "Iran denied it."]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=500))
def test_every_sentence_maps_back_to_its_span(text):
    cleaned = clean(Article("x", "x.txt", text, SourceMeta()))
    sentences = segment(cleaned)
    assert len({s.id for s in sentences}) == len(sentences)
    for s in sentences:
        block = cleaned.blocks[s.block]
        assert not block.is_heading
        assert block.text[s.start:s.end] == s.text
        assert s.text.strip() == s.text and s.text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="abc XYZ.?!,’\"", min_size=1, max_size=60), min_size=1, max_size=8))
def test_spans_are_ordered_and_disjoint(pieces):
    text = " ".join(pieces)
    spans = sentence_spans(text)
    for (a, b), (c, d) in itertools.pairwise(spans):
        assert a < b <= c < d


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([
    "Russia and Iran signed a treaty.", "Gas will flow", "via the Caspian.", "U.S. officials", "said so.",
    "Historical Closeness Redefined", "What now?", "\n", "\n\n", "  ", "Trade rose 5%", "in 2024!", "“Quoted”",
    "x.Y", "Ends here", "...", "(aside)", "North-South", "and", "–",
]), max_size=40))
def test_every_sentence_is_verbatim_in_the_raw_article(parts):
    raw = " ".join(parts)
    cleaned = clean(Article("x", "x.txt", raw, SourceMeta()))
    flat_raw = " ".join(raw.split())
    for s in segment(cleaned):
        assert " ".join(s.text.split()) in flat_raw, s.text


# Pieces of what segtok's abbreviation pattern looks for: its words, initials, titles that
# precede an initial, author-list commas, brackets, digits, modifier and title-case letters.
ABBREVIATION_PIECES = st.sampled_from([
    "Dr", "Mr", "approx", "Approx", "Commander", "Professor", "Señorita", "Magister", "by", "and", "Sept",
    "e.g", "z.B", "U.S", "No", "A", "B", "J.-P", "A.A", "Aʰ", "ǅ", ",", " ", "\u00a0", ".", "-", "\u2010",
    "(", "[", "\n", "7", "31", "2024", "word", "Word", "x",
])


# Endings the pattern matches or nearly matches: a title then an initial, an author list, a
# known abbreviation, digits.
ENDINGS = st.tuples(
    st.sampled_from(["", "Dr", "Captain", "Commander", "Professor", "Señorita", "Magister", "by", "Word,", "AB,",
                     "x, and", "X and", "(", "[", " approx", " e.g", " U.S", " Sept", "No", "31", "x"]),
    st.sampled_from(["", " ", "\n", "  "]),
    st.sampled_from(["", "A", "A.", "A.-B", "A.B", "Aʰ", "ǅ", "7", "x"]),
    st.sampled_from(["", "\n"]),
).map("".join)


@settings(max_examples=800, deadline=None)
@example([], "", 70, "7")  # all digits: only a match that spans the whole text
@example(["x"], "", 0, "")  # a single character: the same
@given(st.lists(ABBREVIATION_PIECES, max_size=12), ENDINGS, st.integers(min_value=0, max_value=90),
       st.sampled_from(["", "x", "7", " ", "Dr "]))
def test_the_abbreviation_test_searched_backwards_answers_as_segtoks_forward_search(pieces, ending, padding, pad_with):
    checker = segtok.segmenter.ABBREVIATIONS
    assert isinstance(checker, AbbreviationAtEnd)  # installed when generator.segment is imported
    text = pad_with * padding + "".join(pieces) + ending
    assert bool(checker.search(text)) == bool(checker.pattern.search(text))


SPAN_ENDINGS = st.tuples(
    st.sampled_from(["", "word", "U.S", "Mr", "spp", "x spp", "a", "Ab", "AB", "é", "(", "e.g", "12"]),
    st.sampled_from(["", ".", "!", "?", "\u3002", "\uff0e", ",", "..."]),
    st.lists(st.sampled_from(['"', ")", "]", "'", "”"]), max_size=4).map("".join),
    st.lists(st.sampled_from([" ", "\n", "\t", "\u00a0", "\u2003", "\x1c", "\u3000"]), max_size=4).map("".join),
).map("".join)


@settings(max_examples=800, deadline=None)
@example(["x"], " spp. ", 0, "")  # the longest ending: it starts 4 characters before the spaces
@example(["word"], '."' + ")" * 12 + " ", 0, "")  # closing brackets without limit
@given(st.lists(ABBREVIATION_PIECES, max_size=12), SPAN_ENDINGS, st.integers(min_value=0, max_value=40),
       st.sampled_from(["", "x", " ", ") ", '." ']))
def test_the_ending_test_from_near_the_end_answers_as_segtoks_full_match(pieces, ending, padding, pad_with):
    checker = segtok.segmenter.BEFORE_LOWER
    assert isinstance(checker, EndingBeforeLowercase)
    text = pad_with * padding + "".join(pieces) + ending
    assert bool(checker.match(text)) == bool(checker.pattern.match(text))


def test_whitespace_holds_every_space_character():
    assert "".join(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()) == WHITESPACE


def test_segtoks_own_tests_pass_with_the_faster_tests_in_place():
    from segtok import segmenter_test

    assert segmenter_test.ABBREVIATIONS is segtok.segmenter.ABBREVIATIONS  # the wrapper is what they test
    result = unittest.TextTestRunner(stream=io.StringIO()).run(
        unittest.defaultTestLoader.loadTestsFromModule(segmenter_test))
    assert result.wasSuccessful() and result.testsRun >= 20


def test_a_changed_segtok_pattern_is_left_alone():
    import regex

    from generator.segment import _is_pattern

    original = segtok.segmenter.ABBREVIATIONS.pattern
    assert _is_pattern(original, "03a504173a4bbde6")
    assert not _is_pattern(regex.compile(original.pattern + "|extra"), "03a504173a4bbde6")
    assert not _is_pattern(segtok.segmenter.ABBREVIATIONS, "03a504173a4bbde6")  # never wrapped twice
