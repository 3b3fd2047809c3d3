"""What a rule is: metadata as data, typed options, and a pure ``check`` generator.

A rule never reads files and never renders output. It receives the read-only
:class:`~archlint.domain.project.Project` and its typed options, and yields
:class:`~archlint.domain.finding.Finding` objects built with :meth:`Rule.finding`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from archlint._construct import constructor
from archlint.domain.finding import Finding, Severity, make_fingerprint

if TYPE_CHECKING:
    from archlint.domain.project import Project


@dataclass(frozen=True, kw_only=True)
class RuleMeta:
    """Everything users read about a rule: the single source for ``archlint rule CODE``,
    ``docs/rules.md``, the README table and SARIF rule descriptors."""

    code: str
    name: str
    severity: Severity
    checklist: tuple[str, ...]
    summary: str
    what: str
    why: str
    example: str
    fix: str
    options: type | None = None
    options_table: str | None = None
    default_enabled: bool = True
    fix_safety: str = ""
    reads: frozenset[str] | None = None
    """The facts the rule reads: names of :class:`~archlint.domain.facts.FileFacts`
    fields (besides ``path``, ``module`` and ``is_package``, always read) and ``repo``
    for the repository facts. ``None`` means everything. Its results are reused while
    these facts are unchanged (``engine/incremental.py``), so a field read but not
    declared would make a warm run stale: a test runs every rule with the other
    fields blanked and compares."""
    per_file: bool = False
    """The findings on a file depend only on that file's facts (and the options): the
    rule can run on any subset of files, and re-runs only on the files that changed."""


ALL_READS: frozenset[str] = frozenset(
    {"imports", "error", "lines", "suppressions", "classes", "module_stats", "cycle_facts", "api", "checklist", "repo"}
)
"""Every fact a rule can read (:attr:`RuleMeta.reads`)."""


@dataclass(frozen=True)
class NoOptions:
    """Options of a rule that has none."""


class Rule:
    """Base class of every rule. Subclasses set ``meta`` and implement :meth:`check`."""

    meta: ClassVar[RuleMeta]

    def check(self, project: Project, options: Any) -> Iterator[Finding]:
        """Yield the findings of this rule on ``project``."""
        raise NotImplementedError

    def notes(self, project: Project, options: Any) -> Iterator[str]:
        """Lines about the run itself for the summary (none by default)."""
        return iter(())

    def finding(
        self,
        *,
        path: str,
        line: int,
        column: int = 1,
        message: str,
        identity: str,
        end_line: int | None = None,
        end_column: int | None = None,
        extra: Mapping[str, Any] | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        """Build a finding of this rule. ``identity`` is the finding's own content
        (module names of a cycle, a class qualname...) from which the fingerprint is made."""
        meta = self.meta
        return _build_finding(
            code=meta.code,
            name=meta.name,
            message=message,
            path=path,
            line=line if line > 1 else 1,
            column=column if column > 1 else 1,
            end_line=end_line,
            end_column=end_column,
            severity=severity or meta.severity,
            checklist=meta.checklist,
            fingerprint=make_fingerprint(meta.code, path, identity),
            extra=dict(extra) if extra else {},
        )


_build_finding = constructor(Finding)
"""``Finding(...)`` without the frozen ``__init__``'s twelve ``object.__setattr__``
calls, half the cost of :meth:`Rule.finding`, which runs once per finding (twelve
thousand on Django); ``Finding`` itself should it ever validate (a test checks which)."""


def option_docs(options: type) -> list[tuple[str, str, Any, str]]:
    """(toml key, type name, default, doc) for each field of an options dataclass.

    Fields document themselves with ``metadata={"doc": "..."}``; the TOML key is the
    field name in kebab-case."""
    rows: list[tuple[str, str, Any, str]] = []
    for item in dataclasses.fields(options):
        default: Any = item.default
        if item.default_factory is not dataclasses.MISSING:
            default = item.default_factory()
        type_name = item.type if isinstance(item.type, str) else getattr(item.type, "__name__", str(item.type))
        rows.append((item.name.replace("_", "-"), str(type_name), default, str(item.metadata.get("doc", ""))))
    return rows
