"""Golden case: which public functions receive `-> None`, and nothing else changes."""

import abc
from typing import overload

__all__ = ["log", "Store", "compute", "gen", "stub", "Base", "convert", "agen", "multi", "spaced", "decorated", "kept"]


def log(message: str):
    print(message)  # a comment that stays


def compute(x: int):
    return x * 2


def gen(n: int):
    yield n


def stub(x: int):
    ...


async def agen(n: int):
    yield n


async def wait(n: int):  # not in __all__: not public, not touched
    print(n)


def multi(
    first: int,
    second: str = "x",  # trailing comment
) :
    """Docstring."""
    if first:
        return
    print(second)


def spaced(a: int)   :
    print(a)


def decorated(x: int):
    def inner(y):
        return y

    inner(x)


def kept(x: int) -> None:
    print(x)


@overload
def convert(x: int) -> int: ...
@overload
def convert(x: str): ...
def convert(x):
    print(x)


class Store:
    def __init__(self, name: str):
        self.name = name

    def clear(self):
        self.items = []

    @staticmethod
    def reset(flag: bool):
        if flag:
            return None

    @property
    def size(self):
        return 0

    def _private(self):
        print(self)

    class Inner:
        def touch(self):
            print(self)


class Base(abc.ABC):
    @abc.abstractmethod
    def run(self):
        print(self)
