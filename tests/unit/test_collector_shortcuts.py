"""The shortcuts the collectors take for speed (``docs/adr/0014``) find what the longer way
found: names filed by context, the table-driven walk, the per-file shared results, the
index-first tests that replaced text searches, and the tests that let the checklist and
suppression collectors skip work."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from archlint.engine.collectors import checklist, context, cycles, suppressions
from archlint.engine.collectors.context import _NO_PART, ScopeIndex, SourceContext, find_nodes


def _context(source: str, module: str = "pkg.mod") -> SourceContext:
    return SourceContext(path="pkg/mod.py", module=module, is_package=False, text=source, lines=source.splitlines())


CODE = textwrap.dedent(
    """
    import os
    from pkg import helper as h
    x = os.path.join("a", "b")
    del x

    @h.deco(os.sep)
    def f(a: int, *rest: str, key: "os.PathLike" = None) -> None:
        global counter
        y = a.b.c
        (z := a)
        for item in rest:
            item.value = [q.r for q in y]
        return lambda v=os.name: v.attr

    class C(h.Base):
        field: int = 0
        def m(self):
            del self.field
    """
)


def test_names_are_filed_by_context_and_every_name_once() -> None:
    tree = ast.parse(CODE)
    index = ScopeIndex(tree)
    filed = {
        key: {(node.id, node.lineno, node.col_offset) for scope in index.scopes() for part in scope.parts() for node in part.get(key, ())}  # type: ignore[attr-defined]
        for key in (ast.Name, ast.Store, ast.Del)
    }
    expected = {
        key: {(node.id, node.lineno, node.col_offset) for node in ast.walk(tree) if isinstance(node, ast.Name) and type(node.ctx) is ctx}
        for key, ctx in ((ast.Name, ast.Load), (ast.Store, ast.Store), (ast.Del, ast.Del))
    }
    assert filed == expected
    assert filed[ast.Del] == {("x", 5, 4)}


def test_names_with_contexts_made_by_hand_are_filed_by_type() -> None:
    """The parser gives every name the same context object; a tree built by hand (a fresh
    ``ast.Store()``) is filed the same way."""
    tree = ast.Module(
        body=[ast.Assign(targets=[ast.Name(id="a", ctx=ast.Store())], value=ast.Name(id="b", ctx=ast.Load()), lineno=1)],
        type_ignores=[],
    )
    root = ScopeIndex(tree).root
    assert [node.id for node in root.body[ast.Store]] == ["a"]  # type: ignore[attr-defined]
    assert [node.id for node in root.body[ast.Name]] == ["b"]  # type: ignore[attr-defined]


def test_parts_without_nodes_share_one_empty_part_that_is_never_written() -> None:
    index = ScopeIndex(ast.parse(CODE))
    scopes = index.scopes()
    assert _NO_PART == {}
    assert all(part is _NO_PART or part for scope in scopes for part in (scope.annotations, scope.head_annotations, scope.type_params))
    f = index.scope(next(node for node in ast.walk(index.tree) if isinstance(node, ast.FunctionDef) and node.name == "f"))
    assert {node.id for node in f.head_annotations[ast.Name]} == {"int", "str"}  # type: ignore[attr-defined]
    assert {node.value for node in f.head_annotations[ast.Constant]} == {"os.PathLike", None}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("kinds", "skip"),
    [
        ((ast.Attribute,), ()),
        ((ast.Call, ast.Name), ()),
        ((ast.Attribute,), (ast.Lambda, ast.FunctionDef, ast.ClassDef)),
        ((ast.Constant, ast.arg), (ast.Lambda,)),
    ],
)
def test_find_nodes_finds_what_a_walk_finds(kinds: tuple[type, ...], skip: tuple[type, ...]) -> None:
    tree = ast.parse(CODE)

    def reference(node: ast.AST) -> list[ast.AST]:
        if type(node) in skip:
            return []
        found = [node] if type(node) in kinds else []
        for child in ast.iter_child_nodes(node):
            found.extend(reference(child))
        return found

    roots = list(tree.body)
    assert {id(node) for node in find_nodes(roots, kinds, skip)} == {id(node) for root in roots for node in reference(root)}
    assert find_nodes([None], kinds) == []


def test_scopes_with_a_kind_and_holds() -> None:
    index = ScopeIndex(ast.parse(CODE))
    assert [type(scope.node).__name__ for scope in index.scopes_with(ast.Import, ast.ImportFrom)] == ["Module"]
    assert [scope.node.name for scope in index.scopes_with(ast.Global)] == ["f"]  # type: ignore[attr-defined]
    assert index.holds(ast.NamedExpr) and index.holds(ast.ListComp) and not index.holds(ast.Await)


def test_shared_results_are_computed_once_and_match_the_node() -> None:
    source = "import os,  sys\nfrom a import (\n    b,\n)\n@x.y(1)\ndef f(): pass\n"
    tree = ast.parse(source)
    shared = ScopeIndex(tree).shared
    lines = source.splitlines()
    assert shared.line_text(tree.body[0], lines) == "import os, sys"  # type: ignore[arg-type]
    assert shared.line_text(tree.body[0], lines) is shared.line_text(tree.body[0], lines)  # type: ignore[arg-type]
    assert shared.line_text(tree.body[1], lines) is None  # type: ignore[arg-type]  # over several lines
    assert shared.decorator_names(tree.body[2]) == ("x.y",)  # type: ignore[arg-type]


_TYPE_PARAMS_CHECK = """
import ast
from archlint.engine.collectors.context import ScopeIndex
tree = ast.parse("def f[T: int](x: T) -> T: ...\\nclass C[U]: pass\\n")
index = ScopeIndex(tree)
f, c = (index.scope(node) for node in tree.body)
assert ast.TypeVar in f.type_params and ast.TypeVar in c.type_params, (f.type_params, c.type_params)
assert {node.id for node in f.type_params[ast.Name]} == {"int"}, f.type_params
"""


def test_type_parameters_have_their_own_part() -> None:
    """PEP 695 parameters (Python 3.12+) go to the scope's ``type_params`` part: checked
    here on 3.12+, else in a newer interpreter found on ``PATH``; before 3.12 no node
    type has the field, which the index relies on (it tests the type, not the field)."""
    if sys.version_info >= (3, 12):
        exec(_TYPE_PARAMS_CHECK, {})  # noqa: S102 - the test's own code
        return
    assert not context._WITH_TYPE_PARAMS, "before 3.12 no node type has type parameters"
    for minor in (14, 13, 12):
        newer = shutil.which(f"python3.{minor}")
        if newer is None:
            continue
        src = str(Path(__file__).resolve().parents[2] / "src")
        done = subprocess.run([newer, "-c", _TYPE_PARAMS_CHECK], env={**os.environ, "PYTHONPATH": src}, capture_output=True, text=True)
        if done.returncode == 127 or done.stderr.startswith("pyenv:"):  # a shim without that version installed
            continue
        assert done.returncode == 0, done.stderr


def test_globals_declared_in_functions_are_bound_from_the_definition() -> None:
    source = "def setup():\n    global ready\n    ready = True\nsetup()\n"
    tree = ast.parse(source)
    events = cycles.collect(tree, _context(source))["cycle_facts"].events
    assert [(event.kind.value, event.names) for event in events] == [("bind", ("setup", "ready"))]
    tabbed = "def setup():\n    global\tready\n"  # no "global " in the text: as before, not bound early
    events = cycles.collect(ast.parse(tabbed), _context(tabbed))["cycle_facts"].events
    assert [(event.kind.value, event.names) for event in events] == [("bind", ("setup",))]


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("x = 1  # archlint: ignore[ARC101]\n", [("ARC101",)]),
        ("x = 1  # ARCHLINT: IGNORE[arc101] -- why\n", [("ARC101",)]),
        ("import os  # noqa: ARC201, E501\n", [("ARC201",)]),
        ("s = '# noqa: ARC101'\n", []),
        ("x = 1  # nothing\n", []),
        # A dotted capital I matches "i" only ignoring case: such a file is read only when
        # its lower-cased text names "archlint" or "noqa" elsewhere, as before.
        ("x = 1  # archl\u0130nt: ignore[ARC101]\n", []),
        ("x = 1  # archl\u0130nt: ignore[ARC101]\ny = 'noqa'\n", [("ARC101",)]),
    ],
)
def test_suppression_files_are_told_as_before(source: str, found: list[tuple[str, ...]]) -> None:
    facts = suppressions.collect(ast.parse(source), _context(source)).get("suppressions", ())
    assert [item.codes for item in facts] == found


def test_query_calls_are_facts_only_under_a_loop_of_their_own_part() -> None:
    source = textwrap.dedent(
        """
        def no_loop(cursor):
            cursor.execute("q")
        def loop_elsewhere(cursor, rows):
            cursor.execute("before")
            for row in rows:
                pass
        def in_comprehension_default(cursor, f=lambda rows: [cursor.execute(r) for r in rows]):
            pass
        def nested(cursor):
            def inner(rows):
                for row in rows:
                    cursor.execute(row)
            return inner
        def in_while(cursor):
            while True:
                cursor.execute("q")
        """
    )
    tree = ast.parse(source)
    facts = checklist.collect(tree, _context(source))["checklist"]
    assert [(query.function, query.text) for query in facts.loop_queries] == [
        ("<module>", "cursor.execute"),
        ("nested.<locals>.inner", "cursor.execute"),
    ]
