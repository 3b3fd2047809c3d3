"""Which checklist items a static analysis decides, and why the others need a human.

Pure data and functions over :mod:`archlint.domain.checklist` and rule metadata. An item is
*decided by a rule* when some rule lists it in its ``checklist`` metadata, so the mapping
follows the registered rules by itself. :data:`HUMAN_REASONS` says, for every item, what a
reviewer has to judge when no rule decides it. ``docs/checklist.md`` and the ``checklist``
reporter both read this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType
from typing import Final

from archlint.domain.checklist import PATTERNS, PRINCIPLES, RED_FLAGS, SYSTEM_DESIGN
from archlint.domain.finding import Finding
from archlint.domain.rule import RuleMeta

_NO_CODE = "no static analysis of the code can see it"

HUMAN_REASONS: Final[Mapping[str, str]] = MappingProxyType(
    {
        # Red Flags
        "Big Ball of Mud": "Structure is judged from the import graph as a whole; without a graph-shape rule a reviewer reads the dependency picture.",
        "Golden Hammer": "Using one solution everywhere is a judgement about fit to each problem, which the code alone does not state.",
        "Premature Optimization": "Whether an optimisation came too early depends on measurements and requirements outside the code.",
        "Not Invented Here": "Rejecting existing solutions is a decision about alternatives that were never written down in the code.",
        "Analysis Paralysis": "Over-planning is a property of the process and the calendar, not of the source tree.",
        "Tight Coupling": "Without the coupling rules a reviewer judges fan-in, fan-out and instability from the import graph.",
        "God Object": "Without the god-object rules a reviewer looks for classes with too many methods and responsibilities.",
        "Circular Imports": "Without the cycle rules a reviewer searches the import graph for cycles.",
        # Architectural Principles: headings
        "Modularity & Separation of Concerns": "A heading: judged through the items below it.",
        "Scalability": "A heading: judged through the items below it.",
        "Maintainability": "A heading: judged through the items below it.",
        "Security": "A heading: judged through the items below it.",
        "Performance": "A heading: judged through the items below it.",
        # Modularity & Separation of Concerns
        "Single Responsibility Principle": "Whether a unit has one reason to change is a design judgement; size and cohesion metrics are only hints.",
        "High cohesion, low coupling": "Without the coupling rules a reviewer judges it from the package dependency graph.",
        "Clear interfaces between modules": "Whether an interface is clear depends on intent and naming that a reviewer reads.",
        "Package-based organization": "Whether packages follow the domain is a judgement about names and responsibilities.",
        # Scalability
        "Horizontal scaling with ASGI servers (uvicorn, gunicorn)": "Scaling is a deployment property: process model and server configuration live outside the Python code.",
        "Stateless design where possible": "Where state is acceptable depends on the deployment; without a state rule a reviewer reads module globals.",
        "Efficient database queries (SQLAlchemy, async drivers)": "Query efficiency depends on data volumes and query plans seen only at run time.",
        "Caching strategies (Redis, in-memory)": "Whether and where to cache depends on measured load and staleness requirements.",
        "Task queues for background work (Celery, arq, dramatiq)": "Which work belongs in the background depends on latency requirements outside the code.",
        # Maintainability
        "Clear code organization (src layout)": "Without the project-structure rule a reviewer checks the repository layout.",
        "Consistent patterns": "Consistency across a codebase is judged against the team's conventions, which are not written in the code.",
        "Type hints on public APIs": "Without the type-hint rules a reviewer reads the public signatures.",
        "Easy to test (dependency injection, fixtures)": "Testability shows in the tests and the team's experience; static signals are weak.",
        "Simple to understand": "Understandability is a human judgement; complexity metrics are only hints.",
        # Security
        "Defense in depth": "Layered defences span infrastructure and configuration outside the Python code.",
        "Principle of least privilege": "Privileges are granted by deployment, credentials and infrastructure, " + _NO_CODE + ".",
        "Input validation at boundaries (Pydantic)": "Without an input-validation rule a reviewer reads every boundary handler.",
        "Secure by default": "Safe defaults depend on the threat model and configuration, judged by a reviewer.",
        "Audit trail": "Which actions must be audited is a requirement; whether they are logged needs a reviewer.",
        # Performance
        "Efficient algorithms": "Algorithmic efficiency depends on input sizes and profiles, not on the shape of the code alone.",
        "Async I/O where appropriate (asyncio, httpx)": "Without a blocking-call rule a reviewer reads async functions for blocking calls.",
        "Optimized database queries (eager loading, indexes)": "Indexes and eager loading are judged against real query plans and data.",
        "Appropriate caching": "Whether caching is appropriate depends on measured hit rates and freshness requirements.",
        "Profiling before optimizing": "Profiling is a practice; its evidence lives outside the repository.",
        # Common Patterns
        "Repository Pattern": "Whether data access sits behind interfaces is a design reading of the code, not a reliable static signal.",
        "Service Layer": "Where business logic lives is judged by a reviewer who knows the domain.",
        "Dependency Injection": "Injection styles vary too much (parameters, frameworks, factories) for a check with few false alarms.",
        "Unit of Work": "Transaction boundaries depend on business rules a reviewer knows.",
        "CQRS": "A pattern to adopt when it fits, not a property every project must have.",
        "FastAPI routers": "A framework choice: whether endpoints are organised well is judged by a reviewer.",
        "Pydantic models": "A framework choice; without an input-validation rule a reviewer checks request models.",
        "Middleware": "Which cross-cutting concerns belong in middleware depends on the application.",
        "Background tasks": "Which operations should run in the background depends on latency requirements.",
        "Event-Driven": "A pattern to adopt when it fits, not a property every project must have.",
        "SQLAlchemy models": "A framework choice; model quality is judged by a reviewer.",
        "Alembic migrations": "Whether the schema is versioned lives in the migration workflow, judged by a reviewer.",
        "Normalized Database": "Normalisation is a property of the database schema, " + _NO_CODE + ".",
        "Denormalized for Read Performance": "A trade-off against measured read load, decided by a human.",
        "Event Sourcing": "A pattern to adopt when it fits, not a property every project must have.",
        "Project Structure": "Without the project-structure rule a reviewer compares the layout with the seed's tree.",
        "Architecture Decision Records": "Without the project-structure rule a reviewer looks for an ADR folder; their quality always needs a human.",
        # System Design Checklist: Functional Requirements
        "User stories documented": "Requirements documents live outside the code.",
        "API contracts defined": "Whether contracts are agreed and versioned is judged against the documentation.",
        "Data models specified": "Whether the data model is specified is judged against the design documents.",
        "Workflows mapped": "Workflows are documented outside the code.",
        # Non-Functional Requirements
        "Performance targets defined (latency, throughput)": "Targets are requirements, " + _NO_CODE + ".",
        "Scalability requirements specified": "Requirements are documents, " + _NO_CODE + ".",
        "Security requirements identified": "Requirements are documents, " + _NO_CODE + ".",
        "Availability targets set (uptime %)": "Targets are requirements, " + _NO_CODE + ".",
        # Technical Design
        "Architecture diagram created": "archlint draws the dependency graph (the checklist report, `archlint graph`), but the intended architecture diagram is a human artefact.",
        "Component responsibilities defined": "Responsibilities are written in design documents and judged by a reviewer.",
        "Data flow documented": "Documentation outside the code.",
        "Integration points identified": "External systems and their contracts are documented outside the code.",
        "Error handling strategy defined": "A strategy is a design document; static checks see only individual handlers.",
        "Testing strategy planned": "A plan is a document; the presence of tests is only a hint.",
        # Operations
        "Deployment strategy defined (Docker, systemd, cloud)": "Deployment lives in infrastructure, not in the Python code.",
        "Monitoring and alerting planned": "Monitoring is configured in operations tooling outside the code.",
        "Backup and recovery strategy": "Backups are an operations procedure outside the code.",
        "Rollback plan documented": "A rollback plan is an operations document outside the code.",
    }
)


@dataclass(frozen=True)
class ChecklistGroup:
    """A titled list of checklist items, in the seed's order."""

    section: str
    title: str
    items: tuple[str, ...]


def groups() -> tuple[ChecklistGroup, ...]:
    """Every line of the seed's Red Flags, Architectural Principles, Common Patterns and
    System Design Checklist, grouped as in the seed. Principle headings are items too."""
    out = [ChecklistGroup("Red Flags", "Red Flags", RED_FLAGS)]
    for heading, bullets in PRINCIPLES.items():
        out.append(ChecklistGroup("Architectural Principles", heading, (heading, *bullets)))
    out.append(ChecklistGroup("Common Patterns", "Common Patterns", PATTERNS))
    for heading, bullets in SYSTEM_DESIGN.items():
        out.append(ChecklistGroup("System Design Checklist", heading, bullets))
    return tuple(out)


def deciding_rules(item: str, metas: Iterable[RuleMeta]) -> tuple[RuleMeta, ...]:
    """The rules among ``metas`` that name ``item`` in their checklist metadata, by code."""
    return tuple(sorted((m for m in metas if item in m.checklist), key=lambda m: m.code))


class ItemStatus(str, Enum):
    """The verdict on one checklist item in one run."""

    PASSED = "passed"
    FAILED = "failed"
    HUMAN = "needs human review"


@dataclass(frozen=True)
class ItemResult:
    """One checklist item's verdict, with its evidence."""

    item: str
    status: ItemStatus
    codes: tuple[str, ...]
    findings: tuple[Finding, ...]
    reason: str


def worst_first(findings: Iterable[Finding]) -> list[Finding]:
    """Findings by decreasing severity, then in canonical order."""
    return sorted(findings, key=lambda f: (-f.severity.rank, f.sort_key))


def evaluate(item: str, ran: Sequence[RuleMeta], findings: Sequence[Finding]) -> ItemResult:
    """The verdict on ``item`` given the rules that ran and their findings.

    Decided by a rule that ran: failed when some finding names the item, else passed.
    Otherwise it needs human review (with the reason from :data:`HUMAN_REASONS`)."""
    rules = deciding_rules(item, ran)
    reason = HUMAN_REASONS.get(item, "No rule that ran decides it.")
    if not rules:
        return ItemResult(item, ItemStatus.HUMAN, (), (), reason)
    codes = tuple(m.code for m in rules)
    hits = tuple(worst_first(f for f in findings if item in f.checklist))
    status = ItemStatus.FAILED if hits else ItemStatus.PASSED
    return ItemResult(item, status, codes, hits, "")


def uncovered(metas: Iterable[RuleMeta]) -> list[str]:
    """Items that no rule in ``metas`` decides and that have no human reason (should be none)."""
    known = list(metas)
    return [
        item
        for group in groups()
        for item in group.items
        if not deciding_rules(item, known) and item not in HUMAN_REASONS
    ]
