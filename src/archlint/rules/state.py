"""ARC603: module-level state that functions change at run time."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.domain.checklist_facts import GlobalWrite
from archlint.domain.finding import Finding
from archlint.domain.project import Project
from archlint.domain.rule import Rule
from archlint.rules.catalog.state import MUTABLE_GLOBAL_STATE, StateOptions


def is_dunder(name: str) -> bool:
    """Whether ``name`` is a dunder (``__doc__``, ``__all__``, ``__version__``, ``__path__``...)."""
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


class MutableGlobalState(Rule):
    """Functions that change module-level state."""

    meta = MUTABLE_GLOBAL_STATE

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
