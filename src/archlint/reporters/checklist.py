"""The checklist report: Markdown aligned to the seed checklist, with a picture.

Every Red Flag and every System Design Checklist item is marked passed, failed (with the
count and the worst findings as ``path:line``) or "needs human review" (with the reason
from :mod:`archlint.domain.checklist_map`); the principles and patterns follow in a
collapsed section. A table of key metrics and a Mermaid ``flowchart`` of the package
dependency graph (import-cycle edges highlighted) make it a readable pull-request comment
or GitHub job summary. Everything here is a pure function of the report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from archlint.domain.checklist_map import HUMAN_REASONS, ItemResult, ItemStatus, deciding_rules, evaluate, groups
from archlint.domain.coupling import package_coupling
from archlint.domain.facts import ImportKind
from archlint.domain.finding import Finding
from archlint.domain.graph import RUNTIME_KINDS
from archlint.domain.project import Project
from archlint.domain.public_api import TypeHintsOptions, public_functions, total_coverage
from archlint.domain.report import Report
from archlint.domain.rule import RuleMeta

MAX_NODES = 30
"""The package graph is collapsed (shallower packages, then the most connected ones) to
at most this many nodes."""
WORST = 3
"""How many findings an item's evidence lists."""
NA = "n/a"

_MARKS: Mapping[ItemStatus, str] = {
    ItemStatus.PASSED: "✅ passed",
    ItemStatus.FAILED: "❌ failed",
    ItemStatus.HUMAN: "👀 needs human review",
}


# --- metrics -------------------------------------------------------------------------


@dataclass(frozen=True)
class Metric:
    """One row of the key-metrics table."""

    name: str
    value: str
    source: str


def _ran(report: Report, prefix: str) -> bool:
    return any(meta.code.startswith(prefix) for meta in report.rules)


def import_time_cycles(project: Project) -> list[tuple[str, ...]]:
    """The import-time cycles: strongly connected components of more than one module in
    the graph of module-level imports, each sorted, largest first."""
    import networkx as nx  # lazy: importing archlint must not load networkx

    graph = project.graph.digraph({ImportKind.MODULE_LEVEL})
    components = [tuple(sorted(c)) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    return sorted(components, key=lambda c: (-len(c), c))


def god_classes(findings: Iterable[Finding]) -> int:
    """The number of ``god-class`` findings."""
    return sum(1 for f in findings if f.code.startswith("ARC2") and f.name == "god-class")


def far_from_main_sequence(project: Project, bound: float = 0.5) -> tuple[int, int]:
    """(packages with Martin's distance D > ``bound``, packages measured): every package
    with at least one first-party import in or out (an isolated package has no I)."""
    counts = {f.module: (len(f.classes), sum(1 for c in f.classes if c.is_abstract)) for f in project.files if f.module}
    packages = package_coupling(
        project.graph, package_modules=[f.module for f in project.files if f.is_package], class_counts=counts
    )
    measured = [p for p in packages.values() if p.ca + p.ce > 0]
    return sum(1 for p in measured if p.distance > bound), len(measured)


def key_metrics(report: Report) -> list[Metric]:
    """The summary metrics; ``n/a`` when the rule family behind a metric did not run."""
    cycles = import_time_cycles(report.project) if _ran(report, "ARC1") else None
    coverage = None
    if _ran(report, "ARC4"):
        coverage = total_coverage(public_functions(report.project, TypeHintsOptions()))
    distance = far_from_main_sequence(report.project) if _ran(report, "ARC3") else None
    return [
        Metric("Modules", str(report.modules), "analysed files"),
        Metric("Import-time cycles", NA if cycles is None else str(len(cycles)), "ARC1xx, module-level imports"),
        Metric(
            "Largest component",
            NA if cycles is None else f"{len(cycles[0]) if cycles else 1} modules",
            "largest strongly connected component",
        ),
        Metric(
            "God classes",
            str(god_classes(report.findings)) if _ran(report, "ARC2") else NA,
            "ARC2xx god-class findings",
        ),
        Metric(
            "Annotation coverage",
            NA if coverage is None else (f"{coverage.percent:.0f}% ({coverage.annotated}/{coverage.total} public functions)" if coverage.total else "no public functions"),
            "ARC4xx, fully annotated public functions",
        ),
        Metric(
            "Packages with D > 0.5",
            NA if distance is None else f"{distance[0]} of {distance[1]}",
            "ARC3xx, distance from the main sequence |A + I - 1|",
        ),
    ]


# --- the package graph ---------------------------------------------------------------


@dataclass(frozen=True)
class PackageGraph:
    """The collapsed package dependency graph drawn in the report."""

    nodes: tuple[str, ...]
    edges: tuple[tuple[str, str], ...]
    cycle_edges: frozenset[tuple[str, str]]
    cycle_nodes: frozenset[str]
    note: str


def _package(module: str, is_package: bool) -> str:
    if is_package or "." not in module:
        return module
    return module.rpartition(".")[0]


def _truncate(name: str, depth: int) -> str:
    return ".".join(name.split(".")[:depth])


def package_graph(project: Project, max_nodes: int = MAX_NODES) -> PackageGraph:
    """Modules grouped into packages, collapsed to at most ``max_nodes`` nodes: the
    deepest package level that fits, then the most connected packages with a note."""
    packages = {f.module: _package(f.module, f.is_package) for f in project.files if f.module}
    edges = [e for e in project.graph.edges_of(RUNTIME_KINDS) if e.importer in packages and e.imported in packages]
    in_cycle = {m: index for index, c in enumerate(import_time_cycles(project)) for m in c}
    depth_max = max((len(p.split(".")) for p in packages.values()), default=1)
    depth = depth_max
    while depth > 1 and len({_truncate(p, depth) for p in packages.values()}) > max_nodes:
        depth -= 1
    node_of = {m: _truncate(p, depth) for m, p in packages.items()}
    pairs: set[tuple[str, str]] = set()
    cycle_pairs: set[tuple[str, str]] = set()
    cycle_nodes: set[str] = set()
    for edge in edges:
        a, b = node_of[edge.importer], node_of[edge.imported]
        cyclic = edge.kind is ImportKind.MODULE_LEVEL and in_cycle.get(edge.importer, -1) == in_cycle.get(edge.imported, -2)
        if cyclic:
            cycle_nodes.update((a, b))
        if a == b:
            continue
        pairs.add((a, b))
        if cyclic:
            cycle_pairs.add((a, b))
    nodes = sorted(set(node_of.values()))
    notes = []
    if depth < depth_max:
        notes.append(f"packages collapsed to depth {depth} ({len(set(packages.values()))} packages shown as {len(nodes)})")
    if len(nodes) > max_nodes:
        degree = {n: 0 for n in nodes}
        for a, b in pairs:
            degree[a] += 1
            degree[b] += 1
        kept = set(sorted(nodes, key=lambda n: (-degree[n], n))[:max_nodes])
        notes.append(f"showing the {max_nodes} most connected of {len(nodes)} packages")
        nodes = sorted(kept)
        pairs = {(a, b) for a, b in pairs if a in kept and b in kept}
    note = ("Collapsed: " + "; ".join(notes) + ".") if notes else ""
    return PackageGraph(
        nodes=tuple(nodes),
        edges=tuple(sorted(pairs)),
        cycle_edges=frozenset(cycle_pairs & pairs),
        cycle_nodes=frozenset(cycle_nodes & set(nodes)),
        note=note,
    )


def mermaid(graph: PackageGraph) -> str:
    """A Mermaid ``flowchart``: cycle edges thick and red, packages with a cycle inside red."""
    ids = {name: f"n{index}" for index, name in enumerate(graph.nodes)}
    out = ["flowchart LR"]
    out += [f'  {ids[name]}["{name.replace(chr(34), "#quot;")}"]' for name in graph.nodes]
    red: list[int] = []
    for index, (a, b) in enumerate(graph.edges):
        if (a, b) in graph.cycle_edges:
            out.append(f"  {ids[a]} ==>|cycle| {ids[b]}")
            red.append(index)
        else:
            out.append(f"  {ids[a]} --> {ids[b]}")
    if red:
        out.append(f"  linkStyle {','.join(map(str, red))} stroke:#d73a49,stroke-width:3px")
    if graph.cycle_nodes:
        out.append("  classDef cycle fill:#ffeef0,stroke:#d73a49,stroke-width:2px")
        out.append(f"  class {','.join(ids[n] for n in sorted(graph.cycle_nodes))} cycle")
    return "\n".join(out) + "\n"


# --- the document --------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _where(finding: Finding, link_base: str | None) -> str:
    spot = f"`{_cell(finding.path)}:{finding.line}`"
    if not link_base:
        return spot
    target = quote(f"{finding.path}", safe="/-._~") + f"#L{finding.line}"
    return f"[{spot}]({link_base}{target})"


def evidence(result: ItemResult, link_base: str | None = None) -> str:
    """The evidence cell of one item; with ``link_base`` (e.g. a GitHub ``blob/<sha>/``
    URL) each ``path:line`` links to its line."""
    if result.status is ItemStatus.HUMAN:
        return _cell(result.reason)
    codes = ", ".join(result.codes)
    if result.status is ItemStatus.PASSED:
        return f"no findings from {codes}"
    shown = ", ".join(f"{_where(f, link_base)} {f.code}" for f in result.findings[:WORST])
    more = len(result.findings) - WORST
    count = len(result.findings)
    return f"{count} finding{'s' if count != 1 else ''}: {shown}" + (f" (+{more} more)" if more > 0 else "")


def _status(result: ItemResult) -> str:
    mark = _MARKS[result.status]
    return f"{mark} ({len(result.findings)})" if result.status is ItemStatus.FAILED else mark


def _table(items: Sequence[str], report: Report, link_base: str | None) -> list[str]:
    rows = ["| item | status | evidence |", "|---|---|---|"]
    for item in items:
        result = evaluate(item, report.rules, report.findings)
        rows.append(f"| {_cell(item)} | {_status(result)} | {evidence(result, link_base)} |")
    return rows


def results(report: Report) -> list[ItemResult]:
    """The verdict on every checklist item, in the seed's order."""
    return [evaluate(item, report.rules, report.findings) for group in groups() for item in group.items]


def render(report: Report, *, link_base: str | None = None) -> str:
    """The Markdown checklist report; ``link_base`` turns each ``path:line`` into a link
    (``link_base + path + "#L" + line``)."""
    total = len(report.findings)
    verdicts = results(report)
    tally = {status: sum(1 for r in verdicts if r.status is status) for status in ItemStatus}
    out = [
        "# archlint checklist report",
        "",
        (
            f"archlint: {total} finding{'s' if total != 1 else ''} in {report.files} files "
            f"({report.modules} modules), {len(report.rules)} rules. Checklist items: "
            f"{tally[ItemStatus.PASSED]} passed, {tally[ItemStatus.FAILED]} failed, "
            f"{tally[ItemStatus.HUMAN]} need human review."
        ),
        "",
        "## Key metrics",
        "",
        "| metric | value | from |",
        "|---|---|---|",
    ]
    out += [f"| {_cell(m.name)} | {_cell(m.value)} | {_cell(m.source)} |" for m in key_metrics(report)]
    by_section: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for group in groups():
        by_section.setdefault(group.section, []).append((group.title, group.items))
    out += ["", "## Red Flags", ""]
    out += _table(by_section["Red Flags"][0][1], report, link_base)
    out += ["", "## System Design Checklist"]
    for title, items in by_section["System Design Checklist"]:
        out += ["", f"### {title}", ""] + _table(items, report, link_base)
    out += ["", "## Architectural Principles and Common Patterns", "", "<details>", "<summary>Every principle and pattern of the checklist</summary>"]
    for title, items in by_section["Architectural Principles"] + by_section["Common Patterns"]:
        out += ["", f"### {title}", ""] + _table(items, report, link_base)
    out += ["", "</details>", "", "## Package dependency graph", ""]
    graph = package_graph(report.project)
    out.append(
        "Runtime imports between packages; thick red edges carry an import-time cycle, "
        "red packages contain one."
    )
    if graph.note:
        out += ["", graph.note]
    if graph.nodes:
        out += ["", "```mermaid", mermaid(graph).rstrip("\n"), "```", ""]
    else:
        out += ["", "No first-party modules were analysed.", ""]
    return "\n".join(out)


# --- docs/checklist.md ---------------------------------------------------------------


def mapping_markdown(metas: Sequence[RuleMeta]) -> str:
    """``docs/checklist.md``: for every line of the seed's Red Flags, Architectural
    Principles, Common Patterns and System Design Checklist, the rules that decide it or
    why it needs a human. Generated from rule metadata and :mod:`archlint.domain.checklist_map`."""
    known = list(metas)
    decided = sum(1 for group in groups() for item in group.items if deciding_rules(item, known))
    total = sum(len(group.items) for group in groups())
    out = [
        "# The checklist, item by item",
        "",
        (
            "<!-- Generated from rule metadata and src/archlint/domain/checklist_map.py by "
            "`python scripts/generate_docs.py`; do not edit. -->"
        ),
        "",
        (
            "archlint aligns every finding to the architecture checklist it was built from. An item "
            "is *decided by a rule* when a rule names it in its checklist metadata (`archlint rule "
            "CODE`): the checklist report (`--format checklist`) marks it passed or failed. Every "
            "other item needs a human; the reason is given here and in the report."
        ),
        "",
        f"{decided} of {total} items are decided by at least one rule.",
    ]
    section = ""
    for group in groups():
        if group.section != section:
            section = group.section
            out += ["", f"## {section}"]
        if group.title != group.section:
            out += ["", f"### {group.title}"]
        out += ["", "| item | decided by | needs a human because |", "|---|---|---|"]
        for item in group.items:
            rules = deciding_rules(item, known)
            if rules:
                links = ", ".join(f"[{m.code}](rules.md#{m.code.lower()}-{m.name}) `{m.name}`" for m in rules)
                out.append(f"| {_cell(item)} | {links} | |")
            else:
                out.append(f"| {_cell(item)} | | {_cell(HUMAN_REASONS.get(item, ''))} |")
    return "\n".join(out) + "\n"
