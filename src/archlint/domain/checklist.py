"""The architecture checklist archlint aligns to, in the seed's own words.

Every rule names the items it is evidence for; a test checks that each name is one of
these, so a typo cannot silently detach a rule from the checklist.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

RED_FLAGS: Final = (
    "Big Ball of Mud",
    "Golden Hammer",
    "Premature Optimization",
    "Not Invented Here",
    "Analysis Paralysis",
    "Tight Coupling",
    "God Object",
    "Circular Imports",
)

PRINCIPLES: Final = MappingProxyType(
    {
        "Modularity & Separation of Concerns": (
            "Single Responsibility Principle",
            "High cohesion, low coupling",
            "Clear interfaces between modules",
            "Package-based organization",
        ),
        "Scalability": (
            "Horizontal scaling with ASGI servers (uvicorn, gunicorn)",
            "Stateless design where possible",
            "Efficient database queries (SQLAlchemy, async drivers)",
            "Caching strategies (Redis, in-memory)",
            "Task queues for background work (Celery, arq, dramatiq)",
        ),
        "Maintainability": (
            "Clear code organization (src layout)",
            "Consistent patterns",
            "Type hints on public APIs",
            "Easy to test (dependency injection, fixtures)",
            "Simple to understand",
        ),
        "Security": (
            "Defense in depth",
            "Principle of least privilege",
            "Input validation at boundaries (Pydantic)",
            "Secure by default",
            "Audit trail",
        ),
        "Performance": (
            "Efficient algorithms",
            "Async I/O where appropriate (asyncio, httpx)",
            "Optimized database queries (eager loading, indexes)",
            "Appropriate caching",
            "Profiling before optimizing",
        ),
    }
)

PATTERNS: Final = (
    "Repository Pattern",
    "Service Layer",
    "Dependency Injection",
    "Unit of Work",
    "CQRS",
    "FastAPI routers",
    "Pydantic models",
    "Middleware",
    "Background tasks",
    "Event-Driven",
    "SQLAlchemy models",
    "Alembic migrations",
    "Normalized Database",
    "Denormalized for Read Performance",
    "Event Sourcing",
    "Project Structure",
    "Architecture Decision Records",
)

SYSTEM_DESIGN: Final = MappingProxyType(
    {
        "Functional Requirements": (
            "User stories documented",
            "API contracts defined",
            "Data models specified",
            "Workflows mapped",
        ),
        "Non-Functional Requirements": (
            "Performance targets defined (latency, throughput)",
            "Scalability requirements specified",
            "Security requirements identified",
            "Availability targets set (uptime %)",
        ),
        "Technical Design": (
            "Architecture diagram created",
            "Component responsibilities defined",
            "Data flow documented",
            "Integration points identified",
            "Error handling strategy defined",
            "Testing strategy planned",
        ),
        "Operations": (
            "Deployment strategy defined (Docker, systemd, cloud)",
            "Monitoring and alerting planned",
            "Backup and recovery strategy",
            "Rollback plan documented",
        ),
    }
)


def all_items() -> frozenset[str]:
    """Every checklist item a rule may name: red flags, principles (headings and
    bullets), patterns and system design items."""
    items: set[str] = set(RED_FLAGS) | set(PATTERNS)
    for heading, bullets in PRINCIPLES.items():
        items.add(heading)
        items.update(bullets)
    for bullets in SYSTEM_DESIGN.values():
        items.update(bullets)
    return frozenset(items)
