"""Which columns ``archlint metrics`` shows at each level.

To add columns, write a :class:`~archlint.domain.metrics.MetricProvider` next to your
rule family's domain code and append it to the tuple of its level below (one import, one
entry). Providers see only the read-only :class:`~archlint.domain.project.Project`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from archlint.domain.metrics import (
    CLASS_METRICS,
    MODULE_FAN,
    MODULE_SIZE,
    PACKAGE_SIZE,
    MetricLevel,
    MetricProvider,
    class_subjects,
    module_subjects,
    package_subjects,
)
from archlint.domain.coupling import MODULE_COUPLING, PACKAGE_COUPLING
from archlint.domain.public_api import MODULE_COVERAGE, PACKAGE_COVERAGE

CLASS_COLUMNS: tuple[MetricProvider, ...] = (CLASS_METRICS,)
MODULE_COLUMNS: tuple[MetricProvider, ...] = (MODULE_SIZE, MODULE_FAN, MODULE_COUPLING, MODULE_COVERAGE)
PACKAGE_COLUMNS: tuple[MetricProvider, ...] = (PACKAGE_SIZE, PACKAGE_COUPLING, PACKAGE_COVERAGE)

LEVELS: Mapping[str, MetricLevel] = MappingProxyType(
    {
        "class": MetricLevel(name="class", subjects=class_subjects, providers=CLASS_COLUMNS, default_sort=("wmc", "atfd")),
        "module": MetricLevel(
            name="module", subjects=module_subjects, providers=MODULE_COLUMNS, default_sort=("complexity", "loc")
        ),
        "package": MetricLevel(
            name="package", subjects=package_subjects, providers=PACKAGE_COLUMNS, default_sort=("complexity", "loc")
        ),
    }
)
"""Level name -> level; the order is the order of ``--level`` choices."""
