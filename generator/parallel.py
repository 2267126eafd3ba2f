"""One task run beside the caller in a forked process, where a core is spare."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")
_background: Callable[[], object] | None = None  # set only while a `beside` process starts


def _run_background() -> object:
    assert _background is not None
    return _background()


@contextmanager
def beside(task: Callable[[], T], jobs: int) -> Iterator[Callable[[], T]]:
    """Run `task` in a forked process while the caller goes on, when there is a core to spare
    (`jobs` > 1): the process inherits what the task reads instead of being sent it, and only
    the result comes back. Yields the function that waits for that result; without fork, or
    with one job, that function runs the task itself."""
    global _background
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield task
        return
    _background = task
    try:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
            future = pool.submit(_run_background)
            yield future.result  # type: ignore[misc]
    finally:
        _background = None
