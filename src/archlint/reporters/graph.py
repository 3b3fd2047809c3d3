"""``archlint graph``: the module or package import graph as Graphviz dot, Mermaid or JSON,
with cycle members highlighted and edges labelled by kind (module-level, deferred,
type-checking), so a user can look at the tangle instead of reading it."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from archlint.domain.cycles import ImportGraphView, cycle_kinds, strongly_connected_components
from archlint.domain.facts import ImportKind
from archlint.domain.graph import ImportEdge
from archlint.domain.project import Project

LEVELS = ("module", "package")
KIND_ORDER = (ImportKind.MODULE_LEVEL, ImportKind.DEFERRED, ImportKind.TYPE_CHECKING)


@dataclass(frozen=True)
class GraphEdge:
    """All imports from one node to another, counted by kind."""

    source: str
    target: str
    kinds: tuple[tuple[str, int], ...]
    cycle: str | None

    @property
    def strongest(self) -> ImportKind:
        """The kind that runs earliest among this edge's imports."""
        present = {kind for kind, _ in self.kinds}
        return next(kind for kind in KIND_ORDER if kind.value in present)

    def label(self) -> str:
        """``module-level x2, deferred``."""
        return ", ".join(kind if count == 1 else f"{kind} x{count}" for kind, count in self.kinds)


@dataclass(frozen=True)
class GraphModel:
    """What every graph format renders."""

    level: str
    nodes: tuple[tuple[str, str | None], ...]
    """(name, cycle kind): ``module-level`` for members of an import cycle, ``deferred``
    for members of a cycle that needs function-level imports, else ``None``."""
    edges: tuple[GraphEdge, ...]
    cycles: tuple[tuple[str, ...], ...]


def owner(module: str, packages: frozenset[str]) -> str:
    """The package a module belongs to (itself when it is a package)."""
    if module in packages or "." not in module:
        return module
    return module.rpartition(".")[0]


def build_model(project: Project, level: str = "module") -> GraphModel:
    """The graph of ``project`` at ``level`` (``module`` or ``package``)."""
    packages = frozenset(f.module for f in project.files if f.is_package)
    name = (lambda m: owner(m, packages)) if level == "package" else (lambda m: m)
    counts: dict[tuple[str, str], dict[str, int]] = {}
    lifted: list[ImportEdge] = []
    for edge in project.graph.edges:
        source, target = name(edge.importer), name(edge.imported)
        if source == target:
            continue
        kinds = counts.setdefault((source, target), {})
        kinds[edge.kind.value] = kinds.get(edge.kind.value, 0) + 1
        lifted.append(
            ImportEdge(importer=source, imported=target, kind=edge.kind, path=edge.path, line=edge.line, column=edge.column, text=edge.text)
        )
    nodes = sorted({name(m) for m in project.graph.modules})
    membership: dict[str, str] = {}
    cycles: list[tuple[str, ...]] = []
    component_of: dict[str, dict[str, int]] = {"module-level": {}, "deferred": {}}
    for label, deferred in (("module-level", False), ("deferred", True)):
        kinds = cycle_kinds(False, deferred)
        view = ImportGraphView.build(e for e in lifted if e.kind in kinds)
        for members in strongly_connected_components(view.successors, view.successors):
            component_of[label].update(dict.fromkeys(members, len(cycles)))
            if members not in cycles:
                cycles.append(members)
            for member in members:
                membership.setdefault(member, label)
    edges = []
    for (source, target), kinds in sorted(counts.items()):
        cycle = None
        for label in ("module-level", "deferred"):
            where = component_of[label]
            if source in where and where.get(source) == where.get(target):
                cycle = label
                break
        ordered = tuple((kind.value, kinds[kind.value]) for kind in KIND_ORDER if kind.value in kinds)
        edges.append(GraphEdge(source=source, target=target, kinds=ordered, cycle=cycle))
    return GraphModel(
        level=level,
        nodes=tuple((node, membership.get(node)) for node in nodes),
        edges=tuple(edges),
        cycles=tuple(sorted(cycles)),
    )


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_DOT_STYLE = {ImportKind.MODULE_LEVEL: "solid", ImportKind.DEFERRED: "dashed", ImportKind.TYPE_CHECKING: "dotted"}


def render_dot(model: GraphModel) -> str:
    """Graphviz ``dot``: cycle members filled, cycle edges red; dashed = deferred,
    dotted = type-checking only."""
    lines = [f"digraph {_quote('archlint ' + model.level + 's')} {{", "  rankdir=LR;", '  node [shape=box, fontname="Helvetica"];']
    for node, cycle in model.nodes:
        style = ""
        if cycle == "module-level":
            style = ', style=filled, fillcolor="#f8d0d0", color="#c00000"'
        elif cycle == "deferred":
            style = ', style=filled, fillcolor="#fcebc8", color="#c08000"'
        lines.append(f"  {_quote(node)} [label={_quote(node)}{style}];")
    for edge in model.edges:
        colour = {"module-level": ', color="#c00000", penwidth=2', "deferred": ', color="#c08000"'}.get(edge.cycle or "", "")
        lines.append(
            f"  {_quote(edge.source)} -> {_quote(edge.target)} [label={_quote(edge.label())}, style={_DOT_STYLE[edge.strongest]}{colour}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def render_mermaid(model: GraphModel) -> str:
    """A Mermaid ``flowchart``: ``-->`` module-level, ``-.->`` deferred or type-checking,
    cycle members in the ``cycle`` class and cycle edges drawn red."""
    ids = {node: f"n{index}" for index, (node, _) in enumerate(model.nodes)}
    lines = ["flowchart LR"]
    for node, _ in model.nodes:
        lines.append(f'  {ids[node]}["{node}"]')
    red: list[int] = []
    amber: list[int] = []
    for index, edge in enumerate(model.edges):
        arrow = "-->" if edge.strongest is ImportKind.MODULE_LEVEL else "-.->"
        lines.append(f"  {ids[edge.source]} {arrow}|{edge.label()}| {ids[edge.target]}")
        if edge.cycle:
            (red if edge.cycle == "module-level" else amber).append(index)
    lines.append("  classDef cycle fill:#f8d0d0,stroke:#c00000;")
    lines.append("  classDef deferredcycle fill:#fcebc8,stroke:#c08000;")
    for cls, kind in (("cycle", "module-level"), ("deferredcycle", "deferred")):
        members = [ids[node] for node, cycle in model.nodes if cycle == kind]
        if members:
            lines.append(f"  class {','.join(members)} {cls};")
    if red:
        lines.append(f"  linkStyle {','.join(map(str, red))} stroke:#c00000,stroke-width:2px;")
    if amber:
        lines.append(f"  linkStyle {','.join(map(str, amber))} stroke:#c08000;")
    return "\n".join(lines) + "\n"


def render_json(model: GraphModel) -> str:
    """JSON: ``nodes`` (with ``cycle``), ``edges`` (with ``kinds`` counts and ``cycle``), ``cycles``."""
    data = {
        "level": model.level,
        "nodes": [{"id": node, "cycle": cycle} for node, cycle in model.nodes],
        "edges": [
            {"source": e.source, "target": e.target, "kinds": dict(e.kinds), "cycle": e.cycle} for e in model.edges
        ],
        "cycles": [list(members) for members in model.cycles],
    }
    return json.dumps(data, indent=2, sort_keys=False) + "\n"


GRAPH_RENDERERS: dict[str, Callable[[GraphModel], str]] = {
    "dot": render_dot,
    "mermaid": render_mermaid,
    "json": render_json,
}
