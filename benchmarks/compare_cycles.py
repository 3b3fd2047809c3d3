"""Check ARC101 and ARC104 against independent sources on a real project.

1. ARC101 members vs strongly connected components computed by networkx over the graph
   grimp builds itself (``grimp.build_graph``, type-checking imports excluded), restricted
   to module-level imports by an independent ``ast`` pass in this script.
2. ARC104 entries vs reality: every member of every ARC101 component is imported in a
   fresh interpreter of ``--python`` (a throwaway venv where the project is installed);
   an entry really crashes when the error says "circular import" / "partially initialized".

Usage (never run this on code you do not trust: step 2 imports it)::

    python benchmarks/compare_cycles.py /tmp/real/django_whl django --python /tmp/venv-dj/bin/python
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import grimp
import networkx as nx

from archlint import lint
from archlint.config import Settings


def function_spans(path: Path) -> list[tuple[int, int]]:
    """(first, last) line of every function body in ``path``."""
    try:
        tree = ast.parse(path.read_bytes())
    except (SyntaxError, ValueError):
        return []
    return [
        (node.lineno, node.end_lineno or node.lineno)
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
    ]


def grimp_components(root: Path, package: str) -> list[list[str]]:
    """networkx SCCs over grimp's own graph, module-level imports only."""
    sys.path.insert(0, str(root))
    graph = grimp.build_graph(package, exclude_type_checking_imports=True, cache_dir=None)
    spans: dict[str, list[tuple[int, int]]] = {}
    digraph = nx.DiGraph()
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            details = graph.get_import_details(importer=importer, imported=imported)
            rel = importer.replace(".", "/")
            path = root / f"{rel}/__init__.py"
            if not path.is_file():
                path = root / f"{rel}.py"
            if importer not in spans:
                spans[importer] = function_spans(path)
            module_level = [d for d in details if not any(a < d["line_number"] <= b for a, b in spans[importer])]
            if module_level:
                digraph.add_edge(importer, imported)
    return sorted(sorted(c) for c in nx.strongly_connected_components(digraph) if len(c) > 1)


_FILE = re.compile(r'File "(?P<path>[^"]+)", line (?P<line>\d+)')
_NAME = re.compile(
    r"cannot import name '(?P<name>[^']+)' from partially initialized module '(?P<module>[^']+)'"
    r"|partially initialized module '(?P<amodule>[^']+)' has no attribute '(?P<aname>[^']+)'"
)


def really_crashes(python: str, modules: Iterable[str], cwd: Path) -> tuple[dict[str, str], dict[str, str]]:
    """module -> outcome (``ok``, ``circular``, ``other: <error>``) of ``import module``,
    and module -> ``path-tail:line name module`` of each circular crash."""
    outcome: dict[str, str] = {}
    where: dict[str, str] = {}
    for module in sorted(modules):
        result = subprocess.run([python, "-B", "-c", f"import {module}"], cwd=cwd, capture_output=True, text=True, timeout=120)
        last = (result.stderr.strip().splitlines() or [""])[-1]
        if result.returncode == 0:
            outcome[module] = "ok"
        elif "circular import" in last or "partially initialized" in last:
            outcome[module] = "circular"
            frames = _FILE.findall(result.stderr)
            named = _NAME.search(last)
            if frames and named:
                path, line = frames[-1]
                tail = "/".join(Path(path).parts[-3:])
                name = named.group("name") or named.group("aname")
                where[module] = f"{tail}:{line} {name} {named.group('module') or named.group('amodule')}"
        else:
            outcome[module] = f"other: {last[:120]}"
    return outcome, where


def main() -> None:
    """Print the comparison as JSON."""
    parser = argparse.ArgumentParser()
    parser.add_argument("root", type=Path, help="folder containing the top-level package")
    parser.add_argument("package")
    parser.add_argument("--python", help="interpreter with the project installed, for the ARC104 check")
    args = parser.parse_args()
    root = args.root.resolve()
    report = lint([args.package], cwd=str(root), settings=Settings(root=str(root)), use_cache=False, select=["ARC101", "ARC104"])
    ours = sorted(f.extra["modules"] for f in report.findings if f.code == "ARC101")
    theirs = grimp_components(root, args.package)
    result: dict[str, object] = {
        "arc101_components": len(ours),
        "arc101_modules": sum(map(len, ours)),
        "networkx_components": len(theirs),
        "networkx_modules": sum(map(len, theirs)),
        "identical": ours == theirs,
        "only_archlint": [c for c in ours if c not in theirs],
        "only_networkx": [c for c in theirs if c not in ours],
    }
    if args.python:
        predicted = sorted({e for f in report.findings if f.code == "ARC104" for e in f.extra["entries"]})
        members = sorted({m for c in ours for m in c})
        outcome, where = really_crashes(args.python, members, Path("/tmp"))
        predicted_where = {
            entry: f"{'/'.join(Path(f.path).parts[-3:])}:{f.line} {f.extra['name']} {f.extra['module']}"
            for f in report.findings
            if f.code == "ARC104"
            for entry in f.extra["entries"]
        }
        circular = sorted(m for m, o in outcome.items() if o == "circular")
        other = sorted(m for m, o in outcome.items() if o.startswith("other"))
        result.update(
            {
                "entries_tried": len(members),
                "arc104_findings": sum(1 for f in report.findings if f.code == "ARC104"),
                "predicted_crashing_entries": predicted,
                "python_circular_entries": circular,
                "true_positives": sorted(set(predicted) & set(circular)),
                "false_positives": sorted(set(predicted) - set(circular)),
                "missed": sorted(set(circular) - set(predicted)),
                "same_line_name_and_module": sorted(e for e in predicted if where.get(e) == predicted_where[e]),
                "different_crash_site": {e: [predicted_where[e], where.get(e)] for e in predicted if e in where and where[e] != predicted_where[e]},
                "other_errors": {m: outcome[m] for m in other},
            }
        )
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
