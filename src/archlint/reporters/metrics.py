"""Renderers of ``archlint metrics`` tables: aligned text, JSON and CSV."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from archlint._version import __version__

if TYPE_CHECKING:  # the CLI imports this module for its format names; the tables load with a run
    from archlint.domain.metrics import Column, MetricTable, Value

METRICS_JSON_VERSION = 1


def _cell(value: Value, column: Column) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{column.digits}f}" if column.digits else f"{value:g}"
    return str(value)


def render_table(table: MetricTable) -> str:
    """Aligned columns, subject first, worst first; a closing line says how many rows."""
    header = [table.level, "path:line", *(column.title for column in table.columns)]
    body = [
        [row.subject.key, f"{row.subject.path}:{row.subject.line}", *(_cell(v, c) for v, c in zip(row.values, table.columns))]
        for row in table.rows
    ]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    lines = []
    for line in [header, *body]:
        cells = [line[0].ljust(widths[0]), line[1].ljust(widths[1])]
        cells += [cell.rjust(width) for cell, width in zip(line[2:], widths[2:])]
        lines.append("  ".join(cells).rstrip())
    shown = len(table.rows)
    sort = ", ".join(table.sort)
    more = f" of {table.total}" if shown < table.total else ""
    lines.append(f"{shown}{more} {table.level} rows, worst first by {sort}")
    return "\n".join(lines) + "\n"


def _json_value(value: Value) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    return value


def as_data(table: MetricTable) -> dict[str, Any]:
    """The table as plain data: columns with their meaning, then one object per row."""
    return {
        "version": METRICS_JSON_VERSION,
        "tool": {"name": "archlint", "version": __version__},
        "level": table.level,
        "sort": list(table.sort),
        "total": table.total,
        "columns": [
            {"key": c.key, "title": c.title, "doc": c.doc, "higher_is_worse": c.higher_is_worse} for c in table.columns
        ],
        "rows": [
            {
                "name": row.subject.key,
                "path": row.subject.path,
                "line": row.subject.line,
                "metrics": {c.key: _json_value(v) for c, v in zip(table.columns, row.values)},
            }
            for row in table.rows
        ],
    }


def render_json(table: MetricTable) -> str:
    """The table as JSON (see :func:`as_data`)."""
    return json.dumps(as_data(table), indent=2) + "\n"


def render_csv(table: MetricTable) -> str:
    """The table as CSV: ``name,path,line`` then one column per metric (empty when n/a)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "path", "line", *(c.key for c in table.columns)])
    for row in table.rows:
        cells = ["" if v is None else _json_value(v) for v in row.values]
        writer.writerow([row.subject.key, row.subject.path, row.subject.line, *cells])
    return out.getvalue()


METRICS_RENDERERS: dict[str, Callable[[MetricTable], str]] = {
    "table": render_table,
    "json": render_json,
    "csv": render_csv,
}

__all__ = ["METRICS_RENDERERS", "as_data", "render_csv", "render_json", "render_table"]
