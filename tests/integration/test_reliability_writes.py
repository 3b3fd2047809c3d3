"""Issue 10, writes: ``--fix`` and ``--write-baseline`` replace files atomically, keep
permission bits, never leave a temporary file, and a failed write (a full disk,
simulated by ``os.fsync`` raising ``ENOSPC``) leaves the original intact with a
one-line message. A file modified between analysis and write is skipped. (The fix and
baseline features carry their own tests; these pin the reliability guarantees.)
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest
from harness import write_tree

from archlint import api
from archlint.config import Settings
from archlint.exceptions import UsageError
from archlint.fixes import FixReport

SOURCE = "def clear(items: list):\n    items.clear()\n"
FIXED = "def clear(items: list) -> None:\n    items.clear()\n"


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "proj", {"pkg/__init__.py": "", "pkg/core.py": SOURCE})


def _fix(root: Path) -> FixReport:
    return api.fix(["."], cwd=str(root), settings=Settings(root=str(root)), use_cache=False, jobs=1)


def _leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob("*") if p.name.startswith(".") and p.is_file())


def test_fix_keeps_permissions_and_replaces_atomically(project: Path) -> None:
    target = project / "pkg" / "core.py"
    target.chmod(0o751)
    report = _fix(project)
    assert target.read_text() == FIXED
    assert stat.S_IMODE(target.stat().st_mode) == 0o751
    assert sum(item.applied for item in report.files) == 1
    assert _leftovers(project) == []


def test_fix_through_a_symlink_keeps_the_link(project: Path) -> None:
    real = project / "pkg" / "core.py"
    link = project / "pkg" / "alias.py"
    link.symlink_to(real)
    _fix(project)
    assert link.is_symlink() and real.read_text() == FIXED


def test_fix_that_cannot_write_leaves_the_file_intact(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import archlint.fixes.apply as apply_module

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    report = _fix(project)
    assert (project / "pkg" / "core.py").read_text() == SOURCE
    assert [item.skipped for item in report.files if item.skipped] == ["cannot write it (No space left on device)"]
    assert _leftovers(project) == []


def test_file_modified_after_analysis_is_skipped(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import archlint.fixes.apply as apply_module

    real_apply = apply_module.apply_fixes

    def edit_then_apply(*args: object, **kwargs: object) -> object:
        (project / "pkg" / "core.py").write_text(SOURCE + "# edited by the user meanwhile\n")
        return real_apply(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(apply_module, "apply_fixes", edit_then_apply)
    report = _fix(project)
    assert (project / "pkg" / "core.py").read_text() == SOURCE + "# edited by the user meanwhile\n"
    assert [item.skipped for item in report.files if item.skipped] == ["it changed since it was analysed; run archlint again"]


def _baseline(root: Path, name: str = "baseline.json") -> Path:
    report = api.lint(["."], cwd=str(root), settings=Settings(root=str(root)), use_cache=False, jobs=1)
    api.write_baseline(report, name, cwd=str(root))
    return root / name


def test_baseline_keeps_permissions_of_an_existing_file(project: Path) -> None:
    target = project / "baseline.json"
    target.write_text("{}")
    target.chmod(0o600)
    _baseline(project)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text() != "{}"
    assert _leftovers(project) == []


def test_new_baseline_gets_the_umask_mode(project: Path) -> None:
    umask = os.umask(0o022)
    try:
        target = _baseline(project)
    finally:
        os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_baseline_write_failure_keeps_the_old_file(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = _baseline(project)
    before = target.read_bytes()
    (project / "pkg" / "more.py").write_text("def f(x):\n    return x\n")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(UsageError, match="cannot write baseline .*: No space left on device"):
        _baseline(project)
    assert target.read_bytes() == before
    assert _leftovers(project) == []
