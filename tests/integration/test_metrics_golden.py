"""Golden files of the three ``archlint metrics`` formats on the god-object fixtures,
byte-compared. Only the god-object family's class columns are rendered, so columns other
families add elsewhere do not change these files.

Regenerate with ``ARCHLINT_REGEN_GOLDEN=1 pytest tests/integration/test_metrics_golden.py``
and review the diff."""

from __future__ import annotations

import os

import pytest

from archlint import __version__
from archlint.domain.metrics import (
    CLASS_METRICS,
    MODULE_SIZE,
    MetricLevel,
    build_table,
    class_subjects,
    module_subjects,
)
from archlint.reporters.metrics import METRICS_RENDERERS
from harness import FIXTURES, REPO, run_case

GOLDEN = REPO / "tests" / "golden" / "metrics"
REGEN = os.environ.get("ARCHLINT_REGEN_GOLDEN") == "1"
SUFFIX = {"table": "txt", "json": "json", "csv": "csv"}
LEVELS = {
    "class": MetricLevel(name="class", subjects=class_subjects, providers=(CLASS_METRICS,), default_sort=("wmc", "atfd")),
    "module": MetricLevel(name="module", subjects=module_subjects, providers=(MODULE_SIZE,), default_sort=("complexity", "loc")),
}


@pytest.mark.parametrize("level", sorted(LEVELS))
@pytest.mark.parametrize("fmt", sorted(METRICS_RENDERERS))
def test_metrics_golden(fmt: str, level: str) -> None:
    project = run_case(FIXTURES / "god_objects").project
    rendered = METRICS_RENDERERS[fmt](build_table(project, LEVELS[level]))
    rendered = rendered.replace(f'"version": "{__version__}"', '"version": "VERSION"')
    path = GOLDEN / f"{level}.{SUFFIX[fmt]}"
    if REGEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rendered.encode("utf-8"))
    assert path.is_file(), f"missing golden file {path.name}: run with ARCHLINT_REGEN_GOLDEN=1"
    assert rendered.encode("utf-8") == path.read_bytes(), f"{path.name} differs: run with ARCHLINT_REGEN_GOLDEN=1 and review the diff"
