"""Inline suppression comments, found by a regular expression on comment text.

Forms (case-insensitive): ``# archlint: ignore[CODES]``, bare ``# archlint: ignore``
(every code), ``# archlint: ignore-file[CODES]`` (the whole file) and ``# noqa: ARC...``
(only ``ARC`` codes are kept; a bare ``# noqa`` belongs to other tools). A reason follows
``--`` (or ``:``): ``# archlint: ignore[ARC101] -- plugin registry needs it``. Empty
brackets (``ignore[]``) name nothing and silence nothing.

A match inside a string literal is not a comment: when a line holds a candidate, the
parse tree's string constants are consulted (only then) to drop it."""

from __future__ import annotations

import ast
import re
from typing import Any

from archlint.domain.facts import Suppression
from archlint.engine.collectors.context import SourceContext

_ARCHLINT = re.compile(
    r"#\s*archlint:\s*ignore(?P<file>-file)?(?![\w-])\s*(?:\[(?P<codes>[^\]]*)\])?"
    r"(?:\s*(?:--|:)\s*(?P<reason>[^#]*[^#\s]))?",
    re.IGNORECASE,
)
_NOQA = re.compile(
    r"#\s*noqa:\s*(?P<codes>[A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*)(?:\s*--\s*(?P<reason>[^#]*[^#\s]))?",
    re.IGNORECASE,
)


_ANY_FORM = re.compile(r"#\s*(?:archlint|noqa)", re.IGNORECASE)
"""What every suppression holds (:data:`_ARCHLINT`, :data:`_NOQA`): a file without it has none."""


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
        raw = match.group("codes")
        codes = _codes(raw)
        if raw is not None and not codes:
            continue  # ``ignore[]`` names nothing
        found.append(
            Suppression(
                line=number,
                column=match.start() + 1,
                codes=codes,
                file_level=bool(match.group("file")),
                reason=(match.group("reason") or "").strip(),
            )
        )
    for match in _NOQA.finditer(text):
        codes = tuple(code for code in _codes(match.group("codes")) if code.startswith("ARC"))
        if codes:
            found.append(
                Suppression(
                    line=number,
                    column=match.start() + 1,
                    codes=codes,
                    reason=(match.group("reason") or "").strip(),
                    style="noqa",
                )
            )
    return found


def _string_spans(tree: ast.Module) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """(start, end) positions (1-based line, 0-based column) of every string literal."""
    spans: list[tuple[tuple[int, int], tuple[int, int]]] = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Constant, ast.JoinedStr)) and (
            isinstance(node, ast.JoinedStr) or isinstance(node.value, (str, bytes))
        ):
            end_line = node.end_lineno if node.end_lineno is not None else node.lineno
            end_col = node.end_col_offset if node.end_col_offset is not None else node.col_offset
            spans.append(((node.lineno, node.col_offset), (end_line, end_col)))
    return spans


def _in_string(item: Suppression, lines: list[str], spans: list[tuple[tuple[int, int], tuple[int, int]]]) -> bool:
    text = lines[item.line - 1] if item.line - 1 < len(lines) else ""
    # ast columns are UTF-8 byte offsets; the match column counts characters.
    offset = len(text[: item.column - 1].encode("utf-8"))
    position = (item.line, offset)
    return any(start <= position < end for start, end in spans)


def collect(tree: ast.Module, source: SourceContext) -> dict[str, Any]:
    """The ``suppressions`` facts of one module."""
    text = source.text
    # Every form starts with "#", spaces and "archlint" or "noqa": one search for that
    # (in C; most files have none). The files read are those whose lower-cased text holds
    # one of the words: the match shows it but for letters that only match ignoring case
    # (a dotted capital I), then the text is lower-cased to tell.
    first = _ANY_FORM.search(text)
    if first is None:
        return {}
    word = first.group().lower()
    if "archlint" not in word and "noqa" not in word:
        lowered = text.lower()
        if "archlint" not in lowered and "noqa" not in lowered:
            return {}
    found: list[Suppression] = []
    for number, text in enumerate(source.lines, start=1):
        if "#" in text:
            low = text.lower()
            # Only a line holding "archl" or "noqa" in any case can match (no other
            # character folds to one of these letters under IGNORECASE).
            if "noqa" in low or "archl" in low:
                found.extend(parse_line(text, number))
    if found:
        spans = _string_spans(tree)
        if spans:
            found = [item for item in found if not _in_string(item, source.lines, spans)]
    return {"suppressions": tuple(found)} if found else {}
