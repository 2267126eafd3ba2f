"""The corpus fold: cut back to its first articles it is exactly the fold of those articles, and
taken over after any edits (articles added, edited, removed or moved anywhere) it is exactly the
fold of the new articles, so a build adds only what changed and what depends on it."""

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
def articles(config, tmp_path_factory) -> Path:
    """A small corpus whose articles share sentences (so some copy others), with an exact copy
    of one (a duplicate, skipped: it sorts after the original)."""
    seeds = make_corpus(tmp_path_factory.mktemp("fold") / "seeds", 10, seed_sentences(SEEDS, config))
    (seeds / "copy-of-0.txt").write_bytes((seeds / "article-00000.txt").read_bytes())
    return seeds


@pytest.fixture(scope="module")
def analysed(config, articles) -> list[ArticleResult]:
    """Results of `articles`, and of an empty article."""
    seeds = articles
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
    return [fold.placed,
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
    assert [placed.is_source for placed in fold.placed] == [*[True] * 10, False, False]


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


@pytest.fixture(scope="module")
def edited(config, articles, tmp_path_factory) -> list[ArticleResult]:
    """The same articles (same files, so same ids) edited: each loses its first paragraph and
    gains the last paragraph of the next one, so which source first had a sentence moves."""
    folder = tmp_path_factory.mktemp("edited")
    files = sorted(articles.iterdir())
    texts = [path.read_text(encoding="utf-8").strip().split("\n\n") for path in files]
    for path, paragraphs, following in zip(files, texts, [*texts[1:], texts[0]], strict=True):
        (folder / path.name).write_text("\n\n".join([*paragraphs[1:], following[-1]]) + "\n", encoding="utf-8")
    analysers = Analysers.from_config(config)
    return [analyse_article(a, config, analysers) for a in ArticleStream(folder)]  # type: ignore[arg-type]


def rebuilt(stored: CorpusFold, listing: list[tuple[str, ArticleResult]]) -> tuple[CorpusFold, int]:
    """The fold a build makes of `listing` from the stored one (as pipeline.fold_sources does),
    and how many articles it added rather than took over."""
    reuse = FoldReuse((list(stored.keys), io.BytesIO(stored.dumps())))
    held = [reuse.takes(key, result.article_id) for key, result in listing]
    fold, added = reuse.settle(), 0
    for index, ((key, result), may_hold) in enumerate(zip(listing, held, strict=True)):
        if may_hold and reuse.holds(index, key) is not None:
            continue
        fold.add(key, result)
        added += 1
    fold.replay = None
    fold.corpus.count_words()
    return fold, added


def folded(listing: list[tuple[str, ArticleResult]]) -> CorpusFold:
    fold = CorpusFold()
    for key, result in listing:
        fold.add(key, result)
    fold.corpus.count_words()
    return fold


def listing_of(versions: dict[str, list[ArticleResult]], choice: list[int | None], order: list[int]) -> list:
    """(key, result) of the chosen version of each article (None: left out), in this order."""
    ids = sorted(versions)
    return [(f"v{choice[i]}-{ids[i]}", versions[ids[i]][choice[i]]) for i in order if choice[i] is not None]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_stored_fold_taken_over_after_any_edits_is_the_fold_of_the_new_articles(analysed, edited, data):
    versions: dict[str, list[ArticleResult]] = {}
    for result in [*analysed, *edited]:
        versions.setdefault(result.article_id, []).append(result)
    ids = sorted(versions)
    before = [data.draw(st.sampled_from([None, *range(len(versions[i]))])) for i in ids]
    # Mostly small edits of the stored articles, as real rebuilds are; sometimes anything.
    after = [data.draw(st.sampled_from([was] * 4 + [None, *range(len(versions[i]))]))
             for i, was in zip(ids, before, strict=True)]
    sorted_order, shuffled = list(range(len(ids))), data.draw(st.permutations(range(len(ids))))
    order_before = data.draw(st.sampled_from([sorted_order, shuffled]))
    order_after = data.draw(st.sampled_from([order_before, sorted_order, data.draw(st.permutations(range(len(ids))))]))
    old, new = listing_of(versions, before, order_before), listing_of(versions, after, order_after)
    fold, _ = rebuilt(folded(old), new)
    assert state(fold) == state(folded(new))


def test_an_edit_adds_again_only_the_articles_that_share_what_changed(analysed, edited):
    versions = {r.article_id: [r] for r in analysed}
    for result in edited:
        versions[result.article_id].append(result)
    ids = sorted(versions)
    unchanged = listing_of(versions, [0] * len(ids), list(range(len(ids))))
    stored = folded(unchanged)
    _, added = rebuilt(stored, listing_of(versions, [1] + [0] * (len(ids) - 1), list(range(len(ids)))))
    assert 1 <= added < len(ids)  # the edited one, and only those its edit concerns
    empty = ArticleResult("a-new.txt", "a-new", None, (), (), (), None)
    _, added = rebuilt(stored, [*unchanged[:3], ("a-new", empty), *unchanged[3:]])
    assert added == 1  # an article inserted that is no source: every other one taken over
    _, added = rebuilt(stored, unchanged[1:])
    assert ids[0] in stored.copy_finder.first_exact.values()
    assert added < len(ids) - 1  # the first removed: only those that shared its sentences added again
    # Edited and moved after its copy (which was its duplicate and now comes first): not an
    # edit in place, so what it owned is dirty and the copy is added again, a source now.
    copy_first = [unchanged[ids.index("copy-of-0")], listing_of(versions, [1], [0])[0],
                  *(entry for entry in unchanged[1:] if entry[1].article_id != "copy-of-0")]
    fold, _ = rebuilt(stored, copy_first)
    assert state(fold) == state(folded(copy_first))
    assert fold.placed[0].is_source and not stored.placed[ids.index("copy-of-0")].is_source


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
        # Inserted in the middle, sharing no sentence: read and added, every later one taken over
        # unread (the tally, which covers articles after it, is counted again).
        ("article-00006a.txt", "Gazprom will send gas to Iran through Azerbaijan, its chief said.\n", [], False),
        # Removed: only the articles that shared its sentences are read again.
        ("article-00000.txt", None, None, False),
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
            assert 0 < len(read) < len(list(seeds.iterdir())) - 1, read
    monkeypatch.setattr(pipeline.CorpusFold, "load", classmethod(lambda cls, stored, keys: None))
    read.clear()
    build(seeds, tmp_path / "unreadable", CONFIG, cache_dir=cache)  # a fold that cannot be read: entries are read
    assert tree(tmp_path / "unreadable") == tree(tmp_path / "clean")
    assert len(read) == len(list(seeds.iterdir()))
