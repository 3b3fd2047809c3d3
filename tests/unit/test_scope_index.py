"""The shared scope index of the collectors (``engine/collectors/context.py``): every node
in exactly one part of one scope, the parts as documented, no recursion, the tree left
alone; and the collectors that skip what the index shows empty still find what is there."""

from __future__ import annotations

import ast
import copy
import sys
import textwrap

import pytest

from archlint.engine.collectors import checklist, cycles, functions, imports
from archlint.engine.collectors.context import ScopeIndex, SourceContext, child_nodes
from archlint.engine.extract import extract

_LEFT_OUT = (ast.expr_context, ast.operator, ast.boolop, ast.unaryop, ast.cmpop, ast.alias)

SAMPLE = textwrap.dedent(
    '''
    """Doc."""
    from __future__ import annotations
    import os
    x: "int" = 1
    y = [a for a in range(3) if a]
    f = lambda q=os.sep: q + 1

    @deco(os.name)
    def outer(a: int, /, b=lambda: 2, *args: str, c: os.PathLike = None, **kw) -> bool:
        local: list[int] = []
        def inner():
            yield from local
        class Local(Base, metaclass=Meta):
            field: int = 0
            def method(self):
                return self.field
        return inner

    class Top(os.PathLike):
        attr = 1
        async def run(self):
            async with self.lock as lock:
                await lock
    try:
        import json
    except ImportError as error:
        json = None
    match x:
        case [1, *rest] if rest:
            pass
        case {"k": value, **others}:
            pass
    '''
)


def _index(source: str) -> tuple[ast.Module, ScopeIndex]:
    tree = ast.parse(source)
    return tree, ScopeIndex(tree)


def _in_parts(index: ScopeIndex) -> list[ast.AST]:
    return [node for scope in index.scopes() for part in scope.parts() for nodes in part.values() for node in nodes]


def test_every_node_is_in_exactly_one_part() -> None:
    tree, index = _index(SAMPLE)
    expected = [node for node in ast.walk(tree) if node is not tree and not isinstance(node, _LEFT_OUT)]
    found = _in_parts(index)
    assert len(found) == len(expected)
    assert {id(node) for node in found} == {id(node) for node in expected}


def test_parts_of_a_function_scope() -> None:
    tree, index = _index(SAMPLE)
    outer = next(node for node in tree.body if isinstance(node, ast.FunctionDef))
    scope = index.scope(outer)
    assert scope.parent is index.root and index.root.node is tree
    # The head: decorators, parameters, defaults (a lambda default is its own scope).
    assert {node.id for node in scope.head[ast.Name]} == {"deco", "os"}  # type: ignore[attr-defined]
    assert sorted(node.arg for node in scope.head[ast.arg]) == ["a", "args", "b", "c", "kw"]  # type: ignore[attr-defined]
    assert len(scope.head[ast.Lambda]) == 1
    # Parameter and return annotations, apart.
    assert {node.id for node in scope.head_annotations[ast.Name]} == {"int", "str", "os", "bool"}  # type: ignore[attr-defined]
    # The body holds the nested def and class nodes, not what is inside them.
    assert [node.name for node in scope.own(ast.FunctionDef)] == ["inner"]  # type: ignore[attr-defined]
    assert [node.name for node in scope.own(ast.ClassDef)] == ["Local"]  # type: ignore[attr-defined]
    assert ast.YieldFrom not in scope.body
    # The annotation of ``local: list[int]`` is in the annotations part.
    assert {node.id for node in scope.annotations[ast.Name]} == {"list", "int"}  # type: ignore[attr-defined]
    assert "list" not in {node.id for node in scope.body.get(ast.Name, ())}  # type: ignore[attr-defined]
    inner = index.scope(scope.own(ast.FunctionDef)[0])
    assert ast.YieldFrom in inner.body and inner.parent is scope


def test_parts_of_a_class_scope() -> None:
    tree, index = _index(SAMPLE)
    outer = next(node for node in tree.body if isinstance(node, ast.FunctionDef))
    local = index.scope(index.scope(outer).own(ast.ClassDef)[0])
    assert {node.id for node in local.head[ast.Name]} == {"Base", "Meta"}  # type: ignore[attr-defined]
    assert len(local.head[ast.keyword]) == 1
    assert [node.name for node in local.own(ast.FunctionDef)] == ["method"]  # type: ignore[attr-defined]


def test_scopes_come_before_the_scopes_nested_in_them() -> None:
    _, index = _index(SAMPLE)
    seen: set[int] = set()
    for scope in index.scopes():
        assert scope.parent is None or id(scope.parent) in seen
        seen.add(id(scope))


def test_the_index_leaves_the_tree_alone() -> None:
    tree, index = _index(SAMPLE)
    before = ast.dump(tree, include_attributes=True)
    snapshot = copy.deepcopy(tree)
    index.scopes()
    assert ast.dump(tree, include_attributes=True) == before == ast.dump(snapshot, include_attributes=True)


@pytest.mark.parametrize(
    "source",
    [
        "y = " + " + ".join(["a"] * 2000) + "\n",
        "z = " + "lambda: " * 2500 + "1\n",
        "w = " + " ** ".join(["a"] * 2500) + "\n",
        "x = " + "[" * 180 + "]" * 180 + "\n",
    ],
    ids=["chain", "lambdas", "powers", "lists"],
)
def test_deep_trees_need_no_recursion(source: str) -> None:
    tree = ast.parse(source)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(200)
    try:
        index = ScopeIndex(tree)
        found = _in_parts(index)
    finally:
        sys.setrecursionlimit(limit)
    assert len(found) == sum(1 for node in ast.walk(tree) if node is not tree and not isinstance(node, _LEFT_OUT))


def test_child_nodes_keep_field_order() -> None:
    tree = ast.parse(SAMPLE)
    for node in ast.walk(tree):
        expected = [child for child in ast.iter_child_nodes(node) if not isinstance(child, _LEFT_OUT)]
        assert child_nodes(node) == expected


def _context(source: str, tree: ast.Module, module: str = "pkg.mod") -> SourceContext:
    return SourceContext(path="pkg/mod.py", module=module, is_package=False, text=source, lines=source.splitlines())


def test_deferred_and_guarded_imports_are_found_in_skipped_walks() -> None:
    source = textwrap.dedent(
        """
        import a
        def plain():
            return 1
        def deferred():
            if True:
                import b
        class K:
            def m(self):
                try:
                    import c
                except ImportError:
                    pass
        """
    )
    tree = ast.parse(source)
    facts = imports.collect(tree, _context(source, tree))["imports"]
    assert [(fact.module, fact.kind.value, fact.in_try) for fact in facts] == [
        ("a", "module-level", False),
        ("b", "deferred", False),
        ("c", "deferred", True),
    ]


def test_return_and_yield_flags_ignore_nested_scopes_and_headers() -> None:
    source = textwrap.dedent(
        """
        def gen():
            x: int = 1
            yield x
        def returns():
            def inner():
                return 1
            return None
        def decorated(a=lambda: (yield)):
            @deco((yield))
            def inner():
                pass
        def value():
            if x:
                return 2
        """
    )
    tree = ast.parse(source)
    api = functions.collect(tree, _context(source, tree))["api"]
    flags = {fact.qualname: (fact.returns_value, fact.has_yield) for fact in api.functions}
    assert flags == {
        "gen": (False, True),
        "returns": (False, False),
        "decorated": (False, False),
        "value": (True, False),
    }


def test_checklist_finds_facts_in_bodies_it_could_skip_elsewhere() -> None:
    source = textwrap.dedent(
        """
        import time
        _cache = {}
        def quiet():
            return 1
        def outer():
            class Inner:
                def counted(self):
                    return 1
            async def nested():
                time.sleep(1)
            def writer():
                _cache["k"] = 1
            for row in rows:
                cursor.execute("q", (row,))
            return [lambda: [cursor.execute(i) for i in items]]
        """
    )
    tree = ast.parse(source)
    facts = checklist.collect(tree, _context(source, tree))["checklist"]
    assert [(call.function, call.target) for call in facts.blocking_calls] == [("outer.<locals>.nested", "time.sleep")]
    assert [(write.function, write.how) for write in facts.global_writes] == [("outer.<locals>.writer", "item assignment")]
    assert [(query.function, query.api) for query in facts.loop_queries] == [("outer", "db-api"), ("<module>", "db-api")]
    assert facts.functions == 3  # quiet, outer and Inner.counted (a method of a class in a function)


def test_module_namespace_openers_are_still_seen() -> None:
    source = "import a\nx = lambda: globals()\nimport b\n"
    tree = ast.parse(source)
    events = cycles.collect(tree, _context(source, tree))["cycle_facts"].events
    assert [event.kind.value for event in events] == ["import", "bind", "open", "import", "bind"]


def test_facts_do_not_depend_on_a_shared_index() -> None:
    """A collector called with a context built without an index builds its own: the same
    facts as through the extractor."""
    source = SAMPLE.encode()
    through_extract = extract(source, path="pkg/mod.py", module="pkg.mod", is_package=False)
    tree = ast.parse(SAMPLE)
    alone = _context(SAMPLE, tree)
    assert checklist.collect(tree, alone)["checklist"] == through_extract.checklist
    assert functions.collect(tree, alone)["api"] == through_extract.api
    assert cycles.collect(tree, alone).get("cycle_facts") == through_extract.cycle_facts
