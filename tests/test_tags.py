"""Material tags: topic pages always, source pages only while the Keywords page stays small."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bench.corpus import make_corpus, seed_sentences
from generator import render
from generator.pipeline import build
from generator.render import MAX_TAGGED_SOURCES, render_pages, sources_tagged
from tests.conftest import CONFIG, MKDOCS_YML, SEEDS

KEYWORDS_PAGE_LIMIT = 1_000_000  # bytes of site/tags/index.html the threshold is chosen to stay under


def front(page: str) -> dict:
    return yaml.safe_load(page.split("---\n")[1])


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_threshold_is_a_count_of_sources():
    assert sources_tagged(MAX_TAGGED_SOURCES) and not sources_tagged(MAX_TAGGED_SOURCES + 1)
    assert sources_tagged(0)


@pytest.mark.parametrize(("threshold", "tagged"), [(5, True), (4, False)])
def test_source_pages_carry_tags_only_up_to_the_threshold(seeds_briefing, config, monkeypatch, threshold, tagged):
    assert len(seeds_briefing.sources) == 5
    monkeypatch.setattr(render, "MAX_TAGGED_SOURCES", threshold)
    pages = render_pages(seeds_briefing, config)
    for source in seeds_briefing.sources:
        page = pages[f"sources/{source.id}.md"]
        assert ("tags" in front(page)) is tagged, source.id
        for keyword in seeds_briefing.source_keywords[source.id]:
            assert f"`{keyword}`" in page  # listed on the page either way
    for topic in seeds_briefing.topics:
        assert front(pages[f"topics/{topic.id}.md"])["tags"] == [k.phrase for k in topic.keywords]
    assert ("Keywords of every topic and source" in pages["tags.md"]) is tagged


@pytest.mark.parametrize(("threshold", "tagged"), [(5, True), (4, False)])
def test_keywords_page_lists_source_pages_only_up_to_the_threshold(tmp_path, monkeypatch, threshold, tagged):
    monkeypatch.setattr(render, "MAX_TAGGED_SOURCES", threshold)
    build(SEEDS, tmp_path / "docs", CONFIG, site=tmp_path / "site", mkdocs_yml=MKDOCS_YML)
    page = (tmp_path / "site" / "tags" / "index.html").read_text(encoding="utf-8")
    assert 'href="../topics/energy/"' in page
    assert ('href="../sources/000-8ef2ae2a9f39daab/"' in page) is tagged


def test_a_cached_rebuild_past_the_threshold_is_a_clean_build(tmp_path, monkeypatch):
    """Whether a source page is tagged is part of its page key: no page stored tagged is reused untagged."""
    cache = tmp_path / "cache"
    build(SEEDS, tmp_path / "docs", CONFIG, cache_dir=cache)
    monkeypatch.setattr(render, "MAX_TAGGED_SOURCES", 4)
    build(SEEDS, tmp_path / "docs", CONFIG, cache_dir=cache)
    build(SEEDS, tmp_path / "clean", CONFIG)
    assert tree(tmp_path / "docs") == tree(tmp_path / "clean")
    assert "tags" not in front((tmp_path / "docs" / "sources" / "000-8ef2ae2a9f39daab.md").read_text(encoding="utf-8"))


def test_keywords_page_stays_under_a_megabyte_at_the_threshold(tmp_path, config):
    """The measurement behind MAX_TAGGED_SOURCES, on bench/corpus.py's synthetic corpus (about 15 s)."""
    seeds = make_corpus(tmp_path / "seeds", MAX_TAGGED_SOURCES, seed_sentences(SEEDS, config))
    build(seeds, tmp_path / "docs", CONFIG, site=tmp_path / "site", mkdocs_yml=MKDOCS_YML, jobs=2)
    size = (tmp_path / "site" / "tags" / "index.html").stat().st_size
    assert 'href="../sources/article-00000/"' in (tmp_path / "site" / "tags" / "index.html").read_text(encoding="utf-8")
    assert size < KEYWORDS_PAGE_LIMIT, f"Keywords page {size:,} bytes at {MAX_TAGGED_SOURCES} sources"
