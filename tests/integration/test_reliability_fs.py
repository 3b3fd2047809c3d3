"""Issue 10, file-system cases: symlink loops, symlinks out of the project, unreadable
files and folders, files deleted or changed during the run, odd names.

Tests run as root, where ``chmod 000`` does not make anything unreadable: unreadability
is simulated at the engine's seams instead (``os.scandir`` in discovery, ``open``
raising ``PermissionError`` for one file), which is exactly what a real permission
error produces there.
"""

from __future__ import annotations

import builtins
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from harness import write_tree

import archlint.engine.discovery as discovery
import archlint.engine.runner as runner
import archlint.engine.workers as workers
from archlint import lint
from archlint.config import Settings
from archlint.domain.report import Report

ARCHLINT = [sys.executable, "-m", "archlint"]


def _lint(root: Path, paths: list[str] | None = None, **kwargs: Any) -> Report:
    kwargs.setdefault("use_cache", False)
    kwargs.setdefault("jobs", 1)
    return lint(paths or ["."], cwd=str(root), settings=Settings(root=str(root)), **kwargs)


def _arc001(report: Report) -> list[tuple[str, str]]:
    return [(f.path, f.message) for f in report.findings if f.code == "ARC001"]


def _paths(report: Report) -> list[str]:
    return [f.path for f in report.project.files]


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    write_tree(root, {"pkg/__init__.py": "", "pkg/a.py": "from pkg import b\n", "pkg/b.py": "x = 1\n"})
    return root


def test_symlink_loop_terminates_and_counts_each_file_once(project: Path) -> None:
    (project / "pkg" / "loop").symlink_to("..", target_is_directory=True)
    (project / "pkg" / "self").symlink_to(".", target_is_directory=True)
    report = _lint(project)
    assert _paths(report) == ["pkg/__init__.py", "pkg/a.py", "pkg/b.py"]
    assert report.warnings == ()


def test_symlink_out_of_the_project_is_skipped_with_a_warning(project: Path, tmp_path: Path) -> None:
    write_tree(tmp_path / "elsewhere", {"secret.py": "import os\n", "lib/mod.py": "x = 1\n"})
    (project / "pkg" / "linked.py").symlink_to(tmp_path / "elsewhere" / "secret.py")
    (project / "pkg" / "vendored").symlink_to(tmp_path / "elsewhere" / "lib", target_is_directory=True)
    report = _lint(project)
    assert _paths(report) == ["pkg/__init__.py", "pkg/a.py", "pkg/b.py"]
    assert sorted(report.warnings) == [
        "pkg/linked.py: skipped: symlink to a location outside the project",
        "pkg/vendored: skipped: symlink to a location outside the project",
    ]
    # Named explicitly, the linked file is analysed: the user asked for it.
    assert _paths(_lint(project, ["pkg/linked.py"])) == ["pkg/linked.py"]


def test_symlink_inside_the_project_is_followed_once(project: Path) -> None:
    write_tree(project, {"shared/util.py": "x = 1\n"})
    (project / "pkg" / "util.py").symlink_to(project / "shared" / "util.py")
    report = _lint(project)
    assert "pkg/util.py" in _paths(report) and report.warnings == ()


def test_dangling_symlink_is_one_arc001(project: Path) -> None:
    (project / "pkg" / "gone.py").symlink_to(project / "pkg" / "missing.py")
    assert _arc001(_lint(project)) == [("pkg/gone.py", "cannot analyse file: cannot read file: No such file or directory")]


@pytest.mark.parametrize(("use_cache", "jobs"), [(False, 1), (True, 1), (False, 2), (True, 2)])
def test_unreadable_file_is_one_arc001_and_the_rest_is_analysed(
    project: Path, monkeypatch: pytest.MonkeyPatch, use_cache: bool, jobs: int
) -> None:
    """Simulated: ``open`` raises ``PermissionError`` for ``pkg/b.py``, wherever the file
    is read: by the facts stage (to check it against the cache) or, without a cache, by
    whoever parses it (this process, or a worker with two jobs)."""
    real_open = builtins.open

    def guarded_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if str(file).endswith(os.path.join("pkg", "b.py")):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(workers, "PARALLEL_THRESHOLD", 1)
    report = _lint(project, use_cache=use_cache, jobs=jobs)
    assert _arc001(report) == [("pkg/b.py", "cannot analyse file: cannot read file: Permission denied")]
    assert _paths(report) == ["pkg/__init__.py", "pkg/a.py", "pkg/b.py"]
    assert [e.imported for e in report.project.graph.edges] == ["pkg.b"]


def test_unreadable_folder_is_one_warning(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulated: ``os.scandir`` in discovery raises ``PermissionError`` for one folder."""
    write_tree(project, {"pkg/locked/__init__.py": "", "pkg/locked/inner.py": "x = 1\n"})
    real_scandir = os.scandir

    def guarded_scandir(path: Any) -> Any:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(discovery.os, "scandir", guarded_scandir)
    report = _lint(project)
    assert report.warnings == ("pkg/locked: cannot read folder: Permission denied",)
    assert _paths(report) == ["pkg/__init__.py", "pkg/a.py", "pkg/b.py"]


def test_file_deleted_during_the_run_is_one_arc001(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file disappears between discovery and reading."""
    real_discover = runner.discover

    def discover_then_delete(*args: Any, **kwargs: Any) -> Any:
        files = real_discover(*args, **kwargs)
        (project / "pkg" / "b.py").unlink()
        return files

    monkeypatch.setattr(runner, "discover", discover_then_delete)
    report = _lint(project)
    assert _arc001(report) == [("pkg/b.py", "cannot analyse file: cannot read file: No such file or directory")]


def test_file_changed_during_the_run_never_poisons_the_cache(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file is rewritten after it was read: this run analyses the bytes it read and
    caches them under *their* hash, so the next run sees the new content."""
    real_extract_many = workers.extract_many

    def extract_then_change(*args: Any, **kwargs: Any) -> Any:
        result = real_extract_many(*args, **kwargs)
        (project / "pkg" / "b.py").write_text("from pkg import a\n")
        return result

    monkeypatch.setattr(workers, "extract_many", extract_then_change)
    first = _lint(project, use_cache=True)
    assert [(e.importer, e.imported) for e in first.project.graph.edges] == [("pkg.a", "pkg.b")]
    monkeypatch.setattr(workers, "extract_many", real_extract_many)
    second = _lint(project, use_cache=True)
    assert [(e.importer, e.imported) for e in second.project.graph.edges] == [("pkg.a", "pkg.b"), ("pkg.b", "pkg.a")]


def test_spaces_non_ascii_and_case_only_differences(tmp_path: Path) -> None:
    root = tmp_path / "my project ü"
    write_tree(
        root,
        {
            "pkg/__init__.py": "",
            "pkg/café.py": "from pkg import Mod\n",
            "pkg/Mod.py": "from pkg import mod\n",
            "pkg/mod.py": "x = 1\n",
            "pkg/with space.py": "def broken(:\n",
            "pkg/日本語.py": "from pkg import café\n",
        },
    )
    if (root / "pkg" / "Mod.py").samefile(root / "pkg" / "mod.py"):  # pragma: no cover - case-insensitive FS
        pytest.skip("case-insensitive file system")
    report = _lint(root)
    assert _paths(report) == sorted(
        ["pkg/__init__.py", "pkg/Mod.py", "pkg/café.py", "pkg/mod.py", "pkg/with space.py", "pkg/日本語.py"]
    )
    assert [(e.importer, e.imported) for e in report.project.graph.edges] == [
        ("pkg.Mod", "pkg.mod"),
        ("pkg.café", "pkg.Mod"),
        ("pkg.日本語", "pkg.café"),
    ]
    assert _arc001(report) == [("pkg/with space.py", "cannot analyse file: syntax error: invalid syntax")]
    assert _lint(root) .findings == report.findings  # deterministic


@pytest.mark.skipif(sys.platform != "linux", reason="non-UTF-8 file names are a POSIX thing")
def test_non_utf8_file_name_is_reported_escaped(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    write_tree(root, {"pkg/__init__.py": ""})
    (root / "pkg" / os.fsdecode(b"bad\xff.py")).write_bytes(b"def broken(:\n")
    for fmt in ("text", "json"):
        result = subprocess.run(
            [*ARCHLINT, "--format", fmt, "--select", "ARC001", "."], cwd=root, capture_output=True, text=True, check=False
        )
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        assert "pkg/bad\\xff.py" in (result.stdout if fmt == "text" else json.loads(result.stdout)["findings"][0]["path"])
