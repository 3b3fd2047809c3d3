"""``_construct.py``: the cheaper constructors of the fact dataclasses (slotted) and of
findings (a ``__dict__``, keyword-only fields, a default factory) build the same objects
as the classes themselves, and a class whose ``__init__`` does more than store its
fields keeps its own constructor."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest

from archlint.domain.class_facts import ClassFacts
from archlint.domain.cycle_facts import EventKind, ModuleEvent, NameUsage, Usage
from archlint.domain.facts import ImportFact, ImportKind
from archlint.domain.finding import Finding, Severity
from archlint.domain.function_facts import FunctionFact, ParamFact, ParamKind, ReExport
from archlint._construct import constructor

SAMPLES: list[tuple[type, dict[str, Any]]] = [
    (ModuleEvent, {"kind": EventKind.FROM, "line": 3, "column": 5, "module": "a.b", "names": ("c",), "guarded": True, "text": "t", "aliases": ("c",)}),
    (ModuleEvent, {"kind": EventKind.BIND, "line": 7}),
    (NameUsage, {"line": 1, "module": "m", "imported": "x", "bound": "y", "usage": Usage.FUNCTIONS}),
    (ReExport, {"module": "m", "name": "n", "alias": "a", "line": 2}),
    (ParamFact, {"name": "self", "kind": ParamKind.REGULAR, "annotated": False}),
    (
        FunctionFact,
        {"qualname": "C.f", "line": 4, "column": 5, "decorators": ("property",), "params": (ParamFact("self", ParamKind.REGULAR, False),), "is_stub": True},
    ),
    (
        ImportFact,
        {
            "module": "os",
            "names": (),
            "line": 1,
            "column": 1,
            "end_line": 1,
            "end_column": 10,
            "kind": ImportKind.MODULE_LEVEL,
            "in_try": False,
            "text": "import os",
        },
    ),
    (ClassFacts, {"name": "C", "qualname": "C", "line": 1, "column": 1, "end_line": 9, "bases": ("Base",), "tcc": 0.5, "wmc": 3}),
]


@pytest.mark.parametrize(("cls", "values"), SAMPLES, ids=[f"{cls.__name__}-{len(values)}" for cls, values in SAMPLES])
def test_built_facts_equal_the_classes_own(cls: type, values: dict[str, Any]) -> None:
    build: Callable[..., Any] = constructor(cls)
    assert build is not cls, f"{cls.__name__} is expected to get a cheaper constructor"
    expected = cls(**values)
    built = build(**values)
    assert type(built) is cls
    assert built == expected and hash(built) == hash(expected) and repr(built) == repr(expected)
    fields = [field.name for field in dataclasses.fields(cls)]
    assert [getattr(built, name) for name in fields] == [getattr(expected, name) for name in fields]
    positional = build(*[getattr(expected, name) for name in fields])
    assert positional == expected
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(built, fields[0], getattr(expected, fields[0]))


def test_a_missing_argument_is_an_error_as_with_the_class() -> None:
    with pytest.raises(TypeError):
        constructor(ReExport)("m", "n", "a")  # type: ignore[call-arg]  # no line


@dataclasses.dataclass(frozen=True, slots=True)
class _Checked:
    value: int

    def __post_init__(self) -> None:
        if self.value < 0:
            raise ValueError("negative")


@dataclasses.dataclass(frozen=True, slots=True)
class _OwnInit:
    value: int

    def __init__(self, value: int) -> None:
        object.__setattr__(self, "value", abs(value))


@dataclasses.dataclass(frozen=True)
class _NotSlotted:
    value: int
    more: tuple[int, ...] = ()


@dataclasses.dataclass(slots=True)
class _NotFrozen:
    value: int


@dataclasses.dataclass(frozen=True, slots=True)
class _Factory:
    first: int
    values: list[int] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True)
class _Mixed:
    first: int
    later: int = dataclasses.field(default=0, kw_only=True)
    second: str = "s"
    extra: dict[str, int] = dataclasses.field(default_factory=dict, compare=False)


@dataclasses.dataclass(frozen=True)
class _Private:
    _value: int


@pytest.mark.parametrize("cls", [_Checked, _OwnInit, _NotFrozen, _Private])
def test_a_class_whose_init_does_more_keeps_its_constructor(cls: type) -> None:
    assert constructor(cls) is cls


CALLS: list[tuple[type, tuple[Any, ...], dict[str, Any]]] = [
    (_NotSlotted, (1,), {}),
    (_NotSlotted, (1, (2, 3)), {}),
    (_Factory, (1,), {}),
    (_Factory, (1, [4]), {}),
    (_Mixed, (1,), {}),
    (_Mixed, (1, "x"), {"later": 5, "extra": {"a": 1}}),
    (
        Finding,
        (),
        {"code": "ARC1", "name": "n", "message": "m", "path": "p.py", "line": 2, "column": 3,
         "severity": Severity.ERROR, "checklist": ("c",), "fingerprint": "f", "end_line": 4},
    ),
]


@pytest.mark.parametrize(("cls", "args", "kwargs"), CALLS, ids=[f"{c.__name__}-{len(a)}-{len(k)}" for c, a, k in CALLS])
def test_dict_layouts_keyword_only_fields_and_factories_too(cls: type, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    """Non-slotted classes get their fields in the instance's ``__dict__`` in the
    ``__init__``'s order, keyword-only fields stay keyword-only, and a default factory
    runs once per object."""
    build: Callable[..., Any] = constructor(cls)
    assert build is not cls
    built, expected = build(*args, **kwargs), cls(*args, **kwargs)
    assert type(built) is cls and built == expected and repr(built) == repr(expected)
    if not hasattr(cls, "__slots__"):
        assert list(vars(built).items()) == list(vars(expected).items())
    for field in dataclasses.fields(cls):
        if field.default_factory is not dataclasses.MISSING and field.name not in kwargs and len(args) < 2:
            assert getattr(built, field.name) is not getattr(build(*args, **kwargs), field.name), "a fresh default each time"
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(built, dataclasses.fields(cls)[0].name, 0)


def test_keyword_only_fields_refuse_positions_as_with_the_class() -> None:
    with pytest.raises(TypeError):
        _Mixed(1, "x", {}, 5)  # type: ignore[misc]
    with pytest.raises(TypeError):
        constructor(_Mixed)(1, "x", {}, 5)  # type: ignore[misc]


def test_validation_still_runs_through_the_kept_constructor() -> None:
    with pytest.raises(ValueError, match="negative"):
        constructor(_Checked)(-1)
    assert constructor(_OwnInit)(-2).value == 2
