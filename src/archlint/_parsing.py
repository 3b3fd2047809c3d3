"""``ast.parse`` of analysed code, safe from Python 3.10's uncounted depth.

Python 3.10 builds the ``ast`` objects recursively in C without counting the depth: a
long enough left-nested chain (``1+1+...``, ``a.b.b...``, ``f()()...``: about 100 000
levels on an 8 MiB stack, a 200 KB expression) overflows the C stack and kills the
interpreter. 3.11 raises ``RecursionError`` past three times the recursion limit. So on
3.10 a text long enough to nest that deep is parsed in a thread whose stack fits any
nesting the text can hold (each level takes at least two characters and about 80 bytes
of stack). Every parse of code under analysis goes through :func:`parse`: the
extractor's, the string annotations', ``--fix``'s check of its result
(``docs/adr/0011``)."""

from __future__ import annotations

import ast
import sys
from typing import Any

UNCOUNTED_PARSER = sys.version_info < (3, 11)
"""Whether this Python's parser builds trees of any depth (and may overflow the stack)."""
GUARD_ABOVE = 20_000
"""Characters (or bytes) above which 3.10 parses on a stack of its own: 10 000 levels at
most, under 1 MiB of stack, below that."""
_STACK_PER_CHARACTER = 128
_STACK_BASE = 16 << 20
_STACK_MAX = 1 << 30


def parse(source: str | bytes, filename: str = "<unknown>", mode: str = "exec") -> Any:
    """``ast.parse(source, filename, mode)``; on Python 3.10, a long text is parsed on a
    stack that fits it (:data:`UNCOUNTED_PARSER`)."""
    if UNCOUNTED_PARSER and len(source) > GUARD_ABOVE:
        return _parse_on_own_stack(source, filename, mode)
    return ast.parse(source, filename=filename, mode=mode)


def _parse_on_own_stack(source: str | bytes, filename: str, mode: str) -> Any:
    """``ast.parse`` in a thread whose stack holds the deepest nesting ``source`` can
    express; its exception is raised here. Where no such thread can be started, the
    text is parsed in this thread."""
    import threading

    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(ast.parse(source, filename=filename, mode=mode))
        except BaseException as exc:  # noqa: BLE001 - raised again in the calling thread
            outcome.append(exc)

    previous = threading.stack_size()
    try:
        threading.stack_size(min(_STACK_BASE + _STACK_PER_CHARACTER * len(source), _STACK_MAX))
        worker = threading.Thread(target=run, name="archlint-parse", daemon=True)
        worker.start()
    except (RuntimeError, ValueError, MemoryError):  # no thread to be had: as before
        return ast.parse(source, filename=filename, mode=mode)
    finally:
        threading.stack_size(previous)
    worker.join()
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    return result
