"""Facts cross the process boundary as (class, field values): the same objects come back.

``engine/workers.py`` reduces every transported dataclass to its class and field values
(faster than the ``__getstate__``/``__setstate__`` pair ``dataclasses`` writes for
slotted classes), in the pickler of its forked workers (``_dumps``) and on
multiprocessing's (the ``ProcessPoolExecutor`` used where ``fork`` is not); these tests
check that every facts class is covered and that a round trip through either pickler
gives back equal facts for every fixture file."""

from __future__ import annotations

import dataclasses
import pickle
import pickletools
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

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


def _forking_dumps(value: Any) -> bytes:
    from multiprocessing.reduction import ForkingPickler

    workers._register_reducers()
    return bytes(ForkingPickler.dumps(value))


@pytest.mark.parametrize("dumps", [workers._dumps, _forking_dumps], ids=["forked-workers", "process-pool"])
def test_facts_and_jobs_come_back_equal(dumps: Callable[[Any], bytes]) -> None:
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
        blob = dumps(value)
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
