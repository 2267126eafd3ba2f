"""Read articles and their metadata from a seeds folder.

Every byte here is untrusted: a file that cannot be used becomes a warning naming the
file and the reason, and the build goes on without it (Pelican's "skip, log, go on").
Only a missing folder or a broken `sources.yml` is fatal.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import os
import re
import time
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pathspec
import yaml

from .config import ConfigError, excerpt, key_text, load_yaml, safe_yaml
from .model import Article, SourceMeta, Warning

ARTICLE_SUFFIXES = (".txt", ".md")
METADATA_FILE = "sources.yml"
META_KEYS = ("title", "publisher", "url", "published", "language")
# Other names of those keys, as static site generators' front matter writes them (Hugo, Jekyll).
META_ALIASES = {"date": "published"}
MAX_ARTICLE_BYTES = 5_000_000
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*(?:\n|\Z)", re.DOTALL)
# A day, or a day and time as ISO 8601 writes it (the date as written: its own time zone's day).
DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$")


class SeedsError(Exception):
    """The seeds folder itself is unusable."""


@dataclass(frozen=True)
class IngestResult:
    articles: tuple[Article, ...]
    warnings: tuple[Warning, ...]


def slugify(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:60].strip("-") or "source"


def decode(data: bytes) -> tuple[str | None, str | None]:
    """Return (text, None) or (None, reason); never produces mojibake silently."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding), None
            except UnicodeDecodeError as exc:
                return None, f"undecodable {encoding} text ({exc.reason} at byte {exc.start})"
    if b"\x00" in data[:8192]:
        return None, "binary file (contains NUL bytes)"
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        return None, f"undecodable bytes: neither UTF-8 nor Windows-1252 (byte {exc.start})"
    return text, "not UTF-8; decoded as Windows-1252"


def _clean_meta_value(key: str, value: Any, problems: list[str]) -> str | None:
    if value is None or value == "":
        return None
    if key == "published":
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, str) and (day := DATE.match(value.strip())):
            try:
                return dt.date.fromisoformat(day.group(1)).isoformat()
            except ValueError:
                pass
        problems.append(f"published: {excerpt(value)} is not a date (YYYY-MM-DD)")
        return None
    if not isinstance(value, str):
        problems.append(f"{key}: expected text, got {type(value).__name__}")
        return None
    value = " ".join(value.split())
    if key == "url":
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc or any(c in value for c in "<>\"' "):
            problems.append(f"url: {excerpt(value)} is not an http(s) URL")
            return None
    if key == "language" and not LANGUAGE.match(value):
        problems.append(f"language: {excerpt(value)} is not a language code such as 'en'")
        return None
    return value[:300]


def parse_meta(data: Any, problems: list[str]) -> dict[str, str | None]:
    if not isinstance(data, dict):
        problems.append(f"expected a mapping of {', '.join(META_KEYS)}, got {type(data).__name__}")
        return {}
    meta: dict[str, str | None] = {}
    for key in sorted(data, key=str):
        name = META_ALIASES.get(key, key) if isinstance(key, str) else key
        if name not in META_KEYS:
            problems.append(f"unknown key {excerpt(key)} (expected one of {', '.join(META_KEYS)})")
        elif name != key and name in data:
            problems.append(f"{key} and {name} both given; {name} is used")
        else:
            meta[name] = _clean_meta_value(name, data[key], problems)
    return meta


def load_sources_yml(seeds: Path) -> dict[str, dict[str, str | None]]:
    """Metadata for articles by file name; errors here are fatal because they are the maintainer's."""
    path = seeds / METADATA_FILE
    if path.is_symlink():
        raise ConfigError(str(path), ["a symbolic link: only files in the seeds folder itself are read"])
    if not path.exists():
        return {}
    data = load_yaml(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        got = type(data).__name__
        raise ConfigError(str(path), [f"top level: expected a mapping of file name to metadata, got {got}"])
    result: dict[str, dict[str, str | None]] = {}
    problems: list[str] = []
    for name in sorted(data, key=str):
        entry_problems: list[str] = []
        result[str(name)] = parse_meta(data[name], entry_problems)
        problems += [f"{name}.{p}" if not p.startswith("expected") else f"{name}: {p}" for p in entry_problems]
    if problems:
        raise ConfigError(str(path), problems)
    return result


def split_front_matter(text: str) -> tuple[Any, str, str | None]:
    """Return (front matter data, body, problem)."""
    match = FRONT_MATTER.match(text)
    if not match:
        return None, text, None
    body = text[match.end():]
    try:
        return safe_yaml(match.group(1)), body, None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or ""
        why = f" ({key_text(problem, 80)})" if problem else ""
        return None, body, f"front matter is not valid YAML{where}{why}; ignored"


CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def normalise_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    # Control characters other than newline and tab are never content.
    return CONTROL.sub("", text)


def read_article(path: Path, source_id: str, sources_meta: dict[str, dict[str, str | None]],
                 warnings: list[Warning], size: int | None = None) -> Article | None:
    """`size` is the file's, when its caller has just asked (else it is asked here)."""
    name = shown_name(path.name)
    try:
        if size is None:
            size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            limit = f"over the {MAX_ARTICLE_BYTES:,}-byte limit"
            warnings.append(Warning(name, f"file is {size:,} bytes, {limit}; skipped"))
            return None
        data = read_no_follow(path)
    except OSError as exc:
        warnings.append(Warning(name, f"cannot read file: {exc.strerror or exc}; skipped"))
        return None
    decoded, reason = decode(data)
    if decoded is None:
        warnings.append(Warning(name, f"{reason}; skipped"))
        return None
    if reason:
        warnings.append(Warning(name, reason))
    text = normalise_text(decoded)
    front, body, problem = split_front_matter(text)
    if problem:
        warnings.append(Warning(name, problem))
    meta_problems: list[str] = []
    meta = dict(sources_meta.get(path.name, {}))
    if front is not None:
        # sources.yml is the maintainer's word and wins; front matter fills the gaps.
        for key, value in parse_meta(front, meta_problems).items():
            if not meta.get(key):
                meta[key] = value
    for p in meta_problems:
        warnings.append(Warning(name, f"front matter: {p}"))
    if not body.strip():
        warnings.append(Warning(name, "empty or whitespace-only article; skipped"))
        return None
    return Article(id=source_id, filename=name, text=body, meta=SourceMeta(**meta))  # type: ignore[arg-type]  # META_KEYS: str fields


IGNORE_FILE = ".briefingignore"


def not_an_article(name: str) -> bool:
    """Files a story keeps beside its articles that are never articles: dotfiles, sources.yml
    and other YAML (a story's briefing.yml or gold labels), READMEs."""
    lowered = name.lower()
    return name.startswith(".") or lowered.endswith((".yml", ".yaml")) or lowered.startswith("readme")


def ignore_spec(seeds: Path) -> pathspec.PathSpec | None:
    """The seeds folder's `.briefingignore` (gitignore syntax), if it has one."""
    path = seeds / IGNORE_FILE
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise SeedsError(f"{path}: cannot read: {exc}") from None
    return pathspec.GitIgnoreSpec.from_lines(lines)


def seed_files(seeds: Path) -> tuple[list[Path], list[Path]]:
    """(articles, other files) of the seeds folder, by name; files that are never articles (see
    `not_an_article`) and those `.briefingignore` leaves out are neither."""
    if not seeds.is_dir():
        raise SeedsError(f"{seeds}: seeds folder not found")
    ignored = ignore_spec(seeds)
    # One listing: a directory entry knows whether it is a file without a stat of its own (10,000
    # stats took 0.05 s of every build of a large corpus).
    with os.scandir(seeds) as entries:
        names = sorted(e.name for e in entries if e.is_file(follow_symlinks=False) and not not_an_article(e.name))
    if ignored is not None:
        names = [name for name in names if not ignored.match_file(name)]
    files = [seeds / name for name in names]
    articles = [p for p in files if p.suffix.lower() in ARTICLE_SUFFIXES]
    return articles, [p for p in files if p.suffix.lower() not in ARTICLE_SUFFIXES]


def seed_links(seeds: Path) -> list[str]:
    """Names of the symbolic links in the seeds folder: never followed, since one can point
    anywhere (a build would publish ~/.ssh/id_rsa.txt); `seed_files` leaves them out."""
    with os.scandir(seeds) as entries:
        return sorted(e.name for e in entries if e.is_symlink() and not e.name.startswith("."))


def read_no_follow(path: Path) -> bytes:
    """The file's bytes, refusing a symbolic link put in its place since it was listed (ELOOP)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    with os.fdopen(fd, "rb") as f:
        return f.read()


# What a file name may hold that must not reach a terminal, a log or a page as it is: control
# characters (ESC starts terminal escapes, a newline forges log lines), bidirectional overrides
# that make a name read backwards, and the lone surrogates Python gives for bytes that are not
# UTF-8 (printing them raised UnicodeEncodeError).
UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def shown_name(name: str) -> str:
    """A file name as messages and pages show it: unprintable characters escaped (a byte that is
    not UTF-8 as \\xNN, others as \\xNN or \\uNNNN)."""
    return UNPRINTABLE.sub(_escaped, name) if UNPRINTABLE.search(name) else name


def _escaped(found: re.Match[str]) -> str:
    code = ord(found.group())
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's surrogateescape of the byte code - 0xDC00
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def assign_ids(paths: list[Path]) -> dict[Path, str]:
    """Readable ids from file names, unique and safe as a path segment whatever the name."""
    ids: dict[Path, str] = {}
    used: set[str] = set()
    next_number: dict[str, int] = {}  # base -> where to go on counting: every lower one is taken
    for path in paths:
        base = slugify(path.stem)
        candidate, n = base, next_number.get(base, 2)
        if n > 2:
            candidate = f"{base}-{n}"
        while candidate in used or candidate == "index":
            candidate, n = f"{base}-{n}", n + 1
        next_number[base] = n
        used.add(candidate)
        ids[path] = candidate
    return ids


# A file's device, inode, size, and modification and change times (ns): what a rewrite, a copy
# over it or a move into its place changes, whatever the new content.
FileStamp = tuple[int, int, int, int, int]
# Files changed (ctime) this close to the start of a build, or later, are read again next time: one
# written twice within a timestamp tick could keep its stamp (git's "racily clean" files).
SETTLED_NS = 2_000_000_000


def stamp_of(status: os.stat_result) -> FileStamp:
    return status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns


@dataclass(frozen=True)
class FileRecord:
    """What the last build learnt from reading an article file: kept so a file with the same
    stamp and identity (id and sources.yml metadata) need not be read and hashed again."""

    stamp: FileStamp
    identity: str
    content_key: str  # the cache key of its content
    reasons: tuple[str, ...]  # the warnings reading it gave


@dataclass(frozen=True)
class KnownArticle:
    """An article file as the last build read it (by its FileRecord), not read again unless its
    cached result turns out to be unusable (see ArticleStream.reread)."""

    id: str
    filename: str
    content_key: str


class ArticleStream:
    """The seeds folder's articles, read one at a time as they are iterated (so analysis can start
    on the first while the rest are read); `count` is known at once, `warnings` fill up as the
    files are read, in the order `ingest` gives them. Files `remembered` unchanged come as
    KnownArticles, with the warnings reading them gave; `read` holds what to remember of the
    files read this time."""

    def __init__(self, seeds: Path, remembered: Mapping[str, FileRecord] | None = None) -> None:
        self.seeds = seeds
        self.paths, others = seed_files(seeds)
        if not self.paths:
            # Publishing an empty briefing over the last one is never what was meant.
            raise SeedsError(f"{seeds}: no articles (.txt or .md files) in the seeds folder")
        self.sources_meta = load_sources_yml(seeds)
        self.warnings: list[Warning] = []
        self.remembered = remembered or {}
        self.read: dict[str, tuple[FileStamp, str, tuple[str, ...]]] = {}  # file name -> stamp, identity, reasons
        self.reused: list[str] = []  # names of the files that came as KnownArticles
        self.started_ns = time.time_ns()
        known = {p.name for p in self.paths}
        for name in sorted(set(self.sources_meta) - known):
            self.warnings.append(Warning(METADATA_FILE, f"metadata for {name!r}, but no such article"))
        for path in others:
            self.warnings.append(Warning(shown_name(path.name), "not a .txt or .md article; ignored"))
        for name in seed_links(seeds):
            self.warnings.append(Warning(shown_name(name), "a symbolic link; skipped (only files in the seeds "
                                                           "folder itself are read)"))
        self.ids = assign_ids(self.paths)

    @property
    def count(self) -> int:
        """Article files found; those that cannot be read or are empty are skipped with a warning."""
        return len(self.paths)

    def identity(self, path: Path) -> str:
        meta = self.sources_meta.get(path.name)
        if not meta:  # what json.dumps writes for an id (a slug: nothing to escape) and no metadata
            return f'["{self.ids[path]}", {{}}]'
        return json.dumps([self.ids[path], meta], sort_keys=True, default=str)

    def __iter__(self) -> Iterator[Article | KnownArticle]:
        for path in self.paths:
            name = path.name
            try:
                stamp: FileStamp | None = stamp_of(path.stat())
            except OSError:
                stamp = None  # read_article says why
            identity = self.identity(path)
            record = self.remembered.get(name)
            if stamp is not None and record is not None and (record.stamp, record.identity) == (stamp, identity):
                self.warnings += [Warning(shown_name(name), reason) for reason in record.reasons]
                self.reused.append(name)
                yield KnownArticle(self.ids[path], name, record.content_key)
                continue
            before = len(self.warnings)
            article = read_article(path, self.ids[path], self.sources_meta, self.warnings,
                                   None if stamp is None else stamp[2])
            if article is not None:
                if stamp is not None and stamp[4] < self.started_ns - SETTLED_NS:
                    self.read[name] = (stamp, identity, tuple(w.reason for w in self.warnings[before:]))
                yield article

    def reread(self, article: Article | KnownArticle) -> Article | None:
        """The article itself, read now if it came as a KnownArticle: its warnings were given then,
        unless it can no longer be read (changed or gone since it was listed)."""
        if isinstance(article, Article):
            return article
        found: list[Warning] = []
        read = read_article(self.seeds / article.filename, article.id, self.sources_meta, found)
        if read is None:
            self.warnings += found
        return read

    def records(self, content_keys: Mapping[str, str]) -> dict[str, FileRecord]:
        """What to remember for the next build: the files read this time and keyed (`content_keys`,
        by article id), and those that came as remembered, unless the cache keyed them otherwise."""
        ids = {path.name: self.ids[path] for path in self.paths}
        kept = {name: self.remembered[name] for name in self.reused
                if content_keys.get(ids[name]) == self.remembered[name].content_key}
        for name, (stamp, identity, reasons) in self.read.items():
            key = content_keys.get(ids[name])
            if key is not None:
                kept[name] = FileRecord(stamp, identity, key, reasons)
        return dict(sorted(kept.items()))


def ingest(seeds: Path) -> IngestResult:
    stream = ArticleStream(seeds)
    articles = tuple(a for a in stream if isinstance(a, Article))  # nothing remembered: every file is read
    return IngestResult(articles, tuple(stream.warnings))
