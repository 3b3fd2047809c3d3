"""The metrics table framework: levels, providers, worst-first sorting, renderers."""

from __future__ import annotations

import csv
import io
import json

import pytest

from archlint.domain.class_facts import ClassFacts, ModuleStats
from archlint.domain.facts import FileFacts, ImportFact, ImportKind
from archlint.domain.metric_registry import LEVELS
from archlint.domain.metrics import (
    CLASS_METRICS,
    Column,
    MetricLevel,
    MetricProvider,
    Subject,
    build_table,
    class_subjects,
    packages_of,
)
from archlint.domain.project import Project
from archlint.reporters.metrics import as_data, render_csv, render_json, render_table


def cls(name: str, **metrics: object) -> ClassFacts:
    return ClassFacts(name=name, qualname=name, line=3, column=1, end_line=9, **metrics)  # type: ignore[arg-type]


def imp(module: str) -> ImportFact:
    return ImportFact(module=module, names=(), line=1, column=1, end_line=1, end_column=10, kind=ImportKind.MODULE_LEVEL)


PROJECT = Project(
    [
        FileFacts(path="pkg/__init__.py", module="pkg", is_package=True, module_stats=ModuleStats(loc=1)),
        FileFacts(
            path="pkg/a.py",
            module="pkg.a",
            is_package=False,
            imports=(imp("pkg.b"), imp("pkg.sub.c")),
            classes=(cls("Big", wmc=50, atfd=7, tcc=0.1, nom=5), cls("Small", wmc=2, atfd=0, tcc=None, nom=1)),
            module_stats=ModuleStats(loc=100, classes=2, functions=1, complexity=60),
        ),
        FileFacts(
            path="pkg/b.py",
            module="pkg.b",
            is_package=False,
            classes=(cls("Mid", wmc=50, atfd=9, tcc=0.5, nom=4),),
            module_stats=ModuleStats(loc=40, classes=1, complexity=50),
        ),
        FileFacts(
            path="pkg/sub/c.py",
            module="pkg.sub.c",
            is_package=False,
            imports=(imp("pkg.b"),),
            module_stats=ModuleStats(loc=10, functions=2, complexity=3),
        ),
    ]
)


# The registry's levels may gain columns from other rule families; renderer tests use
# the god-object family's own class columns only.
CLASS_ONLY = MetricLevel(name="class", subjects=class_subjects, providers=(CLASS_METRICS,), default_sort=("wmc", "atfd"))


def test_class_level_is_worst_first_by_wmc_then_atfd() -> None:
    table = build_table(PROJECT, LEVELS["class"])
    assert [row.subject.key for row in table.rows] == ["pkg.b:Mid", "pkg.a:Big", "pkg.a:Small"]
    assert [c.key for c in table.columns][:7] == ["wmc", "atfd", "tcc", "lcom4", "nom", "noa", "loc"]
    assert table.rows[0].subject == Subject(key="pkg.b:Mid", path="pkg/b.py", line=3)


def test_lower_is_worse_columns_sort_ascending_and_not_applicable_last() -> None:
    table = build_table(PROJECT, LEVELS["class"], sort=["tcc"])
    assert [row.subject.key for row in table.rows] == ["pkg.a:Big", "pkg.b:Mid", "pkg.a:Small"]


def test_limit_keeps_the_worst_and_the_total() -> None:
    table = build_table(PROJECT, LEVELS["class"], limit=1)
    assert [row.subject.key for row in table.rows] == ["pkg.b:Mid"]
    assert table.total == 3


def test_unknown_sort_key() -> None:
    with pytest.raises(ValueError, match="unknown metric column: nope"):
        build_table(PROJECT, LEVELS["class"], sort=["nope"])


def test_module_level_has_size_and_fan_in_fan_out() -> None:
    table = build_table(PROJECT, LEVELS["module"])
    keys = [c.key for c in table.columns]
    rows = {row.subject.key: dict(zip(keys, row.values)) for row in table.rows}
    assert [row.subject.key for row in table.rows] == ["pkg.a", "pkg.b", "pkg.sub.c", "pkg"]
    mine = {"loc": 100, "classes": 2, "functions": 1, "definitions": 3, "complexity": 60, "fan_in": 0, "fan_out": 2}
    assert {key: rows["pkg.a"][key] for key in mine} == mine  # other families add columns
    assert rows["pkg.b"]["fan_in"] == 2
    assert rows["pkg.sub.c"]["fan_out"] == 1


def test_package_level_aggregates_recursively() -> None:
    assert {name: [f.module for f in files] for name, files in packages_of(PROJECT).items()} == {
        "pkg": ["pkg", "pkg.a", "pkg.b", "pkg.sub.c"],
        "pkg.sub": ["pkg.sub.c"],
    }
    table = build_table(PROJECT, LEVELS["package"])
    rows = {row.subject.key: row for row in table.rows}
    assert rows["pkg"].values[:5] == (4, 151, 3, 3, 113)  # later columns: other families' providers
    assert rows["pkg"].subject.path == "pkg/__init__.py"
    assert rows["pkg.sub"].subject.path == "pkg/sub/"  # a namespace package: its folder


def test_other_families_add_columns_with_a_provider() -> None:
    extra = MetricProvider(
        name="test",
        columns=(Column(key="doubled", title="x2", doc="twice the LOC"),),
        compute=lambda project: {f.module: {"doubled": 2 * f.module_stats.loc} for f in project.files},
    )
    base = LEVELS["module"]
    level = MetricLevel(name="module", subjects=base.subjects, providers=(*base.providers, extra), default_sort=("doubled",))
    table = build_table(PROJECT, level)
    assert table.columns[-1].key == "doubled"
    assert [row.values[-1] for row in table.rows] == [200, 80, 20, 2]


def test_renderers() -> None:
    table = build_table(PROJECT, CLASS_ONLY)
    text = render_table(table)
    assert text.splitlines()[0].split() == ["class", "path:line", "WMC", "ATFD", "TCC", "LCOM4", "NOM", "NOA", "LOC"]
    assert text.splitlines()[1].split() == ["pkg.b:Mid", "pkg/b.py:3", "50", "9", "0.50", "0", "4", "0", "0"]
    assert text.splitlines()[3].split()[4] == "-"  # TCC not applicable
    assert text.endswith("3 class rows, worst first by wmc, atfd\n")
    data = json.loads(render_json(table))
    assert data == as_data(table)
    assert data["level"] == "class" and data["total"] == 3
    assert data["rows"][2] == {
        "name": "pkg.a:Small",
        "path": "pkg/a.py",
        "line": 3,
        "metrics": {"wmc": 2, "atfd": 0, "tcc": None, "lcom4": 0, "nom": 1, "noa": 0, "loc": 0},
    }
    rows = list(csv.reader(io.StringIO(render_csv(table))))
    assert rows[0] == ["name", "path", "line", "wmc", "atfd", "tcc", "lcom4", "nom", "noa", "loc"]
    assert rows[3] == ["pkg.a:Small", "pkg/a.py", "3", "2", "0", "", "0", "1", "0", "0"]
    limited = render_table(build_table(PROJECT, CLASS_ONLY, limit=1))
    assert limited.endswith("1 of 3 class rows, worst first by wmc, atfd\n")


def test_rendering_is_deterministic() -> None:
    first = render_json(build_table(PROJECT, LEVELS["module"]))
    again = render_json(build_table(Project(list(reversed(PROJECT.files))), LEVELS["module"]))
    assert first == again
