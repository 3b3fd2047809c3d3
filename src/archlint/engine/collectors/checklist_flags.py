"""Where a checklist fact may be, read from the scope index before the checklist walk.

For every scope (the module, each ``def``, ``lambda`` and class, with the scopes nested in
it) a few flags tell whether it holds a call that may be a database query or mutate a
module container, a ``global`` declaration or an item write to a module container, a
comprehension, an ``async def`` or a class. The flags are a superset of what the walk can
find (the walk still decides), so it skips the function bodies and the expressions that
cannot hold a fact. The call classifications the walk shares live here too."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from operator import attrgetter

from archlint.domain.checklist_facts import GlobalContainer
from archlint.engine.collectors.checklist_names import dotted_name
from archlint.engine.collectors.context import Part, ScopeIndex

MUTATORS = frozenset(
    {
        "append",
        "extend",
        "insert",
        "remove",
        "pop",
        "clear",
        "update",
        "setdefault",
        "add",
        "discard",
        "popitem",
        "appendleft",
        "extendleft",
        "popleft",
        "sort",
        "reverse",
        "__setitem__",
        "__delitem__",
        "difference_update",
        "intersection_update",
        "symmetric_difference_update",
    }
)

"""Methods that change a list, dict, set or deque in place."""

_DJANGO_QUERIES = frozenset(
    {
        "get",
        "filter",
        "exclude",
        "create",
        "get_or_create",
        "update_or_create",
        "count",
        "exists",
        "first",
        "last",
        "aggregate",
        "values",
        "values_list",
        "update",
        "delete",
        "in_bulk",
        "earliest",
        "latest",
        "all",
        "raw",
    }
)
_SESSION_QUERIES = frozenset({"execute", "exec", "scalars", "scalar", "get", "get_one", "query", "refresh"})
_CURSOR_QUERIES = frozenset({"execute", "executemany"})


def query_api(func: ast.Attribute) -> str:
    """``django``/``sqlalchemy``/``db-api`` when ``func`` is a query method, else ``""``."""
    receiver = dotted_name(func.value)
    if not receiver:
        return ""
    parts = receiver.split(".")
    last = parts[-1].lower()
    if parts[-1] == "objects" and len(parts) >= 2 and parts[-2][:1].isupper():
        return "django" if func.attr in _DJANGO_QUERIES else ""
    if (last == "session" or last.endswith("_session")) and func.attr in _SESSION_QUERIES:
        return "sqlalchemy"
    if (last in ("cursor", "cur") or last.endswith("_cursor")) and func.attr in _CURSOR_QUERIES:
        return "db-api"
    return ""


def may_mutate(node: ast.Call, containers: Mapping[str, GlobalContainer]) -> bool:
    """Whether ``node`` calls a mutating method on a module container's name (shadowed or
    not: :func:`call_write` decides)."""
    func = node.func
    return (
        type(func) is ast.Attribute
        and func.attr in MUTATORS  # type: ignore[attr-defined]
        and type(func.value) is ast.Name  # type: ignore[attr-defined]
        and func.value.id in containers  # type: ignore[attr-defined]
    )


QUERIES, MUTATES, STORES, COMPREHENDS, ASYNC, CLASS = (1 << bit for bit in range(6))
"""What a scope (with the scopes nested in it) may hold, as :func:`fact_flags` sees it:
a call that may be a database query, a mutating call on a module container, a ``global``
declaration or an item write to a module container, a comprehension, an ``async def``,
a class (whose methods are counted)."""
BODY_FACTS = QUERIES | MUTATES | STORES | ASYNC | CLASS
"""A function body without any of these holds no checklist fact: the walk skips it."""
_QUERY_METHODS = _DJANGO_QUERIES | _SESSION_QUERIES | _CURSOR_QUERIES
_ATTR = attrgetter("attr")
_COMPREHENSIONS = frozenset({ast.ListComp, ast.GeneratorExp, ast.SetComp, ast.DictComp})
_LOOPS = frozenset({ast.For, ast.AsyncFor, *_COMPREHENSIONS})
"""What makes a call in the same part run once per item: a ``for`` loop or a comprehension."""


def fact_flags(index: ScopeIndex, containers: Mapping[str, GlobalContainer]) -> dict[ast.AST, int]:
    """The flags of every scope node (the module, each ``def``, ``lambda`` and class),
    read from the scope index: a superset of what the walk can find there, so it skips
    what cannot hold a fact. (Every part of every scope of every file comes here: the
    tests are made in line, cheapest first.)"""
    flags: dict[ast.AST, int] = {}
    attribute = ast.Attribute
    declaration = ast.Global
    subscript = ast.Subscript
    loops = _LOOPS
    list_comp, generator, set_comp, dict_comp = ast.ListComp, ast.GeneratorExp, ast.SetComp, ast.DictComp
    for scope in reversed(index.scopes()):  # nested scopes first
        node = scope.node
        found = flags.get(node, 0)
        kind = type(node)
        if kind is ast.AsyncFunctionDef:
            found |= ASYNC
        elif kind is ast.ClassDef:
            found |= CLASS
        for part in (scope.body, scope.annotations, scope.head, scope.head_annotations, scope.type_params):
            if not part:
                continue
            attributes = part.get(attribute)
            # A query is only a fact inside a ``for`` loop or a comprehension of its own
            # part (a lambda, a ``def`` or a class starts without loops): elsewhere it needs
            # no flag. A call's callee is in the same part: without an attribute named like
            # a query or a mutator method (the common case, told in C), no call needs a look.
            queries = attributes is not None and not part.keys().isdisjoint(loops) and not _QUERY_METHODS.isdisjoint(map(_ATTR, attributes))
            if queries or (attributes and containers and not MUTATORS.isdisjoint(map(_ATTR, attributes))):
                found |= _call_flags(part, containers, found if queries else found | QUERIES)
            if declaration in part:
                found |= STORES
            elif containers and subscript in part:
                for item in part[subscript]:
                    if type(item.value) is ast.Name and item.value.id in containers:  # type: ignore[attr-defined]
                        found |= STORES
                        break
            if list_comp in part or generator in part or set_comp in part or dict_comp in part:
                found |= COMPREHENDS
        flags[node] = found
        if scope.parent is not None:
            parent = scope.parent.node
            flags[parent] = flags.get(parent, 0) | found
    return flags


def _call_flags(part: Part, containers: Mapping[str, GlobalContainer], found: int) -> int:
    """``QUERIES`` and ``MUTATES`` as the calls of ``part`` show them (see :func:`fact_flags`);
    ``found`` holds the flags known already (or not to look for: its ``QUERIES`` is set when
    a query would be no fact there)."""
    known = found
    attribute = ast.Attribute
    name = ast.Name
    for call in part.get(ast.Call, ()):
        func = call.func  # type: ignore[attr-defined]
        if type(func) is not attribute:
            continue
        attr = func.attr
        if attr in _QUERY_METHODS and not found & QUERIES and query_api(func):
            found |= QUERIES
        if containers and attr in MUTATORS and type(func.value) is name and func.value.id in containers:
            found |= MUTATES
        if found & (QUERIES | MUTATES) == QUERIES | MUTATES:
            break
    return found & ~known & (QUERIES | MUTATES)
