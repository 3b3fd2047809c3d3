"""Golden case: functions whose return type is not `None` although they return no value.

Each is still reported by ARC402 (the annotation is missing); `--fix` leaves it alone:
functions that always raise, dunders whose return type the data model fixes, and
functions typed by a `# type:` comment (mypy rejects a second signature)."""

import contextlib


def fail(code: int):
    raise ValueError(code)


def fail_documented(code: int):
    """Always raises."""
    message = f"bad {code}"
    raise RuntimeError(message)


def fail_both_ways(flag: bool):
    if flag:
        raise ValueError(flag)
    else:
        raise TypeError(flag)


def fail_in_try(flag: bool):
    try:
        print(flag)
    except OSError:
        raise
    raise LookupError(flag)


def fail_in_with(flag: bool):  # a context manager may swallow it: skipped to be safe
    with contextlib.suppress(OSError):
        raise ValueError(flag)


def maybe_fail(flag: bool) -> None:
    if flag:
        return
    raise ValueError(flag)


def sometimes_fails(flag: bool) -> None:
    if flag:
        raise ValueError(flag)


def commented(a):  # type: (int) -> None
    print(a)


def commented_below(a):
    # type: (int) -> None
    print(a)


def per_argument(
    a,  # type: int
):
    print(a)


def ignored(a: int) -> None:  # type: ignore[no-untyped-def]
    print(a)


class Number:
    def __int__(self):
        raise TypeError("not a number")

    def __reduce_ex__(self, protocol: int):
        raise TypeError("cannot pickle")

    def __contains__(self, item: object):
        raise TypeError("not a container")

    def __len__(self):
        print(self)

    def __hash__(self):
        print(self)

    def __repr__(self):
        print(self)

    def __enter__(self):
        print(self)

    def __exit__(self, *args: object):
        print(args)

    def __eq__(self, other: object):
        print(other)

    def __getattr__(self, name: str):
        print(name)

    def __call__(self) -> None:
        print(self)

    def __init__(self, value: int):
        self.value = value

    def __setattr__(self, name: str, value: object) -> None:
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        object.__delattr__(self, name)

    def __setitem__(self, key: str, value: object) -> None:
        print(key, value)

    def __delitem__(self, key: str) -> None:
        print(key)

    def __set__(self, instance: object, value: object) -> None:
        print(instance, value)

    def __delete__(self, instance: object) -> None:
        print(instance)

    def __init_subclass__(cls) -> None:
        print(cls)

    def __post_init__(self) -> None:
        print(self)

    def __del__(self) -> None:
        print(self)

    def __set_name__(self, owner: type, name: str) -> None:
        print(owner, name)

    def __setstate__(self, state: object) -> None:
        print(state)

    def plain(self) -> None:
        print(self)
