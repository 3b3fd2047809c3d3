"""How facts cross from a worker process to this one: each dataclass pickled as a call of
its builder with its field values.

A slotted frozen dataclass pickles through the ``__getstate__``/``__setstate__`` pair
``dataclasses`` writes, which calls ``fields()`` and ``object.__setattr__`` in Python for
each of the ~45 000 objects of Django's facts (0.11 s to unpickle in the main process,
0.12 s to pickle in the workers). Reduced to a builder and a tuple of the field values
(``operator.attrgetter``, in C), unpickling is one call per object of a function that
stores the fields directly (:func:`archlint._construct.constructor`): the same objects,
in about a third of the time.

The builder of class ``C`` is this module's attribute ``build_C`` (made on first use,
:func:`__getattr__`), so that pickle names it like any module-level function and the
unpickler calls it directly: no ``(class, values)`` indirection through a look-up
function, which cost the main process a fifth more time on Django's facts and a tenth
more bytes. Only classes whose ``__init__`` takes every field positionally, in field
order, with no ``__post_init__``, are reduced so; the others pickle the usual way.
"""

from __future__ import annotations

import io
import pickle
import re
import sys
from collections.abc import Callable
from functools import cache, lru_cache
from typing import Any

Reducer = Callable[[Any], tuple[Callable[..., Any], tuple[Any, ...]]]
_PREFIX = "build_"


def dumps(value: Any) -> bytes:
    """``value`` pickled with the facts classes reduced (:func:`dispatch_table`)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = dispatch_table()
    pickler.dump(value)
    return buffer.getvalue()


@lru_cache(maxsize=1)
def dispatch_table() -> dict[type, Callable[[Any], Any]]:
    """``copyreg``'s reducers and :func:`reducers`: a pickler's own table replaces the
    global one, so it holds both."""
    import copyreg

    return {**copyreg.dispatch_table, **reducers()}


@lru_cache(maxsize=1)
def reducers() -> dict[type, Reducer]:
    """The reducer of every transported class (:func:`transported`)."""
    return {cls: reducer(cls, builder(cls)) for cls in transported()}


def reducer(cls: type, build: Callable[..., Any]) -> Reducer:
    """Reduces an instance of the dataclass ``cls`` to ``(build, its field values)``."""
    from dataclasses import fields
    from operator import attrgetter

    names = [item.name for item in fields(cls)]
    values = attrgetter(*names)
    if len(names) == 1:
        return lambda obj: (build, (values(obj),))
    return lambda obj: (build, values(obj))


@cache
def builder(cls: type) -> Callable[..., Any]:
    """The function building ``cls`` from its field values, named ``build_<class name>``
    in this module (the class itself when its ``__init__`` does more than store them)."""
    from archlint._construct import constructor

    build = constructor(cls)
    if build is cls:
        return cls
    build.__module__ = __name__
    build.__name__ = build.__qualname__ = f"{_PREFIX}{cls.__name__}"
    return build


@lru_cache(maxsize=1)
def transported() -> tuple[type, ...]:
    """:class:`~archlint.domain.facts.FileFacts` and every dataclass reachable from its
    fields' types that can be reduced (see the module docstring). Their names are
    unique: each names its builder."""
    import dataclasses
    import typing

    from archlint.domain.facts import FileFacts

    found: list[type] = []
    seen: set[type] = set()
    pending: list[Any] = [FileFacts]
    while pending:
        hint = pending.pop()
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            if hint in seen:
                continue
            seen.add(hint)
            fields = dataclasses.fields(hint)
            if all(item.init and not item.kw_only for item in fields) and not hasattr(hint, "__post_init__"):
                found.append(hint)
            pending.extend(_field_types(hint, fields))
        else:
            pending.extend(typing.get_args(hint))
    names = [cls.__name__ for cls in found]
    if len(set(names)) != len(names):  # pragma: no cover - guarded by a test
        raise RuntimeError(f"two transported classes share a name: {sorted(names)}")
    return tuple(found)


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _field_types(cls: type, fields: tuple[Any, ...]) -> list[Any]:
    """What the annotations of ``fields`` name: each annotation that is a string (the
    facts modules postpone them) gives the objects its identifiers name in the class's
    module, without evaluating it (``typing.get_type_hints`` does, at several times the
    cost: the main process pays it before the workers start). A test checks that both
    reach the same classes."""
    namespace = vars(sys.modules[cls.__module__])
    found: list[Any] = []
    for item in fields:
        hint = item.type
        if isinstance(hint, str):
            found.extend(namespace[name] for name in _IDENTIFIER.findall(hint) if name in namespace)
        else:
            found.append(hint)
    return found


def __getattr__(name: str) -> Any:
    """``build_<class>``: the builder of a transported class, as the unpickler asks."""
    if name.startswith(_PREFIX):
        for cls in transported():
            if cls.__name__ == name[len(_PREFIX) :]:
                return builder(cls)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
