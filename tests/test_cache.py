"""The on-disk cache: article results in the keyed store (SQLite); pages listed once; the entry pack."""

from __future__ import annotations

import logging
import marshal
import os
import pickle
import sqlite3
from collections import Counter
from contextlib import closing
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.model import Article, SourceMeta
from generator.store import FILE as STORE_FILE
from generator.store import EntryPack, KeyedStore, PageStore, ResultCache, StoreError, write_atomically
from generator.store import files as files_module
from generator.store import keyed as store_module
from generator.store import results as results_module


def article(n: int, text: str = "Russia and Iran signed a treaty.") -> Article:
    return Article(id=f"a{n}", filename=f"a{n}.txt", text=text, meta=SourceMeta())


@pytest.fixture
def results(tmp_path, config) -> ResultCache:
    return ResultCache(tmp_path / "cache", config)


def damage(cache: ResultCache, name: str, data: bytes, counts: bool = False) -> None:
    """Overwrite the start of an entry's result (or its counts) in the store, its checksum kept:
    what a flipped bit on the disk does."""
    cache.close()
    column = "counts" if counts else "entry"
    with closing(sqlite3.connect(cache.folder / STORE_FILE)) as db, db:
        (old,) = db.execute(f"SELECT {column} FROM results WHERE name = ?", (name,)).fetchone()
        db.execute(f"UPDATE results SET {column} = ? WHERE name = ?", (data + old[len(data):], name))


def test_results_and_their_counts_go_into_one_store_and_read_back(results, config):
    a, b = article(1), article(2, "Other text.")
    results.put_encoded(a, pickle.dumps({"result": 1}), marshal.dumps({"iran": 2, "treaty": 1}))
    results.put_encoded(b, pickle.dumps("b"), None)
    assert results.get(a) == {"result": 1}  # readable in the run that wrote it
    assert results.prune() == 0
    results.close()
    assert sorted(p.name for p in results.folder.iterdir()) == [STORE_FILE]
    again = ResultCache(results.folder, config)  # a new run: which entries exist comes from the store
    assert again.has(a) and again.has(b) and not again.has(article(3))
    assert (again.hits, again.misses) == (0, 1)
    assert again.get(a) == {"result": 1} and again.get(b) == "b"
    assert again.counts(again.key(a)) == Counter({"iran": 2, "treaty": 1})
    assert again.counts(again.key(b)) is None  # stored without counts


def store_two(results: ResultCache) -> tuple[Article, Article]:
    """Two entries (each article's id, with counts of it)."""
    pair = article(1), article(2, "Other text.")
    for a in pair:
        results.put_encoded(a, pickle.dumps(a.id), marshal.dumps({a.id: 1}))
    return pair


def test_damaged_entries_read_as_missing_and_are_never_unpickled(results, config, monkeypatch):
    a, b = store_two(results)
    results.prune()
    run = ResultCache(results.folder, config)
    damage(run, run.key(a), b"\x00", counts=True)
    assert run.counts(run.key(a)) is None and run.get(a) == "a1"
    damage(run, run.key(b), b"\x00")
    unpickled: list[bytes] = []
    monkeypatch.setattr(results_module.pickle, "loads", lambda data: unpickled.append(data))
    assert run.get(b) is None and (run.hits, run.misses) == (1, 1) and unpickled == []


def test_a_killed_run_loses_only_what_it_had_not_committed(results, config, monkeypatch):
    monkeypatch.setattr(store_module, "COMMIT_EVERY", 2)
    a, b = store_two(results)  # committed: two results
    c = article(3, "Third.")
    results.put_encoded(c, pickle.dumps("a3"), None)
    assert results.store._db is not None
    results.store._db.close()  # killed before its next commit: SQLite rolls it back
    run = ResultCache(results.folder, config)
    assert run.get(a) == "a1" and run.counts(run.key(b)) == Counter({"a2": 1}) and not run.has(c)


def test_another_build_holding_the_store_is_one_clear_error(results, config, monkeypatch):
    store_two(results)
    results.close()
    monkeypatch.setattr(store_module, "BUSY_SECONDS", 0.05)
    with closing(sqlite3.connect(results.folder / STORE_FILE)) as other:
        other.execute("BEGIN EXCLUSIVE")  # another build, writing
        run = ResultCache(results.folder, config)
        with pytest.raises(StoreError, match="another build holds the cache") as raised:
            run.put_encoded(article(3, "Third."), b"x", None)
        assert isinstance(raised.value, OSError) and raised.value.filename == str(results.folder / STORE_FILE)
        other.rollback()
    assert ResultCache(results.folder, config).get(article(1)) == "a1"


def test_a_store_that_is_not_a_database_is_dropped_and_made_again(results, config, caplog):
    results.folder.mkdir(parents=True)
    (results.folder / STORE_FILE).write_bytes(b"garbage" * 1000)
    with caplog.at_level(logging.WARNING):
        assert not results.has(article(1))
    assert "the store is damaged" in caplog.text
    store_two(results)
    results.close()
    assert ResultCache(results.folder, config).get(article(2, "Other text.")) == "a2"


def test_a_store_of_the_earlier_version_is_emptied_and_made_with_rowid_tables(tmp_path):
    """Stores made before version 2 had WITHOUT ROWID tables (slow for 40 KB rows): their tables
    are dropped and made again, and results are stored and read as usual."""
    import sqlite3

    old = sqlite3.connect(tmp_path / STORE_FILE)
    old.executescript("CREATE TABLE results (name TEXT PRIMARY KEY, entry BLOB NOT NULL, entry_crc INTEGER NOT NULL,"
                      " counts BLOB NOT NULL, counts_crc INTEGER NOT NULL) WITHOUT ROWID;"
                      "INSERT INTO results VALUES ('old', x'00', 0, x'00', 0);")
    old.close()
    store = KeyedStore(tmp_path)
    assert store.names() == set()
    store.put_result("new", b"entry", b"counts")
    store.close()
    again = KeyedStore(tmp_path)
    assert again.result("new") == b"entry" and again.names() == {"new"}  # version 2 now: kept
    again.close()
    check = sqlite3.connect(tmp_path / STORE_FILE)
    tables = dict(check.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall())
    assert "WITHOUT ROWID" not in tables["results"] and "WITHOUT ROWID" not in tables["values"]
    check.close()


def test_prune_keeps_what_the_run_used_and_removes_everything_else(results, config):
    kept, gone = article(1), article(2, "Gone.")
    for a in (kept, gone):
        results.put_encoded(a, pickle.dumps(a.id), None)
    results.prune()
    older = results.folder / "ab"  # the one-file-per-article format of earlier versions
    older.mkdir()
    (older / f"{results.key(kept)}.result").write_bytes(b"an older format's entry")
    (older / f"{results.key(kept)}.result.999.tmp").write_bytes(b"an interrupted write")
    (results.folder / "results-0123.pack").write_bytes(b"a pack of the older format")
    run = ResultCache(results.folder, config)
    assert run.get(kept) == "a1"
    assert run.prune() == 4  # the unused entry, the two older files and the pack
    assert not older.exists() and set(ResultCache(results.folder, config).stored()) == {results.key(kept)}


def test_atomic_writes_make_folders_and_replace_leftovers(tmp_path):
    path = tmp_path / "ab" / "abcd.md"
    leftover = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    write_atomically(path, b"first", read_only=True)
    assert path.read_bytes() == b"first" and path.stat().st_mode & 0o777 == 0o444
    leftover.write_bytes(b"half")
    leftover.chmod(0o444)
    write_atomically(path, b"second", read_only=True)
    assert path.read_bytes() == b"second" and not leftover.exists()


def test_page_store_lists_pages_once_and_knows_the_pages_it_wrote(tmp_path):
    store = PageStore(tmp_path / "pages", "salt")
    key, other_key = store.key(["a1", "S1"]), store.key(["a2", "S2"])
    assert not store.has(key) and store.find(key) is None  # the listing is read here, once
    PageStore(store.folder, "salt").put(other_key, "page")  # another build, after the listing
    assert not store.has(other_key)
    store.put(key, "page")
    assert store.has(key) and store.find(key) == store.path(key)
    assert store.prune() == 1  # the other build's page, unused by this one


def entry(pack: EntryPack, key: str, tmp_path: Path) -> str | None:
    """The entry as a rebuild copies it out of the pack (by the kernel, into another file)."""
    span = pack.span(key)
    if span is None:
        return None
    copied = tmp_path / "copied"
    with open(copied, "wb", buffering=0) as f:
        f.write(b"[")
        pack.copy_range(*span, f.fileno())
    return copied.read_text(encoding="utf-8")[1:]


def test_the_entry_pack_is_read_only_when_it_is_the_one_its_index_names(tmp_path, monkeypatch):
    folder = tmp_path / "pages"
    folder.mkdir()
    first, second = '{"a": "Tehran’s"}', '{"b": 2}'
    written = tmp_path / "briefing.json"
    written.write_text(f"[{first}, {second}]", encoding="utf-8")
    end_first = 1 + len(first.encode())
    spans = {"k1": (1, end_first), "k2": (end_first + 2, end_first + 2 + len(second))}
    EntryPack(folder, "salt").save(written, spans)
    [kept] = folder.glob("entries-*.json")
    assert written.stat().st_nlink == 1 and kept.stat().st_mode & 0o222 == 0  # a copy, read-only
    pack = EntryPack(folder, "salt")
    assert [entry(pack, k, tmp_path) for k in ("k1", "k2", "k3")] == [first, second, None]
    # Where the kernel cannot copy between the files, the bytes are read and written.
    monkeypatch.delattr(files_module.os, "copy_file_range", raising=False)
    assert entry(pack, "k1", tmp_path) == first
    monkeypatch.undo()
    pack.close()
    assert EntryPack(folder, "other salt").span("k1") is None
    kept.chmod(0o644)
    kept.write_text(written.read_text(encoding="utf-8").replace("2", "3"), encoding="utf-8")
    os.utime(kept, ns=(0, 0))
    assert EntryPack(folder, "salt").span("k2") is None  # not the file the index names
    # Where the kernel cannot copy between the files (sendfile refused), the bytes are read and
    # written; the older pack goes.
    monkeypatch.setattr(files_module.os, "sendfile", lambda *a: (_ for _ in ()).throw(OSError("refused")))
    other = tmp_path / "other.json"
    other.write_text('["x"]', encoding="utf-8")
    EntryPack(folder, "salt").save(other, {"k": (1, 4)})
    [copied] = folder.glob("entries-*.json")
    assert copied.name != kept.name and other.stat().st_nlink == 1
    assert entry(EntryPack(folder, "salt"), "k", tmp_path) == '"x"'
    short = EntryPack(folder, "salt")
    with pytest.raises(OSError, match="shorter than its index says"):
        short.copy_range(1, 40, os.open(tmp_path / "copied", os.O_WRONLY))


def test_no_pack_reads_as_empty(tmp_path):
    assert EntryPack(tmp_path / "nowhere", "salt").span("k") is None
    KeyedStore(tmp_path).put_value(EntryPack.INDEX, "salt", b"garbage")
    assert EntryPack(tmp_path, "salt").span("k") is None


RUNS = st.lists(st.tuples(st.frozensets(st.integers(0, 11), max_size=8),  # the articles a run sees
                          st.sampled_from(["ends", "interrupted", "killed"])), min_size=1, max_size=7)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(runs=RUNS)
def test_any_sequence_of_runs_reads_back_what_was_stored(tmp_path_factory, config, runs):
    """Whatever runs came before (ended, interrupted before pruning, or killed before committing),
    an entry is either read back exactly as stored or missing, never wrong; an ended run's
    entries are all kept."""
    folder = tmp_path_factory.mktemp("store") / "cache"
    kept_by_last_end: set[str] = set()
    for seen, ending in runs:
        run = ResultCache(folder, config)
        for n in sorted(seen):
            a = article(n, f"Text {n}.")
            value = run.get(a) if run.has(a) else None
            assert value in (None, (a.id, "x" * (n * 500))), value
            if n in kept_by_last_end:
                assert value is not None
            if value is None:
                run.put_encoded(a, pickle.dumps((a.id, "x" * (n * 500))), marshal.dumps({a.id: n}))
            assert run.counts(run.key(a)) == Counter({a.id: n})
        if ending == "interrupted":
            run.close()
            continue
        if ending == "killed":
            if run.store._db is not None:
                run.store._db.close()
            continue
        run.prune()
        run.close()
        kept_by_last_end = set(seen)


page_inputs = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                           lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner), max_leaves=12)


@given(page_inputs, page_inputs)
def test_a_page_key_is_the_inputs_value_whatever_objects_hold_it(tmp_path_factory, one, other):
    """Equal inputs give one key even when one build's strings are shared objects and the next
    build's are copies; different inputs (True and 1, "1" and 1, a list and a tuple) give two."""
    store = PageStore(tmp_path_factory.mktemp("pages"), "salt")
    copied = pickle.loads(pickle.dumps(one))  # equal, but no object shared with `one`
    shared = "shared text " * 3
    assert store.key([one, shared, shared]) == store.key([copied, shared[:], "".join(shared)])
    assert (store.key(one) == store.key(other)) is (repr(one) == repr(other))
