"""A thin command line over `pipeline.build`; all the work is in the library."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import NoReturn

from .config import ConfigError
from .ingest import SeedsError, shown_name
from .model import DeferredTextError
from .pipeline import BuildResult, StrictModeError, build
from .progress import Progress, StageTimes
from .render import SiteBuildError
from .story import StoryExistsError, new_story

EXIT_OK, EXIT_WARNINGS, EXIT_FATAL, EXIT_SYSTEM = 0, 1, 2, 3


def system_error(exc: OSError | MemoryError) -> str:
    """One line for a failure of the machine, not of the input: the path and what the OS said
    (a full or read-only disk, a missing permission), never a traceback."""
    if isinstance(exc, MemoryError):
        return "out of memory"
    paths = [shown_name(str(p)) for p in (exc.filename, exc.filename2) if p is not None]
    return f"{' -> '.join(paths)}: {exc.strerror or exc}" if paths else str(exc.strerror or exc)


def non_negative(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {value}")
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m generator", description="Static briefing-site generator.")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="generate the briefing pages (and optionally the site) from a seeds folder",
                       description="Read the articles in SEEDS, write the briefing's Markdown pages and "
                                   "briefing.json to DOCS, and with --site also build the static site. "
                                   "Output is swapped in only when everything succeeded.")
    b.add_argument("--story", type=Path, default=Path("."),
                   help="the story's folder: its briefing.yml and seeds/ (default: the current folder)")
    b.add_argument("--seeds", type=Path, help="folder of .txt/.md articles and optional sources.yml "
                                               "(default: STORY/seeds)")
    b.add_argument("--docs", type=Path, required=True, help="folder to write the Markdown pages to (replaced whole)")
    b.add_argument("--config", type=Path, help="the story's topics (default: STORY/briefing.yml)")
    b.add_argument("--site", type=Path, help="also build the site into this folder with MkDocs (strict)")
    b.add_argument("--mkdocs-config", type=Path, default=Path("mkdocs.yml"), help="MkDocs config (default: mkdocs.yml)")
    b.add_argument("--strict", action="store_true", help="fail (exit 1) if any input produced a warning")
    b.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="processes for the per-article stages (default: all cores); output is the same for any")
    b.add_argument("--cache", type=Path,
                   help="reuse per-article results from this folder when article, config and code are unchanged")
    b.add_argument("--editions", type=Path,
                   help="folder keeping the last two editions' key points (make build: STORY/editions): "
                        "pages mark what is new since the previous edition")
    b.add_argument("--timings", type=Path, help="write seconds per stage to this JSON file (for make bench)")
    b.add_argument("-q", "--quiet", action="store_true", help="only print warnings and errors")
    n = sub.add_parser("new", help="start a new story: a commented briefing.yml and a seeds folder",
                       description="Write DIR/briefing.yml (a commented skeleton with one topic per --topic) and "
                                   "DIR/seeds/ for the articles. Nothing that exists is overwritten.")
    n.add_argument("folder", type=Path, metavar="DIR", help="the story's folder (created if missing)")
    n.add_argument("--title", required=True, help="what the story is, e.g. \"Port strike in Rotterdam (2026)\"")
    n.add_argument("--topic", action="append", default=[], metavar="TITLE",
                   help="a topic's title; give it once per topic (default: two example topics to rename)")
    n.set_defaults(quiet=True)
    u = sub.add_parser("unplaced", help="list sentences on no topic that state a figure or a date or quote "
                                         "someone, and the words they share: what the topics' terms miss",
                       description="Analyse the story's articles (no pages are written) and print the sentences "
                                   "no topic's terms catch that state a figure or a date, quote someone or say who "
                                   "said what, then the words two or more independent sources use in them that no "
                                   "term matches, with the topics whose sentences use them too. Input warnings go "
                                   "to stderr.")
    u.add_argument("--story", type=Path, default=Path("."),
                   help="the story's folder: its briefing.yml and seeds/ (default: the current folder)")
    u.add_argument("--seeds", type=Path, help="folder of articles (default: STORY/seeds)")
    u.add_argument("--config", type=Path, help="the story's topics (default: STORY/briefing.yml)")
    u.add_argument("--limit", type=non_negative, default=40, help="sentences to print at most (default: 40)")
    u.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes (default: all cores)")
    u.set_defaults(quiet=True)
    e = sub.add_parser("eval", help="score the briefing against hand-written gold labels, beside a naive baseline",
                       description="Build the briefing and site in a temporary folder, then print per-topic "
                                   "precision and recall of topic assignment and key-point selection, merged "
                                   "same-point pairs and furniture strings in the site, for us and for a keyword "
                                   "filter plus LexRank baseline. Exits 1 when a figure is below --floors.")
    e.add_argument("--seeds", type=Path, default=Path("seeds"))
    e.add_argument("--config", type=Path, default=Path("briefing.yml"))
    e.add_argument("--gold", type=Path, default=Path("tests/gold/seeds.yml"))
    e.add_argument("--floors", type=Path, help="YAML of minimum figures (tests/gold/floors.yml)")
    e.add_argument("--mkdocs-config", type=Path, default=Path("mkdocs.yml"))
    e.add_argument("--corpus", type=Path, nargs="*", default=[], metavar="DIR",
                   help="also score these labelled corpora (tests/corpus/NAME: briefing.yml, articles/, gold.yml, "
                        "SOURCES.yml), each half on its own")
    e.add_argument("--corpus-floors", type=Path, help="YAML of test-half minimums per corpus story")
    e.set_defaults(quiet=True)
    return p


def evaluate_command(args: argparse.Namespace) -> int:
    from .evaluate import (
        HALVES,
        CorpusStory,
        below_corpus_floors,
        below_floors,
        corpus_floors,
        corpus_report,
        load_floors,
        report,
        run,
        run_half,
    )

    ours, base = run(args.seeds, args.config, args.gold, args.mkdocs_config)
    print(report(ours, base))
    failures = below_floors(ours, load_floors(args.floors)) if args.floors else []
    if args.corpus:
        stories = [CorpusStory.load(folder) for folder in args.corpus]
        results = {(story.name, half): run_half(story, half, args.mkdocs_config)
                   for story in stories for half in HALVES}
        print()
        print(corpus_report(results))
        if args.corpus_floors:
            failures += below_corpus_floors(results, corpus_floors(args.corpus_floors))
    for failure in failures:
        print(f"below floor: {failure}", file=sys.stderr)
    if failures:
        return EXIT_WARNINGS
    if args.floors or args.corpus_floors:
        print("All figures at or above the floors.")
    return EXIT_OK


def story_inputs(args: argparse.Namespace) -> tuple[Path, Path]:
    """The seeds folder and the briefing.yml: --seeds and --config, else the story folder's own."""
    return args.seeds or args.story / "seeds", args.config or args.story / "briefing.yml"


def unplaced_command(args: argparse.Namespace) -> int:
    from .config import load_config
    from .copies import source_groups
    from .pipeline import analyse_corpus
    from .unplaced import format_report, unplaced_report

    try:
        seeds, config_path = story_inputs(args)
        config = load_config(config_path)
        corpus, _ = analyse_corpus(seeds, config, jobs=max(1, args.jobs),
                                   progress=None, times=StageTimes(), cache=None)
    except (ConfigError, SeedsError, DeferredTextError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FATAL
    for warning in corpus.warnings:  # what was skipped or doubtful: the counts are of what was read
        print(f"warning: {warning.filename}: {warning.reason}", file=sys.stderr)
    groups = source_groups([s.id for s in corpus.sources], corpus.copies)
    print(format_report(unplaced_report(corpus.sources, corpus.scores, config, groups), args.limit))
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """The command line for callers that go on afterwards (tests): returns the exit code."""
    code, _ = run(argv)
    return code


def entry() -> NoReturn:
    """The process's entry point (`python -m generator`, `briefing`). A build holds millions of
    objects, and freeing them one by one when the command returns took 0.47 s at 10,000
    articles; everything written is closed by then, so the process flushes its output and ends
    with the briefing (and the corpus it was made from) still held, and the OS takes the memory
    back at once."""
    code, _built = run()  # held, never freed: the process ends first
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def run(argv: list[str] | None = None) -> tuple[int, BuildResult | None]:
    """The exit code, and what the build made (None for eval and failures)."""
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO, format="%(levelname)s: %(message)s")
    for noisy in ("mkdocs", "material", "markdown_it", "MARKDOWN"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    if args.command == "new":
        try:
            written = new_story(args.folder, args.title, args.topic)
        except StoryExistsError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_FATAL, None
        for path in written:
            print(f"wrote {path}")
        print(f"next: put the articles in {args.folder / 'seeds'}, give each topic its terms in "
              f"{args.folder / 'briefing.yml'}, then run: make build STORY={args.folder}")
        return EXIT_OK, None
    if args.command == "unplaced":
        return unplaced_command(args), None
    if args.command == "eval":
        try:
            return evaluate_command(args), None
        except (ConfigError, SeedsError, SiteBuildError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_FATAL, None
    times = StageTimes()
    try:
        seeds, config_path = story_inputs(args)
        result = build(seeds, args.docs, config_path,
                       site=args.site, mkdocs_yml=args.mkdocs_config,
                       strict=args.strict, jobs=max(1, args.jobs), progress=Progress("analysing articles"),
                       times=times, cache_dir=args.cache, editions=args.editions)
    except (ConfigError, SeedsError, SiteBuildError, DeferredTextError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FATAL, None
    except StrictModeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_WARNINGS, None
    except (OSError, MemoryError) as exc:
        print(f"error: {system_error(exc)}", file=sys.stderr)
        return EXIT_SYSTEM, None
    if args.timings:
        args.timings.write_text(json.dumps({k: round(v, 3) for k, v in times.seconds.items()}), encoding="utf-8")
    briefing = result.briefing
    points = sum(len(t.key_points) for t in briefing.topics)
    logging.getLogger("generator").info(
        "wrote %d files to %s: %d sources, %d topics, %d key points, %d warnings%s",
        result.pages, args.docs, len(briefing.sources), len(briefing.topics), points, len(briefing.warnings),
        f"; site in {args.site}" if args.site else "",
    )
    return EXIT_OK, result
