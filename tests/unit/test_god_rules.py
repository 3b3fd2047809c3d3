"""ARC201/ARC202/ARC203 on hand-built facts: thresholds, exemptions, findings' data."""

from __future__ import annotations

from dataclasses import replace

import pytest

from archlint.domain.class_facts import ClassFacts, ModuleStats
from archlint.domain.facts import FileFacts
from archlint.domain.finding import Severity
from archlint.domain.project import Project
from archlint.rules.god_objects import GodClass, GodModule, GodObjectOptions, LargeClass, is_test_file

GOD = ClassFacts(name="Big", qualname="Big", line=7, column=1, end_line=90, wmc=60, atfd=9, tcc=0.1, lcom4=3, nom=12, noa=8, loc=300, public_methods=10)
DEFAULTS = GodObjectOptions()


def project(*classes: ClassFacts, path: str = "pkg/mod.py", stats: ModuleStats = ModuleStats()) -> Project:
    return Project([FileFacts(path=path, module=path[:-3].replace("/", "."), is_package=False, classes=classes, module_stats=stats)])


def run(rule: type, proj: Project, options: GodObjectOptions = DEFAULTS) -> list:
    return list(rule().check(proj, options))


def test_god_class_finding_names_each_metric_and_sits_on_the_class_line() -> None:
    [finding] = run(GodClass, project(GOD))
    assert (finding.code, finding.path, finding.line, finding.column) == ("ARC201", "pkg/mod.py", 7, 1)
    assert finding.severity is Severity.WARNING
    assert finding.message == "god class Big: WMC 60 >= 47, ATFD 9 >= 6, TCC 0.10 < 0.33"
    assert finding.extra["ratchet"] == {"wmc": 60, "atfd": 9}
    assert {k: finding.extra[k] for k in ("wmc", "atfd", "tcc", "lcom4", "nom", "noa", "loc")} == {
        "wmc": 60, "atfd": 9, "tcc": 0.1, "lcom4": 3, "nom": 12, "noa": 8, "loc": 300,
    }
    assert set(finding.checklist) == {"God Object", "Single Responsibility Principle", "High cohesion, low coupling"}


@pytest.mark.parametrize(
    ("change", "flagged"),
    [
        ({}, True),
        ({"wmc": 46}, False),
        ({"wmc": 47}, True),
        ({"atfd": 5}, False),
        ({"atfd": 6}, True),
        ({"tcc": 1 / 3}, False),
        ({"tcc": 0.33}, True),
        ({"tcc": None}, False),
    ],
)
def test_god_class_thresholds_are_lanza_marinescu(change: dict, flagged: bool) -> None:
    assert bool(run(GodClass, project(replace(GOD, **change)))) is flagged


def test_thresholds_come_from_options() -> None:
    options = GodObjectOptions(min_wmc=100)
    assert run(GodClass, project(GOD), options) == []
    assert run(GodClass, project(replace(GOD, wmc=20)), GodObjectOptions(min_wmc=20, min_atfd=9, max_tcc=0.2))


def test_fingerprint_follows_content_not_lines() -> None:
    first = run(GodClass, project(GOD))[0]
    moved = run(GodClass, project(replace(GOD, line=70, wmc=70)))[0]
    assert first.fingerprint == moved.fingerprint


def test_large_class_reports_size_only_when_not_a_god_class() -> None:
    big = replace(GOD, nom=25, noa=20, loc=600)
    assert [f.code for f in run(LargeClass, project(big))] == []  # already ARC201
    cohesive = replace(big, tcc=0.9)
    [finding] = run(LargeClass, project(cohesive))
    assert finding.severity is Severity.INFO
    assert finding.message == "large class Big: 25 methods > 20, 20 attributes > 15, 600 lines > 500"
    assert finding.extra["ratchet"] == {"methods": 25, "attributes": 20, "loc": 600}
    assert run(LargeClass, project(replace(cohesive, nom=20, noa=15, loc=500))) == []


def test_data_carrier_fields_and_field_lines_do_not_count() -> None:
    wide = ClassFacts(name="Row", qualname="Row", line=3, column=1, end_line=700, decorators=("dataclasses.dataclass",),
                      nom=2, noa=40, class_attributes=38, loc=650, method_loc=10)
    assert run(LargeClass, project(wide)) == []
    plain = replace(wide, decorators=())
    [finding] = run(LargeClass, project(plain))
    assert "40 attributes > 15" in finding.message and "650 lines > 500" in finding.message
    # own attributes beyond the declared fields still count
    assert run(LargeClass, project(replace(wide, noa=60)))


@pytest.mark.parametrize(
    "kind",
    [
        {"decorators": ("dataclass",)},
        {"decorators": ("attr.s",)},
        {"decorators": ("attrs.define",)},
        {"bases": ("pydantic.BaseModel",)},
        {"bases": ("typing.NamedTuple",)},
        {"bases": ("TypedDict",)},
        {"bases": ("enum.IntEnum",)},
        {"bases": ("Protocol[T]",)},
        {"metaclass": "EnumMeta"},
    ],
)
def test_data_carrier_kinds(kind: dict) -> None:
    carrier = ClassFacts(name="C", qualname="C", line=1, column=1, end_line=50, noa=30, class_attributes=30, **kind)
    assert run(LargeClass, project(carrier)) == []


def test_carrier_by_inheritance_inside_the_project_and_configured_bases() -> None:
    base = ClassFacts(name="Base", qualname="Base", line=1, column=1, end_line=2, bases=("BaseModel",))
    child = ClassFacts(name="Child", qualname="Child", line=5, column=1, end_line=50, bases=("Base",), noa=30, class_attributes=30)
    assert run(LargeClass, project(base, child)) == []
    model = ClassFacts(name="Thing", qualname="Thing", line=5, column=1, end_line=50, bases=("models.Model",), noa=30, class_attributes=30)
    assert len(run(LargeClass, project(model))) == 1
    assert run(LargeClass, project(model), GodObjectOptions(data_carrier_bases=("Model",))) == []
    decorated = replace(model, bases=(), decorators=("my.record",))
    assert run(LargeClass, project(decorated), GodObjectOptions(data_carrier_decorators=("my.record",))) == []


def test_inheritance_cycles_terminate() -> None:
    a = ClassFacts(name="A", qualname="A", line=1, column=1, end_line=2, bases=("B",), nom=30)
    b = ClassFacts(name="B", qualname="B", line=3, column=1, end_line=4, bases=("A",), nom=30)
    assert len(run(LargeClass, project(a, b))) == 2


def test_test_classes_are_exempt_by_default() -> None:
    test = replace(GOD, name="TestBig", qualname="TestBig")
    assert run(GodClass, project(test, path="tests/test_mod.py")) == []
    assert len(run(GodClass, project(test, path="pkg/mod.py"))) == 1  # not a test file
    case = replace(GOD, bases=("unittest.TestCase",))
    assert run(GodClass, project(case)) == []
    base = ClassFacts(name="MyCase", qualname="MyCase", line=1, column=1, end_line=2, bases=("django.test.TestCase",))
    derived = replace(GOD, bases=("MyCase",))
    assert run(GodClass, project(base, derived)) == []
    assert len(run(GodClass, project(case), GodObjectOptions(exempt_tests=False))) == 1


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("tests/unit/helpers.py", True),
        ("pkg/test_x.py", True),
        ("pkg/x_test.py", True),
        ("pkg/tests.py", True),
        ("conftest.py", True),
        ("pkg/testing.py", False),
        ("pkg/contest.py", False),
        ("pkg/latest/x.py", False),
    ],
)
def test_is_test_file(path: str, expected: bool) -> None:
    assert is_test_file(path) is expected


def test_god_module_thresholds_and_location() -> None:
    assert run(GodModule, project(stats=ModuleStats(loc=1000, classes=25, functions=25, complexity=200))) == []
    [finding] = run(GodModule, project(stats=ModuleStats(loc=1001, classes=30, functions=21, complexity=201)))
    assert (finding.code, finding.line, finding.column) == ("ARC203", 1, 1)
    assert finding.message == "god module pkg.mod: 1001 lines > 1000, 51 definitions > 50, complexity 201 > 200"
    assert finding.extra["ratchet"] == {"loc": 1001, "definitions": 51, "complexity": 201}
    assert run(GodModule, project(path="tests/test_mod.py", stats=ModuleStats(loc=5000))) == []
    small = GodObjectOptions(max_module_loc=10)
    assert len(run(GodModule, project(stats=ModuleStats(loc=11)), small)) == 1


def test_options_are_validated_from_toml_with_key_paths() -> None:
    from archlint.config.schema import Problems, parse_options

    text = "[tool.archlint.god-object]\nmin-wcm = 40\nmax-tcc = 2\nmin-atfd = -1\ndata-carrier-bases = \"Model\"\n"
    problems = Problems("pyproject.toml", text)
    raw = {"min-wcm": 40, "max-tcc": 2, "min-atfd": -1, "data-carrier-bases": "Model"}
    options = parse_options(problems, "god-object", GodObjectOptions, raw)
    assert options == GodObjectOptions()
    joined = "\n".join(problems.items)
    assert "tool.archlint.god-object.min-wcm: unknown option (did you mean 'min-wmc'?)" in joined
    assert "tool.archlint.god-object.max-tcc: must be between 0 and 1, got 2" in joined
    assert "tool.archlint.god-object.min-atfd: must be >= 0, got -1" in joined
    assert "data-carrier-bases: expected an array of strings" in joined
    good = parse_options(Problems("p", ""), "god-object", GodObjectOptions, {"max-tcc": 0.5, "min-wmc": 30, "data-carrier-bases": ["Model"]})
    assert (good.max_tcc, good.min_wmc, good.data_carrier_bases) == (0.5, 30, ("Model",))
