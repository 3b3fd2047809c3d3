"""SARIF 2.1.0, uploadable as-is to GitHub code scanning.

``tool.driver.rules`` comes from rule metadata (the rules that ran, plus any rule that has
a finding); results carry a physical location, a partial fingerprint that survives line
moves, and for import cycles one related location per import of the cycle.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from archlint._version import __version__
from archlint.domain.finding import Finding, Severity
from archlint.domain.report import Report
from archlint.domain.rule import RuleMeta

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/archlint/archlint"
RULES_DOC_URI = "https://github.com/archlint/archlint/blob/main/docs/rules.md"
FINGERPRINT_KEY = "archlint/v1"

LEVELS: Mapping[Severity, str] = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def uri(path: str) -> str:
    """A relative POSIX path as a relative URI reference (spaces and ``%`` escaped)."""
    return quote(path, safe="/-._~!$&'()*+,;=:@")


def _location(path: str, line: int, column: int, end_line: int | None = None, end_column: int | None = None) -> dict[str, Any]:
    region: dict[str, Any] = {"startLine": max(1, line), "startColumn": max(1, column)}
    if end_line is not None and end_line >= region["startLine"]:
        region["endLine"] = end_line
        if end_column is not None and (end_line > region["startLine"] or end_column >= region["startColumn"]):
            region["endColumn"] = max(1, end_column)
    return {"physicalLocation": {"artifactLocation": {"uri": uri(path), "uriBaseId": "%SRCROOT%"}, "region": region}}


def rule_descriptor(meta: RuleMeta) -> dict[str, Any]:
    """A SARIF ``reportingDescriptor`` from a rule's metadata."""
    help_text = f"{meta.why}\n\nHow to fix: {meta.fix}"
    help_markdown = (
        f"**Why is this bad?** {meta.why}\n\n**Example**\n\n```python\n{meta.example.rstrip()}\n```\n\n"
        f"**How to fix:** {meta.fix}\n\nChecklist items: " + ", ".join(meta.checklist)
    )
    return {
        "id": meta.code,
        "name": meta.name,
        "shortDescription": {"text": meta.summary},
        "fullDescription": {"text": meta.what},
        "help": {"text": help_text, "markdown": help_markdown},
        "helpUri": f"{RULES_DOC_URI}#{meta.code.lower()}-{meta.name}",
        "defaultConfiguration": {"level": LEVELS[meta.severity], "enabled": meta.default_enabled},
        "properties": {"tags": ["architecture", *meta.checklist]},
    }


def _fallback_meta(finding: Finding) -> RuleMeta:
    return RuleMeta(
        code=finding.code,
        name=finding.name,
        severity=finding.severity,
        checklist=finding.checklist,
        summary=finding.name.replace("-", " ").capitalize() + ".",
        what=finding.name.replace("-", " ").capitalize() + ".",
        why="See `archlint rule " + finding.code + "`.",
        example="",
        fix="See `archlint rule " + finding.code + "`.",
    )


def rule_metas_of(report: Report) -> list[RuleMeta]:
    """The rules that ran, plus a minimal descriptor for any other code with findings."""
    metas = {meta.code: meta for meta in report.rules}
    for finding in report.findings:
        metas.setdefault(finding.code, _fallback_meta(finding))
    return [metas[code] for code in sorted(metas)]


def related_locations(finding: Finding) -> list[dict[str, Any]]:
    """One related location per import of a cycle (``extra["cycle"]``), in cycle order."""
    edges = finding.extra.get("cycle") or ()
    out: list[dict[str, Any]] = []
    if not isinstance(edges, Sequence):
        return out
    for index, edge in enumerate(edges, start=1):
        if not isinstance(edge, Mapping) or not edge.get("path"):
            continue
        location = _location(str(edge["path"]), int(edge.get("line") or 1), int(edge.get("column") or 1))
        text = f"{edge.get('importer', '?')} imports {edge.get('imported', '?')}"
        if edge.get("text"):
            text += f": {edge['text']}"
        location["id"] = index
        location["message"] = {"text": text}
        out.append(location)
    return out


def result(finding: Finding, index: Mapping[str, int]) -> dict[str, Any]:
    """A SARIF ``result`` for one finding."""
    out: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index[finding.code],
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [_location(finding.path, finding.line, finding.column, finding.end_line, finding.end_column)],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
    }
    related = related_locations(finding)
    if related:
        out["relatedLocations"] = related
    return out


def as_data(report: Report) -> dict[str, Any]:
    """The SARIF log as plain data."""
    metas = rule_metas_of(report)
    index = {meta.code: number for number, meta in enumerate(metas)}
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "archlint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [rule_descriptor(meta) for meta in metas],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [result(finding, index) for finding in report.findings],
            }
        ],
    }


def render(report: Report) -> str:
    """Indented, key-order-stable SARIF JSON with a trailing newline."""
    return json.dumps(as_data(report), indent=2, ensure_ascii=False) + "\n"
