"""Issue 10: a worker process that dies or fails never hangs the run nor leaks a
``BrokenProcessPool`` traceback; the file that killed it becomes one parse problem and
every other file is analysed.

Crashes are injected with ``monkeypatch``: an extra fact collector that calls
``os._exit`` or sends itself ``SIGKILL`` for one module name. Workers are forked
(Linux), so they inherit the patched collector list; ``PARALLEL_THRESHOLD`` is lowered
so that a handful of files goes through the workers. Each test runs with both kinds of
workers: the children forked by ``engine/forked.py`` and, as where ``fork`` is not
allowed, a ``ProcessPoolExecutor``.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import archlint.engine.extract as extract_module
import archlint.engine.workers as workers
from archlint.engine.workers import Job, extract_many

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork-based crash injection")

Collector = Callable[[Any, Any], dict[str, Any]]


def _crash_on(modules: dict[str, str]) -> Collector:
    def collect(tree: Any, context: Any) -> dict[str, Any]:
        how = modules.get(context.module)
        if how == "exit":
            os._exit(3)
        if how == "sigkill":
            os.kill(os.getpid(), signal.SIGKILL)
        if how == "raise":
            raise RuntimeError("collector bug")
        return {}

    collect.__module__ = "archlint.engine.collectors.crasher"
    return collect


@pytest.fixture(params=["forked", "process-pool"])
def pool(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The kind of workers: forked children, or the executor used where no fork is allowed."""
    if request.param == "process-pool":
        monkeypatch.setattr(workers, "can_fork", lambda: False)
    return str(request.param)


@pytest.fixture()
def crashing(monkeypatch: pytest.MonkeyPatch, pool: str) -> Callable[[dict[str, str]], None]:
    monkeypatch.setattr(workers, "PARALLEL_THRESHOLD", 1)

    def install(modules: dict[str, str]) -> None:
        monkeypatch.setattr(extract_module, "COLLECTORS", (*extract_module.COLLECTORS, _crash_on(modules)))

    return install


def _jobs(count: int) -> list[Job]:
    return [Job(f"import m{(i + 1) % count}\n".encode(), f"m{i}.py", f"m{i}", False) for i in range(count)]


@pytest.mark.parametrize("how", ["exit", "sigkill"])
def test_killed_worker_is_pinned_on_its_file(crashing: Callable[[dict[str, str]], None], how: str) -> None:
    crashing({"m5": how})
    facts = extract_many(_jobs(40), workers=2)
    assert [f.module for f in facts] == [f"m{i}" for i in range(40)]
    failed = [f for f in facts if f.error is not None]
    assert [(f.module, f.error.message) for f in failed if f.error] == [("m5", "the analyser process crashed on this file")]
    # Every file, the crashed one included (line scanner), keeps its import.
    assert all([fact.module for fact in f.imports] == [f"m{(int(f.module[1:]) + 1) % 40}"] for f in facts)


def test_several_crashes_and_an_exception_in_one_run(crashing: Callable[[dict[str, str]], None]) -> None:
    crashing({"m1": "exit", "m17": "sigkill", "m30": "raise", "m31": "exit"})
    facts = extract_many(_jobs(40), workers=2)
    errors = {f.module: f.error.message for f in facts if f.error is not None}
    assert errors == {
        "m1": "the analyser process crashed on this file",
        "m17": "the analyser process crashed on this file",
        "m30": "internal error in the crasher collector: RuntimeError: collector bug",
        "m31": "the analyser process crashed on this file",
    }
    assert len(facts) == 40


def test_every_file_crashing_still_terminates(crashing: Callable[[dict[str, str]], None]) -> None:
    crashing({f"m{i}": "exit" for i in range(8)})
    facts = extract_many(_jobs(8), workers=2)
    assert [f.error.message if f.error else None for f in facts] == ["the analyser process crashed on this file"] * 8


def test_pool_that_cannot_start_falls_back_to_this_process(monkeypatch: pytest.MonkeyPatch, pool: str) -> None:
    monkeypatch.setattr(workers, "PARALLEL_THRESHOLD", 1)

    def no_processes(*args: Any, **kwargs: Any) -> Any:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(workers, "ProcessPoolExecutor", no_processes)
    monkeypatch.setattr(os, "fork", no_processes)
    facts = extract_many(_jobs(10), workers=4)
    assert [f.error for f in facts] == [None] * 10
    assert [f.module for f in facts] == [f"m{i}" for i in range(10)]


def test_forked_workers_run_in_other_processes_and_are_all_reaped(monkeypatch: pytest.MonkeyPatch) -> None:
    """The jobs really are extracted in children (each chunk reports its process), and no
    child is left once the round is over (none to reap)."""
    monkeypatch.setattr(workers, "PARALLEL_THRESHOLD", 1)
    pids: set[int] = set()
    real = workers._run_chunk

    def spy(jobs: Any) -> Any:
        facts = real(jobs)
        return [dataclasses.replace(item, module=f"{item.module}@{os.getpid()}") for item in facts]

    monkeypatch.setattr(workers, "_run_chunk", spy)
    facts = extract_many(_jobs(40), workers=3)
    for item in facts:
        pids.add(int(item.module.partition("@")[2]))
    assert [f.module.partition("@")[0] for f in facts] == [f"m{i}" for i in range(40)]
    assert os.getpid() not in pids and 1 <= len(pids) <= 3
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_unexpected_exception_in_extract_is_pinned_on_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """Even a bug outside the collectors (here: in ``extract`` itself) is contained."""
    real = workers.extract

    def buggy(source: bytes, **kwargs: Any) -> Any:
        if kwargs["module"] == "m2":
            raise KeyError("bug")
        return real(source, **kwargs)

    monkeypatch.setattr(workers, "extract", buggy)
    facts = extract_many(_jobs(4), workers=1)
    assert [f.error.message if f.error else None for f in facts] == [
        None,
        None,
        "internal error while analysing this file: KeyError: 'bug'",
        None,
    ]


def test_killed_worker_through_the_api(crashing: Callable[[dict[str, str]], None], tmp_path: Path) -> None:
    from harness import write_tree

    from archlint import lint
    from archlint.config import Settings

    write_tree(tmp_path, {"pkg/__init__.py": "", **{f"pkg/m{i}.py": f"from pkg import m{(i + 1) % 6}\n" for i in range(6)}})
    crashing({"pkg.m3": "sigkill"})
    report = lint(["pkg"], cwd=str(tmp_path), settings=Settings(root=str(tmp_path)), use_cache=False, jobs=2, select=["ARC001"])
    assert [(f.path, f.code, f.message) for f in report.findings] == [
        ("pkg/m3.py", "ARC001", "cannot analyse file: the analyser process crashed on this file")
    ]
    # The import of the crashed module was recovered: the ring m0 -> ... -> m5 -> m0 is whole.
    edges = {(e.importer, e.imported) for e in report.project.graph.edges}
    assert {(f"pkg.m{i}", f"pkg.m{(i + 1) % 6}") for i in range(6)} <= edges
