"""ARC002 and ARC003: findings about the inline suppressions themselves.

ARC003 is an ordinary rule: a pure ``check`` over the suppression facts. ARC002 needs
to know which suppressions silenced something, which only the post-rule suppression
stage (``engine/suppress.py``) can see: its ``check`` yields nothing and the stage builds
its findings through :meth:`Rule.finding`, so selection, ``per-file-ignores`` and
fingerprints work for it like for any rule (see ADR 0010)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from archlint.domain.facts import Suppression
from archlint.domain.finding import Finding, Severity
from archlint.domain.project import Project
from archlint.domain.rule import NoOptions, Rule, RuleMeta
from archlint.domain.suppression import UnusedSuppression as Unused


@dataclass(frozen=True, kw_only=True)
class SuppressionOptions:
    """``[tool.archlint.suppressions]``."""

    require_reason: bool = field(
        default=False,
        metadata={"doc": "ARC003: report every suppression comment without a reason after `--`."},
    )


def _subject(path: str, suppression: Suppression) -> dict[str, object]:
    return {
        "path": path,
        "line": suppression.line,
        "column": suppression.column,
        "codes": list(suppression.codes),
        "file_level": suppression.file_level,
        "style": suppression.style,
    }


def _shape(suppression: Suppression) -> str:
    kind = "ignore-file" if suppression.file_level else "ignore"
    return f"{suppression.style}:{kind}[{','.join(suppression.codes)}]"


class UnusedSuppressionRule(Rule):
    """A suppression comment that silenced nothing."""

    meta = RuleMeta(
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

    def check(self, project: Project, options: NoOptions) -> Iterator[Finding]:
        """Nothing by itself: the suppression stage reports through :meth:`report`."""
        del project, options
        return iter(())

    def report(self, item: Unused) -> Finding:
        """The ARC002 finding for one unused suppression."""
        s = item.suppression
        return self.finding(
            path=item.path,
            line=s.line,
            column=s.column,
            message=item.message(),
            identity=f"{_shape(s)}|unused={','.join(item.unused)}|unknown={','.join(item.unknown)}",
            extra={"suppression": _subject(item.path, s), "unused": list(item.unused), "unknown": list(item.unknown)},
        )


class SuppressionWithoutReason(Rule):
    """With ``require-reason = true``, a suppression comment must say why."""

    meta = RuleMeta(
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

    def check(self, project: Project, options: SuppressionOptions) -> Iterator[Finding]:
        """One finding per reasonless suppression, when reasons are required."""
        if not options.require_reason:
            return
        for facts in project.files:
            for s in facts.suppressions:
                if s.reason:
                    continue
                yield self.finding(
                    path=facts.path,
                    line=s.line,
                    column=s.column,
                    message="suppression without a reason: say why after `--` (require-reason = true)",
                    identity=_shape(s),
                    extra={"suppression": _subject(facts.path, s)},
                )
