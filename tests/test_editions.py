"""Editions: a rebuild with one article added marks what is new and lists what changed; a
rebuild of the same input changes nothing (the site stays byte-identical)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.editions import compare, keep, previous_edition
from generator.pipeline import build
from tests.conftest import CONFIG, SEEDS


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def story(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    articles = sorted(p for p in SEEDS.iterdir() if p.suffix in (".txt", ".md"))
    for article in articles[:-1]:
        shutil.copy(article, seeds / article.name)
    return tmp_path, seeds, articles[-1]


def test_an_added_article_brings_new_markers_and_a_what_changed_page(story, monkeypatch):
    root, seeds, held_back = story
    editions = root / "editions"
    build(seeds, root / "docs", CONFIG, editions=editions)
    first = tree(root / "docs")
    assert "new-mark" not in "".join(v.decode() for k, v in first.items() if k.startswith("topics/"))
    assert "first edition kept" in first["changes.md"].decode()
    assert "copyright: Briefing built 2025-01-01 00:00 UTC" in first[".mkdocs-story.yml"].decode()

    shutil.copy(held_back, seeds / held_back.name)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735776000")
    build(seeds, root / "docs", CONFIG, editions=editions)
    second = tree(root / "docs")
    topics = {k: v.decode() for k, v in second.items() if k.startswith("topics/")}
    assert any('class="new-mark"' in text for text in topics.values())
    assert all("since the edition of 2025\\-01\\-01 00:00 UTC" in text for text in topics.values())
    changes = second["changes.md"].decode()
    assert f"Added: {held_back.name}".replace("_", "\\_").replace(".", "\\.") in changes
    assert 'class="new-mark"' in changes
    kept = json.loads((editions / "current.json").read_text(encoding="utf-8"))
    assert held_back.name in kept["sources"] and (editions / "previous.json").is_file()

    # The same input again: compared with the same previous edition, byte for byte the same docs.
    build(seeds, root / "docs", CONFIG, editions=editions)
    assert tree(root / "docs") == second


def test_a_point_that_gains_a_source_is_not_new_and_a_lost_one_is_listed(tmp_path):
    old = {"edition": "a", "built": "2025-01-01 00:00 UTC", "sources": ["a.txt"],
           "topics": {"t": [{"text": "Kept.", "citations": ["a#s001"], "sources": ["A"]},
                            {"text": "Gone.", "citations": ["a#s002"], "sources": ["A"]}]}}
    new = {"edition": "b", "built": None, "sources": ["a.txt", "b.txt"],
           "topics": {"t": [{"text": "Kept, reworded by b.", "citations": ["b#s001", "a#s001"], "sources": ["A", "B"]},
                            {"text": "Fresh.", "citations": ["b#s002"], "sources": ["B"]}]}}
    changes = compare(new, old)
    assert changes is not None and changes.of("t").new == {"Fresh."}
    assert [d.text for d in changes.of("t").dropped] == ["Gone."]
    assert changes.sources_added == ("b.txt",)
    keep(tmp_path, old)
    keep(tmp_path, new)
    assert previous_edition(tmp_path, new) == old  # a rebuild of `new` still compares with `old`
    assert compare(new, None) is None
