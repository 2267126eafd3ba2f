"""Atomic output and faults of the machine: docs/ and site/ both old or both new, leftovers of
killed builds cleaned, pool workers dying with their parent, OS errors as one line and exit 3."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.cli import main
from generator.pipeline import build
from tests.conftest import CONFIG, MKDOCS_YML, ROOT, write_corpus

ON_TOPIC = "Russia and Iran agreed to build a new gas pipeline and to expand energy trade across the Caspian Sea."
OTHER = "Iran and Russia will route cargo through the North-South transport corridor, officials said."


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


@pytest.fixture
def built(tmp_path):
    """A corpus built once (docs and site), and the corpus changed since."""
    seeds = write_corpus(tmp_path / "seeds", {"a.txt": ON_TOPIC + "\n"})
    out = tmp_path / "out"
    build(seeds, out / "docs", CONFIG, site=out / "site", mkdocs_yml=MKDOCS_YML)
    write_corpus(seeds, {"b.txt": OTHER + "\n"})
    return seeds, out, tree(out / "docs"), tree(out / "site")


def test_a_failed_docs_swap_leaves_site_old_too(built, monkeypatch):
    seeds, out, docs_before, site_before = built
    real_rename = os.rename

    def rename(src, dst, *args, **kwargs):
        if Path(dst) == out / "docs" and "build-tmp" in str(src):
            raise OSError(errno.EIO, "injected failure", str(dst))
        return real_rename(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(OSError):
        build(seeds, out / "docs", CONFIG, site=out / "site", mkdocs_yml=MKDOCS_YML)
    monkeypatch.undo()
    assert tree(out / "docs") == docs_before
    assert tree(out / "site") == site_before
    assert leftovers(out) == []


KILL_DURING_SWAP = """
import os, signal, sys
from pathlib import Path
from generator.pipeline import build
seeds, out, config, mkdocs_yml = map(Path, sys.argv[1:])
real_rename = os.rename
def rename(src, dst, *args, **kwargs):
    if Path(dst) == out / "docs" and "build-tmp" in str(src):
        os.kill(os.getpid(), signal.SIGKILL)  # killed between the site's rename and the docs'
    return real_rename(src, dst, *args, **kwargs)
os.rename = rename
build(seeds, out / "docs", config, site=out / "site", mkdocs_yml=mkdocs_yml)
"""


def test_a_build_killed_during_the_swap_is_rolled_back_by_the_next(built):
    seeds, out, docs_before, site_before = built
    killed = subprocess.run([sys.executable, "-c", KILL_DURING_SWAP, str(seeds), str(out), str(CONFIG),
                             str(MKDOCS_YML)], cwd=ROOT, capture_output=True, text=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert main(["build", "--seeds", str(out / "no-such-seeds"), "--docs", str(out / "docs"), "--site",
                 str(out / "site"), "--config", str(CONFIG), "-q"]) == 2  # stops early, after cleaning up
    assert tree(out / "docs") == docs_before
    assert tree(out / "site") == site_before
    assert leftovers(out) == []


def test_leftovers_of_killed_builds_are_removed_by_the_next(tmp_path):
    seeds = write_corpus(tmp_path / "seeds", {"a.txt": ON_TOPIC + "\n"})
    pid = dead_pid()
    for name in (f".build-tmp-{pid}-x1y2", f".docs.old-{pid}"):
        (tmp_path / name / "sub").mkdir(parents=True)
    running = tmp_path / f".build-tmp-{os.getpid()}-busy"  # a build running now is left alone
    running.mkdir()
    build(seeds, tmp_path / "docs", CONFIG)
    assert leftovers(tmp_path) == [running.name]


WORKERS = """
import os, sys, time
from pathlib import Path
import generator.pipeline as pipeline
def stuck(article, config, analysers):
    with open(sys.argv[3], "a") as f:
        f.write(f"{os.getpid()}\\n")
    time.sleep(3600)
pipeline.analyse_article = stuck
pipeline.build(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[4]), jobs=2)
"""


def test_pool_workers_die_with_a_killed_build(tmp_path):
    seeds = write_corpus(tmp_path / "seeds", {f"a{i}.txt": ON_TOPIC + "\n" for i in range(12)})
    pids = tmp_path / "pids"
    pids.touch()
    parent = subprocess.Popen([sys.executable, "-c", WORKERS, str(seeds), str(tmp_path / "docs"), str(pids),
                               str(CONFIG)], cwd=ROOT)
    try:
        for _ in range(600):  # until both workers are at work (at most a minute)
            if len(pids.read_text().split()) >= 2:
                break
            time.sleep(0.1)
        workers = [int(p) for p in pids.read_text().split()]
        assert len(workers) >= 2
    finally:
        parent.kill()
        parent.wait()
    for _ in range(100):  # the kernel signals them at once; allow for a loaded machine
        if not any(running(pid) for pid in workers):
            break
        time.sleep(0.1)
    alive = [pid for pid in workers if running(pid)]
    for pid in alive:
        os.kill(pid, signal.SIGKILL)
    assert alive == []


def running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_an_os_error_is_one_line_and_exit_3(tmp_path, capsys):
    seeds = write_corpus(tmp_path / "seeds", {"a.txt": ON_TOPIC + "\n"})
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    code = main(["build", "--seeds", str(seeds), "--docs", str(blocker / "docs"), "--config", str(CONFIG), "-q"])
    err = capsys.readouterr().err
    assert code == 3
    assert err.count("\n") == 1 and str(blocker) in err and "Traceback" not in err


@pytest.mark.skipif(not Path("/dev/shm").is_dir(), reason="needs a second filesystem")
def test_site_on_another_filesystem(tmp_path):
    import tempfile
    with tempfile.TemporaryDirectory(dir="/dev/shm") as other:
        if os.stat(other).st_dev == os.stat(tmp_path).st_dev:
            pytest.skip("/dev/shm is on the same filesystem")
        seeds = write_corpus(tmp_path / "seeds", {"a.txt": ON_TOPIC + "\n"})
        assert main(["build", "--seeds", str(seeds), "--docs", str(tmp_path / "docs"), "--site",
                     str(Path(other) / "site"), "--config", str(CONFIG), "--mkdocs-config", str(MKDOCS_YML),
                     "-q"]) == 0
        assert (Path(other) / "site" / "index.html").exists()
