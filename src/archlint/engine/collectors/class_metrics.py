"""The class metrics computed from what the classes collector read (``classes.py``):
cohesion (TCC, LCOM4) and lines of code. Definitions: ``docs/adr/0005-god-object-metrics.md``."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import accumulate, repeat


class CodeLines:
    """Counts lines of code (not blank, not a comment, not part of a docstring) of any
    line range in O(1)."""

    def __init__(self, lines: list[str], docstrings: Iterable[tuple[int, int]] = ()) -> None:
        # A code line is one whose stripped text is neither empty nor starts with "#",
        # told by comparing strings (no indexing): the text sorts at or after "$" (the
        # character after "#"), or is not empty and sorts before "#". Every line of the
        # file comes here.
        code = [text >= "$" or "" < text < "#" for text in map(str.lstrip, lines)]
        count = len(lines)
        for first, last in docstrings:
            start, stop = max(first, 1), min(last, count)
            if start <= stop:
                code[start - 1 : stop] = repeat(False, stop - start + 1)  # the lines at once
        self._prefix = list(accumulate(code, initial=0))

    @property
    def total(self) -> int:
        """Code lines of the whole file."""
        return self._prefix[-1]

    def count_all(self, spans: Iterable[tuple[int, int]]) -> int:
        """The sum of :meth:`count` over ``spans`` (one call for a class's methods)."""
        prefix = self._prefix
        top = len(prefix) - 1
        total = 0
        for first, last in spans:
            if 1 <= first <= last <= top:
                total += prefix[last] - prefix[first - 1]
            else:
                total += self.count(first, last)
        return total

    def count(self, first: int, last: int) -> int:
        """Code lines from ``first`` to ``last`` (1-based, inclusive)."""
        prefix = self._prefix
        top = len(prefix) - 1
        if not 1 <= first <= last <= top:  # a range outside the file (never for parsed nodes): clamp it
            first = min(max(first, 1), top + 1)
            last = min(max(last, first - 1), top)
        return prefix[last] - prefix[first - 1]


def tight_class_cohesion(methods: dict[str, set[str]]) -> float | None:
    """Fraction of pairs of ``methods`` (name -> attributes used) sharing an attribute;
    ``None`` for fewer than two methods."""
    count = len(methods)
    if count < 2:
        return None
    used = [attributes for attributes in methods.values() if attributes]  # an empty set shares nothing
    connected = 0
    for i, attributes in enumerate(used):
        others = used[i + 1 :]
        connected += len(others) - sum(map(attributes.isdisjoint, others))
    return connected / (count * (count - 1) / 2)


def lcom4(methods: dict[str, tuple[set[str], set[str]]]) -> int:
    """Connected components of ``methods`` (name -> (attributes, called methods)), linked
    when two methods share an attribute or one calls the other: the number of methods
    less the links that join two components (union-find; the order of the links does
    not change the count)."""
    parent = {name: name for name in methods}

    def find(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    components = len(methods)
    owner: dict[str, str] = {}
    first_user = owner.setdefault
    for name, (attributes, calls) in methods.items():
        # Each method to link once (a set: the methods sharing several attributes with
        # this one are the common case), and this method's root kept up to date across
        # its links instead of looked up again for each. A method using no attribute
        # and calling no method links nothing.
        if attributes:
            linked = {first for attribute in attributes if (first := first_user(attribute, name)) != name}
            if calls:
                linked.update([callee for callee in calls if callee in parent])
        elif calls:
            linked = {callee for callee in calls if callee in parent}
        else:
            continue
        if not linked:
            continue
        root = find(name)
        for other in linked:
            other_root = find(other)
            if other_root != root:
                low, high = (root, other_root) if root < other_root else (other_root, root)
                parent[high] = low
                root = low
                components -= 1
    return components
