"""`beside`: one task in a forked process while the caller goes on; `Claims`: numbers taken once
each across processes; `bounded_map`: a pool kept few tasks ahead."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from generator.parallel import Claims, beside, bounded_map

needs_fork = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork here")


@needs_fork
def test_beside_runs_the_task_in_another_process_with_a_spare_core():
    corpus = {"inherited": list(range(1000))}  # not sent: the forked process sees it

    with beside(lambda: (os.getpid(), sum(corpus["inherited"])), jobs=2) as result:
        here = os.getpid()
        pid, total = result()
    assert pid != here and total == 499500


def test_beside_runs_the_task_itself_with_one_job():
    with beside(os.getpid, jobs=1) as result:
        assert result() == os.getpid()


@pytest.mark.parametrize("jobs", [pytest.param(2, marks=needs_fork), 1])
def test_beside_passes_on_the_tasks_error(jobs):
    def fail() -> None:
        raise ValueError("players: bad name list")

    with pytest.raises(ValueError, match="bad name list"), beside(fail, jobs=jobs) as result:
        result()


class CountingPool(ThreadPoolExecutor):
    """Keeps the futures of the tasks submitted, to count them and see what became of them."""

    def __init__(self, workers: int = 2) -> None:
        super().__init__(workers)
        self.futures: list = []

    @property
    def submitted(self) -> int:
        return len(self.futures)

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[override]
        self.futures.append(super().submit(fn, *args, **kwargs))
        return self.futures[-1]


@pytest.mark.parametrize("ahead", [1, 3, 50])
def test_bounded_map_gives_results_in_order_with_at_most_ahead_tasks_untaken(ahead):
    with CountingPool() as pool:
        taken: list[int] = []
        most_ahead = 0
        for result in bounded_map(pool, lambda n: n * n, range(20), ahead):
            taken.append(result)
            most_ahead = max(most_ahead, pool.submitted - len(taken))
    assert taken == [n * n for n in range(20)]
    assert most_ahead == min(ahead, 19)  # as far ahead as allowed, and no further


def test_bounded_map_passes_on_an_error_and_cancels_what_waits():
    release = threading.Event()

    def fail_on_three(n: int) -> int:
        if n == 3:
            raise ValueError("three")
        if n > 3:
            release.wait()  # the one worker is held on 4 while 5 and 6 wait to start
        return n

    with CountingPool(workers=1) as pool:
        results = bounded_map(pool, fail_on_three, range(100), ahead=4)
        with pytest.raises(ValueError, match="three"):
            list(results)
        release.set()
        assert pool.submitted == 7  # 0-3 first, then one more as each of 0, 1 and 2 was taken
        assert [f.cancelled() for f in pool.futures[5:]] == [True, True]  # 4 may have started


@needs_fork
def test_claims_hand_each_number_to_one_process_only():
    claims, started = Claims(), multiprocessing.get_context("fork").Event()

    def take_until(last: int) -> list[int]:
        taken = []
        while (number := claims.take()) < last:
            taken.append(number)
            started.set()
            time.sleep(0.0001)  # so the two processes take turns
        return taken

    with beside(lambda: (os.getpid(), take_until(500)), jobs=2) as other:
        started.wait(timeout=60)  # the other process has taken its first
        mine = take_until(500)
        pid, theirs = other()
    assert pid != os.getpid()
    assert sorted(mine + theirs) == list(range(500))  # none twice, none lost
    assert mine and theirs


def _counted_state(start: int) -> list[int]:
    return [start, os.getpid()]


def _next_of(state: list[int], step: int) -> tuple[int, int]:
    state[0] += step  # the worker's own state: kept from task to task, made once per worker
    return state[0], state[1]


@pytest.mark.parametrize("fork", [pytest.param(True, marks=needs_fork), False])
def test_a_state_pool_makes_each_worker_s_state_from_what_it_is_handed(fork):
    import generator.parallel as parallel

    with parallel.StatePool(1, _counted_state, (100,), fork=fork) as pool:
        found = list(pool.map(_next_of, [1, 2, 3]))
    assert [n for n, _ in found] == [101, 103, 106]
    assert {pid for _, pid in found} != {os.getpid()}
    assert parallel._worker_state is None  # set in workers only: nothing for a fork to inherit


@needs_fork
def test_beside_says_when_its_process_died():
    with pytest.raises(ChildProcessError, match="died"), beside(lambda: os._exit(3), jobs=2) as result:
        result()


@needs_fork
def test_beside_ends_a_process_whose_result_is_never_asked_for():
    with beside(lambda: b"x" * (1 << 24), jobs=2):  # more than a pipe holds: it waits to send
        pass  # the block ends without asking; the process is ended, not waited for for ever
