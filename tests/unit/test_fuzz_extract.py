"""Issue 10, fuzzing: arbitrary bytes, mutated Python and grammar-generated Python
(hypothesmith) through the per-file analyser. It always returns facts; a file either
parses (no problem, unless ``ast`` itself rejects it) or carries exactly one parse
problem with a 1-based position; no collector ever fails on code ``ast`` accepts; the
facts survive the cache codec unchanged.

CI runs a small derandomised sample (a few seconds) of bytes, text, mutated Python and
template-generated Python. A longer run, randomised, adds the hypothesmith grammar test::

    ARCHLINT_FUZZ_EXAMPLES=20000 pytest tests/unit/test_fuzz_extract.py -p no:randomly
"""

from __future__ import annotations

import ast
import json
import os
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archlint.domain.facts import FileFacts
from archlint.engine.codec import decode, encode
from archlint.engine.extract import extract

# A compiler warning about analysed code must never escape the analyser.
pytestmark = pytest.mark.filterwarnings("error::SyntaxWarning")

EXAMPLES = int(os.environ.get("ARCHLINT_FUZZ_EXAMPLES", "150"))
LONG = EXAMPLES > 150
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=not LONG,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    database=None,
)

SEED_SOURCE = (
    b"from __future__ import annotations\n"
    b"import os, sys as system\n"
    b"from . import sibling\n"
    b"from typing import TYPE_CHECKING\n"
    b"if TYPE_CHECKING:\n"
    b"    from pkg.types import T\n"
    b"class Service(Base):\n"
    b"    attr: int = 0\n"
    b"    def run(self, x: int, *args, **kwargs) -> int:\n"
    b"        import json  # archlint: ignore[ARC101] -- reason\n"
    b"        return self.attr + x\n"
    b"async def handler(request):\n"
    b"    async with lock:\n"
    b"        await other.call()\n"
    b"    return [y for y in range(3) if y]\n"
)


def _parses(source: bytes) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return False
    return True


def _check(source: bytes) -> FileFacts:
    facts = extract(source, path="pkg/fuzz.py", module="pkg.fuzz", is_package=False)
    assert isinstance(facts, FileFacts)
    if facts.error is not None:
        assert facts.error.line >= 1 and facts.error.column >= 1 and facts.error.message
        assert "internal error" not in facts.error.message, facts.error.message
    assert decode(FileFacts, json.loads(json.dumps(encode(facts)))) == facts
    return facts


@FUZZ
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(source: bytes) -> None:
    _check(source)


@FUZZ
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=500))
def test_arbitrary_text(text: str) -> None:
    _check(text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.integers(min_value=0, max_value=len(SEED_SOURCE)), st.integers(min_value=0, max_value=40), st.binary(max_size=20))
def test_mutated_python(start: int, length: int, insert: bytes) -> None:
    source = SEED_SOURCE[:start] + insert + SEED_SOURCE[start + length :]
    facts = _check(source)
    if _parses(source):
        assert facts.error is None, facts.error


NAMES = st.sampled_from(["a", "b", "pkg", "self", "x", "_private", "TYPE_CHECKING", "Model", "os", "json", "\u00e9t\u00e9"])
EXPRESSIONS = st.sampled_from(
    [
        "x",
        "1 + 2 * x",
        "f(x, *args, key=1, **kw)",
        "[y for y in range(3) if y]",
        "{k: v for k, v in items}",
        "lambda q: q.attr",
        "(z := 3)",
        "await thing()",
        "f'{x!r:>10} {y}'",
        "x if x else None",
        "self.data[0].value",
        "-x ** 2",
        "a.b.c(d)(e)",
        "(yield x)",
        "...",
    ]
)


@st.composite
def _python_block(draw: st.DrawFn, depth: int = 0) -> list[str]:
    """A list of lines of valid Python (statements nest up to four levels)."""
    lines: list[str] = []
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        name = draw(NAMES)
        expr = draw(EXPRESSIONS)
        simple = [
            f"import {name}",
            f"import {name}.sub as alias",
            f"from . import {name}",
            f"from ..{name} import thing, other as o",
            f"from {name} import *" if depth == 0 else f"from {name} import thing",
            f"{name}_v = {expr}",
            f"{name}_v: int = 0",
            f"global {name}_g",
            "pass",
            f"return {expr}",
            f"del {name}_v",
            f"assert {expr}, 'message'",
            f"raise ValueError({expr})",
            f"{name}_v += 1",
            "# archlint: ignore[ARC101] -- a reason",
            "x = 1  # noqa: ARC201",
        ]
        kind = draw(st.integers(min_value=0, max_value=11 if depth < 4 else 0))
        if kind == 0:
            lines.append(draw(st.sampled_from(simple)))
            continue
        headers = [
            f"def {name}_f(self, a: int, /, b=1, *args: str, c, **kw) -> {name}:",
            f"async def {name}_co(x):",
            f"class {name.capitalize()}C(Base, metaclass=Meta):",
            f"if {expr}:",
            "if TYPE_CHECKING:",
            f"for {name}_i in {expr}:",
            f"while {expr}:",
            f"with open(x) as {name}_h, other():",
            "try:",
            f"match {expr}:",
            f"@decorator({expr})\ndef {name}_d():",
        ]
        header = headers[kind - 1]
        body = draw(_python_block(depth + 1))
        if header == f"match {expr}:":
            lines.append(header)
            lines.append("    case {'k': [1, *rest]} | None:")
            lines.extend("        " + line for line in body)
            continue
        lines.extend(header.split("\n"))
        lines.extend("    " + line for line in body)
        if header == "try:":
            lines.append(draw(st.sampled_from(["except ValueError as e:", "except (A, B):", "finally:", "except Exception:"])))
            lines.append("    pass")
    return [line for chunk in lines for line in chunk.split("\n")]


@settings(FUZZ, max_examples=max(40, EXAMPLES // 3))
@given(_python_block(), st.sampled_from(["\n", "\r\n"]))
def test_generated_python_always_gives_facts(lines: list[str], newline: str) -> None:
    """Generated Python (mostly valid; ``return`` at module level and friends are fine
    for ``ast``) through the analyser: no collector ever fails."""
    source = newline.join(lines).encode("utf-8") + newline.encode()
    facts = _check(source)
    if _parses(source):
        assert facts.error is None, (facts.error, source.decode())


@settings(max_examples=max(6, EXAMPLES // 25), derandomize=not LONG, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(st.data())
def test_grammar_generated_python(data: st.DataObject) -> None:
    """Python generated from the full grammar by hypothesmith: a handful of
    derandomised examples in every run (hypothesmith takes ~15 s to start), many
    random ones in a long run (ARCHLINT_FUZZ_EXAMPLES)."""
    import hypothesmith

    source = data.draw(hypothesmith.from_grammar()).encode("utf-8", "surrogatepass")
    facts = _check(source)
    if _parses(source):
        assert facts.error is None, facts.error
