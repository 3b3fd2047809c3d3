"""ARC606: the repository around the analysed package against the seed's project structure.

The facts are gathered by ``engine/repo_facts.py`` (existence checks only); the repository
root it uses is documented there and in ``docs/adr/0012-checklist-rules.md``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field

from archlint.domain.architecture import anchor_file
from archlint.domain.checklist_facts import RepoFacts
from archlint.domain.finding import Finding, Severity
from archlint.domain.project import Project
from archlint.domain.rule import Rule, RuleMeta

ITEMS = ("src-layout", "pyproject", "tests", "test-split", "conftest", "adr", "py-typed")
_SRC = "Clear code organization (src layout)"
_STRUCTURE = "Project Structure"
_ADR = "Architecture Decision Records"
_TYPED = "Type hints on public APIs"


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


def _names(packages: tuple[str, ...], shown: int = 3) -> str:
    """``a, b, c and 4 more``."""
    if len(packages) <= shown:
        return ", ".join(packages)
    return f"{', '.join(packages[:shown])} and {len(packages) - shown} more"


def missing_items(
    repo: RepoFacts, options: StructureOptions, *, functions: int, annotated: int
) -> list[tuple[str, str, str]]:
    """``(item, seed item, message)`` for every expected part of the structure that is absent."""
    root = repo.root
    where = "the repository root" if root == "." else f"`{root}`"
    found: list[tuple[str, str, str]] = []
    packages = _names(repo.packages)
    if repo.layout == "flat":
        found.append(("src-layout", _SRC, f"package {packages} is not in a `src/` folder under {where}"))
    if not repo.pyproject:
        found.append(("pyproject", _STRUCTURE, f"no `pyproject.toml` in {where}"))
    if not repo.tests_dir:
        found.append(("tests", _STRUCTURE, f"no `tests/` folder in {where}"))
    elif repo.test_files >= options.min_test_files_for_split and not {"unit", "integration"} <= set(repo.test_subdirs):
        found.append(
            (
                "test-split",
                _STRUCTURE,
                (
                    f"{repo.test_files} test files in `{repo.tests_dir}/` are not split into "
                    f"`{repo.tests_dir}/unit/` and `{repo.tests_dir}/integration/`"
                ),
            )
        )
    if repo.tests_dir and repo.uses_pytest and not repo.conftest:
        found.append(("conftest", _STRUCTURE, f"pytest is configured but `{repo.tests_dir}/` has no `conftest.py`"))
    if not repo.adr_dir:
        found.append(("adr", _ADR, f"no Architecture Decision Records folder (`docs/adr/`) in {where}"))
    typed = repo.typed_classifier or (functions >= options.min_functions and annotated >= options.typed_share * functions)
    if repo.layout in ("src", "flat") and repo.packaging and typed and not repo.py_typed:
        found.append(("py-typed", _TYPED, f"typed library {packages} ships no `py.typed` marker (PEP 561)"))
    return [item for item in found if item[0] not in options.skip]


class ProjectStructure(Rule):
    """Missing parts of the seed's project structure."""

    meta = RuleMeta(
        code="ARC606",
        reads=frozenset({"checklist", "repo"}),
        name="project-structure",
        severity=Severity.INFO,
        checklist=(_SRC, _STRUCTURE, _ADR, _TYPED),
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

    def check(self, project: Project, options: StructureOptions) -> Iterator[Finding]:
        """One finding per missing item."""
        repo = project.repo
        anchor = anchor_file(project)
        if repo is None or anchor is None:
            return
        functions = sum(f.checklist.functions for f in project.files)
        annotated = sum(f.checklist.annotated for f in project.files)
        for item, seed, message in missing_items(repo, options, functions=functions, annotated=annotated):
            finding = self.finding(
                path=anchor,
                line=1,
                message=f"{message} (checklist: {seed})",
                identity=f"project-structure:{item}",
                extra={"item": item, "checklist_item": seed, "root": repo.root},
            )
            # each finding is evidence against its own seed item only, not all four
            yield dataclasses.replace(finding, checklist=(seed,))
