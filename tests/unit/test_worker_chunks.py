"""Chunks of extraction jobs are cut by size (issue 9): the largest files go first, each
chunk holds about an eighth of a worker's share of the bytes, and every job is in
exactly one chunk, so a few big files cannot leave one core parsing alone at the end."""

from __future__ import annotations

from archlint.engine import workers
from archlint.engine.workers import Job, _chunks, extract_many


def test_every_job_once_largest_first() -> None:
    sizes = [10, 5000, 30, 30, 700, 1, 5000, 0, 64] * 20
    plan = _chunks(sizes, workers=2)
    flat = [index for chunk in plan for index in chunk]
    assert sorted(flat) == list(range(len(sizes)))
    assert [sizes[i] for i in flat] == sorted(sizes, reverse=True), "submitted by decreasing size"


def test_chunks_hold_a_share_of_the_bytes() -> None:
    sizes = [100] * 400 + [20_000] * 4
    plan = _chunks(sizes, workers=2)
    target = sum(sizes) // 16
    assert [len(chunk) for chunk in plan[:4]] == [1, 1, 1, 1], "a file above the share is a chunk of its own"
    assert all(sum(sizes[i] for i in chunk) >= target or len(chunk) == workers.CHUNK_LIMIT for chunk in plan[:-1])
    assert max(len(chunk) for chunk in plan) <= workers.CHUNK_LIMIT


def test_results_come_back_in_job_order() -> None:
    jobs = [
        Job(("x = 1\n" * (index % 9 * 50 + 1)).encode(), f"m{index}.py", f"m{index}", False)
        for index in range(workers.PARALLEL_THRESHOLD + 10)
    ]
    facts = extract_many(jobs, 2)
    assert [item.path for item in facts] == [job.path for job in jobs]
    assert [item.lines for item in facts] == [index % 9 * 50 + 1 for index in range(len(jobs))]
