"""The one explicit list of rules. A new rule family adds its module, and its metadata and
options in ``rules/catalog/`` (listed in ``catalog.RULES``).

The registry holds each rule's metadata (from :mod:`archlint.rules.catalog`) and where its
implementation lives: a run whose results all come from the memo never imports a rule
module, nor the domain code only checks need (graph algorithms, import simulation,
coupling and architecture metrics). :class:`LazyRule` imports the implementation on the
first instance."""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar, cast

from archlint.domain.finding import Finding
from archlint.domain.project import Project
from archlint.domain.rule import Rule, RuleMeta
from archlint.rules.catalog import RULES


class LazyRule(Rule):
    """A registry entry: the rule's metadata; its implementation (``target``, "module:Class")
    is imported when an instance is made, and does the work."""

    target: ClassVar[str]

    def __init__(self) -> None:
        self.rule = self.implementation()()

    @classmethod
    def implementation(cls) -> type[Rule]:
        """The rule class itself (imports its module)."""
        module, _, name = cls.target.partition(":")
        rule: type[Rule] = getattr(importlib.import_module(module), name)
        if rule.meta is not cls.meta:
            raise TypeError(f"{cls.target} does not carry the metadata of {cls.meta.code}")
        return rule

    def check(self, project: Project, options: Any) -> Iterator[Finding]:
        """The implementation's findings."""
        return self.rule.check(project, options)

    def notes(self, project: Project, options: Any) -> Iterator[str]:
        """The implementation's notes."""
        return self.rule.notes(project, options)


def _lazy(meta: RuleMeta, target: str) -> type[Rule]:
    attributes = {"meta": meta, "target": f"archlint.rules.{target}", "__doc__": meta.summary}
    return cast("type[Rule]", type(target.partition(":")[2], (LazyRule,), attributes))


ALL_RULES: tuple[type[Rule], ...] = tuple(_lazy(meta, target) for meta, target in RULES)
"""Every rule, as :class:`LazyRule` entries (``entry.implementation()`` is the rule class)."""


def rule_metas() -> list[RuleMeta]:
    """Metadata of every rule, sorted by code."""
    return sorted((rule.meta for rule in ALL_RULES), key=lambda meta: meta.code)


def get_rule(code: str) -> type[Rule] | None:
    """The rule with ``code`` (case-insensitive), or its name, if any."""
    wanted = code.upper()
    for rule in ALL_RULES:
        if rule.meta.code == wanted or rule.meta.name == code.lower():
            return rule
    return None


def option_tables() -> Mapping[str, type]:
    """``[tool.archlint.<table>]`` name -> options dataclass, for config validation."""
    tables: dict[str, type] = {}
    for rule in ALL_RULES:
        meta = rule.meta
        if meta.options_table and meta.options is not None:
            known = tables.setdefault(meta.options_table, meta.options)
            if known is not meta.options:
                raise TypeError(f"rules disagree on the options of [{meta.options_table}]")
    return tables


__all__ = ["ALL_RULES", "LazyRule", "get_rule", "option_tables", "rule_metas"]
