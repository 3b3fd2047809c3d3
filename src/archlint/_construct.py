"""Cheaper construction of the frozen dataclasses archlint builds by the thousand.

The facts (``domain/``) are frozen, slotted dataclasses; a :class:`Finding` is a frozen
dataclass with a ``__dict__``. Their generated ``__init__`` sets each field with
``object.__setattr__(self, name, value)``, which looks the field up by name on every
call: about 80 ns a field, so a 12-field ``FunctionFact`` costs a microsecond, the
~40 000 facts of Django's files about a twentieth of the collectors' time and the
twelve thousand findings of a Django run half of :meth:`Rule.finding`.
:func:`constructor` writes, once per class, a function with the same parameters and
defaults that creates the object and stores each field directly (through its slot's
descriptor, or in the instance's ``__dict__``): the same object (equal, same type, same
fields in the same order), in less than half the time.

It does so only for a class whose ``__init__`` does nothing else: a frozen dataclass
with the generated ``__init__``, every field an ``__init__`` parameter with a plain
default, a default factory or none, and no ``__post_init__``. Any other class gets its
own constructor back, so a class that grows validation keeps it.
"""

from __future__ import annotations

import dataclasses
import keyword
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar, cast

P = ParamSpec("P")
T = TypeVar("T")


def constructor(cls: Callable[P, T]) -> Callable[P, T]:
    """A function building ``cls`` as ``cls(...)`` does (same parameters, defaults and
    result), storing the fields directly when that is all ``cls.__init__`` does; ``cls``
    itself otherwise. Typed with the class's own parameters, so calls are checked as
    calls of the class."""
    if not isinstance(cls, type):
        return cls
    plan = _plain_fields(cls)
    if plan is None:
        return cls
    fields, slotted = plan
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls, "_absent": _ABSENT}
    positional: list[str] = []
    keywords: list[str] = []
    body: list[str] = [] if slotted else ["    _dict = self.__dict__\n"]
    for field in fields:
        name = field.name
        if field.default is not dataclasses.MISSING:
            namespace[f"_default_{name}"] = field.default
            param = f"{name}=_default_{name}"
        elif field.default_factory is not dataclasses.MISSING:
            namespace[f"_factory_{name}"] = field.default_factory
            param = f"{name}=_absent"
            body.append(f"    if {name} is _absent:\n        {name} = _factory_{name}()\n")
        else:
            param = name
        (keywords if field.kw_only else positional).append(param)
        if slotted:
            namespace[f"_set_{name}"] = cls.__dict__[name].__set__
            body.append(f"    _set_{name}(self, {name})\n")
        else:
            body.append(f"    _dict[{name!r}] = {name}\n")
    params = ", ".join(positional + (["*", *keywords] if keywords else []))
    source = f"def build({params}):\n    self = _new(_cls)\n{''.join(body)}    return self\n"
    exec(compile(source, f"<constructor of {cls.__qualname__}>", "exec"), namespace)  # noqa: S102 - from field names only
    build = namespace["build"]
    build.__qualname__ = build.__name__ = f"build_{cls.__name__}"
    build.__doc__ = f"``{cls.__qualname__}(...)`` without the per-field ``object.__setattr__`` (see :func:`constructor`)."
    return cast("Callable[P, T]", build)


_ABSENT = object()
"""The default of a parameter whose field has a default factory: the factory runs."""


def _plain_fields(cls: type) -> tuple[tuple[dataclasses.Field[Any], ...], bool] | None:
    """The fields of ``cls`` when its ``__init__`` only stores them (see
    :func:`constructor`), and whether they are slots (else in the instance's
    ``__dict__``); ``None`` otherwise."""
    if not dataclasses.is_dataclass(cls):
        return None
    params = cls.__dict__.get("__dataclass_params__")
    init = cls.__dict__.get("__init__")
    if params is None or not params.frozen or not params.init or init is None or hasattr(cls, "__post_init__"):
        return None
    code = getattr(init, "__code__", None)
    if code is None or not code.co_filename.startswith("<"):  # written in a source file, not generated
        return None
    slotted = "__slots__" in cls.__dict__
    if not slotted and (cls.__dictoffset__ == 0 or any("__slots__" in base.__dict__ for base in cls.__mro__[1:-1])):
        return None  # slots somewhere else: not one of the two layouts written here
    fields = dataclasses.fields(cls)
    for field in fields:
        if not field.init or keyword.iskeyword(field.name) or field.name.startswith("_"):
            return None
        attribute = cls.__dict__.get(field.name)
        if slotted and not isinstance(attribute, _MEMBER_DESCRIPTOR):
            return None
        if not slotted and attribute is not None and hasattr(type(attribute), "__get__"):
            return None  # a descriptor on the class: the field is not a plain instance value
    order = [field.name for field in fields if not field.kw_only] + [field.name for field in fields if field.kw_only]
    if list(code.co_varnames[1 : code.co_argcount + code.co_kwonlyargcount]) != order:
        return None
    return fields, slotted


class _Slotted:
    __slots__ = ("value",)


_MEMBER_DESCRIPTOR = type(_Slotted.__dict__["value"])
"""The type of a slot's descriptor (``types.MemberDescriptorType``)."""
