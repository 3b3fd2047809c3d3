"""Per-file extraction in worker processes, with chunked submission.

On Linux (no other thread alive) the workers are children forked from this process
(:mod:`archlint.engine.forked`): they see the jobs copy-on-write, take chunk numbers
from one queue, and send each chunk's facts back as soon as they are made, pickled as
calls of their builders (:mod:`archlint.engine.transport`). Without a cache they read
their own files: the main process reads none. Elsewhere a ``ProcessPoolExecutor`` does
the same job.

A worker that dies (a segfaulting C extension, the OOM killer, ``SIGKILL``) never hangs
the run or leaks a traceback: the chunks it took down are retried in a fresh worker,
then one file at a time, and a file that kills its worker again becomes an ``ARC001``
parse problem. An exception in the analyser (an archlint bug) is pinned on its file the
same way. Small runs (and ``--jobs 1``) extract in the main process: an exception is
contained there too, but a hard crash of the interpreter itself would end the run.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeVar

from archlint._lazy import lazy_attributes
from archlint.domain.facts import FileFacts, ParseProblem
from archlint.engine.forked import MAX_TASKS, can_fork, run_forked

if TYPE_CHECKING:  # the pool modules load only when a pool is used (startup time)
    import multiprocessing.context

_LAZY = {
    "ProcessPoolExecutor": "concurrent.futures.process",
    "BrokenProcessPool": "concurrent.futures.process",
    "extract": "archlint.engine.extract",
    "count_lines": "archlint.engine.extract",
    "decode_source": "archlint.engine.extract",
    "unreadable": "archlint.engine.extract",
    "scan_imports": "archlint.engine.recovery",
}
"""Names imported on first use: small runs never start a pool (``concurrent.futures``
costs startup time), and a warm run parses nothing, so it never loads the extractor,
its collectors or the recovery scanner. Each stays a patchable module attribute."""


__getattr__ = lazy_attributes(globals(), _LAZY, __name__)


def _lazy(name: str) -> Any:
    """A lazily imported name, or what a test put in its place."""
    return globals()[name] if name in globals() else __getattr__(name)

_T = TypeVar("_T")
_R = TypeVar("_R")

# Below this many files, starting processes costs more than it saves.
PARALLEL_THRESHOLD = 64
# Files per submitted chunk at most: small enough that the last chunks do not leave a
# core idle, large enough that the per-task overhead stays negligible.
CHUNK_LIMIT = 32


@dataclass(frozen=True, slots=True)
class Job:
    """One file to extract: its names, and its bytes or where to read them."""

    source: bytes | None
    """The file's bytes; ``None``: the worker reads them from ``abspath``."""
    path: str
    module: str
    is_package: bool
    abspath: str = ""


def _run(job: Job) -> FileFacts:
    """Extract one job (reading its file first when it has no bytes); an unexpected
    exception (an archlint bug) is pinned on the file."""
    source = job.source
    if source is None:
        try:
            with open(job.abspath, "rb") as handle:
                source = handle.read()
        except OSError as exc:
            return _lazy("unreadable")(exc, path=job.path, module=job.module, is_package=job.is_package)
    try:
        return _lazy("extract")(source, path=job.path, module=job.module, is_package=job.is_package)
    except (Exception, RecursionError, MemoryError) as exc:  # noqa: BLE001 - never lose the run
        return _failed(job, f"internal error while analysing this file: {type(exc).__name__}: {exc}")


def _failed(job: Job, message: str) -> FileFacts:
    """Facts of a file the analyser failed on: the problem, plus its imports when the
    line-based scanner can still read them (it runs in this process and never parses)."""
    source = job.source if job.source is not None else _read_or_empty(job.abspath)
    try:
        imports = _lazy("scan_imports")(_lazy("decode_source")(source), module=job.module, is_package=job.is_package)
    except Exception:  # noqa: BLE001 - recovery is best effort
        imports = ()
    return FileFacts(
        path=job.path,
        module=job.module,
        is_package=job.is_package,
        error=ParseProblem(message=message),
        lines=_lazy("count_lines")(source),
        imports=imports,
    )


def _read_or_empty(abspath: str) -> bytes:
    try:
        with open(abspath, "rb") as handle:
            return handle.read()
    except OSError:
        return b""


def _size(job: Job) -> int:
    """Bytes of the job's file: what its chunk is weighed by."""
    if job.source is not None:
        return len(job.source)
    try:
        return os.stat(job.abspath).st_size
    except OSError:
        return 0


def _run_chunk(jobs: Sequence[Job]) -> list[FileFacts]:
    return [_run(job) for job in jobs]


def default_jobs() -> int:
    """One worker per available core."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _context() -> multiprocessing.context.BaseContext:
    import multiprocessing

    _register_reducers()
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")  # pragma: no cover


@lru_cache(maxsize=1)
def _register_reducers() -> None:
    """Register the facts' reducers (:mod:`archlint.engine.transport`) and the jobs' on
    multiprocessing's pickler, before a ``ProcessPoolExecutor`` forks (a spawned
    worker pickles its results the default way, which is just as correct)."""
    from multiprocessing.reduction import ForkingPickler

    from archlint.engine import transport

    for cls, reduce in transport.reducers().items():
        ForkingPickler.register(cls, reduce)
    ForkingPickler.register(Job, transport.reducer(Job, Job))


def extract_many(jobs: Sequence[Job], workers: int) -> list[FileFacts]:
    """Facts for every job, in the jobs' order, whatever the worker count.

    Below :data:`PARALLEL_THRESHOLD` files (or with one worker) extraction runs in this
    process. Otherwise chunks go to worker processes; when a worker dies, the chunks it
    took down are retried each in a fresh worker, and a chunk that fails again is
    retried file by file, so the file that kills its worker is reported as an
    ``ARC001`` parse problem and every other file is analysed. Workers that cannot be
    started at all (no ``fork``, no processes left) leave the work to this process."""
    if workers <= 1 or len(jobs) < PARALLEL_THRESHOLD:
        return _run_chunk(jobs)
    plan = _chunks([_size(job) for job in jobs], workers)
    chunks = [[jobs[index] for index in part] for part in plan]
    try:
        results = _pool_round(chunks, workers)
    except OSError:
        return _run_chunk(jobs)
    out: list[FileFacts | None] = [None] * len(jobs)
    for part, chunk, result in zip(plan, chunks, results):
        for index, facts in zip(part, result if result is not None else _retry(chunk)):
            out[index] = facts
    return [facts if facts is not None else _failed(job, "the analyser returned no result") for job, facts in zip(jobs, out)]


def _chunks(sizes: Sequence[int], workers: int) -> list[list[int]]:
    """The jobs (by index) of each chunk, in submission order: largest files first, each
    chunk about ``1 / (8 * workers)`` of all the bytes and at most :data:`CHUNK_LIMIT`
    files. The work is spread by its size, not by file count: a project with a few
    files ten times the others (SQLAlchemy's compiler) no longer ends with one core
    parsing the last big file while the other waits; the small files come last and
    fill the gaps."""
    order = sorted(range(len(sizes)), key=lambda index: (-sizes[index], index))
    target = max(1, sum(sizes) // (workers * 8))
    chunks: list[list[int]] = []
    current: list[int] = []
    weight = 0
    for index in order:
        current.append(index)
        weight += sizes[index]
        if weight >= target or len(current) >= CHUNK_LIMIT:
            chunks.append(current)
            current, weight = [], 0
    if current:
        chunks.append(current)
    return chunks


def _pool_round(chunks: Sequence[Sequence[Job]], workers: int) -> list[list[FileFacts] | None]:
    """Each chunk's facts, or ``None`` for a chunk whose worker died or failed. Raises
    ``OSError`` when no worker can be started."""
    count = min(workers, len(chunks))
    if can_fork() and len(chunks) <= MAX_TASKS:
        _lazy("extract")  # imported once here, not once per worker
        outcome = run_forked(len(chunks), lambda index: _run_chunk(chunks[index]), children=count, share=False, dumps=_dumps())
        return [outcome.results.get(index) for index in range(len(chunks))]
    results: list[list[FileFacts] | None] = [None] * len(chunks)
    try:
        with _lazy("ProcessPoolExecutor")(max_workers=count, mp_context=_context()) as pool:
            submitted = {index: pool.submit(_run_chunk, chunk) for index, chunk in enumerate(chunks)}
            for index, future in sorted(submitted.items()):
                try:
                    results[index] = future.result()
                except Exception:  # noqa: BLE001 - BrokenProcessPool or a result that failed to cross
                    results[index] = None
    except _lazy("BrokenProcessPool"):
        pass
    return results


def _dumps() -> Callable[[Any], bytes]:
    """How a forked worker pickles its results: facts reduced to builder calls
    (:mod:`archlint.engine.transport`, its tables made once, before the fork)."""
    from archlint.engine import transport

    transport.dispatch_table()
    return transport.dumps


def _retry(jobs: Sequence[Job]) -> list[FileFacts]:
    """A chunk whose worker died: once more as a whole in a fresh worker, then per file."""
    if len(jobs) > 1:
        result = _in_fresh_worker(_run_chunk, jobs)
        if result is not None:
            return result
    return _isolated(jobs)


def _in_fresh_worker(function: Callable[[_T], _R], argument: _T) -> _R | None:
    """``function(argument)`` in a new worker process; ``None`` if the worker died."""
    if can_fork():
        try:
            outcome = run_forked(1, lambda _: function(argument), children=1, share=False, dumps=_dumps())
        except OSError:
            return None
        return outcome.results.get(0)  # type: ignore[no-any-return]
    try:
        with _lazy("ProcessPoolExecutor")(max_workers=1, mp_context=_context()) as pool:
            return pool.submit(function, argument).result()
    except (_lazy("BrokenProcessPool"), OSError):
        return None
    except Exception:  # noqa: BLE001 - a result that could not be sent back
        return None


def _isolated(jobs: Sequence[Job]) -> list[FileFacts]:
    """Extract each job in its own short-lived worker, so a crash is pinned on one file."""
    out: list[FileFacts] = []
    for job in jobs:
        result = _in_fresh_worker(_run, job)
        out.append(result if result is not None else _failed(job, "the analyser process crashed on this file"))
    return out
