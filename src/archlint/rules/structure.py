"""ARC606: the repository around the analysed package against the seed's project structure.

The facts are gathered by ``engine/repo_facts.py`` (existence checks only); the repository
root it uses is documented there and in ``docs/adr/0012-checklist-rules.md``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from archlint.domain.architecture import anchor_file
from archlint.domain.checklist_facts import RepoFacts
from archlint.domain.finding import Finding
from archlint.domain.project import Project
from archlint.domain.rule import Rule
from archlint.rules.catalog.structure import (
    CHECKLIST_ADR,
    CHECKLIST_SRC,
    CHECKLIST_STRUCTURE,
    CHECKLIST_TYPED,
    PROJECT_STRUCTURE,
    StructureOptions,
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
        found.append(("src-layout", CHECKLIST_SRC, f"package {packages} is not in a `src/` folder under {where}"))
    if not repo.pyproject:
        found.append(("pyproject", CHECKLIST_STRUCTURE, f"no `pyproject.toml` in {where}"))
    if not repo.tests_dir:
        found.append(("tests", CHECKLIST_STRUCTURE, f"no `tests/` folder in {where}"))
    elif repo.test_files >= options.min_test_files_for_split and not {"unit", "integration"} <= set(repo.test_subdirs):
        found.append(
            (
                "test-split",
                CHECKLIST_STRUCTURE,
                (
                    f"{repo.test_files} test files in `{repo.tests_dir}/` are not split into "
                    f"`{repo.tests_dir}/unit/` and `{repo.tests_dir}/integration/`"
                ),
            )
        )
    if repo.tests_dir and repo.uses_pytest and not repo.conftest:
        found.append(("conftest", CHECKLIST_STRUCTURE, f"pytest is configured but `{repo.tests_dir}/` has no `conftest.py`"))
    if not repo.adr_dir:
        found.append(("adr", CHECKLIST_ADR, f"no Architecture Decision Records folder (`docs/adr/`) in {where}"))
    typed = repo.typed_classifier or (functions >= options.min_functions and annotated >= options.typed_share * functions)
    if repo.layout in ("src", "flat") and repo.packaging and typed and not repo.py_typed:
        found.append(("py-typed", CHECKLIST_TYPED, f"typed library {packages} ships no `py.typed` marker (PEP 561)"))
    return [item for item in found if item[0] not in options.skip]


class ProjectStructure(Rule):
    """Missing parts of the seed's project structure."""

    meta = PROJECT_STRUCTURE

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
