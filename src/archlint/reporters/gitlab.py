"""GitLab Code Quality report: a JSON array of Code Climate issues.

GitLab shows them in the merge request widget and the diff. Fingerprints come from the
finding's own (line-independent) fingerprint and are unique within a report.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from archlint.domain.finding import Finding, Severity
from archlint.domain.report import Report

SEVERITIES: Mapping[Severity, str] = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "info"}


def issue(finding: Finding, fingerprint: str) -> dict[str, Any]:
    """One Code Quality issue."""
    return {
        "type": "issue",
        "check_name": finding.code,
        "description": f"{finding.code} {finding.name}: {finding.message}",
        "categories": ["Complexity"],
        "severity": SEVERITIES[finding.severity],
        "fingerprint": fingerprint,
        "location": {"path": finding.path, "lines": {"begin": finding.line, "end": finding.end_line or finding.line}},
    }


def as_data(report: Report) -> list[dict[str, Any]]:
    """The report as Code Quality issues; a repeated fingerprint gets a ``-N`` suffix."""
    seen: dict[str, int] = {}
    issues = []
    for finding in report.findings:
        count = seen.get(finding.fingerprint, 0) + 1
        seen[finding.fingerprint] = count
        fingerprint = finding.fingerprint if count == 1 else f"{finding.fingerprint}-{count}"
        issues.append(issue(finding, fingerprint))
    return issues


def render(report: Report) -> str:
    """Indented JSON array with a trailing newline."""
    return json.dumps(as_data(report), indent=2, ensure_ascii=False) + "\n"
