"""Key players: people, organisations and places, counted per source and per topic.

Names come from the YAML gazetteer plus a heuristic that finds people after a title
("Ambassador to Moscow Kazim Jalali"). A found name whose surname matches a known person
and whose first name nearly matches is a spelling variant of that person, so the sources'
"Kazim" and "Kazem" Jalali are one row. No model is downloaded.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .config import Players as PlayerSettings
from .model import Citation, Player, Source, TopicScore

NAME_WORD = r"[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
KIND_ORDER = {"person": 0, "organisation": 1, "place": 2}


@dataclass
class _Entry:
    name: str
    kind: str
    variants: set[str] = field(default_factory=set)


def title_pattern(titles: list[str]) -> re.Pattern[str] | None:
    if not titles:
        return None
    alternatives = "|".join(re.escape(t) for t in sorted(titles))
    return re.compile(
        rf"\b(?:{alternatives})\s+(?:(?:of|to|for)\s+(?:the\s+)?(?:[A-Z][\w-]*\s+){{1,2}})?"
        rf"(?P<name>{NAME_WORD}(?:\s+(?:al-|bin\s+)?{NAME_WORD}){{1,2}})"
    )


def _same_person(found: str, known: str, threshold: float) -> bool:
    f, k = found.split(), known.split()
    if len(f) < 2 or len(k) < 2 or f[-1] != k[-1]:
        return False
    return difflib.SequenceMatcher(None, f[0].lower(), k[0].lower()).ratio() >= threshold


def discover(sources: list[Source], settings: PlayerSettings) -> list[_Entry]:
    """The gazetteer, extended by people found after titles and merged by spelling."""
    entries = [_Entry(e.name, e.kind, {e.name, *e.variants}) for e in settings.gazetteer]
    known = {v: entry for entry in entries for v in entry.variants}
    pattern = title_pattern(settings.titles)
    if pattern is None:
        return entries
    found = Counter(m.group("name") for source in sources for s in source.sentences
                    for m in pattern.finditer(s.text))
    for name in sorted(found, key=lambda n: (-found[n], n)):
        if name in known:
            continue
        match = next((e for e in entries if e.kind == "person"
                      and any(_same_person(name, v, settings.fuzzy_first_name) for v in e.variants)), None)
        if match is None:
            match = _Entry(name, "person", {name})
            entries.append(match)
        match.variants.add(name)
        known[name] = match
    return entries


def spelling_forms(name: str, forms: set[str]) -> list[str]:
    """The forms that spell the same name differently ("Kazem"/"Kazim Jalali"), not abbreviations
    or short forms ("EU", "Putin"); empty unless there are at least two."""
    similar = sorted(f for f in forms if len(f.split()) == len(name.split())
                     and difflib.SequenceMatcher(None, f.lower(), name.lower()).ratio() >= 0.75)
    return similar if len(similar) > 1 else []


def count_players(sources: list[Source], scores: dict[tuple[str, str], tuple[TopicScore, ...]],
                  settings: PlayerSettings) -> tuple[Player, ...]:
    entries = discover(sources, settings)
    owner = {variant: entry.name for entry in entries for variant in entry.variants}
    if not owner:
        return ()
    names = sorted(owner, key=lambda n: (-len(n), n))
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(n) for n in names) + r")(?!\w)")
    by_source: dict[str, Counter] = defaultdict(Counter)
    by_topic: dict[str, Counter] = defaultdict(Counter)
    cited: dict[str, list[Citation]] = defaultdict(list)
    used: dict[str, set[str]] = defaultdict(set)
    form_sources: dict[tuple[str, str], set[str]] = defaultdict(set)
    ordered = sorted(sources, key=lambda s: (s.is_spun, s.id))  # unspun wording is cited first
    for source in ordered:
        for sentence in source.sentences:
            for m in pattern.finditer(sentence.text):
                player = owner[m.group(1)]
                used[player].add(m.group(1))
                form_sources[(player, m.group(1))].add(source.id)
                by_source[player][source.id] += 1
                for t in scores.get((source.id, sentence.id), ()):
                    by_topic[player][t.topic_id] += 1
                citation = Citation(source.id, sentence.id)
                if len(cited[player]) < settings.max_citations and citation not in cited[player]:
                    cited[player].append(citation)
    players = [
        Player(
            name=entry.name, kind=entry.kind,
            variants=tuple(sorted(used[entry.name] - {entry.name})),
            by_source=tuple(sorted(by_source[entry.name].items())),
            by_topic=tuple(sorted(by_topic[entry.name].items())),
            citations=tuple(cited[entry.name]),
            spellings=tuple((form, tuple(sorted(form_sources[(entry.name, form)])))
                            for form in spelling_forms(entry.name, used[entry.name])),
        )
        for entry in entries if by_source[entry.name]
    ]
    return tuple(sorted(players, key=lambda p: (KIND_ORDER.get(p.kind, 9), -p.mentions, p.name)))
