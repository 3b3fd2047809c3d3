"""What every collector receives besides the tree."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SourceContext:
    """The decoded source of one file and its place in the project."""

    path: str
    module: str
    is_package: bool
    text: str
    lines: list[str]
