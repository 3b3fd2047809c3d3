"""Which findings inline suppressions silence, and which suppressions silenced nothing.

A finding is silenced by a suppression that covers its code and sits on the finding's
line (any line up to ``end_line`` for a multi-line finding), by a file-level suppression
of its file, or, for graph findings, by a suppression on one of the related import lines
the finding lists in ``extra`` (see :mod:`archlint.domain.locations`).

The findings about suppressions themselves (``META_CODES``: ARC002 unused-suppression,
ARC003 suppression-without-reason) are silenced only by a suppression that names their
code (or a prefix of it) and is not the suppression they are about, so a bare
``# archlint: ignore`` cannot hide the finding that it is bare or unused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from archlint.domain.facts import FileFacts, Suppression
from archlint.domain.finding import Finding
from archlint.domain.locations import related_locations
from archlint.domain.selection import matches

META_CODES = frozenset({"ARC002", "ARC003"})
ALL_CODES = "*"
"""The pattern recorded as used when a bare suppression silences something."""

SuppressionKey = tuple[str, int, int]
"""``(path, line, column)``: one suppression comment of the project."""


def covers(suppression: Suppression, code: str) -> bool:
    """Whether ``suppression`` names ``code`` (no codes: every code)."""
    return not suppression.codes or matches(code, suppression.codes)


def patterns_used(suppression: Suppression, code: str) -> frozenset[str]:
    """The patterns of ``suppression`` that silence ``code`` (``*`` for a bare one)."""
    if not suppression.codes:
        return frozenset({ALL_CODES})
    return frozenset(p for p in suppression.codes if matches(code, (p,)))


def key_of(path: str, suppression: Suppression) -> SuppressionKey:
    """The project-wide key of a suppression comment."""
    return (path, suppression.line, suppression.column)


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


def statement_end(facts: FileFacts | None, line: int) -> int:
    """The last line of the import statement starting on ``line`` (``line`` itself when
    none does): a suppression on any line of a parenthesised import counts."""
    if facts is None:
        return line
    return max([line, *(fact.end_line for fact in facts.imports if fact.line == line)])


def silencers(finding: Finding, files_by_path: Mapping[str, FileFacts]) -> list[tuple[str, Suppression]]:
    """Every ``(path, suppression)`` that silences ``finding``: on its lines (every line of
    the import statement it sits on), file-level in its file, or on one of its related
    import lines."""
    return _silencers(finding, files_by_path, related_locations(finding))


def _silencers(
    finding: Finding, files_by_path: Mapping[str, FileFacts], related: Iterable[tuple[str, int]]
) -> list[tuple[str, Suppression]]:
    own = files_by_path.get(finding.path)
    last = max(finding.end_line or finding.line, statement_end(own, finding.line))
    found = [(finding.path, s) for s in suppressing(own, finding.code, finding.line, last)]
    for path, line in related:
        facts = files_by_path.get(path)
        if facts is None:
            continue
        end = statement_end(facts, line)
        for s in facts.suppressions:
            if line <= s.line <= end and not s.file_level and covers(s, finding.code) and (path, s) not in found:
                found.append((path, s))
    if finding.code in META_CODES:
        subject = finding.extra.get("suppression")
        about = (subject.get("path"), subject.get("line"), subject.get("column")) if isinstance(subject, Mapping) else None
        found = [(p, s) for p, s in found if s.codes and key_of(p, s) != about]
    return found


@dataclass
class SuppressionUsage:
    """Which patterns of which suppressions silenced something during one run."""

    used: dict[SuppressionKey, set[str]] = field(default_factory=dict)

    def mark(self, path: str, suppression: Suppression, code: str) -> None:
        """Record that ``suppression`` in ``path`` silenced a finding of ``code``."""
        self.used.setdefault(key_of(path, suppression), set()).update(patterns_used(suppression, code))

    def mark_lines(self, code: str, lines: Iterable[tuple[str, int]], files_by_path: Mapping[str, FileFacts]) -> None:
        """Record the suppressions covering ``code`` at ``(path, line)`` (on the line or
        file-level) as used: the accepted cycle edges."""
        for path, line in lines:
            for s in suppressing(files_by_path.get(path), code, line):
                self.mark(path, s, code)

    def patterns(self, path: str, suppression: Suppression) -> set[str]:
        """The patterns of the suppression that silenced something (empty when none)."""
        return self.used.get(key_of(path, suppression), set())


def split_suppressed(
    findings: Iterable[Finding], files_by_path: Mapping[str, FileFacts], usage: SuppressionUsage | None = None
) -> tuple[list[Finding], list[tuple[Finding, list[Suppression]]]]:
    """(kept findings, suppressed findings with the suppressions that silenced each).

    When ``usage`` is given, every silencing suppression is recorded in it."""
    kept: list[Finding] = []
    silenced: list[tuple[Finding, list[Suppression]]] = []
    # Only a file holding suppressions can silence anything (``silencers`` answers the same
    # without the others), so a finding whose own file and related import lines are all
    # elsewhere is kept without looking at its lines.
    holding = {path: facts for path, facts in files_by_path.items() if facts.suppressions}
    for finding in findings:
        if not holding:
            kept.append(finding)
            continue
        related = related_locations(finding)
        if finding.path not in holding and not any(path in holding for path, _ in related):
            kept.append(finding)
            continue
        hits = _silencers(finding, holding, related)
        if hits:
            silenced.append((finding, [s for _, s in hits]))
            if usage is not None:
                for path, s in hits:
                    usage.mark(path, s, finding.code)
        else:
            kept.append(finding)
    return kept, silenced


@dataclass(frozen=True, slots=True)
class UnusedSuppression:
    """A suppression (or some of its codes) that silenced nothing."""

    path: str
    suppression: Suppression
    unused: tuple[str, ...]
    """The codes that silenced nothing (empty for a bare suppression)."""
    unknown: tuple[str, ...] = ()
    """The codes that name no rule at all."""
    partial: bool = False
    """Whether other codes of the same suppression did silence something."""

    def message(self) -> str:
        """One readable line for ARC002."""
        s = self.suppression
        what = "file-level suppression" if s.file_level else "suppression"
        if not s.codes:
            scope = "in this file" if s.file_level else "on this line"
            return f"unused {what}: it silences nothing {scope}; remove it"
        parts: list[str] = []
        if self.unknown:
            parts.append(f"{', '.join(self.unknown)} {'is' if len(self.unknown) == 1 else 'are'} not a rule code")
        if self.unused:
            where = "in this file" if s.file_level else "here"
            parts.append(f"nothing {where} to silence for {', '.join(self.unused)}")
        verb = "remove the unused codes" if self.partial else "remove it"
        return f"unused {what}: {'; '.join(parts)}; {verb}"


def unused_suppressions(
    files: Sequence[FileFacts],
    usage: SuppressionUsage,
    *,
    known_codes: Iterable[str],
    enabled_codes: Iterable[str],
    everything_enabled: bool,
) -> list[UnusedSuppression]:
    """The suppressions that silenced nothing, judged only where the run can tell.

    A bare suppression is judged only when every default rule ran
    (``everything_enabled``). A code or prefix is judged when every rule it names ran and
    none of them is a ``META_CODES`` rule (whose findings are computed after this
    judgement); a code that names no rule at all is always reported."""
    known = sorted(set(known_codes))
    enabled = set(enabled_codes)
    result: list[UnusedSuppression] = []
    for facts in files:
        for s in facts.suppressions:
            used = usage.patterns(facts.path, s)
            if not s.codes:
                if everything_enabled and not used:
                    result.append(UnusedSuppression(path=facts.path, suppression=s, unused=()))
                continue
            unused: list[str] = []
            unknown: list[str] = []
            for pattern in s.codes:
                named = [code for code in known if matches(code, (pattern,))]
                if not named:
                    unknown.append(pattern)
                elif pattern not in used and all(code in enabled for code in named) and not META_CODES & set(named):
                    unused.append(pattern)
            if unused or unknown:
                partial = bool(used) or len(unused) + len(unknown) < len(s.codes)
                result.append(
                    UnusedSuppression(
                        path=facts.path, suppression=s, unused=tuple(unused), unknown=tuple(unknown), partial=partial
                    )
                )
    return result
