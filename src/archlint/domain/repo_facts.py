"""Facts about the repository around the analysed package, for ARC606.

A module of its own, apart from the per-file checklist facts: every run with a cache
gathers them (they are part of ARC606's memo key), while the per-file facts classes
are only needed by a run that decodes or extracts facts (creating their dataclasses
costs milliseconds a warm run should not pay)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RepoFacts:
    """Facts about the repository around the analysed package, for ARC606.

    Pure file-system existence checks made by ``engine/repo_facts.py``. ``root`` is the
    repository root shown relative to the working directory; ``packages`` are the
    top-level packages analysed; ``layout`` is ``src`` when they all sit in ``<root>/src``,
    ``flat`` when they all sit directly in the root, ``other`` when they are elsewhere (an
    examples folder, say) and ``""`` without packages; ``test_files`` counts ``test_*.py``/``*_test.py`` files
    under the tests folder."""

    root: str
    packages: tuple[str, ...] = ()
    layout: str = ""
    pyproject: bool = False
    packaging: bool = False
    tests_dir: str = ""
    test_files: int = 0
    test_subdirs: tuple[str, ...] = ()
    conftest: bool = False
    uses_pytest: bool = False
    adr_dir: str = ""
    py_typed: bool = False
    typed_classifier: bool = False
