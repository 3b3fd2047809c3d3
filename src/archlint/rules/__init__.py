"""The one explicit list of rules. A new rule family adds its module here."""

from __future__ import annotations

from collections.abc import Mapping

from archlint.domain.rule import Rule, RuleMeta
from archlint.rules.checklist_family import CHECKLIST_RULES
from archlint.rules.coupling import COUPLING_RULES
from archlint.rules.cycles import CYCLE_RULES
from archlint.rules.god_objects import GodClass, GodModule, LargeClass
from archlint.rules.layers import LAYER_RULES
from archlint.rules.parse_errors import UnparsableFile
from archlint.rules.suppressions import SuppressionWithoutReason, UnusedSuppressionRule
from archlint.rules.type_hints import LowAnnotationCoverage, MissingParamAnnotation, MissingReturnAnnotation

ALL_RULES: tuple[type[Rule], ...] = (
    UnparsableFile,
    UnusedSuppressionRule,
    SuppressionWithoutReason,
    GodClass,
    LargeClass,
    GodModule,
    MissingParamAnnotation,
    MissingReturnAnnotation,
    LowAnnotationCoverage,
    *COUPLING_RULES,
    *LAYER_RULES,
    *CYCLE_RULES,
    *CHECKLIST_RULES,
)


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


__all__ = ["ALL_RULES", "get_rule", "option_tables", "rule_metas"]
