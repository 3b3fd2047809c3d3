"""The result of one run: what the reporters render."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from archlint.domain.finding import Finding, Severity

if TYPE_CHECKING:  # annotations only: a run without a baseline never loads its module
    from archlint.domain.baseline import BaselineOutcome
    from archlint.domain.project import Project
    from archlint.domain.rule import RuleMeta


@dataclass(frozen=True)
class Report:
    """Sorted findings plus the figures summaries need."""

    findings: tuple[Finding, ...]
    project: Project
    files: int
    modules: int
    duration_s: float
    warnings: tuple[str, ...] = ()
    suppressed: int = 0
    rules: tuple[RuleMeta, ...] = ()
    """Metadata of the rules that ran (selected), sorted by code: SARIF rule descriptors,
    JUnit test cases and the checklist report's passed/failed items come from here."""
    notes: tuple[str, ...] = ()
    """What rules say about the run itself (e.g. which zero-config layering applied)."""
    baseline: BaselineOutcome | None = None
    """What the baseline did (``None`` when no baseline was used): matched, worsened, fixed."""
    rules_run: tuple[str, ...] = ()
    """Codes of the rules that ran in this run, in order; the others' results came from
    the cache because the facts they read were unchanged."""
    derive: Callable[[str, frozenset[str], Callable[[], Any]], Any] | None = field(
        default=None, compare=False, repr=False
    )
    """How :meth:`derived` values are remembered between runs (set by the engine when
    it has a cache)."""

    def derived(self, name: str, reads: frozenset[str], compute: Callable[[], Any]) -> Any:
        """A JSON value computed from the project for a reporter (the JSON summary's
        annotation coverage and architecture metrics): taken from the cache while the
        facts fields ``reads`` of every file are unchanged, else ``compute()``."""
        return compute() if self.derive is None else self.derive(name, reads, compute)

    def by_code(self) -> dict[str, int]:
        """Number of findings per rule code, sorted by code."""
        return dict(sorted(Counter(f.code for f in self.findings).items()))

    def by_severity(self) -> dict[Severity, int]:
        """Number of findings per severity (every severity present, possibly 0)."""
        counts = Counter(f.severity for f in self.findings)
        return {severity: counts.get(severity, 0) for severity in Severity}

    def failing(self, fail_on: Severity) -> list[Finding]:
        """Findings at or above ``fail_on``; ``info`` findings never fail."""
        failing = {s for s in Severity if s is not Severity.INFO and s.rank >= fail_on.rank}
        return [f for f in self.findings if f.severity in failing]
