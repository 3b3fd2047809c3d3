"""The places a finding is about: its own line plus the related import lines it lists.

Graph findings (cycles, layer violations, private imports) sit on one import line and
list the other edges of their cycle or chain in ``extra``. By convention any mapping in
``extra`` (at any depth, inside lists or mappings) that has a string ``path`` and an
integer ``line`` is a related location. Suppressions on those lines and ``--diff``'s
changed files both look at them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from archlint.domain.finding import Finding

_MAX_DEPTH = 8


def _collect(value: Any, depth: int, found: list[tuple[str, int]]) -> None:
    """Append the related locations in ``value`` to ``found`` (depth first)."""
    if depth > _MAX_DEPTH:
        return
    if type(value) is dict or isinstance(value, Mapping):
        path = value.get("path")
        line = value.get("line")
        if isinstance(path, str) and isinstance(line, int) and not isinstance(line, bool):
            found.append((path, line))
        items = value.values()
    elif isinstance(value, (list, tuple)):
        items = value
    else:
        return
    for item in items:
        if type(item) in _PLAIN:
            continue
        if isinstance(item, _NESTED):
            _collect(item, depth + 1, found)


_NESTED = (Mapping, list, tuple)
_PLAIN = frozenset({str, int, float, bool, type(None)})
"""Types that are never nested (checked first: an ``isinstance`` against ``Mapping`` is slow)."""


def related_locations(finding: Finding) -> tuple[tuple[str, int], ...]:
    """Sorted, distinct ``(path, line)`` pairs listed in the finding's ``extra``."""
    found: list[tuple[str, int]] = []
    _collect(finding.extra, 0, found)
    if len(found) < 2:
        return tuple(found)
    return tuple(sorted(set(found)))


def touched_paths(finding: Finding) -> frozenset[str]:
    """The finding's own path plus every path of its related locations."""
    return frozenset({finding.path, *(path for path, _ in related_locations(finding))})
