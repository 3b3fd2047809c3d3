"""Facts for the import-cycle rules: the ordered module-level events (bindings, imports,
attribute reads) that the import-order simulation replays, plus how imported names are
used (``name_usage.py``).

Both walks are iterative (an explicit stack), so deeply nested code cannot exhaust the
recursion limit."""

from __future__ import annotations

import ast
from bisect import bisect_left
from collections.abc import Callable, Sequence
from typing import Any

from archlint.domain.cycle_facts import CycleFacts, EventKind, ModuleEvent
from archlint._construct import constructor
from archlint.engine.collectors.context import Scope, ScopeIndex, SourceContext, find_nodes, scope_index
from archlint.engine.collectors.imports import resolve_relative
from archlint.engine.collectors.name_usage import TRY_TYPES, NameUsages, future_annotations, is_type_checking

_OPENERS = frozenset({"globals", "vars", "setattr", "exec"})
_event = constructor(ModuleEvent)
"""``ModuleEvent(...)``, cheaper (``archlint/_construct.py``): about ten thousand per Django."""


def _calls_opener(index: ScopeIndex, scope: Scope) -> bool:
    """Whether the code of ``scope`` outside ``def``s and classes (its lambdas included)
    calls one of :data:`_OPENERS` by its bare name."""
    work = [scope]
    while work:
        current = work.pop()
        for part in (current.body, current.annotations, current.head):
            if ast.Call in part:
                for call in part[ast.Call]:
                    if type(call.func) is ast.Name and call.func.id in _OPENERS:  # type: ignore[attr-defined]
                        return True
            if ast.Lambda in part:
                work.extend([index.scope(node) for node in part[ast.Lambda]])
    return False


def _is_not_type_checking(test: ast.expr) -> bool:
    return isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and is_type_checking(test.operand)


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


def _chain(node: ast.Attribute) -> tuple[str, ...] | None:
    """``a.b.C`` -> ``("a", "b", "C")`` when the chain starts at a plain name."""
    parts: list[str] = []
    current: ast.expr = node
    while isinstance(current, ast.Attribute):
        parts.append(current.attr)
        current = current.value
    if not isinstance(current, ast.Name):
        return None
    parts.append(current.id)
    return tuple(reversed(parts))


_WITH_BODY = frozenset(kind for kind in vars(ast).values() if isinstance(kind, type) and "body" in getattr(kind, "_fields", ()))
"""The node types with a ``body``: a ``hasattr`` test without the exception it raises
for every other statement."""


def _text(source: SourceContext, node: ast.stmt) -> str:
    """The statement as written, on one line (comments and extra spaces dropped)."""
    start, end = node.lineno, node.end_lineno or node.lineno
    if type(node) in _WITH_BODY:  # a compound statement: its header line only
        end = start
    if not 0 < start <= end <= len(source.lines):
        return ""
    if start == end and node.end_col_offset is not None and node.end_lineno == start:
        text = source.lines[start - 1][node.col_offset : node.end_col_offset]
    else:
        rows = [source.lines[start - 1][node.col_offset :], *source.lines[start:end]]
        text = " ".join(row.split("#", 1)[0].strip() for row in rows)
    text = " ".join(text.replace("( ", "(").replace(" )", ")").split())
    return text if len(text) <= 120 else text[:117] + "..."


class _Events:
    """The module-level events of one module body, in execution order."""

    def __init__(self, tree: ast.Module, source: SourceContext) -> None:
        self.source = source
        self.events: list[ModuleEvent] = []
        self._run: dict[str, None] | None = None
        """The names of the open run of bindings (see :meth:`bind`), its line and guard."""
        self._run_line = 0
        self._run_guarded = False
        self.index = index = scope_index(tree, source)
        declaring = index.scopes_with(ast.Global)
        # The scopes first (most files have none), then the text test this always made.
        self.has_global = bool(declaring) and "global " in source.text
        self.with_global: set[ast.AST] = set()
        """The scope nodes with a ``global`` statement in their body or a nested one."""
        self._may_open: bool | None = None
        self._attribute_lines = _attribute_lines(index)
        """The sorted lines of the attributes of the code this walk reads (``None``:
        unknown, every statement is searched)."""
        if self.has_global:
            for scope in declaring:
                inner: Scope | None = scope
                while inner is not None and inner.node not in self.with_global:
                    self.with_global.add(inner.node)
                    inner = inner.parent

    def bind(self, names: list[str], line: int, guarded: bool) -> None:
        """Record bindings; consecutive bindings with the same guard merge into one event.

        The open run (its names in a dict, its first line and its guard) becomes an event
        only when another event follows (:meth:`_append`) or at the end (:meth:`finish`),
        so a module of many top-level definitions stays linear and each run makes one
        event."""
        if not names:
            return
        run = self._run
        if run is not None and self._run_guarded == guarded:
            run.update(dict.fromkeys(names))
        else:
            self._flush()
            self._run = dict.fromkeys(names)
            self._run_line = line
            self._run_guarded = guarded

    def _flush(self) -> None:
        if self._run is not None:
            self.events.append(_event(kind=EventKind.BIND, line=self._run_line, names=tuple(self._run), guarded=self._run_guarded))
            self._run = None

    def _append(self, event: ModuleEvent) -> None:
        self._flush()
        self.events.append(event)

    def finish(self) -> tuple[ModuleEvent, ...]:
        """The events, with the last run of bindings closed."""
        self._flush()
        return tuple(self.events)

    def add(
        self, kind: EventKind, node: ast.stmt, module: str, names: tuple[str, ...], guarded: bool, aliases: tuple[str, ...] = ()
    ) -> None:
        """Record an import event (its text as the imports collector shows it, when it is on one line)."""
        text = self.index.shared.line_text(node, self.source.lines)
        self._append(
            _event(
                kind=kind,
                line=node.lineno,
                column=node.col_offset + 1,
                module=module,
                names=names,
                guarded=guarded,
                text=_text(self.source, node) if text is None else text,
                aliases=aliases,
            )
        )

    def attribute_reads(self, node: ast.stmt, roots: list[ast.AST], guarded: bool) -> None:
        """Record ``name.attr`` chains read at import time in ``roots`` (no function bodies).

        A chain is an attribute whose receivers lead to a name (``a.b.c``) and that is not
        itself the receiver of a longer one (``a.b`` in ``a.b.c``): the attributes an
        outward walk would stop at."""
        attributes = find_nodes(roots, _ATTRIBUTE, _NOT_READ)
        if not attributes:
            return
        receivers = {item.value for item in attributes}  # type: ignore[attr-defined]
        chains: list[tuple[str, ...]] = []
        for item in attributes:
            if item not in receivers:
                chain = _chain(item)  # type: ignore[arg-type]
                if chain is not None:
                    chains.append(chain)
        if not chains:
            return
        text = _text(self.source, node)
        for chain in sorted(set(chains)):
            self._append(
                _event(kind=EventKind.ATTR, line=node.lineno, column=node.col_offset + 1, names=chain, guarded=guarded, text=text)
            )

    @property
    def may_open(self) -> bool:
        """Whether the module's own code (lambdas included) calls ``globals()``, ``vars()``,
        ``setattr()`` or ``exec()``: the only statements :meth:`opens` looks at. Read from
        the module scope's calls on first use (cheaper than searching the text for the
        four names, which the index makes unnecessary)."""
        if self._may_open is None:
            self._may_open = _calls_opener(self.index, self.index.root)
        return self._may_open

    def opens(self, node: ast.AST) -> bool:
        """Whether a module-level statement may bind names nobody can see statically."""
        if not self.may_open:
            return False
        for sub in find_nodes([node], _CALL):
            if isinstance(sub.func, ast.Name) and sub.func.id in _OPENERS:  # type: ignore[attr-defined]
                return True
        return False

    def walk(self, body: list[ast.stmt], guarded: bool, class_body: bool = False) -> None:
        """Record the events of ``body`` (iteratively: nested blocks go on a work list)."""
        work: list[tuple[Sequence[ast.stmt | _ClassName], int, bool, bool]] = [(body, 0, guarded, class_body)]
        while work:
            stmts, start, guard, in_class = work.pop()
            for index in range(start, len(stmts)):
                nested = self.statement(stmts[index], guard, in_class)
                if nested:
                    # Finish the nested blocks before the rest of this body, in order.
                    work.append((stmts, index + 1, guard, in_class))
                    work.extend((block, 0, block_guard, block_class) for block, block_guard, block_class in reversed(nested))
                    break

    def statement(self, node: Any, guard: bool, in_class: bool) -> list[Block]:
        """Record one statement; return the nested bodies still to walk, in order."""
        kind = type(node)
        if kind in _DEFINITIONS:
            # Their decorators, defaults, bases and keywords are the head of their scope.
            if ast.Attribute in self.index.scope(node).head:
                self.attribute_reads(node, _header(node), guard)
        elif _may_hold_attributes(self._attribute_lines, node):
            roots = _header(node)
            if roots:
                self.attribute_reads(node, roots, guard)
        handler = _HANDLER_OF.get(kind)
        if handler is not None:
            return handler(self, node, guard, in_class)
        if not in_class:
            _assignment(self, node, guard)
        return []

    def open_here(self, line: int, guard: bool) -> None:
        """Record that the namespace becomes unknowable from ``line`` on."""
        self._append(_event(kind=EventKind.OPEN, line=line, guarded=guard))


def _attribute_lines(index: ScopeIndex) -> list[int] | None:
    """The sorted start lines of the attributes in the code the events walk reads: the
    module's body and the bodies of the classes in it, nested in classes only (with
    their field annotations). :meth:`_Events.attribute_reads` searches a statement only
    when one of these starts between its first and last line: an attribute under a
    statement starts within the statement's lines, and (lambdas, functions and class
    statements aside, which the search skips or reads from their scope's head) is in
    one of these parts. ``None`` (search every statement) when a part holds an f-string,
    whose inner positions older Pythons do not always give right, or a node without a
    position (a tree made by hand)."""
    walked: set[ast.AST] = {index.tree}
    lines: list[int] = []
    for scope in index.scopes():  # each after the scope it is nested in
        if scope.parent is not None:
            if type(scope.node) is not ast.ClassDef or scope.parent.node not in walked:
                continue
            walked.add(scope.node)
        for part in (scope.body, scope.annotations):
            if ast.JoinedStr in part:
                return None
            attributes = part.get(ast.Attribute)
            if attributes:
                try:
                    lines.extend([item.lineno for item in attributes])  # type: ignore[attr-defined]
                except AttributeError:
                    return None
    lines.sort()
    return lines


def _may_hold_attributes(lines: list[int] | None, node: Any) -> bool:
    """Whether one of the attribute ``lines`` (:func:`_attribute_lines`; ``None``: any
    line) is a line of the statement ``node``: most statements hold no attribute, and
    need no search."""
    if lines is None:
        return True
    last = getattr(node, "end_lineno", None)
    if last is None:  # a node made without positions (or a class name's binding)
        return type(node) is not _ClassName
    at = bisect_left(lines, node.lineno)
    return at < len(lines) and lines[at] <= last


class _ClassName:
    """Stands after a class body, in the statements still to walk, for the binding of
    the class name (bound once the body ran). Cheaper than a synthetic assignment node."""

    __slots__ = ("node",)

    def __init__(self, node: ast.ClassDef) -> None:
        self.node = node


Block = tuple[Sequence[ast.stmt | _ClassName], bool, bool]
"""Statements still to walk, whether they are guarded, whether they are a class body."""
_TRY_TYPES = TRY_TYPES


def _header(node: ast.stmt) -> list[ast.AST]:
    """The expressions of a statement that run when it is reached (not nested bodies)."""
    kind = type(node)
    field = _HEADER_FIELD.get(kind)
    if field is not None:
        return [getattr(node, field)]
    if kind in _NO_HEADER:
        return []
    if kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
        args = node.args  # type: ignore[attr-defined]
        return [*node.decorator_list, *args.defaults, *(d for d in args.kw_defaults if d is not None)]  # type: ignore[attr-defined]
    if kind is ast.ClassDef:
        return [*node.decorator_list, *node.bases, *node.keywords]  # type: ignore[attr-defined]
    if kind is ast.With or kind is ast.AsyncWith:
        return [item.context_expr for item in node.items]  # type: ignore[attr-defined]
    return [node]


_HEADER_FIELD = {ast.If: "test", ast.While: "test", ast.For: "iter", ast.AsyncFor: "iter", ast.Match: "subject"}
"""The one expression that runs when these compound statements are reached."""
_NO_HEADER = frozenset({ast.Import, ast.ImportFrom, *TRY_TYPES, _ClassName})


def _bindings_only(body: list[ast.stmt]) -> list[ast.stmt]:
    """An ``except`` body: its bindings count (conservatively), its imports do not run
    (they usually stand in for a missing optional dependency)."""
    return [node for node in body if not isinstance(node, (ast.Import, ast.ImportFrom))]


def _import(events: _Events, node: Any, guard: bool, in_class: bool) -> list[Block]:
    for alias in node.names:
        bound = "" if in_class else (alias.asname or alias.name.split(".")[0])
        target = alias.name if alias.asname else alias.name.split(".")[0]
        events.add(EventKind.IMPORT, node, alias.name, (target,), guard, (bound,))
        if not in_class:
            events.bind([alias.asname or alias.name.split(".")[0]], node.lineno, guard)
    return []


def _import_from(events: _Events, node: Any, guard: bool, in_class: bool) -> list[Block]:
    source = events.source
    level = node.level
    module = resolve_relative(source.module, source.is_package, level, node.module) if level else node.module or ""
    aliases = node.names
    names = tuple([alias.name for alias in aliases])
    bound = [alias.asname or alias.name for alias in aliases]
    if module:
        events.add(EventKind.FROM, node, module, names, guard, ("",) * len(names) if in_class else tuple(bound))
    if in_class:
        return []
    if "*" in names:
        events.open_here(node.lineno, guard)
    else:
        events.bind(bound, node.lineno, guard)
    return []


def _function(events: _Events, node: Any, guard: bool, in_class: bool) -> list[Block]:
    if not in_class:
        if node.name == "__getattr__":
            events.open_here(node.lineno, guard)
        events.bind([node.name], node.lineno, guard)
    if events.has_global and node in events.with_global:
        # A function may set module globals when called at import time: count them as
        # bound from its definition on (earlier than reality, so never a false crash).
        declared = [name for sub in ast.walk(node) if isinstance(sub, ast.Global) for name in sub.names]
        events.bind(declared, node.lineno, guard)
    return []


def _class(events: _Events, node: Any, guard: bool, in_class: bool) -> list[Block]:
    del events
    parts: list[Block] = [(node.body, guard, True)]
    if not in_class:
        parts.append(([_ClassName(node)], guard, False))
    return parts


def _class_name(events: _Events, node: Any, guard: bool, in_class: bool) -> list[Block]:
    del in_class
    events.bind([node.node.name], node.node.lineno, guard)
    return []


def _if(events: _Events, node: Any, guard: bool, in_class: bool) -> list[Block]:
    del events
    if is_type_checking(node.test):
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
    (_ClassName, _class_name),
)


_HANDLER_OF: dict[type, Callable[[_Events, Any, bool, bool], list[Block]]] = {
    kind: handler for kinds, handler in _HANDLERS for kind in (kinds if isinstance(kinds, tuple) else (kinds,))
}
"""The handler of each statement type that has one."""
_DEFINITIONS = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef})
_ATTRIBUTE = (ast.Attribute,)
_CALL = (ast.Call,)
_NOT_READ = frozenset({ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Name, ast.Constant})
"""Nodes whose attribute reads do not run with the statement (or that hold none)."""


def collect(tree: ast.Module, source: SourceContext) -> dict[str, Any]:
    """The ``cycle_facts`` of one module."""
    events = _Events(tree, source)
    events.walk(tree.body, False)
    usages = NameUsages(tree, source)
    usages.collect_imports()
    if usages.bound:
        usages.walk()
        usages.exported()
    found = usages.result()
    timeline = events.finish()
    future = future_annotations(tree)
    if not found and not timeline and not future:  # every field at its default: no facts
        return {}
    return {"cycle_facts": CycleFacts(usages=found, events=timeline, future_annotations=future)}
