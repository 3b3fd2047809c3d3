"""Per-file facts for the checklist rules (ARC602-ARC606), from one walk of each tree.

Collected by ``engine/collectors/checklist.py`` and judged later by the rules: the
collector records what the code does (a call, its resolved target, where data flows),
never whether that deserves a finding.
"""

from __future__ import annotations

from dataclasses import dataclass

# Defined here before it got a module of its own: still importable from here.
from archlint.domain.repo_facts import RepoFacts as RepoFacts


@dataclass(frozen=True, slots=True)
class BlockingCall:
    """A call that blocks the event loop, in the own body of an ``async def``.

    ``target`` is the resolved API (``time.sleep``, ``requests.get``, ``open``,
    ``pathlib.Path.read_text``, ``socket.socket.recv``...), ``text`` the call as written."""

    function: str
    target: str
    line: int
    column: int
    text: str


@dataclass(frozen=True, slots=True)
class GlobalContainer:
    """A module-level name bound to a mutable container (``[]``, ``{}``, ``set()``,
    ``dict()``, ``defaultdict(...)``...): ``container`` is its type name."""

    name: str
    container: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class GlobalWrite:
    """A write to module state from inside a function.

    ``how`` is ``"global"`` for a name declared ``global`` and rebound in the function,
    else the mutation (``"item assignment"``, ``"item deletion"``, ``".append()"``...)
    applied to a module-level name the function does not shadow. ``in_decorator`` is set
    when the function returns one of its parameters unchanged (``def register(fn): ...;
    return fn``): a registration decorator filling a table at import time."""

    name: str
    function: str
    how: str
    line: int
    column: int
    in_decorator: bool = False


TYPED_GET = "<get(type=...)>"
"""The consumer recorded for ``request.form.get("n", type=int)``: Werkzeug converts the
value (falling back to the default), which checks it."""


@dataclass(frozen=True, slots=True)
class RawRead:
    """A read of a raw request body in a route handler (``await request.json()``,
    ``request.get_json()``, ``request.POST``...).

    ``consumers`` are the dotted callees of the calls the data is passed to, directly or
    through the variable it is assigned to; a callee receiving it as ``**data`` ends with
    ``(**)``."""

    line: int
    column: int
    text: str
    consumers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RouteHandler:
    """A web route handler (FastAPI/Starlette, Flask or Django view) that takes input.

    ``framework`` is ``fastapi``, ``flask`` or ``django``; ``raw_params`` are the body
    parameters annotated ``dict``/``Any`` (FastAPI), with their line and column."""

    function: str
    framework: str
    line: int
    column: int
    raw_reads: tuple[RawRead, ...] = ()
    raw_params: tuple[tuple[str, str, int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class LoopQuery:
    """A database query executed in the body of a ``for``/``while`` loop.

    ``api`` is ``sqlalchemy``, ``django`` or ``db-api``; ``text`` the callee as written;
    ``uses_loop_variable`` whether an argument mentions a variable of an enclosing loop;
    ``parametrized`` whether the call passes query parameters besides the statement."""

    function: str
    api: str
    text: str
    line: int
    column: int
    uses_loop_variable: bool = False
    parametrized: bool = False


@dataclass(frozen=True, slots=True)
class ChecklistFacts:
    """Everything the checklist rules know about one file.

    ``bindings`` are ``(name, line, column)`` of the first module-level assignment of each
    name rebound through ``global``. ``functions`` counts every ``def`` at module or class level and ``annotated`` those
    with a return annotation and every parameter (but ``self``/``cls``) annotated."""

    blocking_calls: tuple[BlockingCall, ...] = ()
    containers: tuple[GlobalContainer, ...] = ()
    global_writes: tuple[GlobalWrite, ...] = ()
    bindings: tuple[tuple[str, int, int], ...] = ()
    handlers: tuple[RouteHandler, ...] = ()
    loop_queries: tuple[LoopQuery, ...] = ()
    functions: int = 0
    annotated: int = 0

