"""The maintainer's list of what the topics' terms miss (`python -m generator unplaced`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from generator.config import Config, parse_config
from generator.model import Sentence, Source, SourceMeta, SourceText, TopicScore
from generator.unplaced import format_report, signals_of, unplaced_report, words_of
from tests.conftest import write_corpus

STORY = {
    "title": "A dock strike",
    "topics": [
        {"id": "strike", "title": "The strike", "terms": {"strike": 3, "walkout": 3, "union": 2}},
        {"id": "trade", "title": "Trade", "terms": {"exports": 3, "tariff": 3}},
    ],
}

ON_STRIKE = "The union said the strike at the container terminals would go on until Friday."
ON_TRADE = "Exports of timber fell after the tariff was raised by the ministry."
FIGURE = "Freight volumes at the container terminals fell 12 percent in the first week."
QUOTED = "“We cannot move a single box through the container terminals,” a harbour pilot told the paper."
PLAIN = "The weather on the coast was mild for most of the week and the ferries kept running."


def source(source_id: str, filename: str, texts: list[str]) -> Source:
    sentences = tuple(Sentence(f"s{i:03d}", source_id, i, text, i, 0, len(text)) for i, text in enumerate(texts))
    return Source(id=source_id, filename=filename, meta=SourceMeta(), content=SourceText((), sentences))


def test_lists_sentences_on_no_topic_that_state_a_figure_or_quote_someone_and_the_words_they_share():
    config = parse_config(STORY, "briefing.yml")
    first = source("a", "a.txt", [ON_STRIKE, FIGURE, PLAIN])
    second = source("b", "b.txt", [ON_STRIKE.replace("Friday", "Monday"), QUOTED, ON_TRADE])
    scores = {("a", "s000"): (TopicScore("strike", 5.0, ("strike", "union"), 5.0),),
              ("b", "s000"): (TopicScore("strike", 5.0, ("strike", "union"), 5.0),),
              ("b", "s002"): (TopicScore("trade", 6.0, ("exports", "tariff"), 6.0),)}
    report = unplaced_report([second, first], scores, config)
    assert (report.sentences, report.on_no_topic) == (6, 3)
    assert [(u.filename, u.text, u.signals) for u in report.informative] == [
        ("a.txt", FIGURE, ("figure",)), ("b.txt", QUOTED, ("quotation", "attribution"))]
    # both sources' unplaced sentences say "container terminals", which the strike's sentences use too
    shared = {w.word: w for w in report.shared_words}
    assert shared["terminals"].sources == 2 and shared["terminals"].topics == (("strike", 2),)
    assert "week" not in shared  # in one of them only... and in no topic's sentences
    text = format_report(report, limit=1)
    assert FIGURE in text and QUOTED not in text and "1 more" in text and "terminals: 2 sentences" in text


def test_a_word_a_topic_already_has_or_many_topics_share_is_no_suggestion():
    config = parse_config(STORY, "briefing.yml")
    first = source("a", "a.txt", ["The walkout cost the port 3 million euros, the harbour board said.",
                                  "Dock workers at the port said the walkout hurt exports and the union alike."])
    second = source("b", "b.txt", ["Some 40 ships waited outside the port for a berth on Tuesday.",
                                   "The union's strike at the port hit exports of timber."])
    scores = {("a", "s001"): (TopicScore("strike", 5.0, ("walkout", "union"), 5.0),
                              TopicScore("trade", 3.0, ("exports",), 3.0)),
              ("b", "s001"): (TopicScore("strike", 5.0, ("strike", "union"), 5.0),
                              TopicScore("trade", 3.0, ("exports",), 3.0))}
    report = unplaced_report([first, second], scores, config)
    assert len(report.informative) == 2
    # "port": in both unplaced sentences, but as much the trade topic's as the strike's
    assert "port" not in {w.word for w in report.shared_words}


def test_signals():
    assert signals_of("Some 40 ships waited.") == ("figure",)
    assert signals_of("In 2020, after 12:00 on March 4, ships waited.") == ("date",)
    assert signals_of("Ships waited, officials said.") == ("attribution",)
    assert signals_of("The strike has added to the port's woes.") == ()
    assert signals_of("Ships waited for a “fair deal on pay”.") == ("quotation",)
    assert signals_of("A “scare” word is no quotation.") == ()
    assert signals_of('He called the plan "bold" and the rival plan "weak" on Monday.') == ()


def test_words_are_whole_in_any_script_and_forms_of_one_word_count_once():
    assert set(words_of("Red Eléctrica couldn’t reach Conceição or Zürich; Iran's port.").values()) == {
        "eléctrica", "reach", "conceição", "zürich", "port"}
    assert len({*words_of("sign signs signed signing")}) == 1


def suggested_words(first: list[str], second: list[str], config: Config) -> set[str]:
    """The words suggested when two sources' sentences are on no topic."""
    sources = [source("a", "a.txt", first), source("b", "b.txt", second)]
    return {w.word for w in unplaced_report(sources, {}, config).shared_words}


def test_the_title_s_words_generic_words_copies_and_names_are_no_suggestion():
    config = parse_config(STORY, "briefing.yml")
    first = ["The dock workers stayed home for 3 days, Erik Dahl of the stevedoring firm said.",
             "Ships waited 12 hours longer in the year to March, the stevedoring firm said."]
    second = ["The dock stood idle for 2 days as ships waited, Erik Dahl said.",
              "Some 40 ships waited at anchor this year, the stevedoring firm reported."]
    words = suggested_words(first, second, config)
    assert {"waited", "stevedoring"} <= words  # both sources' unplaced sentences use them
    assert not words & {"dock", "year", "days", "erik", "dahl", "said"}, words  # title, generic, a name, reporting
    # the same two texts, where b copies a: one source, each copied sentence listed once
    copied = [source("a", "a.txt", first), source("b", "b.txt", first)]
    report = unplaced_report(copied, {}, config, groups={"a": "a", "b": "a"})
    assert [u.filename for u in report.informative] == ["a.txt", "a.txt"] and not report.shared_words


def test_stop_words_and_words_that_name_nothing_alone_are_no_suggestion():
    config = parse_config(STORY, "briefing.yml")
    first = ["Another 40 ships waited without pilots, the harbour president said on Monday in a statement.",
             "Cranes stood idle for 3 days as another shift was cancelled, the minister said."]
    second = ["The president said another 12 ships waited without pilots on the quay.",
              "The minister described the 2 idle cranes as a loss for another week."]
    words = suggested_words(first, second, config)
    assert {"waited", "pilots"} <= words
    assert not words & {"another", "without", "president", "minister"}, words


def test_no_sentence_to_list_says_so():
    config = parse_config(STORY, "briefing.yml")
    report = unplaced_report([source("a", "a.txt", [PLAIN])], {}, config)
    assert format_report(report, 10) == ("1 of 1 sentences are on no topic; none of them states a figure or a "
                                         "date, quotes someone or says who said what.")


def test_the_command_prints_the_list_and_names_a_bad_config(tmp_path: Path, capsys):
    story = tmp_path / "story"
    write_corpus(story / "seeds", {
        "a.txt": f"Dock strike\n\n{ON_STRIKE}\n\n{FIGURE}\n",
        "b.txt": f"Port at a standstill\n\n{ON_STRIKE.replace('Friday', 'Monday')}\n\n{QUOTED}\n",
    })
    (story / "briefing.yml").write_text(
        "title: A dock strike\ntopics:\n  - id: strike\n    title: The strike\n    terms: {strike: 3, union: 2}\n",
        encoding="utf-8")
    assert main(["unplaced", "--story", str(story), "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert FIGURE in out and QUOTED in out and "terminals" in out
    (story / "seeds" / "junk.txt").write_bytes(b"\x00\x01\x02" * 200)
    assert main(["unplaced", "--story", str(story), "--jobs", "1"]) == 0
    assert "junk.txt" in capsys.readouterr().err  # what was skipped is said
    with pytest.raises(SystemExit):
        main(["unplaced", "--story", str(story), "--limit", "-1"])
    capsys.readouterr()
    (story / "briefing.yml").write_text("title: A dock strike\ntopics:\n  - id: strike\n", encoding="utf-8")
    assert main(["unplaced", "--story", str(story), "--jobs", "1"]) == 2
    err = capsys.readouterr().err
    assert "briefing.yml" in err and "Traceback" not in err
