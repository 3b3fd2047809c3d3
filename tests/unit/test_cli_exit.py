"""The process that is the command leaves its heap to the OS at exit (``gc.freeze``
registered with ``atexit``); a caller that passes its own arguments (tests, embedding
programs) gets nothing registered in its process."""

from __future__ import annotations

import atexit
import gc
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from archlint import cli


def _registered(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, argv: list[str] | None) -> list[Callable[[], None]]:
    (tmp_path / "m.py").write_text("x = 1\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["archlint", "--no-cache", "-q", "."])
    calls: list[Callable[[], None]] = []
    monkeypatch.setattr(atexit, "register", calls.append)
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    assert exited.value.code == 0
    return calls


def test_the_command_process_freezes_its_heap_at_exit(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert _registered(monkeypatch, tmp_path, None) == [gc.freeze]


def test_a_caller_with_its_own_arguments_gets_nothing_registered(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert _registered(monkeypatch, tmp_path, ["--no-cache", "-q", "."]) == []
