"""Metadata and options of the rules in :mod:`archlint.rules.queries` (QueryInLoop).

Light on purpose: the registry imports it on every run; the implementation is imported
only when a rule runs (``archlint.rules.LazyRule``)."""

from __future__ import annotations

from archlint.domain.finding import Severity
from archlint.domain.rule import NoOptions, RuleMeta

QUERY_IN_LOOP = RuleMeta(
    code="ARC605",
    reads=frozenset({"checklist", "error"}),
    per_file=True,
    name="query-in-loop",
    severity=Severity.INFO,
    checklist=(
        "Optimized database queries (eager loading, indexes)",
        "Efficient database queries (SQLAlchemy, async drivers)",
    ),
    summary="A database query runs inside a `for` loop body: the classic N+1 shape.",
    what=(
        "Reports a query call in the body of a `for` loop or in the element of a "
        "comprehension: Django `Model.objects.<get/filter/create/count/...>()`, SQLAlchemy "
        "`session.execute/exec/scalars/scalar/get/query()` on a receiver named `session` or "
        "`*_session` in a module importing SQLAlchemy (or SQLModel, Flask-SQLAlchemy) and "
        "not bound to a `requests.Session`, and DB-API `execute()` on a `cursor`/`cur`/`*_cursor` when it passes "
        "parameters built from a loop variable (a statement list run one by one, such as "
        "DDL, is not an N+1 query). `while` loops are not counted (they usually page or "
        "chunk), nor is the loop's iterable itself, nor a "
        "query in a function merely defined inside a loop. Reported as info: a loop over a "
        "few fixed items may be fine."
    ),
    why=(
        "One query per item turns a page of 100 rows into 101 round trips to the database; "
        "latency grows with the data and the database does the same work again and again. "
        "The checklist asks for optimised queries with eager loading."
    ),
    example=(
        "for order in orders:\n"
        "    customer = Customer.objects.get(id=order.customer_id)"
    ),
    fix=(
        "Load everything the loop needs before it: `Customer.objects.in_bulk(ids)`, "
        "`select_related`/`prefetch_related`, SQLAlchemy `select(...).where(X.id.in_(ids))` "
        "or `selectinload`, or one joined query; batch writes with `bulk_create`/`executemany`."
    ),
    options=NoOptions,
)
