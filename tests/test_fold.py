"""The corpus fold: cut back to its first articles it is exactly the fold of those articles, so
a build may start from the last build's fold and add only the articles after them."""

from __future__ import annotations

import io
import pickle
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.corpus import make_corpus, seed_sentences
from generator import pipeline
from generator.fold import COLUMNS, Column, CorpusFold, FoldReuse, Mentions, Merge, StoredList
from generator.ingest import ArticleStream
from generator.model import DeferredTextError, Warning
from generator.pipeline import Analysers, ArticleResult, analyse_article, build
from generator.rank import SentenceRows
from generator.store import ResultCache
from tests.conftest import CONFIG, SEEDS


@pytest.fixture(scope="module")
def analysed(config, tmp_path_factory) -> list[ArticleResult]:
    """Results of a small corpus whose articles share sentences (so some copy others), an exact
    copy of one (a duplicate, skipped: it sorts after the original) and an empty one."""
    seeds = make_corpus(tmp_path_factory.mktemp("fold") / "seeds", 10, seed_sentences(SEEDS, config))
    (seeds / "copy-of-0.txt").write_bytes((seeds / "article-00000.txt").read_bytes())
    analysers = Analysers.from_config(config)
    results = [analyse_article(a, config, analysers) for a in ArticleStream(seeds)]  # type: ignore[arg-type]
    empty = ArticleResult("empty.txt", "empty", None, (Warning("empty.txt", "no sentences"),), (), (), None)
    assert all(r.source is not None for r in results)
    return [*results, empty]


def fold_of(results: list[ArticleResult]) -> CorpusFold:
    fold = CorpusFold()
    for result in results:
        fold.add(f"key-{result.article_id}", result)
    fold.corpus.count_words()
    return fold


def rows_state(rows: SentenceRows) -> list:
    return [rows.keys, list(rows.vocabulary.items()), rows.ids.tolist(), rows.counts.tolist(), rows.lengths.tolist()]


def column_state(column: Column, value: Any) -> Any:
    """A column's content as plain values, in order (a table's order included), by its kind."""
    if column.merge is Merge.ROWS:
        return rows_state(value)
    if column.merge in (Merge.BY_SOURCE, Merge.BY_SENTENCE, Merge.MENTIONS):
        return list(dict(value).items())
    if column.merge in (Merge.SOURCES, Merge.LIST, Merge.APART):
        return list(value)
    return value


def state(fold: CorpusFold) -> list:
    """Everything a fold holds, its tables' order included: every column of fold.COLUMNS (a new
    column is in it without an edit here) but the n-gram total, which the fold does not carry."""
    return [fold.keys, fold.marks,
            *(column_state(c, getattr(fold.corpus, c.name)) for c in COLUMNS if c.merge is not Merge.COUNTER),
            list(fold.copy_finder.first_exact.items()), list(fold.copy_finder.first_bag.items())]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_fold_cut_to_its_first_articles_is_the_fold_of_those(analysed, data):
    order = data.draw(st.permutations(range(len(analysed))))
    results = [analysed[i] for i in order]
    whole = fold_of(results)
    keep = data.draw(st.integers(0, len(results)))
    whole.cut_to(keep)
    assert state(whole) == state(fold_of(results[:keep]))
    for result in results[keep:]:  # and adding the rest again gives the whole fold back
        whole.add(f"key-{result.article_id}", result)
    whole.corpus.count_words()
    assert state(whole) == state(fold_of(results))


def test_the_corpus_has_copies_and_a_duplicate_to_cut(analysed):
    fold = fold_of(analysed)
    assert fold.corpus.copies  # copy relations, and sentence keys owned by several sources
    assert any("duplicate" in w.reason for w in fold.corpus.warnings)
    assert [fold.made_source(i) for i in range(len(analysed))] == [*[True] * 10, False, False]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_what_only_describing_reads_is_read_when_asked_for_and_cut_and_added_to_before(analysed, data, monkeypatch):
    """A rebuild adds to (and may cut) a stored fold without unpickling its mentions, events,
    figures and quotes: only the describing process reads them."""
    results = analysed[:data.draw(st.integers(1, len(analysed)))]
    whole = fold_of(results)
    keep = data.draw(st.integers(0, len(results)))
    loaded = CorpusFold.load(io.BytesIO(whole.dumps()), list(whole.keys))
    assert loaded is not None
    read: list[int] = []
    real_loads = pickle.loads
    monkeypatch.setattr(pickle, "loads", lambda data, **kw: read.append(len(data)) or real_loads(data, **kw))
    loaded.cut_to(keep)
    added_back = data.draw(st.integers(keep, len(results)))
    for result in results[keep:added_back]:
        loaded.add(f"key-{result.article_id}", result)
    assert read == []  # nothing unpickled yet
    loaded.corpus.count_words()
    assert state(loaded) == state(fold_of(results[:added_back]))
    monkeypatch.undo()
    assert CorpusFold.load(io.BytesIO(whole.dumps()[:-8]), list(whole.keys)) is None  # cut short
    with pytest.raises(DeferredTextError, match="delete the cache folder"):
        dict(Mentions(b"damaged"))
    damaged: StoredList[int] = StoredList(b"damaged", 3)
    damaged.cut(1)
    assert len(damaged) == 1  # known without reading
    with pytest.raises(DeferredTextError, match="delete the cache folder"):
        list(damaged)


def test_a_stored_fold_loads_only_for_the_same_articles(analysed):
    fold = fold_of(analysed)
    loaded = CorpusFold.load(io.BytesIO(fold.dumps()), list(fold.keys))
    assert loaded is not None and state(loaded) == state(fold)
    assert CorpusFold.load(io.BytesIO(fold.dumps()), [*fold.keys[:-1], "other"]) is None
    assert CorpusFold.load(io.BytesIO(fold.dumps()[:1000]), list(fold.keys)) is None
    assert CorpusFold.load(io.BytesIO(b"not a pickle"), list(fold.keys)) is None


def test_reuse_takes_only_the_first_articles_that_match(analysed):
    fold = fold_of(analysed[:4])
    reuse = FoldReuse((list(fold.keys), io.BytesIO(fold.dumps())))
    taken = [reuse.takes(key) for key in [fold.keys[0], fold.keys[1], "new", fold.keys[2]]]
    assert taken == [True, True, False, False]  # after the first change, nothing is taken
    assert state(reuse.settle()) == state(fold_of(analysed[:2]))
    unreadable = FoldReuse((list(fold.keys), io.BytesIO(b"damaged")))
    assert unreadable.takes(fold.keys[0])
    assert state(unreadable.settle()) == state(CorpusFold()) and unreadable.length == 0


def test_fold_is_stored_only_when_it_moved_far_from_the_stored_one(analysed):
    fold = fold_of(analysed)
    assert fold.worth_storing()  # made from nothing
    loaded = CorpusFold.load(io.BytesIO(fold.dumps()), list(fold.keys))
    assert loaded is not None and not loaded.worth_storing()
    loaded.add("one-more", analysed[0])
    assert loaded.worth_storing() is (len(loaded.keys) < 20)
    loaded.cut_to(len(loaded.keys) - 1)
    assert loaded.worth_storing()  # cut: the stored one would be cut again next time


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_rebuilds_start_from_the_stored_fold_and_match_a_clean_build(tmp_path, config, monkeypatch):
    seeds = make_corpus(tmp_path / "seeds", 12, seed_sentences(SEEDS, config))
    cache = tmp_path / "cache"
    build(seeds, tmp_path / "first", CONFIG, cache_dir=cache)
    assert (cache / "corpus.fold").is_file()
    read: list[str] = []
    real_get = ResultCache.get
    monkeypatch.setattr(ResultCache, "get",
                        lambda self, article: read.append(article.filename) or real_get(self, article))
    carried: list[int | None] = []  # how many sources the players' tally carried over covered
    real_tally = pipeline.tally_players
    monkeypatch.setattr(pipeline, "tally_players", lambda sources, scores, settings, mentions, kept=None:
                        carried.append(kept and kept.sources) or real_tally(sources, scores, settings, mentions, kept))
    changes = [
        # (file, new text or None to remove it, the articles read again, whether the players' tally is carried over)
        ("zz-appended.txt", "Rosatom will build two more reactors at Bushehr, the agency said on Monday.\n", [], True),
        ("article-00006a.txt", "Gazprom will send gas to Iran through Azerbaijan, its chief said.\n",
         ["article-00007.txt", "article-00008.txt", "article-00009.txt", "article-00010.txt",
          "article-00011.txt", "zz-appended.txt"], False),  # the tally covers articles cut from the fold
        ("article-00000.txt", None, None, False),  # removed: every later article is read again
    ]
    for name, text, expected_reads, expect_carried in changes:
        if text is None:
            (seeds / name).unlink()
        else:
            (seeds / name).write_text(text, encoding="utf-8")
        read.clear()
        carried.clear()
        build(seeds, tmp_path / "cached", CONFIG, cache_dir=cache)
        assert bool(carried[0]) is expect_carried, name
        build(seeds, tmp_path / "clean", CONFIG)
        assert tree(tmp_path / "cached") == tree(tmp_path / "clean"), name
        if expected_reads is not None:
            assert read == expected_reads, name
        else:
            assert len(read) == len(list(seeds.iterdir()))
    monkeypatch.setattr(pipeline.CorpusFold, "load", classmethod(lambda cls, stored, keys: None))
    read.clear()
    build(seeds, tmp_path / "unreadable", CONFIG, cache_dir=cache)  # a fold that cannot be read: entries are read
    assert tree(tmp_path / "unreadable") == tree(tmp_path / "clean")
    assert len(read) == len(list(seeds.iterdir()))
