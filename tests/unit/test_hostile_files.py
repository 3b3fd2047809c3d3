"""Issue 10: every kind of bad file becomes facts or exactly one parse problem (ARC001)
with a useful position, never an exception; its imports are recovered when readable."""

from __future__ import annotations

import sys

import pytest

from archlint.domain.facts import FileFacts, ImportKind
from archlint.engine.extract import extract
from archlint.engine.recovery import newer_syntax, scan_imports


def _facts(source: bytes, module: str = "pkg.mod") -> FileFacts:
    return extract(source, path="pkg/mod.py", module=module, is_package=False)


# (case id, source, expected (line, column) of the problem, words the message contains)
BAD: list[tuple[str, bytes, tuple[int, int], str]] = [
    ("syntax-error", b"import os\ndef broken(:\n    pass\n", (2, 12), "syntax error"),
    ("python2-print", b"import os\nprint 'hello'\n", (2, 1), "Python 2"),
    ("python2-except", b"try:\n    pass\nexcept ValueError, e:\n    pass\n", (3, 8), "Python 2"),
    ("python2-octal", b"x = 0777\n", (1, 5), "Python 2"),
    ("null-byte", b"import os\nx = 1\x00\n", (2, 6), "null bytes"),
    ("undecodable-no-cookie", b"import os\nx = '\xff\xfe'\n", (2, 6), "undecodable bytes (utf-8)"),
    ("unknown-cookie", b"# -*- coding: klingon -*-\nimport os\n", (1, 1), "unknown source encoding: klingon"),
    ("bom-contradicts-cookie", b"\xef\xbb\xbf# coding: latin-1\nimport os\n", (1, 1), "byte order mark"),
    ("mixed-tabs-spaces", b"if True:\n\timport os\n        import sys\n", (3, 1), "tabs and spaces"),
    ("too-many-parentheses", b"x = " + b"(" * 300 + b")" * 300 + b"\n", (1, 205), "nested parentheses"),
    ("too-many-indents", b"".join(b" " * i + b"if x:\n" for i in range(101)) + b" " * 101 + b"pass\n", (101, 1), "indentation"),
    ("deep-unary-memoryerror", b"x = " + b"-" * 200_000 + b"1\n", (1, 1), "nesting too deep"),
]
DEEP_CHAIN = b"x = " + b"1+" * 200_000 + b"1\n"
"""200 000 levels of left-nested ``BinOp``: Python 3.11+ refuses to build the tree
(``RecursionError``); 3.10 builds it recursively in C, which overflowed the stack."""


@pytest.mark.parametrize(("source", "where", "words"), [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_bad_file_is_one_problem_with_position(source: bytes, where: tuple[int, int], words: str) -> None:
    facts = _facts(source)
    assert facts.error is not None
    assert words in facts.error.message
    assert (facts.error.line, facts.error.column) == where


def test_a_chain_too_deep_for_the_parser_never_crashes() -> None:
    """3.11+ reports it like the other resource errors; 3.10 parses it on a stack of its
    own (``archlint._parsing``) and analyses it."""
    facts = _facts(DEEP_CHAIN)
    if sys.version_info >= (3, 11):
        assert facts.error is not None and "nesting too deep" in facts.error.message
        assert (facts.error.line, facts.error.column) == (1, 1)
    else:
        assert facts.error is None
        assert facts.lines == 1


def test_a_long_text_is_parsed_on_its_own_stack_where_the_parser_does_not_count(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the 3.10 guard on (forced here on any version), a text longer than the guard
    is parsed in a thread of its own, whose exception is raised in the caller; a short
    one is parsed in the calling thread; the result is the same facts."""
    import ast
    import threading

    from archlint import _parsing

    where: list[str] = []
    real_parse = ast.parse

    def spy(source: str | bytes, filename: str = "<unknown>", mode: str = "exec") -> ast.AST:
        where.append(threading.current_thread().name)
        return real_parse(source, filename=filename, mode=mode)

    long_text = b"import os\n" + b"x = 1\n" * (_parsing.GUARD_ABOVE // 6 + 1)
    plain = _facts(long_text)
    monkeypatch.setattr(_parsing, "UNCOUNTED_PARSER", True)
    monkeypatch.setattr(_parsing.ast, "parse", spy)
    guarded = _facts(long_text)
    short = _facts(b"import os\n")
    assert where == ["archlint-parse", threading.current_thread().name]
    assert guarded == plain
    assert [fact.module for fact in short.imports] == ["os"]
    monkeypatch.setattr(_parsing.ast, "parse", real_parse)
    broken = _facts(b"import os\n" + b"x = (\n" + b"1\n" * _parsing.GUARD_ABOVE)
    assert broken.error is not None and "syntax error" in broken.error.message
    assert [fact.module for fact in broken.imports] == ["os"]


def test_every_parse_of_analysed_code_goes_through_the_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the guard forced on and lowered, the module and its string annotations are
    both parsed on the parse thread; and no other module of archlint calls ``ast.parse``
    (but ``context.py`` on a constant of its own): ``--fix`` checks its result through
    ``archlint._parsing`` too."""
    import ast
    import threading
    from pathlib import Path

    from archlint import _parsing

    where: list[str] = []
    real_parse = ast.parse

    def spy(source: str | bytes, filename: str = "<unknown>", mode: str = "exec") -> ast.AST:
        where.append(f"{threading.current_thread().name}:{mode}")
        return real_parse(source, filename=filename, mode=mode)

    monkeypatch.setattr(_parsing, "UNCOUNTED_PARSER", True)
    monkeypatch.setattr(_parsing, "GUARD_ABOVE", 3)
    monkeypatch.setattr(_parsing.ast, "parse", spy)
    facts = _facts(b"from typing import List\n\n\ndef f(x: 'List[int]') -> None:\n    pass\n")
    assert facts.error is None
    assert where == ["archlint-parse:exec", "archlint-parse:eval"]
    source_root = Path(_parsing.__file__).parent
    callers = sorted(
        str(path.relative_to(source_root))
        for path in source_root.rglob("*.py")
        if "ast.parse(" in path.read_text(encoding="utf-8") and path.name != "_parsing.py"
    )
    assert callers == ["engine/collectors/context.py"]


GOOD: list[tuple[str, bytes, list[str]]] = [
    ("pep263-latin1", "# -*- coding: latin-1 -*-\nimport os\nname = 'caf\xe9'\n".encode("latin-1"), ["os"]),
    ("pep263-cp1252-line2", "#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\nimport json\nx = '\u20ac'\n".encode("cp1252"), ["json"]),
    ("utf8-bom", b"\xef\xbb\xbfimport os\n", ["os"]),
    ("utf8-bom-with-utf8-cookie", b"\xef\xbb\xbf# coding: utf-8\nimport os\n", ["os"]),
    ("crlf", b"import os\r\nfrom json import (\r\n    dumps,\r\n)\r\n", ["os", "json"]),
    ("lone-cr", b"import os\rimport sys\r", ["os", "sys"]),
    ("tabs", b"if True:\n\timport os\n\tif True:\n\t\timport sys\n", ["os", "sys"]),
    ("empty", b"", []),
    ("only-newlines", b"\n\n\n", []),
    ("no-final-newline", b"import os", ["os"]),
    ("form-feed", b"\x0cimport os\n", ["os"]),
]


@pytest.mark.parametrize(("source", "modules"), [case[1:] for case in GOOD], ids=[case[0] for case in GOOD])
def test_unusual_but_valid_file_parses(source: bytes, modules: list[str]) -> None:
    facts = _facts(source)
    assert facts.error is None
    assert [fact.module for fact in facts.imports] == modules


def test_five_megabyte_file_parses() -> None:
    """Generated at test time (not committed): a 5.8 MB module made of a huge docstring,
    20 000 comment lines, 500 functions and a 1.6 MB bytes literal. (A 5 MB module of
    100 000 top-level functions also works but takes minutes in some collectors; see
    the README's reliability section.)"""
    doc = b'"""' + b"".join(b"Line %d of a very large generated docstring, padding padding.\n" % i for i in range(40_000)) + b'"""\n'
    comments = b"".join(b"# comment line %d with some words in it to pad it out a little\n" % i for i in range(20_000))
    functions = b"".join(b"def function_%d(x: int) -> int:\n    return x + %d\n\n" % (i, i) for i in range(500))
    blob = b"BLOB = b'" + b"\\x00" * 400_000 + b"'\n"
    source = doc + b"import os\n" + comments + functions + blob
    assert len(source) > 5_000_000
    facts = _facts(source)
    assert facts.error is None
    assert facts.lines == source.count(b"\n")
    assert [fact.module for fact in facts.imports] == ["os"]


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="PEP 695 parses on 3.12+")
def test_type_statement_names_the_python_version_and_keeps_imports() -> None:
    facts = _facts(b"import os\nfrom pkg import other\n\ntype Alias = list[int]\n")
    assert facts.error is not None
    assert "type alias statement (PEP 695) requires Python 3.12" in facts.error.message
    assert (facts.error.line, facts.error.column) == (4, 1)
    assert [(fact.module, fact.names, fact.line) for fact in facts.imports] == [("os", (), 1), ("pkg", ("other",), 2)]


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="PEP 695 parses on 3.12+")
def test_generic_function_names_the_python_version() -> None:
    facts = _facts(b"def first[T](items: list[T]) -> T:\n    return items[0]\n")
    assert facts.error is not None
    assert "type parameter list (PEP 695) requires Python 3.12" in facts.error.message
    assert (facts.error.line, facts.error.column) == (1, 10)


@pytest.mark.parametrize(
    ("source", "running", "feature", "version"),
    [
        ("type X = int\n", (3, 11), "type alias statement", (3, 12)),
        ("x = 1\ntype Pair[T] = tuple[T, T]\n", (3, 11), "type alias statement", (3, 12)),
        ("class Box[T]:\n    pass\n", (3, 11), "type parameter list", (3, 12)),
        ("class Box[T = int]:\n    pass\n", (3, 12), "type parameter default", (3, 13)),
        ("class Box[T = int]:\n    pass\n", (3, 11), "type parameter default", (3, 13)),
        ("try:\n    pass\nexcept* ValueError:\n    pass\n", (3, 10), "except*", (3, 11)),
        ("greeting = t'hello {name}'\n", (3, 13), "template string", (3, 14)),
    ],
)
def test_newer_syntax_detection(source: str, running: tuple[int, int], feature: str, version: tuple[int, int]) -> None:
    found = newer_syntax(source, running=running)
    assert found is not None and found.feature.startswith(feature) and found.version == version


@pytest.mark.parametrize(
    "source",
    [
        "type = 3\nprint(type)\n",  # ``type`` is a soft keyword: a plain name here
        "x = type(3)\n",
        "def f(x):\n    return x[0]\n",
        "except_ = t\n'abc'\n",
    ],
)
def test_newer_syntax_has_no_false_positives(source: str) -> None:
    assert newer_syntax(source, running=(3, 10)) is None


def test_newer_syntax_after_the_real_error_is_not_blamed() -> None:
    assert newer_syntax("def f(:\n    pass\ntype X = int\n", running=(3, 11), before=1) is None


def test_fallback_scanner_classifies_imports() -> None:
    text = (
        "import os, json as j\n"
        "from . import sibling\n"
        "from ..up import (a,\n"
        "    b as c)  # comment\n"
        '"""\n'
        "import not_an_import\n"
        '"""\n'
        "if TYPE_CHECKING:\n"
        "    from typing import Any\n"
        "else:\n"
        "    import runtime_only\n"
        "def f():\n"
        "    import deferred\n"
        "try:\n"
        "    import optional\n"
        "except ImportError:\n"
        "    optional = None\n"
        "import 3bad\n"
        "from x import *\n"
        "type X = int\n"
    )
    facts = scan_imports(text, module="pkg.sub.mod", is_package=False)
    got = [(f.module, f.names, f.line, f.kind, f.in_try) for f in facts]
    assert got == [
        ("os", (), 1, ImportKind.MODULE_LEVEL, False),
        ("json", (), 1, ImportKind.MODULE_LEVEL, False),
        ("pkg.sub", ("sibling",), 2, ImportKind.MODULE_LEVEL, False),
        ("pkg.up", ("a", "b"), 3, ImportKind.MODULE_LEVEL, False),
        ("typing", ("Any",), 9, ImportKind.TYPE_CHECKING, False),
        ("runtime_only", (), 11, ImportKind.MODULE_LEVEL, False),
        ("deferred", (), 13, ImportKind.DEFERRED, False),
        ("optional", (), 15, ImportKind.MODULE_LEVEL, True),
        ("x", ("*",), 19, ImportKind.MODULE_LEVEL, False),
    ]
    assert facts[3].end_line == 4 and facts[3].text == "from ..up import (a, b as c)"


def test_collector_crash_keeps_other_facts(monkeypatch: pytest.MonkeyPatch) -> None:
    """A collector that raises loses only its own fields; the failure names it."""
    import archlint.engine.extract as extract_module

    def exploding(tree: object, context: object) -> dict[str, object]:
        raise RuntimeError("boom")

    exploding.__module__ = "archlint.engine.collectors.exploding"
    monkeypatch.setattr(extract_module, "COLLECTORS", (exploding, *extract_module.COLLECTORS))
    facts = _facts(b"import os\n")
    assert facts.error is not None
    assert facts.error.message == "internal error in the exploding collector: RuntimeError: boom"
    assert [fact.module for fact in facts.imports] == ["os"]


def test_collector_recursion_is_contained(monkeypatch: pytest.MonkeyPatch) -> None:
    import archlint.engine.extract as extract_module

    def recursing(tree: object, context: object) -> dict[str, object]:
        return recursing(tree, context)

    monkeypatch.setattr(extract_module, "COLLECTORS", (*extract_module.COLLECTORS, recursing))
    facts = _facts(b"import os\n")
    assert facts.error is not None and "RecursionError" in facts.error.message
    assert [fact.module for fact in facts.imports] == ["os"]


def test_every_real_collector_survives_deep_but_parsable_nesting() -> None:
    """Nesting the parser accepts must not overflow a collector's recursion."""
    depth = 90
    source = "".join("    " * i + f"def f{i}():\n" for i in range(depth)) + "    " * depth + "return [[[[1]]]]\n"
    nested_expr = "x = " + "[" * 180 + "]" * 180 + "\n"
    chained = "y = " + " + ".join(["a"] * 2000) + "\n"
    lambdas = "z = " + "lambda: " * 2500 + "1\n"
    powers = "w = " + " ** ".join(["a"] * 2500) + "\n"
    flat = "v = " + " and ".join(["a"] * 50_000) + "\n"
    for text in (source, nested_expr, chained, lambdas, powers, flat):
        facts = _facts(text.encode())
        assert facts.error is None, facts.error


def test_compiler_warnings_are_silenced_even_under_w_error() -> None:
    """``"\\d"`` makes the compiler warn (DeprecationWarning on 3.11, SyntaxWarning on
    3.12+); archlint neither prints it nor, under ``-W error``, turns it into ARC001."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        facts = _facts(b'import re\npattern = "\\d+"\n')
    assert facts.error is None
    assert [fact.module for fact in facts.imports] == ["re"]
