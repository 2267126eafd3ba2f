"""Synthetic corpora for the benchmark, made from the seed sentences.

Each article draws 15-60 cleaned, unspun seed sentences, swaps in other names and numbers
and sometimes adds a heading, so articles differ the way real coverage of one story does.
Deterministic for a given seed.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from generator.config import Config
from generator.pipeline import prepare_sources

NAMES = ["Putin", "Pezeshkian", "Lavrov", "Araghchi", "Jalali", "Khamenei", "Mishustin", "Aref", "Novak",
         "Oreshkin", "Velayati", "Shoigu", "Larijani", "Zarif", "Peskov", "Ryabkov"]
HEADINGS = ["Energy cooperation", "Payments and banks", "Military ties", "Transport corridor",
            "Western response", "Background", "What comes next", "Trade figures"]


def seed_sentences(seeds: Path, config: Config) -> list[str]:
    sources = prepare_sources(seeds, config).sources
    return [s.text for src in sources if not src.is_spun for s in src.sentences if len(s.text.split()) >= 6]


def vary(sentence: str, rng: random.Random) -> str:
    sentence = re.sub(r"\d+", lambda m: str(max(1, int(m.group()) + rng.randint(-3, 3))), sentence)
    for name in ("Putin", "Pezeshkian", "Lavrov", "Jalali"):
        if name in sentence and rng.random() < 0.5:
            sentence = sentence.replace(name, rng.choice(NAMES))
    return sentence


def make_corpus(folder: Path, count: int, sentences: list[str], seed: int = 7) -> Path:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        paragraphs, current = [], []
        for _ in range(rng.randint(15, 60)):
            current.append(vary(rng.choice(sentences), rng))
            if len(current) >= rng.randint(2, 5):
                paragraphs.append(" ".join(current))
                current = []
                if rng.random() < 0.3:
                    paragraphs.append(rng.choice(HEADINGS))
        paragraphs.append(" ".join(current) or vary(rng.choice(sentences), rng))
        (folder / f"article-{i:05d}.txt").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return folder
