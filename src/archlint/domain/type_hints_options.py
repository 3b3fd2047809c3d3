"""The options of the type-hint rules (ARC401-ARC403) and of ``--fix``, apart from
:mod:`archlint.domain.public_api` so that the rule registry can validate them without
loading the analysis (a fully cached run never runs it)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, kw_only=True)
class TypeHintsOptions:
    """``[tool.archlint.type-hints]``."""

    include_private: bool = field(
        default=False,
        metadata={"doc": "Check private functions, methods and modules too (not nested functions, not tests)."},
    )
    init_return: bool = field(
        default=False,
        metadata={"doc": "Require `-> None` on `__init__` as well (ARC402 exempts it by default)."},
    )
    ignore_decorators: tuple[str, ...] = field(
        default=(),
        metadata={"doc": "Skip functions with one of these decorators, e.g. `[\"pytest.fixture\"]`."},
    )
    min_coverage: float = field(
        default=80.0,
        metadata={
            "doc": "ARC403 fires for a package whose share of fully annotated public functions "
            "(percent) is below this; 0 disables it.",
            "min": 0,
            "max": 100,
            "float": True,
        },
    )

__all__ = ["TypeHintsOptions"]
