"""One renderer per output format. Each turns a :class:`Report` into a string.

A run renders one format (two or three with ``-o``), so a reporter's module is imported
the first time its renderer is looked up in :data:`REPORTERS`, never at import: the
checklist, JUnit (``xml``) and SARIF reporters cost startup time a text run never uses."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from archlint.domain.report import Report

Renderer = Callable[["Report"], str]

_MODULES: Mapping[str, str] = {
    "text": "text",
    "json": "json_report",
    "sarif": "sarif",
    "github": "github",
    "gitlab": "gitlab",
    "junit": "junit",
    "checklist": "checklist",
}
"""Format name -> the module of this package whose ``render`` draws it."""


class _Reporters(Mapping[str, Renderer]):
    """Format name -> renderer; a reporter's module loads on its first look-up."""

    def __getitem__(self, name: str) -> Renderer:
        render: Renderer = import_module(f"{__name__}.{_MODULES[name]}").render
        return render

    def __iter__(self) -> Iterator[str]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)


REPORTERS: Mapping[str, Renderer] = _Reporters()

__all__ = ["REPORTERS", "Renderer"]
