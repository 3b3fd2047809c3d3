"""Importing the CLI (and linting a small project) must not load the heavy libraries.

A behavioural guarantee behind the startup target of issue 9: networkx, grimp and libcst
load only when a feature that needs them runs. Checked in a fresh interpreter, because
this test process has imported everything already."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ("networkx", "grimp", "libcst")


def _loaded(code: str, cwd: Path | None = None) -> list[str]:
    script = f"import json, sys\n{code}\nprint(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=cwd)
    return list(json.loads(result.stdout.strip().splitlines()[-1]))


def test_importing_the_cli_loads_no_heavy_library() -> None:
    assert _loaded("import archlint.cli") == []


def test_importing_the_public_api_loads_no_heavy_library() -> None:
    assert _loaded("import archlint") == []


def test_linting_a_small_project_with_default_rules_loads_no_heavy_library(tmp_path: Path) -> None:
    for index in range(3):
        (tmp_path / f"m{index}.py").write_text(f"from m{(index + 1) % 3} import x\nx = {index}\n")
    # Run from the project (no configuration): declared layers contracts use grimp.
    assert _loaded("import archlint\narchlint.lint(['.'], use_cache=False)", cwd=tmp_path) == []


# Modules that only some commands, formats or options use (or only a file that must be
# parsed): importing the CLI loads none of them, and neither does a warm text run.
ON_DEMAND = (
    "archlint.engine.extract",
    "archlint.engine.collectors",
    "archlint.engine.recovery",
    "archlint.engine.gitdiff",
    "archlint.engine.baseline_store",
    "archlint.fixes",
    "archlint.reporters.checklist",
    "archlint.reporters.graph",
    "archlint.reporters.svg",
    "archlint.reporters.junit",
    "archlint.reporters.sarif",
    "archlint.reporters.json_report",
    "archlint.reporters.github",
    "archlint.reporters.gitlab",
    "archlint.reporters.ruledoc",
    "archlint.domain.metric_registry",
    "archlint.domain.graph",
    "archlint.domain.locations",
    "archlint.domain.suppression",
    "archlint.engine.codec",
    "archlint.config.contracts",
    "tomllib",  # a project without a config file
    "archlint.domain.facts",
    "archlint.domain.class_facts",
    "archlint.domain.cycle_facts",
    "archlint.domain.function_facts",
    "archlint.domain.checklist_facts",
    "archlint.domain.baseline",
    "archlint.domain.contracts",
    "hashlib",  # OpenSSL's _hashlib: archlint/_hashing.py
    "concurrent.futures",
    "multiprocessing",
)
# Needed by a run, but not by `import archlint.cli` (help, --version, `archlint rules`).
RUN_ONLY = (
    "archlint.engine.runner",
    "archlint.engine.workers",
    "archlint.rules",
    "archlint.config.contracts",
    "archlint.domain.report",
    "archlint.domain.facts",
    "archlint.domain.metrics",
)


def _modules(code: str, names: tuple[str, ...], cwd: Path | None = None) -> list[str]:
    script = f"import json, sys\n{code}\nprint(json.dumps(sorted(m for m in {names!r} if m in sys.modules)))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=cwd)
    return list(json.loads(result.stdout.strip().splitlines()[-1]))


def test_importing_the_cli_loads_only_the_cli() -> None:
    assert _modules("import archlint.cli", ON_DEMAND + RUN_ONLY) == []


def test_a_warm_text_run_loads_no_module_it_does_not_use(tmp_path: Path) -> None:
    for index in range(3):
        (tmp_path / f"m{index}.py").write_text(f"from m{(index + 1) % 3} import x\nx = {index}\n")
    run = (
        "from archlint.cli import main\n"
        "try:\n    main(['.', '-q', '--exit-zero'])\n"
        "except SystemExit:\n    pass\n"
    )
    _modules(run, (), cwd=tmp_path)  # cold: fills the cache
    assert _modules(run, ON_DEMAND, cwd=tmp_path) == []


# What only a rule's check needs: a run whose results all come from the memo reads the
# rules' metadata and options (``archlint.rules.catalog``) and imports none of these.
RULE_IMPLEMENTATIONS = tuple(
    f"archlint.rules.{family}"
    for family in (
        "architecture", "async_io", "boundaries", "checklist_family", "coupling", "cycles", "god_objects",
        "layers", "parse_errors", "queries", "state", "structure", "suppressions", "type_hints",
    )
)
CHECK_ONLY = tuple(
    f"archlint.domain.{name}"
    for name in ("architecture", "cycles", "import_sim", "public_api", "metrics", "coupling")
)


def test_a_fully_cached_run_imports_no_rule_implementation(tmp_path: Path) -> None:
    for index in range(3):
        (tmp_path / f"m{index}.py").write_text(f"from m{(index + 1) % 3} import x\nx = {index}\n")
    (tmp_path / "m3.py").write_text("x = 1  # archlint: ignore[ARC101]  # no reason, never used\n")
    run = (
        "from archlint.cli import main\n"
        "try:\n    main(['.', '-q', '--exit-zero'])\n"
        "except SystemExit:\n    pass\n"
    )
    names = RULE_IMPLEMENTATIONS + CHECK_ONLY
    cold = _modules(run, names, cwd=tmp_path)  # fills the cache; the rules run
    assert {"archlint.rules.cycles", "archlint.rules.suppressions", "archlint.domain.cycles"} <= set(cold)
    assert _modules(run, names, cwd=tmp_path) == []


def test_the_registry_entries_are_the_rule_classes() -> None:
    from archlint.rules import ALL_RULES, LazyRule
    from archlint.rules.checklist_family import CHECKLIST_RULES
    from archlint.rules.coupling import COUPLING_RULES
    from archlint.rules.cycles import CYCLE_RULES
    from archlint.rules.layers import LAYER_RULES

    classes = [entry.implementation() for entry in ALL_RULES if issubclass(entry, LazyRule)]
    assert len(classes) == len(ALL_RULES)
    assert [c.meta for c in classes] == [entry.meta for entry in ALL_RULES]
    assert [c.__name__ for c in classes] == [entry.__name__ for entry in ALL_RULES]
    families = [*COUPLING_RULES, *LAYER_RULES, *CYCLE_RULES, *CHECKLIST_RULES]
    assert classes[-len(families):] == families


def test_the_lazy_names_are_the_real_ones() -> None:
    import archlint
    from archlint import api, reporters
    from archlint.engine import workers

    assert set(reporters.REPORTERS) == {"text", "json", "sarif", "github", "gitlab", "junit", "checklist"}
    assert reporters.REPORTERS["json"] is __import__("archlint.reporters.json_report", fromlist=["render"]).render
    assert archlint.lint is api.lint and {"lint", "fix", "explain", "Report", "Finding"} <= set(dir(archlint))
    assert workers.extract is __import__("archlint.engine.extract", fromlist=["extract"]).extract
