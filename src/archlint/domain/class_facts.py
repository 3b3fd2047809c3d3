"""Facts about classes and module size: the inputs of the god-object rules and of
``archlint metrics``.

Every metric here is *definitional* (what it measures does not depend on any option), so
the collector computes it once per file in the worker; thresholds are applied by the
rules in the main process. The exact definitions are in ``docs/adr/0005-god-object-metrics.md``
and in the text of ``archlint rule ARC201``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ClassFacts:
    """One class statement (top-level, nested in a class, or local to a function).

    ``qualname`` follows Python's ``__qualname__`` (``Outer.Inner``, ``f.<locals>.C``).
    ``bases`` are the base expressions and ``metaclass`` the ``metaclass=`` keyword as
    written in the source; ``decorators`` are the dotted names of the decorators without
    call arguments (``@dataclass(frozen=True)`` -> ``dataclass``).
    """

    name: str
    qualname: str
    line: int
    column: int
    end_line: int
    bases: tuple[str, ...] = ()
    metaclass: str | None = None
    decorators: tuple[str, ...] = ()
    is_abstract: bool = False
    """An ``ABC``/``ABCMeta`` base or metaclass, a ``Protocol`` base, or any ``@abstractmethod``."""
    abstract_methods: int = 0
    wmc: int = 0
    """Weighted methods per class: the sum of the cyclomatic complexity of the methods."""
    atfd: int = 0
    """Access to foreign data: distinct attributes of other objects the methods read."""
    tcc: float | None = None
    """Tight class cohesion (0..1); ``None`` with fewer than two public methods."""
    lcom4: int = 0
    """Connected components of methods linked by shared attributes or calls."""
    nom: int = 0
    """Number of methods (distinct names; ``@overload`` stubs excluded)."""
    noa: int = 0
    """Number of attributes: class-body names plus ``self.x`` assigned in any method."""
    class_attributes: int = 0
    """How many of ``noa`` are declared in the class body (a data carrier's fields)."""
    loc: int = 0
    """Non-blank, non-comment, non-docstring lines of the class, decorators included."""
    method_loc: int = 0
    """Non-blank, non-comment, non-docstring lines of the class's methods."""
    public_methods: int = 0


@dataclass(frozen=True, slots=True)
class ModuleStats:
    """Size of one module."""

    loc: int = 0
    """Non-blank, non-comment, non-docstring lines."""
    classes: int = 0
    """Top-level classes (also inside top-level ``if``/``try`` blocks)."""
    functions: int = 0
    """Top-level functions (also inside top-level ``if``/``try`` blocks)."""
    complexity: int = 0
    """Cyclomatic complexity of every top-level function plus the WMC of every class."""

    @property
    def definitions(self) -> int:
        """Top-level classes plus functions."""
        return self.classes + self.functions
