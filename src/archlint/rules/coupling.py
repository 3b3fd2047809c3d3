"""ARC301-ARC305: tight coupling and encapsulation (fan-out, stability, hubs, privates).

The figures come from :mod:`archlint.domain.coupling` (first-party imports, module-level
and deferred by default); thresholds are options of ``[tool.archlint.coupling]``. The
defaults and their reasons are in ``docs/adr/0006-coupling-metrics-and-defaults.md``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from archlint.domain.contracts import module_pattern, within
from archlint.domain.coupling import PackageCoupling, module_coupling, package_coupling, sibling_edges
from archlint.domain.facts import FileFacts, ImportKind
from archlint.domain.finding import Finding, Severity
from archlint.domain.graph import ALL_KINDS, RUNTIME_KINDS, ImportEdge, ancestors
from archlint.domain.project import Project
from archlint.domain.public_api import is_test_module
from archlint.domain.rule import Rule, RuleMeta


@dataclass(frozen=True, kw_only=True)
class CouplingOptions:
    """``[tool.archlint.coupling]``: thresholds of ARC301-ARC303."""

    max_fan_out: int = field(
        default=15, metadata={"doc": "ARC301: most distinct first-party modules one module may import.", "min": 1}
    )
    hub_min_fan_in: int = field(default=10, metadata={"doc": "ARC303: fan-in (Ca) at which a module can be a hub.", "min": 1})
    hub_min_fan_out: int = field(default=10, metadata={"doc": "ARC303: fan-out (Ce) at which a module can be a hub.", "min": 1})
    instability_delta: float = field(
        default=0.25,
        metadata={"doc": "ARC302: how much less stable (I) a sibling package may be than its dependant.", "min": 0, "max": 1},
    )
    min_package_modules: int = field(
        default=3, metadata={"doc": "ARC302: packages with fewer modules are ignored (their I is noise).", "min": 1}
    )
    allow_private: tuple[str, ...] = field(
        default=(),
        metadata={"doc": "ARC304: private modules or names anyone may import (`*` one name, `**` several), e.g. `pkg.utils._compat`."},
    )
    include_type_checking: bool = field(
        default=False, metadata={"doc": "Count imports under `if TYPE_CHECKING:` in the metrics (ARC301-ARC303)."}
    )

    @property
    def kinds(self) -> frozenset[ImportKind]:
        """The import kinds the metrics count."""
        return ALL_KINDS if self.include_type_checking else RUNTIME_KINDS


_TIGHT = ("Tight Coupling", "High cohesion, low coupling")


def is_facade(facts: FileFacts | None) -> bool:
    """An ``__init__.py`` that defines no function and no class: it only re-exports (and
    maybe sets ``__all__``), so its imports are its public surface, not coupling."""
    if facts is None or not facts.is_package:
        return False
    return not facts.api.functions and not facts.api.class_names


class HighFanOut(Rule):
    """A module importing too many first-party modules."""

    meta = RuleMeta(
        code="ARC301",
        reads=frozenset({"api", "error", "imports"}),
        name="high-fan-out",
        severity=Severity.WARNING,
        checklist=_TIGHT,
        summary="A module imports more distinct first-party modules than the threshold.",
        what=(
            "Counts the distinct first-party modules a module imports (efferent coupling, Ce, "
            "fan-out) through module-level and deferred imports; imports under "
            "`if TYPE_CHECKING:` are not counted unless `include-type-checking` is set. Reports "
            "the module on line 1 when Ce exceeds `max-fan-out` (15); `extra.imports` lists "
            "them. An `__init__.py` that defines no function or class only re-exports and is "
            "exempt."
        ),
        why=(
            "A module that depends on many others breaks whenever any of them changes, is hard "
            "to test in isolation and usually mixes several responsibilities: the coupling "
            "red flag at its source."
        ),
        example=(
            "# app/views.py\n"
            "from app import auth, billing, cache, db, email, export, flags, i18n\n"
            "from app import logs, metrics, orders, payments, search, shipping, users, util"
        ),
        fix=(
            "Split the module by responsibility, or put a facade or service in front of a "
            "group of collaborators so the module depends on one interface instead of many "
            "modules."
        ),
        options=CouplingOptions,
        options_table="coupling",
    )

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

    meta = RuleMeta(
        code="ARC302",
        reads=frozenset({"api", "error", "imports"}),
        name="unstable-dependency",
        severity=Severity.WARNING,
        checklist=(*_TIGHT, "Package-based organization"),
        summary="A package depends on a sibling package that is much less stable than itself.",
        what=(
            "Computes Martin's instability I = Ce / (Ca + Ce) of every package (over its "
            "modules' first-party imports). For two sibling packages P and Q (same parent) "
            "where P imports Q, reports when I(Q) > I(P) + `instability-delta` (0.25). Packages "
            "with fewer than `min-package-modules` (3) modules are ignored. Located on the first "
            "import (by path and line) from P into Q."
        ),
        why=(
            "A stable package (many dependants, few dependencies) is hard to change; if it "
            "depends on a volatile one, every change there forces changes in the stable "
            "package and, through it, in all its dependants (Stable Dependencies Principle)."
        ),
        example=(
            "# app/core (I=0.2, imported by everything) imports app/reports (I=0.9):\n"
            "from app.reports.render import to_html"
        ),
        fix=(
            "Invert the dependency: let the stable package declare an interface (ABC or "
            "Protocol) that the volatile package implements, or move the shared piece into "
            "the stable package."
        ),
        options=CouplingOptions,
        options_table="coupling",
    )

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
    for edge in edges:
        sources = [name for name in (edge.importer, *ancestors(edge.importer)) if name in importers]
        if not sources:
            continue
        targets = [name for name in (edge.imported, *ancestors(edge.imported)) if name in imported_set]
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

    meta = RuleMeta(
        code="ARC303",
        reads=frozenset({"api", "error", "imports"}),
        name="hub-module",
        severity=Severity.WARNING,
        checklist=_TIGHT,
        summary="A module with both high fan-in and high fan-out: a change there ripples everywhere.",
        what=(
            "Reports a module (on line 1) whose fan-in Ca is at least `hub-min-fan-in` (10) and "
            "whose fan-out Ce is at least `hub-min-fan-out` (10), over first-party module-level "
            "and deferred imports. An `__init__.py` that only re-exports is exempt."
        ),
        why=(
            "Many modules depend on a hub and the hub depends on many modules, so changes in "
            "any of its dependencies propagate through it to all its dependants; it is also a "
            "natural place for import cycles."
        ),
        example="# app/common.py: imported by 25 modules, imports 14 of them back",
        fix=(
            "Split the hub: move what its dependants need into a small stable module with few "
            "imports, and move the orchestration that needs many imports out to the callers."
        ),
        options=CouplingOptions,
        options_table="coupling",
    )

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
    parts = edge.imported.split(".")
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

    meta = RuleMeta(
        code="ARC304",
        reads=frozenset({"api", "error", "imports"}),
        name="private-import",
        severity=Severity.WARNING,
        checklist=("Clear interfaces between modules", "Tight Coupling"),
        summary="A module imports a private module or name of another package.",
        what=(
            "Reports a first-party import (any kind) that reaches a private module (a path "
            "component starting with `_`, dunders excepted) or a private name from outside the "
            "package that owns it. The owner of `a.b._c` is `a.b`; the owner of a private name "
            "defined in module `a.b.m` is `a.b`: the package's own descendants may use its "
            "privates. Test modules (`tests/`, `test_*.py`, `conftest.py`) are exempt: white-box "
            "tests may use privates. `allow-private` lists privates meant to be shared project-wide. "
            "One finding per import statement: `extra.privates` lists every private it imports."
        ),
        why=(
            "A leading underscore says 'not part of the interface': the owner may change or "
            "remove it at any time. Code outside the package that relies on it couples to "
            "implementation details and breaks on refactorings that should be safe."
        ),
        example="# app/web/views.py\nfrom app.billing._tax import _rate_for",
        fix=(
            "Import the public name the package exposes instead; if there is none, make the "
            "needed piece public (rename it, export it in `__all__`) in the owning package."
        ),
        options=CouplingOptions,
        options_table="coupling",
    )

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

    meta = RuleMeta(
        code="ARC305",
        reads=frozenset({"api", "error", "imports"}),
        name="deep-import",
        severity=Severity.INFO,
        checklist=("Clear interfaces between modules",),
        summary="A name is imported from a package's submodule although the package exports it in `__all__`.",
        what=(
            "When a package declares its public surface with `__all__` in its `__init__.py`, "
            "reports a `from pkg.sub import Name` written outside `pkg` for a `Name` that "
            "`pkg.__all__` lists. Off by default: select ARC305 to enable it."
        ),
        why=(
            "Importing through the package's internal layout couples the importer to where a "
            "name happens to live; the package can no longer move it between its submodules "
            "without breaking callers."
        ),
        example="# pkg/__init__.py: __all__ = ['Client']\nfrom pkg._http.client import Client  # elsewhere",
        fix="Import the name from the package: `from pkg import Client`.",
        options=CouplingOptions,
        options_table="coupling",
        default_enabled=False,
    )

    def check(self, project: Project, options: CouplingOptions) -> Iterator[Finding]:
        """One finding per deep import of an exported name."""
        seen: set[tuple[str, int, str]] = set()
        for edge in project.graph.edges_of(ALL_KINDS):
            name = edge.name
            if not name or name == "*" or edge.imported.endswith("." + name):
                continue
            for package in ancestors(edge.imported):
                if within(edge.importer, package):
                    break
                facts = project.file_of(package)
                exported = facts.api.all_names if facts is not None and facts.is_package else None
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
