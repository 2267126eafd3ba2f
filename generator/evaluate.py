"""Score a briefing against hand-written gold labels, side by side with a naive baseline.

The gold file (tests/gold/seeds.yml) lists every real sentence of the seed articles with
the topics it informs about and the topics on whose page it deserves to be a key point,
groups of sentences that report the same point, and page-furniture strings. Sentences
are matched by their words, not by our ids, so the labels survive changes to cleaning
and segmentation, and the baseline (which does no cleaning) can be scored on them too.
"""

from __future__ import annotations

import html
import math
import re
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path

import sentencex
import yaml

from .classify import term_pattern
from .config import Config, ConfigError
from .fold import Corpus
from .model import Briefing
from .rank import tokens


@dataclass(frozen=True)
class GoldSentence:
    filename: str
    text: str
    topics: frozenset[str]
    key: frozenset[str]


@dataclass(frozen=True)
class AnalystFact:
    """A fact an analyst would put first on a topic's page; a key point states it when its text
    contains any of `any_of` (case-insensitive)."""

    topic_id: str
    fact: str
    any_of: tuple[str, ...]

    def stated_in(self, text: str) -> bool:
        lowered = text.lower()
        return any(s.lower() in lowered for s in self.any_of)


@dataclass(frozen=True)
class Gold:
    sentences: tuple[GoldSentence, ...]
    # Each group: (file name prefix, start of the sentence) pairs that report one point.
    same_point: tuple[tuple[tuple[str, str], ...], ...]
    furniture: tuple[str, ...]
    analyst_facts: tuple[AnalystFact, ...] = ()

    def half(self, files: set[str], texts: dict[str, str]) -> Gold:
        """The labels of these files only (`texts`: their raw text): their sentences and same-point
        groups, the furniture strings they contain, and the analyst facts their key sentences state."""
        sentences = tuple(g for g in self.sentences if g.filename in files)
        groups = tuple(kept for group in self.same_point
                       if len(kept := tuple(item for item in group
                                            if any(f.startswith(item[0]) for f in files))) > 1)
        furniture = tuple(f for f in self.furniture if any(f in texts[name] for name in files))
        facts = tuple(f for f in self.analyst_facts
                      if any(f.topic_id in g.key and f.stated_in(g.text) for g in sentences))
        return Gold(sentences, groups, furniture, facts)


@dataclass(frozen=True)
class Floors:
    """Figures the evaluation must not fall below; `make eval` and the quality test both check them."""

    key_point_precision: dict[str, float]
    key_point_recall: dict[str, float]
    assignment_f1: dict[str, float]
    furniture_in_site: int = 0


def _problem_list(data: object, topic_ids: set[str]) -> list[str]:
    problems = []
    if not isinstance(data, dict) or not isinstance(data.get("sources"), dict):
        return ["top level: expected a mapping with a 'sources' mapping"]
    for key in sorted(set(data) - {"sources", "same_point", "furniture", "analyst_facts"}):
        problems.append(f"{key}: unknown key")
    facts = data.get("analyst_facts") or {}
    if not isinstance(facts, dict):
        problems.append("analyst_facts: expected a mapping of topic id to facts")
        facts = {}
    for topic_id, entries in facts.items():
        if topic_id not in topic_ids:
            problems.append(f"analyst_facts.{topic_id}: unknown topic id")
        for i, entry in enumerate(entries if isinstance(entries, list) else [None]):
            if not (isinstance(entry, dict) and isinstance(entry.get("fact"), str) and entry.get("any_of")
                    and all(isinstance(x, str) and x for x in entry["any_of"])):
                problems.append(f"analyst_facts.{topic_id}[{i}]: expected {{fact: text, any_of: [text, ...]}}")
    for filename, entries in data["sources"].items():
        if not isinstance(entries, list):
            problems.append(f"sources.{filename}: expected a list of sentences")
            continue
        for i, entry in enumerate(entries):
            where = f"sources.{filename}[{i}]"
            if not isinstance(entry, dict) or not isinstance(entry.get("text"), str):
                problems.append(f"{where}: expected a mapping with 'text'")
                continue
            for key in sorted(set(entry) - {"text", "topics", "key"}):
                problems.append(f"{where}.{key}: unknown key")
            for key in ("topics", "key"):
                unknown = sorted(set(entry.get(key) or []) - topic_ids)
                if unknown:
                    problems.append(f"{where}.{key}: unknown topic ids {unknown}")
            if not set(entry.get("key") or []) <= set(entry.get("topics") or []):
                problems.append(f"{where}.key: a key point must also be listed under topics")
    return problems


def load_gold(path: Path, topic_ids: Iterable[str]) -> Gold:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(str(path), [f"cannot read gold labels: {exc}"]) from exc
    problems = _problem_list(data, set(topic_ids))
    if problems:
        raise ConfigError(str(path), problems)
    sentences = tuple(
        GoldSentence(filename, e["text"], frozenset(e.get("topics") or ()), frozenset(e.get("key") or ()))
        for filename, entries in data["sources"].items() for e in entries
    )
    groups = []
    for group in data.get("same_point") or []:
        groups.append(tuple(tuple(item.split(":", 1)) for item in group))
    facts = tuple(AnalystFact(topic_id, e["fact"], tuple(e["any_of"]))
                  for topic_id, entries in (data.get("analyst_facts") or {}).items() for e in entries)
    return Gold(sentences, tuple(groups), tuple(data.get("furniture") or ()), facts)


def load_floors(path: Path) -> Floors:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    try:
        return Floors(**data)
    except TypeError as exc:
        raise ConfigError(str(path), [str(exc)]) from exc


def words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


class GoldIndex:
    """Finds the gold sentence a system sentence is; lenient to headings glued onto it."""

    def __init__(self, gold: Gold) -> None:
        self.by_file: dict[str, list[tuple[str, GoldSentence]]] = {}
        for g in gold.sentences:
            self.by_file.setdefault(g.filename, []).append((words(g.text), g))

    def find(self, filename: str, text: str) -> GoldSentence | None:
        norm = words(text)
        entries = self.by_file.get(filename, [])
        for gold_norm, g in entries:
            if gold_norm == norm:
                return g
        inside = [(len(gn), g) for gn, g in entries if gn and gn in norm]
        if inside:
            return max(inside, key=lambda x: x[0])[1]
        if len(norm.split()) >= 4:
            for gold_norm, g in entries:
                if norm in gold_norm:
                    return g
        return None


@dataclass(frozen=True)
class Shown:
    """A sentence as some system shows it: which file and which words."""

    filename: str
    text: str


@dataclass(frozen=True)
class TopicOutput:
    members: tuple[Shown, ...]
    key_points: tuple[tuple[Shown, ...], ...]  # each point: the shown sentence, then its other citations


@dataclass(frozen=True)
class PR:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        chosen = self.true_positives + self.false_positives
        return self.true_positives / chosen if chosen else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class FactRecall:
    stated: int  # analyst facts a key point of the topic states
    wanted: int  # analyst facts the gold lists for the topic

    @property
    def recall(self) -> float:
        return self.stated / self.wanted if self.wanted else 1.0


@dataclass(frozen=True)
class TopicScores:
    topic_id: str
    assignment: PR
    key_points: PR
    shown: int
    multi_source: int
    facts: FactRecall = FactRecall(0, 0)


class Miss(Enum):
    """Why a key point does not state an analyst fact: where the sentences that state it went."""

    NO_TOPIC = "no topic"  # no topic catches a sentence that states it
    OTHER_TOPIC = "other topic"  # the sentences that state it are on other topics only
    WEAK = "weak"  # on the topic, but their own words score below ranking.min_key_score
    RANKED_OUT = "ranked out"  # may be a key point, but is in none of the topic's points
    NOT_SHOWN = "not shown"  # cited by a point, but not the sentence the point shows


@dataclass(frozen=True)
class Stating:
    """A sentence that states an analyst fact, as the briefing used it."""

    own: dict[str, float]  # topic id -> its own words' score on that topic (its topics only)
    in_point: bool  # cited by one of the fact's topic's key points


def why_missed(topic_id: str, stating: Iterable[Stating], min_key_score: float) -> Miss:
    """The furthest the fact's sentences got towards being shown as its topic's key point."""
    stating = list(stating)
    if any(s.in_point for s in stating):
        return Miss.NOT_SHOWN
    on_topic = [s.own[topic_id] for s in stating if topic_id in s.own]
    if on_topic:
        return Miss.RANKED_OUT if max(on_topic) >= min_key_score else Miss.WEAK
    return Miss.OTHER_TOPIC if any(s.own for s in stating) else Miss.NO_TOPIC


def missed_facts(briefing: Briefing, corpus: Corpus, gold: Gold, min_key_score: float) -> tuple[Miss, ...]:
    """Why each analyst fact no key point states was missed, so quality work starts where facts are lost."""
    shown = {t.id: t.key_points for t in briefing.topics}
    found = []
    for fact in gold.analyst_facts:
        points = shown.get(fact.topic_id, ())
        if any(fact.stated_in(p.text) for p in points):
            continue
        cited = {(c.source_id, c.sentence_id) for p in points for c in p.citations}
        stating = [Stating({score.topic_id: score.own for score in corpus.scores.get((source.id, s.id), ())},
                           (source.id, s.id) in cited)
                   for source in briefing.sources for s in source.sentences if fact.stated_in(s.text)]
        found.append(why_missed(fact.topic_id, stating, min_key_score))
    return tuple(found)


def cohen_kappa(both: int, first_only: int, second_only: int, neither: int) -> float:
    """Agreement of two yes/no labellers beyond what chance gives at their own rates of yes."""
    total = both + first_only + second_only + neither
    if not total:
        return 1.0
    observed = (both + neither) / total
    first_yes, second_yes = (both + first_only) / total, (both + second_only) / total
    chance = first_yes * second_yes + (1 - first_yes) * (1 - second_yes)
    return (observed - chance) / (1 - chance) if chance < 1 else 1.0


@dataclass(frozen=True)
class SecondOpinion:
    """A second labeller's labels of the same sentences, made blind to the first's and to our
    output: how far two people agree on what is on a topic and what is key, which bounds what
    any briefing can score against one of them, and our key points judged by the second."""

    assignment: PR  # the second's topics scored against the first's, over (sentence, topic) pairs
    key: PR  # the second's key labels scored against the first's
    key_kappa: float
    ours_key_points: PR  # our key points scored against the second's key labels
    ours_key_points_by_both: PR  # ... counting a point right only when both call its sentence key


def labelled_by_both(first: Gold, second: Gold) -> Iterator[tuple[GoldSentence, GoldSentence]]:
    """Each sentence both labelled (matched by file and words), as the first and the second label it."""
    theirs = {(g.filename, words(g.text)): g for g in second.sentences}
    for g in first.sentences:
        other = theirs.get((g.filename, words(g.text)))
        if other is not None:
            yield g, other


def label_agreement(first: Gold, second: Gold, topic_ids: Iterable[str]) -> tuple[PR, PR, float]:
    """The second labeller's topics and key labels scored against the first's, and Cohen's kappa
    on key, over every topic of every sentence both labelled (matched by file and words)."""
    assignment, key = Counter[str](), Counter[str]()
    for g, other in labelled_by_both(first, second):
        for topic_id in topic_ids:
            for counts, a, b in ((assignment, g.topics, other.topics), (key, g.key, other.key)):
                counts[("neither", "first", "second", "both")[(topic_id in a) + 2 * (topic_id in b)]] += 1
    def pr(counts: Counter[str]) -> PR:
        return PR(counts["both"], counts["second"], counts["first"])
    kappa = cohen_kappa(key["both"], key["first"], key["second"], key["neither"])
    return pr(assignment), pr(key), kappa


@dataclass(frozen=True)
class Evaluation:
    name: str
    topics: tuple[TopicScores, ...]
    furniture_hits: tuple[tuple[str, int], ...] = ()  # (furniture string, files or points containing it)
    merged_pairs: int = 0
    co_shown_pairs: int = 0
    wrong_merges: int = 0
    missed: tuple[Miss, ...] = ()  # why each analyst fact no key point states was missed (ours only)
    second_opinion: SecondOpinion | None = None  # where a second labeller labelled the half (ours only)

    def topic(self, topic_id: str) -> TopicScores:
        return next(t for t in self.topics if t.topic_id == topic_id)


def score(name: str, outputs: dict[str, TopicOutput], gold: Gold,
          furniture_hits: tuple[tuple[str, int], ...] = ()) -> Evaluation:
    index = GoldIndex(gold)
    results = []
    merged = co_shown = wrong = 0
    group_of: dict[tuple[str, str], int] = {}
    for i, group in enumerate(gold.same_point):
        for prefix, start in group:
            for g in gold.sentences:
                if g.filename.startswith(prefix) and g.text.startswith(start):
                    group_of[(g.filename, g.text)] = i
    for topic_id, output in outputs.items():
        found_gold = [index.find(s.filename, s.text) for s in output.members]
        wanted = {g for g in gold.sentences if topic_id in g.topics}
        tp = sum(1 for g in set(found_gold) if g is not None and topic_id in g.topics)
        fp = sum(1 for g in found_gold if g is None or topic_id not in g.topics)
        assignment = PR(tp, fp, len(wanted) - tp)

        key_wanted = {g for g in gold.sentences if topic_id in g.key}
        covered: set[GoldSentence] = set()
        good = bad = 0
        point_of: dict[GoldSentence, int] = {}
        for p, point in enumerate(output.key_points):
            lead = index.find(point[0].filename, point[0].text)
            if lead is not None and topic_id in lead.key:
                good += 1
            else:
                bad += 1
            groups_in_point: set[int | tuple[str, GoldSentence]] = set()
            for s in point:
                shown = index.find(s.filename, s.text)
                if shown is None:
                    continue
                point_of.setdefault(shown, p)
                if topic_id in shown.key:
                    covered.add(shown)
                if (shown.filename, shown.text) in group_of:
                    groups_in_point.add(group_of[(shown.filename, shown.text)])
                else:
                    groups_in_point.add(("alone", shown))
            if len(point) > 1 and len(groups_in_point) > 1:
                wrong += 1
        key_points = PR(good, bad, len(key_wanted - covered))
        # Pairs of same-point sentences both shown on this page: are they one point?
        shown_by_group: dict[int, list[int]] = {}
        for g, p in point_of.items():
            if (g.filename, g.text) in group_of:
                shown_by_group.setdefault(group_of[(g.filename, g.text)], []).append(p)
        for points in shown_by_group.values():
            for a in range(len(points)):
                for b in range(a + 1, len(points)):
                    co_shown += 1
                    merged += points[a] == points[b]
        multi = sum(1 for point in output.key_points if len({s.filename for s in point}) > 1)
        # What a reader sees of a point is its first sentence: a fact counts when that states it.
        wanted_facts = [f for f in gold.analyst_facts if f.topic_id == topic_id]
        stated = sum(1 for f in wanted_facts if any(f.stated_in(point[0].text) for point in output.key_points))
        results.append(TopicScores(topic_id, assignment, key_points, len(output.key_points), multi,
                                   FactRecall(stated, len(wanted_facts))))
    return Evaluation(name, tuple(results), furniture_hits, merged, co_shown, wrong)


def briefing_outputs(briefing: Briefing, corpus: Corpus) -> dict[str, TopicOutput]:
    """What the briefing shows of each topic, and every sentence the corpus assigned to it (the
    members, in corpus order), as file names and texts."""
    from .pipeline import topic_members

    sentences = {(s.source_id, s.id): (src.filename, s.text) for src in briefing.sources for s in src.sentences}
    members = topic_members(list(briefing.sources), corpus.on_topic, corpus.scores, [t.id for t in briefing.topics])

    def shown(source_id: str, sentence_id: str) -> Shown:
        return Shown(*sentences[(source_id, sentence_id)])

    return {
        t.id: TopicOutput(
            members=tuple(shown(s.source_id, s.id) for s, _ in members[t.id]),
            key_points=tuple(tuple(shown(c.source_id, c.sentence_id) for c in p.citations) for p in t.key_points),
        )
        for t in briefing.topics
    }


def furniture_in_tree(root: Path, strings: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    """How many files under `root` contain each furniture string (HTML-unescaped text too).

    Pages, search index, feeds and briefing.json are scanned; the theme's JavaScript is not
    ours and legitimately contains words such as "className"."""
    texts = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in {".html", ".json", ".md", ".xml", ".txt"}:
            raw = path.read_text(encoding="utf-8", errors="replace")
            texts.append(raw + "\n" + html.unescape(raw))
    return tuple((s, sum(1 for t in texts if s.lower() in t.lower())) for s in strings)


# --- the baseline: what a quick script would do -----------------------------------------

def baseline_outputs(seeds: Path, config: Config) -> dict[str, TopicOutput]:
    """Keyword filter plus LexRank on the raw files: no cleaning, no headings, no merging."""
    sentences: list[Shown] = []
    for path in sorted(p for p in seeds.iterdir() if p.suffix in {".txt", ".md"}):
        text = path.read_text(encoding="utf-8", errors="replace")
        for line in text.splitlines():
            pieces = (piece.strip() for piece in sentencex.segment("en", line))
            sentences.extend(Shown(path.name, piece) for piece in pieces if piece)
    outputs = {}
    k = config.ranking.max_key_points
    for topic in config.topics:
        patterns = [term_pattern(term)[0] for term in topic.terms]
        members = tuple(s for s in sentences if any(p.search(s.text) for p in patterns))
        ranked = lexrank([s.text for s in members])
        chosen = sorted(range(len(members)), key=lambda i: (-ranked[i], i))[:k]
        outputs[topic.id] = TopicOutput(members, tuple((members[i],) for i in chosen))
    return outputs


def lexrank(texts: list[str], threshold: float = 0.1, damping: float = 0.85, iterations: int = 100) -> list[float]:
    """LexRank (Erkan & Radev 2004): PageRank over the graph of sentences with cosine > threshold."""
    n = len(texts)
    if n == 0:
        return []
    bags = [Counter(tokens(t)) for t in texts]
    df: Counter = Counter()
    for bag in bags:
        df.update(bag.keys())
    vecs = []
    for bag in bags:
        vec = {w: c * math.log(1 + n / df[w]) for w, c in bag.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vecs.append({w: v / norm for w, v in vec.items()})
    links = [[j for j in range(n) if sum(w * vecs[j].get(t, 0.0) for t, w in vecs[i].items()) > threshold]
             for i in range(n)]
    rank = [1.0 / n] * n
    for _ in range(iterations):
        new = [(1 - damping) / n] * n
        for i, out in enumerate(links):
            if not out:
                continue
            share = damping * rank[i] / len(out)
            for j in out:
                new[j] += share
        rank = new
    return rank


def baseline_furniture(outputs: dict[str, TopicOutput], strings: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    shown = [s.text for o in outputs.values() for point in o.key_points for s in point]
    shown += [s.text for o in outputs.values() for s in o.members]
    return tuple((f, sum(1 for t in shown if f.lower() in t.lower())) for f in strings)


# --- running and reporting -----------------------------------------------------------------

def run(seeds: Path, config_path: Path, gold_path: Path, mkdocs_yml: Path) -> tuple[Evaluation, Evaluation]:
    """Build the briefing and site into a temporary folder, score it and the baseline on the gold."""
    from .config import load_config
    from .pipeline import build

    config = load_config(config_path)
    gold = load_gold(gold_path, [t.id for t in config.topics])
    with tempfile.TemporaryDirectory(prefix="briefing-eval-") as tmp:
        result = build(seeds, Path(tmp) / "docs", config_path, site=Path(tmp) / "site", mkdocs_yml=mkdocs_yml)
        hits = furniture_in_tree(Path(tmp), gold.furniture)
    assert result.corpus is not None  # a build hands its corpus back
    ours = score("ours", briefing_outputs(result.briefing, result.corpus), gold, hits)
    base_out = baseline_outputs(seeds, config)
    base = score("baseline", base_out, gold, baseline_furniture(base_out, gold.furniture))
    return ours, base


HALVES = ("dev", "test")
# A corpus story's second labeller's labels, beside gold.yml: `sources` only, the same sentences.
SECOND_LABELLER = "gold-second.yml"


@dataclass(frozen=True)
class CorpusStory:
    """A labelled corpus of one story (tests/corpus/NAME): briefing.yml, articles/, gold.yml, and
    SOURCES.yml, which puts each article in the development half (rules may be tuned on it) or
    the test half (never tuned on)."""

    name: str
    folder: Path
    halves: dict[str, tuple[str, ...]]

    @classmethod
    def load(cls, folder: Path) -> CorpusStory:
        path = folder / "SOURCES.yml"
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            entries = data["articles"] if isinstance(data, dict) else data
            halves = {half: tuple(sorted(e["file"] for e in entries if e["half"] == half)) for half in HALVES}
        except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
            raise ConfigError(str(path), [f"expected articles with 'file' and 'half' (dev or test): {exc}"]) from exc
        return cls(folder.name, folder, halves)


def run_half(story: CorpusStory, half: str, mkdocs_yml: Path) -> tuple[Evaluation, Evaluation]:
    """Build the briefing of one half of a corpus from its articles alone, and score it and the
    baseline on that half's labels."""
    from .config import load_config
    from .pipeline import build

    config_path = story.folder / "briefing.yml"
    config = load_config(config_path)
    files = set(story.halves[half])
    texts = {name: (story.folder / "articles" / name).read_text(encoding="utf-8") for name in files}
    gold = load_gold(story.folder / "gold.yml", [t.id for t in config.topics]).half(files, texts)
    with tempfile.TemporaryDirectory(prefix="briefing-eval-") as tmp:
        seeds = Path(tmp) / "seeds"
        seeds.mkdir()
        for name, text in texts.items():
            (seeds / name).write_text(text, encoding="utf-8")
        result = build(seeds, Path(tmp) / "docs", config_path, site=Path(tmp) / "site", mkdocs_yml=mkdocs_yml)
        hits = furniture_in_tree(Path(tmp) / "site", gold.furniture) if gold.furniture else ()
        base_out = baseline_outputs(seeds, config)
    assert result.corpus is not None
    outputs = briefing_outputs(result.briefing, result.corpus)
    ours = score("ours", outputs, gold, hits)
    ours = replace(ours, missed=missed_facts(result.briefing, result.corpus, gold, config.ranking.min_key_score))
    second_path = story.folder / SECOND_LABELLER
    if second_path.exists():
        topic_ids = [t.id for t in config.topics]
        second = load_gold(second_path, topic_ids).half(files, texts)
        ours = replace(ours, second_opinion=second_opinion(outputs, gold, second, topic_ids))
    base = score("baseline", base_out, gold, baseline_furniture(base_out, gold.furniture))
    return ours, base


def second_opinion(outputs: dict[str, TopicOutput], first: Gold, second: Gold,
                   topic_ids: list[str]) -> SecondOpinion:
    """The two labellers against each other, and our key points judged by the second and by both."""
    assignment, key, kappa = label_agreement(first, second, topic_ids)
    agreed = Gold(tuple(replace(g, key=g.key & other.key) for g, other in labelled_by_both(first, second)), (), ())
    return SecondOpinion(assignment, key, kappa, micro(score("second", outputs, second), "key_points"),
                         micro(score("both", outputs, agreed), "key_points"))


def corpus_floors(path: Path) -> dict[str, dict[str, float]]:
    """Test-half minimums per corpus story: key_point_precision, analyst_fact_recall, assignment_f1."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ConfigError(str(path), ["expected a mapping of corpus story to its floors"])
    return data


def micro(e: Evaluation, attr: str) -> PR:
    """One of the per-topic figures (`assignment` or `key_points`) of all topics together."""
    return PR(*(sum(getattr(getattr(t, attr), f) for t in e.topics)
                for f in ("true_positives", "false_positives", "false_negatives")))


def totals(e: Evaluation) -> dict[str, float]:
    """The figures of all topics together (micro-averaged)."""
    key_points = micro(e, "key_points")
    stated, wanted = sum(t.facts.stated for t in e.topics), sum(t.facts.wanted for t in e.topics)
    assignment = micro(e, "assignment")
    return {"key_point_precision": key_points.precision, "key_point_recall": key_points.recall,
            "assignment_precision": assignment.precision, "assignment_recall": assignment.recall,
            "assignment_f1": assignment.f1, "analyst_fact_recall": stated / wanted if wanted else 1.0,
            "furniture_in_site": float(sum(1 for _, n in e.furniture_hits if n))}


def below_corpus_floors(results: dict[tuple[str, str], tuple[Evaluation, Evaluation]],
                        floors: dict[str, dict[str, float]]) -> list[str]:
    failures = []
    for (story, half), (ours, _) in sorted(results.items()):
        if half != "test":
            continue
        figures = totals(ours)
        for name, floor in sorted(floors.get(story, {}).items()):
            worse = figures[name] > floor if name == "furniture_in_site" else figures[name] + 1e-9 < floor
            if worse:
                failures.append(f"{story} (test half): {name} {figures[name]:.3f} against the floor {floor}")
    return failures


def corpus_report(results: dict[tuple[str, str], tuple[Evaluation, Evaluation]]) -> str:
    """Per story, half and topic, ours beside the baseline; then one line per story and half."""
    lines = ["Labelled corpora (tests/corpus): each half built from its own articles and scored on its",
             "own labels. Rules are tuned on the dev half only; the test half is what to quote.",
             "KP = key points, facts = analyst facts stated by a key point, furn = furniture strings in the site.", ""]
    header = (f"{'story/half/topic':<40} {'assign P':>8} {'R':>4} {'F1':>4} {'KP P':>5} {'KP R':>5} {'facts':>7} | "
              f"{'base P':>6} {'R':>4} {'F1':>4} {'KP P':>5} {'KP R':>5} {'facts':>7}")
    lines.append(header)
    # By story, the dev half before the test half.
    ordered = sorted(results.items(), key=lambda item: (item[0][0], HALVES.index(item[0][1])))
    for (story, half), (ours, base) in ordered:
        for t in ours.topics:
            b = base.topic(t.topic_id)
            lines.append(f"{story + '/' + half + '/' + t.topic_id:<40} {t.assignment.precision:>8.2f} "
                         f"{t.assignment.recall:>4.2f} {t.assignment.f1:>4.2f} "
                         f"{t.key_points.precision:>5.2f} {t.key_points.recall:>5.2f} "
                         f"{t.facts.stated:>3}/{t.facts.wanted:<3} | {b.assignment.precision:>6.2f} "
                         f"{b.assignment.recall:>4.2f} {b.assignment.f1:>4.2f} "
                         f"{b.key_points.precision:>5.2f} {b.key_points.recall:>5.2f} "
                         f"{b.facts.stated:>3}/{b.facts.wanted:<3}")
    lines += ["", f"{'story/half':<20} {'':>8} {'assign P':>8} {'R':>4} {'F1':>4} {'KP P':>5} {'KP R':>5} "
                  f"{'facts':>6} {'furn':>5}"]
    for (story, half), (ours, base) in ordered:
        for e in (ours, base):
            f = totals(e)
            lines.append(f"{story + '/' + half:<20} {e.name:>8} {f['assignment_precision']:>8.2f} "
                         f"{f['assignment_recall']:>4.2f} {f['assignment_f1']:>4.2f} "
                         f"{f['key_point_precision']:>5.2f} {f['key_point_recall']:>5.2f} "
                         f"{f['analyst_fact_recall']:>6.2f} {int(f['furniture_in_site']):>5}")
    lines += ["", "Analyst facts no key point states, by where their sentences went (see evaluate.Miss):"]
    for (story, half), (ours, _) in ordered:
        counts = Counter(ours.missed)
        lines.append(f"{story + '/' + half:<20} " + ", ".join(f"{counts[m]} {m.value}" for m in Miss))
    opinions = [(story, half, ours.second_opinion, totals(ours)) for (story, half), (ours, _) in ordered
                if ours.second_opinion is not None]
    if opinions:
        lines += ["", f"A second labeller ({SECOND_LABELLER}, labelled blind to gold.yml and to our output): "
                  "their labels scored against gold.yml's,",
                  "and our key points' precision judged by gold.yml, by the second labeller, and by both "
                  "(a point counts when both call it key).",
                  f"{'story/half':<20} {'assign F1':>9} {'key P':>5} {'key R':>5} {'kappa':>5} | "
                  f"{'our KP P: gold':>14} {'second':>6} {'both':>5}"]
        for story, half, opinion, figures in opinions:
            lines.append(f"{story + '/' + half:<20} {opinion.assignment.f1:>9.2f} {opinion.key.precision:>5.2f} "
                         f"{opinion.key.recall:>5.2f} {opinion.key_kappa:>5.2f} | "
                         f"{figures['key_point_precision']:>14.2f} {opinion.ours_key_points.precision:>6.2f} "
                         f"{opinion.ours_key_points_by_both.precision:>5.2f}")
    return "\n".join(lines)


def below_floors(ours: Evaluation, floors: Floors) -> list[str]:
    failures = []
    for t in ours.topics:
        checks = (("key-point precision", t.key_points.precision, floors.key_point_precision),
                  ("key-point recall", t.key_points.recall, floors.key_point_recall),
                  ("assignment F1", t.assignment.f1, floors.assignment_f1))
        for label, value, table in checks:
            if t.topic_id in table and value + 1e-9 < table[t.topic_id]:
                failures.append(f"{t.topic_id}: {label} {value:.3f} is below the floor {table[t.topic_id]:.3f}")
    furniture = sum(1 for _, n in ours.furniture_hits if n)
    if furniture > floors.furniture_in_site:
        failures.append(f"{furniture} furniture strings reached the site (allowed {floors.furniture_in_site})")
    return failures


def report(ours: Evaluation, base: Evaluation) -> str:
    lines = [
        "Topic assignment (every sentence put on a topic) and key-point selection (the points shown),",
        "scored against tests/gold/seeds.yml. P = precision, R = recall.",
        "",
        f"{'topic':<26} {'assign P':>8} {'R':>5} {'F1':>5} | {'base P':>6} {'R':>5} {'F1':>5} || "
        f"{'key P':>5} {'R':>5} {'shown':>5} {'multi':>5} | {'base P':>6} {'R':>5} {'shown':>5}",
    ]
    for t in ours.topics:
        b = base.topic(t.topic_id)
        lines.append(
            f"{t.topic_id:<26} {t.assignment.precision:>8.2f} {t.assignment.recall:>5.2f} {t.assignment.f1:>5.2f} | "
            f"{b.assignment.precision:>6.2f} {b.assignment.recall:>5.2f} {b.assignment.f1:>5.2f} || "
            f"{t.key_points.precision:>5.2f} {t.key_points.recall:>5.2f} {t.shown:>5} {t.multi_source:>5} | "
            f"{b.key_points.precision:>6.2f} {b.key_points.recall:>5.2f} {b.shown:>5}"
        )

    for e in (ours, base):
        a, k = micro(e, "assignment"), micro(e, "key_points")
        shown = sum(t.shown for t in e.topics)
        lines.append(f"{'all topics (' + e.name + ')':<26} assignment P {a.precision:.2f} R {a.recall:.2f} "
                     f"F1 {a.f1:.2f}; key points P {k.precision:.2f} R {k.recall:.2f} ({shown} shown)")
    lines += [
        "",
        f"Same-point pairs shown on one page and merged into one key point: ours {ours.merged_pairs} of "
        f"{ours.co_shown_pairs}; baseline {base.merged_pairs} of {base.co_shown_pairs}. "
        f"Key points merging sentences that are not the same point: ours {ours.wrong_merges}.",
        f"Furniture strings ({len(ours.furniture_hits)} listed) found in the built site, pages, search index and "
        f"briefing.json: ours {sum(1 for _, n in ours.furniture_hits if n)}; on the baseline's topic pages: "
        f"{sum(1 for _, n in base.furniture_hits if n)}.",
    ]
    for s, n in ours.furniture_hits:
        if n:
            lines.append(f"  ours: {s!r} in {n} files")
    return "\n".join(lines)
