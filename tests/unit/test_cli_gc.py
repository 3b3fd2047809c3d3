"""The CLI turns the cyclic garbage collector off for its run and restores it after.

A run allocates millions of long-lived, acyclic objects; the collector would only
re-scan them (ADR 0014). Callers that run the CLI inside their own process (these tests)
get their collector back."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

import archlint.engine.runner
from archlint import cli


def test_the_run_has_no_cyclic_collector_and_the_caller_gets_it_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "m.py").write_text("x = 1\n")
    monkeypatch.chdir(tmp_path)
    seen: list[bool] = []
    real_run = archlint.engine.runner.run

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real_run(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(archlint.engine.runner, "run", spy)
    assert gc.isenabled()
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--no-cache", "-q", "."])
    assert exit_info.value.code == 0
    assert seen == [False]
    assert gc.isenabled()


def test_a_caller_without_a_collector_does_not_get_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "m.py").write_text("x = 1\n")
    monkeypatch.chdir(tmp_path)
    gc.disable()
    try:
        with pytest.raises(SystemExit):
            cli.main(["--no-cache", "-q", "."])
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_command_process_ends_without_its_collector(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As the command itself (no ``argv``), the collector stays off until the process
    ends: turned back on, it would scan every object of the run at the next allocation."""
    (tmp_path / "m.py").write_text("x = 1\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("sys.argv", ["archlint", "--no-cache", "-q", "."])
    ending: list[tuple[int, bool]] = []

    def end(self: cli.CommandProcess, code: int) -> None:
        ending.append((code, gc.isenabled()))
        raise SystemExit(code)

    monkeypatch.setattr(cli.CommandProcess, "end", end)
    assert gc.isenabled()
    try:
        with pytest.raises(SystemExit):
            cli.main()
        assert ending == [(0, False)]
    finally:
        gc.enable()
