"""Names of expressions, shared by the collectors."""

from __future__ import annotations

import ast


def dotted_name(node: ast.expr) -> str:
    """``a.b.c`` for a name or attribute chain, ``""`` for anything else."""
    parts: list[str] = []
    current: ast.expr = node
    while type(current) is ast.Attribute:  # parsed nodes: the exact type
        parts.append(current.attr)  # type: ignore[attr-defined]
        current = current.value  # type: ignore[attr-defined]
    if type(current) is ast.Name:
        parts.append(current.id)  # type: ignore[attr-defined]
        return ".".join(reversed(parts))
    return ""


def callee_name(node: ast.expr, limit: int = 120) -> str:
    """A name for a decorator or base class: a call is reduced to its callee
    (``dataclass(frozen=True)`` -> ``dataclass``), a chain of names is dotted, anything
    else is its source text, cut to ``limit`` characters."""
    while isinstance(node, ast.Call):
        node = node.func
    name = dotted_name(node)
    if name:
        return name
    try:
        text = ast.unparse(node)
    except (ValueError, RecursionError):  # pragma: no cover - defensive
        return "<expr>"
    return text if len(text) <= limit else text[: limit - 3] + "..."
