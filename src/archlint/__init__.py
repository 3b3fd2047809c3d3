"""archlint: deterministic static analysis for architectural red flags in Python code.

The typed public API::

    from archlint import lint
    report = lint(["src"])
    for finding in report.findings:
        print(finding.path, finding.line, finding.code, finding.message)
"""

from __future__ import annotations

from archlint._version import __version__

from archlint.api import explain, fix, lint  # noqa: E402
from archlint.domain.finding import Finding, Severity  # noqa: E402
from archlint.domain.report import Report  # noqa: E402
from archlint.domain.rule import Rule, RuleMeta  # noqa: E402
from archlint.exceptions import ArchlintError, ConfigError, UsageError  # noqa: E402

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
