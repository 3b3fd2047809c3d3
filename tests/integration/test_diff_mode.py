"""``--diff REF``: the whole project is analysed, only findings touching changed files
(committed since the merge base, staged, unstaged, untracked) are reported."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from archlint import cli, lint
from archlint.config import Settings
from harness import write_tree

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

DEAD = "VALUE = 1  # archlint: ignore[ARC101]\n"  # an ARC002 finding in any file


def git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)


@pytest.fixture()
def repo(chdir_tmp: Path) -> Path:
    write_tree(
        chdir_tmp,
        {
            ".gitignore": "ignored.py\n",
            "app/__init__.py": "",
            "app/old1.py": "from app import old2\n",  # a cycle nobody touches
            "app/old2.py": "from app import old1\n",
            "app/x.py": "from app import y\n",
            "app/y.py": "",
            "app/tracked.py": "",
            "app/staged.py": "",
            "app/elsewhere.py": DEAD,  # changed on main after the branch forked
        },
    )
    git(chdir_tmp, "init", "-q", "-b", "main")
    git(chdir_tmp, "add", "-A")
    git(chdir_tmp, "commit", "-q", "-m", "base")
    git(chdir_tmp, "checkout", "-q", "-b", "feature")
    write_tree(chdir_tmp, {"app/y.py": "from app import x\n"})  # closes a cycle located in x.py
    git(chdir_tmp, "commit", "-q", "-am", "feature work")
    git(chdir_tmp, "checkout", "-q", "main")
    write_tree(chdir_tmp, {"app/elsewhere.py": ""})
    git(chdir_tmp, "commit", "-q", "-am", "main moves on")
    git(chdir_tmp, "checkout", "-q", "feature")
    write_tree(chdir_tmp, {"app/staged.py": DEAD})
    git(chdir_tmp, "add", "app/staged.py")
    write_tree(chdir_tmp, {"app/tracked.py": DEAD, "app/untracked.py": DEAD, "app/ignored.py": DEAD})
    return chdir_tmp


def _found(report) -> set[tuple[str, str]]:
    return {(f.path, f.code) for f in report.findings}


def test_only_findings_touching_changed_files_are_reported(repo: Path) -> None:
    settings = Settings(root=str(repo))
    full = lint(["."], settings=settings, use_cache=False, select=["ARC0", "ARC1"], cwd=str(repo))
    assert ("app/old1.py", "ARC101") in _found(full) or ("app/old2.py", "ARC101") in _found(full)
    assert ("app/elsewhere.py", "ARC002") in _found(full)
    changed = lint(["."], settings=settings, use_cache=False, select=["ARC0", "ARC1"], cwd=str(repo), diff="main")
    cycle = [f for f in changed.findings if f.code == "ARC101"]
    assert len(cycle) == 1 and cycle[0].extra["modules"] == ["app.x", "app.y"]
    # staged, unstaged and untracked files count; a git-ignored file and a file changed
    # only on main after the branch forked do not
    assert {(p, c) for p, c in _found(changed) if c == "ARC002"} == {
        ("app/staged.py", "ARC002"),
        ("app/tracked.py", "ARC002"),
        ("app/untracked.py", "ARC002"),
    }
    assert ("app/ignored.py", "ARC002") in _found(full)
    assert changed.files == full.files  # the whole project is still analysed


def test_diff_from_the_command_line(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["--no-cache", "--select", "ARC1", ".", "--diff", "main"])
    out, err = capsys.readouterr()
    assert exited.value.code == 1
    assert "app.x -> app.y" in out and "old1" not in out
    assert "archlint: note: changed-files mode: only findings touching the 4 changed Python files are reported" in err
    with pytest.raises(SystemExit) as exited:
        cli.main(["--no-cache", "--select", "ARC1", ".", "--diff", "HEAD"])
    out, _ = capsys.readouterr()
    assert exited.value.code == 0  # the cycle was closed by a commit: nothing of it changed since HEAD
    assert out == ""


def test_unknown_revision_and_no_repository(repo: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["--no-cache", ".", "--diff", "no-such-branch"])
    assert exited.value.code == 2
    assert "unknown git revision 'no-such-branch'" in capsys.readouterr().err
    outside = tmp_path_factory.mktemp("plain")
    write_tree(outside, {"m.py": ""})
    with pytest.raises(SystemExit) as exited:
        cli.main(["--no-cache", str(outside), "--diff", "main"])
    assert exited.value.code == 2


def test_diff_and_baseline_combine(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def run(*args: str) -> tuple[int, str, str]:
        with pytest.raises(SystemExit) as exited:
            cli.main(["--no-cache", "--select", "ARC0,ARC1", ".", *args])
        out, err = capsys.readouterr()
        return int(exited.value.code or 0), out, err

    assert run("--write-baseline", "b.json")[0] == 0
    write_tree(repo, {"app/y.py": "from app import x\nfrom app import tracked\n", "app/tracked.py": "from app import y\n"})
    code, out, err = run("--baseline", "b.json", "--diff", "main")
    assert code == 1
    (line,) = out.splitlines()  # the grown cycle, reported as worsened; old debt elsewhere stays silent
    assert "ARC101" in line and "[worsened since baseline: modules 2 -> 3]" in line
    assert "0 accepted" not in err and "1 worsened" in err
