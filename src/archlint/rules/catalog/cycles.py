"""Metadata and options of the rules in :mod:`archlint.rules.cycles` (ImportCycle, DeferredImportCycle, PackageCycle, ImportTimeCrash).

Light on purpose: the registry imports it on every run; the implementation is imported
only when a rule runs (``archlint.rules.LazyRule``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from archlint.domain.finding import Severity
from archlint.domain.rule import RuleMeta

CHECKLIST = ("Circular Imports", "Modularity & Separation of Concerns")


@dataclass(frozen=True, kw_only=True)
class CycleOptions:
    """Options of ``[tool.archlint.cycles]``, shared by ARC101-ARC104."""

    include_type_checking: bool = field(
        default=False,
        metadata={"doc": "Count imports under `if TYPE_CHECKING:` as edges of ARC101-ARC103 (they never run, so off by default)."},
    )
    package_depth: int = field(
        default=0,
        metadata={
            "doc": "ARC103 compares sibling packages down to this depth (`shop.orders` is depth 2); 0 compares every level.",
            "min": 0,
        },
    )


IMPORT_CYCLE = RuleMeta(
    code="ARC101",
    reads=frozenset({"cycle_facts", "imports", "suppressions"}),
    name="import-cycle",
    severity=Severity.ERROR,
    checklist=CHECKLIST,
    summary="Modules import each other at module level, directly or through a chain.",
    what=(
        "Reports each strongly connected component (two or more modules) of the graph of "
        "module-level imports as one finding: the member modules, one shortest cycle with "
        "every import line on it, and a small set of imports to cut (`extra.breakers`), "
        "each with a concrete way to cut it when the code allows (move under "
        "`if TYPE_CHECKING:`, import inside the function, import from the defining module). "
        "The finding sits on the first suggested cut. Imports under `if TYPE_CHECKING:` and "
        "inside functions do not count (see ARC102). An import line carrying "
        "`# archlint: ignore[ARC101]` is an accepted edge: it is left out of the graph, so "
        "the rest of the code is still checked for new cycles."
    ),
    why=(
        "A cycle means none of its modules can be understood, tested or reused without the "
        "others: the boundary between them is not real. At runtime the import order decides "
        "which names exist yet, so a harmless edit can turn into `ImportError: cannot import "
        "name ... (most likely due to a circular import)` (see ARC104)."
    ),
    example="# shop/orders.py\nfrom shop.billing import invoice\n\n# shop/billing.py\nfrom shop.orders import Order",
    fix=(
        "Cut the suggested import: move it under `if TYPE_CHECKING:` when only annotations use "
        "the name, import inside the function that needs it, import from the module that "
        "defines the name instead of a package that re-exports it, or move the shared code "
        "into a new module both can import."
    ),
    options=CycleOptions,
    options_table="cycles",
)


DEFERRED_IMPORT_CYCLE = RuleMeta(
    code="ARC102",
    reads=frozenset({"cycle_facts", "imports", "suppressions"}),
    name="deferred-import-cycle",
    severity=Severity.WARNING,
    checklist=CHECKLIST,
    summary="Modules depend on each other in a cycle through imports inside functions.",
    what=(
        "Reports each strongly connected component of the graph of module-level and "
        "function-level imports that ARC101 does not already report (its modules differ "
        "from every module-level component). The suggested cuts treat each ARC101 "
        "component as one node, so they point at the imports that close the larger cycle. "
        "`# archlint: ignore[ARC102]` on a function-level import line accepts that edge."
    ),
    why=(
        "Deferring an import hides a cycle from the import system but not from the design: "
        "the modules still need each other, cannot be separated or tested alone, and the "
        "deferred import runs (and may fail) at call time instead of at start-up."
    ),
    example="# shop/orders.py\nfrom shop.billing import invoice\n\n# shop/billing.py\ndef total():\n    from shop.orders import Order",
    fix=(
        "Move the shared code into a module both sides can import, invert the dependency "
        "(pass the object or a callback in), or accept the edge explicitly with a "
        "suppression comment and a reason."
    ),
    options=CycleOptions,
    options_table="cycles",
)


PACKAGE_CYCLE = RuleMeta(
    code="ARC103",
    reads=frozenset({"cycle_facts", "imports", "suppressions"}),
    name="package-cycle",
    severity=Severity.WARNING,
    checklist=("Circular Imports", "Big Ball of Mud", "Modularity & Separation of Concerns"),
    summary="Sibling packages import each other, even if no two modules do.",
    what=(
        "Lifts every runtime import (module-level and function-level) to the two sibling "
        "packages below the modules' deepest common package (`shop.orders.models` -> "
        "`shop.billing.api` becomes `shop.orders` -> `shop.billing`) and reports each "
        "strongly connected component that contains a package, once. `extra.directions` "
        "lists, for each direction, the number of imports and the first few import lines."
    ),
    why=(
        "Packages that need each other are one package in disguise: the \"Big Ball of Mud\" "
        "signal. Neither can be extracted, versioned or reasoned about alone, even when "
        "no module-level cycle exists yet."
    ),
    example="# shop/orders/models.py\nfrom shop.billing.api import charge\n\n# shop/billing/api.py\ndef refund():\n    from shop.orders.models import Order",
    fix=(
        "Decide which package depends on which and cut the imports of the other direction "
        "(the suggested cuts are the cheapest set): move shared code down into a third "
        "package, or invert the dependency with a callback or an interface."
    ),
    options=CycleOptions,
    options_table="cycles",
)


IMPORT_TIME_CRASH = RuleMeta(
    code="ARC104",
    reads=frozenset({"cycle_facts", "imports", "suppressions"}),
    name="import-time-crash",
    severity=Severity.ERROR,
    checklist=CHECKLIST,
    summary="A circular import fails at import time: a name is read from a half-initialised module.",
    what=(
        "For each ARC101 component (and each module that imports from itself at module "
        "level), replays Python's import order starting from each member "
        "module (parent packages first, module bodies statement by statement, first-party "
        "imports recursively, modules in progress not re-run) and reports each "
        "`from M import name` that runs while `M` is only partially initialised and has not "
        "bound `name` yet (and `name` is not a submodule): the `ImportError: cannot import "
        "name ... (most likely due to a circular import)` users hit; likewise an attribute "
        "of such a module read while the importing module body runs (`class C(m.Base)`, a "
        "decorator, an assignment): `AttributeError: partially initialized module`. `extra.entries` lists the "
        "modules whose import triggers it; `extra.chain` the imports from the first entry to "
        "the crash. Only proven crashes are reported: imports inside `try` blocks with "
        "handlers or under conditions, star imports, `globals()` tricks and module "
        "`__getattr__` are treated conservatively (see ADR 0004)."
    ),
    why=(
        "This is the crash a cycle eventually causes: which entry point imports first decides "
        "whether the program starts. Tests that import modules in another order pass while "
        "production fails."
    ),
    example="# app/__init__.py\nfrom app.models import User\nVERSION = 1\n\n# app/models.py\nfrom app import VERSION  # app is half-initialised: VERSION not bound yet",
    fix=(
        "Cut the cycle (see the ARC101 finding of the same modules), or import the module "
        "instead of the name (`from app import models` / `import app.models`) so the name is "
        "looked up later, or move the definition above the import that starts the cycle."
    ),
    options=CycleOptions,
    options_table="cycles",
)
