"""Every output format: golden files on one shared multi-file report, SARIF validated
against the official schema for every fixture case, and every format reporting the same
findings as JSON.

Regenerate the golden files with ``ARCHLINT_REGEN_GOLDEN=1 pytest tests/integration/test_formats.py``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
import pytest
from harness import FIXTURES, REPO, cases, run_case

from archlint.domain.finding import Finding, Severity, make_fingerprint
from archlint.domain.report import Report
from archlint.domain.rule import RuleMeta
from archlint.reporters import REPORTERS

GOLDEN = REPO / "tests" / "golden" / "formats"
SHARED = FIXTURES / "integrations" / "shared"
SCHEMA = REPO.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
REGEN = os.environ.get("ARCHLINT_REGEN_GOLDEN") == "1"
SUFFIX = {"text": "txt", "json": "json", "sarif": "sarif", "github": "txt", "gitlab": "json", "junit": "xml", "checklist": "md"}
FORMATS = sorted(SUFFIX)

Triple = tuple[str, int, str]


def _meta(code: str, name: str, severity: Severity, items: tuple[str, ...], summary: str) -> RuleMeta:
    return RuleMeta(
        code=code,
        name=name,
        severity=severity,
        checklist=items,
        summary=summary,
        what=f"What {name} reports.",
        why=f"Why {name} matters.",
        example="from app import thing",
        fix=f"How to fix {name}.",
    )


RULES = (
    _meta("ARC001", "unparsable-file", Severity.ERROR, ("Error handling strategy defined",), "A file could not be parsed."),
    _meta("ARC101", "import-cycle", Severity.ERROR, ("Circular Imports", "Big Ball of Mud"), "Modules import each other."),
    _meta("ARC201", "god-class", Severity.WARNING, ("God Object", "Single Responsibility Principle"), "A class does everything."),
    _meta("ARC301", "high-fan-out", Severity.WARNING, ("Tight Coupling",), "A module imports too much."),
    _meta("ARC401", "missing-annotation", Severity.INFO, ("Type hints on public APIs",), "A public function lacks hints."),
)
_BY_CODE = {meta.code: meta for meta in RULES}
CYCLE = [
    {"importer": "app.api.schemas", "imported": "app.core.models", "path": "app/api/schemas.py", "line": 3, "column": 1, "text": "from app.core.models import User"},
    {"importer": "app.core.models", "imported": "app.core.services", "path": "app/core/models.py", "line": 3, "column": 1, "text": "from app.core.services import registry"},
    {"importer": "app.core.services", "imported": "app.api.schemas", "path": "app/core/services.py", "line": 3, "column": 1, "text": "from app.api import schemas"},
]


def _finding(code: str, path: str, line: int, column: int, message: str, **extra: Any) -> Finding:
    meta = _BY_CODE[code]
    return Finding(
        code=code,
        name=meta.name,
        message=message,
        path=path,
        line=line,
        column=column,
        severity=meta.severity,
        checklist=meta.checklist,
        fingerprint=make_fingerprint(code, path, message),
        extra=extra,
    )


def shared_report() -> Report:
    """The shared multi-file report: the real project of ``fixtures/integrations/shared``
    with a fixed set of findings and rules (independent of the rules registered today),
    messages chosen to exercise every format's escaping."""
    real = run_case(SHARED, select=["ARC001"])
    findings = [
        _finding("ARC101", "app/api/schemas.py", 3, 1, "import cycle of 3 modules: app.api.schemas -> app.core.models -> app.core.services -> app.api.schemas", cycle=CYCLE),
        _finding("ARC201", "app/core/models.py", 6, 1, "class User: 100% of the state, 7 methods, <ATFD> & \"friends\""),
        _finding("ARC301", "app/core/services.py", 3, 1, "fan-out 2: app.api, app.util\nsecond line, with a comma"),
        _finding("ARC401", "app/util.py", 5, 5, "public function `slug`: parameter 'text' is annotated: a, b"),
    ]
    return dataclasses.replace(real, findings=tuple(sorted(findings, key=lambda f: f.sort_key)), rules=RULES, duration_s=0.0)


@pytest.mark.parametrize("fmt", FORMATS)
def test_golden(fmt: str) -> None:
    rendered = REPORTERS[fmt](shared_report())
    path = GOLDEN / f"{fmt}.{SUFFIX[fmt]}"
    if REGEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rendered.encode("utf-8"))
    assert path.is_file(), f"missing golden file {path.name}: run with ARCHLINT_REGEN_GOLDEN=1"
    assert rendered.encode("utf-8") == path.read_bytes(), f"{path.name} differs: run with ARCHLINT_REGEN_GOLDEN=1 and review the diff"


def test_every_format_has_a_golden_file() -> None:
    assert set(REPORTERS) == set(FORMATS)


# --- parsing each format back to (path, line, code) -------------------------------------------

_TEXT = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<code>ARC\d{3}) ")
_GITHUB = re.compile(r"^::(error|warning|notice) file=(?P<path>[^,]*),line=(?P<line>\d+),col=\d+(?:,endLine=\d+)?(?:,endColumn=\d+)?,title=(?P<code>ARC\d{3}) [^,:]*::")


def _unescape(value: str) -> str:
    return value.replace("%3A", ":").replace("%2C", ",").replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def parse(fmt: str, output: str) -> list[Triple]:
    """The findings a rendered report announces."""
    if fmt == "json":
        return [(f["path"], f["line"], f["code"]) for f in json.loads(output)["findings"]]
    if fmt == "text":
        return [(m["path"], int(m["line"]), m["code"]) for m in map(_TEXT.match, output.splitlines()) if m]
    if fmt == "github":
        lines = output.splitlines()
        matches = [_GITHUB.match(line) for line in lines]
        assert all(matches), [line for line, m in zip(lines, matches) if not m]
        return [(_unescape(m["path"]), int(m["line"]), m["code"]) for m in matches if m]
    if fmt == "sarif":
        results = json.loads(output)["runs"][0]["results"]
        out = []
        for r in results:
            physical = r["locations"][0]["physicalLocation"]
            out.append((unquote(physical["artifactLocation"]["uri"]), physical["region"]["startLine"], r["ruleId"]))
        return out
    if fmt == "gitlab":
        return [(i["location"]["path"], i["location"]["lines"]["begin"], i["check_name"]) for i in json.loads(output)]
    if fmt == "junit":
        root = ET.fromstring(output.encode("utf-8"))
        out = []
        for failure in root.iter("failure"):
            match = _TEXT.match(failure.text or "")
            assert match and match["code"] == failure.get("type")
            out.append((match["path"], int(match["line"]), match["code"]))
        return out
    raise AssertionError(fmt)


@lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _assert_same_findings(report: Report) -> None:
    expected = sorted(parse("json", REPORTERS["json"](report)))
    for fmt in ("text", "github", "sarif", "gitlab", "junit"):
        assert sorted(parse(fmt, REPORTERS[fmt](report))) == expected, fmt
    total = len(report.findings)
    text = REPORTERS["checklist"](report)
    assert f"{total} finding{'s' if total != 1 else ''} in {report.files} files" in text
    # every failed item counts exactly the findings that name it
    failed = {m["item"]: int(m["count"]) for m in re.finditer(r"^\| (?P<item>[^|]+) \| ❌ failed \((?P<count>\d+)\) \|", text, re.MULTILINE)}
    named: dict[str, int] = {}
    for finding in report.findings:
        for item in finding.checklist:
            named[item] = named.get(item, 0) + 1
    assert failed == {item: named[item] for item in failed}
    ran = {item for meta in report.rules for item in meta.checklist}
    assert set(failed) == {item for item in named if item in ran}


def _assert_valid_sarif(report: Report) -> None:
    data = json.loads(REPORTERS["sarif"](report))
    errors = sorted(_validator().iter_errors(data), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    rules = data["runs"][0]["tool"]["driver"]["rules"]
    for result in data["runs"][0]["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_shared_report_in_every_format() -> None:
    report = shared_report()
    _assert_valid_sarif(report)
    _assert_same_findings(report)
    assert len(report.findings) == 4


@pytest.mark.parametrize("case", cases(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_fixture_case_in_every_format(case: Path) -> None:
    report = run_case(case)
    _assert_valid_sarif(report)
    _assert_same_findings(report)


def test_cycle_findings_carry_related_locations_for_every_import() -> None:
    report = run_case(SHARED)
    cycles = [f for f in report.findings if isinstance(f.extra.get("cycle"), list) and f.extra["cycle"]]
    if not any(meta.code.startswith("ARC1") for meta in report.rules):
        pytest.fail("no cycle rule is registered: the shared fixture's cycle cannot be reported")
    assert cycles, "the shared fixture has an import cycle"
    data = json.loads(REPORTERS["sarif"](report))
    by_line = {(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["locations"][0]["physicalLocation"]["region"]["startLine"], r["ruleId"]): r for r in data["runs"][0]["results"]}
    for finding in cycles:
        result = by_line[(finding.path, finding.line, finding.code)]
        related = [(loc["physicalLocation"]["artifactLocation"]["uri"], loc["physicalLocation"]["region"]["startLine"]) for loc in result["relatedLocations"]]
        assert related == [(edge["path"], edge["line"]) for edge in finding.extra["cycle"]]


# --- the command line -----------------------------------------------------------------------


def _archlint(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "archlint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**{k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}, **(env or {})},
        check=False,
    )


def test_cli_writes_several_formats_and_the_job_summary(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("# earlier step\n", encoding="utf-8")
    result = _archlint(
        ["--no-cache", "--format", "github", "-o", f"sarif={tmp_path / 'out.sarif'}", "-o", f"junit={tmp_path / 'out.xml'}", "-o", f"checklist={tmp_path / 'report.md'}", "."],
        cwd=SHARED,
        env={"GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert result.returncode in (0, 1), result.stderr
    report = run_case(SHARED)
    expected = sorted(parse("json", REPORTERS["json"](report)))
    assert sorted(parse("github", result.stdout)) == expected
    assert sorted(parse("sarif", (tmp_path / "out.sarif").read_text(encoding="utf-8"))) == expected
    assert sorted(parse("junit", (tmp_path / "out.xml").read_text(encoding="utf-8"))) == expected
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("# earlier step\n# archlint checklist report\n")
    assert "```mermaid\nflowchart LR\n" in written
    assert (tmp_path / "report.md").read_text(encoding="utf-8") == written[len("# earlier step\n") :]


def test_cli_without_step_summary_writes_no_summary(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_STEP_SUMMARY"}
    result = subprocess.run(
        [sys.executable, "-m", "archlint", "--no-cache", "--format", "github", "."],
        cwd=SHARED,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    assert "# archlint checklist report" not in result.stdout + result.stderr


# --- the README's integrations section is real ----------------------------------------------


def _section(name: str) -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start, end = f"<!-- section:{name} -->", f"<!-- /section:{name} -->"
    assert start in text and end in text
    return text.split(start, 1)[1].split(end, 1)[0]


def test_readme_documents_every_format() -> None:
    section = _section("integrations")
    for fmt in REPORTERS:
        assert f"| `{fmt}` |" in section, fmt


def test_readme_commands_run(tmp_path: Path) -> None:
    """Every `archlint ...` command of the integrations section runs on a real project."""
    section = _section("integrations")
    found = {m.group(1) for m in re.finditer(r"(?:run: |- |\$ |^)(archlint [^\n`]*?)\s*(?:RET|$)", section, re.MULTILINE)}
    commands = sorted(c for c in found if not c.startswith("archlint graph"))  # svg: test_formats_svg.py
    assert len(commands) >= 3, commands
    project = tmp_path / "project"
    for rel in ("app/__init__.py", "app/util.py"):
        (project / "src" / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / "src" / rel).write_text((SHARED / rel).read_text(encoding="utf-8"), encoding="utf-8")
    for command in commands:
        args = command.split()[1:]
        result = _archlint(["--no-cache", *args] if args[:1] != ["check"] else args, cwd=project, env={"GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md")})
        assert result.returncode == 0, (command, result.stdout, result.stderr)


def test_report_carries_the_rules_that_ran() -> None:
    everything = run_case(SHARED)
    assert [m.code for m in everything.rules] == sorted(m.code for m in everything.rules)
    assert {m.code for m in everything.rules} >= {f.code for f in everything.findings}
    only = run_case(SHARED, select=["ARC1"])
    assert only.rules and all(m.code.startswith("ARC1") for m in only.rules)
    junit_cases = ET.fromstring(REPORTERS["junit"](only).encode("utf-8")).iter("testcase")
    assert [c.get("classname") for c in junit_cases] == [f"archlint.{m.code}" for m in only.rules]
