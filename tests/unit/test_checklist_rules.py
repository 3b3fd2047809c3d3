"""Checklist rules (ARC601-ARC606): the collector's facts and the pure judgements."""

from __future__ import annotations

import textwrap

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archlint.domain.architecture import propagation_cost
from archlint.domain.checklist_facts import ChecklistFacts, RawRead, RepoFacts
from archlint.engine.extract import extract
from archlint.rules.async_io import alternative
from archlint.rules.boundaries import unvalidated, validates
from archlint.rules.structure import StructureOptions, missing_items


def facts_of(source: str, module: str = "pkg.mod") -> ChecklistFacts:
    """The checklist facts of one module's source."""
    facts = extract(textwrap.dedent(source).encode(), path="pkg/mod.py", module=module, is_package=False)
    assert facts.error is None
    return facts.checklist


# -- propagation cost ------------------------------------------------------------------


def test_propagation_cost_of_a_chain_counts_each_module_seeing_itself() -> None:
    # a -> b -> c: a sees a, b, c; b sees b, c; c sees c: 6 of 9 pairs
    assert propagation_cost(["a", "b", "c"], {"a": ["b"], "b": ["c"]}) == pytest.approx(6 / 9)


def test_propagation_cost_without_imports_is_one_over_n() -> None:
    assert propagation_cost(["a", "b", "c", "d"], {}) == pytest.approx(1 / 4)


def test_propagation_cost_of_a_cycle_is_one() -> None:
    assert propagation_cost(["a", "b", "c"], {"a": ["b"], "b": ["c"], "c": ["a"]}) == 1.0


def test_propagation_cost_through_a_cycle_and_a_tail() -> None:
    # a <-> b -> c, d alone: a, b see a, b, c (3 each); c sees c; d sees d -> 8 of 16
    successors = {"a": ["b"], "b": ["a", "c"]}
    assert propagation_cost(["a", "b", "c", "d"], successors) == pytest.approx(8 / 16)


def test_propagation_cost_ignores_edges_to_unknown_modules_and_empty_graphs() -> None:
    assert propagation_cost(["a"], {"a": ["elsewhere"]}) == 1.0
    assert propagation_cost([], {}) == 0.0


# -- ARC602 ------------------------------------------------------------------------------


def test_blocking_calls_resolve_aliases_and_skip_nested_sync_functions() -> None:
    facts = facts_of(
        """
        import time as t
        from subprocess import check_output as out
        import socket

        async def handler():
            t.sleep(1)
            out(["ls"])
            sock = socket.socket()
            sock.recv(10)
            def helper():
                t.sleep(1)
            lambda: t.sleep(2)

        def sync():
            t.sleep(1)
        """
    )
    assert [(c.target, c.line) for c in facts.blocking_calls] == [
        ("time.sleep", 7),
        ("subprocess.check_output", 8),
        ("socket.socket.recv", 10),
    ]


def test_a_local_function_named_like_a_blocking_call_is_not_blocking() -> None:
    facts = facts_of(
        """
        def sleep(x): ...
        def open(path): ...

        async def handler():
            sleep(1)
            open("x")
        """
    )
    assert facts.blocking_calls == ()


def test_alternatives_name_the_async_api() -> None:
    assert "asyncio.sleep" in alternative("time.sleep")
    assert "httpx.AsyncClient" in alternative("requests.post")
    assert "create_subprocess_exec" in alternative("subprocess.Popen.wait")
    assert "to_thread" in alternative("open")
    assert "to_thread" in alternative("something.else")


# -- ARC603 ------------------------------------------------------------------------------


def test_global_writes_and_container_mutations() -> None:
    facts = facts_of(
        """
        import collections
        CACHE = {}
        QUEUE = collections.deque()
        count = 0

        def f(key):
            CACHE[key] = 1
            del CACHE[key]
            QUEUE.appendleft(key)

        def g():
            global count
            count = count + 1

        def h(CACHE):
            CACHE["x"] = 1
        """
    )
    assert [(c.name, c.container) for c in facts.containers] == [("CACHE", "dict"), ("QUEUE", "deque")]
    assert [(w.name, w.function, w.how) for w in facts.global_writes] == [
        ("CACHE", "f", "item assignment"),
        ("CACHE", "f", "item deletion"),
        ("QUEUE", "f", ".appendleft()"),
        ("count", "g", "global"),
    ]
    assert facts.bindings == (("count", 5, 1),)


def test_registration_decorators_are_marked() -> None:
    facts = facts_of(
        """
        _registry = {}

        def register(fn):
            _registry[fn.__name__] = fn
            return fn
        """
    )
    assert [w.in_decorator for w in facts.global_writes] == [True]


# -- ARC604 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("consumer", "expected"),
    [
        ("Item", True),
        ("Item(**)", True),
        ("Item.model_validate", True),
        ("schema.load", True),
        ("validate_payload", True),
        ("check_for_language", True),
        ("OrderForm", True),
        ("json.loads", False),
        ("dict", False),
        ("db.save", False),
        ("Order.objects.create(**)", False),
        ("JsonResponse", False),
        ("HTTPException", False),
    ],
)
def test_which_consumers_validate(consumer: str, expected: bool) -> None:
    assert validates(consumer, frozenset()) is expected


def test_configured_validators_count() -> None:
    read = RawRead(line=1, column=1, text="request.json()", consumers=("ingest",))
    assert unvalidated(read, frozenset())
    assert not unvalidated(read, frozenset({"ingest"}))


def test_handler_facts_follow_the_data_through_a_variable() -> None:
    facts = facts_of(
        """
        from fastapi import FastAPI, Request
        app = FastAPI()

        @app.post("/x")
        async def create(request: Request):
            payload = await request.json()
            return Item.model_validate(payload)
        """
    )
    (handler,) = facts.handlers
    assert handler.framework == "fastapi"
    assert [(r.text, r.consumers) for r in handler.raw_reads] == [("request.json()", ("Item.model_validate",))]


def test_a_checked_mapping_parameter_is_not_raw() -> None:
    facts = facts_of(
        """
        from typing import Any
        from fastapi import FastAPI
        app = FastAPI()

        @app.post("/a")
        def a(weights: dict[int, float]): ...

        @app.post("/b")
        def b(data: dict[str, Any]): ...

        @app.get("/c")
        def c(data: dict): ...
        """
    )
    assert [(h.function, [p[0] for p in h.raw_params]) for h in facts.handlers] == [("b", ["data"])]


# -- ARC605 ------------------------------------------------------------------------------


def test_a_session_outside_sqlalchemy_modules_is_not_a_query() -> None:
    facts = facts_of(
        """
        def f(session, urls):
            for url in urls:
                session.get(url)
        """
    )
    assert facts.loop_queries == ()


def test_loop_queries_record_loop_variables_and_parameters() -> None:
    facts = facts_of(
        """
        from sqlalchemy.orm import Session

        def f(cursor, session, ids, sqls):
            for key in ids:
                cursor.execute("SELECT 1 WHERE id = %s", [key])
                session.get(User, key)
            for sql in sqls:
                cursor.execute(sql)
            while ids:
                session.execute(q)
        """
    )
    assert [(q.text, q.api, q.uses_loop_variable, q.parametrized) for q in facts.loop_queries] == [
        ("cursor.execute", "db-api", True, True),
        ("session.get", "sqlalchemy", True, True),
        ("cursor.execute", "db-api", True, False),
    ]


# -- ARC606 ------------------------------------------------------------------------------


def _repo(**changes: object) -> RepoFacts:
    base: dict[str, object] = {
        "root": ".",
        "packages": ("pkg",),
        "layout": "src",
        "pyproject": True,
        "packaging": True,
        "tests_dir": "tests",
        "test_files": 3,
        "test_subdirs": ("unit", "integration"),
        "conftest": True,
        "uses_pytest": True,
        "adr_dir": "docs/adr",
        "py_typed": True,
        "typed_classifier": True,
    }
    base.update(changes)
    return RepoFacts(**base)  # type: ignore[arg-type]


def _items(repo: RepoFacts, options: StructureOptions | None = None, functions: int = 0, annotated: int = 0) -> list[str]:
    found = missing_items(repo, options or StructureOptions(), functions=functions, annotated=annotated)
    return [item for item, _, _ in found]


def test_a_complete_repository_misses_nothing() -> None:
    assert _items(_repo()) == []


def test_each_missing_item_is_reported_and_can_be_skipped() -> None:
    repo = _repo(layout="flat", pyproject=False, tests_dir="", adr_dir="", py_typed=False)
    assert _items(repo) == ["src-layout", "pyproject", "tests", "adr", "py-typed"]
    assert _items(repo, StructureOptions(skip=("adr", "src-layout"))) == ["pyproject", "tests", "py-typed"]


def test_packages_outside_root_and_src_are_not_judged_for_layout_or_marker() -> None:
    assert _items(_repo(layout="other", py_typed=False)) == []


def test_large_flat_test_suites_should_be_split() -> None:
    assert _items(_repo(test_files=40, test_subdirs=("helpers",))) == ["test-split"]
    assert _items(_repo(test_files=29, test_subdirs=())) == []


def test_conftest_only_when_pytest_is_configured() -> None:
    assert _items(_repo(conftest=False)) == ["conftest"]
    assert _items(_repo(conftest=False, uses_pytest=False)) == []


def test_a_library_counts_as_typed_by_its_annotations() -> None:
    repo = _repo(typed_classifier=False, py_typed=False)
    assert _items(repo, functions=100, annotated=90) == ["py-typed"]
    assert _items(repo, functions=100, annotated=50) == []
    assert _items(repo, functions=10, annotated=10) == []
    assert _items(_repo(typed_classifier=False, py_typed=False, packaging=False), functions=100, annotated=100) == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=30))
def test_propagation_cost_matches_the_transitive_closure(edges: list[tuple[int, int]]) -> None:
    nodes = [f"m{i}" for i in range(8)]
    successors: dict[str, list[str]] = {}
    for a, b in edges:
        successors.setdefault(f"m{a}", []).append(f"m{b}")
    graph = nx.DiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from((f"m{a}", f"m{b}") for a, b in edges)
    expected = sum(len(nx.descendants(graph, node) | {node}) for node in nodes) / 64
    assert propagation_cost(nodes, successors) == pytest.approx(expected)


def test_locals_bound_anywhere_in_a_function_shadow_module_containers() -> None:
    facts = facts_of(
        """
        cache = {}
        seen = set()
        items = []

        def f(data):
            for cache in data:
                cache["k"] = 1
            try:
                pass
            except ValueError as seen:
                seen.add(1)
            with open("x") as items:
                items.append(1)

        def g(data):
            if (cache := dict(data)):
                cache["k"] = 2

        def h():
            cache["k"] = 3
        """
    )
    assert [(w.name, w.function) for w in facts.global_writes] == [("cache", "h")]
