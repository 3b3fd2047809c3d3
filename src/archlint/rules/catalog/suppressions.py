"""Metadata and options of the rules in :mod:`archlint.rules.suppressions` (UnusedSuppressionRule, SuppressionWithoutReason).

Light on purpose: the registry imports it on every run; the implementation is imported
only when a rule runs (``archlint.rules.LazyRule``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from archlint.domain.finding import Severity
from archlint.domain.rule import NoOptions, RuleMeta


@dataclass(frozen=True, kw_only=True)
class SuppressionOptions:
    """``[tool.archlint.suppressions]``."""

    require_reason: bool = field(
        default=False,
        metadata={"doc": "ARC003: report every suppression comment without a reason after `--`."},
    )


UNUSED_SUPPRESSION_RULE = RuleMeta(
    code="ARC002",
    reads=frozenset(),
    name="unused-suppression",
    severity=Severity.INFO,
    checklist=("Consistent patterns", "Simple to understand"),
    summary="A suppression comment silenced nothing (or names a code that is not a rule).",
    what=(
        "Reports an `# archlint: ignore[...]`, `# archlint: ignore-file[...]` or "
        "`# noqa: ARC...` comment that silenced no finding in this run, the codes of a "
        "multi-code suppression that silenced nothing while others did, and codes that "
        "name no rule at all. A suppression on an import line that marks an accepted "
        "cycle edge counts as used. A code is judged only when every rule it names ran, "
        "and a bare `# archlint: ignore` only when every default rule ran, so running a "
        "subset of rules (`--select`) never makes a needed suppression look dead."
    ),
    why=(
        "Suppressions outlive the code they were written for: after a refactoring the "
        "cycle is gone but the ignore stays, and later silences a new, unrelated finding "
        "on the same line. Dead ignores pile up and teach readers that the comments mean "
        "nothing."
    ),
    example=(
        "from app import models  # archlint: ignore[ARC101]  (no cycle any more)\n"
        "x = 1  # noqa: ARC999"
    ),
    fix=(
        "Delete the comment, or the codes it lists that silence nothing. To keep a "
        "suppression on purpose, silence this finding with a second suppression that "
        "names ARC002 explicitly: a bare ignore cannot hide it."
    ),
    options=NoOptions,
)


SUPPRESSION_WITHOUT_REASON = RuleMeta(
    code="ARC003",
    reads=frozenset({"suppressions"}),
    per_file=True,
    name="suppression-without-reason",
    severity=Severity.WARNING,
    checklist=("Audit trail", "Architecture Decision Records"),
    summary="A suppression comment gives no reason (only with `require-reason = true`).",
    what=(
        "When `[tool.archlint.suppressions] require-reason = true`, reports every inline "
        "suppression (`# archlint: ignore...`, `# noqa: ARC...`) that has no reason after "
        "`--`. Off by configuration (the rule runs but finds nothing) until a team opts in."
    ),
    why=(
        "A suppression accepts a red flag on purpose. Without the why, the next reader "
        "cannot tell a deliberate, reviewed decision from a shortcut, and nobody knows "
        "when the reason has gone away."
    ),
    example="from app import plugins  # archlint: ignore[ARC101]",
    fix=(
        "Say why after `--`: `from app import plugins  # archlint: ignore[ARC101] -- "
        "plugin registry must import every plugin at start-up`."
    ),
    options=SuppressionOptions,
    options_table="suppressions",
)
