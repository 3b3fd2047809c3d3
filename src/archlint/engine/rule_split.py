"""Independent tasks shared between this process and one forked child (the rules stage).

The rules run on facts already in this process's memory. Sending them to a worker would
cost about as much as the rules themselves, but a child made by ``fork`` sees them for
free (copy-on-write). So :func:`run_split` forks one child, and both processes take task
numbers from one queue until it is empty (:mod:`archlint.engine.forked`): every task
runs exactly once and the cores stay busy whatever each task costs. The child sends
each result back pickled as soon as it has it.

The result is the same as running the tasks in order in this process, whatever runs
where: results are placed by task number; a task that failed in the child, or that the
child never reported (it crashed or was killed), runs again here; and failures are
raised in task order, so the first failing task raises, as it would alone. A task must
not depend on what another task did to shared state (rules do not: each reads the
project, which is built before the fork).

Only on Linux, with no other thread alive (a fork copies only the calling thread, and a
lock another thread held would stay locked in the child); otherwise the tasks run here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from archlint.engine.forked import MAX_TASKS, can_fork, run_forked

_R = TypeVar("_R")

__all__ = ["MAX_TASKS", "can_fork", "run_split"]


def run_split(tasks: Sequence[Callable[[], _R]], *, split: bool) -> list[_R]:
    """Each task's result, in task order, as ``[task() for task in tasks]`` gives them;
    with ``split``, shared with one forked child (see the module docstring) when
    :func:`can_fork` allows and there are at least two tasks."""
    if not split or len(tasks) < 2 or len(tasks) > MAX_TASKS or not can_fork():
        return [task() for task in tasks]
    try:
        outcome = run_forked(len(tasks), lambda index: tasks[index](), children=1, share=True)
    except OSError:  # no pipe or no process to be had: everything runs here
        return [task() for task in tasks]
    out: list[_R] = []
    for index, task in enumerate(tasks):
        if index in outcome.results:
            out.append(outcome.results[index])
        elif index in outcome.failures:
            raise outcome.failures[index]
        else:  # failed in the child, or never reported: run here (raises if it fails here too)
            out.append(task())
    return out
