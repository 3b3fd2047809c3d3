"""ARC001: files archlint could not read or parse."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.domain.finding import Finding
from archlint.domain.project import Project
from archlint.domain.rule import NoOptions, Rule
from archlint.rules.catalog.parse_errors import UNPARSABLE_FILE


class UnparsableFile(Rule):
    """A file that cannot be read or parsed is reported, never skipped in silence."""

    meta = UNPARSABLE_FILE

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
