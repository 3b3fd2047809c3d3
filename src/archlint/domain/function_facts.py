"""Facts about a module's functions and public surface, for the type-hints rules.

Collected once per file (``engine/collectors/functions.py``) and judged later: which
functions are public and which findings they deserve is decided by
:mod:`archlint.domain.public_api` and the rules, never by the collector.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import Enum


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
        prefix = {ParamKind.VAR_POSITIONAL: "*", ParamKind.VAR_KEYWORD: "**"}.get(self.kind, "")
        return prefix + self.name


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

    @property
    def name(self) -> str:
        """The function's own name."""
        return self.qualname.rsplit(".", 1)[-1]

    @property
    def owner(self) -> str:
        """The qualname of the enclosing class, ``""`` for a module-level function."""
        return self.qualname.rpartition(".")[0]


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
    return hashlib.blake2b(text.encode("utf-8", errors="surrogatepass"), digest_size=16).hexdigest()
