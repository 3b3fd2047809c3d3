"""Metadata and options of the rules in :mod:`archlint.rules.layers` (LayerViolation, ForbiddenImport, IndependenceViolation).

Light on purpose: the registry imports it on every run; the implementation is imported
only when a rule runs (``archlint.rules.LazyRule``)."""

from __future__ import annotations

from archlint.domain.contract_options import ContractOptions
from archlint.domain.finding import Severity
from archlint.domain.rule import RuleMeta

_CHECKLIST = ("Clear interfaces between modules", "Tight Coupling")


LAYER_VIOLATION = RuleMeta(
    code="ARC501",
    reads=frozenset({"imports"}),
    name="layer-violation",
    severity=Severity.ERROR,
    checklist=("Service Layer", "Repository Pattern", *_CHECKLIST),
    summary="A lower layer imports a higher layer, directly or through other modules.",
    what=(
        "Checks `[tool.archlint.layers]` contracts: layers are listed top to bottom and a "
        "higher layer may import lower ones, never the reverse; `a | b` puts independent "
        "siblings on one level (they must not import each other), `a : b` siblings that "
        "may. Names are relative to each of the `containers`. A direct violation is "
        "reported on its import line; an indirect one (through modules outside the two "
        "layers) on the first import of the chain, with the whole chain; one finding per "
        "import line and layer pair, other chains through the same import in `extra.chains` "
        "(the first five; `extra.chain_count` has the total). With "
        "`exhaustive = true`, every child of a container must be in a layer. Without any "
        "layers contract, zero-config layering applies the order `api|routes|cli|web` > "
        "`services|service|use_cases` > `repositories|repository|adapters` > "
        "`models|domain|entities` to every package with at least three children named so "
        "(spanning two levels) and says so in the summary; `layers = false` in "
        "`[tool.archlint]` turns that off."
    ),
    why=(
        "Layers keep the direction of dependencies: routers call services, services call "
        "repositories, repositories use models. When a model imports a router, the layers "
        "collapse into one tangle: nothing can be changed, tested or reused on its own."
    ),
    example=(
        "# [tool.archlint.layers]\n"
        '# containers = ["app"]\n'
        '# layers = ["api", "services", "repositories", "models"]\n'
        "\n"
        "# app/models/user.py\n"
        "from app.services.signup import send_welcome  # models must not import services"
    ),
    fix=(
        "Move the code to the layer it belongs to, pass the dependency in from the higher "
        "layer (a callback, a parameter, dependency injection), or let the lower layer "
        "define an interface that the higher layer implements."
    ),
    options=ContractOptions,
)


FORBIDDEN_IMPORT = RuleMeta(
    code="ARC502",
    reads=frozenset({"imports"}),
    name="forbidden-import",
    severity=Severity.ERROR,
    checklist=("Clear interfaces between modules", "Tight Coupling", "Repository Pattern"),
    summary="A module imports a module a forbidden contract rules out.",
    what=(
        "Checks `[[tool.archlint.forbidden]]` contracts: modules under `source-modules` must "
        "not import modules under `forbidden-modules`, which may be first-party or "
        "third-party (e.g. `sqlalchemy` forbidden in `app.domain`). Direct imports are "
        "reported on their line; unless `allow-indirect = true`, so are chains through "
        "other modules (on the chain's first import, with the whole chain)."
    ),
    why=(
        "Some dependencies are architectural decisions: the domain stays free of the ORM "
        "and the web framework, so it can be tested and reused without them. A forbidden "
        "import quietly undoes that decision."
    ),
    example=(
        "# [[tool.archlint.forbidden]]\n"
        '# source-modules = ["app.domain"]\n'
        '# forbidden-modules = ["sqlalchemy"]\n'
        "\n"
        "# app/domain/order.py\n"
        "from sqlalchemy.orm import Session"
    ),
    fix=(
        "Move the code that needs the forbidden module out of the source package (into an "
        "adapter or repository) and depend on an interface the source package owns."
    ),
    options=ContractOptions,
)


INDEPENDENCE_VIOLATION = RuleMeta(
    code="ARC503",
    reads=frozenset({"imports"}),
    name="independence-violation",
    severity=Severity.ERROR,
    checklist=("High cohesion, low coupling", "Clear interfaces between modules", "Tight Coupling"),
    summary="Modules declared independent import each other, directly or indirectly.",
    what=(
        "Checks `[[tool.archlint.independence]]` contracts: none of the listed `modules` (and "
        "their descendants) may import another, directly or (unless `allow-indirect = "
        "true`) through other modules. Direct imports are reported on their line, chains on "
        "their first import with the whole chain."
    ),
    why=(
        "Independent components (features, bounded contexts, plugins) can be changed, "
        "tested, released or deleted one at a time only while they do not reach into each "
        "other."
    ),
    example=(
        "# [[tool.archlint.independence]]\n"
        '# modules = ["app.billing", "app.shipping"]\n'
        "\n"
        "# app/billing/invoice.py\n"
        "from app.shipping.rates import rate_for"
    ),
    fix=(
        "Move what both need into a shared lower-level module, or communicate through an "
        "interface or event owned by neither."
    ),
    options=ContractOptions,
)
