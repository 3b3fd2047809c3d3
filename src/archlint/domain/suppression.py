"""Which findings inline suppressions silence."""

from __future__ import annotations

from collections.abc import Iterable

from archlint.domain.facts import FileFacts, Suppression
from archlint.domain.finding import Finding
from archlint.domain.selection import matches


def covers(suppression: Suppression, code: str) -> bool:
    """Whether ``suppression`` names ``code`` (no codes: every code)."""
    return not suppression.codes or matches(code, suppression.codes)


def suppressing(facts: FileFacts | None, code: str, line: int, end_line: int | None = None) -> list[Suppression]:
    """The suppressions of ``facts`` that silence ``code`` reported on ``line``
    (or on any line up to ``end_line`` for a finding spanning several lines)."""
    if facts is None or not facts.suppressions:
        return []
    last = max(line, end_line or line)
    return [
        s
        for s in facts.suppressions
        if covers(s, code) and (s.file_level or line <= s.line <= last)
    ]


def split_suppressed(
    findings: Iterable[Finding], files_by_path: dict[str, FileFacts]
) -> tuple[list[Finding], list[tuple[Finding, list[Suppression]]]]:
    """(kept findings, suppressed findings with the suppressions that silenced each)."""
    kept: list[Finding] = []
    silenced: list[tuple[Finding, list[Suppression]]] = []
    for finding in findings:
        hits = suppressing(files_by_path.get(finding.path), finding.code, finding.line, finding.end_line)
        if hits:
            silenced.append((finding, hits))
        else:
            kept.append(finding)
    return kept, silenced
