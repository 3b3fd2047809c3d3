"""The pipeline: discover -> facts (parallel, cached) -> project -> rules -> ignores -> sort.

Never prints: warnings are returned on the result for the caller to show."""

from __future__ import annotations

import fnmatch
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from archlint.config.schema import Settings
from archlint.domain.contracts import ContractOptions
from archlint.domain.facts import FileFacts, ParseProblem
from archlint.domain.finding import Finding
from archlint.domain.report import Report
from archlint.domain.rule import Rule, RuleMeta
from archlint.domain.selection import matches
from archlint.domain.baseline import Baseline
from archlint.engine.adoption import narrow
from archlint.engine.cache import FactsCache, cache_key, content_hash
from archlint.engine.discovery import SourceFile, discover
from archlint.engine.repo_facts import build_project
from archlint.engine.suppress import apply_suppressions
from archlint.engine.workers import Job, default_jobs, extract_many
from archlint.exceptions import ArchlintError

if TYPE_CHECKING:
    from archlint.domain.project import Project


class RuleCrashed(ArchlintError):
    """A rule raised: a bug in archlint, reported with the rule's code."""


@dataclass(frozen=True, kw_only=True)
class RunOptions:
    """Per-invocation switches that are not project settings."""

    use_cache: bool = True
    cache_dir: str | None = None
    jobs: int | None = None
    cwd: str = "."
    baseline: Baseline | None = None
    """Report only findings this baseline does not accept (or that got worse)."""
    changed: frozenset[Path] | None = None
    """``--diff``: report only findings touching these files (absolute, resolved)."""


def collect_facts(files: Sequence[SourceFile], *, cache: FactsCache | None, workers: int) -> list[FileFacts]:
    """Facts for every file: from the cache when the content is unchanged, else parsed."""
    facts: list[FileFacts | None] = [None] * len(files)
    pending: list[tuple[int, Job, str]] = []
    for index, file in enumerate(files):
        try:
            with open(file.abspath, "rb") as handle:
                source = handle.read()
        except OSError as exc:
            facts[index] = FileFacts(
                path=file.path,
                module=file.module,
                is_package=file.is_package,
                error=ParseProblem(message=f"cannot read file: {exc.strerror or exc}"),
            )
            continue
        digest = content_hash(source)
        cached = cache.get(file.path, digest) if cache else None
        if cached is not None and cached.module == file.module and cached.is_package == file.is_package:
            facts[index] = cached
            continue
        pending.append((index, Job(source, file.path, file.module, file.is_package), digest))
    extracted = extract_many([job for _, job, _ in pending], workers)
    for (index, _, digest), result in zip(pending, extracted):
        facts[index] = result
        if cache is not None:
            cache.put(result.path, digest, result)
    return [item for item in facts if item is not None]


def _per_file_ignored(finding: Finding, settings: Settings, root: Path, cwd: Path) -> bool:
    if not settings.per_file_ignores:
        return False
    try:
        rel = (cwd / finding.path).resolve().relative_to(root).as_posix()
    except ValueError:
        rel = finding.path
    name = rel.rsplit("/", 1)[-1]
    for glob, codes in settings.per_file_ignores:
        target = rel if "/" in glob else name
        if (fnmatch.fnmatchcase(target, glob) or fnmatch.fnmatchcase(rel, glob)) and matches(finding.code, codes):
            return True
    return False


def run_rules(
    project: Project, rules: Sequence[type[Rule]], settings: Settings, notes: list[str] | None = None
) -> list[Finding]:
    """Findings of every enabled rule; what rules say about the run goes to ``notes``."""
    selection = settings.selection
    findings: list[Finding] = []
    for rule_type in rules:
        meta = rule_type.meta
        if not selection.enabled(meta):
            continue
        options = settings.option(meta.options_table, meta.options) if meta.options_table and meta.options else (
            meta.options() if meta.options else None
        )
        if meta.options is ContractOptions:
            options = ContractOptions(contracts=settings.contracts, layers_auto=settings.layers_auto)
        try:
            rule = rule_type()
            findings.extend(rule.check(project, options))
            if notes is not None:
                notes.extend(rule.notes(project, options))
        except Exception as exc:  # noqa: BLE001 - a rule bug must be reported, not a traceback
            raise RuleCrashed(f"rule {meta.code} ({meta.name}) failed: {type(exc).__name__}: {exc}") from exc
    return findings


def _enabled_metas(rules: Sequence[type[Rule]], settings: Settings) -> tuple[RuleMeta, ...]:
    """Metadata of the rules that run under ``settings``, sorted by code."""
    selection = settings.selection
    return tuple(sorted((r.meta for r in rules if selection.enabled(r.meta)), key=lambda meta: meta.code))


def run(paths: Sequence[str], settings: Settings, rules: Sequence[type[Rule]], options: RunOptions) -> Report:
    """Analyse the project under ``paths``."""
    started = time.perf_counter()
    cwd = Path(options.cwd).resolve()
    root = Path(settings.root).resolve()
    warnings: list[str] = []
    files = discover(paths, exclude=settings.all_excludes, project_root=root, cwd=str(cwd), warnings=warnings)
    cache: FactsCache | None = None
    if options.use_cache:
        directory = Path(options.cache_dir or settings.cache_dir or ".archlint_cache")
        if not directory.is_absolute():
            directory = (cwd if options.cache_dir else root) / directory
        cache = FactsCache(directory, cache_key())
        cache.load()
    workers = options.jobs or settings.jobs or default_jobs()
    facts = collect_facts(files, cache=cache, workers=workers)
    if cache is not None:
        cache.save()
        warnings.extend(cache.warnings)
    project = build_project(facts, files, paths=paths, root=root, has_config=bool(settings.config_path), cwd=cwd)
    notes: list[str] = []
    findings = [f for f in run_rules(project, rules, settings, notes) if not _per_file_ignored(f, settings, root, cwd)]
    selection = settings.selection
    suppressed = apply_suppressions(
        project, findings, rules=rules, selection=selection, keep=lambda f: not _per_file_ignored(f, settings, root, cwd)
    )
    narrowed = narrow(
        suppressed.kept,
        baseline=options.baseline,
        changed=options.changed,
        cwd=cwd,
        enabled_codes=selection.codes_enabled([rule.meta for rule in rules]),
        analysed_paths={f.path for f in files},
    )
    return Report(
        findings=tuple(narrowed.findings),
        suppressed=suppressed.silenced,
        baseline=narrowed.baseline,
        project=project,
        files=len(files),
        modules=len({f.module for f in files if f.module}),
        duration_s=time.perf_counter() - started,
        warnings=tuple(warnings) + narrowed.warnings,
        rules=_enabled_metas(rules, settings),
        notes=tuple(notes) + narrowed.notes,
    )
