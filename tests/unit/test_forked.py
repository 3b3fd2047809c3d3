"""Forked children that take numbered tasks from one queue (``engine/forked.py``), and the
extraction workers started before the files are known (``workers.start``)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from archlint import lint
from archlint.config.schema import Settings
from archlint.engine import forked, workers
from archlint.engine.forked import Crew
from archlint.reporters import json_report

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork-based workers")

PARENT = os.getpid()


def _no_child_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def _scaled(plan: int) -> Callable[[int], tuple[int, int]]:
    def run(number: int) -> tuple[int, int]:
        return number * plan, os.getpid()

    return run


def test_the_plan_sent_after_the_fork_reaches_every_child() -> None:
    """The children exist before the plan does: what they compute can only come from
    the plan written to their pipes."""
    crew = Crew.fork(3, _scaled)
    assert crew.size == 3
    outcome = crew.run(50, 7)
    assert sorted(outcome.results) == list(range(50))
    assert all(value == number * 7 for number, (value, _) in outcome.results.items())
    pids = {pid for _, pid in outcome.results.values()}
    assert PARENT not in pids and 1 <= len(pids) <= 3
    assert _no_child_left()


def test_warm_up_runs_in_the_children_before_the_plan(tmp_path: Path) -> None:
    marks = tmp_path / "marks"
    marks.mkdir()

    def warm_up() -> None:
        (marks / str(os.getpid())).touch()

    outcome = Crew.fork(2, _scaled, warm_up=warm_up).run(10, 1)
    warmed = {int(name) for name in os.listdir(marks)}
    assert len(warmed) == 2 and PARENT not in warmed
    assert {pid for _, pid in outcome.results.values()} <= warmed


def test_a_crew_closed_unused_leaves_no_child() -> None:
    def slow_warm_up() -> None:
        import time

        time.sleep(30)  # killed long before

    crew = Crew.fork(2, _scaled, warm_up=slow_warm_up)
    crew.close()
    crew.close()  # twice is harmless
    assert _no_child_left()
    with Crew.fork(2, _scaled):
        pass
    assert _no_child_left()


def test_children_that_die_leave_their_tasks_missing_never_wrong() -> None:
    def runner(plan: int) -> Callable[[int], int]:
        def run(number: int) -> int:
            if number % 5 == 0:
                os._exit(3)
            if number % 7 == 0:
                raise ValueError("not reported")
            return number + plan

        return run

    outcome = Crew.fork(2, runner).run(40, 100)
    assert all(value == number + 100 for number, value in outcome.results.items())
    assert not any(number % 7 == 0 for number in outcome.results)
    assert _no_child_left()


def test_too_many_tasks_refused_before_anything_runs() -> None:
    crew = Crew.fork(1, _scaled)
    with pytest.raises(ValueError, match="at most"):
        crew.run(forked.MAX_TASKS + 1, 1)
    crew.close()
    assert _no_child_left()


def test_this_process_takes_tasks_too_when_it_shares() -> None:
    """The child is still getting ready (a slow warm-up) while this process empties the
    queue: every result was made here."""

    def slow_warm_up() -> None:
        import time

        time.sleep(0.5)

    outcome = Crew.fork(1, _scaled, warm_up=slow_warm_up).run(30, 2, share=_scaled)
    assert sorted(outcome.results) == list(range(30))
    assert {pid for _, pid in outcome.results.values()} == {PARENT}
    assert all(value == number * 2 for number, (value, _) in outcome.results.items())


def _generated(root: Path, modules: int) -> None:
    (root / "pkg").mkdir()
    (root / "pkg" / "__init__.py").touch()
    for index in range(modules):
        target = (index * 7 + 1) % modules
        (root / "pkg" / f"mod{index}.py").write_text(f"from pkg import mod{target}\n\n\ndef f{index}(a):\n    return a\n")


def _report(root: Path, **kwargs: Any) -> str:
    found = lint(["."], cwd=str(root), settings=Settings(root=str(root)), **kwargs)
    return "\n".join(line for line in json_report.render(found).splitlines() if "duration_s" not in line)


def test_without_a_cache_the_workers_start_before_discovery_and_read_their_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A project above the threshold, no cache, two jobs: the crew started before the
    files were found runs the extraction, its workers read the files themselves (no
    job carries bytes), and the report is the one of a single process."""
    _generated(tmp_path, 80)
    used: list[int] = []
    sources: list[bytes | None] = []
    real_run = Crew.run

    def spy(self: Crew, count: int, plan: Any = None, **kwargs: Any) -> Any:
        if plan is not None:  # the extraction's (the rules split runs with none)
            used.append(count)
            sources.extend(row[0] for row in plan[0])
        return real_run(self, count, plan, **kwargs)

    monkeypatch.setattr(Crew, "run", spy)
    single = _report(tmp_path, use_cache=False, jobs=1)
    assert used == []
    assert _report(tmp_path, use_cache=False, jobs=2) == single
    assert len(used) == 1 and used[0] > 1
    assert len(sources) == 81 and set(sources) == {None}
    assert _no_child_left()
    assert '"ARC101"' in single


def test_a_project_too_small_for_the_early_workers_sends_them_away(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _generated(tmp_path, 5)
    started: list[Crew | None] = []
    real_start = workers.start

    def spy(count: int | None) -> Crew | None:
        crew = real_start(count)
        started.append(crew)
        return crew

    monkeypatch.setattr(workers, "start", spy)
    assert _report(tmp_path, use_cache=False, jobs=2) == _report(tmp_path, use_cache=False, jobs=1)
    assert len(started) == 2 and started[0] is not None and started[1] is None
    assert _no_child_left()


def test_no_early_workers_with_a_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _generated(tmp_path, 5)
    started: list[int | None] = []
    monkeypatch.setattr(workers, "start", lambda count: started.append(count))
    _report(tmp_path, use_cache=True, jobs=2)
    assert started == []
