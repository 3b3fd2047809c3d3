"""Findings: the one thing every rule produces and every reporter consumes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from archlint._hashing import sha256


class Severity(str, Enum):
    """How bad a finding is. ``info`` never fails a run."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is worse: error 2, warning 1, info 0."""
        return {"error": 2, "warning": 1, "info": 0}[self.value]


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One reported red flag, located on a real line of a real file.

    ``path`` is relative to the working directory with ``/`` separators; ``line`` and
    ``column`` are 1-based. ``fingerprint`` is built from the rule, the path and the
    finding's own content, never from line numbers, so it survives unrelated edits.
    """

    code: str
    name: str
    message: str
    path: str
    line: int
    column: int
    severity: Severity
    checklist: tuple[str, ...]
    fingerprint: str
    end_line: int | None = None
    end_column: int | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        """The canonical order of findings: path, line, column, code, message."""
        return (self.path, self.line, self.column, self.code, self.message)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of a finding: exactly the documented keys."""
        return {
            "code": self.code,
            "name": self.name,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "severity": self.severity.value,
            "checklist": list(self.checklist),
            "fingerprint": self.fingerprint,
            "extra": dict(self.extra),
        }


def make_fingerprint(code: str, path: str, identity: str) -> str:
    """A stable 16-hex-digit fingerprint from the rule code, the path and the content."""
    digest = sha256(f"{code}\x00{path}\x00{identity}".encode())
    return digest.hexdigest()[:16]


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Sort findings canonically and drop exact duplicates."""
    unique: dict[tuple[str, int, int, str, str], Finding] = {}
    for item in findings:
        unique.setdefault(item.sort_key, item)
    return [unique[key] for key in sorted(unique)]
