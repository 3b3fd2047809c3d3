"""The shortcuts the rules stage takes give what the plain computations give.

Each test compares a faster path with the straightforward version it replaced (kept
here as the reference): on every fixture project, and on random graphs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archlint.domain.cycles import (
    EXACT_BREAKER_LIMIT,
    ImportGraphView,
    Pair,
    UsageIndex,
    _acyclic_without,
    _greedy_order,
    _usages_of,
    accepted,
    cycle_kinds,
    module_graph,
    strongly_connected_components,
    suggest_breakers,
)
from archlint.domain.class_facts import ClassFacts
from archlint.domain.contracts import conventional_layers
from archlint.domain.coupling import _apart, module_coupling, module_pairs, sibling_edges
from archlint.domain.cycle_facts import Usage
from archlint.domain.facts import FileFacts, ImportKind
from archlint.domain.graph import ImportEdge, ancestors, resolve_import
from archlint.domain.project import Project
from archlint.rules.god_objects import ClassKinds, GodObjectOptions
from harness import cases, run_case


@pytest.fixture(scope="module")
def projects() -> dict[str, Project]:
    return {f"{case.parent.name}/{case.name}": run_case(case).project for case in cases()}


KIND_SETS = [frozenset(kinds) for size in range(1, 4) for kinds in combinations(ImportKind, size)]


def test_a_view_of_presorted_edges_equals_the_sorted_view(projects: dict[str, Project]) -> None:
    for name, project in projects.items():
        for kinds in KIND_SETS:
            edges = list(project.graph.edges_of(kinds))
            assert ImportGraphView.build(edges, presorted=True) == ImportGraphView.build(reversed(edges)), (name, kinds)


def test_edges_of_a_kind_set_are_the_filtered_edges_every_time(projects: dict[str, Project]) -> None:
    for project in projects.values():
        for kinds in [*KIND_SETS, cycle_kinds(True, deferred=True)]:
            expected = [edge for edge in project.graph.edges if edge.kind in kinds]
            assert list(project.graph.edges_of(kinds)) == expected
            assert list(project.graph.edges_of(list(kinds))) == expected


def _self_importers(project: Project) -> list[str]:
    """The reference: every file resolved again."""
    modules = project.graph.modules
    return sorted(
        facts.module
        for facts in project.files
        if facts.module
        and any(
            fact.kind is ImportKind.MODULE_LEVEL and any(target == facts.module for target, _ in resolve_import(fact, modules))
            for fact in facts.imports
        )
    )


def test_self_importers_recorded_by_the_graph_match_a_second_resolution(projects: dict[str, Project]) -> None:
    assert any(project.graph.self_importers for project in projects.values()), "no fixture imports itself"
    for project in projects.values():
        assert list(project.graph.self_importers) == _self_importers(project)


def _scanned_usages(project: Project, edge: ImportEdge) -> list[Usage]:
    """The reference: every usage of the importing file scanned."""
    facts = project.file_of(edge.importer)
    if facts is None:
        return []
    found: list[Usage] = []
    for usage in facts.cycle_facts.usages:
        if usage.line != edge.line:
            continue
        if edge.name is not None and usage.imported == edge.name:
            found.append(usage.usage)
        elif edge.name is None and (
            usage.imported == edge.imported
            or edge.imported.startswith(usage.imported + ".")
            or usage.imported.startswith(edge.imported + ".")
            or usage.module == edge.imported
        ):
            found.append(usage.usage)
    return found


def test_usages_by_line_match_a_scan_of_every_usage(projects: dict[str, Project]) -> None:
    compared = 0
    for project in projects.values():
        index: UsageIndex = {}
        for edge in project.graph.edges:
            expected = _scanned_usages(project, edge)
            assert _usages_of(project, edge, index) == expected
            compared += bool(expected)
    assert compared > 50


def _pruned_by_sorting(members: Sequence[str], successors: dict[str, list[str]], cost: Callable[[Pair], int]) -> list[Pair]:
    """The reference heuristic: each redundant cut found by a topological sort of the
    whole component."""
    member_set = frozenset(members)
    pairs = sorted((node, child) for node in members for child in successors.get(node, ()) if child in member_set and child != node)
    order = _greedy_order(sorted(members), successors, cost)
    position = {node: i for i, node in enumerate(order)}
    chosen = {pair for pair in pairs if position[pair[0]] > position[pair[1]]}
    acyclic = _acyclic_without(members, successors)
    for pair in sorted(chosen, key=lambda p: (-cost(p), p)):
        trial = chosen - {pair}
        if acyclic(trial):
            chosen = trial
    return sorted(chosen)


NAMES = [f"m{i:02d}" for i in range(16)]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(NAMES), st.sampled_from(NAMES)), min_size=EXACT_BREAKER_LIMIT + 1, max_size=90),
    st.integers(min_value=0, max_value=3),
)
def test_pruning_by_reachability_equals_pruning_by_topological_sort(edges: list[tuple[str, str]], salt: int) -> None:
    successors: dict[str, list[str]] = {}
    for a, b in sorted(set(edges)):
        successors.setdefault(a, []).append(b)

    def cost(pair: Pair) -> int:
        return (int(pair[0][1:]) * 7 + int(pair[1][1:]) + salt) % 4 + 1 if salt else 1

    for members in strongly_connected_components(NAMES, successors):
        pairs = [(a, b) for a in members for b in successors.get(a, ()) if b in members and a != b]
        if len(pairs) <= EXACT_BREAKER_LIMIT:
            continue
        assert suggest_breakers(members, successors, cost) == _pruned_by_sorting(members, successors, cost)


MODULE_NAMES = st.lists(st.sampled_from(["a", "b", "c", "ab"]), min_size=1, max_size=4).map(".".join)


@settings(max_examples=300, deadline=None)
@given(MODULE_NAMES, MODULE_NAMES)
def test_the_packages_apart_are_the_set_difference_of_the_ancestor_chains(importer: str, imported: str) -> None:
    importer_side = {importer, *ancestors(importer)}
    imported_side = {imported, *ancestors(imported)}
    mine, theirs = _apart(importer, imported)
    assert (set(mine), set(theirs)) == (importer_side - imported_side, imported_side - importer_side)
    assert len(mine) == len(set(mine)) and len(theirs) == len(set(theirs))


def test_module_pairs_are_the_sorted_distinct_pairs_and_stay_intact(projects: dict[str, Project]) -> None:
    for project in projects.values():
        graph = project.graph
        for kinds in KIND_SETS:
            expected = sorted({(edge.importer, edge.imported) for edge in graph.edges_of(kinds)})
            first = module_pairs(graph, kinds)
            first.clear()  # a caller's copy: the shared result is not touched
            assert module_pairs(graph, kinds) == expected
            coupling = module_coupling(graph, kinds)
            coupling.clear()
            assert list(module_coupling(graph, kinds)) == sorted(graph.modules)


def test_conventional_layers_do_not_depend_on_the_container_of_the_modules() -> None:
    modules = ["app.api.views", "app.services.billing", "app.domain.model", "app.infrastructure.db", "lib.x"]
    expected = conventional_layers(modules)
    assert expected, "the example has conventional layers"
    assert conventional_layers(frozenset(modules)) == expected
    assert conventional_layers(reversed(modules)) == expected
    assert conventional_layers(iter(modules)) == expected


def _walked(kinds: ClassKinds, cls: ClassFacts, test: bool) -> bool:
    """The reference: the hierarchy walked from ``cls`` (never into its own name)."""
    direct = kinds._direct_testcase if test else kinds._direct_carrier
    stack = [cls]
    seen = {cls.name}
    while stack:
        current = stack.pop()
        if direct(current):
            return True
        for base in current.bases:
            name = base.rsplit(".", 1)[-1]
            if name not in seen:
                seen.add(name)
                stack.extend(kinds._by_name.get(name, ()))
    return False


CLASS_NAMES = ["A", "B", "C", "D", "E", "F"]
CLASSES = st.lists(
    st.tuples(
        st.sampled_from(CLASS_NAMES),
        st.lists(st.sampled_from([*CLASS_NAMES, "x.A", "Enum", "unittest.TestCase", "object"]), max_size=3),
        st.booleans(),
    ),
    min_size=1,
    max_size=14,
)


@settings(max_examples=400, deadline=None)
@given(CLASSES)
def test_inherited_kinds_equal_a_walk_of_the_hierarchy(specs: list[tuple[str, list[str], bool]]) -> None:
    classes = [
        ClassFacts(name=name, qualname=f"{name}{index}", line=index + 1, column=1, end_line=index + 1, bases=tuple(bases),
                   decorators=("dataclass",) if decorated else ())
        for index, (name, bases, decorated) in enumerate(specs)
    ]
    project = Project([FileFacts(path="pkg/mod.py", module="pkg.mod", is_package=False, classes=tuple(classes))])
    kinds = ClassKinds(project, GodObjectOptions())
    for cls in classes:
        assert kinds.is_carrier(cls) == _walked(kinds, cls, test=False), cls
        assert kinds.is_test(cls, "pkg/mod.py") == _walked(kinds, cls, test=True), cls


def _siblings_by_splitting(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The reference sibling edges: each pair's names split and compared."""
    found: set[tuple[str, str]] = set()
    for importer, imported in pairs:
        a_parts, b_parts = importer.split("."), imported.split(".")
        common = 0
        while common < min(len(a_parts), len(b_parts)) and a_parts[common] == b_parts[common]:
            common += 1
        if common < len(a_parts) and common < len(b_parts):
            found.add((".".join(a_parts[: common + 1]), ".".join(b_parts[: common + 1])))
    return sorted(found)


def test_sibling_edges_equal_those_found_by_splitting_the_names(projects: dict[str, Project]) -> None:
    for project in projects.values():
        for kinds in KIND_SETS:
            assert sibling_edges(project.graph, kinds) == _siblings_by_splitting(module_pairs(project.graph, kinds))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(MODULE_NAMES, MODULE_NAMES), max_size=8))
def test_sibling_edges_of_any_names(pairs: list[tuple[str, str]]) -> None:
    found: set[tuple[str, str]] = set()
    for importer, imported in pairs:
        mine, theirs = _apart(importer, imported)
        if mine and theirs:
            found.add((mine[-1], theirs[-1]))
    assert sorted(found) == _siblings_by_splitting(pairs)


def test_shared_module_views_equal_views_built_for_each_accept_code(projects: dict[str, Project]) -> None:
    kinds = cycle_kinds(False, deferred=True)
    shared = 0
    for project in projects.values():
        files = {f.path: f for f in project.files}
        views = []
        for code in ("ARC101", "ARC102", "ARC103"):
            accept = {kind: code for kind in kinds}
            expected = ImportGraphView.build(
                [edge for edge in project.graph.edges_of(kinds) if not accepted(files, edge, accept[edge.kind])]
            )
            view = module_graph(project, kinds, accept=accept)
            assert view == expected
            views.append(view)
        shared += views[1] is views[2]
    assert shared, "no project shares a view"
