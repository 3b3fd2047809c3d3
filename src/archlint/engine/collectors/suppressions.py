"""Inline suppression comments, found by a regular expression on comment text.

A ``#`` inside a string literal that happens to spell a suppression is taken as one;
the parse tree has no comments, and a full tokenize pass would double the cost of a
file for a case that does not occur in practice."""

from __future__ import annotations

import ast
import re
from typing import Any

from archlint.domain.facts import Suppression
from archlint.engine.collectors.context import SourceContext

_ARCHLINT = re.compile(
    r"#\s*archlint:\s*ignore(?P<file>-file)?\s*(?:\[(?P<codes>[^\]]*)\])?\s*(?:(?:--|:|#)\s*(?P<reason>.*\S))?",
    re.IGNORECASE,
)
_NOQA = re.compile(r"#\s*noqa:\s*(?P<codes>[A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)", re.IGNORECASE)


def _codes(raw: str | None) -> tuple[str, ...]:
    if not raw:
        return ()
    return tuple(sorted({code.strip().upper() for code in raw.split(",") if code.strip()}))


def parse_line(text: str, number: int) -> list[Suppression]:
    """The suppressions written on one source line."""
    found: list[Suppression] = []
    if "#" not in text:
        return found
    for match in _ARCHLINT.finditer(text):
        found.append(
            Suppression(
                line=number,
                column=match.start() + 1,
                codes=_codes(match.group("codes")),
                file_level=bool(match.group("file")),
                reason=(match.group("reason") or "").strip(),
            )
        )
    for match in _NOQA.finditer(text):
        codes = tuple(code for code in _codes(match.group("codes")) if code.startswith("ARC"))
        if codes:
            found.append(Suppression(line=number, column=match.start() + 1, codes=codes, style="noqa"))
    return found


def collect(tree: ast.Module, source: SourceContext) -> dict[str, Any]:
    """The ``suppressions`` facts of one module."""
    del tree
    if "archlint" not in source.text and "noqa" not in source.text.lower():
        return {}
    found: list[Suppression] = []
    for number, text in enumerate(source.lines, start=1):
        if "#" in text:
            found.extend(parse_line(text, number))
    return {"suppressions": tuple(found)} if found else {}
