"""Every rule's declared reads (``RuleMeta.reads``) and ``per_file`` are true.

The incremental run (``engine/incremental.py``) reuses a rule's stored findings while
the facts fields it *declares* are unchanged, and re-runs a per-file rule only on the
files whose facts changed. A rule that reads a field it does not declare, or whose
findings on a file depend on other files while it claims ``per_file``, gives stale
results on a warm run. These tests run every rule directly on the facts of every
fixture case and of a few hand-written projects:

* with each undeclared field blanked to its default in every file (and without the
  repository facts when ``repo`` is not declared): the findings must not change;
* with each declared field blanked: for a sample of (rule, field) pairs, and for every
  field some rule declares, the findings *do* change on some project, so the check
  above is able to fail;
* a per-file rule on the whole project finds exactly the union of what it finds on each
  file alone, and only on that file; per-file rules say no notes (the per-file memo
  keeps none).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from archlint.api import settings_for
from archlint.config import Settings
from archlint.domain.checklist_facts import RepoFacts
from archlint.domain.facts import FileFacts
from archlint.domain.finding import Finding
from archlint.domain.project import Project
from archlint.domain.rule import ALL_READS, Rule
from archlint.engine.cache import FACT_FIELDS
from archlint.engine.incremental import rule_options
from archlint.rules import ALL_RULES, LazyRule
from harness import cases, run_case, write_tree

RULES = sorted(ALL_RULES, key=lambda rule: rule.meta.code)
PER_FILE_RULES = [rule for rule in RULES if rule.meta.per_file]


def _default(name: str) -> Any:
    field = next(f for f in dataclasses.fields(FileFacts) if f.name == name)
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    assert field.default is not dataclasses.MISSING, f"FileFacts.{name} has no default"
    return field.default


DEFAULTS: dict[str, Any] = {name: _default(name) for name in FACT_FIELDS}

# Hand-written projects in which the facts fields matter in ways the fixtures do not
# show (cross-file class hierarchies, re-exports, suppressions, a syntax error).
HAND_WRITTEN: dict[str, dict[str, str]] = {
    # ARC201/ARC202: the data-carrier base and the TestCase base live in another file
    # than the classes they exempt; low thresholds make small classes count.
    "inherit": {
        "pyproject.toml": (
            "[tool.archlint]\n\n"
            "[tool.archlint.god-object]\n"
            "min-wmc = 2\nmin-atfd = 1\nmax-tcc = 0.9\nmax-attributes = 3\n"
        ),
        "pkg/__init__.py": "",
        "pkg/base.py": (
            "from dataclasses import dataclass\n"
            "from unittest import TestCase\n\n\n"
            "@dataclass\n"
            "class Record:\n"
            "    id: int = 0\n\n\n"
            "class BaseChecks(TestCase):\n"
            "    pass\n"
        ),
        "pkg/wide.py": (
            "from pkg.base import BaseChecks, Record\n\n\n"
            "class Wide(Record):\n"
            "    a: int = 0\n    b: int = 0\n    c: int = 0\n    d: int = 0\n    e: int = 0\n\n\n"
            "class Loose:\n"
            "    a = 0\n    b = 0\n    c = 0\n    d = 0\n    e = 0\n\n\n"
            "class Checker(BaseChecks):\n"
            "    def one(self, x, y):\n"
            "        if x.a:\n            return y.b\n        return x.c\n\n"
            "    def two(self, x, y):\n"
            "        if y.d:\n            return x.e\n        return y.f\n\n\n"
            "class Manager:\n"
            "    def one(self, x, y):\n"
            "        if x.a:\n            return y.b\n        return x.c\n\n"
            "    def two(self, x, y):\n"
            "        if y.d:\n            return x.e\n        return y.f\n"
        ),
    },
    # ARC401/ARC402/ARC305: a private module's function is public through the package's
    # ``__all__``; a deep import of an exported name from outside the package.
    "exports": {
        "lib/__init__.py": 'from lib._impl import helper\nfrom lib.sub.client import Client\n\n__all__ = ["helper", "Client"]\n',
        "lib/_impl.py": "def helper(text, count):\n    return text * count\n",
        "lib/sub/__init__.py": "",
        "lib/sub/client.py": "class Client:\n    def get(self, url):\n        return url\n",
        "app/__init__.py": "",
        "app/main.py": "from lib.sub.client import Client\n\n\ndef run() -> None:\n    Client()\n",
    },
    # ARC101/ARC003/ARC002: an accepted cycle edge without a reason, a cycle that stays.
    "suppressed": {
        "archlint.toml": "[suppressions]\nrequire-reason = true\n",
        "app/__init__.py": "",
        "app/a.py": "from app import b  # archlint: ignore[ARC101]\n\nVALUE = 1\n",
        "app/b.py": "from app import a\n\nOTHER = 2\n",
        "app/c.py": "from app import d  # noqa: ARC101 -- reviewed\n",
        "app/d.py": "from app import c\n",
        "app/e.py": "from app import f\n",
        "app/f.py": "from app import e  # archlint: ignore[ARC2]\n",
    },
    # ARC001: one unparsable file next to good ones.
    "broken": {
        "pkg/__init__.py": "",
        "pkg/good.py": "def ok(x: int) -> int:\n    return x\n",
        "pkg/bad.py": "def broken(:\n    pass\n",
        "pkg/user.py": "from pkg import bad, good\n",
    },
}


@dataclass(frozen=True)
class Scenario:
    """The facts of one analysed project and the settings its rules run with."""

    name: str
    files: tuple[FileFacts, ...]
    root: str
    repo: RepoFacts | None
    settings: Settings


def _settings(folder: Path) -> Settings:
    """The settings :func:`harness.run_case` runs ``folder`` with."""
    config = next((folder / name for name in ("archlint.toml", "pyproject.toml") if (folder / name).is_file()), None)
    if config is None:
        return Settings(root=str(folder))
    return settings_for(["."], config=str(config), cwd=str(folder))


def _scenario(name: str, folder: Path) -> Scenario:
    report = run_case(folder, select=["ARC"])
    project = report.project
    files = tuple(project.files)
    assert files, f"{name}: no facts"
    return Scenario(name, files, project.root, project.repo, _settings(folder))


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Scenario]:
    found = {f"{case.parent.name}/{case.name}": _scenario(f"{case.parent.name}/{case.name}", case) for case in cases()}
    base = tmp_path_factory.mktemp("hand")
    for name, tree in HAND_WRITTEN.items():
        found[f"hand/{name}"] = _scenario(f"hand/{name}", write_tree(base / name, tree))
    return found


def _key(findings: Iterable[Finding]) -> list[tuple[str, int, int, str, str, str]]:
    """What must not change: path, line, column, code, message and extra (a multiset)."""
    return sorted(
        (f.path, f.line, f.column, f.code, f.message, json.dumps(f.extra, sort_keys=True, default=repr)) for f in findings
    )


def _check(rule: type[Rule], scenario: Scenario, files: Iterable[FileFacts], repo: RepoFacts | None) -> list[tuple[Any, ...]]:
    options = rule_options(rule.meta, scenario.settings)
    return _key(rule().check(Project(list(files), scenario.root, repo), options))


def _blanked(scenario: Scenario, name: str) -> tuple[FileFacts, ...]:
    return tuple(dataclasses.replace(facts, **{name: DEFAULTS[name]}) for facts in scenario.files)


def _changes(rule: type[Rule], scenario: Scenario, name: str) -> bool:
    """Whether blanking the fact ``name`` (a FileFacts field or ``repo``) changes the findings."""
    full = _check(rule, scenario, scenario.files, scenario.repo)
    if name == "repo":
        return _check(rule, scenario, scenario.files, None) != full
    return _check(rule, scenario, _blanked(scenario, name), scenario.repo) != full


def _reads(rule: type[Rule]) -> frozenset[str]:
    return rule.meta.reads if rule.meta.reads is not None else ALL_READS


def test_all_reads_are_the_facts_fields_and_repo() -> None:
    assert ALL_READS == set(FACT_FIELDS) | {"repo"}
    for rule in RULES:
        reads = rule.meta.reads
        assert reads is None or reads <= ALL_READS, f"{rule.meta.code} declares unknown reads {set(reads or ()) - ALL_READS}"


def test_the_scenarios_cover_every_fixture_and_hand_written_project(scenarios: dict[str, Scenario]) -> None:
    assert len(cases()) > 40
    assert len(scenarios) == len(cases()) + len(HAND_WRITTEN)
    assert any(scenario.repo is not None for scenario in scenarios.values()), "ARC606 needs repository facts somewhere"


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.meta.code)
def test_fields_a_rule_does_not_declare_do_not_change_its_findings(rule: type[Rule], scenarios: dict[str, Scenario]) -> None:
    reads = _reads(rule)
    unread = [name for name in FACT_FIELDS if name not in reads]
    stale: list[str] = []
    for scenario in scenarios.values():
        full = _check(rule, scenario, scenario.files, scenario.repo)
        for name in unread:
            if _check(rule, scenario, _blanked(scenario, name), scenario.repo) != full:
                stale.append(f"{scenario.name}: blanking {name}")
        if unread:
            everything = scenario.files
            for name in unread:
                everything = tuple(dataclasses.replace(facts, **{name: DEFAULTS[name]}) for facts in everything)
            if _check(rule, scenario, everything, scenario.repo) != full:
                stale.append(f"{scenario.name}: blanking all of {unread}")
        if "repo" not in reads and _check(rule, scenario, scenario.files, None) != full:
            stale.append(f"{scenario.name}: repo=None")
    assert not stale, f"{rule.meta.code} reads facts it does not declare in RuleMeta.reads: {stale}"


# (rule, declared field) pairs whose field must visibly matter on some project: the
# check above can only catch an undeclared read if blanking a field is noticed at all.
MUST_MATTER = [
    ("ARC001", "error"),
    ("ARC003", "suppressions"),
    ("ARC101", "imports"),
    ("ARC101", "suppressions"),
    ("ARC104", "cycle_facts"),
    ("ARC201", "classes"),
    ("ARC202", "classes"),
    ("ARC203", "module_stats"),
    ("ARC305", "api"),
    ("ARC401", "api"),
    ("ARC602", "checklist"),
    ("ARC606", "repo"),
]


def _rule(code: str) -> type[Rule]:
    return next(rule for rule in RULES if rule.meta.code == code)


@pytest.mark.parametrize(("code", "name"), MUST_MATTER, ids=lambda value: value)
def test_blanking_a_declared_field_is_noticed(code: str, name: str, scenarios: dict[str, Scenario]) -> None:
    rule = _rule(code)
    assert name in _reads(rule)
    assert any(_changes(rule, scenario, name) for scenario in scenarios.values()), (
        f"no project shows that {code} reads {name}: the reads check cannot fail for it"
    )


@pytest.mark.parametrize(
    ("code", "name", "project"),
    [
        ("ARC001", "error", "hand/broken"),
        ("ARC201", "classes", "hand/inherit"),
        ("ARC202", "classes", "hand/inherit"),
        ("ARC401", "api", "hand/exports"),
        ("ARC402", "api", "hand/exports"),
        ("ARC305", "api", "hand/exports"),
        ("ARC305", "imports", "hand/exports"),
        ("ARC101", "imports", "hand/suppressed"),
        ("ARC101", "suppressions", "hand/suppressed"),
        ("ARC003", "suppressions", "hand/suppressed"),
    ],
)
def test_the_hand_written_projects_make_their_fields_matter(
    code: str, name: str, project: str, scenarios: dict[str, Scenario]
) -> None:
    assert _changes(_rule(code), scenarios[project], name)


def test_every_declared_field_matters_to_some_rule_on_some_project(scenarios: dict[str, Scenario]) -> None:
    declared = set().union(*(_reads(rule) for rule in RULES))
    unnoticed = sorted(
        name
        for name in declared
        if not any(_changes(rule, scenario, name) for rule in RULES if name in _reads(rule) for scenario in scenarios.values())
    )
    assert not unnoticed, f"blanking these declared fields never changes any rule's findings: {unnoticed}"


def test_the_hand_written_projects_find_what_they_are_written_for(scenarios: dict[str, Scenario]) -> None:
    def found(project: str, code: str) -> list[tuple[str, int]]:
        scenario = scenarios[project]
        return [(row[0], row[1]) for row in _check(_rule(code), scenario, scenario.files, scenario.repo)]

    # Wide is a carrier through pkg.base.Record and Checker a test class through
    # pkg.base.BaseChecks: only Loose is large and only Manager a god class.
    assert found("hand/inherit", "ARC202") == [("pkg/wide.py", 12)]
    assert found("hand/inherit", "ARC201") == [("pkg/wide.py", 32)]
    assert found("hand/exports", "ARC401") == [("lib/_impl.py", 1), ("lib/sub/client.py", 2)]
    assert found("hand/exports", "ARC305") == [("app/main.py", 1)]
    assert found("hand/suppressed", "ARC101") == [("app/e.py", 1)]
    assert found("hand/suppressed", "ARC003") == [("app/a.py", 1), ("app/f.py", 1)]
    assert found("hand/broken", "ARC001") == [("pkg/bad.py", 1)]


@pytest.mark.parametrize("rule", PER_FILE_RULES, ids=lambda rule: rule.meta.code)
def test_per_file_rules_find_on_each_file_alone_what_they_find_on_the_project(
    rule: type[Rule], scenarios: dict[str, Scenario]
) -> None:
    wrong: list[str] = []
    for scenario in scenarios.values():
        whole = _check(rule, scenario, scenario.files, scenario.repo)
        union: list[tuple[Any, ...]] = []
        for facts in scenario.files:
            alone = _check(rule, scenario, [facts], scenario.repo)
            elsewhere = [row for row in alone if row[0] != facts.path]
            if elsewhere:
                wrong.append(f"{scenario.name}: run on {facts.path} alone, found on {sorted({r[0] for r in elsewhere})}")
            union.extend(alone)
        if sorted(union) != whole:
            wrong.append(f"{scenario.name}: whole project {whole} != files alone {sorted(union)}")
    assert not wrong, f"{rule.meta.code} claims per_file but: {wrong}"


@pytest.mark.parametrize("code", ["ARC201", "ARC202"])
def test_the_per_file_check_can_fail(code: str, scenarios: dict[str, Scenario]) -> None:
    """ARC201 and ARC202 are not per-file (a TestCase or data-carrier base in another
    file exempts a class): the comparison above tells them apart."""
    scenario = scenarios["hand/inherit"]
    rule = _rule(code)
    assert not rule.meta.per_file
    whole = _check(rule, scenario, scenario.files, scenario.repo)
    union = sorted(row for facts in scenario.files for row in _check(rule, scenario, [facts], scenario.repo))
    assert union != whole


def test_per_file_rules_have_no_notes(scenarios: dict[str, Scenario]) -> None:
    assert PER_FILE_RULES, "no rule is per-file"
    for rule in PER_FILE_RULES:
        implementation = rule.implementation() if issubclass(rule, LazyRule) else rule
        assert implementation.notes is Rule.notes, f"{rule.meta.code} is per-file but says notes: the per-file memo drops them"
        for scenario in scenarios.values():
            options = rule_options(rule.meta, scenario.settings)
            project = Project(list(scenario.files), scenario.root, scenario.repo)
            assert list(rule().notes(project, options)) == [], (rule.meta.code, scenario.name)
