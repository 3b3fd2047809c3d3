"""ARC002 and ARC003: findings about the inline suppressions themselves.

ARC003 is an ordinary rule: a pure ``check`` over the suppression facts. ARC002 needs
to know which suppressions silenced something, which only the post-rule suppression
stage (``engine/suppress.py``) can see: its ``check`` yields nothing and the stage builds
its findings through :meth:`Rule.finding`, so selection, ``per-file-ignores`` and
fingerprints work for it like for any rule (see ADR 0010)."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.domain.facts import Suppression
from archlint.domain.finding import Finding
from archlint.domain.project import Project
from archlint.domain.rule import NoOptions, Rule
from archlint.domain.suppression import UnusedSuppression as Unused
from archlint.rules.catalog.suppressions import SUPPRESSION_WITHOUT_REASON, UNUSED_SUPPRESSION_RULE, SuppressionOptions


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

    meta = UNUSED_SUPPRESSION_RULE

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

    meta = SUPPRESSION_WITHOUT_REASON

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
