"""Golden case: layout is kept byte for byte around each `-> None`."""

import functools

TEMPLATE = """
def fake(x):
    print(x)
"""


def one_liner(x: int) -> None: print(x)


def semicolons(x: int) -> None: print(x); print(x)


@functools.lru_cache(maxsize=None)  # decorator comment
def cached(
    # leading comment
    x: int,  # after x
    *,
    flag: bool = False,
) -> None  :  # after colon
    print(x, flag)


def tabs(x: int) -> None:
	print(x)


def ünïcode(x: int) -> None:
    print("déjà vu")


class Outer:
    class Middle:
        class Inner:
            def deep(self) -> None: print(self)

    def with_lambda(self, key=lambda item: item) -> None:
        sorted([], key=key)

    def with_nested_generator(self) -> None:
        def gen():
            yield 1
        list(gen())


def returns_in_nested_class() -> None:
    class Local:
        def value(self):
            return 1
    Local()
