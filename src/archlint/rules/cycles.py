"""ARC101-ARC104: circular imports, where they bite, and which import to cut.

The graph algorithms live in :mod:`archlint.domain.cycles` and the import-order
simulation in :mod:`archlint.domain.import_sim`; this module turns their results into
findings located on a real import line."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any
from weakref import WeakKeyDictionary

from archlint.domain.cycles import (
    EXACT_BREAKER_LIMIT,
    ImportGraphView,
    Pair,
    cycle_kinds,
    cycle_through,
    distinct,
    edge_dict,
    how_to_cut,
    lift,
    module_graph,
    self_importers,
    strongly_connected_components,
    suggest_breakers,
)
from archlint.domain.facts import ImportKind
from archlint.domain.finding import Finding
from archlint.domain.graph import ImportEdge, ancestors
from archlint.domain.import_sim import Crash, simulate_components
from archlint.domain.project import Project
from archlint.domain.rule import Rule
from archlint.rules.catalog.cycles import DEFERRED_IMPORT_CYCLE, IMPORT_CYCLE, IMPORT_TIME_CRASH, PACKAGE_CYCLE, CycleOptions

CYCLE_DISPLAY_LIMIT = 8
"""Cycles longer than this many modules are shortened in the message (never in ``extra``)."""
DIRECTION_IMPORTS = 5
"""ARC103 lists at most this many import lines per direction (and always the count)."""


def _show_cycle(nodes: Sequence[str]) -> str:
    shown = list(nodes)
    if len(shown) > CYCLE_DISPLAY_LIMIT:
        hidden = len(shown) - CYCLE_DISPLAY_LIMIT + 1
        shown = [*shown[: CYCLE_DISPLAY_LIMIT - 2], f"... ({hidden} more)", shown[-1]]
    return " -> ".join([*shown, nodes[0]])


@dataclass(frozen=True)
class _Analysis:
    """One component, ready to report."""

    members: tuple[str, ...]
    nodes: list[str]
    cycle: list[ImportEdge]
    breakers: list[dict[str, Any]]
    primary: ImportEdge
    primary_pair: Pair
    primary_hint: str | None
    method: str


def _first(statements: Sequence[ImportEdge], prefer: ImportKind | None = None) -> ImportEdge:
    if prefer is not None:
        for edge in statements:
            if edge.kind is prefer:
                return edge
    return statements[0]


def _analyse(
    project: Project,
    view: ImportGraphView,
    members: tuple[str, ...],
    contract: Mapping[str, str] | None = None,
    prefer: ImportKind | None = None,
    deferred_count: bool = False,
    node_of: Callable[[str, str], str | None] | None = None,
) -> _Analysis:
    """Breakers, primary cut and representative cycle of one component.

    With ``contract`` (node -> representative), nodes sharing a representative are one
    node for the breaker search: ARC102 contracts the module-level cycles ARC101 reports.
    ``deferred_count`` and ``node_of`` are passed to :func:`how_to_cut`."""
    member_set = frozenset(members)
    rep = (lambda node: contract.get(node, node)) if contract else (lambda node: node)
    grouped: dict[Pair, list[Pair]] = {}
    for node in members:
        for child in view.successors.get(node, ()):
            if child in member_set and rep(node) != rep(child):
                grouped.setdefault((rep(node), rep(child)), []).append((node, child))
    hints: dict[Pair, str | None] = {
        pair: how_to_cut(project, view.statements[pair], member_set, deferred_count=deferred_count, node_of=node_of)
        for pairs in grouped.values()
        for pair in pairs
    }

    costs: dict[Pair, int] = {}

    def cost(pair: Pair) -> int:
        known = costs.get(pair)
        if known is None:
            known = costs[pair] = sum(
                4 * len(distinct(view.statements[orig])) + (0 if hints[orig] else 1) for orig in grouped[pair]
            )
        return known

    condensed: dict[str, list[str]] = {}
    for importer, imported in sorted(grouped):
        condensed.setdefault(importer, []).append(imported)
    nodes = sorted({rep(node) for node in members})
    chosen = suggest_breakers(nodes, condensed, cost) if grouped else []
    pairs = sorted(orig for pair in chosen for orig in grouped[pair])
    if not pairs:  # a component always has a cut; keep the code total anyway
        pairs = [min((node, child) for node in members for child in view.successors.get(node, ()) if child in member_set)]
    primary_pair = min(pairs, key=lambda p: (hints.get(p) is None, p))
    nodes_on_cycle = cycle_through(primary_pair, view.successors, member_set)
    cycle: list[ImportEdge] = []
    for index, node in enumerate(nodes_on_cycle):
        nxt = nodes_on_cycle[(index + 1) % len(nodes_on_cycle)]
        cycle.append(_first(view.statements[(node, nxt)], prefer))
    primary = _first(view.statements[primary_pair], prefer)
    breakers = [
        {
            "importer": pair[0],
            "imported": pair[1],
            "imports": [edge_dict(edge) for edge in distinct(view.statements[pair])],
            "suggestion": hints.get(pair),
        }
        for pair in pairs
    ]
    return _Analysis(members=members, nodes=nodes_on_cycle, cycle=cycle, breakers=breakers, primary=primary, primary_pair=primary_pair, primary_hint=hints.get(primary_pair), method="exact" if len(grouped) <= EXACT_BREAKER_LIMIT else "greedy")


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


def _head(what: str, analysis: _Analysis, size: str) -> str:
    shown = _show_cycle(analysis.nodes)
    return f"{what} of {size}: {shown}" if len(analysis.nodes) == len(analysis.members) else f"{what} of {size}, e.g. {shown}"


def _message(what: str, analysis: _Analysis) -> str:
    head = _head(what, analysis, _plural(len(analysis.members), "module"))
    primary = analysis.primary
    cut = f"cut '{primary.text}' ({primary.path}:{primary.line})"
    if len(analysis.breakers) > 1:
        cut += f" and {len(analysis.breakers) - 1} more"
    if analysis.primary_hint:
        cut += f": {analysis.primary_hint}"
    return f"{head}; {cut}"


# The cut set of a dense component can hold tens of thousands of edges (a complete
# 300-module component needs 44,850): the report carries the first ones, in cut order,
# and the total, so one finding never weighs megabytes.
MAX_BREAKERS_REPORTED = 100


def _extra(analysis: _Analysis) -> dict[str, Any]:
    return {
        "modules": list(analysis.members),
        "cycle": [edge_dict(edge) for edge in analysis.cycle],
        "breakers": analysis.breakers[:MAX_BREAKERS_REPORTED],
        "breaker_count": len(analysis.breakers),
        "breaker_method": analysis.method,
        "ratchet": {"modules": len(analysis.members)},
    }


_MODULE_VIEWS: WeakKeyDictionary[Project, dict[CycleOptions, ImportGraphView]] = WeakKeyDictionary()


def module_level_view(project: Project, options: CycleOptions) -> ImportGraphView:
    """The ARC101 graph: module-level imports (plus ``TYPE_CHECKING`` ones when opted in),
    minus accepted edges (import lines suppressing ARC101). Memoised per project and
    options: ARC101, ARC102 and ARC104 share one (read-only) view."""
    memo = _MODULE_VIEWS.setdefault(project, {})
    view = memo.get(options)
    if view is None:
        kinds = cycle_kinds(options.include_type_checking, deferred=False)
        view = memo[options] = module_graph(project, kinds, accept={kind: "ARC101" for kind in kinds})
    return view


class ImportCycle(Rule):
    """Module-level import cycles: one finding per strongly connected component."""

    meta = IMPORT_CYCLE

    def check(self, project: Project, options: CycleOptions) -> Iterator[Finding]:
        """One finding per module-level component."""
        view = module_level_view(project, options)
        for members in view.components():
            analysis = _analyse(project, view, members)
            yield self.finding(
                path=analysis.primary.path,
                line=analysis.primary.line,
                column=analysis.primary.column,
                message=_message("import cycle", analysis),
                identity=" ".join(members),
                extra=_extra(analysis),
            )


class DeferredImportCycle(Rule):
    """Cycles that exist only through function-level imports."""

    meta = DEFERRED_IMPORT_CYCLE

    def check(self, project: Project, options: CycleOptions) -> Iterator[Finding]:
        """One finding per component that needs deferred imports to exist."""
        module_view = module_level_view(project, options)
        contract: dict[str, str] = {}
        known: set[tuple[str, ...]] = set()
        for members in module_view.components():
            known.add(members)
            for member in members:
                contract[member] = members[0]
        kinds = cycle_kinds(options.include_type_checking, deferred=True)
        accept = {kind: ("ARC102" if kind is ImportKind.DEFERRED else "ARC101") for kind in kinds}
        view = module_graph(project, kinds, accept=accept)
        for members in view.components():
            if members in known:
                continue
            analysis = _analyse(project, view, members, contract, prefer=ImportKind.DEFERRED, deferred_count=True)
            yield self.finding(
                path=analysis.primary.path,
                line=analysis.primary.line,
                column=analysis.primary.column,
                message=_message("deferred import cycle", analysis),
                identity=" ".join(members),
                extra=_extra(analysis),
            )


_BY_LOCATION = attrgetter("path", "line", "column")
"""Sort key of import statements: ``(path, line, column)``."""


def package_view(project: Project, options: CycleOptions) -> tuple[ImportGraphView, frozenset[str]]:
    """The graph of sibling packages (imports lifted to ancestors) and the names that are
    packages."""
    kinds = cycle_kinds(options.include_type_checking, deferred=True)
    grouped: dict[Pair, list[ImportEdge]] = {}
    for (importer, imported), edges in module_graph(project, kinds, accept={kind: "ARC103" for kind in kinds}).statements.items():
        pair = lift(importer, imported, options.package_depth)  # the same for every statement of a module pair
        if pair is not None:
            grouped.setdefault(pair, []).extend(edges)
    successors: dict[str, list[str]] = {}
    for importer, imported in sorted(grouped):
        successors.setdefault(importer, []).append(imported)
    statements = {pair: tuple(sorted(items, key=_BY_LOCATION)) for pair, items in sorted(grouped.items())}
    packages = {f.module for f in project.files if f.is_package}
    for module in project.graph.modules:
        packages.update(ancestors(module))
    return ImportGraphView(statements=statements, successors={k: tuple(v) for k, v in successors.items()}), frozenset(packages)


def _lifter(depth: int) -> Callable[[str, str], str | None]:
    """Where ARC103 puts an import of ``module`` by ``importer``: the imported side of
    the lifted pair, ``None`` when the import leaves the package graph."""

    def node_of(importer: str, module: str) -> str | None:
        pair = lift(importer, module, depth)
        return pair[1] if pair is not None else None

    return node_of


class PackageCycle(Rule):
    """Cycles between sibling packages once imports are lifted to their packages."""

    meta = PACKAGE_CYCLE

    def check(self, project: Project, options: CycleOptions) -> Iterator[Finding]:
        """One finding per package component."""
        view, packages = package_view(project, options)
        for members in strongly_connected_components(view.successors, view.successors):
            if not any(member in packages for member in members):
                continue
            analysis = _analyse(project, view, members, deferred_count=True, node_of=_lifter(options.package_depth))
            extra = _extra(analysis)
            member_set = frozenset(members)
            extra["directions"] = [
                {
                    "importer": pair[0],
                    "imported": pair[1],
                    "count": len(distinct(items)),
                    "imports": [edge_dict(edge) for edge in distinct(items)[:DIRECTION_IMPORTS]],
                }
                for pair, items in view.statements.items()
                if pair[0] in member_set and pair[1] in member_set
            ]
            yield self.finding(
                path=analysis.primary.path,
                line=analysis.primary.line,
                column=analysis.primary.column,
                message=_package_message(analysis, packages),
                identity=" ".join(members),
                extra=extra,
            )


def _statements(imports: Sequence[Mapping[str, Any]]) -> int:
    return len({(item["path"], item["line"], item["column"]) for item in imports})


def _package_message(analysis: _Analysis, packages: frozenset[str]) -> str:
    """The ARC103 message: members counted as packages and modules, cuts counted as
    package-level dependencies and as import statements."""
    in_packages = sum(1 for member in analysis.members if member in packages)
    size = _plural(in_packages, "package")
    if in_packages < len(analysis.members):
        size += " and " + _plural(len(analysis.members) - in_packages, "module")
    primary = analysis.primary
    importer, imported = analysis.primary_pair
    first = next(b["imports"] for b in analysis.breakers if (b["importer"], b["imported"]) == analysis.primary_pair)
    example = f"'{primary.text}' ({primary.path}:{primary.line})"
    dependency = f"{importer} -> {imported} ({_plural(_statements(first), 'import statement')})"
    if len(analysis.breakers) == 1:
        cut = f"cut the package-level dependency {dependency}, e.g. {example}"
    else:
        total = _statements([item for breaker in analysis.breakers for item in breaker["imports"]])
        deps = _plural(len(analysis.breakers), "package-level dependency", "package-level dependencies")
        cut = f"cut {deps} ({_plural(total, 'import statement')}), starting with {dependency}, e.g. {example}"
    if analysis.primary_hint:
        cut += f": {analysis.primary_hint}"
    return f"{_head('package cycle', analysis, size)}; {cut}"


class ImportTimeCrash(Rule):
    """``from M import name`` while ``M`` is partially initialised and lacks ``name``."""

    meta = IMPORT_TIME_CRASH

    def check(self, project: Project, options: CycleOptions) -> Iterator[Finding]:
        """One finding per import line that the simulation proves crashes."""
        components = module_level_view(project, options).components()
        in_cycles = {member for members in components for member in members}
        alone = [(module,) for module in self_importers(project) if module not in in_cycles]
        for crash in simulate_components(project, [*components, *alone]):
            yield self.finding(
                path=crash.path,
                line=crash.line,
                column=crash.column,
                message=_crash_message(crash),
                identity=f"{crash.kind}:{crash.module}:{crash.name}",
                extra={
                    "kind": crash.kind,
                    "module": crash.module,
                    "name": crash.name,
                    "entries": list(crash.entries),
                    "chain": [dict(step) for step in crash.chain],
                },
            )


def _crash_message(crash: Crash) -> str:
    more = len(crash.entries) - 1
    tail = f" ({more} more {'entry' if more == 1 else 'entries'})" if more else ""
    if crash.kind == "attribute":
        what = f"module '{crash.module}' is partially initialised and has no attribute '{crash.name}' yet"
    else:
        what = f"'{crash.name}' is not yet bound in partially initialised module '{crash.module}'"
    return f"'{crash.text}' fails on 'import {crash.entries[0]}': {what}{tail}"


CYCLE_RULES: tuple[type[Rule], ...] = (ImportCycle, DeferredImportCycle, PackageCycle, ImportTimeCrash)
