"""The rules stage shared with a forked child (``engine/rule_split.py``): every task runs
once, results come back in task order, and whatever goes wrong in the child (a failing
task, a crash) gives the result of running the tasks here, in order."""

from __future__ import annotations

import os
import select
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from archlint import lint
from archlint.config.schema import Settings
from archlint.engine import incremental, rule_split
from archlint.reporters import json_report

PARENT = os.getpid()


def _in_child() -> bool:
    return os.getpid() != PARENT


def test_this_test_process_may_fork() -> None:
    assert rule_split.can_fork(), "another thread is alive: the split tests below would run serially"


def test_both_processes_take_tasks() -> None:
    """Tasks 0 and 1 each wait for the other to start: done in one process, they would
    wait forever (here: time out and report ``None``). So both results prove the two
    ran at the same time, in two processes."""
    to_one_in, to_one_out = os.pipe()
    to_zero_in, to_zero_out = os.pipe()

    def meet(tell: int, hear: int) -> Callable[[], int | None]:
        def task() -> int | None:
            os.write(tell, b"x")
            ready, _, _ = select.select([hear], [], [], 10)
            return os.getpid() if ready else None

        return task

    try:
        first, second = rule_split.run_split([meet(to_one_out, to_zero_in), meet(to_zero_out, to_one_in)], split=True)
    finally:
        for fd in (to_one_in, to_one_out, to_zero_in, to_zero_out):
            os.close(fd)
    assert first is not None and second is not None, "the two tasks did not run at the same time"
    assert first != second and PARENT in (first, second)


def test_results_in_task_order_each_task_once(tmp_path: Path) -> None:
    marks = tmp_path / "marks"
    marks.mkdir()

    def task(index: int) -> Callable[[], int]:
        def run() -> int:
            (marks / f"{index}-{os.getpid()}").touch()
            return index * index

        return run

    assert rule_split.run_split([task(i) for i in range(40)], split=True) == [i * i for i in range(40)]
    ran = sorted(int(name.split("-")[0]) for name in os.listdir(marks))
    assert ran == list(range(40)), "every task ran exactly once"


def test_a_task_failing_in_the_child_runs_again_here() -> None:
    def flaky(index: int) -> Callable[[], int]:
        def run() -> int:
            if _in_child():
                raise RuntimeError("only in the child")
            return index

        return run

    assert rule_split.run_split([flaky(i) for i in range(12)], split=True) == list(range(12))


def test_a_child_that_dies_loses_nothing() -> None:
    def fatal(index: int) -> Callable[[], int]:
        def run() -> int:
            if _in_child():
                os._exit(3)
            return index + 1

        return run

    assert rule_split.run_split([fatal(i) for i in range(12)], split=True) == list(range(1, 13))


@pytest.mark.parametrize("split", [False, True])
def test_the_first_failing_task_raises_as_in_order(split: bool) -> None:
    def ok() -> int:
        return 1

    def fails(message: str) -> Callable[[], int]:
        def run() -> int:
            raise ValueError(message)

        return run

    tasks = [ok, ok, fails("first"), ok, fails("second"), ok]
    with pytest.raises(ValueError, match="first"):
        rule_split.run_split(tasks, split=split)


def test_no_fork_while_another_thread_runs() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not rule_split.can_fork()
        assert rule_split.run_split([os.getpid, os.getpid], split=True) == [PARENT, PARENT]
    finally:
        stop.set()
        thread.join()


def _generated(root: Path, modules: int) -> None:
    for index in range(modules):
        package = root / "pkg" / f"sub{index % 7}"
        package.mkdir(parents=True, exist_ok=True)
        (package / "__init__.py").touch()
        target = (index * 5 + 3) % modules
        (package / f"mod{index}.py").write_text(
            f"from pkg.sub{target % 7} import mod{target}\n\n\n"
            f"def public_{index}(value, other=1):\n    return mod{target}\n\n\n"
            f"class Thing{index}:\n    def method(self, a):\n        return a\n"
        )
    (root / "pkg" / "__init__.py").touch()


def test_the_rules_stage_splits_and_gives_the_same_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A project above the threshold, linted with one and two jobs: the second shares
    the rules with a child (the spy sees ``split=True``), the reports are equal."""
    _generated(tmp_path, 90)
    splits: list[bool] = []
    tasks_seen: list[int] = []
    real = incremental.run_split

    def spy(tasks: list[Callable[[], object]], *, split: bool) -> list[object]:
        splits.append(split)
        tasks_seen.append(len(tasks))
        return real(tasks, split=split)

    monkeypatch.setattr(incremental, "run_split", spy)

    def report(jobs: int, cache: bool) -> str:
        found = lint(["."], cwd=str(tmp_path), settings=Settings(root=str(tmp_path)), use_cache=cache, jobs=jobs)
        text = json_report.render(found)
        return "\n".join(line for line in text.splitlines() if "duration_s" not in line)

    single = report(1, cache=False)
    assert splits == [False]
    families = {meta.code[:4] for meta in lint(["."], cwd=str(tmp_path), settings=Settings(root=str(tmp_path)), use_cache=False).rules}
    assert tasks_seen[0] == len(families) == len(incremental.FAMILY_ORDER), "one task per rule family"
    splits.pop()
    tasks_seen.pop()
    assert report(2, cache=False) == single
    assert splits == [False, True]
    assert report(2, cache=True) == single, "with the memo too"
    assert splits[-1] is True
    assert '"findings": []' not in single
