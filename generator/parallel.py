"""One task run beside the caller in a forked process, where a core is spare; numbers handed out
once each across such processes, to share work between them; a pool's results taken in order
with only a few tasks ahead of the caller."""

from __future__ import annotations

import ctypes
import ctypes.util
import itertools
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")
A = TypeVar("A")
_background: Callable[[], object] | None = None  # set only while a `beside` process starts
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent() -> None:
    """A pool worker's initializer: the kernel kills this process when its parent dies. A worker
    of a build killed with SIGKILL otherwise waits on its task queue for ever. Linux only;
    elsewhere (and if the parent is gone already) the worker ends when it finds its parent gone."""
    parent = os.getppid()
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent or parent == 1:  # the parent died before the signal was asked for
        os._exit(1)


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
        # Shut down waiting, also once the task is done: a pool left to end by itself keeps a
        # thread running, and a process forked meanwhile (the next `beside`) could inherit one
        # of its locks held, and hang (a test run did, when the pool was not waited for).
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"),
                                 initializer=die_with_parent) as pool:
            future = pool.submit(_run_background)
            yield future.result  # type: ignore[misc]
    finally:
        _background = None


class Claims:
    """0, 1, 2, ... handed out once each, to this process and the processes forked from it after
    it was made: two processes that take chunks of one list by number until it runs out share
    it by how fast each is, not by a split fixed beforehand."""

    def __init__(self) -> None:
        self._next = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods()
                                                 else None).Value("q", 0)

    def take(self) -> int:
        with self._next.get_lock():
            taken = int(self._next.value)
            self._next.value = taken + 1
        return taken


def bounded_map(pool: Executor, task: Callable[[A], T], items: Iterable[A], ahead: int) -> Iterator[T]:
    """`pool.map(task, items)`, except that at most `ahead` tasks are submitted and not yet taken:
    `map` submits every task at once, so when the caller takes results slower than the pool
    makes them, they all wait in the caller's memory."""
    todo = iter(items)
    pending: deque[Future[T]] = deque(pool.submit(task, item) for item in itertools.islice(todo, max(1, ahead)))
    try:
        while pending:
            done = pending.popleft().result()
            pending.extend(pool.submit(task, item) for item in itertools.islice(todo, 1))
            yield done
    finally:
        for future in pending:
            future.cancel()
