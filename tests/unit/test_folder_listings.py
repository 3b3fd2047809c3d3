"""Folder listings remembered between runs (``engine/discovery.py::FolderListings``):
reused only while a folder's identity and times are unchanged, never within the racy
window, never for a folder holding a symlink; whatever changes is listed afresh, and
discovery with remembered listings finds exactly what a fresh walk finds."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from harness import FIXTURES, write_tree

import archlint.engine.discovery as discovery
from archlint import lint
from archlint.config import Settings
from archlint.engine.discovery import FolderListings, discover

TREE = {
    "pkg/__init__.py": "",
    "pkg/a.py": "import pkg.b\n",
    "pkg/b.py": "x = 1\n",
    "pkg/data/notes.txt": "not python\n",
    "pkg/sub/__init__.py": "",
    "pkg/sub/c.py": "from pkg import a\n",
}


@pytest.fixture(autouse=True)
def _trust_recent_folders(monkeypatch: pytest.MonkeyPatch) -> None:
    """The folders are created by the test itself: trust them at once (the racy window
    has its own test)."""
    monkeypatch.setattr(discovery, "FOLDER_RACY_NS", -(10**12))


def _paths(root: Path, listings: FolderListings | None) -> list[tuple[str, str, bool]]:
    return [(f.path, f.module, f.is_package) for f in discover(["."], cwd=str(root), listings=listings)]


def _remembered(root: Path) -> FolderListings:
    first = FolderListings(None, time.time_ns())
    _paths(root, first)
    return FolderListings(json.loads(json.dumps(first.fresh)), time.time_ns())


def test_an_unchanged_tree_is_walked_from_the_listings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_tree(tmp_path / "p", TREE)
    listings = _remembered(root)
    expected = _paths(root, None)
    listed: list[str] = []
    real = os.scandir

    def counting(path: Any) -> Any:
        listed.append(str(path))
        return real(path)

    monkeypatch.setattr(discovery.os, "scandir", counting)
    assert _paths(root, listings) == expected
    assert listed == [] and not listings.changed()


@pytest.mark.parametrize(
    "edit",
    ["new file", "new folder with a file", "deleted file", "renamed file", "file becomes folder", "new marker"],
)
def test_a_changed_folder_is_listed_again(tmp_path: Path, edit: str) -> None:
    root = write_tree(tmp_path / "p", TREE)
    listings = _remembered(root)
    if edit == "new file":
        (root / "pkg" / "sub" / "d.py").write_text("y = 2\n")
    elif edit == "new folder with a file":
        write_tree(root, {"pkg/fresh/e.py": "z = 3\n"})
    elif edit == "deleted file":
        (root / "pkg" / "b.py").unlink()
    elif edit == "renamed file":
        (root / "pkg" / "b.py").rename(root / "pkg" / "b2.py")
    elif edit == "file becomes folder":
        (root / "pkg" / "b.py").unlink()
        write_tree(root, {"pkg/b/__init__.py": ""})
    else:  # a nested project appears: its files are named from it
        write_tree(root, {"pkg/data/pyproject.toml": "", "pkg/data/tool.py": "w = 4\n"})
    assert _paths(root, listings) == _paths(root, None)
    assert listings.changed()


def test_a_folder_changed_within_the_racy_window_is_not_remembered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_tree(tmp_path / "p", TREE)
    monkeypatch.setattr(discovery, "FOLDER_RACY_NS", 3600 * 10**9)  # everything is "just changed"
    listings = FolderListings(None, time.time_ns())
    _paths(root, listings)
    assert listings.fresh == {}


def test_a_folder_holding_a_symlink_is_always_listed_afresh(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "p", TREE)
    (root / "pkg" / "link.py").symlink_to(root / "pkg" / "b.py")
    first = FolderListings(None, time.time_ns())
    _paths(root, first)
    assert str(root / "pkg") not in first.fresh and str(root / "pkg" / "sub") in first.fresh
    assert _paths(root, _remembered(root)) == _paths(root, None)


@pytest.mark.parametrize(
    "stored",
    [None, "garbage", [1, 2], {"x": "y"}, {"/": [1, 2, 3, 4, [["a", "q"]]]}, {"/": [1, 2, 3, True, []]}],
)
def test_malformed_stored_listings_are_ignored(tmp_path: Path, stored: object) -> None:
    root = write_tree(tmp_path / "p", TREE)
    listings = FolderListings(stored, time.time_ns())
    assert _paths(root, listings) == _paths(root, None)


def test_a_listing_of_another_folder_with_the_same_name_is_not_used(tmp_path: Path) -> None:
    """A stored listing is keyed by the folder's device and inode too: the same path
    naming a new folder (deleted and recreated) is listed afresh."""
    root = write_tree(tmp_path / "p", TREE)
    listings = _remembered(root)
    import shutil

    shutil.rmtree(root / "pkg" / "sub")
    write_tree(root, {"pkg/sub/__init__.py": "", "pkg/sub/other.py": "v = 5\n"})
    assert _paths(root, listings) == _paths(root, None)


@pytest.mark.parametrize("case", sorted(p.name for p in (FIXTURES / "foundation").iterdir() if p.is_dir()))
def test_fixture_trees_are_discovered_the_same_with_listings(case: str) -> None:
    root = FIXTURES / "foundation" / case
    listings = _remembered(root)
    assert _paths(root, listings) == _paths(root, None)


def test_a_cached_run_keeps_the_listings_in_the_cache_folder(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "p", TREE)
    cache = tmp_path / "cache"

    def run() -> list[tuple[str, int, str]]:
        report = lint(["."], cwd=str(root), settings=Settings(root=str(root)), cache_dir=str(cache), jobs=1)
        return [(f.path, f.line, f.code) for f in report.findings]

    first = run()
    (stored,) = cache.glob("folders-*.json")
    assert str(root / "pkg" / "sub") in json.loads(stored.read_text())["value"]
    assert run() == first
    (root / "pkg" / "sub" / "d.py").write_text("import pkg.sub.d\n")
    report = lint(["."], cwd=str(root), settings=Settings(root=str(root)), use_cache=False, jobs=1)
    assert run() == [(f.path, f.line, f.code) for f in report.findings]
