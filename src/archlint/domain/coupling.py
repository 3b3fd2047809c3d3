"""Coupling metrics of modules and packages (Robert C. Martin's package metrics).

Computed on first-party import edges of the chosen kinds (module-level and deferred by
default; imports under ``TYPE_CHECKING`` never run and are left out). Pure functions of
the :class:`~archlint.domain.graph.ProjectGraph`; thresholds live in the rules.

Module level: ``Ce`` (efferent coupling, fan-out) is the number of distinct first-party
modules a module imports; ``Ca`` (afferent coupling, fan-in) the number of distinct
modules importing it; instability ``I = Ce / (Ca + Ce)`` (0 when both are 0).

Package level (every package and namespace package, at every depth): ``Ca`` is the
number of modules outside the package that import a module inside it, ``Ce`` the number
of modules outside it that modules inside it import; ``I`` as above; abstractness
``A`` = abstract classes (ABCs, Protocols, classes with abstract methods) over all
classes of the package's modules (0 without classes); distance from the main sequence
``D = |A + I - 1|``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from archlint.domain.facts import ImportKind
from archlint.domain.graph import RUNTIME_KINDS, ProjectGraph, ancestors
from archlint.domain.metrics import Column, MetricProvider, Values
from archlint.domain.project import Project

_T = TypeVar("_T")


def instability(ca: int, ce: int) -> float:
    """``Ce / (Ca + Ce)``; 0.0 for a module nothing touches."""
    total = ca + ce
    return ce / total if total else 0.0


@dataclass(frozen=True, slots=True)
class ModuleCoupling:
    """Coupling figures of one module."""

    module: str
    imports: tuple[str, ...]
    """The distinct first-party modules it imports (``Ce`` is their number), sorted."""
    importers: tuple[str, ...]
    """The distinct first-party modules importing it (``Ca`` is their number), sorted."""

    @property
    def ce(self) -> int:
        """Efferent coupling (fan-out)."""
        return len(self.imports)

    @property
    def ca(self) -> int:
        """Afferent coupling (fan-in)."""
        return len(self.importers)

    @property
    def instability(self) -> float:
        """``Ce / (Ca + Ce)``."""
        return instability(self.ca, self.ce)


@dataclass(frozen=True, slots=True)
class PackageCoupling:
    """Martin's metrics of one package (all its modules, at any depth)."""

    package: str
    modules: int
    ca: int
    ce: int
    classes: int = 0
    abstract_classes: int = 0

    @property
    def instability(self) -> float:
        """``Ce / (Ca + Ce)``."""
        return instability(self.ca, self.ce)

    @property
    def abstractness(self) -> float:
        """Abstract classes over all classes (0.0 without classes)."""
        return self.abstract_classes / self.classes if self.classes else 0.0

    @property
    def distance(self) -> float:
        """Distance from the main sequence ``|A + I - 1|``."""
        return abs(self.abstractness + self.instability - 1)


_MEMO: WeakKeyDictionary[ProjectGraph, dict[tuple[str, frozenset[ImportKind]], Any]] = WeakKeyDictionary()


def _memoised(graph: ProjectGraph, what: str, kinds: Iterable[ImportKind], compute: Callable[[frozenset[ImportKind]], _T]) -> _T:
    """``compute(kinds)``, once per graph, kind set and ``what``: the coupling rules (and
    the metrics) ask for the same module pairs and figures several times. The results
    are shared, so the callers never modify them."""
    key = (what, frozenset(kinds))
    memo = _MEMO.setdefault(graph, {})
    if key not in memo:
        memo[key] = compute(key[1])
    result: _T = memo[key]
    return result


def module_pairs(graph: ProjectGraph, kinds: Iterable[ImportKind] = RUNTIME_KINDS) -> list[tuple[str, str]]:
    """Distinct ``(importer, imported)`` module pairs of the given kinds, sorted."""
    return list(_pairs(graph, kinds))


def _pairs(graph: ProjectGraph, kinds: Iterable[ImportKind]) -> tuple[tuple[str, str], ...]:
    """:func:`module_pairs`, shared (the edges come sorted by pair: equal pairs are adjacent)."""

    def compute(wanted: frozenset[ImportKind]) -> tuple[tuple[str, str], ...]:
        return tuple(dict.fromkeys((edge.importer, edge.imported) for edge in graph.edges_of(wanted)))

    return _memoised(graph, "pairs", kinds, compute)


def module_coupling(graph: ProjectGraph, kinds: Iterable[ImportKind] = RUNTIME_KINDS) -> dict[str, ModuleCoupling]:
    """``Ce``/``Ca`` of every analysed module, by module name (sorted)."""
    return dict(_memoised(graph, "modules", kinds, lambda wanted: _module_coupling(graph, wanted)))


def _module_coupling(graph: ProjectGraph, kinds: frozenset[ImportKind]) -> dict[str, ModuleCoupling]:
    imports: dict[str, list[str]] = {module: [] for module in graph.modules}
    importers: dict[str, list[str]] = {module: [] for module in graph.modules}
    for importer, imported in _pairs(graph, kinds):
        imports[importer].append(imported)
        importers[imported].append(importer)
    return {
        module: ModuleCoupling(module=module, imports=tuple(imports[module]), importers=tuple(importers[module]))
        for module in sorted(graph.modules)
    }


def packages_of(modules: Iterable[str], package_modules: Iterable[str] = ()) -> list[str]:
    """Every package name: the ancestors of every module plus the modules known to be
    packages (``__init__.py``), sorted."""
    names: set[str] = set(package_modules)
    for module in modules:
        names.update(ancestors(module))
    return sorted(names)


def package_coupling(
    graph: ProjectGraph,
    *,
    package_modules: Iterable[str] = (),
    class_counts: Mapping[str, tuple[int, int]] | None = None,
    kinds: Iterable[ImportKind] = RUNTIME_KINDS,
) -> dict[str, PackageCoupling]:
    """Martin's metrics of every package, by package name (sorted).

    ``class_counts`` maps a module to ``(classes, abstract classes)`` for abstractness."""
    packages = packages_of(graph.modules, package_modules)
    members: dict[str, int] = dict.fromkeys(packages, 0)
    for module in graph.modules:
        for package in (module, *ancestors(module)):
            if package in members:
                members[package] += 1
    afferent: dict[str, set[str]] = {package: set() for package in packages}
    efferent: dict[str, set[str]] = {package: set() for package in packages}
    for importer, imported in _pairs(graph, kinds):
        # The packages holding one module but not the other: the module itself and its
        # ancestors below the two names' common prefix.
        importer_side, imported_side = _apart(importer, imported)
        for package in importer_side:
            if package in efferent:
                efferent[package].add(imported)
        for package in imported_side:
            if package in afferent:
                afferent[package].add(importer)
    classes: dict[str, list[int]] = {package: [0, 0] for package in packages}
    for module, (total, abstract) in sorted((class_counts or {}).items()):
        for package in (module, *ancestors(module)):
            if package in classes:
                classes[package][0] += total
                classes[package][1] += abstract
    return {
        package: PackageCoupling(
            package=package,
            modules=members[package],
            ca=len(afferent[package]),
            ce=len(efferent[package]),
            classes=classes[package][0],
            abstract_classes=classes[package][1],
        )
        for package in packages
    }


@lru_cache(maxsize=1 << 16)
def _apart(importer: str, imported: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Each module with those of its ancestors that are not also the other's (nearest
    first): ``{m, *ancestors(m)}`` minus the other side's. The last of each are the
    siblings the import passes through. Cached: the package figures and the sibling
    edges of ARC302 ask for the same module pairs."""
    a_parts, b_parts = importer.split("."), imported.split(".")
    common = 0  # leading parts the names share
    for a, b in zip(a_parts, b_parts):
        if a != b:
            break
        common += 1
    a_side = (importer, *ancestors(importer)[: len(a_parts) - 1 - common]) if common < len(a_parts) else ()
    b_side = (imported, *ancestors(imported)[: len(b_parts) - 1 - common]) if common < len(b_parts) else ()
    return a_side, b_side


def sibling_edges(graph: ProjectGraph, kinds: Iterable[ImportKind] = RUNTIME_KINDS) -> list[tuple[str, str]]:
    """Distinct ``(sibling, sibling)`` dependencies: for every module pair, the two
    children of their deepest common package (or two top-level names) through which the
    import passes; ``a.x.m -> a.y.n`` gives ``(a.x, a.y)``. Sorted."""
    found: set[tuple[str, str]] = set()
    for importer, imported in _pairs(graph, kinds):
        mine, theirs = _apart(importer, imported)
        if mine and theirs:  # neither module is the other or inside it
            found.add((mine[-1], theirs[-1]))
    return sorted(found)


# -- archlint metrics columns (registered in domain/metric_registry.py) -------------------


def class_counts(project: Project) -> dict[str, tuple[int, int]]:
    """Module -> ``(classes, abstract classes)``; classes local to functions are left out."""
    counts: dict[str, tuple[int, int]] = {}
    for facts in project.files:
        classes = [cls for cls in facts.classes if "<locals>" not in cls.qualname]
        if facts.module and classes:
            counts[facts.module] = (len(classes), sum(1 for cls in classes if cls.is_abstract))
    return counts


MODULE_COUPLING_COLUMNS = (
    Column(key="instability", title="I", doc="Instability Ce / (Ca + Ce) over runtime first-party imports.", digits=2),
)


def _module_coupling_values(project: Project) -> Values:
    return {module: {"instability": figures.instability} for module, figures in module_coupling(project.graph).items()}


MODULE_COUPLING = MetricProvider(name="module-coupling", columns=MODULE_COUPLING_COLUMNS, compute=_module_coupling_values)

PACKAGE_COUPLING_COLUMNS = (
    Column(key="ca", title="Ca", doc="Afferent coupling: modules outside the package importing into it."),
    Column(key="ce", title="Ce", doc="Efferent coupling: modules outside the package it imports."),
    Column(key="instability", title="I", doc="Instability Ce / (Ca + Ce).", digits=2),
    Column(
        key="abstractness",
        title="A",
        doc="Abstractness: abstract classes (ABCs, Protocols, abstract methods) over all classes.",
        higher_is_worse=False,
        digits=2,
    ),
    Column(key="distance", title="D", doc="Distance from the main sequence |A + I - 1|.", digits=2),
)


def _package_coupling_values(project: Project) -> Values:
    packages = package_coupling(
        project.graph,
        package_modules=[f.module for f in project.files if f.is_package and f.module],
        class_counts=class_counts(project),
    )
    return {
        name: {
            "ca": figures.ca,
            "ce": figures.ce,
            "instability": figures.instability,
            "abstractness": figures.abstractness,
            "distance": figures.distance,
        }
        for name, figures in packages.items()
    }


PACKAGE_COUPLING = MetricProvider(name="package-coupling", columns=PACKAGE_COUPLING_COLUMNS, compute=_package_coupling_values)
