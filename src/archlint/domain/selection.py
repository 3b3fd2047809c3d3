"""Which rules run, with flake8/ruff semantics: the longest matching prefix decides,
an exact code beats a prefix, and on a tie ``ignore`` wins."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from archlint.domain.rule import RuleMeta

ALL = "ALL"


def _longest(code: str, prefixes: Iterable[str]) -> int:
    best = -1
    for prefix in prefixes:
        if prefix == ALL:
            best = max(best, 0)
        elif code.startswith(prefix):
            best = max(best, len(prefix))
    return best


@dataclass(frozen=True, kw_only=True)
class Selection:
    """The user's select/ignore choices, as codes or code prefixes."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()

    def enabled(self, meta: RuleMeta) -> bool:
        """Whether the rule described by ``meta`` runs.

        Rules that are off by default (``default_enabled=False``) run only when their
        exact code is selected: a prefix such as ``ARC3`` does not turn them on."""
        base = self.select if self.select is not None else (ALL,)
        selected = base + self.extend_select
        if meta.default_enabled:
            chosen = _longest(meta.code, selected)
        else:
            chosen = len(meta.code) if meta.code in selected else -1
        return chosen >= 0 and chosen > _longest(meta.code, self.ignore)

    def codes_enabled(self, metas: Sequence[RuleMeta]) -> frozenset[str]:
        """The codes of the rules in ``metas`` that run."""
        return frozenset(meta.code for meta in metas if self.enabled(meta))


def matches(code: str, patterns: Iterable[str]) -> bool:
    """Whether ``code`` is named by one of ``patterns`` (codes, prefixes or ``ALL``)."""
    return _longest(code, patterns) >= 0


def unknown_patterns(patterns: Iterable[str], codes: Iterable[str]) -> list[str]:
    """The patterns that name no known rule code."""
    known = list(codes)
    return [p for p in patterns if p != ALL and not any(code.startswith(p) for code in known)]
