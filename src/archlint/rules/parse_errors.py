"""ARC001: files archlint could not read or parse."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.domain.finding import Finding, Severity
from archlint.domain.project import Project
from archlint.domain.rule import NoOptions, Rule, RuleMeta


class UnparsableFile(Rule):
    """A file that cannot be read or parsed is reported, never skipped in silence."""

    meta = RuleMeta(
        code="ARC001",
        reads=frozenset({"error"}),
        per_file=True,
        name="unparsable-file",
        severity=Severity.ERROR,
        checklist=("Error handling strategy defined",),
        summary="A Python file could not be read or parsed.",
        what=(
            "Reports a file that archlint could not read or parse with the running Python's "
            "`ast`: a syntax error, undecodable bytes, null bytes, nesting too deep for the "
            "parser, or syntax newer than the interpreter. The rest of the project is still "
            "analysed; the file's imports are missing from the graph."
        ),
        why=(
            "A file no tool can parse hides its imports and classes from every architecture "
            "check: a cycle or a layer violation through it goes unseen. It usually also means "
            "the file cannot be imported at all."
        ),
        example="def broken(:\n    pass",
        fix=(
            "Fix the syntax error, save the file as UTF-8 (or declare its encoding with a "
            "PEP 263 coding comment), or run archlint with a Python at least as new as the "
            "syntax the file uses."
        ),
        options=NoOptions,
    )

    def check(self, project: Project, options: NoOptions) -> Iterator[Finding]:
        """One finding per file whose facts carry a parse problem."""
        for facts in project.files:
            if facts.error is not None:
                yield self.finding(
                    path=facts.path,
                    line=facts.error.line,
                    column=facts.error.column,
                    message=f"cannot analyse file: {facts.error.message}",
                    identity=facts.error.message,
                )
