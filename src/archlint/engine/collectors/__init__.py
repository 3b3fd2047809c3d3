"""Fact collectors: each takes the one parsed tree of a file and returns some fields of
:class:`~archlint.domain.facts.FileFacts`. One module per rule family; the file is
parsed once, one pass splits its nodes by scope and type (``context.ScopeIndex``), and
each collector reads those lists, walking only the statements or the few expressions
whose order or context matters to it."""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

from archlint.engine.collectors import checklist, classes, cycles, functions, imports, suppressions
from archlint.engine.collectors.context import SourceContext

Collector = Callable[[ast.Module, SourceContext], dict[str, Any]]

COLLECTORS: tuple[Collector, ...] = (
    imports.collect,
    suppressions.collect,
    classes.collect,
    cycles.collect,
    functions.collect,
    checklist.collect,
)

__all__ = ["COLLECTORS", "Collector", "SourceContext"]
