"""ARC301-ARC305: tight coupling and encapsulation (fan-out, stability, hubs, privates).

The figures come from :mod:`archlint.domain.coupling` (first-party imports, module-level
and deferred by default); thresholds are options of ``[tool.archlint.coupling]``. The
defaults and their reasons are in ``docs/adr/0006-coupling-metrics-and-defaults.md``.
"""

from __future__ import annotations

from collections.abc import Iterator

from archlint.domain.contracts import module_pattern, within
from archlint.domain.coupling import PackageCoupling, module_coupling, package_coupling, sibling_edges
from archlint.domain.facts import FileFacts
from archlint.domain.finding import Finding
from archlint.domain.graph import ALL_KINDS, ImportEdge, ancestors
from archlint.domain.project import Project
from archlint.domain.public_api import is_test_module
from archlint.domain.rule import Rule
from archlint.rules.catalog.coupling import (
    DEEP_IMPORT,
    HIGH_FAN_OUT,
    HUB_MODULE,
    PRIVATE_IMPORT,
    UNSTABLE_DEPENDENCY,
    CouplingOptions,
)


def is_facade(facts: FileFacts | None) -> bool:
    """An ``__init__.py`` that defines no function and no class: it only re-exports (and
    maybe sets ``__all__``), so its imports are its public surface, not coupling."""
    if facts is None or not facts.is_package:
        return False
    return not facts.api.functions and not facts.api.class_names


class HighFanOut(Rule):
    """A module importing too many first-party modules."""

    meta = HIGH_FAN_OUT

    def check(self, project: Project, options: CouplingOptions) -> Iterator[Finding]:
        """One finding per module whose fan-out exceeds the threshold."""
        for module, figures in module_coupling(project.graph, options.kinds).items():
            facts = project.file_of(module)
            if facts is None or figures.ce <= options.max_fan_out or is_facade(facts):
                continue
            yield self.finding(
                path=facts.path,
                line=1,
                message=(
                    f"{module} imports {figures.ce} first-party modules (more than {options.max_fan_out}): "
                    "split it or depend on a facade"
                ),
                identity=module,
                extra={"imports": list(figures.imports), "ratchet": {"fan_out": figures.ce}},
            )


class UnstableDependency(Rule):
    """Stable Dependencies Principle: depend in the direction of stability."""

    meta = UNSTABLE_DEPENDENCY

    def check(self, project: Project, options: CouplingOptions) -> Iterator[Finding]:
        """One finding per sibling dependency against the direction of stability."""
        graph = project.graph
        packages = package_coupling(
            graph, package_modules=[f.module for f in project.files if f.is_package], kinds=options.kinds
        )
        pairs: list[tuple[str, str, PackageCoupling, PackageCoupling]] = []
        for importer, imported in sibling_edges(graph, options.kinds):
            source, target = packages.get(importer), packages.get(imported)
            if source is None or target is None or not self._unstable(source, target, options):
                continue
            pairs.append((importer, imported, source, target))
        firsts = _first_edges(graph.edges_of(options.kinds), {(importer, imported) for importer, imported, _, _ in pairs})
        for importer, imported, source, target in pairs:
            edge = firsts.get((importer, imported))
            if edge is None:
                continue
            gap = target.instability - source.instability
            yield self.finding(
                path=edge.path,
                line=edge.line,
                column=edge.column,
                message=(
                    f"package {importer} (I={source.instability:.2f}) depends on the less stable "
                    f"sibling {imported} (I={target.instability:.2f}): depend in the direction of stability"
                ),
                identity=f"{importer}->{imported}",
                extra={
                    "importer": importer,
                    "imported": imported,
                    "importer_instability": round(source.instability, 3),
                    "imported_instability": round(target.instability, 3),
                    "ratchet": {"instability_gap": round(gap, 3)},
                },
            )

    @staticmethod
    def _unstable(source: PackageCoupling, target: PackageCoupling, options: CouplingOptions) -> bool:
        if min(source.modules, target.modules) < options.min_package_modules:
            return False
        return target.instability > source.instability + options.instability_delta + 1e-9


def _first_edges(edges: Iterator[ImportEdge], wanted: set[tuple[str, str]]) -> dict[tuple[str, str], ImportEdge]:
    """For each wanted (importer package, imported package) pair, the first edge (by path,
    line, column) from within the one to within the other, in one pass over the edges
    (a scan of every edge per pair was quadratic on large projects)."""
    importers = {importer for importer, _ in wanted}
    imported_set = {imported for _, imported in wanted}
    best: dict[tuple[str, str], ImportEdge] = {}
    # The wanted packages a module is in, per module (a module has many edges).
    sources_of: dict[str, list[str]] = {}
    targets_of: dict[str, list[str]] = {}
    for edge in edges:
        sources = sources_of.get(edge.importer)
        if sources is None:
            sources = sources_of[edge.importer] = [n for n in (edge.importer, *ancestors(edge.importer)) if n in importers]
        if not sources:
            continue
        targets = targets_of.get(edge.imported)
        if targets is None:
            targets = targets_of[edge.imported] = [n for n in (edge.imported, *ancestors(edge.imported)) if n in imported_set]
        for source in sources:
            for target in targets:
                key = (source, target)
                if key not in wanted:
                    continue
                current = best.get(key)
                if current is None or (edge.path, edge.line, edge.column) < (current.path, current.line, current.column):
                    best[key] = edge
    return best


class HubModule(Rule):
    """A module both heavily imported and heavily importing."""

    meta = HUB_MODULE

    def check(self, project: Project, options: CouplingOptions) -> Iterator[Finding]:
        """One finding per hub module."""
        for module, figures in module_coupling(project.graph, options.kinds).items():
            facts = project.file_of(module)
            if facts is None or is_facade(facts):
                continue
            if figures.ca < options.hub_min_fan_in or figures.ce < options.hub_min_fan_out:
                continue
            yield self.finding(
                path=facts.path,
                line=1,
                message=f"{module} is a hub: imported by {figures.ca} modules and imports {figures.ce}",
                identity=module,
                extra={"ratchet": {"fan_in": figures.ca, "fan_out": figures.ce}},
            )


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_owner(edge: ImportEdge, is_package: bool) -> tuple[str, str] | None:
    """``(owner, private part)`` when ``edge`` reaches a private module or name, where
    ``owner`` is the package whose descendants may use it; ``None`` when nothing private."""
    imported = edge.imported
    if imported.startswith("_") or "._" in imported:  # else no part starts with "_"
        parts = imported.split(".")
        for index, part in enumerate(parts):
            if _private(part):
                return ".".join(parts[:index]), ".".join(parts[: index + 1])
    name = edge.name
    if name and name != "*" and _private(name) and not edge.imported.endswith("." + name):
        owner = edge.imported if is_package else edge.imported.rpartition(".")[0]
        return owner, f"{edge.imported}.{name}"
    return None


class PrivateImport(Rule):
    """Importing another package's private module or name."""

    meta = PRIVATE_IMPORT

    def check(self, project: Project, options: CouplingOptions) -> Iterator[Finding]:
        """One finding per import statement reaching privates, naming all of them."""
        allowed = [module_pattern(pattern) for pattern in options.allow_private]
        statements: dict[tuple[str, int, int], tuple[str, dict[str, str]]] = {}
        for edge in project.graph.edges_of(ALL_KINDS):
            target = project.file_of(edge.imported)
            owned = private_owner(edge, target.is_package if target else False)
            if owned is None:
                continue
            owner, private = owned
            if not owner or within(edge.importer, owner) or any(p.match(private) for p in allowed):
                continue
            if is_test_module(edge.path):
                continue
            _, privates = statements.setdefault((edge.path, edge.line, edge.column), (edge.importer, {}))
            privates[private] = owner
        for (path, line, column), (importer, privates) in sorted(statements.items()):
            names = sorted(privates)
            owners = sorted(set(privates.values()))
            yield self.finding(
                path=path,
                line=line,
                column=column,
                message=f"{importer} imports {', '.join(names)}, private to {', '.join(owners)}",
                identity=f"{importer}->{','.join(names)}",
                extra={"importer": importer, "privates": names, "owners": owners},
            )


class DeepImport(Rule):
    """Importing through a submodule what the package exports itself."""

    meta = DEEP_IMPORT

    def check(self, project: Project, options: CouplingOptions) -> Iterator[Finding]:
        """One finding per deep import of an exported name."""
        seen: set[tuple[str, int, str]] = set()
        exports = {  # the literal __all__ of each package that has one
            module: frozenset(facts.api.all_names)
            for module, facts in project.by_module.items()
            if facts.is_package and facts.api.all_names is not None
        }
        for edge in project.graph.edges_of(ALL_KINDS):
            name = edge.name
            if not name or name == "*" or edge.imported.endswith("." + name):
                continue
            for package in ancestors(edge.imported):
                if within(edge.importer, package):
                    break
                exported = exports.get(package)
                if exported is None or name not in exported:
                    continue
                key = (edge.path, edge.line, name)
                if key not in seen:
                    seen.add(key)
                    yield self.finding(
                        path=edge.path,
                        line=edge.line,
                        column=edge.column,
                        message=f"import {name} from {package}, which exports it, not from {edge.imported}",
                        identity=f"{edge.importer}->{edge.imported}.{name}",
                        extra={"package": package, "name": name, "module": edge.imported},
                    )
                break


COUPLING_RULES: tuple[type[Rule], ...] = (HighFanOut, UnstableDependency, HubModule, PrivateImport, DeepImport)
