"""ARC605: database queries executed once per loop iteration (the N+1 shape)."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.domain.finding import Finding, Severity
from archlint.domain.project import Project
from archlint.domain.rule import NoOptions, Rule, RuleMeta

_ADVICE = {
    "django": "fetch once with `filter(id__in=...)`, `select_related` or `prefetch_related`",
    "sqlalchemy": "fetch once with an `IN` query or eager loading (`selectinload`/`joinedload`)",
    "db-api": "fetch once with one `IN` query or a join, or batch writes with `executemany`",
}


class QueryInLoop(Rule):
    """An ORM or DB-API query inside a loop body."""

    meta = RuleMeta(
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

    def check(self, project: Project, options: NoOptions) -> Iterator[Finding]:
        """One finding per query call in a loop."""
        for facts in project.files:
            seen: dict[str, int] = {}
            for query in facts.checklist.loop_queries:
                if query.api == "db-api" and not (query.parametrized and query.uses_loop_variable):
                    continue
                key = f"{facts.module}:{query.function}:{query.text}"
                seen[key] = seen.get(key, 0) + 1
                yield self.finding(
                    path=facts.path,
                    line=query.line,
                    column=query.column,
                    message=(
                        f"query `{query.text}()` runs once per loop iteration in {query.function}(); "
                        f"{_ADVICE.get(query.api, 'fetch everything before the loop')}"
                    ),
                    identity=f"{key}:{seen[key]}",
                    extra={"function": query.function, "api": query.api},
                )
