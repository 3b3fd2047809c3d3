"""Issue 10, resources: worst-case import graphs complete with bounded output.

Graphs are built from in-memory facts (no file I/O, so the test stays fast): thousands of
modules in one strongly connected component, and a dense component in which every
module imports every other. Every rule runs with its defaults. The bounds checked are
the documented ones (ADR 0003): one finding per component however many cycles it holds,
a representative cycle no longer than the component, a message of bounded length. No
wall-clock assertion; the sizes keep the run to a few seconds on 2 cores. A small
on-disk version goes through the whole pipeline with the worker pool.
"""

from __future__ import annotations

from pathlib import Path

from archlint import lint
from archlint.config import Settings
from archlint.domain.facts import FileFacts, ImportFact, ImportKind
from archlint.domain.finding import Finding
from archlint.domain.project import Project
from archlint.engine.runner import run_rules
from archlint.rules import ALL_RULES, get_rule
from archlint.rules.cycles import MAX_BREAKERS_REPORTED


def _import(target: str, line: int) -> ImportFact:
    return ImportFact(
        module="pkg",
        names=(target,),
        line=line,
        column=1,
        end_line=line,
        end_column=16 + len(target),
        kind=ImportKind.MODULE_LEVEL,
        text=f"from pkg import {target}",
    )


def _ring_project(modules: int, fan_out: int) -> Project:
    """``pkg.m<i>`` imports the next ``fan_out`` modules (mod ``modules``): one SCC."""
    files = [FileFacts(path="pkg/__init__.py", module="pkg", is_package=True)]
    for index in range(modules):
        targets = [f"m{(index + step) % modules}" for step in range(1, fan_out + 1)]
        imports = tuple(_import(target, line) for line, target in enumerate(targets, start=1))
        files.append(FileFacts(path=f"pkg/m{index}.py", module=f"pkg.m{index}", is_package=False, imports=imports, lines=fan_out))
    return Project(files, root=".")


def _findings(project: Project) -> list[Finding]:
    return run_rules(project, ALL_RULES, Settings(root="."))


def _assert_one_bounded_cycle(findings: list[Finding], modules: int) -> None:
    if get_rule("ARC101") is None:  # pragma: no cover - before the cycles rule landed
        return
    cycles = [f for f in findings if f.code == "ARC101"]
    assert len(cycles) == 1
    finding = cycles[0]
    assert len(finding.extra["modules"]) == modules
    assert 2 <= len(finding.extra["cycle"]) <= modules
    assert finding.extra["breakers"]
    assert len(finding.message) < 600


def test_thousands_of_modules_in_one_component() -> None:
    project = _ring_project(2000, 3)
    assert len(project.graph.edges) == 6000
    _assert_one_bounded_cycle(_findings(project), 2000)


def test_dense_component_every_module_imports_every_other() -> None:
    modules = 40
    project = _ring_project(modules, modules - 1)
    assert len(project.graph.edges) == modules * (modules - 1)
    findings = _findings(project)
    _assert_one_bounded_cycle(findings, modules)
    # A complete digraph needs n(n-1)/2 cuts: the count says so, the list is capped.
    extra = next(f for f in findings if f.code == "ARC101").extra
    assert extra["breaker_count"] >= modules * (modules - 1) // 2
    assert len(extra["breakers"]) == MAX_BREAKERS_REPORTED


def test_large_component_through_the_whole_pipeline(tmp_path: Path) -> None:
    modules = 300
    root = tmp_path / "big"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text("")
    for index in range(modules):
        lines = [f"from pkg import m{(index + step) % modules}" for step in (1, 2, 7)]
        (root / "pkg" / f"m{index}.py").write_text("\n".join(lines) + "\n")
    report = lint(["."], cwd=str(root), settings=Settings(root=str(root)), use_cache=False, jobs=2, select=["ARC0", "ARC1"])
    assert report.files == modules + 1
    assert not [f for f in report.findings if f.code == "ARC001"]
    _assert_one_bounded_cycle(list(report.findings), modules)
