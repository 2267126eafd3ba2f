"""Key figures, quotes and spellings: extracted verbatim, compared across sources."""

from __future__ import annotations

import dataclasses
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.clean import may_hold_any
from generator.config import Facts, PlayerEntry, Players
from generator.facts import (
    MAY_HAVE_FIGURE,
    WORD_NUMBERS,
    SpeakerFinder,
    article_facts,
    figures_in,
    group_figures,
    merge_quotes,
    quotes_in,
    spellings,
)
from generator.model import FigureGroup, Sentence, Source, SourceMeta, SourceText
from generator.pipeline import build
from generator.players import count_players
from tests.conftest import CONFIG, write_corpus

FACTS = Facts(subjects={"treaty": "treaty", "pact": "treaty", "agreement": "treaty", "trade": "trade"},
              units={"provision": "article"}, dated_things=["framework", "treaty"])


def sentence(text: str, source_id: str = "a", sid: str = "s001") -> Sentence:
    return Sentence(sid, source_id, 1, text, 0, 0, len(text))


def source(source_id: str, *texts: str, spun: bool = False) -> Source:
    sentences = tuple(sentence(t, source_id, f"s{i:03d}") for i, t in enumerate(texts, start=1))
    return Source(source_id, f"{source_id}.txt", SourceMeta(), SourceText((), sentences),
                  flags=("spun",) if spun else ())


def test_figures_are_found_as_written_with_their_words_around_them():
    s = sentence("Trade between Russia and Iran reached $4.5 billion in 2024, and the treaty has 47 provisions.")
    found = {f.text: f for f in figures_in(s, FACTS)}
    assert set(found) == {"$4.5 billion", "47 provisions"}
    assert found["$4.5 billion"].value == 4.5 and found["$4.5 billion"].measure == "$ billion · trade · 2024"
    assert found["47 provisions"].measure == "article · treaty"
    for f in found.values():
        assert f.context.replace("… ", "").replace(" …", "") in s.text  # verbatim slice


@pytest.mark.parametrize(("text", "figure", "unit", "value"), [
    ("The sale was valued at $22.8bn including debt, the company said.", "$22.8bn", "$ billion", 22.8),
    ("Its shares added HK$1.5 billion to the group's value on the day.", "HK$1.5 billion", "HK$ billion", 1.5),
    ("Analysts had valued the unit at $4.5-5 billion before the sale.", "$4.5-5 billion", "$ billion", 4.5),
    ("The fund will lend 1.6 billion euros to the port operator.", "1.6 billion euros", "€ billion", 1.6),
    ("A fine of €300m was imposed on the operator last year.", "€300m", "€ million", 300),
    ("The bank raised £2.5 million from investors in one week.", "£2.5 million", "£ million", 2.5),
    ("The consortium offered US$19 billion for the ports.", "US$19 billion", "$ billion", 19),
])
def test_money_keeps_its_currency_its_scale_and_its_range(text, figure, unit, value):
    found = {f.text: f for f in figures_in(sentence(text), FACTS)}
    assert figure in found, found
    assert found[figure].measure.split(" · ")[0] == unit and found[figure].value == value


@pytest.mark.parametrize(("text", "figures"), [
    ("The group runs 43 ports in 23 countries across the world.", {"43 ports", "23 countries"}),
    ("The 162-kilometre line is to be finished within five years.", {"162-kilometre", "five years"}),
    ("Inspectors questioned 24 people, among them 7 crew members.", {"24 people", "7 crew members"}),
    # A unit word as a modifier: the states are counted (a page showed "Ten member", "15 member").
    ("Ten member states voted for it; a block needs 15 member states.", {"Ten member states", "15 member states"}),
    ("The court heard the 20 member firms for six-year terms.", {"20 member firms", "six-year"}),
])
def test_counts_of_things_written_with_digits_are_figures(text, figures):
    assert {f.text for f in figures_in(sentence(text), FACTS)} == figures


@pytest.mark.parametrize(("text", "unit"), [
    ("The lender shut 12 branches in the state last year.", "branch"),
    ("Customers queued at 40 branches on Friday.", "branch"),
    ("Fire crews answered 30 crashes overnight.", "crash"),
    ("Auditors opened 200 boxes of records.", "box"),
    ("The college cancelled 15 classes.", "class"),
    ("Ferry operators cancelled 140 ferries and 12 ships.", "ferry"),
    ("The bank sold the debt in 3 tranches.", "tranche"),
])
def test_a_count_s_thing_is_named_in_the_singular(text, unit):
    """#26: a bank-collapse page's figures named "12 branches" a count of "branche"."""
    counts = [f for f in figures_in(sentence(text), FACTS) if f.kind == "count"]
    assert counts and counts[0].measure.split(" · ")[0] == unit, counts


def test_the_two_countries_is_not_a_figure_and_years_date_things():
    found = [f.text for f in figures_in(sentence("The two countries replaced a 2001 framework in 2025."), FACTS)]
    assert found == ["2001 framework"]


def test_different_values_for_one_measure_across_sources_are_a_disagreement():
    a = source("a", "The treaty will be in effect for 20 years.")
    b = source("b", "Officials said the 25-year pact was signed.")
    c = source("c", "The 20-year agreement was welcomed.")
    figures = [f for s in (a, b, c) for x in s.sentences for f in figures_in(x, FACTS)]
    groups = group_figures(figures, {s.id: s for s in (a, b, c)})
    assert len(groups) == 1 and groups[0].measure == "year · treaty"
    assert groups[0].disagreement and not groups[0].agreement
    assert sorted(f.value for f in groups[0].figures) == [20.0, 20.0, 25.0]
    agreeing = group_figures([f for s in (a, c) for x in s.sentences for f in figures_in(x, FACTS)],
                             {s.id: s for s in (a, c)})
    assert agreeing[0].agreement and not agreeing[0].disagreement


def test_money_shares_and_counts_of_one_subject_disagree_only_where_their_words_are_alike():
    facts = Facts(subjects={"deal": "the deal", "toll": "the toll"})

    def grouped(*sources: Source) -> dict[str, FigureGroup]:
        found = [f for s in sources for x in s.sentences for f in figures_in(x, facts)]
        return {g.measure: g for g in group_figures(found, {s.id: s for s in sources})}
    # A price, a cash sum and a stake are different things, however near the deal's name.
    a = source("a", "The buyers will pay $22.8 billion for the deal, debt included.",
               "Under the deal the buyers would take a 90% stake in the canal operator.")
    b = source("b", "The seller expects $19 billion in cash once the deal closes.",
               "Panama's government already holds a 10% stake through its port authority, whatever the deal.")
    assert not any(g.disagreement for g in grouped(a, b).values())
    # The same toll given as two numbers by two outlets is a dispute, in their own words too.
    c = source("c", "Officials said the toll from the earthquake reached 1,700 people by Saturday.")
    d = source("d", "Officials said the toll from the earthquake rose to 2,886 people on Saturday.")
    assert grouped(c, d)["people · the toll"].disagreement
    c = source("c", "At least 1,700 people were killed in the earthquake, officials said of the toll.")
    d = source("d", "The earthquake killed 2,886 people, according to the health ministry's toll.")
    assert grouped(c, d)["dead · the toll"].disagreement
    # A source that gives both values disputes neither ("53 ports before this deal" is another count).
    e = source("e", "The deal covers 43 ports in 23 countries.", "It ran 53 ports in 24 countries before the deal.")
    f = source("f", "The deal covers 43 ports in 23 countries, the group said.")
    assert not any(g.disagreement for g in grouped(e, f).values())


@pytest.mark.parametrize(("text", "figure", "measure", "value"), [
    ("The death toll from the earthquake rose to 2,056 on Tuesday, the junta said.", "2,056", "dead", 2056),
    ("At least 1,700 people were killed in the quake, officials said.", "1,700 people were killed", "dead", 1700),
    ("The quake killed 144 people across the region.", "killed 144 people", "dead", 144),
    ("Rescuers said 3,400 were injured and 341 missing after the quake.", "3,400 were injured", "injured", 3400),
    ("Two people died in the fire, the brigade said.", "Two people died", "dead", 2),
    ("Twelve workers were hurt when the quay collapsed.", "Twelve workers were hurt", "injured", 12),
    ("The death toll of 2015 was never confirmed, the ministry said.", "", "", 0),  # a year is no toll
    ("The landslide claimed 38 lives in the valley.", "38 lives", "dead", 38),
    ("The fire spread fast, killing 41 of the 60 residents.", "killing 41", "dead", 41),
    ("Between 10-12 workers were hurt in the blast.", "10-12 workers were hurt", "injured", 10),
])
def test_a_toll_is_counted_as_its_dead_injured_or_missing_however_it_is_worded(text, figure, measure, value):
    # A disaster's coverage leads with its toll; "3,400 injured" and "the death toll rose to 2,056"
    # were no figures at all, and "144 people" was a count of people like any other (#26).
    found = {f.text: f for f in figures_in(sentence(text), Facts(subjects={}))}
    if not figure:
        assert not any(f.measure in {"dead", "injured", "missing"} for f in found.values())
        return
    assert found[figure].measure == measure and found[figure].value == value


@pytest.mark.parametrize("text", [
    "The dead included two Second Year and three First Year students.",  # a year of study, named
    "The regulator grounded its A330-2/3 aircraft for checks of the Trent-7 engines.",  # models
    "The 737 Max aircraft returned to service, and the Airbus 320 jets stayed grounded.",
    "Officials said a debate over Article 5 consultations was not needed.",
    "Patients should call 999 so people in real danger are helped first.",  # a phone number, and "so"
])
def test_names_and_models_with_a_number_are_no_counts(text):
    # "two Second Year" was counted as two years, "GEnx-18 engines" as 18 engines (#26: an
    # untuned story's figures page).
    assert figures_in(sentence(text), Facts(subjects={})) == []


def test_tolls_worded_differently_by_two_outlets_disagree_and_an_injured_count_is_not_a_toll():
    facts = Facts(subjects={"quake": "the quake"})
    a = source("a", "The death toll from the quake rose to 2,056 on Tuesday, the junta said.",
               "Another 3,900 were injured in the quake.")
    b = source("b", "Rescue teams say 1,700 people died in the quake and its aftershocks.",
               "Hospitals in the quake zone treated 3,900 injured.")
    groups = {g.measure: g for g in group_figures([f for s in (a, b) for x in s.sentences
                                                   for f in figures_in(x, facts)], {"a": a, "b": b})}
    assert groups["dead · the quake"].disagreement
    assert {f.value for f in groups["dead · the quake"].figures} == {2056, 1700}
    assert groups["injured · the quake"].agreement


def test_lengths_of_one_named_thing_are_compared_but_sums_of_money_beside_one_name_are_not():
    facts = Facts(subjects={}, units={"kilometre": "km"})
    a = source("a", "Work on the 162-kilometre Rasht-Astara railway starts this year.",
               "CK Hutchison has $5bn of debt on its books.")
    b = source("b", "The Rasht-Astara railway will be 164 km long when it is finished.",
               "Buyers put a $20bn price on CK Hutchison's ports.")
    groups = group_figures([f for s in (a, b) for x in s.sentences for f in figures_in(x, facts)],
                           {s.id: s for s in (a, b)})
    railway = [g for g in groups if g.measure == "km · Rasht-Astara"]
    assert len(railway) == 1 and railway[0].disagreement
    assert sorted(f.value for f in railway[0].figures) == [162.0, 164.0]
    money = [g for g in groups if g.figures[0].kind == "amount"]
    assert len(money) == 2 and not any(g.disagreement or g.agreement for g in money)


def test_values_that_differ_only_between_reports_of_different_dates_changed_they_are_not_disputed():
    def dated(source_id, published, *texts):
        base = source(source_id, *texts)
        return dataclasses.replace(base, meta=SourceMeta(published=published))

    early = dated("a", "2025-03-29", "The treaty toll of the quake rose to 1,002 people, officials said.")
    later = [dated("b", "2025-04-01", "The treaty toll of the quake rose to 2,886 people, officials said."),
             dated("c", "2025-04-01", "Officials said the treaty toll reached 2,886 people.")]
    facts = Facts(subjects={"toll": "toll"}, units={})

    def groups(*sources):
        found = [f for s in sources for x in s.sentences for f in figures_in(x, facts)]
        return [g for g in group_figures(found, {s.id: s for s in sources}) if g.figures[0].kind == "count"]

    [changed] = groups(early, *later)
    assert changed.changed and not changed.disagreement
    same_day = dated("d", "2025-04-01", "The treaty toll of the quake rose to 2,500 people, officials said.")
    [disputed] = groups(early, *later, same_day)  # two values on one day: a disagreement
    assert disputed.disagreement and not disputed.changed
    undated = source("e", "The treaty toll of the quake rose to 2,500 people, officials said.")
    [unknown] = groups(early, undated)  # an undated report cannot be placed: a disagreement
    assert unknown.disagreement and not unknown.changed


def test_a_number_in_figures_in_a_hyphenated_unit_or_in_words_is_one_measure():
    """"20 years", "20-year" and "twenty years" of the same treaty are one row that agrees."""
    a = source("a", "The treaty will be in effect for 20 years.")
    b = source("b", "The 20-year agreement was welcomed.")
    c = source("c", "The partnership treaty is valid for twenty years, officials said.")
    figures = [f for s in (a, b, c) for x in s.sentences for f in figures_in(x, FACTS)]
    assert [f.text for f in figures] == ["20 years", "20-year", "twenty years"]
    (group,) = group_figures(figures, {s.id: s for s in (a, b, c)})
    assert group.measure == "year · treaty" and group.agreement and not group.disagreement
    assert len(group.figures) == 3


def test_figures_without_a_subject_are_never_compared():
    a, b = source("a", "It took three years."), source("b", "It took twenty years.")
    groups = group_figures([f for s in (a, b) for x in s.sentences for f in figures_in(x, FACTS)],
                           {s.id: s for s in (a, b)})
    assert len(groups) == 2 and not any(g.disagreement or g.agreement for g in groups)


SPEAKERS = SpeakerFinder(Players(
    gazetteer=[PlayerEntry("Kazem Jalali", "person"), PlayerEntry("TASS", "organisation"),
               PlayerEntry("Moscow", "place"), PlayerEntry("Vladimir Putin", "person", ["Putin"])],
    titles=["Ambassador", "President"]))


def test_quotes_are_verbatim_and_the_speaker_is_named_only_when_the_sentence_does():
    s = sentence("Speaking to TASS, Ambassador Kazim Jalali highlighted “this treaty is a blueprint for 20 years”.")
    [q] = quotes_in(s, SPEAKERS, FACTS)
    assert q.text == "this treaty is a blueprint for 20 years" and q.text in s.text
    assert q.speaker == "Kazim Jalali"  # the person, as this source spells him, not the agency
    [q] = quotes_in(sentence("Moscow called it a “real breakthrough for the region” on Friday."), SPEAKERS, FACTS)
    assert q.speaker is None  # a place does not speak
    [q] = quotes_in(sentence("Putin hailed the agreement as a “real breakthrough.”"), SPEAKERS, FACTS)
    assert q.speaker == "Putin"
    assert quotes_in(sentence("It was a “threat” to them."), SPEAKERS, FACTS) == []  # one word: a scare quote


def test_a_speaker_no_gazetteer_or_title_names_is_found_beside_the_speech_verb():
    def speaker_of(text: str) -> str | None:
        return next(q.speaker for q in quotes_in(sentence(text), SPEAKERS, FACTS))
    assert speaker_of("“It is unbelievable that this could happen,” Mempho Mujanovic said.") == "Mempho Mujanovic"
    assert speaker_of("“Collecting the data proved very hard,” ENTSO-E said on Friday.") == "ENTSO-E"
    assert speaker_of("“We need to find what went wrong,” Aagesen told reporters.") == "Aagesen"
    # No name: a capitalised word that is not beside the verb, one that opens the sentence, a place.
    assert speaker_of("“We will keep the plants open,” the Iranian president said.") is None
    assert speaker_of("Officials said the plan was “a real breakthrough for all of us”.") is None
    assert speaker_of("“The grid held up well overall,” Moscow said.") is None
    assert speaker_of("“The grid held up well overall,” said the head of Red Eléctrica operations.") is None


@pytest.mark.parametrize(("text", "speaker"), [
    ("“The grid held up well,” Mempho Mujanovic told Reuters.", "Mempho Mujanovic"),  # not the listener
    ("“The grid held up well,” he told CNN.", None),
    ("“The grid held up well,” he said, according to Bloomberg.", None),  # the report, not the speaker
    ("The minister praised Iberdrola for its “quick and careful response to the crisis”.", None),
    ("“The grid held up well,” the minister told Spanish radio Cadena SER.", None),
    ("“The grid held up well,” White House press secretary Karoline Leavitt said.", "Karoline Leavitt"),
    ("“The grid held up well,” the head of Red Eléctrica, Beatriz Corredor, said.", "Beatriz Corredor"),
    ("“The grid held up well,” Christmas Day statements said.", None),
    ("“We ran as a changed party and will govern as one,” said Mr Starmer, who spoke in London.", "Starmer"),
    ("“We ran as a changed party and will govern as one,” announced Dame Okafor on Friday.", "Okafor"),
])
def test_a_name_no_gazetteer_knows_speaks_only_right_beside_a_verb_of_saying(text, speaker):
    finder = SpeakerFinder(Players(gazetteer=[], titles=["President"]))
    assert [q.speaker for q in quotes_in(sentence(text), finder, FACTS)] == [speaker]


def test_a_surname_alone_is_the_full_name_its_article_gives():
    a = source("a", "Economy minister Carla Ruiz put the cost at up to €800 million on Wednesday.",
               "“We will see whether the data confirms it or not,” Ruiz said.")
    assert [q.speaker for q in article_facts(a.sentences, False, SPEAKERS, FACTS)[1]] == ["Carla Ruiz"]
    # A title or honorific before the full name is no part of it.
    c = source("c", "NATO Secretary General Mark Rutte met Mr Rutte's deputy on Monday.",
               "“We will act together on this,” Rutte said.")
    finder = SpeakerFinder(Players(gazetteer=[], titles=["Secretary General", "President"]))
    assert [q.speaker for q in article_facts(c.sentences, False, finder, FACTS)[1]] == ["Mark Rutte"]
    # Two people of that surname in the article: the name stays as written.
    b = source("b", "Carla Ruiz and Ana Ruiz both spoke to the committee on Wednesday.",
               "“We will see whether the data confirms it or not,” Ruiz said.")
    assert [q.speaker for q in article_facts(b.sentences, False, SPEAKERS, FACTS)[1]] == ["Ruiz"]


def test_a_short_quotation_with_no_one_saying_it_is_a_scare_quote():
    assert quotes_in(sentence("Critics denounced the sale as “selling out” the city."), SPEAKERS, FACTS) == []
    [q] = quotes_in(sentence("Putin hailed the agreement as a “real breakthrough.”"), SPEAKERS, FACTS)
    assert q.speaker == "Putin"  # as short, but said by someone


def test_a_name_in_quotation_marks_is_no_quotation():
    """#26: a bank-collapse page's quotes table listed the Fed as saying “Bank Term Funding Program,”."""
    s = sentence("The Fed said it would lend through a new “Harbour Term Lending Facility,” which opens Monday.")
    assert quotes_in(s, SPEAKERS, FACTS) == []
    s = sentence("The company called the changes the “New Arrangements” in its filing.")
    assert quotes_in(s, SPEAKERS, FACTS) == []
    [q] = quotes_in(sentence("“Ferries Will Run Again,” the minister said on Tuesday."), SPEAKERS, FACTS)
    assert q.text.startswith("Ferries Will Run Again")  # a sentence the speaker said, capitalised or not
    [q] = quotes_in(sentence("Putin hailed it as “a Real Breakthrough for Both of Us.”"), SPEAKERS, FACTS)
    assert q.speaker == "Putin"
    [q] = quotes_in(sentence("Putin said: “Glory To The Heroes” as the crowd cheered."), SPEAKERS, FACTS)
    assert q.speaker == "Putin"  # a capitalised slogan someone is said to have said


def test_the_speaker_is_the_name_the_speech_verb_attributes_not_a_name_nearer_the_quote():
    finder = SpeakerFinder(Players(gazetteer=[PlayerEntry("CK Hutchison", "organisation"),
                                              PlayerEntry("John Lee", "person")], titles=["Chief Executive"]))
    s = sentence("John Lee said on Tuesday that CK Hutchison was “betraying and selling out all Chinese people”.")
    [q] = quotes_in(s, finder, FACTS)
    assert q.speaker == "John Lee"
    s = sentence("The paper said the deal showed that CK Hutchison was “betraying and selling out all Chinese people”.")
    [q] = quotes_in(s, finder, FACTS)
    assert q.speaker is None  # CK Hutchison is accused, not speaking
    s = sentence("“Public concerns deserve serious attention,” said Chief Executive John Lee on Friday.")
    assert [q.speaker for q in quotes_in(s, finder, FACTS)] == ["John Lee"]


def test_a_quotation_is_the_speaker_s_of_its_own_clause():
    # "A said '...', while B said '...'": each quotation its own clause's; a person named by a
    # title in the other clause no longer wins over a name the gazetteer does not know (#26,
    # an untuned story credited one leader's words to the other).
    finder = SpeakerFinder(Players(gazetteer=[], titles=["Prime Minister", "Mayor"]))
    s = sentence("Prime Minister Anna Berg said the fire was “a tragedy for every family”, while her rival "
                 "Tomas Lindqvist said it was “a failure of the whole city council”.")
    assert [(q.speaker, q.text) for q in quotes_in(s, finder, FACTS)] == [
        ("Anna Berg", "a tragedy for every family"), ("Tomas Lindqvist", "a failure of the whole city council")]
    s = sentence("The minister said the plan was “a disaster for the harbour”, while Mayor Anna Berg called it "
                 "“a bold move for the future”.")
    assert [q.speaker for q in quotes_in(s, finder, FACTS)] == [None, "Anna Berg"]


def test_a_company_written_with_a_capital_inside_speaks_even_where_a_sentence_opens_on_it():
    # "CrowdStrike said: '...'" was nobody's: a word opening a sentence may be any word
    # ("Officials said"), but no common word has a capital inside it (#26, an untuned story).
    finder = SpeakerFinder(Players(gazetteer=[], titles=[]))
    said = [q.speaker for text in ("NorthGrid said: “The fault has been found and a fix is on its way.”",
                                   "“We are sorry for the disruption to flights,” a SkyLink spokesperson said.",
                                   "Officials said: “The fault has been found and a fix is on its way.”")
            for q in quotes_in(sentence(text), finder, FACTS)]
    assert said == ["NorthGrid", "SkyLink", None]


@pytest.mark.parametrize(("text", "speaker"), [
    ("An NHS Wales spokesperson said: “Patients should keep their appointments as planned.”", "NHS Wales"),
    ("“The grid is stable again,” said Harbour Grid chief Marta Ilves on Monday.", "Marta Ilves"),
    ("“The grid is stable again,” said the Harbour Board chairman Tomas Lindqvist.", "Tomas Lindqvist"),
])
def test_a_speaker_named_with_a_body_s_initials_or_after_an_employer_and_a_role(text, speaker):
    # Initials opening a body's name, and "said <employer> <role> <name>": the speakers of an
    # untuned story's quotations that were shown as nobody's (#26).
    finder = SpeakerFinder(Players(gazetteer=[], titles=[]))
    assert [q.speaker for q in quotes_in(sentence(text), finder, FACTS)] == [speaker]


def test_a_surname_is_the_name_after_a_title_that_a_department_or_place_comes_before():
    # "Transportation Secretary Pete Buttigieg" then "Buttigieg said": the speaker was left as
    # "Buttigieg", the department's word taken for part of his name (#26, an untuned story).
    a = source("a", "Harbour Secretary Lena Okafor said the ports would reopen within the week.",
               "“No one should exploit a disruption for profit,” Okafor said in a statement.")
    finder = SpeakerFinder(Players(gazetteer=[]))
    assert [q.speaker for q in article_facts(a.sentences, False, finder, FACTS)[1]] == ["Lena Okafor"]
    assert finder.names_in("the Third Deputy Prime Minister, who chairs the committee") == set()


@pytest.mark.parametrize(("text", "speaker"), [
    ("“The fleet will stay in port until Friday,” Ilse Marten, the harbour's deputy director, told reporters.",
     "Ilse Marten"),
    ("“No cargo has moved since Tuesday,” Tomas Varga, who runs the Northgate terminal, said on Monday.",
     "Tomas Varga"),
    ("“Our members will decide,” North Quay Union, which speaks for 12,000 dockers, said in a statement.",
     "North Quay Union"),
    ("Ilse Marten, the Harbour Board Deputy Chair, who leads the talks, said the aim was a “fair deal”.",
     "Ilse Marten"),  # two asides; the capitalised role is no name
    # Not an aside closed before the verb: another's clause, or a list of names.
    ("“No cargo has moved,” Ilse Marten, the union's negotiator, and the port's owners said on Monday.", None),
    ("Ilse Marten met Tomas Varga, the terminal's owner, and said it was “a fair and honest offer to all of us”.",
     None),
])
def test_a_speaker_named_before_an_aside_between_commas_and_the_verb(text, speaker):
    # "Pedro Sánchez, Spain's prime minister, told the country" and "Ebba Busch, who holds
    # Sweden's energy brief, said" were nobody's in the labelled corpora's development half (#26).
    finder = SpeakerFinder(Players(gazetteer=[]))  # the engine's titles
    assert [q.speaker for q in quotes_in(sentence(text), finder, FACTS)] == [speaker]


def test_a_quotation_opening_the_next_sentence_of_the_paragraph_is_the_last_speaker_s():
    from generator.model import Article, Block, CleanArticle
    from generator.segment import segment

    paragraphs = ["“It is time to come together. This is a victory,” Putin said. “Now it is our job to build the "
                  "railway and bring the trade back.”",
                  "“Nobody here will say more than that today,” one delegate remarked afterwards.",
                  "Putin welcomed the vote, adding that both sides were “part of the same long project”."]
    text = "\n".join(paragraphs)
    cleaned = CleanArticle(Article("a", "a.txt", text, SourceMeta()), blocks=tuple(Block(p) for p in paragraphs))
    quotes = {q.text[:20]: q.speaker for q in article_facts(segment(cleaned), False, SPEAKERS, FACTS)[1]}
    assert quotes["Now it is our job to"] == "Putin"  # the next sentence, same paragraph, no one else named
    assert quotes["Nobody here will say"] is None  # a new paragraph: not carried over
    assert quotes["part of the same lon"] == "Putin"  # "adding that …"


def test_a_quotation_over_several_sentences_is_one_quote_citing_each():
    a = source("a", "“We will monitor the situation closely. Our allies are being consulted,” the spokesperson said.",
               "Putin said: “The treaty is a real breakthrough.", "It opens a new chapter in our relations.”",
               "Officials then left the hall without further comment.")
    quotes = article_facts(a.sentences, False, SPEAKERS, FACTS)[1]
    joined = [q for q in quotes if q.text.startswith("The treaty")]
    assert [q.text for q in joined] == ["The treaty is a real breakthrough. It opens a new chapter in our relations."]
    assert joined[0].speaker == "Putin" and [c.sentence_id for c in joined[0].citations] == ["s002", "s003"]


def test_spun_sources_give_no_quotes_and_repeated_quotes_are_merged():
    spun = source("b", "Putin stated “all the things performed is beneath his private supervision.”", spun=True)
    honest = source("a", "Putin stated “everything done is under his personal supervision.”",
                    "Putin hailed a “real breakthrough,” on Friday.")
    other = source("c", "Putin hailed a “real breakthrough.”")
    assert article_facts(spun.sentences, True, SPEAKERS, FACTS)[1] == ()
    quotes = merge_quotes([q for s in (honest, other) for q in article_facts(s.sentences, False, SPEAKERS, FACTS)[1]])
    assert [q.text for q in quotes] == ["real breakthrough,", "everything done is under his personal supervision."]
    assert [c.source_id for c in quotes[0].citations] == ["a", "c"]


def test_spellings_list_each_form_and_its_sources_but_not_abbreviations():
    a = source("a", "Ambassador Kazem Jalali spoke to the EU.")
    b = source("b", "Ambassador Kazim Jalali spoke to the European Union.")
    settings_ = Players(gazetteer=[PlayerEntry("Kazem Jalali", "person"),
                                   PlayerEntry("European Union", "organisation", ["EU"])],
                        titles=["Ambassador"])
    [found] = spellings(count_players([a, b], {}, settings_))
    assert found.name == "Kazem Jalali" and found.forms == (("Kazem Jalali", ("a",)), ("Kazim Jalali", ("b",)))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 $€%-.,abcdeilnorstuy“”\"TPK")), max_size=120))
def test_extraction_never_crashes_and_never_invents_text(text):
    s = sentence(text)
    for f in figures_in(s, FACTS):
        assert f.text in text
    for q in quotes_in(s, SPEAKERS, FACTS):
        assert q.text in text


def test_topic_pages_show_disagreeing_figures_side_by_side(tmp_path):
    seeds = write_corpus(tmp_path / "seeds", {
        "a.txt": "Russia and Iran signed a treaty on energy cooperation. The treaty will be in effect for 20 years "
                 "and covers oil and gas pipelines and natural gas exports to the Caspian region.\n",
        "b.txt": "Officials said the 25-year pact covers natural gas pipelines across the Caspian Sea to Iran. "
                 "Gazprom will build the gas pipeline and expand natural gas projects in Iran.\n",
    })
    result = build(seeds, tmp_path / "docs", CONFIG)
    page = (tmp_path / "docs" / "figures.md").read_text(encoding="utf-8")
    assert "**sources disagree**" in page and "20 years" in page and "25\\-year" in page
    data = json.loads((tmp_path / "docs" / "briefing.json").read_text(encoding="utf-8"))
    assert any(g["disagreement"] for g in data["figures"])
    energy = next(t for t in result.briefing.topics if t.id == "energy")
    assert any(g.disagreement for g in energy.figures)


def test_a_large_group_shows_a_few_figures_but_every_value_and_counts_the_rest():
    sources = [source(f"x{i:02d}", f"The treaty will last {20 if i % 5 else 25} years.") for i in range(20)]
    figures = [f for s in sources for x in s.sentences for f in figures_in(x, FACTS)]
    [group] = group_figures(figures, {s.id: s for s in sources})
    assert group.disagreement and group.total == 20 and group.source_count == 20
    assert len(group.figures) == 8 and {f.value for f in group.figures} == {20.0, 25.0}


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["Two", "tWELVE", "hundred", "ſix", "fıve", "FİVE", "seven-year", "twenty1", "None",
                                 "often", "Kelvin", "sıx", "the", "deal", ",", "3", "٣", " ", "\n"]), max_size=8))
def test_the_number_word_check_never_hides_a_figure(words):
    text = " ".join(words)
    if not may_hold_any(text, WORD_NUMBERS) and not any(c.isdecimal() for c in text):
        assert MAY_HAVE_FIGURE.search(text) is None


name_text = st.text(alphabet="Kaz emiJl-", max_size=14)


@settings(max_examples=300)
@given(st.lists(st.lists(name_text, min_size=1, max_size=3), max_size=4), st.lists(name_text, max_size=6))
def test_spellings_in_a_text_are_those_with_a_form_in_it(forms_of, pieces):
    """The shared part of a spelling's forms is only a shortcut: the spellings found are those
    with any form in the text, as searching for every form finds them."""
    from generator.facts import shared_part, spellings_in
    from generator.model import Spelling

    spelled = [Spelling(f"p{i}", tuple((form, ("a",)) for form in forms)) for i, forms in enumerate(forms_of)]
    text = " ".join(pieces)
    assert spellings_in(text, spelled) == tuple(sp for sp in spelled if any(form in text for form, _ in sp.forms))
    for forms in forms_of:
        assert all(shared_part(forms) in form for form in forms)


def test_a_quotation_a_pronoun_says_is_the_one_person_the_sentence_before_names():
    """#26: on untuned pages quotations given as "“…,” he said." were left unnamed though the
    sentence before named the only person it could be (Brad Hargreaves, Janet Yellen)."""
    from generator.model import Article, Block, CleanArticle
    from generator.segment import segment

    finder = SpeakerFinder(Players(gazetteer=[], titles=["Mayor", "Minister"]))

    def speakers_of(text: str) -> list[str | None]:
        cleaned = CleanArticle(Article("a", "a.txt", text, SourceMeta()), tuple(Block(p) for p in text.split("\n")))
        return [q.speaker for q in article_facts(segment(cleaned), False, finder, FACTS)[1]]

    assert speakers_of("Mayor Ines Moreau said the northern locks would close. “The gates will hold,” she said.") \
        == ["Ines Moreau"]
    assert speakers_of("Mayor Ines Moreau said the locks would close. And with the storm near, she said, “The gates "
                       "will hold until Friday.”") == ["Ines Moreau"]
    assert speakers_of("Mayor Ines Moreau and Minister Tom Ekdahl said so on Monday. “The gates will hold,” she "
                       "said.") == [None]  # which one?
    assert speakers_of("Mayor Ines Moreau said the northern locks would close.\n“The gates will hold,” she said.") \
        == [None]  # another paragraph
    # A person the sentence before only names, or who dies in it, is not the one speaking; nor is
    # "he" inside a sentence someone else says.
    assert speakers_of("Police arrested Mayor John Smith on Monday. His wife said he was “always polite and kind "
                       "to the children”.") == [None]
    assert speakers_of("Mayor John Smith died at the scene. “He was a wonderful father to us,” she said.") == [None]
    assert speakers_of("Mayor Ines Moreau closed the locks. Her critics said she had “ignored every warning "
                       "for a decade”.") == [None]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["Two", "tWELVE", "hundred", "ſix", "fıve", "FİVE", "seven-year", "twenty1", "None",
                                 "often", "Kelvin", "sıx", "ten", "tENs", "_ten", "the", ",", "3", "٣", " ", "\n"]),
                max_size=8))
def test_the_number_words_searched_one_at_a_time_find_what_their_pattern_finds(words):
    from generator.facts import may_have_figure

    text = "".join(words)
    assert may_have_figure(text) == (MAY_HAVE_FIGURE.search(text) is not None)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(["$", "US$", "€", "5", "5.5", "two", "bn", " ", "-", "DOLLARS", "euros", "Dollars",
                                 "ſ", "K", "%", "Percent", "per cent", "PER CENT", "per", "cent", "killed", "Killing",
                                 "dead", "Died", "injured", "WOUNDED", "hurt", "missing", "death toll", "toll",
                                 "rose to", "lives", "LIVES", "people", "were", "of", "İ", "ı"]), max_size=10))
def test_a_figure_pattern_is_skipped_only_where_it_cannot_match(words):
    """The words each pattern needs, tested before it is tried, are in every text it matches."""
    from generator.facts import CASUALTY, CASUALTY_CUES, CURRENCY_SIGNS, CURRENCY_WORDS, MONEY, PERCENT, PERCENT_CUES

    text = "".join(words)
    if MONEY.search(text):
        assert any(sign in text for sign in CURRENCY_SIGNS) or may_hold_any(text, CURRENCY_WORDS)
    if CASUALTY.search(text):
        assert may_hold_any(text, CASUALTY_CUES)
    if PERCENT.search(text):
        assert "%" in text or may_hold_any(text, PERCENT_CUES)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="Aa’'-_ é.", max_size=3), st.text(alphabet="Aa’'-_ é.b", max_size=16))
def test_a_surname_standing_alone_is_found_where_its_pattern_finds_it(word, text):
    import re

    from generator.facts import standing_alone

    expected = [m.start() for m in re.finditer(rf"(?<![\w’'-]){re.escape(word)}(?![\w’'-])", text)]
    assert list(standing_alone(word, text)) == expected
