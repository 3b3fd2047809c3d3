"""ARC201 god-class, ARC202 large-class, ARC203 god-module.

The metrics come from the facts (``ClassFacts``, ``ModuleStats``); these rules only apply
thresholds, the data-carrier and test exemptions, and phrase the findings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

from archlint.domain.class_facts import ClassFacts
from archlint.domain.facts import FileFacts
from archlint.domain.finding import Finding, Severity
from archlint.domain.project import Project
from archlint.domain.rule import Rule, RuleMeta

CHECKLIST = ("God Object", "Single Responsibility Principle", "High cohesion, low coupling")

CARRIER_DECORATORS = frozenset(
    {
        "dataclass",
        "dataclasses.dataclass",
        "pydantic.dataclasses.dataclass",
        "attr.s",
        "attr.attrs",
        "attr.define",
        "attr.frozen",
        "attr.mutable",
        "attr.dataclass",
        "attrs.define",
        "attrs.frozen",
        "attrs.mutable",
        "define",
        "frozen",
        "mutable",
    }
)
CARRIER_BASES = frozenset(
    {
        "BaseModel",
        "BaseSettings",
        "RootModel",
        "GenericModel",
        "NamedTuple",
        "TypedDict",
        "Enum",
        "IntEnum",
        "StrEnum",
        "Flag",
        "IntFlag",
        "ReprEnum",
        "Protocol",
        "TextChoices",
        "IntegerChoices",
        "Choices",
    }
)
CARRIER_METACLASSES = frozenset({"EnumMeta", "EnumType"})


def _last(name: str) -> str:
    return name.split("[", 1)[0].rsplit(".", 1)[-1].strip()


@dataclass(frozen=True, kw_only=True)
class GodObjectOptions:
    """``[tool.archlint.god-object]``: thresholds of ARC201, ARC202 and ARC203."""

    min_wmc: int = field(default=47, metadata={"doc": "ARC201: WMC (summed method complexity) at or above this.", "min": 1})
    min_atfd: int = field(default=6, metadata={"doc": "ARC201: ATFD (foreign attributes read) at or above this.", "min": 0})
    max_tcc: float = field(
        default=1 / 3,
        metadata={"doc": "ARC201: TCC (tight class cohesion) strictly below this.", "min": 0, "max": 1, "float": True},
    )
    max_methods: int = field(default=20, metadata={"doc": "ARC202: more methods than this is large.", "min": 1})
    max_attributes: int = field(
        default=15, metadata={"doc": "ARC202: more attributes than this is large (a data carrier's fields do not count).", "min": 1}
    )
    max_class_loc: int = field(default=500, metadata={"doc": "ARC202: more lines of code than this is large.", "min": 1})
    max_module_loc: int = field(default=1000, metadata={"doc": "ARC203: more lines of code in one module than this.", "min": 1})
    max_module_definitions: int = field(
        default=50, metadata={"doc": "ARC203: more top-level classes plus functions than this.", "min": 1}
    )
    max_module_complexity: int = field(
        default=200, metadata={"doc": "ARC203: more summed cyclomatic complexity than this.", "min": 1}
    )
    exempt_tests: bool = field(
        default=True,
        metadata={"doc": "Skip test classes (`Test*` in test files, `*TestCase` subclasses) and test modules."},
    )
    data_carrier_bases: tuple[str, ...] = field(
        default=(),
        metadata={"doc": "More base class names that make a data carrier (last dotted part, e.g. \"Model\" for Django)."},
    )
    data_carrier_decorators: tuple[str, ...] = field(
        default=(), metadata={"doc": "More class decorators (dotted, as written) that make a data carrier."}
    )


def is_test_file(path: str) -> bool:
    """``test_*.py``, ``*_test.py``, ``tests.py``, ``conftest.py`` or under a ``tests``/``test`` folder."""
    parts = path.split("/")
    name = parts[-1]
    folders = {part.lower() for part in parts[:-1]}
    return (
        name.startswith("test_")
        or name.endswith("_test.py")
        or name in ("tests.py", "test.py", "conftest.py")
        or bool(folders & {"tests", "test", "testing"})
    )


class ClassKinds:
    """Which classes of a project are data carriers or test classes.

    Resolved by name through the project's own class hierarchy: a class whose base is a
    project class that is a carrier (or a ``TestCase``) is one too."""

    def __init__(self, project: Project, options: GodObjectOptions) -> None:
        self._carrier_bases = CARRIER_BASES | {_last(name) for name in options.data_carrier_bases}
        self._carrier_decorators = CARRIER_DECORATORS | set(options.data_carrier_decorators)
        self._by_name: dict[str, list[ClassFacts]] = {}
        for facts in project.files:
            for cls in facts.classes:
                self._by_name.setdefault(cls.name, []).append(cls)
        # Memos for one project: the last dotted part of each name written as a base,
        # decorator or metaclass, and each class's own (direct) answer per kind.
        self._lasts: dict[str, str] = {}
        self._direct: dict[tuple[int, int], bool] = {}

    def _last(self, name: str) -> str:
        last = self._lasts.get(name)
        if last is None:
            last = self._lasts[name] = _last(name)
        return last

    def _direct_carrier(self, cls: ClassFacts) -> bool:
        last = self._last
        if any(name in self._carrier_decorators or last(name) == "dataclass" for name in cls.decorators):
            return True
        if cls.metaclass is not None and last(cls.metaclass) in CARRIER_METACLASSES:
            return True
        return any(last(base) in self._carrier_bases for base in cls.bases)

    def _direct_testcase(self, cls: ClassFacts) -> bool:
        return any(self._last(base).endswith("TestCase") for base in cls.bases)

    def _inherits(self, cls: ClassFacts, kind: int, direct: Callable[[ClassFacts], bool]) -> bool:
        """``direct`` holds for ``cls`` or for a project class it inherits from (by name)."""
        memo = self._direct
        last = self._last
        stack = [cls]
        seen: set[str] = {cls.name}
        while stack:
            current = stack.pop()
            key = (kind, id(current))
            answer = memo.get(key)
            if answer is None:
                answer = memo[key] = direct(current)
            if answer:
                return True
            for base in current.bases:
                name = last(base)
                if name not in seen:
                    seen.add(name)
                    stack.extend(self._by_name.get(name, ()))
        return False

    def is_carrier(self, cls: ClassFacts) -> bool:
        """A dataclass, attrs class, pydantic model, NamedTuple, TypedDict, Enum or Protocol."""
        return self._inherits(cls, 0, self._direct_carrier)

    def is_test(self, cls: ClassFacts, path: str) -> bool:
        """A ``Test*`` class in a test file or a subclass of a ``*TestCase``."""
        if (cls.name.startswith("Test") or cls.name.endswith(("Test", "Tests"))) and is_test_file(path):
            return True
        return self._inherits(cls, 1, self._direct_testcase)


_ANALYSED: WeakKeyDictionary[Project, dict[GodObjectOptions, tuple[tuple[FileFacts, ClassFacts, bool], ...]]] = (
    WeakKeyDictionary()
)


def _analysed_classes(project: Project, options: GodObjectOptions) -> tuple[tuple[FileFacts, ClassFacts, bool], ...]:
    """(file, class, is data carrier) for every class not exempt as a test class.
    Memoised per project and options: ARC201 and ARC202 share one classification."""
    memo = _ANALYSED.setdefault(project, {})
    found = memo.get(options)
    if found is None:
        kinds = ClassKinds(project, options)
        found = memo[options] = tuple(
            (facts, cls, kinds.is_carrier(cls))
            for facts in project.files
            for cls in facts.classes
            if not (options.exempt_tests and kinds.is_test(cls, facts.path))
        )
    return found


def class_figures(cls: ClassFacts) -> dict[str, Any]:
    """Every metric of a class, for ``extra`` and the metrics table."""
    return {
        "wmc": cls.wmc,
        "atfd": cls.atfd,
        "tcc": None if cls.tcc is None else round(cls.tcc, 3),
        "lcom4": cls.lcom4,
        "nom": cls.nom,
        "noa": cls.noa,
        "loc": cls.loc,
    }


def is_god_class(cls: ClassFacts, options: GodObjectOptions) -> bool:
    """Lanza & Marinescu: WMC >= min, ATFD >= min and TCC < max (TCC must be defined)."""
    return cls.wmc >= options.min_wmc and cls.atfd >= options.min_atfd and cls.tcc is not None and cls.tcc < options.max_tcc


def _tcc(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


class GodClass(Rule):
    """ARC201: a class that is complex, reaches into other objects' data and is not cohesive."""

    meta = RuleMeta(
        code="ARC201",
        reads=frozenset({"classes"}),
        name="god-class",
        severity=Severity.WARNING,
        checklist=CHECKLIST,
        summary="A class that is complex, uses other objects' data and is not cohesive (Lanza & Marinescu).",
        what=(
            "Reports a class that meets all three conditions of Lanza & Marinescu's God Class "
            "detection strategy (Object-Oriented Metrics in Practice, 2006): WMC >= 47, ATFD > 5 and "
            "TCC < 1/3. WMC (weighted methods per class) is the sum of the cyclomatic complexity of "
            "the class's methods, each 1 + one per if/elif, for, while, except clause, match case, "
            "conditional expression, comprehension for/if clause and extra and/or operand (nested "
            "functions and lambdas count toward their method). ATFD (access to foreign data) is the "
            "Python adaptation of 'attributes of other classes used directly': the number of distinct "
            "`receiver.attr` reads in the methods whose receiver is a parameter, a local, an object "
            "held in the class's own attribute (`self.x.attr`) or an expression, but not `self`/`cls`, "
            "`super()`, or a module-level, imported or builtin name; method calls (`obj.m()`) and "
            "dunder attributes are not data accesses; properties cannot be told from attributes "
            "without types and count as data. Receivers are told apart by their text with the first "
            "parameter normalised to `self` (`request.user` in five methods counts once). TCC (tight "
            "class cohesion) is the fraction of pairs of public methods (no leading underscore) that "
            "use at least one common `self` attribute, directly or by reading one of the class's own "
            "properties (a property read is an attribute read in Python); with fewer than two public "
            "methods it is not "
            "applicable and the class is not reported. Data carriers (dataclasses, attrs, pydantic, "
            "NamedTuple, TypedDict, Enum, Protocol) are judged on their methods only, which is what "
            "these three metrics measure anyway; test classes are exempt by default. All metrics "
            "(also LCOM4, NOM, NOA, LOC) are in the finding's `extra`; `archlint metrics` lists them."
        ),
        why=(
            "A God Class centralises the system's intelligence: it is large and complex, it works on "
            "data that belongs to other objects instead of asking them, and its methods do not share "
            "state, so it holds several unrelated responsibilities. Every change anywhere touches it, "
            "it is hard to test in isolation, and it couples everything it reaches into. Size alone "
            "(ARC202) is a weaker signal: these three metrics together separate a god class from a "
            "large but cohesive one."
        ),
        example=(
            "class OrderManager:\n"
            "    def checkout(self, cart, user, gateway):\n"
            "        if user.banned or cart.total > user.limit: ...\n"
            "        gateway.charge(user.card, cart.total)\n"
            "    def render_invoice(self, order, template): ...\n"
            "    def sync_inventory(self, warehouse, items): ...\n"
            "    # ... 40 more complex methods over other objects' data"
        ),
        fix=(
            "Move behaviour next to the data it uses (`cart.total_for(user)` instead of reading "
            "`cart.total` and `user.limit`), then split the class along its clusters of methods "
            "(`archlint metrics --level class` shows LCOM4, the number of method groups that share "
            "no state): each cluster is a candidate class. Keep a thin facade if callers need one."
        ),
        options=GodObjectOptions,
        options_table="god-object",
    )

    def check(self, project: Project, options: GodObjectOptions) -> Iterator[Finding]:
        """One finding per god class, on its ``class`` line."""
        for facts, cls, _carrier in _analysed_classes(project, options):
            if not is_god_class(cls, options):
                continue
            yield self.finding(
                path=facts.path,
                line=cls.line,
                column=cls.column,
                message=(
                    f"god class {cls.qualname}: WMC {cls.wmc} >= {options.min_wmc}, "
                    f"ATFD {cls.atfd} >= {options.min_atfd}, TCC {_tcc(cls.tcc)} < {options.max_tcc:.2f}"
                ),
                identity=f"{facts.module}:{cls.qualname}",
                extra={**class_figures(cls), "ratchet": {"wmc": cls.wmc, "atfd": cls.atfd}},
            )


class LargeClass(Rule):
    """ARC202: a class over the size thresholds that is not a god class."""

    meta = RuleMeta(
        code="ARC202",
        reads=frozenset({"classes"}),
        name="large-class",
        severity=Severity.INFO,
        checklist=CHECKLIST,
        summary="A class with too many methods, attributes or lines (size alone).",
        what=(
            "Reports a class with more than 20 methods (NOM: distinct method names, `@overload` "
            "stubs excluded, a property's getter and setter count once), more than 15 attributes "
            "(NOA: class-body names plus `self.x` assigned in any method, dunders excluded) or more "
            "than 500 lines of code (LOC: non-blank, non-comment, non-docstring lines from the first decorator to "
            "the end of the class), unless it is already reported as a god class (ARC201). For a "
            "data carrier (dataclass, attrs, pydantic model, NamedTuple, TypedDict, Enum, Protocol) "
            "the declared fields do not count as attributes and only the lines of its methods count, "
            "so a wide record is not large. Test classes are exempt by default. Info by default: "
            "size is a hint, not a defect."
        ),
        why=(
            "A very large class is hard to read, review and test, and usually accumulates several "
            "responsibilities over time, on its way to becoming a god class."
        ),
        example="class Client:\n    def get(self): ...\n    def post(self): ...\n    # ... 30 more methods",
        fix=(
            "Look for groups of methods that use the same attributes (LCOM4 > 1 in `archlint "
            "metrics` says there are several) and extract each into its own class; move field "
            "groups into value objects."
        ),
        options=GodObjectOptions,
        options_table="god-object",
    )

    def check(self, project: Project, options: GodObjectOptions) -> Iterator[Finding]:
        """One finding per large class that is not a god class."""
        for facts, cls, carrier in _analysed_classes(project, options):
            if is_god_class(cls, options):
                continue
            attributes = cls.noa - cls.class_attributes if carrier else cls.noa
            loc = cls.method_loc if carrier else cls.loc
            over = []
            if cls.nom > options.max_methods:
                over.append(f"{cls.nom} methods > {options.max_methods}")
            if attributes > options.max_attributes:
                over.append(f"{attributes} attributes > {options.max_attributes}")
            if loc > options.max_class_loc:
                over.append(f"{loc} lines > {options.max_class_loc}")
            if not over:
                continue
            yield self.finding(
                path=facts.path,
                line=cls.line,
                column=cls.column,
                message=f"large class {cls.qualname}: {', '.join(over)}",
                identity=f"{facts.module}:{cls.qualname}",
                extra={
                    **class_figures(cls),
                    "data_carrier": carrier,
                    "ratchet": {"methods": cls.nom, "attributes": attributes, "loc": loc},
                },
            )


class GodModule(Rule):
    """ARC203: a module over the size or complexity thresholds."""

    meta = RuleMeta(
        code="ARC203",
        reads=frozenset({"error", "module_stats"}),
        per_file=True,
        name="god-module",
        severity=Severity.WARNING,
        checklist=CHECKLIST,
        summary="A module with too many lines, definitions or too much complexity.",
        what=(
            "Reports a module with more than 1000 lines of code (non-blank, non-comment, non-docstring), more than "
            "50 top-level definitions (classes plus functions, also inside top-level if/try blocks) "
            "or a summed cyclomatic complexity over 200 (every top-level function plus the WMC of "
            "every class in the file). Located on line 1. Test modules are exempt by default."
        ),
        why=(
            "A module that does everything is the module-level God Object: every change lands in "
            "it, it imports half the project and is imported by the other half, and its name no "
            "longer says what it is for. It is where a Big Ball of Mud starts."
        ),
        example="# utils.py: 2400 lines, 80 functions, string helpers next to HTTP retries next to SQL",
        fix=(
            "Split the module by responsibility into a package of focused modules (keep the old "
            "module as a re-exporting facade while callers move); `archlint metrics --level module` "
            "shows which modules are largest and most depended on."
        ),
        options=GodObjectOptions,
        options_table="god-object",
    )

    def check(self, project: Project, options: GodObjectOptions) -> Iterator[Finding]:
        """One finding per god module, on line 1."""
        for facts in project.files:
            if facts.error is not None or (options.exempt_tests and is_test_file(facts.path)):
                continue
            stats = facts.module_stats
            over = []
            if stats.loc > options.max_module_loc:
                over.append(f"{stats.loc} lines > {options.max_module_loc}")
            if stats.definitions > options.max_module_definitions:
                over.append(f"{stats.definitions} definitions > {options.max_module_definitions}")
            if stats.complexity > options.max_module_complexity:
                over.append(f"complexity {stats.complexity} > {options.max_module_complexity}")
            if not over:
                continue
            figures: Mapping[str, int] = {
                "loc": stats.loc,
                "definitions": stats.definitions,
                "complexity": stats.complexity,
            }
            yield self.finding(
                path=facts.path,
                line=1,
                message=f"god module {facts.module or facts.path}: {', '.join(over)}",
                identity=facts.module or facts.path,
                extra={**figures, "classes": stats.classes, "functions": stats.functions, "ratchet": dict(figures)},
            )
