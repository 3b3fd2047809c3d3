"""The project's first-party import graph, built from per-file facts.

Edges keep the exact import statement (path, line, column, text) and its kind, so every
graph finding can sit on a real, suppressible line. Algorithms come from grimp (its
``ImportGraph`` queries) and networkx; both views are built lazily, once per kind set.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from archlint.domain.facts import FileFacts, ImportFact, ImportKind

if TYPE_CHECKING:
    import grimp
    import networkx as nx

RUNTIME_KINDS = frozenset({ImportKind.MODULE_LEVEL, ImportKind.DEFERRED})
ALL_KINDS = frozenset(ImportKind)


@dataclass(frozen=True, slots=True)
class ImportEdge:
    """One first-party import: ``importer`` imports ``imported`` at ``path:line:column``."""

    importer: str
    imported: str
    kind: ImportKind
    path: str
    line: int
    column: int
    text: str
    name: str | None = None
    """The imported name when the edge comes from ``from pkg import name``."""


@lru_cache(maxsize=1 << 16)
def ancestors(module: str) -> tuple[str, ...]:
    """``a.b.c`` -> ``a.b``, ``a`` (nearest first). Cached: the coupling rules and
    metrics ask for the same modules' ancestors tens of thousands of times."""
    parts = module.split(".")
    return tuple(".".join(parts[:end]) for end in range(len(parts) - 1, 0, -1))


def resolve_import(fact: ImportFact, modules: frozenset[str] | set[str]) -> list[tuple[str, str | None]]:
    """The first-party modules an import statement makes its module depend on.

    ``import a.b.c`` -> ``a.b.c`` (or its nearest existing ancestor); ``from pkg import
    name`` -> ``pkg.name`` when that is a module, else ``pkg``. Returns ``(target, name)``
    pairs, empty for third-party and stdlib imports."""
    if not fact.module:
        return []
    if not fact.names:
        target = fact.module
        while target and target not in modules:
            target = target.rpartition(".")[0]
        return [(target, None)] if target else []
    targets: list[tuple[str, str | None]] = []
    base_known = fact.module in modules
    for name in fact.names:
        sub = f"{fact.module}.{name}"
        if name != "*" and sub in modules:
            targets.append((sub, name))
        elif base_known:
            targets.append((fact.module, name))
    if not targets and not base_known:
        target = fact.module.rpartition(".")[0]
        while target and target not in modules:
            target = target.rpartition(".")[0]
        if target:
            targets.append((target, None))
    return targets


class ProjectGraph:
    """Read-only import graph of the analysed modules."""

    def __init__(self, files: Sequence[FileFacts]) -> None:
        self._files = files
        modules = {f.module for f in files if f.module}
        self.modules: frozenset[str] = frozenset(modules)
        edges: list[ImportEdge] = []
        external: dict[str, set[str]] = {}
        self_importers: list[str] = []
        module_level = ImportKind.MODULE_LEVEL
        # resolve_import depends on the imported module and names only: the same
        # statement recurs across files (two thirds of them on pandas and SQLAlchemy).
        targets: dict[tuple[str, tuple[str, ...]], list[tuple[str, str | None]]] = {}
        for facts in files:
            module = facts.module
            path = facts.path
            imports_itself = False
            for fact in facts.imports:
                key = (fact.module, fact.names)
                resolved = targets.get(key)
                if resolved is None:
                    resolved = targets[key] = resolve_import(fact, self.modules)
                if not resolved:
                    if fact.module and fact.level == 0:
                        external.setdefault(module, set()).add(fact.module)
                    continue
                for target, name in resolved:
                    if target == module:
                        imports_itself = imports_itself or fact.kind is module_level
                        continue
                    edges.append(ImportEdge(module, target, fact.kind, path, fact.line, fact.column, fact.text, name))
            if imports_itself and module:
                self_importers.append(module)
        edges.sort(key=lambda e: (e.importer, e.imported, e.line, e.column, e.name or ""))
        self.edges: tuple[ImportEdge, ...] = tuple(edges)
        self.external: Mapping[str, frozenset[str]] = {k: frozenset(v) for k, v in sorted(external.items())}
        self.self_importers: tuple[str, ...] = tuple(sorted(self_importers))
        """Modules (one entry per file) with a module-level import of themselves, which
        the edges leave out (``from m import name`` inside ``m``, ``from . import name``
        in a package ``__init__``), sorted."""
        self._digraphs: dict[frozenset[ImportKind], nx.DiGraph] = {}
        self._grimp: dict[frozenset[ImportKind], grimp.ImportGraph] = {}
        self._of_kinds: dict[frozenset[ImportKind], tuple[ImportEdge, ...]] = {}

    @cached_property
    def _by_pair(self) -> dict[tuple[str, str], list[ImportEdge]]:
        pairs: dict[tuple[str, str], list[ImportEdge]] = {}
        for edge in self.edges:
            pairs.setdefault((edge.importer, edge.imported), []).append(edge)
        return pairs

    def edges_of(self, kinds: Iterable[ImportKind]) -> Iterator[ImportEdge]:
        """Edges whose kind is one of ``kinds``, in canonical order (filtered once per
        kind set: the rules ask for the same few sets a dozen times)."""
        wanted = frozenset(kinds)
        found = self._of_kinds.get(wanted)
        if found is None:
            found = self._of_kinds[wanted] = tuple(edge for edge in self.edges if edge.kind in wanted)
        return iter(found)

    def details(self, importer: str, imported: str, kinds: Iterable[ImportKind] = ALL_KINDS) -> list[ImportEdge]:
        """Every import statement by which ``importer`` imports ``imported`` (sorted by line)."""
        wanted = frozenset(kinds)
        return [e for e in self._by_pair.get((importer, imported), ()) if e.kind in wanted]

    def digraph(self, kinds: Iterable[ImportKind] = RUNTIME_KINDS) -> nx.DiGraph:
        """A networkx view (module -> module) restricted to ``kinds``; built once per kind set."""
        key = frozenset(kinds)
        if key not in self._digraphs:
            import networkx as nx

            graph = nx.DiGraph()
            graph.add_nodes_from(sorted(self.modules))
            graph.add_edges_from((e.importer, e.imported) for e in self.edges if e.kind in key)
            self._digraphs[key] = graph
        return self._digraphs[key]

    def grimp_graph(self, kinds: Iterable[ImportKind] = RUNTIME_KINDS) -> grimp.ImportGraph:
        """A grimp ``ImportGraph`` restricted to ``kinds``, with line numbers and contents."""
        key = frozenset(kinds)
        if key not in self._grimp:
            import grimp

            graph = grimp.ImportGraph()
            for module in sorted(self.modules):
                graph.add_module(module)
            for edge in self.edges:
                if edge.kind in key:
                    graph.add_import(
                        importer=edge.importer,
                        imported=edge.imported,
                        line_number=edge.line,
                        line_contents=edge.text,
                    )
            self._grimp[key] = graph
        return self._grimp[key]
