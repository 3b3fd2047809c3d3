"""Metadata and options of the rules in :mod:`archlint.rules.boundaries` (UnvalidatedInput).

Light on purpose: the registry imports it on every run; the implementation is imported
only when a rule runs (``archlint.rules.LazyRule``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from archlint.domain.finding import Severity
from archlint.domain.rule import RuleMeta


@dataclass(frozen=True, kw_only=True)
class BoundaryOptions:
    """``[tool.archlint.unvalidated-input]``."""

    validators: tuple[str, ...] = field(
        default=(),
        metadata={"doc": "More callees (dotted name or last part) that validate the data passed to them."},
    )


UNVALIDATED_INPUT = RuleMeta(
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
