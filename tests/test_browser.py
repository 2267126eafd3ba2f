"""The site in a real browser (Debian's chromium driven by Playwright, no browser downloads).

Skips on a laptop without Chromium; with REQUIRE_BROWSER=1 (set by .ci/run) a missing browser fails.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from generator.config import Config, load_config
from generator.pipeline import build
from tests.conftest import MKDOCS_YML, ROOT, STORIES, Story, write_corpus
from tests.test_hostile import hostile_files

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"

if not Path(CHROMIUM).exists():
    if os.environ.get("REQUIRE_BROWSER"):
        pytest.fail("REQUIRE_BROWSER is set but Chromium is not installed", pytrace=False)
    pytest.skip("Chromium not installed", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api") if not os.environ.get("REQUIRE_BROWSER") else None
from playwright.sync_api import sync_playwright  # noqa: E402

# An article whose words occur in no other: search must find it on its own source page, and its
# British spellings by their American forms.
SOURCE_ONLY = ("Notes from the harbour\n\nThe quillwort grows along the old harbour wall, the organisation "
               "that keeps the garden said on Tuesday.\n")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module", params=STORIES, ids=lambda story: story.name)
def story(request) -> tuple[Story, Config]:
    """Each story the repository holds (see tests/conftest.py), with its config: the pages and
    words the tests look for come from it, never from literals."""
    return request.param, load_config(request.param.config)


@pytest.fixture(scope="module")
def served(story, tmp_path_factory):
    found, _ = story
    root = tmp_path_factory.mktemp(f"browser-{found.name}")
    files: dict[str, str | bytes] = {p.name: p.read_bytes() for p in found.seeds.iterdir()
                                     if p.is_file() and p.suffix in (".txt", ".md") and p.name != "README.md"}
    files.update({k: v for k, v in hostile_files().items()
                  if v is not None and k in {"a-payloads.md", "g-page.txt", "b-cp1252.txt"}})
    files["z-only-here.txt"] = SOURCE_ONLY
    seeds = write_corpus(root / "seeds", files)
    build(seeds, root / "docs", found.config, site=root / "site", mkdocs_yml=MKDOCS_YML)
    handler = functools.partial(QuietHandler, directory=str(root / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", root
    server.shutdown()


def cited_topic(root: Path, config: Config) -> str:
    """The first topic of the story whose page cites a source (every topic should)."""
    data = json.loads((root / "docs" / "briefing.json").read_text(encoding="utf-8"))
    return next(t["id"] for t in data["topics"] if t["key_points"])


def search_word(config: Config) -> tuple[str, str]:
    """A topic and its most telling one-word term: searched for, it should find that topic's page."""
    topic = config.topics[-1]
    words = [(weight, term) for term, weight in topic.terms.items() if term.isalpha() and len(term) > 4]
    return topic.id, max(words)[1]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


def open_page(browser, url: str, viewport=None):
    page = browser.new_page(viewport=viewport or {"width": 1280, "height": 900})
    events = {"console": [], "foreign": [], "dialogs": []}
    page.on("console", lambda m: events["console"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: events["console"].append(str(e)))
    page.on("request", lambda r: events["foreign"].append(r.url)
            if urlsplit(r.url).hostname not in ("127.0.0.1", None) and not r.url.startswith("data:") else None)
    page.on("dialog", lambda d: (events["dialogs"].append(d.message), d.dismiss()))
    page.goto(url, wait_until="networkidle")
    return page, events


def site_pages(root: Path) -> list[str]:
    site = root / "site"
    return sorted("/" + p.relative_to(site).as_posix().removesuffix("index.html")
                  for p in site.rglob("index.html"))


def test_every_page_loads_clean_and_no_payload_runs(served, browser):
    base, root = served
    pages = site_pages(root)
    assert len(pages) >= 12
    for path in pages:
        page, events = open_page(browser, base + path)
        assert not events["console"], (path, events["console"])
        assert not events["foreign"], (path, events["foreign"])
        assert not events["dialogs"], (path, events["dialogs"])
        assert page.evaluate("window.__pwned === undefined"), path
        page.close()


def test_citation_lands_on_its_highlighted_sentence(served, story, browser):
    base, root = served
    page, _ = open_page(browser, base + f"/topics/{cited_topic(root, story[1])}/")
    link = page.locator("article a[href*='/sources/']").first
    href = link.get_attribute("href")
    fragment = href.split("#")[1]
    link.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("#" + fragment)
    target = page.locator(f"[id='{fragment}']")
    assert target.is_visible()
    background = target.evaluate("e => getComputedStyle(e).outlineStyle")
    assert background == "solid"
    box = target.bounding_box()
    assert box is not None and 0 <= box["y"] < 900


def search_hits(browser, base: str, query: str) -> tuple[list[str], dict]:
    """The addresses the "Search every word" page lists for `query`, and the page's events."""
    page, events = open_page(browser, base + "/find/")
    page.locator("#find-input").fill(query)
    page.wait_for_selector("#find-results[data-done]", state="attached", timeout=20000)
    hits = [a.get_attribute("href") or "" for a in page.locator("#find-results a").all()]
    page.close()
    return hits, events


def test_search_finds_the_topic_page(served, story, browser):
    base, _ = served
    topic_id, word = search_word(story[1])
    hits, events = search_hits(browser, base, word)
    assert any(f"topics/{topic_id}/" in hit for hit in hits[:5]), (word, hits)
    assert not events["foreign"] and not events["console"], events


def test_search_finds_a_word_only_a_source_text_has_and_other_spellings(served, browser):
    """SOURCE_ONLY's words are in no topic, timeline or players page: found on its source page.
    Its British spelling is found by the American one."""
    base, root = served
    assert "quillwort" not in (root / "docs" / "players.md").read_text(encoding="utf-8")
    for query in ("quillwort", "Quillwort harbor", "quillwort organization"):
        hits, events = search_hits(browser, base, query)
        assert any("/sources/z-only-here" in hit for hit in hits), (query, hits)
        assert not events["foreign"] and not events["console"], (query, events)


@pytest.mark.parametrize(("name", "viewport"), [("desktop", {"width": 1280, "height": 900}),
                                                ("phone", {"width": 390, "height": 844})])
def test_screenshots(served, story, browser, name, viewport):
    base, root = served
    ARTIFACTS.mkdir(exist_ok=True)
    for path, label in (("/", "home"), (f"/topics/{cited_topic(root, story[1])}/", "topic")):
        page, _ = open_page(browser, base + path, viewport)
        out = ARTIFACTS / f"{story[0].name}-{label}-{name}.png"
        page.screenshot(path=str(out), full_page=False)
        assert out.stat().st_size > 5000
        page.close()


@pytest.fixture(scope="module")
def served_from_subpath(served):
    _, root = served
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/site", root
    server.shutdown()


def record_failure(failed: list[tuple[int, str]], response) -> None:
    if response.status >= 400:
        failed.append((response.status, response.url))


def test_site_works_from_a_sub_path(served_from_subpath, story, browser):
    base, _ = served_from_subpath
    for path in ("/", f"/topics/{story[1].topics[-1].id}/", "/timeline/", "/players/", "/sources/"):
        page = browser.new_page()
        failed: list[tuple[int, str]] = []
        page.on("response", functools.partial(record_failure, failed))
        page.goto(base + path, wait_until="networkidle")
        assert not failed, (path, failed)
        assert page.locator("article h1").count() == 1
        page.close()


def test_timeline_and_players_entries_link_to_sentences(served, browser):
    base, _ = served
    for path in ("/timeline/", "/players/"):
        page, _ = open_page(browser, base + path)
        links = page.locator("article a[href*='/sources/'][href*='#s']")
        assert links.count() >= 5, path
        href = links.first.get_attribute("href")
        page.goto(base + path + href if not href.startswith("/") else base + href, wait_until="networkidle")
        assert page.locator(f"[id='{href.split('#')[1]}']").is_visible()
        page.close()


def test_the_overview_leads_with_what_happened_every_entry_cited(served, browser):
    """The fact sheet comes first, every row cites sentences, and the event is word for word the
    sentence its first citation lands on."""
    base, _ = served
    page, _ = open_page(browser, base + "/")
    headings = page.locator("article h2").all_inner_texts()
    assert headings[0].startswith("What happened"), headings
    rows = page.locator("xpath=//h2[@id='what-happened']/following::table[1]").locator("tbody tr")
    assert rows.count() >= 2
    for i in range(rows.count()):
        assert rows.nth(i).locator("a[href*='sources/'][href*='#s']").count() >= 1, rows.nth(i).inner_text()
    what = rows.first
    assert what.locator("td").first.inner_text().strip() == "What"
    cell = what.locator("td").nth(1)
    event = cell.evaluate("td => [...td.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join('')")
    href = cell.locator("a").first.get_attribute("href")
    page.goto(urljoin(base + "/", href), wait_until="networkidle")
    said = page.locator(f"[id='{href.split('#')[1]}']").inner_text()
    assert " ".join(event.split()).startswith(" ".join(said.split())[:80]), (event, said)
    page.close()


PHONE = {"width": 390, "height": 844}


def page_kinds(root: Path, config: Config) -> dict[str, str]:
    """One page of each kind the site has: its path under the site."""
    data = json.loads((root / "docs" / "briefing.json").read_text(encoding="utf-8"))
    return {"overview": "/", "topic": f"/topics/{cited_topic(root, config)}/", "timeline": "/timeline/",
            "players": "/players/", "figures": "/figures/", "sources": "/sources/",
            "source": f"/sources/{data['sources'][0]['id']}/", "keywords": "/tags/", "method": "/method/"}


def test_no_page_is_wider_than_a_phone(served, story, browser):
    """At 390×844 nothing scrolls sideways: not the page, and no table hides columns behind its own
    scroll bar (tables become stacked cards); and no page asks another host for anything."""
    base, root = served
    for kind, path in page_kinds(root, story[1]).items():
        page, events = open_page(browser, base + path, PHONE)
        overflow = page.evaluate("""() => ({
            page: document.documentElement.scrollWidth - window.innerWidth,
            tables: Math.max(0, ...[...document.querySelectorAll(
                "article .md-typeset__scrollwrap, article .md-typeset__table, article table")]
                .filter(e => e.getClientRects().length).map(e => e.scrollWidth - e.clientWidth))})""")
        assert overflow["page"] <= 0 and overflow["tables"] <= 1, (kind, overflow)
        assert not events["foreign"], (kind, events["foreign"])
        page.close()


def test_citation_targets_are_at_least_24_px_on_a_phone(served, story, browser):
    base, root = served
    kinds = page_kinds(root, story[1])
    for kind in ("overview", "topic", "timeline", "players", "figures"):
        page, _ = open_page(browser, base + kinds[kind], PHONE)
        sizes = page.evaluate("""() => [...document.querySelectorAll("article a.cite")]
            .filter(a => a.getClientRects().length)
            .map(a => { const r = a.getBoundingClientRect(); return [r.width, r.height, a.textContent]; })""")
        assert sizes or kind != "topic", kind
        small = [s for s in sizes if s[0] < 24 or s[1] < 24]
        assert not small, (kind, small[:5])
        page.close()


def test_a_citation_shows_its_sentence_as_a_tooltip(served, story, browser):
    base, root = served
    page, _ = open_page(browser, base + f"/topics/{cited_topic(root, story[1])}/")
    link = page.locator("article a.cite[href*='#s']").first
    title, href = link.get_attribute("title"), link.get_attribute("href")
    assert title and "·" in link.inner_text()
    page.goto(urljoin(page.url, href), wait_until="networkidle")
    said = page.locator(f"[id='{href.split('#')[1]}']").inner_text()
    assert " ".join(said.split()).startswith(" ".join(title.split()).removesuffix(" …")[:200]), (title, said)
    page.close()


def test_the_coverage_chart_has_its_numbers_as_a_table_on_a_phone_and_no_white_slab(served, browser):
    base, _ = served
    page, _ = open_page(browser, base + "/", PHONE)
    assert not page.locator("img.coverage-chart").is_visible()
    table = page.locator("table.coverage-table")
    assert table.is_visible() and table.locator("tbody tr").count() >= 1
    alt = page.locator("img.coverage-chart").get_attribute("alt")
    assert any(ch.isdigit() for ch in alt), alt
    page.close()
    dark = browser.new_page(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    dark.goto(base + "/assets/coverage.svg", wait_until="networkidle")
    assert "#ffffff" not in dark.content().split("<style>")[0]
    dark.close()


def test_a_rebuild_with_one_article_added_marks_its_points_new(tmp_path, browser, monkeypatch):
    """Editions as a reader sees them: after a rebuild with one more article, topic pages show
    visible "new" markers on the points it brought, and What changed names the article."""
    from tests.conftest import CONFIG, SEEDS

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    articles = sorted(p for p in SEEDS.iterdir() if p.suffix in (".txt", ".md"))
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for article in articles[:-1]:
        shutil.copy(article, seeds / article.name)
    editions = tmp_path / "editions"
    build(seeds, tmp_path / "docs", CONFIG, site=tmp_path / "site", mkdocs_yml=MKDOCS_YML, editions=editions)
    shutil.copy(articles[-1], seeds / articles[-1].name)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735776000")
    build(seeds, tmp_path / "docs", CONFIG, site=tmp_path / "site", mkdocs_yml=MKDOCS_YML, editions=editions)
    handler = functools.partial(QuietHandler, directory=str(tmp_path / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        marks = 0
        for topic in load_config(CONFIG).topics:
            page, _ = open_page(browser, f"{base}/topics/{topic.id}/")
            shown = page.locator("article .new-mark").all()
            # shown in capitals by the stylesheet
            assert all(m.is_visible() and m.inner_text().strip().lower() == "new" for m in shown), topic.id
            marks += len(shown)
            assert "since the edition of 2025-01-01" in page.locator("article").inner_text(), topic.id
            page.close()
        assert marks >= 1
        page, _ = open_page(browser, base + "/changes/")
        assert f"Added: {articles[-1].name}" in page.locator("article").inner_text()
        page.close()
    finally:
        server.shutdown()
