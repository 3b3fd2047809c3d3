"""What every collector receives besides the tree: the source and a shared scope index.

The index is built at most once per file, on first use, by one pass over the tree: it
splits the nodes by the scope they belong to (the module, each ``def``, ``lambda`` and
``class``) and, inside a scope, by type. A collector that needs "every ``return`` of this
function's own body" or "every attribute read in this method" reads those lists instead of
walking the tree again; what depends on the order of the code (events, checklist facts)
is still found by short walks over statements (``docs/adr/0014``)."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from archlint.engine.collectors.names import callee_name

_AST = ast.AST

Part = dict[type, list[ast.AST]]
"""Nodes of one part of a scope, by exact type (each list in no particular order), but
names, which are filed by what they do (:data:`NAME_KEYS`)."""

NAME_KEYS: dict[type, type] = {ast.Load: ast.Name, ast.Store: ast.Store, ast.Del: ast.Del}
"""Where a part files a ``Name`` node, by its context: the names read under ``ast.Name``,
those bound under ``ast.Store``, those deleted under ``ast.Del``. The collectors ask for
one of these far more often than for every name, and splitting them while filing costs
less than testing each name's context in every collector that reads them."""


def _parsed_contexts() -> dict[ast.AST, type]:
    """:data:`NAME_KEYS` by context *instance*: CPython's parser gives every name the same
    ``Load``, ``Store`` or ``Del`` object, which the index pass looks up without asking its
    type (a context made by other means is looked up by type)."""
    load, store, delete = ast.parse("a\na = 1\ndel a").body
    contexts = (load.value.ctx, store.targets[0].ctx, delete.targets[0].ctx)  # type: ignore[attr-defined]
    return {context: NAME_KEYS[type(context)] for context in contexts}


_CONTEXT_KEYS = _parsed_contexts()

_EMPTY: list[ast.AST] = []
_NO_PART: Part = {}
"""The part of every scope that has no node there yet; never written (the index pass gives
a scope its own part before adding to it, :func:`_own_part`)."""

# Field types (from the ``_ast`` signatures, e.g. ``Name(identifier id, expr_context ctx)``)
# that hold no node any collector looks for: names, literals, contexts, operators, aliases.
_SKIPPED_TYPES = frozenset(
    {"identifier", "string", "int", "constant", "expr_context", "operator", "boolop", "unaryop", "cmpop", "alias", "type_ignore"}
)
_SIGNATURE = re.compile(r"^(\w+)(?:\((.*)\))?$")


def _signature(kind: type) -> dict[str, str] | None:
    """The declared type of each field of a node type, from its ``_ast`` signature
    (``FunctionDef(identifier name, arguments args, stmt* body, ...)``: ``*`` a list, ``?``
    optional); ``None`` when the signature is missing or does not match ``_fields``."""
    match = _SIGNATURE.match((kind.__doc__ or "").strip())
    if match is None or match.group(1) != kind.__name__:
        return None
    declared: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in (match.group(2) or "").split(","))):
        type_name, _, name = item.rpartition(" ")
        declared[name] = type_name
    return declared if set(declared) == set(getattr(kind, "_fields", ())) else None


def _child_fields(kind: type) -> tuple[str, ...] | None:
    """The fields of ``kind`` that may hold nodes, in ``_fields`` order; ``None`` for a
    value that is not a node (a name, a number, ``None``). Every field when the node
    type's signature is missing."""
    if not (isinstance(kind, type) and issubclass(kind, _AST)):
        return None
    fields = tuple(getattr(kind, "_fields", ()))
    declared = _signature(kind)
    if declared is None:
        return fields
    return tuple(name for name in fields if declared[name].rstrip("*?") not in _SKIPPED_TYPES)


Plan = tuple[str | None, Callable[[ast.AST], tuple[Any, ...]] | None, str | None, Callable[[ast.AST], tuple[Any, ...]] | None]
"""How the index pass reaches the children of one node type: the one field holding a
node (or ``None``), a getter of the fields holding one node each when there are several,
the one field holding a list of nodes, a getter of the list fields when there are several."""


def _plan(kind: type) -> Plan | None:
    """The :data:`Plan` of a node type; ``None`` when its signature is missing."""
    declared = _signature(kind)
    if declared is None:
        return None
    fields = [name for name in getattr(kind, "_fields", ()) if declared[name].rstrip("*?") not in _SKIPPED_TYPES]
    single = [name for name in fields if not declared[name].endswith("*")]
    many = [name for name in fields if declared[name].endswith("*")]
    return (
        single[0] if len(single) == 1 else None,
        attrgetter(*single) if len(single) > 1 else None,
        many[0] if len(many) == 1 else None,
        attrgetter(*many) if len(many) > 1 else None,
    )


_ARG = ast.arg
_NAME = ast.Name
_SPECIAL = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.AnnAssign, ast.arg, ast.Name})
"""Node types whose children go to another part (or another scope) of the index, and
names, filed by context (:data:`NAME_KEYS`)."""
_NODE_TYPES = [kind for kind in vars(ast).values() if isinstance(kind, type) and issubclass(kind, _AST)]
_CHILD_FIELDS: dict[type, tuple[str, ...] | None] = {kind: _child_fields(kind) for kind in _NODE_TYPES}
"""The node-holding fields of every node type of :mod:`ast`."""
_LEAF: Plan = (None, None, None, None)
"""The plan of a node type without children (one shared tuple, recognised by identity)."""
_PLANS: dict[type, Plan] = {
    kind: _LEAF if plan == _LEAF else plan
    for kind in _NODE_TYPES
    if kind not in _SPECIAL and (plan := _plan(kind)) is not None
}
"""How the index pass reaches the children of each node type but the :data:`_SPECIAL`
ones (handled apart) and those without a signature (reached field by field)."""
_PLAN_OF: dict[type, Plan | None] = {**dict.fromkeys([*_NODE_TYPES, type(None)]), **_PLANS}
""":data:`_PLANS` with ``None`` for every other node type and for ``None`` (an empty
optional field): the index pass subscripts it, cheaper than ``dict.get``."""


def child_nodes(node: ast.AST) -> list[ast.AST]:
    """The children of ``node`` in field order, as :func:`ast.iter_child_nodes` gives
    them but without expression contexts, operators and import aliases (which hold
    nothing to collect)."""
    kind = type(node)
    fields = _CHILD_FIELDS[kind] if kind in _CHILD_FIELDS else _child_fields(kind)
    children: list[ast.AST] = []
    for name in fields or ():
        value = getattr(node, name, None)
        if type(value) is list:
            children.extend(item for item in value if isinstance(item, _AST))
        elif isinstance(value, _AST):
            children.append(value)
    return children


def find_nodes(roots: Iterable[ast.AST | None], kinds: Collection[type], skip: Collection[type] = ()) -> list[ast.AST]:
    """The nodes of exactly one of the types ``kinds`` under ``roots`` (the roots included;
    ``None`` roots are ignored), not looking inside the nodes whose type is in ``skip``, in
    no particular order. Children are reached as the index pass reaches them (one table
    look-up per node, no call), so a short walk costs a fraction of :func:`child_nodes`
    called node by node."""
    stack: list[Any] = list(roots)
    pop = stack.pop
    push = stack.append
    extend = stack.extend
    plans = _PLANS
    leaf = _LEAF
    found: list[ast.AST] = []
    while stack:
        node = pop()
        node_kind = type(node)
        if node_kind in skip:
            continue
        if node_kind in kinds:
            found.append(node)  # type: ignore[arg-type]
        plan = plans.get(node_kind)
        if plan is None:  # a name (no child), a parameter, a scope, an annotated assignment, ``None``
            if node is not None and node_kind is not _NAME:
                extend(child_nodes(node))
            continue
        if plan is leaf:
            continue
        one, several, one_list, several_lists = plan
        if one is not None:
            push(getattr(node, one))
        elif several is not None:
            extend(several(node))
        if one_list is not None:
            extend(getattr(node, one_list))
        elif several_lists is not None:
            for value in several_lists(node):
                extend(value)
    return found


class Scope:
    """One scope of a file: the module, a ``def``, a ``lambda`` or a ``class``.

    Its nodes are split into parts, each a dict from node type to the nodes of that
    type (:data:`Part`). ``body`` holds the scope's own code: everything under its body,
    down to (and including) the ``def``/``lambda``/``class`` nodes of nested scopes but
    not inside them, and not the annotations of annotated assignments, which are in
    ``annotations``. ``head`` holds what a ``def``/``lambda``/``class`` statement
    evaluates around its body: decorators, parameters and their defaults, base classes
    and keywords; ``head_annotations`` the parameter and return annotations;
    ``type_params`` the PEP 695 type parameters (Python 3.12+). Expression contexts,
    operators and import aliases are left out (they hold nothing to collect); names are
    filed by context (:data:`NAME_KEYS`: ``part[ast.Name]`` holds the names read)."""

    __slots__ = ("annotations", "body", "head", "head_annotations", "node", "parent", "type_params")

    def __init__(self, node: ast.AST, parent: Scope | None) -> None:
        self.node = node
        self.parent = parent
        self.body: Part = {}
        self.head: Part = {}
        # Most scopes have no annotated assignment, annotation or type parameter: these
        # parts start as the shared empty part and get their own on their first node.
        self.annotations: Part = _NO_PART
        self.head_annotations: Part = _NO_PART
        self.type_params: Part = _NO_PART

    def parts(self) -> tuple[Part, ...]:
        """Every part of the scope."""
        return (self.body, self.annotations, self.head, self.head_annotations, self.type_params)

    def own(self, kind: type) -> list[ast.AST]:
        """The nodes of exactly type ``kind`` in the body (do not modify the list)."""
        return self.body.get(kind, _EMPTY)

    def nested(self, part: Part | None = None) -> list[ast.AST]:
        """The ``def``/``lambda``/``class`` nodes of ``part`` (the body by default)."""
        part = self.body if part is None else part
        found: list[ast.AST] = []
        for kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef):
            found.extend(part.get(kind, _EMPTY))
        return found


class Shared:
    """Results about single nodes that more than one collector needs, computed once per
    file (the index carries one): the decorator names of a ``def`` (classes, functions)
    and the text of an import on one line (imports, cycles)."""

    __slots__ = ("_decorators", "_texts")

    def __init__(self) -> None:
        self._decorators: dict[ast.AST, tuple[str, ...]] = {}
        self._texts: dict[ast.AST, str] = {}

    def line_text(self, node: ast.stmt, lines: Sequence[str]) -> str | None:
        """The text of ``node`` as the collectors show a statement written on one line:
        spaces collapsed, ``( `` and `` )`` tightened, at most 120 characters; ``None``
        for a statement over several lines (or outside ``lines``). The imports and
        cycles collectors both show every import."""
        found = self._texts.get(node)
        if found is None:
            line = node.lineno
            if node.end_lineno != line or node.end_col_offset is None or not 0 < line <= len(lines):
                return None
            text = " ".join(lines[line - 1][node.col_offset : node.end_col_offset].replace("( ", "(").replace(" )", ")").split())
            found = self._texts[node] = text if len(text) <= 120 else text[:117] + "..."
        return found

    def decorator_names(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> tuple[str, ...]:
        """The names of the decorators of ``node`` (:func:`~archlint.engine.collectors.names.callee_name`):
        the classes and functions collectors both ask for every method's."""
        found = self._decorators.get(node)
        if found is None:
            found = self._decorators[node] = tuple([callee_name(item) for item in node.decorator_list]) if node.decorator_list else ()
        return found


class ScopeIndex:
    """The scopes of one parsed tree and their nodes by type, shared by the collectors of
    a file. Built by one iterative pass (no recursion, so any depth the parser accepts is
    fine) the first time a collector asks. The tree must not be modified once built."""

    __slots__ = ("_scopes", "_tree", "_with", "shared")

    def __init__(self, tree: ast.AST) -> None:
        self._tree = tree
        self._scopes: dict[ast.AST, Scope] | None = None
        self._with: dict[tuple[type, ...], list[Scope]] = {}
        self.shared = Shared()
        """What more than one collector asks of the file's nodes, computed once."""

    @property
    def tree(self) -> ast.AST:
        """The tree this index describes."""
        return self._tree

    @property
    def root(self) -> Scope:
        """The module's scope."""
        return self._index()[self._tree]

    def scope(self, node: ast.AST) -> Scope:
        """The scope a ``def``/``lambda``/``class`` node (or the module) opens. (Asked for
        every ``def`` by most collectors: one call, not two.)"""
        scopes = self._scopes
        return (scopes if scopes is not None else self._build())[node]

    def scopes(self) -> list[Scope]:
        """Every scope, the module first, each before the scopes nested in it."""
        return list(self._index().values())

    def scopes_with(self, *kinds: type) -> list[Scope]:
        """The scopes whose body holds a node of one of ``kinds``, in :meth:`scopes` order;
        remembered, since several collectors ask for the same kinds (the imports)."""
        found = self._with.get(kinds)
        if found is None:
            found = self._with[kinds] = []
            for scope in self._index().values():
                body = scope.body
                for kind in kinds:
                    if kind in body:
                        found.append(scope)
                        break
        return found

    def holds(self, kind: type) -> bool:
        """Whether any part of any scope holds a node of type ``kind``."""
        for scope in self._index().values():
            if kind in scope.body or kind in scope.head or kind in scope.annotations:
                return True
            if kind in scope.head_annotations or kind in scope.type_params:
                return True
        return False

    def _index(self) -> dict[ast.AST, Scope]:
        scopes = self._scopes
        return scopes if scopes is not None else self._build()

    def _build(self) -> dict[ast.AST, Scope]:
        """Fill every scope's parts with one pass. Each part is filled from a work list of
        roots (a stack, no recursion); the children of most nodes go on the same stack
        (:data:`Plan`), those of a node that opens a scope, of an annotated assignment or
        of an annotated parameter go to another part as new work."""
        root = Scope(self._tree, None)
        scopes: dict[ast.AST, Scope] = {self._tree: root}
        work: list[tuple[Scope, Part, list[ast.AST]]] = [(root, root.body, list(getattr(self._tree, "body", ())))]
        plans = _PLAN_OF
        leaf = _LEAF
        name_keys = NAME_KEYS
        context_keys = _CONTEXT_KEYS
        while work:
            scope, part, stack = work.pop()
            pop = stack.pop
            push = stack.append
            extend = stack.extend
            get = part.get
            annotations: list[ast.AST] | None = None  # parameter annotations met here: one work item for all
            while stack:
                node = pop()
                kind = type(node)
                try:
                    plan = plans[kind]
                except KeyError:  # not a type of this Python's ``ast`` (a subclass): field by field
                    plan = None
                if plan is None:  # a name, a parameter, a scope, an annotated assignment, ``None``
                    if kind is _NAME:  # the most frequent node: inline
                        try:
                            kind = context_keys[node.ctx]  # type: ignore[attr-defined]
                        except KeyError:  # a context object the parser did not make
                            kind = name_keys[type(node.ctx)]  # type: ignore[attr-defined]
                    elif kind is _ARG:  # the next most frequent without a plan: inline
                        if node.annotation is not None:  # type: ignore[attr-defined]
                            if annotations is None:
                                annotations = []
                            annotations.append(node.annotation)  # type: ignore[attr-defined]
                    else:
                        if node is not None:
                            work.extend(_special_work(scope, part, node, kind, scopes, stack))
                        continue
                    found = get(kind)
                    if found is None:
                        part[kind] = [node]
                    else:
                        found.append(node)
                    continue
                found = get(kind)
                if found is None:
                    part[kind] = [node]
                else:
                    found.append(node)
                if plan is leaf:  # a constant, ``pass``: no children
                    continue
                one, several, one_list, several_lists = plan
                if one is not None:
                    push(getattr(node, one))
                elif several is not None:
                    extend(several(node))
                if one_list is not None:
                    extend(getattr(node, one_list))
                elif several_lists is not None:
                    for value in several_lists(node):
                        extend(value)
            if annotations is not None:
                work.append((scope, _own_part(scope, "head_annotations"), annotations))
        self._scopes = scopes
        return scopes


def _own_part(scope: Scope, name: str) -> Part:
    """The part ``name`` (``annotations``, ``head_annotations`` or ``type_params``) of
    ``scope``, to add nodes to: its own, made now if it still is the shared empty part."""
    part: Part = getattr(scope, name)
    if part is _NO_PART:
        part = {}
        setattr(scope, name, part)
    return part


def _add(part: Part, kind: type, node: ast.AST) -> None:
    """Add ``node`` (of type ``kind``) to ``part``."""
    found = part.get(kind)
    if found is None:
        part[kind] = [node]
    else:
        found.append(node)


def _special_work(
    scope: Scope, part: Part, node: ast.AST, kind: type, scopes: dict[ast.AST, Scope], stack: list[ast.AST]
) -> list[tuple[Scope, Part, list[ast.AST]]]:
    """Add a node without a :data:`Plan` (but a parameter) to ``part`` and say where its
    children go: the annotation of an annotated assignment to the scope's annotations,
    its target and value back on ``stack``; a new scope's parts to new work. A type
    without a signature has its children found field by field; a value that is not a
    node (a name in a field without a signature) is dropped."""
    if kind not in _SPECIAL:
        fields = _child_fields(kind)
        if fields is None:
            return []
        _add(part, kind, node)
        stack.extend(child_nodes(node))
        return []
    _add(part, kind, node)
    if kind is ast.AnnAssign:
        stack.append(node.target)  # type: ignore[attr-defined]
        if node.value is not None:  # type: ignore[attr-defined]
            stack.append(node.value)  # type: ignore[attr-defined]
        return [(scope, _own_part(scope, "annotations"), [node.annotation])]  # type: ignore[attr-defined]
    inner = Scope(node, scope)
    scopes[node] = inner
    return _scope_work(inner, node)


def _scope_work(scope: Scope, node: Any) -> list[tuple[Scope, Part, list[ast.AST]]]:
    """The parts of a new scope (``node``: a ``def``, ``lambda`` or ``class``) and the
    children that fill each (no work for an empty part)."""
    kind = type(node)
    if kind is ast.Lambda:
        return [(scope, scope.head, [node.args]), (scope, scope.body, [node.body])]
    work: list[tuple[Scope, Part, list[ast.AST]]] = [(scope, scope.body, list(node.body))]
    if kind is ast.ClassDef:
        if node.decorator_list or node.bases or node.keywords:
            work.append((scope, scope.head, [*node.decorator_list, *node.bases, *node.keywords]))
    else:
        work.append((scope, scope.head, [*node.decorator_list, node.args]))
        if node.returns is not None:
            work.append((scope, _own_part(scope, "head_annotations"), [node.returns]))
    if kind in _WITH_TYPE_PARAMS and node.type_params:  # a test, not ``getattr``: an absent field raises
        work.append((scope, _own_part(scope, "type_params"), list(node.type_params)))
    return work


_WITH_TYPE_PARAMS = frozenset(kind for kind in _NODE_TYPES if "type_params" in getattr(kind, "_fields", ()))
"""The scope node types with PEP 695 type parameters (none before Python 3.12)."""


def scope_index(tree: ast.AST, source: SourceContext) -> ScopeIndex:
    """The shared index of ``tree``: the context's, or a fresh one for a context built
    without it (unit tests that call one collector)."""
    index = source.index
    return index if index is not None and index.tree is tree else ScopeIndex(tree)


@dataclass(frozen=True, slots=True)
class SourceContext:
    """The decoded source of one file and its place in the project."""

    path: str
    module: str
    is_package: bool
    text: str
    lines: list[str]
    index: ScopeIndex | None = field(default=None, compare=False, repr=False)
    """The scope index of the file's tree (set by the extractor; see :func:`scope_index`)."""
