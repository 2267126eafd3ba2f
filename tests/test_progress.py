"""Progress: a redrawn bar on a terminal, a few plain log lines elsewhere (CI logs), nothing for short runs."""

from __future__ import annotations

import io
import logging

import pytest

from generator.progress import Progress, StageTimes


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(progress: Progress, total: int) -> None:
    for done in range(1, total + 1):
        progress.update(done, total)


def test_on_a_terminal_one_bar_is_redrawn_in_place_and_ends_the_line(caplog):
    stream = Terminal()
    with caplog.at_level(logging.INFO, logger="generator"):
        run(Progress("analysing articles", stream), 1000)
    written = stream.getvalue()
    frames = written.split("\r")[1:]
    assert len(frames) == 1000  # one redraw per article, each over the last
    assert frames[0] == "analysing articles [..............................] 1/1000"
    assert frames[499] == "analysing articles [###############...............] 500/1000"
    assert frames[-1] == "analysing articles [##############################] 1000/1000\n"
    assert written.count("\n") == 1
    assert not caplog.records  # the bar is the only report


@pytest.mark.parametrize("total", [200, 1000, 10_007])
def test_elsewhere_about_ten_plain_log_lines_and_the_last_always(caplog, total):
    stream = io.StringIO()
    with caplog.at_level(logging.INFO, logger="generator"):
        run(Progress("analysing articles", stream), total)
    assert stream.getvalue() == ""  # no carriage returns in a CI log
    lines = [r.getMessage() for r in caplog.records]
    assert 10 <= len(lines) <= 11
    assert lines[-1] == f"analysing articles: {total}/{total}"
    counts = [int(line.rsplit(" ", 1)[1].split("/")[0]) for line in lines]
    assert counts == sorted(set(counts))  # each reported once, in order
    assert all(b - a <= total // 10 + 1 for a, b in zip([0, *counts], counts, strict=False))


def test_short_runs_report_nothing(caplog):
    stream = Terminal()
    with caplog.at_level(logging.INFO, logger="generator"):
        run(Progress("analysing articles", stream), 199)
    assert stream.getvalue() == ""
    assert not caplog.records


def test_stage_times_add_up_when_a_stage_runs_twice_or_elsewhere():
    times = StageTimes()
    with times.stage("rank"):
        pass
    first = times.seconds["rank"]
    with times.stage("rank"):
        pass
    times.add({"rank": 1.0, "timeline": 2.0})
    assert times.seconds["rank"] >= first + 1.0
    assert times.seconds["timeline"] == 2.0
    assert list(times.seconds) == ["rank", "timeline"]
