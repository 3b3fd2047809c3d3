"""archlint: deterministic static analysis for architectural red flags in Python code.

The typed public API::

    from archlint import lint
    report = lint(["src"])
    for finding in report.findings:
        print(finding.path, finding.line, finding.code, finding.message)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from archlint._lazy import lazy_attributes
from archlint._version import __version__
from archlint.exceptions import ArchlintError, ConfigError, UsageError

if TYPE_CHECKING:
    from archlint.api import explain, fix, lint
    from archlint.domain.finding import Finding, Severity
    from archlint.domain.report import Report
    from archlint.domain.rule import Rule, RuleMeta

_LAZY = {
    "explain": "archlint.api",
    "fix": "archlint.api",
    "lint": "archlint.api",
    "Finding": "archlint.domain.finding",
    "Severity": "archlint.domain.finding",
    "Report": "archlint.domain.report",
    "Rule": "archlint.domain.rule",
    "RuleMeta": "archlint.domain.rule",
}
"""Public names imported on first use: every command line imports this package first,
and ``archlint --version``, ``--help`` or ``archlint rules`` never need the domain."""


__getattr__ = lazy_attributes(globals(), _LAZY, __name__)


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})

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
