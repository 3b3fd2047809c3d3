"""Independent tasks shared between this process and one forked child (the rules stage).

The rules run on facts already in this process's memory. Sending them to a worker would
cost about as much as the rules themselves, but a child made by ``fork`` sees them for
free (copy-on-write). So :func:`run_split` forks one child, and both processes take task
numbers from one queue until it is empty: a pipe holding every number as four bytes,
written before the fork. Each ``read`` of four bytes takes one number, atomically, so
every task runs exactly once and the cores stay busy whatever each task costs. The
child sends its results back pickled, in one write once its share is done.

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

import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

_R = TypeVar("_R")

_WIDTH = 4
"""Bytes per task number in the queue."""
MAX_TASKS = 4096
"""At most this many tasks are split (their numbers fill 16 KiB, well inside a pipe's
buffer, so the queue is written whole before the fork); more run here."""


def can_fork() -> bool:
    """Whether :func:`run_split` may fork here: Linux, and no other thread alive."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    import threading

    return threading.active_count() == 1


def run_split(tasks: Sequence[Callable[[], _R]], *, split: bool) -> list[_R]:
    """Each task's result, in task order, as ``[task() for task in tasks]`` gives them;
    with ``split``, shared with one forked child (see the module docstring) when
    :func:`can_fork` allows and there are at least two tasks."""
    if not split or len(tasks) < 2 or len(tasks) > MAX_TASKS or not can_fork():
        return [task() for task in tasks]
    try:
        queue_in, queue_out = os.pipe()
    except OSError:
        return [task() for task in tasks]
    try:
        results_in, results_out = os.pipe()
    except OSError:
        os.close(queue_in)
        os.close(queue_out)
        return [task() for task in tasks]
    os.write(queue_out, b"".join(index.to_bytes(_WIDTH, "big") for index in range(len(tasks))))
    os.close(queue_out)
    sys.stdout.flush()  # the child leaves with os._exit: it must not hold a copy of pending output
    sys.stderr.flush()
    try:
        pid = os.fork()
    except OSError:
        for fd in (queue_in, results_in, results_out):
            os.close(fd)
        return [task() for task in tasks]
    if pid == 0:  # pragma: no cover - the child's lines run in the forked process
        _child(tasks, queue_in, results_in, results_out)
    os.close(results_out)
    results: dict[int, Any] = {}
    failures: dict[int, BaseException] = {}
    finished = False
    try:
        for index in _take(queue_in):
            try:
                results[index] = tasks[index]()
            except Exception as exc:  # noqa: BLE001 - raised below, in task order
                failures[index] = exc
        reported = _read_all(results_in)
        finished = True
    finally:
        os.close(queue_in)
        os.close(results_in)
        if not finished:  # interrupted here: the child's work is not wanted
            _kill(pid)
        _reap(pid)
    for index, value in _decode(reported, len(tasks)):
        results.setdefault(index, value)
    out: list[_R] = []
    for index, task in enumerate(tasks):
        if index in results:
            out.append(results[index])
        elif index in failures:
            raise failures[index]
        else:  # failed in the child, or never reported: run here (raises if it fails here too)
            out.append(task())
    return out


def _child(tasks: Sequence[Callable[[], Any]], queue_in: int, results_in: int, results_out: int) -> None:  # pragma: no cover
    """The forked child: run tasks from the queue, send back the results, leave without
    running any exit handler or flushing the parent's buffers."""
    status = 1
    try:
        import pickle

        os.close(results_in)
        done: list[tuple[int, Any]] = []
        for index in _take(queue_in):
            try:
                done.append((index, tasks[index]()))
            except Exception:  # noqa: BLE001 - not reported: the parent runs it again and raises
                continue
        _write_all(results_out, pickle.dumps(done, protocol=pickle.HIGHEST_PROTOCOL))
        status = 0
    finally:
        os._exit(status)


def _take(fd: int) -> Any:
    """Task numbers taken from the queue until it is empty."""
    while True:
        chunk = os.read(fd, _WIDTH)
        if len(chunk) != _WIDTH:
            return
        yield int.from_bytes(chunk, "big")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _read_all(fd: int) -> bytes:
    parts: list[bytes] = []
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(parts)
        parts.append(chunk)


def _decode(data: bytes, count: int) -> list[tuple[int, Any]]:
    """The child's ``(task number, result)`` pairs; none when it sent nothing readable."""
    if not data:
        return []
    import pickle

    try:
        pairs = pickle.loads(data)  # noqa: S301 - written by our own child, through a private pipe
    except Exception:  # noqa: BLE001 - a child killed mid-write: its tasks run here
        return []
    if not isinstance(pairs, list):
        return []
    return [
        pair for pair in pairs
        if isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0], int) and 0 <= pair[0] < count
    ]


def _kill(pid: int) -> None:
    import signal

    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


def _reap(pid: int) -> None:
    while True:
        try:
            os.waitpid(pid, 0)
            return
        except InterruptedError:  # pragma: no cover - retried by Python itself since 3.5
            continue
        except ChildProcessError:
            return
