"""The quality gate: the seeds' briefing scored against hand-written gold labels.

Figures may not fall below tests/gold/floors.yml, and must beat the naive baseline.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import ConfigError
from generator.evaluate import (
    PR,
    Gold,
    GoldIndex,
    GoldSentence,
    Shown,
    TopicOutput,
    below_floors,
    lexrank,
    load_floors,
    load_gold,
    run,
    score,
)

ROOT = Path(__file__).resolve().parent.parent
TOPICS = ["energy", "finance-de-dollarization", "defense", "north-south-corridor", "western-reactions"]


@pytest.fixture(scope="module")
def evaluation():
    return run(ROOT / "seeds", ROOT / "briefing.yml", ROOT / "tests/gold/seeds.yml", ROOT / "mkdocs.yml")


def test_figures_stay_above_the_pinned_floors(evaluation):
    ours, _ = evaluation
    assert below_floors(ours, load_floors(ROOT / "tests/gold/floors.yml")) == []


def test_key_point_precision_is_at_least_0_9_on_every_topic(evaluation):
    ours, _ = evaluation
    for topic in ours.topics:
        assert topic.shown > 0, topic.topic_id
        assert topic.key_points.precision >= 0.9, (topic.topic_id, topic.key_points)


def test_we_beat_the_keyword_filter_lexrank_baseline(evaluation):
    ours, base = evaluation
    for topic in ours.topics:
        assert topic.assignment.f1 > base.topic(topic.topic_id).assignment.f1, topic.topic_id
        assert topic.key_points.precision > base.topic(topic.topic_id).key_points.precision, topic.topic_id


def test_no_furniture_string_reaches_the_site(evaluation):
    ours, _ = evaluation
    assert len(ours.furniture_hits) >= 30
    assert [s for s, n in ours.furniture_hits if n] == []


def test_gold_covers_every_seed_sentence_of_every_file():
    gold = load_gold(ROOT / "tests/gold/seeds.yml", TOPICS)
    files = {g.filename for g in gold.sentences}
    assert files == {p.name for p in (ROOT / "seeds").iterdir() if p.suffix == ".txt"}
    assert sum(1 for g in gold.sentences if g.key) >= 50


def test_bad_gold_names_the_entry(tmp_path):
    path = tmp_path / "gold.yml"
    path.write_text("sources:\n  a.txt:\n    - text: x\n      topics: [energy]\n      key: [defence]\n      typo: 1\n")
    with pytest.raises(ConfigError) as err:
        load_gold(path, TOPICS)
    message = str(err.value)
    assert "sources.a.txt[0].typo: unknown key" in message
    assert "unknown topic ids ['defence']" in message
    assert "a key point must also be listed under topics" in message


def test_scoring_counts_what_it_should():
    a = GoldSentence("a.txt", "Gas flows east.", frozenset({"energy"}), frozenset({"energy"}))
    b = GoldSentence("a.txt", "Banks link up.", frozenset({"finance"}), frozenset())
    gold = Gold((a, b), (), ())
    out = {"energy": TopicOutput(
        members=(Shown("a.txt", "Gas flows east."), Shown("a.txt", "Banks link up."), Shown("a.txt", "Share this!")),
        key_points=((Shown("a.txt", "Gas flows east."),), (Shown("a.txt", "Share this!"),)),
    )}
    result = score("t", out, gold).topic("energy")
    assert result.assignment == PR(1, 2, 0)
    assert result.key_points == PR(1, 1, 0)
    assert result.key_points.precision == 0.5


def test_gold_matching_tolerates_a_glued_heading_but_not_another_sentence():
    g = GoldSentence("a.txt", "The treaty runs for twenty years.", frozenset(), frozenset())
    index = GoldIndex(Gold((g,), (), ()))
    assert index.find("a.txt", "Years of talksThe treaty runs for twenty years.") is g
    assert index.find("a.txt", "The treaty was signed in Moscow.") is None
    assert index.find("b.txt", "The treaty runs for twenty years.") is None


def test_lexrank_puts_the_central_sentence_first():
    texts = ["oil gas pipeline deal", "oil gas exports rise", "gas pipeline oil", "football results today"]
    ranks = lexrank(texts)
    assert ranks.index(max(ranks)) in (0, 2)
    assert ranks[3] == min(ranks)
