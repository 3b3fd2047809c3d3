"""Rule metadata is the single source of the docs: it must be complete and consistent."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from archlint.domain.checklist import all_items
from archlint.rules import ALL_RULES, get_rule, option_tables, rule_metas
from harness import REPO

METAS = rule_metas()


@pytest.mark.parametrize("meta", METAS, ids=lambda m: m.code)
def test_rule_metadata_is_complete(meta) -> None:
    assert re.fullmatch(r"ARC\d{3}", meta.code)
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", meta.name)
    for section in (meta.summary, meta.what, meta.why, meta.example, meta.fix):
        assert section.strip(), f"{meta.code} has an empty documentation section"
    assert meta.checklist, f"{meta.code} names no checklist item"
    unknown = set(meta.checklist) - all_items()
    assert not unknown, f"{meta.code} names items that are not in the seed checklist: {unknown}"


def test_codes_and_names_are_unique() -> None:
    codes = [m.code for m in METAS]
    names = [m.name for m in METAS]
    assert len(codes) == len(set(codes)) == len(ALL_RULES)
    assert len(names) == len(set(names))


def test_get_rule_by_code_and_name() -> None:
    for meta in METAS:
        assert get_rule(meta.code.lower()) is get_rule(meta.name)
        assert get_rule(meta.code).meta is meta
    assert get_rule("ARC999") is None


def test_option_tables_are_consistent() -> None:
    tables = option_tables()
    for meta in METAS:
        if meta.options_table:
            assert tables[meta.options_table] is meta.options


def test_generated_docs_are_fresh() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "generate_docs.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
