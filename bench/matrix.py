"""The rebuild matrix: each kind of change to a cached corpus, rebuilt from the cache and from
nothing, compared by the SHA-256 of the whole docs/ tree (a cached build must be byte-identical
to a clean one). Prints one row per change with both times. Not part of `make test`.

    python bench/matrix.py --size 2000
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.corpus import make_corpus, seed_sentences  # noqa: E402
from generator.config import load_config  # noqa: E402

CONFIG = ROOT / "briefing.yml"


def tree_sha(folder: Path) -> str:
    """One digest of every file's path and bytes under `folder`."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def build(code: Path, seeds: Path, docs: Path, config: Path, cache: Path | None, jobs: int) -> float:
    """Wall seconds of one build by the generator package in `code` (a copy, for the code change)."""
    cmd = [sys.executable, "-m", "generator", "build", "--seeds", str(seeds), "--docs", str(docs),
           "--config", str(config), "--jobs", str(jobs), "-q"] + (["--cache", str(cache)] if cache else [])
    started = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=code, stdout=subprocess.DEVNULL,
                   env={**os.environ, "SOURCE_DATE_EPOCH": "1735689600", "PYTHONPATH": str(code)})
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="briefing-matrix-"))
    try:
        sentences = seed_sentences(ROOT / "seeds", load_config(CONFIG))
        seeds = make_corpus(work / "seeds", args.size, sentences)
        files = sorted(p for p in seeds.iterdir() if p.suffix == ".txt")
        code = work / "code"
        shutil.copytree(ROOT / "generator", code / "generator", ignore=shutil.ignore_patterns("__pycache__"))
        changed_code = work / "changed-code"
        shutil.copytree(code, changed_code)
        with open(changed_code / "generator" / "lead.py", "a", encoding="utf-8") as f:
            f.write("\n# a change to the code: every salt moves\n")
        config = work / "briefing.yml"
        shutil.copyfile(CONFIG, config)
        changed_config = work / "briefing-changed.yml"
        changed_config.write_text(CONFIG.read_text(encoding="utf-8").replace(
            "      gazprom: 3", "      gazprom: 4", 1), encoding="utf-8")  # a term weighs more
        cache = work / "cache"
        first, middle = files[0], files[len(files) // 2]
        saved = {first: first.read_bytes(), middle: middle.read_bytes()}
        added = seeds / "zz-added.txt"

        def restore() -> None:
            for path, data in saved.items():
                path.write_bytes(data)
            added.unlink(missing_ok=True)

        changes: list[tuple[str, Callable[[], object], Path, Path]] = [
            ("add one article", lambda: added.write_text(" ".join(sentences[:20]) + "\n", encoding="utf-8"),
             config, code),
            ("edit the first", lambda: first.write_bytes(saved[first] + b"\nGazprom will send gas to Iran.\n"),
             config, code),
            ("delete one in the middle", middle.unlink, config, code),
            ("change the config", lambda: None, changed_config, code),
            ("change the code", lambda: None, config, changed_code),
        ]
        cold = build(code, seeds, work / "docs", config, cache, args.jobs)
        print(f"{args.size} articles, jobs={args.jobs}; first build with an empty cache {cold:.1f} s")
        print(f"{'change':<26} {'cached s':>8} {'clean s':>8}  same SHA-256")
        for name, change, use_config, use_code in changes:
            change()
            cached_s = build(use_code, seeds, work / "cached", use_config, cache, args.jobs)
            clean_s = build(use_code, seeds, work / "clean", use_config, None, args.jobs)
            same = tree_sha(work / "cached") == tree_sha(work / "clean")
            print(f"{name:<26} {cached_s:>8.1f} {clean_s:>8.1f}  {'yes' if same else 'NO'} "
                  f"{tree_sha(work / 'cached')[:12]}", flush=True)
            restore()
            build(code, seeds, work / "docs", config, cache, args.jobs)  # the cache back to the base corpus
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
