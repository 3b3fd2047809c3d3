"""The integration reporters (SARIF, GitHub, GitLab, JUnit, checklist) and the checklist
mapping, on reports built in memory."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from archlint.domain.checklist import PATTERNS, PRINCIPLES, RED_FLAGS, SYSTEM_DESIGN, all_items
from archlint.domain.checklist_map import HUMAN_REASONS, ItemStatus, evaluate, groups, uncovered
from archlint.domain.facts import FileFacts, ImportFact, ImportKind
from archlint.domain.finding import Finding, Severity
from archlint.domain.project import Project
from archlint.domain.report import Report
from archlint.domain.rule import RuleMeta
from archlint.reporters import REPORTERS, checklist, github, gitlab, junit, sarif
from archlint.rules import rule_metas


def meta(code: str, name: str, severity: Severity, *items: str) -> RuleMeta:
    """A rule's metadata with placeholder documentation."""
    return RuleMeta(
        code=code,
        name=name,
        severity=severity,
        checklist=items,
        summary=f"{name} summary.",
        what=f"{name} what.",
        why=f"{name} why.",
        example="import a",
        fix=f"{name} fix.",
    )


CYCLE = meta("ARC101", "import-cycle", Severity.ERROR, "Circular Imports")
GOD = meta("ARC201", "god-class", Severity.WARNING, "God Object")


def finding(rule: RuleMeta, path: str, line: int, message: str = "msg", **extra: object) -> Finding:
    """A finding of ``rule``."""
    return Finding(
        code=rule.code,
        name=rule.name,
        message=message,
        path=path,
        line=line,
        column=1,
        severity=rule.severity,
        checklist=rule.checklist,
        fingerprint=f"{rule.code.lower()}{line:04d}abcdef"[:16],
        extra=extra,
    )


def imp(module: str, line: int, kind: ImportKind = ImportKind.MODULE_LEVEL) -> ImportFact:
    """``import module`` at ``line``."""
    return ImportFact(module=module, names=(), line=line, column=1, end_line=line, end_column=10, kind=kind, text=f"import {module}")


def project(graph: dict[str, list[str]], packages: set[str] = frozenset()) -> Project:
    """A project from ``module -> imported modules``."""
    files = []
    for module, targets in graph.items():
        is_package = module in packages
        path = module.replace(".", "/") + ("/__init__.py" if is_package else ".py")
        files.append(FileFacts(path=path, module=module, is_package=is_package, imports=tuple(imp(t, n + 1) for n, t in enumerate(targets))))
    return Project(files)


def report(findings: list[Finding], rules: tuple[RuleMeta, ...] = (CYCLE, GOD), proj: Project | None = None) -> Report:
    """A report of ``findings`` with ``rules`` as the rules that ran."""
    proj = proj or project({"p.a": ["p.b"], "p.b": ["p.a"], "p": []}, {"p"})
    return Report(
        findings=tuple(sorted(findings, key=lambda f: f.sort_key)),
        project=proj,
        files=3,
        modules=3,
        duration_s=0.0,
        rules=rules,
    )


EDGES = [
    {"importer": "p.a", "imported": "p.b", "path": "p/a.py", "line": 1, "column": 1, "text": "import p.b"},
    {"importer": "p.b", "imported": "p.a", "path": "p/b.py", "line": 1, "column": 1, "text": "import p.a"},
]


def test_every_reporter_is_registered() -> None:
    assert {"sarif", "github", "gitlab", "junit", "checklist"} <= set(REPORTERS)


# --- SARIF ---------------------------------------------------------------------------


def test_sarif_rules_results_and_related_locations() -> None:
    data = sarif.as_data(report([finding(CYCLE, "p/a.py", 1, cycle=EDGES), finding(GOD, "p/b.py", 3)]))
    run = data["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["ARC101", "ARC201"]
    assert rules[0]["shortDescription"]["text"] == "import-cycle summary."
    assert rules[0]["fullDescription"]["text"] == "import-cycle what."
    assert "import-cycle why." in rules[0]["help"]["text"] and "import-cycle fix." in rules[0]["help"]["text"]
    assert rules[1]["defaultConfiguration"]["level"] == "warning"
    first, second = run["results"]
    assert first["ruleId"] == "ARC101" and first["ruleIndex"] == 0 and first["level"] == "error"
    assert first["locations"][0]["physicalLocation"]["region"] == {"startLine": 1, "startColumn": 1}
    assert first["partialFingerprints"] == {"archlint/v1": first["partialFingerprints"]["archlint/v1"]}
    related = first["relatedLocations"]
    assert [r["physicalLocation"]["artifactLocation"]["uri"] for r in related] == ["p/a.py", "p/b.py"]
    assert related[1]["message"]["text"] == "p.b imports p.a: import p.a"
    assert "relatedLocations" not in second and second["ruleIndex"] == 1


def test_sarif_describes_rules_that_did_not_run_but_have_findings() -> None:
    data = sarif.as_data(report([finding(GOD, "p/b.py", 3)], rules=()))
    assert [r["id"] for r in data["runs"][0]["tool"]["driver"]["rules"]] == ["ARC201"]


def test_sarif_uri_escapes_spaces_and_percent() -> None:
    assert sarif.uri("my dir/a%b.py") == "my%20dir/a%25b.py"


def test_sarif_info_is_note() -> None:
    info = meta("ARC405", "info-rule", Severity.INFO, "Type hints on public APIs")
    data = sarif.as_data(report([finding(info, "p/a.py", 2)], rules=(info,)))
    assert data["runs"][0]["results"][0]["level"] == "note"


# --- GitHub --------------------------------------------------------------------------


def test_github_command_escapes_message_and_properties() -> None:
    odd = Finding(
        code="ARC101",
        name="import-cycle",
        message="100% bad\r\nnext: a, b",
        path="dir,x/a:b.py",
        line=3,
        column=5,
        end_line=3,
        end_column=9,
        severity=Severity.WARNING,
        checklist=(),
        fingerprint="f" * 16,
    )
    assert github.command(odd) == (
        "::warning file=dir%2Cx/a%3Ab.py,line=3,col=5,endLine=3,endColumn=9,title=ARC101 import-cycle"
        "::100%25 bad%0D%0Anext: a, b"
    )


@pytest.mark.parametrize(("severity", "word"), [(Severity.ERROR, "error"), (Severity.WARNING, "warning"), (Severity.INFO, "notice")])
def test_github_command_by_severity(severity: Severity, word: str) -> None:
    rule = meta("ARC999", "x-rule", severity, "God Object")
    assert github.command(finding(rule, "a.py", 1)).startswith(f"::{word} file=a.py,line=1,col=1,title=ARC999 x-rule::")


def test_github_step_summary_is_appended(tmp_path: Path) -> None:
    target = tmp_path / "summary.md"
    target.write_text("earlier step\n", encoding="utf-8")
    rep = report([finding(CYCLE, "p/a.py", 1)])
    assert github.append_step_summary(rep, {"GITHUB_STEP_SUMMARY": str(target)}) == target
    assert target.read_text(encoding="utf-8") == "earlier step\n" + checklist.render(rep)
    assert github.append_step_summary(rep, {}) is None


# --- GitLab --------------------------------------------------------------------------


def test_gitlab_issues_and_severities() -> None:
    info = meta("ARC405", "info-rule", Severity.INFO, "Type hints on public APIs")
    rep = report([finding(CYCLE, "p/a.py", 1), finding(GOD, "p/b.py", 3), finding(info, "p/b.py", 4)], rules=(CYCLE, GOD, info))
    issues = gitlab.as_data(rep)
    assert [i["severity"] for i in issues] == ["critical", "major", "info"]
    assert issues[1]["location"] == {"path": "p/b.py", "lines": {"begin": 3, "end": 3}}
    assert issues[1]["check_name"] == "ARC201" and "god-class" in issues[1]["description"]


def test_gitlab_fingerprints_are_unique() -> None:
    same = [finding(GOD, "p/b.py", 3), finding(GOD, "p/b.py", 3, message="other")]
    same[1] = Finding(**{**same[1].__dict__, "fingerprint": same[0].fingerprint})
    prints = [i["fingerprint"] for i in gitlab.as_data(report(same))]
    assert len(set(prints)) == 2


# --- JUnit ---------------------------------------------------------------------------


def test_junit_one_testcase_per_rule_one_failure_per_finding() -> None:
    rep = report([finding(GOD, "p/b.py", 3, message="a <b> & \"c\""), finding(GOD, "p/b.py", 9)])
    root = ET.fromstring(junit.render(rep).encode("utf-8"))
    suite = root.find("testsuite")
    assert suite is not None and suite.get("tests") == "2" and suite.get("failures") == "1"
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert set(cases) == {"ARC101 import-cycle", "ARC201 god-class"}
    assert cases["ARC101 import-cycle"].find("failure") is None
    failures = cases["ARC201 god-class"].findall("failure")
    assert [f.text for f in failures] == ["p/b.py:3:1: ARC201 a <b> & \"c\"", "p/b.py:9:1: ARC201 msg"]


def test_junit_drops_characters_xml_cannot_hold() -> None:
    rep = report([finding(GOD, "p/b.py", 3, message="bell\x07 here")])
    root = ET.fromstring(junit.render(rep).encode("utf-8"))
    assert [f.text for f in root.iter("failure")] == ["p/b.py:3:1: ARC201 bell here"]


# --- the checklist mapping -----------------------------------------------------------


def test_groups_cover_every_seed_line_once() -> None:
    listed = [item for group in groups() for item in group.items]
    assert len(listed) == len(set(listed))
    assert set(listed) == all_items()
    expected = len(RED_FLAGS) + len(PATTERNS) + sum(len(v) + 1 for v in PRINCIPLES.values()) + sum(len(v) for v in SYSTEM_DESIGN.values())
    assert len(listed) == expected


def test_every_item_is_decided_by_a_rule_or_has_a_reason() -> None:
    assert uncovered(rule_metas()) == []
    assert uncovered([]) == []
    assert set(HUMAN_REASONS) <= all_items(), set(HUMAN_REASONS) - all_items()


def test_evaluate_passed_failed_human() -> None:
    hits = [finding(CYCLE, "p/a.py", 1), finding(GOD, "p/b.py", 3)]
    assert evaluate("Circular Imports", [CYCLE], hits).status is ItemStatus.FAILED
    assert evaluate("God Object", [CYCLE, GOD], hits[:1]).status is ItemStatus.PASSED
    human = evaluate("Golden Hammer", [CYCLE, GOD], hits)
    assert human.status is ItemStatus.HUMAN and human.reason == HUMAN_REASONS["Golden Hammer"]
    # a rule family that did not run cannot decide its item
    assert evaluate("God Object", [CYCLE], hits).status is ItemStatus.HUMAN


def test_worst_findings_come_first() -> None:
    warn = finding(GOD, "a.py", 1)
    err = Finding(**{**finding(GOD, "z.py", 9).__dict__, "severity": Severity.ERROR})
    result = evaluate("God Object", [GOD], [warn, err])
    assert [f.path for f in result.findings] == ["z.py", "a.py"]


# --- the checklist report ------------------------------------------------------------


def test_checklist_report_marks_items_and_lists_worst_findings() -> None:
    hits = [finding(CYCLE, f"p/m{n}.py", n, cycle=EDGES) for n in range(1, 6)]
    text = checklist.render(report(hits))
    assert "| Circular Imports | ❌ failed (5) | 5 findings: `p/m1.py:1` ARC101, `p/m2.py:2` ARC101, `p/m3.py:3` ARC101 (+2 more) |" in text
    assert "| God Object | ✅ passed | no findings from ARC201 |" in text
    assert f"| Golden Hammer | 👀 needs human review | {HUMAN_REASONS['Golden Hammer']} |" in text
    for item in [*RED_FLAGS, *(i for v in SYSTEM_DESIGN.values() for i in v)]:
        assert f"| {item} | " in text


def test_checklist_metrics_and_na() -> None:
    rows = {m.name: m.value for m in checklist.key_metrics(report([], rules=(CYCLE,)))}
    assert rows["Modules"] == "3"
    assert rows["Import-time cycles"] == "1"
    assert rows["Largest component"] == "2 modules"
    assert rows["God classes"] == "n/a"
    assert rows["Annotation coverage"] == "n/a"
    assert rows["Packages with D > 0.5"] == "n/a"
    rows = {m.name: m.value for m in checklist.key_metrics(report([finding(GOD, "p/a.py", 1)], rules=(GOD,)))}
    assert rows["Import-time cycles"] == "n/a" and rows["God classes"] == "1"


def test_import_time_cycles_ignore_deferred_and_type_checking_imports() -> None:
    files = [
        FileFacts(path="a.py", module="a", is_package=False, imports=(imp("b", 1),)),
        FileFacts(path="b.py", module="b", is_package=False, imports=(imp("a", 1, ImportKind.DEFERRED),)),
        FileFacts(path="c.py", module="c", is_package=False, imports=(imp("d", 1, ImportKind.TYPE_CHECKING),)),
        FileFacts(path="d.py", module="d", is_package=False, imports=(imp("c", 1),)),
    ]
    assert checklist.import_time_cycles(Project(files)) == []


def test_mermaid_highlights_cycle_edges_between_packages() -> None:
    proj = project(
        {"app": [], "app.core": [], "app.core.m": ["app.api.s"], "app.api": [], "app.api.s": ["app.core.m"], "app.util": [], "app.api.r": ["app.util"]},
        {"app", "app.core", "app.api"},
    )
    graph = checklist.package_graph(proj)
    assert graph.nodes == ("app", "app.api", "app.core")
    assert graph.edges == (("app.api", "app"), ("app.api", "app.core"), ("app.core", "app.api"))
    assert graph.cycle_edges == {("app.api", "app.core"), ("app.core", "app.api")}
    text = checklist.mermaid(graph)
    assert text.splitlines()[0] == "flowchart LR"
    assert "  n1 ==>|cycle| n2" in text and "  n1 --> n0" in text
    assert "  linkStyle 1,2 stroke:#d73a49,stroke-width:3px" in text
    assert "  class n1,n2 cycle" in text
    assert graph.note == ""


def test_large_package_graphs_are_collapsed_with_a_note() -> None:
    modules: dict[str, list[str]] = {"top": []}
    packages = {"top"}
    for a in range(6):
        modules[f"top.p{a}"] = []
        packages.add(f"top.p{a}")
        for b in range(8):
            name = f"top.p{a}.q{b}"
            modules[name] = [f"top.p{(a + 1) % 6}.q{b}.m"]
            packages.add(name)
            modules[f"{name}.m"] = []
    graph = checklist.package_graph(project(modules, packages), max_nodes=10)
    assert len(graph.nodes) == 7  # top + p0..p5
    assert "collapsed to depth 2" in graph.note
    small = checklist.package_graph(project(modules, packages), max_nodes=4)
    assert len(small.nodes) == 1 and "depth 1" in small.note


def test_top_level_modules_beyond_the_limit_keep_the_most_connected() -> None:
    modules = {f"m{n:02d}": (["hub"] if n % 2 else []) for n in range(12)}
    modules["hub"] = []
    graph = checklist.package_graph(project(modules), max_nodes=5)
    assert len(graph.nodes) == 5 and "hub" in graph.nodes
    assert "showing the 5 most connected of 13 packages" in graph.note


def test_mapping_markdown_lists_rules_or_reasons() -> None:
    text = checklist.mapping_markdown([CYCLE])
    assert "| Circular Imports | [ARC101](rules.md#arc101-import-cycle) `import-cycle` | |" in text
    assert f"| Golden Hammer | | {HUMAN_REASONS['Golden Hammer']} |" in text
    assert "1 of 72 items are decided by at least one rule." in text


def test_every_renderer_is_deterministic() -> None:
    rep = report([finding(CYCLE, "p/a.py", 1, cycle=EDGES), finding(GOD, "p/b.py", 3)])
    for name, render in REPORTERS.items():
        assert render(rep) == render(rep), name
    json.loads(REPORTERS["sarif"](rep))
    json.loads(REPORTERS["gitlab"](rep))


def test_distance_from_the_main_sequence() -> None:
    coupling = meta("ARC301", "high-fan-out", Severity.WARNING, "Tight Coupling")
    proj = project({"a": [], "a.m": ["b.n"], "b": [], "b.n": [], "c": [], "c.o": []}, {"a", "b", "c"})
    # a: Ce=1, I=1, A=0 -> D=0; b: Ca=1, I=0, A=0 -> D=1; c: isolated, not measured
    assert checklist.far_from_main_sequence(proj) == (1, 2)
    rows = {m.name: m.value for m in checklist.key_metrics(report([], rules=(coupling,), proj=proj))}
    assert rows["Packages with D > 0.5"] == "1 of 2"


def test_checklist_report_of_an_empty_project() -> None:
    text = checklist.render(report([], proj=Project([])))
    assert "No first-party modules were analysed." in text and "```mermaid" not in text
    assert text.endswith("\n")


def test_step_summary_links_findings_to_the_commit(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    (workspace / "sub").mkdir(parents=True)
    env = {
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "octo/shop",
        "GITHUB_SHA": "abc123",
        "GITHUB_WORKSPACE": str(workspace),
    }
    assert github.blob_base(env, str(workspace)) == "https://github.com/octo/shop/blob/abc123/"
    assert github.blob_base(env, str(workspace / "sub")) == "https://github.com/octo/shop/blob/abc123/sub/"
    assert github.blob_base(env, str(tmp_path)) is None
    assert github.blob_base({**env, "GITHUB_SHA": ""}, str(workspace)) is None
    github.append_step_summary(report([finding(CYCLE, "p/my a.py", 7)]), env, str(workspace / "sub"))
    text = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "[`p/my a.py:7`](https://github.com/octo/shop/blob/abc123/sub/p/my%20a.py#L7) ARC101" in text
