"""`make zensical`: the site built by Zensical beside the MkDocs build, and what differs.

Zensical is Material for MkDocs' successor and reads the same mkdocs.yml. This builds the docs
the generator writes for the seeds once, then the site with MkDocs (as `make build` does) and
twice with Zensical, and reports: the pages each build has, their search indexes, the Keywords
page's tags, the feeds (their dates against SOURCE_DATE_EPOCH, and whether two builds give the
same bytes), and whether Zensical's strict build fails where MkDocs' does. It only reports: the
exit code says whether it could run, not whether the builds agree. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.pipeline import build  # noqa: E402
from generator.render import SiteBuildError, build_site  # noqa: E402

FEEDS = ("feed_rss_created.xml", "feed_rss_updated.xml", "feed_json_created.json", "feed_json_updated.json")


def run_zensical(zensical: Path, project: Path, strict: bool = False) -> tuple[int, str, float, int]:
    """Exit code, output, seconds and peak memory (KiB) of one clean Zensical build of `project`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run([str(zensical), "build", "--clean", "--config-file", "mkdocs.yml",
                           *(["--strict"] if strict else [])], cwd=project, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    output = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)  # no terminal colours in the report
    return done.returncode, output, seconds, peak if peak > before else before


def files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def pages(site: Path) -> set[str]:
    return {name for name in files(site) if name.endswith(".html")}


def search_locations(site: Path) -> tuple[str, int, set[str]]:
    """The search index's file, its number of entries, and the pages it indexes (without anchors)."""
    for name, key in (("search/search_index.json", "docs"), ("search.json", "items")):
        if (site / name).is_file():
            entries = json.loads((site / name).read_text(encoding="utf-8"))[key]
            return name, len(entries), {entry["location"].split("#")[0] for entry in entries}
    return "none", 0, set()


def keyword_tags(site: Path) -> dict[str, set[str]]:
    """Each tag of the Keywords page with the links listed under it."""
    page = (site / "tags" / "index.html").read_text(encoding="utf-8")
    tags: dict[str, set[str]] = {}
    parts = re.split(r'<h2 id="(tag:[^"]*)"', page)
    for tag, body in zip(parts[1::2], parts[2::2], strict=True):
        tags[tag] = set(re.findall(r'<a href="(\.\./[^"#]*)"', body.split("</ul>")[0]))
    return tags


def rss_dates(path: Path) -> dict[str, str]:
    """The channel's dates and each item's pubDate, by what they date."""
    channel = ET.parse(path).getroot().find("channel")
    assert channel is not None
    dates = {name: channel.findtext(name, "") for name in ("pubDate", "lastBuildDate")}
    dates.update({f"item {item.findtext('title')}": item.findtext("pubDate", "") for item in channel.iter("item")})
    return dates


def rss_items(path: Path) -> dict[str, tuple[str, str]]:
    channel = ET.parse(path).getroot().find("channel")
    assert channel is not None
    return {item.findtext("link", ""): (item.findtext("title", ""), item.findtext("description", ""))
            for item in channel.iter("item")}


def when(text: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def listed(names: set[str] | list[str], limit: int = 8) -> str:
    shown = sorted(names)
    return ", ".join(shown[:limit]) + (f" and {len(shown) - limit} more" if len(shown) > limit else "") or "none"


def mkdocs_strict(project: Path) -> str:
    try:
        build_site(project / "mkdocs.yml", project / "docs", project / "site-mkdocs-strict")
    except SiteBuildError as exc:
        return "fails: " + str(exc).split("MkDocs build failed: ")[-1][:100]
    return "builds"


def strict_checks(zensical: Path, project: Path, docs: Path) -> list[tuple[str, str, str]]:
    """What a strict build does with a page left out of nav, a link to no page, a link to no anchor."""
    breakages: list[tuple[str, Callable[[Path], None]]] = [
        ("a topic page missing from nav (validation.nav.omitted_files)",
         lambda d: _append(d / "topics" / "unlisted.md", "# Unlisted\n\nNot in nav.\n")),
        ("a link to a page that does not exist (validation.links.not_found)",
         lambda d: _append(d / "timeline.md", "\n[gone](no-such-page.md)\n")),
        ("a link to an anchor that does not exist (validation.links.anchors)",
         lambda d: _append(d / "timeline.md", "\n[gone](topics/energy.md#no-such-anchor)\n")),
    ]
    rows = []
    for what, breakage in breakages:
        shutil.rmtree(project / "docs", ignore_errors=True)
        shutil.copytree(docs, project / "docs")
        breakage(project / "docs")
        code, output, *_ = run_zensical(zensical, project, strict=True)
        said = next((line.strip() for line in output.splitlines() if re.search(r"warn|error|fail", line, re.I)), "")
        rows.append((what, mkdocs_strict(project), f"fails (exit {code}): {said[:80]}" if code else "builds"))
    shutil.rmtree(project / "docs", ignore_errors=True)
    return rows


def _append(path: Path, text: str) -> None:
    path.write_text((path.read_text(encoding="utf-8") if path.exists() else "") + text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--zensical", type=Path, required=True, help="the zensical command to compare")
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    parser.add_argument("--config", type=Path, default=ROOT / "briefing.yml")
    parser.add_argument("--work", type=Path, default=ROOT / ".cache" / "zensical")
    args = parser.parse_args()

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    args.zensical = args.zensical.absolute()  # run from the project folder below
    work = args.work.resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    version = subprocess.run([str(args.zensical), "--version"], capture_output=True, text=True).stdout.strip()
    print(f"Zensical: {version or 'unknown version'}; SOURCE_DATE_EPOCH={epoch or 'unset'}")

    # Named docs/: mkdocs.yml inherits the story's part from docs/.mkdocs-story.yml beside it.
    docs = work / "generated" / "docs"
    result = build(args.seeds, docs, args.config)
    print(f"docs: {len(result.briefing.sources)} sources, {len(result.briefing.topics)} topics")
    start = time.perf_counter()
    mkdocs_site = work / "site-mkdocs"
    build_site(ROOT / "mkdocs.yml", docs, mkdocs_site)
    print(f"MkDocs: built in {time.perf_counter() - start:.1f} s")

    # Zensical keeps docs_dir and site_dir inside the folder of its config file: a project of its own.
    project = work / "project"
    project.mkdir()
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    # The theme overrides (custom_dir) are found relative to mkdocs.yml, so they come along.
    shutil.copytree(ROOT / "generator" / "theme", project / "generator" / "theme")
    zensical_sites = []
    for n in (1, 2):
        shutil.copytree(docs, project / "docs")
        code, output, seconds, peak = run_zensical(args.zensical, project)
        if code:
            print(f"Zensical build {n} failed (exit {code}):\n{output}")
            return 1
        site = work / f"site-zensical-{n}"
        (project / "site").rename(site)
        shutil.rmtree(project / "docs")
        zensical_sites.append(site)
        issues = [line.strip() for line in output.splitlines() if line.strip() and "Build" not in line]
        print(f"Zensical build {n}: {seconds:.1f} s, peak memory of the builds so far {peak / 1024:.0f} MiB; "
              f"said: {' / '.join(issues) or 'nothing'}")
        if n == 1:
            time.sleep(1.5)  # so that a date taken from the clock differs between the builds
    z1, z2 = zensical_sites

    print("\n== Pages (HTML files)")
    m_pages, z_pages = pages(mkdocs_site), pages(z1)
    print(f"MkDocs {len(m_pages)}, Zensical {len(z_pages)}, in both {len(m_pages & z_pages)}")
    print(f"only MkDocs: {listed(m_pages - z_pages)}")
    print(f"only Zensical: {listed(z_pages - m_pages)}")
    m_other, z_other = files(mkdocs_site) - m_pages, files(z1) - z_pages
    print(f"other files only MkDocs writes: {listed({f for f in m_other - z_other if not f.startswith('assets/')})}")
    print(f"other files only Zensical writes: {listed({f for f in z_other - m_other if not f.startswith('assets/')})}")

    print("\n== Search index")
    for name, site in (("MkDocs", mkdocs_site), ("Zensical", z1)):
        file, entries, located = search_locations(site)
        size = (site / file).stat().st_size if file != "none" else 0
        sources = sorted(loc for loc in located if loc.startswith("sources/") and loc != "sources/")
        print(f"{name}: {file}, {size / 1024:.0f} KiB, {entries} entries on {len(located)} pages; "
              f"source pages indexed: {len(sources)}; Keywords page indexed: {'tags/' in located}")
    m_located, z_located = search_locations(mkdocs_site)[2], search_locations(z1)[2]
    print(f"pages only MkDocs indexes: {listed(m_located - z_located)}; "
          f"only Zensical: {listed(z_located - m_located)}")

    print("\n== Keywords page (tags)")
    m_tags, z_tags = keyword_tags(mkdocs_site), keyword_tags(z1)
    differing = {t for t in m_tags.keys() & z_tags.keys() if m_tags[t] != z_tags[t]}
    print(f"MkDocs {len(m_tags)} tags, {sum(map(len, m_tags.values()))} links, "
          f"{(mkdocs_site / 'tags' / 'index.html').stat().st_size / 1024:.0f} KiB; "
          f"Zensical {len(z_tags)} tags, {sum(map(len, z_tags.values()))} links, "
          f"{(z1 / 'tags' / 'index.html').stat().st_size / 1024:.0f} KiB")
    print(f"tags only MkDocs: {listed(m_tags.keys() - z_tags.keys())}; only Zensical: "
          f"{listed(z_tags.keys() - m_tags.keys())}; same tag, other pages: {listed(differing)}")

    print("\n== Feeds")
    expected = datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit() else None
    for feed in FEEDS:
        present = [name for name, site in (("MkDocs", mkdocs_site), ("Zensical", z1)) if (site / feed).is_file()]
        same = (z1 / feed).is_file() and (z2 / feed).is_file() and (z1 / feed).read_bytes() == (z2 / feed).read_bytes()
        print(f"{feed}: written by {' and '.join(present) or 'neither'}; "
              f"two Zensical builds {'byte-identical' if same else 'differ'}")
    rss = FEEDS[0]
    if (z1 / rss).is_file():
        for name, site in (("MkDocs", mkdocs_site), ("Zensical", z1)):
            dates = rss_dates(site / rss)
            off = {what for what, text in dates.items() if expected is None or when(text) != expected}
            print(f"{name} RSS dates not SOURCE_DATE_EPOCH: {listed(off) if expected else 'no SOURCE_DATE_EPOCH'}")
        changed = {what for what, text in rss_dates(z1 / rss).items() if rss_dates(z2 / rss).get(what) != text}
        print(f"Zensical RSS dates that moved between its two builds: {listed(changed)}")
        m_items, z_items = rss_items(mkdocs_site / rss), rss_items(z1 / rss)
        print(f"RSS items: MkDocs {len(m_items)}, Zensical {len(z_items)}; same titles and descriptions: "
              f"{m_items == z_items}")

    print("\n== Whole site, Zensical build 1 against build 2")
    tree1, tree2 = files(z1), files(z2)
    changed = {f for f in tree1 & tree2 if (z1 / f).read_bytes() != (z2 / f).read_bytes()}
    print(f"{len(tree1)} files; differing: {listed(changed | (tree1 ^ tree2))}")

    print("\n== Strict builds (both read mkdocs.yml's validation settings; strict: true)")
    for what, mkdocs_said, zensical_said in strict_checks(args.zensical, project, docs):
        print(f"{what}\n  MkDocs: {mkdocs_said}\n  Zensical: {zensical_said}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
