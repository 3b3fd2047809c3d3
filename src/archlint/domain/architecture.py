"""Whole-graph shape metrics for the "Big Ball of Mud" signal (ARC601).

Two numbers of the import-time graph (module-level imports: what runs when a module is
imported), both pure functions of the project:

- the **largest component**: the biggest strongly connected component (computed with the
  cycle family's :func:`~archlint.domain.cycles.strongly_connected_components`), as a
  share of all modules;
- the **propagation cost** (MacCormack, Rusnak and Baldwin, 2006): the density of the
  visibility matrix, i.e. the share of ordered module pairs ``(a, b)`` where ``a``
  depends on ``b`` directly or transitively, counting each module as seeing itself. A
  project without imports has ``1/n``; one where every module reaches every other has 1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from archlint.domain.cycles import ImportGraphView, strongly_connected_components
from archlint.domain.facts import ImportKind
from archlint.domain.project import Project

IMPORT_TIME = frozenset({ImportKind.MODULE_LEVEL})


@dataclass(frozen=True, slots=True)
class ArchitectureMetrics:
    """Shape of the import-time graph."""

    modules: int
    largest_component: tuple[str, ...]
    propagation_cost: float

    @property
    def largest_share(self) -> float:
        """Share of all modules inside the largest component (0 without a cycle)."""
        return len(self.largest_component) / self.modules if self.modules else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``extra`` and the JSON summary (shares rounded to 4 digits)."""
        return {
            "modules": self.modules,
            "largest_component_size": len(self.largest_component),
            "largest_component_share": round(self.largest_share, 4),
            "propagation_cost": round(self.propagation_cost, 4),
        }


def propagation_cost(nodes: Sequence[str], successors: Mapping[str, Sequence[str]]) -> float:
    """Density of the transitive closure (with the diagonal) of the graph on ``nodes``.

    Reachability is computed once per strongly connected component, in reverse
    topological order of the condensation, as bit sets: linear in the graph size times
    the number of components / 64."""
    count = len(nodes)
    if not count:
        return 0.0
    ordered = sorted(nodes)
    index = {node: position for position, node in enumerate(ordered)}
    component_of: dict[str, int] = {}
    components: list[tuple[str, ...]] = [tuple(c) for c in strongly_connected_components(ordered, successors)]
    for number, members in enumerate(components):
        for member in members:
            component_of[member] = number
    for node in ordered:
        if node not in component_of:
            component_of[node] = len(components)
            components.append((node,))
    reach: list[int | None] = [None] * len(components)
    total = 0
    for start in range(len(components)):
        if reach[start] is not None:
            continue
        # iterative post-order DFS over the condensation
        stack: list[tuple[int, bool]] = [(start, False)]
        while stack:
            number, done = stack.pop()
            if done:
                bits = 0
                for member in components[number]:
                    bits |= 1 << index[member]
                    for child in successors.get(member, ()):
                        target = component_of.get(child)
                        if target is not None and target != number:
                            bits |= reach[target] or 0
                reach[number] = bits
                continue
            if reach[number] is not None:
                continue
            stack.append((number, True))
            for member in components[number]:
                for child in successors.get(member, ()):
                    target = component_of.get(child)
                    if target is not None and target != number and reach[target] is None:
                        stack.append((target, False))
    for number, members in enumerate(components):
        total += (reach[number] or 0).bit_count() * len(members)
    return total / (count * count)


def architecture_metrics(project: Project) -> ArchitectureMetrics:
    """The largest import-time component and the propagation cost of ``project``."""
    modules = sorted(project.graph.modules)
    view = ImportGraphView.build(project.graph.edges_of(IMPORT_TIME))
    components = strongly_connected_components(modules, view.successors)
    largest: tuple[str, ...] = ()
    for component in components:
        if len(component) > len(largest):
            largest = component
    return ArchitectureMetrics(
        modules=len(modules),
        largest_component=largest,
        propagation_cost=propagation_cost(modules, view.successors),
    )


def anchor_file(project: Project) -> str | None:
    """Where a project-level finding sits: the ``__init__.py`` of the top-level package
    holding the most modules (ties: by name), else the first file by path."""
    sizes: dict[str, int] = {}
    for facts in project.files:
        if facts.module:
            top = facts.module.split(".")[0]
            sizes[top] = sizes.get(top, 0) + 1
    packages = {f.module: f.path for f in project.files if f.is_package and f.module and "." not in f.module}
    ranked = sorted(packages, key=lambda name: (-sizes.get(name, 0), name))
    if ranked:
        return packages[ranked[0]]
    return project.files[0].path if project.files else None
