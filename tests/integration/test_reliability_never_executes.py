"""Issue 10: archlint never imports or runs the code it analyses.

A generated project whose every module (``__init__.py``, plain modules, ``__main__.py``,
``setup.py``, ``conftest.py``, ``noxfile.py``, ``sitecustomize.py``, modules shadowing
archlint's own dependencies such as ``click.py`` and ``networkx.py``, a ``.pth``-looking
file, an ``import``-time cycle) writes a marker file and exits when imported. Every
archlint command runs on it as a subprocess from inside the project; afterwards no marker
exists. A test fails when a new command is added to the CLI without being listed here.

The console script is used, as in CI. ``python -m archlint`` puts the current folder
first on ``sys.path`` (Python's behaviour, before archlint runs), so a hostile checkout
could shadow a dependency: in an untrusted folder run ``archlint`` or
``python -P -m archlint`` (see the README's reliability section).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from archlint.cli import cli

ARCHLINT = Path(sys.executable).with_name("archlint")

COMMANDS: dict[str, list[list[str]]] = {
    "check": [
        ["."],
        ["check", "--no-cache", "--format", "json", "."],
        ["check", "--select", "ARC", "--format", "sarif", "."],
        ["check", "--fix", "."],
        ["check", "--write-baseline", "baseline.json", "."],
        ["check", "--baseline", "baseline.json", "."],
    ],
    "metrics": [["metrics", "."], ["metrics", "--level", "module", "--format", "json", "."], ["metrics", "--level", "package", "."]],
    "graph": [["graph", "."], ["graph", "--format", "json", "."], ["graph", "--format", "mermaid", "--level", "package", "."]],
    "rules": [["rules"]],
    "rule": [["rule", "ARC101"]],
}

PAYLOAD = """import os as _os
with open({marker!r}, "a") as _handle:
    _handle.write(__name__ + "\\n")
_os._exit(13)
"""


def _hostile_project(root: Path, marker: Path) -> None:
    payload = PAYLOAD.format(marker=str(marker))
    files = {
        "pkg/__init__.py": payload + "from pkg import a\n",
        "pkg/__main__.py": payload,
        "pkg/a.py": payload + "from pkg import b\n\n\ndef run(x):\n    return x\n",
        "pkg/b.py": payload + "from pkg import a\n",
        "pkg/broken.py": payload + "def broken(:\n",
        "setup.py": payload + "from setuptools import setup\nsetup()\n",
        "conftest.py": payload,
        "noxfile.py": payload,
        "sitecustomize.py": payload,
        "usercustomize.py": payload,
        "click.py": payload,
        "networkx.py": payload,
        "grimp.py": payload,
        "tests/test_pkg.py": payload + "import pkg\n",
    }
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    (root / "evil.pth").write_text(f"import os; open({str(marker)!r}, 'a').write('pth'); os._exit(13)\n")
    (root / "pyproject.toml").write_text('[project]\nname = "victim"\n\n[tool.archlint]\nselect = ["ARC"]\n')


def test_every_cli_command_is_covered() -> None:
    assert set(cli.commands) <= set(COMMANDS), f"add the new command(s) to COMMANDS: {set(cli.commands) - set(COMMANDS)}"


@pytest.mark.skipif(not ARCHLINT.exists(), reason="needs the installed console script")
def test_no_command_executes_analysed_code(tmp_path: Path) -> None:
    project = tmp_path / "victim"
    marker = tmp_path / "MARKER"
    _hostile_project(project, marker)
    pristine = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    for name, invocations in COMMANDS.items():
        for args in invocations:
            result = subprocess.run([str(ARCHLINT), *args], cwd=project, capture_output=True, text=True, check=False, timeout=300)
            assert not marker.exists(), f"{name} {args} executed analysed code: {marker.read_text()}"
            assert result.returncode in (0, 1), f"{args}: exit {result.returncode}: {result.stderr}"
            assert "Traceback" not in result.stderr
    # The documented way to run the module form in an untrusted folder (3.11+: -P).
    if sys.version_info >= (3, 11):
        result = subprocess.run([sys.executable, "-P", "-m", "archlint", "."], cwd=project, capture_output=True, text=True, check=False)
        assert not marker.exists() and result.returncode in (0, 1), result.stderr
    # --fix may have rewritten sources; it must not have executed them either (checked above).
    assert set(pristine) <= {p for p in project.rglob("*") if p.is_file()}


def test_the_api_in_this_process_executes_nothing(tmp_path: Path) -> None:
    """The same project through the API, in the test process itself: importing any of it
    would end pytest with exit code 13."""
    from archlint import lint

    project = tmp_path / "victim"
    marker = tmp_path / "MARKER"
    _hostile_project(project, marker)
    report = lint(["."], cwd=str(project), use_cache=False, jobs=1)
    assert not marker.exists()
    assert any(f.code == "ARC001" and f.path == "pkg/broken.py" for f in report.findings)
    assert any(f.code == "ARC101" for f in report.findings)
