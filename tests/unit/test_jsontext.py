"""The JSON report's encoder writes exactly what ``json.dumps(indent=2, ensure_ascii=False)``
writes (it only does it faster), and fails exactly like it."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archlint.reporters.jsontext import dumps

SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text()
KEYS = st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=5) | st.tuples(inner, inner) | st.dictionaries(KEYS, inner, max_size=5),
    max_leaves=30,
)


def _stdlib(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


@settings(max_examples=400, deadline=None)
@given(VALUES)
def test_same_text_as_the_standard_library(value: Any) -> None:
    assert dumps(value) == _stdlib(value)


def test_report_shapes() -> None:
    finding = {
        "code": "ARC401",
        "message": 'unannotated `a`, `b` ["x"] {y}\n\x00é',
        "line": 3,
        "end_line": None,
        "checklist": ["Type hints", "Maintainability"],
        "extra": {"missing": ["a", "b"], "ratchet": {}, "tcc": 0.25, "nested": [{"k": [1, [2, []]]}, {}]},
        "empty": [],
    }
    data = {"findings": [finding, finding, {}], "summary": {"by_code": {"ARC401": 2}, "nan": math.nan, 1: -math.inf}}
    assert dumps(data) == _stdlib(data)


def _failure(function: Any, value: Any) -> tuple[type[BaseException], str]:
    with pytest.raises((TypeError, ValueError)) as info:
        function(value)
    return info.type, str(info.value)


def test_same_failures_as_the_standard_library() -> None:
    looped: list[Any] = []
    looped.append(looped)
    cyclic: dict[str, Any] = {}
    cyclic["a"] = [cyclic]
    for bad in ({"a": {1, 2}}, [object()], {(1, 2): 3}, {"x": [1, {"y": b"z"}]}, looped, cyclic):
        assert _failure(dumps, bad) == _failure(_stdlib, bad)
