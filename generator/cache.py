"""An on-disk cache of per-article results, keyed by everything that can change them.

The key hashes the article (id, file name, text, metadata), the whole configuration and
the generator's own source code, so a change to any of them misses the cache; nothing is
ever invalidated by time. Entries a run did not use are deleted at its end, so the cache
holds exactly one corpus.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import marshal
import pickle
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).parent
TOTALS = "corpus-totals.marshal"


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
    """Readers (and an interrupted run) see the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    if read_only:
        tmp.chmod(0o444)
    tmp.replace(path)


def remove_unused(paths: Iterable[Path], used: set[Path]) -> int:
    removed = 0
    for path in paths:
        if path not in used:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


class ResultCache:
    def __init__(self, folder: Path, config: Any) -> None:
        self.folder = folder
        config_json = json.dumps(dataclasses.asdict(config), sort_keys=True, ensure_ascii=False)
        self.salt = hashlib.sha256((code_fingerprint() + config_json).encode()).hexdigest()
        self.used: set[Path] = set()
        self._keys: dict[str, Path] = {}
        self.content_keys: dict[str, str] = {}  # article id -> the hash naming its entry
        self.hits = 0
        self.misses = 0

    def key(self, article: Any) -> Path:
        """Computed once per article and run (asked for by `has`, then by `get` or `put`)."""
        path = self._keys.get(article.filename)
        if path is None:
            digest = hashlib.sha256(self.salt.encode())
            header = json.dumps([article.id, article.filename, dataclasses.asdict(article.meta)], ensure_ascii=False)
            for part in (header, article.text):
                encoded = part.encode("utf-8", "surrogatepass")
                digest.update(len(encoded).to_bytes(8, "big") + encoded)
            name = digest.hexdigest()
            path = self._keys[article.filename] = entry_path(self.folder, name, ".pickle")
            self.content_keys[article.id] = name
        return path

    def has(self, article: Any) -> bool:
        """Whether an entry exists (it is read later, by `get`); an absent one counts as a miss."""
        if self.key(article).is_file():
            return True
        self.misses += 1
        return False

    def get(self, article: Any) -> Any | None:
        path = self.key(article)
        self.used.add(path)
        try:
            with path.open("rb") as f:
                result = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            self.misses += 1
            return None
        self.hits += 1
        return result

    def put_encoded(self, article: Any, entry: bytes, counts: bytes | None) -> None:
        """An entry already pickled, and the article's n-gram counts (marshalled) beside it: those
        are needed only when the corpus totals change, so loading an entry does not read them."""
        path = self.key(article)
        self.used.add(path)
        if counts is not None:
            write_atomically(path.with_suffix(".counts"), counts)
        write_atomically(path, entry)

    def counts(self, content_key: str) -> Counter | None:
        try:
            return Counter(marshal.loads(entry_path(self.folder, content_key, ".counts").read_bytes()))
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
        """Delete entries (and their counts) this run did not use; returns how many entries."""
        removed = remove_unused(self.folder.glob("*/*.pickle"), self.used)
        remove_unused(self.folder.glob("*/*.counts"), {p.with_suffix(".counts") for p in self.used})
        return removed


class PageStore:
    """Source pages and their `briefing.json` entries as earlier builds rendered them, keyed by
    everything they show (the article's cache key, its label, citations, keywords and copy
    relations), so a rebuild renders only the pages that changed and links the rest into place.
    Entries are read-only: a page linked into `docs/` must never be edited through it."""

    def __init__(self, folder: Path, salt: str) -> None:
        self.folder = folder
        self.salt = salt
        self.used: set[Path] = set()

    def key(self, parts: Any) -> str:
        """`parts` are lists, strings, numbers and booleans, whose repr is stable (and cheaper than JSON)."""
        return hashlib.sha256(repr([self.salt, parts]).encode("utf-8", "surrogatepass")).hexdigest()

    def path(self, key: str, suffix: str) -> Path:
        return entry_path(self.folder, key, suffix)

    def _path(self, key: str, suffix: str) -> Path:
        path = self.path(key, suffix)
        self.used.add(path)
        return path

    def find(self, key: str, suffix: str) -> Path | None:
        path = self._path(key, suffix)
        return path if path.is_file() else None

    def put(self, key: str, suffix: str, text: str) -> Path:
        path = self._path(key, suffix)
        write_atomically(path, text.encode("utf-8", "surrogatepass"), read_only=True)
        return path

    def prune(self) -> int:
        return remove_unused(self.folder.glob("*/*"), self.used)
