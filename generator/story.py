"""Start a new story: the files a maintainer fills in, written from templates.

A story is data: its `briefing.yml` (title, description, topics) and a `seeds/` folder of
articles. Everything else the engine needs has defaults (see config.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .ingest import slugify

TEMPLATES = Path(__file__).parent / "templates"
STOPWORDS = frozenset("the a an and or of in on to for with by from at as its their is are was what how".split())  # noqa: SIM905


class StoryExistsError(Exception):
    """`new` would overwrite a story's file."""


@dataclass(frozen=True)
class TopicSketch:
    id: str
    title: str
    terms: tuple[str, ...]


def sketch_topics(titles: list[str]) -> list[TopicSketch]:
    """Topics from their titles, ids unique, each with its title's words as first terms."""
    titles = titles or ["First topic", "Second topic"]
    sketches, used = [], set()
    for title in titles:
        base = slugify(title)
        topic_id, n = base, 2
        while topic_id in used:
            topic_id, n = f"{base}-{n}", n + 1
        used.add(topic_id)
        words = [w for w in re.findall(r"[^\W\d_][\w'-]*", title.lower()) if w not in STOPWORDS and len(w) > 2]
        sketches.append(TopicSketch(topic_id, title, tuple(dict.fromkeys(words)) or (topic_id,)))
    return sketches


def new_story(folder: Path, title: str, topic_titles: list[str]) -> list[Path]:
    """Write `folder/briefing.yml` and `folder/seeds/README.md`; returns what was written."""
    title = " ".join(title.split())  # one line: it also stands in a YAML comment
    config, readme = folder / "briefing.yml", folder / "seeds" / "README.md"
    existing = [str(p) for p in (config, readme) if p.exists()]
    if existing:
        raise StoryExistsError(f"{', '.join(existing)} exists already; nothing was written")
    # The files are YAML and Markdown for the maintainer to edit, not HTML: values are put in
    # as JSON strings (`tojson`), which YAML reads back as the same text.
    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined, keep_trailing_newline=True,
                      autoescape=False)
    text = env.get_template("briefing.yml.j2").render(title=title, topics=sketch_topics(topic_titles))
    readme_text = env.get_template("seeds-readme.md.j2").render(title=title)
    readme.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(text, encoding="utf-8")
    readme.write_text(readme_text, encoding="utf-8")
    return [config, readme]
