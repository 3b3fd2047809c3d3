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


def blob_base(environ: Mapping[str, str], cwd: str) -> str | None:
    """``$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/$GITHUB_SHA/`` plus the working
    directory's place in ``$GITHUB_WORKSPACE``: where a finding's relative path is on
    GitHub. ``None`` unless all four variables are set and ``cwd`` is inside the workspace."""
    server, repo, sha, workspace = (environ.get(k, "") for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA", "GITHUB_WORKSPACE"))
    if not (server and repo and sha and workspace):
        return None
    try:
        inside = Path(cwd).resolve().relative_to(Path(workspace).resolve()).as_posix()
    except ValueError:
        return None
    prefix = "" if inside == "." else inside + "/"
    return f"{server.rstrip('/')}/{repo}/blob/{sha}/{prefix}"


def append_step_summary(report: Report, environ: Mapping[str, str], cwd: str = ".") -> Path | None:
    """Append the checklist report to ``$GITHUB_STEP_SUMMARY`` when it is set, with
    ``path:line`` linked to the commit on GitHub when the workflow variables allow it;
    return the path written, or ``None``."""
    target = environ.get("GITHUB_STEP_SUMMARY", "")
    if not target:
        return None
    path = Path(target)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(checklist.render(report, link_base=blob_base(environ, cwd)))
    return path
