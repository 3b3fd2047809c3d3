"""Safe automatic fixes, written with libcst.

This package's ``__init__`` holds only plain data and never imports libcst: the
transformers (:mod:`archlint.fixes.return_none`) and the writer
(:mod:`archlint.fixes.apply`) are imported when ``--fix`` runs, so startup stays fast.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass

from archlint.domain.facts import FileFacts
from archlint.domain.report import Report

FIXABLE_CODE = "ARC402"


@dataclass(frozen=True, slots=True)
class FixTarget:
    """A ``def`` to receive ``-> None``: its qualname, which of the module's ``def``s with
    that qualname it is (1-based, in source order, as the facts collector counts them),
    and the line of its ``def`` keyword (for messages)."""

    line: int
    qualname: str
    occurrence: int = 1


@dataclass(frozen=True, slots=True)
class FileFixRequest:
    """The fixes wanted in one file, and the digest of the text they were computed from."""

    path: str
    abspath: str
    digest: str
    targets: tuple[FixTarget, ...]


@dataclass(frozen=True, slots=True)
class FileFixResult:
    """What happened to one file: its text before and after, or why it was skipped."""

    path: str
    before: str
    after: str
    applied: int
    skipped: str = ""

    @property
    def changed(self) -> bool:
        """Whether the fix changes the file."""
        return not self.skipped and self.before != self.after

    def diff(self) -> str:
        """The change as a unified diff (``a/PATH`` -> ``b/PATH``), ``""`` if none."""
        if not self.changed:
            return ""
        lines = difflib.unified_diff(
            self.before.splitlines(keepends=True),
            self.after.splitlines(keepends=True),
            fromfile=f"a/{self.path}",
            tofile=f"b/{self.path}",
        )
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


@dataclass(frozen=True, slots=True)
class FixReport:
    """The outcome of ``archlint --fix`` over all files, sorted by path."""

    files: tuple[FileFixResult, ...] = ()
    written: bool = False

    @property
    def applied(self) -> int:
        """Number of fixes applied (or, in preview, that would be)."""
        return sum(item.applied for item in self.files if item.changed)

    @property
    def changed_files(self) -> tuple[FileFixResult, ...]:
        """Files the fixes change."""
        return tuple(item for item in self.files if item.changed)

    @property
    def messages(self) -> tuple[str, ...]:
        """One line per skipped file: its path and why."""
        return tuple(f"{item.path}: not fixed: {item.skipped}" for item in self.files if item.skipped)

    def diff(self) -> str:
        """Every change as one unified diff, files in path order."""
        return "".join(item.diff() for item in self.files)


def fix_target(facts: FileFacts, qualname: str, line: int) -> FixTarget | None:
    """The target for the ``def`` of ``qualname`` on ``line`` in ``facts``, if it is there."""
    lines = [function.line for function in facts.api.functions if function.qualname == qualname]
    if line not in lines:
        return None
    return FixTarget(line=line, qualname=qualname, occurrence=lines.index(line) + 1)


def fix_requests(report: Report, cwd: str) -> list[FileFixRequest]:
    """The safe fixes of a report's findings, grouped by file: every reported ARC402
    finding marked ``fixable`` (so suppressed, ignored or unselected ones are left alone)."""
    files = {facts.path: facts for facts in report.project.files}
    targets: dict[str, list[FixTarget]] = {}
    for finding in report.findings:
        facts = files.get(finding.path)
        if finding.code != FIXABLE_CODE or not finding.extra.get("fixable") or facts is None:
            continue
        target = fix_target(facts, str(finding.extra.get("qualname", "")), finding.line)
        if target is not None:
            targets.setdefault(finding.path, []).append(target)
    digests = {path: facts.api.digest for path, facts in files.items()}
    return [
        FileFixRequest(
            path=path,
            abspath=os.path.join(cwd, path),
            digest=digests.get(path, ""),
            targets=tuple(sorted(set(items), key=lambda item: (item.line, item.qualname))),
        )
        for path, items in sorted(targets.items())
    ]


__all__ = ["FIXABLE_CODE", "FileFixRequest", "FileFixResult", "FixReport", "FixTarget", "fix_requests", "fix_target"]
