"""ARC601: the "Big Ball of Mud" signal from the shape of the whole import graph.

The metrics come from :mod:`archlint.domain.architecture`; the defaults and their
reasons are in ``docs/adr/0012-checklist-rules.md``.
"""

from __future__ import annotations

from collections.abc import Iterator

from archlint.domain.architecture import anchor_file, architecture_metrics
from archlint.domain.finding import Finding
from archlint.domain.project import Project
from archlint.domain.rule import Rule
from archlint.rules.catalog.architecture import TANGLED_ARCHITECTURE, TangledOptions


class TangledArchitecture(Rule):
    """The whole import graph is one tangle."""

    meta = TANGLED_ARCHITECTURE

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
