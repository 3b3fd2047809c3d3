"""Facts cross the process boundary as (class, field values): the same objects come back.

``engine/transport.py`` reduces every facts dataclass to a call of its builder with its
field values (faster than the ``__getstate__``/``__setstate__`` pair ``dataclasses``
writes for slotted classes), in the pickler of the forked workers and on
multiprocessing's (the ``ProcessPoolExecutor`` used where ``fork`` is not, which also
carries the jobs); these tests check that every facts class is covered and that a round
trip through either pickler gives back equal facts for every fixture file."""

from __future__ import annotations

import dataclasses
import pickle
import pickletools
import typing
from collections.abc import Callable
from typing import Any

import pytest
from harness import FIXTURES

from archlint.domain.facts import FileFacts
from archlint.engine import transport, workers
from archlint.engine.extract import extract


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
    assert set(transport.transported()) == found
    assert set(transport.reducers()) == found
    names = [cls.__name__ for cls in found]
    assert len(set(names)) == len(names), "each class names its builder: names must be unique"


def _forking_dumps(value: Any) -> bytes:
    from multiprocessing.reduction import ForkingPickler

    workers._register_reducers()
    return bytes(ForkingPickler.dumps(value))


def _sample_facts() -> list[FileFacts]:
    sources = sorted(FIXTURES.rglob("*.py"))[:400]
    assert sources
    facts = [extract(path.read_bytes(), path=str(path), module=path.stem, is_package=path.stem == "__init__") for path in sources]
    broken = extract(b"def broken(:\n", path="broken.py", module="broken", is_package=False)
    assert broken.error is not None
    return [*facts, broken]


def _no_state_rebuilt(blob: bytes) -> bool:
    """No object rebuilt from a state (BUILD: the slow ``__setstate__`` path): each one
    is a call of its builder."""
    return "BUILD" not in {op.name for op, _, _ in pickletools.genops(blob)}


@pytest.mark.parametrize("dumps", [transport.dumps, _forking_dumps], ids=["forked-workers", "process-pool"])
def test_facts_come_back_equal(dumps: Callable[[Any], bytes]) -> None:
    facts = _sample_facts()
    blob = dumps(facts)
    assert _no_state_rebuilt(blob)
    assert pickle.loads(blob) == facts


def test_jobs_cross_to_a_process_pool_equal() -> None:
    jobs = [workers.Job(path.read_bytes(), str(path), path.stem, False) for path in sorted(FIXTURES.rglob("*.py"))[:50]]
    jobs.append(workers.Job(None, "a.py", "a", True, "/somewhere/a.py"))
    blob = _forking_dumps(jobs)
    assert _no_state_rebuilt(blob)
    assert pickle.loads(blob) == jobs


def test_facts_are_rebuilt_by_named_builders() -> None:
    """``FileFacts`` reduces to ``transport.build_FileFacts`` and its field values; the
    builder is what pickle finds under that name, and it makes an equal object."""
    facts = extract(b"import os\nclass A:\n    def f(self, x: int) -> None: ...\n", path="a.py", module="a", is_package=False)
    build, values = transport.dispatch_table()[FileFacts](facts)
    assert build.__module__ == "archlint.engine.transport" and build.__qualname__ == "build_FileFacts"
    assert transport.build_FileFacts is build
    assert values == tuple(getattr(facts, f.name) for f in dataclasses.fields(FileFacts))
    rebuilt = build(*values)
    assert type(rebuilt) is FileFacts and rebuilt == facts
    blob = transport.dumps(facts)
    assert b"build_FileFacts" in blob and b"build_ImportFact" in blob
    with pytest.raises(AttributeError):
        transport.build_NoSuchClass  # noqa: B018
