"""Editions: what the last published briefing said, kept so the next one can say what changed.

A maintainer's folder (`make build` keeps it in the story's `editions/`, committed with the
story) holds `current.json`, this edition's key points, and `previous.json`, the edition before
it. Editions are told apart by what they say, not by when they were built: a rebuild of the same
input finds itself in `current.json` and compares with `previous.json` again, so the same input
still makes a byte-identical site.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import Briefing, KeyPoint
from .store import write_atomically

CURRENT = "current.json"
PREVIOUS = "previous.json"


@dataclass(frozen=True)
class Dropped:
    """A key point of the previous edition that this one no longer makes (its text, and who said it)."""

    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class TopicChanges:
    new: frozenset[str]  # texts of this edition's key points that are new
    dropped: tuple[Dropped, ...]


@dataclass(frozen=True)
class Changes:
    """This edition against the previous one; `previous_built` is when that one was built (or None)."""

    previous_built: str | None
    topics: dict[str, TopicChanges] = field(default_factory=dict)
    sources_added: tuple[str, ...] = ()
    sources_removed: tuple[str, ...] = ()

    def of(self, topic_id: str) -> TopicChanges:
        return self.topics.get(topic_id, TopicChanges(frozenset(), ()))

    @property
    def new_count(self) -> int:
        return sum(len(t.new) for t in self.topics.values())

    @property
    def dropped_count(self) -> int:
        return sum(len(t.dropped) for t in self.topics.values())


def _point(p: KeyPoint, labels: dict[str, str]) -> dict[str, Any]:
    return {"text": p.text, "citations": [f"{c.source_id}#{c.sentence_id}" for c in p.citations],
            "sources": sorted({labels.get(c.source_id, c.source_id) for c in p.citations})}


def snapshot(briefing: Briefing, built: str | None, labels: dict[str, str]) -> dict[str, Any]:
    """What an edition keeps: each topic's key points with their citations, and the sources."""
    body = {
        "sources": sorted(s.filename for s in briefing.sources),
        "topics": {t.id: [_point(p, labels) for p in t.key_points] for t in briefing.topics},
    }
    digest = hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return {"edition": digest, "built": built, **body}


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("topics"), dict) else None


def previous_edition(folder: Path, this: dict[str, Any]) -> dict[str, Any] | None:
    """The edition to compare with: the kept current one, unless it is this very edition (a
    rebuild), in which case the one before it."""
    current = _read(folder / CURRENT)
    if current is None:
        return None
    if current.get("edition") == this["edition"]:
        return _read(folder / PREVIOUS)
    return current


def keep(folder: Path, this: dict[str, Any]) -> None:
    """Make this edition the current one, the last current one the previous (not on a rebuild)."""
    folder.mkdir(parents=True, exist_ok=True)
    current = _read(folder / CURRENT)
    if current is not None and current.get("edition") == this["edition"]:
        return
    text = json.dumps(this, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if current is not None:
        os.replace(folder / CURRENT, folder / PREVIOUS)
    write_atomically(folder / CURRENT, text.encode("utf-8"))


def compare(this: dict[str, Any], previous: dict[str, Any] | None) -> Changes | None:
    """Which key points of each topic are new since `previous` and which dropped out. A point is
    the same point when its text is, or when it cites a sentence the old one cited (a new source
    that corroborates it does not make it new)."""
    if previous is None:
        return None
    topics: dict[str, TopicChanges] = {}
    for topic_id, points in this["topics"].items():
        old = previous["topics"].get(topic_id, [])
        if not isinstance(old, list):
            old = []
        old_texts = {p.get("text") for p in old if isinstance(p, dict)}
        old_cited = {c for p in old if isinstance(p, dict) for c in _cited(p)}
        new = frozenset(p["text"] for p in points if p["text"] not in old_texts and not old_cited & _cited(p))
        texts = {p["text"] for p in points}
        cited = {c for p in points for c in _cited(p)}
        dropped = tuple(Dropped(str(p.get("text", "")), tuple(str(s) for s in p.get("sources", [])))
                        for p in old if isinstance(p, dict) and p.get("text") not in texts and not cited & _cited(p))
        topics[topic_id] = TopicChanges(new, dropped)
    before, now = set(previous.get("sources", [])), set(this["sources"])
    built = previous.get("built")
    return Changes(built if isinstance(built, str) else None, topics,
                   tuple(sorted(now - before)), tuple(sorted(before - now)))


def _cited(point: dict[str, Any]) -> set[str]:
    """A kept point's citations ("source#sentence"), whatever a hand-edited file holds."""
    found = point.get("citations", [])
    return {c for c in found if isinstance(c, str)} if isinstance(found, list) else set()
