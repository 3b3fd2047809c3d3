"""Per-file extraction in worker processes, with chunked submission.

A worker that dies (a segfaulting C extension, the OOM killer) never hangs the run or
leaks a ``BrokenProcessPool`` traceback: the unfinished files are retried one at a
time in a fresh single-worker pool, and a file that kills its worker again becomes an
``ARC001`` parse problem.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from archlint.domain.facts import FileFacts, ParseProblem
from archlint.engine.extract import extract

# Below this many files, starting processes costs more than it saves.
PARALLEL_THRESHOLD = 64


@dataclass(frozen=True, slots=True)
class Job:
    """One file to extract: its bytes and names."""

    source: bytes
    path: str
    module: str
    is_package: bool


def _run(job: Job) -> FileFacts:
    return extract(job.source, path=job.path, module=job.module, is_package=job.is_package)


def _run_chunk(jobs: Sequence[Job]) -> list[FileFacts]:
    return [_run(job) for job in jobs]


def default_jobs() -> int:
    """One worker per available core."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _context() -> multiprocessing.context.BaseContext:
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")  # pragma: no cover


def extract_many(jobs: Sequence[Job], workers: int) -> list[FileFacts]:
    """Facts for every job, in the jobs' order, whatever the worker count."""
    if workers <= 1 or len(jobs) < PARALLEL_THRESHOLD:
        return _run_chunk(jobs)
    chunk = max(1, min(64, len(jobs) // (workers * 4)))
    chunks = [jobs[i : i + chunk] for i in range(0, len(jobs), chunk)]
    results: list[list[FileFacts] | None] = [None] * len(chunks)
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=_context()) as pool:
            futures = [pool.submit(_run_chunk, part) for part in chunks]
            for index, future in enumerate(futures):
                try:
                    results[index] = future.result()
                except BrokenProcessPool:
                    break
    except BrokenProcessPool:
        pass
    out: list[FileFacts] = []
    for part, result in zip(chunks, results):
        out.extend(result if result is not None else _isolated(part))
    return out


def _isolated(jobs: Sequence[Job]) -> list[FileFacts]:
    """Extract each job in its own short-lived worker, so a crash is pinned on one file."""
    out: list[FileFacts] = []
    for job in jobs:
        try:
            with ProcessPoolExecutor(max_workers=1, mp_context=_context()) as pool:
                out.append(pool.submit(_run, job).result())
        except BrokenProcessPool:
            out.append(
                FileFacts(
                    path=job.path,
                    module=job.module,
                    is_package=job.is_package,
                    error=ParseProblem(message="the analyser process crashed on this file"),
                    lines=job.source.count(b"\n"),
                )
            )
    return out
