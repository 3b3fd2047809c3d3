"""Per-file facts the import-cycle rules need beyond the imports themselves.

* :class:`NameUsage`: for each name a module-level import binds, where the module uses it
  (only in annotations, only inside functions, or at import time), so a cut suggestion
  can say *how* to cut an import.
* :class:`ModuleEvent`: the ordered module-level events of a file (names bound, imports
  run) that the import-order simulation of ARC104 replays.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Usage(str, Enum):
    """Where a module uses a name it imports at module level (the strongest use wins)."""

    IMPORT_TIME = "import-time"
    """Used while the module body runs (module or class body, decorators, defaults,
    re-exported by a package or through ``__all__``)."""
    FUNCTIONS = "functions"
    """Used only inside function bodies (and possibly annotations)."""
    ANNOTATIONS = "annotations"
    """Used only in annotations."""
    UNUSED = "unused"
    """Never used."""


@dataclass(frozen=True, slots=True)
class NameUsage:
    """A name bound by a module-level import statement, and how the module uses it.

    ``module`` is the absolute module the statement names, ``imported`` the name as
    imported (``from m import imported as bound``; for ``import a.b`` it is ``a.b``)."""

    line: int
    module: str
    imported: str
    bound: str
    usage: Usage


class EventKind(str, Enum):
    """What a module-level event does when the module body runs."""

    BIND = "bind"
    """Binds ``names`` in the module namespace (def, class, assignment, import)."""
    IMPORT = "import"
    """``import module``: loads the module and its parent packages."""
    FROM = "from"
    """``from module import names``: loads the module, then reads each name from it."""
    OPEN = "open"
    """From here on the namespace may hold any name (star import, ``globals()``,
    a module ``__getattr__``): later lookups are never reported."""
    ATTR = "attr"
    """Reads ``names[0].names[1]...`` while the module body runs (a base class, a
    decorator, an assignment): an attribute of an imported module."""


@dataclass(frozen=True, slots=True)
class ModuleEvent:
    """One module-level event, in execution order.

    ``guarded`` events sit inside a ``try`` with handlers or a conditional block: they are
    replayed (their loads and bindings happen) but an import failure there is not proven."""

    kind: EventKind
    line: int
    column: int = 1
    module: str = ""
    names: tuple[str, ...] = ()
    guarded: bool = False
    text: str = ""
    aliases: tuple[str, ...] = ()
    """For ``import``/``from`` events: the local name each entry of ``names`` (or the
    module of a plain ``import``) is bound to; empty inside class bodies."""


@dataclass(frozen=True, slots=True)
class CycleFacts:
    """The cycle-related facts of one file."""

    usages: tuple[NameUsage, ...] = ()
    events: tuple[ModuleEvent, ...] = ()
    future_annotations: bool = False
