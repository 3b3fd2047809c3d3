"""``path:line:col: CODE message``: the line shape of flake8, ruff, vim's quickfix,
Emacs' compilation mode and the VS Code problem matcher documented in the README."""

from __future__ import annotations

from archlint.domain.finding import Finding, Severity
from archlint.domain.report import Report

_COLOURS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _paint(text: str, code: str, colour: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if colour else text


def line(finding: Finding, *, colour: bool = False) -> str:
    """One finding as ``path:line:col: CODE message``."""
    location = f"{finding.path}:{finding.line}:{finding.column}:"
    if colour:
        location = _paint(location, "1", True)
    code = _paint(finding.code, _COLOURS[finding.severity], colour)
    return f"{location} {code} {finding.message}"


def render(report: Report, *, colour: bool = False) -> str:
    """Every finding, one per line, in canonical order."""
    if colour:
        return "".join(line(finding, colour=True) + "\n" for finding in report.findings)
    return "".join([f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}\n" for f in report.findings])


def summary(report: Report) -> str:
    """The one-line summary written to stderr, after one ``archlint: note:`` line per
    note of the run (e.g. zero-config layering applied)."""
    notes = "".join(f"archlint: note: {note}\n" for note in report.notes)
    return notes + _counts_line(report) + baseline_lines(report)


def baseline_lines(report: Report) -> str:
    """What the baseline did, when one was used: accepted and worsened findings, and the
    entries no finding matches any more (``N baseline entries are fixed; ...``)."""
    outcome = report.baseline
    if outcome is None:
        return ""
    text = f"\narchlint: baseline: {outcome.matched} accepted, {outcome.worsened} worsened."
    if outcome.fixed:
        entries = "1 baseline entry is" if outcome.fixed == 1 else f"{outcome.fixed} baseline entries are"
        text += f"\narchlint: {entries} fixed; run --write-baseline to prune."
    return text


def _counts_line(report: Report) -> str:
    counts = report.by_severity()
    if not report.findings:
        return f"archlint: no findings in {report.files} files ({report.modules} modules)."
    parts = ", ".join(f"{counts[s]} {s.value}{'s' if counts[s] != 1 and s is not Severity.INFO else ''}" for s in Severity)
    total = len(report.findings)
    noun = "finding" if total == 1 else "findings"
    return f"archlint: {total} {noun} ({parts}) in {report.files} files ({report.modules} modules)."


def statistics(report: Report) -> str:
    """Per-code counts, most frequent first, like ``ruff --statistics``."""
    names = {f.code: f.name for f in report.findings}
    rows = sorted(report.by_code().items(), key=lambda item: (-item[1], item[0]))
    return "".join(f"{count:>5}  {code}  {names[code]}\n" for code, count in rows)
