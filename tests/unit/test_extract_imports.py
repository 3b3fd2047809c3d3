"""Import facts: resolution and the kind of every import."""

from __future__ import annotations

from archlint.domain.facts import FileFacts, ImportFact, ImportKind
from archlint.domain.graph import ProjectGraph, resolve_import
from archlint.engine.collectors.imports import resolve_relative
from archlint.engine.extract import extract

SOURCE = b'''\
from typing import TYPE_CHECKING as TC
import typing
import os, shop.models.user
from . import views
from ..core import util as u
try:
    import ujson
except ImportError:
    import json as ujson
if TC:
    from .types import Alias
else:
    from .runtime import helper
if typing.TYPE_CHECKING:
    import shop.api
if not TC:
    import shop.late
def f():
    import shop.lazy
    if TC:
        import shop.never
class C:
    from .inner import thing
'''


def facts() -> FileFacts:
    return extract(SOURCE, path="shop/sub/mod.py", module="shop.sub.mod", is_package=False)


def by_module() -> dict[str, ImportFact]:
    return {fact.module: fact for fact in facts().imports}


def test_every_import_is_found_with_line_and_text() -> None:
    found = by_module()
    assert found["shop.models.user"].line == 3
    assert found["shop.models.user"].text == "import os, shop.models.user"
    assert found["shop.sub"].names == ("views",)
    assert found["shop.sub"].level == 1
    assert found["shop.core"].names == ("util",)


def test_kinds() -> None:
    found = by_module()
    assert found["os"].kind is ImportKind.MODULE_LEVEL
    assert found["shop.sub.types"].kind is ImportKind.TYPE_CHECKING  # aliased TYPE_CHECKING
    assert found["shop.sub.runtime"].kind is ImportKind.MODULE_LEVEL  # else branch runs
    assert found["shop.api"].kind is ImportKind.TYPE_CHECKING  # typing.TYPE_CHECKING
    assert found["shop.late"].kind is ImportKind.MODULE_LEVEL  # if not TYPE_CHECKING
    assert found["shop.lazy"].kind is ImportKind.DEFERRED
    assert found["shop.never"].kind is ImportKind.TYPE_CHECKING
    assert found["shop.sub.inner"].kind is ImportKind.MODULE_LEVEL  # class bodies run


def test_try_imports_are_marked() -> None:
    found = by_module()
    assert found["ujson"].in_try and found["json"].in_try
    assert not found["os"].in_try


def test_relative_resolution() -> None:
    assert resolve_relative("a.b.c", False, 1, "x") == "a.b.x"
    assert resolve_relative("a.b.c", False, 2, None) == "a"
    assert resolve_relative("a.b", True, 1, None) == "a.b"
    assert resolve_relative("a.b", True, 2, "y") == "a.y"
    assert resolve_relative("a.b", False, 2, "y") == ""  # beyond the top-level package
    assert resolve_relative("top", False, 1, "x") == ""


def _fact(module: str, names: tuple[str, ...] = ()) -> ImportFact:
    return ImportFact(module=module, names=names, line=1, column=1, end_line=1, end_column=2, kind=ImportKind.MODULE_LEVEL)


def test_resolve_import_targets() -> None:
    modules = frozenset({"pkg", "pkg.sub", "pkg.mod", "a", "a.b"})
    assert resolve_import(_fact("pkg", ("sub", "func")), modules) == [("pkg.sub", "sub"), ("pkg", "func")]
    assert resolve_import(_fact("a.b.c"), modules) == [("a.b", None)]
    assert resolve_import(_fact("requests"), modules) == []
    assert resolve_import(_fact("pkg.mod", ("name",)), modules) == [("pkg.mod", "name")]
    assert resolve_import(_fact("pkg.missing", ("x",)), modules) == [("pkg", None)]


def test_graph_edges_and_external_imports() -> None:
    a = extract(b"import b\nimport requests\nfrom pkg import sub\n", path="a.py", module="a", is_package=False)
    b = extract(b"def f():\n    import a\n", path="b.py", module="b", is_package=False)
    pkg = extract(b"", path="pkg/__init__.py", module="pkg", is_package=True)
    sub = extract(b"", path="pkg/sub.py", module="pkg.sub", is_package=False)
    graph = ProjectGraph([a, b, pkg, sub])
    edges = [(e.importer, e.imported, e.kind.value, e.line) for e in graph.edges]
    assert edges == [("a", "b", "module-level", 1), ("a", "pkg.sub", "module-level", 3), ("b", "a", "deferred", 2)]
    assert graph.external == {"a": frozenset({"requests"})}
    assert sorted(graph.digraph([ImportKind.MODULE_LEVEL]).edges) == [("a", "b"), ("a", "pkg.sub")]
    assert graph.grimp_graph().find_modules_directly_imported_by("a") == {"b", "pkg.sub"}
    assert [e.line for e in graph.details("b", "a")] == [2]


def test_unparsable_file_has_problem_and_recovered_imports() -> None:
    """Issue 10: the imports of an unparsable file are recovered line by line."""
    broken = extract(b"import os\ndef f(:\n", path="x.py", module="x", is_package=False)
    assert broken.error is not None and broken.error.line == 2
    assert [fact.module for fact in broken.imports] == ["os"]
