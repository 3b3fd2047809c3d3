"""The walk's shortcut for regular files that are not Python: skipped without the
exclude check, while markers, symlinks and folders keep their full treatment."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from archlint.engine.discovery import discover
from harness import write_tree


def test_non_python_files_are_skipped_but_markers_still_name_nested_projects(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/locale/fr/LC_MESSAGES/django.po": "",
            "app/templates/page.html": "",
            "tools/sub/pyproject.toml": "",
            "tools/sub/helper.py": "",
            "notes.txt": "",
        },
    )
    found = {f.path: f.module for f in discover(["."], cwd=str(tmp_path), project_root=tmp_path)}
    assert found == {"app/__init__.py": "app", "tools/sub/helper.py": "helper"}


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_to_a_non_python_file_outside_the_project_still_warns(tmp_path: Path) -> None:
    project = tmp_path / "project"
    write_tree(project, {"pkg/__init__.py": ""})
    (tmp_path / "outside.txt").write_text("")
    (project / "pkg" / "data.txt").symlink_to(tmp_path / "outside.txt")
    warnings: list[str] = []
    found = discover(["."], cwd=str(project), project_root=project, warnings=warnings)
    assert [f.path for f in found] == ["pkg/__init__.py"]
    assert warnings == ["pkg/data.txt: skipped: symlink to a location outside the project"]


def test_excluded_folder_and_python_file_names_still_excluded(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.py": "", "skip_me.py": "", "build/x.py": "", "keep/y.py": "", "keep/build.txt": ""})
    found = [f.path for f in discover(["."], cwd=str(tmp_path), project_root=tmp_path, exclude=("build", "skip_*.py"))]
    assert found == ["a.py", "keep/y.py"]
