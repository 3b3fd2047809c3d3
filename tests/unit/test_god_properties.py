"""Properties of the class metrics on generated classes: the collector never raises and
the metrics stay within their definitions."""

from __future__ import annotations

import ast

from hypothesis import given, settings
from hypothesis import strategies as st

from archlint.engine.collectors.classes import collect
from archlint.engine.collectors.context import SourceContext

STATEMENTS = [
    "self.{a} = {b}.{c}",
    "return self.{a}",
    "if {b}.{c} and self.{a}:\n    return 1",
    "for item in self.{a}:\n    item.{c} += 1",
    "while self.{a}:\n    self.{a} -= 1",
    "try:\n    self.m_{a}()\nexcept Exception:\n    pass",
    "x = [v.{c} for v in {b} if v]",
    "import os\nreturn os.{c}",
    "def inner({b}):\n    return {b}.{c}",
    "match {b}:\n    case 1:\n        return self.{a}\n    case _:\n        pass",
    "pass",
    '"""doc"""',
]
NAMES = st.sampled_from(["a", "b", "c", "data", "items"])


@st.composite
def method(draw: st.DrawFn) -> str:
    name = draw(st.sampled_from(["m_a", "m_b", "m_c", "_private", "__init__", "run", "m_data"]))
    decorator = draw(st.sampled_from(["", "@staticmethod\n", "@classmethod\n", "@property\n"]))
    lines = []
    for template in draw(st.lists(st.sampled_from(STATEMENTS), min_size=1, max_size=5)):
        text = template.format(a=draw(NAMES), b="p", c=draw(NAMES))
        lines.extend(text.splitlines())
    body = "\n".join("        " + line for line in lines)
    return f"    {decorator.replace(chr(10), chr(10) + '    ')}def {name}(self, p):\n{body}\n"


@given(st.lists(method(), max_size=8), st.lists(st.sampled_from(["x = 1", "y: int", "z: int = 2"]), max_size=3))
@settings(max_examples=150, deadline=None)
def test_metrics_stay_within_their_definitions(methods: list[str], fields: list[str]) -> None:
    source = "class C(Base):\n" + "".join(f"    {f}\n" for f in fields) + "".join(methods) + "    pass\n"
    tree = ast.parse(source)
    context = SourceContext(path="m.py", module="m", is_package=False, text=source, lines=source.splitlines())
    result = collect(tree, context)
    [cls] = result["classes"]
    assert cls.wmc >= cls.nom
    assert cls.atfd >= 0
    assert cls.tcc is None or 0.0 <= cls.tcc <= 1.0
    assert (cls.tcc is None) == (cls.public_methods < 2)
    assert 0 <= cls.lcom4 <= cls.nom
    assert cls.class_attributes <= cls.noa
    assert cls.method_loc <= cls.loc <= len(source.splitlines())
    assert result["module_stats"].complexity == cls.wmc
