"""Route handlers and where their raw request data goes, for ARC604.

A handler is a FastAPI/Starlette or Flask function decorated with a route verb
(``@app.post``, ``@router.get``, ``@bp.route``), a Flask ``MethodView`` body method, or,
in a module importing Django, a function or method whose first parameter is ``request``.
"""

from __future__ import annotations

import ast

from archlint.domain.checklist_facts import TYPED_GET, RawRead, RouteHandler
from archlint.engine.collectors.checklist_names import (
    FunctionNode,
    Names,
    dotted_name,
    own_nodes,
    short_text,
)
from archlint.engine.collectors.context import child_nodes

_ROUTE_VERBS = frozenset({"get", "post", "put", "patch", "delete", "route", "api_route"})
_BODY_VERBS = frozenset({"post", "put", "patch"})
_STARLETTE_READS = frozenset({"json", "form", "body"})
_FLASK_READS = frozenset({"get_json", "json", "form", "get_data", "data", "values"})
_FLASK_CALLS = frozenset({"get_json", "get_data"})
_DJANGO_READS = frozenset({"POST", "body"})
_VIEW_METHODS = frozenset({"get", "post", "put", "patch", "delete", "dispatch"})
_REQUEST_TYPES = frozenset(
    {"fastapi.Request", "starlette.requests.Request", "fastapi.requests.Request", "starlette.requests.HTTPConnection"}
)
_RAW_ANNOTATIONS = frozenset({"dict", "typing.Dict", "typing.Any", "typing.Mapping", "collections.abc.Mapping"})
_NOT_BODY_DEFAULTS = frozenset({"Depends", "Query", "Path", "Header", "Cookie", "Security", "File", "Form"})
_TRANSPARENT_CALLS = frozenset({"json.loads", "dict", "list", "orjson.loads", "ujson.loads", "simplejson.loads"})
_READ_METHODS = frozenset({"get", "getlist", "lists", "items", "dict", "copy", "to_dict", "keys", "values"})

Parents = dict[int, ast.AST]


def route_handler(node: FunctionNode, qualname: str, is_method: bool, names: Names) -> RouteHandler | None:
    """The handler facts of ``node`` when it is a route handler reading raw input or taking
    a raw body parameter, else ``None``."""
    framework, verbs = handler_framework(node, is_method, names)
    if not framework:
        return None
    params = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
    if is_method and params and params[0].arg in ("self", "cls"):
        params = params[1:]
    if framework == "django" and not (params and params[0].arg == "request"):
        return None
    raw_params: list[tuple[str, str, int, int]] = []
    request_names: set[str] = set()
    defaults = _defaults_by_name(node.args)
    for param in params:
        annotation = names.resolve(_annotation_base(param.annotation)) if param.annotation is not None else ""
        if annotation in _REQUEST_TYPES or (param.annotation is None and param.arg == "request"):
            request_names.add(param.arg)
        if framework == "fastapi" and verbs & _BODY_VERBS and _raw_annotation(param.annotation, names):
            default = defaults.get(param.arg)
            if default is None or dotted_name(default).rsplit(".", 1)[-1] not in _NOT_BODY_DEFAULTS:
                text = short_text(param.annotation) if param.annotation is not None else ""
                raw_params.append((param.arg, text, param.lineno, param.col_offset + 1))
    reads = raw_reads(node, framework, request_names, names)
    if not reads and not raw_params:
        return None
    return RouteHandler(qualname, framework, node.lineno, node.col_offset + 1, tuple(reads), tuple(raw_params))


def handler_framework(node: FunctionNode, is_method: bool, names: Names) -> tuple[str, frozenset[str]]:
    """The framework whose route handler ``node`` is (``""`` if none) and its HTTP verbs.

    Starlette endpoints count when the module names them in ``Route(path, endpoint)``, and
    ``HTTPEndpoint``-style methods (``get``/``post``/...) in a module importing Starlette."""
    verbs: set[str] = set()
    for decorator in node.decorator_list:
        call = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(call, ast.Attribute) and call.attr in _ROUTE_VERBS and dotted_name(call.value):
            verbs.add(call.attr)
            if call.attr in ("route", "api_route") and isinstance(decorator, ast.Call):
                verbs.update(_methods_keyword(decorator))
    if verbs:
        for framework in ("fastapi", "flask"):
            if framework in names.frameworks:
                return framework, frozenset(verbs)
    if "fastapi" in names.frameworks:
        if not is_method and node.name in names.endpoints:
            return "fastapi", names.endpoints[node.name]
        if is_method and node.name in _VIEW_METHODS and node.name != "dispatch":
            return "fastapi", frozenset({node.name})
    if "django" in names.frameworks and _django_view(node, is_method, names):
        return "django", frozenset()
    if "flask" in names.frameworks and is_method and node.name in _BODY_VERBS:
        return "flask", frozenset({node.name})
    return "", frozenset()


def _django_view(node: FunctionNode, is_method: bool, names: Names) -> bool:
    """A function view (module-level, in a ``views``/``api`` module or package, or decorated) or a
    class-based view's HTTP method (``get``/``post``/``put``/``patch``/``delete``/``dispatch``)."""
    if is_method:
        return node.name in _VIEW_METHODS
    return names.views_module or bool(node.decorator_list)


def _is_test_only(item: ast.expr, parents: Parents) -> bool:
    """``item`` is only tested (``"_save" in request.POST``, ``if request.POST:``), not read."""
    parent = parents.get(id(item))
    if isinstance(parent, ast.Compare):
        return item in parent.comparators and all(isinstance(op, (ast.In, ast.NotIn)) for op in parent.ops)
    if isinstance(parent, (ast.If, ast.While, ast.IfExp)):
        return parent.test is item
    return isinstance(parent, (ast.BoolOp, ast.UnaryOp))


_READ_ATTRIBUTES = {"fastapi": _STARLETTE_READS, "flask": _FLASK_READS, "django": _DJANGO_READS}
"""The attributes of a name that may read a raw body (:func:`is_raw_read`), per framework."""


def _may_read(node: FunctionNode, framework: str, names: Names) -> bool:
    """Whether the handler's own body (its body and annotations parts in the scope index:
    what :func:`own_nodes` walks) holds ``name.attr`` for an attribute :func:`is_raw_read`
    may accept; most handlers hold none, and need no walk."""
    attributes = _READ_ATTRIBUTES[framework]
    scope = names.index.scope(node)
    return any(
        item.attr in attributes and type(item.value) is ast.Name  # type: ignore[attr-defined]
        for part in (scope.body, scope.annotations)
        for item in part.get(ast.Attribute, ())
    )


def raw_reads(node: FunctionNode, framework: str, request_names: set[str], names: Names) -> list[RawRead]:
    """Raw body reads in the handler's own body, with the callees the data reaches."""
    if not _may_read(node, framework, names):
        return []
    parents: Parents = {}
    for item in own_nodes(node.body):
        for child in child_nodes(item):
            parents[id(child)] = item
    reads: list[RawRead] = []
    for item in own_nodes(node.body):
        if isinstance(item, ast.expr) and is_raw_read(item, framework, request_names, names, parents):
            parent = parents.get(id(item))
            read = parent if isinstance(parent, ast.Call) and parent.func is item else item
            found = consumers(read, node, parents, names)
            reads.append(RawRead(read.lineno, read.col_offset + 1, short_text(read), tuple(sorted(set(found)))))
    return reads


def is_raw_read(item: ast.expr, framework: str, request_names: set[str], names: Names, parents: Parents) -> bool:
    """``item`` reads a raw request body (the innermost node of the read)."""
    if framework == "fastapi":
        func = item.func if isinstance(item, ast.Call) else None
        return (
            isinstance(func, ast.Attribute)
            and func.attr in _STARLETTE_READS
            and isinstance(func.value, ast.Name)
            and func.value.id in request_names
        )
    if not isinstance(item, ast.Attribute) or not isinstance(item.value, ast.Name) or _is_test_only(item, parents):
        return False
    if framework == "flask":
        if item.attr not in _FLASK_READS or names.resolve(item.value) != "flask.request":
            return False
        parent = parents.get(id(item))
        is_call = isinstance(parent, ast.Call) and parent.func is item
        return is_call if item.attr in _FLASK_CALLS else not is_call
    return item.attr in _DJANGO_READS and item.value.id in request_names | {"request"}


def _widen(read: ast.AST, parents: Parents, names: Names) -> ast.AST:
    """The whole expression producing the read data: through ``await``, ``[...]``,
    ``.get(...)``, ``json.loads(...)`` and ``dict(...)``."""
    current = read
    while True:
        parent = parents.get(id(current))
        wrapped = isinstance(parent, (ast.Await, ast.Subscript)) and parent.value is current
        converted = (
            isinstance(parent, ast.Call) and current in parent.args and names.resolve(parent.func) in _TRANSPARENT_CALLS
        )
        if parent is not None and (wrapped or converted):
            current = parent
        elif isinstance(parent, ast.Attribute) and parent.attr in _READ_METHODS:
            grand = parents.get(id(parent))
            if not (isinstance(grand, ast.Call) and grand.func is parent):
                return current
            current = grand
        else:
            return current


def _callee_of(item: ast.AST, parents: Parents) -> str:
    """The callee receiving ``item`` as an argument (``Model(**)`` for ``**item``), or ``""``."""
    parent = parents.get(id(item))
    if isinstance(parent, ast.Call) and item in parent.args:
        return dotted_name(parent.func) or (parent.func.attr if isinstance(parent.func, ast.Attribute) else "?")
    if isinstance(parent, ast.keyword):
        call = parents.get(id(parent))
        if isinstance(call, ast.Call):
            callee = dotted_name(call.func) or (call.func.attr if isinstance(call.func, ast.Attribute) else "?")
            return callee + ("(**)" if parent.arg is None else "")
    return ""


def consumers(read: ast.expr, node: FunctionNode, parents: Parents, names: Names) -> list[str]:
    """Callees receiving the data of ``read``: directly, or through the names it is
    assigned to (following ``json.loads``/``dict`` wrappers and ``.get``/``[...]`` reads)."""
    current = _widen(read, parents, names)
    if isinstance(current, ast.Call) and any(keyword.arg == "type" for keyword in current.keywords):
        return [TYPED_GET]
    direct = _callee_of(current, parents)
    if direct:
        return [direct]
    parent = parents.get(id(current))
    targets: list[ast.expr] = []
    if isinstance(parent, ast.Assign):
        targets = list(parent.targets)
    elif isinstance(parent, (ast.AnnAssign, ast.NamedExpr)):
        targets = [parent.target]
    assigned = {target.id for target in targets if isinstance(target, ast.Name)}
    found: list[str] = []
    for item in own_nodes(node.body):
        if isinstance(item, ast.Name) and item.id in assigned and isinstance(item.ctx, ast.Load):
            callee = _callee_of(item, parents)
            if callee:
                found.append(callee)
    return found


def _raw_annotation(annotation: ast.expr | None, names: Names) -> bool:
    """``dict``, ``Dict``, ``Mapping``, ``Any`` or a mapping whose values are ``Any``/``object``:
    a body FastAPI accepts without checking its content (``dict[int, float]`` is checked)."""
    if annotation is None or names.resolve(_annotation_base(annotation)) not in _RAW_ANNOTATIONS:
        return False
    if not isinstance(annotation, ast.Subscript):
        return True
    arguments = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
    return bool(arguments) and names.resolve(arguments[-1]) in ("typing.Any", "object")


def _annotation_base(annotation: ast.expr) -> ast.expr:
    """``dict`` for ``dict[str, Any]``; the annotation itself otherwise."""
    if isinstance(annotation, ast.Subscript):
        return annotation.value
    return annotation


def _defaults_by_name(args: ast.arguments) -> dict[str, ast.expr]:
    """The callee of the default of each parameter whose default is a call."""
    positional = [*args.posonlyargs, *args.args]
    pairs = list(zip(positional[len(positional) - len(args.defaults) :], args.defaults))
    pairs += [(arg, default) for arg, default in zip(args.kwonlyargs, args.kw_defaults) if default is not None]
    return {arg.arg: default.func for arg, default in pairs if isinstance(default, ast.Call)}


def _methods_keyword(decorator: ast.Call) -> set[str]:
    """Lower-cased ``methods=[...]`` of a ``route``/``api_route`` decorator."""
    verbs: set[str] = set()
    for keyword in decorator.keywords:
        if keyword.arg == "methods" and isinstance(keyword.value, (ast.List, ast.Tuple, ast.Set)):
            for item in keyword.value.elts:
                if isinstance(item, ast.Constant) and isinstance(item.value, str):
                    verbs.add(item.value.lower())
    return verbs
