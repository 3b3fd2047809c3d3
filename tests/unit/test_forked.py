"""Forked children that take numbered tasks from one queue (``engine/forked.py``), and
extraction workers that read their own files when there is no cache."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

from archlint import lint
from archlint.config.schema import Settings
from archlint.engine import forked, workers
from archlint.engine.forked import run_forked
from archlint.reporters import json_report

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork-based workers")

PARENT = os.getpid()


def _no_child_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def _squared_with_pid(number: int) -> tuple[int, int]:
    return number * number, os.getpid()


def test_children_run_every_task_once_and_none_is_left() -> None:
    outcome = run_forked(50, _squared_with_pid, children=3, share=False)
    assert sorted(outcome.results) == list(range(50))
    assert all(value == number * number for number, (value, _) in outcome.results.items())
    pids = {pid for _, pid in outcome.results.values()}
    assert PARENT not in pids and 1 <= len(pids) <= 3
    assert outcome.failures == {}
    assert _no_child_left()


def test_results_cross_through_the_given_pickler() -> None:
    seen: list[int] = []

    def dumps(value: Any) -> bytes:
        import pickle

        seen.append(value[0])
        return pickle.dumps(value)

    outcome = run_forked(5, lambda number: number + 1, children=2, share=False, dumps=dumps)
    assert outcome.results == {number: number + 1 for number in range(5)}
    assert seen == [], "the pickler runs in the children, not here"


def test_children_that_die_or_fail_leave_their_tasks_missing_never_wrong() -> None:
    def run(number: int) -> int:
        if number % 5 == 0:
            os._exit(3)
        if number % 7 == 0:
            raise ValueError("not reported")
        return number + 100

    outcome = run_forked(40, run, children=2, share=False)
    assert all(value == number + 100 for number, value in outcome.results.items())
    assert not any(number % 7 == 0 or number % 5 == 0 for number in outcome.results)
    assert _no_child_left()


def test_a_result_that_cannot_be_pickled_is_missing() -> None:
    outcome = run_forked(4, lambda number: (lambda: number) if number == 2 else number, children=2, share=False)
    assert outcome.results == {0: 0, 1: 1, 3: 3}


def test_this_process_takes_tasks_too_when_it_shares() -> None:
    """Each task waits until the other process has started one, so neither process can
    have run them all: both took tasks."""
    first_in, first_out = os.pipe()
    second_in, second_out = os.pipe()

    def meet(number: int) -> int:
        import select

        tell, hear = (first_out, second_in) if number == 0 else (second_out, first_in)
        os.write(tell, b"x")
        ready, _, _ = select.select([hear], [], [], 10)
        return os.getpid() if ready else -1

    try:
        outcome = run_forked(2, meet, children=1, share=True)
    finally:
        for fd in (first_in, first_out, second_in, second_out):
            os.close(fd)
    assert -1 not in outcome.results.values(), "the two tasks did not run at the same time"
    assert PARENT in outcome.results.values() and len(set(outcome.results.values())) == 2


def test_a_child_with_a_large_result_goes_on_while_this_process_works() -> None:
    """The child's first result (200 KB) is larger than a pipe's default buffer. This
    process takes one task and waits in it until the child has started another: a child
    blocked on writing its result would never start it (the task gives up after 10 s)."""
    marker_in, marker_out = os.pipe()

    def run(number: int) -> Any:
        import select

        if os.getpid() == PARENT:
            ready, _, _ = select.select([marker_in], [], [], 10)
            return "went on" if ready else "blocked"
        if number == 2 or os.environ.get("_ARCHLINT_TEST_SECOND") == "1":
            os.write(marker_out, b"x")
            return number
        os.environ["_ARCHLINT_TEST_SECOND"] = "1"  # in the child only: its next task marks
        return b"r" * 200_000

    try:
        outcome = run_forked(3, run, children=1, share=True)
    finally:
        os.close(marker_in)
        os.close(marker_out)
    assert "went on" in outcome.results.values()
    assert sum(1 for value in outcome.results.values() if value == b"r" * 200_000) == 1
    assert len(outcome.results) == 3


def test_refused_before_anything_runs() -> None:
    with pytest.raises(ValueError, match="fork"):
        run_forked(forked.MAX_TASKS + 1, _squared_with_pid, children=1, share=False)
    assert _no_child_left()


def test_interrupted_here_kills_and_reaps_the_children() -> None:
    def run(number: int) -> int:
        if os.getpid() == PARENT:
            raise KeyboardInterrupt
        import time

        time.sleep(30)  # killed long before
        return number

    with pytest.raises(KeyboardInterrupt):
        run_forked(4, run, children=2, share=True)
    assert _no_child_left()


def _generated(root: Path, modules: int) -> None:
    (root / "pkg").mkdir()
    (root / "pkg" / "__init__.py").touch()
    for index in range(modules):
        target = (index * 7 + 1) % modules
        (root / "pkg" / f"mod{index}.py").write_text(f"from pkg import mod{target}\n\n\ndef f{index}(a):\n    return a\n")


def _report(root: Path, **kwargs: Any) -> str:
    found = lint(["."], cwd=str(root), settings=Settings(root=str(root)), **kwargs)
    return "\n".join(line for line in json_report.render(found).splitlines() if "duration_s" not in line)


@pytest.mark.parametrize("jobs", [1, 2])
def test_without_a_cache_the_workers_read_their_own_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int) -> None:
    """No cache: the main process reads no file (no job carries bytes), the workers read
    them, and the report is the one of a cached run. With a cache the bytes were read
    to be checked against it, and go with the job."""
    _generated(tmp_path, 80)
    carried: list[list[bool]] = []
    real = workers.extract_many

    def spy(jobs_: list[workers.Job], count: int) -> Any:
        carried.append([job.source is not None for job in jobs_])
        return real(jobs_, count)

    monkeypatch.setattr(workers, "extract_many", spy)
    without = _report(tmp_path, use_cache=False, jobs=jobs)
    with_cache = _report(tmp_path, use_cache=True, jobs=jobs)
    assert without == with_cache
    assert carried == [[False] * 81, [True] * 81]
    assert '"ARC101"' in without
    assert _no_child_left()
