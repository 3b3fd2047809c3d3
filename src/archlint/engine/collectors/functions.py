"""Functions, ``__all__`` and re-exports of one module, for the type-hints rules.

Walks module and class bodies (including the blocks of compound statements in them,
except module-level ``if TYPE_CHECKING:``; ``--fix`` counts ``def``s the same way) and never
walks a function body: whether a function returns a value or yields is read from the
file's scope index, whether it is a stub from its first statements. Nothing here decides
what is public: that is judged later."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Sequence
from typing import Any

from archlint.domain.function_facts import FunctionFact, ModuleApiFacts, ParamFact, ParamKind, ReExport, text_digest
from archlint._construct import constructor
from archlint.engine.collectors.context import Scope, ScopeIndex, SourceContext, scope_index
from archlint.engine.collectors.imports import resolve_relative
from archlint.engine.collectors.names import callee_name

_FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
_function_fact = constructor(FunctionFact)
"""``FunctionFact(...)``, cheaper (``archlint/_construct.py``): one per ``def`` at module or class level."""
_reexport = constructor(ReExport)
_param_fact = constructor(ParamFact)
_TYPE_COMMENT = re.compile(r"#\s*type:(?!\s*ignore\b)")




_CONSTANT = ast.Constant
_RETURN = ast.Return


def _is_none(node: ast.expr | None) -> bool:
    return node is None or (type(node) is _CONSTANT and node.value is None)  # type: ignore[attr-defined]


def _is_stub(body: list[ast.stmt]) -> bool:
    """Only a docstring, ``pass``, ``...`` or ``raise NotImplementedError`` (tested on the
    exact node types: this runs for every ``def``)."""
    statements = body
    if statements and type(statements[0]) is ast.Expr and type(statements[0].value) is _CONSTANT:  # type: ignore[attr-defined]
        if isinstance(statements[0].value.value, str):  # type: ignore[attr-defined]
            statements = statements[1:]
    for statement in statements:
        kind = type(statement)
        if kind is ast.Pass:
            continue
        if kind is ast.Expr and type(statement.value) is _CONSTANT and statement.value.value is ...:  # type: ignore[attr-defined]
            continue
        if kind is ast.Raise and statement.exc is not None:  # type: ignore[attr-defined]
            if callee_name(statement.exc).rsplit(".", 1)[-1] == "NotImplementedError":  # type: ignore[attr-defined]
                continue
        return False
    return True


def _ends_in_raise(body: list[ast.stmt]) -> bool:
    """Whether every path through ``body`` ends in ``raise`` (structurally; a ``with``
    counts as its body, though its context manager might swallow the exception)."""
    if not body:
        return False
    last = body[-1]
    kind = type(last)
    if kind is ast.Raise:
        return True
    if kind not in _RAISE_PATHS:  # a return, an expression, a loop...: the common case
        return False
    if isinstance(last, ast.If):
        return _ends_in_raise(last.body) and _ends_in_raise(last.orelse)
    if isinstance(last, (ast.With, ast.AsyncWith)):
        return _ends_in_raise(last.body)
    if isinstance(last, _TRY_TYPES):
        if _ends_in_raise(last.finalbody):  # type: ignore[attr-defined]
            return True
        normal = last.orelse or last.body  # type: ignore[attr-defined]
        handlers = last.handlers  # type: ignore[attr-defined]
        return _ends_in_raise(normal) and all(_ends_in_raise(handler.body) for handler in handlers)
    return False


_TRY_TYPES: tuple[type, ...] = (ast.Try, getattr(ast, "TryStar", ast.Try))
_RAISE_PATHS = frozenset({ast.If, ast.With, ast.AsyncWith, *_TRY_TYPES})
"""The statements :func:`_ends_in_raise` looks into."""


def _always_raises(node: _FunctionNode, scope: Scope) -> bool:
    """No ``return`` at all in the function's own body, and every path ends in ``raise``."""
    return _RETURN not in scope.body and _ends_in_raise(node.body)


def _has_type_comment(node: _FunctionNode, lines: Sequence[str]) -> bool:
    """A ``# type:`` comment (not ``# type: ignore``) from the ``def`` line to the line
    before the first body statement: a signature or argument type comment."""
    last = max(node.lineno, node.body[0].lineno - 1)
    return any("type:" in line and _TYPE_COMMENT.search(line) for line in lines[node.lineno - 1 : last])


_Shared = tuple[ParamKind, dict[str, ParamFact], dict[str, ParamFact]]
"""A parameter kind and the facts shared for it by name: of the parameters without an
annotation, of those with one (two tables, so the key is the name alone: no tuple to
build and hash per parameter)."""
_SHARED: dict[str, _Shared] = {kind.name: (kind, {}, {}) for kind in ParamKind}
"""One shared :class:`ParamFact` per kind, name and annotation, in this process: most
parameters repeat (Django's 20 000 are 2 000 distinct; ``self`` alone is a third), and a
frozen fact can be shared. Besides the construction, sharing saves the main process the
unpickling of the repeats: pickle writes an object it has already written as a
reference. The kind is not part of the key: hashing an enum member calls Python code."""
_SHARED_LIMIT = 10_000
"""Entries per table kept at most (a table is emptied when full)."""
_POSITIONAL_ONLY = _SHARED["POSITIONAL_ONLY"]
_REGULAR = _SHARED["REGULAR"]
_VAR_POSITIONAL = _SHARED["VAR_POSITIONAL"]
_KEYWORD_ONLY = _SHARED["KEYWORD_ONLY"]
_VAR_KEYWORD = _SHARED["VAR_KEYWORD"]


def _shared_params(items: list[ast.arg], shared: _Shared) -> list[ParamFact]:
    """The facts of the parameters ``items``, all of one kind (see :data:`_SHARED`)."""
    kind, plain, annotated = shared
    found: list[ParamFact] = []
    for arg in items:
        name = arg.arg
        has_annotation = arg.annotation is not None
        facts = annotated if has_annotation else plain
        fact = facts.get(name)
        if fact is None:
            if len(facts) >= _SHARED_LIMIT:
                facts.clear()
            fact = facts[name] = _param_fact(name, kind, has_annotation)
        found.append(fact)
    return found


def _params(args: ast.arguments) -> tuple[ParamFact, ...]:
    if not (args.posonlyargs or args.vararg or args.kwonlyargs or args.kwarg):  # the common case
        return tuple(_shared_params(args.args, _REGULAR))
    params = _shared_params(args.posonlyargs, _POSITIONAL_ONLY) if args.posonlyargs else []
    params += _shared_params(args.args, _REGULAR)
    if args.vararg is not None:
        params += _shared_params([args.vararg], _VAR_POSITIONAL)
    if args.kwonlyargs:
        params += _shared_params(args.kwonlyargs, _KEYWORD_ONLY)
    if args.kwarg is not None:
        params += _shared_params([args.kwarg], _VAR_KEYWORD)
    return tuple(params)


def body_flags(scope: Scope) -> tuple[bool, bool]:
    """Whether the function's own body (not the bodies of nested functions, lambdas or
    classes, nor its decorators, defaults or annotations) returns a value, and whether
    it yields."""
    body = scope.body
    returns_value = False
    for item in body.get(_RETURN, ()):
        value = item.value  # type: ignore[attr-defined]
        if value is not None and not (type(value) is _CONSTANT and value.value is None):
            returns_value = True
            break
    annotations = scope.annotations
    has_yield = ast.Yield in body or ast.YieldFrom in body or ast.Yield in annotations or ast.YieldFrom in annotations
    return returns_value, has_yield


def function_fact(node: _FunctionNode, qualname: str, index: ScopeIndex, lines: Sequence[str] = ()) -> FunctionFact:
    """The facts of one ``def`` node of the file ``index`` describes; ``lines`` (the source
    lines, empty when no line holds ``type:``) locate type comments."""
    scope = index.scope(node)
    returns_value, has_yield = body_flags(scope)
    return _function_fact(
        qualname=qualname,
        line=node.lineno,
        column=node.col_offset + 1,
        decorators=index.shared.decorator_names(node),
        params=_params(node.args),
        has_return_annotation=node.returns is not None,
        is_async=type(node) is ast.AsyncFunctionDef,
        returns_value=returns_value,
        has_yield=has_yield,
        is_stub=_is_stub(node.body),
        always_raises=_always_raises(node, scope),
        has_type_comment=bool(lines) and _has_type_comment(node, lines),
    )


def _literal_names(node: ast.expr | None) -> list[str] | None:
    if isinstance(node, (ast.List, ast.Tuple)) and all(
        isinstance(item, ast.Constant) and isinstance(item.value, str) for item in node.elts
    ):
        return [item.value for item in node.elts]  # type: ignore[attr-defined]
    return None


class _Walker:
    """One pass over module and class bodies."""

    def __init__(self, source: SourceContext, index: ScopeIndex) -> None:
        self.source = source
        self.index = index
        self.functions: list[FunctionFact] = []
        self.reexports: list[ReExport] = []
        self.class_names: list[str] = []
        self.star_imports: list[str] = []
        self.all_names: list[str] | None = None
        self.all_dynamic = False
        self.lines: Sequence[str] = source.lines if "type:" in source.text else ()

    def note_all(self, node: ast.stmt) -> None:
        """Record a literal ``__all__`` assignment, ``+=``, ``.extend`` or ``.append``."""
        target: ast.expr | None = None
        value: ast.expr | None = None
        augmented = False
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        elif isinstance(node, ast.AugAssign) and isinstance(node.op, ast.Add):
            target, value, augmented = node.target, node.value, True
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            func = node.value.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "__all__":
                args = node.value.args
                if func.attr == "extend" and len(args) == 1:
                    target, value, augmented = func.value, args[0], True
                elif func.attr == "append" and len(args) == 1:
                    target, value, augmented = func.value, ast.List(elts=[args[0]]), True
        if not (isinstance(target, ast.Name) and target.id == "__all__"):
            return
        names = _literal_names(value)
        if names is None:
            self.all_dynamic = True
        elif augmented and self.all_names is not None:
            self.all_names.extend(names)
        else:
            self.all_names = names

    def note_import(self, node: ast.ImportFrom) -> None:
        """Record the names of a module-level ``from`` import."""
        source = self.source
        module = resolve_relative(source.module, source.is_package, node.level or 0, node.module)
        if not module:
            return
        for alias in node.names:
            if alias.name == "*":
                self.star_imports.append(module)
            else:
                self.reexports.append(_reexport(module, alias.name, alias.asname or alias.name, node.lineno))

    def walk(self, body: list[ast.stmt], prefix: str, module_level: bool) -> None:
        """Visit the statements of a module or class body (dispatching on the exact node
        type: this runs for every statement of every module and class body)."""
        for node in body:
            kind = type(node)
            if kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
                self.functions.append(function_fact(node, prefix + node.name, self.index, self.lines))  # type: ignore[arg-type, attr-defined]
            elif kind is ast.ClassDef:
                if module_level:
                    self.class_names.append(node.name)  # type: ignore[attr-defined]
                self.walk(node.body, f"{prefix}{node.name}.", False)  # type: ignore[attr-defined]
            elif kind in _COMPOUND:
                self.compound(node, prefix, module_level)
            elif not module_level:
                continue
            elif kind is ast.ImportFrom:
                self.note_import(node)  # type: ignore[arg-type]
            elif kind in _ALL_CHANGES:
                self.note_all(node)

    def compound(self, node: ast.stmt, prefix: str, module_level: bool) -> None:
        """Visit the blocks of a compound statement (but a module-level ``if
        TYPE_CHECKING:`` block)."""
        if module_level and type(node) is ast.If and _is_type_checking(node.test):  # type: ignore[attr-defined]
            self.walk(node.orelse, prefix, module_level)  # type: ignore[attr-defined]
            return
        for block in _COMPOUND[type(node)](node):
            self.walk(block, prefix, module_level)


def _try_blocks(node: Any) -> list[list[ast.stmt]]:
    return [node.body, *(handler.body for handler in node.handlers), node.orelse, node.finalbody]


_COMPOUND: dict[type, Callable[[Any], list[list[ast.stmt]]]] = {
    ast.If: lambda node: [node.body, node.orelse],
    ast.Try: _try_blocks,
    getattr(ast, "TryStar", ast.Try): _try_blocks,
    ast.With: lambda node: [node.body],
    ast.AsyncWith: lambda node: [node.body],
    ast.For: lambda node: [node.body, node.orelse],
    ast.AsyncFor: lambda node: [node.body, node.orelse],
    ast.While: lambda node: [node.body, node.orelse],
    ast.Match: lambda node: [case.body for case in node.cases],
}
"""The statements whose blocks :meth:`_Walker.walk` enters, and their blocks in order."""
_ALL_CHANGES = frozenset({ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr})
"""The statements :meth:`_Walker.note_all` may find an ``__all__`` change in."""


def _is_type_checking(test: ast.expr) -> bool:
    return callee_name(test).rsplit(".", 1)[-1] == "TYPE_CHECKING"


def collect(tree: ast.Module, source: SourceContext) -> dict[str, Any]:
    """The ``api`` facts of one module."""
    walker = _Walker(source, scope_index(tree, source))
    walker.walk(tree.body, "", True)
    all_names = None if walker.all_dynamic or walker.all_names is None else tuple(walker.all_names)
    return {
        "api": ModuleApiFacts(
            functions=tuple(walker.functions),
            all_names=all_names,
            reexports=tuple(walker.reexports),
            class_names=tuple(walker.class_names),
            digest=text_digest(source.text),
            star_imports=tuple(walker.star_imports),
        )
    }
