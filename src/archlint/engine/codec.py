"""A small, safe JSON codec for facts: frozen dataclasses of primitives, enums, tuples
and dicts. Used by the cache instead of pickle, so a cache folder committed by a
stranger can never execute code; decoders are compiled once per type."""

from __future__ import annotations

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


def _identity(value: Any) -> Any:
    return value


@lru_cache(maxsize=None)
def decoder(target: Any) -> Decoder:
    """A function turning the encoded form back into an instance of ``target``."""
    origin = typing.get_origin(target)
    args = typing.get_args(target)
    if target in (str, int, float, bool, Any, type(None)):
        return _identity
    if isinstance(target, type) and issubclass(target, Enum):
        return target
    if isinstance(target, type) and dataclasses.is_dataclass(target):
        hints = typing.get_type_hints(target)
        fields = [(f.name, decoder(hints[f.name])) for f in dataclasses.fields(target)]

        def decode_dataclass(data: Any) -> Any:
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
            if item_decoder is _identity:
                return tuple
            return lambda data: tuple(item_decoder(item) for item in data)
        decoders = [decoder(arg) for arg in args]
        return lambda data: tuple(dec(item) for dec, item in zip(decoders, data))
    if origin is frozenset:
        item_decoder = decoder(args[0]) if args else _identity
        return lambda data: frozenset(item_decoder(item) for item in data)
    if origin in (dict, typing.Mapping) or target is dict:
        value_decoder = decoder(args[1]) if len(args) == 2 else _identity
        return lambda data: {key: value_decoder(item) for key, item in data.items()}
    return _identity


def decode(target: type, data: Any) -> Any:
    """Decode ``data`` produced by :func:`encode` into an instance of ``target``."""
    return decoder(target)(data)
