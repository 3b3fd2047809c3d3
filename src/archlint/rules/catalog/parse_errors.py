"""Metadata and options of the rules in :mod:`archlint.rules.parse_errors` (UnparsableFile).

Light on purpose: the registry imports it on every run; the implementation is imported
only when a rule runs (``archlint.rules.LazyRule``)."""

from __future__ import annotations

from archlint.domain.finding import Severity
from archlint.domain.rule import NoOptions, RuleMeta

UNPARSABLE_FILE = RuleMeta(
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
