"""Class and module metrics on hand-computed examples (collector level, no files)."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from archlint.domain.class_facts import ClassFacts, ModuleStats
from archlint.engine.collectors.classes import collect, lcom4, tight_class_cohesion
from archlint.engine.collectors.context import SourceContext


def facts_of(source: str) -> tuple[dict[str, ClassFacts], ModuleStats]:
    text = textwrap.dedent(source)
    context = SourceContext(path="m.py", module="m", is_package=False, text=text, lines=text.splitlines())
    result = collect(ast.parse(text), context)
    return {c.qualname: c for c in result["classes"]}, result["module_stats"]


def one(source: str) -> ClassFacts:
    classes, _ = facts_of(source)
    assert len(classes) == 1
    return next(iter(classes.values()))


def test_wmc_sums_cyclomatic_complexity_of_methods() -> None:
    cls = one(
        """
        class C:
            def a(self, xs):              # 1
                if xs and self.ok:        # +1 if, +1 and
                    for x in xs:          # +1 for
                        pass
            def b(self):                  # 1
                return 1
            def c(self, xs):              # 1
                try:
                    pass
                except KeyError:          # +1
                    pass
                except ValueError:        # +1
                    pass
                return [x for x in xs if x]   # +1 for clause, +1 if clause
            def d(self, v):               # 1
                match v:
                    case 1:               # +1
                        return 1 if self.ok else 2   # +1 conditional expression
                    case _:               # +1
                        while v:          # +1
                            v -= 1
        """
    )
    # a: 4, b: 1, c: 5, d: 5
    assert cls.wmc == 15
    assert cls.nom == 4


def test_nested_function_and_lambda_count_toward_their_method() -> None:
    cls = one(
        """
        class C:
            def m(self):
                def inner(x):
                    if x:
                        return 1
                f = lambda y: y if y else 0
                return inner, f
        """
    )
    assert cls.wmc == 3


def test_tcc_of_a_four_method_class_by_hand() -> None:
    # public methods and the self attributes each uses directly:
    #   m1 {a, b}   m2 {b}   m3 {c}   m4 {c, d}
    # 6 pairs; connected: (m1, m2) share b, (m3, m4) share c -> TCC = 2/6 = 1/3.
    # __init__ and _private are not public and do not count.
    cls = one(
        """
        class C:
            def __init__(self):
                self.a = self.b = self.c = self.d = 0
            def m1(self):
                return self.a + self.b
            def m2(self):
                self.b = 1
            def m3(self):
                return self.c
            def m4(self):
                return self.c, self.d
            def _private(self):
                return self.a, self.d
        """
    )
    assert cls.public_methods == 4
    assert cls.tcc == pytest.approx(1 / 3)
    # LCOM4 over non-constructor methods: {m1, m2, _private(a, d), m3, m4} are joined by
    # _private (a with m1, d with m4): one component.
    assert cls.lcom4 == 1


def test_lcom4_counts_method_groups_linked_by_attributes_or_calls() -> None:
    cls = one(
        """
        class C:
            def __init__(self):
                self.a = self.b = self.c = 0
            def m1(self):
                return self.a
            def m2(self):
                return self.a
            def m3(self):
                return self.b
            def m4(self):
                return self.m3()
            def m5(self):
                return self.c
            def stub(self):
                raise NotImplementedError
            @staticmethod
            def util(x):
                return x
        """
    )
    # {m1, m2} share a; {m3, m4} call; {m5}; {util}; the stub and __init__ are left out.
    assert cls.lcom4 == 4
    # TCC: 7 public methods (stub and util included), 21 pairs; only (m1, m2) share an
    # attribute directly (m4 reaches m3 through a call, which TCC does not count).
    assert cls.tcc == pytest.approx(1 / 21)


def test_tcc_direct_sharing_only_and_not_applicable_below_two_public_methods() -> None:
    cls = one(
        """
        class C:
            def only(self):
                return self.x
            def _hidden(self):
                return self.x
        """
    )
    assert cls.tcc is None
    assert tight_class_cohesion({"a": {"x"}, "b": {"x"}, "c": set()}) == pytest.approx(1 / 3)
    assert tight_class_cohesion({}) is None


def test_lcom4_helper() -> None:
    assert lcom4({}) == 0
    assert lcom4({"a": ({"x"}, set()), "b": ({"x"}, set()), "c": (set(), {"b"}), "d": (set(), set())}) == 2


def test_atfd_counts_distinct_foreign_attribute_reads() -> None:
    cls = one(
        """
        import os
        from pkg import settings

        LIMIT = object()

        class C:
            def a(self, other, param):
                x = other.size + other.size        # other.size (once)
                y = param.owner.name               # param.owner, param.owner.name
                other.reload()                     # a method call: not data
                z = os.sep + settings.DEBUG        # imported names: excluded
                w = LIMIT.value                    # module-level name: excluded
                v = self.mine                      # own attribute: not foreign
                u = self.helper.value              # data of an object held in a field
                s = super().thing                  # inherited: excluded
                r = self.__class__.limit           # own class data: excluded
                t = other.__class__                # dunder: excluded
                local = make()
                q = local.field                    # a local's attribute
                other.written = 1                  # a write, not a read
                return x, y, z, w, v, u, s, t, q, r

            def b(this, other):
                return other.size                  # same receiver text: counted once
        """
    )
    # other.size, param.owner, param.owner.name, self.helper.value, local.field
    assert cls.atfd == 5


def test_nom_noa_and_loc() -> None:
    cls = one(
        """
        from typing import overload

        @decorated
        class C:
            '''Doc.'''

            # a comment line does not count
            a = 1
            b: int
            __slots__ = ()

            def __init__(self):
                self.c = 0
                self.a = 2

            @property
            def p(self):
                return self.c

            @p.setter
            def p(self, value):
                self.c = value

            @overload
            def f(self, x: int) -> int: ...
            @overload
            def f(self, x: str) -> str: ...
            def f(self, x):

                return x
        """
    )
    assert cls.nom == 3  # __init__, p (getter and setter), f (overloads excluded)
    assert cls.noa == 3  # a, b, c (dunders excluded)
    assert cls.class_attributes == 2
    # decorator, class, a, b, __slots__ (5) + __init__ (3) + getter (3) + setter (3)
    # + two overloads (4) + f (2) = 20; blank, comment and docstring lines do not count
    assert cls.loc == 20
    assert cls.method_loc == 11  # overload stubs are not methods
    assert cls.line == 5  # the `class` line, not the decorator


def test_abstractness_bases_metaclass_and_decorators() -> None:
    classes, _ = facts_of(
        """
        import abc
        from typing import Protocol

        class A(abc.ABC):
            pass

        class P(Protocol[T]):
            def m(self) -> int: ...

        class M(metaclass=abc.ABCMeta):
            pass

        class D(Base):
            @abc.abstractmethod
            def run(self):
                pass

        @dataclass(frozen=True)
        class Concrete(Base, Generic[T], metaclass=Meta):
            def run(self):
                return 1
        """
    )
    assert {name: c.is_abstract for name, c in classes.items()} == {
        "A": True,
        "P": True,
        "M": True,
        "D": True,
        "Concrete": False,
    }
    assert classes["D"].abstract_methods == 1
    assert classes["Concrete"].bases == ("Base", "Generic[T]")
    assert classes["Concrete"].metaclass == "Meta"
    assert classes["Concrete"].decorators == ("dataclass",)
    assert classes["A"].bases == ("abc.ABC",)


def test_qualnames_of_nested_and_local_classes() -> None:
    classes, stats = facts_of(
        """
        class Outer:
            class Inner:
                def m(self):
                    class InMethod:
                        pass

        def factory():
            class Local:
                def m(self):
                    if self:
                        return 1
            return Local

        if True:
            class Conditional:
                pass
        """
    )
    assert sorted(classes) == [
        "Conditional",
        "Outer",
        "Outer.Inner",
        "Outer.Inner.m.<locals>.InMethod",
        "factory.<locals>.Local",
    ]
    assert classes["Outer"].nom == 0
    assert stats.classes == 2  # Outer and Conditional are top-level
    assert stats.functions == 1
    # factory 1 + Local.m 2 + Inner.m 1
    assert stats.complexity == 4


def test_docstrings_are_not_lines_of_code() -> None:
    classes, stats = facts_of(
        '''
        """Module docstring
        over two lines."""


        class C:
            """Class docstring.

            More.
            """

            def m(self):
                """Method docstring."""

                def inner():
                    """Nested docstring."""
                    return "not a docstring"

                return inner
        '''
    )
    assert classes["C"].loc == 5  # class, def m, def inner, return "...", return inner
    assert classes["C"].method_loc == 4
    assert stats.loc == 5


def test_module_stats() -> None:
    _, stats = facts_of(
        """
        # comment

        import os


        def f(x):
            if x:
                return 1
            return 2


        class C:
            def m(self):
                return 1
        """
    )
    assert stats == ModuleStats(loc=8, classes=1, functions=1, complexity=3)
    assert stats.definitions == 2


@pytest.mark.parametrize("name", ["ast.py", "typing.py", "argparse.py", "dataclasses.py"])
def test_collector_never_raises_on_real_code(name: str) -> None:
    path = Path(ast.__file__).parent / name
    text = path.read_text(encoding="utf-8")
    context = SourceContext(path=name, module=name[:-3], is_package=False, text=text, lines=text.splitlines())
    result = collect(ast.parse(text), context)
    assert result["classes"]
    assert all(c.wmc >= c.nom for c in result["classes"])
    assert all(c.tcc is None or 0 <= c.tcc <= 1 for c in result["classes"])


def test_deeply_nested_code_does_not_recurse() -> None:
    body = "x = 1\n"
    for depth in range(60):
        body = "if x:\n" + "".join(f"    {line}\n" for line in body.splitlines())
    source = "class C:\n    def m(self, x):\n" + "".join(f"        {line}\n" for line in body.splitlines())
    cls = one(source)
    assert cls.wmc == 61


def test_facts_round_trip_through_the_cache_codec() -> None:
    from archlint.domain.facts import FileFacts
    from archlint.engine.codec import decode, encode

    classes, stats = facts_of(
        """
        class A(Base, metaclass=M):
            def m(self, o):
                return o.x
            def n(self):
                return self.y
        """
    )
    facts = FileFacts(path="m.py", module="m", is_package=False, classes=tuple(classes.values()), module_stats=stats)
    assert decode(FileFacts, encode(facts)) == facts


def test_tcc_sees_attributes_read_through_the_class_own_properties() -> None:
    # A facade whose public methods all go through one property: they all use `registry`
    # (the property's attribute), so every pair is connected.
    cls = one(
        """
        class Proxy:
            def __init__(self, registry):
                self.registry = registry

            @property
            def _proxied(self):
                return self.registry()

            def add(self, item):
                return self._proxied.add(item)

            def close(self):
                return self._proxied.close()

            def other(self):
                return 1
        """
    )
    # public: add {registry}, close {registry}, other {} -> 1 of 3 pairs
    assert cls.tcc == pytest.approx(1 / 3)
    # a method call is not an attribute use: without the property, no pair is connected
    plain = one(
        """
        class Plain:
            def _proxied(self):
                return self.registry()

            def add(self, item):
                return self._proxied().add(item)

            def close(self):
                return self._proxied().close()
        """
    )
    assert plain.tcc == 0.0
