"""The quality gate: the repository's story scored against its hand-written gold labels.

A story check: it runs when tests/gold holds labels, for the story the repository holds
(the top-level briefing.yml and seeds/). Figures may not fall below tests/gold/floors.yml,
and must beat the naive baseline. The scoring itself is tested on small made-up cases below.
"""

from __future__ import annotations

import pytest

from generator.config import ConfigError, load_config
from generator.evaluate import (
    PR,
    AnalystFact,
    FactRecall,
    Gold,
    GoldIndex,
    GoldSentence,
    Shown,
    TopicOutput,
    below_floors,
    cohen_kappa,
    label_agreement,
    lexrank,
    load_floors,
    load_gold,
    run,
    score,
    second_opinion,
)
from tests.conftest import MKDOCS_YML, REPOSITORY_STORY, ROOT

GOLD = ROOT / "tests" / "gold" / "seeds.yml"
CORPORA = sorted(p.parent for p in (ROOT / "tests" / "corpus").glob("*/gold.yml"))
FLOORS = ROOT / "tests" / "gold" / "floors.yml"
TOPICS = ["energy", "finance-de-dollarization", "defense", "north-south-corridor", "western-reactions"]
story_check = pytest.mark.skipif(REPOSITORY_STORY is None or not GOLD.is_file(),
                                 reason="no repository story with gold labels in tests/gold")


@pytest.fixture(scope="module")
def evaluation():
    assert REPOSITORY_STORY is not None
    return run(REPOSITORY_STORY.seeds, REPOSITORY_STORY.config, GOLD, MKDOCS_YML)


@story_check
def test_gold_labels_are_for_the_story_the_repository_holds():
    assert REPOSITORY_STORY is not None
    topics = [t.id for t in load_config(REPOSITORY_STORY.config).topics]
    gold = load_gold(GOLD, topics)
    files = {g.filename for g in gold.sentences}
    articles = {p.name for p in REPOSITORY_STORY.seeds.iterdir() if p.suffix in (".txt", ".md")}
    assert files <= articles, (
        f"{GOLD} labels {sorted(files - articles)}, which are not in {REPOSITORY_STORY.seeds}: "
        "label the new story's articles (see tests/gold/README.md) or remove the old story's labels")


@story_check
def test_figures_stay_above_the_pinned_floors(evaluation):
    ours, _ = evaluation
    assert below_floors(ours, load_floors(FLOORS)) == []


@story_check
def test_key_point_precision_is_at_least_0_9_on_every_topic(evaluation):
    ours, _ = evaluation
    for topic in ours.topics:
        assert topic.shown > 0, topic.topic_id
        assert topic.key_points.precision >= 0.9, (topic.topic_id, topic.key_points)


@story_check
def test_we_beat_the_keyword_filter_lexrank_baseline(evaluation):
    ours, base = evaluation
    for topic in ours.topics:
        assert topic.assignment.f1 > base.topic(topic.topic_id).assignment.f1, topic.topic_id
        assert topic.key_points.precision > base.topic(topic.topic_id).key_points.precision, topic.topic_id


@story_check
def test_no_furniture_string_reaches_the_site(evaluation):
    ours, _ = evaluation
    assert len(ours.furniture_hits) >= 30
    assert [s for s, n in ours.furniture_hits if n] == []


@story_check
def test_gold_covers_every_article_of_the_story():
    assert REPOSITORY_STORY is not None
    gold = load_gold(GOLD, [t.id for t in load_config(REPOSITORY_STORY.config).topics])
    files = {g.filename for g in gold.sentences}
    assert files == {p.name for p in REPOSITORY_STORY.seeds.iterdir() if p.suffix in (".txt", ".md")}
    assert sum(1 for g in gold.sentences if g.key) >= 10 * len(files)


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


def test_kappa_is_agreement_beyond_chance():
    assert cohen_kappa(10, 0, 0, 10) == 1.0
    # Two labellers who each say yes half the time, independently: agreement is chance's, kappa 0.
    assert cohen_kappa(5, 5, 5, 5) == 0.0
    # 80 % raw agreement when both say yes 80 % of the time is no better than chance either.
    assert abs(cohen_kappa(64, 16, 16, 4)) < 1e-9
    assert cohen_kappa(0, 10, 10, 0) < 0


def test_two_labellers_are_compared_sentence_by_sentence_and_topic_by_topic():
    def gold(*labels: tuple[str, set[str], set[str]]) -> Gold:
        return Gold(tuple(GoldSentence("a.txt", text, frozenset(topics), frozenset(key))
                          for text, topics, key in labels), (), ())
    first = gold(("Gas flows east.", {"energy"}, {"energy"}), ("Banks link up.", {"finance"}, {"finance"}),
                 ("Rain fell.", set(), set()), ("Only the first labelled this.", {"energy"}, {"energy"}))
    # The second labeller: same on gas, not key on banks, key for rain on energy; the last
    # sentence is not theirs (a sentence one labeller lacks is left out of both).
    second = gold(("Gas  flows east!", {"energy"}, {"energy"}), ("Banks link up.", {"finance"}, set()),
                  ("Rain fell.", {"energy"}, {"energy"}))
    assignment, key, kappa = label_agreement(first, second, ["energy", "finance"])
    assert assignment == PR(2, 1, 0)
    assert key == PR(1, 1, 1)
    assert kappa == cohen_kappa(1, 1, 1, 3)
    out = {"energy": TopicOutput(
        members=(Shown("a.txt", "Gas flows east."), Shown("a.txt", "Rain fell.")),
        key_points=((Shown("a.txt", "Gas flows east."),), (Shown("a.txt", "Rain fell."),)))}
    opinion = second_opinion(out, first, second, ["energy", "finance"])
    assert opinion.ours_key_points == PR(2, 0, 0)  # the second calls both key
    assert opinion.ours_key_points_by_both == PR(1, 1, 0)  # both agree on gas only
    assert opinion.key == key and opinion.key_kappa == kappa


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


@pytest.mark.parametrize("folder", CORPORA, ids=lambda folder: folder.name)
def test_corpus_test_halves_stay_above_their_floors(folder):
    from generator.evaluate import CorpusStory, below_corpus_floors, corpus_floors, run_half

    story = CorpusStory.load(folder)
    assert story.halves["dev"] and story.halves["test"]
    floors = corpus_floors(ROOT / "tests" / "corpus" / "floors.yml")
    assert story.name in floors, f"tests/corpus/floors.yml has no floors for {story.name}"
    results = {(story.name, "test"): run_half(story, "test", MKDOCS_YML)}
    assert below_corpus_floors(results, floors) == []


@pytest.mark.parametrize("folder", [f for f in CORPORA if (f / "gold-second.yml").is_file()], ids=lambda f: f.name)
def test_a_second_labeller_labelled_exactly_the_sentences_of_the_gold(folder):
    topics = [t.id for t in load_config(folder / "briefing.yml").topics]
    first, second = load_gold(folder / "gold.yml", topics), load_gold(folder / "gold-second.yml", topics)
    assert [(g.filename, g.text) for g in second.sentences] == [(g.filename, g.text) for g in first.sentences]


def test_a_half_keeps_its_own_sentences_groups_furniture_and_the_facts_its_key_points_state():
    a = GoldSentence("a.txt", "Gas flows east at 55 bcm.", frozenset({"energy"}), frozenset({"energy"}))
    b = GoldSentence("b.txt", "Gas flows at 2 bcm first.", frozenset({"energy"}), frozenset({"energy"}))
    facts = (AnalystFact("energy", "55 bcm", ("55 bcm",)), AnalystFact("energy", "2 bcm", ("2 bcm", "two bcm")))
    gold = Gold((a, b), ((("a", "Gas"), ("b", "Gas")),), ("Share this", "Leave a Reply"), facts)
    half = gold.half({"a.txt"}, {"a.txt": "Share this\nGas flows east at 55 bcm."})
    assert half.sentences == (a,) and half.same_point == () and half.furniture == ("Share this",)
    assert [f.fact for f in half.analyst_facts] == ["55 bcm"]
    out = {"energy": TopicOutput(members=(Shown("a.txt", a.text),), key_points=((Shown("a.txt", a.text),),))}
    assert score("t", out, half).topic("energy").facts == FactRecall(1, 1)
    assert score("t", out, gold).topic("energy").facts == FactRecall(1, 2)


def test_a_missed_fact_is_put_where_its_sentences_went():
    from generator.evaluate import Miss, Stating, why_missed

    assert why_missed("energy", [], 3.0) is Miss.NO_TOPIC
    assert why_missed("energy", [Stating({}, False)], 3.0) is Miss.NO_TOPIC
    assert why_missed("energy", [Stating({"finance": 4.0}, False)], 3.0) is Miss.OTHER_TOPIC
    assert why_missed("energy", [Stating({"energy": 2.0}, False), Stating({"finance": 4.0}, False)], 3.0) is Miss.WEAK
    assert why_missed("energy", [Stating({"energy": 2.0}, False), Stating({"energy": 3.0}, False)], 3.0) \
        is Miss.RANKED_OUT
    assert why_missed("energy", [Stating({"energy": 2.0}, True), Stating({"energy": 5.0}, False)], 3.0) \
        is Miss.NOT_SHOWN


def test_missed_facts_follow_the_sentences_of_a_built_briefing(tmp_path):
    from generator.evaluate import Miss, missed_facts
    from generator.pipeline import build
    from tests.conftest import CONFIG, SEEDS

    result = build(SEEDS, tmp_path / "docs", CONFIG)
    briefing, corpus = result.briefing, result.corpus
    assert corpus is not None
    topic = briefing.topics[0]
    shown = topic.key_points[0].text
    scored = {key: {s.topic_id: s.own for s in scores} for key, scores in corpus.scores.items()}
    cited = {(c.source_id, c.sentence_id) for t in briefing.topics for p in t.key_points for c in p.citations}
    off_topic = next(s.text for src in briefing.sources for s in src.sentences
                     if (src.id, s.id) not in scored and len(s.text) > 40)
    minimum = load_config(CONFIG).ranking.min_key_score
    weak = next(s.text for src in briefing.sources for s in src.sentences
                if scored.get((src.id, s.id), {}).get(topic.id, minimum) < minimum
                and (src.id, s.id) not in cited and len(s.text) > 40)
    facts = tuple(AnalystFact(topic.id, name, (text,)) for name, text in
                  (("shown", shown), ("off topic", off_topic), ("weak", weak)))
    gold = Gold((), (), (), facts)
    assert missed_facts(briefing, corpus, gold, minimum) == (Miss.NO_TOPIC, Miss.WEAK)
