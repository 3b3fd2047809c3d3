"""Import cycles as pure graph algorithms: strongly connected components, one canonical
shortest representative cycle per component, and a small set of imports to cut.

Everything here is deterministic: nodes and successors are visited in sorted order, every
tie is broken by module name, and no set iteration order reaches a result.

Bounds (documented in ``docs/adr/0003-cycle-reporting-and-breakers.md``): which components
are reported never depends on a cap. The exact minimum cut is searched only for components
of at most :data:`EXACT_BREAKER_LIMIT` distinct module pairs; larger ones use a weighted
Eades-Lin-Smyth ordering, pruned of redundant cuts while the component has at most
:data:`PRUNE_EDGE_LIMIT` pairs.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import combinations, groupby
from operator import attrgetter
from weakref import WeakKeyDictionary

from archlint.domain.cycle_facts import NameUsage, Usage
from archlint.domain.facts import FileFacts, ImportKind
from archlint.domain.graph import ImportEdge
from archlint.domain.project import Project
from archlint.domain.suppression import suppressing

Pair = tuple[str, str]
Successors = Mapping[str, Sequence[str]]

EXACT_BREAKER_LIMIT = 12
"""Components with at most this many module pairs get an exact minimum-cost cut."""
PRUNE_EDGE_LIMIT = 5000
"""Components with at most this many module pairs get redundant heuristic cuts removed."""


def strongly_connected_components(nodes: Iterable[str], successors: Successors) -> list[tuple[str, ...]]:
    """Every strongly connected component with more than one node (iterative Tarjan),
    each sorted, the list sorted. Self-loops are ignored: a module importing itself is
    not a cycle between modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[tuple[str, ...]] = []
    counter = 0
    for root in sorted(nodes):
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            children = successors.get(node, ())
            lowest = low[node]  # kept in a local while the children are scanned
            for offset in range(position, len(children)):
                child = children[offset]
                if child not in index:
                    low[node] = lowest
                    work.append((node, offset + 1))
                    work.append((child, 0))
                    break
                if child in on_stack and index[child] < lowest:
                    lowest = index[child]
            else:  # every child done
                low[node] = lowest
                if lowest == index[node]:
                    members: list[str] = []
                    while True:
                        item = stack.pop()
                        on_stack.discard(item)
                        members.append(item)
                        if item == node:
                            break
                    if len(members) > 1:
                        found.append(tuple(sorted(members)))
                if work and lowest < low[work[-1][0]]:
                    low[work[-1][0]] = lowest
    return sorted(found)


def shortest_path(start: str, goal: str, successors: Successors, allowed: frozenset[str] | set[str]) -> list[str]:
    """The shortest path ``start`` ... ``goal`` inside ``allowed`` (BFS, successors in
    sorted order, so the first shortest path found is canonical); empty if none."""
    parents: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            path = [node]
            while parents[path[-1]] is not None:
                path.append(parents[path[-1]])  # type: ignore[arg-type]
            return path[::-1]
        for child in successors.get(node, ()):
            if child in allowed and child not in parents:
                parents[child] = node
                queue.append(child)
    return []


def canonical_rotation(cycle: Sequence[str]) -> list[str]:
    """A cycle (nodes, first not repeated) rotated to start at its smallest node."""
    if not cycle:
        return []
    start = min(range(len(cycle)), key=lambda i: cycle[i])
    return [*cycle[start:], *cycle[:start]]


def cycle_through(pair: Pair, successors: Successors, members: frozenset[str]) -> list[str]:
    """The shortest cycle through the edge ``pair`` inside ``members``, canonically rotated
    (nodes, first not repeated)."""
    back = shortest_path(pair[1], pair[0], successors, members)
    return canonical_rotation([pair[0], *back[:-1]]) if back else []


def is_acyclic(nodes: Sequence[str], successors: Successors, removed: frozenset[Pair] | set[Pair]) -> bool:
    """Whether the graph minus the ``removed`` edges and self-loops has no cycle (Kahn)."""
    indegree = dict.fromkeys(nodes, 0)
    for node in nodes:
        for child in successors.get(node, ()):
            if child in indegree and child != node and (node, child) not in removed:
                indegree[child] += 1
    queue = [node for node, degree in indegree.items() if degree == 0]
    seen = 0
    while queue:
        node = queue.pop()
        seen += 1
        for child in successors.get(node, ()):
            if child in indegree and child != node and (node, child) not in removed:
                indegree[child] -= 1
                if indegree[child] == 0:
                    queue.append(child)
    return seen == len(indegree)


def _exact_breakers(members: Sequence[str], successors: Successors, pairs: list[Pair], cost: Callable[[Pair], int]) -> list[Pair]:
    """The cheapest set of pairs whose removal makes the component acyclic (exhaustive)."""
    costs = {pair: cost(pair) for pair in pairs}
    acyclic = _acyclic_without(members, successors)
    best: tuple[int, int, list[Pair]] | None = None
    for size in range(1, len(pairs) + 1):
        for subset in combinations(pairs, size):
            total = sum(costs[pair] for pair in subset)
            if best is not None and (total, size) >= best[:2]:
                continue
            if acyclic(set(subset)):
                best = (total, size, list(subset))
    return sorted(best[2]) if best else sorted(pairs)


def _acyclic_without(nodes: Sequence[str], successors: Successors) -> Callable[[Set[Pair]], bool]:
    """:func:`is_acyclic` for one graph and many ``removed`` sets: the edges between
    ``nodes`` (self-loops dropped) are collected once instead of once per test."""
    indegree0 = dict.fromkeys(nodes, 0)
    children: dict[str, list[str]] = {node: [] for node in nodes}
    for node in nodes:
        for child in successors.get(node, ()):
            if child in indegree0 and child != node:
                children[node].append(child)
                indegree0[child] += 1
    total = len(indegree0)

    def acyclic(removed: Set[Pair]) -> bool:
        indegree = dict(indegree0)
        for node, child in removed:
            if child in indegree and child != node and child in children.get(node, ()):
                indegree[child] -= children[node].count(child)
        queue = [node for node, degree in indegree.items() if degree == 0]
        seen = 0
        while queue:
            node = queue.pop()
            seen += 1
            for child in children[node]:
                if (node, child) not in removed:
                    indegree[child] -= 1
                    if indegree[child] == 0:
                        queue.append(child)
        return seen == total

    return acyclic


def _greedy_order(members: Sequence[str], successors: Successors, cost: Callable[[Pair], int]) -> list[str]:
    """Eades-Lin-Smyth vertex ordering with weighted degrees; ties by name."""
    member_set = set(members)
    out_w: dict[str, int] = dict.fromkeys(members, 0)
    in_w: dict[str, int] = dict.fromkeys(members, 0)
    out_n: dict[str, int] = dict.fromkeys(members, 0)
    in_n: dict[str, int] = dict.fromkeys(members, 0)
    preds: dict[str, list[str]] = {node: [] for node in members}
    for node in members:
        for child in successors.get(node, ()):
            if child in member_set and child != node:
                weight = cost((node, child))
                out_w[node] += weight
                in_w[child] += weight
                out_n[node] += 1
                in_n[child] += 1
                preds[child].append(node)
    alive = set(members)
    left: list[str] = []
    right: list[str] = []
    sinks = [node for node in members if out_n[node] == 0]
    sources = [node for node in members if in_n[node] == 0 and out_n[node] > 0]
    heapq.heapify(sinks)
    heapq.heapify(sources)
    heap = [(in_w[node] - out_w[node], node) for node in members]
    heapq.heapify(heap)

    def remove(node: str) -> None:
        alive.discard(node)
        for child in successors.get(node, ()):
            if child in alive and child != node:
                in_w[child] -= cost((node, child))
                in_n[child] -= 1
                if in_n[child] == 0 and out_n[child] > 0:
                    heapq.heappush(sources, child)
                heapq.heappush(heap, (in_w[child] - out_w[child], child))
        for parent in preds[node]:
            if parent in alive:
                out_w[parent] -= cost((parent, node))
                out_n[parent] -= 1
                if out_n[parent] == 0:
                    heapq.heappush(sinks, parent)
                heapq.heappush(heap, (in_w[parent] - out_w[parent], parent))

    while alive:
        progressed = True
        while progressed:
            progressed = False
            while sinks:
                node = heapq.heappop(sinks)
                if node in alive:
                    right.append(node)
                    remove(node)
                    progressed = True
            while sources:
                node = heapq.heappop(sources)
                if node in alive and in_n[node] == 0:
                    left.append(node)
                    remove(node)
                    progressed = True
        while heap:
            key, node = heapq.heappop(heap)
            if node in alive and key == in_w[node] - out_w[node]:
                left.append(node)
                remove(node)
                break
        else:
            if alive:  # cannot happen with integer weights; never loop forever
                node = min(alive)
                left.append(node)
                remove(node)
    return left + right[::-1]


def suggest_breakers(members: Sequence[str], successors: Successors, cost: Callable[[Pair], int]) -> list[Pair]:
    """A small set of module pairs whose removal makes the component acyclic, sorted.

    Exact minimum total cost for at most :data:`EXACT_BREAKER_LIMIT` pairs; otherwise the
    backward edges of a weighted Eades-Lin-Smyth ordering, pruned of redundant cuts."""
    member_set = frozenset(members)
    pairs = sorted((node, child) for node in members for child in successors.get(node, ()) if child in member_set and child != node)
    if len(pairs) <= EXACT_BREAKER_LIMIT:
        return _exact_breakers(members, successors, pairs, cost)
    order = _greedy_order(sorted(members), successors, cost)
    position = {node: i for i, node in enumerate(order)}
    chosen = {pair for pair in pairs if position[pair[0]] > position[pair[1]]}
    if len(pairs) <= PRUNE_EDGE_LIMIT:
        # ``kept``: the component without the ``chosen`` cuts, acyclic (``chosen`` holds
        # every backward edge of the ordering, and only ever gives up a cut that keeps
        # it so). Putting a cut back closes a cycle exactly when its target reaches its
        # source there: one search from one node instead of a topological sort of the
        # whole component per cut.
        kept: dict[str, list[str]] = {node: [] for node in members}
        for node, child in pairs:
            if (node, child) not in chosen:
                kept[node].append(child)
        for pair in sorted(chosen, key=lambda p: (-cost(p), p)):
            if not shortest_path(pair[1], pair[0], kept, member_set):
                chosen = chosen - {pair}
                kept[pair[0]].append(pair[1])
    return sorted(chosen)


# --- import graphs of a project -------------------------------------------------------


def accepted(files: Mapping[str, FileFacts], edge: ImportEdge, code: str) -> bool:
    """Whether the import line of ``edge`` carries a suppression covering ``code``."""
    return bool(suppressing(files.get(edge.path), code, edge.line))


_PAIR = attrgetter("importer", "imported")


@dataclass(frozen=True)
class ImportGraphView:
    """Module pairs of one import graph with the statements behind each pair."""

    statements: Mapping[Pair, tuple[ImportEdge, ...]]
    successors: Mapping[str, tuple[str, ...]]

    @classmethod
    def build(cls, edges: Iterable[ImportEdge], *, presorted: bool = False) -> ImportGraphView:
        """Group import statements into module pairs (sorted).

        ``presorted``: the edges come in the order of :attr:`ProjectGraph.edges`
        (importer, imported, line, column, name), as :meth:`ProjectGraph.edges_of` gives
        them, so the sort is skipped (it was most of the cost of a view). Grouping edges
        in that order gives the pairs sorted, each pair's statements sorted too."""
        if not presorted:
            edges = sorted(edges, key=lambda e: (e.importer, e.imported, e.line, e.column, e.name or ""))
        statements: dict[Pair, tuple[ImportEdge, ...]] = {}
        successors: dict[str, list[str]] = {}
        for pair, group in groupby(edges, key=_PAIR):  # sorted: the edges of a pair are adjacent
            if pair[0] != pair[1]:
                statements[pair] = tuple(group)
                successors.setdefault(pair[0], []).append(pair[1])
        return cls(statements=statements, successors={k: tuple(v) for k, v in successors.items()})

    def components(self) -> list[tuple[str, ...]]:
        """Strongly connected components with more than one module (computed once)."""
        return list(self._components)

    @cached_property
    def _components(self) -> tuple[tuple[str, ...], ...]:
        return tuple(strongly_connected_components(self.successors, self.successors))


def cycle_kinds(include_type_checking: bool, deferred: bool) -> frozenset[ImportKind]:
    """The import kinds a cycle graph counts."""
    kinds = {ImportKind.MODULE_LEVEL}
    if deferred:
        kinds.add(ImportKind.DEFERRED)
    if include_type_checking:
        kinds.add(ImportKind.TYPE_CHECKING)
    return frozenset(kinds)


def module_graph(project: Project, kinds: frozenset[ImportKind], accept: Mapping[ImportKind, str] | None = None) -> ImportGraphView:
    """The project's import graph restricted to ``kinds``; an edge of kind ``k`` whose
    import line suppresses ``accept[k]`` is an accepted edge and left out (only files
    with suppressions are looked at: most have none)."""
    accept = accept or {}
    files = {f.path: f for f in project.files if f.suppressions}
    edges = [
        edge
        for edge in project.graph.edges_of(kinds)
        if not (edge.path in files and edge.kind in accept and accepted(files, edge, accept[edge.kind]))
    ]
    # Views are shared per project and resulting edge list: without suppressions, the
    # graphs of ARC102 and ARC103 (each leaving out what its own code accepts) are one.
    memo = _VIEWS.setdefault(project, {})
    key = tuple(map(id, edges))  # the graph's own edge objects, alive as long as the project
    view = memo.get(key)
    if view is None:
        view = memo[key] = ImportGraphView.build(edges, presorted=True)
    return view


_VIEWS: WeakKeyDictionary[Project, dict[tuple[int, ...], ImportGraphView]] = WeakKeyDictionary()


def accepted_import_lines(project: Project, code: str) -> frozenset[tuple[str, int]]:
    """(path, line) of import lines suppressing ``code`` that sit on an edge inside a
    strongly connected component of the unfiltered graph of that rule (module-level for
    ARC101, plus function-level for ARC102, sibling packages for ARC103; type-checking
    imports included): those suppressions accept a deliberate import and are in use
    even when nothing is reported."""
    kinds = cycle_kinds(True, deferred=code in ("ARC102", "ARC103"))
    graph = module_graph(project, kinds)
    if code == "ARC103":
        lifted: list[ImportEdge] = []
        for edges in graph.statements.values():
            for edge in edges:
                pair = lift(edge.importer, edge.imported)
                if pair is not None:
                    lifted.append(replace(edge, importer=pair[0], imported=pair[1]))
        graph = ImportGraphView.build(lifted)
    files = {f.path: f for f in project.files}
    lines: set[tuple[str, int]] = set()
    for members in graph.components():
        member_set = frozenset(members)
        for node in members:
            for child in graph.successors.get(node, ()):
                if child in member_set:
                    for edge in graph.statements[(node, child)]:
                        if accepted(files, edge, code):
                            lines.add((edge.path, edge.line))
    return frozenset(sorted(lines))


def self_importers(project: Project) -> list[str]:
    """Modules with a module-level import of themselves (``from m import name`` inside
    ``m``, ``from . import name`` in a package ``__init__``), sorted. Not a cycle between
    modules (the graph drops self edges), but reading a name the module has not bound yet
    fails like one, so ARC104 replays them too. Recorded by the graph as it resolves the
    imports (:attr:`ProjectGraph.self_importers`)."""
    return list(project.graph.self_importers)


def lift(importer: str, imported: str, depth: int = 0) -> Pair | None:
    """The sibling packages (or modules) an import connects: the children of the two
    modules' deepest common package; ``None`` for an import within one line of descent
    or deeper than ``depth`` (0: any depth)."""
    source = importer.split(".")
    target = imported.split(".")
    common = 0
    for own, other in zip(source, target):
        if own != other:
            break
        common += 1
    if common == len(source) or common == len(target):
        return None
    if depth and common + 1 > depth:
        return None
    return ".".join(source[: common + 1]), ".".join(target[: common + 1])


# --- how to cut an import -------------------------------------------------------------


UsageIndex = dict[str, dict[int, list[NameUsage]]]
"""Path -> import line -> the name usages recorded on that line (in recorded order)."""

_USAGE_INDEX: WeakKeyDictionary[Project, UsageIndex] = WeakKeyDictionary()


def _usages_of(project: Project, edge: ImportEdge, index: UsageIndex) -> list[Usage]:
    """How the importer of ``edge`` uses what the statement imports. ``index``: the
    project's :data:`UsageIndex`, filled file by file as asked for (every statement of
    every module pair in a cycle asks for the usages of its line, and scanning all of a
    large module's usages each time was quadratic)."""
    facts = project.file_of(edge.importer)
    if facts is None:
        return []
    by_line = index.get(facts.path)
    if by_line is None:
        by_line = index[facts.path] = {}
        for usage in facts.cycle_facts.usages:
            by_line.setdefault(usage.line, []).append(usage)
    found: list[Usage] = []
    for usage in by_line.get(edge.line, ()):
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


def _defining_module(project: Project, package: str, name: str) -> str | None:
    """The first-party module a package ``__init__`` re-exports ``name`` from."""
    facts = project.file_of(package)
    if facts is None or not facts.is_package:
        return None
    for usage in facts.cycle_facts.usages:
        if usage.bound == name and usage.module in project.graph.modules and usage.module != package:
            return usage.module
    return None


NO_DEFERRAL_HINT = (
    "only used inside functions, but function-level imports count here too: move the shared "
    "code into a lower module both can import, or invert the dependency (pass it in)"
)
"""ARC102/ARC103 count function-level imports, so moving the import into the function
never cuts their cycles: this neutral hint replaces that suggestion there."""


def how_to_cut(
    project: Project,
    statements: Sequence[ImportEdge],
    component: frozenset[str],
    *,
    deferred_count: bool = False,
    node_of: Callable[[str, str], str | None] | None = None,
) -> str | None:
    """A concrete way to cut the imports of one module pair, when the code allows one.

    ``deferred_count``: the rule counts function-level imports (ARC102, ARC103), so
    "import inside the function" is never suggested. ``node_of(importer, module)``: the
    graph node an import of ``module`` by ``importer`` lands on (ARC103 lifts modules to
    packages; ``None`` when such an import leaves the graph); the identity by default."""
    usages: list[Usage] = []
    index = _USAGE_INDEX.setdefault(project, {})
    for edge in statements:
        if edge.kind is ImportKind.DEFERRED:
            return "function-level import: pass the dependency in, or move the shared code into a module both can import"
        if edge.kind is ImportKind.TYPE_CHECKING:
            return "type-checking import: annotate with a Protocol defined in a module both can import"
        found = _usages_of(project, edge, index)
        if not found:
            return None
        usages.extend(found)
    for edge in statements:
        if edge.name is not None:
            facts = project.file_of(edge.imported)
            if facts is not None and facts.is_package:
                defining = _defining_module(project, edge.imported, edge.name)
                if defining is not None and (node_of(edge.importer, defining) if node_of else defining) not in component:
                    return f"imported through the package __init__ re-export that closes the cycle: import from the defining module ('from {defining} import {edge.name}')"
    if all(u is Usage.UNUSED for u in usages):
        return "unused: remove the import"
    if all(u in (Usage.ANNOTATIONS, Usage.UNUSED) for u in usages):
        facts = project.file_of(statements[0].importer)
        future = facts is not None and facts.cycle_facts.future_annotations
        tail = "" if future else " (with 'from __future__ import annotations')"
        return f"only used in annotations: move under 'if TYPE_CHECKING:'{tail}"
    if all(u is not Usage.IMPORT_TIME for u in usages):
        if deferred_count:
            return NO_DEFERRAL_HINT
        return "only used inside functions: import inside the function, or import the module, not the name"
    return None


def distinct(edges: Iterable[ImportEdge]) -> list[ImportEdge]:
    """One edge per import statement (``from m import a, b`` yields an edge per name)."""
    seen: set[tuple[str, int, int, str]] = set()
    result: list[ImportEdge] = []
    for edge in edges:
        key = (edge.path, edge.line, edge.column, edge.imported)
        if key not in seen:
            seen.add(key)
            result.append(edge)
    return result


def edge_dict(edge: ImportEdge) -> dict[str, object]:
    """The JSON form of one import statement on a cycle (SARIF turns it into a related location)."""
    return {
        "importer": edge.importer,
        "imported": edge.imported,
        "path": edge.path,
        "line": edge.line,
        "column": edge.column,
        "text": edge.text,
    }
