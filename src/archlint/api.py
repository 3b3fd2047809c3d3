"""The composition root and programmatic API: wires config, engine, rules and reporters.

Most tests call this module rather than the CLI."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from archlint.exceptions import UsageError

# Every other module is imported by the function that needs it: ``import archlint.cli``
# stays cheap (help, --version, ``archlint rules``), and a run loads only what it uses
# (no fixes, graph, metrics, SVG, baseline or git code unless asked for).
if TYPE_CHECKING:
    from archlint.config import Settings
    from archlint.domain.baseline import Baseline
    from archlint.domain.metrics import MetricTable
    from archlint.domain.report import Report
    from archlint.fixes import FixReport


def load_baseline(path: Path) -> Baseline:
    """:func:`archlint.engine.baseline_store.load_baseline`, imported on first use."""
    from archlint.engine.baseline_store import load_baseline as load

    return load(path)


def changed_files(ref: str, cwd: Path) -> frozenset[Path]:
    """:func:`archlint.engine.gitdiff.changed_files` (``--diff``), imported on first use."""
    from archlint.engine.gitdiff import changed_files as changed

    return changed(ref, cwd)


def known_codes() -> list[str]:
    """Every rule code, sorted."""
    from archlint.rules import rule_metas

    return [meta.code for meta in rule_metas()]


def settings_for(paths: Sequence[str], *, config: str | None = None, cwd: str | None = None) -> Settings:
    """Settings from the config file that applies to ``paths``."""
    from archlint.config import load_settings
    from archlint.rules import option_tables

    return load_settings(
        paths=list(paths),
        config_file=config,
        option_tables=option_tables(),
        known_codes=known_codes(),
        cwd=Path(cwd or os.getcwd()),
    )


def lint(
    paths: Sequence[str] = (".",),
    *,
    config: str | None = None,
    settings: Settings | None = None,
    select: Sequence[str] | None = None,
    extend_select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    use_cache: bool = True,
    cache_dir: str | None = None,
    jobs: int | None = None,
    cwd: str | None = None,
    baseline: str | None = None,
    ignore_baseline: bool = False,
    diff: str | None = None,
) -> Report:
    """Analyse the project under ``paths`` and return the report.

    ``select`` replaces the configured selection; ``extend_select`` and ``ignore`` add to
    it. ``baseline`` (else the configured ``baseline``, unless ``ignore_baseline``) hides
    the findings a baseline file accepts; ``diff`` (a git revision) reports only findings
    touching files changed since it. Raises :class:`~archlint.exceptions.ArchlintError`
    subclasses for bad usage or configuration."""
    from archlint.domain.selection import unknown_patterns
    from archlint.engine.runner import RunOptions, run
    from archlint.rules import ALL_RULES

    cwd = cwd or os.getcwd()
    paths = list(paths) or ["."]
    base = settings if settings is not None else settings_for(paths, config=config, cwd=cwd)
    codes = known_codes()
    for pattern in [*(select or ()), *extend_select, *ignore]:
        if unknown_patterns([pattern], codes):
            raise UsageError(f"unknown rule code or prefix: {pattern}")
    merged = replace(
        base,
        select=tuple(select) if select is not None else base.select,
        extend_select=base.extend_select + tuple(extend_select),
        ignore=base.ignore + tuple(ignore),
    )
    if jobs is not None and jobs < 1:
        raise UsageError("--jobs must be at least 1")
    chosen = None if ignore_baseline else _baseline_path(baseline, merged, cwd)
    options = RunOptions(
        use_cache=use_cache,
        cache_dir=cache_dir,
        jobs=jobs,
        cwd=cwd,
        baseline=load_baseline(chosen) if chosen is not None else None,
        changed=changed_files(diff, _repository_hint(paths, cwd)) if diff is not None else None,
    )
    return run(paths, merged, ALL_RULES, options)


def _repository_hint(paths: Sequence[str], cwd: str) -> Path:
    """Where to ask git for changed files: the folder of the first analysed path."""
    first = Path(cwd) / paths[0]
    return first if first.is_dir() else first.parent


def _baseline_path(explicit: str | None, settings: Settings, cwd: str) -> Path | None:
    """``--baseline`` (relative to ``cwd``), else ``baseline = "..."`` (relative to the config)."""
    if explicit:
        return Path(cwd) / explicit
    if settings.baseline:
        return Path(settings.root) / settings.baseline
    return None


def write_baseline(report: Report, path: str, *, cwd: str | None = None) -> int:
    """Record every finding of ``report`` in the baseline file ``path`` (relative to
    ``cwd``), atomically; return the number of entries written."""
    from archlint.engine.baseline_store import write_baseline as store_baseline

    return len(store_baseline(Path(cwd or os.getcwd()) / path, report.findings).entries)


def fix(
    paths: Sequence[str] = (".",),
    *,
    write: bool = True,
    config: str | None = None,
    settings: Settings | None = None,
    select: Sequence[str] | None = None,
    extend_select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    use_cache: bool = True,
    cache_dir: str | None = None,
    jobs: int | None = None,
    cwd: str | None = None,
) -> FixReport:
    """Apply the safe fixes of the findings :func:`lint` reports with the same arguments
    (``write=False``: compute them only, for a diff). A file changed since it was analysed
    is skipped and named in :attr:`FixReport.messages`."""
    from archlint.engine.extract import decode_source
    from archlint.fixes import fix_requests

    cwd = cwd or os.getcwd()
    report = lint(
        paths,
        config=config,
        settings=settings,
        select=select,
        extend_select=extend_select,
        ignore=ignore,
        use_cache=use_cache,
        cache_dir=cache_dir,
        jobs=jobs,
        cwd=cwd,
    )
    from archlint.fixes.apply import apply_fixes  # libcst is imported only when fixing

    return apply_fixes(fix_requests(report, cwd), write=write, decode=decode_source)


def explain(code: str) -> str:
    """The full documentation of the rule ``code`` (or name), as printed by ``archlint rule``."""
    from archlint.reporters.ruledoc import rule_text
    from archlint.rules import get_rule

    rule = get_rule(code)
    if rule is None:
        raise UsageError(f"unknown rule: {code} (see 'archlint rules')")
    return rule_text(rule.meta)


def metric_levels() -> list[str]:
    """The levels ``archlint metrics --level`` accepts."""
    from archlint.domain.metric_registry import LEVELS

    return list(LEVELS)


def metrics(
    paths: Sequence[str] = (".",),
    *,
    level: str = "class",
    sort: Sequence[str] = (),
    limit: int | None = None,
    config: str | None = None,
    settings: Settings | None = None,
    use_cache: bool = True,
    cache_dir: str | None = None,
    jobs: int | None = None,
    cwd: str | None = None,
) -> MetricTable:
    """The metrics table of ``level`` (``class``, ``module``, ``package``) for the project
    under ``paths``, worst first by ``sort`` (column keys; the level's default when
    empty), at most ``limit`` rows. No rule runs."""
    from archlint.config.schema import suggest
    from archlint.domain.metric_registry import LEVELS
    from archlint.domain.metrics import build_table
    from archlint.engine.runner import RunOptions, run

    cwd = cwd or os.getcwd()
    paths = list(paths) or ["."]
    chosen = LEVELS.get(level)
    if chosen is None:
        raise UsageError(f"unknown metrics level: {level}{suggest(level, list(LEVELS))}")
    keys = [column.key for column in chosen.columns]
    for key in sort:
        if key not in keys:
            raise UsageError(f"unknown metric for --sort at level {level}: {key}{suggest(key, keys)} (one of {', '.join(keys)})")
    if limit is not None and limit < 0:
        raise UsageError("--limit must not be negative")
    base = settings if settings is not None else settings_for(paths, config=config, cwd=cwd)
    options = RunOptions(use_cache=use_cache, cache_dir=cache_dir, jobs=jobs, cwd=cwd)
    project = run(paths, base, (), options).project
    return build_table(project, chosen, sort=sort, limit=limit)


def graph(
    paths: Sequence[str] = (".",),
    *,
    fmt: str = "dot",
    level: str = "module",
    config: str | None = None,
    settings: Settings | None = None,
    use_cache: bool = True,
    cache_dir: str | None = None,
    jobs: int | None = None,
    cwd: str | None = None,
) -> str:
    """The import graph of the project under ``paths`` rendered as ``fmt`` (``dot``,
    ``mermaid``, ``json``, or ``svg`` through Graphviz ``dot``) at ``level`` (``module`` or
    ``package``), cycle members highlighted. No rule runs."""
    from archlint.config.schema import suggest
    from archlint.engine.runner import RunOptions, run
    from archlint.reporters.graph import GRAPH_RENDERERS, build_model
    from archlint.reporters.graph import LEVELS as GRAPH_LEVELS
    from archlint.reporters.svg import find_dot, to_svg

    cwd = cwd or os.getcwd()
    paths = list(paths) or ["."]
    if fmt not in GRAPH_RENDERERS and fmt != "svg":
        raise UsageError(f"unknown graph format: {fmt}{suggest(fmt, sorted([*GRAPH_RENDERERS, 'svg']))}")
    dot = find_dot() if fmt == "svg" else None  # fail before the analysis
    if level not in GRAPH_LEVELS:
        raise UsageError(f"unknown graph level: {level}{suggest(level, list(GRAPH_LEVELS))}")
    base = settings if settings is not None else settings_for(paths, config=config, cwd=cwd)
    options = RunOptions(use_cache=use_cache, cache_dir=cache_dir, jobs=jobs, cwd=cwd)
    project = run(paths, base, (), options).project
    model = build_model(project, level)
    if dot is not None:
        return to_svg(GRAPH_RENDERERS["dot"](model), dot)
    return GRAPH_RENDERERS[fmt](model)
