"""Where a module uses each name it imports at module level: only in annotations, only
inside functions, or while its body runs. Feeds the cut suggestions of the cycle rules."""

from __future__ import annotations

import ast
from collections.abc import Collection
from itertools import chain
from operator import attrgetter

from archlint import _parsing
from archlint.domain.cycle_facts import NameUsage, Usage
from archlint._construct import constructor
from archlint.engine.collectors.context import Part, Scope, ScopeIndex, SourceContext, child_nodes, find_nodes, scope_index
from archlint.engine.collectors.imports import resolve_relative

_ID = attrgetter("id")
_usage = constructor(NameUsage)
"""``NameUsage(...)``, cheaper (``archlint/_construct.py``)."""
_RANK = {Usage.UNUSED: 0, Usage.ANNOTATIONS: 1, Usage.FUNCTIONS: 2, Usage.IMPORT_TIME: 3}
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_SCOPES = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef})
_ASSIGNMENTS = frozenset({ast.Assign, ast.AugAssign, ast.AnnAssign})
_SKIPPED = frozenset({ast.Name, ast.Lambda, ast.AnnAssign, ast.If, *_SCOPES})
"""The nodes of an ``if TYPE_CHECKING:`` block that the reading by parts asks about
(:meth:`_Reader.type_checking_blocks`): names, lambdas, annotated assignments, nested
``if`` blocks and scopes."""
TRY_TYPES: tuple[type, ...] = (ast.Try, getattr(ast, "TryStar", ast.Try))
_HOLDS_IMPORTS = frozenset(
    {ast.Import, ast.ImportFrom, ast.If, *TRY_TYPES, ast.With, ast.AsyncWith, ast.For, ast.AsyncFor, ast.While}
)
"""The module-level statements :meth:`NameUsages.collect_imports` looks at."""


def is_type_checking(test: ast.expr) -> bool:
    """Whether an ``if`` test is ``TYPE_CHECKING`` (also ``typing.TYPE_CHECKING``, ``and``-ed)."""
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    if isinstance(test, ast.Attribute):
        return test.attr == "TYPE_CHECKING"
    if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And):
        return any(is_type_checking(value) for value in test.values)
    return False


class NameUsages:
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
            if type(node) not in _HOLDS_IMPORTS:  # most statements: one look-up
                continue
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
                if is_type_checking(node.test):
                    work.extend(reversed(node.orelse))
                else:
                    work.extend(reversed(node.body + node.orelse))
            elif isinstance(node, TRY_TYPES):
                blocks = node.body + [s for h in node.handlers for s in h.body] + node.orelse + node.finalbody  # type: ignore[attr-defined]
                work.extend(reversed(blocks))
            elif isinstance(node, (ast.With, ast.AsyncWith, ast.For, ast.AsyncFor, ast.While)):
                work.extend(reversed(node.body))

    def note(self, name: str, usage: Usage) -> None:
        if name in self.bound and _RANK[usage] > _RANK[self.usage.get(name, Usage.UNUSED)]:
            self.usage[name] = usage

    def walk(self) -> None:
        """Note every use of an imported name with its context: the module's own code
        runs at import time, function bodies later (read in bulk from the scope index);
        annotations and ``if TYPE_CHECKING:`` blocks are walked node by node."""
        _Reader(self, scope_index(self.tree, self.source), self.source).read()

    def exported(self) -> None:
        """Names in ``__all__`` and every import of a package ``__init__`` are re-exports."""
        if self.source.is_package:
            for name in self.bound:
                if self.usage.get(name, Usage.UNUSED) is Usage.UNUSED:
                    self.usage[name] = Usage.IMPORT_TIME
        for node in self.tree.body:
            if type(node) in _ASSIGNMENTS:
                assert isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign))
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets) and node.value is not None:
                    for sub in ast.walk(node.value):
                        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
                            self.note(sub.value, Usage.IMPORT_TIME)

    def result(self) -> tuple[NameUsage, ...]:
        """One record per (statement, bound name), sorted."""
        # Sorted as plain tuples, then built: rows equal in the sort key name one bound name,
        # so they share its usage and are equal whole.
        rows = sorted((line, bound, module, imported) for bound, places in self.bound.items() for line, module, imported in places)
        usage = self.usage
        unused = Usage.UNUSED
        return tuple(
            [
                _usage(line=line, module=module, imported=imported, bound=bound, usage=usage.get(bound, unused))
                for line, bound, module, imported in rows
            ]
        )


class _Reader:
    """Reads the uses of the imported names in code that runs (at import time or in
    functions) and in parameter and return annotations from the scope index, part by
    part; the other annotations and the ``if TYPE_CHECKING:`` blocks go to
    :func:`walk_uses`, node by node.

    The names read by each part are kept by context and noted once at the end
    (:meth:`note_reads`): a name's usage is the strongest context it is read in, so the
    order does not matter, and one set per context replaces a test per name."""

    def __init__(self, usages: NameUsages, index: ScopeIndex, source: SourceContext) -> None:
        self.usages = usages
        self.index = index
        self.reads: dict[Usage, list[list[ast.AST]]] = {Usage.IMPORT_TIME: [], Usage.FUNCTIONS: [], Usage.ANNOTATIONS: []}
        """The ``Name`` nodes read by each part read, by context (``context.NAME_KEYS``)."""
        self.may_type_check = not source.text.isascii() or "TYPE_CHECKING" in source.text
        """Whether the file may hold an ``if TYPE_CHECKING:`` block (a text that never names
        it cannot; identifiers are NFKC-normalised, so only an ASCII text is trusted)."""

    def read(self) -> None:
        """Note the uses in every scope's code that runs: the module's body at import time,
        a function's body in functions, a class body where the class statement runs. A
        class body run at import time is special: its field annotations count as
        import-time uses (dataclasses, pydantic, attrs and ORMs read them at runtime)."""
        work: list[tuple[Scope, Usage, bool]] = [(self.index.root, Usage.IMPORT_TIME, False)]
        name, lambda_ = ast.Name, ast.Lambda
        while work:
            scope, context, class_body = work.pop()
            body = scope.body
            skipped = self.type_checking_blocks(scope) if self.may_type_check and ast.If in body else ()
            if skipped or lambda_ in body:
                self.part(body, context, skipped)
            elif name in body:  # the common case of :meth:`part`, in line: one call less per scope
                self.reads[context].append(body[name])
            if ast.AnnAssign in body:
                top = {id(stmt) for stmt in scope.node.body} if class_body else set()  # type: ignore[attr-defined]
                for stmt in body[ast.AnnAssign]:
                    if stmt not in skipped:
                        inner = Usage.IMPORT_TIME if id(stmt) in top else Usage.ANNOTATIONS
                        expression_uses(self.usages, stmt.annotation, inner)  # type: ignore[attr-defined]
            for kind in () if body.keys().isdisjoint(_SCOPES) else body.keys() & _SCOPES:
                for node in body[kind]:
                    if skipped and node in skipped:
                        continue
                    nested = self.index.scope(node)
                    head = nested.head  # decorators, defaults, bases: most heads read no name
                    if name in head or lambda_ in head:
                        self.part(head, context, ())
                    if kind is not ast.ClassDef:
                        if nested.head_annotations:
                            self.annotations(nested.head_annotations)
                        work.append((nested, Usage.FUNCTIONS, False))
                        continue
                    if context is not Usage.IMPORT_TIME:
                        self.part(nested.type_params, context, ())
                    work.append((nested, context, context is Usage.IMPORT_TIME))
        self.note_reads()

    def part(self, part: Part, context: Usage, skipped: Collection[ast.AST]) -> None:
        """Keep the names ``part`` reads in ``context`` (but the nodes in ``skipped``); the
        defaults of its lambdas run there too, their bodies in functions."""
        if not part:
            return
        names = part.get(ast.Name)  # the names read (``context.NAME_KEYS``)
        if names:
            self.reads[context].append([node for node in names if node not in skipped] if skipped else names)
        if ast.Lambda not in part:
            return
        lambdas = [(node, context) for node in part[ast.Lambda] if not (skipped and node in skipped)]
        while lambdas:  # lambdas nest as deep as the parser allows: no recursion
            node, outer = lambdas.pop()
            inner = self.index.scope(node)
            for inner_part, inner_context in ((inner.head, outer), (inner.body, Usage.FUNCTIONS)):
                if ast.Name in inner_part:
                    self.reads[inner_context].append(inner_part[ast.Name])
                lambdas.extend((item, inner_context) for item in inner_part.get(ast.Lambda, ()))

    def annotations(self, part: Part) -> None:
        """Keep the names read in ``part``, the parameter and return annotations of a
        ``def``, as annotations, and note those in its strings (string annotations): what
        :func:`walk_uses` finds there, lambdas included (everything under an annotation is
        one)."""
        parts = [part]
        while parts:
            current = parts.pop()
            if ast.Name in current:
                self.reads[Usage.ANNOTATIONS].append(current[ast.Name])
            for constant in current.get(ast.Constant, ()):
                if isinstance(constant.value, str):  # type: ignore[attr-defined]
                    _string_annotation(self.usages, constant.value)  # type: ignore[attr-defined]
            for node in current.get(ast.Lambda, ()):
                parts.extend(self.index.scope(node).parts())

    def note_reads(self) -> None:
        """Note the names kept by :meth:`part` and :meth:`annotations`, strongest context
        first: a context is read only for the imported names not yet used in a stronger
        one. The names of all the parts of a context are read in one call (``chain``):
        stopping at the part where the last pending name shows up saved less than a call
        per part (one per scope) cost."""
        usage = self.usages.usage
        for context in (Usage.IMPORT_TIME, Usage.FUNCTIONS, Usage.ANNOTATIONS):
            rank = _RANK[context]
            pending = {name for name in self.usages.bound if _RANK[usage.get(name, Usage.UNUSED)] < rank}
            if pending:
                for name in pending.intersection(map(_ID, chain.from_iterable(self.reads[context]))):
                    usage[name] = context

    def type_checking_blocks(self, scope: Scope) -> Collection[ast.AST]:
        """Walk the ``if TYPE_CHECKING:`` blocks of ``scope``'s body as annotations and
        return their nodes (and their tests', which are not uses) to leave out of the
        reading by parts; the ``else`` blocks stay."""
        skipped: set[ast.AST] = set()
        for node in scope.own(ast.If):
            if is_type_checking(node.test) and node not in skipped:  # type: ignore[attr-defined]
                skipped.update(find_nodes([node.test, *node.body], _SKIPPED))  # type: ignore[attr-defined]
                walk_uses(self.usages, [(stmt, Usage.ANNOTATIONS) for stmt in node.body])  # type: ignore[attr-defined]
        return skipped


def expression_uses(usages: NameUsages, expression: ast.expr, context: Usage) -> None:
    """:func:`walk_uses` of one expression (an annotation) without a walk node by node:
    without a lambda in it, its names are read in ``context`` and, in annotations, its
    strings are string annotations. An expression with a lambda is walked."""
    found = find_nodes([expression], _EXPRESSION_USES)
    if ast.Lambda in map(type, found):
        walk_uses(usages, [(expression, context)])
        return
    for node in found:
        if type(node) is ast.Name:
            if type(node.ctx) is ast.Load:  # type: ignore[attr-defined]
                usages.note(node.id, context)  # type: ignore[attr-defined]
        elif context is Usage.ANNOTATIONS and isinstance(node.value, str):  # type: ignore[attr-defined]
            _string_annotation(usages, node.value)  # type: ignore[attr-defined]


_EXPRESSION_USES = frozenset({ast.Name, ast.Constant, ast.Lambda})


def walk_uses(usages: NameUsages, work: list[tuple[ast.AST, Usage]]) -> None:
    """Note the uses under every node of ``work`` with its context, node by node."""
    while work:
        node, context = work.pop()
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                usages.note(node.id, context)
            continue
        if context is Usage.ANNOTATIONS and isinstance(node, ast.Constant) and isinstance(node.value, str):
            _string_annotation(usages, node.value)
            continue
        if isinstance(node, _FUNCTIONS):
            _function(node, context, work)
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
        if isinstance(node, ast.If) and is_type_checking(node.test):
            work.extend((child, Usage.ANNOTATIONS) for child in node.body)
            work.extend((child, context) for child in node.orelse)
            continue
        work.extend((child, context) for child in child_nodes(node))


def _string_annotation(usages: NameUsages, text: str) -> None:
    try:
        expr = _parsing.parse(text, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return
    for sub in ast.walk(expr):
        if isinstance(sub, ast.Name):
            usages.note(sub.id, Usage.ANNOTATIONS)


def _function(node: ast.AST, context: Usage, work: list[tuple[ast.AST, Usage]]) -> None:
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


def future_annotations(tree: ast.Module) -> bool:
    """Whether the module has ``from __future__ import annotations``."""
    for node in tree.body:
        if type(node) is ast.ImportFrom and node.module == "__future__":  # type: ignore[attr-defined]
            if any(alias.name == "annotations" for alias in node.names):  # type: ignore[attr-defined]
                return True
    return False
