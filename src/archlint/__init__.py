"""archlint: deterministic static analysis for architectural red flags in Python code.

The typed public API::

    from archlint import lint
    report = lint(["src"])
    for finding in report.findings:
        print(finding.path, finding.line, finding.code, finding.message)
"""

from __future__ import annotations

from archlint._version import __version__
from archlint.api import explain, fix, lint
from archlint.domain.finding import Finding, Severity
from archlint.domain.report import Report
from archlint.domain.rule import Rule, RuleMeta
from archlint.exceptions import ArchlintError, ConfigError, UsageError

__all__ = [
    "ArchlintError",
    "ConfigError",
    "Finding",
    "Report",
    "Rule",
    "RuleMeta",
    "Severity",
    "UsageError",
    "__version__",
    "explain",
    "fix",
    "lint",
]
