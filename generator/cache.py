"""An on-disk cache of per-article results, keyed by everything that can change them.

The key hashes the article (id, file name, text, metadata), the whole configuration and
the generator's own source code, so a change to any of them misses the cache; nothing is
ever invalidated by time. Entries a run did not use are dropped at its end, so the cache
holds one corpus.

A large corpus means tens of thousands of entries, and on a local disk each file created
costs more than the few kilobytes written into it: results are appended to a few pack files
(each article's n-gram counts after its pickled result) with an index of where each lies,
and source pages, which `docs/` needs as files, are one file each, listed once per build
instead of asked for one by one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import marshal
import mmap
import os
import pickle
import re
import secrets
import stat
import zlib
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from .ingest import FileRecord, KnownArticle
from .store import KeyedStore

log = logging.getLogger("generator")
PACKAGE = Path(__file__).parent
TOTALS = "corpus-totals"
FOLD = "corpus.fold"
FILES = "files"
TOPIC_KEYWORDS = "topic-keywords"
# Files of the cache's older format (packs of results and marshalled side files), removed by `prune`.
OLD_FILES = ("results.index", "corpus-totals.marshal", "files.index", "topic-keywords.marshal",
             "pages/placed.index", "pages/entries.index")


def code_fingerprint() -> str:
    """The generator's code, templates and assets: a change to any of them can change a result or a page."""
    digest = hashlib.sha256()
    for path in sorted(p for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


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


def _body_matches(stored: BinaryIO, size: Any, crc: Any) -> bool:
    """Whether the rest of `stored`, from where it stands, is `size` bytes with this CRC-32:
    checked through a memory map (0.16 s for 300 MB), so nothing is copied."""
    start = stored.tell()
    try:
        with mmap.mmap(stored.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            if len(mapped) - start != size:
                return False
            with memoryview(mapped) as whole, whole[start:] as body:
                return zlib.crc32(body) == crc
    except (OSError, ValueError):
        return False


class ResultCache:
    """Each article's result and n-gram counts by its cache key, and what a build carries over
    to the next (corpus totals, file stamps, YAKE's memo), in the one keyed store (see
    generator/store); the fold, which loads faster as one memory-mapped file, beside it. Only
    the main process uses it (workers send the pickled bytes back anyway)."""

    def __init__(self, folder: Path, config: Any) -> None:
        self.folder = folder
        config_json = json.dumps(dataclasses.asdict(config), sort_keys=True, ensure_ascii=False)
        self.salt = hashlib.sha256((code_fingerprint() + config_json).encode()).hexdigest()
        self.used: set[str] = set()  # names of the entries this run read or wrote
        self._names: dict[str, str] = {}  # file name -> entry name
        self.content_keys: dict[str, str] = {}  # article id -> the hash naming its entry
        self.hits = 0
        self.misses = 0
        self.store = KeyedStore(folder)
        self._stored: set[str] | None = None  # read when first asked

    def key(self, article: Any) -> str:
        """The entry's name; computed once per article and run (asked for by `has`, then by `get` or
        `put`), or known without reading the file (a KnownArticle)."""
        if isinstance(article, KnownArticle):  # read again if its entry is unusable, and keyed by what is read
            self.content_keys[article.id] = article.content_key
            return article.content_key
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

    def stored(self) -> Collection[str]:
        """The names of the entries stored when the run began (and those it added since)."""
        if self._stored is None:
            self._stored = self.store.names()
        return self._stored

    def has(self, article: Any) -> bool:
        """Whether an entry exists (it is read later, by `get`); an absent one counts as a miss."""
        if self.key(article) in self.stored():
            return True
        self.misses += 1
        return False

    def get(self, article: Any) -> Any | None:
        name = self.key(article)
        self.used.add(name)
        data = self.store.result(name)  # None if it fails its checksum: never unpickled, a pickle is code
        try:
            if data is None:
                raise ValueError(name)
            result = pickle.loads(data)
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError, IndexError):
            self.misses += 1
            return None
        self.hits += 1
        return result

    def reuse(self, article: Any) -> None:
        """An article whose result this run takes from the stored fold: its entry is kept, unread."""
        self.used.add(self.key(article))
        self.hits += 1

    def put_encoded(self, article: Any, entry: bytes, counts: bytes | None) -> None:
        """An entry already pickled, and the article's n-gram counts (marshalled): those are
        needed only when the corpus totals change, so loading an entry does not read them."""
        name = self.key(article)
        self.stored()
        self.store.put_result(name, entry, counts or b"")
        assert self._stored is not None
        self._stored.add(name)
        self.used.add(name)

    def counts(self, content_key: str) -> Counter | None:
        data = self.store.counts(content_key)
        try:
            return Counter(marshal.loads(data)) if data else None
        except (EOFError, ValueError, TypeError):
            return None

    def _load_salted(self, name: str) -> Any:
        data = self.store.value(name, self.salt)
        try:
            return marshal.loads(data) if data is not None else None
        except (EOFError, ValueError, TypeError):
            return None

    def _save_salted(self, name: str, payload: Any) -> None:
        self.store.put_value(name, self.salt, marshal.dumps(payload))

    def load_totals(self) -> tuple[frozenset[str], Counter] | None:
        """The corpus-wide n-gram counts of the last run and the articles (by key) they sum."""
        try:
            keys, totals = self._load_salted(TOTALS)
            return frozenset(keys), Counter(totals)
        except (TypeError, ValueError):  # none stored, or not a pair of keys and counts
            return None

    def save_totals(self, keys: Iterable[str], totals: Counter) -> None:
        self._save_salted(TOTALS, (sorted(keys), dict(totals)))

    def load_keyword_memo(self) -> dict[str, list[tuple[str, float]]]:
        """YAKE's keywords of the texts the last run gave it (see keywords.YakeMemo); nothing if
        none are stored, or not as they were stored."""
        found = self._load_salted(TOPIC_KEYWORDS)
        if not isinstance(found, dict) or not all(
                isinstance(key, str) and isinstance(keywords, list) and all(
                    isinstance(k, tuple) and len(k) == 2 and isinstance(k[0], str) and type(k[1]) is float
                    for k in keywords)
                for key, keywords in found.items()):
            return {}
        return found

    def save_keyword_memo(self, memo: dict[str, list[tuple[str, float]]]) -> None:
        self._save_salted(TOPIC_KEYWORDS, memo)

    def load_fold(self) -> tuple[list[str | None], BinaryIO] | None:
        """The keys of the articles the stored fold (see fold.py) is made of, and the file open
        where the fold itself begins: it is read only if a build can use it (the caller closes it).
        The fold is a pickle, and a pickle is code: one whose checksum fails is never unpickled,
        but dropped with a warning, and the build makes the corpus again from the results."""
        try:
            stored = open(self.folder / FOLD, "rb")  # noqa: SIM115 - closed by the caller, or below
        except OSError:
            return None
        try:
            size = int.from_bytes(stored.read(8), "big")
            salt, keys, body_size, body_crc = marshal.loads(unsealed(stored.read(size)) or b"")
        except (OSError, EOFError, ValueError, TypeError):
            salt, keys, body_size, body_crc = None, None, None, None
        if salt != self.salt or not isinstance(keys, list):
            stored.close()
            return None
        if not _body_matches(stored, body_size, body_crc):
            stored.close()
            log.warning("%s: the stored corpus fails its checksum (damaged); dropped and made again",
                        self.folder / FOLD)
            (self.folder / FOLD).unlink(missing_ok=True)
            return None
        return keys, stored

    def save_fold(self, keys: list[str | None], data: Sequence[bytes | memoryview]) -> None:
        """Stored with the salt, the article keys and the fold's size and CRC-32 ahead of it
        (sealed), so a build reads those alone to learn whether it can use the fold, and checks
        the fold before it unpickles any of it."""
        crc = 0
        for part in data:
            crc = zlib.crc32(part, crc)
        header = sealed(marshal.dumps((self.salt, keys, sum(len(part) for part in data), crc)))
        write_atomically(self.folder / FOLD, [len(header).to_bytes(8, "big") + header, *data])

    def load_files(self) -> dict[str, FileRecord]:
        """What the last run learnt of each article file (see ArticleStream); nothing after a change
        of code or configuration, whose keys would differ."""
        try:
            records = self._load_salted(FILES)
            return {name: FileRecord(tuple(stamp), identity, key, tuple(reasons))  # type: ignore[arg-type]
                    for name, (stamp, identity, key, reasons) in records.items()}
        except (ValueError, TypeError, AttributeError):  # none stored, or records of another shape
            return {}

    def save_files(self, records: dict[str, FileRecord]) -> None:
        self._save_salted(FILES, {name: (r.stamp, r.identity, r.content_key, r.reasons) for name, r in records.items()})

    def prune(self) -> int:
        """Delete the entries this run did not use, and the files of older cache formats; returns
        how many went."""
        removed = self.store.keep_only(self.used)
        self.store.commit()
        self._stored = None
        for old in [*self.folder.glob("results-*.pack"), *(self.folder / name for name in OLD_FILES)]:
            if old.exists():
                old.unlink(missing_ok=True)
                removed += 1
        return removed + remove_subfolders(self.folder)  # entries of the older one-file-per-article format

    def close(self) -> None:
        self.store.close()


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
