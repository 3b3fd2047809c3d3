"""Coupling metrics (module and package level) and ARC301-ARC305 on in-memory projects."""

from __future__ import annotations

from pathlib import Path

import pytest

from archlint import lint
from archlint.config import Settings
from archlint.domain.coupling import instability, module_coupling, package_coupling, sibling_edges
from archlint.domain.facts import FileFacts, ImportFact, ImportKind
from archlint.domain.function_facts import ModuleApiFacts
from archlint.domain.graph import ALL_KINDS, ImportEdge
from archlint.domain.project import Project
from archlint.rules.coupling import (
    CouplingOptions,
    DeepImport,
    HighFanOut,
    HubModule,
    PrivateImport,
    UnstableDependency,
    private_owner,
)
from harness import write_tree

Spec = str | tuple[str, tuple[str, ...]] | tuple[str, tuple[str, ...], ImportKind]


def facts(module: str, *imports: Spec, package: bool = False, api: ModuleApiFacts | None = None) -> FileFacts:
    """Facts of ``module``: ``"a.b"`` is ``import a.b``; ``("a", ("x",))`` is ``from a import x``."""
    found: list[ImportFact] = []
    for line, spec in enumerate(imports, start=1):
        if isinstance(spec, str):
            name, names, kind = spec, (), ImportKind.MODULE_LEVEL
        elif len(spec) == 2:
            name, names, kind = spec[0], spec[1], ImportKind.MODULE_LEVEL
        else:
            name, names, kind = spec
        found.append(ImportFact(module=name, names=names, line=line, column=1, end_line=line, end_column=10, kind=kind))
    path = module.replace(".", "/") + ("/__init__.py" if package else ".py")
    return FileFacts(path=path, module=module, is_package=package, imports=tuple(found), api=api or ModuleApiFacts())


def project(*files: FileFacts) -> Project:
    return Project(list(files))


def test_instability() -> None:
    assert instability(0, 0) == 0.0
    assert instability(1, 3) == 0.75
    assert instability(4, 0) == 0.0


def test_module_metrics_count_distinct_runtime_imports() -> None:
    p = project(
        facts("app", package=True),
        facts("app.a", "app.b", ("app", ("c",)), ("app.b", ("x", "y"))),
        facts("app.b", ("app", ("c",), ImportKind.DEFERRED)),
        facts("app.c", ("app", ("a",), ImportKind.TYPE_CHECKING)),
    )
    metrics = module_coupling(p.graph)
    assert metrics["app.a"].imports == ("app.b", "app.c") and metrics["app.a"].ce == 2
    assert metrics["app.c"].importers == ("app.a", "app.b") and metrics["app.c"].ca == 2
    assert metrics["app.c"].ce == 0 and metrics["app.c"].instability == 0.0
    assert metrics["app.b"].instability == 0.5
    with_tc = module_coupling(p.graph, ALL_KINDS)
    assert with_tc["app.c"].imports == ("app.a",)


def test_package_metrics_at_every_level() -> None:
    p = project(
        facts("app", package=True),
        facts("app.core", package=True),
        facts("app.core.x", "app.util"),
        facts("app.core.y"),
        facts("app.web", package=True),
        facts("app.web.views", "app.core.x", "app.core.y", "app.web.deep.z"),
        facts("app.web.deep.z", "app.core.x"),
        facts("app.util"),
    )
    metrics = package_coupling(p.graph, package_modules=["app", "app.core", "app.web"], class_counts={"app.core.x": (4, 1)})
    assert sorted(metrics) == ["app", "app.core", "app.web", "app.web.deep"]
    core = metrics["app.core"]
    assert (core.modules, core.ca, core.ce) == (3, 2, 1)
    assert core.instability == pytest.approx(1 / 3)
    assert core.abstractness == 0.25 and core.distance == pytest.approx(abs(0.25 + 1 / 3 - 1))
    web = metrics["app.web"]
    assert (web.ca, web.ce, web.instability) == (0, 2, 1.0)
    assert web.abstractness == 0.0 and web.distance == 0.0
    deep = metrics["app.web.deep"]  # a namespace package: only an ancestor of a module
    assert (deep.modules, deep.ca, deep.ce) == (1, 1, 1)
    assert (metrics["app"].ca, metrics["app"].ce) == (0, 0)
    assert metrics["app"].classes == 4 and metrics["app"].abstract_classes == 1


def test_sibling_edges() -> None:
    p = project(
        facts("app", package=True),
        facts("app.web.views", "app.core.x", "app.web.forms"),
        facts("app.core.x", "lib.y"),
        facts("app.web.forms"),
        facts("lib.y"),
    )
    assert sibling_edges(p.graph) == [("app", "lib"), ("app.web", "app.core"), ("app.web.views", "app.web.forms")]


def _codes(rule: object, p: Project, options: object = None) -> list[tuple[str, int, str]]:
    found = rule.check(p, options or CouplingOptions())  # type: ignore[attr-defined]
    return [(f.path, f.line, f.message) for f in found]


def test_high_fan_out_threshold_and_facade_exemption() -> None:
    targets = [f"app.m{i}" for i in range(4)]
    p = project(
        facts("app", *targets, package=True),
        facts("app.big", *targets),
        facts("app.small", *targets[:3]),
        *(facts(t) for t in targets),
    )
    findings = list(HighFanOut().check(p, CouplingOptions(max_fan_out=3)))
    assert [(f.path, f.line) for f in findings] == [("app/big.py", 1)]
    assert findings[0].extra == {"imports": targets, "ratchet": {"fan_out": 4}}
    assert list(HighFanOut().check(p, CouplingOptions())) == []
    not_facade = facts("app", *targets, package=True, api=ModuleApiFacts(class_names=("Thing",)))
    q = project(not_facade, *(facts(t) for t in targets))
    assert [f.path for f in HighFanOut().check(q, CouplingOptions(max_fan_out=3))] == ["app/__init__.py"]


def test_hub_module() -> None:
    p = project(
        facts("app.hub", "app.x", "app.y"),
        facts("app.p", "app.hub"),
        facts("app.q", "app.hub"),
        facts("app.x"),
        facts("app.y"),
    )
    options = CouplingOptions(hub_min_fan_in=2, hub_min_fan_out=2)
    findings = list(HubModule().check(p, options))
    assert [(f.path, f.extra["ratchet"]) for f in findings] == [("app/hub.py", {"fan_in": 2, "fan_out": 2})]
    assert list(HubModule().check(p, CouplingOptions(hub_min_fan_in=3, hub_min_fan_out=2))) == []


def test_unstable_dependency_on_sibling_packages() -> None:
    files = [
        facts("app", package=True),
        facts("app.stable", package=True),
        facts("app.stable.a", "app.volatile.v"),
        facts("app.stable.b"),
        facts("app.volatile", package=True),
        facts("app.volatile.v", "app.l1", "app.l2", "app.l3"),
        facts("app.volatile.w"),
        *(facts(f"app.u{i}", "app.stable.a") for i in range(3)),
        *(facts(f"app.l{i}") for i in range(1, 4)),
    ]
    p = project(*files)
    findings = list(UnstableDependency().check(p, CouplingOptions()))
    assert [(f.path, f.line) for f in findings] == [("app/stable/a.py", 1)]
    assert findings[0].extra["importer_instability"] == 0.25 and findings[0].extra["imported_instability"] == 0.75
    assert list(UnstableDependency().check(p, CouplingOptions(instability_delta=0.5))) == []
    assert list(UnstableDependency().check(p, CouplingOptions(min_package_modules=4))) == []


@pytest.mark.parametrize(
    ("imported", "name", "is_package", "expected"),
    [
        ("a.b._c", None, False, ("a.b", "a.b._c")),
        ("a._b.c", "x", False, ("a", "a._b")),
        ("a.b.m", "_x", False, ("a.b", "a.b.m._x")),
        ("a.b", "_x", True, ("a.b", "a.b._x")),
        ("a.b._m", "_m", False, ("a.b", "a.b._m")),
        ("a.b.m", "__version__", False, None),
        ("a.__main__", None, False, None),
        ("a.b.m", "x", False, None),
    ],
)
def test_private_owner(imported: str, name: str | None, is_package: bool, expected: tuple[str, str] | None) -> None:
    edge = ImportEdge(importer="z", imported=imported, kind=ImportKind.MODULE_LEVEL, path="z.py", line=1, column=1, text="", name=name)
    assert private_owner(edge, is_package) == expected


def test_private_import_allows_the_owner_and_its_descendants() -> None:
    p = project(
        facts("app", package=True),
        facts("app.billing", package=True),
        facts("app.billing._tax"),
        facts("app.billing.invoice", "app.billing._tax"),
        facts("app.billing.sub.x", ("app.billing._tax", ("rate",))),
        facts("app.web.views", "app.billing._tax", ("app.billing.invoice", ("_total", "_other"))),
        facts("app._util"),
        facts("app.web.other", "app._util"),
        facts("_top"),
        facts("app.web.third", "_top"),
        facts("tests.test_tax", "app.billing._tax"),
    )
    findings = list(PrivateImport().check(p, CouplingOptions()))
    assert [(f.path, f.line, f.extra["privates"]) for f in findings] == [
        ("app/web/views.py", 1, ["app.billing._tax"]),
        ("app/web/views.py", 2, ["app.billing.invoice._other", "app.billing.invoice._total"]),
    ]
    allowed = CouplingOptions(allow_private=("app.billing._tax", "app.billing.*._other"))
    assert [f.extra["privates"] for f in PrivateImport().check(p, allowed)] == [["app.billing.invoice._total"]]


def test_private_import_one_finding_per_statement_naming_every_private() -> None:
    """``from x import _a, _b, _c`` is one finding (was one per name), its identity the
    importer and the sorted privates, independent of the line."""
    p = project(
        facts("app", package=True),
        facts("app.core", package=True),
        facts("app.core.utils"),
        facts("app.web.views", "app.web", ("app.core.utils", ("_e", "_b", "public", "_a"))),
    )
    moved = project(
        facts("app", package=True),
        facts("app.core", package=True),
        facts("app.core.utils"),
        facts("app.web.views", ("app.core.utils", ("_e", "_b", "public", "_a"))),
    )
    findings = list(PrivateImport().check(p, CouplingOptions()))
    assert len(findings) == 1
    (finding,) = findings
    assert finding.line == 2
    privates = ["app.core.utils._a", "app.core.utils._b", "app.core.utils._e"]
    assert finding.extra["privates"] == privates
    assert finding.extra["owners"] == ["app.core"]
    assert finding.message == f"app.web.views imports {', '.join(privates)}, private to app.core"
    (other,) = PrivateImport().check(moved, CouplingOptions())
    assert other.line == 1
    assert other.fingerprint == finding.fingerprint


def test_deep_import() -> None:
    exported = ModuleApiFacts(all_names=("Client",))
    p = project(
        facts("lib", ("lib.http.client", ("Client",)), package=True, api=exported),
        facts("lib.http", package=True),
        facts("lib.http.client"),
        facts("lib.other", ("lib.http.client", ("Client",))),
        facts("app.main", ("lib.http.client", ("Client", "Helper")), ("lib", ("Client",)), ("lib.http", ("client",))),
    )
    findings = list(DeepImport().check(p, CouplingOptions()))
    assert [(f.path, f.line, f.extra["package"], f.extra["name"]) for f in findings] == [("app/main.py", 1, "lib", "Client")]


def test_deep_import_is_off_by_default(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "lib/__init__.py": 'from lib.core import Client\n\n__all__ = ["Client"]\n',
            "lib/core.py": "class Client:\n    pass\n",
            "app/__init__.py": "",
            "app/main.py": "from lib.core import Client\n",
        },
    )
    settings = Settings(root=str(tmp_path))
    report = lint(["."], cwd=str(tmp_path), settings=settings, use_cache=False, jobs=1)
    assert [f.code for f in report.findings if f.code == "ARC305"] == []
    report = lint(["."], cwd=str(tmp_path), settings=settings, use_cache=False, jobs=1, select=["ARC3"])
    assert [f.code for f in report.findings if f.code == "ARC305"] == []
    report = lint(["."], cwd=str(tmp_path), settings=settings, use_cache=False, jobs=1, extend_select=["ARC305"])
    assert [(f.path, f.line, f.code) for f in report.findings if f.code == "ARC305"] == [("app/main.py", 1, "ARC305")]


def test_coupling_options_are_validated(tmp_path: Path) -> None:
    from archlint.exceptions import ConfigError

    write_tree(
        tmp_path,
        {
            "pyproject.toml": "[tool.archlint.coupling]\nmax-fan-out = 0\ninstability-delta = 2\nmax-fanout = 3\n",
            "a.py": "",
        },
    )
    with pytest.raises(ConfigError) as caught:
        lint(["."], cwd=str(tmp_path), use_cache=False, jobs=1)
    message = str(caught.value)
    assert "max-fan-out: must be >= 1" in message
    assert "instability-delta: must be between 0 and 1" in message
    assert "did you mean 'max-fan-out'?" in message


def test_metrics_columns_for_modules_and_packages() -> None:
    from archlint.domain.class_facts import ClassFacts
    from archlint.domain.coupling import MODULE_COUPLING, PACKAGE_COUPLING
    from archlint.domain.metric_registry import LEVELS

    assert MODULE_COUPLING in LEVELS["module"].providers and PACKAGE_COUPLING in LEVELS["package"].providers
    port = ClassFacts(name="Port", qualname="Port", line=1, column=1, end_line=2, is_abstract=True)
    impl = ClassFacts(name="Impl", qualname="Impl", line=3, column=1, end_line=4)
    local = ClassFacts(name="L", qualname="f.<locals>.L", line=5, column=1, end_line=6, is_abstract=True)
    p = project(
        facts("app", package=True),
        FileFacts(path="app/core/ports.py", module="app.core.ports", is_package=False, classes=(port, impl, local)),
        facts("app.web.views", "app.core.ports"),
    )
    modules = MODULE_COUPLING.compute(p)
    assert modules["app.web.views"] == {"instability": 1.0} and modules["app.core.ports"] == {"instability": 0.0}
    packages = PACKAGE_COUPLING.compute(p)
    assert packages["app.core"] == {"ca": 1, "ce": 0, "instability": 0.0, "abstractness": 0.5, "distance": 0.5}
    assert packages["app.web"] == {"ca": 0, "ce": 1, "instability": 1.0, "abstractness": 0.0, "distance": 0.0}
