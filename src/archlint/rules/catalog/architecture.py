"""Metadata and options of the rules in :mod:`archlint.rules.architecture` (TangledArchitecture).

Light on purpose: the registry imports it on every run; the implementation is imported
only when a rule runs (``archlint.rules.LazyRule``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from archlint.domain.finding import Severity
from archlint.domain.rule import RuleMeta


@dataclass(frozen=True, kw_only=True)
class TangledOptions:
    """``[tool.archlint.tangled-architecture]``: when the import graph is a ball of mud."""

    max_component_share: float = field(
        default=0.10,
        metadata={
            "doc": "Largest share of all modules one import-time cycle component may hold.",
            "min": 0,
            "max": 1,
            "float": True,
        },
    )
    min_component_size: int = field(
        default=5, metadata={"doc": "A component smaller than this never counts as tangled.", "min": 2}
    )
    max_propagation_cost: float = field(
        default=0.5,
        metadata={
            "doc": "Highest propagation cost (share of module pairs linked by a transitive import).",
            "min": 0,
            "max": 1,
            "float": True,
        },
    )
    min_modules: int = field(
        default=30,
        metadata={"doc": "Projects with fewer modules are not judged on propagation cost.", "min": 1},
    )


TANGLED_ARCHITECTURE = RuleMeta(
    code="ARC601",
    reads=frozenset({"imports"}),
    name="tangled-architecture",
    severity=Severity.WARNING,
    checklist=("Big Ball of Mud", "High cohesion, low coupling"),
    summary="The import-time graph is tangled: one huge cycle component or a very high propagation cost.",
    what=(
        "Looks at the graph of module-level imports (those that run when a module is "
        "imported) as a whole. Reports the project once when the largest strongly connected "
        "component holds more than `max-component-share` (10%) of all modules and at least "
        "`min-component-size` (5) modules, or when the propagation cost (MacCormack et al.: "
        "the share of ordered module pairs where one reaches the other through imports, each "
        "module seeing itself) exceeds `max-propagation-cost` (0.5) in a project of at least "
        "`min-modules` (30) modules. The finding sits on line 1 of the top package's "
        "`__init__.py`; `extra` holds `modules`, `largest_component_size`, "
        "`largest_component_share`, `propagation_cost` and the component's members. The same "
        "metrics are in the JSON report's `summary.architecture`."
    ),
    why=(
        "When a large share of modules import each other in a cycle, none of them can be "
        "understood, tested or released without the rest: the structure has dissolved into "
        "a Big Ball of Mud. A high propagation cost means a change anywhere is likely to "
        "ripple everywhere, the cost MacCormack et al. measured in real products."
    ),
    example=(
        "# app/models.py imports app.views, app/views.py imports app.services,\n"
        "# app/services.py imports app.models ... 40 of 60 modules in one cycle"
    ),
    fix=(
        "Break the big component first: `archlint --select ARC101` lists its cycles and the "
        "imports to cut. Move shared types down into a small core package, invert "
        "dependencies with interfaces (protocols) at package borders, and declare layers "
        "(ARC5xx) so the tangle cannot grow back."
    ),
    options=TangledOptions,
    options_table="tangled-architecture",
)
