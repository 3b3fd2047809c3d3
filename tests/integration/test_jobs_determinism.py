"""Issue 9: the report is identical whatever the number of worker processes.

A synthetic project from ``benchmarks/generate.py`` (above the in-process threshold, so
``--jobs 2`` and ``--jobs 8`` really use the pool) is linted with 1, 2 and 8 jobs; the
JSON reports must be equal except for the duration."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from archlint import lint
from archlint.config.schema import Settings
from archlint.engine import workers
from archlint.reporters import json_report

GENERATOR = Path(__file__).resolve().parents[2] / "benchmarks" / "generate.py"


def _report(root: Path, jobs: int) -> dict[str, Any]:
    report = lint(["."], cwd=str(root), settings=Settings(root=str(root)), use_cache=False, jobs=jobs)
    data = json.loads(json_report.render(report))
    data.pop("duration_s", None)
    data.get("summary", {}).pop("duration_s", None)
    return data


def test_jobs_1_2_and_8_give_the_same_report(tmp_path: Path) -> None:
    root = tmp_path / "synthetic"
    modules = workers.PARALLEL_THRESHOLD + 56
    subprocess.run(
        [sys.executable, str(GENERATOR), str(root), "--modules", str(modules), "--imports", str(modules * 8)],
        check=True,
        capture_output=True,
    )
    single = _report(root, 1)
    assert single["findings"], "the synthetic project should produce findings"
    assert _report(root, 2) == single
    assert _report(root, 8) == single
