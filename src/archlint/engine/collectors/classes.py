"""Class metrics (WMC, ATFD, TCC, LCOM4, NOM, NOA, LOC) and module size, from the one
parsed tree of a file.

Each class body is read once and each method body once, from the file's scope index (the
nodes of each function by type, so no walk): its complexity, the ``self`` attributes it
uses, the methods it calls on ``self`` and the foreign attributes it reads; the per-class
metrics are then computed from those per-method records. Definitions: ``docs/adr/0005-god-object-metrics.md``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import lru_cache
from operator import attrgetter
from typing import Any

from archlint.domain.class_facts import ClassFacts, ModuleStats
from archlint.engine.collectors.class_metrics import CodeLines, lcom4, tight_class_cohesion
from archlint._construct import constructor
from archlint.engine.collectors.context import Part, ScopeIndex, SourceContext, scope_index
from archlint.engine.collectors.names import callee_name

_CONSTRUCTORS = frozenset({"__init__", "__new__", "__post_init__", "__init_subclass__"})
_ABSTRACT_DECORATORS = frozenset({"abstractmethod", "abstractproperty", "abstractclassmethod", "abstractstaticmethod"})
_ABSTRACT_BASES = frozenset({"ABC", "Protocol"})
_PROPERTY_DECORATORS = frozenset({"property", "cached_property"})
_ABSTRACT_METACLASSES = frozenset({"ABCMeta"})
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_ID = attrgetter("id")
_FUNC = attrgetter("func")
_class_facts = constructor(ClassFacts)
"""``ClassFacts(...)``, cheaper (``archlint/_construct.py``): 22 fields."""
_NO_NODES: list[ast.AST] = []




def last_part(name: str) -> str:
    """``typing.Protocol[T]`` -> ``Protocol``."""
    return name.split("[", 1)[0].rsplit(".", 1)[-1].strip()


@lru_cache(maxsize=4096)
def _last_parts(decorators: tuple[str, ...]) -> frozenset[str]:
    """The :func:`last_part` of every name of ``decorators``, remembered: a few decorator
    lists (``(property,)``, ``(classmethod,)``...) make most of a project's, and each
    method asks three questions of its list."""
    return frozenset([last_part(name) for name in decorators])


def _is_dunder(name: str) -> bool:
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


def docstring_span(body: list[ast.stmt]) -> tuple[int, int] | None:
    """The lines of the docstring that opens ``body``, if any."""
    if body:
        first = body[0]
        if type(first) is ast.Expr:
            value = first.value  # type: ignore[attr-defined]
            if type(value) is ast.Constant and isinstance(value.value, str):  # type: ignore[attr-defined]
                return first.lineno, first.end_lineno or first.lineno
    return None


def _span(node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[int, int]:
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)]) if node.decorator_list else node.lineno
    return first, node.end_lineno or node.lineno


class _Method:
    """What one method body does (all ``def``s of one name), before the class-level
    metrics are computed."""

    __slots__ = ("abstract", "attributes", "calls", "complexity", "foreign", "is_property", "name", "stub")

    def __init__(self, name: str) -> None:
        self.name = name
        self.complexity = 0
        self.attributes: set[str] = set()
        self.calls: set[str] = set()
        self.foreign: set[str] | None = None
        """The foreign attributes read (``None`` until one is)."""
        self.stub = True
        self.abstract = False
        self.is_property = False


def _receiver(node: ast.expr) -> tuple[str | None, str]:
    """The root name of an attribute receiver and a normalised text key for it:
    ``self.items[0].owner`` -> ``("self", "self.items[].owner")``."""
    parts: list[str] = []
    current: ast.expr = node
    root: str | None = None
    while True:
        kind = type(current)
        if kind is ast.Attribute:
            parts.append("." + current.attr)  # type: ignore[attr-defined]
            current = current.value  # type: ignore[attr-defined]
        elif kind is ast.Subscript:
            parts.append("[]")
            current = current.value  # type: ignore[attr-defined]
        elif kind is ast.Call:
            parts.append("()")
            current = current.func  # type: ignore[attr-defined]
        elif kind is ast.Name:
            root = current.id  # type: ignore[attr-defined]
            parts.append(root)
            break
        else:
            parts.append("<" + kind.__name__.lower() + ">")
            break
    return root, "".join(reversed(parts))


def _root(node: ast.expr) -> str | None:
    """The root name of an attribute receiver (as :func:`_receiver` finds it)."""
    while True:
        kind = type(node)
        if kind is ast.Attribute or kind is ast.Subscript:
            node = node.value  # type: ignore[attr-defined]
        elif kind is ast.Call:
            node = node.func  # type: ignore[attr-defined]
        else:
            return node.id if kind is ast.Name else None  # type: ignore[attr-defined]


def _is_stub(body: list[ast.stmt]) -> bool:
    """A body of only a docstring, ``pass``, ``...`` or ``raise NotImplementedError``."""
    for stmt in body:
        kind = type(stmt)
        if kind is ast.Pass:
            continue
        if kind is ast.Expr and type(stmt.value) is ast.Constant:  # type: ignore[attr-defined]
            continue
        if kind is ast.Raise and stmt.exc is not None and "NotImplementedError" in callee_name(stmt.exc):  # type: ignore[attr-defined]
            continue
        return False
    return True


_BRANCHES = frozenset(
    {ast.If, ast.For, ast.AsyncFor, ast.While, ast.IfExp, ast.ExceptHandler, ast.match_case, ast.BoolOp, ast.comprehension}
)
"""Each adds one path to the cyclomatic complexity (a ``BoolOp`` one per extra operand, a
comprehension one per ``for`` and ``if``)."""
_BINDERS = frozenset(
    {ast.ExceptHandler, ast.arg, ast.MatchAs, ast.MatchStar, ast.Import, ast.ImportFrom, ast.Global, ast.Nonlocal}
)
"""Nodes (besides stored names) that bind, import or declare names."""
_NESTED_FUNCTIONS = frozenset({ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda})
_NESTED_SCOPES = frozenset({*_NESTED_FUNCTIONS, ast.ClassDef})


class _Sinks:
    """Where the readers of one class's method bodies (or of the module's functions) put
    what they find besides each method's own record (:class:`_Method`): the attributes
    assigned through ``self`` (shared by the class), the classes found inside (queued for
    their own collection) and the docstrings of nested functions (for the line counts).
    Written in place, so no per-method set is built only to be merged."""

    __slots__ = ("assigned", "classes", "docstrings")

    def __init__(self, assigned: set[str], classes: list[tuple[ast.ClassDef, str]], docstrings: list[tuple[int, int]]) -> None:
        self.assigned = assigned
        self.classes = classes
        self.docstrings = docstrings


class _FunctionBody:
    """What one function body does: complexity, ``self`` uses, foreign reads, and the
    classes defined inside it (handed on for their own collection), written to the
    method's :class:`_Method` record (its ``self`` attributes and calls, shared by the
    ``def``s of one name) and to the class's :class:`_Sinks`.

    The body is its own code plus everything in the functions and lambdas nested in it
    (their decorators, parameters and bodies), but not the classes nested in it: read
    from the file's scope index, no walk."""

    __slots__ = (
        "assigned",
        "attributes",
        "calls",
        "candidates",
        "classes",
        "complexity",
        "docstrings",
        "locals",
        "method_names",
        "parts",
        "self_name",
        "signature",
    )

    def __init__(
        self, self_name: str | None, signature: ast.arguments | None, method_names: frozenset[str], record: _Method, sinks: _Sinks
    ) -> None:
        self.self_name = self_name
        self.method_names = method_names
        self.complexity = 1
        self.signature = signature
        """The parameters (``None``: none to read), locals of the body."""
        self.locals: set[str] = set()
        """The names of the classes and functions nested in the body (the other locals are
        read from :attr:`parts` only when a candidate foreign read needs them)."""
        self.parts: list[Part] = []
        """The parts whose uses were read: their bindings, imports and ``global``
        declarations are read by :meth:`foreign`, the only reader of the locals. Most
        methods read no foreign candidate and never need them."""
        self.attributes = record.attributes
        self.calls = record.calls
        self.assigned = sinks.assigned
        self.candidates: list[tuple[str | None, ast.expr, str]] | None = None
        """Reads ``receiver.attr`` that may be foreign data, with the receiver's root name
        (``None`` until there is one)."""
        self.classes = sinks.classes
        self.docstrings = sinks.docstrings

    def read(self, index: ScopeIndex, node: ast.FunctionDef | ast.AsyncFunctionDef, prefix: str, uses: bool = True) -> None:
        """Read the body of ``node``; classes found inside get qualnames under ``prefix``.
        ``uses=False`` (a module-level function) skips the attribute and name uses, which
        only methods need."""
        scope = index.scope(node)
        body = scope.body
        if not scope.annotations and body.keys().isdisjoint(_NESTED_SCOPES):
            self._count(body)  # the common case: a body alone, without nested scopes
            if uses:
                self._uses(body)
            return
        parts: list[Part] = [body, scope.annotations]
        pending: list[tuple[list[Part], str]] = [(parts, prefix)]
        while pending:
            found, where = pending.pop()
            for part in found:
                if not part:
                    continue
                if ast.ClassDef in part:
                    for item in part[ast.ClassDef]:
                        self.locals.add(item.name)  # type: ignore[attr-defined]
                        self.classes.append((item, f"{where}.{item.name}" if where else item.name))  # type: ignore[arg-type, attr-defined]
                if not part.keys().isdisjoint(_NESTED_FUNCTIONS):  # tested without building a set
                    self._nested(index, part, where, pending)
                self._count(part)
                if uses:
                    self._uses(part)

    def _nested(self, index: ScopeIndex, part: Part, where: str, pending: list[tuple[list[Part], str]]) -> None:
        """Queue the parts of the functions and lambdas of ``part`` for reading (their
        classes get qualnames under ``where``) and note their names and docstrings."""
        for kind in part.keys() & _NESTED_FUNCTIONS:
            for item in part[kind]:
                inner = index.scope(item)
                if kind is ast.Lambda:
                    pending.append((list(inner.parts()), where))
                    continue
                self.locals.add(item.name)  # type: ignore[attr-defined]
                doc = docstring_span(item.body)  # type: ignore[attr-defined]
                if doc:
                    self.docstrings.append(doc)
                name = item.name  # type: ignore[attr-defined]
                pending.append((list(inner.parts()), f"{where}.{name}.<locals>" if where else f"{name}.<locals>"))

    def _count(self, part: Part) -> None:
        """Add the complexity of the nodes of ``part``."""
        if part.keys().isdisjoint(_BRANCHES):  # iterates the smaller of the two
            return
        complexity = self.complexity
        for kind in part.keys() & _BRANCHES:
            nodes = part[kind]
            if kind is ast.BoolOp:
                complexity += sum(len(item.values) - 1 for item in nodes)  # type: ignore[attr-defined, misc]
            elif kind is ast.comprehension:
                complexity += sum(1 + len(item.ifs) for item in nodes)  # type: ignore[attr-defined, misc]
            else:
                complexity += len(nodes)
        self.complexity = complexity

    def _uses(self, part: Part) -> None:
        """Record the attributes ``part`` uses, and keep it for the names it binds, imports
        or declares global (:func:`_local_names`)."""
        self.parts.append(part)
        attributes = part.get(ast.Attribute)
        if attributes:
            self._attributes(attributes, part)

    def _attributes(self, attributes: list[ast.AST], part: Part) -> None:
        """Record ``self.x`` uses and calls and the candidate foreign reads (attributes read
        but not called) of ``part``. One pass over every attribute of every method: the
        loop keeps its look-ups in locals, and the callees of the part's calls are
        gathered only when an attribute needs them."""
        self_name = self.self_name
        method_names = self.method_names
        calls = self.calls
        used = self.attributes
        assigned = self.assigned
        load = ast.Load
        name = ast.Name
        reads: list[ast.AST] = []
        for node in attributes:
            value = node.value  # type: ignore[attr-defined]
            attr = node.attr  # type: ignore[attr-defined]
            if type(value) is name and value.id == self_name:  # never equal when ``self_name`` is None
                if attr in method_names:
                    calls.add(attr)
                else:
                    used.add(attr)
                    if type(node.ctx) is not load:  # type: ignore[attr-defined]
                        assigned.add(attr)
            elif type(node.ctx) is load and (attr[0] != "_" or not _is_dunder(attr)):  # type: ignore[attr-defined]
                reads.append(node)
        if not reads:
            return
        called = set(map(_FUNC, part.get(ast.Call, _NO_NODES)))
        candidates = self.candidates
        if candidates is None:
            candidates = self.candidates = []
        for node in reads:
            if node not in called:
                value = node.value  # type: ignore[attr-defined]
                root = value.id if type(value) is name else _root(value)
                if root != "super" and root != "type":
                    candidates.append((root, value, node.attr))  # type: ignore[attr-defined]

    def foreign(self) -> set[str]:
        """Keys of the foreign attributes read: receivers rooted at a parameter or a local
        (or ``self``'s own fields, or an expression); never at a module-level, imported or
        builtin name."""
        if not self.candidates:
            return set()
        roots = {root for root, _, _ in self.candidates if root is not None}
        local = _local_names(roots, self.locals, self.signature, self.parts)
        found: set[str] = set()
        for root, value, attr in self.candidates:
            if root is None or root == self.self_name or root in local:
                key = _receiver(value)[1]
                if root is not None and root == self.self_name:
                    if key == f"{root}.__class__":
                        continue  # ``self.__class__.x``: the class's own data
                    key = "self" + key[len(root) :]
                found.add(f"{key}.{attr}")
        return found


def _local_names(names: set[str], nested: set[str], signature: ast.arguments | None, parts: list[Part]) -> set[str]:
    """Those of ``names`` local to a function body: its parameters (``signature``), the
    classes and functions ``nested`` in it and the names its ``parts`` bind, less those
    imported or declared ``global``/``nonlocal`` there. The parts' assignments are read
    only for the names that are not parameters (most receivers of foreign reads are)."""
    local = names & nested
    if signature is not None:
        local.update(names.intersection(_params(signature)))
    rest = names - local
    bound: set[str] = set()
    imported: set[str] = set()
    declared: set[str] = set()
    for part in parts:
        for kind in (ast.Store, ast.Del) if rest else ():
            found = rest.intersection(map(_ID, part.get(kind, _NO_NODES)))
            local |= found
            rest -= found
        for binder in () if part.keys().isdisjoint(_BINDERS) else part.keys() & _BINDERS:
            for item in part[binder]:
                if binder is ast.arg:
                    bound.add(item.arg)  # type: ignore[attr-defined]
                elif binder is ast.Import or binder is ast.ImportFrom:
                    imported.update(alias.asname or alias.name.split(".", 1)[0] for alias in item.names)  # type: ignore[attr-defined]
                elif binder is ast.Global or binder is ast.Nonlocal:
                    declared.update(item.names)  # type: ignore[attr-defined]
                elif item.name:  # type: ignore[attr-defined]  # ``except ... as``, ``case ... as``, ``*rest``
                    bound.add(item.name)  # type: ignore[attr-defined]
    local |= names & bound
    return local - imported - declared if imported or declared else local


def _method_kind(decorators: tuple[str, ...]) -> str:
    if not decorators:
        return "instance"
    names = _last_parts(decorators)
    if "staticmethod" in names:
        return "static"
    if "classmethod" in names:
        return "class"
    return "instance"


def _params(args: ast.arguments) -> list[str]:
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    every += [arg for arg in (args.vararg, args.kwarg) if arg is not None]
    return [arg.arg for arg in every]


def _first_param(args: ast.arguments) -> str | None:
    """``_params(args)[0]`` (``None`` without parameters), without the list: asked of
    every method for the name of ``self``."""
    for group in (args.posonlyargs, args.args, args.kwonlyargs):
        if group:
            return group[0].arg
    first = args.vararg or args.kwarg
    return first.arg if first is not None else None


_TRY_TYPES: tuple[type, ...] = (ast.Try, getattr(ast, "TryStar", ast.Try))
_BLOCKS = frozenset({ast.If, *_TRY_TYPES})
"""The statements whose blocks :func:`_class_statements` enters."""


def _class_statements(body: list[ast.stmt]) -> list[ast.stmt]:
    """Statements of a class (or module) body, looking inside ``if``/``try`` blocks (the
    body itself when it has none: the common case, read without a copy)."""
    if _BLOCKS.isdisjoint(map(type, body)):  # in C
        return body
    found: list[ast.stmt] = []
    stack = list(reversed(body))
    while stack:
        stmt = stack.pop()
        if isinstance(stmt, ast.If):
            stack.extend(reversed([*stmt.body, *stmt.orelse]))
        elif isinstance(stmt, _TRY_TYPES):
            nested = [*stmt.body, *(s for h in stmt.handlers for s in h.body), *stmt.orelse, *stmt.finalbody]  # type: ignore[attr-defined]
            stack.extend(reversed(nested))
        else:
            found.append(stmt)
    return found


def _target_names(target: ast.expr) -> Iterator[str]:
    stack = [target]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Name):
            yield node.id
        elif isinstance(node, (ast.Tuple, ast.List)):
            stack.extend(node.elts)
        elif isinstance(node, ast.Starred):
            stack.append(node.value)


class _ModuleCollector:
    """Finds every class of a module (a work queue, no recursion) and its metrics. Line
    counts come last, once every docstring is known."""

    def __init__(self, tree: ast.Module, source: SourceContext) -> None:
        self.tree = tree
        self.index = scope_index(tree, source)
        self.source_lines = source.lines
        self.classes: list[dict[str, Any]] = []
        """The fields of each class's facts but its line counts, in the order found."""
        self.spans: list[tuple[tuple[int, int], list[tuple[int, int]]]] = []
        self.docstrings: list[tuple[int, int]] = []
        self.queue: list[tuple[ast.ClassDef, str]] = []

    def _note_docstring(self, body: list[ast.stmt]) -> None:
        doc = docstring_span(body)
        if doc:
            self.docstrings.append(doc)

    def run(self) -> dict[str, Any]:
        top_classes = 0
        functions = 0
        complexity = 0
        self._note_docstring(self.tree.body)
        module_sinks = _Sinks(set(), self.queue, self.docstrings)  # a function's uses are not read: only its classes and docstrings
        for stmt in _class_statements(self.tree.body):
            kind = type(stmt)
            if kind is ast.ClassDef:
                top_classes += 1
                self.queue.append((stmt, stmt.name))  # type: ignore[arg-type, attr-defined]
            elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
                assert isinstance(stmt, _FUNCTIONS)
                functions += 1
                walker = _FunctionBody(None, None, frozenset(), _Method(stmt.name), module_sinks)
                walker.read(self.index, stmt, f"{stmt.name}.<locals>", uses=False)
                complexity += walker.complexity
                self._note_docstring(stmt.body)
        for node, qualname in self.queue:  # grows with the nested classes found on the way
            fields = self.collect_class(node, qualname)
            complexity += fields["wmc"]
            self.classes.append(fields)
        lines = CodeLines(self.source_lines, self.docstrings)
        classes = [
            _class_facts(**fields, loc=lines.count(*span), method_loc=lines.count_all(methods))
            for fields, (span, methods) in zip(self.classes, self.spans)
        ]
        classes.sort(key=lambda c: (c.line, c.column, c.qualname))
        stats = ModuleStats(
            loc=lines.total,
            classes=top_classes,
            functions=functions,
            complexity=complexity,
        )
        return {"classes": tuple(classes), "module_stats": stats}

    def collect_class(self, node: ast.ClassDef, qualname: str) -> dict[str, Any]:
        """The metrics of one class (the fields of its :class:`ClassFacts` but the line
        counts, which need every docstring of the file); nested classes are queued for
        their own collection."""
        defs: list[tuple[ast.FunctionDef | ast.AsyncFunctionDef, tuple[str, ...]]] = []
        """Each method and the names of its decorators."""
        class_attributes: set[str] = set()
        method_spans: list[tuple[int, int]] = []
        self._note_docstring(node.body)
        for stmt in _class_statements(node.body):  # dispatched on the exact type: every class statement
            kind = type(stmt)
            if kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
                decorators = self.index.shared.decorator_names(stmt)  # type: ignore[arg-type]
                if not decorators or "overload" not in _last_parts(decorators):
                    defs.append((stmt, decorators))  # type: ignore[arg-type]
            elif kind is ast.ClassDef:
                self.queue.append((stmt, f"{qualname}.{stmt.name}"))  # type: ignore[arg-type, attr-defined]
            elif kind is ast.Assign:
                for target in stmt.targets:  # type: ignore[attr-defined]
                    if type(target) is ast.Name:
                        class_attributes.add(target.id)
                    else:
                        class_attributes.update(_target_names(target))
            elif kind is ast.AnnAssign or kind is ast.AugAssign:
                class_attributes.update(_target_names(stmt.target))  # type: ignore[attr-defined]
        method_names = frozenset([item.name for item, _ in defs])
        methods: dict[str, _Method] = {}
        instance_attributes: set[str] = set()
        sinks = _Sinks(instance_attributes, self.queue, self.docstrings)
        for item, decorators in defs:
            name = item.name
            first_param = _first_param(item.args)
            self_name = first_param if first_param is not None and (not decorators or _method_kind(decorators) != "static") else None
            record = methods.get(name)
            if record is None:
                record = methods[name] = _Method(name)
            walker = _FunctionBody(self_name, item.args, method_names, record, sinks)
            walker.read(self.index, item, f"{qualname}.{name}.<locals>")
            self._note_docstring(item.body)
            method_spans.append(_span(item))
            record.complexity += walker.complexity
            if walker.candidates:
                read = walker.foreign()
                record.foreign = read if record.foreign is None else record.foreign | read
            record.stub = record.stub and _is_stub(item.body)
            if decorators:
                parts = _last_parts(decorators)
                record.abstract = record.abstract or not parts.isdisjoint(_ABSTRACT_DECORATORS)
                record.is_property = record.is_property or not parts.isdisjoint(_PROPERTY_DECORATORS)
        # One pass over the records for the sums and the sets the metrics need.
        wmc = 0
        abstract_methods = 0
        foreign: set[str] = set()
        properties: dict[str, set[str]] = {}
        cohesive: dict[str, tuple[set[str], set[str]]] = {}
        for name, record in methods.items():
            record.calls.discard(name)  # a method calling itself (or a same-named ``def``) links nothing
            wmc += record.complexity
            if record.foreign:
                foreign |= record.foreign
            if record.is_property:
                properties[name] = record.attributes
            if record.abstract:
                abstract_methods += 1
            elif not record.stub and name not in _CONSTRUCTORS:
                cohesive[name] = (record.attributes, record.calls)
        public = {
            name: m.attributes.union(*(properties[c] for c in m.calls if c in properties)) if properties else m.attributes
            for name, m in methods.items()
            if not name.startswith("_")
        }
        declared = {a for a in class_attributes if not _is_dunder(a)} - method_names
        attributes = declared | {a for a in instance_attributes if not _is_dunder(a)} - method_names
        bases = tuple([callee_name(base) for base in node.bases]) if node.bases else ()
        metaclass = next((callee_name(k.value) for k in node.keywords if k.arg == "metaclass"), None) if node.keywords else None
        is_abstract = (
            abstract_methods > 0
            or any(last_part(base) in _ABSTRACT_BASES for base in bases)
            or (metaclass is not None and last_part(metaclass) in _ABSTRACT_METACLASSES)
        )
        first, last = _span(node)
        self.spans.append(((first, last), method_spans))
        return {
            "name": node.name,
            "qualname": qualname,
            "line": node.lineno,
            "column": node.col_offset + 1,
            "end_line": last,
            "bases": bases,
            "metaclass": metaclass,
            "decorators": tuple([callee_name(d) for d in node.decorator_list]) if node.decorator_list else (),
            "is_abstract": is_abstract,
            "abstract_methods": abstract_methods,
            "wmc": wmc,
            "atfd": len(foreign),
            "tcc": tight_class_cohesion(public),
            "lcom4": lcom4(cohesive),
            "nom": len(methods),
            "noa": len(attributes),
            "class_attributes": len(declared),
            "public_methods": len(public),
        }


def collect(tree: ast.Module, source: SourceContext) -> dict[str, Any]:
    """The ``classes`` and ``module_stats`` facts of one module."""
    return _ModuleCollector(tree, source).run()
