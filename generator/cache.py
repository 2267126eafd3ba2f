"""An on-disk cache of per-article results, keyed by everything that can change them.

The key hashes the article (id, file name, text, metadata), the whole configuration and
the generator's own source code, so a change to any of them misses the cache; nothing is
ever invalidated by time. Entries a run did not use are deleted at its end, so the cache
holds exactly one corpus.

A large corpus means tens of thousands of entries, and on a local disk each file created
costs more than the few kilobytes written into it: an article's result is one file (its
n-gram counts after the pickled result), which entries exist is read from the folder
listing once instead of asked per article, and folders are made only when a write finds
one missing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import marshal
import mmap
import os
import pickle
import secrets
import shutil
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

PACKAGE = Path(__file__).parent
TOTALS = "corpus-totals.marshal"
RESULT = ".result"
HEADER = 8  # bytes: the length of the pickled result, which the counts follow


def code_fingerprint() -> str:
    """The generator's code, templates and assets: a change to any of them can change a result or a page."""
    digest = hashlib.sha256()
    for path in sorted(p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def entry_path(folder: Path, name: str, suffix: str) -> Path:
    """Where an entry named by a hex digest lives: 256 subfolders keep folders small."""
    return folder / name[:2] / f"{name}{suffix}"


def write_atomically(path: Path, data: bytes, read_only: bool = False) -> None:
    """Readers (and an interrupted run) see the old file or the new one, never half of one. The
    temporary file is this process's own (workers and other builds write beside it); one left
    by an interrupted run is pruned with the other unused files."""
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
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)
    os.replace(tmp, path)


def link_or_copy(source: Path, target: Path) -> None:
    """A hard link to `source` (which must never be written through), or a copy where the
    filesystem allows no link (another device, say)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


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


class Listing:
    """Which entries with one suffix are on disk, from one listing made when first asked (a large
    cache has tens of thousands: asking the disk per entry costs a stat each)."""

    def __init__(self, folder: Path, suffix: str) -> None:
        self.folder = folder
        self.suffix = suffix
        self._names: set[str] | None = None

    def names(self) -> set[str]:
        if self._names is None:
            self._names = stored_names(self.folder, self.suffix)
        return self._names

    def __contains__(self, name: str) -> bool:
        return name in self.names()

    def add(self, name: str) -> None:
        """An entry written since the listing (by this process or another of the same build)."""
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


def _result_size(f: BinaryIO) -> int:
    """The length of the pickled result in an entry file opened at its start; a header that
    promises more than the file holds (a damaged or truncated entry) raises EOFError."""
    size = int.from_bytes(f.read(HEADER), "big")
    if HEADER + size > os.fstat(f.fileno()).st_size:
        raise EOFError(f"{f.name}: entry shorter than its header says")
    return size


class ResultCache:
    def __init__(self, folder: Path, config: Any) -> None:
        self.folder = folder
        config_json = json.dumps(dataclasses.asdict(config), sort_keys=True, ensure_ascii=False)
        self.salt = hashlib.sha256((code_fingerprint() + config_json).encode()).hexdigest()
        self.used: set[str] = set()  # names of the entries this run read or wrote
        self._names: dict[str, str] = {}  # file name -> entry name
        self._stored = Listing(folder, RESULT)  # entries on disk when the run began
        self.content_keys: dict[str, str] = {}  # article id -> the hash naming its entry
        self.hits = 0
        self.misses = 0

    def __getstate__(self) -> dict[str, Any]:
        """What a worker needs to store results: not the main process's bookkeeping."""
        return {**self.__dict__, "used": set(), "_names": {}, "_stored": Listing(self.folder, RESULT),
                "content_keys": {}}

    def key(self, article: Any) -> str:
        """The entry's name; computed once per article and run (asked for by `has`, then by `get` or `put`)."""
        name = self._names.get(article.filename)
        if name is None:
            digest = hashlib.sha256(self.salt.encode())
            # The metadata's fields by name, as dataclasses.asdict gives them (its deep copy took
            # half the time of keying an article).
            meta = {f.name: getattr(article.meta, f.name) for f in dataclasses.fields(article.meta)}
            header = json.dumps([article.id, article.filename, meta], ensure_ascii=False)
            for part in (header, article.text):
                encoded = part.encode("utf-8", "surrogatepass")
                digest.update(len(encoded).to_bytes(8, "big") + encoded)
            name = self._names[article.filename] = digest.hexdigest()
            self.content_keys[article.id] = name
        return name

    def path(self, name: str) -> Path:
        return entry_path(self.folder, name, RESULT)

    def stored(self) -> set[str]:
        """The names of the entries on disk when the run began."""
        return self._stored.names()

    def has(self, article: Any) -> bool:
        """Whether an entry exists (it is read later, by `get`); an absent one counts as a miss."""
        if self.key(article) in self.stored():
            return True
        self.misses += 1
        return False

    def get(self, article: Any) -> Any | None:
        name = self.key(article)
        self.used.add(name)
        try:
            with open(self.path(name), "rb") as f:
                data = f.read(_result_size(f))
            result = pickle.loads(data)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
            self.misses += 1
            return None
        self.hits += 1
        return result

    def put_encoded(self, article: Any, entry: bytes, counts: bytes | None) -> None:
        """An entry already pickled, followed by the article's n-gram counts (marshalled): those
        are needed only when the corpus totals change, so loading an entry does not read them."""
        name = self.key(article)
        self.used.add(name)
        write_atomically(self.path(name), len(entry).to_bytes(HEADER, "big") + entry + (counts or b""))

    def counts(self, content_key: str) -> Counter | None:
        try:
            with open(self.path(content_key), "rb") as f:
                f.seek(HEADER + _result_size(f))
                data = f.read()
            return Counter(marshal.loads(data)) if data else None
        except (OSError, EOFError, ValueError, TypeError):
            return None

    def load_totals(self) -> tuple[frozenset[str], Counter] | None:
        """The corpus-wide n-gram counts of the last run and the articles (by key) they sum."""
        try:
            salt, keys, totals = marshal.loads((self.folder / TOTALS).read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return None
        return (frozenset(keys), Counter(totals)) if salt == self.salt else None

    def save_totals(self, keys: Iterable[str], totals: Counter) -> None:
        write_atomically(self.folder / TOTALS, marshal.dumps((self.salt, sorted(keys), dict(totals))))

    def prune(self) -> int:
        """Delete the entries this run did not use; returns how many files."""
        return remove_unused(self.folder, {name + RESULT for name in self.used})


class PageStore:
    """Source pages as earlier builds rendered them, keyed by everything they show (the article's
    cache key, its label, citations, keywords and copy relations), so a rebuild renders only the
    pages that changed and links the rest into place; beside them, the `briefing.json` entries
    of the last build (see `EntryPack`). Pages are read-only: a page linked into `docs/` must
    never be edited through it."""

    PAGE = ".md"

    def __init__(self, folder: Path, salt: str) -> None:
        self.folder = folder
        self.salt = salt
        self.used: set[str] = set()  # file names of the pages this build linked or wrote
        self._stored = Listing(folder, self.PAGE)  # pages on disk when the build began

    def key(self, parts: Any) -> str:
        """`parts` are lists, strings, numbers and booleans, whose repr is stable (and cheaper than JSON)."""
        return hashlib.sha256(repr([self.salt, parts]).encode("utf-8", "surrogatepass")).hexdigest()

    def path(self, key: str) -> Path:
        return entry_path(self.folder, key, self.PAGE)

    def has(self, key: str) -> bool:
        return key in self._stored

    def written(self, key: str) -> None:
        """A page another process of this build stored."""
        self._stored.add(key)

    def find(self, key: str) -> Path | None:
        """The stored page, if an earlier build (or this one's pool, which says so by `written`)
        wrote it: the listing answers, not a stat per page."""
        if not self.has(key):
            return None
        self.used.add(key + self.PAGE)
        return self.path(key)

    def put(self, key: str, text: str) -> Path:
        path = self.path(key)
        write_atomically(path, text.encode("utf-8", "surrogatepass"), read_only=True)
        self.used.add(key + self.PAGE)
        return path

    def prune(self) -> int:
        return remove_unused(self.folder, self.used)


class EntryPack:
    """The `briefing.json` of the last build, linked here, with where each source's entry lies
    in it (by page key): a rebuild copies unchanged entries out of it instead of rendering
    them again, and no build writes an entry twice. The file is read-only, as the page linked
    into `docs/` is; the index names the pack, its size and its modification time, so a pack that
    is missing, or not the one indexed, is never read."""

    INDEX = "entries.index"

    def __init__(self, folder: Path, salt: str) -> None:
        self.folder = folder
        self.salt = salt
        self.spans: dict[str, tuple[int, int]] = {}
        self._pack: mmap.mmap | None = None
        try:
            salt_read, name, stamp, spans = marshal.loads((folder / self.INDEX).read_bytes())
            if salt_read == salt:
                with open(folder / name, "rb") as f:
                    found = os.fstat(f.fileno())
                    if (found.st_size, found.st_mtime_ns) == tuple(stamp) and found.st_size:
                        self._pack = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
                        self.spans = spans
        except (OSError, EOFError, ValueError, TypeError):
            pass

    def has(self, key: str) -> bool:
        return self._pack is not None and key in self.spans

    def entry(self, key: str) -> str | None:
        if not self.has(key):
            return None
        start, end = self.spans[key]
        return self._pack[start:end].decode("utf-8", "surrogatepass")  # type: ignore[index]

    def close(self) -> None:
        if self._pack is not None:
            self._pack.close()
            self._pack = None

    def save(self, written: Path, spans: dict[str, tuple[int, int]]) -> None:
        """Keep `written` (this build's briefing.json, made read-only) as the next build's pack."""
        self.close()
        os.chmod(written, 0o444)
        name = f"entries-{secrets.token_hex(8)}.json"
        self.folder.mkdir(parents=True, exist_ok=True)
        link_or_copy(written, self.folder / name)
        kept = (self.folder / name).stat()
        write_atomically(self.folder / self.INDEX,
                         marshal.dumps((self.salt, name, (kept.st_size, kept.st_mtime_ns), spans)))
        for old in self.folder.glob("entries-*.json"):
            if old.name != name:
                old.unlink(missing_ok=True)
