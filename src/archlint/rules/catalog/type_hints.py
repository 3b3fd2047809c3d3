"""Metadata and options of the rules in :mod:`archlint.rules.type_hints` (MissingParamAnnotation, MissingReturnAnnotation, LowAnnotationCoverage).

Light on purpose: the registry imports it on every run; the implementation is imported
only when a rule runs (``archlint.rules.LazyRule``)."""

from __future__ import annotations

from archlint.domain.finding import Severity
from archlint.domain.type_hints_options import TypeHintsOptions
from archlint.domain.rule import RuleMeta

CHECKLIST = ("Type hints on public APIs", "Maintainability")


_PUBLIC = (
    "Public means: a module whose dotted path has no component starting with `_` (tests "
    "excluded); at module level a name without a leading `_`, or the names of a literal "
    "`__all__`; methods without a leading `_` and dunder methods of public classes; and any "
    "function or class re-exported by a public module's `__all__` or a package's "
    "`__init__.py`, reported where it is defined. Nested functions are never API; the "
    "implementation after `@overload` signatures is not checked."
)


MISSING_PARAM_ANNOTATION = RuleMeta(
    code="ARC401",
    reads=frozenset({"api", "error"}),
    name="missing-param-annotation",
    severity=Severity.WARNING,
    checklist=CHECKLIST,
    summary="A public function or method has parameters without type annotations.",
    what=(
        "Reports a public function or method whose parameters (positional-only, regular, "
        "keyword-only, `*args`, `**kwargs`) lack annotations, once per function on the "
        "`def` line, listing the missing names. The first parameter of a regular method "
        "or classmethod (`self`, `cls`) is exempt; every parameter of a `@staticmethod` "
        "needs one. " + _PUBLIC
    ),
    why=(
        "The public API is the contract between modules: its parameter types are the "
        "interface other code and type checkers rely on. Unannotated parameters make "
        "callers read the implementation, hide breaking changes, and leave the boundary "
        "unchecked."
    ),
    example="def parse(text, *, strict=False):\n    ...",
    fix=(
        "Annotate every parameter: `def parse(text: str, *, strict: bool = False) -> "
        "Document: ...`. Private helpers (leading `_`) are not reported unless "
        "`include-private` is set."
    ),
    fix_safety="No automatic fix: a parameter's type cannot be inferred safely.",
    options=TypeHintsOptions,
    options_table="type-hints",
)


MISSING_RETURN_ANNOTATION = RuleMeta(
    code="ARC402",
    reads=frozenset({"api", "error"}),
    name="missing-return-annotation",
    severity=Severity.WARNING,
    checklist=CHECKLIST,
    summary="A public function or method has no return annotation.",
    what=(
        "Reports a public function or method without a return annotation, once per "
        "function on the `def` line. `__init__` is exempt (set `init-return = true` to "
        "require `-> None` on it too); properties are not. " + _PUBLIC
    ),
    why=(
        "Without a return type every caller's use of the result is unchecked, and a "
        "reader must follow every `return` to learn what comes back. On the public API "
        "that cost is paid by every module that depends on it."
    ),
    example="class Store:\n    def clear(self):\n        self._items.clear()",
    fix=(
        "Add the return type: `def clear(self) -> None:`. `archlint --fix` does it for "
        "functions that cannot return a value (see fix safety); `archlint --fix --diff` "
        "previews the change."
    ),
    fix_safety=(
        "Safe, applied by `--fix` only where `-> None` is certain: the function has no "
        "`return <value>`, no `yield`, is not abstract, not a stub (body of only a "
        "docstring, `...`, `pass` or `raise NotImplementedError`), not an `@overload` "
        "and not an async generator. It is also left alone (still reported, without the "
        "fixable hint) when it always raises (no `return` and every path ends in `raise`: "
        "its type is `NoReturn` or the one it overrides), when it is a dunder whose return "
        "type the data model fixes (every dunder except `__init__`, `__call__`, "
        "`__setattr__`, `__delattr__`, `__setitem__`, `__delitem__`, `__set__`, "
        "`__delete__`, `__set_name__`, `__setstate__`, `__init_subclass__`, "
        "`__post_init__` and `__del__`), and when a `# type:` signature or argument "
        "comment types it (mypy rejects a second signature). Only the `def` line "
        "changes; the file is re-parsed before it atomically replaces the original, and "
        "a file changed since it was analysed is skipped."
    ),
    options=TypeHintsOptions,
    options_table="type-hints",
)


LOW_ANNOTATION_COVERAGE = RuleMeta(
    code="ARC403",
    reads=frozenset({"api", "error"}),
    name="low-annotation-coverage",
    severity=Severity.WARNING,
    checklist=CHECKLIST,
    summary="A package's share of fully annotated public functions is below `min-coverage`.",
    what=(
        "Computes, for each package, the share of its public functions and methods "
        "(those of the modules directly in it, not in subpackages) whose parameters and "
        "return are all annotated, and reports the package once, on line 1 of its "
        "`__init__.py` (or of its first module), when the share is below `min-coverage` "
        "percent. With the default options, the same figures appear in `archlint "
        "metrics` and the JSON summary."
    ),
    why=(
        "Individual findings say where; coverage says how far a package is from a typed "
        "interface. A package far below the bar is better annotated as one planned piece "
        "of work than finding by finding."
    ),
    example="# pkg/__init__.py, pkg/core.py: 3 of 10 public functions fully annotated\n# -> ARC403 at pkg/__init__.py:1 (30% < 80%)",
    fix=(
        "Annotate the package's public functions (ARC401/ARC402 list them; `archlint "
        "--fix` adds the safe `-> None`s), or lower `min-coverage` while migrating."
    ),
    fix_safety="No automatic fix beyond ARC402's.",
    options=TypeHintsOptions,
    options_table="type-hints",
)
