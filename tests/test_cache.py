"""The on-disk cache: one file per article result, listed once; the entry pack beside the pages."""

from __future__ import annotations

import marshal
import os
import pickle
from collections import Counter
from pathlib import Path

import pytest

from generator import cache as cache_module
from generator.cache import EntryPack, PageStore, ResultCache, write_atomically
from generator.model import Article, SourceMeta


def article(n: int, text: str = "Russia and Iran signed a treaty.") -> Article:
    return Article(id=f"a{n}", filename=f"a{n}.txt", text=text, meta=SourceMeta())


@pytest.fixture
def results(tmp_path, config) -> ResultCache:
    return ResultCache(tmp_path / "cache", config)


def test_a_result_and_its_counts_share_one_file_and_read_back(results, config):
    a = article(1)
    results.put_encoded(a, pickle.dumps({"result": 1}), marshal.dumps({"iran": 2, "treaty": 1}))
    [entry] = results.folder.glob("*/*.result")
    assert entry.name == results.key(a) + ".result"
    again = ResultCache(results.folder, config)  # a new run: which entries exist comes from the listing
    assert again.has(a) and not again.has(article(2))
    assert (again.hits, again.misses) == (0, 1)
    assert again.get(a) == {"result": 1}
    assert again.counts(again.key(a)) == Counter({"iran": 2, "treaty": 1})


def test_damaged_or_truncated_entries_read_as_missing(results):
    a, b = article(1), article(2, "Other text.")
    results.put_encoded(a, pickle.dumps("kept"), marshal.dumps({"x": 1}))
    results.put_encoded(b, pickle.dumps("kept"), None)
    path = results.path(results.key(a))
    data = path.read_bytes()
    path.write_bytes(data[:8 + len(pickle.dumps("kept"))])  # the counts lost, the result kept
    assert results.get(a) == "kept" and results.counts(results.key(a)) is None
    assert results.counts(results.key(b)) is None  # stored without counts
    path.write_bytes(b"\xff" * 8 + data[8:])  # a header promising more than the file holds
    assert results.get(a) is None and results.counts(results.key(a)) is None
    path.write_bytes(b"abc")
    assert results.get(a) is None


def test_prune_keeps_what_the_run_used_and_removes_everything_else(results, config):
    kept, gone = article(1), article(2, "Gone.")
    for a in (kept, gone):
        results.put_encoded(a, pickle.dumps(a.id), None)
    stale = results.path(results.key(kept)).parent
    (stale / "0123.pickle").write_bytes(b"an older format's entry")
    (stale / f"{results.key(kept)}.result.999.tmp").write_bytes(b"an interrupted write")
    run = ResultCache(results.folder, config)
    assert run.get(kept) == "a1"
    assert run.prune() == 3
    assert [p.name for p in results.folder.glob("*/*")] == [results.key(kept) + ".result"]


def test_atomic_writes_make_folders_and_replace_leftovers(tmp_path):
    path = tmp_path / "ab" / "abcd.md"
    leftover = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    write_atomically(path, b"first", read_only=True)
    assert path.read_bytes() == b"first" and path.stat().st_mode & 0o777 == 0o444
    leftover.write_bytes(b"half")
    leftover.chmod(0o444)
    write_atomically(path, b"second", read_only=True)
    assert path.read_bytes() == b"second" and not leftover.exists()


def test_page_store_lists_pages_once_and_learns_of_pages_other_processes_wrote(tmp_path):
    store = PageStore(tmp_path / "pages", "salt")
    key = store.key(["a1", "S1"])
    assert not store.has(key) and store.find(key) is None
    other = PageStore(store.folder, "salt")  # another process of the same build
    other.put(key, "page")
    assert not store.has(key)  # the listing was read before the page was written
    store.written(key)
    assert store.has(key) and store.find(key) == store.path(key)
    assert store.prune() == 0


def test_the_entry_pack_is_read_only_when_it_is_the_one_its_index_names(tmp_path, monkeypatch):
    folder = tmp_path / "pages"
    folder.mkdir()
    first, second = '{"a": "Tehran’s"}', '{"b": 2}'
    written = tmp_path / "briefing.json"
    written.write_text(f"[{first}, {second}]", encoding="utf-8")
    end_first = 1 + len(first.encode())
    spans = {"k1": (1, end_first), "k2": (end_first + 2, end_first + 2 + len(second))}
    EntryPack(folder, "salt").save(written, spans)
    assert written.stat().st_nlink == 2 and written.stat().st_mode & 0o222 == 0
    pack = EntryPack(folder, "salt")
    assert (pack.entry("k1"), pack.entry("k2"), pack.entry("k3")) == (first, second, None)
    pack.close()
    assert EntryPack(folder, "other salt").entry("k1") is None
    [kept] = folder.glob("entries-*.json")
    kept.chmod(0o644)
    kept.write_text(written.read_text(encoding="utf-8").replace("2", "3"), encoding="utf-8")
    os.utime(kept, ns=(0, 0))
    assert EntryPack(folder, "salt").entry("k2") is None  # not the file the index names
    # Where a link cannot be made (another filesystem), the pack is a copy; the older one goes.
    monkeypatch.setattr(cache_module.os, "link", lambda *a: (_ for _ in ()).throw(OSError("cross-device")))
    other = tmp_path / "other.json"
    other.write_text('["x"]', encoding="utf-8")
    EntryPack(folder, "salt").save(other, {"k": (1, 4)})
    [copied] = folder.glob("entries-*.json")
    assert copied.name != kept.name and other.stat().st_nlink == 1
    assert EntryPack(folder, "salt").entry("k") == '"x"'


def test_no_pack_reads_as_empty(tmp_path):
    assert EntryPack(tmp_path / "nowhere", "salt").entry("k") is None
    Path(tmp_path / "entries.index").write_bytes(b"garbage")
    assert EntryPack(tmp_path, "salt").entry("k") is None
