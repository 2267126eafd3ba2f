"""Copies and rewrites: detected across sources, shown on both pages, counted once."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.classify import Unspinner
from generator.copies import _key, find_copies, sentence_fingerprint, sentence_keys, source_groups
from generator.model import CopyRelation, Sentence
from generator.pipeline import build, generate
from tests.conftest import CONFIG, SEEDS


def sentences(source_id: str, texts: list[str]) -> list[Sentence]:
    return [Sentence(f"s{i:03d}", source_id, i, t, 0, 0, len(t)) for i, t in enumerate(texts, start=1)]


ORIGINAL = [
    "Iran has already provided Russia with Shahed drones used in nightly attacks on Ukraine.",
    "The treaty is expected to remain in effect for twenty years according to the ambassador.",
    "Gazprom will expand its natural gas projects across southern Iran next year.",
    "Talks lasted three hours.",
]


def test_exact_and_reworded_copies_are_found_short_sentences_ignored():
    unspin = Unspinner({"settlement": "agreement", "army": "military"}, {"financial": "economic"})
    original = sentence_keys(sentences("a", ORIGINAL), unspin)
    copied = sentence_keys(sentences("b", [ORIGINAL[0], ORIGINAL[3], "A sentence of its own about other matters."]),
                           unspin)
    reworded = sentence_keys(sentences("c", [
        "According to the ambassador, the treaty is expected to remain in effect for twenty years.",
        "Next year Gazprom will expand its natural gas projects across southern Iran!",
    ]), unspin)
    unrelated = sentence_keys(sentences("d", ["Markets were calm as traders waited for news from Brussels."]), unspin)
    relations = find_copies([("a", original), ("b", copied), ("c", reworded), ("d", unrelated)])
    assert relations == (CopyRelation("c", "a", 0, 2, 2),)  # b shares only one long sentence: not enough
    copied_twice = sentence_keys(sentences("b", ORIGINAL[:2]), unspin)
    assert find_copies([("a", original), ("b", copied_twice)]) == (CopyRelation("b", "a", 2, 0, 2),)


def test_copy_groups_join_chains():
    groups = source_groups(["a", "b", "c", "d"], [CopyRelation("b", "a", 2, 0, 5), CopyRelation("c", "b", 0, 3, 4)])
    assert groups == {"a": "a", "b": "a", "c": "a", "d": "d"}


@given(st.lists(st.sampled_from("abcdefgh"), unique=True),
       st.lists(st.tuples(st.sampled_from("abcdefghij"), st.sampled_from("abcdefghij"))))
def test_copy_groups_are_the_copying_components_named_by_their_first_id(source_ids, pairs):
    groups = source_groups(source_ids, [CopyRelation(copier, original, 2, 0, 5) for copier, original in pairs])
    component = {s: {s} for s in source_ids}  # joined pair by pair, the plain way
    for copier, original in pairs:
        if copier in component and original in component and component[copier] is not component[original]:
            joined = component[copier] | component[original]
            for s in joined:
                component[s] = joined
    assert groups == {s: min(component[s]) for s in source_ids}


SPIN = {"agreement": "settlement", "military": "army", "visit": "go to", "new": "brand new", "more": "extra",
        "the two nations": "the 2 nations", "energy": "vitality", "independent": "unbiased"}


def spin(text: str) -> str:
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, SPIN), key=len, reverse=True)) + r")\b")
    return pattern.sub(lambda m: SPIN[m.group(1)], text)


@pytest.fixture(scope="module")
def copied_corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("copies")
    seeds = root / "seeds"
    seeds.mkdir()
    original = (SEEDS / "004_2f0bec96db29405d.txt").read_text(encoding="utf-8")
    (seeds / "a_original.txt").write_text(original, encoding="utf-8")
    lines = [line for line in original.splitlines() if len(line.split()) > 12]
    # b lifts three paragraphs word for word into its own text
    (seeds / "b_copier.txt").write_text(
        "Markets in the Gulf reacted calmly to the news from Moscow on Friday morning.\n"
        + "\n".join(lines[:2]) + "\nAnalysts in Dubai said oil prices barely moved after the signing. "
        "Shipping insurers in Fujairah kept their war-risk premiums where they had been all month. "
        "Traders in Singapore expected Iranian crude to keep flowing to independent refiners in China. "
        "Bankers in Istanbul said payment channels between Russia and Iran remained slow and costly. "
        "Diplomats in Baku asked whether the pipeline through Azerbaijan would ever be financed. "
        "Several Gulf officials declined to comment on the treaty when reached by telephone on Saturday.\n",
        encoding="utf-8")
    # c is the whole article through a synonym spinner, plus a paragraph of its own
    (seeds / "c_spun.txt").write_text(spin(original) + "\nThe brand new settlement will be extra important for the 2 "
                                      "nations, and the go to was brand new and extra historic.\n", encoding="utf-8")
    result = build(seeds, root / "docs", CONFIG)
    return root, result


def test_copiers_are_related_to_the_original_on_both_pages(copied_corpus):
    root, result = copied_corpus
    ids = {s.filename: s.id for s in result.briefing.sources}
    pairs = {(r.source_id, r.original_id): r for r in result.briefing.copies}
    a, b, c = ids["a_original.txt"], ids["b_copier.txt"], ids["c_spun.txt"]
    assert pairs[(b, a)].exact >= 2
    assert pairs[(c, a)].rewritten >= 5 and pairs[(c, a)].shared >= 20 and result.briefing.source(c).is_spun
    original_page = (root / "docs" / "sources" / f"{a}.md").read_text(encoding="utf-8")
    copier_page = (root / "docs" / "sources" / f"{b}.md").read_text(encoding="utf-8")
    assert "Copied or rewritten text" in original_page and f"]({b}.md) shares" in original_page
    assert f"]({a}.md), which came earlier" in copier_page
    data = json.loads((root / "docs" / "briefing.json").read_text(encoding="utf-8"))
    assert {(c_["source"], c_["original"]) for c_ in data["copies"]} >= {(b, a), (c, a)}


def test_copies_do_not_count_as_independent_corroboration(copied_corpus):
    _, result = copied_corpus
    points = [p for t in result.briefing.topics for p in t.key_points if p.source_count > 1]
    assert points, "the copied sentences should have been merged with their originals"
    for p in points:
        assert p.independent_count == 1, p


def test_the_seeds_have_no_copies(config):
    # The five outlets paraphrase one another but none copies another's sentences.
    assert generate(SEEDS, config).copies == ()


def test_exact_keys_are_the_duplicate_fingerprints_so_one_table_serves_both():
    [s] = sentences("a", [ORIGINAL[0]])
    [(exact, _)] = sentence_keys([s], Unspinner({}))
    assert exact == sentence_fingerprint(s.text)


# ASCII text of every kind (fingerprints take a byte-table path for it), and some that is not.
TEXT = st.text(st.sampled_from([*map(chr, range(128)), "é", "É", "’", "İ", "\u212a", "٣", "ß", "\u00a0"]), max_size=40)


@given(TEXT)
def test_fingerprints_are_those_of_the_words_a_pattern_finds(text):
    assert sentence_fingerprint(text) == _key(" ".join(re.findall(r"\w+", text.lower())))
