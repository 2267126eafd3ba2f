"""A damaged cache never changes the site: each artefact is checked before use, and one that
fails its check is dropped and made again. The damage is done here, to a built cache."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

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
    packs = [p for p in cache.glob("results-*.pack") if b"North-South" in p.read_bytes()]
    assert packs
    for pack in packs:
        replace_in(pack, b"North-South", b"North-Sooth")
    build(seeds, docs, CONFIG, cache_dir=cache)
    assert tree(docs) == before


def test_a_page_edited_in_docs_is_not_published_again(cached, caplog):
    seeds, docs, cache, before = cached
    replace_in(docs / "sources" / "b.md", b"North-South", b"Edited-By-Hand")
    with caplog.at_level(logging.WARNING):
        build(seeds, docs, CONFIG, cache_dir=cache)
    assert tree(docs) == before
    assert "changed since they were written" in caplog.text
