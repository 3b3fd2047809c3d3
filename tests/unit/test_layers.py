"""ARC501-ARC503 on small in-memory projects."""

from __future__ import annotations

import networkx as nx

from archlint.domain.contracts import (
    ContractOptions,
    ForbiddenContract,
    IndependenceContract,
    Layer,
    LayersContract,
)
from archlint.domain.facts import FileFacts, ImportFact, ImportKind
from archlint.domain.project import Project
from archlint.rules.layers import ForbiddenImport, IndependenceViolation, LayerViolation, shortest_chain

Spec = str | tuple[str, tuple[str, ...]] | tuple[str, tuple[str, ...], ImportKind]


def facts(module: str, *imports: Spec, package: bool = False) -> FileFacts:
    """Facts of ``module``: ``"a.b"`` is ``import a.b``; ``("a", ("x",))`` is ``from a import x``."""
    found: list[ImportFact] = []
    for line, spec in enumerate(imports, start=1):
        name, names, kind = (spec, (), ImportKind.MODULE_LEVEL) if isinstance(spec, str) else (*spec, ImportKind.MODULE_LEVEL)[:3]
        found.append(ImportFact(module=name, names=names, line=line, column=1, end_line=line, end_column=10, kind=kind))
    path = module.replace(".", "/") + ("/__init__.py" if package else ".py")
    return FileFacts(path=path, module=module, is_package=package, imports=tuple(found))


def _layered() -> Project:
    return Project(
        [
            facts("app", package=True),
            facts("app.api.routes", "app.services.orders"),
            facts("app.services.orders", "app.models.order"),
            facts("app.models.order", ("app.services.orders", ("notify",)), ("app.api.routes", ("x",), ImportKind.TYPE_CHECKING)),
            facts("app.models.user", "app.helpers"),
            facts("app.helpers", ("app.api", ("routes",))),
            facts("app.utils", ("app.models.order", ("Order",), ImportKind.DEFERRED)),
        ]
    )


CONTRACT = LayersContract(
    name="app layers",
    containers=("app",),
    layers=(Layer(("api",)), Layer(("services",)), Layer(("models",))),
)


def _found(rule: object, project: Project, options: ContractOptions) -> list[tuple[str, int, str]]:
    return [(f.path, f.line, f.message) for f in rule.check(project, options)]  # type: ignore[attr-defined]


def test_direct_and_indirect_layer_violations() -> None:
    findings = sorted(LayerViolation().check(_layered(), ContractOptions(contracts=(CONTRACT,))), key=lambda f: f.sort_key)
    assert [(f.path, f.line) for f in findings] == [("app/models/order.py", 1), ("app/models/user.py", 1)]
    direct, indirect = findings
    assert direct.message == (
        "app.models.order imports app.services.orders: app.models must not import the higher layer app.services (app layers)"
    )
    assert direct.extra["chain"] == ["app.models.order", "app.services.orders"]
    assert indirect.extra["chain"] == ["app.models.user", "app.helpers", "app.api.routes"]
    assert "app.models.user -> app.helpers -> app.api.routes" in indirect.message
    assert direct.fingerprint != indirect.fingerprint


def test_ignore_imports_patterns_remove_edges() -> None:
    contract = LayersContract(
        name="c", containers=("app",), layers=CONTRACT.layers, ignore_imports=(("app.models.*", "app.services.*"), ("app.helpers", "app.api.**"))
    )
    assert list(LayerViolation().check(_layered(), ContractOptions(contracts=(contract,)))) == []


def test_zero_config_applies_without_contracts_and_can_be_turned_off() -> None:
    project = _layered()
    findings = sorted(LayerViolation().check(project, ContractOptions()), key=lambda f: f.sort_key)
    assert [(f.path, f.extra["contract"]) for f in findings] == [
        ("app/models/order.py", "conventional layers of app"),
        ("app/models/user.py", "conventional layers of app"),
    ]
    assert len(list(LayerViolation().notes(project, ContractOptions()))) == 1
    assert list(LayerViolation().check(project, ContractOptions(layers_auto=False))) == []
    assert list(LayerViolation().notes(project, ContractOptions(layers_auto=False))) == []


def test_independent_siblings_and_missing_containers() -> None:
    project = Project([facts("app.cli.main", "app.web.pages"), facts("app.web.pages"), facts("app.core")])
    independent = LayersContract(name="i", containers=("app",), layers=(Layer(("cli", "web")), Layer(("core",))))
    findings = list(LayerViolation().check(project, ContractOptions(contracts=(independent,))))
    assert [f.message for f in findings] == [
        "app.cli.main imports app.web.pages: app.cli must not import its independent sibling app.web (i)"
    ]
    open_siblings = LayersContract(name="o", containers=("app",), layers=(Layer(("cli", "web"), independent=False), Layer(("core",))))
    assert list(LayerViolation().check(project, ContractOptions(contracts=(open_siblings,)))) == []
    elsewhere = LayersContract(name="x", containers=("nothere",), layers=independent.layers)
    assert list(LayerViolation().check(project, ContractOptions(contracts=(elsewhere,)))) == []


def test_exhaustive_contract_reports_unlisted_children() -> None:
    project = Project(
        [facts("app", package=True), facts("app.web"), facts("app.extra", package=True), facts("app.extra.deep"), facts("app.conf")]
    )
    contract = LayersContract(
        name="e", containers=("app",), layers=(Layer(("web",)),), exhaustive=True, exhaustive_ignores=("conf",)
    )
    findings = list(LayerViolation().check(project, ContractOptions(contracts=(contract,))))
    assert [(f.path, f.line, f.message) for f in findings] == [
        ("app/extra/__init__.py", 1, "app.extra is in no layer of the exhaustive contract 'e'")
    ]


def test_shortest_chain_is_deterministic_and_respects_blocked_modules() -> None:
    graph = nx.DiGraph([("s", "b"), ("s", "a"), ("a", "g"), ("b", "g"), ("s", "x"), ("x", "y"), ("y", "g")])
    assert shortest_chain(graph, "s", lambda m: m == "g", lambda m: True) == ["s", "a", "g"]
    assert shortest_chain(graph, "s", lambda m: m == "g", lambda m: m not in {"a", "b"}) == ["s", "x", "y", "g"]
    assert shortest_chain(graph, "s", lambda m: m == "g", lambda m: m == "q") is None
    assert shortest_chain(graph, "a", lambda m: m == "g", lambda m: False) == ["a", "g"]


def _forbidden_project() -> Project:
    return Project(
        [
            facts("app", package=True),
            facts("app.domain.order", "sqlalchemy.orm", "app.api.handlers", ("sqlalchemy", ("Engine",), ImportKind.TYPE_CHECKING)),
            facts("app.domain.repo", ("app.infra", ("db",))),
            facts("app.domain.pure"),
            facts("app.infra.db", "sqlalchemy"),
            facts("app.api.handlers", "app.domain.pure"),
        ]
    )


def test_forbidden_third_party_and_first_party_direct_and_indirect() -> None:
    contract = ForbiddenContract(name="pure", sources=("app.domain",), forbidden=("sqlalchemy", "app.api"))
    findings = sorted(ForbiddenImport().check(_forbidden_project(), ContractOptions(contracts=(contract,))), key=lambda f: f.sort_key)
    assert [(f.path, f.line, f.extra["chain"]) for f in findings] == [
        ("app/domain/order.py", 1, ["app.domain.order", "sqlalchemy.orm"]),
        ("app/domain/order.py", 2, ["app.domain.order", "app.api.handlers"]),
        ("app/domain/repo.py", 1, ["app.domain.repo", "app.infra.db", "sqlalchemy"]),
    ]
    allow = ForbiddenContract(name="pure", sources=("app.domain",), forbidden=("sqlalchemy",), allow_indirect=True)
    assert [f.line for f in ForbiddenImport().check(_forbidden_project(), ContractOptions(contracts=(allow,)))] == [1]


def test_forbidden_indirect_chain_does_not_pass_through_sources() -> None:
    project = Project(
        [
            facts("app.domain.a", "app.domain.b"),
            facts("app.domain.b", "app.glue"),
            facts("app.glue", "app.web.page"),
            facts("app.web.page"),
        ]
    )
    contract = ForbiddenContract(name="f", sources=("app.domain",), forbidden=("app.web",))
    findings = list(ForbiddenImport().check(project, ContractOptions(contracts=(contract,))))
    assert [(f.path, f.extra["chain"]) for f in findings] == [("app/domain/b.py", ["app.domain.b", "app.glue", "app.web.page"])]


def test_independence_both_directions() -> None:
    project = Project(
        [
            facts("app.billing.invoice", "app.shipping.rates"),
            facts("app.shipping.rates", "app.shared"),
            facts("app.shared"),
            facts("app.catalog.items", "app.glue"),
            facts("app.glue", "app.billing.invoice"),
        ]
    )
    contract = IndependenceContract(name="features", modules=("app.billing", "app.shipping", "app.catalog"))
    findings = list(IndependenceViolation().check(project, ContractOptions(contracts=(contract,))))
    assert [(f.path, f.extra["chain"]) for f in findings] == [
        ("app/billing/invoice.py", ["app.billing.invoice", "app.shipping.rates"]),
        ("app/catalog/items.py", ["app.catalog.items", "app.glue", "app.billing.invoice"]),
    ]
    allowed = IndependenceContract(name="features", modules=contract.modules, allow_indirect=True)
    assert [f.path for f in IndependenceViolation().check(project, ContractOptions(contracts=(allowed,)))] == [
        "app/billing/invoice.py"
    ]


def test_contract_without_containers_uses_absolute_names() -> None:
    project = Project([facts("api", "services"), facts("services", "models"), facts("models", "api")])
    contract = LayersContract(name="flat", layers=(Layer(("api",)), Layer(("services",)), Layer(("models",))))
    findings = list(LayerViolation().check(project, ContractOptions(contracts=(contract,))))
    assert [(f.path, f.message) for f in findings] == [
        ("models.py", "models imports api: models must not import the higher layer api (flat)")
    ]
    zero = list(LayerViolation().check(project, ContractOptions()))
    assert [(f.path, f.extra["contract"]) for f in zero] == [("models.py", "conventional layers of the top level")]


def test_routes_through_one_import_give_one_finding_per_line_and_layer_pair() -> None:
    """grimp reports two routes (via glue.left and glue.right) sharing the first import
    ``-> app.glue``; that import line gets one finding (was one per route), listing both
    chains (the Django case: ``django/core/checks/urls.py:13`` had three)."""
    p = Project(
        [
            facts("app", package=True),
            facts("app.models.order", "app.glue"),
            facts("app.models.user", ("app", ("glue",))),
            facts("app.glue", ("app.glue", ("left", "right")), package=True),
            facts("app.glue.left", ("app.api", ("views",))),
            facts("app.glue.right", ("app.api", ("pages",))),
            facts("app.api.views"),
            facts("app.api.pages"),
        ]
    )
    contract = LayersContract(name="c", containers=("app",), layers=(Layer(("api",)), Layer(("models",))))
    findings = sorted(LayerViolation().check(p, ContractOptions(contracts=(contract,))), key=lambda f: f.sort_key)
    assert [(f.path, f.line) for f in findings] == [("app/models/order.py", 1), ("app/models/user.py", 1)]
    order = findings[0]
    assert order.extra["chain"] == ["app.models.order", "app.glue", "app.glue.left", "app.api.views"]
    assert order.extra["chains"] == [
        ["app.models.order", "app.glue", "app.glue.left", "app.api.views"],
        ["app.models.order", "app.glue", "app.glue.right", "app.api.pages"],
    ]
    assert order.extra["chain_count"] == 2
    assert order.message.endswith("(and 1 more chain through this import)")
