"""One renderer per output format. Each turns a :class:`Report` into a string."""

from __future__ import annotations

from collections.abc import Callable

from archlint.domain.report import Report
from archlint.reporters import checklist, github, gitlab, json_report, junit, sarif, text

Renderer = Callable[[Report], str]

REPORTERS: dict[str, Renderer] = {
    "text": text.render,
    "json": json_report.render,
    "sarif": sarif.render,
    "github": github.render,
    "gitlab": gitlab.render,
    "junit": junit.render,
    "checklist": checklist.render,
}

__all__ = ["REPORTERS", "Renderer"]
