"""``archlint --fix`` and ``--fix --diff`` as a user meets them."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from archlint import api, cli
from archlint.engine.extract import decode_source
from archlint.fixes import fix_requests
from archlint.fixes.apply import apply_fixes
from harness import write_tree

PROJECT = {
    "pkg/__init__.py": "from pkg._impl import helper\n",
    "pkg/_impl.py": "def helper(x: int):\n    print(x)\n",
    "pkg/core.py": (
        "def clear(items: list):\n"
        "    items.clear()\n"
        "\n"
        "\n"
        "def total(items: list):\n"
        "    return sum(items)\n"
        "\n"
        "\n"
        "def quiet(x: int):  # archlint: ignore[ARC402]\n"
        "    print(x)\n"
    ),
}


def invoke(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``archlint ARGS`` in-process through the real entry point."""
    with pytest.raises(SystemExit) as exited:
        cli.main(list(args))
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


@pytest.fixture()
def project(chdir_tmp: Path) -> Path:
    return write_tree(chdir_tmp, PROJECT)


def _arc402(out: str) -> list[str]:
    return sorted(line.split(" ARC402")[0] for line in out.splitlines() if " ARC402 " in line)


def test_fix_then_findings_are_gone(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = invoke(capsys, "--no-cache", "--select", "ARC402", ".")
    assert code == 1
    assert _arc402(out) == ["pkg/_impl.py:1:1:", "pkg/core.py:1:1:", "pkg/core.py:5:1:"]
    code, out, err = invoke(capsys, "--no-cache", "--select", "ARC402", "--fix", ".")
    assert "archlint: fixed 2 finding(s) in 2 file(s)" in err
    assert _arc402(out) == ["pkg/core.py:5:1:"]  # returns a value: not fixable
    assert (project / "pkg/_impl.py").read_text() == "def helper(x: int) -> None:\n    print(x)\n"
    core = (project / "pkg/core.py").read_text()
    assert core == PROJECT["pkg/core.py"].replace("def clear(items: list):", "def clear(items: list) -> None:")
    code, out, err = invoke(capsys, "--no-cache", "--select", "ARC402", "--fix", ".")
    assert "fixed 0 finding(s) in 0 file(s)" in err
    assert (project / "pkg/core.py").read_text() == core


def test_fix_diff_previews_and_writes_nothing(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = invoke(capsys, "--no-cache", "--fix", "--diff", ".")
    assert code == 1
    assert out.splitlines()[:6] == [
        "--- a/pkg/_impl.py",
        "+++ b/pkg/_impl.py",
        "@@ -1,2 +1,2 @@",
        "-def helper(x: int):",
        "+def helper(x: int) -> None:",
        "     print(x)",
    ]
    assert "+def clear(items: list) -> None:" in out
    assert "quiet" not in out and "total" not in out
    assert "would fix 2 finding(s) in 2 file(s)" in err
    for rel, text in PROJECT.items():
        assert (project / rel).read_text() == text
    code, out2, _ = invoke(capsys, "--no-cache", "--fix", "--diff", "pkg/core.py")  # a path, not a REF
    assert code == 1 and out2.startswith("--- a/pkg/core.py")
    assert "_impl.py" not in out2


def test_fix_diff_with_nothing_to_fix_exits_0(chdir_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(chdir_tmp, {"pkg/__init__.py": "", "pkg/m.py": "def f() -> None:\n    pass\n"})
    assert invoke(capsys, "--no-cache", "--fix", "--diff", ".")[:2] == (0, "")


def test_ignored_or_unselected_findings_are_not_fixed(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    invoke(capsys, "--no-cache", "--fix", "--ignore", "ARC402", ".")
    invoke(capsys, "--no-cache", "--fix", "--select", "ARC401", ".")
    for rel, text in PROJECT.items():
        assert (project / rel).read_text() == text


def test_ignore_decorators_and_include_private_apply_to_fixes(chdir_tmp: Path) -> None:
    write_tree(
        chdir_tmp,
        {
            "pyproject.toml": "[tool.archlint.type-hints]\nignore-decorators = ['pytest.fixture']\ninclude-private = true\n",
            "pkg/__init__.py": "",
            "pkg/m.py": "import pytest\n\n@pytest.fixture\ndef db():\n    print()\n\ndef _private():\n    print()\n",
        },
    )
    report = api.fix(["."], cwd=str(chdir_tmp), use_cache=False, jobs=1)
    assert report.applied == 1
    assert (chdir_tmp / "pkg/m.py").read_text().endswith("def db():\n    print()\n\ndef _private() -> None:\n    print()\n")


def test_file_changed_since_analysis_is_skipped(project: Path) -> None:
    report = api.lint(["."], cwd=str(project), use_cache=False, jobs=1)
    requests = fix_requests(report, str(project))
    changed = "def helper(x: int):\n    print(x, 'edited')\n"
    (project / "pkg/_impl.py").write_text(changed)
    result = apply_fixes(requests, write=True, decode=decode_source)
    assert result.messages == ("pkg/_impl.py: not fixed: it changed since it was analysed; run archlint again",)
    assert (project / "pkg/_impl.py").read_text() == changed
    assert (project / "pkg/core.py").read_text().startswith("def clear(items: list) -> None:")


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_permissions_are_kept_and_no_temporary_file_remains(project: Path) -> None:
    target = project / "pkg/core.py"
    os.chmod(target, 0o640)
    api.fix(["."], cwd=str(project), use_cache=False, jobs=1)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640
    assert sorted(p.name for p in (project / "pkg").iterdir() if p.name.startswith(".")) == []


def test_read_only_file_is_not_replaced(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = project / "pkg/core.py"
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != target and real_access(path, mode))
    report = api.fix(["."], cwd=str(project), use_cache=False, jobs=1)
    assert report.messages == ("pkg/core.py: not fixed: it is read-only",)
    assert target.read_text() == PROJECT["pkg/core.py"]


def test_libcst_is_not_imported_at_startup() -> None:
    code = "import sys, archlint.cli; print('libcst' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_output_that_does_not_parse_is_never_written(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import archlint.fixes.apply as apply_module

    monkeypatch.setattr(apply_module, "add_return_none", lambda text, targets: ("def broken(:\n", 1))
    report = api.fix(["."], cwd=str(project), use_cache=False, jobs=1)
    assert report.applied == 0
    assert report.messages == (
        "pkg/_impl.py: not fixed: the fixed text does not parse; nothing written",
        "pkg/core.py: not fixed: the fixed text does not parse; nothing written",
    )
    for rel, text in PROJECT.items():
        assert (project / rel).read_text() == text


def test_file_changed_while_being_fixed_is_not_overwritten(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import archlint.fixes.apply as apply_module

    real = apply_module.add_return_none
    target = project / "pkg/core.py"

    def racing(text: str, targets: object) -> tuple[str, int]:
        if "clear" in text:
            target.write_text(text + "# edited meanwhile\n")
        return real(text, targets)  # type: ignore[arg-type]

    monkeypatch.setattr(apply_module, "add_return_none", racing)
    report = api.fix(["."], cwd=str(project), use_cache=False, jobs=1)
    assert report.messages == ("pkg/core.py: not fixed: it changed while being fixed; nothing written",)
    assert target.read_text().endswith("# edited meanwhile\n")
    assert (project / "pkg/_impl.py").read_text().startswith("def helper(x: int) -> None:")


def test_fix_reports_remaining_findings_in_json(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    code, out, _ = invoke(capsys, "--no-cache", "--fix", "--format", "json", "--select", "ARC402", ".")
    data = json.loads(out)
    assert code == 1
    assert [(f["path"], f["line"]) for f in data["findings"]] == [("pkg/core.py", 5)]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git apply")
def test_diff_applies_with_git_apply_and_equals_the_fix(tmp_path: Path) -> None:
    preview, fixed = tmp_path / "preview", tmp_path / "fixed"
    for root in (preview, fixed):
        write_tree(root, PROJECT)
    diff = api.fix(["."], cwd=str(preview), use_cache=False, jobs=1, write=False).diff()
    api.fix(["."], cwd=str(fixed), use_cache=False, jobs=1)
    for rel, text in PROJECT.items():
        assert (preview / rel).read_text() == text
    subprocess.run(["git", "apply", "-"], input=diff, text=True, cwd=preview, check=True)
    for rel in PROJECT:
        assert (preview / rel).read_bytes() == (fixed / rel).read_bytes()
