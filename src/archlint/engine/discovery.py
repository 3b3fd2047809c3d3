"""Files -> module names, for src layouts, flat layouts, package folders, loose scripts,
namespace packages and several top-level packages at once. Never imports anything."""

from __future__ import annotations

import fnmatch
import re
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
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


_WILDCARD = re.compile(r"[*?[]")
"""What makes a glob pattern more than a name (``fnmatch``'s special characters)."""


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
        self._root_prefix = _prefix(str(root))
        # A name pattern without a wildcard matches that name alone (most of them: ``.git``,
        # ``venv``, ``__pycache__``...): a set look-up. One regular expression for the
        # others: the same matches as ``fnmatchcase`` with each pattern, one call per path
        # instead of one per pattern (and no expression to compile for the defaults' one).
        self._literal_names = frozenset(pat for pat in self._names if not _WILDCARD.search(pat))
        wild = [pat for pat in self._names if pat not in self._literal_names]
        self._name_pattern = re.compile("|".join(f"(?:{fnmatch.translate(pat)})" for pat in wild)) if wild else None

    def excluded(self, path: Path) -> bool:
        """Whether ``path`` (a file or a folder) is excluded."""
        return self.excluded_entry(str(path), path.name)

    def excluded_entry(self, path: str, name: str) -> bool:
        """:meth:`excluded` for a normalised absolute ``path`` string whose last component
        is ``name`` (what the walk has at hand: no :class:`Path` per directory entry)."""
        if name in self._literal_names or (self._name_pattern is not None and self._name_pattern.match(name)):
            return True
        if self._paths:
            if path.startswith(self._root_prefix):
                rel = path[len(self._root_prefix) :]
            elif path == str(self._root):
                rel = "."
            else:
                return False
            return any(fnmatch.fnmatchcase(rel, pat) or fnmatch.fnmatchcase(rel, pat + "/*") for pat in self._paths)
        return False


def _prefix(directory: str) -> str:
    """``directory`` with one trailing separator: what every path below it starts with."""
    return directory if directory.endswith(os.sep) else directory + os.sep


_BY_NAME = attrgetter("name")
"""Sort key of a directory entry (C, not a Python call per entry)."""


def _is_file(entry: os.DirEntry[str] | _Listed) -> bool:
    """``Path(entry.path).is_file()``, from the directory listing unless ``entry`` is a
    symlink (only a symlink costs a ``stat``)."""
    if entry.is_symlink():
        return Path(entry.path).is_file()
    return entry.is_file(follow_symlinks=False)


_PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg")


class _Listed:
    """A remembered folder entry: the part of an ``os.DirEntry`` the walk reads (never
    a symlink: a folder holding one is always listed afresh)."""

    __slots__ = ("_kind", "name", "path")

    def __init__(self, prefix: str, name: str, kind: str) -> None:
        self.name = name
        self.path = prefix + name  # what os.scandir gives: the folder, one separator, the name
        self._kind = kind

    def is_symlink(self) -> bool:
        return False

    def is_dir(self, *, follow_symlinks: bool = True) -> bool:
        return self._kind == "d"

    def is_file(self, *, follow_symlinks: bool = True) -> bool:
        return self._kind == "f"


FOLDER_RACY_NS = 2_000_000_000
"""A folder modified or changed less than this long before it was listed may change
again within the same timestamp: its listing is not remembered."""


class FolderListings:
    """Folder listings remembered between runs (the warm path of a large tree: Django
    has 2 454 folders). A listing is reused while the folder's device, inode,
    modification and change times are those it had when listed: adding, removing or
    renaming an entry changes the folder's times. Only what the walk reads is kept
    (subfolders, Python files, project markers, other special entries); a folder holding
    a symlink, or listed within :data:`FOLDER_RACY_NS` of a change, is never
    remembered. Stored as one JSON file written atomically by the caller."""

    def __init__(self, stored: object = None, now_ns: int = 0) -> None:
        self._stored: dict[str, object] = stored if isinstance(stored, dict) else {}
        """The listings stored by the last run, as read: each is checked when the walk
        asks for its folder (a warm run asks for every one, once)."""
        self.fresh: dict[str, object] = {}
        """What to store: the listings this run used, in the stored JSON shape."""
        self._now = now_ns
        self._remembered = False

    def entries(self, directory: str, info: os.stat_result) -> list[_Listed] | None:
        """The remembered listing of ``directory`` when ``info`` (its stat now) shows it
        unchanged, else ``None``."""
        stored = self._stored.get(directory)
        if stored is None:
            return None
        listed = _stored_entries(stored, info, _prefix(directory))
        if listed is not None:
            self.fresh[directory] = stored  # checked: kept as read
        return listed

    def remember(self, directory: str, info: os.stat_result, entries: Sequence[os.DirEntry[str]]) -> None:
        """Keep the fresh listing of ``directory`` (sorted ``entries``) for the next run."""
        if max(info.st_mtime_ns, info.st_ctime_ns) >= self._now - FOLDER_RACY_NS:
            return
        kept: list[list[str]] = []
        try:
            for entry in entries:
                name = entry.name
                if entry.is_symlink():
                    return
                if entry.is_dir(follow_symlinks=False):
                    kind = "d"
                elif entry.is_file(follow_symlinks=False):
                    if not name.endswith((".py", ".pyi")) and name not in _PROJECT_MARKERS:
                        continue  # a regular non-Python file: the walk skips it anyway
                    kind = "f"
                else:
                    kind = "o"
                kept.append([name, kind])
        except OSError:
            return
        self.fresh[directory] = [info.st_dev, info.st_ino, info.st_mtime_ns, info.st_ctime_ns, kept]
        self._remembered = True

    def changed(self) -> bool:
        """Whether :attr:`fresh` should replace what was stored: a listing is new or
        changed, or some are no longer used. A run that walked no folder (only files
        named on the command line, as pre-commit does) keeps the stored ones."""
        return self._remembered or (bool(self.fresh) and len(self.fresh) != len(self._stored))


def _stored_entries(item: object, info: os.stat_result, prefix: str) -> list[_Listed] | None:
    """The entries of a stored listing (``[dev, ino, mtime_ns, ctime_ns, [[name, kind],
    ...]]``) of the folder whose path is ``prefix`` less its last separator, when it is
    well formed, value by value, and ``info`` shows the folder unchanged since; else
    ``None``."""
    if item.__class__ is not list or len(item) != 5:
        return None
    dev, ino, mtime, ctime, rows = item
    if not (
        dev.__class__ is int and ino.__class__ is int and mtime.__class__ is int and ctime.__class__ is int
        and rows.__class__ is list
    ):
        return None
    if dev != info.st_dev or ino != info.st_ino or mtime != info.st_mtime_ns or ctime != info.st_ctime_ns:
        return None
    listed: list[_Listed] = []
    for row in rows:
        if row.__class__ is not list or len(row) != 2 or row[0].__class__ is not str or row[1] not in ("d", "f", "o"):
            return None
        listed.append(_Listed(prefix, row[0], row[1]))
    return listed


class _Walk:
    """One directory walk: the folders seen (symlink-loop guard), the folders a symlink
    may point into, and the problems met on the way (returned as run warnings).

    One ``os.scandir`` per folder and string paths throughout: a folder costs one
    ``stat`` (its identity, for the loop guard), a regular file none; only symlinks are
    resolved. Each file comes with the source root of the innermost project nested below
    the walked folder that holds it (:func:`_nested_here`), decided from the listings
    the walk already has."""

    def __init__(
        self, excluder: Excluder, inside: Sequence[Path], warnings: list[str], cwd: str, listings: FolderListings | None
    ) -> None:
        self.listings = listings
        self.excluder = excluder
        self.inside = [root.resolve() for root in inside]
        self.warnings = warnings
        self.cwd = cwd

    def _warn(self, path: str, message: str) -> None:
        self.warnings.append(f"{display_path(path, self.cwd)}: {message}")

    def _outside(self, path: Path) -> bool:
        """Whether the symlink ``path`` resolves outside every allowed root."""
        try:
            target = path.resolve()
        except (OSError, RuntimeError):
            return False
        return not any(target == root or root in target.parents for root in self.inside)

    def files(self, directory: Path, seen: set[tuple[int, int]]) -> list[tuple[str, str | None]]:
        """Python files below ``directory`` in sorted order (depth first, entries by
        name), each with the source root of the innermost project nested below
        ``directory`` that holds it (``None``: the caller's root), skipping excluded
        folders, symlink loops, symlinks out of the project and unreadable folders (with
        a warning for the last two)."""
        found: list[tuple[str, str | None]] = []
        self._visit(str(directory), seen, found, nested=False, project=None, root=None)
        return found

    def _visit(
        self,
        directory: str,
        seen: set[tuple[int, int]],
        found: list[tuple[str, str | None]],
        *,
        nested: bool,
        project: str | None,
        root: str | None,
    ) -> None:
        """Walk ``directory``. ``project`` is the innermost project folder nested below the
        walked folder that holds ``directory``, ``root`` the source root its files get
        (:func:`_nested_here`); ``nested`` is false for the walked folder itself, which
        is never a nested project."""
        try:
            info = os.stat(directory)
        except OSError as exc:
            self._warn(directory, f"cannot read folder: {exc.strerror or exc}")
            return
        key = (info.st_dev, info.st_ino)
        if key in seen:
            return
        seen.add(key)
        listings = self.listings
        entries: Sequence[os.DirEntry[str] | _Listed] | None = listings.entries(directory, info) if listings else None
        if entries is None:
            try:
                with os.scandir(directory) as scan:
                    entries = sorted(scan, key=_BY_NAME)
            except OSError as exc:
                self._warn(directory, f"cannot read folder: {exc.strerror or exc}")
                return
            if listings is not None:
                listings.remember(directory, info, entries)
        if nested:
            project, root = _nested_here(directory, entries, project, root)
        excluded = self.excluder.excluded_entry
        for entry in entries:
            name = entry.name
            is_python = name.endswith((".py", ".pyi"))
            if not is_python:
                # A regular file that is not Python: nothing below would use it, excluded
                # or not (most of a tree: locale catalogues, templates, static files).
                # An error falls through to the full path, which reports it.
                try:
                    if entry.is_file(follow_symlinks=False):
                        continue
                except OSError:
                    pass
            path = entry.path
            if excluded(path, name):
                continue
            try:
                if entry.is_symlink():
                    if not Path(path).exists():  # dangling: reported as unreadable (ARC001)
                        if is_python:
                            found.append((path, root))
                        continue
                    if self._outside(Path(path)):
                        self._warn(path, "skipped: symlink to a location outside the project")
                        continue
                if entry.is_dir():
                    self._visit(path, seen, found, nested=True, project=project, root=root)
                elif is_python and entry.is_file():
                    if name.endswith(".pyi") and Path(path[:-1]).exists():
                        continue
                    found.append((path, root))
            except OSError as exc:
                self._warn(path, f"cannot read: {exc.strerror or exc}")
                continue


def _nested_here(
    directory: str, entries: Sequence[os.DirEntry[str] | _Listed], project: str | None, root: str | None
) -> tuple[str | None, str | None]:
    """The nested project and source root for the files of ``directory`` (a folder below
    the walked one), from its listing: a folder holding packaging metadata and no
    ``__init__.py`` is a project of its own (its files are named from it), and the
    ``src/`` folder of a project, when not a package, is that project's source root. A
    monorepo or a project with ``examples/`` of their own: each nested project names its
    modules from its own root, as Python would when that project is installed."""
    has_init = False
    has_marker = False
    for entry in entries:
        name = entry.name
        if name == "__init__.py":
            has_init = _is_file(entry)
        elif name in _PROJECT_MARKERS and not has_marker:
            has_marker = _is_file(entry)
    if has_init:
        return project, root
    if has_marker:
        return directory, directory
    if project is not None and directory == project + os.sep + "src":
        return project, directory
    return project, root


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
    listings: FolderListings | None = None,
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
    into an ``ARC001``. File names that are not valid UTF-8 are shown escaped.
    ``listings`` remembers folder listings between runs (:class:`FolderListings`)."""
    cwd = cwd or os.getcwd()
    root_for_excludes = project_root or Path(cwd)
    excluder = Excluder(exclude, root_for_excludes.resolve())
    problems = warnings if warnings is not None else []
    found: dict[str, SourceFile] = {}
    seen_dirs: set[tuple[int, int]] = set()
    shown = _display(cwd)
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
        for walk_dir, root in _roots_for_directory(path, Path(cwd)):
            walk = _Walk(excluder, [root_for_excludes, path], problems, cwd, listings)
            root_text = str(root)
            for key, nested_root in walk.files(walk_dir, seen_dirs if walk_dir == path else set()):
                if key in claimed:
                    continue
                claimed.add(key)
                if key not in found:
                    module, is_package = _module_of(key, nested_root or root_text)
                    found[key] = SourceFile(abspath=key, path=shown(key), module=printable(module), is_package=is_package)
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


def _module_of(path: str, root: str) -> tuple[str, bool]:
    """:func:`module_name` for a file path string below the folder ``root``."""
    parts = path[len(_prefix(root)) :].split(os.sep)
    name = parts[-1]
    dot = name.rfind(".")
    if 0 < dot < len(name) - 1:  # the suffix pathlib's with_suffix("") removes
        parts[-1] = name[:dot]
    is_package = parts[-1] == "__init__"
    if is_package:
        parts.pop()
    return ".".join(parts), is_package


def _display(cwd: str) -> Callable[[str], str]:
    """:func:`display_path` for paths below ``cwd`` without ``os.path.relpath`` per file."""
    prefix = _prefix(os.path.abspath(cwd))

    def shown(abspath: str) -> str:
        if abspath.startswith(prefix):
            return printable(abspath[len(prefix) :].replace(os.sep, "/"))
        return display_path(abspath, cwd)

    return shown


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
