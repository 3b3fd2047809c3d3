"""Name resolution for the checklist collector: import aliases, module-level bindings and
the web frameworks a module uses, plus the small AST helpers its parts share."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cached_property

from archlint.domain.checklist_facts import GlobalContainer
from archlint.engine.collectors.context import SourceContext, child_nodes, scope_index
from archlint.engine.collectors.imports import resolve_relative
from archlint.engine.collectors.names import dotted_name

SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
_TRY_TYPES = frozenset({ast.Try, getattr(ast, "TryStar", ast.Try)})
FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
_TEXT_LIMIT = 80
_ROUTE_CLASSES = frozenset({"starlette.routing.Route", "fastapi.routing.APIRoute"})
_BUILTINS = frozenset({"open", "list", "dict", "set", "bytearray", "object"})

_CONSTRUCTORS = {
    "subprocess.Popen": "subprocess.Popen",
    "socket.socket": "socket.socket",
    "socket.create_connection": "socket.socket",
    "pathlib.Path": "pathlib.Path",
    "pathlib.PosixPath": "pathlib.Path",
    "pathlib.WindowsPath": "pathlib.Path",
    "requests.Session": "requests.Session",
    "requests.session": "requests.Session",
    "requests.sessions.Session": "requests.Session",
    "httpx.Client": "httpx.Client",
}
"""Calls building an object whose methods may block, and the kind of object they build."""

_CONTAINER_LITERALS: dict[type, str] = {
    ast.List: "list",
    ast.Dict: "dict",
    ast.Set: "set",
    ast.ListComp: "list",
    ast.DictComp: "dict",
    ast.SetComp: "set",
}
_CONTAINER_CALLS = {
    "list": "list",
    "dict": "dict",
    "set": "set",
    "bytearray": "bytearray",
    "collections.defaultdict": "defaultdict",
    "collections.OrderedDict": "OrderedDict",
    "collections.deque": "deque",
    "collections.Counter": "Counter",
    "collections.ChainMap": "ChainMap",
}




def short_text(node: ast.AST) -> str:
    """The node's source on one line, shortened."""
    try:
        text = " ".join(ast.unparse(node).split())
    except Exception:  # noqa: BLE001 - unparse of a valid tree should not fail; never crash
        return ""
    return text if len(text) <= _TEXT_LIMIT else text[: _TEXT_LIMIT - 3] + "..."


def own_nodes(body: list[ast.stmt]) -> Iterator[ast.AST]:
    """Every node of a body in source order (but expression contexts, operators and import
    aliases), not entering nested functions, lambdas or classes."""
    stack: list[ast.AST] = list(reversed(body))
    while stack:
        item = stack.pop()
        yield item
        children = [child for child in child_nodes(item) if not isinstance(child, SCOPES)]
        stack.extend(reversed(children))


def own_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Every statement of a body in source order, including those nested in ``if``/``for``/
    ``while``/``with``/``try``/``match`` blocks, but not the bodies of nested functions or
    classes (their ``def``/``class`` statement itself is yielded). Cheaper than walking every
    expression node when only statements matter."""
    stack: list[ast.stmt] = list(reversed(body))
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        nested: list[ast.stmt] = []
        for name in _STATEMENT_BLOCKS.get(type(item), ()):
            for child in getattr(item, name) or ():
                if isinstance(child, ast.stmt):
                    nested.append(child)
                elif isinstance(child, (ast.ExceptHandler, ast.match_case)):
                    nested.extend(child.body)
        stack.extend(reversed(nested))


_BLOCK_FIELDS = ("body", "handlers", "orelse", "finalbody", "cases")
"""The fields that hold statements (or the clauses that hold them), in ``_fields`` order."""
_STATEMENT_BLOCKS: dict[type, tuple[str, ...]] = {
    kind: fields
    for kind in vars(ast).values()
    if isinstance(kind, type) and issubclass(kind, ast.stmt)
    if (fields := tuple(name for name in _BLOCK_FIELDS if name in kind._fields))
}
"""The :data:`_BLOCK_FIELDS` of each statement type that has any (looked up by type: a
``getattr`` with a default raises and catches an error for every absent field)."""


def _imports_in_walk_order(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement of the file in :func:`ast.walk` order (breadth first), found
    by walking statements only: statements nest only through these fields, so each keeps
    its depth and its order among the others."""
    queue: list[ast.AST] = [tree]
    for node in queue:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
            continue
        fields = node._fields
        for name in _BLOCK_FIELDS:
            if name in fields:
                queue.extend(getattr(node, name))


def bound_names(statement: ast.stmt) -> Iterator[tuple[str, int, int]]:
    """``(name, line, column)`` of every name ``statement`` itself binds (assignment, loop and
    ``with`` targets, ``del``, ``except ... as``, ``match`` captures, ``def``/``class``/``import``)."""
    targets: list[ast.AST] = []
    if isinstance(statement, (ast.Assign, ast.Delete)):
        targets = list(statement.targets)
    elif isinstance(statement, (ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor)):
        targets = [statement.target]
    elif isinstance(statement, (ast.With, ast.AsyncWith)):
        targets = [item.optional_vars for item in statement.items if item.optional_vars is not None]
    elif isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield statement.name, statement.lineno, statement.col_offset + 1
    elif isinstance(statement, (ast.Import, ast.ImportFrom)):
        for alias in statement.names:
            yield (alias.asname or alias.name).split(".")[0], statement.lineno, statement.col_offset + 1
    elif isinstance(statement, ast.Try) or type(statement).__name__ == "TryStar":
        for handler in statement.handlers:  # type: ignore[attr-defined]
            if handler.name:
                yield handler.name, handler.lineno, handler.col_offset + 1
    elif isinstance(statement, ast.Match):
        targets = [case.pattern for case in statement.cases]
    for target in targets:
        for node in ast.walk(target):
            if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
                yield node.id, node.lineno, node.col_offset + 1
            elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
                yield node.name, node.lineno, node.col_offset + 1
            elif isinstance(node, ast.MatchMapping) and node.rest:
                yield node.rest, node.lineno, node.col_offset + 1


def _framework(module: str) -> str:
    head = module.split(".")[0]
    if head in ("fastapi", "starlette"):
        return "fastapi"
    if head in ("sqlalchemy", "sqlmodel", "flask_sqlalchemy"):
        return "sqlalchemy"
    return head if head in ("flask", "django") else ""


class Names:
    """The names of one module: import aliases, module-level bindings, web frameworks."""

    def __init__(self, tree: ast.Module, source: SourceContext) -> None:
        self.module = source.module
        self.aliases: dict[str, str] = {}
        self.tree = tree
        self.frameworks: set[str] = set()
        self.index = scope_index(tree, source)
        """The file's shared scope index."""
        self._note_imports(tree, source)
        self.endpoints: dict[str, frozenset[str]] = route_endpoints(tree, self) if "fastapi" in self.frameworks else {}
        """Functions named as Starlette ``Route(path, endpoint, methods=...)`` endpoints, with their verbs."""

    def _note_imports(self, tree: ast.Module, source: SourceContext) -> None:
        """Every import alias of the file (wherever it is), and which web frameworks it uses.

        When two imports bind one alias to different targets, the last in :func:`ast.walk`
        order wins; the imports are taken from the scope index, in no order, and put in
        that order only then."""
        imports = [
            node
            for scope in self.index.scopes_with(ast.Import, ast.ImportFrom)
            for kind in (ast.Import, ast.ImportFrom)
            for node in scope.own(kind)
        ]
        pairs = [pair for node in imports for pair in _import_aliases(node, source, self.frameworks)]  # type: ignore[arg-type]
        self.aliases = dict(pairs)
        if len(self.aliases) < len(pairs) and any(self.aliases[alias] != target for alias, target in pairs):
            self.aliases = {}
            for node in _imports_in_walk_order(tree):
                self.aliases.update(_import_aliases(node, source, self.frameworks))
        self.frameworks.discard("")

    @cached_property
    def views_module(self) -> bool:
        """Whether the module's dotted name has a ``views`` or ``api`` part (where Django
        function views live)."""
        return any("views" in part or "api" in part for part in self.module.split("."))

    @cached_property
    def has_walrus(self) -> bool:
        """Whether the file uses ``:=`` anywhere (asked of the index: cheaper than searching
        the text for the token)."""
        return self.index.holds(ast.NamedExpr)

    @property
    def module_names(self) -> set[str]:
        """Names bound at module level (outside functions and classes)."""
        return self._module_bindings[0]

    @property
    def first_binding(self) -> dict[str, tuple[int, int]]:
        """Line and column of the first module-level assignment of each name."""
        return self._module_bindings[1]

    @cached_property
    def _module_bindings(self) -> tuple[set[str], dict[str, tuple[int, int]]]:
        """:attr:`module_names` and :attr:`first_binding`, found on first use (most files
        never ask); a file using ``:=`` is walked node by node, since a walrus can bind
        inside any expression."""
        names: set[str] = set()
        first: dict[str, tuple[int, int]] = {}
        if self.has_walrus:
            for node in own_nodes(self.tree.body):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    names.add(node.name)
                elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    names.add(node.id)
                    first.setdefault(node.id, (node.lineno, node.col_offset + 1))
            return names, first
        for statement in own_statements(self.tree.body):
            for name, line, column in bound_names(statement):
                names.add(name)
                if not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)):
                    first.setdefault(name, (line, column))
        return names, first

    def resolve(self, node: ast.expr) -> str:
        """The imported dotted name an expression stands for (``""`` when unknown).
        Builtins resolve to their own name when the module does not rebind them."""
        name = dotted_name(node)
        if not name:
            return ""
        head, _, rest = name.partition(".")
        target = self.aliases.get(head)
        if target is None:
            return name if head in _BUILTINS and head not in self.module_names else ""
        return f"{target}.{rest}" if rest else target

    def container_kind(self, value: ast.expr) -> str:
        """The container type a module-level value builds, ``""`` when not a container."""
        literal = _CONTAINER_LITERALS.get(type(value))
        if literal:
            return literal
        if isinstance(value, ast.Call):
            return _CONTAINER_CALLS.get(self.resolve(value.func), "")
        return ""

    def object_kind(self, value: ast.expr) -> str:
        """``subprocess.Popen``/``socket.socket``/``pathlib.Path`` when ``value`` builds one."""
        if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Div):
            kind = self.object_kind(value.left)
            return kind if kind == "pathlib.Path" else ""
        if isinstance(value, ast.Call):
            return _CONSTRUCTORS.get(self.resolve(value.func), "")
        return ""


def _import_aliases(node: ast.Import | ast.ImportFrom, source: SourceContext, frameworks: set[str]) -> list[tuple[str, str]]:
    """The ``(alias, dotted target)`` pairs an import binds; its web framework goes to ``frameworks``."""
    if isinstance(node, ast.Import):
        pairs = []
        for alias in node.names:
            head = alias.name.split(".")[0]
            pairs.append((alias.asname or head, alias.name if alias.asname else head))
            frameworks.add(_framework(alias.name))
        return pairs
    module = resolve_relative(source.module, source.is_package, node.level or 0, node.module)
    if not module:
        return []
    if not node.level:
        frameworks.add(_framework(module))
    return [(alias.asname or alias.name, f"{module}.{alias.name}") for alias in node.names if alias.name != "*"]


def route_endpoints(tree: ast.Module, names: Names) -> dict[str, frozenset[str]]:
    """Functions named as endpoints of Starlette ``Route(...)`` calls, with their HTTP verbs
    (``GET`` when ``methods`` is not given)."""
    endpoints: dict[str, frozenset[str]] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and names.resolve(node.func) in _ROUTE_CLASSES):
            continue
        endpoint = node.args[1] if len(node.args) >= 2 else None
        methods: set[str] = set()
        for keyword in node.keywords:
            if keyword.arg == "endpoint":
                endpoint = keyword.value
            elif keyword.arg == "methods" and isinstance(keyword.value, (ast.List, ast.Tuple, ast.Set)):
                methods.update(
                    item.value.lower()
                    for item in keyword.value.elts
                    if isinstance(item, ast.Constant) and isinstance(item.value, str)
                )
        if isinstance(endpoint, ast.Name):
            endpoints[endpoint.id] = frozenset(methods or {"get"})
    return endpoints


def module_containers(tree: ast.Module, names: Names) -> dict[str, GlobalContainer]:
    """Module-level names bound to mutable containers (in module, ``if`` and ``try`` bodies)."""
    found: dict[str, GlobalContainer] = {}
    queue: list[ast.stmt] = list(tree.body)
    for node in queue:  # a queue: the blocks of an ``if``/``try`` come after the statements before them
        statement = type(node)
        if statement is ast.If:
            queue.extend(node.body + node.orelse)  # type: ignore[attr-defined]
        elif statement in _TRY_TYPES:
            queue.extend(node.body + node.orelse + node.finalbody)  # type: ignore[attr-defined]
            for handler in node.handlers:  # type: ignore[attr-defined]
                queue.extend(handler.body)
        elif (statement is ast.Assign or statement is ast.AnnAssign) and node.value is not None:  # type: ignore[attr-defined]
            assert isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            kind = names.container_kind(node.value)
            for target in targets:
                if isinstance(target, ast.Name) and kind and not target.id.startswith("__"):
                    found.setdefault(target.id, GlobalContainer(target.id, kind, target.lineno, target.col_offset + 1))
    return found
