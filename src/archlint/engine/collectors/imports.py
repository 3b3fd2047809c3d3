"""Imports and when they run: module-level, under ``TYPE_CHECKING``, or deferred."""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from typing import Any

from archlint.domain.facts import ImportFact, ImportKind
from archlint._construct import constructor
from archlint.engine.collectors.context import Scope, ScopeIndex, SourceContext, scope_index

_TEXT_LIMIT = 120
_import_fact = constructor(ImportFact)
"""``ImportFact(...)``, cheaper (``archlint/_construct.py``)."""
_SPACES = re.compile(r"\s+")


def resolve_relative(module: str, is_package: bool, level: int, name: str | None) -> str:
    """Absolute module for ``from <level dots><name> import ...`` inside ``module``.

    Returns ``""`` when the import climbs above the top-level package."""
    if level == 0:
        return name or ""
    return _resolve_relative(module, is_package, level, name)


@lru_cache(maxsize=4096)
def _resolve_relative(module: str, is_package: bool, level: int, name: str | None) -> str:
    """:func:`resolve_relative` of a relative import, remembered: five collectors resolve
    each ``from`` import of a file, and the same string then serves them all (pickled once)."""
    parts = module.split(".") if module else []
    if not is_package:
        parts = parts[:-1]
    if level - 1 >= len(parts):
        return ""
    base = parts[: len(parts) - (level - 1)]
    if name:
        base.append(name)
    return ".".join(base)


class _Collector:
    """Walks statements once, tracking when each import would run."""

    def __init__(self, module: str, is_package: bool, lines: list[str], index: ScopeIndex) -> None:
        self.module = module
        self.is_package = is_package
        self.lines = lines
        self.imports: list[ImportFact] = []
        self.type_checking_names = {"TYPE_CHECKING"}
        self.index = index
        self.importing = _importing(index)
        """The functions and classes with an import in their body or a nested one: the
        others are not walked."""

    def is_type_checking(self, test: ast.expr) -> bool:
        if isinstance(test, ast.Name):
            return test.id in self.type_checking_names
        if isinstance(test, ast.Attribute):
            return test.attr == "TYPE_CHECKING"
        if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
            return any(self.is_type_checking(value) for value in test.values)
        return False

    def add_import(self, node: ast.Import | ast.ImportFrom, kind: ImportKind, in_try: bool) -> None:
        line = node.lineno
        column = node.col_offset + 1
        end_line = node.end_lineno or line
        end_column = (node.end_col_offset or node.col_offset) + 1
        text = _statement_text(self.index, self.lines, node)
        if type(node) is ast.Import:
            for alias in node.names:
                self.imports.append(
                    _import_fact(
                        module=alias.name,
                        names=(),
                        line=line,
                        column=column,
                        end_line=end_line,
                        end_column=end_column,
                        kind=kind,
                        in_try=in_try,
                        text=text,
                    )
                )
            return
        assert isinstance(node, ast.ImportFrom)
        level = node.level or 0
        target = resolve_relative(self.module, self.is_package, level, node.module) if level else node.module or ""
        names = tuple([alias.name for alias in node.names])
        if node.module in ("typing", "typing_extensions"):
            for alias in node.names:
                if alias.name == "TYPE_CHECKING" and alias.asname:
                    self.type_checking_names.add(alias.asname)
        self.imports.append(
            _import_fact(
                module=target,
                names=names,
                line=line,
                column=column,
                end_line=end_line,
                end_column=end_column,
                kind=kind,
                level=level,
                in_try=in_try,
                text=text,
            )
        )

    def walk(self, body: list[ast.stmt], kind: ImportKind, in_try: bool = False) -> None:
        for node in body:
            statement = type(node)
            if statement not in _MAY_IMPORT:  # most statements: one look-up, not a dozen tests
                continue
            if statement is ast.Import or statement is ast.ImportFrom:
                self.add_import(node, kind, in_try)  # type: ignore[arg-type]
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                if node in self.importing:
                    inner = ImportKind.TYPE_CHECKING if kind is ImportKind.TYPE_CHECKING else ImportKind.DEFERRED
                    self.walk(node.body, inner)
            elif isinstance(node, ast.If):
                if self.is_type_checking(node.test):
                    self.walk(node.body, ImportKind.TYPE_CHECKING, in_try)
                    self.walk(node.orelse, kind, in_try)
                elif (
                    isinstance(node.test, ast.UnaryOp)
                    and isinstance(node.test.op, ast.Not)
                    and self.is_type_checking(node.test.operand)
                ):
                    self.walk(node.body, kind, in_try)
                    self.walk(node.orelse, ImportKind.TYPE_CHECKING, in_try)
                else:
                    self.walk(node.body, kind, in_try)
                    self.walk(node.orelse, kind, in_try)
            elif statement in _TRY_TYPES:
                self.walk(node.body, kind, True)  # type: ignore[attr-defined]
                for handler in node.handlers:  # type: ignore[attr-defined]
                    self.walk(handler.body, kind, True)
                self.walk(node.orelse, kind, in_try)  # type: ignore[attr-defined]
                self.walk(node.finalbody, kind, in_try)  # type: ignore[attr-defined]
            elif isinstance(node, ast.ClassDef):
                if node in self.importing:
                    self.walk(node.body, kind, in_try)
            elif isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
                self.walk(node.body, kind, in_try)
                self.walk(node.orelse, kind, in_try)
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                self.walk(node.body, kind, in_try)
            elif isinstance(node, ast.Match):
                for case in node.cases:
                    self.walk(case.body, kind, in_try)


def _statement_text(index: ScopeIndex, lines: list[str], node: ast.stmt) -> str:
    """The import statement as written, on one line (spaces collapsed, cut at 120 characters)."""
    one_line = index.shared.line_text(node, lines)
    if one_line is not None:
        return one_line
    text = " ".join(lines[node.lineno - 1 : node.end_lineno or node.lineno]).strip()
    text = _SPACES.sub(" ", text.replace("( ", "(").replace(" )", ")")).strip()
    return text if len(text) <= _TEXT_LIMIT else text[: _TEXT_LIMIT - 3] + "..."


_TRY_TYPES = frozenset({ast.Try, getattr(ast, "TryStar", ast.Try)})
_MAY_IMPORT = frozenset(
    {
        ast.Import,
        ast.ImportFrom,
        ast.FunctionDef,
        ast.AsyncFunctionDef,
        ast.ClassDef,
        ast.If,
        ast.Try,
        getattr(ast, "TryStar", ast.Try),
        ast.For,
        ast.AsyncFor,
        ast.While,
        ast.With,
        ast.AsyncWith,
        ast.Match,
    }
)
"""The statements :meth:`_Collector.walk` looks at: imports and those holding statements."""


def _importing(index: ScopeIndex) -> set[ast.AST]:
    """The scope nodes with an import statement in their body or in a nested scope's."""
    found: set[ast.AST] = set()
    for scope in index.scopes_with(ast.Import, ast.ImportFrom):
        inner: Scope | None = scope
        while inner is not None and inner.node not in found:
            found.add(inner.node)
            inner = inner.parent
    return found


def collect(tree: ast.Module, source: SourceContext) -> dict[str, Any]:
    """The ``imports`` facts of one module. A type stub (``.pyi``) never runs, so every
    import in it is a type-checking import, like one under ``if TYPE_CHECKING:``."""
    collector = _Collector(source.module, source.is_package, source.lines, scope_index(tree, source))
    stub = source.path.endswith(".pyi")
    collector.walk(tree.body, ImportKind.TYPE_CHECKING if stub else ImportKind.MODULE_LEVEL)
    return {"imports": tuple(collector.imports)}
