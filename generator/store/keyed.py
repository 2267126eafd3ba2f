"""Everything a build keeps for the next one, behind one seam.

`KeyedStore` is one SQLite file (`store.sqlite` in the cache folder) holding each article's
result and n-gram counts by the article's cache key, and the small values a build carries over
under the salt of its code and configuration (corpus totals, file stamps, YAKE's memo).
Transactions replace the pack files, their index, recovery and compaction: a killed build
loses at most the results since its last commit, never the store. Only the process that opened
it uses the connection (workers send their results back; forked helpers never touch it). Each
blob carries its CRC-32, checked before a result is unpickled: SQLite does not check blobs.
"""

from __future__ import annotations

import logging
import sqlite3
import zlib
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger("generator")
FILE = "store.sqlite"
BUSY_SECONDS = 10.0  # how long a build waits for another one that holds the store
COMMIT_EVERY = 500  # results written between commits: a killed cold build keeps most of its work
# Tables with rowids: WITHOUT ROWID keeps whole rows in its key's B-tree, which SQLite advises
# against for rows over a twentieth of a page; for 10,000 rows of 60 KB it took 3.4 CPU s to
# write and 0.26 s to read a seventh of them, against 0.9 s and 0.04 s with rowids (and its file was 17 % larger).
VERSION = 2  # PRAGMA user_version: a store of another version is emptied and made again
SCHEMA = """
CREATE TABLE IF NOT EXISTS results (name TEXT PRIMARY KEY, entry BLOB NOT NULL, entry_crc INTEGER NOT NULL,
                                    counts BLOB NOT NULL, counts_crc INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS "values" (name TEXT PRIMARY KEY, salt TEXT NOT NULL, data BLOB NOT NULL,
                                     crc INTEGER NOT NULL);
"""


def _opened(path: Path) -> sqlite3.Connection:
    """The store at `path` with this version's tables (an older version's are dropped first:
    it is a cache, rebuilt from the articles)."""
    db = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level="DEFERRED")
    db.execute("PRAGMA page_size = 65536")  # before the first table: blobs of 40 KB
    if db.execute("PRAGMA user_version").fetchone()[0] != VERSION:
        db.executescript(f'DROP TABLE IF EXISTS results; DROP TABLE IF EXISTS "values"; {SCHEMA}'
                         f"PRAGMA user_version = {VERSION};")
    else:
        db.executescript(SCHEMA)
    return db


class StoreError(OSError):
    """The store cannot be used (another build holds it, or SQLite failed): an OS-level failure,
    reported as one line with exit 3 (see cli.py)."""


class KeyedStore:
    """Blobs by key in one SQLite file, opened when first used."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / FILE
        self._db: sqlite3.Connection | None = None
        self._pending = 0

    def _fail(self, error: sqlite3.Error) -> StoreError:
        text = str(error)
        if "locked" in text or "busy" in text:
            text = f"another build holds the cache ({text}); wait for it to end, or give another --cache"
        else:
            text = f"{text}; delete the cache folder to start it again"
        return StoreError(0, text, str(self.path))

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                db = _opened(self.path)
            except sqlite3.DatabaseError as error:
                if "not a database" not in str(error) and "malformed" not in str(error):
                    raise self._fail(error) from None
                log.warning("%s: the store is damaged (%s); dropped and made again", self.path, error)
                self.path.unlink(missing_ok=True)
                db = _opened(self.path)
            self._db = db
        return self._db

    def _run(self, sql: str, args: Iterable[object] = ()) -> list[tuple]:
        try:
            return self._connect().execute(sql, tuple(args)).fetchall()
        except sqlite3.Error as error:
            raise self._fail(error) from None

    def names(self) -> set[str]:
        return {name for (name,) in self._run("SELECT name FROM results")}

    def result(self, name: str) -> bytes | None:
        """The stored result, or None if there is none or it fails its checksum."""
        found = self._run("SELECT entry, entry_crc FROM results WHERE name = ?", (name,))
        return found[0][0] if found and zlib.crc32(found[0][0]) == found[0][1] else None

    def counts(self, name: str) -> bytes | None:
        found = self._run("SELECT counts, counts_crc FROM results WHERE name = ?", (name,))
        return found[0][0] if found and zlib.crc32(found[0][0]) == found[0][1] else None

    def put_result(self, name: str, entry: bytes, counts: bytes) -> None:
        self._run("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?)",
                  (name, entry, zlib.crc32(entry), counts, zlib.crc32(counts)))
        self._pending += 1
        if self._pending >= COMMIT_EVERY:
            self.commit()

    def keep_only(self, names: set[str]) -> int:
        """Delete every result not named; returns how many went."""
        stored = self.names()
        gone = sorted(stored - names)
        try:
            self._connect().executemany("DELETE FROM results WHERE name = ?", ((name,) for name in gone))
        except sqlite3.Error as error:
            raise self._fail(error) from None
        return len(gone)

    def value(self, name: str, salt: str) -> bytes | None:
        """What `put_value` stored under `name`, if this salt stored it and it passes its checksum."""
        found = self._run('SELECT data, crc FROM "values" WHERE name = ? AND salt = ?', (name, salt))
        return found[0][0] if found and zlib.crc32(found[0][0]) == found[0][1] else None

    def put_value(self, name: str, salt: str, data: bytes) -> None:
        self._run('INSERT OR REPLACE INTO "values" VALUES (?, ?, ?, ?)', (name, salt, data, zlib.crc32(data)))
        self.commit()

    def commit(self) -> None:
        if self._db is not None:
            try:
                self._db.commit()
            except sqlite3.Error as error:
                raise self._fail(error) from None
        self._pending = 0

    def close(self) -> None:
        if self._db is not None:
            try:
                self.commit()
            finally:
                self._db.close()
                self._db = None
