"""Shared fixtures: the real seeds, the real config, and small corpora the tests create."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import Config, load_config
from generator.model import Briefing
from generator.pipeline import generate

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CONFIG = ROOT / "briefing.yml"
MKDOCS_YML = ROOT / "mkdocs.yml"
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"


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
