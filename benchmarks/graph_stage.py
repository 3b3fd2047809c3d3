"""Time the import-graph stage against parsing, on a synthetic project.

Generates (deterministically, see ``generate.py``) a project of ``--modules`` modules
with ``--imports`` first-party imports, then measures on one core:

* ``ast.parse`` of every file (the floor of any analysis),
* fact extraction (one parse plus every collector, what ``archlint`` does per file),
* the graph stage: import resolution into the project graph, strongly connected
  components, representative cycles and cut suggestions (ARC101, ARC102), package
  lifting (ARC103), and separately the import-order replay (ARC104).

    python benchmarks/graph_stage.py --modules 10000 --imports 100000
"""

from __future__ import annotations

import argparse
import ast
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import Spec, generate  # noqa: E402

from archlint.domain.project import Project  # noqa: E402
from archlint.engine.discovery import discover  # noqa: E402
from archlint.engine.extract import extract  # noqa: E402
from archlint.rules.cycles import (  # noqa: E402
    CycleOptions,
    DeferredImportCycle,
    ImportCycle,
    ImportTimeCrash,
    PackageCycle,
)


def _time(label: str, timings: dict[str, float], func: object) -> object:
    started = time.perf_counter()
    result = func()  # type: ignore[operator]
    timings[label] = time.perf_counter() - started
    return result


def main() -> None:
    """Generate, measure, print the figures and ratios."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=Path, default=Path("/tmp/archlint-bench/synth"))
    parser.add_argument("--modules", type=int, default=10000)
    parser.add_argument("--imports", type=int, default=100000)
    parser.add_argument("--cycle-density", type=float, default=0.02)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    spec = Spec(modules=args.modules, imports=args.imports, cycle_density=args.cycle_density, seed=args.seed)
    stats = generate(args.root, spec)
    files = discover([str(args.root)], cwd=str(args.root))
    sources = [(f, Path(f.abspath).read_bytes()) for f in files]
    timings: dict[str, float] = {}
    _time("ast.parse", timings, lambda: [ast.parse(src) for _, src in sources])
    facts = _time(
        "extract", timings, lambda: [extract(src, path=f.path, module=f.module, is_package=f.is_package) for f, src in sources]
    )
    project = Project(facts)  # type: ignore[arg-type]
    options = CycleOptions()
    graph = _time("graph: resolve", timings, lambda: project.graph)
    found: dict[str, list[object]] = {}
    for rule in (ImportCycle, DeferredImportCycle, PackageCycle, ImportTimeCrash):
        code = rule.meta.code
        found[code] = _time(f"graph: {code}", timings, lambda rule=rule: list(rule().check(project, options)))  # type: ignore[misc]
    edges = len(graph.edges)  # type: ignore[attr-defined]
    graph_stage = sum(v for k, v in timings.items() if k.startswith("graph:") and "ARC104" not in k)
    print(f"project: {stats.files} files, {stats.imports} imports generated, {edges} graph edges, {stats.lines} lines")
    for label, seconds in timings.items():
        print(f"  {label:<16} {seconds:8.2f} s")
    for code, items in found.items():
        sizes = sorted((len(f.extra["modules"]) for f in items if "modules" in f.extra), reverse=True)[:3]  # type: ignore[attr-defined]
        print(f"  {code}: {len(items)} findings, largest components {sizes}")
    print(f"graph stage (resolve + ARC101-103) / ast.parse = {graph_stage / timings['ast.parse']:.2f}")
    print(f"graph stage (resolve + ARC101-103) / extract   = {graph_stage / timings['extract']:.2f}")
    print(f"ARC104 replay / extract                         = {timings['graph: ARC104'] / timings['extract']:.2f}")


if __name__ == "__main__":
    main()
