"""Metadata and options of the rules in :mod:`archlint.rules.god_objects` (GodClass, LargeClass, GodModule).

Light on purpose: the registry imports it on every run; the implementation is imported
only when a rule runs (``archlint.rules.LazyRule``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from archlint.domain.finding import Severity
from archlint.domain.rule import RuleMeta

CHECKLIST = ("God Object", "Single Responsibility Principle", "High cohesion, low coupling")


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


GOD_CLASS = RuleMeta(
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


LARGE_CLASS = RuleMeta(
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


GOD_MODULE = RuleMeta(
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
