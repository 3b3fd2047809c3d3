"""The read-only view of an analysed project that every rule receives."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING

# Only annotations here: a run whose results all come from the cache builds a project
# it never reads, and must not pay for creating the facts' dataclasses (or the graph's).
if TYPE_CHECKING:
    from archlint.domain.facts import FileFacts
    from archlint.domain.graph import ProjectGraph
    from archlint.domain.repo_facts import RepoFacts


class Project:
    """All file facts, sorted by path, plus the import graph built from them."""

    def __init__(self, files: Sequence[FileFacts], root: str = ".", repo: RepoFacts | None = None) -> None:
        self.files: tuple[FileFacts, ...] = tuple(sorted(files, key=lambda f: f.path))
        self.root = root
        self.repo = repo
        """The repository around the analysed package (ARC606); ``None`` when not gathered."""

    @cached_property
    def graph(self) -> ProjectGraph:
        """The first-party import graph (built on first use). Every analysed file is a
        node, an unreadable or unparsable one too: an import of a broken module still
        points at it (not at its package), and the imports recovered from an
        unparsable file are edges."""
        from archlint.domain.graph import ProjectGraph

        return ProjectGraph(self.files)

    @cached_property
    def by_module(self) -> Mapping[str, FileFacts]:
        """Facts by dotted module name."""
        return {f.module: f for f in self.files if f.module}

    def file_of(self, module: str) -> FileFacts | None:
        """The facts of ``module``, if it was analysed."""
        return self.by_module.get(module)


class DeferredProject(Project):
    """A :class:`Project` whose facts and repository facts are loaded on first use: a
    run whose rule results all come from the cache never decodes them, yet every
    reporter that does ask for them gets the same project."""

    def __init__(
        self, load_files: Callable[[], Sequence[FileFacts]], root: str, load_repo: Callable[[], RepoFacts | None]
    ) -> None:
        self._load_files = load_files
        self._load_repo = load_repo
        self.root = root

    @cached_property
    def files(self) -> tuple[FileFacts, ...]:  # type: ignore[override]
        """All file facts, sorted by path (decoded on first use)."""
        return tuple(sorted(self._load_files(), key=lambda f: f.path))

    @cached_property
    def repo(self) -> RepoFacts | None:  # type: ignore[override]
        """The repository facts (gathered on first use)."""
        return self._load_repo()
