"""Metadata and options of the rules in :mod:`archlint.rules.structure` (ProjectStructure).

Light on purpose: the registry imports it on every run; the implementation is imported
only when a rule runs (``archlint.rules.LazyRule``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from archlint.domain.finding import Severity
from archlint.domain.rule import RuleMeta

ITEMS = ("src-layout", "pyproject", "tests", "test-split", "conftest", "adr", "py-typed")
CHECKLIST_SRC = "Clear code organization (src layout)"
CHECKLIST_STRUCTURE = "Project Structure"
CHECKLIST_ADR = "Architecture Decision Records"
CHECKLIST_TYPED = "Type hints on public APIs"


@dataclass(frozen=True, kw_only=True)
class StructureOptions:
    """``[tool.archlint.project-structure]``."""

    skip: tuple[str, ...] = field(
        default=(),
        metadata={"doc": "Items not to check: " + ", ".join(f"`{item}`" for item in ITEMS) + "."},
    )
    min_test_files_for_split: int = field(
        default=30,
        metadata={"doc": "From this many test files on, tests/ should have unit/ and integration/.", "min": 1},
    )
    typed_share: float = field(
        default=0.8,
        metadata={
            "doc": "Share of fully annotated functions from which a packaged library counts as typed (needs py.typed).",
            "min": 0,
            "max": 1,
            "float": True,
        },
    )
    min_functions: int = field(
        default=20, metadata={"doc": "Fewer functions than this never make a library count as typed.", "min": 1}
    )


PROJECT_STRUCTURE = RuleMeta(
    code="ARC606",
    reads=frozenset({"checklist", "repo"}),
    name="project-structure",
    severity=Severity.INFO,
    checklist=(CHECKLIST_SRC, CHECKLIST_STRUCTURE, CHECKLIST_ADR, CHECKLIST_TYPED),
    summary="The repository lacks part of the seed's project structure (src layout, tests, pyproject, ADRs, py.typed).",
    what=(
        "Checks the repository around the analysed package. Its root is the folder of the "
        "config file archlint uses, else the nearest folder at or above the first analysed "
        "path holding `pyproject.toml`, `setup.py`, `setup.cfg` or `.git`; without either there "
        "is no repository to judge and the rule is silent. Reports, one "
        "finding per missing item and each naming its seed item: top-level packages sitting "
        "directly in the root instead of a `src/` folder (`src-layout`; packages elsewhere, "
        "such as an examples folder, are not judged); no `pyproject.toml` (`pyproject`); no `tests/` "
        "(or `test/`) folder (`tests`); a test suite of at least `min-test-files-for-split` "
        "(30) test files without `unit/` and `integration/` sub-folders (`test-split`); "
        "pytest configured but no `conftest.py` anywhere in the tests folder or at the root "
        "(`conftest`); no ADR folder (`docs/adr/`, `doc/adr/`, `adr/`, `docs/decisions/`...) "
        "(`adr`); a packaged library that is typed (the `Typing :: Typed` classifier, or at "
        "least `typed-share` of its functions fully annotated), laid out in the root or in "
        "`src/`, without a `py.typed` marker in each top-level package (`py-typed`). Findings sit on line 1 of the top package's "
        "`__init__.py`; `extra.item` names the item, so `skip` can turn it off, and the "
        "finding's `checklist` names only its own seed item."
    ),
    why=(
        "A predictable layout is the cheapest documentation: the src layout makes tests run "
        "against the installed package, not the working tree; `pyproject.toml` holds every "
        "tool's configuration; separate unit and integration suites keep the fast feedback "
        "loop fast; ADRs keep the reasons for the architecture next to the code; and "
        "without `py.typed` type checkers ignore a library's annotations."
    ),
    example="myproject/\n  myproject/__init__.py\n  setup.py\n  test_all.py",
    fix=(
        "Move the package to `src/<name>/`, describe the project in `pyproject.toml`, put "
        "tests in `tests/unit/` and `tests/integration/` with shared fixtures in "
        "`tests/conftest.py`, record decisions in `docs/adr/NNNN-title.md`, and add an empty "
        "`py.typed` next to the package's `__init__.py`. Items that do not apply go in "
        "`skip`."
    ),
    options=StructureOptions,
    options_table="project-structure",
)
