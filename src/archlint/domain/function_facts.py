"""Facts about a module's functions and public surface, for the type-hints rules.

Collected once per file (``engine/collectors/functions.py``) and judged later: which
functions are public and which findings they deserve is decided by
:mod:`archlint.domain.public_api` and the rules, never by the collector.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from archlint._hashing import blake2b


class ParamKind(str, Enum):
    """How a parameter is passed."""

    POSITIONAL_ONLY = "positional-only"
    REGULAR = "regular"
    VAR_POSITIONAL = "var-positional"
    KEYWORD_ONLY = "keyword-only"
    VAR_KEYWORD = "var-keyword"


@dataclass(frozen=True, slots=True)
class ParamFact:
    """One parameter of a ``def``: its name, kind and whether it is annotated."""

    name: str
    kind: ParamKind
    annotated: bool

    @property
    def display(self) -> str:
        """The name as written in a signature: ``*args``, ``**kwargs`` or ``name``."""
        kind = self.kind
        if kind is ParamKind.VAR_POSITIONAL:
            return "*" + self.name
        if kind is ParamKind.VAR_KEYWORD:
            return "**" + self.name
        return self.name


@dataclass(frozen=True, slots=True)
class FunctionFact:
    """A ``def`` at module level or in a class body (at any class depth), never one
    nested in a function. ``qualname`` is ``func`` or ``Class.Inner.method``; ``line`` and
    ``column`` locate the ``def`` (or ``async``) keyword, not the decorators."""

    qualname: str
    line: int
    column: int
    decorators: tuple[str, ...] = ()
    params: tuple[ParamFact, ...] = ()
    has_return_annotation: bool = False
    is_async: bool = False
    returns_value: bool = False
    """A ``return <value>`` other than ``return None`` in the function's own body."""
    has_yield: bool = False
    is_stub: bool = False
    """The body is only a docstring, ``...``, ``pass`` or ``raise NotImplementedError``."""
    always_raises: bool = False
    """The own body has no ``return`` at all and every path ends in ``raise`` (checked
    structurally: the last statement is a ``raise``, or an ``if``/``else``, ``try`` or
    ``with`` whose branches all end so)."""
    has_type_comment: bool = False
    """A ``# type:`` comment (other than ``# type: ignore``) between the ``def`` keyword
    and the first statement of the body: a PEP 484 signature or argument type comment."""

    @property
    def name(self) -> str:
        """The function's own name."""
        return self.qualname.rsplit(".", 1)[-1]

    @property
    def owner(self) -> str:
        """The qualname of the enclosing class, ``""`` for a module-level function."""
        return self.qualname.rpartition(".")[0]


NONE_RETURNING_DUNDERS = frozenset(
    {
        "__init__",
        "__call__",
        "__setattr__",
        "__delattr__",
        "__setitem__",
        "__delitem__",
        "__set__",
        "__delete__",
        "__set_name__",
        "__setstate__",
        "__init_subclass__",
        "__post_init__",
        "__del__",
    }
)
"""The dunder methods whose return type Python's data model fixes to ``None`` (and
``__call__``, whose return type it leaves free, like a plain method's). Every other dunder (``__int__``, ``__len__``, ``__hash__``, ``__contains__``, ``__repr__``,
``__reduce_ex__``, ``__enter__``, ``__exit__``, ``__eq__``, a module's ``__getattr__``...)
returns something else, or is typed by its base class: ``--fix`` never gives it ``-> None``."""


def return_type_fixed_elsewhere(name: str) -> bool:
    """Whether ``name`` is a dunder whose return type the data model fixes to something
    other than ``None`` (any dunder not in :data:`NONE_RETURNING_DUNDERS`)."""
    is_dunder = len(name) > 4 and name.startswith("__") and name.endswith("__")
    return is_dunder and name not in NONE_RETURNING_DUNDERS


@dataclass(frozen=True, slots=True)
class ReExport:
    """A module-level ``from <module> import <name> as <alias>`` (``alias`` is ``name``
    when there is no ``as``); ``module`` is absolute. Star imports are recorded apart."""

    module: str
    name: str
    alias: str
    line: int


@dataclass(frozen=True, slots=True)
class ModuleApiFacts:
    """What the type-hints rules know about one module.

    ``all_names`` holds the names of a literal ``__all__`` (``None`` when the module has
    none, or builds it in a way that cannot be read without running code). ``digest``
    identifies the analysed text, so ``--fix`` can skip a file changed since."""

    functions: tuple[FunctionFact, ...] = ()
    all_names: tuple[str, ...] | None = None
    reexports: tuple[ReExport, ...] = ()
    class_names: tuple[str, ...] = ()
    digest: str = ""
    star_imports: tuple[str, ...] = ()
    """Absolute modules of module-level ``from <module> import *``."""


def text_digest(text: str) -> str:
    """The digest of a decoded source text, as recorded in :attr:`ModuleApiFacts.digest`."""
    return blake2b(text.encode("utf-8", errors="surrogatepass"), digest_size=16).hexdigest()
