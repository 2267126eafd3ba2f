"""Choose and order each topic's key points.

A key point is a cluster of near-duplicate sentences (within and across sources) shown
in the words of its best unspun member, with every member cited. Clusters are ranked by
how well they fit the topic, how central they are among the topic's sentences, how many
sources report them and how trustworthy those sources are.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from operator import itemgetter
from typing import NamedTuple

import numpy as np

from .classify import Unspinner, any_term_pattern
from .config import Config, Ranking, RankWeights
from .model import Citation, KeyPoint, Sentence, Source, SourceCoverage, TopicScore

STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having
he her here hers him his how i if in into is it its itself just may me might more most much must my no nor
not now of off on once only or other our out over own same she should so some such than that the their
them then there these they this those through to too under until up very was we were what when where
which while who whom why will with would yet you your although however nonetheless nevertheless moreover
furthermore additionally meanwhile therefore thus it's it’s also according since despite among amid
""".split())  # noqa: SIM905 - a word list reads best as prose
READER_ADDRESS = re.compile(r"\b(?:you|your|yours|we|we’re|we're|our|let's|let’s)\b", re.IGNORECASE)
TERMINAL = re.compile(r"[.!][\"”’')\]]*$")

Vector = dict[str, float]
CANDIDATES_PER_POINT = 25
PARAPHRASE_COSINE = 0.1
# Paraphrases that share names must also share some of what they say about them (their other
# words): "the owner, Caravella, says Finland took the ship" and "no comment from Caravella"
# share a name, not a point. Chosen on the corpora's development halves and the seeds: wrong
# merges 12 -> 9 there, and no merge of the seeds lost.
PREDICATE_COSINE = 0.04


# A run of letters, digits, apostrophes and hyphens that starts and ends with a letter or digit:
# trailing apostrophes and hyphens are never part of a word, so none needs stripping.
CONTENT_WORD = re.compile(r"[a-z0-9](?:[a-z0-9'’-]*[a-z0-9])?")
# The same for ASCII text, as a byte table: upper case to lower, every character no content word
# holds to a space; each run left is one word once its leading and trailing ' and - are stripped.
ASCII_CONTENT = bytes(c + 32 if 65 <= c <= 90 else c if 97 <= c <= 122 or 48 <= c <= 57 or c in b"'-" else 32
                      for c in range(256))


def tokens(text: str) -> list[str]:
    """Content words, lowercase, a plural "s" taken off words longer than four letters (not "ss").
    ASCII text (most) is split by the byte table in two thirds of the pattern's time: copy keys,
    ranking features and sentence vectors all ask for every sentence's."""
    if text.isascii():
        words = text.encode().translate(ASCII_CONTENT).decode().split()
        if "'" in text or "-" in text:
            words = [word.strip("'-") for word in words]
    else:
        words = CONTENT_WORD.findall(text.lower())
    return [word[:-1] if len(word) > 4 and word[-1] == "s" and word[-2] != "s" else word
            for word in words if word and word not in STOPWORDS]  # "" where a run was only ' and -


@dataclass(frozen=True)
class Candidate:
    sentence: Sentence
    topic_score: float
    own: float  # from the sentence's own words, without its heading
    share: float  # `own` as a share of the sentence's strongest topic
    vector: Vector
    base: float = 0.0
    strongest: bool = False  # this topic has the sentence's highest score (heading included)
    anchors: frozenset[str] = frozenset()
    spun: bool = False  # from a machine-paraphrased source, whose verbs a spinner swapped


def vectors(sentences: Iterable[Sentence], config: Config,
            spun_sources: frozenset[str] = frozenset()) -> SentenceVectors:
    """Unit-length TF-IDF vectors of every sentence, on spinner-normalised words."""
    unspin = Unspinner.from_config(config)
    return SentenceVectors({(s.source_id, s.id): " ".join(tokens(unspin(s.text, s.source_id in spun_sources)))
                            for s in sentences})


class SentenceRows:
    """Each sentence's distinct words, as ids in order of first use over all sentences, and how
    often it has each: what `SentenceVectors` weighs. Rows are only ever added after the last or
    cut from the end, so the corpus fold keeps them between builds and a rebuild counts only the
    words of the sentences it adds (counting 130,000 sentences' took 0.6 s at 10,000 articles)."""

    def __init__(self) -> None:
        self.keys: list[tuple[str, str]] = []
        self.vocabulary: dict[str, int] = {}  # word -> id, in order of first use
        self.ids = np.zeros(0, dtype=np.int64)  # each row's distinct words, in order of first use in it
        self.counts = np.zeros(0, dtype=np.int64)  # how often the row has each
        self.lengths = np.zeros(0, dtype=np.int64)  # distinct words per row

    def extend(self, words: Mapping[tuple[str, str], str]) -> None:
        """Rows for more sentences: `words` gives each one's content words in order, space-separated
        (as SentenceFeatures keeps them). numpy counts them, not a Counter per sentence."""
        texts = list(words.values())
        tokens = " ".join(texts).split()
        vocabulary = self.vocabulary
        for word in dict.fromkeys(tokens):
            vocabulary.setdefault(word, len(vocabulary))
        width = max(1, len(vocabulary))
        token_ids = np.array(list(map(vocabulary.__getitem__, tokens)), dtype=np.int64)
        per_row = np.array([text.count(" ") + 1 if text else 0 for text in texts], dtype=np.int64)
        token_rows = np.repeat(np.arange(len(texts), dtype=np.int64), per_row)
        # One entry per (sentence, word), in order of the word's first use in the sentence.
        pairs, first, counts = np.unique(token_rows * width + token_ids, return_index=True, return_counts=True)
        order = np.argsort(first, kind="stable")
        self.keys += words
        self.ids = np.concatenate([self.ids, pairs[order] % width])
        self.counts = np.concatenate([self.counts, counts[order]])
        self.lengths = np.concatenate([self.lengths, np.bincount(token_rows[first[order]], minlength=len(texts))])

    def cut(self, rows: int) -> None:
        """Only the first `rows`, as if the others had never been added: the words first used in
        the others (the highest ids) leave the vocabulary too."""
        if rows >= len(self.keys):
            return
        entries = int(self.lengths[:rows].sum())
        del self.keys[rows:]
        self.ids, self.counts, self.lengths = self.ids[:entries].copy(), self.counts[:entries].copy(), \
            self.lengths[:rows].copy()
        kept = int(self.ids.max()) + 1 if entries else 0
        self.vocabulary = dict(itertools.islice(self.vocabulary.items(), kept))


class SentenceVectors:
    """Unit-length TF-IDF vectors of many sentences (the IDF is over them), kept as one sparse
    matrix in numpy arrays: a large corpus has a hundred thousand on-topic sentences, and a
    topic's centrality is a few array operations over its rows instead of a loop over dicts."""

    def __init__(self, words: Mapping[tuple[str, str], str] | SentenceRows) -> None:
        """`words`: each sentence's content words in order, space-separated (as SentenceFeatures
        keeps them), or their rows counted already. Words get ids in order of first use over all
        sentences, and each sentence's entries are its distinct words in order of first use."""
        if isinstance(words, SentenceRows):
            rows = words
        else:
            rows = SentenceRows()
            rows.extend(words)
        self.row_of = dict(zip(rows.keys, range(len(rows.keys)), strict=True))
        self.words = list(rows.vocabulary)
        self.ids = rows.ids
        self.lengths = rows.lengths
        self.starts = np.zeros(len(rows.keys), dtype=np.int64)
        np.cumsum(self.lengths[:-1], out=self.starts[1:])
        entry_rows = np.repeat(np.arange(len(rows.keys), dtype=np.int64), self.lengths)
        document_frequency = np.bincount(self.ids, minlength=len(self.words)).astype(float)
        idf = np.log(1 + max(1, len(rows.keys)) / np.maximum(document_frequency, 1))
        weights = (1 + np.log(rows.counts.astype(float))) * idf[self.ids]
        norms = np.sqrt(np.bincount(entry_rows, weights=weights * weights, minlength=len(rows.keys)))
        norms[norms == 0] = 1.0
        self.weights = weights / norms[entry_rows]

    def __getitem__(self, key: tuple[str, str]) -> Vector:
        """One sentence's vector as a dict (for the few sentences compared pairwise)."""
        row = self.row_of[key]
        start, end = self.starts[row], self.starts[row] + self.lengths[row]
        return {self.words[i]: float(w) for i, w in zip(self.ids[start:end], self.weights[start:end], strict=True)}

    def centrality(self, keys: list[tuple[str, str]]) -> np.ndarray:
        """Degree centrality of each sentence among `keys` (LexRank without the iteration): the
        mean cosine to all the others is the dot product with their sum, less its own."""
        rows = np.fromiter(map(self.row_of.__getitem__, keys), dtype=np.int64, count=len(keys))
        lengths = self.lengths[rows]
        entry_rows = np.repeat(np.arange(len(rows), dtype=np.int64), lengths)
        offsets = np.zeros(len(rows), dtype=np.int64)
        np.cumsum(lengths[:-1], out=offsets[1:])
        entries = self.starts[rows][entry_rows] + (np.arange(len(entry_rows), dtype=np.int64) - offsets[entry_rows])
        ids, weights = self.ids[entries], self.weights[entries]
        total = np.bincount(ids, weights=weights, minlength=len(self.words))
        dot = np.bincount(entry_rows, weights=weights * total[ids], minlength=len(rows))
        itself = np.bincount(entry_rows, weights=weights * weights, minlength=len(rows))
        return (dot - itself) / max(1, len(rows) - 1)


class SentenceFeatures(NamedTuple):
    """What ranking needs of an on-topic sentence besides its scores, found with the rest of its
    article (in a worker) so the corpus-wide ranking only combines them. Packed into strings:
    a large corpus keeps one per on-topic sentence (about ten per article)."""

    words: str  # its content words in order, space-separated (no word contains a space)
    anchors: str  # newline-separated
    material: bool
    meets_requirements: tuple[str, ...]  # topics whose `key_point_requires` it meets

    def anchor_set(self) -> frozenset[str]:
        return frozenset(self.anchors.split("\n")) if self.anchors else frozenset()

    def states_a_number(self) -> bool:
        """A figure or a year ("number:" anchors): what a report says happened, not background."""
        return self.anchors.startswith("number:") or "\nnumber:" in self.anchors


class FeatureFinder:
    def __init__(self, config: Config, unspin: Unspinner | None = None) -> None:
        self.unspin = unspin or Unspinner.from_config(config)
        self.settings = config.ranking
        self.required = {t.id: [any_term_pattern(group) for group in t.key_point_requires] for t in config.topics}

    def __call__(self, sentence: Sentence, scores: tuple[TopicScore, ...], spun: bool) -> SentenceFeatures:
        text = self.unspin(sentence.text, spun)
        meets = tuple(s.topic_id for s in scores if all(p.search(text) for p in self.required[s.topic_id]))
        return SentenceFeatures(" ".join(tokens(text)), "\n".join(sorted(anchors_of(sentence.text, scores))),
                                is_key_point_material(sentence, self.settings), meets)


QUOTED = re.compile(r"“[^“”]*”|\"[^\"]*\"")
OPENING_QUOTES = "“\"‘'"


def is_key_point_material(sentence: Sentence, settings: Ranking) -> bool:
    """Fragments, questions and asides to the reader inform nobody. A quoted statement is not an
    aside: "We will monitor …" inside quotation marks is the speaker's "we", not the outlet's."""
    text = sentence.text
    words = len(text.split())
    if not settings.min_words <= words <= settings.max_words:
        return False
    if not TERMINAL.search(text) or not text.lstrip(OPENING_QUOTES)[:1].isupper():
        return False
    unquoted = QUOTED.sub(" ", text) if ("“" in text or '"' in text) else text
    return not READER_ADDRESS.search(unquoted)


@dataclass
class Cluster:
    members: list[Candidate]

    @property
    def sources(self) -> set[str]:
        return {m.sentence.source_id for m in self.members}


NAME_RUN = re.compile(r"\b[A-Z][\w’'-]*(?:\s+(?:of\s+|al-)?[A-Z][\w’'-]*)*")
NUMBER = re.compile(r"\b\d[\d,.]*\d\b")
# NAME_RUN and NUMBER to search with: the same matches, faster (NUMBER twice as fast). A pattern
# that starts with a word boundary is tried at every character; one that starts with a capital
# or a digit is tried only there, and the character before is checked after.
_NAME_RUN_SEARCH = re.compile(r"[A-Z](?<![\w](?s:.))[\w’'-]*(?:\s+(?:of\s+|al-)?[A-Z][\w’'-]*)*")
_NUMBER_SEARCH = re.compile(r"\d(?<![\w](?s:.))[\d,.]*\d\b")
POSSESSIVE_END = re.compile(r"[’']s$")


def anchors_of(text: str, scores: tuple[TopicScore, ...]) -> frozenset[str]:
    """What a statement is about, beyond its wording: the names, numbers and topic terms it
    uses. Two outlets paraphrasing one fact rarely share words, but they share these."""
    names = set()
    for run in _NAME_RUN_SEARCH.findall(text):
        words = POSSESSIVE_END.sub("", run).lower().split()
        while words and words[0] in STOPWORDS:  # "Some Iranian-made": a capital only because it starts
            words.pop(0)
        if words:
            names.add(" ".join(words))
    found = {f"name:{n}" for n in names} | {f"number:{n}" for n in _NUMBER_SEARCH.findall(text)}
    found |= {f"term:{t}" for s in scores for t in s.matched_terms if t.lower().rstrip("*") not in names}
    return frozenset(found)


def _pair_totals(features: Iterable[tuple[list[int], list[float] | None]], size: int) -> np.ndarray:
    """For every pair of candidates, the sum over the features both have (each given as the rows
    that have it, in order, and their weights, or None for weight 1) of the product of their
    weights. Summed feature by feature with elementwise adds, not a BLAS product, so every
    machine gets the same last bits."""
    totals = np.zeros((size, size))
    for rows, weights in features:
        if len(rows) < 2:  # a feature of one candidate adds nothing to a pair
            continue
        # Rows that are one run (the words most candidates have) are a slice of the matrix, added
        # to in place, not copied out and back.
        run = slice(rows[0], rows[-1] + 1)
        block = (run, run) if rows[-1] - rows[0] + 1 == len(rows) else np.ix_(rows, rows)
        if weights is None:
            totals[block] += 1.0
        else:
            column = np.array(weights)
            totals[block] += np.outer(column, column)
    return totals


def same_point_strengths(candidates: list[Candidate], threshold: float) -> np.ndarray:
    """The similarity of two candidates where they make the same point, else 0, for every pair.

    Near-identical wording (cosine at or above `threshold`) is one point. Across sources,
    paraphrase is also recognised by weaker wording overlap plus two shared rare anchors, at
    least one a name or number ("Ukraine" and "drones"); shared topic words alone ("oil", "gas")
    are not enough, since every sentence of a topic has those. A topic clusters a few hundred
    candidates: all pairs at once as arrays, not a hundred thousand cosines of dicts."""
    size = len(candidates)
    words: dict[str, tuple[list[int], list[float]]] = {}
    for row, candidate in enumerate(candidates):
        for word, weight in candidate.vector.items():
            rows, weights = words.setdefault(word, ([], []))
            rows.append(row)
            weights.append(weight)
    cosines = _pair_totals(words.values(), size)
    rows_of: dict[str, list[int]] = {}  # each anchor's candidates, in order
    for row, candidate in enumerate(candidates):
        for anchor in candidate.anchors:
            rows_of.setdefault(anchor, []).append(row)
    # An anchor many candidates share is the topic's furniture ("Iran" on Iran's energy), unless
    # it comes with others in exactly the same candidates, one per source, a figure among them or
    # three names: that is one fact every outlet repeats ("Astrakhan", "Rasht" and "12" in five
    # outlets' five wordings). Two names alone are not ("Gazprom and NIGC" agreed a price, and
    # disagree on a pipeline).
    together: dict[tuple[int, ...], list[str]] = {}
    for anchor, rows in rows_of.items():
        if not anchor.startswith("term:"):
            together.setdefault(tuple(rows), []).append(anchor)
    repeated_fact = {anchor for anchor, rows in rows_of.items()
                     if len(group := together.get(tuple(rows), [])) >= 2
                     and (len(group) >= 3 or any(a.startswith("number:") for a in group))
                     and len({candidates[r].sentence.source_id for r in rows}) == len(rows)}
    rare_limit = max(3, size * 15 // 100)
    anchors = {anchor: rows for anchor, rows in rows_of.items() if len(rows) <= rare_limit or anchor in repeated_fact}
    shared = _pair_totals(((rows, None) for rows in anchors.values()), size)
    # What two sentences say about the names they share: their overlap on the other words.
    said: dict[str, tuple[list[int], list[float]]] = {}
    for row, candidate in enumerate(candidates):
        name_words = {w for a in candidate.anchors if not a.startswith("term:") for w in tokens(a.split(":", 1)[1])}
        for word, weight in candidate.vector.items():
            if word not in name_words:
                rows, weights = said.setdefault(word, ([], []))
                rows.append(row)
                weights.append(weight)
    predicate = _pair_totals(said.values(), size)
    named = _pair_totals(((rows, None) for anchor, rows in anchors.items() if not anchor.startswith("term:")), size)
    source_of = {source: i for i, source in enumerate(sorted({c.sentence.source_id for c in candidates}))}
    sources = np.array([source_of[c.sentence.source_id] for c in candidates])
    spun = np.array([c.spun for c in candidates], dtype=bool)
    reworded = spun[:, None] | spun[None, :]
    # Two statements that each give a figure the other does not ("the toll from the 7.7 quake rose
    # to 2,886" and "the toll from the 7.7 quake reached 1,700") report different moments or
    # things, however alike their words: not one point corroborated twice.
    numbers = {anchor: rows for anchor, rows in rows_of.items() if anchor.startswith("number:")}
    figures_per_row = np.zeros(size)
    for rows in numbers.values():
        figures_per_row[rows] += 1
    same_figure = _pair_totals(((rows, None) for rows in numbers.values()), size)
    own_figure = figures_per_row[:, None] > same_figure  # a figure of the row's the column does not give
    other_figures = own_figure & own_figure.T
    paraphrase = ((sources[:, None] != sources[None, :]) & (cosines >= PARAPHRASE_COSINE)
                  & (shared >= 2) & (named >= 1) & ((predicate >= PREDICATE_COSINE) | reworded))
    return np.where(((cosines >= threshold) | paraphrase) & ~other_figures, cosines, 0.0)


def _cluster(candidates: list[Candidate], threshold: float) -> list[Cluster]:
    """Each candidate joins the cluster whose closest member makes the same point most strongly
    (the earliest such cluster on a tie), or starts one."""
    strengths = same_point_strengths(candidates, threshold)
    clusters: list[Cluster] = []
    # Every candidate's strongest same point with each cluster's members so far (0 if none), kept
    # up to date as members join: not gathered again from all the earlier members for each row.
    closest = np.zeros((len(candidates), len(candidates)))
    for row, cand in enumerate(candidates):
        best = closest[row, :len(clusters)]
        nearest = int(np.argmax(best)) if clusters else 0
        if clusters and best[nearest] > 0:
            clusters[nearest].members.append(cand)
        else:
            nearest = len(clusters)
            clusters.append(Cluster([cand]))
        np.maximum(closest[:, nearest], strengths[:, row], out=closest[:, nearest])
    return clusters


@dataclass(frozen=True)
class TopicSentences:
    """A topic's sentences with all their topic scores, in corpus order, and what ranking reads of
    each, read off once while the pipeline finds them: a large corpus's topic has tens of
    thousands, and reading a sentence's fields costs more than what is done with them. Iterates
    and counts as the (sentence, scores) pairs do."""

    scored: list[tuple[Sentence, tuple[TopicScore, ...]]]
    keys: list[tuple[str, str]]  # (source id, sentence id)
    own: list[float]  # the topic's score from the sentence's own words, without its heading
    best_own: list[float]  # the highest of those over the sentence's topics
    strongest: list[bool]  # this topic has the sentence's highest score (heading included)

    @classmethod
    def of(cls, topic_id: str, scored: list[tuple[Sentence, tuple[TopicScore, ...]]]) -> TopicSentences:
        return cls.gather(scored, [topic_id])[topic_id]

    @classmethod
    def gather(cls, scored: Iterable[tuple[Sentence, tuple[TopicScore, ...]]],
               topic_ids: list[str]) -> dict[str, TopicSentences]:
        """Each of these topics' sentences, in the order given, from one pass over them all: a
        sentence's fields are read once, however many topics it is on."""
        found: dict[str, tuple[list, list, list, list, list]] = {t: ([], [], [], [], []) for t in topic_ids}
        for sentence, scores in scored:
            key = (sentence.source_id, sentence.id)
            best = scores[0].own if len(scores) == 1 else max(s.own for s in scores)
            for score in scores:  # each topic once (see classify)
                if (lists := found.get(score.topic_id)) is not None:
                    pairs, keys, own, best_own, strongest = lists
                    pairs.append((sentence, scores))
                    keys.append(key)
                    own.append(score.own)
                    best_own.append(best)
                    strongest.append(score.score >= scores[0].score)
        return {t: cls(*lists) for t, lists in found.items()}

    def __iter__(self) -> Iterator[tuple[Sentence, tuple[TopicScore, ...]]]:
        return iter(self.scored)

    def __len__(self) -> int:
        return len(self.scored)


def material_meeting(topic_id: str, keys: list[tuple[str, str]], among: np.ndarray,
                     features: Mapping[tuple[str, str], SentenceFeatures]) -> tuple[np.ndarray, np.ndarray]:
    """The positions in `among` (of sentences, by `keys`) that are key point material and meet
    the topic's requirements, and whether each states a number."""
    at, specific = [], []
    for i in among.tolist():
        found = features[keys[i]]
        if found.material and topic_id in found.meets_requirements:
            at.append(i)
            specific.append(found.states_a_number())
    return np.array(at, dtype=np.int64), np.array(specific, dtype=bool)


def base_scores(own: np.ndarray, central: np.ndarray, top_centrality: float, quality: np.ndarray,
                specific: np.ndarray, weights: RankWeights) -> np.ndarray:
    """Each sentence's score before corroboration: how well it fits (`own`: its own words' score
    on the topic), how central it is beside the topic's most central, how good its source is,
    and a figure counts extra. Elementwise, in the order the arithmetic is written in, so every
    bit is what Python's floats give one sentence at a time."""
    fit = own / (own + 4.0)
    base = weights.fit * fit + weights.centrality * central / top_centrality + weights.source_quality * quality
    base[specific] += weights.specifics
    return base


def best_first(base: np.ndarray, count: int, tiebreak: Callable[[int], tuple[str, int]]) -> list[int]:
    """The positions of the `count` highest of `base`, highest first, a tie to the lower
    `tiebreak`: sorted(range(len(base)), key=...)[:count], but only those that can be among
    them are sorted, not the tens of thousands a topic may have."""
    if count <= 0:
        return []
    among = np.arange(len(base))
    if len(base) > count:
        among = np.flatnonzero(base >= np.partition(base, len(base) - count)[len(base) - count])
    score = dict(zip(among.tolist(), base[among].tolist(), strict=True))
    return sorted(score, key=lambda i: (-score[i], *tiebreak(i)))[:count]


def best_bounded(upper: np.ndarray, among: np.ndarray, count: int,
                 exact: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Enough of `among` to hold the `count` best by exact score, with those scores: `exact` gives,
    of some positions, those it keeps and their scores, none above the position's `upper`. It is
    given the positions with the highest `upper` first, in batches that double, until `count` it
    kept score more than any position left could: the rest cannot be among the best, and most
    of a topic's tens of thousands of sentences need not have their features read."""
    kept, scores = [np.zeros(0, dtype=np.int64)], [np.zeros(0)]
    order = among[np.argsort(-upper[among], kind="stable")] if count > 0 else among[:0]
    start, size = 0, 2 * count
    while start < len(order):
        found, score = exact(np.sort(order[start:start + size]))
        kept.append(found)
        scores.append(score)
        start, size = start + size, 2 * size
        every = np.concatenate(scores)
        if start < len(order) and len(every) >= count \
                and np.partition(every, len(every) - count)[len(every) - count] > upper[order[start]]:
            break
    return np.concatenate(kept), np.concatenate(scores)


def rank_topic(
    topic_id: str,
    topic: TopicSentences,
    sentence_vectors: SentenceVectors,
    sources: dict[str, Source],
    config: Config,
    groups: dict[str, str] | None = None,
    features: dict[tuple[str, str], SentenceFeatures] | None = None,
) -> list[KeyPoint]:
    """The topic's key points, best first; `groups` maps each source to its copy group, so
    sources that copy one another corroborate a point once. `features` are computed here when
    not given (the pipeline finds them per article)."""
    groups = groups or {}
    settings = config.ranking
    weights = settings.weights
    members, keys = topic.scored, topic.keys
    if features is None:
        find = FeatureFinder(config)
        features = {key: find(s, scores, sources[s.source_id].is_spun)
                    for (s, scores), key in zip(members, keys, strict=True)}
    if not members:
        return []
    centrality = sentence_vectors.centrality(keys)
    top_centrality = float(centrality.max()) or 1.0
    n_sources = len(sources)
    # Looked up once, not per member: a large corpus's topic has tens of thousands.
    quality = {source_id: settings.spun_source_quality for source_id, source in sources.items() if source.is_spun}
    own, best_own = np.array(topic.own, dtype=float), np.array(topic.best_own, dtype=float)
    share = own / np.where(best_own == 0, 1.0, best_own)
    quality_of = np.array([quality.get(key[0], 1.0) for key in keys]) if quality else np.ones(len(keys))
    # Each member's base score as if it stated a figure when a figure adds weight: never below its
    # base score, and known without its features, so only the features of members that may be
    # among the best are read.
    upper = base_scores(own, centrality, top_centrality, quality_of, np.full(len(keys), weights.specifics > 0),
                        weights)

    def eligible(among: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Those of `among` that are key point material meeting the topic's requirements, and their base scores."""
        at, specific = material_meeting(topic_id, keys, among, features)
        return at, base_scores(own[at], centrality[at], top_centrality, quality_of[at], specific, weights)

    def candidates(among: np.ndarray, count: int) -> list[Candidate]:
        """The best `count` of the eligible among `among`; vectors and anchors are unpacked only for these few."""
        at, base = best_bounded(upper, among, count, eligible)
        result = []
        for i in best_first(base, count, lambda i: (members[at[i]][0].source_id, members[at[i]][0].index)):
            (sentence, scores), key = members[at[i]], keys[at[i]]
            mine = scores[0] if len(scores) == 1 else next(s for s in scores if s.topic_id == topic_id)
            result.append(Candidate(sentence, mine.score, mine.own, float(share[at[i]]), sentence_vectors[key],
                                    base=float(base[i]), strongest=topic.strongest[at[i]],
                                    anchors=features[key].anchor_set(), spun=sources[sentence.source_id].is_spun))
        return result

    # A key point is about this topic in its own words, and mainly about it; on a thin topic a
    # sentence that is on it only with its heading's help may make up the minimum. Only a page's
    # worth of points is shown; clustering the best few hundred keeps this linear in corpus size.
    passes = (own >= settings.min_key_score) & (share >= config.classification.min_share_of_best)
    clusters = _cluster(candidates(np.flatnonzero(passes), settings.max_key_points * CANDIDATES_PER_POINT),
                        settings.duplicate_similarity)
    missing = settings.min_key_points - len(clusters)
    full_test = len(clusters)
    if missing > 0 and (fallback := candidates(np.flatnonzero(~passes & np.array(topic.strongest, dtype=bool)),
                                               missing * CANDIDATES_PER_POINT)):
        clusters += _cluster(fallback, settings.duplicate_similarity)[:missing]

    points = []
    for number, cluster in enumerate(clusters):
        penalty = 1.0 if number >= full_test else 0.0  # fill-ins come after the points that passed the full test
        ordered = sorted(cluster.members, key=lambda m: (sources[m.sentence.source_id].is_spun, -m.base,
                                                         m.sentence.source_id, m.sentence.index))
        lead = ordered[0]
        independent = len({groups.get(s, s) for s in cluster.sources})
        corroboration = (independent - 1) / max(1, n_sources - 1)
        score = max(m.base for m in cluster.members) + weights.corroboration * corroboration - penalty
        points.append(KeyPoint(
            text=lead.sentence.text,
            citations=tuple(Citation(m.sentence.source_id, m.sentence.id) for m in ordered),
            score=round(score, 6),
            source_count=len(cluster.sources),
            independent_count=independent,
            spun_only=all(sources[s].is_spun for s in cluster.sources),
        ))
    points.sort(key=lambda p: (-p.score, p.citations[0].source_id, p.citations[0].sentence_id))
    # The best points make the page; of those, one that rests only on spun text comes after
    # every point a clean source makes, so it is never a topic's lead while a clean source has one.
    return sorted(points[: settings.max_key_points], key=lambda p: p.spun_only)


def with_context(points: Iterable[KeyPoint], sources: Mapping[str, Source]) -> list[KeyPoint]:
    """Each point that points back at the sentence before it (KeyPoint.needs_context) with that
    sentence as its context, where its source has one before it."""
    result = []
    for point in points:
        if point.needs_context:
            shown = point.citations[0]
            sentences = sources[shown.source_id].sentences
            at = next((i for i, s in enumerate(sentences) if s.id == shown.sentence_id), 0)
            if at > 0:
                point = replace(point, context=Citation(shown.source_id, sentences[at - 1].id))
        result.append(point)
    return result


def coverage(topic: TopicSentences) -> tuple[SourceCoverage, ...]:
    """How many of the topic's sentences each source has, most first, then by id: counted from the
    keys, in C, and ordered by two sorts without a key function (the second keeps ties in order)."""
    counts = Counter(map(itemgetter(0), topic.keys))
    most_first = sorted(sorted(counts.items()), key=itemgetter(1), reverse=True)
    return tuple(itertools.starmap(SourceCoverage, most_first))
