"""The pre-commit hook, run by the real ``pre-commit`` tool.

``pre-commit try-repo`` installs archlint from this repository (at its ``HEAD`` commit)
into a fresh environment, as a user's ``repos:`` entry would, and runs the hook on a small
fixture git repository: a clean project passes, a project with a red flag fails and the
output names the finding. The hook environment is installed once per test session (pip
needs PyPI for archlint's dependencies).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from harness import REPO, write_tree

CLEAN = {
    "pkg/__init__.py": '"""A tiny package."""\n',
    "pkg/core.py": '"""Core."""\n\n\ndef double(value: int) -> int:\n    """Twice ``value``."""\n    return 2 * value\n',
}


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_") and k != "PRE_COMMIT"}
    env["PRE_COMMIT_HOME"] = str(home)
    env["PRE_COMMIT_COLOR"] = "never"
    return env


def _git(args: list[str], cwd: Path) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=_env(cwd), check=True)
    return result.stdout.strip()


TryRepo = Callable[[dict[str, str]], tuple[int, str]]


@pytest.fixture(scope="module")
def try_repo(tmp_path_factory: pytest.TempPathFactory) -> TryRepo:
    """A function running ``pre-commit try-repo <this repo> archlint --all-files`` in a
    fixture repository made of the given files; returns (exit code, output)."""
    home = tmp_path_factory.mktemp("pre-commit-home")
    rev = _git(["rev-parse", "HEAD"], REPO)

    def run(files: dict[str, str]) -> tuple[int, str]:
        project = write_tree(tmp_path_factory.mktemp("project"), files)
        _git(["init", "--quiet"], project)
        _git(["add", "--all"], project)
        result = subprocess.run(
            [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "archlint", "--ref", rev, "--all-files"],
            cwd=project,
            capture_output=True,
            text=True,
            env=_env(home),
            timeout=900,
            check=False,
        )
        return result.returncode, result.stdout + result.stderr

    return run


def test_hook_definition() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "archlint")
    assert hook["entry"] == "archlint"
    assert hook["language"] == "python"
    assert hook["types"] == ["python"]
    assert hook["pass_filenames"] is False
    assert hook["require_serial"] is True


def test_clean_project_passes(try_repo: TryRepo) -> None:
    code, output = try_repo(CLEAN)
    assert code == 0, output
    assert "archlint" in output and "Passed" in output


def test_red_flag_fails_with_the_finding(try_repo: TryRepo) -> None:
    code, output = try_repo({**CLEAN, "pkg/broken.py": "def broken(:\n    pass\n"})
    assert code == 1, output
    assert "Failed" in output
    assert "pkg/broken.py:1:" in output and "ARC001" in output
