"""Files -> module names, for src layouts, flat layouts, package folders, loose scripts,
namespace packages and several top-level packages at once. Never imports anything."""

from __future__ import annotations

import fnmatch
import re
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from archlint.config.schema import DEFAULT_EXCLUDES
from archlint.exceptions import UsageError


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A Python file to analyse: where it is, how to show it, and its module name."""

    abspath: str
    path: str
    module: str
    is_package: bool


def printable(name: str) -> str:
    """``name`` as valid Unicode: bytes of a file name that are not UTF-8 (kept by the
    OS as lone surrogates) are shown as ``\\xff`` escapes, so reports, fingerprints and
    the cache never fail to encode a path."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return name


def display_path(abspath: str, cwd: str) -> str:
    """``abspath`` relative to ``cwd`` with ``/`` separators (absolute when on another drive)."""
    try:
        rel = os.path.relpath(abspath, cwd)
    except ValueError:
        rel = abspath
    return printable(rel.replace(os.sep, "/"))


def _is_package_dir(path: Path) -> bool:
    return (path / "__init__.py").is_file()


def _package_root(directory: Path) -> Path:
    """The folder above the outermost regular package containing ``directory``."""
    root = directory
    while _is_package_dir(root) and root.parent != root:
        root = root.parent
    return root


def module_name(path: Path, root: Path) -> tuple[str, bool]:
    """Dotted module name of ``path`` relative to ``root``, and whether it is a package."""
    rel = path.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    return ".".join(parts), is_package


class Excluder:
    """Glob patterns matched against each path component and against the path relative
    to the project root, like ruff's ``exclude``."""

    def __init__(self, patterns: Iterable[str], root: Path) -> None:
        self._names: list[str] = []
        self._paths: list[str] = []
        for pattern in patterns:
            cleaned = pattern.rstrip("/")
            (self._paths if "/" in cleaned else self._names).append(cleaned)
        self._root = root
        # One regular expression for all name patterns: the same matches as
        # ``fnmatchcase`` with each pattern, one call per path instead of one per pattern.
        self._name_pattern = re.compile("|".join(f"(?:{fnmatch.translate(pat)})" for pat in self._names)) if self._names else None

    def excluded(self, path: Path) -> bool:
        """Whether ``path`` (a file or a folder) is excluded."""
        if self._name_pattern is not None and self._name_pattern.match(path.name):
            return True
        if self._paths:
            try:
                rel = path.relative_to(self._root).as_posix()
            except ValueError:
                return False
            return any(fnmatch.fnmatchcase(rel, pat) or fnmatch.fnmatchcase(rel, pat + "/*") for pat in self._paths)
        return False


class _Walk:
    """One directory walk: the folders seen (symlink-loop guard), the folders a symlink
    may point into, and the problems met on the way (returned as run warnings)."""

    def __init__(self, excluder: Excluder, inside: Sequence[Path], warnings: list[str], cwd: str) -> None:
        self.excluder = excluder
        self.inside = [root.resolve() for root in inside]
        self.warnings = warnings
        self.cwd = cwd

    def _warn(self, path: Path, message: str) -> None:
        self.warnings.append(f"{display_path(str(path), self.cwd)}: {message}")

    def _outside(self, path: Path) -> bool:
        """Whether the symlink ``path`` resolves outside every allowed root."""
        try:
            target = path.resolve()
        except (OSError, RuntimeError):
            return False
        return not any(target == root or root in target.parents for root in self.inside)

    def files(self, directory: Path, seen: set[tuple[int, int]]) -> Iterator[Path]:
        """Python files below ``directory`` in sorted order, skipping excluded folders,
        symlink loops, symlinks out of the project and unreadable folders (with a
        warning for the last two)."""
        try:
            info = directory.stat()
        except OSError as exc:
            self._warn(directory, f"cannot read folder: {exc.strerror or exc}")
            return
        key = (info.st_dev, info.st_ino)
        if key in seen:
            return
        seen.add(key)
        try:
            with os.scandir(directory) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as exc:
            self._warn(directory, f"cannot read folder: {exc.strerror or exc}")
            return
        for entry in entries:
            path = Path(entry.path)
            if self.excluder.excluded(path):
                continue
            try:
                is_python = entry.name.endswith((".py", ".pyi"))
                if entry.is_symlink():
                    if not path.exists():  # dangling: reported as unreadable (ARC001)
                        if is_python:
                            yield path
                        continue
                    if self._outside(path):
                        self._warn(path, "skipped: symlink to a location outside the project")
                        continue
                if entry.is_dir():
                    yield from self.files(path, seen)
                elif is_python and entry.is_file():
                    if entry.name.endswith(".pyi") and Path(entry.path[:-1]).exists():
                        continue
                    yield path
            except OSError as exc:
                self._warn(path, f"cannot read: {exc.strerror or exc}")
                continue


_PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg")


def _is_project_dir(path: Path) -> bool:
    """A folder holding a project of its own (packaging metadata, not a package)."""
    return not _is_package_dir(path) and any((path / marker).is_file() for marker in _PROJECT_MARKERS)


def _nested_root(file: Path, walk_root: Path, cache: dict[Path, Path | None]) -> Path | None:
    """The source root of the innermost project nested below ``walk_root`` that holds
    ``file`` (its ``src/`` when the file lies there), or ``None``. A monorepo or a
    project with ``examples/`` of their own: each nested project names its modules
    from its own root, as Python would when that project is installed."""
    for folder in file.parents:
        if folder == walk_root or walk_root not in folder.parents:
            return None
        if folder not in cache:
            cache[folder] = folder if _is_project_dir(folder) else None
        project = cache[folder]
        if project is not None:
            src = project / "src"
            if src in file.parents and src.is_dir() and not _is_package_dir(src):
                return src
            return project
    return None


def _roots_for_directory(directory: Path, cwd: Path) -> list[tuple[Path, Path]]:
    """(folder to walk, source root) pairs for a directory argument."""
    if not _is_package_dir(directory) and _is_package_dir(directory.parent):
        # A namespace portion inside a regular package: pkg/sub without __init__.py.
        return [(directory, _package_root(directory.parent))]
    if _is_package_dir(directory):
        root = _package_root(directory)
        # A package inside namespace packages of an src layout: src/ns/pkg -> ns.pkg.
        for ancestor in (root, *root.parents):
            if ancestor == cwd or cwd not in ancestor.parents:
                break
            if ancestor.name == "src":
                return [(directory, ancestor)]
        return [(directory, root)]
    src = directory / "src"
    if src.is_dir() and not _is_package_dir(src):
        return [(src, src), (directory, directory)]
    return [(directory, directory)]


def discover(
    paths: Sequence[str],
    *,
    exclude: Sequence[str] = DEFAULT_EXCLUDES,
    project_root: Path | None = None,
    cwd: str | None = None,
    warnings: list[str] | None = None,
) -> list[SourceFile]:
    """The Python files under ``paths`` with their module names, sorted by path.

    A directory with an ``src/`` folder analyses ``src/`` as a source root and the rest
    of the directory relative to itself; a package folder takes its module names from
    the folder above its outermost package; any other directory is a source root in
    which folders without ``__init__.py`` are namespace packages. Explicitly named files
    are analysed even when an exclude pattern matches them.

    While walking folders, a symlink that resolves outside both the project root and
    the walked path is skipped, and so is a folder that cannot be read; each is
    appended to ``warnings``. A dangling ``.py`` symlink is kept, so reading it fails
    into an ``ARC001``. File names that are not valid UTF-8 are shown escaped."""
    cwd = cwd or os.getcwd()
    root_for_excludes = project_root or Path(cwd)
    excluder = Excluder(exclude, root_for_excludes.resolve())
    problems = warnings if warnings is not None else []
    found: dict[str, SourceFile] = {}
    seen_dirs: set[tuple[int, int]] = set()
    for raw in paths:
        path = Path(os.path.abspath(os.path.join(cwd, raw)))
        if not path.exists():
            raise UsageError(f"path does not exist: {raw}")
        if path.is_file():
            if not path.name.endswith((".py", ".pyi")):
                raise UsageError(f"not a Python file: {raw}")
            root = _package_root(path.parent)
            _add(found, path, root, cwd)
            continue
        claimed: set[str] = set()
        nested: dict[Path, Path | None] = {}
        for walk_dir, root in _roots_for_directory(path, Path(cwd)):
            walk = _Walk(excluder, [root_for_excludes, path], problems, cwd)
            for file in walk.files(walk_dir, seen_dirs if walk_dir == path else set()):
                key = str(file)
                if key in claimed:
                    continue
                claimed.add(key)
                _add(found, file, _nested_root(file, walk_dir, nested) or root, cwd)
            if walk_dir != path:
                seen_dirs.add((walk_dir.stat().st_dev, walk_dir.stat().st_ino))
    files = sorted(found.values(), key=lambda f: f.path)
    return _dedupe_modules(files)


def _add(found: dict[str, SourceFile], file: Path, root: Path, cwd: str) -> None:
    key = str(file)
    if key in found:
        return
    module, is_package = module_name(file, root)
    found[key] = SourceFile(abspath=key, path=display_path(key, cwd), module=printable(module), is_package=is_package)


def _dedupe_modules(files: list[SourceFile]) -> list[SourceFile]:
    """When two files claim one module name (``a.py`` beside ``a/__init__.py``, or a
    ``.py`` file analysed under two roots), keep what Python would import: the package,
    else the first path; the other file is still analysed under a disambiguated name."""
    by_module: dict[str, list[SourceFile]] = {}
    for file in files:
        by_module.setdefault(file.module, []).append(file)
    result: list[SourceFile] = []
    for module, group in by_module.items():
        if len(group) == 1 or not module:
            result.extend(group)
            continue
        group.sort(key=lambda f: (not f.is_package, f.path.endswith(".pyi"), f.path))
        result.append(group[0])
        for other in group[1:]:
            result.append(SourceFile(other.abspath, other.path, f"{module}@{other.path}", other.is_package))
    return sorted(result, key=lambda f: f.path)
