"""The one exception hierarchy of archlint. Each maps to exit code 2 in the CLI."""

from __future__ import annotations


class ArchlintError(Exception):
    """Base class of every error archlint reports to the user in one line."""


class UsageError(ArchlintError):
    """Bad command-line usage: a missing path, an unknown rule code..."""


class ConfigError(ArchlintError):
    """Invalid configuration. Holds every problem found, each naming file and key."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))
