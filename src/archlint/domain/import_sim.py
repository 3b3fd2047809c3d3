"""ARC104's import-order simulation: replay what ``import M`` does in a fresh interpreter,
using only the module-level events recorded per file, and find the
``from X import name`` that runs while ``X`` is partially initialised and lacks ``name``.

Semantics followed (CPython 3.7+):

* ``import a.b.c`` loads ``a``, then ``a.b``, then ``a.b.c``; a module already loaded or in
  progress is not run again (it is in ``sys.modules``).
* ``from X import n`` loads ``X`` (and its parents); if ``X.n`` is a module it is loaded
  and the import succeeds (``sys.modules`` fallback); otherwise ``n`` must already be bound
  in ``X``. Reading a name from a module still in progress that has not bound it yet is
  the crash.
* A module's names are bound in statement order: definitions, assignments, imports.

Conservative choices (only proven crashes are reported; ``docs/adr/0004``): events under
a condition or in a ``try`` with handlers still run, but a failure there is not reported
and the replay continues as if the name existed; a crash that would propagate through an
import made inside such a ``try`` ends the replay unreported (the handler may catch it);
imports in ``except`` handlers do not run; a type stub (``.pyi``) is never replayed (the
module it describes runs instead, so every name is assumed bound); star imports,
``globals()``/``vars()``/``setattr``/``exec`` calls and a module ``__getattr__`` make
every later lookup in that module succeed; functions called at import time are not
followed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple

from archlint.domain.cycle_facts import EventKind, ModuleEvent
from archlint.domain.project import Project


STEP_BUDGET = 5_000_000
"""Replay steps allowed per component. Entries are tried in sorted order; when the budget
runs out the remaining entries of that component are not replayed (the report can only
miss crashes, never invent one). Real projects stay far below it (ADR 0004)."""


class _Op(Enum):
    LOAD = 1
    CHECK = 2
    BIND = 3
    OPEN = 4
    ALIAS = 5
    ATTR = 6


class Step(NamedTuple):
    """One executable step of a module body (a named tuple: tens of thousands are
    compiled per run, and a frozen dataclass costs three times as much to build)."""

    op: _Op
    module: str = ""
    names: tuple[str, ...] = ()
    event: ModuleEvent | None = None


_OPEN_STEP = Step(_Op.OPEN)
"""Every ``OPEN`` step is this one (steps are immutable)."""


@dataclass(frozen=True)
class Crash:
    """An import line the replay proves fails, with the entries that trigger it."""

    path: str
    line: int
    column: int
    text: str
    module: str
    name: str
    entries: tuple[str, ...]
    chain: tuple[Mapping[str, object], ...]
    kind: str = "import-name"
    """``import-name`` (``ImportError: cannot import name``) or ``attribute``
    (``AttributeError: partially initialized module ... has no attribute``)."""


def prefixes(module: str) -> list[str]:
    """``a.b.c`` -> ``a``, ``a.b``, ``a.b.c``."""
    parts = module.split(".")
    return [".".join(parts[:end]) for end in range(1, len(parts) + 1)]


def compile_steps(
    events: Iterable[ModuleEvent], modules: frozenset[str], known: dict[str, tuple[str, ...]] | None = None
) -> tuple[Step, ...]:
    """The steps of one module body, from its recorded events. ``known`` caches, across
    calls with the same ``modules``, the prefixes of a module name that are modules."""
    if known is None:
        known = {}
    steps: list[Step] = []
    append = steps.append
    load, bind, check, alias, attr = _Op.LOAD, _Op.BIND, _Op.CHECK, _Op.ALIAS, _Op.ATTR
    bind_kind, open_kind, import_kind, attr_kind, from_kind = (
        EventKind.BIND,
        EventKind.OPEN,
        EventKind.IMPORT,
        EventKind.ATTR,
        EventKind.FROM,
    )
    for event in events:
        kind = event.kind
        if kind is bind_kind:
            append(Step(bind, "", event.names))
        elif kind is open_kind:
            append(_OPEN_STEP)
        elif kind is import_kind or kind is from_kind:
            loaded = known.get(event.module)
            if loaded is None:
                loaded = known[event.module] = tuple(prefix for prefix in prefixes(event.module) if prefix in modules)
            for prefix in loaded:
                append(Step(load, prefix, (), event))
            if kind is import_kind:
                if event.aliases and event.aliases[0] and event.names and event.names[0] in modules:
                    append(Step(alias, event.names[0], (event.aliases[0],)))
                continue
            aliases = event.aliases or ("",) * len(event.names)
            for name, alias_name in zip(event.names, aliases):
                sub = f"{event.module}.{name}"
                if name != "*" and sub in modules:
                    append(Step(load, sub, (), event))
                    if alias_name:
                        append(Step(alias, sub, (alias_name,)))
                elif name != "*" and event.module in modules:
                    append(Step(check, event.module, (name,), event))
        elif kind is attr_kind:
            append(Step(attr, "", event.names, event))
    return tuple(steps)


@dataclass(slots=True)
class _Frame:
    module: str
    steps: Sequence[Step]
    via: Step | None
    index: int = 0
    aliases: dict[str, str] = field(default_factory=dict)


@dataclass
class _State:
    """``sys.modules`` as far as the replay knows: 1 in progress, 2 done; the names each
    module has bound; the modules whose namespace is open."""

    status: dict[str, int] = field(default_factory=dict)
    bound: dict[str, set[str]] = field(default_factory=dict)
    opened: set[str] = field(default_factory=set)

    def copy(self) -> _State:
        """A copy to continue from. Shallow is enough: between top-level imports nothing
        is in progress, and only modules in progress ever gain names."""
        return _State(status=dict(self.status), bound=dict(self.bound), opened=set(self.opened))


@dataclass
class _Found:
    step: Step
    importer: str
    chain: list[dict[str, object]] = field(default_factory=list)
    module: str = ""
    name: str = ""
    kind: str = "import-name"


class Simulator:
    """Replays imports of one project; compiled steps are shared across entries."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.modules = frozenset(project.by_module)
        self._steps: dict[str, tuple[Step, ...]] = {}
        self._prefixes: dict[str, tuple[str, ...]] = {}
        self.budget = STEP_BUDGET
        self.used = 0
        self._memo: dict[str, tuple[_State, _Found | None, bool]] = {}

    def steps(self, module: str) -> tuple[Step, ...]:
        """The compiled steps of ``module`` (cached)."""
        if module not in self._steps:
            facts = self.project.by_module[module]
            if facts.path.endswith(".pyi"):
                # a stub never runs (the extension module beside it does): its namespace
                # is opaque and every lookup in it succeeds
                self._steps[module] = (_OPEN_STEP,)
            else:
                self._steps[module] = compile_steps(facts.cycle_facts.events, self.modules, self._prefixes)
        return self._steps[module]

    def path_of(self, module: str) -> str:
        """The display path of ``module``."""
        return self.project.by_module[module].path

    def run(self, entry: str) -> _Found | None:
        """``import entry`` in a fresh interpreter: the first proven crash, if any.

        The state after ``import p`` depends only on ``p``, so it is memoised per prefix:
        entries below one package share the (usually large) run of its ``__init__``."""
        state = _State()
        for prefix in prefixes(entry):
            if prefix not in self.modules:
                continue
            outcome = self._memo.get(prefix)
            if outcome is None:
                outcome = self._load(prefix, state.copy())
                self._memo[prefix] = outcome
            state, found, stopped = outcome
            if found is not None or stopped:
                return found
        return None

    def _load(self, module: str, state: _State) -> tuple[_State, _Found | None, bool]:
        """Run ``import module`` on ``state``: (state after, proven crash, stopped unproven)."""
        status, bound, opened = state.status, state.bound, state.opened
        load, bind, open_, check, alias, attribute = _Op.LOAD, _Op.BIND, _Op.OPEN, _Op.CHECK, _Op.ALIAS, _Op.ATTR
        steps_of = self.steps
        # The running frame is ``frame``; its steps, position and bound names are kept in
        # locals (tens of thousands of steps per run), its position saved on the frame
        # only while a module it loads runs.
        frame = _Frame(module="", steps=(Step(load, module),), via=None)
        stack = [frame]
        nothing: set[str] = set()  # what the root frame binds: it only loads ``module``
        steps, index, own = frame.steps, 0, nothing
        used = 0
        try:
            while True:
                if index >= len(steps):
                    stack.pop()
                    if frame.module:
                        status[frame.module] = 2
                    if not stack:
                        break
                    frame = stack[-1]
                    steps, index, own = frame.steps, frame.index, bound.get(frame.module, nothing)
                    continue
                step = steps[index]
                index += 1
                used += 1
                op = step.op
                if op is bind:
                    own.update(step.names)
                elif op is load:
                    if step.module in status:
                        continue
                    status[step.module] = 1
                    own = bound[step.module] = set()
                    frame.index = index
                    frame = _Frame(module=step.module, steps=steps_of(step.module), via=step)
                    stack.append(frame)
                    steps, index = frame.steps, 0
                elif op is open_:
                    opened.add(frame.module)
                elif op is check:
                    target = step.module
                    if status.get(target) != 1 or target in opened or step.names[0] in bound[target]:
                        continue
                    assert step.event is not None
                    if step.event.guarded:
                        bound[target].add(step.names[0])  # unproven: carry on as if it worked
                        continue
                    if any(f.via is not None and f.via.event is not None and f.via.event.guarded for f in stack):
                        return state, None, True  # a handler on the way up may catch it: not proven
                    found = _Found(
                        step=step, importer=frame.module, chain=self._chain(stack, step, target), module=target, name=step.names[0]
                    )
                    return state, found, False
                elif op is alias:
                    frame.aliases[step.names[0]] = step.module
                elif op is attribute:
                    missing = self._missing_attribute(step, frame, state)
                    if missing is None:
                        continue
                    assert step.event is not None
                    if step.event.guarded:
                        continue
                    if any(f.via is not None and f.via.event is not None and f.via.event.guarded for f in stack):
                        return state, None, True
                    target, attr = missing
                    chain = self._chain(stack, step, target)
                    return state, _Found(step=step, importer=frame.module, chain=chain, module=target, name=attr, kind="attribute"), False
            return state, None, False
        finally:
            self.used += used

    def _missing_attribute(self, step: Step, frame: _Frame, state: _State) -> tuple[str, str] | None:
        """(module, attribute) when ``a.b.c`` reads an attribute a partially initialised
        first-party module has not bound yet; submodules are never reported."""
        target = frame.aliases.get(step.names[0])
        if target is None:
            return None
        for attr in step.names[1:]:
            sub = f"{target}.{attr}"
            if sub in self.modules:
                if state.status.get(sub) != 2:
                    return None
                target = sub
                continue
            if state.status.get(target) == 1 and target not in state.opened and attr not in state.bound[target]:
                return target, attr
            return None
        return None

    def _chain(self, stack: Sequence[_Frame], crash: Step, target: str) -> list[dict[str, object]]:
        chain: list[dict[str, object]] = []
        for below, frame in zip(stack, stack[1:]):
            event = frame.via.event if frame.via is not None else None
            if event is None or not below.module:
                continue
            chain.append(
                {"importer": below.module, "imported": frame.module, "path": self.path_of(below.module), "line": event.line, "text": event.text}
            )
        event = crash.event
        assert event is not None
        importer = stack[-1].module
        chain.append({"importer": importer, "imported": target, "path": self.path_of(importer), "line": event.line, "text": event.text})
        return chain


def simulate_components(project: Project, components: Sequence[Sequence[str]]) -> list[Crash]:
    """Replay ``import M`` for every member ``M`` of every component; one :class:`Crash`
    per failing import line, with every entry that reaches it (sorted)."""
    simulator = Simulator(project)
    found: dict[tuple[str, int, str, str], tuple[_Found, list[str]]] = {}
    for members in components:
        simulator.used = 0
        for entry in sorted(members):
            if entry not in simulator.modules or simulator.used >= simulator.budget:
                continue
            result = simulator.run(entry)
            if result is None:
                continue
            event = result.step.event
            assert event is not None
            key = (simulator.path_of(result.importer), event.line, result.module, result.name)
            if key in found:
                found[key][1].append(entry)
            else:
                found[key] = (result, [entry])
    crashes: list[Crash] = []
    for (path, line, module, name), (result, entries) in sorted(found.items()):
        event = result.step.event
        assert event is not None
        crashes.append(
            Crash(
                path=path,
                line=line,
                column=event.column,
                text=event.text,
                module=module,
                name=name,
                entries=tuple(sorted(entries)),
                chain=tuple(result.chain),
                kind=result.kind,
            )
        )
    return crashes
