"""Issue 10, end to end: a project full of bad files is fully analysed. Each bad file is
exactly one ARC001 with a position; every healthy module is analysed; cycles through
healthy modules, and through a file with syntax newer than the interpreter (its imports
recovered by the line scanner), are still found; the worker pool gives the same answer
as a single process; the CLI exits 1 with no traceback.

Files are generated at test time (some are binary or large)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import archlint.engine.workers as workers
from archlint import lint
from archlint.config import Settings
from archlint.domain.report import Report
from archlint.rules import get_rule

HEALTHY = {
    "pkg/__init__.py": b"",
    "pkg/a.py": b"from pkg import b\n",
    "pkg/b.py": b"from pkg import c\n",
    "pkg/c.py": b"from pkg import a\n",
    "pkg/d.py": b"from pkg import newer\n",
    "pkg/latin1.py": "# -*- coding: latin-1 -*-\nfrom pkg import e\nNAME = 'caf\xe9'\n".encode("latin-1"),
    "pkg/bom.py": b"\xef\xbb\xbffrom pkg import e\n",
    "pkg/crlf.py": b"from pkg import e\r\nx = 1\r\n",
    "pkg/tabs.py": b"if True:\n\tfrom pkg import e\n",
    "pkg/empty.py": b"",
    "pkg/e.py": b"x = 1\n",
}
BAD = {
    "pkg/syntax.py": (b"from pkg import e\ndef broken(:\n", 2),
    "pkg/py2.py": (b"from pkg import e\nprint 'hello'\n", 2),
    "pkg/nullbyte.py": (b"from pkg import e\nx = 1\x00\n", 2),
    "pkg/undecodable.py": (b"from pkg import e\nx = '\xff'\n", 2),
    "pkg/parens.py": (b"x = " + b"(" * 300 + b")" * 300 + b"\n", 1),
}
DEEP = {"pkg/deep.py": (b"x = " + b"1+" * 200_000 + b"1\n", 1)}
if sys.version_info >= (3, 11):
    BAD.update(DEEP)  # too deep for the parser since 3.11
else:  # 3.10 builds the tree (on a stack of its own: archlint._parsing)
    HEALTHY.update({path: data for path, (data, _) in DEEP.items()})
NEWER = {"pkg/newer.py": (b"from pkg import d\n\ntype Alias = int\n", 3)}
if sys.version_info < (3, 12):
    BAD.update(NEWER)  # PEP 695 is an ARC001 only before 3.12
else:  # pragma: no cover - CI runs 3.11
    HEALTHY.update({path: data for path, (data, _) in NEWER.items()})


def _project(root: Path) -> Path:
    for rel, data in {**HEALTHY, **{k: v[0] for k, v in BAD.items()}}.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return root


def _lint(root: Path, jobs: int) -> Report:
    return lint(["."], cwd=str(root), settings=Settings(root=str(root)), use_cache=False, jobs=jobs)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _project(tmp_path_factory.mktemp("hostile"))


def test_each_bad_file_is_one_arc001_and_the_rest_is_analysed(project: Path) -> None:
    report = _lint(project, jobs=1)
    arc001 = sorted((f.path, f.line) for f in report.findings if f.code == "ARC001")
    assert arc001 == sorted((path, line) for path, (_, line) in BAD.items())
    assert sorted(f.path for f in report.project.files) == sorted([*HEALTHY, *BAD])
    healthy_errors = [f.path for f in report.project.files if f.path in HEALTHY and f.error is not None]
    assert healthy_errors == []
    if sys.version_info < (3, 12):
        newer = next(f for f in report.findings if f.code == "ARC001" and f.path == "pkg/newer.py")
        assert "requires Python 3.12" in newer.message


def test_cycles_are_found_through_healthy_and_recovered_modules(project: Path) -> None:
    report = _lint(project, jobs=1)
    edges = {(e.importer, e.imported) for e in report.project.graph.edges}
    assert {("pkg.a", "pkg.b"), ("pkg.b", "pkg.c"), ("pkg.c", "pkg.a")} <= edges
    assert {("pkg.d", "pkg.newer"), ("pkg.newer", "pkg.d")} <= edges  # newer.py: recovered by the line scanner
    assert ("pkg.syntax", "pkg.e") in edges and ("pkg.undecodable", "pkg.e") not in edges  # undecodable: no text
    if get_rule("ARC101") is not None:
        cycles = sorted(tuple(sorted(f.extra["modules"])) for f in report.findings if f.code == "ARC101")
        assert cycles == [("pkg.a", "pkg.b", "pkg.c"), ("pkg.d", "pkg.newer")]


def test_worker_pool_gives_the_same_report(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    single = _lint(project, jobs=1)
    monkeypatch.setattr(workers, "PARALLEL_THRESHOLD", 1)
    pooled = _lint(project, jobs=2)
    assert pooled.findings == single.findings
    assert pooled.project.files == single.project.files


def test_cli_reports_and_exits_1_without_traceback(project: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "archlint", "--no-cache", "--select", "ARC001,ARC101", "."],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "BrokenProcessPool" not in result.stderr
    lines = [line for line in result.stdout.splitlines() if " ARC001 " in line]
    assert len(lines) == len(BAD)
