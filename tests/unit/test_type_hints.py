"""The public-API definition and ARC401-ARC403, on projects built in memory (no files)."""

from __future__ import annotations

from textwrap import dedent

import pytest

from archlint.domain.function_facts import ParamKind
from archlint.domain.project import Project
from archlint.domain.public_api import (
    TypeHintsOptions,
    coverage_by_module,
    coverage_by_package,
    decorator_matches,
    exported_names,
    is_public_module,
    is_test_module,
    public_functions,
    total_coverage,
)
from archlint.engine.extract import extract
from archlint.rules.type_hints import LowAnnotationCoverage, MissingParamAnnotation, MissingReturnAnnotation


def project(files: dict[str, str]) -> Project:
    """A project from ``path -> source``; module names follow the paths."""
    facts = []
    for path, text in files.items():
        parts = path[:-3].split("/")
        is_package = parts[-1] == "__init__"
        module = ".".join(parts[:-1] if is_package else parts)
        facts.append(extract(dedent(text).encode(), path=path, module=module, is_package=is_package))
    return Project(facts)


def names(files: dict[str, str], **options: object) -> list[str]:
    """``module:qualname`` of every public function."""
    found = public_functions(project(files), TypeHintsOptions(**options))  # type: ignore[arg-type]
    return [f"{item.module}:{item.identity}" for item in found]


@pytest.mark.parametrize(
    ("module", "public"),
    [
        ("pkg", True),
        ("pkg.core", True),
        ("pkg.__main__", True),
        ("pkg._impl", False),
        ("_pkg.core", False),
        ("pkg._sub.core", False),
        ("pkg.__private", False),
    ],
)
def test_public_modules(module: str, public: bool) -> None:
    assert is_public_module(module) is public


@pytest.mark.parametrize(
    ("path", "test"),
    [
        ("tests/unit/helpers.py", True),
        ("src/pkg/test_core.py", True),
        ("pkg/core_test.py", True),
        ("conftest.py", True),
        ("pkg/testing_utils.py", False),
        ("numpy/testing/utils.py", False),  # a public package, not a test folder
        ("test/support.py", True),
        ("pkg/contest.py", False),
    ],
)
def test_test_modules(path: str, test: bool) -> None:
    assert is_test_module(path) is test


def test_collector_records_every_parameter_kind() -> None:
    facts = project({"m.py": "def f(a, /, b: int, *args, c, d: int = 1, **kw): pass\n"}).files[0]
    (function,) = facts.api.functions
    kinds = [(p.display, p.kind, p.annotated) for p in function.params]
    assert kinds == [
        ("a", ParamKind.POSITIONAL_ONLY, False),
        ("b", ParamKind.REGULAR, True),
        ("*args", ParamKind.VAR_POSITIONAL, False),
        ("c", ParamKind.KEYWORD_ONLY, False),
        ("d", ParamKind.KEYWORD_ONLY, True),
        ("**kw", ParamKind.VAR_KEYWORD, False),
    ]


def test_nested_functions_and_lambdas_are_not_api() -> None:
    source = """
    def outer():
        def inner(x):
            return x
        class Local:
            def method(self, y):
                return y
        return inner
    handler = lambda x: x
    """
    assert names({"m.py": source}) == ["m:outer"]


def test_methods_dunders_and_private_names() -> None:
    source = """
    class Public:
        def __init__(self, a): ...
        def __eq__(self, other): ...
        def method(self): ...
        def _private(self): ...
        def __mangled(self): ...
        class Inner:
            def deep(self): ...
        class _Hidden:
            def deep(self): ...
    class _Private:
        def method(self): ...
    def _helper(): ...
    """
    assert names({"m.py": source}) == [
        "m:Public.__init__",
        "m:Public.__eq__",
        "m:Public.method",
        "m:Public.Inner.deep",
    ]


def test_include_private_checks_everything_but_nested_functions_and_tests() -> None:
    files = {
        "pkg/_impl.py": "def _helper(x): ...\nclass _C:\n    def _m(self): ...\n",
        "tests/test_x.py": "def test_it(x): ...\n",
    }
    assert names(files, include_private=True) == ["pkg._impl:_helper", "pkg._impl:_C._m"]
    assert names(files) == []


def test_literal_all_replaces_the_naming_convention() -> None:
    source = """
    __all__ = ["shown", "_listed"]
    __all__.append("appended")
    def shown(): ...
    def _listed(): ...
    def appended(): ...
    def hidden(): ...
    """
    assert names({"m.py": source}) == ["m:shown", "m:_listed", "m:appended"]


def test_dynamic_all_falls_back_to_the_convention() -> None:
    source = "import other\n__all__ = other.__all__ + ['a']\ndef a(): ...\ndef b(): ...\ndef _c(): ...\n"
    assert names({"m.py": source}) == ["m:a", "m:b"]


def test_reexport_through_init_is_reported_at_the_definition() -> None:
    files = {
        "pkg/__init__.py": "from ._impl import parse, _secret as secret, _not_public\nfrom pkg._impl import Klass\n",
        "pkg/_impl.py": "def parse(t): ...\ndef _secret(t): ...\ndef _not_public(t): ...\ndef other(t): ...\n"
        "class Klass:\n    def m(self): ...\n",
    }
    assert names(files) == ["pkg._impl:parse", "pkg._impl:_secret", "pkg._impl:Klass.m"]
    assert exported_names(project(files))["pkg._impl"] == frozenset({"parse", "_secret", "Klass"})


def test_reexport_chains_and_all_of_a_public_module() -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/api.py": "from pkg._a import one, two\n__all__ = ['one']\n",
        "pkg/_a.py": "from pkg._b import one\nfrom pkg._b import two\n",
        "pkg/_b.py": "def one(): ...\ndef two(): ...\n",
        "pkg/plain.py": "from pkg._b import two\n",
    }
    assert names(files) == ["pkg._b:one"]


def test_reexport_cycle_terminates() -> None:
    files = {
        "pkg/__init__.py": "from pkg._a import x\n",
        "pkg/_a.py": "from pkg._b import x\n",
        "pkg/_b.py": "from pkg._a import x\n",
    }
    assert names(files) == []


def test_type_checking_imports_do_not_reexport() -> None:
    files = {
        "pkg/__init__.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg._a import f\n",
        "pkg/_a.py": "def f(): ...\n",
    }
    assert names(files) == []


def test_overload_signatures_are_checked_and_the_implementation_is_not() -> None:
    source = """
    from typing import overload
    @overload
    def f(x: int) -> int: ...
    @overload
    def f(x: str) -> str: ...
    def f(x):
        return x
    def g(x):
        return x
    """
    assert names({"m.py": source}) == ["m:f", "m:f#2", "m:g"]


def test_ignore_decorators_match_dotted_names() -> None:
    source = """
    import pytest
    from pytest import fixture
    @pytest.fixture
    def a(): ...
    @fixture(scope="module")
    def b(): ...
    @other.fixture_like
    def c(): ...
    """
    assert names({"m.py": source}, ignore_decorators=("pytest.fixture",)) == ["m:c"]
    assert decorator_matches("pytest.fixture", ["fixture"])
    assert not decorator_matches("mypytest.fixtures", ["pytest.fixture"])


def _findings(files: dict[str, str], rule: type, **options: object) -> list[tuple[str, int, str]]:
    found = rule().check(project(files), TypeHintsOptions(**options))  # type: ignore[arg-type]
    return [(f.path, f.line, f.message) for f in found]


def test_arc401_self_cls_exempt_staticmethod_not() -> None:
    source = """
    class C:
        def m(self, x): ...
        @classmethod
        def c(cls, y: int): ...
        @staticmethod
        def s(a, b: int): ...
        def __new__(cls, *args, **kwargs): ...
    """
    assert _findings({"m.py": source}, MissingParamAnnotation) == [
        ("m.py", 3, "public method `C.m` has unannotated parameter `x`"),
        ("m.py", 7, "public method `C.s` has unannotated parameter `a`"),
        ("m.py", 8, "public method `C.__new__` has unannotated parameters `*args`, `**kwargs`"),
    ]


def test_arc401_finding_is_on_the_def_line_not_the_decorator() -> None:
    source = "import functools\n\n@functools.cache\n@other\ndef f(x):\n    return x\n"
    assert [line for _, line, _ in _findings({"m.py": source}, MissingParamAnnotation)] == [5]


def test_arc402_init_exempt_unless_configured_and_properties_are_not() -> None:
    source = """
    class C:
        def __init__(self) : ...
        @property
        def p(self):
            return 1
    """
    assert [line for _, line, _ in _findings({"m.py": source}, MissingReturnAnnotation)] == [5]
    assert [line for _, line, _ in _findings({"m.py": source}, MissingReturnAnnotation, init_return=True)] == [3, 5]


@pytest.mark.parametrize(
    ("body", "fixable"),
    [
        ("def f(x: int):\n    print(x)\n", True),
        ("def f(x: int):\n    return None\n", True),
        ("def f(x: int):\n    if x:\n        return\n    print(x)\n", True),
        ("def f(x: int):\n    def g():\n        return 1\n    g()\n", True),
        ("def f(x: int):\n    return x\n", False),
        ("def f(x: int):\n    yield x\n", False),
        ("async def f(x: int):\n    yield x\n", False),
        ("def f(x: int):\n    ...\n", False),
        ("def f(x: int):\n    '''Doc.'''\n", False),
        ("def f(x: int):\n    pass\n", False),
        ("def f(x: int):\n    raise NotImplementedError\n", False),
        ("import abc\n@abc.abstractmethod\ndef f(x: int):\n    print(x)\n", False),
        ("from typing import overload\n@overload\ndef f(x: int):\n    print(x)\n", False),
        # always raises: NoReturn (or the overridden type), never None
        ("def f(x: int):\n    raise ValueError(x)\n", False),
        ("def f(x: int):\n    '''Doc.'''\n    raise ValueError(x)\n", False),
        ("def f(x: int):\n    print(x)\n    raise ValueError(x)\n", False),
        ("def f(x: int):\n    if x:\n        raise ValueError(x)\n    else:\n        raise KeyError(x)\n", False),
        ("def f(x: int):\n    try:\n        print(x)\n    except OSError:\n        raise\n    raise KeyError(x)\n", False),
        ("def f(x: int):\n    try:\n        print(x)\n    finally:\n        raise KeyError(x)\n", False),
        ("def f(x: int):\n    with open(x):\n        raise KeyError(x)\n", False),
        ("def f(x: int):\n    if x:\n        return\n    raise ValueError(x)\n", True),
        ("def f(x: int):\n    if x:\n        raise ValueError(x)\n", True),
        ("def f(x: int):\n    try:\n        raise KeyError(x)\n    except KeyError:\n        print(x)\n", True),
        ("def f(x: int):\n    def g():\n        raise KeyError(x)\n    g()\n", True),
        # a `# type:` signature or argument comment: mypy rejects a second signature
        ("def f(x):  # type: (int) -> None\n    print(x)\n", False),
        ("def f(x):\n    # type: (int) -> None\n    print(x)\n", False),
        ("def f(x,  # type: int\n      ):\n    print(x)\n", False),
        ("def f(x: int):  # type: ignore[no-untyped-def]\n    print(x)\n", True),
        ("def f(x: int):\n    print(x)  # type: int\n", True),
        # dunders: the data model fixes the return type, except for a documented few
        ("class C:\n    def __getattr__(self, name: str):\n        print(name)\n", False),
        ("class C:\n    def __call__(self):\n        print(self)\n", True),
        ("class C:\n    def __int__(self):\n        raise TypeError\n", False),
        ("class C:\n    def __len__(self):\n        print(self)\n", False),
        ("class C:\n    def __contains__(self, x: int):\n        print(x)\n", False),
        ("class C:\n    def __reduce_ex__(self, p: int):\n        print(p)\n", False),
        ("class C:\n    def __exit__(self, *a: object):\n        print(a)\n", False),
        ("class C:\n    def __setitem__(self, k: int, v: int):\n        print(k, v)\n", True),
        ("class C:\n    def __post_init__(self):\n        print(self)\n", True),
        ("class C:\n    def __del__(self):\n        print(self)\n", True),
    ],
)
def test_arc402_fix_safety(body: str, fixable: bool) -> None:
    (item,) = public_functions(project({"m.py": body}), TypeHintsOptions())
    assert item.missing_return
    assert item.return_fixable is fixable


def test_arc402_reports_unfixable_functions_without_the_fix_hint() -> None:
    source = """\
    class Number:
        def __int__(self):
            raise TypeError("no")

        def __setitem__(self, key: str, value: int):
            print(key, value)

    def fail(code: int):
        raise ValueError(code)

    def typed(code):  # type: (int) -> None
        print(code)
    """
    found = [
        (finding.line, finding.extra["fixable"], finding.message.endswith("(fixable: `-> None`)"))
        for finding in MissingReturnAnnotation().check(project({"m.py": source}), TypeHintsOptions())
    ]
    assert found == [(2, False, False), (5, True, True), (8, False, False), (11, False, False)]


def test_init_is_fixable_under_init_return() -> None:
    source = "class C:\n    def __init__(self, x: int):\n        self.x = x\n"
    (item,) = public_functions(project({"m.py": source}), TypeHintsOptions(init_return=True))
    assert item.return_fixable


def test_coverage_per_module_package_and_total() -> None:
    files = {
        "pkg/__init__.py": "def a(x: int) -> int: ...\n",
        "pkg/core.py": "def b(x) -> int: ...\ndef c(): ...\ndef d() -> None: ...\n",
        "pkg/sub/__init__.py": "",
        "pkg/sub/deep.py": "def e(): ...\n",
    }
    proj = project(files)
    functions = public_functions(proj, TypeHintsOptions())
    by_module = {module: (c.annotated, c.total) for module, c in coverage_by_module(functions).items()}
    assert by_module == {"pkg": (1, 1), "pkg.core": (1, 3), "pkg.sub.deep": (0, 1)}
    by_package = {package: (c.annotated, c.total) for package, c in coverage_by_package(proj, functions).items()}
    assert by_package == {"pkg": (2, 4), "pkg.sub": (0, 1)}
    assert total_coverage(functions).percent == pytest.approx(40.0)


def test_arc403_once_per_package_below_the_bar() -> None:
    files = {
        "pkg/__init__.py": "def a(x: int) -> int: ...\n",
        "pkg/core.py": "def b(x) -> int: ...\ndef c(): ...\ndef d() -> None: ...\n",
        "pkg/sub/deep.py": "def e(): ...\n",
    }
    found = _findings(files, LowAnnotationCoverage)
    assert found == [
        ("pkg/__init__.py", 1, "package `pkg`: 2 of 4 public functions fully annotated (50% < 80%)"),
        ("pkg/sub/deep.py", 1, "package `pkg.sub`: 0 of 1 public functions fully annotated (0% < 80%)"),
    ]
    assert [path for path, _, _ in _findings(files, LowAnnotationCoverage, min_coverage=50)] == ["pkg/sub/deep.py"]
    assert _findings(files, LowAnnotationCoverage, min_coverage=0) == []


def test_identities_do_not_use_line_numbers() -> None:
    one = project({"m.py": "def f(x): ...\n"})
    two = project({"m.py": "\n\n\ndef f(x): ...\n"})
    prints = [[f.fingerprint for f in MissingParamAnnotation().check(p, TypeHintsOptions())] for p in (one, two)]
    assert prints[0] == prints[1]


def test_options_are_validated_from_config(tmp_path) -> None:
    from archlint import api
    from archlint.exceptions import ArchlintError

    (tmp_path / "pyproject.toml").write_text(
        "[tool.archlint.type-hints]\ninclude-privat = true\nmin-coverage = 120\nignore-decorators = 'x'\n"
    )
    with pytest.raises(ArchlintError) as caught:
        api.settings_for(["."], cwd=str(tmp_path))
    message = str(caught.value)
    assert "include-privat" in message and "did you mean 'include-private'" in message
    assert "min-coverage" in message and "ignore-decorators" in message


def test_star_reexports_follow_all_or_the_convention() -> None:
    files = {
        "pkg/__init__.py": "from ._a import *\nfrom ._b import *\n",
        "pkg/_a.py": "__all__ = ['listed']\ndef listed(): ...\ndef unlisted(): ...\n",
        "pkg/_b.py": "from ._c import *\ndef b_public(): ...\ndef _b_private(): ...\n",
        "pkg/_c.py": "def deep(): ...\n",
        "pkg/api.py": "from pkg._d import *\n__all__ = ['chosen']\n",
        "pkg/_d.py": "def chosen(): ...\ndef other(): ...\n",
    }
    assert names(files) == ["pkg._a:listed", "pkg._b:b_public", "pkg._c:deep", "pkg._d:chosen"]


def test_star_import_cycle_terminates() -> None:
    files = {"pkg/__init__.py": "from ._a import *\n", "pkg/_a.py": "from ._b import *\n", "pkg/_b.py": "from ._a import *\n"}
    assert names(files) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("__all__ = ['a']\n", ("a",)),
        ("__all__ = ('a', 'b')\n", ("a", "b")),
        ("__all__: list[str] = ['a']\n", ("a",)),
        ("__all__ = ['a']\n__all__ += ['b']\n__all__.extend(['c'])\n__all__.append('d')\n", ("a", "b", "c", "d")),
        ("__all__ = ['a'] + other\n", None),
        ("__all__ = ['a']\n__all__ += other.__all__\n", None),
        ("x = 1\n", None),
    ],
)
def test_literal_all_forms(source: str, expected: tuple[str, ...] | None) -> None:
    assert project({"m.py": source}).files[0].api.all_names == expected
