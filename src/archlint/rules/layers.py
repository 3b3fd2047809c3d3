"""ARC501-ARC503: import contracts (layers, forbidden imports, independence).

Contracts come from ``[tool.archlint.layers]``, ``[tool.archlint.forbidden]`` and
``[tool.archlint.independence]`` (``config/contracts.py``); without a layers contract,
zero-config layering applies the conventional order to packages named that way. Only
imports that run (module-level and deferred) are checked. Direct violations sit on the
import line; indirect ones sit on the first import of the chain and carry the whole
chain in the message and ``extra["chain"]``. See ``docs/adr/0007-*.md``.
"""

from __future__ import annotations

import copy
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from archlint.domain.contracts import (
    ContractOptions,
    ForbiddenContract,
    IndependenceContract,
    LayersContract,
    ignore_matcher,
    layers_in_force,
    within,
    zero_config_notes,
)
from archlint.domain.finding import Finding
from archlint.domain.graph import RUNTIME_KINDS, ImportEdge
from archlint.domain.project import Project
from archlint.domain.rule import Rule
from archlint.rules.catalog.layers import FORBIDDEN_IMPORT, INDEPENDENCE_VIOLATION, LAYER_VIOLATION

if TYPE_CHECKING:
    import grimp
    import networkx as nx

Ignore = Callable[[str, str], bool]
"""``(importer, imported) -> bool``: whether a contract's ``ignore-imports`` covers an import."""


def _direct_edges(project: Project, importer: str, imported: str, ignore: Ignore) -> list[ImportEdge]:
    """The import statements ``importer -> imported`` (one per line) that run."""
    if ignore(importer, imported):
        return []
    edges: dict[tuple[str, int], ImportEdge] = {}
    for edge in project.graph.details(importer, imported, RUNTIME_KINDS):
        edges.setdefault((edge.path, edge.line), edge)
    return [edges[key] for key in sorted(edges)]


def _ignored_pairs(project: Project, ignore: Ignore) -> list[tuple[str, str]]:
    return sorted({(e.importer, e.imported) for e in project.graph.edges_of(RUNTIME_KINDS) if ignore(e.importer, e.imported)})


def _digraph(project: Project, ignore: Ignore) -> nx.DiGraph:
    graph = project.graph.digraph(RUNTIME_KINDS)
    pairs = _ignored_pairs(project, ignore)
    if not pairs:
        return graph
    graph = graph.copy()
    graph.remove_edges_from(pairs)
    return graph


def shortest_chain(
    graph: nx.DiGraph, start: str, is_goal: Callable[[str], bool], passable: Callable[[str], bool]
) -> list[str] | None:
    """The shortest import chain ``start -> ... -> goal`` whose intermediate modules are
    all ``passable``; neighbours are visited in sorted order, so the chain is
    deterministic. ``None`` when there is none."""
    parents: dict[str, str] = {}
    queue: deque[str] = deque()
    for first in sorted(graph.successors(start)):
        if is_goal(first):
            return [start, first]
        if passable(first) and first not in parents:
            parents[first] = start
            queue.append(first)
    while queue:
        node = queue.popleft()
        for successor in sorted(graph.successors(node)):
            if is_goal(successor):
                chain = [successor, node]
                while chain[-1] != start:
                    chain.append(parents[chain[-1]])
                return chain[::-1]
            if successor != start and successor not in parents and passable(successor):
                parents[successor] = node
                queue.append(successor)
    return None


def _grimp_graph(project: Project, ignore: Ignore, extra_modules: Iterable[str] = ()) -> grimp.ImportGraph:
    """The runtime grimp graph without ignored imports, plus ``extra_modules`` (namespace
    packages that must exist as nodes); a copy whenever it differs from the shared one."""
    graph = project.graph.grimp_graph(RUNTIME_KINDS)
    pairs = _ignored_pairs(project, ignore)
    missing = sorted(set(extra_modules) - graph.modules)
    if not pairs and not missing:
        return graph
    graph = copy.deepcopy(graph)
    for importer, imported in pairs:
        graph.remove_import(importer=importer, imported=imported)
    for module in missing:
        graph.add_module(module)
    return graph


MAX_CHAINS = 5
"""How many chains one ARC501 finding lists in ``extra["chains"]`` (``chain_count`` has all)."""


def _route_chains(project: Project, ignore: Ignore, route: grimp.Route) -> Iterator[tuple[ImportEdge, list[str]]]:
    """``(first import, chain)`` of a grimp route: each direct import line of a route
    without a middle; for a route with one, each head's first import into the middle."""
    if not route.middle:
        for head in sorted(route.heads):
            for tail in sorted(route.tails):
                for edge in _direct_edges(project, head, tail, ignore):
                    yield edge, [head, tail]
        return
    tail = min(route.tails)
    for head in sorted(route.heads):
        edges = _direct_edges(project, head, route.middle[0], ignore)
        if edges:
            yield edges[0], [head, *route.middle, tail]


class LayerViolation(Rule):
    """A lower layer imports a higher one (or an independent sibling)."""

    meta = LAYER_VIOLATION

    def notes(self, project: Project, options: ContractOptions) -> Iterator[str]:
        """Which zero-config layering was applied."""
        return zero_config_notes(options, project.graph.modules)

    def check(self, project: Project, options: ContractOptions) -> Iterator[Finding]:
        """Findings of every layers contract in force."""
        for contract in layers_in_force(options, project.graph.modules):
            yield from self._check_contract(project, contract)

    def _check_contract(self, project: Project, contract: LayersContract) -> Iterator[Finding]:
        import grimp

        modules = project.graph.modules
        containers = sorted(c for c in contract.containers if c in modules or any(within(m, c) for m in modules))
        if contract.containers and not containers:
            return
        ignore = ignore_matcher(contract.ignore_imports)
        prefixes = [f"{c}." for c in containers] or [""]
        level = {prefix + name: index for prefix in prefixes for index, layer in enumerate(contract.layers) for name in layer.names}
        present = [name for name in [*containers, *level] if any(within(m, name) for m in modules)]
        graph = _grimp_graph(project, ignore, present)
        layers = [grimp.Layer(*layer.names, independent=layer.independent) for layer in contract.layers]
        dependencies = graph.find_illegal_dependencies_for_layers(layers=layers, containers=set(containers) or None)
        for dependency in sorted(dependencies, key=lambda d: (d.importer, d.imported)):
            same_level = level.get(dependency.importer) == level.get(dependency.imported)
            relation = "its independent sibling" if same_level else "the higher layer"
            layers_pair = (dependency.importer, dependency.imported, relation)
            by_line: dict[tuple[str, int], list[tuple[ImportEdge, list[str]]]] = {}
            for route in dependency.routes:
                for edge, chain in _route_chains(project, ignore, route):
                    by_line.setdefault((edge.path, edge.line), []).append((edge, chain))
            for key in sorted(by_line):
                yield self._finding(contract, layers_pair, by_line[key])
        if contract.exhaustive:
            yield from self._exhaustive(project, contract, containers)

    def _finding(
        self, contract: LayersContract, layers: tuple[str, str, str], found: list[tuple[ImportEdge, list[str]]]
    ) -> Finding:
        """One finding per import line and violated layer pair: the shortest chain (then
        the first by name) is the reported one, the others go to ``extra["chains"]``."""
        lower, higher, relation = layers
        ordered = sorted(found, key=lambda item: (len(item[1]), item[1], item[0].column))
        chains = list(dict.fromkeys(tuple(chain) for _, chain in ordered))
        edge, chain = ordered[0]
        head, tail = chain[0], chain[-1]
        more = f" (and {len(chains) - 1} more chain{'s' if len(chains) > 2 else ''} through this import)" if len(chains) > 1 else ""
        if len(chain) == 2:
            message = f"{head} imports {tail}: {lower} must not import {relation} {higher} ({contract.name}){more}"
            identity = f"{contract.name}:{head}->{tail}"
        else:
            message = (
                f"{head} indirectly imports {tail}: {lower} must not import {relation} {higher} "
                f"({contract.name}): {' -> '.join(chain)}{more}"
            )
            identity = f"{contract.name}:{' -> '.join(chain)}"
        return self.finding(
            path=edge.path,
            line=edge.line,
            column=edge.column,
            message=message,
            identity=identity,
            extra={
                "contract": contract.name,
                "importer_layer": lower,
                "imported_layer": higher,
                "chain": chain,
                "chains": [list(c) for c in chains[:MAX_CHAINS]],
                "chain_count": len(chains),
            },
        )

    def _exhaustive(self, project: Project, contract: LayersContract, containers: Iterable[str]) -> Iterator[Finding]:
        listed = {name for layer in contract.layers for name in layer.names} | set(contract.exhaustive_ignores)
        for container in containers:
            files: dict[str, list[tuple[bool, str]]] = {}
            for facts in project.files:
                if facts.module and within(facts.module, container) and facts.module != container:
                    child = facts.module[len(container) + 1 :].split(".")[0]
                    own = facts.module == f"{container}.{child}"
                    files.setdefault(child, []).append((not own, facts.path))
            for child in sorted(set(files) - listed):
                yield self.finding(
                    path=min(files[child])[1],
                    line=1,
                    message=f"{container}.{child} is in no layer of the exhaustive contract {contract.name!r}",
                    identity=f"{contract.name}:unlisted:{container}.{child}",
                    extra={"contract": contract.name, "module": f"{container}.{child}"},
                )


def _chain_findings(
    rule: Rule,
    project: Project,
    *,
    contract_name: str,
    sources: Sequence[str],
    target: str,
    blocked: Sequence[str],
    allow_indirect: bool,
    ignore: Ignore,
    verb: str,
) -> Iterator[Finding]:
    """Direct and indirect imports from modules under ``sources`` into ``target``
    (first-party or third-party); chains may not pass through ``blocked`` packages."""
    graph = project.graph
    source_modules = sorted(m for m in graph.modules if any(within(m, s) for s in sources))
    first_party = any(within(m, target) for m in graph.modules)
    direct_hit: set[str] = set()
    for module in source_modules:
        for path, line, column, imported in _direct_to(project, module, target, first_party, ignore):
            direct_hit.add(module)
            yield rule.finding(
                path=path,
                line=line,
                column=column,
                message=f"{module} imports {imported}: {verb} ({contract_name})",
                identity=f"{contract_name}:{module}->{imported}",
                extra={"contract": contract_name, "chain": [module, imported]},
            )
    if allow_indirect:
        return
    digraph = _digraph(project, ignore)
    if first_party:
        goals = {m for m in graph.modules if within(m, target)}
    else:
        goals = {m for m in graph.modules if _imports_external(project, m, target, ignore)}

    def passable(module: str) -> bool:
        return module not in goals and not any(within(module, b) for b in blocked)

    def is_goal(module: str) -> bool:
        return module in goals

    for module in source_modules:
        if module in direct_hit or module not in digraph:
            continue
        chain = shortest_chain(digraph, module, is_goal, passable)
        if chain is None:
            continue
        if not first_party:
            chain.append(target)
        edges = _direct_edges(project, chain[0], chain[1], ignore)
        if not edges:
            continue
        yield rule.finding(
            path=edges[0].path,
            line=edges[0].line,
            column=edges[0].column,
            message=f"{module} indirectly imports {chain[-1]}: {verb} ({contract_name}): {' -> '.join(chain)}",
            identity=f"{contract_name}:{' -> '.join(chain)}",
            extra={"contract": contract_name, "chain": chain},
        )


def _imports_external(project: Project, module: str, target: str, ignore: Ignore) -> bool:
    return any(within(name, target) and not ignore(module, name) for name in project.graph.external.get(module, ()))


def _direct_to(
    project: Project, module: str, target: str, first_party: bool, ignore: Ignore
) -> list[tuple[str, int, int, str]]:
    """``(path, line, column, imported)`` of each import statement of ``module`` into ``target``."""
    found: dict[tuple[str, int], tuple[str, int, int, str]] = {}
    if first_party:
        for imported in sorted(project.graph.digraph(RUNTIME_KINDS).successors(module)):
            if within(imported, target):
                for edge in _direct_edges(project, module, imported, ignore):
                    found.setdefault((edge.path, edge.line), (edge.path, edge.line, edge.column, imported))
        return [found[key] for key in sorted(found)]
    facts = project.file_of(module)
    if facts is None:
        return []
    for fact in facts.imports:
        if fact.kind in RUNTIME_KINDS and fact.level == 0 and within(fact.module, target) and not ignore(module, fact.module):
            found.setdefault((facts.path, fact.line), (facts.path, fact.line, fact.column, fact.module))
    return [found[key] for key in sorted(found)]


class ForbiddenImport(Rule):
    """Configured forbidden imports, first-party or third-party."""

    meta = FORBIDDEN_IMPORT

    def check(self, project: Project, options: ContractOptions) -> Iterator[Finding]:
        """Findings of every forbidden contract."""
        for contract in options.of_type(ForbiddenContract):
            for target in contract.forbidden:
                yield from _chain_findings(
                    self,
                    project,
                    contract_name=contract.name,
                    sources=contract.sources,
                    target=target,
                    blocked=[*contract.sources, target],
                    allow_indirect=contract.allow_indirect,
                    ignore=ignore_matcher(contract.ignore_imports),
                    verb=f"{', '.join(contract.sources)} must not import {target}",
                )


class IndependenceViolation(Rule):
    """Modules declared independent import each other."""

    meta = INDEPENDENCE_VIOLATION

    def check(self, project: Project, options: ContractOptions) -> Iterator[Finding]:
        """Findings of every independence contract."""
        for contract in options.of_type(IndependenceContract):
            for source in contract.modules:
                for target in contract.modules:
                    if source == target:
                        continue
                    yield from _chain_findings(
                        self,
                        project,
                        contract_name=contract.name,
                        sources=[source],
                        target=target,
                        blocked=contract.modules,
                        allow_indirect=contract.allow_indirect,
                        ignore=ignore_matcher(contract.ignore_imports),
                        verb=f"{source} and {target} must stay independent",
                    )


LAYER_RULES: tuple[type[Rule], ...] = (LayerViolation, ForbiddenImport, IndependenceViolation)
