"""``Rule.finding`` builds the same :class:`Finding` as the dataclass ``__init__``.

The helper builds it with :func:`archlint._construct.constructor`, which stores the fields
in the instance's ``__dict__`` directly (the frozen ``__init__`` costs as much as the
rest of the helper); these tests pin that the result is indistinguishable."""

from __future__ import annotations

import pickle
from typing import Any

import pytest

from archlint.domain import rule as rule_module
from archlint.domain.finding import Finding, Severity, make_fingerprint
from archlint.domain.rule import Rule, RuleMeta


class _Sample(Rule):
    meta = RuleMeta(
        code="ARC999",
        name="sample",
        severity=Severity.WARNING,
        checklist=("one item", "another"),
        summary="s",
        what="w",
        why="y",
        example="e",
        fix="f",
    )


CASES: list[dict[str, Any]] = [
    {"path": "pkg/a.py", "line": 3, "message": "m", "identity": "pkg.a"},
    {"path": "pkg/a.py", "line": 0, "column": -4, "message": "m", "identity": "x", "extra": {"k": [1, 2]}},
    {
        "path": "b.py",
        "line": 7,
        "column": 9,
        "message": "other",
        "identity": "i",
        "end_line": 8,
        "end_column": 2,
        "severity": Severity.ERROR,
        "extra": {"ratchet": {"n": 1}},
    },
]


def _expected(meta: RuleMeta, case: dict[str, Any]) -> Finding:
    return Finding(
        code=meta.code,
        name=meta.name,
        message=case["message"],
        path=case["path"],
        line=max(1, case["line"]),
        column=max(1, case.get("column", 1)),
        end_line=case.get("end_line"),
        end_column=case.get("end_column"),
        severity=case.get("severity") or meta.severity,
        checklist=meta.checklist,
        fingerprint=make_fingerprint(meta.code, case["path"], case["identity"]),
        extra=dict(case.get("extra") or {}),
    )


def test_the_fast_path_is_in_use() -> None:
    assert rule_module._build_finding is not Finding, "Finding changed shape: Rule.finding fell back to the dataclass __init__"


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("case", CASES)
def test_finding_matches_the_dataclass_init(case: dict[str, Any], fast: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if not fast:
        monkeypatch.setattr(rule_module, "_build_finding", Finding)
    built = _Sample().finding(**case)
    expected = _expected(_Sample.meta, case)
    assert type(built) is Finding
    assert built == expected
    assert hash(built) == hash(expected)
    assert vars(built) == vars(expected)
    assert list(vars(built)) == list(vars(expected))
    assert built.to_dict() == expected.to_dict()
    assert pickle.loads(pickle.dumps(built)) == expected
    assert built.extra is not case.get("extra")
    with pytest.raises(AttributeError):
        built.line = 5  # type: ignore[misc]
