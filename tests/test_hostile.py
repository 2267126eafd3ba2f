"""A hostile corpus built inside the test: payloads, broken encodings and junk files.

The build must go on, say what happened for each file, and publish nothing an attacker
could use. The same corpus is served to a real browser in test_browser.py.
"""

from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.cli import main
from generator.pipeline import StrictModeError, build
from generator.render import briefing_json
from tests.conftest import CONFIG, MKDOCS_YML, ROOT, SEEDS, write_corpus

ON_TOPIC = "Russia and Iran agreed to build a new gas pipeline and to expand energy trade across the Caspian Sea."
PAYLOADS = [
    "<script>window.__pwned = 1; alert('xss')</script>",
    "<img src=x onerror=\"window.__pwned=2\">",
    "[click me](javascript:window.__pwned=3)",
    "<a href=\"javascript:alert(1)\">link</a>",
    "{{ config.extra }} {% raw %}x{% endraw %} {{ 7*7 }}",
    "<iframe src=\"https://evil.example/\"></iframe>",
    "![tracker](https://evil.example/pixel.png)",
    "<style>body{display:none}</style>",
    "**bold** and `code` and # not a heading",
]


def hostile_files() -> dict[str, str | bytes | None]:
    payload_text = " ".join(f"The defense ministry said {p} about military drones." for p in PAYLOADS)
    return {
        "a-payloads.md": (
            "---\ntitle: \"<script>window.__pwned=4</script> Payload title\"\n"
            "publisher: \"<b onmouseover=alert(1)>Evil</b>\"\nurl: \"javascript:alert(1)\"\n---\n"
            f"{ON_TOPIC}\n\n{payload_text}\n"
        ),
        "b-cp1252.txt": f"{ON_TOPIC} The minister’s “energy” plan costs 5 €.\n".encode("cp1252"),
        "c-utf16.txt": f"{ON_TOPIC.replace('gas', 'oil')} Both sides confirmed it.\n".encode("utf-16"),
        "d-crlf.txt": b"Iran and Russia will route cargo through the North-South corridor.\r\nIt opens soon.\r\n",
        "e-empty.txt": "",
        "f-binary.txt": bytes(range(256)) * 4,
        "g-page.txt": ("<!DOCTYPE html><html><head><script>alert(1)</script></head><body><p>Sanctions on "
                       "Russian banks and the SWIFT payment system were discussed in Washington.</p></body></html>"),
        "h-long-line.txt": "Gazprom said gas exports to Iran rose. " * 30000 + "x" * 200000,
        "i-russian.txt": "Россия и Иран подписали договор о стратегическом партнерстве и сотрудничестве. " * 10,
        "j-duplicate.txt": f"{ON_TOPIC}\n\n{payload_text}\n",
        "k-offtopic.txt": "The weather in the mountains was mild this spring, and hikers enjoyed long walks.\n",
        "l-bad-front-matter.md": "---\ntitle: [unclosed\n---\n" + ON_TOPIC + "\n",
        "m-yaml-attack.md": "---\ntitle: !!python/object/apply:os.system ['touch /tmp/pwned-briefing']\n---\n"
                            + ON_TOPIC.replace("Caspian", "Black") + "\n",
        "n-undecodable.txt": b"\x81\x8d\x8f\x90\x9d" * 20,
        "o-dots.txt": ".....\n!!!!\n????\n",
        "../escape.txt": None,
    }


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    files = {k: v for k, v in hostile_files().items() if v is not None}
    seeds = write_corpus(root / "seeds", files)
    result = build(seeds, root / "docs", CONFIG, site=root / "site", mkdocs_yml=MKDOCS_YML)
    return root, result


def reasons(result) -> dict[str, str]:
    found: dict[str, str] = {}
    for w in result.briefing.warnings:
        found[w.filename] = found.get(w.filename, "") + w.reason + "; "
    return found


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("b-cp1252.txt", "Windows-1252"),
        ("e-empty.txt", "empty"),
        ("f-binary.txt", "binary"),
        ("i-russian.txt", "does not look like English"),
        ("j-duplicate.txt", "duplicate of source 'a-payloads'"),
        ("k-offtopic.txt", "not a single sentence on any topic"),
        ("l-bad-front-matter.md", "front matter is not valid YAML"),
        ("m-yaml-attack.md", "front matter is not valid YAML"),
        ("n-undecodable.txt", "Windows-1252"),
        ("o-dots.txt", "no sentences"),
        ("a-payloads.md", "url"),
        ("g-page.txt", "HTML page"),
        ("h-long-line.txt", "a single line of 1,370,000 characters"),
        ("h-long-line.txt", "removed as junk"),
    ],
)
def test_each_bad_input_gets_a_warning_naming_it(hostile_build, filename, expected):
    _, result = hostile_build
    assert expected in reasons(result).get(filename, ""), reasons(result)


def test_good_articles_in_a_hostile_corpus_are_still_used(hostile_build):
    _, result = hostile_build
    ids = {s.id for s in result.briefing.sources}
    assert {"a-payloads", "b-cp1252", "c-utf16", "d-crlf", "g-page", "h-long-line"} <= ids
    cp1252 = result.briefing.source("b-cp1252")
    assert "minister’s “energy” plan costs 5 €" in cp1252.sentences[1].text
    assert "\r" not in result.briefing.source("d-crlf").sentences[0].text
    assert not Path("/tmp/pwned-briefing").exists()


def test_warnings_are_listed_on_the_build_report_page(hostile_build):
    """Each warning is one row of the report's table: its file and its reason, as text."""
    root, result = hostile_build
    page = (root / "site" / "report" / "index.html").read_text(encoding="utf-8")
    rows = [[html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
             for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)]
            for row in re.findall(r"<tr>(.*?)</tr>", page, re.DOTALL)]
    rows = [row for row in rows if row]  # the head has <th> cells only
    assert len(result.briefing.warnings) >= 14  # every file of the hostile corpus but a few is warned about
    assert f"{len(result.briefing.warnings)} problems with the input were found" in page
    assert rows == [[w.filename, " ".join(w.reason.split())] for w in result.briefing.warnings]


def test_no_payload_becomes_markup_anywhere(hostile_build):
    root, _ = hostile_build
    for path in sorted((root / "site").rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<[a-zA-Z][^>]*>", html):
            assert not re.search(r"\son[a-z]+\s*=", tag, re.IGNORECASE), (path, tag)
        for script in re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.DOTALL):
            assert "__pwned" not in script and "alert(" not in script, path
        assert "<script>window" not in html and "<img src=x" not in html and "<iframe" not in html
        assert 'href="javascript:' not in html.lower()
        assert "evil.example/pixel" not in "".join(re.findall(r'src="([^"]*)"', html))
        assert "49" not in re.findall(r"said (\S+) \S+ about", html)  # {{ 7*7 }} was not evaluated
    title_page = (root / "site" / "sources" / "a-payloads" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in title_page or "scriptwindow" in title_page


def test_strict_mode_fails_on_warnings(tmp_path):
    seeds = write_corpus(tmp_path / "seeds", {"a.txt": ON_TOPIC + "\n", "empty.txt": ""})
    with pytest.raises(StrictModeError):
        build(seeds, tmp_path / "docs", CONFIG, strict=True)
    assert not (tmp_path / "docs").exists()
    assert main(["build", "--seeds", str(seeds), "--docs", str(tmp_path / "docs"), "--config", str(CONFIG),
                 "--strict"]) == 1


def test_output_is_identical_whatever_the_hash_seed(tmp_path):
    outputs = []
    for seed in ("0", "12345"):
        out = tmp_path / f"docs-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1735689600"}
        subprocess.run([sys.executable, "-m", "generator", "build", "--seeds", str(SEEDS), "--docs", str(out),
                        "--config", str(CONFIG), "-q"], check=True, cwd=ROOT, env=env)
        outputs.append({p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert outputs[0] == outputs[1]


def test_briefing_json_of_hostile_corpus_is_valid(hostile_build):
    root, result = hostile_build
    data = json.loads((root / "docs" / "briefing.json").read_text(encoding="utf-8"))
    # The whole file is what json.dumps makes of the briefing, payloads kept as plain strings.
    assert data == json.loads(json.dumps(briefing_json(result.briefing)))
    source = next(s for s in data["sources"] if s["id"] == "a-payloads")
    assert source["url"] is None
    assert source["title"] == "<script>window.__pwned=4</script> Payload title"
    assert source["publisher"] == "<b onmouseover=alert(1)>Evil</b>"
    assert {s["id"] for s in data["sources"]} == {s.id for s in result.briefing.sources}


def test_feed_stays_well_formed_and_shows_payloads_as_text(hostile_build):
    root, result = hostile_build
    feed = ET.parse(root / "site" / "feed_rss_created.xml").getroot()
    leads = {t.title: " ".join(" ".join(p.text for p in t.lead).split()) for t in result.briefing.topics}
    shown = 0
    for item in feed.iter("item"):
        description = item.findtext("description") or ""
        assert html.unescape(description) == (leads[item.findtext("title") or ""] or html.unescape(description))
        assert "<" not in description  # markup only as escaped text, which a reader shows as text
        shown += "__pwned" in description
    assert shown, "no payload reached a feed item: the test checks nothing"


# Four characters an IGNORECASE pattern matches as ASCII letters, which `str.lower()` leaves as they
# are: a word matched through one of them ("Thurſday", "dıed") must not be looked up as written.
FOLDING = {"s": "\u017f", "i": "\u0131", "k": "\u212a", "I": "\u0130"}
FOLDED_STORY = ("Talks in the capital\n\n"
                "On Thursday 5 August 2025 three people died and six were injured in a blast, police said. "
                "Last year the United Nations sent a team; last Monday the ministry said it had asked again. "
                "Officials said the talks would resume next week, two weeks ago a deal was signed. "
                "The firm paid $4.5 billion, or five billion euros, for 12 plants in nine countries. "
                "In August the price rose 3 per cent, the minister said on Friday. Yesterday it fell. "
                "Three people died in the blast. It was the worst since last year, said the Kremlin. "
                "Five hundred were injured and 40 were killed, the agency said on 7 August.\n")


@pytest.mark.parametrize("plain", sorted(FOLDING))
def test_words_matched_through_a_folding_character_crash_no_article(plain):
    """Each word holding the letter is written with its folding twin in turn (one word at a time:
    a whole text of them matches no pattern at all)."""
    from generator.classify import Unspinner
    from generator.config import load_config
    from generator.model import Article, SourceMeta
    from generator.pipeline import Analysers, analyse_article

    config = load_config(CONFIG)
    analysers = Analysers.from_config(config)
    unspin = Unspinner({"Economic": "financial"}, {"natiOns": "countries", "Sent": "dispatched"})
    words = sorted({w for w in re.findall(r"\w+", FOLDED_STORY) if plain in w})
    assert words
    for word in words:
        text = re.sub(rf"\b{word}\b", word.replace(plain, FOLDING[plain]), FOLDED_STORY)
        article = Article(id="folded", filename="folded.txt", text=text, meta=SourceMeta(published="2025-08-06"))
        result = analyse_article(article, config, analysers)
        assert result.source is not None
        for sentence in result.source.sentences:
            unspin(sentence.text, spun=True)
