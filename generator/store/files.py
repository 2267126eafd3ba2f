"""Files a build keeps: written atomically, sealed by a checksum or a fixed mtime, listed once
per build instead of asked for one by one, and pruned of what the build did not use."""

from __future__ import annotations

import logging
import os
import stat
import zlib
from collections.abc import Sequence
from pathlib import Path

log = logging.getLogger("generator")


def entry_path(folder: str | Path, name: str, suffix: str) -> str:
    """Where an entry named by a hex digest lives: 256 subfolders keep folders small. A string:
    a rebuild asks where 10,000 pages are, and making each a Path took longer than linking it."""
    return f"{folder}/{name[:2]}/{name}{suffix}"


def write_all(fd: int, data: bytes | memoryview) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


SEAL = b"crc1"  # marks a sealed file: this, the CRC-32 of the rest, then the rest


def sealed(data: bytes) -> bytes:
    """`data` behind a checksum, so a damaged copy is told from a good one (see `unsealed`)."""
    return SEAL + zlib.crc32(data).to_bytes(4, "big") + data


def unsealed(data: bytes) -> bytes | None:
    """What `sealed` sealed, or None if `data` is not sealed or fails its checksum: a flipped bit
    in a marshalled index or table could otherwise load as a different, valid value."""
    body = data[len(SEAL) + 4:]
    if data[:len(SEAL)] != SEAL or zlib.crc32(body).to_bytes(4, "big") != data[len(SEAL):len(SEAL) + 4]:
        return None
    return body


def write_atomically(path: Path, data: bytes | Sequence[bytes | memoryview], read_only: bool = False) -> None:
    """Readers (and an interrupted run) see the old file or the new one, never half of one. The
    temporary file is this process's own (workers and other builds write beside it); one left
    by an interrupted run is pruned with the other unused files. `data` may come in parts,
    written one after the other (the stored fold is 300 MB: joined first, it was copied twice)."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    flags, mode = os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444 if read_only else 0o666
    try:
        fd = os.open(tmp, flags, mode)
    except FileNotFoundError:  # the first entry in its folder
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, flags, mode)
    except FileExistsError:  # left by an interrupted process that had the same pid
        tmp.unlink()
        fd = os.open(tmp, flags, mode)
    try:
        for part in [data] if isinstance(data, bytes) else data:
            write_all(fd, part)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def copy_file(source: str | Path, target: str | Path) -> None:
    """A copy of `source` at `target`, made by the kernel (sendfile), never a hard link: a file in
    `docs/` and one in the cache are never one file, so an edit of either cannot reach the other
    (a page edited in `docs/` was published again by every later build while they were linked)."""
    with open(source, "rb") as read:
        size = os.fstat(read.fileno()).st_size
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        try:
            sent = 0
            while sent < size:
                try:
                    done = os.sendfile(fd, read.fileno(), sent, size - sent)
                except OSError:  # not between these files: read and written
                    done = os.write(fd, os.pread(read.fileno(), min(size - sent, 1 << 20), sent))
                if not done:
                    break
                sent += done
        finally:
            os.close(fd)


def same_bytes(published: str, stored: str) -> bool:
    """Whether `published` is a regular file (not a link to elsewhere) holding exactly the bytes
    of `stored`."""
    try:
        if not stat.S_ISREG(os.lstat(published).st_mode):
            return False
        with open(published, "rb") as a, open(stored, "rb") as b:
            return os.fstat(a.fileno()).st_size == os.fstat(b.fileno()).st_size and a.read() == b.read()
    except OSError:
        return False


def _subfolders(folder: Path) -> list[str]:
    """The two-character subfolders `entry_path` spreads entries over (none if `folder` is missing)."""
    try:
        with os.scandir(folder) as found:
            return [e.path for e in found if e.is_dir() and len(e.name) == 2]
    except OSError:
        return []


def stored_names(folder: Path, suffix: str) -> set[str]:
    """The names of the entries with this suffix, from one listing of each subfolder."""
    names: set[str] = set()
    for sub in _subfolders(folder):
        with os.scandir(sub) as entries:
            names.update(e.name[: -len(suffix)] for e in entries if e.name.endswith(suffix))
    return names


# A stored page's modification time, set when it is written: docs/ gets copies, so an edit there
# never reaches the store, but a page of the store edited by hand loses it: a page that no longer
# has it was changed since and is dropped, never published again (its text cannot be checked
# against the page key, which names its inputs, and reading every page to checksum it costs more).
PAGE_SEAL_NS = 946_684_800 * 1_000_000_000  # 2000-01-01T00:00:00Z


def seal_page(path: str) -> None:
    os.utime(path, ns=(PAGE_SEAL_NS, PAGE_SEAL_NS))


def page_is_sealed(status: os.stat_result) -> bool:
    return stat.S_ISREG(status.st_mode) and status.st_mtime_ns == PAGE_SEAL_NS


def sealed_pages(folder: Path, suffix: str) -> set[str]:
    """`stored_names` of pages, without (and removing) those changed since they were written."""
    names: set[str] = set()
    dropped = 0
    for sub in _subfolders(folder):
        with os.scandir(sub) as entries:
            for e in entries:
                if e.name.endswith(suffix):
                    try:
                        good = page_is_sealed(e.stat(follow_symlinks=False))
                        if not good:
                            os.unlink(e.path)
                    except OSError:
                        good = False
                    if good:
                        names.add(e.name[: -len(suffix)])
                    else:
                        dropped += 1
    if dropped:
        log.warning("%s: %d stored pages were changed since they were written (edited in docs/?); "
                    "dropped and rendered again", folder, dropped)
    return names


class Listing:
    """Which entries with one suffix are on disk, from one listing made when first asked (a large
    cache has tens of thousands: asking the disk per entry costs a stat each)."""

    def __init__(self, folder: Path, suffix: str, sealed: bool = False) -> None:
        self.folder = folder
        self.suffix = suffix
        self.sealed = sealed  # pages: only those `sealed_pages` finds unchanged
        self._names: set[str] | None = None

    def names(self) -> set[str]:
        if self._names is None:
            self._names = (sealed_pages if self.sealed else stored_names)(self.folder, self.suffix)
        return self._names

    def __contains__(self, name: str) -> bool:
        return name in self.names()

    def add(self, name: str) -> None:
        """An entry this process wrote since the listing."""
        if self._names is not None:
            self._names.add(name)


def remove_unused(folder: Path, keep: set[str]) -> int:
    """Delete every file in the subfolders whose name is not in `keep` (leftovers of older
    formats and interrupted writes included); returns how many."""
    removed = 0
    for sub in _subfolders(folder):
        with os.scandir(sub) as entries:
            stale = [e.path for e in entries if e.name not in keep]
        for path in stale:
            try:
                os.unlink(path)
            except FileNotFoundError:
                continue
            removed += 1
    return removed


def remove_subfolders(folder: Path) -> int:
    """Delete the subfolders `entry_path` spreads entries over, with every file in them; returns how many files."""
    removed = remove_unused(folder, set())
    for sub in _subfolders(folder):
        try:
            os.rmdir(sub)
        except OSError:
            continue
    return removed


