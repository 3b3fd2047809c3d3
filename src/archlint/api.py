"""The composition root and programmatic API: wires config, engine, rules and reporters.

Most tests call this module rather than the CLI."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from archlint.config import Settings, load_settings
from archlint.domain.report import Report
from archlint.domain.selection import unknown_patterns
from archlint.engine.extract import decode_source
from archlint.engine.runner import RunOptions, run
from archlint.exceptions import UsageError
from archlint.fixes import FixReport, fix_requests
from archlint.reporters.ruledoc import rule_text
from archlint.rules import ALL_RULES, get_rule, option_tables, rule_metas


def known_codes() -> list[str]:
    """Every rule code, sorted."""
    return [meta.code for meta in rule_metas()]


def settings_for(paths: Sequence[str], *, config: str | None = None, cwd: str | None = None) -> Settings:
    """Settings from the config file that applies to ``paths``."""
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
) -> Report:
    """Analyse the project under ``paths`` and return the report.

    ``select`` replaces the configured selection; ``extend_select`` and ``ignore`` add to
    it. Raises :class:`~archlint.exceptions.ArchlintError` subclasses for bad usage or
    configuration."""
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
    options = RunOptions(use_cache=use_cache, cache_dir=cache_dir, jobs=jobs, cwd=cwd)
    return run(paths, merged, ALL_RULES, options)


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
    rule = get_rule(code)
    if rule is None:
        raise UsageError(f"unknown rule: {code} (see 'archlint rules')")
    return rule_text(rule.meta)
