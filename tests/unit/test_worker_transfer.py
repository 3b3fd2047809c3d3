"""Facts cross the process boundary as (class, field values): the same objects come back.

``engine/workers.py`` registers a reducer per transported dataclass on multiprocessing's
pickler (faster than the ``__getstate__``/``__setstate__`` pair ``dataclasses`` writes
for slotted classes); these tests check that every facts class is covered and that a
round trip through that pickler gives back equal facts for every fixture file."""

from __future__ import annotations

import dataclasses
import pickle
import pickletools
import typing
from pathlib import Path
from typing import Any

from archlint.domain.facts import FileFacts
from archlint.engine import workers
from archlint.engine.extract import extract
from harness import FIXTURES


def _reachable(hint: Any, found: set[type]) -> None:
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if hint not in found:
            found.add(hint)
            for inner in typing.get_type_hints(hint).values():
                _reachable(inner, found)
    else:
        for inner in typing.get_args(hint):
            _reachable(inner, found)


def test_every_transported_dataclass_gets_a_reducer() -> None:
    found: set[type] = set()
    _reachable(FileFacts, found)
    _reachable(workers.Job, found)
    assert set(workers._transported_dataclasses()) == found


def test_facts_and_jobs_come_back_equal() -> None:
    from multiprocessing.reduction import ForkingPickler

    workers._register_reducers()
    sources = sorted(FIXTURES.rglob("*.py"))[:400]
    assert sources
    facts = []
    jobs = []
    for path in sources:
        source = path.read_bytes()
        name = path.stem
        facts.append(extract(source, path=str(path), module=name, is_package=name == "__init__"))
        jobs.append(workers.Job(source, str(path), name, False))
    broken = extract(b"def broken(:\n", path="broken.py", module="broken", is_package=False)
    assert broken.error is not None
    facts.append(broken)
    for value in (facts, jobs):
        blob = bytes(ForkingPickler.dumps(value))
        # No object rebuilt from a state (BUILD: the slow __setstate__ path): each one is a class call.
        assert "BUILD" not in {op.name for op, _, _ in pickletools.genops(blob)}
        assert pickle.loads(blob) == value


def test_reduced_objects_are_rebuilt_through_their_class(tmp_path: Path) -> None:
    from multiprocessing.reduction import ForkingPickler

    workers._register_reducers()
    facts = extract(b"import os\nclass A:\n    def f(self, x: int) -> None: ...\n", path="a.py", module="a", is_package=False)
    reduced = ForkingPickler(tmp_path.joinpath("x").open("wb")).dispatch_table[FileFacts](facts)
    cls, values = reduced[1]
    assert reduced[0] is workers._rebuild and cls is FileFacts
    assert values == tuple(getattr(facts, f.name) for f in dataclasses.fields(FileFacts))
    rebuilt = workers._rebuild(cls, values)
    assert type(rebuilt) is FileFacts and rebuilt == facts
