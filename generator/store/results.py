"""An on-disk cache of per-article results, keyed by everything that can change them.

The key hashes the article (id, file name, text, metadata), the whole configuration and
the generator's own source code, so a change to any of them misses the cache; nothing is
ever invalidated by time. Entries a run did not use are dropped at its end, so the cache
holds one corpus.

Results and their n-gram counts are rows of the build's `KeyedStore` (one SQLite file); the
corpus fold is one file beside it, unpickled once with the sources' texts memory-mapped.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import marshal
import mmap
import pickle
import zlib
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from ..ingest import FileRecord, KnownArticle
from .files import remove_subfolders, sealed, unsealed, write_atomically
from .keyed import KeyedStore

log = logging.getLogger("generator")
PACKAGE = Path(__file__).parent.parent  # the generator package
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


