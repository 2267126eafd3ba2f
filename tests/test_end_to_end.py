"""The whole build on the engine tests' story (tests/engine): contract, site, determinism, atomicity.

The golden output of the repository's own story is a story check (tests/test_story.py)."""

from __future__ import annotations

import dataclasses
import gc
import json
import logging
import marshal
import os
import re
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
import yaml

from generator import pipeline
from generator.cli import main
from generator.pipeline import build
from generator.render import SiteBuildError
from tests.conftest import CONFIG, MKDOCS_YML, ROOT, SEEDS, SHARED_SEEDS, write_corpus

TOPICS = ["energy", "finance-de-dollarization", "defense", "north-south-corridor", "western-reactions"]
FURNITURE = ["Wilburn", "godfrey.conroy", "jacobs.alec", "daugherty.com", "894-3275", "Russel Islands",
             "Strosin", "Furnace Operator", "Aspernatur", "pietro_moore", "pietro_dev", "instagram.com",
             "Detail Author", "Table of Contents", "Guide of the World", "comments below", "className"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    result = build(SEEDS, out / "docs", CONFIG, site=out / "site", mkdocs_yml=MKDOCS_YML)
    return out, result


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_engine_tests_articles_are_the_shared_originals():
    """tests/engine/seeds are the first story's articles exactly as collected (shared/seeds)."""
    if not SHARED_SEEDS.is_dir():
        pytest.skip("shared/seeds not beside this checkout")
    for original in SHARED_SEEDS.iterdir():
        assert (SEEDS / original.name).read_bytes() == original.read_bytes()


def test_five_topic_pages_with_at_least_three_key_points(built):
    out, _ = built
    data = json.loads((out / "docs" / "briefing.json").read_text(encoding="utf-8"))
    assert [t["id"] for t in data["topics"]] == TOPICS
    for topic in data["topics"]:
        assert 3 <= len(topic["key_points"]) <= 12, topic["id"]
        assert topic["lead"]
        assert (out / "site" / "topics" / topic["id"] / "index.html").is_file()


def test_every_citation_resolves_to_a_sentence_and_an_anchor(built):
    out, _ = built
    data = json.loads((out / "docs" / "briefing.json").read_text(encoding="utf-8"))
    sentences = {s["id"]: {x["id"]: x["text"] for x in s["sentences"]} for s in data["sources"]}
    checked = 0
    for topic in data["topics"]:
        for point in topic["key_points"]:
            assert point["text"] == sentences[point["citations"][0]["source"]][point["citations"][0]["sentence"]]
            for c in point["citations"]:
                assert c["sentence"] in sentences[c["source"]]
                html = (out / "site" / "sources" / c["source"] / "index.html").read_text(encoding="utf-8")
                assert f'id="{c["sentence"]}"' in html
                checked += 1
    assert checked >= 15


def test_key_points_are_verbatim_sentences_of_their_source(built, seeds_briefing):
    for topic in seeds_briefing.topics:
        for point in topic.key_points:
            source = seeds_briefing.source(point.citations[0].source_id)
            raw = (SEEDS / source.filename).read_text(encoding="utf-8")
            assert " ".join(point.text.split()) in " ".join(raw.split())


def test_no_page_furniture_anywhere_in_the_site(built):
    out, _ = built
    for path in sorted((out / "site").rglob("*")):
        if path.suffix in {".html", ".json", ".xml"}:
            text = path.read_text(encoding="utf-8")
            for furniture in FURNITURE:
                assert furniture not in text, f"{furniture!r} in {path.relative_to(out)}"


def test_spun_source_is_flagged_with_evidence(built):
    out, _ = built
    data = json.loads((out / "docs" / "briefing.json").read_text(encoding="utf-8"))
    flagged = [s["id"] for s in data["sources"] if "spun" in s["flags"]]
    assert flagged == ["001-6a2f7c92fd60fd16"]
    html = (out / "site" / "sources" / flagged[0] / "index.html").read_text(encoding="utf-8")
    assert "army workouts" in html and "military exercises" in html


def test_site_makes_no_third_party_requests(built):
    out, _ = built
    for path in sorted((out / "site").rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        loads = re.findall(r'\ssrc="((?:https?:)?//[^"]+)"', html)
        # canonical and alternate links are addresses, not requests; these rel values load something
        loading = re.compile(r'rel="(?:stylesheet|preload|modulepreload|preconnect|dns-prefetch|prefetch|icon)"')
        loads += [href for tag in re.findall(r"<link\b[^>]*>", html) if loading.search(tag)
                  for href in re.findall(r'href="((?:https?:)?//[^"]+)"', tag)]
        assert not loads, f"{path.name} loads {loads}"
        assert "fonts.googleapis" not in html


def test_source_pages_stay_out_of_the_sidebar(built):
    out, _ = built
    html = (out / "site" / "index.html").read_text(encoding="utf-8")
    nav = html[html.find('<nav class="md-nav md-nav--primary"'):]
    nav = nav[: nav.find("</nav>")]
    assert "sources/000-8ef2ae2a9f39daab/" not in nav


def test_two_builds_are_byte_identical(tmp_path, built):
    _out, _ = built
    env = dict(os.environ)
    os.environ["SOURCE_DATE_EPOCH"] = "1735689600"
    try:
        build(SEEDS, tmp_path / "docs", CONFIG, site=tmp_path / "site", mkdocs_yml=MKDOCS_YML)
        build(SEEDS, tmp_path / "docs2", CONFIG, site=tmp_path / "site2", mkdocs_yml=MKDOCS_YML)
    finally:
        os.environ.clear()
        os.environ.update(env)
    assert tree(tmp_path / "docs") == tree(tmp_path / "docs2")
    assert tree(tmp_path / "site") == tree(tmp_path / "site2")


def test_failed_build_leaves_previous_output_untouched(tmp_path, built):
    _out, _ = built
    docs, site = tmp_path / "docs", tmp_path / "site"
    build(SEEDS, docs, CONFIG, site=site, mkdocs_yml=MKDOCS_YML)
    before_docs, before_site = tree(docs), tree(site)
    broken_mkdocs = tmp_path / "mkdocs.yml"
    broken_mkdocs.write_text(MKDOCS_YML.read_text(encoding="utf-8").replace("  - tags\n", "  - no-such-plugin\n"),
                             encoding="utf-8")
    with pytest.raises(SiteBuildError, match="MkDocs build failed"):
        build(SEEDS, docs, CONFIG, site=site, mkdocs_yml=broken_mkdocs)
    assert tree(docs) == before_docs and tree(site) == before_site
    assert not list(tmp_path.glob(".build-tmp-*"))


@pytest.mark.parametrize("fails_in", ["brief_with_page_keys", "write_tree"])
def test_garbage_collection_pauses_during_a_build_and_resumes_after_a_failed_one(tmp_path, monkeypatch, fails_in):
    before = gc.get_threshold()
    during: list[tuple] = []
    real = getattr(pipeline, fails_in)

    def record_and_fail(*args, **kwargs):
        during.append((gc.get_threshold(), gc.isenabled(), gc.get_freeze_count()))
        real(*args, **kwargs)
        raise RuntimeError(f"failed in {fails_in}")

    monkeypatch.setattr(pipeline, fails_in, record_and_fail)
    with pytest.raises(RuntimeError, match=f"failed in {fails_in}"):
        build(SEEDS, tmp_path / "docs", CONFIG)
    (young, middle, oldest), enabled, frozen = during[0]
    assert (young, middle) == before[:2] and oldest > 10**8
    if fails_in == "brief_with_page_keys":  # analysis and corpus stages run with the collector off
        assert not enabled and frozen == 0
    else:  # rendering runs with it on, and what the analysis and corpus stages made is frozen until the build ends
        assert enabled and frozen > 0
    assert gc.get_threshold() == before and gc.isenabled() and gc.get_freeze_count() == 0
    assert not (tmp_path / "docs").exists()


def test_dropping_an_article_into_seeds_shows_it_in_the_briefings(tmp_path):
    seeds = write_corpus(tmp_path / "seeds", {p.name: p.read_bytes() for p in SEEDS.glob("*.txt")})
    (seeds / "999_new.md").write_text(
        "---\ntitle: Pipeline deal\npublisher: Example Wire\npublished: 2025-02-01\n---\n"
        "Gazprom and the National Iranian Gas Company signed a memorandum to supply up to 55 billion cubic "
        "metres of natural gas a year through a new pipeline via Azerbaijan.\n", encoding="utf-8")
    result = build(seeds, tmp_path / "docs", CONFIG)
    data = json.loads((tmp_path / "docs" / "briefing.json").read_text(encoding="utf-8"))
    assert data["sources"][-1]["id"] == "999-new" and data["sources"][-1]["publisher"] == "Example Wire"
    coverage = next(t for t in result.briefing.topics if t.id == "energy").coverage
    assert "999-new" in {c.source_id for c in coverage}


def test_cli_help_and_exit_codes(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_help:
        main(["build", "--help"])
    assert exit_help.value.code == 0
    assert "--seeds" in capsys.readouterr().out
    assert main(["build", "--seeds", str(tmp_path / "missing"), "--docs", str(tmp_path / "docs"),
                 "--config", str(CONFIG)]) == 2
    assert "seeds folder not found" in capsys.readouterr().err
    bad = tmp_path / "bad.yml"
    bad.write_text(CONFIG.read_text(encoding="utf-8").replace("\nfacts:", "\nfact:"), encoding="utf-8")
    assert main(["build", "--seeds", str(SEEDS), "--docs", str(tmp_path / "docs"), "--config", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.yml" in err and "did you mean 'facts'" in err
    assert not (tmp_path / "docs").exists()


def test_a_topic_added_to_briefing_yml_gets_its_page_and_nav_entry_without_touching_mkdocs_yml(tmp_path):
    config = tmp_path / "briefing.yml"
    config.write_text(CONFIG.read_text(encoding="utf-8").replace("\ntopics:\n", """
topics:
  - id: caspian-region
    title: The Caspian region
    terms: {caspian: 3, azerbaijan: 3}
""", 1).replace("short_title: Russia–Iran treaty briefing", "short_title: Another name & more"), encoding="utf-8")
    build(SEEDS, tmp_path / "docs", config, site=tmp_path / "site", mkdocs_yml=MKDOCS_YML)
    story = yaml.safe_load((tmp_path / "docs" / ".mkdocs-story.yml").read_text(encoding="utf-8"))
    topics = next(entry["Topics"] for entry in story["nav"] if "Topics" in entry)
    assert topics[:2] == ["topics/caspian-region.md", "topics/energy.md"]
    assert story["site_name"] == "Another name & more"
    assert (tmp_path / "site" / "topics" / "caspian-region" / "index.html").is_file()
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Another name &amp; more" in home and "The Caspian region" in home
    assert not (tmp_path / "site" / ".mkdocs-story.yml").exists()


def test_output_is_the_same_whatever_the_number_of_jobs(tmp_path, config, monkeypatch):
    from bench.corpus import make_corpus, seed_sentences

    # Source keywords are computed by chunks of sources, taken by whichever process is free: with
    # chunks of three, both processes take some.
    monkeypatch.setattr(pipeline, "SOURCES_PER_CHUNK", 3)

    seeds = make_corpus(tmp_path / "seeds", 40, seed_sentences(SEEDS, config))
    # Problems found while reading files (which a pool starts on before every file is read) are
    # reported in file order, before those found in analysis, as with one job.
    (seeds / "article-00007.txt").write_bytes("Caf\xe9 talks on gas in Tehran.\n".encode("cp1252"))
    (seeds / "article-00020.txt").write_text("   \n", encoding="utf-8")
    (seeds / "notes.csv").write_text("a,b\n", encoding="utf-8")
    (seeds / "article-00030.txt").write_text((seeds / "article-00001.txt").read_text(encoding="utf-8"))
    (seeds / "zz-last.txt").write_text("Nothing here is about any topic at all.\n", encoding="utf-8")
    result = build(seeds, tmp_path / "one", CONFIG, jobs=1)
    assert [(w.filename, w.reason.split()[0]) for w in result.briefing.warnings] == [
        ("notes.csv", "not"), ("article-00007.txt", "not"), ("article-00020.txt", "empty"),
        ("article-00030.txt", "exact"), ("zz-last.txt", "not")]
    build(seeds, tmp_path / "two", CONFIG, jobs=2)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_a_build_that_fails_during_the_analysis_keeps_what_it_analysed(tmp_path, config, monkeypatch):
    from generator.store import ResultCache

    real, analysed = pipeline.analyse_article, []

    def fail_on_the_third(*args, **kwargs):
        if len(analysed) == 2:
            raise RuntimeError("interrupted")
        analysed.append(args[0].id)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "analyse_article", fail_on_the_third)
    with pytest.raises(RuntimeError, match="interrupted"):
        build(SEEDS, tmp_path / "docs", CONFIG, cache_dir=tmp_path / "cache")
    monkeypatch.undo()
    assert not (tmp_path / "docs").exists()
    again = ResultCache(tmp_path / "cache", config)  # what it stored was committed when it failed
    assert len(again.stored()) == 2
    pipeline.prepare_sources(SEEDS, config, cache=again)
    assert (again.hits, again.misses) == (2, 3)


@pytest.mark.parametrize("files_settled", [False, True], ids=["every-file-read", "unchanged-files-not-read"])
def test_cached_rebuild_gives_the_same_output_as_a_clean_build(tmp_path, config, caplog, monkeypatch, files_settled):
    from bench.corpus import make_corpus, seed_sentences
    from generator import ingest, render
    from generator.pipeline import prepare_sources
    from generator.store import ResultCache

    # Files unchanged since a build are not read again, once their last change is SETTLED_NS old.
    monkeypatch.setattr(ingest, "SETTLED_NS", 0 if files_settled else 10**18)
    read: list[str] = []
    real_read = ingest.read_article
    monkeypatch.setattr(ingest, "read_article", lambda path, *a: read.append(path.name) or real_read(path, *a))
    seeds = make_corpus(tmp_path / "seeds", 12, seed_sentences(SEEDS, config))
    cache = tmp_path / "cache"
    build(seeds, tmp_path / "clean", CONFIG)
    build(seeds, tmp_path / "first", CONFIG, cache_dir=cache)
    # Pool workers store what they analyse and the pages they render (forked, however few here);
    # the main process reads them back.
    monkeypatch.setattr(render, "MIN_POOLED_PAGES", 1)
    pooled = tmp_path / "pooled-cache"
    with caplog.at_level(logging.INFO, logger="generator"):
        build(seeds, tmp_path / "pooled", CONFIG, cache_dir=pooled, jobs=2)
    assert "pages: 12 source pages rendered, 0 reused" in caplog.text
    assert len(ResultCache(pooled, config).stored()) == 12
    build(seeds, tmp_path / "pooled-again", CONFIG, cache_dir=pooled, jobs=2)
    assert tree(tmp_path / "pooled") == tree(tmp_path / "pooled-again") == tree(tmp_path / "clean")
    (seeds / "article-00003.txt").write_text("Gazprom will send gas to Iran through a new pipeline.\n")
    (seeds / "article-00004.txt").unlink()
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="generator"):
        build(seeds, tmp_path / "cached", CONFIG, cache_dir=cache)  # one job: rendered without a pool
    assert "pages: 11 source pages rendered, 0 reused from earlier builds" in caplog.text
    build(seeds, tmp_path / "fresh", CONFIG)
    assert tree(tmp_path / "first") == tree(tmp_path / "clean")
    assert tree(tmp_path / "cached") == tree(tmp_path / "fresh")
    assert len(ResultCache(cache, config).stored()) == 11  # the removed article's entry is pruned
    # Source pages are written once, into the page store, and copied into docs/ (never linked); here
    # every page's inputs changed (labels moved up, corpus counts changed keywords), so all were
    # rendered again and the stale ones pruned. A build with nothing changed renders none.
    pages = tmp_path / "cached" / "sources"
    assert {p.stat().st_nlink for p in pages.glob("article-*.md")} == {1}
    assert "Gazprom will send gas" in (pages / "article-00003.md").read_text(encoding="utf-8")
    assert len(list((cache / "pages").glob("*/*.md"))) == 11
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="generator"):
        build(seeds, tmp_path / "again", CONFIG, cache_dir=cache)
    assert tree(tmp_path / "again") == tree(tmp_path / "fresh")
    assert "pages: 0 source pages rendered, 11 reused from earlier builds; 0 stale files removed" in caplog.text
    # A copy of each build's briefing.json is the next one's entry pack (read-only): unchanged
    # entries are copied out of it, but only out of the pack its index names, as it was.
    assert (tmp_path / "again" / "briefing.json").stat().st_nlink == 1
    [pack] = (cache / "pages").glob("entries-*.json")
    pack.chmod(0o644)
    pack.write_text(pack.read_text(encoding="utf-8").replace('"text": "', '"text": "X'), encoding="utf-8")
    build(seeds, tmp_path / "edited-pack", CONFIG, cache_dir=cache)
    assert tree(tmp_path / "edited-pack") == tree(tmp_path / "fresh")
    [pack] = (cache / "pages").glob("entries-*.json")
    pack.unlink()
    build(seeds, tmp_path / "no-pack", CONFIG, cache_dir=cache)
    assert tree(tmp_path / "no-pack") == tree(tmp_path / "fresh")
    # Corpus-wide n-gram totals are carried over from the last run and corrected for the articles
    # gone and added; with the counts of a gone article lost, everything is counted again.
    kept = ResultCache(cache, config)
    assert kept.store.value("corpus-totals", kept.salt) is not None
    kept.close()
    with closing(sqlite3.connect(cache / "store.sqlite")) as db, db:  # each article's counts: lose them all
        db.execute("UPDATE results SET counts = x'', counts_crc = 0")
    (seeds / "article-00005.txt").write_text("Rosatom will build a reactor in Bushehr.\n")
    build(seeds, tmp_path / "recounted", CONFIG, cache_dir=cache)
    build(seeds, tmp_path / "fresh2", CONFIG)
    assert tree(tmp_path / "recounted") == tree(tmp_path / "fresh2")
    read.clear()
    build(seeds, tmp_path / "unread", CONFIG, cache_dir=cache)
    assert tree(tmp_path / "unread") == tree(tmp_path / "fresh2")
    assert len(read) == (0 if files_settled else 11)

    (cache / "corpus.fold").unlink()  # the last build's merged corpus: without it, every entry is read
    with closing(sqlite3.connect(cache / "store.sqlite")) as db, db:  # a damaged entry is recomputed
        db.execute("UPDATE results SET entry = zeroblob(length(entry)) WHERE name = (SELECT min(name) FROM results)")
    same = ResultCache(cache, config)
    read.clear()
    prepare_sources(seeds, config, cache=same)
    assert (same.hits, same.misses) == (10, 1)
    assert len(read) == (1 if files_settled else 11)  # settled, only the damaged one is read
    other_config = dataclasses.replace(config, ranking=dataclasses.replace(config.ranking, min_words=9))
    other = ResultCache(cache, other_config)
    prepare_sources(seeds, other_config, cache=other)
    assert (other.hits, other.misses) == (0, 11)


def test_pages_placed_early_are_kept_replaced_or_removed_to_match_a_clean_build(tmp_path, config, monkeypatch):
    """With a cache and two jobs, the last build's source pages are linked into the new docs/
    while the corpus loads; a page whose inputs changed is replaced (never written through: it
    is the page store's file), one of a source gone is removed, a new source's page is added."""
    from bench.corpus import make_corpus, seed_sentences
    from generator.render import StoredPages
    from generator.store import KeyedStore, PageStore, ResultCache

    placed: list[dict[str, str]] = []  # what each build was told was placed (the placing is forked)

    class Recorded(StoredPages):
        def __init__(self, *args: object) -> None:
            super().__init__(*args)  # type: ignore[arg-type]
            placed.append(dict(self.placed))

    monkeypatch.setattr(pipeline, "StoredPages", Recorded)
    seeds = make_corpus(tmp_path / "seeds", 8, seed_sentences(SEEDS, config))
    cache = tmp_path / "cache"
    build(seeds, tmp_path / "first", CONFIG, cache_dir=cache, jobs=2)
    first_pages = tree(tmp_path / "first" / "sources")
    (seeds / "article-00003.txt").write_text("Gazprom will send gas to Iran through a new pipeline.\n")
    (seeds / "article-00004.txt").unlink()
    (seeds / "zz-new.txt").write_text("Rosatom will build a reactor in Bushehr, officials said.\n")
    build(seeds, tmp_path / "cached", CONFIG, cache_dir=cache, jobs=2)
    build(seeds, tmp_path / "clean", CONFIG)
    assert tree(tmp_path / "cached") == tree(tmp_path / "clean")
    assert placed[0] == {} and len(placed[1]) == 8  # none stored before the first build; then all 8
    assert "article-00004.md" not in tree(tmp_path / "cached" / "sources")
    assert tree(tmp_path / "first" / "sources") == first_pages  # the store's pages were not written through
    assert {p.stat().st_nlink for p in (tmp_path / "cached" / "sources").glob("*-*.md")} == {1}
    assert list((cache / "templates").iterdir())  # the templates as Jinja compiled them, for the next build
    # A damaged record, or one naming paths outside the folder, places nothing and changes nothing.
    values, salt = KeyedStore(cache), ResultCache(cache, config).salt
    for damaged in (b"not marshal", marshal.dumps(["not", "a", "table"]), marshal.dumps({"../../escape": "0" * 64}),
                    None):  # None: a record whose checksum fails, which is not read
        if damaged is None:
            with closing(sqlite3.connect(cache / "store.sqlite")) as db, db:
                db.execute('UPDATE "values" SET data = ? WHERE name = ?',
                           (marshal.dumps({"article-00001": "0" * 64}), PageStore.PLACED))
        else:
            values.put_value(PageStore.PLACED, salt, damaged)
            values.close()
        build(seeds, tmp_path / "after-damage", CONFIG, cache_dir=cache, jobs=2)
        assert placed[-1] == {}
        assert tree(tmp_path / "after-damage") == tree(tmp_path / "clean")
    assert not list(tmp_path.glob("**/escape.md"))


def test_pagefind_indexes_the_content_of_every_page_but_the_keywords_and_search_pages(built):
    """Pagefind's bundle is in the site, and only the pages' content is marked for it."""
    out, _ = built
    site = out / "site"
    assert (site / "pagefind" / "pagefind.js").is_file() and (site / "pagefind" / "pagefind-entry.json").is_file()
    assert list((site / "pagefind" / "fragment").iterdir())
    marked = {p.relative_to(site).as_posix() for p in site.rglob("index.html")
              if "data-pagefind-body" in p.read_text(encoding="utf-8")}
    assert "topics/energy/index.html" in marked and "timeline/index.html" in marked
    assert any(m.startswith("sources/") and m != "sources/index.html" for m in marked)
    assert "tags/index.html" not in marked and "find/index.html" not in marked
    assert not (site / "search" / "search_index.json").exists()  # Material's whole-site index is gone


def test_the_command_flushes_its_output_and_exit_code_when_it_ends_the_process(tmp_path):
    """`python -m generator` ends with os._exit (not freeing the briefing object by object): what it
    logged and printed (through buffered pipes), its exit code and its pages must all be there."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    command = [sys.executable, "-m", "generator", "build", "--seeds", str(SEEDS), "--docs", str(tmp_path / "docs"),
               "--config", str(CONFIG), "--timings", str(tmp_path / "timings.json")]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)
    assert done.returncode == 0, done.stderr
    assert re.search(r"INFO: wrote \d+ files to", done.stderr) and (tmp_path / "docs" / "index.md").is_file()
    assert "render+write" in json.loads((tmp_path / "timings.json").read_text(encoding="utf-8"))
    failed = subprocess.run([*command[:5], str(tmp_path / "missing"), *command[6:]], capture_output=True, text=True,
                            cwd=ROOT, env=env)
    assert failed.returncode == 2 and "seeds folder not found" in failed.stderr


def test_an_empty_seeds_folder_is_exit_2_and_the_last_site_stays(tmp_path, capsys):
    docs, site = tmp_path / "docs", tmp_path / "site"
    build(SEEDS, docs, CONFIG, site=site, mkdocs_yml=MKDOCS_YML)
    before = tree(docs), tree(site)
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "README.md").write_text("# articles go here\n", encoding="utf-8")
    for folder in (tmp_path / "empty", write_corpus(tmp_path / "unreadable", {"a.txt": "", "b.txt": b"\x00\x01"})):
        code = main(["build", "--seeds", str(folder), "--docs", str(docs), "--config", str(CONFIG),
                     "--site", str(site), "--mkdocs-config", str(MKDOCS_YML)])
        assert code == 2
        assert str(folder) in capsys.readouterr().err
        assert (tree(docs), tree(site)) == before


def test_articles_and_topics_of_different_stories_are_warned_with_the_numbers(tmp_path):
    seeds = write_corpus(tmp_path / "seeds", {
        f"match-{i}.txt": f"The striker scored twice in the {i}th minute as the home side won the cup final.\n"
                          "Fans filled the stadium long before the kick-off on Saturday evening.\n"
        for i in range(4)})
    result = build(seeds, tmp_path / "docs", CONFIG)
    story = [w.reason for w in result.briefing.warnings if w.filename == "briefing.yml"]
    assert story[0] == ("4 of 4 articles have no sentence on any topic: "
                        "are the topics in briefing.yml about these articles?")
    assert story[1].startswith("the topics catch 0 of 8 sentences (0.0 %)")
    assert "topic 'energy' catches no sentence of the 4 articles" in story
    report = (tmp_path / "docs" / "report.md").read_text(encoding="utf-8")
    assert "4 of 4 articles have no sentence on any topic" in report


def test_a_new_story_from_one_command_builds(tmp_path, capsys):
    story = tmp_path / "port-strike"
    assert main(["new", str(story), "--title", "Port strike in Rotterdam (2026)", "--topic", "Wages and pay",
                 "--topic", "Shipping delays"]) == 0
    assert sorted(p.relative_to(story).as_posix() for p in story.rglob("*")) == [
        "briefing.yml", "seeds", "seeds/README.md"]
    assert "make build STORY=" in capsys.readouterr().out
    write_corpus(story / "seeds", {
        "a.txt": "Dock workers want higher wages after pay fell behind prices, the union said on Monday.\n"
                 "Shipping delays reached four days as ships waited outside the port.\n",
        "b.md": "---\npublisher: Harbour Daily\n---\nThe union asked for a pay rise of 8 percent on wages.\n"
                "Delays in shipping grew as the strike went on.\n"})
    out = tmp_path / "out"
    assert main(["build", "--story", str(story), "--docs", str(out / "docs"), "--site", str(out / "site"),
                 "--mkdocs-config", str(MKDOCS_YML)]) == 0
    assert (out / "site" / "topics" / "wages-and-pay" / "index.html").is_file()
    assert "Port strike in Rotterdam (2026)" in (out / "site" / "index.html").read_text(encoding="utf-8")
    assert not (out / "site" / "sources" / "readme").exists()
    assert main(["new", str(story), "--title", "Again"]) == 2
    assert "exists already" in capsys.readouterr().err


def spun_points_checked(docs: Path, briefing) -> int:
    """Every point that rests only on spun sources is marked on its page with a link to the
    evidence, ranks after every clean point and never leads while a clean point exists; returns
    how many points were marked."""
    spun = {s.id for s in briefing.sources if s.is_spun}
    marked = 0
    for topic in briefing.topics:
        flags = [p.spun_only for p in topic.key_points]
        assert flags == sorted(flags), topic.id  # every clean point first
        assert all(p.spun_only == all(c.source_id in spun for c in p.citations) for p in topic.key_points)
        if not all(flags):
            assert not any(p.spun_only for p in topic.lead), topic.id
        page = (docs / "topics" / f"{topic.id}.md").read_text(encoding="utf-8")
        for p in topic.key_points:
            if p.spun_only:
                marked += 1
                assert f"sources/{p.citations[0].source_id}.md#spin-evidence" in page
    for source_id in spun:
        source_page = (docs / "sources" / f"{source_id}.md").read_text(encoding="utf-8")
        assert '<span id="spin-evidence"></span>' in source_page
    return marked


def test_a_point_only_spun_text_makes_is_marked_linked_to_the_evidence_and_never_leads(built):
    out, result = built
    spun = {s.id for s in result.briefing.sources if s.is_spun}
    assert spun, "the engine tests' story has a spun source"
    assert spun_points_checked(out / "docs", result.briefing) >= 3
    for source_id in spun:
        html = (out / "site" / "sources" / source_id / "index.html").read_text(encoding="utf-8")
        assert 'id="spin-evidence"' in html


# A story of our own, not the engine tests': a dock strike told by two outlets and a spun copy
# that adds points of its own (the spinner's "settlement", "extra", "brand new", "chief
# government", "inventory market" in place of agreement, more, new, chief executive, stock market).
STRIKE_CONFIG = """\
title: Dock strike at Port Keller (2026)
description: What the articles report about the dock strike at Port Keller.
topics:
  - id: wages
    title: Wages and the agreement
    description: Pay, hours and the talks.
    terms: {wage: 3, pay: 3, union: 2, talks: 2, agreement: 2, overtime: 3}
  - id: shipping
    title: Shipping
    description: Ships, cargo and the port.
    terms: {ships: 3, cargo: 3, containers: 3, berth: 3, vessels: 3, port: 1}
"""
STRIKE_ARTICLES = {
    "harbour-wire.md": """---
title: Dockers walk out at Port Keller
publisher: Harbour Wire
published: "2026-05-12"
---
About 2,400 dockers at Port Keller walked out on Monday after wage talks with the port operator broke down.
The union is asking for a pay rise of 9 percent over two years and an end to unpaid overtime.
Thirty-one container ships were waiting at anchor outside the port by Tuesday morning, the harbour master said.
Cargo worth an estimated $40 million a day is held up, according to the chamber of commerce.
""",
    "quay-ledger.md": """---
title: Strike idles Port Keller
publisher: Quay Ledger
published: "2026-05-13"
---
Dockers at Port Keller stopped work on Monday when wage talks with the operator collapsed.
The union wants a 9 percent pay rise spread over two years and no more unpaid overtime.
By Tuesday thirty-one container ships were at anchor outside the port, the harbour master said.
Two shipping lines said they would send their vessels to Marrow Bay instead.
""",
    "daily-digest.md": """---
title: Port Keller strike hits stocks
publisher: Daily Digest
published: "2026-05-13"
---
The union at Port Keller rejected a brand new settlement that would have raised pay by 5 percent, it said.
The operator's chief government told reporters the settlement was the best it could offer on pay.
Shares of the operator fell 6 percent on the inventory market as extra vessels waited outside the port.
The union said it would accept no settlement without extra pay for overtime on night shifts.
""",
}


@pytest.fixture(scope="module")
def strike(tmp_path_factory):
    story = tmp_path_factory.mktemp("strike")
    (story / "briefing.yml").write_text(STRIKE_CONFIG, encoding="utf-8")
    write_corpus(story / "seeds", STRIKE_ARTICLES)
    return story, build(story / "seeds", story / "docs", story / "briefing.yml")


def test_on_another_story_a_point_only_spun_text_makes_is_marked_and_never_leads(strike):
    story, result = strike
    assert [s.filename for s in result.briefing.sources if s.is_spun] == ["daily-digest.md"]
    assert spun_points_checked(story / "docs", result.briefing) >= 1
    wages = next(t for t in result.briefing.topics if t.id == "wages")
    assert not wages.key_points[0].spun_only and wages.key_points[-1].spun_only
