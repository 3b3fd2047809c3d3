"""Files -> module names for every layout the CLI must understand."""

from __future__ import annotations

from pathlib import Path

import pytest

from archlint.engine.discovery import discover
from archlint.exceptions import UsageError
from harness import write_tree


def modules(root: Path, *paths: str, exclude: tuple[str, ...] | None = None) -> dict[str, str]:
    kwargs = {} if exclude is None else {"exclude": exclude}
    return {f.path: f.module for f in discover(list(paths), cwd=str(root), project_root=root, **kwargs)}


def test_src_layout_named_directly(tmp_path: Path) -> None:
    write_tree(tmp_path, {"src/shop/__init__.py": "", "src/shop/orders.py": "", "src/shop/api/__init__.py": ""})
    assert modules(tmp_path, "src") == {
        "src/shop/__init__.py": "shop",
        "src/shop/api/__init__.py": "shop.api",
        "src/shop/orders.py": "shop.orders",
    }


def test_repo_root_with_src_layout(tmp_path: Path) -> None:
    write_tree(tmp_path, {"src/shop/__init__.py": "", "src/shop/orders.py": "", "tests/test_orders.py": "", "setup.py": ""})
    assert modules(tmp_path, ".") == {
        "setup.py": "setup",
        "src/shop/__init__.py": "shop",
        "src/shop/orders.py": "shop.orders",
        "tests/test_orders.py": "tests.test_orders",
    }


def test_flat_layout_and_several_top_level_packages(tmp_path: Path) -> None:
    write_tree(tmp_path, {"alpha/__init__.py": "", "alpha/x.py": "", "beta/__init__.py": "", "beta/y.py": ""})
    assert modules(tmp_path, ".") == {
        "alpha/__init__.py": "alpha",
        "alpha/x.py": "alpha.x",
        "beta/__init__.py": "beta",
        "beta/y.py": "beta.y",
    }


def test_single_package_folder_takes_names_from_its_parent(tmp_path: Path) -> None:
    write_tree(tmp_path, {"lib/shop/__init__.py": "", "lib/shop/sub/__init__.py": "", "lib/shop/sub/m.py": ""})
    assert modules(tmp_path, "lib/shop/sub") == {"lib/shop/sub/__init__.py": "shop.sub", "lib/shop/sub/m.py": "shop.sub.m"}


def test_namespace_packages_without_init(tmp_path: Path) -> None:
    write_tree(tmp_path, {"src/ns/plugin/__init__.py": "", "src/ns/plugin/core.py": "", "src/ns/tool.py": ""})
    assert modules(tmp_path, "src") == {
        "src/ns/plugin/__init__.py": "ns.plugin",
        "src/ns/plugin/core.py": "ns.plugin.core",
        "src/ns/tool.py": "ns.tool",
    }
    # A regular package inside a namespace package of an src layout, named directly.
    assert modules(tmp_path, "src/ns/plugin")["src/ns/plugin/core.py"] == "ns.plugin.core"


def test_loose_scripts_and_single_file(tmp_path: Path) -> None:
    write_tree(tmp_path, {"scripts/run.py": "", "pkg/__init__.py": "", "pkg/mod.py": ""})
    assert modules(tmp_path, "scripts") == {"scripts/run.py": "run"}
    assert modules(tmp_path, "pkg/mod.py") == {"pkg/mod.py": "pkg.mod"}


def test_default_excludes(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            ".venv/lib/site.py": "",
            "build/lib/pkg/x.py": "",
            "pkg/__pycache__/x.py": "",
            "foo.egg-info/x.py": "",
            "node_modules/y.py": "",
        },
    )
    assert modules(tmp_path, ".") == {"pkg/__init__.py": "pkg"}


def test_custom_excludes_by_name_and_by_path(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/gen/x.py": "", "pkg/keep/gen.py": "", "migrations/m.py": ""})
    found = modules(tmp_path, ".", exclude=("migrations", "pkg/gen"))
    assert found == {"pkg/__init__.py": "pkg", "pkg/keep/gen.py": "pkg.keep.gen"}


def test_explicit_file_is_analysed_even_when_excluded(tmp_path: Path) -> None:
    write_tree(tmp_path, {"build/tool.py": ""})
    assert modules(tmp_path, "build/tool.py") == {"build/tool.py": "tool"}


def test_missing_path_and_non_python_file_are_usage_errors(tmp_path: Path) -> None:
    write_tree(tmp_path, {"notes.txt": "hello"})
    with pytest.raises(UsageError, match="does not exist"):
        discover(["nope"], cwd=str(tmp_path))
    with pytest.raises(UsageError, match="not a Python file"):
        discover(["notes.txt"], cwd=str(tmp_path))


def test_package_wins_over_module_of_same_name(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a.py": "", "a/__init__.py": ""})
    found = modules(tmp_path, ".")
    assert found["a/__init__.py"] == "a"
    assert found["a.py"] != "a"


def test_paths_are_relative_posix_and_sorted(tmp_path: Path) -> None:
    write_tree(tmp_path, {"b/__init__.py": "", "a/__init__.py": "", "a/z.py": "", "a/m.py": ""})
    files = discover(["."], cwd=str(tmp_path))
    assert [f.path for f in files] == ["a/__init__.py", "a/m.py", "a/z.py", "b/__init__.py"]
    assert all("\\" not in f.path and not f.path.startswith("/") for f in files)


def test_same_path_given_twice_is_analysed_once(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/m.py": ""})
    assert len(discover([".", "pkg", "pkg/m.py"], cwd=str(tmp_path))) == 2


def test_nested_projects_name_modules_from_their_own_root(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": "",
            "src/flask/__init__.py": "",
            "src/flask/app.py": "",
            "examples/javascript/pyproject.toml": "",
            "examples/javascript/js_example/__init__.py": "",
            "examples/javascript/js_example/views.py": "",
            "examples/celery/pyproject.toml": "",
            "examples/celery/src/task_app/__init__.py": "",
            "examples/celery/src/task_app/tasks.py": "",
            "examples/celery/make_celery.py": "",
            "docs/conf.py": "",
        },
    )
    assert modules(tmp_path, ".") == {
        "docs/conf.py": "docs.conf",
        "examples/celery/make_celery.py": "make_celery",
        "examples/celery/src/task_app/__init__.py": "task_app",
        "examples/celery/src/task_app/tasks.py": "task_app.tasks",
        "examples/javascript/js_example/__init__.py": "js_example",
        "examples/javascript/js_example/views.py": "js_example.views",
        "src/flask/__init__.py": "flask",
        "src/flask/app.py": "flask.app",
    }


def test_namespace_folder_inside_a_regular_package_keeps_its_prefix(tmp_path: Path) -> None:
    write_tree(tmp_path, {"src/flask/__init__.py": "", "src/flask/sansio/app.py": "", "src/flask/sansio/scaffold.py": ""})
    assert modules(tmp_path, "src/flask/sansio") == {
        "src/flask/sansio/app.py": "flask.sansio.app",
        "src/flask/sansio/scaffold.py": "flask.sansio.scaffold",
    }
