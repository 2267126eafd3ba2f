"""`make boilerplate`: our furniture rules beside a boilerplate library, on the labelled corpora.

Issue 26 asked whether a well-kept boilerplate remover does the job better than `clean`'s rules.
jusText classifies paragraphs by length, stopword density, link density and their neighbours;
trafilatura extracts an HTML page's main text. Our inputs are text, so each non-empty line is
given to them as one `<p>` of a page. For every half of every labelled corpus (and the seeds)
this counts the gold furniture strings still in the text each system keeps, and the gold
sentences it lost (deleting reporting is worse than keeping a caption). Systems: our `clean`,
jusText alone, trafilatura alone, and jusText run on what `clean` keeps ("beside the rules").

`--real DIR` measures the same on real pages kept outside the repository (the search tool's
stored pages, never committed): DIR holds the pages as text and `labels.json`, which gives each
page's furniture lines and content lines; a content line counts as lost when its words are not
all kept, a furniture line as left when they are.

The libraries are not dependencies: `make boilerplate` installs them in a throwaway venv under
.cache and passes its site-packages with --library-path. Not part of `make test`; it only reports.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.clean import clean  # noqa: E402
from generator.config import load_config  # noqa: E402
from generator.evaluate import HALVES, CorpusStory, Gold, load_gold, words  # noqa: E402
from generator.ingest import read_article  # noqa: E402
from generator.model import Article, SourceMeta  # noqa: E402

Keep = Callable[[list[str]], str]  # a system: the lines of one article -> the text it keeps


def as_page(lines: list[str]) -> str:
    """Each line as one escaped paragraph of an HTML page: what the libraries expect."""
    return "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in lines) + "</body></html>"


def lines_of(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def library_systems() -> dict[str, Keep]:
    import justext  # type: ignore[import-not-found]
    import trafilatura  # type: ignore[import-not-found]

    stoplist = justext.get_stoplist("English")

    def jus(lines: list[str]) -> str:
        return "\n".join(p.text for p in justext.justext(as_page(lines).encode(), stoplist) if not p.is_boilerplate)

    def traf(lines: list[str]) -> str:
        return trafilatura.extract(as_page(lines), include_comments=False, include_tables=True) or ""

    return {"jusText": jus, "trafilatura": traf}


@dataclass(frozen=True)
class Half:
    label: str
    folder: Path
    files: tuple[str, ...]
    gold: Gold


def halves(corpora: Path) -> Iterator[Half]:
    for folder in sorted(p for p in corpora.iterdir() if (p / "gold.yml").is_file()):
        story = CorpusStory.load(folder)
        config = load_config(folder / "briefing.yml")
        gold = load_gold(folder / "gold.yml", [t.id for t in config.topics])
        for half in HALVES:
            files = story.halves[half]
            texts = {f: (folder / "articles" / f).read_text(encoding="utf-8") for f in files}
            yield Half(f"{story.name}/{half}", folder / "articles", files, gold.half(set(files), texts))
    config = load_config(ROOT / "briefing.yml")
    seeds = tuple(sorted(p.name for p in (ROOT / "seeds").iterdir() if p.suffix in (".md", ".txt")))
    yield Half("seeds", ROOT / "seeds", seeds, load_gold(ROOT / "tests/gold/seeds.yml", [t.id for t in config.topics]))


def kept_texts(filename: str, text: str, libraries: dict[str, Keep]) -> dict[str, str]:
    """What each system keeps of one article: ours is the title `clean` found plus its blocks."""
    cleaned = clean(Article("s1", filename, text, SourceMeta()))
    title = cleaned.article.meta.title if not cleaned.article.meta.title_inferred else None
    ours = "\n".join([*([title] if title else []), *(block.text for block in cleaned.blocks)])
    kept = {"ours": ours}
    for name, keep in libraries.items():
        kept[name] = keep(lines_of(text))
    kept["ours+jusText"] = libraries["jusText"](lines_of(ours))
    return kept


def without_prefix(line: str, furniture: list[str]) -> str:
    """A content line without the furniture it opens with (a dateline: "WAYNE (WWJ) – ")."""
    return next((line[len(f):] for f in furniture if f and line.startswith(f)), line)


def holds(kept_words: str, text: str) -> bool:
    """Whether the kept text has these words, whole: "BY" is not left because a story says "by"
    somewhere, though "by" is in "nearby"."""
    wanted = words(text)
    return bool(wanted) and f" {wanted} " in f" {kept_words} "


def lacks(kept_words: str, text: str) -> bool:
    """Whether text with words of its own is not kept whole (a blank label line is never lost)."""
    return bool(words(text)) and not holds(kept_words, text)


def is_left(furniture: str, content: list[str], kept_words: str) -> bool:
    """Whether a furniture line is still in the kept text. A dateline that opens a content line is
    left when that line still starts with it: its city's name alone may be anywhere in the story."""
    opened = [line for line in content if line.startswith(furniture)]
    if opened:
        return any(holds(kept_words, line) for line in opened)
    return holds(kept_words, furniture)


def real_pages(folder: Path, libraries: dict[str, Keep]) -> None:
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    totals: dict[str, list[int]] = {}
    for filename in sorted(labels):
        label = labels[filename]
        kept = kept_texts(filename, (folder / filename).read_text(encoding="utf-8"), libraries)
        for name, text in kept.items():
            everything = words(text)
            left = sum(1 for line in label["furniture"] if is_left(line, label["content"], everything))
            lost = sum(1 for line in label["content"] if lacks(everything, without_prefix(line, label["furniture"])))
            figures = (left, len(label["furniture"]), lost, len(label["content"]))
            totals[name] = [a + b for a, b in zip(totals.get(name, [0, 0, 0, 0]), figures, strict=True)]
    print(f"Real pages in {folder} ({len(labels)} pages):")
    for name, (left, furniture, lost, content) in totals.items():
        print(f"{name:14} furniture lines left {left}/{furniture}; content lines lost {lost}/{content}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--library-path", type=Path, required=True,
                        help="site-packages holding justext and trafilatura")
    parser.add_argument("--corpora", type=Path, default=ROOT / "tests/corpus")
    parser.add_argument("--real", type=Path, help="a folder of real pages and their labels.json")
    args = parser.parse_args()
    sys.path.append(str(args.library_path))
    libraries = library_systems()
    if args.real:
        real_pages(args.real, libraries)
        return 0
    names = ["ours", *libraries, "ours+jusText"]
    totals = {name: [0, 0, 0, 0, 0] for name in names}
    print(f"{'half':20}" + "".join(f"{name:>24}" for name in names))
    print(f"{'':20}" + "".join(f"{'furniture left / lost':>24}" for _ in names))
    for half in halves(args.corpora):
        kept: dict[str, dict[str, str]] = {name: {} for name in names}
        for filename in half.files:
            article = read_article(half.folder / filename, "s1", {}, [])
            if article is None:  # unreadable: read_article said why
                continue
            ours = "\n".join(block.text for block in clean(article).blocks)
            kept["ours"][filename] = ours
            for name, keep in libraries.items():
                kept[name][filename] = keep(lines_of(article.text))
            kept["ours+jusText"][filename] = libraries["jusText"](lines_of(ours))
        row = f"{half.label:20}"
        for name in names:
            texts = {f: words(t) for f, t in kept[name].items()}
            everything = " || ".join(texts.values())
            left = sum(1 for s in half.gold.furniture if holds(everything, s))
            gone = [g for g in half.gold.sentences if lacks(texts.get(g.filename, ""), g.text)]
            key_lost = sum(1 for g in gone if g.key)
            figures = (left, len(half.gold.furniture), len(gone), len(half.gold.sentences), key_lost)
            totals[name] = [a + b for a, b in zip(totals[name], figures, strict=True)]
            row += f"{f'{left}/{figures[1]} / {len(gone)}':>24}"
        print(row)
    print()
    for name, (left, furniture, lost, sentences, key_lost) in totals.items():
        print(f"{name:14} furniture strings left {left}/{furniture}; gold sentences lost {lost}/{sentences} "
              f"({key_lost} of them key-point-worthy)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
