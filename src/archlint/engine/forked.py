"""Numbered tasks run by forked children that take their numbers from one queue.

Both parallel stages use it: the extraction (children only, so that a file that crashes
the interpreter takes down a child, never the run) and the rules (this process takes
tasks too: the rules read facts already in its memory, which a child made by ``fork``
sees for free, copy-on-write).

- **A crew is forked first, told its tasks later** (:class:`Crew`). The children may get
  ready in the meantime (import what the tasks need) while this process works out what
  the tasks are; then each receives the *plan*, one pickled value on its own pipe, and
  makes from it the function that runs a task by number. Tasks known before the fork
  need no plan: the children see them as they were (:func:`run_forked`).
- **The queue** is a pipe holding every task number as four bytes. Each ``read`` of four
  bytes takes one number, atomically (Linux), so every task is taken exactly once and
  the cores stay busy whatever each task costs: no static split to tune, and a child
  that dies leaves its remaining share to the others.
- **Results come back as they are made**: each child writes one frame per task (an
  8-byte length, then the pickled ``(number, result)``) to its own pipe, and this
  process reads every pipe as data arrives, so no child waits on a full pipe and the
  results are decoded while the children still work.
- **What a child did not report is missing, never wrong**: a task that raised in a
  child, a result that could not be pickled, a child that crashed or was killed, a
  frame cut short. The caller decides what a missing task becomes (the rules run it
  again here; the extraction retries it in a fresh worker).

Only on Linux with no other thread alive (:func:`can_fork`): a fork copies only the
calling thread, and a lock another thread held would stay locked in the child. A child
leaves through ``os._exit``, after this process flushed its output, so no exit handler
runs twice and nothing is printed twice; the crew kills and reaps every child when it
closes, so none outlives a run, even an interrupted one.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from typing import Any

_WIDTH = 4
"""Bytes per task number in the queue."""
_HEADER = 8
"""Bytes of the length that starts each frame (a plan, a result)."""
MAX_TASKS = 4096
"""At most this many tasks per run: their numbers (16 KiB) fit in a pipe's buffer, so
the queue is written whole at once, without waiting for a child to read."""
_READ_SIZE = 1 << 20


def can_fork() -> bool:
    """Whether a :class:`Crew` may fork here: Linux, and no other thread alive."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    import threading

    return threading.active_count() == 1


class Outcome:
    """What :meth:`Crew.run` gathered, by task number. (A plain class: this module is
    imported by every run, and a dataclass costs a millisecond to create.)"""

    __slots__ = ("failures", "results")

    def __init__(self) -> None:
        self.results: dict[int, Any] = {}
        """The result of every task that finished, wherever it ran."""
        self.failures: dict[int, Exception] = {}
        """The exception of every task that raised in this process (``share`` only)."""


Runner = Callable[[Any], Callable[[int], Any]]
"""Makes the function that runs a task by number from the plan :meth:`Crew.run` sends."""


class Crew:
    """Children forked now, given their tasks later (:meth:`run`), or sent away
    (:meth:`close`).

    Forking before the tasks are known lets the children get ready (``warm_up``: import
    what the tasks need) while this process still works out what the tasks are. The
    tasks then reach them as a *plan*: one pickled value written to each child's own
    pipe, from which ``runner`` makes the function that runs a task by its number.
    Use it as a context manager, or call :meth:`close`: no child outlives it."""

    def __init__(self) -> None:
        self._queue: tuple[int, int] = (-1, -1)
        self._plans: dict[int, int] = {}
        """Each child's plan pipe (write end) -> its process id."""
        self._results: dict[int, int] = {}
        """Each child's result pipe (read end) -> its process id."""

    @classmethod
    def fork(
        cls,
        children: int,
        runner: Runner,
        *,
        warm_up: Callable[[], None] | None = None,
        dumps: Callable[[Any], bytes] | None = None,
    ) -> Crew:
        """Fork up to ``children`` processes (fewer when the system refuses more). Each
        runs ``warm_up``, waits for its plan, then runs tasks with ``runner(plan)`` and
        sends back ``dumps((number, result))`` (``pickle.dumps`` by default). Raises
        ``OSError`` when not one process can be made, and ``ValueError`` when
        :func:`can_fork` says no."""
        if not can_fork():
            raise ValueError("Crew.fork: fork is not allowed here")
        crew = cls()
        crew._queue = os.pipe()
        try:
            sys.stdout.flush()  # a child leaves with os._exit: it must not hold a copy of pending output
            sys.stderr.flush()
            for _ in range(children):
                try:
                    crew._fork_one(runner, warm_up, dumps)
                except OSError:
                    if not crew._results:
                        raise
                    break
        except BaseException:
            crew.close()
            raise
        return crew

    def _fork_one(self, runner: Runner, warm_up: Callable[[], None] | None, dumps: Callable[[Any], bytes] | None) -> None:
        plan_in, plan_out = os.pipe()
        try:
            results_in, results_out = os.pipe()
        except OSError:
            os.close(plan_in)
            os.close(plan_out)
            raise
        try:
            pid = os.fork()
        except OSError:
            for fd in (plan_in, plan_out, results_in, results_out):
                os.close(fd)
            raise
        if pid == 0:  # pragma: no cover - runs in the forked child
            theirs = [self._queue[1], plan_out, results_in, *self._plans, *self._results]
            _child(runner, warm_up, dumps, plan_in, self._queue[0], results_out, theirs)
        os.close(plan_in)
        os.close(results_out)
        self._plans[plan_out] = pid
        self._results[results_in] = pid

    @property
    def size(self) -> int:
        """How many children were forked."""
        return len(self._results)

    def run(self, count: int, plan: Any = None, *, share: Runner | None = None) -> Outcome:
        """Run tasks ``0 .. count - 1``: send ``plan`` to every child, queue the task
        numbers and gather each result as it comes; with ``share``, this process takes
        tasks too (with ``share(plan)``). The tasks no one reported are absent from the
        outcome. Then the crew is closed. Raises ``ValueError`` beyond
        :data:`MAX_TASKS` tasks (before anything runs)."""
        if count > MAX_TASKS:
            raise ValueError(f"Crew.run: at most {MAX_TASKS} tasks")
        import pickle

        outcome = Outcome()
        try:
            data = pickle.dumps(plan, protocol=pickle.HIGHEST_PROTOCOL)
            frame = len(data).to_bytes(_HEADER, "big") + data
            for fd in list(self._plans):
                try:
                    write_all(fd, frame)  # the child reads its whole plan before anything else
                except OSError:  # that child is gone: its pipe shows it
                    pass
                os.close(fd)
                del self._plans[fd]
            queue_in, queue_out = self._queue
            write_all(queue_out, b"".join(number.to_bytes(_WIDTH, "big") for number in range(count)))
            os.close(queue_out)
            self._queue = (queue_in, -1)
            if share is not None:
                run = share(plan)
                for number in take(queue_in):
                    try:
                        outcome.results[number] = run(number)
                    except Exception as exc:  # noqa: BLE001 - the caller decides what a failure becomes
                        outcome.failures[number] = exc
            _gather(list(self._results), count, outcome.results)
        finally:
            self.close()
        return outcome

    def close(self) -> None:
        """End every child, finished or not (a plan never sent makes it leave), and
        release the pipes. Safe to call more than once."""
        for fd in (*self._queue, *self._plans, *self._results):
            if fd >= 0:
                os.close(fd)
        self._queue = (-1, -1)
        pids = set(self._plans.values()) | set(self._results.values())
        self._plans.clear()
        self._results.clear()
        for pid in pids:
            _kill(pid)  # a child still running here is not wanted: its results are no longer read
            _reap(pid)

    def __enter__(self) -> Crew:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def run_forked(
    count: int,
    run: Callable[[int], Any],
    *,
    children: int,
    share: bool,
    dumps: Callable[[Any], bytes] | None = None,
) -> Outcome:
    """Run tasks ``0 .. count - 1`` (``run(number)``) in ``children`` forked processes,
    and in this one too when ``share`` (:class:`Crew`, forked now: the children see the
    tasks as they are). Raises ``OSError`` when no process can be made and
    ``ValueError`` beyond :data:`MAX_TASKS` tasks or without :func:`can_fork`, before
    any task ran (the caller runs them another way). An exception of this process
    (``KeyboardInterrupt``) kills the children and propagates."""
    if count > MAX_TASKS:
        raise ValueError(f"run_forked: at most {MAX_TASKS} tasks")

    def runner(_: Any) -> Callable[[int], Any]:
        return run

    crew = Crew.fork(children, runner, dumps=dumps)
    return crew.run(count, share=runner if share else None)


def _child(
    runner: Runner,
    warm_up: Callable[[], None] | None,
    dumps: Callable[[Any], bytes] | None,
    plan_in: int,
    queue_in: int,
    results_out: int,
    theirs: list[int],
) -> None:  # pragma: no cover - runs in the forked child
    """A forked child: get ready, read the plan, run tasks from the queue and write a
    frame per result; leave without running any exit handler or flushing the parent's
    buffers. A plan that never comes (the crew closed unused) ends it at once."""
    status = 1
    try:
        for fd in theirs:  # the parent's ends and the other children's: theirs alone
            os.close(fd)
        import pickle

        if warm_up is not None:
            warm_up()
        if dumps is None:
            dumps = pickle.dumps
        plan = _read_frame(plan_in)
        os.close(plan_in)
        if plan is None:
            status = 0
            return
        run = runner(pickle.loads(plan))
        for number in take(queue_in):
            try:
                data = dumps((number, run(number)))
            except Exception:  # noqa: BLE001 - not reported: the caller sees the task missing
                continue
            write_all(results_out, len(data).to_bytes(_HEADER, "big") + data)
        status = 0
    finally:
        os._exit(status)


def _read_frame(fd: int) -> bytes | None:
    """One frame (8-byte length, then the data) from ``fd``; ``None`` at end of file."""
    header = _read_exactly(fd, _HEADER)
    return None if header is None else _read_exactly(fd, int.from_bytes(header, "big"))


def _read_exactly(fd: int, size: int) -> bytes | None:
    """``size`` bytes from ``fd``; ``None`` when it ends before."""
    parts: list[bytes] = []
    left = size
    while left:
        chunk = os.read(fd, min(left, _READ_SIZE))
        if not chunk:
            return None
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


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


def _gather(fds: list[int], count: int, results: dict[int, Any]) -> None:
    """Read every child's frames until each pipe closes, decoding each as it completes;
    a result already known (from this process) is kept."""
    import pickle
    import select

    poller = select.poll()
    pending: dict[int, bytearray] = {}
    for fd in fds:
        poller.register(fd, select.POLLIN)
        pending[fd] = bytearray()
    while pending:
        for fd, _ in poller.poll():
            data = os.read(fd, _READ_SIZE)
            if not data:  # the child is gone; a frame cut short is dropped
                poller.unregister(fd)
                del pending[fd]
                continue
            buffer = pending[fd]
            buffer += data
            start = 0
            while len(buffer) - start >= _HEADER:
                size = int.from_bytes(buffer[start : start + _HEADER], "big")
                end = start + _HEADER + size
                if len(buffer) < end:
                    break
                pair = _decode(pickle.loads, memoryview(buffer)[start + _HEADER : end], count)
                if pair is not None:
                    results.setdefault(*pair)
                start = end
            if start:
                del buffer[:start]


def _decode(loads: Callable[[Any], Any], frame: memoryview, count: int) -> tuple[int, Any] | None:
    """A child's ``(number, result)``; ``None`` for a frame that does not decode to one."""
    try:
        pair = loads(frame)  # noqa: S301 - written by our own child, through a private pipe
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
