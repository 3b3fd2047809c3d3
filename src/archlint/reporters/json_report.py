"""The JSON report: a versioned, documented contract (see the README)."""

from __future__ import annotations

from typing import Any

from archlint._version import __version__
from archlint.domain.architecture import architecture_metrics
from archlint.domain.public_api import coverage_summary
from archlint.domain.report import Report
from archlint.reporters import jsontext

JSON_VERSION = 1


def as_data(report: Report) -> dict[str, Any]:
    """The report as plain data, keys in documented order."""
    return {
        "version": JSON_VERSION,
        "tool": {"name": "archlint", "version": __version__},
        "findings": [finding.to_dict() for finding in report.findings],
        "summary": {
            "files": report.files,
            "modules": report.modules,
            "findings": len(report.findings),
            "by_code": report.by_code(),
            "duration_s": round(report.duration_s, 3),
            "annotation_coverage": report.derived(
                "annotation_coverage", frozenset({"api", "error"}), lambda: coverage_summary(report.project)
            ),
            "architecture": report.derived(
                "architecture", frozenset({"imports"}), lambda: architecture_metrics(report.project).to_dict()
            ),
            **({"notes": list(report.notes)} if report.notes else {}),
            **(
                {"baseline": {"matched": report.baseline.matched, "worsened": report.baseline.worsened, "fixed": report.baseline.fixed}}
                if report.baseline
                else {}
            ),
        },
    }


def render(report: Report) -> str:
    """Indented, key-order-stable JSON with a trailing newline (``json.dumps`` with
    ``indent=2``, ``ensure_ascii=False``: :mod:`archlint.reporters.jsontext`)."""
    return jsontext.dumps(as_data(report)) + "\n"
