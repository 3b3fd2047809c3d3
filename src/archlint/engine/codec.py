"""A small, safe JSON codec for facts: frozen dataclasses of primitives, enums, tuples
and dicts. Used by the cache instead of pickle, so a cache folder committed by a
stranger can never execute code; decoders are compiled once per type."""

from __future__ import annotations

import collections.abc
import dataclasses
import types
import typing
from collections.abc import Callable
from enum import Enum
from functools import cache
from typing import Any

Decoder = Callable[[Any], Any]


def encode(value: Any) -> Any:
    """A JSON-compatible form of ``value`` (dataclasses become lists of field values)."""
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [encode(getattr(value, f.name)) for f in dataclasses.fields(value)]
    if isinstance(value, (tuple, list, frozenset)):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {str(key): encode(item) for key, item in value.items()}
    return value


_SCALARS = (str, int, float, bool)


@cache
def encoder(target: type) -> Callable[[Any], Any]:
    """A function equal to :func:`encode` on instances of the dataclass ``target``,
    generated once as Python source from its field types (never from data): the facts
    of a whole project are encoded without a type check per value."""
    hints = typing.get_type_hints(target)
    namespace: dict[str, Any] = {"_encode": encode}
    items = ", ".join(
        _encode_expression(hints[f.name], f"value.{f.name}", namespace, 0) for f in dataclasses.fields(target)
    )
    source = f"def encode_dataclass(value):\n    return [{items}]\n"
    exec(compile(source, f"<archlint.codec encode {target.__qualname__}>", "exec"), namespace)  # noqa: S102 - our own types
    return typing.cast(Callable[[Any], Any], namespace["encode_dataclass"])


def _encode_expression(hint: Any, value: str, namespace: dict[str, Any], depth: int) -> str:
    """Source of an expression encoding ``value`` (itself an expression) of type ``hint``."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint in _SCALARS:
        return value
    if isinstance(hint, type) and issubclass(hint, Enum):
        return f"{value}.value"
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        name = f"_enc_{len(namespace)}"
        namespace[name] = encoder(hint)
        return f"{name}({value})"
    if origin in (types.UnionType, typing.Union):
        real = [arg for arg in args if arg is not type(None)]
        if len(real) == 1 and len(args) == 2:
            inner = _encode_expression(real[0], value, namespace, depth)
            return value if inner == value else f"(None if {value} is None else {inner})"
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = f"_item{depth}"
        inner = _encode_expression(args[0], item, namespace, depth + 1)
        return f"list({value})" if inner == item else f"[{inner} for {item} in {value}]"
    return f"_encode({value})"


class CodecError(ValueError):
    """Encoded data that does not have the shape of the target type (a corrupt or
    hand-edited cache entry): the caller treats the entry as missing."""


def _identity(value: Any) -> Any:
    return value


def _expect(kind: type | tuple[type, ...], data: Any) -> None:
    if not isinstance(data, kind) or (isinstance(data, bool) and kind in (int, (int, float))):
        raise CodecError(f"expected {kind}, got {type(data).__name__}")


def _scalar(kind: Any) -> Decoder:
    accepted: type | tuple[type, ...] = (int, float) if kind is float else kind

    def decode_scalar(data: Any) -> Any:
        _expect(accepted, data)
        return float(data) if kind is float else data

    return decode_scalar


def _none(data: Any) -> Any:
    if data is not None:
        raise CodecError(f"expected null, got {type(data).__name__}")
    return None


def _list(data: Any) -> Any:
    _expect(list, data)
    return data


@cache
def decoder(target: Any) -> Decoder:
    """A function turning the encoded form back into an instance of ``target``.

    Every decoder checks the shape of its input (JSON type, list length, enum value)
    and raises :class:`CodecError` on a mismatch, so a corrupt cache entry can never
    produce facts of the wrong types."""
    origin = typing.get_origin(target)
    args = typing.get_args(target)
    if target is Any:
        return _identity
    if target is type(None):
        return _none
    if target in (str, int, float, bool):
        return _scalar(target)
    if isinstance(target, type) and issubclass(target, Enum):

        def decode_enum(data: Any) -> Any:
            try:
                return target(data)
            except (ValueError, TypeError) as exc:
                raise CodecError(str(exc)) from None

        return decode_enum
    if isinstance(target, type) and dataclasses.is_dataclass(target):
        return _dataclass_decoder(target)
    if origin in (types.UnionType, typing.Union):
        real = [arg for arg in args if arg is not type(None)]
        inner = decoder(real[0]) if len(real) == 1 else _identity

        def decode_optional(data: Any) -> Any:
            return None if data is None else inner(data)

        return decode_optional
    if origin is tuple:
        item_decoder = decoder(args[0]) if args else _identity
        if len(args) == 2 and args[1] is Ellipsis:

            def decode_variadic(data: Any) -> Any:
                _expect(list, data)
                return tuple(item_decoder(item) for item in data)

            return decode_variadic
        decoders = [decoder(arg) for arg in args]

        def decode_fixed(data: Any) -> Any:
            _expect(list, data)
            if len(data) != len(decoders):
                raise CodecError(f"expected {len(decoders)} items, got {len(data)}")
            return tuple(dec(item) for dec, item in zip(decoders, data))

        return decode_fixed
    if origin is frozenset:
        item_decoder = decoder(args[0]) if args else _identity

        def decode_frozenset(data: Any) -> Any:
            _expect(list, data)
            return frozenset(item_decoder(item) for item in data)

        return decode_frozenset
    if origin in (dict, typing.Mapping, collections.abc.Mapping) or target is dict:
        value_decoder = decoder(args[1]) if len(args) == 2 else _identity

        def decode_dict(data: Any) -> Any:
            _expect(dict, data)
            return {key: value_decoder(item) for key, item in data.items()}

        return decode_dict
    if origin is list:
        return _list
    return _identity


def _fail(expected: str, data: Any) -> Any:
    raise CodecError(f"expected {expected}, got {type(data).__name__}")


def _checked_str(data: Any) -> Any:
    return data if data.__class__ is str else _fail("str", data)


def _checked_int(data: Any) -> Any:
    return data if data.__class__ is int else _fail("int", data)


def _checked_bool(data: Any) -> Any:
    return data if data.__class__ is bool else _fail("bool", data)


def _strings(data: Any) -> tuple[str, ...]:
    if data.__class__ is not list:
        _fail("list", data)
    for item in data:
        if item.__class__ is not str:
            _fail("str", item)
    return tuple(data)


def _items(data: Any) -> Any:
    return data if data.__class__ is list else _fail("list", data)


def _member(members: dict[Any, Any], data: Any) -> Any:
    try:
        return members[data]
    except (KeyError, TypeError):
        raise CodecError(f"not a member value: {data!r}") from None


_INLINE_SCALARS: dict[Any, str] = {str: "_checked_str", int: "_checked_int", bool: "_checked_bool"}


def _field_expression(hint: Any, value: str, namespace: dict[str, Any], depth: int = 0) -> str:
    """Python source decoding the expression ``value`` as ``hint``: the common shapes of
    facts (scalars, optionals, variadic tuples) inline, anything else through
    :func:`decoder`. Same checks as the generic decoders, fewer calls."""
    if hint in _INLINE_SCALARS:
        return f"{_INLINE_SCALARS[hint]}({value})"
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        real = [arg for arg in args if arg is not type(None)]
        if len(real) == 1 and len(args) == 2:
            inner = _field_expression(real[0], value, namespace, depth)
            return f"(None if {value} is None else {inner})"
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        if args[0] is str:
            return f"_strings({value})"
        item = f"_item{depth}"
        inner = _field_expression(args[0], item, namespace, depth + 1)
        return f"tuple([{inner} for {item} in _items({value})])"
    name = f"_decoder{len(namespace)}"
    if isinstance(hint, type) and issubclass(hint, Enum):
        namespace[name] = {member.value: member for member in hint}
        return f"_member({name}, {value})"
    namespace[name] = decoder(hint)
    return f"{name}({value})"


def _dataclass_decoder(target: type) -> Decoder:
    """A decoder for one dataclass, generated once as Python source from its field types
    (never from the data), so decoding a warm cache costs few function calls."""
    hints = typing.get_type_hints(target)
    fields = dataclasses.fields(target)
    namespace: dict[str, Any] = {
        "_target": target,
        "_fail": _fail,
        "_checked_str": _checked_str,
        "_checked_int": _checked_int,
        "_checked_bool": _checked_bool,
        "_strings": _strings,
        "_items": _items,
        "_member": _member,
        "CodecError": CodecError,
    }
    arguments = ", ".join(
        f"{field.name}={_field_expression(hints[field.name], f'data[{index}]', namespace)}" for index, field in enumerate(fields)
    )
    source = (
        "def decode_dataclass(data):\n"
        "    if data.__class__ is not list:\n"
        "        _fail('list', data)\n"
        f"    if len(data) != {len(fields)}:\n"
        f"        raise CodecError(f'{target.__name__}: expected {len(fields)} fields, got {{len(data)}}')\n"
        f"    return _target({arguments})\n"
    )
    exec(compile(source, f"<archlint.codec {target.__qualname__}>", "exec"), namespace)  # noqa: S102 - code from our own types
    return typing.cast(Decoder, namespace["decode_dataclass"])


def decode(target: type, data: Any) -> Any:
    """Decode ``data`` produced by :func:`encode` into an instance of ``target``."""
    return decoder(target)(data)
