"""Write the briefing as Markdown pages plus `briefing.json`, and build the site.

Pages come from Jinja2 templates with autoescaping on; every piece of article text goes
through `md_text`, which escapes it for Markdown and HTML alike, so nothing an article
says can become markup, a link or a directive. Output is written into a staging folder
and swapped into place only when everything, including the MkDocs build, succeeded.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import heapq
import html
import importlib.metadata
import io
import itertools
import json
import logging
import marshal
import multiprocessing
import operator
import os
import platform
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence, Sized
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast
from urllib.parse import urljoin

import yaml
from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined
from jinja2.bccache import Bucket
from markupsafe import Markup, escape

from .config import Config
from .editions import Changes
from .model import (
    Briefing,
    Citation,
    CopyRelation,
    FigureGroup,
    KeyPoint,
    Quote,
    Source,
    Spelling,
    TopicBriefing,
)
from .outlets import source_labels as outlet_labels
from .parallel import StatePool, as_given, beside
from .store import EntryPack, PageStore, copy_file, write_all, write_atomically
from .timeline import timeline_page

# Python-Markdown's backslash escapes (plus "|" for tables); a backslash before any other
# character would be shown literally, so only these are escaped. The backslash comes first, so
# the ones put in before the others are not doubled.
MARKDOWN_SPECIALS = "\\`*_{}[]()#+-.!|"
ASSETS = Path(__file__).parent / "assets"


def md_text(value: Any) -> Markup:
    """Article text as inert inline Markdown: backslash-escape Markdown, then escape HTML (as
    html.escape without quotes). One str.replace per special character the text has: a source page
    escapes every sentence, and a regex substitution calling back per match took a third longer.
    Whitespace is collapsed only where there is any to collapse (`_collapsed`): splitting and
    joining every title and sentence was a third of the time."""
    text = str(value)
    if not _collapsed(text):
        text = " ".join(text.split())
    for special in MARKDOWN_SPECIALS:
        if special in text:
            text = text.replace(special, "\\" + special)
    return Markup(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def _collapsed(text: str) -> bool:
    """Whether `" ".join(text.split())` is `text`: every character str.split takes for whitespace
    but the ASCII space is one isprintable refuses (all are in Unicode's Separator or Other
    categories), so a printable text is collapsed when no space starts, ends or doubles in it."""
    return text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "


def md_code(value: Any) -> Markup:
    """A keyword as a Markdown code span. Nothing is Markdown inside one and Python-Markdown
    HTML-escapes its text itself, so the text goes in as written (escaped here too, "don't" showed
    as "don&#39;t"); a backtick, which would end the span, becomes an apostrophe."""
    return Markup("`" + " ".join(str(value).replace("`", "'").split()) + "`")


def plain_title(value: Any) -> str:
    """A page title for front matter: no characters that could open markup in any theme template.
    An apostrophe becomes a typographic one and a lone ampersand "and", so "Spain's grid & gas"
    keeps its words; the other characters are dropped."""
    text = re.sub(r"\s&\s", " and ", str(value).replace("'", "’"))
    text = re.sub(r"[<>&\"'`{}\[\]\\|*_#]", "", text)
    return " ".join(text.split())[:120] or "Untitled"


def yaml_scalar(value: Any) -> Markup:
    """JSON strings are valid YAML scalars, and JSON escaping leaves no way out of the string."""
    return Markup(json.dumps(value, ensure_ascii=True))


def feed_description(topic: TopicBriefing, changes: Changes | None = None) -> str:
    """A topic page's `description`, which the RSS and JSON feeds take as the item's text and
    Material as the page's meta description: the lead as plain text (the topic's description, else
    its title, when it has none), HTML-escaped once. Escaped here because Material writes the value
    into an HTML attribute as it is; the feed escapes it again for XML, so a feed reader gets HTML
    that shows the text as written."""
    text = " ".join(point.text for point in topic.lead) or topic.description or topic.title
    tc = changes.of(topic.id) if changes is not None else None
    if changes is not None and tc is not None and (tc.new or tc.dropped):
        since = (f" since the edition of {changes.previous_built}" if changes.previous_built
                 else " since the last edition")
        text = (f"What changed{since}: {count_of(len(tc.new), 'new key point')}, {len(tc.dropped)} dropped. "
                + " ".join(f"New: {p.text}" for p in topic.key_points if p.text in tc.new) + " " + text)
    return html.escape(" ".join(text.split()), quote=True)


def built_text(environ: Mapping[str, str] | None = None) -> str | None:
    """When the briefing was built, as a reader reads it ("2026-12-05 14:03 UTC"), from
    SOURCE_DATE_EPOCH like every date of the site; None when it is unset."""
    date = build_date(environ)
    return None if date is None else date[:10] + " " + date[11:16] + " UTC"


def build_date(environ: Mapping[str, str] | None = None) -> str | None:
    """The build date for the pages' `date` (the feed items' dates), from SOURCE_DATE_EPOCH (the
    Makefile sets it to the last commit's time) as a YAML timestamp in UTC; None when it is unset or
    not a whole number of seconds, so no page ever carries the time it was built at."""
    value = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH", "").strip()
    if not value.isdigit():
        return None
    return datetime.fromtimestamp(int(value), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def count_of(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def most(counts: Iterable[tuple[Any, int]], n: int) -> list[tuple[Any, int]]:
    """The `n` (key, count) pairs with the highest counts, the first listed first among equal
    counts: as `sort(attribute="1", reverse=true)` then `[:n]` in a template, without sorting
    all (a player of a large corpus is named by thousands of sources)."""
    return heapq.nlargest(n, counts, key=operator.itemgetter(1))


log = logging.getLogger("generator")


class CheckedBytecodeCache(FileSystemBytecodeCache):
    """Jinja's compiled templates, each stored behind a SHA-256 of its bytes: they are code (and
    a pickle) that the build runs, so a damaged one is dropped, with a warning, and the template
    compiled again, instead of being run (a flipped bit crashed builds or changed pages)."""

    DIGEST = 32

    def load_bytecode(self, bucket: Bucket) -> None:
        path = self._get_cache_filename(bucket)
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            return
        body = data[self.DIGEST:]
        if hashlib.sha256(body).digest() != data[:self.DIGEST]:
            log.warning("%s: a damaged compiled template in the cache; dropped and compiled again", path)
            with contextlib.suppress(OSError):
                os.unlink(path)
            return
        bucket.load_bytecode(io.BytesIO(body))

    def dump_bytecode(self, bucket: Bucket) -> None:
        buffer = io.BytesIO()
        bucket.write_bytecode(buffer)
        body = buffer.getvalue()
        write_atomically(Path(self._get_cache_filename(bucket)), hashlib.sha256(body).digest() + body)


def environment(compiled: Path | None = None) -> Environment:
    """The templates' environment; with `compiled`, a folder where Jinja keeps the templates
    compiled (checked against their source), so a rebuild does not compile them again (0.07 s)."""
    if compiled is not None:
        compiled.mkdir(parents=True, exist_ok=True)
    env = Environment(
        loader=PackageLoader("generator", "templates"),
        bytecode_cache=CheckedBytecodeCache(str(compiled)) if compiled is not None else None,
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = md_text
    env.filters["code"] = md_code
    env.filters["plain_title"] = plain_title
    env.filters["yaml"] = yaml_scalar
    env.filters["count_of"] = count_of
    env.filters["most"] = most
    env.filters["source_links"] = source_links
    env.globals["no_headline"] = Markup(NO_HEADLINE)  # one wording for the macro and `sources_table`
    env.filters["code_spans"] = code_spans
    env.filters["copy_notes"] = copy_notes
    return env


MAX_LISTED_COPIES = 20
# Source pages carry their keywords as Material tags (so the Keywords page lists them) only up to
# this many sources. The Keywords page lists every tagged page under each of its tags, ten tags a
# source: measured on bench/corpus.py's synthetic corpora it was 0.41 MB at 100 sources, 0.79 MB
# at 250, 0.90 MB at 300, 1.11 MB at 400, 1.32 MB at 500, 2.3 MB at 1,000 and 19.3 MB at 10,000
# (plus a tags.json of 3.6 MB). 250 keeps it under 1 MB with room for titles longer than the
# synthetic ones (a link shows up to 120 characters of title). Topic pages are always tagged; a
# source's keywords are always listed on its page.
MAX_TAGGED_SOURCES = 250


def sources_tagged(count: int) -> bool:
    """Whether the source pages of a corpus of `count` sources carry Material tags."""
    return count <= MAX_TAGGED_SOURCES


def source_labels(briefing: Briefing) -> dict[str, str]:
    return labels_of(briefing.sources)


def labels_of(sources: Sequence[Source]) -> dict[str, str]:
    """Each source's short readable label (its outlet's short name, else "Source N"), as text."""
    return dict(zip((s.id for s in sources), outlet_labels([s.meta.publisher for s in sources]), strict=True))


MAX_TOOLTIP = 400


class SentenceTexts:
    """A cited sentence's text, for the citation's tooltip: each source's sentences are looked up
    only when one of them is first cited (a deferred source unpickles its text then). With
    `stored`, what the last build showed for a sentence is shown again where the source's page
    key is the same (the key covers its content, the code and the configuration, so the text is
    too): unpickling the text of every cited source was 0.40 s of a 10,000-source rebuild."""

    def __init__(self, briefing: Briefing, stored: StoredPages | None = None) -> None:
        self.sources = {s.id: s for s in briefing.sources}
        self.texts: dict[str, dict[str, str]] = {}
        self.stored = stored
        self.kept = stored.cited_texts() if stored is not None else {}
        self.shown: dict[str, dict[str, str]] = {}  # page key -> sentence id -> text, for the next build

    def __call__(self, citation: Citation) -> str:
        key = self.stored.keys.get(citation.source_id) if self.stored is not None else None
        if key is None:
            return self.tooltip(citation)
        kept = self.kept.get(key)
        text = kept.get(citation.sentence_id) if isinstance(kept, dict) else None
        if not isinstance(text, str):
            text = self.tooltip(citation)
        self.shown.setdefault(key, {})[citation.sentence_id] = text
        return text

    def tooltip(self, citation: Citation) -> str:
        texts = self.texts.get(citation.source_id)
        if texts is None:
            source = self.sources.get(citation.source_id)
            texts = {x.id: x.text for x in source.sentences} if source is not None else {}
            self.texts[citation.source_id] = texts
        text = " ".join(texts.get(citation.sentence_id, "").split())
        return text if len(text) <= MAX_TOOLTIP else text[:MAX_TOOLTIP].rsplit(" ", 1)[0] + " …"


def source_json(s: Source, briefing: Briefing) -> dict[str, Any]:
    return {
        "id": s.id,
        "file": s.filename,
        "title": s.meta.title,
        "title_inferred": s.meta.title_inferred,
        "publisher": s.meta.publisher,
        "publisher_from": s.meta.publisher_from,
        "url": s.meta.url,
        "published": s.meta.published,
        "published_from": s.meta.published_from,
        "language": s.meta.language,
        "flags": list(s.flags),
        "spin_evidence": [{"phrase": e.phrase, "meaning": e.meaning, "count": e.count} for e in s.spin_evidence],
        "removed": [{"kind": r.kind, "count": r.count} for r in s.removed],
        "keywords": list(briefing.source_keywords.get(s.id, ())),
        "sentences": [{"id": x.id, "text": x.text, "section": x.section} for x in s.sentences],
    }


def _nested_json(value: Any, level: int) -> str:
    """`value` as json.dumps(ensure_ascii=False, indent=2) writes it, `level` levels deep. The
    json module indents in pure Python, one generator step per token; this writes the same text
    with half the calls (briefing.json holds every sentence of the corpus): 0.13 s of CPU where
    json.dumps took 0.26 s for 2,000 source entries of 30 sentences. A hypothesis property
    (tests/test_render.py) holds it to json.dumps' output, rows of the same keys included."""
    parts: list[str] = []
    _write_json(value, "\n" + "  " * level, parts.append)
    return "".join(parts)


_json_string = json.encoder.encode_basestring  # the C version where there is one
_json_float = json.JSONEncoder().encode  # NaN and the infinities as json.dumps writes them


# The scalars of exactly these types, as json.dumps writes them: written in line, not by a call
# of `_write_json` each (briefing.json is mostly short dicts of strings and numbers).
_SCALAR_JSON: dict[type, Callable[[Any], str]] = {
    str: _json_string, int: int.__repr__, float: _json_float, bool: lambda v: "true" if v else "false",
    type(None): lambda _: "null",
}


_STR = itertools.repeat(str)  # endless: `map(isinstance, keys, _STR)` tests every key in C


def _write_json(value: Any, newline: str, write: Callable[[str], object]) -> None:
    if isinstance(value, str):
        write(_json_string(value))
    elif value is None:
        write("null")
    elif value is True:
        write("true")
    elif value is False:
        write("false")
    elif isinstance(value, int):
        write(int.__repr__(value))
    elif isinstance(value, float):
        write(_json_float(value))
    elif isinstance(value, dict) and all(map(isinstance, value, _STR)):
        if not value:
            write("{}")
            return
        inner = newline + "  "
        if _SCALAR_TYPES.issuperset(map(type, value.values())):  # keys and values each encoded in one call
            pairs = map("%s: %s".__mod__, zip(_encoded_scalars(list(value)), _encoded_scalars(list(value.values())),
                                              strict=True))
            write("{" + inner + ("," + inner).join(pairs) + newline + "}")
            return
        opening = "{"
        for key, item in value.items():
            scalar = _SCALAR_JSON.get(type(item))
            if scalar is not None:
                write(opening + inner + _json_string(key) + ": " + scalar(item))
            else:
                write(opening + inner + _json_string(key) + ": ")
                _write_json(item, inner, write)
            opening = ","
        write(newline + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            write("[]")
            return
        inner = newline + "  "
        if _SCALAR_TYPES.issuperset(map(type, value)):  # encoded in one call of the C encoder
            write("[" + inner + ("," + inner).join(_encoded_scalars(value)) + newline + "]")
            return
        table = _table_json(value, inner)
        if table is not None:
            write("[" + inner + table + newline + "]")
            return
        opening = "["
        for item in value:
            scalar = _SCALAR_JSON.get(type(item))
            if scalar is not None:
                write(opening + inner + scalar(item))
            else:
                write(opening + inner)
                _write_json(item, inner, write)
            opening = ","
        write(newline + "]")
    else:  # anything else (keys that are not strings, say) as the json module writes it, or its error
        write(json.dumps(value, ensure_ascii=False, indent=2).replace("\n", newline))


_SCALAR_TYPES = frozenset(_SCALAR_JSON)
# Writes a list of scalars one per line, as the C encoder does when the separator is a newline
# (which no encoded scalar contains: JSON strings escape it).
_scalar_lines = json.JSONEncoder(ensure_ascii=False, separators=("\n", ": ")).encode


def _encoded_scalars(values: list[Any] | tuple[Any, ...]) -> list[str]:
    """Each of a non-empty list of scalars as json.dumps writes it, from one call of the C encoder."""
    return _scalar_lines(values)[1:-1].split("\n")


def _table_json(rows: list[Any] | tuple[Any, ...], newline: str) -> str | None:
    """A list of dicts with the same string keys in the same order and scalar values (most of
    briefing.json: 180,000 citations and members at 10,000 articles) as json.dumps(indent=2)
    writes its items, `newline` before each: every value encoded by one call of the C encoder,
    placed by one %-format of the row repeated. None for any other list."""
    first = rows[0]
    if type(first) is not dict or not first or any(type(key) is not str for key in first):
        return None
    keys = tuple(first)
    if any(type(row) is not dict for row in rows) or len(set(map(tuple, rows))) != 1:
        return None
    values = [value for row in rows for value in row.values()]
    if not _SCALAR_TYPES.issuperset(map(type, values)):
        return None
    inner = newline + "  "
    row_format = "{" + inner + ("," + inner).join(_json_string(key).replace("%", "%%") + ": %s" for key in keys) \
        + newline + "}"
    return ("," + newline).join([row_format] * len(rows)) % tuple(_encoded_scalars(values))


def source_entry(source: Source, briefing: Briefing) -> str:
    """A source's entry in the `sources` list of briefing.json, as indented there."""
    return _nested_json(source_json(source, briefing), 2)


def briefing_json_chunks(briefing: Briefing, stored: StoredPages | None = None,
                         pooled: Iterable[tuple[str, str]] = (),
                         tail: Callable[[], str | bytes] | None = None) -> Iterator[str | bytes | PackRange]:
    """The text of `json.dumps(briefing_json(b), indent=2)`, written a source at a time, so a large
    corpus's JSON (its every sentence) never sits in memory as one object and one string. A
    source's entry comes from `pooled` (source id, entry: what a page-rendering pool made, in
    source order), else from `stored` when an earlier build wrote it; with `stored`, where each
    entry lands in the file (in bytes) is noted for the next build. Stored entries that lay one
    after the other in the last build's file, as they do here, come as one range of its bytes,
    which the writer copies without reading (100 MB at 10,000 sources). What follows the sources
    is `briefing_json_tail`'s text, from `tail` when another process writes it."""
    written = 0  # bytes so far, counted up to the last entry (whose place the store is told)
    run: list[int] = []  # [start, end]: the bytes of the stored file holding the entries to copy as one range

    def counted(text: str) -> str:
        nonlocal written
        if stored is not None:
            written += _utf8_length(text)
        return text

    def copied() -> Iterator[PackRange]:
        nonlocal written
        if run:
            assert stored is not None
            yield stored.pack_range(run[0], run[1])
            written += run[1] - run[0]
            run.clear()

    fresh = iter(pooled)
    pending = next(fresh, None)
    yield counted("{" + _members_json(briefing_json_head(briefing), first=True) + ',\n  "sources": ')
    if not briefing.sources:
        yield "[]"
    else:
        yield counted("[")
        for j, source in enumerate(briefing.sources):
            separator = ("," if j else "") + "\n    "
            if pending is not None and pending[0] == source.id:
                entry, pending = pending[1], next(fresh, None)
            elif stored is not None and (span := stored.entry_span(source.id)) is not None:
                start, end = span
                if run and start == run[1] + len(separator):  # the separator comes with it
                    new_start = written + start - run[0]
                    run[1] = end
                else:
                    yield from copied()
                    yield counted(separator)
                    run[:] = [start, end]
                    new_start = written
                stored.wrote_entry(source.id, new_start, new_start + end - start)
                continue
            else:
                entry = source_entry(source, briefing)
            yield from copied()
            yield counted(separator)
            start = written
            yield counted(entry)
            if stored is not None:
                stored.wrote_entry(source.id, start, written)
        yield from copied()
        yield "\n  ]"  # the topics, timeline and players after the entries need no count
    yield tail() if tail is not None else briefing_json_tail_text(briefing)


def _members_json(members: dict[str, Any], first: bool) -> str:
    """Members of briefing.json's top-level object, as json.dumps(indent=2) writes them."""
    return "".join(("" if first and i == 0 else ",") + "\n  " + json.dumps(key) + ": " + _nested_json(value, 1)
                   for i, (key, value) in enumerate(members.items()))


def briefing_json_tail_text(briefing: Briefing) -> str:
    """briefing.json after the sources: the topics, timeline, players and the rest."""
    return _members_json(briefing_json_tail(briefing), first=False) + "\n}\n"


def _utf8_length(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def briefing_json(briefing: Briefing) -> dict[str, Any]:
    """Everything briefing.json holds, as one object (for tests and small corpora)."""
    return {**briefing_json_head(briefing), "sources": [source_json(s, briefing) for s in briefing.sources],
            **briefing_json_tail(briefing)}


def briefing_json_head(briefing: Briefing) -> dict[str, Any]:
    return {"title": briefing.title, "description": briefing.description, "corpus_fingerprint": briefing.fingerprint}


def briefing_json_tail(briefing: Briefing) -> dict[str, Any]:
    def point(p: KeyPoint) -> dict[str, Any]:
        return {
            "text": p.text,
            "source_count": p.source_count,
            "independent_source_count": p.independent_count,
            "spun_only": p.spun_only,
            "score": p.score,
            "citations": [{"source": c.source_id, "sentence": c.sentence_id} for c in p.citations],
            "context": {"source": p.context.source_id, "sentence": p.context.sentence_id} if p.context else None,
        }

    def cite(c: Citation) -> dict[str, str]:
        return {"source": c.source_id, "sentence": c.sentence_id}

    def figure_group(g: FigureGroup) -> dict[str, Any]:
        return {"measure": g.measure, "disagreement": g.disagreement, "agreement": g.agreement, "changed": g.changed,
                "total": g.total, "source_count": g.source_count,
                "figures": [{"text": f.text, "value": f.value, "kind": f.kind, "context": f.context,
                             "citation": cite(f.citation)} for f in g.figures]}

    def quote(q: Quote) -> dict[str, Any]:
        return {"text": q.text, "speaker": q.speaker, "citations": [cite(c) for c in q.citations]}

    def spelling(sp: Spelling) -> dict[str, Any]:
        return {"name": sp.name, "forms": [{"form": form, "sources": list(ids)} for form, ids in sp.forms]}

    return {
        "topics": [
            {
                "id": t.id,
                "title": t.title,
                "description": t.description,
                "lead": " ".join(p.text for p in t.lead),
                "lead_points": [point(p) for p in t.lead],
                "keywords": [k.phrase for k in t.keywords],
                "key_points": [point(p) for p in t.key_points],
                "coverage": [{"source": c.source_id, "sentences": c.sentence_count} for c in t.coverage],
                "sentence_count": t.sentence_count,
                "thin": t.thin,
                "figures": [figure_group(g) for g in t.figures],
                "quotes": [quote(q) for q in t.quotes],
                "spellings": [spelling(sp) for sp in t.spellings],
            }
            for t in briefing.topics
        ],
        "timeline": [
            {"when": e.when, "as_written": e.as_written, "resolved": e.resolved, "sort_key": list(e.sort_key),
             "text": e.text, "citations": [{"source": c.source_id, "sentence": c.sentence_id}
                                           for c in (e.citation, *e.corroborated_by)]}
            for e in (*briefing.timeline, *briefing.undated)
        ],
        "players": [
            {"name": p.name, "kind": p.kind, "variants": list(p.variants), "mentions": p.mentions,
             "by_source": dict(p.by_source), "by_topic": dict(p.by_topic),
             "citations": [{"source": c.source_id, "sentence": c.sentence_id} for c in p.citations]}
            for p in briefing.players
        ],
        "figures": [figure_group(g) for g in briefing.figures],
        "quotes": [quote(q) for q in briefing.quotes],
        "spellings": [spelling(sp) for sp in briefing.spellings],
        "copies": [{"source": r.source_id, "original": r.original_id, "exact_sentences": r.exact,
                    "rewritten_sentences": r.rewritten, "compared_sentences": r.sentences} for r in briefing.copies],
        "warnings": [{"file": w.filename, "reason": w.reason} for w in briefing.warnings],
    }


def cited_sentences(briefing: Briefing) -> dict[str, dict[str, list[str]]]:
    """For each source, which of its sentences each topic cites."""
    cited: dict[str, dict[str, list[str]]] = {s.id: {} for s in briefing.sources}
    for topic in briefing.topics:
        for point in topic.key_points:
            for c in point.citations:
                cited[c.source_id].setdefault(c.sentence_id, [])
                if topic.id not in cited[c.source_id][c.sentence_id]:
                    cited[c.source_id][c.sentence_id].append(topic.id)
    return cited


MAX_CHART_ROWS = 40
MAX_HOME_SOURCES = 50
MAX_COVERAGE_ROWS = 25
TOOLS = ("mkdocs", "mkdocs-material", "mkdocs-rss-plugin", "markdown", "jinja2", "yake", "sentencex", "pyyaml")


def tool_versions() -> list[tuple[str, str]]:
    versions = [("python", ".".join(platform.python_version_tuple()[:2]))]
    for name in TOOLS:
        try:
            versions.append((name, importlib.metadata.version(name)))
        except importlib.metadata.PackageNotFoundError:
            versions.append((name, "not installed"))
    return versions


def parameters(config: Config) -> tuple[str, str]:
    """The settings as YAML for the method page, and a fingerprint of the whole configuration."""
    data = dataclasses.asdict(config)
    full = json.dumps(data, sort_keys=True, ensure_ascii=False)
    shown = {k: data[k] for k in ("classification", "ranking", "keywords")}
    shown["spin_detection"] = {k: v for k, v in data["spin_detection"].items() if k != "signatures"}
    shown["topics"] = {t["id"]: {"terms": len(t["terms"])} for t in data["topics"]}
    text = yaml.safe_dump(shown, sort_keys=True, allow_unicode=True, default_flow_style=False).strip()
    return text, hashlib.sha256(full.encode()).hexdigest()


@dataclass(frozen=True)
class Coverage:
    """Sentences per source and topic for the best-covered sources: the chart's numbers, shown
    again as a table (its text alternative, and what a phone shows) and summed up in its alt text."""

    rows: list[dict[str, Any]]
    max_count: int
    hidden: int
    alt: str


def coverage_data(briefing: Briefing, labels: dict[str, str]) -> Coverage:
    counts = {s.id: [0] * len(briefing.topics) for s in briefing.sources}
    for col, topic in enumerate(briefing.topics):
        for c in topic.coverage:
            counts[c.source_id][col] = c.sentence_count
    # The most sentences first, then by id: as sorting every source would rank them, summed and
    # compared in C (the key function called for each of 10,000 sources took 0.03 s).
    ranked = {sid for _, sid in heapq.nsmallest(MAX_CHART_ROWS, zip(map(operator.neg, map(sum, counts.values())),
                                                                      counts, strict=True))}
    shown = [s for s in briefing.sources if s.id in ranked]  # by id: comparing whole sources takes 0.3 s at 10k
    rows = [{"label": labels[s.id], "counts": counts[s.id]} for s in shown]
    max_count = max([max(counts[s.id]) for s in shown] + [1])
    totals = "; ".join(f"{t.title}: {count_of(t.sentence_count, 'sentence')} in {count_of(len(t.coverage), 'source')}"
                       for t in briefing.topics)
    best = max(((counts[s.id][i], labels[s.id], t.title) for s in shown for i, t in enumerate(briefing.topics)),
               key=operator.itemgetter(0), default=None)
    alt = (f"Chart of sentences per source and topic, {count_of(len(rows), 'source')} by "
           f"{count_of(len(briefing.topics), 'topic')}. {totals}."
           + (f" Most: {best[1]} on {best[2]}, {count_of(best[0], 'sentence')}." if best and best[0] else ""))
    return Coverage(rows, max_count, len(briefing.sources) - len(shown), alt)


def coverage_chart(briefing: Briefing, env: Environment, data: Coverage) -> str:
    """An SVG heat map of sentences per source and topic (`coverage_data`'s rows)."""
    rows, max_count = data.rows, data.max_count
    label_width = max([48] + [16 + 7 * len(row["label"]) for row in rows])
    cell_width, cell_height, header_height = 150, 24, 28
    svg = env.get_template("coverage.svg.j2").render(
        topics=briefing.topics, rows=rows, max_count=max_count, label_width=label_width, cell_width=cell_width,
        cell_height=cell_height, header_height=header_height,
        width=label_width + cell_width * len(briefing.topics) + 8, height=header_height + cell_height * len(rows) + 8,
    )
    return svg


def home_facts(briefing: Briefing, cited: dict[str, dict[str, list[str]]]) -> dict[str, Any]:
    dates = sorted(s.meta.published for s in briefing.sources if s.meta.published)
    unknown = len(briefing.sources) - len(dates)
    if not dates:
        covered = "unknown for every source"
    else:
        covered = dates[0] if dates[0] == dates[-1] else f"{dates[0]} to {dates[-1]}"
        if unknown:
            covered += f" (unknown for {unknown})"
    glance, seen = [], set()
    told = set(briefing.what_happened[0].entries[0].citations) if briefing.what_happened else set()
    for topic in briefing.topics:
        # The topic's lead first: it reads alone (see pipeline.lead_of).
        point = next((p for p in (*topic.lead, *topic.key_points)
                      if p.text not in seen and not told & set(p.citations)), None)
        if point:
            seen.add(point.text)
            glance.append((topic, point))
    return {
        "dates_covered": covered,
        "sentence_count": sum(s.sentence_count for s in briefing.sources),
        "on_topic_count": briefing.on_topic,
        "cited_count": sum(len(v) for v in cited.values()),
        "spun_count": sum(1 for s in briefing.sources if s.is_spun),
        "glance": glance,
        "max_listed_sources": MAX_HOME_SOURCES,
        "figure_count": sum(len(g.figures) for g in briefing.figures),
        "disagreements": sum(1 for g in briefing.figures if g.disagreement),
    }


PLAYER_HEADINGS = (("person", "People"), ("organisation", "Organisations"), ("place", "Places"))


def player_groups(briefing: Briefing) -> list[tuple[str, list]]:
    groups = [(heading, [p for p in briefing.players if p.kind == kind]) for kind, heading in PLAYER_HEADINGS]
    return [(heading, players) for heading, players in groups if players]


@dataclass(frozen=True)
class StoredPage:
    """A page an earlier build rendered from the same inputs, copied into place instead of rendered."""

    path: str
    placed: bool = False  # copied into place already (see PageStore.place_pages)
    replaces: bool = False  # where it goes, another page was placed: replaced


@dataclass(frozen=True)
class PackRange:
    """Bytes of the last build's briefing.json (the entry pack) to copy into the new one as they are."""

    pack: EntryPack
    start: int
    end: int

    def copy_to(self, fd: int) -> None:
        self.pack.copy_range(self.start, self.end, fd)


Content = str | Iterable[str | bytes | PackRange] | StoredPage


class StoredPages:
    """One build's view of the page store: which source pages and JSON entries it can reuse, and
    where this build's entries land in its briefing.json (the next build's entry pack)."""

    CITED_TEXTS = "cited-texts"  # the value in the store's KeyedStore holding what citations showed

    def __init__(self, store: PageStore, entries: EntryPack, keys: dict[str, str],
                 placed: dict[str, str] | None = None) -> None:
        self.store = store
        self.entries = entries
        self.keys = keys  # source id -> key of everything its page and entry show
        self.placed = placed or {}  # source id -> key of the page copied into place before (place_pages)
        self.rendered = 0
        self.spans: dict[str, tuple[int, int]] = {}  # page key -> bytes of its entry in this build's JSON
        self.shown_texts: dict[str, dict[str, str]] = {}  # what this build's citations showed (SentenceTexts)

    def has_page(self, source_id: str) -> bool:
        return self.store.has(self.keys[source_id])

    def has_entry(self, source_id: str) -> bool:
        return self.entries.has(self.keys[source_id])

    def _stored_page(self, source_id: str, path: str) -> StoredPage:
        placed, key = self.placed.get(source_id), self.keys[source_id]
        return StoredPage(path, placed=placed == key, replaces=placed not in (None, key))

    def page(self, source_id: str) -> StoredPage | None:
        path = self.store.find(self.keys[source_id])
        return self._stored_page(source_id, path) if path else None

    def keep_page(self, source_id: str, text: str) -> StoredPage:
        """Written once, into the store, by the main process, and copied into `docs/` from there."""
        return self._stored_page(source_id, self.store.put(self.keys[source_id], text))

    def remove_unlisted(self, folder: Path) -> None:
        """Remove the pages placed in `folder` of sources this build no longer has."""
        for source_id in sorted(self.placed.keys() - self.keys.keys()):
            (folder / f"{source_id}.md").unlink(missing_ok=True)

    def entry_span(self, source_id: str) -> tuple[int, int] | None:
        """Where the last build's briefing.json has this source's entry as it is now (in bytes)."""
        return self.entries.span(self.keys[source_id])

    def pack_range(self, start: int, end: int) -> PackRange:
        return PackRange(self.entries, start, end)

    def wrote_entry(self, source_id: str, start: int, end: int) -> None:
        self.spans[self.keys[source_id]] = (start, end)

    def save_entries(self, written: Path) -> None:
        """Keep this build's briefing.json (`written`) as the next build's entry pack, which
        page each source has, for the next build to place early, and the cited sentences' texts."""
        self.entries.save(written, self.spans)
        self.store.save_placed(self.keys)
        self.store.values.put_value(self.CITED_TEXTS, self.store.salt, marshal.dumps(self.shown_texts))

    def cited_texts(self) -> dict[str, Any]:
        """What the last build's citations showed of their sentences: page key -> sentence id ->
        text (see SentenceTexts, which checks each value's type: a stored value is data)."""
        try:
            found = marshal.loads(self.store.values.value(self.CITED_TEXTS, self.store.salt) or b"")
        except (EOFError, ValueError, TypeError):
            return {}
        return found if isinstance(found, dict) else {}


class PageKeys:
    """Each source's page key: everything its page and JSON entry show besides the code and
    configuration (its content by cache key, label, cited sentences, keywords and copy
    relations), by which StoredPages finds them. Only the sources that key points cite need the
    ranking for theirs: the others' keys are made beside it, a chunk of sources at a time with
    their keywords (`uncited`), and `finish` makes the cited ones' from theirs and what is cited
    (made from scratch after the ranking, they cost the main process 0.5 s at 10,000 sources,
    where the rendering waited for it)."""

    def __init__(self, store: PageStore, sources: Sequence[Source], copies: Sequence[CopyRelation],
                 content_keys: dict[str, str]) -> None:
        self.store = store
        self.content_keys = content_keys
        self.labels = labels_of(sources)
        self.tagged = sources_tagged(len(sources))
        self.spun = {s.id for s in sources if s.is_spun}
        self.copies = copies
        # Each source's copy relations, by number: what they show is put together only where a
        # key is made (a corpus of 10,000 had 72,000, 0.1 s before the corpus stages could start).
        self.relations: dict[str, list[int]] = {}
        for number, r in enumerate(copies):
            self.relations.setdefault(r.source_id, []).append(number)
            self.relations.setdefault(r.original_id, []).append(number)

    def _relation(self, number: int) -> list:
        r, labels, spun = self.copies[number], self.labels, self.spun
        return [r.source_id, r.original_id, r.exact, r.rewritten, r.sentences, labels[r.source_id],
                labels[r.original_id], r.source_id in spun, r.original_id in spun]

    def uncited(self, source_id: str, keywords: Sequence[str]) -> str:
        """The key of the source's page as if no key point cited it: everything else it shows."""
        return self.store.key([self.content_keys[source_id], self.labels[source_id], list(keywords),
                               [self._relation(n) for n in self.relations.get(source_id, ())], self.tagged])

    def cited(self, uncited: str, cited: dict[str, list[str]]) -> str:
        """The key of a cited source's page: its uncited key and the sentences cited, by which
        topics. Made from the uncited key, not from all it covers again: a cited source can have
        thousands of copy relations (60,000 for the 1,280 cited sources of a 10,000-source bench
        corpus, 0.22 s of a rebuild's main process where this takes 0.01 s)."""
        return self.store.key([uncited, sorted(cited.items())])

    def finish(self, briefing: Briefing, uncited: dict[str, str]) -> dict[str, str]:
        """Every source's key, from `uncited`'s (made here where it lacks one)."""
        cited = cited_sentences(briefing)
        keys = {}
        for s in briefing.sources:
            key = uncited.get(s.id) or self.uncited(s.id, briefing.source_keywords.get(s.id, ()))
            keys[s.id] = self.cited(key, cited[s.id]) if cited[s.id] else key
        return keys


def json_tail_beside(briefing: Briefing, jobs: int) -> AbstractContextManager[Callable[[], bytes]]:
    """The end of briefing.json (its topics, timeline, players and copies: about 0.9 s at 10,000
    sources) made in a forked process from now on (see `parallel.beside`), while this one links
    and renders the pages; yields the function that waits for it (with one job, that makes it).
    The list of sources (0.3 s) is rendered here: this process waited for it when both were
    made there. Encoded there too: the main process writes the 25 MB as they come."""
    return beside(functools.partial(briefing_json_tail_bytes, briefing), jobs)


def briefing_json_tail_bytes(briefing: Briefing) -> bytes:
    return briefing_json_tail_text(briefing).encode("utf-8")


def page_context(briefing: Briefing) -> dict[str, Any]:
    """What every page's template is given."""
    # Labels are outlet names from metadata: escaped once here, as all article text is (md_text).
    labels = source_labels(briefing)
    return {"briefing": briefing, "labels": {k: md_text(v) for k, v in labels.items()},
            "plain_labels": labels, "sources": {s.id: s for s in briefing.sources},
            "topic_titles": {t.id: t.title for t in briefing.topics}}


def iter_pages(briefing: Briefing, config: Config, stored: StoredPages | None = None, jobs: int = 1,
               json_tail: Callable[[], str | bytes] | None = None,
               compiled: Path | None = None, changes: Changes | None = None) -> Iterator[tuple[str, Content]]:
    """Every file of `docs/` as (relative path, text or chunks of text), one at a time, so the
    pages of a large corpus are written as they are rendered instead of all held at once;
    source pages an earlier build rendered from the same inputs come from `stored` (and with
    `jobs` > 1 the missing ones are rendered into it by a pool first). The end of briefing.json
    comes from `json_tail` when the caller started making it already (`json_tail_beside`).
    `compiled`: where the compiled templates are kept (see `environment`)."""
    env = environment(compiled)
    # A global, not a context variable: the macros that cite are imported without the context.
    said = env.globals["said"] = SentenceTexts(briefing, stored)
    cited = cited_sentences(briefing)
    common = page_context(briefing)
    pages = SourcePages(briefing, env, common, cited)

    def source_pages() -> Iterator[tuple[str, Content]]:
        for source in briefing.sources:
            page: Content | None = stored.page(source.id) if stored else None
            if page is None:
                text = pages.render(source)
                if stored is not None:
                    page = stored.keep_page(source.id, text)
                    stored.rendered += 1
                else:
                    page = text
            yield f"sources/{source.id}.md", page

    with ExitStack() as stack:
        if json_tail is None:
            json_tail = stack.enter_context(json_tail_beside(briefing, jobs))
        pooled = stack.enter_context(render_in_pool(pages, stored, jobs)) if stored is not None else None
        if pooled is not None:
            # The pool renders the source pages and their entries meanwhile; this process renders
            # the corpus pages, then writes the entries into briefing.json as they come. The
            # source pages are in the store by the time they are copied.
            yield from corpus_pages(briefing, config, env, common, cited, changes)
            yield "briefing.json", briefing_json_chunks(briefing, stored, pooled, tail=json_tail)
            yield from source_pages()
        else:
            # No pool (few pages to render, as after adding an article).
            yield from source_pages()
            yield from corpus_pages(briefing, config, env, common, cited, changes)
            yield "briefing.json", briefing_json_chunks(briefing, stored, tail=json_tail)
    if stored is not None:
        stored.shown_texts = said.shown
    for asset in sorted(ASSETS.rglob("*")):
        if asset.is_file():
            yield asset.relative_to(ASSETS).as_posix(), asset.read_text(encoding="utf-8")


def corpus_pages(briefing: Briefing, config: Config, env: Environment, common: dict[str, Any],
                 cited: dict[str, dict[str, list[str]]], changes: Changes | None = None) -> Iterator[tuple[str, str]]:
    """The pages about the corpus as a whole: home, timeline, players, method, the list of
    sources, tags, figures, report, and one per topic."""
    coverage = coverage_data(briefing, common["plain_labels"])
    chart = coverage_chart(briefing, env, coverage)
    params, config_fingerprint = parameters(config)
    yield "index.md", env.get_template("index.md.j2").render(**common, **home_facts(briefing, cited),
                                                            coverage=coverage)
    yield STORY_SITE_CONFIG, story_site_config(config, built_text())
    yield "assets/coverage.svg", chart
    page = timeline_page(briefing.timeline, briefing.undated,
                         (s.meta.published for s in briefing.sources if s.meta.published))
    yield "timeline.md", env.get_template("timeline.md.j2").render(**common, page=page,
                                                                    hidden=dict(briefing.timeline_hidden))
    yield "players.md", env.get_template("players.md.j2").render(**common, player_groups=player_groups(briefing))
    yield "method.md", env.get_template("method.md.j2").render(**common, parameters=params,
                                                              config_fingerprint=config_fingerprint,
                                                              versions=tool_versions())
    yield "sources/index.md", sources_index_page(briefing, env, common, cited)
    yield "tags.md", env.get_template("tags.md.j2").render(**common,
                                                          sources_tagged=sources_tagged(len(briefing.sources)))
    yield "figures.md", env.get_template("figures.md.j2").render(**common)
    yield "find.md", env.get_template("find.md.j2").render(**common)
    yield "report.md", env.get_template("report.md.j2").render(**common)
    topic_template = env.get_template("topic.md.j2")
    date, built = build_date(), built_text()
    summary = ("No earlier edition was kept to compare with." if changes is None else
               f"{count_of(changes.new_count, 'new key point')} and {changes.dropped_count} dropped since the edition"
               + (f" of {changes.previous_built}." if changes.previous_built else " before."))
    yield "changes.md", env.get_template("changes.md.j2").render(
        **common, changes=changes, built=built, date=date, description=html.escape(summary, quote=True))
    for topic in briefing.topics:
        cited_points = Counter(sid for p in topic.key_points for sid in {c.source_id for c in p.citations})
        yield f"topics/{topic.id}.md", topic_template.render(**common, topic=topic, cited_points=cited_points,
                                                             max_coverage_rows=MAX_COVERAGE_ROWS,
                                                             description=feed_description(topic, changes), date=date,
                                                             built=built, changes=changes,
                                                             topic_changes=changes.of(topic.id) if changes else None)


# What MkDocs takes from the story, written beside the pages it describes; the top-level
# mkdocs.yml inherits it (`INHERIT`), so topics are declared once, in briefing.yml. A dotfile,
# so MkDocs does not publish it.
STORY_SITE_CONFIG = ".mkdocs-story.yml"


def story_site_config(config: Config, built: str | None = None) -> str:
    """Site name, description and nav for the story (the feed takes its title from them), and the
    footer every page shows: when the briefing was built."""
    nav = [
        {"Overview": "index.md"},
        {"Search every word": "find.md"},
        {"Topics": [f"topics/{topic.id}.md" for topic in config.topics]},
        {"What changed": "changes.md"},
        {"Timeline": "timeline.md"},
        {"Figures and quotes": "figures.md"},
        {"Key players": "players.md"},
        {"Sources": "sources/index.md"},
        {"Keywords": "tags.md"},
        {"About": ["method.md", "report.md"]},
    ]
    data = {"site_name": config.short_title or config.title, "site_description": config.description, "nav": nav,
            "copyright": f"Briefing built {built}" if built else "Briefing build date not recorded"}
    header = "# Written by the generator from briefing.yml; mkdocs.yml inherits it. Do not edit.\n"
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000)


def sources_index_page(briefing: Briefing, env: Environment, common: dict[str, Any],
                       cited: dict[str, dict[str, list[str]]]) -> str:
    return env.get_template("sources_index.md.j2").render(
        **common, rows=sources_table(briefing.sources, common["labels"], cited))


NO_HEADLINE = " *(no headline: its opening words)*"  # after a title inferred from the opening words


def source_links(ids: Iterable[str], labels: Mapping[str, Markup], prefix: str) -> Markup:
    """Links to these sources, by label, as citations: built here rather than by a loop in the
    template, since a spelling of a name is used by up to every source (1,866 links in one cell
    at 10,000 sources, 20,000 on the pages of a build). Escaped as the template escaped them, with
    markupsafe's `escape`; tests/test_render.py holds it to that loop, hostile text included."""
    folder = f"{escape(prefix)}sources/"
    return Markup(" ".join(f"[{escape(labels[sid])}]({folder}{escape(sid)}.md){{.cite}}" for sid in ids))


def code_spans(values: Iterable[Any]) -> Markup:
    """Keywords as code spans (`md_code`), " · " between them, as the source page's loop wrote
    them: the loop cost a page more than all its other fields but the copies (0.12 ms of 0.42).
    tests/test_render.py holds it to that loop, hostile text included."""
    return Markup(" · ".join(map(md_code, values)))


PARAPHRASED = " (machine-paraphrased)"


def copy_notes(source: Source, copies_from: Iterable[CopyRelation], copied_by: Iterable[CopyRelation],
               labels: Mapping[str, Markup], sources: Mapping[str, Source]) -> Markup:
    """A source page's lines on the sources it copies and those copying it (up to 40, eight on
    average at 10,000 sources). Built here rather than by the template's loops, which were a third
    of the page's template; every field escaped with markupsafe's `escape`, as the loops escaped
    it. tests/test_render.py holds it to those loops, hostile text included."""
    spun = source.is_spun
    lines = [f"    - Shares {escape(r.shared)} of its {escape(r.sentences)} comparable sentences with "
             f"[{escape(labels[r.original_id])}]({escape(r.original_id)}.md), which came earlier in the corpus: "
             f"{escape(r.exact)} word for word, {escape(r.rewritten)} reworded"
             f"{PARAPHRASED if spun or sources[r.original_id].is_spun else ''}.\n" for r in copies_from]
    lines += [f"    - [{escape(labels[r.source_id])}]({escape(r.source_id)}.md) shares {escape(r.shared)} of its "
              f"{escape(r.sentences)} comparable sentences with this source: {escape(r.exact)} word for word, "
              f"{escape(r.rewritten)} reworded{PARAPHRASED if spun or sources[r.source_id].is_spun else ''}.\n"
              for r in copied_by]
    return Markup("".join(lines))


def sources_table(sources: Iterable[Source], labels: Mapping[str, Markup], cited: Mapping[str, Sized]) -> Markup:
    """The rows of the sources page's table, one a line. Built here rather than by a loop in the
    template: at 10,000 sources the loop was 0.40 s of CPU, the most of any page of a rebuild.
    Every field goes through what the template put it through: article text through `md_text`
    (the title as the `source_name` macro writes it), the rest through markupsafe's `escape`.
    tests/test_render.py holds it to the template loop it replaced, hostile text included."""
    once = functools.cache(md_text)  # publishers and dates: a few hundred, each escaped once
    return Markup("".join(
        f"| {escape(labels[s.id])} | [{md_text(s.meta.title or s.id)}{NO_HEADLINE if s.meta.title_inferred else ''}]"
        f"({escape(s.id)}.md) | {once(s.meta.publisher or 'unknown')} | {once(s.meta.published or 'unknown')} | "
        f"{escape(s.sentence_count)} | {escape(len(cited[s.id]))} | {escape(', '.join(s.flags) or '—')} |\n"
        for s in sources))


class SourcePages:
    """Renders source pages; built once per build."""

    def __init__(self, briefing: Briefing, env: Environment, common: dict[str, Any],
                 cited: dict[str, dict[str, list[str]]]) -> None:
        self.briefing = briefing
        self.common = common
        self.cited = cited
        self.template = env.get_template("source.md.j2")
        self.tagged = sources_tagged(len(briefing.sources))
        self._copies: tuple[dict[str, list[CopyRelation]], dict[str, list[CopyRelation]]] | None = None

    def copies(self) -> tuple[dict[str, list[CopyRelation]], dict[str, list[CopyRelation]]]:
        """Each source's copy relations: those it copies from, and those that copy it. Sorted out
        when a page is first rendered (a rebuild renders a few dozen, and 72,000 relations of a
        10,000-source corpus took 0.03 s), or before the pool forks (see `render_in_pool`)."""
        if self._copies is None:
            copies_from: dict[str, list[CopyRelation]] = {}
            copied_by: dict[str, list[CopyRelation]] = {}
            for relation in self.briefing.copies:
                copies_from.setdefault(relation.source_id, []).append(relation)
                copied_by.setdefault(relation.original_id, []).append(relation)
            self._copies = copies_from, copied_by
        return self._copies

    def render(self, source: Source) -> str:
        cited = self.cited[source.id]
        by_topic: dict[str, int] = {}
        for topics in cited.values():
            for t in topics:
                by_topic[t] = by_topic.get(t, 0) + 1
        copies_from, all_copied_by = self.copies()
        copied_by = all_copied_by.get(source.id, [])
        return self.template.render(
            **self.common, source=source, cited=cited, cited_by_topic=by_topic, text=source_text(source, cited),
            keywords=self.briefing.source_keywords.get(source.id, ()), tagged=self.tagged,
            copies_from=copies_from.get(source.id, []),
            copied_by=copied_by[:MAX_LISTED_COPIES], copied_by_total=len(copied_by),
        )


def source_text(source: Source, cited: Container[str]) -> Markup:
    """A source's text as its page shows it: headings, and each paragraph's sentences as spans
    whose ids are the citations' link targets, cited ones marked. Built here rather than by a
    loop in the template: it is most of every source page, and Jinja's loop cost more than the
    escaping (at 10,000 sources, 380,000 sentences). The sentences' texts and ids are escaped
    together (`each_escaped`); tests/test_render.py holds it to escaping each on its own."""
    sentences = source.sentences
    ids = [s.id for s in sentences]
    texts = each_escaped(collapsed_each([s.text for s in sentences]), md_text)
    escaped_ids = each_escaped(ids, escape)
    if texts is None or escaped_ids is None:  # a text or id holds the separator: each escaped alone
        texts, escaped_ids = [md_text(s.text) for s in sentences], [escape(i) for i in ids]
    spans: dict[int, list[str]] = {}
    for sentence, text, sid in zip(sentences, texts, escaped_ids, strict=True):
        spans.setdefault(sentence.block, []).append(
            f'<span class="sentence{" cited" if sentence.id in cited else ""}" id="{sid}">{text}</span>')
    parts = []
    for number, block in enumerate(source.blocks):
        if block.is_heading:
            parts.append(f"### {md_text(block.text)}\n\n")
        elif block_spans := spans.get(number):
            parts.append(" ".join(block_spans) + "\n\n")
    return Markup("".join(parts))


# Joins the texts escaped together: printable (so `_collapsed` holds for the joined texts), not
# whitespace, and no escaping changes it or writes it: split after escaping, each text is back.
SEPARATOR = "\u241e"  # "␞", the symbol for the record separator


def each_escaped(texts: list[str], escaping: Callable[[str], str]) -> list[str] | None:
    """`escaping` (md_text or escape: both replace character by character) of each text, from
    one call on them all joined: a source page's 40 sentences cost more in calls, and in the
    Markup each made, than in escaping. None where a text holds the separator."""
    joined = SEPARATOR.join(texts)
    if not texts or joined.count(SEPARATOR) != len(texts) - 1:
        return None
    return str.split(escaping(joined), SEPARATOR)


def collapsed_each(texts: list[str]) -> list[str]:
    """The texts with their whitespace collapsed as md_text collapses it, so that md_text of the
    texts joined leaves each as it is: only where some text has any to collapse."""
    joined = SEPARATOR.join(texts)
    if _collapsed(joined) and f" {SEPARATOR}" not in joined and f"{SEPARATOR} " not in joined:
        return texts
    return [" ".join(text.split()) for text in texts]


MIN_POOLED_PAGES = 200
WRITE_BATCH = 1 << 20


def _render(pages: SourcePages, indices: list[int]) -> list[tuple[str, str, str]]:
    """Each source's page and JSON entry. The pages go back to the main process, which stores
    them: creating files does not run in parallel on this machine's filesystem (two processes
    creating 5,000 files each took 1.16 s where one took 0.60 s, each spending twice the system
    time), and the main process mostly waits on the pool. Pages the main process has not stored
    yet wait in its memory; `render_in_pool` bounds how many."""
    return [(source.id, pages.render(source), source_entry(source, pages.briefing))
            for source in (pages.briefing.sources[i] for i in indices)]


@contextmanager
def render_in_pool(pages: SourcePages, stored: StoredPages,
                   jobs: int) -> Iterator[Iterator[tuple[str, str]] | None]:
    """Start rendering the source pages and JSON entries no earlier build left in the store, in
    forked workers handed the page renderer as their state (with fork it is not copied: sending
    it to them would cost more than rendering); gives (source id, entry) in source order as the
    workers finish, their pages stored by then. Gives None where fork is unavailable, with one
    job or with few pages; the caller renders the rest. The pool is shut down when the block
    ends, however it ends."""
    missing = [i for i, s in enumerate(pages.briefing.sources)
               if not (stored.has_page(s.id) and stored.has_entry(s.id))]
    if jobs <= 1 or len(missing) < MIN_POOLED_PAGES or "fork" not in multiprocessing.get_all_start_methods():
        yield None
        return
    size = max(1, min(100, len(missing) // (jobs * 8)))
    pages.copies()  # sorted out once, here, not in each worker
    chunks = [missing[i:i + size] for i in range(0, len(missing), size)]
    # The first chunks submitted fork the workers; at most four chunks per worker are ever
    # ahead of the pages stored, so a slow disk holds back the pool, not fills memory.
    with StatePool(jobs, as_given, (pages,), fork=True) as pool:
        yield _entries(pool.bounded_map(_render, chunks, ahead=4 * jobs), stored)


def _entries(rendered: Iterator[list[tuple[str, str, str]]], stored: StoredPages) -> Iterator[tuple[str, str]]:
    for chunk in rendered:
        for source_id, page, entry in chunk:
            stored.keep_page(source_id, page)
            stored.rendered += 1
            yield source_id, entry


def render_pages(briefing: Briefing, config: Config) -> dict[str, str]:
    """Every file of `docs/` as relative path -> content (for tests and small corpora)."""
    # Without a page store, no content is a StoredPage and no chunk a PackRange.
    return {rel: content if isinstance(content, str) else "".join(
                chunk.decode("utf-8") if isinstance(chunk, bytes) else chunk
                for chunk in cast(Iterable[str | bytes], content))
            for rel, content in iter_pages(briefing, config)}


def write_tree(pages: Iterable[tuple[str, Content]] | dict[str, str], root: Path) -> int:
    """Write the pages under `root`; returns how many. Paths are checked as written (ids are
    slugs, so this is a second lock), not resolved on disk: `root` is a fresh staging folder
    holding nothing but what this writes, and 10,000 realpath calls cost a second. Paths are
    handled as strings: a rebuild copies 10,000 stored pages, and Path objects for each took
    three times as long as linking them did."""
    items = pages.items() if isinstance(pages, dict) else pages
    count = 0
    base = str(root)
    made: set[str] = set()
    for rel, content in items:
        folder, _, name = rel.rpartition("/")
        if rel.startswith("/") or not name or name == ".." or ".." in folder.split("/"):
            raise ValueError(f"refusing to write outside {root}: {rel}")
        if folder not in made:
            os.makedirs(f"{base}/{folder}" if folder else base, exist_ok=True)
            made.add(folder)
        target = f"{base}/{rel}"
        if isinstance(content, StoredPage):
            if content.replaces:
                os.unlink(target)
            if not content.placed:
                copy_file(content.path, target)  # a copy: an edit in docs/ never reaches the store
        elif isinstance(content, str):
            with open(target, "w", encoding="utf-8", newline="\n") as f:
                f.write(content)
        else:
            write_chunks(target, content)
        count += 1
    return count


def write_chunks(target: str | Path, chunks: Iterable[str | bytes | PackRange]) -> None:
    """Text encoded as the text writer would (UTF-8, newlines as they are) and written about a
    megabyte at a time; text encoded already (bytes) written as it is; a range of the entry pack
    copied between the files by the kernel."""
    with open(target, "wb", buffering=0) as f:
        batch: list[bytes] = []
        size = 0

        def flush() -> None:
            nonlocal size
            write_all(f.fileno(), b"".join(batch))
            batch.clear()
            size = 0

        for chunk in chunks:
            if isinstance(chunk, PackRange):
                flush()
                chunk.copy_to(f.fileno())
            elif isinstance(chunk, bytes):
                flush()
                write_all(f.fileno(), chunk)
            else:
                batch.append(chunk.encode("utf-8"))
                size += len(batch[-1])
                if size >= WRITE_BATCH:
                    flush()
        flush()


class SiteBuildError(Exception):
    """MkDocs refused the configuration or the strict build failed."""


def build_site(mkdocs_yml: Path, docs_dir: Path, site_dir: Path) -> None:
    """Run the strict MkDocs build of `docs_dir` into `site_dir`."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    # mkdocs.yml inherits the story's part from `docs/` (see `STORY_SITE_CONFIG`): read as if it
    # stood beside the staged docs, it inherits the part this build wrote, not the last build's;
    # every other relative path in it stays relative to the real file.
    try:
        text = io.BytesIO(mkdocs_yml.read_bytes())
    except OSError as exc:
        raise SiteBuildError(f"{mkdocs_yml}: cannot read the MkDocs config: {exc.strerror}") from exc
    text.name = str(docs_dir.resolve().parent / mkdocs_yml.name)
    try:
        config = load_config(text, config_file_path=str(mkdocs_yml.resolve()), docs_dir=str(docs_dir.resolve()),
                             site_dir=str(site_dir.resolve()), strict=True)
        feed_image(config)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as exc:
        raise SiteBuildError(f"{mkdocs_yml}: MkDocs build failed: {exc}") from exc
    index_site(site_dir)


# Left out of the search index: tables (a row of cells read as one run of words made the Key
# players table the first hit for every name), heading anchors, the keyword tags and the line
# saying when the page was built (it opened every topic page's excerpt).
PAGEFIND_EXCLUDE = "table, .headerlink, .md-tags, .edition"


def index_site(site_dir: Path) -> None:
    """Pagefind's index of the built site, in site/pagefind/: static files a search reads a
    fragment at a time (same site, same bytes)."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--exclude-selectors", PAGEFIND_EXCLUDE,
               "--silent"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise SiteBuildError(f"cannot run Pagefind: {exc}") from exc
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).strip().splitlines()[-1:] or [f"exit {done.returncode}"]
        raise SiteBuildError(f"Pagefind could not index {site_dir}: {reason[0]}")


def feed_image(config: Any) -> None:
    """mkdocs-rss-plugin writes the feed's <image> whether or not it was given one, and without its
    `image` setting the image's URL is the text "None", which no reader can load and the RSS
    specification does not allow. Unless mkdocs.yml names one, the image is the theme's favicon at
    the site's address (the address only the build knows: SITE_URL)."""
    rss = config.plugins.get("rss")
    if rss is not None and not rss.config.image and config.site_url:
        rss.config.image = urljoin(config.site_url, config.theme["favicon"])

