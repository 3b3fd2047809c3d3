"""Facts for the import-cycle rules: how imported names are used, and the ordered
module-level events (bindings and imports) that the import-order simulation replays.

Both walks are iterative (an explicit stack), so deeply nested code cannot exhaust the
recursion limit."""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

from archlint.domain.cycle_facts import CycleFacts, EventKind, ModuleEvent, NameUsage, Usage
from archlint.engine.collectors.context import SourceContext
from archlint.engine.collectors.imports import resolve_relative

_RANK = {Usage.UNUSED: 0, Usage.ANNOTATIONS: 1, Usage.FUNCTIONS: 2, Usage.IMPORT_TIME: 3}
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_OPENERS = frozenset({"globals", "vars", "setattr", "exec"})


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    if isinstance(test, ast.Attribute):
        return test.attr == "TYPE_CHECKING"
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return any(_is_type_checking(value) for value in test.values)
    return False


def _is_not_type_checking(test: ast.expr) -> bool:
    return isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and _is_type_checking(test.operand)


def _target_names(target: ast.expr) -> list[str]:
    """Names an assignment target binds (``a``, ``a, (b, *c)``); attributes bind none."""
    names: list[str] = []
    stack = [target]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name):
            names.append(node.id)
        elif isinstance(node, (ast.Tuple, ast.List)):
            stack.extend(node.elts)
        elif isinstance(node, ast.Starred):
            stack.append(node.value)
    return names


def _text(source: SourceContext, node: ast.stmt) -> str:
    """The statement as written, on one line (comments and extra spaces dropped)."""
    start, end = node.lineno, node.end_lineno or node.lineno
    if not 0 < start <= end <= len(source.lines):
        return ""
    if start == end and node.end_col_offset is not None:
        text = source.lines[start - 1][node.col_offset : node.end_col_offset]
    else:
        rows = [source.lines[start - 1][node.col_offset :], *source.lines[start:end]]
        text = " ".join(row.split("#", 1)[0].strip() for row in rows)
    text = " ".join(text.replace("( ", "(").replace(" )", ")").split())
    return text if len(text) <= 120 else text[:117] + "..."


class _Events:
    """The module-level events of one module body, in execution order."""

    def __init__(self, source: SourceContext) -> None:
        self.source = source
        self.events: list[ModuleEvent] = []

    def bind(self, names: list[str], line: int, guarded: bool) -> None:
        if not names:
            return
        last = self.events[-1] if self.events else None
        if last is not None and last.kind is EventKind.BIND and last.guarded == guarded:
            merged = tuple(dict.fromkeys((*last.names, *names)))
            self.events[-1] = ModuleEvent(kind=EventKind.BIND, line=last.line, names=merged, guarded=guarded)
        else:
            self.events.append(ModuleEvent(kind=EventKind.BIND, line=line, names=tuple(dict.fromkeys(names)), guarded=guarded))

    def add(self, kind: EventKind, node: ast.stmt, module: str, names: tuple[str, ...], guarded: bool) -> None:
        self.events.append(
            ModuleEvent(
                kind=kind,
                line=node.lineno,
                column=node.col_offset + 1,
                module=module,
                names=names,
                guarded=guarded,
                text=_text(self.source, node),
            )
        )

    def opens(self, node: ast.AST) -> bool:
        """Whether a module-level statement may bind names nobody can see statically."""
        for sub in ast.walk(node):
            if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Name) and sub.func.id in _OPENERS:
                return True
        return False

    def walk(self, body: list[ast.stmt], guarded: bool, class_body: bool = False) -> None:
        """Record the events of ``body`` (iteratively: nested blocks go on a work list)."""
        work: list[Block] = [(body, guarded, class_body)]
        while work:
            stmts, guard, in_class = work.pop()
            for index, node in enumerate(stmts):
                nested = self.statement(node, guard, in_class)
                if nested:
                    # Finish the nested blocks before the rest of this body, in order.
                    work.append((stmts[index + 1 :], guard, in_class))
                    work.extend(reversed(nested))
                    break

    def statement(self, node: ast.stmt, guard: bool, in_class: bool) -> list[Block]:
        """Record one statement; return the nested bodies still to walk, in order."""
        for kinds, handler in _HANDLERS:
            if isinstance(node, kinds):
                return handler(self, node, guard, in_class)
        if not in_class:
            _assignment(self, node, guard)
        return []

    def open_here(self, line: int, guard: bool) -> None:
        """Record that the namespace becomes unknowable from ``line`` on."""
        self.events.append(ModuleEvent(kind=EventKind.OPEN, line=line, guarded=guard))



Block = tuple[list[ast.stmt], bool, bool]
"""Statements still to walk, whether they are guarded, whether they are a class body."""
_TRY_TYPES: tuple[type, ...] = (ast.Try, getattr(ast, "TryStar", ast.Try))


def _class_binding(node: ast.ClassDef) -> ast.stmt:
    """The class name is bound after its body ran: a synthetic assignment."""
    target = ast.Name(id=node.name, ctx=ast.Store(), lineno=node.lineno, col_offset=node.col_offset)
    return ast.Assign(
        targets=[target],
        value=ast.Constant(value=None),
        lineno=node.lineno,
        col_offset=node.col_offset,
        end_lineno=node.lineno,
        end_col_offset=node.col_offset,
    )


def _bindings_only(body: list[ast.stmt]) -> list[ast.stmt]:
    """An ``except`` body: its bindings count (conservatively), its imports do not run
    (they usually stand in for a missing optional dependency)."""
    return [node for node in body if not isinstance(node, (ast.Import, ast.ImportFrom))]


def _import(events: _Events, node: Any, guard: bool, in_class: bool) -> list[Block]:
    for alias in node.names:
        events.add(EventKind.IMPORT, node, alias.name, (), guard)
        if not in_class:
            events.bind([alias.asname or alias.name.split(".")[0]], node.lineno, guard)
    return []


def _import_from(events: _Events, node: Any, guard: bool, in_class: bool) -> list[Block]:
    source = events.source
    module = resolve_relative(source.module, source.is_package, node.level or 0, node.module)
    names = tuple(alias.name for alias in node.names)
    if module:
        events.add(EventKind.FROM, node, module, names, guard)
    if in_class:
        return []
    if "*" in names:
        events.open_here(node.lineno, guard)
    else:
        events.bind([alias.asname or alias.name for alias in node.names], node.lineno, guard)
    return []


def _function(events: _Events, node: Any, guard: bool, in_class: bool) -> list[Block]:
    if not in_class:
        if node.name == "__getattr__":
            events.open_here(node.lineno, guard)
        events.bind([node.name], node.lineno, guard)
    return []


def _class(events: _Events, node: Any, guard: bool, in_class: bool) -> list[Block]:
    del events
    parts: list[Block] = [(node.body, guard, True)]
    if not in_class:
        parts.append(([_class_binding(node)], guard, False))
    return parts


def _if(events: _Events, node: Any, guard: bool, in_class: bool) -> list[Block]:
    del events
    if _is_type_checking(node.test):
        return [(node.orelse, guard, in_class)] if node.orelse else []
    if _is_not_type_checking(node.test):
        return [(node.body, guard, in_class)]
    return [(node.body, True, in_class), (node.orelse, True, in_class)]


def _try(events: _Events, node: Any, guard: bool, in_class: bool) -> list[Block]:
    del events
    handlers = node.handlers
    parts: list[Block] = [(node.body, guard or bool(handlers), in_class)]
    parts.extend((_bindings_only(handler.body), True, in_class) for handler in handlers)
    parts.append((node.orelse, guard, in_class))
    parts.append((node.finalbody, guard, in_class))
    return parts


def _loop(events: _Events, node: Any, guard: bool, in_class: bool) -> list[Block]:
    if not in_class and isinstance(node, (ast.For, ast.AsyncFor)):
        events.bind(_target_names(node.target), node.lineno, guard)
    return [(node.body, True, in_class), (node.orelse, True, in_class)]


def _with(events: _Events, node: Any, guard: bool, in_class: bool) -> list[Block]:
    if not in_class:
        for item in node.items:
            if item.optional_vars is not None:
                events.bind(_target_names(item.optional_vars), node.lineno, guard)
    # A context manager may swallow an exception (contextlib.suppress): guarded.
    return [(node.body, True, in_class)]


def _match(events: _Events, node: Any, guard: bool, in_class: bool) -> list[Block]:
    del events, guard
    return [(case.body, True, in_class) for case in node.cases]


def _assignment(events: _Events, node: ast.stmt, guard: bool) -> None:
    if isinstance(node, ast.Assign):
        events.bind([name for target in node.targets for name in _target_names(target)], node.lineno, guard)
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        if not isinstance(node, ast.AnnAssign) or node.value is not None:
            events.bind(_target_names(node.target), node.lineno, guard)
    if events.opens(node):
        events.open_here(node.lineno, guard)


_HANDLERS: tuple[tuple[type | tuple[type, ...], Callable[[_Events, Any, bool, bool], list[Block]]], ...] = (
    (ast.Import, _import),
    (ast.ImportFrom, _import_from),
    ((ast.FunctionDef, ast.AsyncFunctionDef), _function),
    (ast.ClassDef, _class),
    (ast.If, _if),
    (_TRY_TYPES, _try),
    ((ast.For, ast.AsyncFor, ast.While), _loop),
    ((ast.With, ast.AsyncWith), _with),
    (ast.Match, _match),
)


class _Usages:
    """Where each module-level imported name is used."""

    def __init__(self, tree: ast.Module, source: SourceContext) -> None:
        self.tree = tree
        self.source = source
        self.bound: dict[str, list[tuple[int, str, str]]] = {}
        self.usage: dict[str, Usage] = {}

    def collect_imports(self) -> None:
        """Module-level import statements (outside functions and ``TYPE_CHECKING``)."""
        work: list[ast.stmt] = list(reversed(self.tree.body))
        while work:
            node = work.pop()
            if isinstance(node, ast.Import):
                for alias in node.names:
                    bound = alias.asname or alias.name.split(".")[0]
                    self.bound.setdefault(bound, []).append((node.lineno, alias.name, alias.name))
            elif isinstance(node, ast.ImportFrom):
                module = resolve_relative(self.source.module, self.source.is_package, node.level or 0, node.module)
                for alias in node.names:
                    if alias.name != "*":
                        self.bound.setdefault(alias.asname or alias.name, []).append((node.lineno, module, alias.name))
            elif isinstance(node, ast.If):
                if _is_type_checking(node.test):
                    work.extend(reversed(node.orelse))
                else:
                    work.extend(reversed(node.body + node.orelse))
            elif isinstance(node, _TRY_TYPES):
                blocks = node.body + [s for h in node.handlers for s in h.body] + node.orelse + node.finalbody  # type: ignore[attr-defined]
                work.extend(reversed(blocks))
            elif isinstance(node, (ast.With, ast.AsyncWith, ast.For, ast.AsyncFor, ast.While)):
                work.extend(reversed(node.body))

    def note(self, name: str, usage: Usage) -> None:
        if name in self.bound and _RANK[usage] > _RANK[self.usage.get(name, Usage.UNUSED)]:
            self.usage[name] = usage

    def string_annotation(self, text: str) -> None:
        try:
            expr = ast.parse(text, mode="eval")
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return
        for sub in ast.walk(expr):
            if isinstance(sub, ast.Name):
                self.note(sub.id, Usage.ANNOTATIONS)

    def walk(self) -> None:
        """Visit every expression with its context, iteratively."""
        work: list[tuple[ast.AST, Usage]] = [(self.tree, Usage.IMPORT_TIME)]
        while work:
            node, context = work.pop()
            if isinstance(node, ast.Name):
                if isinstance(node.ctx, ast.Load):
                    self.note(node.id, context)
                continue
            if context is Usage.ANNOTATIONS and isinstance(node, ast.Constant) and isinstance(node.value, str):
                self.string_annotation(node.value)
                continue
            if isinstance(node, _FUNCTIONS):
                self.function(node, context, work)
                continue
            if isinstance(node, ast.ClassDef) and context is Usage.IMPORT_TIME:
                # Field annotations of a class body are read at runtime by dataclasses,
                # pydantic, attrs and ORMs: they count as import-time uses.
                for stmt in node.body:
                    if isinstance(stmt, ast.AnnAssign):
                        work.append((stmt.annotation, Usage.IMPORT_TIME))
                        work.extend((child, context) for child in (stmt.target, stmt.value) if child is not None)
                    else:
                        work.append((stmt, context))
                work.extend((child, context) for child in (*node.bases, *node.keywords, *node.decorator_list))
                continue
            if isinstance(node, ast.AnnAssign):
                work.append((node.annotation, Usage.ANNOTATIONS))
                work.append((node.target, context))
                if node.value is not None:
                    work.append((node.value, context))
                continue
            if isinstance(node, ast.If) and _is_type_checking(node.test):
                work.extend((child, Usage.ANNOTATIONS) for child in node.body)
                work.extend((child, context) for child in node.orelse)
                continue
            work.extend((child, context) for child in ast.iter_child_nodes(node))

    @staticmethod
    def function(node: ast.AST, context: Usage, work: list[tuple[ast.AST, Usage]]) -> None:
        """Decorators and defaults run where the function is defined; the body later."""
        inner = Usage.FUNCTIONS if context is not Usage.ANNOTATIONS else context
        if isinstance(node, ast.Lambda):
            work.extend((d, context) for d in node.args.defaults + [d for d in node.args.kw_defaults if d])
            work.append((node.body, inner))
            return
        assert isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        work.extend((d, context) for d in node.decorator_list)
        args = node.args
        work.extend((d, context) for d in args.defaults + [d for d in args.kw_defaults if d])
        every = args.posonlyargs + args.args + args.kwonlyargs + [a for a in (args.vararg, args.kwarg) if a]
        work.extend((a.annotation, Usage.ANNOTATIONS) for a in every if a.annotation is not None)
        if node.returns is not None:
            work.append((node.returns, Usage.ANNOTATIONS))
        work.extend((stmt, inner) for stmt in node.body)

    def exported(self) -> None:
        """Names in ``__all__`` and every import of a package ``__init__`` are re-exports."""
        if self.source.is_package:
            for name in self.bound:
                if self.usage.get(name, Usage.UNUSED) is Usage.UNUSED:
                    self.usage[name] = Usage.IMPORT_TIME
        for node in self.tree.body:
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets) and node.value is not None:
                    for sub in ast.walk(node.value):
                        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                            self.note(sub.value, Usage.IMPORT_TIME)

    def result(self) -> tuple[NameUsage, ...]:
        """One record per (statement, bound name), sorted."""
        rows = [
            NameUsage(line=line, module=module, imported=imported, bound=bound, usage=self.usage.get(bound, Usage.UNUSED))
            for bound, places in self.bound.items()
            for line, module, imported in places
        ]
        return tuple(sorted(rows, key=lambda r: (r.line, r.bound, r.module, r.imported)))


def _future_annotations(tree: ast.Module) -> bool:
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            if any(alias.name == "annotations" for alias in node.names):
                return True
    return False


def collect(tree: ast.Module, source: SourceContext) -> dict[str, Any]:
    """The ``cycle_facts`` of one module."""
    events = _Events(source)
    events.walk(tree.body, False)
    usages = _Usages(tree, source)
    usages.collect_imports()
    if usages.bound:
        usages.walk()
        usages.exported()
    facts = CycleFacts(usages=usages.result(), events=tuple(events.events), future_annotations=_future_annotations(tree))
    if facts == CycleFacts():
        return {}
    return {"cycle_facts": facts}
