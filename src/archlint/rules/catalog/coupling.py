"""Metadata and options of the rules in :mod:`archlint.rules.coupling` (HighFanOut, UnstableDependency, HubModule, PrivateImport, DeepImport).

Light on purpose: the registry imports it on every run; the implementation is imported
only when a rule runs (``archlint.rules.LazyRule``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from archlint.domain.finding import Severity
from archlint.domain.rule import RuleMeta

if TYPE_CHECKING:  # imported by the rules that count imports (the facts are heavy to load)
    from archlint.domain.facts import ImportKind


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
        from archlint.domain.graph import ALL_KINDS, RUNTIME_KINDS

        return ALL_KINDS if self.include_type_checking else RUNTIME_KINDS


_TIGHT = ("Tight Coupling", "High cohesion, low coupling")


HIGH_FAN_OUT = RuleMeta(
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


UNSTABLE_DEPENDENCY = RuleMeta(
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


HUB_MODULE = RuleMeta(
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


PRIVATE_IMPORT = RuleMeta(
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


DEEP_IMPORT = RuleMeta(
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
