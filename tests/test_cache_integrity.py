"""A damaged cache never changes the site: each artefact is checked before use, and one that
fails its check is dropped and made again. The damage is done here, to a built cache."""

from __future__ import annotations

import logging
import os
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

import generator.fold as fold_module
from generator.pipeline import build
from tests.conftest import CONFIG, write_corpus

ON_TOPIC = "Russia and Iran agreed to build a new gas pipeline and to expand energy trade across the Caspian Sea."
OTHER = "Iran and Russia will route cargo through the North-South transport corridor, officials said."


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def replace_in(path: Path, old: bytes, new: bytes) -> None:
    """Change bytes in place, as a flipped bit or an edit through a hard link would."""
    data = path.read_bytes()
    assert old in data, path
    os.chmod(path, 0o644)
    with open(path, "r+b") as f:  # the same inode: a link to it sees the change
        f.write(data.replace(old, new, 1))


@pytest.fixture
def cached(tmp_path):
    seeds = write_corpus(tmp_path / "seeds", {"a.txt": ON_TOPIC + "\n", "b.txt": OTHER + "\n"})
    cache = tmp_path / "cache"
    build(seeds, tmp_path / "docs", CONFIG, cache_dir=cache)
    build(seeds, tmp_path / "docs", CONFIG, cache_dir=cache)  # the pages now linked from the store
    return seeds, tmp_path / "docs", cache, tree(tmp_path / "docs")


def test_a_damaged_compiled_template_is_compiled_again(cached, caplog):
    seeds, docs, cache, before = cached
    damaged = [p for p in (cache / "templates").rglob("*") if p.is_file() and b"Key points" in p.read_bytes()]
    assert damaged
    for path in damaged:
        replace_in(path, b"Key points", b"Kxy points")
    with caplog.at_level(logging.WARNING):
        build(seeds, docs, CONFIG, cache_dir=cache)
    assert tree(docs) == before
    assert "damaged compiled template" in caplog.text


def test_a_damaged_stored_result_is_analysed_again(cached):
    seeds, docs, cache, before = cached
    (cache / "corpus.fold").unlink()  # results then come from the packs
    with closing(sqlite3.connect(cache / "store.sqlite")) as db, db:  # a flipped bit: checksums kept
        damaged = db.execute("UPDATE results SET entry = CAST(replace(entry, CAST('North-South' AS BLOB), "
                             "CAST('North-Sooth' AS BLOB)) AS BLOB) "
                             "WHERE instr(entry, CAST('North-South' AS BLOB))").rowcount
    assert damaged
    build(seeds, docs, CONFIG, cache_dir=cache)
    assert tree(docs) == before


def test_a_page_edited_in_the_store_is_not_published_again(cached, caplog):
    seeds, docs, cache, before = cached
    [page] = [p for p in (cache / "pages").rglob("*.md") if b"North-South" in p.read_bytes()]
    replace_in(page, b"North-South", b"Edited-By-Hand")
    with caplog.at_level(logging.WARNING):
        build(seeds, docs, CONFIG, cache_dir=cache)
    assert tree(docs) == before
    assert "changed since they were written" in caplog.text


@pytest.mark.parametrize("where", ["text", "pickle"])
def test_a_damaged_fold_is_dropped_and_never_unpickled(cached, caplog, monkeypatch, where):
    """A flipped byte anywhere in the stored corpus (a source's text, or the pickles after the
    texts) fails its checksum: the fold is dropped with a warning and made again from the results,
    and no byte of it reaches `pickle`."""
    seeds, docs, cache, before = cached
    fold = cache / "corpus.fold"
    data = fold.read_bytes()
    if where == "text":
        replace_in(fold, b"North-South", b"North-Sooth")
    else:  # a byte near the end, where the players, events, figures and quotes lie
        at = len(data) - 40
        replace_in(fold, data[at:at + 8], bytes(b ^ 0x10 for b in data[at:at + 8]))
    real_load = fold_module.pickle.load

    def refuse(stored, *args, **kwargs):  # type: ignore[no-untyped-def]
        if os.fspath(getattr(stored, "name", "")) == os.fspath(fold):
            raise AssertionError("a damaged fold was unpickled")
        return real_load(stored, *args, **kwargs)

    with monkeypatch.context() as patched, caplog.at_level(logging.WARNING):
        patched.setattr(fold_module.pickle, "load", refuse)
        build(seeds, docs, CONFIG, cache_dir=cache)
    assert tree(docs) == before
    assert "stored corpus fails its checksum" in caplog.text
    caplog.clear()
    with caplog.at_level(logging.WARNING):  # stored again, whole: the next build takes it
        build(seeds, docs, CONFIG, cache_dir=cache)
    assert tree(docs) == before
    assert "checksum" not in caplog.text


@pytest.mark.parametrize("jobs", [1, 2])  # with two, the last build's pages are put in place beside
def test_no_published_file_is_a_link_into_the_cache_so_edits_in_docs_never_come_back(cached, jobs):
    """Pages and briefing.json in docs/ are never links into the cache: an edit made in place
    there, even one that keeps the file's size and modification time, reaches nothing the next
    build reads, and the next build does not publish it again (a published page is linked
    again only when it is byte for byte the stored one)."""
    seeds, docs, cache, before = cached
    unedited = (docs / "sources" / "a.md").stat().st_ino
    build(seeds, docs, CONFIG, cache_dir=cache, jobs=jobs)
    assert tree(docs) == before
    # With two jobs the unedited page is the published one, linked again (checked identical).
    assert ((docs / "sources" / "a.md").stat().st_ino == unedited) is (jobs == 2)
    assert {p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file() and p.stat().st_nlink > 1} == set()
    for path, old, new in ((docs / "sources" / "b.md", b"North-South", b"North-Sooth"),
                           (docs / "briefing.json", b"North-South", b"North-Sooth")):
        stamp = path.stat()
        replace_in(path, old, new)
        os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    build(seeds, docs, CONFIG, cache_dir=cache, jobs=jobs)
    assert tree(docs) == before
    build(seeds, docs, CONFIG, cache_dir=cache, jobs=jobs)
    assert tree(docs) == before
