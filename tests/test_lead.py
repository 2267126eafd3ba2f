"""The overview's fact sheet: what happened, taken from the sources' opening sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import load_config
from generator.lead import what_happened
from generator.pipeline import generate

# ruff: noqa: E501 - the articles are one sentence per line, as written
# A small story of our own: a railway deal, three outlets telling it, one aside in each.
TOPICS = """\
title: Caspian railway deal (2026)
description: What the articles report about the Caspian railway deal.
topics:
  - id: rail
    title: Railway
    description: The line, its cost and its builders.
    terms: {railway: 3, line: 2, track: 2, construction: 2, loan: 2}
  - id: politics
    title: Politics
    description: Governments and their reactions.
    terms: {minister: 2, government: 2, parliament: 2}
"""

ARTICLES = {
    "a.md": """---
title: Caspian railway deal signed
publisher: Harbour Wire
published: "2026-03-06"
---
Transport Minister Lena Sato and Premier Omar Haddad signed a railway agreement in Baku on March 5, ending two years of talks.
The 162-kilometre line is to be finished within five years and will cost $1.6 billion.
Critics in parliament called the loan too expensive for a line that may earn $40 million a year.
The first track was laid near the old Baku station in 1902, historians say.
""",
    "b.md": """---
title: Baku signs railway pact
publisher: Steppe Daily
published: "2026-03-06"
---
A railway agreement was signed in Baku on March 5 by Premier Omar Haddad and Transport Minister Lena Sato, after two years of negotiation.
Construction of the 162-kilometre line is planned to take five years and to cost $1.6 billion, officials said.
The ministry expects freight traffic to double once the line opens to trains.
One engineer, who was born in Tbilisi, said the track gauge would follow the old standard.
""",
    "c.md": """---
title: Railway deal draws criticism
publisher: Coastal Ledger
---
Opposition members of parliament criticised the railway loan in a heated session on Thursday afternoon.
They said the government should have asked for bids before choosing one builder for the line.
The minister said the construction contract had followed the law in every respect.
""",
}


@pytest.fixture(scope="module")
def briefing(tmp_path_factory):
    folder = tmp_path_factory.mktemp("story")
    (folder / "briefing.yml").write_text(TOPICS, encoding="utf-8")
    seeds = folder / "seeds"
    seeds.mkdir()
    for name, text in ARTICLES.items():
        (seeds / name).write_text(text, encoding="utf-8")
    return generate(seeds, load_config(folder / "briefing.yml"))


def facts(briefing) -> dict[str, list]:
    return {fact.label: list(fact.entries) for fact in briefing.what_happened}


def sentence(briefing, citation) -> str:
    source = briefing.source(citation.source_id)
    return next(s.text for s in source.sentences if s.id == citation.sentence_id)


def test_what_happened_is_the_event_the_sources_open_with_cited_by_each(briefing):
    what = facts(briefing)["What"][0]
    assert what.text.startswith(("Transport Minister Lena Sato", "A railway agreement was signed"))
    assert {c.source_id for c in what.citations} == {"a", "b"} and what.source_count == 2


def test_every_entry_is_the_sources_words_and_cites_where_they_say_it(briefing):
    """Nothing is composed: the event is its first citation's sentence, a figure is written so
    in a sentence it cites (the others give the same measure), a player or place is named in
    every sentence cited for it."""
    for label, entries in facts(briefing).items():
        for entry in entries:
            assert entry.citations and entry.source_count == len({c.source_id for c in entry.citations})
            said = [sentence(briefing, c) for c in entry.citations]
            if label == "What":
                assert entry.text == said[0]
            elif label in ("How long", "How much"):
                assert any(entry.text in s for s in said), (label, entry.text, said)
            elif label in ("Who", "Where"):
                assert all(entry.text.split()[-1] in s for s in said), (label, entry.text, said)


def test_when_where_and_who_come_from_the_openings_and_asides_stay_out(briefing):
    found = facts(briefing)
    assert [e.text for e in found["When"]] == ["5 March 2026"]
    assert not found["When"][0].as_written
    assert [e.text for e in found["Where"]] == ["Baku"]  # not Tbilisi, one article's aside
    assert {e.text for e in found["Who"]} >= {"Lena Sato", "Omar Haddad"}


def test_a_figure_the_event_is_about_and_two_sources_give_is_how_long_and_how_much(briefing):
    found = facts(briefing)
    assert [e.text for e in found["How long"]] in (["two years"], ["five years"])  # each in two sources
    how_much = [e.text for e in found["How much"]]
    assert set(how_much) == {"$1.6 billion", "162-kilometre"}  # not "$40 million": one source gives it


def test_an_undated_story_gives_its_day_as_written(tmp_path):
    (tmp_path / "briefing.yml").write_text(TOPICS, encoding="utf-8")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in ("a.md", "b.md"):
        text = ARTICLES[name].replace('published: "2026-03-06"\n', "").replace("on March 5", "on Thursday")
        (seeds / name).write_text(text, encoding="utf-8")
    when = facts(generate(seeds, load_config(tmp_path / "briefing.yml")))["When"][0]
    assert when.text == "on Thursday" and when.as_written


def test_no_sources_no_fact_sheet(briefing):
    import dataclasses
    assert what_happened(dataclasses.replace(briefing, sources=())) == ()


def test_the_overview_shows_the_fact_sheet_and_cards_show_each_topic_s_own_line(briefing, tmp_path):
    from generator.pipeline import build
    story = Path(tmp_path)
    (story / "briefing.yml").write_text(TOPICS, encoding="utf-8")
    (story / "seeds").mkdir()
    for name, text in ARTICLES.items():
        (story / "seeds" / name).write_text(text, encoding="utf-8")
    build(story / "seeds", story / "docs", story / "briefing.yml")
    home = (story / "docs" / "index.md").read_text(encoding="utf-8")
    what = home.index("## What happened")
    assert what < home.index("## At a glance") < home.index("## Topics")
    assert "| **When** | 5 March 2026" in home
    cards = home[home.index("## Topics"):]
    assert "The line, its cost and its builders\\." in cards


def test_a_place_something_was_felt_in_is_not_where_it_happened():
    from generator.lead import located_in
    from generator.model import Player

    def place(name):
        return Player(name, "place", (), (), (), ())

    text = "The 7.7 quake centred near Mandalay struck on Friday and was felt in Thailand, Vietnam and China."
    assert located_in(place("Mandalay"), text)
    assert not any(located_in(place(p), text) for p in ("Thailand", "Vietnam", "China"))
    assert not located_in(place("Bangkok"), "Tremors were felt as far away as Bangkok, officials said.")
    assert located_in(place("Bangkok"), "A tower under construction collapsed in Bangkok on Friday.")



def test_where_a_thing_was_made_or_a_firm_is_based_is_not_where_it_happened():
    # An EU tariff story's fact sheet gave "Where: China" for duties "on electric cars made in
    # China", voted on in Brussels (#26, an untuned story).
    from generator.lead import located_in
    from generator.model import Player

    def place(name):
        return Player(name, "place", (), (), (), ())

    for text in ("Ministers voted to impose duties on electric cars made in China on Friday.",
                 "A shipping firm based in Oslo chartered the tanker, which was built in Korea.",
                 "The vessel, registered in Panama and headquartered in Dubai, left port."):
        assert not any(located_in(place(p), text) for p in ("China", "Oslo", "Korea", "Panama", "Dubai")), text
    assert located_in(place("Brussels"), "Ministers voted in Brussels to impose duties on cars made in China.")


def test_a_disputed_figure_cites_only_the_sentences_that_give_its_value():
    from generator.lead import figure_entries, stems
    from generator.model import Citation, Figure, FigureGroup

    def toll(value, source):
        return Figure(f"{value:,} people", float(value), "count", "people · quake", "", Citation(source, "s001"))

    group = FigureGroup("people · quake", (toll(1002, "a"), toll(1644, "b"), toll(1644, "c"), toll(2886, "d")),
                        disagreement=True, total=4, source_count=4)
    [entry] = figure_entries([group], stems("quake"), {"count"})
    assert entry.text == "1,644 people" and entry.disputed
    assert {c.source_id for c in entry.citations} == {"b", "c"} and entry.source_count == 2


def test_the_event_is_what_other_sources_open_with_not_the_opening_naming_most_places(tmp_path, monkeypatch):
    story = """\
title: Dock strike (2026)
topics:
  - id: strike
    title: Strike
    terms: {strike: 3, dock: 2, contract: 2, port: 2}
"""
    articles = {
        "a.md": "Dock workers voted to end their six-week strike and accept the new contract, the union said.\n",
        "b.md": "The union said dock workers had voted to accept the contract and end the six-week strike.\n",
        "c.md": "Dock workers voted to end a six-week strike after the union backed the new contract.\n",
        "d.md": "Cranes in Rotterdam, Antwerp and Hamburg moved again as ports from Rotterdam to Hamburg cleared the "
                "backlog of the strike.\n",
    }
    (tmp_path / "briefing.yml").write_text(story, encoding="utf-8")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name, text in articles.items():
        (seeds / name).write_text(text, encoding="utf-8")
    briefing = generate(seeds, load_config(tmp_path / "briefing.yml"))
    what = what_happened(briefing)[0]
    assert what.label == "What" and what.entries[0].citations[0].source_id in {"a", "b", "c"}, what
    monkeypatch.setattr("generator.lead.ECHO_STEMS", 10**6)  # echoes ignored: the opening naming most places wins
    assert what_happened(briefing)[0].entries[0].citations[0].source_id == "d"


def test_a_figure_that_changed_between_reports_shows_the_latest_value():
    from generator.lead import figure_entries, stems
    from generator.model import Citation, Figure, FigureGroup

    def toll(value, source):
        return Figure(f"{value:,} people", float(value), "count", "people · quake", "", Citation(source, "s001"))

    group = FigureGroup("people · quake", (toll(1002, "a"), toll(1002, "b"), toll(2886, "c")), disagreement=False,
                        total=3, source_count=3, changed=True)
    published = {"a": "2025-03-29", "b": "2025-03-29", "c": "2025-04-01"}
    [entry] = figure_entries([group], stems("quake"), {"count"}, published)
    assert entry.text == "2,886 people" and entry.disputed and [c.source_id for c in entry.citations] == ["c"]


def test_figures_of_one_measure_that_are_different_things_are_each_counted_by_their_own_sources():
    """A yearly salary from one outlet and an hourly wage from another share "$ · wages" without
    disputing each other: neither is "reported by 2 sources"."""
    from generator.lead import figure_entries, stems
    from generator.model import Citation, Figure, FigureGroup

    def pay(text, value, source):
        return Figure(text, value, "amount", "$ · wages", "", Citation(source, "s001"))

    group = FigureGroup("$ · wages", (pay("$81,000", 81000.0, "a"), pay("$39", 39.0, "b")),
                        disagreement=False, total=2, source_count=2)
    [entry] = figure_entries([group], stems("wages"), {"amount"})
    assert entry.text == "$81,000" and entry.source_count == 1 and not entry.disputed
    # Where they agree, every source giving the value counts, also those past the figures shown.
    agreeing = FigureGroup("$ · wages", (pay("$39", 39.0, "a"), pay("$39", 39.0, "b")),
                           disagreement=False, agreement=True, total=5, source_count=5)
    assert figure_entries([agreeing], stems("wages"), {"amount"})[0].source_count == 5
