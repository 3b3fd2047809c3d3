"""The baseline model: stable JSON, matching by fingerprint, the worsened ratchet, fixed counts."""

from __future__ import annotations

import json

import pytest

from archlint.domain.baseline import Baseline, BaselineError, apply_baseline
from archlint.domain.finding import Finding, Severity, make_fingerprint


def _finding(code: str, path: str, identity: str, *, line: int = 1, extra: dict | None = None) -> Finding:
    return Finding(
        code=code,
        name="rule",
        message=f"{code} about {identity}",
        path=path,
        line=line,
        column=1,
        severity=Severity.ERROR,
        checklist=(),
        fingerprint=make_fingerprint(code, path, identity),
        extra=extra or {},
    )


def test_render_is_sorted_stable_and_round_trips() -> None:
    findings = [
        _finding("ARC201", "b.py", "B", extra={"ratchet": {"wmc": 50, "atfd": 7}}),
        _finding("ARC101", "a.py", "a b", extra={"modules": ["pkg.b", "pkg.a"], "ratchet": {"modules": 2}}),
        _finding("ARC003", "a.py", "same", line=3),
        _finding("ARC003", "a.py", "same", line=9),
    ]
    text = Baseline.from_findings(findings).render()
    assert text == Baseline.from_findings(list(reversed(findings))).render()
    data = json.loads(text)
    assert list(data) == ["entries", "tool", "version"]
    assert [(e["path"], e["code"]) for e in data["entries"]] == [("a.py", "ARC003"), ("a.py", "ARC101"), ("b.py", "ARC201")]
    assert data["entries"][0]["count"] == 2
    assert data["entries"][1]["modules"] == ["pkg.a", "pkg.b"]
    assert list(data["entries"][2]["ratchet"]) == ["atfd", "wmc"]
    assert "line" not in data["entries"][0]
    assert Baseline.parse(text).render() == text
    assert text.endswith("\n")


@pytest.mark.parametrize(
    "text",
    ["not json", "[]", '{"version": 99, "entries": []}', '{"version": 1, "entries": [{"code": "ARC1"}]}',
     '{"version": 1, "entries": [{"code": "A", "path": "p", "fingerprint": "f", "count": 0}]}'],
)
def test_invalid_baselines_are_rejected(text: str) -> None:
    with pytest.raises(BaselineError):
        Baseline.parse(text, source="b.json")


def test_known_findings_are_silent_wherever_their_line_moves() -> None:
    old = [_finding("ARC201", "m.py", "Big", line=10), _finding("ARC201", "m.py", "Other", line=90)]
    baseline = Baseline.from_findings(old)
    now = [_finding("ARC201", "m.py", "Big", line=42), _finding("ARC201", "m.py", "New", line=7)]
    outcome = apply_baseline(now, baseline)
    assert [f.message for f in outcome.findings] == ["ARC201 about New"]
    assert (outcome.matched, outcome.worsened, outcome.fixed) == (1, 0, 1)


def test_a_shared_fingerprint_accepts_only_as_many_findings_as_it_counted() -> None:
    baseline = Baseline.from_findings([_finding("ARC003", "m.py", "same")])
    now = [_finding("ARC003", "m.py", "same", line=1), _finding("ARC003", "m.py", "same", line=2)]
    outcome = apply_baseline(now, baseline)
    assert [f.line for f in outcome.findings] == [2]


def test_worsened_figures_are_reported_with_old_and_new() -> None:
    baseline = Baseline.from_findings([_finding("ARC201", "m.py", "Big", extra={"ratchet": {"wmc": 50, "atfd": 6}})])
    same = apply_baseline([_finding("ARC201", "m.py", "Big", extra={"ratchet": {"wmc": 48, "atfd": 6}})], baseline)
    assert same.findings == () and same.matched == 1
    worse = apply_baseline([_finding("ARC201", "m.py", "Big", extra={"ratchet": {"wmc": 58, "atfd": 6}})], baseline)
    (finding,) = worse.findings
    assert worse.worsened == 1
    assert finding.message.endswith("[worsened since baseline: wmc 50 -> 58]")
    assert finding.extra["baseline"] == {
        "status": "worsened",
        "fingerprint": baseline.entries[0].fingerprint,
        "old": {"atfd": 6, "wmc": 50},
        "new": {"atfd": 6, "wmc": 58},
    }


def test_a_growing_cycle_is_worsened_not_new() -> None:
    two = _finding("ARC101", "a.py", "a b", extra={"modules": ["a", "b"], "ratchet": {"modules": 2}})
    baseline = Baseline.from_findings([two])
    three = _finding("ARC101", "c.py", "a b c", extra={"modules": ["a", "b", "c"], "ratchet": {"modules": 3}})
    outcome = apply_baseline([three], baseline)
    (finding,) = outcome.findings
    assert "modules 2 -> 3" in finding.message
    assert (outcome.matched, outcome.worsened, outcome.fixed) == (0, 1, 0)
    # the same members reported from another import line are the same cycle
    moved = _finding("ARC101", "b.py", "a b", extra={"modules": ["b", "a"], "ratchet": {"modules": 2}})
    assert apply_baseline([moved], baseline).findings == ()
    # an unrelated cycle is new, and the old one is fixed
    other = _finding("ARC101", "x.py", "x y", extra={"modules": ["x", "y"], "ratchet": {"modules": 2}})
    outcome = apply_baseline([other], baseline)
    assert outcome.findings == (other,) and outcome.fixed == 1


def test_fixed_counts_only_judged_entries() -> None:
    baseline = Baseline.from_findings([_finding("ARC201", "m.py", "A"), _finding("ARC301", "m.py", "B")])
    outcome = apply_baseline([], baseline, judged=lambda entry: entry.code == "ARC201")
    assert outcome.fixed == 1
