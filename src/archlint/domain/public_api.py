"""What is a project's public API, and how much of it is annotated. Pure: reads facts only.

- A module is public unless a component of its dotted name starts with ``_``
  (``__init__`` and ``__main__`` excepted); test modules are never API.
- At module level a name is public when it does not start with ``_``; a literal
  ``__all__`` replaces that convention with its own list.
- A method is public when its class is public and its name does not start with ``_``;
  dunder methods are public too. Functions nested in functions are never collected.
- A name re-exported by a public module's ``__all__`` (or, without ``__all__``, by a
  package's ``__init__``) is public where it is *defined*, even in a private module.
- ``@overload`` signatures are checked; the implementation after them is not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple
from weakref import WeakKeyDictionary

from archlint.domain.facts import FileFacts
from archlint.domain.function_facts import FunctionFact, ParamKind, return_type_fixed_elsewhere
from archlint.domain.metrics import Column, MetricProvider, Values, packages_of
from archlint.domain.project import Project
from archlint.domain.type_hints_options import TypeHintsOptions

_ABSTRACT = frozenset({"abstractmethod", "abstractproperty", "abstractclassmethod", "abstractstaticmethod"})
_TEST_DIRS = frozenset({"tests", "test"})


class ApiFunction(NamedTuple):
    """A public function or method, judged: what it is missing, and whether ``-> None``
    can be added safely. A named tuple: one is built per public function (seven
    thousand on Django), at a third of the cost of a frozen dataclass."""

    path: str
    module: str
    function: FunctionFact
    identity: str
    missing_params: tuple[str, ...]
    missing_return: bool
    return_fixable: bool
    public: bool = True
    """False for a private function checked only because of ``include-private``."""

    @property
    def fully_annotated(self) -> bool:
        """No parameter and no return annotation missing."""
        return not self.missing_params and not self.missing_return


def is_test_module(path: str) -> bool:
    """``tests/``, ``test_*.py``, ``*_test.py`` and ``conftest.py`` are not API."""
    parts = path.replace("\\", "/").split("/")
    name = parts[-1]
    return (
        any(part in _TEST_DIRS for part in parts[:-1])
        or name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
    )


def is_public_module(module: str) -> bool:
    """No component of the dotted name starts with ``_`` (``__init__``/``__main__`` excepted)."""
    return not any(part.startswith("_") and part not in ("__init__", "__main__") for part in module.split("."))


def _last(decorator: str) -> str:
    return decorator.rsplit(".", 1)[-1]


def decorator_matches(decorator: str, patterns: Iterable[str]) -> bool:
    """Whether ``decorator`` (dotted, as written) is one of ``patterns``: equal, or equal
    on the trailing dotted components both share (``fixture`` matches ``pytest.fixture``)."""
    for pattern in patterns:
        if decorator == pattern or pattern.endswith("." + decorator) or decorator.endswith("." + pattern):
            return True
    return False


def defined_names(facts: FileFacts) -> frozenset[str]:
    """Top-level functions and classes defined in the module."""
    return frozenset(f.qualname for f in facts.api.functions if "." not in f.qualname) | frozenset(
        facts.api.class_names
    )


def star_names(project: Project, module: str, _seen: frozenset[str] = frozenset()) -> frozenset[str]:
    """The names ``from module import *`` binds: its literal ``__all__``, else its public
    definitions, re-exports and (recursively) star imports."""
    facts = project.file_of(module)
    if facts is None or module in _seen:
        return frozenset()
    api = facts.api
    if api.all_names is not None:
        return frozenset(api.all_names)
    names = set(defined_names(facts)) | {item.alias for item in api.reexports}
    for inner in api.star_imports:
        names |= star_names(project, inner, _seen | {module})
    return frozenset(name for name in names if not name.startswith("_"))


class _Names:
    """The defined names and star-import names of a project's modules, each computed
    once per :func:`exported_names`: following re-export chains asks for the same
    modules again and again (thousands of frozensets on SQLAlchemy)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._defined: dict[str, frozenset[str]] = {}
        self._star: dict[str, frozenset[str]] = {}

    def defined(self, facts: FileFacts) -> frozenset[str]:
        """:func:`defined_names` of ``facts``."""
        found = self._defined.get(facts.path)
        if found is None:
            found = self._defined[facts.path] = defined_names(facts)
        return found

    def star(self, module: str) -> frozenset[str]:
        """:func:`star_names` of ``module``."""
        found = self._star.get(module)
        if found is None:
            found = self._star[module] = star_names(self.project, module)
        return found


def _resolve(project: Project, module: str, name: str, names: _Names | None = None) -> tuple[str, str] | None:
    """Where ``module.name`` is defined, following re-export chains (star imports too)."""
    if names is None:
        names = _Names(project)
    pending = [(module, name)]
    seen: set[tuple[str, str]] = set()
    while pending:
        module, name = pending.pop()
        if (module, name) in seen:
            continue
        seen.add((module, name))
        facts = project.file_of(module)
        if facts is None:
            continue
        if name in names.defined(facts):
            return module, name
        step = next((r for r in facts.api.reexports if r.alias == name), None)
        if step is not None:
            pending.append((step.module, step.name))
            continue
        pending.extend((inner, name) for inner in reversed(facts.api.star_imports) if name in names.star(inner))
    return None


def exported_names(project: Project) -> Mapping[str, frozenset[str]]:
    """Module -> top-level names that are public API there, re-exports included."""
    names = _Names(project)
    result: dict[str, set[str]] = {}
    for facts in project.files:
        if facts.error is not None or not facts.module or is_test_module(facts.path):
            continue
        if not is_public_module(facts.module):
            continue
        api = facts.api
        if api.all_names is not None:
            own = set(api.all_names)
        else:
            own = {name for name in names.defined(facts) if not name.startswith("_")}
        result.setdefault(facts.module, set()).update(own)
        for item in api.reexports:
            if api.all_names is not None:
                exported = item.alias in api.all_names
            else:
                exported = facts.is_package and not item.alias.startswith("_")
            target = _resolve(project, item.module, item.name, names) if exported else None
            if target is not None:
                result.setdefault(target[0], set()).add(target[1])
        for star in api.star_imports:
            for name in sorted(names.star(star)):
                exported = name in api.all_names if api.all_names is not None else facts.is_package
                target = _resolve(project, star, name, names) if exported else None
                if target is not None:
                    result.setdefault(target[0], set()).add(target[1])
    return {module: frozenset(found) for module, found in result.items()}


def _public_member(name: str) -> bool:
    return not name.startswith("_") or (name.startswith("__") and name.endswith("__") and len(name) > 4)


_SELF_KINDS = (ParamKind.POSITIONAL_ONLY, ParamKind.REGULAR)
_PLAIN_KINDS = frozenset({ParamKind.POSITIONAL_ONLY, ParamKind.REGULAR, ParamKind.KEYWORD_ONLY})


def _judge(
    facts: FileFacts,
    function: FunctionFact,
    identity: str,
    options: TypeHintsOptions,
    public: bool,
    decorators: list[str] | None = None,
) -> ApiFunction:
    """``decorators``: the last dotted part of each of the function's decorators, when the
    caller has them already.

    Runs once per public function (seven thousand on Django), hence the plain
    parameter names read without :attr:`ParamFact.display` and the rarer checks of
    ``fixable`` left until the cheap ones pass."""
    if decorators is None:
        decorators = [_last(item) for item in function.decorators]
    qualname = function.qualname
    is_method = "." in qualname
    params = function.params
    if is_method and params and "staticmethod" not in decorators:
        if params[0].kind in _SELF_KINDS:
            params = params[1:]
    plain = _PLAIN_KINDS
    missing_params = tuple(
        [param.name if param.kind in plain else param.display for param in params if not param.annotated]
    )
    name = qualname.rpartition(".")[2]
    missing_return = not function.has_return_annotation and not (
        is_method and name == "__init__" and not options.init_return
    )
    fixable = (
        missing_return
        and not function.returns_value
        and not function.has_yield
        and not function.is_stub
        and not function.always_raises
        and not function.has_type_comment
        and not return_type_fixed_elsewhere(name)
        and (not decorators or ("overload" not in decorators and not _ABSTRACT.intersection(decorators)))
    )
    return ApiFunction(facts.path, facts.module, function, identity, missing_params, missing_return, fixable, public)


_MEMO: WeakKeyDictionary[Project, dict[TypeHintsOptions, tuple[ApiFunction, ...]]] = WeakKeyDictionary()


def public_functions(project: Project, options: TypeHintsOptions) -> tuple[ApiFunction, ...]:
    """Every public function and method of the project (annotated or not), in file and
    line order, judged under ``options``. Memoised per project and options: the three
    rules, the metrics columns and the JSON summary share one computation."""
    memo = _MEMO.setdefault(project, {})
    if options not in memo:
        memo[options] = tuple(_public_functions(project, options))
    return memo[options]


def _public_functions(project: Project, options: TypeHintsOptions) -> list[ApiFunction]:
    exported = exported_names(project)
    ignored = options.ignore_decorators
    include_private = options.include_private
    lasts: dict[str, str] = {}  # decorator -> its last dotted part: few names, thousands of uses
    found: list[ApiFunction] = []
    for facts in project.files:
        if facts.error is not None or is_test_module(facts.path):
            continue
        names = exported.get(facts.module, frozenset())
        overloaded: set[str] = set()
        seen: dict[str, int] = {}
        for function in facts.api.functions:
            qualname = function.qualname
            decorators: list[str] = []
            if function.decorators:
                for item in function.decorators:
                    last = lasts.get(item)
                    if last is None:
                        last = lasts[item] = _last(item)
                    decorators.append(last)
                if "overload" in decorators:
                    overloaded.add(qualname)
                elif qualname in overloaded:
                    overloaded.discard(qualname)
                    continue
                if ignored and decorator_matches_any(function.decorators, ignored):
                    continue
            elif qualname in overloaded:
                overloaded.discard(qualname)
                continue
            if "." not in qualname:
                public = qualname in names
            else:
                parts = qualname.split(".")
                public = (
                    parts[0] in names
                    and (len(parts) == 2 or all(not part.startswith("_") for part in parts[1:-1]))
                    and _public_member(parts[-1])
                )
            if not public and not include_private:
                continue
            count = seen.get(qualname, 0) + 1
            seen[qualname] = count
            identity = qualname if count == 1 else f"{qualname}#{count}"
            found.append(_judge(facts, function, identity, options, public, decorators))
    return found


def decorator_matches_any(decorators: Iterable[str], patterns: tuple[str, ...]) -> bool:
    """Whether any of ``decorators`` matches one of ``patterns``."""
    return bool(patterns) and any(decorator_matches(item, patterns) for item in decorators)


@dataclass(frozen=True, slots=True)
class Coverage:
    """Fully annotated public functions out of all public functions."""

    annotated: int
    total: int

    @property
    def percent(self) -> float:
        """Share of fully annotated functions, 100.0 when there are none."""
        return 100.0 if self.total == 0 else 100.0 * self.annotated / self.total


def package_of(facts: FileFacts) -> str:
    """The package a module belongs to: itself for an ``__init__``, else its parent."""
    return facts.module if facts.is_package else facts.module.rpartition(".")[0]


def coverage_by_module(functions: Iterable[ApiFunction]) -> dict[str, Coverage]:
    """Annotation coverage per module (modules without public functions are absent), sorted."""
    counts: dict[str, tuple[int, int]] = {}
    for item in functions:
        done, total = counts.get(item.module, (0, 0))
        counts[item.module] = (done + item.fully_annotated, total + 1)
    return {module: Coverage(*counts[module]) for module in sorted(counts)}


def coverage_by_package(project: Project, functions: Iterable[ApiFunction]) -> dict[str, Coverage]:
    """Annotation coverage per package (each function counts in its module's own package,
    not in the packages above), sorted by package name."""
    packages = {facts.module: package_of(facts) for facts in project.files}
    counts: dict[str, tuple[int, int]] = {}
    for item in functions:
        package = packages.get(item.module, "")
        done, total = counts.get(package, (0, 0))
        counts[package] = (done + item.fully_annotated, total + 1)
    return {package: Coverage(*counts[package]) for package in sorted(counts)}


def total_coverage(functions: Iterable[ApiFunction]) -> Coverage:
    """Annotation coverage of the whole project."""
    items = list(functions)
    return Coverage(sum(item.fully_annotated for item in items), len(items))


# -- figures for `archlint metrics` and the JSON summary (default options) -------------

COVERAGE_COLUMNS = (
    Column(key="public_functions", title="public", doc="Public functions and methods (the type-hints rules' definition)."),
    Column(key="annotated", title="typed", doc="Public functions with every parameter and the return annotated.", higher_is_worse=False),
    Column(
        key="annotation_coverage",
        title="typed%",
        doc="Percent of public functions fully annotated.",
        higher_is_worse=False,
        digits=1,
    ),
)

PACKAGE_COVERAGE_COLUMNS = (
    Column(
        key="public_functions",
        title="public",
        doc="Public functions and methods of the package and its subpackages (the scope of the other package columns).",
    ),
    Column(
        key="annotated",
        title="typed",
        doc="Those public functions with every parameter and the return annotated.",
        higher_is_worse=False,
    ),
    Column(
        key="annotation_coverage",
        title="typed%",
        doc=(
            "Percent of those public functions fully annotated (the package and its subpackages; ARC403 and "
            "summary.annotation_coverage.by_package count only the modules directly in a package)."
        ),
        higher_is_worse=False,
        digits=1,
    ),
)


def _coverage_values(table: Mapping[str, Coverage]) -> Values:
    return {
        key: {
            "public_functions": item.total,
            "annotated": item.annotated,
            "annotation_coverage": round(item.percent, 1) if item.total else None,
        }
        for key, item in table.items()
    }


def _module_coverage(project: Project) -> Values:
    table = coverage_by_module(public_functions(project, TypeHintsOptions()))
    keys = [facts.module or facts.path for facts in project.files if facts.error is None]
    return _coverage_values({key: table.get(key, Coverage(0, 0)) for key in keys})


def _package_coverage(project: Project) -> Values:
    """Coverage of each package with its subpackages: the same modules ``packages_of``
    gives the size and coupling columns (a package row once mixed subtree sizes with
    coverage of its own modules only: Django's read 883 modules, 8 public functions)."""
    table = coverage_by_module(public_functions(project, TypeHintsOptions()))
    empty = Coverage(0, 0)
    values: dict[str, Coverage] = {}
    for package, files in packages_of(project).items():
        members = [table.get(facts.module, empty) for facts in files]
        values[package] = Coverage(sum(c.annotated for c in members), sum(c.total for c in members))
    return _coverage_values(values)


MODULE_COVERAGE = MetricProvider(name="module-annotation-coverage", columns=COVERAGE_COLUMNS, compute=_module_coverage)
PACKAGE_COVERAGE = MetricProvider(
    name="package-annotation-coverage", columns=PACKAGE_COVERAGE_COLUMNS, compute=_package_coverage
)


def coverage_summary(project: Project, options: TypeHintsOptions | None = None) -> dict[str, object]:
    """Annotation coverage for the JSON summary: the whole project and each package."""
    functions = public_functions(project, options or TypeHintsOptions())
    total = total_coverage(functions)
    return {
        "public_functions": total.total,
        "annotated": total.annotated,
        "percent": round(total.percent, 1),
        "by_package": {
            package or ".": {"public_functions": item.total, "annotated": item.annotated, "percent": round(item.percent, 1)}
            for package, item in coverage_by_package(project, functions).items()
        },
    }
