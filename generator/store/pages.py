"""Source pages as earlier builds rendered them, and the `briefing.json` entries beside them:
files, since `docs/` needs files (see `PageStore`)."""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import secrets
from pathlib import Path
from typing import Any

from .files import (
    Listing,
    copy_file,
    entry_path,
    page_is_sealed,
    remove_unused,
    same_bytes,
    seal_page,
    write_atomically,
)
from .keyed import KeyedStore

PLACED_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # as ingest.slugify makes them
HEX_KEY = re.compile(r"[0-9a-f]{64}")


class PageStore:
    """Source pages as earlier builds rendered them, keyed by everything they show (the article's
    cache key, its label, citations, keywords and copy relations), so a rebuild renders only the
    pages that changed and copies the rest into place; beside them, the `briefing.json` entries
    of the last build (see `EntryPack`). `docs/` gets copies, never links: an edit there stays
    there, and the next build replaces it."""

    PAGE = ".md"
    PLACED = "placed-pages"  # which page each source had in the last build (see `place_pages`)

    def __init__(self, folder: Path, salt: str, values: KeyedStore | None = None) -> None:
        self.folder = folder
        self.salt = salt
        self.values = values if values is not None else KeyedStore(folder)  # the build's store, in a build
        self.used: set[str] = set()  # file names of the pages this build copied or wrote
        self._stored = Listing(folder, self.PAGE, sealed=True)  # pages on disk when the build began, and those it wrote

    def key(self, parts: Any) -> str:
        """`parts` are lists, tuples, strings, numbers and booleans. Marshal format 2 writes each
        value whole, by type and content (later formats refer back to objects seen before, so the
        bytes would depend on which equal strings are one object): 0.14 s for 10,000 sources'
        inputs, where their repr took 0.35 s."""
        return hashlib.sha256(marshal.dumps([self.salt, parts], 2)).hexdigest()

    def path(self, key: str) -> str:
        return entry_path(self.folder, key, self.PAGE)

    def has(self, key: str) -> bool:
        return key in self._stored

    def find(self, key: str) -> str | None:
        """The stored page's path, if an earlier build or this one wrote it: the listing answers,
        not a stat per page."""
        if not self.has(key):
            return None
        self.used.add(key + self.PAGE)
        return self.path(key)

    def put(self, key: str, text: str) -> str:
        path = self.path(key)
        write_atomically(Path(path), text.encode("utf-8", "surrogatepass"), read_only=True)
        seal_page(path)
        self._stored.add(key)
        self.used.add(key + self.PAGE)
        return path

    def prune(self) -> int:
        return remove_unused(self.folder, self.used)

    def save_placed(self, keys: dict[str, str]) -> None:
        """Which page each source had in this build (source id -> page key), for `place_pages`."""
        self.values.put_value(self.PLACED, self.salt, marshal.dumps(keys))

    def placed_before(self) -> dict[str, str]:
        """Which page each source had in the last build, if it recorded them under this code and
        configuration: read here, in the process that holds the store, for `place_pages`."""
        try:
            keys = marshal.loads(self.values.value(self.PLACED, self.salt) or b"")
        except (EOFError, ValueError, TypeError):
            return {}
        return keys if isinstance(keys, dict) else {}

    def place_pages(self, folder: str, keys: dict[str, str], published: str | None = None) -> dict[str, str]:
        """Put the pages the last build had (`keys`, from `placed_before`) into `folder` (as
        `{source id}.md`) before this build knows its own: most stay as they were, and this runs
        while the corpus is being loaded, where a core is idle. A page is never a link into the
        store: it is the published page of the last build (in `published`, the live
        docs/sources) linked again when that is a regular file byte for byte the stored page
        (an edit made there fails the check), else a copy of the stored page. Reading both
        costs less than writing a file: copying every page doubled a 3,000-page rebuild's
        system time. Returns the pages put (source id -> page key); the build keeps those whose
        key is still theirs and replaces or removes the rest. A page that cannot be put is left
        to the build."""
        placed = {}
        try:
            os.makedirs(folder, exist_ok=True)
        except OSError:
            return {}
        for source_id, key in keys.items():
            if not (isinstance(source_id, str) and PLACED_ID.fullmatch(source_id)
                    and isinstance(key, str) and HEX_KEY.fullmatch(key)):
                continue  # a damaged record: never a path outside `folder`
            try:
                if not page_is_sealed(os.stat(self.path(key))):
                    continue  # changed since it was written: the build drops it and renders the page
                target = f"{folder}/{source_id}.md"
                last = f"{published}/{source_id}.md" if published is not None else None
                if last is not None and same_bytes(last, self.path(key)):
                    os.link(last, target, follow_symlinks=False)
                else:
                    copy_file(self.path(key), target)
            except OSError:
                continue
            placed[source_id] = key
        return placed


class EntryPack:
    """A copy of the `briefing.json` of the last build, with where each source's entry lies
    in it (by page key): a rebuild copies unchanged entries out of it instead of rendering
    them again, and no build writes an entry twice. The copy is read-only; the index names the
    pack, its size and its modification time, so a pack that is missing, or not the one
    indexed, is never read."""

    INDEX = "entry-pack"

    def __init__(self, folder: Path, salt: str, values: KeyedStore | None = None) -> None:
        self.folder = folder
        self.salt = salt
        self.values = values if values is not None else KeyedStore(folder)  # the build's store, in a build
        self.spans: dict[str, tuple[int, int]] = {}
        self._fd: int | None = None
        try:
            name, stamp, spans = marshal.loads(self.values.value(self.INDEX, salt) or b"")
            if isinstance(name, str) and "/" not in name:
                fd = os.open(folder / name, os.O_RDONLY)
                found = os.fstat(fd)
                if (found.st_size, found.st_mtime_ns) == tuple(stamp) and found.st_size:
                    self._fd, self.spans = fd, spans
                else:
                    os.close(fd)
        except (OSError, EOFError, ValueError, TypeError):
            pass

    def has(self, key: str) -> bool:
        return self._fd is not None and key in self.spans

    def span(self, key: str) -> tuple[int, int] | None:
        """Where the entry lies in the pack, in bytes; None if the pack has none for `key`."""
        return self.spans[key] if self.has(key) else None

    def copy_range(self, start: int, end: int, target: int) -> None:
        """Bytes [start, end) of the pack appended to the file open as `target`: copied inside the
        kernel where it can (copy_file_range), else read and written."""
        assert self._fd is not None
        copy = getattr(os, "copy_file_range", None)  # not on every system
        while start < end:
            try:
                copied = copy(self._fd, target, end - start, start) if copy else None
            except OSError:  # refused between these filesystems, say
                copied = None
            if copied is None:
                copied = os.write(target, os.pread(self._fd, min(end - start, 1 << 20), start))
            if not copied:
                raise OSError(f"{self.folder}: the entry pack is shorter than its index says")
            start += copied

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def save(self, written: Path, spans: dict[str, tuple[int, int]]) -> None:
        """Keep a copy of `written` (this build's briefing.json) as the next build's pack."""
        self.close()
        name = f"entries-{secrets.token_hex(8)}.json"
        self.folder.mkdir(parents=True, exist_ok=True)
        copy_file(written, self.folder / name)
        os.chmod(self.folder / name, 0o444)
        kept = (self.folder / name).stat()
        self.values.put_value(self.INDEX, self.salt, marshal.dumps((name, (kept.st_size, kept.st_mtime_ns), spans)))
        for old in self.folder.glob("entries-*.json"):
            if old.name != name:
                old.unlink(missing_ok=True)
