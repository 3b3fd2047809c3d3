"""ARC604: web route handlers that use request bodies without a validation model.

The collector records each handler's raw body reads and the callees the data reaches;
this rule decides which callees validate.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from archlint.domain.checklist_facts import TYPED_GET, RawRead
from archlint.domain.finding import Finding, Severity
from archlint.domain.project import Project
from archlint.domain.rule import Rule, RuleMeta

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


@dataclass(frozen=True, kw_only=True)
class BoundaryOptions:
    """``[tool.archlint.unvalidated-input]``."""

    validators: tuple[str, ...] = field(
        default=(),
        metadata={"doc": "More callees (dotted name or last part) that validate the data passed to them."},
    )


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

    meta = RuleMeta(
        code="ARC604",
        reads=frozenset({"checklist", "error"}),
        per_file=True,
        name="unvalidated-input",
        severity=Severity.WARNING,
        checklist=("Input validation at boundaries (Pydantic)", "Pydantic models"),
        summary="A web route handler uses the raw request body without a validation model.",
        what=(
            "Finds route handlers of FastAPI/Starlette (`@app.get/post/...`, `@router.*`, "
            "`api_route`, endpoints named in `Route(path, endpoint)`, `HTTPEndpoint` methods), Flask (`@app.route`, `@bp.get/post`, `MethodView.post/put/patch`) and "
            "Django views (in a module importing Django: functions whose first parameter is "
            "`request`, in a `views`/`api` module or decorated, and class-based views' "
            "`get/post/put/patch/delete/dispatch` methods). A body that is only tested "
            "(`\"_save\" in request.POST`, `if request.POST:`) is not a read. Reports the handler when it takes a FastAPI body parameter "
            "annotated `dict`/`Dict`/`Mapping`/`Any`, or reads the raw body (`await "
            "request.json()`, `request.form()`, `request.body()`; Flask `request.get_json()`, "
            "`request.json`, `request.form`, `request.data`, `request.values`; Django "
            "`request.POST`, `json.loads(request.body)`) and the data, directly or through the "
            "variable it is assigned to, never reaches a validator: `Model(**data)`, a class "
            "(`ItemForm(request.POST)`, `Serializer(data=...)`), `Model.model_validate`, "
            "`schema.load`, `TypeAdapter(...).validate_python`, Werkzeug's converting "
            "`request.form.get(\"n\", type=int)`, or a function whose name says it "
            "validates (`validate_*`, `check_*`, `clean_*`, ...; add your own in `validators`). "
            "One finding per handler, on its first unvalidated read."
        ),
        why=(
            "The route handler is the system's boundary: data that is not validated there "
            "travels inward as untyped dicts, so every layer must re-check it or trust it, and "
            "malformed or hostile input fails deep inside with a 500 instead of a clear 422. A "
            "declared model is also the API contract the checklist asks for."
        ),
        example=(
            "@app.post(\"/items\")\nasync def create_item(request: Request):\n"
            "    data = await request.json()\n    return db.insert(data)"
        ),
        fix=(
            "Declare the body as a Pydantic model parameter (`async def create_item(item: "
            "Item)`), or validate explicitly: `Item.model_validate(data)`, a Django form or "
            "serializer (`form = ItemForm(request.POST); form.is_valid()`), a marshmallow "
            "`schema.load(data)`."
        ),
        options=BoundaryOptions,
        options_table="unvalidated-input",
    )

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
