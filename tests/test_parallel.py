"""`beside`: one task in a forked process while the caller goes on."""

from __future__ import annotations

import multiprocessing
import os

import pytest

from generator.parallel import beside

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
