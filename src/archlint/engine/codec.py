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
from functools import lru_cache
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


@lru_cache(maxsize=None)
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
        hints = typing.get_type_hints(target)
        fields = [(f.name, decoder(hints[f.name])) for f in dataclasses.fields(target)]

        def decode_dataclass(data: Any) -> Any:
            _expect(list, data)
            if len(data) != len(fields):
                raise CodecError(f"{target.__name__}: expected {len(fields)} fields, got {len(data)}")
            return target(**{name: decode(item) for (name, decode), item in zip(fields, data)})

        return decode_dataclass
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


def decode(target: type, data: Any) -> Any:
    """Decode ``data`` produced by :func:`encode` into an instance of ``target``."""
    return decoder(target)(data)
