"""ARC603: module-level state that functions change at run time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from archlint.domain.checklist_facts import GlobalWrite
from archlint.domain.finding import Finding, Severity
from archlint.domain.project import Project
from archlint.domain.rule import Rule, RuleMeta


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


def is_dunder(name: str) -> bool:
    """Whether ``name`` is a dunder (``__doc__``, ``__all__``, ``__version__``, ``__path__``...)."""
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


class MutableGlobalState(Rule):
    """Functions that change module-level state."""

    meta = RuleMeta(
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

    def check(self, project: Project, options: StateOptions) -> Iterator[Finding]:
        """One finding per module-level name changed by functions."""
        allowed = frozenset(options.allow)
        for facts in project.files:
            checklist = facts.checklist
            containers = {item.name: item for item in checklist.containers}
            bindings = {name: (line, column) for name, line, column in checklist.bindings}
            writes: dict[str, list[GlobalWrite]] = {}
            for write in checklist.global_writes:
                if write.name in allowed or f"{facts.module}:{write.name}" in allowed:
                    continue
                if is_dunder(write.name):
                    continue  # module metadata (`__doc__`, `__all__`, `__version__`...), not state
                if write.in_decorator and not options.include_decorators:
                    continue
                writes.setdefault(write.name, []).append(write)
            for name in sorted(writes):
                items = sorted(writes[name], key=lambda w: (w.line, w.column, w.function))
                functions = sorted({item.function for item in items})
                container = containers.get(name)
                rebound = any(item.how == "global" for item in items)
                listed = ", ".join(f"{function}()" for function in functions)
                if rebound:
                    message = f"module global `{name}` is rebound with `global` in {listed}"
                elif container is not None:
                    message = f"module-level {container.container} `{name}` is mutated in {listed}"
                else:
                    continue
                if container is not None:
                    line, column = container.line, container.column
                else:
                    line, column = bindings.get(name, (items[0].line, items[0].column))
                yield self.finding(
                    path=facts.path,
                    line=line,
                    column=column,
                    message=message + "; pass state explicitly instead",
                    identity=f"{facts.module}:{name}",
                    extra={
                        "name": name,
                        "functions": functions,
                        "writes": [
                            {"path": facts.path, "line": item.line, "function": item.function, "how": item.how}
                            for item in items
                        ],
                    },
                )
