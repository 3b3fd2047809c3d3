"""The cycle rules on real files: messages, extra data, accepted edges, options,
determinism, the property test against networkx, and ARC104 against real Python."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archlint import lint
from archlint.config import Settings
from archlint.domain.cycles import accepted_import_lines
from archlint.domain.facts import ImportKind
from harness import FIXTURES, run_case, write_tree


def run(root: Path, select: list[str], **options: object) -> list:
    settings = Settings(root=str(root), options={"cycles": _options(**options)} if options else {})
    return list(lint(["."], cwd=str(root), settings=settings, use_cache=False, select=select, jobs=1).findings)


def _options(**values: object) -> object:
    from archlint.rules.cycles import CycleOptions

    return CycleOptions(**values)  # type: ignore[arg-type]


def test_message_and_extra_of_a_three_module_cycle() -> None:
    (finding,) = [f for f in run_case(FIXTURES / "cycles" / "three_cycle").findings if f.code == "ARC101"]
    assert finding.message == (
        "import cycle of 3 modules: pkg.a -> pkg.b -> pkg.c -> pkg.a; cut 'from pkg import b' (pkg/a.py:1): "
        "only used inside functions: import inside the function, or import the module, not the name"
    )
    assert finding.extra["modules"] == ["pkg.a", "pkg.b", "pkg.c"]
    assert [(e["importer"], e["imported"], e["path"], e["line"]) for e in finding.extra["cycle"]] == [
        ("pkg.a", "pkg.b", "pkg/a.py", 1),
        ("pkg.b", "pkg.c", "pkg/b.py", 1),
        ("pkg.c", "pkg.a", "pkg/c.py", 1),
    ]
    assert set(finding.extra["cycle"][0]) == {"importer", "imported", "path", "line", "column", "text"}
    assert [(b["importer"], b["imported"]) for b in finding.extra["breakers"]] == [("pkg.a", "pkg.b")]
    assert finding.extra["ratchet"] == {"modules": 3}
    json.dumps(finding.to_dict())


def test_type_checking_imports_count_only_when_opted_in(tmp_path: Path) -> None:
    case = FIXTURES / "cycles" / "type_checking"
    assert [f.code for f in run(case, ["ARC101"])] == []
    found = run(case, ["ARC101"], include_type_checking=True)
    assert [(f.code, f.path, f.line) for f in found] == [("ARC101", "app/service.py", 6)]
    assert "type-checking import" in found[0].message


def test_deferred_cycle_containing_a_module_level_cycle_is_reported_once_per_rule(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "p/__init__.py": "",
            "p/a.py": "from p import b\nX = b.Y\n",
            "p/b.py": "from p import a\nY = 1\n\ndef f() -> object:\n    from p import c\n    return c\n",
            "p/c.py": "from p import a\nZ = a\n",
        },
    )
    found = run(tmp_path, ["ARC101", "ARC102"])
    by_code = {f.code: f for f in found}
    assert sorted(by_code) == ["ARC101", "ARC102"]
    assert by_code["ARC101"].extra["modules"] == ["p.a", "p.b"]
    assert by_code["ARC102"].extra["modules"] == ["p.a", "p.b", "p.c"]
    # the ARC101 cycle is contracted: the cut closes the larger cycle only
    cuts = [(b["importer"], b["imported"]) for b in by_code["ARC102"].extra["breakers"]]
    assert cuts in ([("p.b", "p.c")], [("p.c", "p.a")])


def test_accepted_edge_hides_only_that_import_and_new_cycles_still_fire(tmp_path: Path) -> None:
    files = {
        "p/__init__.py": "",
        "p/a.py": "from p import b  # archlint: ignore[ARC101] -- deliberate\n",
        "p/b.py": "from p import a\n",
    }
    write_tree(tmp_path, files)
    assert run(tmp_path, ["ARC101"]) == []
    lint_report = lint(["."], cwd=str(tmp_path), settings=Settings(root=str(tmp_path)), use_cache=False, jobs=1)
    assert accepted_import_lines(lint_report.project, "ARC101") == frozenset({("p/a.py", 1)})
    assert accepted_import_lines(lint_report.project, "ARC102") == frozenset()
    write_tree(tmp_path, {"p/c.py": "from p import b\n", "p/b.py": "from p import a\nfrom p import c\n"})
    found = run(tmp_path, ["ARC101"])
    assert [f.extra["modules"] for f in found] == [["p.b", "p.c"]]


def test_suppression_on_a_line_outside_any_cycle_is_not_accepted(tmp_path: Path) -> None:
    write_tree(tmp_path, {"p/__init__.py": "", "p/a.py": "from p import b  # archlint: ignore[ARC101]\n", "p/b.py": "X = 1\n"})
    report = lint(["."], cwd=str(tmp_path), settings=Settings(root=str(tmp_path)), use_cache=False, jobs=1)
    assert accepted_import_lines(report.project, "ARC101") == frozenset()


def test_package_depth_limits_the_compared_levels(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "top/__init__.py": "",
            "top/shop/__init__.py": "",
            "top/shop/orders/__init__.py": "",
            "top/shop/orders/m.py": "from top.shop.billing import n\n",
            "top/shop/billing/__init__.py": "",
            "top/shop/billing/n.py": "def f() -> None:\n    from top.shop.orders import m\n",
        },
    )
    found = run(tmp_path, ["ARC103"])
    assert [f.extra["modules"] for f in found] == [["top.shop.billing", "top.shop.orders"]]
    assert {d["count"] for d in found[0].extra["directions"]} == {1}
    assert run(tmp_path, ["ARC103"], package_depth=2) == []
    assert len(run(tmp_path, ["ARC103"], package_depth=3)) == 1


def test_output_is_identical_across_runs_and_jobs(tmp_path: Path) -> None:
    files = {"p/__init__.py": "from p import m0\n"}
    for i in range(30):
        targets = [(i * 7 + 3) % 30, (i * 11 + 5) % 30]
        files[f"p/m{i}.py"] = "".join(f"from p import m{t}\n" for t in targets) + "X = 1\n"
    write_tree(tmp_path, files)
    shots = []
    for jobs in (1, 2, 1):
        report = lint(["."], cwd=str(tmp_path), settings=Settings(root=str(tmp_path)), use_cache=False, jobs=jobs, select=["ARC1"])
        shots.append(json.dumps([f.to_dict() for f in report.findings], sort_keys=True))
    assert shots[0] == shots[1] == shots[2]
    assert "ARC101" in shots[0]


def _nx_components(root: Path) -> list[list[str]]:
    """SCCs computed independently: networkx over grimp's graph restricted to module-level imports."""
    report = lint(["."], cwd=str(root), settings=Settings(root=str(root)), use_cache=False, jobs=1, select=["ARC001"])
    graph = report.project.graph.grimp_graph([ImportKind.MODULE_LEVEL])
    digraph = nx.DiGraph()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            digraph.add_edge(module, imported)
    return sorted(sorted(c) for c in nx.strongly_connected_components(digraph) if len(c) > 1)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(0, 7), st.integers(0, 7), st.sampled_from(["top", "func", "tc", "from"])),
        max_size=20,
    )
)
def test_arc101_members_equal_networkx_sccs(edges: list[tuple[int, int, str]]) -> None:
    body: dict[int, list[str]] = {i: [] for i in range(8)}
    for a, b, how in edges:
        if how == "top":
            body[a].append(f"import pkg.m{b}")
        elif how == "from":
            body[a].append(f"from . import m{b}")
        elif how == "func":
            body[a].append(f"def f{b}() -> None:\n    import pkg.m{b}")
        else:
            body[a].append(f"from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pkg.m{b}")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        files = {"pkg/__init__.py": ""}
        files.update({f"pkg/m{i}.py": "\n".join(lines) + "\n" for i, lines in body.items()})
        write_tree(root, files)
        found = run(root, ["ARC101"])
        assert sorted(f.extra["modules"] for f in found) == _nx_components(root)


def _python_crashes(case: Path, modules: list[str]) -> set[str]:
    """Entries whose import in a fresh interpreter fails with a circular-import error."""
    crashing: set[str] = set()
    for module in modules:
        result = subprocess.run(
            [sys.executable, "-B", "-c", f"import {module}"],
            cwd=case,
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "PYTHONPATH": os.pathsep.join([str(case), str(case / "src")])},
        )
        if result.returncode and "circular import" in result.stderr:
            crashing.add(module)
    return crashing


def test_arc104_agrees_with_python_on_every_cycle_fixture() -> None:
    for case in sorted((FIXTURES / "cycles").iterdir()):
        if not case.is_dir():
            continue
        report = run_case(case, select=["ARC101", "ARC104"])
        predicted = {e for f in report.findings if f.code == "ARC104" for e in f.extra["entries"]}
        # every cycle member, and every predicted entry (a module importing a name from
        # itself is no cycle member but still crashes)
        members = sorted({m for f in report.findings if f.code == "ARC101" for m in f.extra["modules"]} | predicted)
        assert predicted == _python_crashes(case, members), case.name


def test_accepted_package_edge_counts_for_arc103_only_inside_a_package_cycle(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "shop/__init__.py": "",
            "shop/orders/__init__.py": "",
            "shop/orders/m.py": "from shop.billing import n  # archlint: ignore[ARC103] -- orders pay through billing\n",
            "shop/billing/__init__.py": "",
            "shop/billing/n.py": "def f() -> None:\n    from shop.orders import m\n",
            "shop/billing/o.py": "from shop.billing import n  # archlint: ignore[ARC103]\n",
        },
    )
    report = lint(["."], cwd=str(tmp_path), settings=Settings(root=str(tmp_path)), use_cache=False, jobs=1, select=["ARC103"])
    assert [f.code for f in report.findings] == []
    assert accepted_import_lines(report.project, "ARC103") == frozenset({("shop/orders/m.py", 1)})


def test_arc104_messages_and_extra() -> None:
    (name_crash,) = [f for f in run_case(FIXTURES / "cycles" / "crash").findings if f.code == "ARC104"]
    assert name_crash.message == (
        "'from app import VERSION' fails on 'import app': 'VERSION' is not yet bound in partially initialised module 'app' (1 more entry)"
    )
    assert name_crash.extra["entries"] == ["app", "app.models"]
    assert [(s["importer"], s["imported"], s["line"]) for s in name_crash.extra["chain"]] == [("app", "app.models", 1), ("app.models", "app", 1)]
    (attr_crash,) = [f for f in run_case(FIXTURES / "cycles" / "attribute_crash").findings if f.code == "ARC104"]
    assert attr_crash.extra["kind"] == "attribute"
    assert attr_crash.message == (
        "'class Child(a.Base):' fails on 'import app.a': module 'app.a' is partially initialised and has no attribute 'Base' yet"
    )


def test_deferred_and_package_cycles_never_suggest_importing_inside_the_function(tmp_path: Path) -> None:
    # ARC102 and ARC103 count function-level imports: deferring the import cannot cut them
    write_tree(
        tmp_path,
        {
            "p/__init__.py": "",
            "p/a.py": "from p import b\n\n\ndef f() -> object:\n    return b.X\n",
            "p/b.py": "X = 1\n\n\ndef g() -> object:\n    from p import a\n    from p.a import f\n    return a, f\n",
            "q/__init__.py": "",
            "q/one/__init__.py": "",
            "q/one/m.py": "from q.two import n\n\n\ndef f() -> object:\n    return n\n",
            "q/two/__init__.py": "",
            "q/two/n.py": "def g() -> object:\n    from q.one import m\n    from q.one.m import f\n    return m, f\n",
        },
    )
    found = {f.code + f.path: f.message for f in run(tmp_path, ["ARC102", "ARC103"])}
    assert sorted(found) == ["ARC102p/a.py", "ARC102q/one/m.py", "ARC103q/one/m.py"]
    for message in found.values():
        assert "import inside the function" not in message
        assert message.endswith(
            "only used inside functions, but function-level imports count here too: move the shared "
            "code into a lower module both can import, or invert the dependency (pass it in)"
        )
    # the annotation-only cut still helps: type-checking imports do not count by default
    write_tree(tmp_path, {"p/a.py": "from p import b\n\n\ndef f(x: b.T) -> None:\n    pass\n"})
    (finding,) = [f for f in run(tmp_path, ["ARC102"]) if f.path == "p/a.py"]
    assert finding.message.endswith("only used in annotations: move under 'if TYPE_CHECKING:' (with 'from __future__ import annotations')")


def test_package_cycle_message_counts_dependencies_statements_packages_and_modules(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "shop/__init__.py": "",
            "shop/orders/__init__.py": "",
            "shop/orders/m1.py": "from shop.billing import n\nfrom shop import util\n\nX = n, util\n",
            "shop/orders/m2.py": "from shop.billing import n\n\nY = n\n",
            "shop/billing/__init__.py": "",
            "shop/billing/n.py": "def g() -> object:\n    from shop.orders import m1\n    return m1\n",
            "shop/util.py": "from shop.orders import m2\n\nZ = m2\n",
        },
    )
    (finding,) = run(tmp_path, ["ARC103"])
    assert finding.extra["modules"] == ["shop.billing", "shop.orders", "shop.util"]
    assert finding.message == (
        "package cycle of 2 packages and 1 module, e.g. shop.billing -> shop.orders -> shop.billing; "
        "cut 2 package-level dependencies (2 import statements), starting with shop.billing -> shop.orders "
        "(1 import statement), e.g. 'from shop.orders import m1' (shop/billing/n.py:2): function-level import: "
        "pass the dependency in, or move the shared code into a module both can import"
    )


def test_package_cycle_suggests_the_defining_module_only_when_that_leaves_the_cycle(tmp_path: Path) -> None:
    files = {
        "shop/__init__.py": "",
        "shop/orders/__init__.py": "",
        "shop/orders/m.py": "from shop.billing import charge\n\nX = charge\n",
        "shop/billing/__init__.py": "from shop.billing.api import charge\n",
        "shop/billing/api.py": "def charge() -> None:\n    from shop.orders import m\n    m.X\n",
        "shop/billing/more.py": "def refund() -> None:\n    from shop.orders import m\n    m.X\n",
    }
    write_tree(tmp_path, files)
    (finding,) = run(tmp_path, ["ARC103"])
    assert (finding.path, finding.line) == ("shop/orders/m.py", 1)
    assert "defining module" not in finding.message  # shop.billing.api is still in shop.billing
    write_tree(tmp_path, {"shop/billing/__init__.py": "from shop.money import charge\n", "shop/money.py": "def charge() -> None:\n    pass\n"})
    (finding,) = run(tmp_path, ["ARC103"])
    assert finding.message.endswith("import from the defining module ('from shop.money import charge')")
