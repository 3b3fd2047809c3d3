"""Per-file facts: everything rules may know about one file, from one ``ast`` pass.

Facts are plain frozen dataclasses of primitives, tuples and other facts, so they cross
process boundaries and round-trip through the JSON cache (``engine/codec.py``) without
pickle. A rule family that needs more facts adds a field with a default here and fills
it in ``engine/extract.py``, and bumps ``FACTS_VERSION``: old caches are then ignored,
as after any edit of archlint's code (the cache key follows its source files, so the
cache never has to import this module to know the facts' structure).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from archlint.domain.checklist_facts import ChecklistFacts
from archlint.domain.class_facts import ClassFacts, ModuleStats
from archlint.domain.cycle_facts import CycleFacts
from archlint.domain.function_facts import ModuleApiFacts

FACTS_VERSION = 5  # 2: suppression parsing (reasons, string literals, ignore[]); 3: class LOC without docstrings; 4: TCC through properties; 5: imports of .pyi stubs are type-checking


class ImportKind(str, Enum):
    """When an import statement runs."""

    MODULE_LEVEL = "module-level"
    """Runs when the module is imported: module body, ``try``/``if`` blocks, class bodies."""
    TYPE_CHECKING = "type-checking"
    """Under ``if TYPE_CHECKING:``: never runs."""
    DEFERRED = "deferred"
    """Inside a function body: runs when the function is called."""


@dataclass(frozen=True, slots=True)
class ImportFact:
    """One imported module or ``from`` import, as written and resolved to absolute form.

    ``module`` is the absolute dotted module the statement names (``a.b.c`` for
    ``import a.b.c``; ``pkg`` for ``from pkg import name``; relative imports resolved
    against the importing module). It is ``""`` when a relative import climbs above the
    top-level package. ``names`` holds the names of a ``from`` import (``*`` for a star
    import) and is empty for a plain ``import``.
    """

    module: str
    names: tuple[str, ...]
    line: int
    column: int
    end_line: int
    end_column: int
    kind: ImportKind
    level: int = 0
    in_try: bool = False
    text: str = ""


@dataclass(frozen=True, slots=True)
class ParseProblem:
    """Why a file could not be read or parsed, at the best position known (1-based)."""

    message: str
    line: int = 1
    column: int = 1


@dataclass(frozen=True, slots=True)
class Suppression:
    """An inline suppression comment: ``# archlint: ignore[CODES] -- reason``,
    ``# archlint: ignore-file[CODES]`` or ``# noqa: ARC...``. Empty ``codes`` means all."""

    line: int
    column: int
    codes: tuple[str, ...]
    file_level: bool = False
    reason: str = ""
    style: str = "archlint"


@dataclass(frozen=True, slots=True)
class FileFacts:
    """All facts of one file."""

    path: str
    module: str
    is_package: bool
    imports: tuple[ImportFact, ...] = ()
    error: ParseProblem | None = None
    lines: int = 0
    suppressions: tuple[Suppression, ...] = ()
    classes: tuple[ClassFacts, ...] = ()
    module_stats: ModuleStats = ModuleStats()
    cycle_facts: CycleFacts = CycleFacts()
    api: ModuleApiFacts = ModuleApiFacts()
    checklist: ChecklistFacts = ChecklistFacts()
