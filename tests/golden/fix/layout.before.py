"""Golden case: layout is kept byte for byte around each `-> None`."""

import functools

TEMPLATE = """
def fake(x):
    print(x)
"""


def one_liner(x: int): print(x)


def semicolons(x: int): print(x); print(x)


@functools.lru_cache(maxsize=None)  # decorator comment
def cached(
    # leading comment
    x: int,  # after x
    *,
    flag: bool = False,
)  :  # after colon
    print(x, flag)


def tabs(x: int):
	print(x)


def ünïcode(x: int):
    print("déjà vu")


class Outer:
    class Middle:
        class Inner:
            def deep(self): print(self)

    def with_lambda(self, key=lambda item: item):
        sorted([], key=key)

    def with_nested_generator(self):
        def gen():
            yield 1
        list(gen())


def returns_in_nested_class():
    class Local:
        def value(self):
            return 1
    Local()
