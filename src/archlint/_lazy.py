"""Module attributes imported on first use (PEP 562), so that a command never loads
what it does not need (startup time: ``docs/adr/0014``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


def lazy_attributes(namespace: dict[str, Any], table: Mapping[str, str], module: str) -> Callable[[str], Any]:
    """A module-level ``__getattr__`` for ``module``: each name of ``table`` (name ->
    the module defining it) is imported on first use and kept in ``namespace`` (the
    module's globals), so later look-ups, and tests that patch it, see a plain attribute."""

    def __getattr__(name: str) -> Any:
        if name not in table:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        from importlib import import_module

        value = getattr(import_module(table[name]), name)
        namespace[name] = value
        return value

    return __getattr__
