"""The process that is the command ends through ``os._exit`` once its output is flushed,
with the report still alive (freeing a large run's objects one by one only delays the
exit); a caller that passes its own arguments (tests, embedding programs) ends normally
and keeps nothing."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from archlint import cli
from archlint.domain.report import Report


class _Ended(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


@pytest.fixture(autouse=True)
def _collector_back() -> Iterator[None]:
    """The command's process never turns the cyclic collector back on (it ends at once);
    here its end is simulated, so the test suite's collector is restored afterwards."""
    collecting = gc.isenabled()
    yield
    if collecting:
        gc.enable()


def _project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "m.py").write_text("def f(x):\n    return x\n")
    monkeypatch.chdir(tmp_path)


def test_the_command_process_ends_at_once_keeping_its_report(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _project(tmp_path, monkeypatch)
    monkeypatch.setattr(sys, "argv", ["archlint", "--no-cache", "."])
    retained: list[object] = []
    real_retain = cli.CommandProcess.retain

    def retain(self: cli.CommandProcess, value: object) -> None:
        retained.append(value)
        real_retain(self, value)

    def hard_exit(code: int) -> None:
        raise _Ended(code)

    monkeypatch.setattr(cli.CommandProcess, "retain", retain)
    monkeypatch.setattr(os, "_exit", hard_exit)
    with pytest.raises(_Ended) as ended:
        cli.main()
    assert ended.value.code == 1, "ARC401/ARC402 findings: exit code 1"
    assert [type(value) for value in retained] == [Report]
    assert "m.py:1:1: ARC401" in capsys.readouterr().out


def test_a_caller_with_its_own_arguments_ends_normally(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _project(tmp_path, monkeypatch)

    def hard_exit(code: int) -> None:
        raise AssertionError("os._exit in the caller's process")

    monkeypatch.setattr(os, "_exit", hard_exit)
    with pytest.raises(SystemExit) as exited:
        cli.main(["--no-cache", "--exit-zero", "."])
    assert exited.value.code == 0


def test_piped_output_is_complete_and_the_code_kept(tmp_path: Path) -> None:
    """A real process: everything printed arrives although the process skips its
    teardown, and the exit code is the command's."""
    lines = "".join(f"def f{index}(x):\n    return x\n\n\n" for index in range(300))
    (tmp_path / "m.py").write_text(lines)
    done = subprocess.run(
        [sys.executable, "-m", "archlint", "--no-cache", "."], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert done.stdout.count(": ARC401 ") == 300 and done.stdout.count(": ARC402 ") == 300
    assert "findings" in done.stderr
