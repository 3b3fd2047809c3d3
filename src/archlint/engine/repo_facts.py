"""Facts about the repository around the analysed package, for ARC606.

Only file-system existence checks and a text search of two packaging config files
(``pyproject.toml``, ``setup.cfg``) for pytest and the ``Typing :: Typed`` classifier:
no Python file is read here.

The repository root is the folder of the config file archlint uses, when there is one;
otherwise the nearest folder at or above the first analysed path that holds a
``pyproject.toml``, ``setup.py``, ``setup.cfg`` or ``.git``. Without either there is no
repository to judge and the project carries no repository facts (ARC606 stays silent).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from archlint.domain.repo_facts import RepoFacts
from archlint.engine.discovery import SourceFile, display_path

ROOT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")
TEST_FOLDERS = ("tests", "test")
ADR_FOLDERS = (
    "docs/adr",
    "doc/adr",
    "adr",
    "docs/adrs",
    "docs/decisions",
    "docs/architecture/decisions",
    "docs/architecture/adr",
    "docs/decision-records",
    "doc/architecture/decisions",
    "architecture/decisions",
)
_PYTEST_MARKERS = (("pyproject.toml", "[tool.pytest"), ("setup.cfg", "[tool:pytest]"), ("tox.ini", "[pytest]"))


def repository_root(paths: Sequence[str], *, cwd: Path, has_config: bool, default: Path) -> Path | None:
    """Where the repository around the analysed paths starts (see the module docstring);
    ``default`` is the settings' root, the config file's folder when ``has_config``.
    ``None`` when there is no config file and no folder above looks like a repository."""
    if has_config:
        return default
    start = (cwd / (paths[0] if paths else ".")).resolve()
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        if any((candidate / marker).exists() for marker in ROOT_MARKERS):
            return candidate
    return None


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
    except OSError:
        return ""


def _scan_tests(folder: Path) -> tuple[int, bool]:
    """The number of test files under ``folder`` and whether a ``conftest.py`` is among them."""
    count = 0
    conftest = False
    try:
        for file in folder.rglob("*.py"):
            name = file.name
            if name.startswith("test_") or name.endswith("_test.py"):
                count += 1
            conftest = conftest or name == "conftest.py"
    except OSError:
        pass
    return count, conftest


def _subfolders(folder: Path) -> tuple[str, ...]:
    try:
        return tuple(sorted(item.name for item in folder.iterdir() if item.is_dir()))
    except OSError:
        return ()


def _layout(package_dirs: Sequence[Path], *, root: Path, src: Path) -> str:
    parents = {folder.resolve().parent for folder in package_dirs}
    if not parents:
        return ""
    if parents == {src}:
        return "src"
    return "flat" if parents == {root} else "other"


def gather(files: Sequence[SourceFile], *, root: Path, cwd: Path) -> RepoFacts:
    """The :class:`RepoFacts` of the repository at ``root`` around ``files``."""
    package_dirs = sorted(
        {Path(file.abspath).parent for file in files if file.is_package and file.module and "." not in file.module}
    )
    packages = tuple(sorted(folder.name for folder in package_dirs))
    src = (root / "src").resolve()
    tests_dir = next((root / name for name in TEST_FOLDERS if (root / name).is_dir()), None)
    pyproject_text = _read_text(root / "pyproject.toml")
    setup_cfg_text = _read_text(root / "setup.cfg")
    uses_pytest = (root / "pytest.ini").is_file() or any(
        marker in _read_text(root / name) for name, marker in _PYTEST_MARKERS
    )
    test_files, nested_conftest = _scan_tests(tests_dir) if tests_dir is not None else (0, False)
    conftest = (root / "conftest.py").is_file() or nested_conftest
    adr = next((name for name in ADR_FOLDERS if (root / name).is_dir()), "")
    return RepoFacts(
        root=display_path(str(root), str(cwd)),
        packages=packages,
        layout=_layout(package_dirs, root=root.resolve(), src=src),
        pyproject=(root / "pyproject.toml").is_file(),
        packaging=any((root / name).is_file() for name in ("pyproject.toml", "setup.py", "setup.cfg")),
        tests_dir=tests_dir.name if tests_dir is not None else "",
        test_files=test_files,
        test_subdirs=_subfolders(tests_dir) if tests_dir is not None else (),
        conftest=conftest,
        uses_pytest=uses_pytest,
        adr_dir=adr,
        py_typed=bool(package_dirs) and all((folder / "py.typed").is_file() for folder in package_dirs),
        typed_classifier="Typing :: Typed" in pyproject_text or "Typing :: Typed" in setup_cfg_text,
    )


def repository_facts(
    files: Sequence[SourceFile], *, paths: Sequence[str], root: Path, has_config: bool, cwd: Path
) -> RepoFacts | None:
    """The facts of the repository around the analysed files; ``None`` without one."""
    repo_root = repository_root(paths, cwd=cwd, has_config=has_config, default=root)
    return gather(files, root=repo_root, cwd=cwd) if repo_root is not None else None
