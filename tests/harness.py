"""The fixture-project harness, shared by every rule family's tests.

Fixture projects live in ``fixtures/<family>/<case>/`` and mark every expected finding
next to the code with a comment ``# expect: ARC101`` (several codes comma-separated) on
the reported line. The harness runs archlint on the case folder and compares the set of
``(path, line, code)`` exactly: what must fire and what must not.
"""

from __future__ import annotations

import re
from pathlib import Path

from archlint import lint
from archlint.config import Settings
from archlint.domain.report import Report

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
_EXPECT = re.compile(r"#\s*expect:\s*([A-Z0-9, ]+)")


def expected_findings(case: Path) -> set[tuple[str, int, str]]:
    """``(path relative to case, line, code)`` for every ``# expect:`` marker in ``case``."""
    found: set[tuple[str, int, str]] = set()
    for file in sorted(case.rglob("*.py")):
        text = file.read_bytes().decode("utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            match = _EXPECT.search(line)
            if match:
                for code in match.group(1).split(","):
                    if code.strip():
                        found.add((file.relative_to(case).as_posix(), number, code.strip()))
    return found


def cases() -> list[Path]:
    """Every fixture case folder: ``fixtures/<family>/<case>/``."""
    return sorted(p for family in FIXTURES.iterdir() if family.is_dir() for p in family.iterdir() if p.is_dir())


def scope(case: Path) -> tuple[str, ...]:
    """The code prefixes a case's markers speak for, from ``fixtures/<family>/SCOPE``
    (one prefix per line): findings of other families are not compared."""
    file = case.parent / "SCOPE"
    if not file.is_file():
        return ("ARC",)
    return tuple(line.strip() for line in file.read_text().splitlines() if line.strip() and not line.startswith("#"))


def run_case(case: Path, *, select: list[str] | None = None, paths: list[str] | None = None) -> Report:
    """Run archlint on a fixture case folder, without cache, from inside the folder."""
    config = next((case / name for name in ("archlint.toml", "pyproject.toml") if (case / name).is_file()), None)
    settings = None if config else Settings(root=str(case))
    return lint(
        paths or ["."],
        cwd=str(case),
        config=str(config) if config else None,
        settings=settings,
        use_cache=False,
        select=select,
        jobs=1,
    )


def actual_findings(report: Report) -> set[tuple[str, int, str]]:
    """``(path, line, code)`` of every finding of ``report``."""
    return {(f.path, f.line, f.code) for f in report.findings}


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Create ``files`` (relative path -> text) under ``root``."""
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root
