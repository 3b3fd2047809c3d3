"""The cycle facts collector and the ARC104 import-order replay, without files."""

from __future__ import annotations

import ast

from archlint.domain.cycle_facts import EventKind, Usage
from archlint.domain.facts import FileFacts
from archlint.domain.import_sim import STEP_BUDGET, Simulator, simulate_components
from archlint.domain.project import Project
from archlint.engine.collectors.context import SourceContext
from archlint.engine.collectors.cycles import collect
from archlint.engine.extract import extract


def facts_of(text: str, module: str = "pkg.mod", is_package: bool = False) -> FileFacts:
    path = module.replace(".", "/") + ("/__init__.py" if is_package else ".py")
    return extract(text.encode(), path=path, module=module, is_package=is_package)


def usages(text: str, is_package: bool = False) -> dict[str, Usage]:
    return {u.bound: u.usage for u in facts_of(text, is_package=is_package).cycle_facts.usages}


def test_usage_classification() -> None:
    text = (
        "import os.path\nfrom . import a, b, c, d, e\nfrom .x import Y as Z\n"
        "class K(a.Base):\n    def m(self, v: b.T) -> 'c.U':\n        return os.path.join(d.x)\n"
        "__all__ = ['Z']\n"
    )
    found = usages(text)
    assert found == {
        "os": Usage.FUNCTIONS,
        "a": Usage.IMPORT_TIME,
        "b": Usage.ANNOTATIONS,
        "c": Usage.ANNOTATIONS,
        "d": Usage.FUNCTIONS,
        "e": Usage.UNUSED,
        "Z": Usage.IMPORT_TIME,
    }


def test_class_field_annotations_are_runtime_uses() -> None:
    text = "from .a import F, G\nclass M(Base):\n    f: F\n    def g(self) -> G: ...\n"
    assert usages(text) == {"F": Usage.IMPORT_TIME, "G": Usage.ANNOTATIONS}


def test_package_imports_are_reexports_and_decorators_run_at_import_time() -> None:
    assert usages("from .a import f\n", is_package=True) == {"f": Usage.IMPORT_TIME}
    assert usages("from .a import deco\n@deco\ndef g() -> None:\n    pass\n") == {"deco": Usage.IMPORT_TIME}
    assert usages("from .a import D\ndef g(x=D) -> None:\n    pass\n") == {"D": Usage.IMPORT_TIME}


def test_events_follow_execution_order_and_guards() -> None:
    text = (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .t import T\n"
        "try:\n    from .a import A\nexcept ImportError:\n    from .b import A\n"
        "class K:\n    from .c import C\nX = 1\nfrom .d import *\n"
    )
    events = facts_of(text).cycle_facts.events
    kinds = [(e.kind, e.module, e.names, e.guarded) for e in events if e.kind is not EventKind.BIND]
    assert kinds == [
        (EventKind.FROM, "typing", ("TYPE_CHECKING",), False),
        (EventKind.FROM, "pkg.a", ("A",), True),
        (EventKind.FROM, "pkg.c", ("C",), False),
        (EventKind.FROM, "pkg.d", ("*",), False),
        (EventKind.OPEN, "", (), False),
    ]
    binds = [name for e in events if e.kind is EventKind.BIND for name in e.names]
    assert binds.index("K") > binds.index("A") and "X" in binds and "T" not in binds


def test_collector_survives_deep_nesting() -> None:
    depth = 90
    text = "".join("    " * i + "if x:\n" for i in range(depth)) + "    " * depth + "import y\n"
    source = SourceContext(path="m.py", module="m", is_package=False, text=text, lines=text.splitlines())
    result = collect(ast.parse(text), source)
    assert [e.module for e in result["cycle_facts"].events if e.kind is EventKind.IMPORT] == ["y"]


def project(files: dict[str, str]) -> Project:
    facts = []
    for module, text in files.items():
        is_package = module.endswith(".__init__")
        name = module.removesuffix(".__init__")
        facts.append(facts_of(text, module=name, is_package=is_package))
    return Project(facts)


def test_replay_finds_the_crash_with_entries_and_chain() -> None:
    proj = project({"app.__init__": "from app.models import User\nVERSION = 1\n", "app.models": "from app import VERSION\nclass User: ...\n"})
    (crash,) = simulate_components(proj, [("app", "app.models")])
    assert (crash.path, crash.line, crash.module, crash.name) == ("app/models.py", 1, "app", "VERSION")
    assert crash.entries == ("app", "app.models")
    assert [(step["importer"], step["imported"]) for step in crash.chain] == [("app", "app.models"), ("app.models", "app")]


def test_replay_is_conservative() -> None:
    # bound before the cycle starts: fine
    ok = project({"app.__init__": "VERSION = 1\nfrom app.models import User\n", "app.models": "from app import VERSION\nclass User: ...\n"})
    assert simulate_components(ok, [("app", "app.models")]) == []
    # a module __getattr__ may provide the name
    lazy = project({"app.__init__": "def __getattr__(n): ...\nfrom app.models import User\n", "app.models": "from app import VERSION\nclass User: ...\n"})
    assert simulate_components(lazy, [("app", "app.models")]) == []
    # a conditional import is not proven
    cond = project({"app.__init__": "from app.models import User\nVERSION = 1\n", "app.models": "import sys\nif sys.version_info > (3,):\n    from app import VERSION\nclass User: ...\n"})
    assert simulate_components(cond, [("app", "app.models")]) == []
    # the crash would travel through a try/except around the import that started it
    caught = project({"app.__init__": "try:\n    from app.models import User\nexcept ImportError:\n    User = None\nVERSION = 1\n", "app.models": "from app import VERSION\nclass User: ...\n"})
    assert simulate_components(caught, [("app", "app.models")]) == []


def test_submodules_never_crash_and_memo_is_shared() -> None:
    proj = project({"app.__init__": "from app import models\n", "app.models": "from app import helpers\nimport app\n", "app.helpers": "X = 1\n"})
    simulator = Simulator(proj)
    assert simulator.run("app.models") is None
    used = simulator.used
    assert simulator.run("app.helpers") is None
    assert simulator.used - used <= 1  # ``import app`` is not replayed again
    assert STEP_BUDGET > 1_000_000


def test_type_stubs_never_run() -> None:
    stub_a = extract(b"from ext.b import B\nclass A: ...\n", path="ext/a.pyi", module="ext.a", is_package=False)
    stub_b = extract(b"from ext.a import A\nclass B: ...\n", path="ext/b.pyi", module="ext.b", is_package=False)
    init = facts_of("from ext.a import A\n", module="ext", is_package=True)
    assert {fact.kind.name for fact in (*stub_a.imports, *stub_b.imports)} == {"TYPE_CHECKING"}
    proj = Project([init, stub_a, stub_b])
    assert not any(edge.kind.name == "MODULE_LEVEL" for edge in proj.graph.edges if edge.path.endswith(".pyi"))
    # even when asked to replay them, the stubs' imports never run
    assert simulate_components(proj, [("ext", "ext.a", "ext.b")]) == []
