"""`make bench`: the generator and MkDocs on synthetic corpora of 1,000 and 10,000 articles.

Prints one table. Every figure is measured in a fresh subprocess (so peak memory is that
run's own); short runs are repeated and their median quoted. Targets are in issue #6 and
in the README, never in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import make_corpus, seed_sentences  # noqa: E402
from generator.config import load_config  # noqa: E402

CONFIG = ROOT / "briefing.yml"


def run(args: list[str], env: dict[str, str] | None = None) -> tuple[float, int, float]:
    """Wall seconds, peak resident memory (KiB) and CPU seconds (user and system, its worker
    processes included) of one command. The CPU time says what the code costs where the wall
    time also says how busy the machine was: identical builds here differ by seconds of wall time."""
    # The measuring process adopts any process the command leaves behind to end by itself and
    # waits for it after timing the command, so its memory and CPU time are counted too (on
    # Linux; elsewhere they may not be). A build leaves none today; this keeps the figures honest
    # if one ever does.
    script = ("import ctypes, os, resource, subprocess, sys, time, json\n"
              "try:\n"
              "    ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER\n"
              "except (OSError, AttributeError):\n"
              "    pass\n"
              "t = time.perf_counter(); subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
              "seconds = time.perf_counter() - t\n"
              "while True:\n"
              "    try:\n"
              "        os.wait()\n"
              "    except ChildProcessError:\n"
              "        break\n"
              "used = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
              "print(json.dumps([seconds, used.ru_maxrss, used.ru_utime + used.ru_stime]))")
    out = subprocess.run([sys.executable, "-c", script, *args], check=True, capture_output=True, text=True,
                         cwd=ROOT, env={**os.environ, **(env or {})})
    seconds, kib, cpu = json.loads(out.stdout.strip().splitlines()[-1])
    return seconds, kib, cpu


def generator_cmd(seeds: Path, docs: Path, jobs: int, timings: Path | None = None,
                  cache: Path | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "generator", "build", "--seeds", str(seeds), "--docs", str(docs),
           "--config", str(CONFIG), "--jobs", str(jobs), "-q"]
    return cmd + (["--timings", str(timings)] if timings else []) + (["--cache", str(cache)] if cache else [])


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3, help="runs of the smallest size (median quoted)")
    parser.add_argument("--repeat-largest", type=int, default=1,
                        help="cold runs of the largest size, each with an empty cache (median quoted)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--site", action="store_true", help="also time MkDocs on the largest corpus")
    args = parser.parse_args()

    sentences = seed_sentences(ROOT / "seeds", load_config(CONFIG))
    work = Path(tempfile.mkdtemp(prefix="briefing-bench-"))
    rows, medians = [], {}
    try:
        for size in args.sizes:
            seeds = make_corpus(work / f"seeds-{size}", size, sentences)
            largest = size == max(args.sizes)
            runs = args.repeat if size == min(args.sizes) else args.repeat_largest if largest else 1
            results = []
            for i in range(runs):
                timings = work / f"timings-{size}-{i}.json"
                # The largest corpus also fills the cache the incremental rebuild below reuses;
                # each of its runs starts from an empty one, so every run is a first build.
                cache = work / "cache" if largest else None
                if cache is not None:
                    shutil.rmtree(cache, ignore_errors=True)
                results.append(run(generator_cmd(seeds, work / f"docs-{size}", args.jobs, timings, cache)))
            seconds = statistics.median(r[0] for r in results)
            peak = max(r[1] for r in results)
            cpu = statistics.median(r[2] for r in results)
            # The stages of the median run (the slower, when there are two).
            median_run = sorted(range(runs), key=lambda i: (results[i][0], i))[runs // 2]
            stages = json.loads((work / f"timings-{size}-{median_run}.json").read_text())
            medians[size] = seconds
            rows.append((size, runs, seconds, cpu, size / seconds, peak / 1024, stages, [r[0] for r in results]))
        print(f"jobs={args.jobs}, cores={os.cpu_count()}")
        print(f"{'articles':>9} {'runs':>4} {'wall s':>8} {'cpu s':>7} {'art/s':>7} {'peak MiB':>9}  stages (s)")
        for size, runs, seconds, cpu, rate, peak_mib, stages, _ in rows:
            stage_text = ", ".join(f"{k} {v:.1f}" for k, v in stages.items())
            print(f"{size:>9} {runs:>4} {seconds:>8.1f} {cpu:>7.1f} {rate:>7.0f} {peak_mib:>9.0f}  {stage_text}")
        for size, runs, *_, walls in rows:
            if runs > 1:
                print(f"runs of {size}: {', '.join(f'{w:.1f}' for w in walls)} s (median above, its stages shown)")
        if len(medians) >= 2:
            small, large = min(medians), max(medians)
            print(f"ratio {large}/{small} wall time: {medians[large] / medians[small]:.1f} "
                  f"(linear would be {large / small:.0f})")
        largest = max(args.sizes)
        seeds = work / f"seeds-{largest}"
        rebuilds = rebuild_times(seeds, work / f"docs-{largest}", work / "cache", args.jobs, args.repeat,
                                 " ".join(sentences[:20]) + "\n")
        seconds, stages = sorted(rebuilds, key=lambda r: r[0])[len(rebuilds) // 2][:2]
        print(f"rebuild after adding one article to {largest} (cache), median of {len(rebuilds)}: {seconds:.1f} s, "
              f"{statistics.median(r[2] for r in rebuilds):.1f} CPU s "
              f"(runs {', '.join(f'{r[0]:.1f}' for r in rebuilds)}); stages of the median run: "
              + ", ".join(f"{k} {v:.1f}" for k, v in stages.items()))
        if args.site:
            docs = work / f"docs-{largest}"
            code = ("import sys; from pathlib import Path; from generator.render import build_site; "
                    "build_site(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))")
            elapsed, *_ = run([sys.executable, "-c", code, str(ROOT / "mkdocs.yml"), str(docs), str(work / "site")])
            index = work / "site" / "search" / "search_index.json"  # only while Material's search is on
            site_mib = dir_size(work / "site") / 2**20
            print(f"mkdocs and Pagefind build of {largest} sources: {elapsed:.0f} s, site {site_mib:.0f} MiB"
                  + (f", Material search index (downloaded whole) {index.stat().st_size / 2**20:.1f} MiB"
                     if index.is_file() else ""))
            keywords_sizes(work / "site")
            pagefind_sizes(work / "site")

    finally:
        shutil.rmtree(work, ignore_errors=True)


def rebuild_times(seeds: Path, docs: Path, cache: Path, jobs: int, repeat: int,
                  article: str) -> list[tuple[float, dict[str, float], float]]:
    """Seconds, stage times and CPU seconds of `repeat` rebuilds, each after adding one article to the corpus
    the cache holds; the article is taken out again (and the cache rebuilt) between runs, so every
    run measures the same change. A rebuild is short: one run says little on a noisy machine."""
    extra = seeds / "zz-added.txt"
    results = []
    for i in range(repeat):
        extra.write_text(article, encoding="utf-8")
        timings = docs.parent / f"timings-rebuild-{i}.json"
        seconds, _, cpu = run(generator_cmd(seeds, docs, jobs, timings, cache))
        results.append((seconds, json.loads(timings.read_text()), cpu))
        extra.unlink()
        if i < repeat - 1:
            run(generator_cmd(seeds, docs, jobs, None, cache))  # back to the corpus the cache held
    return results


def keywords_sizes(site: Path) -> None:
    """The Keywords page (Material's tags index) and the tags.json Material writes beside it."""
    page, listing = site / "tags" / "index.html", site / "tags.json"
    sizes = [f"Keywords page {page.stat().st_size / 1e6:.2f} MB ({page.stat().st_size:,} bytes)"]
    if listing.is_file():
        sizes.append(f"tags.json {listing.stat().st_size / 1e6:.2f} MB ({listing.stat().st_size:,} bytes)")
    print(", ".join(sizes))


def pagefind_sizes(site: Path) -> None:
    """Pagefind's index of the same site: a query downloads the entry, the runtime and a few chunks."""
    try:
        seconds, *_ = run([sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", "_pagefind"])
    except subprocess.CalledProcessError:
        print("pagefind: not installed (pip install 'pagefind[bin]') - not measured")
        return
    out = site / "_pagefind"
    chunks = sorted(p.stat().st_size for p in (out / "index").glob("*"))
    fixed = sum(p.stat().st_size for p in out.glob("*") if p.is_file() and p.suffix in {".js", ".json", ".pagefind"})
    print(f"pagefind index: {seconds:.0f} s, {dir_size(out) / 2**20:.1f} MiB on disk, {len(chunks)} chunks "
          f"(median {statistics.median(chunks) / 1024:.0f} KiB, largest {chunks[-1] / 1024:.0f} KiB); "
          f"runtime + entry {fixed / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
