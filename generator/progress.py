"""Progress on long runs: a bar on a terminal, a few plain log lines otherwise (CI logs)."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO


class Progress:
    def __init__(self, label: str, stream: TextIO = sys.stderr, every: float = 0.1) -> None:
        self.label = label
        self.stream = stream
        self.interactive = stream.isatty()
        self.every = every
        self.next_report = every

    def update(self, done: int, total: int) -> None:
        if total < 200:
            return
        share = done / total
        if self.interactive:
            filled = int(share * 30)
            self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}")
            if done == total:
                self.stream.write("\n")
            self.stream.flush()
        elif share >= self.next_report or done == total:
            logging.getLogger("generator").info("%s: %d/%d", self.label, done, total)
            while self.next_report <= share:
                self.next_report += self.every


class StageTimes:
    """Wall time per pipeline stage, for the benchmark; accumulates if a stage runs twice."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start

    def add(self, seconds: dict[str, float]) -> None:
        """Seconds measured elsewhere (in another process) for the same stages."""
        for name, value in seconds.items():
            self.seconds[name] = self.seconds.get(name, 0.0) + value
