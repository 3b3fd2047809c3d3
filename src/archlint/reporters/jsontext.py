"""``json.dumps(value, indent=2, ensure_ascii=False)``: the same text, with less Python.

With ``indent`` the standard library encodes in pure Python, one generator step per
token. Here every container without a nested container (a finding's ``checklist``,
most ``extra`` tables, the summary counts) and every run of scalar items of a mixed
object is encoded by the C encoder in one call, its item separator carrying the newline
and indentation of its level; only the nesting is walked in Python (Django's 11 832
findings: 0.137 -> 0.113 s). Keys, floats, ``NaN``, non-string keys, unserialisable
values and circular references come out exactly as (or fail exactly like) ``json.dumps``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from json import encoder as _stdlib
from typing import Any

_INDENT = "  "
_CONTAINERS = (dict, list, tuple)
_make_encoder: Any = _stdlib.c_make_encoder
_encode_string: Callable[[str], str] = _stdlib.encode_basestring


def _default(value: Any) -> Any:
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


@lru_cache(maxsize=None)
def _encoder(level: int) -> Callable[[Any, int], list[str]]:
    """The compact C encoder whose item separator starts a new line at ``level`` (no
    circularity check: it only ever sees containers without nested containers)."""
    encoder: Callable[[Any, int], list[str]] = _make_encoder(
        None, _default, _encode_string, None, ": ", ",\n" + _INDENT * level, False, False, True
    )
    return encoder


def dumps(value: Any) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)``."""
    if _make_encoder is None:  # pragma: no cover - an interpreter without the C accelerator
        return json.dumps(value, indent=2, ensure_ascii=False)
    out: list[str] = []
    _write(value, 0, out, set())
    return "".join(out)


def _write(value: Any, level: int, out: list[str], open_: set[int]) -> None:
    if isinstance(value, dict):
        _write_object(value, level, out, open_)
    elif isinstance(value, (list, tuple)):
        _write_array(value, level, out, open_)
    elif isinstance(value, str):
        out.append(_encode_string(value))
    else:
        out.extend(_encoder(level)(value, 0))


def _enter(value: Any, open_: set[int]) -> int:
    """Mark a container as being written (a container inside itself fails as in json)."""
    marker = id(value)
    if marker in open_:
        raise ValueError("Circular reference detected")
    open_.add(marker)
    return marker


def _key(key: Any, level: int) -> str:
    """``"key": `` as json writes an object key (numbers, booleans and null as strings)."""
    if isinstance(key, str):
        return _encode_string(key) + ": "
    return "".join(_encoder(level)({key: None}, 0))[1:-5]


def _write_object(value: dict[Any, Any], level: int, out: list[str], open_: set[int]) -> None:
    if not value:
        out.append("{}")
        return
    marker = _enter(value, open_)
    inner = level + 1
    pad = "\n" + _INDENT * inner
    encoder = _encoder(inner)
    out.append("{")
    separator = pad
    scalars: dict[Any, Any] = {}
    for key, item in value.items():
        if not isinstance(item, _CONTAINERS):
            scalars[key] = item
            continue
        if scalars:
            out.append(separator)
            out.append("".join(encoder(scalars, 0))[1:-1])
            scalars = {}
            separator = "," + pad
        out.append(separator)
        out.append(_key(key, inner))
        _write(item, inner, out, open_)
        separator = "," + pad
    if scalars:
        out.append(separator)
        out.append("".join(encoder(scalars, 0))[1:-1])
    out.append("\n" + _INDENT * level + "}")
    open_.discard(marker)


def _write_array(value: list[Any] | tuple[Any, ...], level: int, out: list[str], open_: set[int]) -> None:
    if not value:
        out.append("[]")
        return
    inner = level + 1
    pad = "\n" + _INDENT * inner
    out.append("[")
    if not any(isinstance(item, _CONTAINERS) for item in value):
        out.append(pad)
        out.append("".join(_encoder(inner)(value, 0))[1:-1])
    else:
        marker = _enter(value, open_)
        separator = pad
        for item in value:
            out.append(separator)
            _write(item, inner, out, open_)
            separator = "," + pad
        open_.discard(marker)
    out.append("\n" + _INDENT * level + "]")

