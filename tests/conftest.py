"""Shared pytest fixtures (helpers importable by tests live in ``harness.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture()
def chdir_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary working directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
