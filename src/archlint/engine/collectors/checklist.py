"""Facts for the checklist rules (ARC602-ARC606) from one walk of the tree.

One recursive walk, in source order, keeps the enclosing function, whether its own body
is ``async``, and the variables of the enclosing loops; it skips the function bodies and
expressions where the scope index shows no fact can be (``checklist_flags.py``). Names
are resolved through the file's import aliases (``from time import sleep as nap`` makes
``nap()`` a ``time.sleep`` call). Nothing here judges: options and verdicts belong to the
rules.
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
from archlint.engine.collectors.checklist_flags import (
    BODY_FACTS,
    COMPREHENDS,
    MUTATES,
    MUTATORS,
    QUERIES,
    STORES,
    fact_flags,
    may_mutate,
    query_api,
)
from archlint.engine.collectors.checklist_handlers import route_handler
from archlint.engine.collectors.checklist_names import (
    FunctionNode,
    Names,
    bound_names,
    module_containers,
    own_statements,
    short_text,
)
from archlint.engine.collectors.context import Scope, SourceContext, child_nodes

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
_ANY_BLOCKING_METHOD = frozenset().union(*_BLOCKING_METHODS.values())


def new_scope(node: FunctionNode, qualname: str, outer: _Scope | None, names: Names) -> _Scope:
    """Locals, ``global`` declarations and tracked objects of a function's own body."""
    enclosing = outer.enclosing | outer.locals if outer is not None else frozenset()
    scope = _Scope(qualname=qualname, is_async=isinstance(node, ast.AsyncFunctionDef), enclosing=enclosing)
    args = node.args
    for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
        if arg is not None:
            scope.locals.add(arg.arg)
    parameters = frozenset(scope.locals)
    if names.has_walrus:  # `:=` binds inside expressions: every name the own body stores
        own = names.index.scope(node)
        scope.locals.update(item.id for part in (own.body, own.annotations) for item in part.get(ast.Store, ()))  # type: ignore[attr-defined]
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
    if node.returns is None and node.name != "__init__":
        return False
    args = node.args
    params = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return all(arg.annotation is not None for arg in params if arg is not None and arg.arg not in ("self", "cls"))


def blocking_target(node: ast.Call, frame: _Frame, names: Names) -> str:
    """The blocking API ``node`` calls in ``frame`` (an ``async def``), ``""`` when it does
    not block (or is unknown). The function's names (:meth:`_Frame.scope`, a walk of its
    body) are read only for the calls that need them: ``open()``, and a blocking method
    called on a local name."""
    func = node.func
    target = names.resolve(func)
    if target in BLOCKING_FUNCTIONS:
        return target
    if target == "open":
        scope = frame.scope()
        if "open" not in scope.locals | scope.enclosing:
            return target
    if not isinstance(func, ast.Attribute) or func.attr not in _ANY_BLOCKING_METHOD:
        return ""
    receiver = func.value
    kind = ""
    if isinstance(receiver, ast.Name):
        kind = frame.scope().objects.get(receiver.id, "")
    elif isinstance(receiver, (ast.Call, ast.BinOp)):
        kind = names.object_kind(receiver)
    if kind and func.attr in _BLOCKING_METHODS.get(kind, frozenset()):
        return f"{kind}.{func.attr}"
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
    if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.attr in MUTATORS):
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


_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
_LEAVES = (ast.Name, ast.Constant, ast.expr_context, ast.operator, ast.boolop, ast.cmpop, ast.unaryop, ast.alias)
"""Nodes that hold no call, assignment or scope: the walk does not descend into them."""
_ASSIGNMENTS = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)
_LEAF_KINDS = frozenset({ast.Name, ast.Constant})
"""The most frequent :data:`_LEAVES`, told by exact type before the ``isinstance`` test."""
_COMPREHENSION_KINDS = frozenset(_COMPREHENSIONS)
_CLAUSES = (ast.ExceptHandler, ast.match_case)
_BLOCKS: dict[type, tuple[str, ...]] = {
    kind: tuple(name for name in kind._fields if name in ("body", "handlers", "orelse", "finalbody", "cases"))
    for kind in (ast.If, ast.With, ast.AsyncWith, ast.Try, getattr(ast, "TryStar", ast.Try), ast.Match)
}
"""The fields of the compound statements (but loops, functions and classes) that hold
statements or ``except``/``case`` clauses, in field order."""


class _Frame:
    """A function whose own body the walk is in. Its names (:class:`_Scope`: locals,
    ``global`` declarations, tracked objects) are read from its body on first use: most
    functions never need them."""

    __slots__ = ("_scope", "is_async", "names", "node", "outer", "qualname")

    def __init__(self, node: FunctionNode, qualname: str, outer: _Frame | None, names: Names) -> None:
        self.node = node
        self.qualname = qualname
        self.is_async = isinstance(node, ast.AsyncFunctionDef)
        self.outer = outer
        self.names = names
        self._scope: _Scope | None = None

    def scope(self) -> _Scope:
        """The function's names (see :func:`new_scope`)."""
        if self._scope is None:
            outer = self.outer.scope() if self.outer is not None else None
            self._scope = new_scope(self.node, self.qualname, outer, self.names)
        return self._scope


class _Facts:
    """The facts found so far, in source order, and how each is recognised."""

    def __init__(self, tree: ast.Module, source: SourceContext) -> None:
        self.names = Names(tree, source)
        self.containers: dict[str, GlobalContainer] = module_containers(tree, self.names)
        self.blocking: list[BlockingCall] = []
        self.writes: list[GlobalWrite] = []
        self.handlers: list[RouteHandler] = []
        self.queries: list[LoopQuery] = []
        self.functions = 0
        self.annotated = 0

    def function(self, node: FunctionNode, qualname: str, is_method: bool) -> None:
        """A ``def`` at module or class level: counted, and maybe a route handler."""
        self.functions += 1
        self.annotated += fully_annotated(node)
        handler = route_handler(node, qualname, is_method, self.names)
        if handler is not None:
            self.handlers.append(handler)

    def assignment(self, node: ast.Assign | ast.AugAssign | ast.AnnAssign | ast.Delete, frame: _Frame) -> None:
        """Rebinding of ``global`` names and item writes to module containers."""
        scope = frame.scope()
        self.writes.extend(store_writes(node, scope, visible_containers(self.containers, scope)))

    def call(self, node: ast.Call, frame: _Frame | None, loops: tuple[str, ...]) -> None:
        """Blocking calls in async bodies, mutating calls on module containers, queries in loops."""
        func = node.func
        if frame is not None:
            target = blocking_target(node, frame, self.names) if frame.is_async else ""
            if target:
                self.blocking.append(BlockingCall(frame.qualname, target, node.lineno, node.col_offset + 1, short_text(func)))
            if may_mutate(node, self.containers):
                write = call_write(node, frame.scope(), self.containers)
                if write is not None:
                    self.writes.append(write)
        if loops and isinstance(func, ast.Attribute):
            api = query_api(func)
            if api == "sqlalchemy" and (
                "sqlalchemy" not in self.names.frameworks or _tracked(func.value, frame.scope() if frame is not None else None)
            ):
                api = ""  # a `session` that is not SQLAlchemy's (requests.Session, ...)
            if api:
                where = frame.qualname if frame is not None else "<module>"
                self.queries.append(loop_query(node, func, api, where, loops))


class _Expressions:
    """Walks expressions, where :func:`fact_flags` shows they may hold a fact (a call that
    may block, write module state or query a database), tracking the loop variables."""

    def __init__(self, facts: _Facts) -> None:
        self.facts = facts
        self.index = facts.names.index
        self.flags = fact_flags(self.index, facts.containers)

    def matter(self, where: Scope, frame: _Frame | None, loops: tuple[str, ...]) -> bool:
        """Whether expressions of ``where`` (a scope of the index, with the scopes nested in
        it) run in ``frame`` under ``loops`` may hold a fact."""
        flags = self.flags[where.node]
        if frame is not None and (frame.is_async or flags & MUTATES):
            return True
        return bool(flags & QUERIES) and bool(loops or flags & COMPREHENDS)

    def walk(self, node: ast.AST, frame: _Frame | None, loops: tuple[str, ...]) -> None:
        """Visit an expression and every node under it (a lambda's body runs later, outside
        ``frame`` and its loops)."""
        kind = type(node)
        if kind in _LEAF_KINDS or isinstance(node, _LEAVES):
            return
        if kind is ast.Lambda:
            if self.matter(self.index.scope(node), None, ()):
                self.walk(node.body, None, ())  # type: ignore[attr-defined]
        elif kind in _COMPREHENSION_KINDS:
            self.comprehension(node, frame, loops)  # type: ignore[arg-type]
        else:
            if kind is ast.Call:
                self.facts.call(node, frame, loops)  # type: ignore[arg-type]
            for child in child_nodes(node):
                self.walk(child, frame, loops)

    def comprehension(
        self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp, frame: _Frame | None, loops: tuple[str, ...]
    ) -> None:
        """A comprehension: all but the first iterable run once per item."""
        inner = loops
        for generator in node.generators:
            self.walk(generator.iter, frame, inner)
            inner = (*inner, "", *(name.id for name in _stored_names(generator.target)))
            for condition in generator.ifs:
                self.walk(condition, frame, inner)
        elements = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
        for element in elements:
            self.walk(element, frame, inner)


class _Walker:
    """The walk over a module's statements, in source order: tracks the function it is
    in, the qualname prefix and the variables of the enclosing loops. Statements are
    always visited (they hold the functions, classes, loops and assignments); the bodies
    of functions only where :func:`fact_flags` shows they may hold a fact, the
    expressions only where :meth:`_Expressions.matter`."""

    def __init__(self, facts: _Facts) -> None:
        self.facts = facts
        self.expressions = _Expressions(facts)
        self.index = facts.names.index

    def body(self, statements: list[ast.stmt], frame: _Frame | None, prefix: str, loops: tuple[str, ...], where: Scope) -> None:
        """Visit the statements of a body, whose code belongs to ``where`` (a scope of the index)."""
        expressions = self.expressions.matter(where, frame, loops)
        for statement in statements:
            self.statement(statement, frame, prefix, loops, where, expressions)

    def statement(
        self, node: ast.stmt, frame: _Frame | None, prefix: str, loops: tuple[str, ...], where: Scope, expressions: bool
    ) -> None:
        """Visit one statement, its nested statements and (where they matter: ``expressions``)
        its expressions."""
        kind = type(node)
        if kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
            self.function(node, frame, prefix)  # type: ignore[arg-type]
            return
        if kind is ast.ClassDef:
            inner = self.index.scope(node)
            if self.expressions.matter(inner, frame, loops):
                for item in node.decorator_list + node.bases:  # type: ignore[attr-defined]
                    self.expressions.walk(item, frame, loops)
            self.body(node.body, None, f"{prefix}{node.name}.", (), inner)  # type: ignore[attr-defined]
            return
        if kind is ast.For or kind is ast.AsyncFor or kind is ast.While:
            self.loop(node, frame, prefix, loops, where, expressions)  # type: ignore[arg-type]
            return
        if frame is not None and kind in _ASSIGNMENTS and self.expressions.flags[where.node] & STORES:
            self.facts.assignment(node, frame)  # type: ignore[arg-type]
        if not expressions:
            for name in _BLOCKS.get(kind, ()):  # only the nested statements
                for child in getattr(node, name):
                    if type(child) in _CLAUSES:
                        for item in child.body:
                            self.statement(item, frame, prefix, loops, where, expressions)
                    else:
                        self.statement(child, frame, prefix, loops, where, expressions)
            return
        walk = self.expressions.walk
        for child in child_nodes(node):
            if isinstance(child, ast.stmt):
                self.statement(child, frame, prefix, loops, where, expressions)
            elif isinstance(child, _CLAUSES):  # ``except`` and ``case`` clauses
                for item in child_nodes(child):
                    if isinstance(item, ast.stmt):
                        self.statement(item, frame, prefix, loops, where, expressions)
                    else:
                        walk(item, frame, loops)
            else:
                walk(child, frame, loops)

    def loop(
        self,
        node: ast.For | ast.AsyncFor | ast.While,
        frame: _Frame | None,
        prefix: str,
        loops: tuple[str, ...],
        where: Scope,
        expressions: bool,
    ) -> None:
        """A loop: its body runs once per item, its iterable and ``else`` once. ``loops``
        holds the variables of the enclosing ``for`` loops and comprehensions (and ``""``
        per loop); a ``while`` loop is not counted: it usually pages or chunks."""
        walk = self.expressions.walk if expressions else None
        if isinstance(node, ast.While):
            inner = loops
            if walk is not None:
                walk(node.test, frame, inner)
        else:
            inner = (*loops, "", *(name.id for name in _stored_names(node.target)))
            if walk is not None:
                walk(node.target, frame, loops)
                walk(node.iter, frame, loops)
        self.body(node.body, frame, prefix, inner, where)
        self.body(node.orelse, frame, prefix, loops, where)

    def function(self, node: FunctionNode, outer: _Frame | None, prefix: str) -> None:
        """Decorators and defaults run in the outer scope, the body in its own."""
        inner = self.index.scope(node)
        if self.expressions.matter(inner, outer, ()):
            for item in node.decorator_list:
                self.expressions.walk(item, outer, ())
            for default in node.args.defaults + [d for d in node.args.kw_defaults if d is not None]:
                self.expressions.walk(default, outer, ())
        qualname = f"{outer.qualname}.<locals>.{node.name}" if outer is not None else prefix + node.name
        if outer is None:
            self.facts.function(node, qualname, prefix != "")
        if self.expressions.flags[node] & BODY_FACTS:
            frame = _Frame(node, qualname, outer, self.facts.names)
            self.body(node.body, frame, f"{qualname}.<locals>.", (), inner)


def collect(tree: ast.Module, source: SourceContext) -> dict[str, Any]:
    """The ``checklist`` facts of one module."""
    facts = _Facts(tree, source)
    walker = _Walker(facts)
    walker.body(tree.body, None, "", (), walker.index.root)
    return {
        "checklist": ChecklistFacts(
            blocking_calls=tuple(facts.blocking),
            containers=tuple(sorted(facts.containers.values(), key=lambda c: (c.line, c.name))),
            global_writes=tuple(facts.writes),
            bindings=tuple(
                (name, *facts.names.first_binding[name])
                for name in sorted({w.name for w in facts.writes if w.how == "global"})
                if name in facts.names.first_binding
            ),
            handlers=tuple(facts.handlers),
            loop_queries=tuple(facts.queries),
            functions=facts.functions,
            annotated=facts.annotated,
        )
    }
