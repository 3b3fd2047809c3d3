"""Pure graph algorithms of the cycle rules: SCCs, canonical cycles, breakers."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from archlint.domain.cycles import (
    EXACT_BREAKER_LIMIT,
    canonical_rotation,
    cycle_through,
    is_acyclic,
    shortest_path,
    strongly_connected_components,
    suggest_breakers,
)

NAMES = [f"m{i:02d}" for i in range(14)]
edges_strategy = st.lists(st.tuples(st.sampled_from(NAMES), st.sampled_from(NAMES)), max_size=60)


def successors(edges: list[tuple[str, str]]) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for a, b in sorted(set(edges)):
        result.setdefault(a, []).append(b)
    return result


def nx_components(edges: list[tuple[str, str]]) -> list[tuple[str, ...]]:
    graph = nx.DiGraph()
    graph.add_nodes_from(NAMES)
    graph.add_edges_from((a, b) for a, b in edges if a != b)
    return sorted(tuple(sorted(c)) for c in nx.strongly_connected_components(graph) if len(c) > 1)


@settings(max_examples=200, deadline=None)
@given(edges_strategy)
def test_components_equal_networkx(edges: list[tuple[str, str]]) -> None:
    assert strongly_connected_components(NAMES, successors(edges)) == nx_components(edges)


@settings(max_examples=150, deadline=None)
@given(edges_strategy)
def test_breakers_make_each_component_acyclic_and_are_minimal(edges: list[tuple[str, str]]) -> None:
    succ = successors(edges)
    for members in strongly_connected_components(NAMES, succ):
        chosen = suggest_breakers(members, succ, lambda pair: 1)
        assert chosen == sorted(chosen)
        assert is_acyclic(members, succ, set(chosen))
        for pair in chosen:  # no cut is redundant
            assert not is_acyclic(members, succ, set(chosen) - {pair})


@settings(max_examples=100, deadline=None)
@given(edges_strategy)
def test_cycle_through_breaker_is_a_real_shortest_cycle(edges: list[tuple[str, str]]) -> None:
    succ = successors(edges)
    for members in strongly_connected_components(NAMES, succ):
        pair = suggest_breakers(members, succ, lambda p: 1)[0]
        cycle = cycle_through(pair, succ, frozenset(members))
        assert cycle[0] == min(cycle)
        hops = list(zip(cycle, cycle[1:] + cycle[:1]))
        assert all(b in succ[a] for a, b in hops)
        assert pair in hops
        assert len(set(cycle)) == len(cycle)


def test_exact_breakers_pick_the_cheapest_cut() -> None:
    # a <-> b and b <-> c; cutting b->a and b->c costs 2 cuts, a->b + c->b also 2:
    succ = {"a": ["b"], "b": ["a", "c"], "c": ["b"]}
    cheap = {("a", "b"): 1, ("c", "b"): 1, ("b", "a"): 5, ("b", "c"): 5}
    assert suggest_breakers(["a", "b", "c"], succ, lambda p: cheap[p]) == [("a", "b"), ("c", "b")]
    assert suggest_breakers(["a", "b", "c"], succ, lambda p: 1) == [("a", "b"), ("b", "c")]


def test_one_shared_edge_breaks_two_cycles() -> None:
    succ = {"a": ["b"], "b": ["c", "d"], "c": ["a"], "d": ["a"]}
    assert suggest_breakers(["a", "b", "c", "d"], succ, lambda p: 1) == [("a", "b")]


def test_large_component_uses_the_greedy_heuristic_and_stays_valid() -> None:
    nodes = [f"n{i:03d}" for i in range(60)]
    succ = {node: [nodes[(i + 1) % 60], nodes[(i + 7) % 60]] for i, node in enumerate(nodes)}
    assert sum(len(v) for v in succ.values()) > EXACT_BREAKER_LIMIT
    first = suggest_breakers(nodes, succ, lambda p: 1)
    assert is_acyclic(nodes, succ, set(first))
    assert suggest_breakers(list(reversed(nodes)), succ, lambda p: 1) == first


def test_canonical_rotation_and_shortest_path() -> None:
    assert canonical_rotation(["c", "a", "b"]) == ["a", "b", "c"]
    assert canonical_rotation([]) == []
    succ = {"a": ["b", "c"], "b": ["d"], "c": ["d"], "d": []}
    assert shortest_path("a", "d", succ, {"a", "b", "c", "d"}) == ["a", "b", "d"]
    assert shortest_path("a", "d", succ, {"a", "c", "d"}) == ["a", "c", "d"]
    assert shortest_path("d", "a", succ, {"a", "b", "c", "d"}) == []


def test_self_imports_and_deep_chains_do_not_recurse() -> None:
    nodes = [f"x{i:05d}" for i in range(20000)]
    succ = {node: [nodes[i + 1]] for i, node in enumerate(nodes[:-1])}
    succ[nodes[-1]] = [nodes[0], nodes[-1]]
    (component,) = strongly_connected_components(nodes, succ)
    assert len(component) == 20000
    assert suggest_breakers(component, succ, lambda p: 1) != []
