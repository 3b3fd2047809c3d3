"""select / extend-select / ignore with flake8 and ruff semantics."""

from __future__ import annotations

from archlint.domain.finding import Severity
from archlint.domain.rule import RuleMeta
from archlint.domain.selection import Selection, matches, unknown_patterns


def meta(code: str, enabled: bool = True) -> RuleMeta:
    return RuleMeta(
        code=code, name="x", severity=Severity.WARNING, checklist=("God Object",), summary="s", what="w",
        why="y", example="e", fix="f", default_enabled=enabled,
    )


def test_default_runs_every_default_rule_only() -> None:
    assert Selection().enabled(meta("ARC101"))
    assert not Selection().enabled(meta("ARC305", enabled=False))


def test_select_replaces_and_longest_prefix_wins() -> None:
    sel = Selection(select=("ARC1",), ignore=("ARC10",))
    assert not sel.enabled(meta("ARC101"))
    assert sel.enabled(meta("ARC110"))
    assert not sel.enabled(meta("ARC201"))
    assert Selection(select=("ARC1", "ARC101"), ignore=("ARC10",)).enabled(meta("ARC101"))


def test_ignore_wins_ties_and_extend_select_adds() -> None:
    assert not Selection(select=("ARC1",), ignore=("ARC1",)).enabled(meta("ARC101"))
    sel = Selection(select=("ARC2",), extend_select=("ARC101",))
    assert sel.enabled(meta("ARC101")) and sel.enabled(meta("ARC201")) and not sel.enabled(meta("ARC301"))


def test_opt_in_rules_need_their_exact_code() -> None:
    assert not Selection(select=("ARC3",)).enabled(meta("ARC305", enabled=False))
    assert not Selection(select=("ALL",)).enabled(meta("ARC305", enabled=False))
    assert Selection(extend_select=("ARC305",)).enabled(meta("ARC305", enabled=False))
    assert not Selection(extend_select=("ARC305",), ignore=("ARC305",)).enabled(meta("ARC305", enabled=False))


def test_all_and_unknown_patterns() -> None:
    assert Selection(select=("ALL",), ignore=("ARC2",)).enabled(meta("ARC101"))
    assert matches("ARC101", ["ALL"]) and matches("ARC101", ["ARC"]) and not matches("ARC101", ["ARC2"])
    assert unknown_patterns(["ARC1", "ARC9", "ALL", "XYZ"], ["ARC101", "ARC201"]) == ["ARC9", "XYZ"]
