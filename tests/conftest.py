"""Shared fixtures: the engine tests' story (tests/engine), the stories the story checks
build, and small corpora the tests create.

Engine tests read `SEEDS` and `CONFIG`, a story kept under tests/engine that never changes
with the repository's own story; story checks (tests/test_story.py, the browser tests, the
quality gate) take their stories from `STORIES`: the repository's own and tests/stories/*.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

from generator.config import Config, load_config
from generator.model import Briefing
from generator.pipeline import generate

# No timed tests: hypothesis' per-example deadline failed on a busy shared machine (speed is
# measured by `make bench`, never asserted).
settings.register_profile("untimed", deadline=None)
settings.load_profile("untimed")

ROOT = Path(__file__).resolve().parent.parent
ENGINE = ROOT / "tests" / "engine"
SEEDS = ENGINE / "seeds"
CONFIG = ENGINE / "briefing.yml"
MKDOCS_YML = ROOT / "mkdocs.yml"
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"


@dataclass(frozen=True)
class Story:
    """A story folder: its briefing.yml and seeds/."""

    name: str
    folder: Path

    @property
    def seeds(self) -> Path:
        return self.folder / "seeds"

    @property
    def config(self) -> Path:
        return self.folder / "briefing.yml"


def stories() -> list[Story]:
    """The repository's own story (the top level), when it has one, and every story under tests/stories."""
    found = [Story("repository", ROOT)] if (ROOT / "briefing.yml").is_file() and (ROOT / "seeds").is_dir() else []
    kept = ROOT / "tests" / "stories"
    if kept.is_dir():
        found += [Story(p.name, p) for p in sorted(kept.iterdir()) if (p / "briefing.yml").is_file()]
    named = os.environ.get("BRIEFING_STORY")  # `make test STORY=DIR`
    if named and Path(named).resolve() not in {s.folder.resolve() for s in found}:
        found.append(Story(Path(named).resolve().name, Path(named).resolve()))
    return found


STORIES = stories()
REPOSITORY_STORY = next((s for s in STORIES if s.name == "repository"), None)


@pytest.fixture(scope="session")
def config() -> Config:
    return load_config(CONFIG)


@pytest.fixture(scope="session")
def seeds_briefing(config: Config) -> Briefing:
    return generate(SEEDS, config)


def write_corpus(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


@pytest.fixture
def corpus(tmp_path: Path):
    def make(files: dict[str, str | bytes]) -> Path:
        return write_corpus(tmp_path / "seeds", files)
    return make
