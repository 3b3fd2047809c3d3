"""Adoption filters after suppressions: the baseline, then changed-files mode (``--diff``).

The whole project is always analysed (cycles need the whole graph); these only narrow
what is reported. The baseline is applied to every finding first, so its fixed count
does not depend on ``--diff``."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from archlint.domain.finding import Finding, sort_findings

if TYPE_CHECKING:  # imported where used: most runs have neither a baseline nor --diff
    from archlint.domain.baseline import Baseline, BaselineEntry, BaselineOutcome


@dataclass(frozen=True)
class Narrowed:
    """The findings left to report, and what the baseline did."""

    findings: list[Finding]
    baseline: BaselineOutcome | None
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def in_changed_files(finding: Finding, changed: Collection[Path], cwd: Path) -> bool:
    """Whether ``finding`` sits in a changed file or lists an import line of one
    (a cycle or layer violation that includes a changed import)."""
    from archlint.domain.locations import touched_paths

    return any((cwd / path).resolve() in changed for path in touched_paths(finding))


def narrow(
    findings: Sequence[Finding],
    *,
    baseline: Baseline | None,
    changed: Collection[Path] | None,
    cwd: Path,
    enabled_codes: Collection[str],
    analysed_paths: Collection[str],
    presorted: bool = False,
) -> Narrowed:
    """Apply the baseline (when given), then keep only findings touching ``changed`` files.

    ``presorted``: ``findings`` are already in canonical order without duplicates."""
    kept = list(findings) if presorted else sort_findings(list(findings))
    outcome: BaselineOutcome | None = None
    warnings: list[str] = []
    if baseline is not None:
        from archlint.domain.baseline import apply_baseline

        if baseline.entries and not any((cwd / entry.path).exists() for entry in baseline.entries):
            warnings.append(
                "no file named in the baseline exists relative to the working directory: run archlint "
                "from the directory the baseline was written in (its paths are relative to it)"
            )

        def judged(entry: BaselineEntry) -> bool:
            """An entry is fixed when its rule ran and its file was analysed or is gone."""
            if entry.code not in enabled_codes:
                return False
            return entry.path in analysed_paths or not (cwd / entry.path).exists()

        outcome = apply_baseline(kept, baseline, judged=judged)
        kept = list(outcome.findings)
    notes: list[str] = []
    if changed is not None:
        kept = [f for f in kept if in_changed_files(f, changed, cwd)]
        count = sum(1 for path in changed if path.suffix == ".py")
        notes.append(
            f"changed-files mode: only findings touching the {count} changed Python "
            f"file{'' if count == 1 else 's'} are reported (the whole project was analysed)"
        )
    if outcome is not None:  # filtering alone keeps the canonical order
        kept = sort_findings(kept)
    return Narrowed(findings=kept, baseline=outcome, warnings=tuple(warnings), notes=tuple(notes))
