"""Every fixture project yields exactly the findings its ``# expect:`` markers announce."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import actual_findings, cases, expected_findings, run_case, scope


@pytest.mark.parametrize("case", cases(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_case(case: Path) -> None:
    prefixes = scope(case)
    expected = expected_findings(case)
    actual = {item for item in actual_findings(run_case(case)) if item[2].startswith(prefixes)}
    assert actual == expected, f"missing: {sorted(expected - actual)}; unexpected: {sorted(actual - expected)}"


def test_layers_chains_case_reports_each_line_once() -> None:
    """Fixture matching is by set; this counts: two routes through one import, one finding."""
    case = next(c for c in cases() if c.parent.name == "layers" and c.name == "chains")
    lines = [(f.path, f.line) for f in run_case(case, select=["ARC501"]).findings]
    assert sorted(lines) == [("app/models/order.py", 3), ("app/models/user.py", 3)]
