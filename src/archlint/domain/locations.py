"""The places a finding is about: its own line plus the related import lines it lists.

Graph findings (cycles, layer violations, private imports) sit on one import line and
list the other edges of their cycle or chain in ``extra``. By convention any mapping in
``extra`` (at any depth, inside lists or mappings) that has a string ``path`` and an
integer ``line`` is a related location. Suppressions on those lines and ``--diff``'s
changed files both look at them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from archlint.domain.finding import Finding

_MAX_DEPTH = 8


def _walk(value: Any, depth: int) -> Iterator[tuple[str, int]]:
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, Mapping):
        path = value.get("path")
        line = value.get("line")
        if isinstance(path, str) and isinstance(line, int) and not isinstance(line, bool):
            yield (path, line)
        for item in value.values():
            if isinstance(item, (Mapping, list, tuple)):
                yield from _walk(item, depth + 1)
    elif isinstance(value, (list, tuple)):
        for item in value:
            if isinstance(item, (Mapping, list, tuple)):
                yield from _walk(item, depth + 1)


def related_locations(finding: Finding) -> tuple[tuple[str, int], ...]:
    """Sorted, distinct ``(path, line)`` pairs listed in the finding's ``extra``."""
    return tuple(sorted(set(_walk(finding.extra, 0))))


def touched_paths(finding: Finding) -> frozenset[str]:
    """The finding's own path plus every path of its related locations."""
    return frozenset({finding.path, *(path for path, _ in related_locations(finding))})
