"""The site in a real browser (Debian's chromium driven by Playwright, no browser downloads).

Skips on a laptop without Chromium; with REQUIRE_BROWSER=1 (set by .ci/run) a missing browser fails.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.pipeline import build
from tests.conftest import CONFIG, MKDOCS_YML, ROOT, SEEDS, write_corpus
from tests.test_hostile import hostile_files

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"

if not Path(CHROMIUM).exists():
    if os.environ.get("REQUIRE_BROWSER"):
        pytest.fail("REQUIRE_BROWSER is set but Chromium is not installed", pytrace=False)
    pytest.skip("Chromium not installed", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api") if not os.environ.get("REQUIRE_BROWSER") else None
from playwright.sync_api import sync_playwright  # noqa: E402


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("browser")
    files = {p.name: p.read_bytes() for p in SEEDS.glob("*.txt")}
    files.update({k: v for k, v in hostile_files().items()
                  if v is not None and k in {"a-payloads.md", "g-page.txt", "b-cp1252.txt"}})
    seeds = write_corpus(root / "seeds", files)
    build(seeds, root / "docs", CONFIG, site=root / "site", mkdocs_yml=MKDOCS_YML)
    handler = functools.partial(QuietHandler, directory=str(root / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", root
    server.shutdown()


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


def test_citation_lands_on_its_highlighted_sentence(served, browser):
    base, _ = served
    page, _ = open_page(browser, base + "/topics/energy/")
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


def test_search_finds_the_topic_page(served, browser):
    base, _ = served
    page, _ = open_page(browser, base + "/")
    page.locator("input.md-search__input").click()
    page.keyboard.type("dollarization", delay=50)
    page.wait_for_selector(".md-search-result__item", timeout=20000)
    first = page.locator(".md-search-result__item a").first.get_attribute("href")
    assert "finance-de-dollarization" in first


@pytest.mark.parametrize(("name", "viewport"), [("desktop", {"width": 1280, "height": 900}),
                                                ("phone", {"width": 390, "height": 844})])
def test_screenshots(served, browser, name, viewport):
    base, _ = served
    ARTIFACTS.mkdir(exist_ok=True)
    for path, label in (("/", "home"), ("/topics/energy/", "topic")):
        page, _ = open_page(browser, base + path, viewport)
        out = ARTIFACTS / f"{label}-{name}.png"
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


def test_site_works_from_a_sub_path(served_from_subpath, browser):
    base, _ = served_from_subpath
    for path in ("/", "/topics/defense/", "/timeline/", "/players/", "/sources/"):
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
