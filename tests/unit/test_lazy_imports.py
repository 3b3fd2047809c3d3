"""Importing the CLI (and linting a small project) must not load the heavy libraries.

A behavioural guarantee behind the startup target of issue 9: networkx, grimp and libcst
load only when a feature that needs them runs. Checked in a fresh interpreter, because
this test process has imported everything already."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("networkx", "grimp", "libcst")


def _loaded(code: str, cwd: Path | None = None) -> list[str]:
    script = f"import json, sys\n{code}\nprint(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=cwd)
    return list(json.loads(result.stdout.strip().splitlines()[-1]))


def test_importing_the_cli_loads_no_heavy_library() -> None:
    assert _loaded("import archlint.cli") == []


def test_importing_the_public_api_loads_no_heavy_library() -> None:
    assert _loaded("import archlint") == []


def test_linting_a_small_project_with_default_rules_loads_no_heavy_library(tmp_path: Path) -> None:
    for index in range(3):
        (tmp_path / f"m{index}.py").write_text(f"from m{(index + 1) % 3} import x\nx = {index}\n")
    # Run from the project (no configuration): declared layers contracts use grimp.
    assert _loaded("import archlint\narchlint.lint(['.'], use_cache=False)", cwd=tmp_path) == []
