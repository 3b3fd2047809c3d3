"""ARC601: the "Big Ball of Mud" signal from the shape of the whole import graph.

The metrics come from :mod:`archlint.domain.architecture`; the defaults and their
reasons are in ``docs/adr/0012-checklist-rules.md``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from archlint.domain.architecture import anchor_file, architecture_metrics
from archlint.domain.finding import Finding, Severity
from archlint.domain.project import Project
from archlint.domain.rule import Rule, RuleMeta


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


class TangledArchitecture(Rule):
    """The whole import graph is one tangle."""

    meta = RuleMeta(
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

    def check(self, project: Project, options: TangledOptions) -> Iterator[Finding]:
        """At most one finding for the whole project."""
        metrics = architecture_metrics(project)
        anchor = anchor_file(project)
        if anchor is None or not metrics.modules:
            return
        reasons: list[str] = []
        size = len(metrics.largest_component)
        if size >= options.min_component_size and metrics.largest_share > options.max_component_share:
            reasons.append(
                f"{size} of {metrics.modules} modules ({metrics.largest_share:.0%}) form one import-time "
                f"cycle component (limit {options.max_component_share:.0%})"
            )
        if metrics.modules >= options.min_modules and metrics.propagation_cost > options.max_propagation_cost:
            reasons.append(
                f"propagation cost is {metrics.propagation_cost:.0%} (limit {options.max_propagation_cost:.0%})"
            )
        if not reasons:
            return
        extra = {**metrics.to_dict(), "component": list(metrics.largest_component)}
        yield self.finding(
            path=anchor,
            line=1,
            message="tangled architecture (Big Ball of Mud): " + "; ".join(reasons),
            identity="tangled-architecture",
            extra=extra,
        )
