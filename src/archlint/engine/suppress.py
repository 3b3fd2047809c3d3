"""The suppression stage, after the rules: silence findings, then report dead suppressions.

Order: ordinary findings are matched against the inline suppressions (their own line,
file-level, related import lines), recording which suppressions were used; suppressions
on accepted cycle edges count as used too (``domain/cycles.py::accepted_import_lines``);
ARC002 findings are built for the suppressions that silenced nothing; finally the
findings about suppressions (ARC002, ARC003) go through the suppressions once more,
where only an explicit code can silence them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a run whose outcome comes from the cache never gets here
    from archlint.domain.finding import Finding
    from archlint.domain.project import Project
    from archlint.domain.rule import Rule
    from archlint.domain.selection import Selection

_CYCLE_CODES = ("ARC101", "ARC102", "ARC103")


@dataclass(frozen=True)
class SuppressionOutcome:
    """What the suppression stage kept, and how many findings it silenced."""

    kept: list[Finding]
    silenced: int


def apply_suppressions(
    project: Project,
    findings: Sequence[Finding],
    *,
    rules: Sequence[type[Rule]],
    selection: Selection,
    keep: Callable[[Finding], bool] = lambda finding: True,
    accepted: Callable[[str], frozenset[tuple[str, int]]],
) -> SuppressionOutcome:
    """Silence suppressed findings and add ARC002 findings for dead suppressions.

    ``keep`` filters the findings this stage creates (``per-file-ignores``). Only the
    files' suppressions and imports are read; ``accepted(code)`` gives the import lines
    whose suppression accepts an edge of a ``code`` cycle
    (:func:`archlint.domain.cycles.accepted_import_lines`; the runner passes a memoised one)."""
    from archlint.domain.suppression import META_CODES, SuppressionUsage, split_suppressed, unused_suppressions
    from archlint.rules.catalog.suppressions import UNUSED_SUPPRESSION_RULE

    files = {f.path: f for f in project.files}
    enabled = selection.codes_enabled([rule.meta for rule in rules])
    usage = SuppressionUsage()
    regular = [f for f in findings if f.code not in META_CODES]
    meta = [f for f in findings if f.code in META_CODES]
    if not any(f.suppressions for f in project.files):  # nothing can silence anything
        return SuppressionOutcome(kept=regular + meta, silenced=0)
    kept, silenced = split_suppressed(regular, files, usage)
    for code in _CYCLE_CODES:
        if code in enabled:
            usage.mark_lines(code, sorted(accepted(code)), files)
    reporter = next((rule for rule in rules if rule.meta is UNUSED_SUPPRESSION_RULE), None)
    if reporter is not None and reporter.meta.code in enabled:
        everything = all(rule.meta.code in enabled for rule in rules if rule.meta.default_enabled)
        unused = unused_suppressions(
            project.files,
            usage,
            known_codes=[rule.meta.code for rule in rules],
            enabled_codes=enabled,
            everything_enabled=everything,
        )
        from archlint.rules.suppressions import UnusedSuppressionRule  # its module loads only to report

        instance = UnusedSuppressionRule()
        meta.extend(item for item in (instance.report(u) for u in unused) if keep(item))
    meta_kept, meta_silenced = split_suppressed(meta, files, usage)
    return SuppressionOutcome(kept=kept + meta_kept, silenced=len(silenced) + len(meta_silenced))
