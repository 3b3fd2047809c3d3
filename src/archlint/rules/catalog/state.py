"""Metadata and options of the rules in :mod:`archlint.rules.state` (MutableGlobalState).

Light on purpose: the registry imports it on every run; the implementation is imported
only when a rule runs (``archlint.rules.LazyRule``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from archlint.domain.finding import Severity
from archlint.domain.rule import RuleMeta


@dataclass(frozen=True, kw_only=True)
class StateOptions:
    """``[tool.archlint.mutable-global-state]``."""

    allow: tuple[str, ...] = field(
        default=(),
        metadata={"doc": "Module-level names (or `module:name`) whose mutation is accepted, e.g. `_registry`."},
    )
    include_decorators: bool = field(
        default=False,
        metadata={"doc": "Also count writes in registration decorators (functions returning their argument)."},
    )


MUTABLE_GLOBAL_STATE = RuleMeta(
    code="ARC603",
    reads=frozenset({"checklist", "error"}),
    per_file=True,
    name="mutable-global-state",
    severity=Severity.WARNING,
    checklist=("Stateless design where possible",),
    summary="Functions rebind module globals (`global x`) or mutate module-level containers.",
    what=(
        "Reports, once per module-level name, state that functions change at run time: a "
        "name declared `global` and assigned in a function, or a module-level list, dict, "
        "set, `defaultdict`, `deque`, `Counter`... mutated from inside a function (item "
        "assignment or deletion, `.append()`, `.update()`, `.add()`, `.pop()`, `.clear()`...). "
        "A function that shadows the name with a local or parameter is not counted, and "
        "neither is a registration decorator (a function returning its argument unchanged, "
        "`def register(fn): _table[fn.__name__] = fn; return fn`) unless "
        "`include-decorators` is set. Dunder module attributes (`__doc__`, `__all__`, "
        "`__version__`, `__path__`...) are module metadata, not state, and are never "
        "reported, even when rebound with `global`. "
        "Mutations at module level (building a table at import time) are fine, and so are "
        "containers that are never mutated, such as UPPER_CASE constants. The finding sits "
        "on the name's module-level binding (else on the first write) and `extra.writes` "
        "lists every write."
    ),
    why=(
        "Module state is shared by every caller, thread and test in the process: results "
        "depend on call order, tests leak into each other, and the code cannot be scaled out "
        "to several processes or made concurrent without locks. The checklist asks for "
        "stateless design where possible."
    ),
    example=(
        "_cache = {}\ncounter = 0\n\ndef lookup(key):\n    _cache[key] = load(key)\n\n"
        "def bump():\n    global counter\n    counter += 1"
    ),
    fix=(
        "Keep the state in an object that is created once and passed in (dependency "
        "injection), use `functools.lru_cache` for memoisation, a `contextvars.ContextVar` "
        "for per-request data, or an external store. List deliberate registries in `allow`."
    ),
    options=StateOptions,
    options_table="mutable-global-state",
)
