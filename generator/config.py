"""Load and validate `briefing.yml`.

The schema is the dataclasses below: their fields are the only keys accepted, their
defaults are the defaults, and every error found is reported at once with its dotted
key path, so a misspelt key fails loudly instead of being silently ignored.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import math
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

TOPIC_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class ConfigError(Exception):
    """A config or metadata file is unusable; the message names the file and every problem."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{path}: invalid configuration\n{lines}")


EXCERPT = 60  # characters of a value shown in a message; a value can be megabytes


def excerpt(value: Any, limit: int = EXCERPT) -> str:
    """A value as a message shows it: its repr cut to about `limit` characters, with the full
    length said, so a megabyte value makes a one-line message (and Build report line)."""
    if isinstance(value, str):
        shown = repr(value[:limit])
        return shown if len(value) <= limit else f"{shown[:-1]}…{shown[-1]} ({len(value):,} characters)"
    if isinstance(value, (bool, float, type(None))):
        return repr(value)
    if isinstance(value, int):
        return repr(value) if abs(value) < 10 ** limit else f"a number of more than {limit} digits"
    return f"a {type(value).__name__}"


def key_text(key: Any, limit: int = EXCERPT) -> str:
    """A mapping key as part of a dotted key path, cut like `excerpt`."""
    text = str(key) if isinstance(key, (str, int, float, bool)) or key is None else f"<{type(key).__name__}>"
    return text if len(text) <= limit else text[:limit] + "…"


class NoAliasLoader(yaml.SafeLoader):
    """PyYAML's safe loader without aliases: a few hundred bytes of nested aliases ("billion
    laughs") expand to gigabytes, and no file here needs them."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed", mark)
        return super().compose_node(parent, index)


# Dates stay text: `2025-17-03` would otherwise raise a ValueError from inside the parser, and
# the callers check dates themselves, naming the file and key.
NoAliasLoader.add_constructor("tag:yaml.org,2002:timestamp", NoAliasLoader.construct_yaml_str)  # type: ignore[type-var]


def safe_yaml(text: str) -> Any:
    """Parse untrusted YAML: tags are refused (safe loader), aliases are refused, and nesting so
    deep it would exhaust Python's stack is a YAML error like any other."""
    try:
        return yaml.load(text, Loader=NoAliasLoader)
    except RecursionError:
        raise yaml.YAMLError("nested too deeply") from None
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise yaml.YAMLError(key_text(str(exc), 120)) from None


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    description: str = ""
    # term -> weight; "sanction*" matches any word starting with "sanction".
    terms: dict[str, float] = field(default_factory=dict)
    # When given, a sentence belongs to the topic only if its own words also contain one of
    # these: the topic's subject ("Western reactions" are reactions *of Western actors*).
    requires: list[str] = field(default_factory=list)
    # Groups of terms a key point must match, one term from every group.
    key_point_requires: list[list[str]] = field(default_factory=list)


@dataclass(frozen=True)
class SpinSignature:
    phrase: str
    meaning: str


# What synonym spinners leave behind in English text, whatever the story: a phrase no writer
# would choose, and the word it replaced. One alone proves nothing ("settlement" is a word);
# several distinct ones, often enough, do (see `SpinDetection`).
SPIN_SIGNATURES = (
    ("settlement", "agreement"), ("army workouts", "military exercises"), ("go to", "visit"),
    ("brand new", "new"), ("the 2 nations", "the two countries"), ("peaceable", "peaceful"),
    ("vitality", "energy"), ("unbiased", "independent"), ("extra", "more"), ("careworn", "stressed"),
    ("imaginative and prescient", "vision"), ("facilities of energy", "centers of power"),
    ("quick-term", "short-term"), ("in mild of", "in light of"), ("lengthy-term", "long-term"),
    ("synthetic intelligence", "artificial intelligence"), ("huge information", "big data"),
    ("device studying", "machine learning"), ("chief government", "chief executive"),
    ("top minister", "prime minister"),
    ("overseas minister", "foreign minister"), ("inventory market", "stock market"), ("percentage fee", "share price"),
    ("hobby charges", "interest rates"),
)

# Spinner substitutions undone for matching and comparing (never in shown text). Applied in
# every source: none of these is what an honest English writer means by the phrase.
EQUIVALENTS = {
    "settlement": "agreement", "army workouts": "military exercises", "go to": "visit", "gasoline": "gas",
    "vitality": "energy", "commerce": "trade", "cost infrastructure": "payment infrastructure",
    "nations": "countries", "the 2 nations": "the two countries", "worldwide": "international",
    "financial system": "economy", "army": "military", "unbiased": "independent",
}

# Undone only in a source flagged spun: in honest text these words mean what they say.
SPUN_EQUIVALENTS = {
    "financial": "economic", "safety": "security", "arms management": "arms control",
    "commerce quantity": "trade volume", "army pressure": "military force", "shut cooperation": "close cooperation",
    "top minister": "prime minister", "overseas minister": "foreign minister", "inventory market": "stock market",
    "chief government": "chief executive", "lengthy-term": "long-term", "quick-term": "short-term",
}

# Words before a name that make it a person's ("Energy Minister Anna Berg", "Spokesperson Li Wei").
TITLES = (
    "President", "Vice President", "Prime Minister", "Minister", "Deputy Minister", "Secretary", "Ambassador",
    "Envoy", "General", "Admiral", "Colonel", "Commander", "Chancellor", "Premier", "Governor", "Mayor",
    "Senator", "Representative", "Congressman", "Congresswoman", "Lawmaker", "MP", "Speaker", "Chairman",
    "Chairwoman", "Chair", "Leader", "Spokesman", "Spokeswoman", "Spokesperson", "Director", "Commissioner",
    "Judge", "Justice", "Prosecutor", "CEO", "Chief Executive", "Chief", "Founder", "Analyst", "Professor",
    "Dr.", "King", "Queen", "Prince", "Princess", "Emir", "Sheikh", "Sultan", "Pope", "Cardinal", "Bishop",
    "Rabbi", "Imam", "Ayatollah", "Patriarch", "Mr.", "Mrs.", "Ms.", "Dr", "Prof",  # "Dr Jane Roe", British
    "Inspector", "Detective", "Sergeant", "Constable", "Superintendent", "Captain", "Lieutenant",  # police, forces
    # Roles as many outlets write them, in lower case before the name ("JPMorgan analyst Karl
    # Chan", "the ministry's spokesperson Li Wei"): only roles a capitalised phrase after which
    # is a person's name, not "general Assembly".
    "analyst", "economist", "spokesperson", "spokesman", "spokeswoman", "lawyer", "researcher", "professor",
    "envoy", "ambassador", "minister", "commissioner", "prosecutor", "senator", "chairman", "chairwoman",
    "chief executive", "executive", "founder", "correspondent", "editor",
)


@dataclass(frozen=True)
class SpinDetection:
    # Spinner substitutions are counted per 1,000 words; a source at or above the
    # threshold, with at least `min_distinct` different signatures, is flagged "spun".
    signatures: list[SpinSignature] = field(
        default_factory=lambda: [SpinSignature(phrase, meaning) for phrase, meaning in SPIN_SIGNATURES])
    threshold_per_1000_words: float = 4.0
    min_distinct: int = 3


@dataclass(frozen=True)
class Classification:
    min_score: float = 2.0
    # The sentence's own words (not its heading) must reach this to belong to a topic.
    min_own_score: float = 1.0
    # A term seen only as one item of an enumeration of other things counts this fraction.
    list_mention_weight: float = 0.25
    heading_weight: float = 0.5
    # A key point is shown on a topic only if that topic has at least this share of the
    # sentence's strongest topic score, so a point mainly about one topic stays there.
    min_share_of_best: float = 0.8
    # A sentence on no topic that follows, in the same paragraph, one whose own words score at
    # least this on a topic continues it: a member of that topic at `min_score`, with no words of
    # its own, so never a key point by itself (0 turns this off). On the labelled corpora's
    # development halves, assignment F1 rose from 0.73 to 0.76 (treaty) and 0.74 to 0.75
    # (baltic-cable), key points unchanged; at 3.0 it rose further but cost the seeds' finance
    # topic precision (0.94 to 0.80, F1 below its floor).
    paragraph_context_min_own: float = 4.0


@dataclass(frozen=True)
class RankWeights:
    fit: float = 1.0
    centrality: float = 1.0
    corroboration: float = 0.6
    source_quality: float = 0.4
    # For a sentence that states a figure or a year: on the labelled corpora's development halves,
    # 76% of such on-topic sentences were key points against 55% of the rest.
    specifics: float = 0.5


@dataclass(frozen=True)
class Ranking:
    max_key_points: int = 12
    # A topic page shows at least this many points when it has the sentences for them.
    min_key_points: int = 3
    # A key point's own words must score at least this on its topic (one strong term).
    min_key_score: float = 3.0
    lead_points: int = 3
    min_key_points_before_thin: int = 5
    min_words: int = 8
    max_words: int = 70
    duplicate_similarity: float = 0.5
    spun_source_quality: float = 0.5
    weights: RankWeights = field(default_factory=RankWeights)


@dataclass(frozen=True)
class Keywords:
    per_topic: int = 8
    per_source: int = 10
    max_ngram: int = 3
    candidates: int = 100
    min_lift: float = 1.5
    max_topics_sharing: int = 2


@dataclass(frozen=True)
class Facts:
    # Words that name what a figure is about, mapped to one name so "20-year pact" and
    # "in effect for 20 years" (about the treaty) are compared. Left out, each topic's own
    # terms name it ("a 40 percent gas discount" is about Energy): see `figure_subjects`.
    subjects: dict[str, str] | None = None
    # Units that mean the same ("provision" -> "article").
    units: dict[str, str] = field(default_factory=lambda: {"provision": "article", "clause": "article",
                                                           "kilometre": "km", "kilometer": "km"})
    # Nouns a year can date ("the 2001 framework").
    dated_things: list[str] = field(default_factory=lambda: [
        "treaty", "framework", "deal", "agreement", "pact", "accord", "invasion", "war", "ceasefire", "truce",
        "election", "referendum", "summit", "sanctions", "law", "constitution", "crisis", "revolution", "coup",
        "merger", "acquisition", "takeover", "contract", "concession", "lease"])
    context_words: int = 8
    min_quote_words: int = 2


@dataclass(frozen=True)
class PlayerEntry:
    name: str
    kind: str
    variants: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Players:
    # Known people, organisations and places; other people are found after a title
    # ("President", "Ambassador") and merged with a known name they nearly spell.
    gazetteer: list[PlayerEntry] = field(default_factory=list)
    # The engine's own gazetteer of countries, cities, seas, regions and international bodies
    # (generator/data/world.yml) is searched too unless this is false.
    world_gazetteer: bool = True
    titles: list[str] = field(default_factory=lambda: list(TITLES))
    fuzzy_first_name: float = 0.6
    max_citations: int = 3


PLAYER_KINDS = ("person", "organisation", "place")


@dataclass(frozen=True)
class Config:
    title: str
    description: str = ""
    # The site's name in its header, tab and feed; the title when left out.
    short_title: str = ""
    language: str = "en"
    topics: list[Topic] = field(default_factory=list)
    # Words a synonym spinner substitutes, undone for matching only; shown text is never rewritten.
    equivalents: dict[str, str] = field(default_factory=lambda: dict(EQUIVALENTS))
    # Substitutions undone only in sources flagged spun ("financial" for "economic").
    spun_equivalents: dict[str, str] = field(default_factory=lambda: dict(SPUN_EQUIVALENTS))
    spin_detection: SpinDetection = field(default_factory=SpinDetection)
    classification: Classification = field(default_factory=Classification)
    ranking: Ranking = field(default_factory=Ranking)
    keywords: Keywords = field(default_factory=Keywords)
    players: Players = field(default_factory=Players)
    facts: Facts = field(default_factory=Facts)


def _type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if origin in (list, dict):
        return f"{origin.__name__}[{', '.join(_type_name(a) for a in typing.get_args(tp))}]"
    if dataclasses.is_dataclass(tp):
        return "mapping"
    return getattr(tp, "__name__", str(tp))


def _convert(value: Any, tp: Any, path: str, problems: list[str]) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if value is None:
            return None
        return _convert(value, args[0], path, problems)
    if dataclasses.is_dataclass(tp):
        return _build(tp, value, path, problems)
    if origin is list:
        if not isinstance(value, list):
            problems.append(f"{path}: expected a list, got {type(value).__name__}")
            return []
        (item_tp,) = typing.get_args(tp)
        return [_convert(v, item_tp, f"{path}[{_item_label(v, i)}]", problems) for i, v in enumerate(value)]
    if origin is dict:
        if not isinstance(value, dict):
            problems.append(f"{path}: expected a mapping, got {type(value).__name__}")
            return {}
        key_tp, value_tp = typing.get_args(tp)
        converted = {}
        for k, v in value.items():
            reported = len(problems)
            key = _convert(k, key_tp, f"{path}.{key_text(k)}", problems)
            item = _convert(v, value_tp, f"{path}.{key_text(k)}", problems)
            if len(problems) == reported or key:  # a key that is not text is reported once, then left out
                converted[key] = item
        return converted
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"{path}: expected a number, got {excerpt(value)}")
            return 0.0
        return _finite(value, path, problems)
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(f"{path}: expected a whole number, got {excerpt(value)}")
            return 0
        if abs(value) > MAX_WHOLE:
            problems.append(f"{path}: {excerpt(value)} is out of range (at most {MAX_WHOLE:,})")
            return 0
        return value
    if tp is str:
        if not isinstance(value, str):
            problems.append(f"{path}: expected text, got {excerpt(value)}{_unquoted_hint(value)}")
            return ""
        return value
    if tp is bool:
        if not isinstance(value, bool):
            problems.append(f"{path}: expected true or false, got {excerpt(value)}")
            return False
        return value
    raise TypeError(f"unsupported schema type {tp!r}")  # pragma: no cover - schema bug


def _unquoted_hint(value: Any) -> str:
    """YAML turns some unquoted text into other types ("12:33" into 753, "no" into false): the
    message says so, since the file shows the text the maintainer wrote."""
    if isinstance(value, bool):
        return " (YAML reads an unquoted yes, no, on or off as true or false: put the text in quotes)"
    if isinstance(value, (int, float)):
        return " (YAML read unquoted text as a number, e.g. \"12:33\" as 753: put the text in quotes)"
    return ""


def _item_label(item: Any, position: int) -> str:
    """How a message names a list entry: a topic by its id, a gazetteer entry by its name, so a
    maintainer finds it without counting entries; the position only when it has neither."""
    if isinstance(item, dict):
        for key in ("id", "name", "phrase"):
            if isinstance(item.get(key), str) and item[key].strip():
                return item[key]
    return str(position)


MAX_WHOLE = 10**9  # no count here needs more; a larger one overflows a slice or a range later
MAX_NUMBER = 1e12  # no weight or threshold needs more; sums of larger ones lose their meaning


def _finite(value: int | float, path: str, problems: list[str]) -> float:
    """A config number as a float: NaN compares false with everything and infinity swamps
    every sum, so both are refused, as is an integer too large for a float (10**400)."""
    try:
        number = float(value)
    except OverflowError:
        problems.append(f"{path}: {excerpt(value)} is too large")
        return 0.0
    if not math.isfinite(number) or abs(number) > MAX_NUMBER:
        problems.append(f"{path}: must be a finite number of at most {MAX_NUMBER:g}, got {excerpt(value)}")
        return 0.0
    return number


# Numbers that are shares or similarities: outside [0, 1] they mean nothing.
FRACTIONS = ("classification.list_mention_weight", "classification.min_share_of_best",
             "ranking.spun_source_quality", "players.fuzzy_first_name")


def _check_ranges(config: Config, problems: list[str]) -> None:
    """Counts are not negative, shares are in [0, 1], and a figure's context has a word."""
    def walk(node: Any, path: str) -> None:
        for f in dataclasses.fields(node):
            value, key = getattr(node, f.name), f"{path}{f.name}"
            if dataclasses.is_dataclass(value):
                walk(value, key + ".")
            elif isinstance(value, int) and not isinstance(value, bool) and value < 0:
                problems.append(f"{key}: must not be negative, got {value}")
            elif key in FRACTIONS and not 0 <= value <= 1:
                problems.append(f"{key}: must be between 0 and 1, got {value}")
    walk(config, "")
    if config.facts.context_words < 1:
        problems.append("facts.context_words: must be at least 1")


def _build(cls: Any, data: Any, path: str, problems: list[str]) -> Any:
    label = path or "top level"
    if data is None:
        data = {}
    if not isinstance(data, dict):
        problems.append(f"{label}: expected a mapping, got {type(data).__name__}")
        data = {}
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key in sorted(data, key=str):
        key_path = f"{path}.{key_text(key)}" if path else key_text(key)
        if key not in fields:
            close = difflib.get_close_matches(str(key), list(fields), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            problems.append(f"{key_path}: unknown key{hint}")
            continue
        kwargs[key] = _convert(data[key], hints[key], key_path, problems)
    for name, f in fields.items():
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if required and name not in kwargs:
            problems.append(f"{path + '.' if path else ''}{name}: required key is missing")
            kwargs[name] = _convert(_placeholder(hints[name]), hints[name], name, [])
    return cls(**kwargs)


def _placeholder(tp: Any) -> Any:
    return {str: "", int: 0, float: 0.0, bool: False}.get(tp, {})


def _check_semantics(config: Config, problems: list[str]) -> None:
    if not config.topics:
        problems.append("topics: at least one topic is required")
    first: dict[str, int] = {}
    for number, topic in enumerate(config.topics, 1):
        path = f"topics[{topic.id or number - 1}]"
        if not TOPIC_ID.match(topic.id):
            problems.append(f"{path}.id: {topic.id!r} must be lowercase letters, digits and single hyphens")
        if topic.id in first:
            problems.append(f"{path}.id: duplicate topic id {topic.id!r} (topics number {first[topic.id]} "
                            f"and {number})")
        first.setdefault(topic.id, number)
        if not topic.terms and not any(p.startswith(f"{path}.terms.") for p in problems):
            problems.append(f"{path}.terms: topic {topic.id!r} has nothing to match on")
        for term, weight in topic.terms.items():
            if not term.strip("* "):
                problems.append(f"{path}.terms: empty term")
            already = any(p.startswith(f"{path}.terms.{term}:") for p in problems)  # e.g. not a number
            if weight <= 0 and not already:
                problems.append(f"{path}.terms.{term}: weight must be positive, got {weight}")
    r = config.ranking
    if r.max_key_points < 1:
        problems.append("ranking.max_key_points: must be at least 1")
    if not 0 < r.duplicate_similarity <= 1:
        problems.append("ranking.duplicate_similarity: must be in (0, 1]")
    for entry in config.players.gazetteer:
        path = f"players.gazetteer[{entry.name.strip() or '?'}]"
        if entry.kind not in PLAYER_KINDS:
            problems.append(f"{path}.kind: {entry.kind!r} is not one of {', '.join(PLAYER_KINDS)}")
        # An empty name would match between any two words.
        if not entry.name.strip():
            problems.append(f"{path}.name: empty name")
        if any(not variant.strip() for variant in entry.variants):
            problems.append(f"{path}.variants: empty name")
    if any(not title.strip() for title in config.players.titles):
        problems.append("players.titles: empty title")
    if config.keywords.max_ngram < 1:
        problems.append("keywords.max_ngram: must be at least 1")


WORLD = Path(__file__).parent / "data" / "world.yml"


@functools.cache
def world_gazetteer() -> tuple[PlayerEntry, ...]:
    """The engine's places and organisations (generator/data/world.yml), read once, with libyaml's
    parser where PyYAML has it (8x faster on this file: 0.07 s of every build, a rebuild's too)."""
    data = yaml.load(WORLD.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return tuple(PlayerEntry(e["name"], kind, list(e.get("variants", [])))
                 for section, kind in (("places", "place"), ("organisations", "organisation"))
                 for e in data[section])


def figure_subjects(topics: list[Topic]) -> dict[str, str]:
    """What a figure is about when the story names no subjects: the topic whose terms are
    near it ("a 40 percent gas discount" is about energy). A word that is a term of several
    topics names the one that weighs it most (the first of those on a tie)."""
    best: dict[str, tuple[float, int, str]] = {}
    for order, topic in enumerate(topics):
        for term, weight in topic.terms.items():
            word = term.rstrip("*").lower()
            if re.fullmatch(r"[a-z]{3,}", word) and (word not in best or (-weight, order) < best[word][:2]):
                best[word] = (-weight, order, topic.title.lower())
    return {word: subject for word, (_, _, subject) in sorted(best.items())}


def with_engine_defaults(config: Config) -> Config:
    """The story's config completed by what the engine knows about any story: figure subjects
    from the topics when the story names none, and the engine's gazetteer after the story's own
    entries (an engine entry sharing a name or variant with the story's is left out: the story wins)."""
    facts = config.facts
    if facts.subjects is None:
        facts = dataclasses.replace(facts, subjects=figure_subjects(config.topics))
    players = config.players
    if players.world_gazetteer:
        claimed = {v for e in players.gazetteer for v in (e.name, *e.variants)}
        added = [e for e in world_gazetteer() if claimed.isdisjoint((e.name, *e.variants))]
        players = dataclasses.replace(players, gazetteer=[*players.gazetteer, *added])
    return dataclasses.replace(config, facts=facts, players=players)


def parse_config(data: Any, path: str = "briefing.yml") -> Config:
    problems: list[str] = []
    config = _build(Config, data, "", problems)
    # Checked whatever else is wrong: a misspelt key must not hide a duplicate topic id.
    _check_semantics(config, problems)
    _check_ranges(config, problems)
    if problems:
        raise ConfigError(path, problems)
    return with_engine_defaults(config)


def load_yaml(path: Path) -> Any:
    """Parse a YAML file safely; syntax errors name the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(str(path), ["file not found"]) from None
    except (UnicodeDecodeError, OSError) as exc:
        raise ConfigError(str(path), [f"cannot read: {exc}"]) from None
    try:
        return safe_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(str(path), [f"{where}invalid YAML: {key_text(problem, 200)}"]) from None


def load_config(path: Path) -> Config:
    return parse_config(load_yaml(path), str(path))
