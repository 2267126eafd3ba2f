"""One task run beside the caller in a forked process, where a core is spare; numbers handed out
once each across such processes, to share work between them; a pool's results taken in order
with only a few tasks ahead of the caller."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import itertools
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

T = TypeVar("T")
A = TypeVar("A")
S = TypeVar("S")
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


# A pool worker's own state, made by `_start_worker` from what its pool handed it (`state_pool`).
# Only ever set in a worker, never in the process that makes pools, so no process inherits it.
_worker_state: object = None


def _start_worker(make: Callable[..., object], args: tuple[object, ...]) -> None:
    global _worker_state
    die_with_parent()
    _worker_state = make(*args)


def as_given(state: S) -> S:
    """A `StatePool` state that is the object handed over itself."""
    return state


def _with_state(task: Callable[[Any, A], T], item: A) -> T:
    return task(_worker_state, item)


class StatePool(Generic[S]):
    """A process pool whose workers each make their state once, from arguments handed to them
    explicitly (`make(*args)`: pickled, or with fork given to the forked process as they are,
    never copied), and pass it to every task as its first argument."""

    def __init__(self, jobs: int, make: Callable[..., S], args: tuple[object, ...], fork: bool = False) -> None:
        context = multiprocessing.get_context("fork") if fork else None
        self.pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker, initargs=(make, args))

    def map(self, task: Callable[[S, A], T], items: Iterable[A], chunksize: int = 1) -> Iterator[T]:
        return self.pool.map(functools.partial(_with_state, task), items, chunksize=chunksize)

    def bounded_map(self, task: Callable[[S, A], T], items: Iterable[A], ahead: int) -> Iterator[T]:
        return bounded_map(self.pool, functools.partial(_with_state, task), items, ahead)

    def shutdown(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> StatePool[S]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()


def _run_beside(task: Callable[[], object], send: Connection) -> None:
    """In the forked process: run the task and send back its result, or its error."""
    die_with_parent()
    try:
        outcome: tuple[bool, object] = (True, task())
    except BaseException as error:  # every error goes back to the caller
        outcome = (False, error)
    try:
        send.send(outcome)
    except Exception as error:  # the result or error would not pickle
        send.send((False, RuntimeError(f"the task beside could not send back its outcome: {error!r}")))
    finally:
        send.close()


@contextmanager
def beside(task: Callable[[], T], jobs: int) -> Iterator[Callable[[], T]]:
    """Run `task` in a forked process while the caller goes on, when there is a core to spare
    (`jobs` > 1): the process is given the task as its argument (a fork copies nothing; the task
    reads what the caller holds), and only the result comes back, through a pipe. Yields the
    function that waits for that result; without fork, or with one job, that function runs the
    task itself. The process is ended with the block, however it ends."""
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield task
        return
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_run_beside, args=(task, send))
    process.start()
    send.close()
    taken: list[T] = []

    def result() -> T:
        if not taken:
            try:
                ok, value = receive.recv()
            except EOFError:
                raise ChildProcessError(f"the process beside died (exit code {process.exitcode})") from None
            if not ok:
                assert isinstance(value, BaseException)
                raise value
            taken.append(value)
        return taken[0]

    try:
        yield result
    finally:
        if process.is_alive() and not taken:
            process.kill()  # its result was never asked for: it may wait on a full pipe
        process.join()
        receive.close()


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
