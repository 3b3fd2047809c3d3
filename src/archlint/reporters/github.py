"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` per finding.

GitHub shows them as annotations on the pull request's diff. With ``GITHUB_STEP_SUMMARY``
set, the CLI also appends the checklist report to the job summary (:func:`append_step_summary`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from archlint.domain.finding import Finding, Severity
from archlint.domain.report import Report
from archlint.reporters import checklist

COMMANDS: Mapping[Severity, str] = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    """Escape a command's message: ``%``, ``\\r`` and ``\\n``."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a command property value: the message escapes plus ``:`` and ``,``."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def command(finding: Finding) -> str:
    """``::error file=PATH,line=N,col=N,endLine=N,endColumn=N,title=CODE name::message``."""
    props = [("file", finding.path), ("line", str(finding.line)), ("col", str(finding.column))]
    if finding.end_line is not None:
        props.append(("endLine", str(finding.end_line)))
        if finding.end_column is not None:
            props.append(("endColumn", str(finding.end_column)))
    props.append(("title", f"{finding.code} {finding.name}"))
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    return f"::{COMMANDS[finding.severity]} {rendered}::{escape_data(finding.message)}"


def render(report: Report) -> str:
    """One workflow command per finding, in canonical order."""
    return "".join(command(finding) + "\n" for finding in report.findings)


def append_step_summary(report: Report, environ: Mapping[str, str]) -> Path | None:
    """Append the checklist report to ``$GITHUB_STEP_SUMMARY`` when it is set; return the
    path written, or ``None``."""
    target = environ.get("GITHUB_STEP_SUMMARY", "")
    if not target:
        return None
    path = Path(target)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(checklist.render(report))
    return path
