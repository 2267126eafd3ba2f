"""Hostile input that is small but explosive: YAML alias bombs, megabyte values in messages.

Every corpus and config is made here. A few hundred bytes of nested aliases once expanded to
gigabytes; a megabyte front-matter value was repeated whole in a warning and the Build report.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import ConfigError, load_config
from generator.ingest import ingest
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
