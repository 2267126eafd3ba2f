"""`beside`: one task in a forked process while the caller goes on; `bounded_map`: a pool kept few tasks ahead."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from generator.parallel import beside, bounded_map

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
    """Counts the tasks submitted and not yet taken by the caller."""

    def __init__(self) -> None:
        super().__init__(2)
        self.submitted = 0

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[override]
        self.submitted += 1
        return super().submit(fn, *args, **kwargs)


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
    def fail_on_three(n: int) -> int:
        if n == 3:
            raise ValueError("three")
        return n

    with CountingPool() as pool:
        results = bounded_map(pool, fail_on_three, range(100), ahead=4)
        with pytest.raises(ValueError, match="three"):
            list(results)
        assert pool.submitted <= 3 + 4
