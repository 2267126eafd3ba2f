"""Hostile input that is small but explosive: YAML alias bombs, megabyte values in messages.

Every corpus and config is made here. A few hundred bytes of nested aliases once expanded to
gigabytes; a megabyte front-matter value was repeated whole in a warning and the Build report.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from generator.config import ConfigError, load_config
from generator.ingest import ingest
from generator.pipeline import build
from tests.conftest import CONFIG, write_corpus

ON_TOPIC = "Russia and Iran agreed to build a new gas pipeline and to expand energy trade across the Caspian Sea."
SHORT = 300  # characters: a message says what is wrong, it does not repeat the value


def alias_bomb(depth: int, indent: str = "") -> str:
    """The "billion laughs": each level an anchored list of nine aliases of the level below."""
    lines = [f'{indent}l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"{indent}l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, depth + 1)]
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_in_front_matter_is_refused_in_a_short_warning(tmp_path):
    seeds = write_corpus(tmp_path / "seeds", {"a.md": "---\n" + alias_bomb(5) + "---\n" + ON_TOPIC + "\n"})
    result = ingest(seeds)
    reasons = [w.reason for w in result.warnings if w.filename == "a.md"]
    assert any("aliases" in r for r in reasons), reasons
    assert all(len(r) < SHORT for r in reasons)
    assert [a.id for a in result.articles] == ["a"]


def test_an_alias_bomb_in_sources_yml_is_refused(tmp_path):
    bomb = "a.txt:\n  title: *l6\n" + alias_bomb(6, "")
    seeds = write_corpus(tmp_path / "seeds", {"a.txt": ON_TOPIC + "\n", "sources.yml": bomb})
    with pytest.raises(ConfigError) as raised:
        ingest(seeds)
    assert "aliases" in str(raised.value) and len(str(raised.value)) < 1000


def test_an_alias_bomb_in_briefing_yml_is_refused(tmp_path):
    config = tmp_path / "briefing.yml"
    text = CONFIG.read_text(encoding="utf-8").replace('title: "', 'title: *l5\nold_title: "', 1)
    config.write_text("x:\n" + alias_bomb(5, "  ") + text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(config)
    assert "aliases" in str(raised.value) and len(str(raised.value)) < 1000


def test_a_megabyte_front_matter_value_makes_a_short_warning(tmp_path):
    value = "javascript:" + "a<b *c* " * 100_000
    seeds = write_corpus(tmp_path / "seeds", {"a.md": f'---\nurl: "{value}"\nlanguage: "{value}"\n---\n{ON_TOPIC}\n'})
    reasons = [w.reason for w in ingest(seeds).warnings]
    assert any("url:" in r and "800,010 characters" in r for r in reasons), reasons
    assert all(len(r) < SHORT for r in reasons)


def test_a_long_value_in_briefing_yml_makes_a_short_error(tmp_path):
    config = tmp_path / "briefing.yml"
    text = CONFIG.read_text(encoding="utf-8")
    config.write_text(text + "\nlanguage: [" + ", ".join(['"' + "x" * 1000 + '"'] * 300) + "]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(config)
    assert "language: expected text" in str(raised.value) and len(str(raised.value)) < 1000


def test_yaml_nested_too_deeply_is_an_error_not_a_crash(tmp_path):
    config = tmp_path / "briefing.yml"
    config.write_text("title: " + "[" * 50_000 + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="nested too deeply"):
        load_config(config)
    assert Path(config).exists()


def test_a_symlink_in_the_seeds_is_not_followed(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(ON_TOPIC + " The vault code is hunter2.\n", encoding="utf-8")
    seeds = write_corpus(tmp_path / "seeds", {"good.txt": ON_TOPIC + "\n"})
    (seeds / "link.txt").symlink_to(secret)
    result = build(seeds, tmp_path / "docs", CONFIG)
    assert [s.id for s in result.briefing.sources] == ["good"]
    assert any(w.filename == "link.txt" and "symbolic link" in w.reason for w in result.briefing.warnings)
    assert not any("hunter2" in p.read_text(encoding="utf-8") for p in (tmp_path / "docs").rglob("*.*"))


def test_a_symlinked_sources_yml_is_refused(tmp_path):
    outside = tmp_path / "meta.yml"
    outside.write_text("good.txt: {title: Stolen}\n", encoding="utf-8")
    seeds = write_corpus(tmp_path / "seeds", {"good.txt": ON_TOPIC + "\n"})
    (seeds / "sources.yml").symlink_to(outside)
    with pytest.raises(ConfigError, match="symbolic link"):
        ingest(seeds)


def test_unprintable_and_non_utf8_file_names_are_escaped(tmp_path, caplog):
    seeds = write_corpus(tmp_path / "seeds", {"esc\x1b[31mred\nINFO: forged.txt": ON_TOPIC + "\n",
                                              "empty\x1b.txt": ""})
    (seeds / os.fsdecode(b"caf\xe9.txt")).write_bytes(ON_TOPIC.replace("gas", "oil").encode() + b"\n")
    with caplog.at_level(logging.WARNING):
        result = build(seeds, tmp_path / "docs", CONFIG)
    files = {s.filename for s in result.briefing.sources}
    assert files == {"caf\\xe9.txt", "esc\\x1b[31mred\\x0aINFO: forged.txt"}
    # (a two-article corpus also gets the story-level warnings that most topics catch nothing)
    assert [w.filename for w in result.briefing.warnings if w.filename != "briefing.yml"] == ["empty\\x1b.txt"]
    assert "\x1b" not in caplog.text and "empty\\x1b.txt" in caplog.text
    assert {s.id for s in result.briefing.sources} == {"caf", "esc-31mred-info-forged"}


@pytest.mark.parametrize(("setting", "key_path"), [
    ("classification: {min_score: .nan}", "classification.min_score"),
    ("classification: {heading_weight: .inf}", "classification.heading_weight"),
    ("classification: {min_own_score: -.inf}", "classification.min_own_score"),
    ("ranking: {max_key_points: " + "9" * 400 + "}", "ranking.max_key_points"),
    ("ranking: {weights: {fit: 1" + "0" * 400 + "}}", "ranking.weights.fit"),
    ("players: {fuzzy_first_name: 1.5}", "players.fuzzy_first_name"),
    ("keywords: {per_topic: -3}", "keywords.per_topic"),
])
def test_config_numbers_must_be_finite_and_in_range(tmp_path, setting, key_path):
    config = tmp_path / "briefing.yml"
    config.write_text(CONFIG.read_text(encoding="utf-8") + "\n" + setting + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(config)
    assert [p for p in raised.value.problems if p.startswith(key_path + ":")], raised.value.problems
    assert len(str(raised.value)) < 1000


def test_a_huge_term_weight_is_refused_with_its_key_path(tmp_path):
    config = tmp_path / "briefing.yml"
    text = CONFIG.read_text(encoding="utf-8").replace("      energy: 2\n", "      energy: 1" + "0" * 400 + "\n", 1)
    config.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"topics\[energy\]\.terms\.energy: .* too large"):
        load_config(config)
