"""ARC604: web route handlers that use request bodies without a validation model.

The collector records each handler's raw body reads and the callees the data reaches;
this rule decides which callees validate.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from archlint.domain.checklist_facts import TYPED_GET, RawRead
from archlint.domain.finding import Finding
from archlint.domain.project import Project
from archlint.domain.rule import Rule
from archlint.rules.catalog.boundaries import UNVALIDATED_INPUT, BoundaryOptions

VALIDATING_METHODS = frozenset(
    {
        "model_validate",
        "model_validate_json",
        "parse_obj",
        "parse_raw",
        "validate",
        "validate_python",
        "validate_json",
        "load",
        "from_dict",
        "from_json",
        "structure",
        "is_valid",
        "full_clean",
        "deserialize",
    }
)
_VALIDATING_WORDS = re.compile(r"valid|schema|serializ|clean|sanitiz|check|verify|parse|form|allowed|safe", re.IGNORECASE)
_NOT_VALIDATING_CLASSES = re.compile(r"(Response|Error|Exception|Redirect)$")


def validates(consumer: str, extra: frozenset[str]) -> bool:
    """Whether passing the request data to ``consumer`` validates it: a class (a model
    built with ``Model(**data)``, a form, serializer or dataclass), a known validation
    method (``model_validate``, ``schema.load``, ``is_valid``...) or a function whose
    name says it checks (``validate_...``, ``check_...``, ``clean_...``)."""
    if consumer == TYPED_GET:
        return True
    name = consumer.removesuffix("(**)")
    last = name.rsplit(".", 1)[-1]
    if name in extra or last in extra:
        return True
    if name in ("json.loads", "dict"):
        return False
    if last in VALIDATING_METHODS or _VALIDATING_WORDS.search(last):
        return True
    return last[:1].isupper() and not _NOT_VALIDATING_CLASSES.search(last)


def unvalidated(read: RawRead, extra: frozenset[str]) -> bool:
    """A raw read none of whose consumers validates."""
    return not any(validates(consumer, extra) for consumer in read.consumers)


class UnvalidatedInput(Rule):
    """Raw request bodies used without a validation model."""

    meta = UNVALIDATED_INPUT

    def check(self, project: Project, options: BoundaryOptions) -> Iterator[Finding]:
        """One finding per handler with raw input."""
        extra_validators = frozenset(options.validators)
        for facts in project.files:
            for handler in facts.checklist.handlers:
                identity = f"{facts.module}:{handler.function}"
                base = {"function": handler.function, "framework": handler.framework}
                if handler.raw_params:
                    name, annotation, line, column = handler.raw_params[0]
                    yield self.finding(
                        path=facts.path,
                        line=line,
                        column=column,
                        message=(
                            f"route handler {handler.function}() takes the request body as "
                            f"`{name}: {annotation}` without a validation model; declare a Pydantic model"
                        ),
                        identity=identity,
                        extra={**base, "parameter": name},
                    )
                    continue
                reads = [read for read in handler.raw_reads if unvalidated(read, extra_validators)]
                if not reads:
                    continue
                read = reads[0]
                yield self.finding(
                    path=facts.path,
                    line=read.line,
                    column=read.column,
                    message=(
                        f"route handler {handler.function}() reads the raw request body (`{read.text}`) "
                        "without validating it; use a Pydantic model, form or schema"
                    ),
                    identity=identity,
                    extra={**base, "read": read.text, "reads": len(reads)},
                )
