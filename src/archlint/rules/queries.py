"""ARC605: database queries executed once per loop iteration (the N+1 shape)."""

from __future__ import annotations

from collections.abc import Iterator

from archlint.domain.finding import Finding
from archlint.domain.project import Project
from archlint.domain.rule import NoOptions, Rule
from archlint.rules.catalog.queries import QUERY_IN_LOOP

_ADVICE = {
    "django": "fetch once with `filter(id__in=...)`, `select_related` or `prefetch_related`",
    "sqlalchemy": "fetch once with an `IN` query or eager loading (`selectinload`/`joinedload`)",
    "db-api": "fetch once with one `IN` query or a join, or batch writes with `executemany`",
}


class QueryInLoop(Rule):
    """An ORM or DB-API query inside a loop body."""

    meta = QUERY_IN_LOOP

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
