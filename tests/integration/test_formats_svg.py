"""``archlint graph --format svg``: the dot rendering piped through Graphviz ``dot``.

A tiny fake ``dot`` on ``PATH`` makes the test deterministic whether or not Graphviz is
installed: it checks its arguments and wraps what it reads in an ``<svg>`` element, so the
test sees exactly which dot source archlint piped in. Without ``dot`` the command exits 2
with one clear line, before any analysis.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from archlint.api import graph
from archlint.reporters.svg import GraphvizError, to_svg
from harness import FIXTURES

SHARED = FIXTURES / "integrations" / "shared"

FAKE_DOT = """#!{python}
import sys
if sys.argv[1:] != ["-Tsvg"]:
    sys.stderr.write("fake dot: unexpected arguments %r\\n" % (sys.argv[1:],))
    sys.exit(3)
source = sys.stdin.read()
if "FAIL" in source:
    sys.stderr.write("Error: <stdin>: syntax error in line 1\\n")
    sys.exit(1)
sys.stdout.write('<svg xmlns="http://www.w3.org/2000/svg"><!--\\n' + source + '--></svg>\\n')
"""


def _fake_dot(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "dot"
    script.write_text(FAKE_DOT.format(python=sys.executable), encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return folder


def _graph_cli(args: list[str], path_env: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": path_env}
    return subprocess.run(
        [sys.executable, "-m", "archlint", "graph", "--no-cache", *args],
        cwd=SHARED,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_svg_pipes_the_dot_rendering_through_dot(tmp_path: Path) -> None:
    bin_dir = _fake_dot(tmp_path / "bin")
    result = _graph_cli(["--format", "svg", "."], f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    assert result.returncode == 0, result.stderr
    dot_source = graph(["."], fmt="dot", cwd=str(SHARED), use_cache=False)
    assert result.stdout == f'<svg xmlns="http://www.w3.org/2000/svg"><!--\n{dot_source}--></svg>\n'
    assert "app.core.models" in result.stdout


def test_svg_package_level(tmp_path: Path) -> None:
    bin_dir = _fake_dot(tmp_path / "bin")
    result = _graph_cli(["--format", "svg", "--level", "package", "."], f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    assert result.returncode == 0, result.stderr
    assert graph(["."], fmt="dot", level="package", cwd=str(SHARED), use_cache=False) in result.stdout


def test_svg_without_dot_is_one_clear_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = _graph_cli(["--format", "svg", "."], str(empty))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("archlint: error: --format svg needs Graphviz `dot` on PATH")
    assert "graphviz" in lines[0] and "--format dot" in lines[0]
    assert "Traceback" not in result.stderr


def test_svg_reports_a_failing_dot(tmp_path: Path) -> None:
    script = _fake_dot(tmp_path / "bin") / "dot"
    with pytest.raises(GraphvizError) as caught:
        to_svg("digraph FAIL {}", str(script))
    assert str(caught.value) == "Graphviz `dot` failed with exit code 1: Error: <stdin>: syntax error in line 1"


def test_a_dot_that_takes_too_long_gets_advice_not_a_hang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    slow = tmp_path / "slow-dot"
    slow.write_text(f"#!{sys.executable}\nimport time\ntime.sleep(30)\n")
    slow.chmod(slow.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr("archlint.reporters.svg.TIMEOUT_S", 0.3)
    with pytest.raises(GraphvizError, match=r"did not finish within 0.3 s on a graph of 2 edges: draw the package graph instead \(--level package\)"):
        to_svg("digraph { a -> b; b -> c; }", str(slow))
