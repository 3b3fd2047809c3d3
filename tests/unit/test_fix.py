"""The ``-> None`` fix: golden before/after files, a no-op round trip, and a property test
that the output always parses and differs from the input only on ``def`` lines."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from archlint import api
from archlint.domain.project import Project
from archlint.domain.public_api import TypeHintsOptions, public_functions
from archlint.engine.extract import extract
from archlint.fixes import FileFixResult, FixTarget, fix_target
from archlint.fixes.return_none import add_return_none
from harness import REPO, write_tree

GOLDEN = REPO / "tests" / "golden" / "fix"


def fix_text(text: str, options: TypeHintsOptions | None = None) -> tuple[str, int]:
    """The fix as ``--fix`` computes it, in memory: facts -> public API -> transformer."""
    facts = extract(text.encode(), path="pkg/mod.py", module="pkg.mod", is_package=False)
    functions = public_functions(Project([facts]), options or TypeHintsOptions())
    targets = [fix_target(facts, item.function.qualname, item.function.line) for item in functions if item.return_fixable]
    wanted = [target for target in targets if target is not None]
    assert len(wanted) == len(targets)
    fixed, applied = add_return_none(text, wanted)
    assert applied == len(wanted), "every target found on the libcst side"
    return fixed, applied


def run_fix(tmp_path: Path, text: str, *, write: bool = True) -> str:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/mod.py": text})
    api.fix(["."], cwd=str(tmp_path), use_cache=False, jobs=1, write=write)
    return (tmp_path / "pkg" / "mod.py").read_text(encoding="utf-8")


@pytest.mark.parametrize("case", sorted(p.name.split(".")[0] for p in GOLDEN.glob("*.before.py")))
def test_golden(tmp_path: Path, case: str) -> None:
    before = (GOLDEN / f"{case}.before.py").read_text(encoding="utf-8")
    after = (GOLDEN / f"{case}.after.py").read_text(encoding="utf-8")
    assert run_fix(tmp_path, before) == after


@pytest.mark.parametrize("case", sorted(p.name.split(".")[0] for p in GOLDEN.glob("*.after.py")))
def test_fix_of_fixed_file_is_a_noop(tmp_path: Path, case: str) -> None:
    after = (GOLDEN / f"{case}.after.py").read_text(encoding="utf-8")
    assert run_fix(tmp_path, after) == after
    assert fix_text(after) == (after, 0)


def test_annotated_file_is_a_noop_byte_for_byte(tmp_path: Path) -> None:
    text = "def f(x: int) -> None:\r\n    print(x)  # c\r\n\r\nclass C:\r\n    def m(self) -> int:\r\n        return 1\r\n"
    write_tree(tmp_path, {"pkg/__init__.py": ""})
    (tmp_path / "pkg" / "mod.py").write_bytes(text.encode())
    report = api.fix(["."], cwd=str(tmp_path), use_cache=False, jobs=1)
    assert report.applied == 0 and not report.changed_files
    assert (tmp_path / "pkg" / "mod.py").read_bytes() == text.encode()


def test_crlf_bom_and_encoding_cookie_are_kept(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": ""})
    crlf = b"\xef\xbb\xbfdef f(x: int):\r\n    print(x)\r\n"
    latin = "# -*- coding: latin-1 -*-\ndef g(x: int):\n    print('caf\xe9')\n".encode("latin-1")
    (tmp_path / "pkg" / "crlf.py").write_bytes(crlf)
    (tmp_path / "pkg" / "latin.py").write_bytes(latin)
    report = api.fix(["."], cwd=str(tmp_path), use_cache=False, jobs=1)
    assert report.applied == 2
    assert (tmp_path / "pkg" / "crlf.py").read_bytes() == b"\xef\xbb\xbfdef f(x: int) -> None:\r\n    print(x)\r\n"
    assert (tmp_path / "pkg" / "latin.py").read_bytes() == latin.replace(b"def g(x: int):", b"def g(x: int) -> None:")


def test_targets_are_matched_by_qualname_and_occurrence() -> None:
    text = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    def f(): print()\n"
        "def f():\n    print()\n"
        "for _ in range(2):\n    def f():\n        print()\n"
        "class C:\n    def f(self):\n        print()\n"
    )
    facts = extract(text.encode(), path="m.py", module="m", is_package=False)
    assert [(fn.qualname, fn.line) for fn in facts.api.functions] == [("f", 4), ("f", 7), ("C.f", 10)]
    second = fix_target(facts, "f", 7)
    assert second == FixTarget(line=7, qualname="f", occurrence=2)
    fixed, applied = add_return_none(text, [second])
    assert applied == 1
    assert fixed.splitlines()[6] == "    def f() -> None:"
    assert fixed.replace("    def f() -> None:", "    def f():") == text
    assert fix_target(facts, "f", 3) is None


def test_a_function_that_returns_a_value_is_never_annotated() -> None:
    text = "def f():\n    return 1\n"
    assert add_return_none(text, [FixTarget(1, "f")]) == (text, 0)


def test_a_dunder_whose_return_type_the_data_model_fixes_is_never_annotated() -> None:
    text = "class C:\n    def __int__(self):\n        print(self)\n    def __setitem__(self, k, v):\n        print(k)\n"
    fixed, applied = add_return_none(text, [FixTarget(2, "C.__int__"), FixTarget(4, "C.__setitem__")])
    assert applied == 1
    assert fixed == text.replace("__setitem__(self, k, v):", "__setitem__(self, k, v) -> None:")


def test_diff_is_a_unified_diff() -> None:
    result = FileFixResult(path="pkg/m.py", before="def f():\n    pass\n", after="def f() -> None:\n    pass\n", applied=1)
    assert result.diff().splitlines()[:4] == [
        "--- a/pkg/m.py",
        "+++ b/pkg/m.py",
        "@@ -1,2 +1,2 @@",
        "-def f():",
    ]


# -- property test ------------------------------------------------------------------

NAMES = st.sampled_from(["run", "_hidden", "__call__", "__init__", "get", "close", "__int__", "__setitem__", "__exit__"])
PARAMS = st.lists(st.sampled_from(["a", "b: int", "c=1", "d: str = 'x'", "*args", "**kw", "*, k", "/"]), max_size=4)
BODIES = st.sampled_from(
    [
        "pass",
        "return",
        "return None",
        "return 1",
        "print(1)",
        "yield 1",
        "...",
        "'''Doc.'''",
        "raise NotImplementedError",
        "raise ValueError(1)",
        "'''Doc.'''\nraise KeyError",
        "if True:\n    return\nraise KeyError",
        "def inner(z):\n    return z",
        "if True:\n    return\nprint(2)",
        "x = lambda: 1  # comment",
    ]
)
DECORATORS = st.sampled_from(["", "@staticmethod", "@property", "@abc.abstractmethod", "@overload", "@functools.cache"])


@st.composite
def functions(draw: st.DrawFn, indent: str) -> str:
    params = draw(PARAMS)
    separator = draw(st.sampled_from([", ", ",\n" + indent + "    "]))
    signature = separator.join(params)
    head = "async def" if draw(st.booleans()) else "def"
    returns = draw(st.sampled_from(["", "", " -> int"]))
    colon = draw(st.sampled_from([":", " :", ":  # note", ":  # type: (...) -> None", ":  # type: ignore"]))
    body = "\n".join(indent + "    " + line for line in draw(BODIES).splitlines())
    decorator = draw(DECORATORS)
    lines = [indent + decorator] if decorator else []
    lines.append(f"{indent}{head} {draw(NAMES)}({signature}){returns}{colon}")
    return "\n".join(lines) + "\n" + body + "\n"


WRAPPERS = st.sampled_from(["", "", "if TYPE_CHECKING:", "if True:", "for _ in range(1):", "try:", "while False:"])


def wrapped(text: str, wrapper: str) -> str:
    if not wrapper:
        return text
    inner = "".join("    " + line if line.strip() else line for line in text.splitlines(keepends=True))
    tail = "except ImportError:\n    pass\n" if wrapper == "try:" else "else:\n    pass\n"
    return f"{wrapper}\n{inner}{tail}"


@st.composite
def modules(draw: st.DrawFn) -> str:
    parts = ["import abc\nimport functools\nfrom typing import TYPE_CHECKING, overload\n"]
    for _ in range(draw(st.integers(1, 6))):
        if draw(st.booleans()):
            name = draw(st.sampled_from(["Api", "_Private"]))
            methods = draw(st.lists(functions("    "), min_size=1, max_size=3))
            parts.append(wrapped(f"class {name}:\n" + "".join(methods), draw(WRAPPERS)))
        else:
            parts.append(wrapped(draw(functions("")), draw(WRAPPERS)))
    return "\n".join(parts)


def _signature_lines(tree: ast.Module) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lines.update(range(node.lineno, node.body[0].lineno + 1))
    return lines


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=modules(), include_private=st.booleans(), init_return=st.booleans())
def test_fix_output_parses_and_differs_only_on_def_lines(source: str, include_private: bool, init_return: bool) -> None:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        assume(False)
        return
    options = TypeHintsOptions(include_private=include_private, init_return=init_return)
    fixed, applied = fix_text(source, options)
    ast.parse(fixed)
    before, after = source.splitlines(), fixed.splitlines()
    assert len(before) == len(after)
    changed = [i for i, (old, new) in enumerate(zip(before, after), start=1) if old != new]
    assert len(changed) == applied
    allowed = _signature_lines(tree)
    for number in changed:
        assert number in allowed
        old, new = before[number - 1], after[number - 1]
        assert len(new) == len(old) + len(" -> None")
        assert any(
            new[at : at + 8] == " -> None" and new[:at] + new[at + 8 :] == old for at in range(len(old) + 1)
        ), (old, new)
    for node in ast.walk(ast.parse(fixed)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.lineno in changed:
            if isinstance(node.body[-1], ast.Raise):
                assert any(isinstance(item, ast.Return) for item in ast.walk(node)), "always raises: never None"
            assert node.name not in ("__int__", "__exit__"), "the data model fixes their return type"
            assert "# type: (" not in after[node.lineno - 1], "a signature comment already types it"
    assert fix_text(fixed, options) == (fixed, 0)


def test_diff_marks_a_missing_final_newline() -> None:
    result = FileFixResult(path="m.py", before="def f():\n    print()", after="def f() -> None:\n    print()", applied=1)
    assert result.diff().splitlines()[-3:] == ["+def f() -> None:", "     print()", "\\ No newline at end of file"]
    assert ast.parse(result.after)
