"""Annotation coverage in ``archlint metrics`` and in the JSON summary."""

from __future__ import annotations

from pathlib import Path

from archlint import api
from archlint.domain.metric_registry import LEVELS
from archlint.domain.metrics import build_table
from archlint.domain.project import Project
from archlint.engine.extract import extract
from archlint.reporters.json_report import as_data
from harness import write_tree

FILES = {
    "pkg/__init__.py": "from pkg._impl import helper\n",
    "pkg/_impl.py": "def helper(x): ...\ndef hidden(x): ...\n",
    "pkg/core.py": "def a(x: int) -> int: ...\ndef b(x) -> int: ...\ndef c() -> None: ...\ndef _d(x): ...\n",
}


def _project() -> Project:
    facts = []
    for path, text in FILES.items():
        parts = path[:-3].split("/")
        is_package = parts[-1] == "__init__"
        module = ".".join(parts[:-1] if is_package else parts)
        facts.append(extract(text.encode(), path=path, module=module, is_package=is_package))
    return Project(facts)


def _column(level: str) -> dict[str, tuple[object, ...]]:
    table = build_table(_project(), LEVELS[level])
    keys = [column.key for column in table.columns]
    wanted = [keys.index(key) for key in ("public_functions", "annotated", "annotation_coverage")]
    return {row.subject.key: tuple(row.values[i] for i in wanted) for row in table.rows}


def test_module_and_package_columns() -> None:
    modules = _column("module")
    assert modules["pkg.core"] == (3, 2, 66.7)
    assert modules["pkg._impl"] == (1, 0, 0.0)  # re-exported `helper` only
    assert modules["pkg"] == (0, 0, None)  # no public function of its own
    assert _column("package")["pkg"] == (4, 2, 50.0)


def test_json_summary_carries_coverage(tmp_path: Path) -> None:
    write_tree(tmp_path, FILES)
    report = api.lint(["."], cwd=str(tmp_path), use_cache=False, jobs=1)
    summary = as_data(report)["summary"]["annotation_coverage"]
    assert summary == {
        "public_functions": 4,
        "annotated": 2,
        "percent": 50.0,
        "by_package": {"pkg": {"public_functions": 4, "annotated": 2, "percent": 50.0}},
    }


def test_package_coverage_counts_the_package_with_its_subpackages() -> None:
    """The package row's ``public``/``typed``/``typed%`` cover the same modules as its
    ``modules`` column (the package and all its descendants); they used to count only the
    modules directly in the package (Django: 883 modules, 8 public functions)."""
    files = {
        "top/__init__.py": "def t(x: int) -> int: ...\n",
        "top/sub/__init__.py": "",
        "top/sub/a.py": "def a(x: int) -> int: ...\ndef b(x): ...\n",
        "top/sub/deep/b.py": "def c(x): ...\n",
    }
    facts = []
    for path, text in files.items():
        parts = path[:-3].split("/")
        is_package = parts[-1] == "__init__"
        module = ".".join(parts[:-1] if is_package else parts)
        facts.append(extract(text.encode(), path=path, module=module, is_package=is_package))
    table = build_table(Project(facts), LEVELS["package"])
    keys = [column.key for column in table.columns]
    wanted = [keys.index(key) for key in ("modules", "public_functions", "annotated", "annotation_coverage")]
    rows = {row.subject.key: tuple(row.values[i] for i in wanted) for row in table.rows}
    assert rows == {
        "top": (4, 4, 2, 50.0),
        "top.sub": (3, 3, 1, 33.3),
        "top.sub.deep": (1, 1, 0, 0.0),
    }
