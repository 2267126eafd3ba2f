from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import ConfigError, load_config, parse_config

MINIMAL = {"title": "T", "topics": [{"id": "energy", "title": "Energy", "terms": {"oil": 1}}]}


def test_the_engine_tests_config_has_the_five_topics(config):
    assert [t.id for t in config.topics] == [
        "energy", "finance-de-dollarization", "defense", "north-south-corridor", "western-reactions"]
    assert [t.title for t in config.topics] == [
        "Energy", "Finance and de-dollarization", "Defense", "The North-South corridor", "Western reactions"]


def test_defaults_fill_what_is_not_given():
    config = parse_config(MINIMAL)
    assert config.ranking.max_key_points == 12
    assert config.language == "en"


def test_unknown_key_is_rejected_with_did_you_mean():
    with pytest.raises(ConfigError) as err:
        parse_config({**MINIMAL, "rankng": {}})
    assert "rankng: unknown key (did you mean 'ranking'?)" in str(err.value)


def test_nested_unknown_key_and_wrong_type_are_reported_together_with_paths():
    data = {**MINIMAL, "ranking": {"max_key_point": 3, "weights": {"fit": "high"}}}
    with pytest.raises(ConfigError) as err:
        parse_config(data, "briefing.yml")
    problems = err.value.problems
    assert "ranking.max_key_point: unknown key (did you mean 'max_key_points'?)" in problems
    assert any(p.startswith("ranking.weights.fit: expected a number") for p in problems)
    assert str(err.value).startswith("briefing.yml:")


def test_duplicate_topic_ids_and_empty_terms_are_errors():
    data = {"title": "T", "topics": [
        {"id": "a", "title": "A", "terms": {"x": 1}},
        {"id": "a", "title": "A again", "terms": {}},
    ]}
    with pytest.raises(ConfigError) as err:
        parse_config(data)
    text = str(err.value)
    assert "topics[a].id: duplicate topic id 'a' (topics number 1 and 2)" in text
    assert "topics[a].terms: topic 'a' has nothing to match on" in text


def test_every_problem_is_reported_at_once_naming_topics_by_id():
    """A misspelt key must not hide a duplicate id, and a maintainer need not count list entries."""
    data = {"title": "T", "rankng": {}, "topics": [
        {"id": "energy", "title": "Energy", "terms": {"oil": "a lot"}},
        {"id": "energy", "title": "Again", "terms": {"gas": 1}, "requires": "EU"},
    ], "players": {"gazetteer": [{"name": "Anna Berg", "kind": "human"}]}}
    with pytest.raises(ConfigError) as err:
        parse_config(data)
    assert sorted(err.value.problems) == sorted([
        "players.gazetteer[Anna Berg].kind: 'human' is not one of person, organisation, place",
        "rankng: unknown key (did you mean 'ranking'?)",
        "topics[energy].terms.oil: expected a number, got 'a lot'",
        "topics[energy].requires: expected a list, got str",
        "topics[energy].id: duplicate topic id 'energy' (topics number 1 and 2)",
    ])


def test_missing_required_key():
    with pytest.raises(ConfigError) as err:
        parse_config({"topics": MINIMAL["topics"]})
    assert "title: required key is missing" in str(err.value)


@pytest.mark.parametrize("bad_id", ["Energy", "energy topic", "../x", "a--b", ""])
def test_topic_ids_must_be_slugs(bad_id):
    with pytest.raises(ConfigError):
        parse_config({"title": "T", "topics": [{"id": bad_id, "title": "X", "terms": {"x": 1}}]})


def test_invalid_yaml_names_file_and_line(tmp_path: Path):
    path = tmp_path / "briefing.yml"
    path.write_text("title: T\ntopics:\n  - id: a\n   title: broken\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(path) in str(err.value)
    assert "line 4" in str(err.value)


def test_yaml_is_loaded_safely(tmp_path: Path):
    path = tmp_path / "briefing.yml"
    path.write_text("title: !!python/object/apply:os.system ['echo pwned']\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_config(path)


def test_empty_player_names_and_titles_are_errors():
    """An empty name would match between any two words and count a mention everywhere."""
    gazetteer = [{"name": "Vladimir Putin", "kind": "person", "variants": ["Putin", " "]},
                 {"name": "", "kind": "place"}]
    data = {**MINIMAL, "players": {"gazetteer": gazetteer, "titles": ["President", ""]}}
    with pytest.raises(ConfigError) as err:
        parse_config(data)
    assert err.value.problems == ["players.gazetteer[Vladimir Putin].variants: empty name",
                                  "players.gazetteer[?].name: empty name", "players.titles: empty title"]


def test_a_story_of_title_and_topics_gets_the_engine_defaults():
    config = parse_config({"title": "T", "topics": [
        {"id": "ports", "title": "Ports", "terms": {"port*": 3, "terminal": 2, "canal": 1}},
        {"id": "money", "title": "Money", "terms": {"price": 3, "canal": 2}}]})
    assert {"Spokesperson", "Minister", "CEO"} <= set(config.players.titles)
    assert len(config.spin_detection.signatures) >= 10
    assert config.facts.subjects == {"canal": "money", "port": "ports", "price": "money", "terminal": "ports"}
    names = {e.name: e.kind for e in config.players.gazetteer}
    assert names["Germany"] == "place" and names["United Nations"] == "organisation"
    assert config.short_title == ""


def test_the_story_s_gazetteer_wins_over_the_engine_s_and_subjects_given_are_kept():
    config = parse_config({**MINIMAL, "facts": {"subjects": {"pact": "treaty"}}, "players": {"gazetteer": [
        {"name": "USA", "kind": "organisation", "variants": ["Team USA"]}]}})
    assert config.facts.subjects == {"pact": "treaty"}
    entries = [e for e in config.players.gazetteer if "USA" in (e.name, *e.variants)]
    assert [(e.name, e.kind) for e in entries] == [("USA", "organisation")]
    alone = parse_config({**MINIMAL, "players": {"world_gazetteer": False}})
    assert alone.players.gazetteer == []


def test_dates_in_yaml_stay_text_so_a_bad_one_is_not_a_crash(tmp_path: Path):
    path = tmp_path / "briefing.yml"
    path.write_text("title: 2025-17-03\ntopics: [{id: a, title: A, terms: {x: 1}}]\n", encoding="utf-8")
    assert load_config(path).title == "2025-17-03"


def problems_of_terms(tmp_path: Path, terms: str) -> list[str]:
    """What loading a one-topic briefing.yml with these `terms` lines (YAML as written) reports."""
    path = tmp_path / "briefing.yml"
    path.write_text("title: T\ntopics:\n  - id: a\n    title: A\n    terms:\n" + terms, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    return err.value.problems


def test_text_yaml_read_as_a_number_or_true_says_to_quote_it(tmp_path):
    # "12:33" unquoted is the sexagesimal number 753 to YAML, and "no" is false.
    problems = problems_of_terms(tmp_path, "      12:33: 3\n      no: 1\n      gas: 2\n")
    assert any(p.startswith("topics[a].terms.753: expected text, got 753") and "put the text in quotes" in p
               for p in problems)
    assert any(p.startswith("topics[a].terms.False: expected text") and "yes, no, on or off" in p for p in problems)
    assert "topics[a].terms: empty term" not in problems  # the key's own message says it all
    assert len(problems) == 2


def test_a_term_yaml_reads_as_a_number_hides_no_other_problem(tmp_path):
    problems = problems_of_terms(tmp_path, '      12:33: 0\n      "*": 1\n      gas: abc\n')
    assert "topics[a].terms: empty term" in problems  # the "*" term, whatever else is wrong
    assert any(p.startswith("topics[a].terms.gas: expected a number") for p in problems)
    assert any(p.startswith("topics[a].terms.753: expected text") for p in problems)
    assert len(problems) == 3  # nothing about the weight of a term that was never text
