"""Swap finished output trees into place together, and clean up after builds that were killed.

A build writes docs/ and site/ into staging folders beside them and renames them into place
at the end. Two renames are not one, so the swap keeps a journal: it moves every old tree
aside, writes down what it did, moves every new tree in, and only then deletes the journal.
A build that finds a journal of a process no longer running rolls that swap back, so docs/
and site/ are both old or both new; staging folders and old trees of dead builds are removed.
Every name made here carries the process id, which is how a later build tells a leftover
(its process is gone) from the work of a build running now.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

STAGING = ".build-tmp-"
JOURNAL = ".build-swap-"
LEFTOVER = re.compile(rf"{re.escape(STAGING)}(?P<a>\d+)-.*|{re.escape(JOURNAL)}(?P<b>\d+)\.json")


def alive(pid: int) -> bool:
    """Whether a process of that id runs (one of another user counts as running)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def staging(next_to: Path) -> Iterator[Path]:
    """A scratch folder beside `next_to` (so on its filesystem: a rename into place cannot
    cross devices), removed whatever happens; its name says which process made it."""
    next_to.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f"{STAGING}{os.getpid()}-", dir=next_to.parent))
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _aside(target: Path) -> Path:
    return target.with_name(f".{target.name}.old-{os.getpid()}")


def _roll_back(plan: list[dict[str, str | None]]) -> None:
    """Put every target back as it was before the swap the plan describes (its journal)."""
    for step in plan:
        target, old = Path(str(step["target"])), step["old"]
        if old is not None and not Path(old).exists():
            continue  # never moved aside (or already put back): the target is the old one
        if target.exists() or target.is_symlink():
            shutil.rmtree(target) if target.is_dir() and not target.is_symlink() else target.unlink()
        if old is not None:
            os.rename(old, target)


def swap_all(pairs: list[tuple[Path, Path]], journal_folder: Path) -> None:
    """Replace each target by its new tree: afterwards all are new, or, if this fails or the
    process is killed half way, all are old (at once, or at the next build's `clean_leftovers`)."""
    plan: list[dict[str, str | None]] = [
        {"target": str(target.absolute()),
         "old": str(_aside(target).absolute()) if target.exists() or target.is_symlink() else None}
        for _, target in pairs]
    journal = journal_folder / f"{JOURNAL}{os.getpid()}.json"
    with open(journal, "w", encoding="utf-8") as f:
        json.dump(plan, f)
        f.flush()
        os.fsync(f.fileno())
    try:
        for step in plan:
            old = step["old"]
            if old is not None:
                if os.path.lexists(old):
                    shutil.rmtree(old)
                os.rename(str(step["target"]), old)
        for (new, _), step in zip(pairs, plan, strict=True):
            os.rename(new, str(step["target"]))
    except BaseException:
        _roll_back(plan)
        journal.unlink()
        raise
    journal.unlink()  # the commit: from here on the new trees stand
    for step in plan:
        if step["old"] is not None:
            shutil.rmtree(str(step["old"]), ignore_errors=True)


def clean_leftovers(targets: Iterable[Path]) -> list[str]:
    """Finish what killed builds left beside these output folders: roll back their half-done
    swaps, then remove their staging folders and old trees. Returns what was done, one line each."""
    done = []
    found = []
    by_folder: dict[Path, set[str]] = {}
    for target in targets:
        by_folder.setdefault(target.absolute().parent, set()).add(target.name)
    for folder, names in by_folder.items():
        olds = re.compile("|".join(rf"\.{re.escape(n)}\.old-(?P<p{i}>\d+)" for i, n in enumerate(sorted(names))))
        try:
            entries = os.listdir(folder)
        except (FileNotFoundError, NotADirectoryError):
            continue
        for name in entries:
            m = LEFTOVER.fullmatch(name) or olds.fullmatch(name)
            if m is not None and not alive(int(next(g for g in m.groups() if g is not None))):
                found.append(folder / name)
    for path in sorted(p for p in found if p.name.startswith(JOURNAL)):
        plan = json.loads(path.read_text(encoding="utf-8"))
        _roll_back(plan)
        path.unlink()
        done.append(f"rolled back the swap a killed build left half done ({', '.join(s['target'] for s in plan)})")
    for path in sorted(p for p in found if not p.name.startswith(JOURNAL)):
        if os.path.lexists(path):
            shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
            done.append(f"removed {path}, left by a killed build")
    return done
