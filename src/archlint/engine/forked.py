"""Numbered tasks run by forked children that take their numbers from one queue.

Both parallel stages use it: the extraction (children only, so that a file that crashes
the interpreter takes down a child, never the run) and the rules (this process takes
tasks too: the rules read facts already in its memory, which a child made by ``fork``
sees for free, copy-on-write).

- **The queue** is a pipe holding every task number as four bytes, written before the
  fork. Each ``read`` of four bytes takes one number, atomically (Linux), so every task
  is taken exactly once and the cores stay busy whatever each task costs: no static
  split to tune, and a child that dies leaves its remaining share to the others.
- **Results come back as they are made**: each child writes one frame per task (an
  8-byte length, then the pickled ``(number, result)``) to its own pipe, and this
  process reads every pipe as data arrives (between its own tasks when it takes
  tasks too), so no child waits long on a full pipe and the results are decoded while
  the children still work. (A child whose 150 KB result filled its pipe once waited
  for all of this process's tasks, doing nothing: a third of the rules stage.)
- **What a child did not report is missing, never wrong**: a task that raised in a
  child, a result that could not be pickled, a child that crashed or was killed, a
  frame cut short. The caller decides what a missing task becomes (the rules run it
  again here; the extraction retries it in a fresh worker).

Only on Linux with no other thread alive (:func:`can_fork`): a fork copies only the
calling thread, and a lock another thread held would stay locked in the child. A child
leaves through ``os._exit``, after this process flushed its output, so no exit handler
runs twice and nothing is printed twice; every child is killed (if still running) and
reaped before :func:`run_forked` returns or raises, so none outlives a run.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from typing import Any

_WIDTH = 4
"""Bytes per task number in the queue."""
_HEADER = 8
"""Bytes of the length that starts each result frame."""
MAX_TASKS = 4096
"""At most this many tasks per call: their numbers (16 KiB) fit in a pipe's buffer, so
the queue is written whole before the fork and writing it never waits."""
_READ_SIZE = 1 << 20
_PIPE_SIZE = 1 << 20
"""The buffer asked for each result pipe: Linux's default upper bound for an
unprivileged process (``/proc/sys/fs/pipe-max-size``)."""


def can_fork() -> bool:
    """Whether :func:`run_forked` may fork here: Linux, and no other thread alive."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    import threading

    return threading.active_count() == 1


class Outcome:
    """What :func:`run_forked` gathered, by task number. (A plain class: this module is
    imported by every run, and a dataclass costs a millisecond to create.)"""

    __slots__ = ("failures", "results")

    def __init__(self) -> None:
        self.results: dict[int, Any] = {}
        """The result of every task that finished, wherever it ran."""
        self.failures: dict[int, Exception] = {}
        """The exception of every task that raised in this process (``share`` only)."""


def run_forked(
    count: int,
    run: Callable[[int], Any],
    *,
    children: int,
    share: bool,
    dumps: Callable[[Any], bytes] | None = None,
) -> Outcome:
    """Run tasks ``0 .. count - 1`` (``run(number)``) in ``children`` forked processes,
    and in this one too when ``share``; the tasks no one reported are absent from the
    outcome. ``dumps`` pickles a child's ``(number, result)`` (by default
    ``pickle.dumps``); the frames are read with ``pickle.loads``.

    Raises ``OSError`` when no pipe or process can be made (before any task ran: the
    caller runs them another way) and ``ValueError`` beyond :data:`MAX_TASKS` tasks or
    without :func:`can_fork`. An exception of this process (``KeyboardInterrupt``)
    kills the children and propagates; none is left behind, finished or not."""
    if count > MAX_TASKS or not can_fork():
        raise ValueError("run_forked: too many tasks, or fork not allowed here")
    queue_in, queue_out = os.pipe()
    try:
        os.write(queue_out, b"".join(number.to_bytes(_WIDTH, "big") for number in range(count)))
    finally:
        os.close(queue_out)
    sys.stdout.flush()  # a child leaves with os._exit: it must not hold a copy of pending output
    sys.stderr.flush()
    pids: dict[int, int] = {}
    """Each child's result pipe (read end) -> its process id."""
    outcome = Outcome()
    try:
        try:
            for _ in range(children):
                results_in, results_out = os.pipe()
                _widen(results_out)
                try:
                    pid = os.fork()
                except OSError:
                    os.close(results_in)
                    os.close(results_out)
                    raise
                if pid == 0:  # pragma: no cover - runs in the forked child
                    _child(run, queue_in, results_out, [results_in, *pids], dumps)
                os.close(results_out)
                pids[results_in] = pid
        except OSError:
            if not pids:
                raise
        frames = _Frames(list(pids), count, outcome.results)
        if share:
            for number in take(queue_in):
                try:
                    outcome.results[number] = run(number)
                except Exception as exc:  # noqa: BLE001 - the caller decides what a failure becomes
                    outcome.failures[number] = exc
                frames.read(0)  # a child blocked on a full pipe would wait for all our tasks
        while frames.pending:
            frames.read(None)
    finally:
        os.close(queue_in)
        for fd, pid in pids.items():
            os.close(fd)
            _kill(pid)  # a child still running here is not wanted: this process is leaving
            _reap(pid)
    return outcome


def _child(
    run: Callable[[int], Any], queue_in: int, results_out: int, inherited: list[int], dumps: Callable[[Any], bytes] | None
) -> None:  # pragma: no cover - runs in the forked child
    """A forked child: run tasks from the queue, write a frame per result, leave without
    running any exit handler or flushing the parent's buffers."""
    status = 1
    try:
        for fd in inherited:  # the other children's pipes: their end must be theirs alone
            os.close(fd)
        if dumps is None:
            import pickle

            dumps = pickle.dumps
        for number in take(queue_in):
            try:
                data = dumps((number, run(number)))
            except Exception:  # noqa: BLE001, S112 - not reported: the caller sees the task missing
                continue
            write_all(results_out, len(data).to_bytes(_HEADER, "big") + data)
        status = 0
    finally:
        os._exit(status)


def _widen(fd: int) -> None:
    """Give the pipe ``fd`` the largest buffer allowed (up to :data:`_PIPE_SIZE`), so that
    a child rarely waits for this process to read its results (64 KiB by default: one
    of the rules' results is 150 KB on Django); where it cannot, the pipe stays as is."""
    try:
        import fcntl

        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)
    except (ImportError, AttributeError, OSError):
        pass


def take(fd: int) -> Iterator[int]:
    """Task numbers taken from the queue until it is empty."""
    while True:
        chunk = os.read(fd, _WIDTH)
        if len(chunk) != _WIDTH:
            return
        yield int.from_bytes(chunk, "big")


def write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` to ``fd``."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


class _Frames:
    """The children's result pipes, read as data arrives: each frame is decoded as soon
    as it is complete, and a pipe is dropped when its child closes it (a frame cut
    short is dropped with it). A result already known (from this process) is kept."""

    __slots__ = ("_count", "_poller", "_results", "pending")

    def __init__(self, fds: list[int], count: int, results: dict[int, Any]) -> None:
        import select

        self._poller = select.poll()
        self._count = count
        self._results = results
        self.pending: dict[int, bytearray] = {}
        """Each open pipe and the bytes read from it that do not make a frame yet."""
        for fd in fds:
            self._poller.register(fd, select.POLLIN)
            self.pending[fd] = bytearray()

    def read(self, timeout: int | None) -> None:
        """Read the pipes that have data within ``timeout`` milliseconds (``None``: until
        one has), and decode the frames they complete."""
        import pickle

        for fd, _ in self._poller.poll(timeout):
            data = os.read(fd, _READ_SIZE)
            if not data:  # the child is gone
                self._poller.unregister(fd)
                del self.pending[fd]
                continue
            buffer = self.pending[fd]
            buffer += data
            start = 0
            while len(buffer) - start >= _HEADER:
                size = int.from_bytes(buffer[start : start + _HEADER], "big")
                end = start + _HEADER + size
                if len(buffer) < end:
                    break
                pair = _decode(pickle.loads, memoryview(buffer)[start + _HEADER : end], self._count)
                if pair is not None:
                    self._results.setdefault(*pair)
                start = end
            if start:
                del buffer[:start]


def _decode(loads: Callable[[Any], Any], frame: memoryview, count: int) -> tuple[int, Any] | None:
    """A child's ``(number, result)``; ``None`` for a frame that does not decode to one."""
    try:
        pair = loads(frame)  # written by our own child, through a private pipe: safe to unpickle
    except Exception:  # noqa: BLE001 - treated as never reported
        return None
    finally:
        frame.release()
    if isinstance(pair, tuple) and len(pair) == 2 and type(pair[0]) is int and 0 <= pair[0] < count:
        return pair[0], pair[1]
    return None


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
