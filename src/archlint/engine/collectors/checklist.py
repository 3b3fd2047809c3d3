"""Facts for the checklist rules (ARC602-ARC606) from one walk of the tree.

One recursive walk keeps the enclosing function, whether its own body is ``async``, and
how deep in loops it is. Names are resolved through the file's import aliases
(``from time import sleep as nap`` makes ``nap()`` a ``time.sleep`` call). Nothing here
judges: options and verdicts belong to the rules.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from archlint.domain.checklist_facts import (
    BlockingCall,
    ChecklistFacts,
    GlobalContainer,
    GlobalWrite,
    LoopQuery,
    RouteHandler,
)
from archlint.engine.collectors.checklist_handlers import route_handler
from archlint.engine.collectors.checklist_names import (
    FunctionNode,
    Names,
    bound_names,
    dotted_name,
    module_containers,
    own_nodes,
    own_statements,
    short_text,
)
from archlint.engine.collectors.context import SourceContext

BLOCKING_FUNCTIONS = frozenset(
    {
        "time.sleep",
        "requests.get",
        "requests.post",
        "requests.put",
        "requests.patch",
        "requests.delete",
        "requests.head",
        "requests.options",
        "requests.request",
        "urllib.request.urlopen",
        "subprocess.run",
        "subprocess.call",
        "subprocess.check_call",
        "subprocess.check_output",
        "subprocess.getoutput",
        "subprocess.getstatusoutput",
        "os.system",
        "socket.create_connection",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.gethostbyaddr",
        "socket.getfqdn",
        "io.open",
        *(f"httpx.{verb}" for verb in ("get", "post", "put", "patch", "delete", "head", "options", "request", "stream")),
    }
)
"""Resolved callees that block the event loop."""


_MUTATORS = frozenset(
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


def _stored_names(node: ast.AST) -> Iterator[ast.Name]:
    for item in ast.walk(node):
        if isinstance(item, ast.Name) and isinstance(item.ctx, (ast.Store, ast.Del)):
            yield item


@dataclass
class _Scope:
    """What the walk knows about the function whose own body it is in."""

    qualname: str
    is_async: bool = False
    locals: set[str] = field(default_factory=set)
    declared_global: set[str] = field(default_factory=set)
    objects: dict[str, str] = field(default_factory=dict)
    enclosing: frozenset[str] = frozenset()
    """Locals of the enclosing functions (a closure sees them before module globals)."""
    returns_parameter: bool = False
    """The function returns one of its parameters unchanged: a registration decorator."""




_BLOCKING_METHODS: dict[str, frozenset[str]] = {
    "subprocess.Popen": frozenset({"wait", "communicate"}),
    "socket.socket": frozenset({"recv", "recv_into", "recvfrom", "send", "sendall", "sendto", "connect", "accept"}),
    "pathlib.Path": frozenset({"read_text", "read_bytes", "write_text", "write_bytes", "open"}),
    "requests.Session": frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request", "send"}),
    "httpx.Client": frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request", "send", "stream"}),
}
"""Blocking methods of objects made by known constructors (tracked through local names)."""


def new_scope(node: FunctionNode, qualname: str, outer: _Scope | None, names: Names) -> _Scope:
    """Locals, ``global`` declarations and tracked objects of a function's own body."""
    enclosing = outer.enclosing | outer.locals if outer is not None else frozenset()
    scope = _Scope(qualname=qualname, is_async=isinstance(node, ast.AsyncFunctionDef), enclosing=enclosing)
    args = node.args
    for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
        if arg is not None:
            scope.locals.add(arg.arg)
    parameters = frozenset(scope.locals)
    if names.has_walrus:  # `:=` binds inside expressions: look at every node
        scope.locals.update(
            item.id
            for item in own_nodes(node.body, names.index)
            if isinstance(item, ast.Name) and isinstance(item.ctx, ast.Store)
        )
    for item in own_statements(node.body):
        scope.locals.update(name for name, _, _ in bound_names(item) if not isinstance(item, ast.Delete))
        if isinstance(item, ast.Return) and isinstance(item.value, ast.Name) and item.value.id in parameters:
            scope.returns_parameter = True
        if isinstance(item, ast.Global):
            scope.declared_global.update(item.names)
        if isinstance(item, ast.Assign) and len(item.targets) == 1 and isinstance(item.targets[0], ast.Name):
            kind = names.object_kind(item.value)
            if kind:
                scope.objects[item.targets[0].id] = kind
        elif isinstance(item, (ast.With, ast.AsyncWith)):
            for with_item in item.items:
                kind = names.object_kind(with_item.context_expr)
                if kind and isinstance(with_item.optional_vars, ast.Name):
                    scope.objects[with_item.optional_vars.id] = kind
    scope.locals -= scope.declared_global
    return scope


def fully_annotated(node: FunctionNode) -> bool:
    """Every parameter but ``self``/``cls`` annotated, and the return (``__init__`` aside)."""
    args = node.args
    params = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    annotated = all(arg.annotation is not None for arg in params if arg is not None and arg.arg not in ("self", "cls"))
    return annotated and (node.returns is not None or node.name == "__init__")


def blocking_target(node: ast.Call, scope: _Scope, names: Names) -> str:
    """The blocking API ``node`` calls, ``""`` when it does not block (or is unknown)."""
    func = node.func
    target = names.resolve(func)
    if target in BLOCKING_FUNCTIONS or (target == "open" and "open" not in scope.locals | scope.enclosing):
        return target
    if not isinstance(func, ast.Attribute):
        return ""
    receiver = func.value
    kind = ""
    if isinstance(receiver, ast.Name):
        kind = scope.objects.get(receiver.id, "")
    elif isinstance(receiver, (ast.Call, ast.BinOp)):
        kind = names.object_kind(receiver)
    if kind and func.attr in _BLOCKING_METHODS.get(kind, frozenset()):
        return f"{kind}.{func.attr}"
    return ""


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


def store_writes(
    node: ast.Assign | ast.AugAssign | ast.AnnAssign | ast.Delete, scope: _Scope, containers: set[str]
) -> list[GlobalWrite]:
    """Rebinding of ``global`` names and item writes to module containers by one statement."""
    targets = list(node.targets) if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
    writes: list[GlobalWrite] = []
    for target in targets:
        for name in _stored_names(target):
            if name.id in scope.declared_global:
                writes.append(GlobalWrite(name.id, scope.qualname, "global", name.lineno, name.col_offset + 1, scope.returns_parameter))
        for item in ast.walk(target):
            if isinstance(item, ast.Subscript) and isinstance(item.value, ast.Name) and item.value.id in containers:
                how = "item deletion" if isinstance(node, ast.Delete) else "item assignment"
                writes.append(GlobalWrite(item.value.id, scope.qualname, how, item.lineno, item.col_offset + 1, scope.returns_parameter))
    return writes


def visible_containers(containers: Mapping[str, GlobalContainer], scope: _Scope) -> set[str]:
    """Module containers a function sees (not shadowed by its or enclosing locals)."""
    return {name for name in containers if name not in scope.locals and name not in scope.enclosing}


def call_write(node: ast.Call, scope: _Scope, containers: Mapping[str, GlobalContainer]) -> GlobalWrite | None:
    """The mutation of a module container by a method call (``_cache.update(...)``), if any."""
    func = node.func
    if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.attr in _MUTATORS):
        return None
    if func.value.id not in visible_containers(containers, scope):
        return None
    how = f".{func.attr}()"
    return GlobalWrite(func.value.id, scope.qualname, how, node.lineno, node.col_offset + 1, scope.returns_parameter)


def _tracked(receiver: ast.expr, scope: _Scope | None) -> bool:
    """``receiver`` is a local name bound to a known non-database object."""
    return scope is not None and isinstance(receiver, ast.Name) and receiver.id in scope.objects


def loop_query(node: ast.Call, func: ast.Attribute, api: str, where: str, loops: tuple[str, ...]) -> LoopQuery:
    """The facts of a query call inside a loop."""
    arguments: list[ast.expr] = [*node.args, *(keyword.value for keyword in node.keywords)]
    variables = {name for name in loops if name}
    uses = any(isinstance(item, ast.Name) and item.id in variables for arg in arguments for item in ast.walk(arg))
    parametrized = len(node.args) >= 2 or any(keyword.arg in ("parameters", "params", "args") for keyword in node.keywords)
    if node.args and isinstance(node.args[0], ast.Name) and node.args[0].id in variables:
        parametrized = False  # the statement itself comes from the loop: a statement list
    return LoopQuery(where, api, short_text(func), node.lineno, node.col_offset + 1, uses, parametrized)


_LEAVES = (ast.Name, ast.Constant, ast.expr_context, ast.operator, ast.boolop, ast.cmpop, ast.unaryop, ast.alias)
"""Nodes that hold no call, assignment or scope: the walk does not descend into them."""


class _Walker:
    """The one walk over a module: tracks the function scope and the loop depth."""

    def __init__(self, tree: ast.Module, source: SourceContext) -> None:
        self.names = Names(tree, source)
        self.containers: dict[str, GlobalContainer] = module_containers(tree, self.names)
        self.blocking: list[BlockingCall] = []
        self.writes: list[GlobalWrite] = []
        self.handlers: list[RouteHandler] = []
        self.queries: list[LoopQuery] = []
        self.functions = 0
        self.annotated = 0

    def walk(self, node: ast.AST, scope: _Scope | None, prefix: str, loops: tuple[str, ...]) -> None:
        """Visit ``node`` and its children."""
        if isinstance(node, _LEAVES):
            return
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.enter_function(node, scope, prefix)
        elif isinstance(node, ast.ClassDef):
            for item in node.decorator_list + node.bases:
                self.walk(item, scope, prefix, loops)
            for statement in node.body:
                self.walk(statement, None, f"{prefix}{node.name}.", ())
        elif isinstance(node, ast.Lambda):
            self.walk(node.body, None, prefix, ())
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            self.walk_loop(node, scope, prefix, loops)
        elif isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            self.walk_comprehension(node, scope, prefix, loops)
        else:
            if isinstance(node, ast.Call):
                self.note_call(node, scope, loops)
            elif scope is not None and isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
                self.writes.extend(store_writes(node, scope, visible_containers(self.containers, scope)))
            for child in self.names.index.children(node):
                self.walk(child, scope, prefix, loops)

    def walk_loop(
        self, node: ast.For | ast.AsyncFor | ast.While, scope: _Scope | None, prefix: str, loops: tuple[str, ...]
    ) -> None:
        """A loop: its body runs once per item, its iterable and ``else`` once. ``loops``
        holds the variables of the enclosing ``for`` loops and comprehensions (and ``""``
        per loop); a ``while`` loop is not counted: it usually pages or chunks."""
        if isinstance(node, ast.While):
            inner = loops
            self.walk(node.test, scope, prefix, inner)
        else:
            inner = (*loops, "", *(name.id for name in _stored_names(node.target)))
            self.walk(node.target, scope, prefix, loops)
            self.walk(node.iter, scope, prefix, loops)
        for statement in node.body:
            self.walk(statement, scope, prefix, inner)
        for statement in node.orelse:
            self.walk(statement, scope, prefix, loops)

    def walk_comprehension(
        self,
        node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp,
        scope: _Scope | None,
        prefix: str,
        loops: tuple[str, ...],
    ) -> None:
        """A comprehension: all but the first iterable run once per item."""
        inner = loops
        for generator in node.generators:
            self.walk(generator.iter, scope, prefix, inner)
            inner = (*inner, "", *(name.id for name in _stored_names(generator.target)))
            for condition in generator.ifs:
                self.walk(condition, scope, prefix, inner)
        elements = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
        for element in elements:
            self.walk(element, scope, prefix, inner)

    def enter_function(self, node: FunctionNode, outer: _Scope | None, prefix: str) -> None:
        """Decorators and defaults run in the outer scope, the body in its own."""
        for item in node.decorator_list:
            self.walk(item, outer, prefix, ())
        for default in node.args.defaults + [d for d in node.args.kw_defaults if d is not None]:
            self.walk(default, outer, prefix, ())
        qualname = f"{outer.qualname}.<locals>.{node.name}" if outer is not None else prefix + node.name
        if outer is None:
            self.functions += 1
            self.annotated += fully_annotated(node)
            handler = route_handler(node, qualname, prefix != "", self.names)
            if handler is not None:
                self.handlers.append(handler)
        scope = new_scope(node, qualname, outer, self.names)
        for statement in node.body:
            self.walk(statement, scope, f"{qualname}.<locals>.", ())

    def note_call(self, node: ast.Call, scope: _Scope | None, loops: tuple[str, ...]) -> None:
        """Blocking calls in async bodies, mutating calls on module containers, queries in loops."""
        func = node.func
        if scope is not None:
            target = blocking_target(node, scope, self.names) if scope.is_async else ""
            if target:
                self.blocking.append(BlockingCall(scope.qualname, target, node.lineno, node.col_offset + 1, short_text(func)))
            write = call_write(node, scope, self.containers)
            if write is not None:
                self.writes.append(write)
        if loops and isinstance(func, ast.Attribute):
            api = query_api(func)
            if api == "sqlalchemy" and ("sqlalchemy" not in self.names.frameworks or _tracked(func.value, scope)):
                api = ""  # a `session` that is not SQLAlchemy's (requests.Session, ...)
            if api:
                where = scope.qualname if scope is not None else "<module>"
                self.queries.append(loop_query(node, func, api, where, loops))


def collect(tree: ast.Module, source: SourceContext) -> dict[str, Any]:
    """The ``checklist`` facts of one module."""
    walker = _Walker(tree, source)
    for statement in tree.body:
        walker.walk(statement, None, "", ())
    return {
        "checklist": ChecklistFacts(
            blocking_calls=tuple(walker.blocking),
            containers=tuple(sorted(walker.containers.values(), key=lambda c: (c.line, c.name))),
            global_writes=tuple(walker.writes),
            bindings=tuple(
                (name, *walker.names.first_binding[name])
                for name in sorted({w.name for w in walker.writes if w.how == "global"})
                if name in walker.names.first_binding
            ),
            handlers=tuple(walker.handlers),
            loop_queries=tuple(walker.queries),
            functions=walker.functions,
            annotated=walker.annotated,
        )
    }
