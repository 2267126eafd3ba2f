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
import pickle
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).parent


def code_fingerprint() -> str:
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class ResultCache:
    def __init__(self, folder: Path, config: Any) -> None:
        self.folder = folder
        config_json = json.dumps(dataclasses.asdict(config), sort_keys=True, ensure_ascii=False)
        self.salt = hashlib.sha256((code_fingerprint() + config_json).encode()).hexdigest()
        self.used: set[Path] = set()
        self.hits = 0
        self.misses = 0

    def key(self, article: Any) -> Path:
        payload = json.dumps([self.salt, article.id, article.filename, article.text,
                              dataclasses.asdict(article.meta)], ensure_ascii=False)
        name = hashlib.sha256(payload.encode()).hexdigest()
        return self.folder / name[:2] / f"{name}.pickle"

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

    def put(self, article: Any, result: Any) -> None:
        path = self.key(article)
        self.used.add(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as f:
            pickle.dump(result, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)

    def prune(self) -> int:
        """Delete entries this run did not use; returns how many."""
        removed = 0
        if self.folder.is_dir():
            for path in self.folder.glob("*/*.pickle"):
                if path not in self.used:
                    path.unlink(missing_ok=True)
                    removed += 1
        return removed
