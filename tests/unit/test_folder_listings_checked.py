"""Stored folder listings are checked one by one when the walk asks for them: a warm
walk uses each as read, and one that is malformed (or of a folder that is gone) is
dropped the next time the listings are saved."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from harness import write_tree

import archlint.engine.discovery as discovery
from archlint.engine.discovery import FolderListings, discover

TREE = {"pkg/__init__.py": "", "pkg/a.py": "x = 1\n", "pkg/sub/__init__.py": "", "pkg/sub/b.py": "y = 2\n"}


@pytest.fixture(autouse=True)
def _trust_recent_folders(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discovery, "FOLDER_RACY_NS", -(10**12))


def _walk(root: Path, listings: FolderListings | None) -> list[tuple[str, str]]:
    return [(f.path, f.module) for f in discover(["."], cwd=str(root), listings=listings)]


def _stored(root: Path) -> dict[str, object]:
    first = FolderListings(None, time.time_ns())
    _walk(root, first)
    stored: dict[str, object] = json.loads(json.dumps(first.fresh))
    return stored


def test_an_unchanged_walk_keeps_every_listing_as_read(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "p", TREE)
    stored = _stored(root)
    listings = FolderListings(stored, time.time_ns())
    assert _walk(root, listings) == _walk(root, None)
    assert listings.fresh == stored and not listings.changed()
    assert all(listings.fresh[folder] is stored[folder] for folder in stored)


@pytest.mark.parametrize("bad", [[1, 2], [1, 2, 3, 4, [["a.py", "q"]]], [1, 2, 3, 4.0, []], "x", None])
def test_a_malformed_listing_is_not_used_and_is_dropped(tmp_path: Path, bad: object) -> None:
    root = write_tree(tmp_path / "p", TREE)
    stored = _stored(root)
    folder = str(root / "pkg" / "sub")
    stored[folder] = bad
    stored[str(root / "gone")] = stored[str(root)]
    listings = FolderListings(stored, time.time_ns())
    assert _walk(root, listings) == _walk(root, None)
    assert listings.changed()
    assert set(listings.fresh) == set(stored) - {str(root / "gone")}
    assert listings.fresh[folder] == _stored(root)[folder]
