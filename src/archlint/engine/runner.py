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
from archlint.domain.finding import Finding, sort_findings
from archlint.domain.project import DeferredProject, Project
from archlint.domain.report import Report
from archlint.domain.rule import Rule, RuleMeta
from archlint.domain.selection import matches
from archlint.engine.adoption import narrow
from archlint.engine.cache import FactsCache, cache_key
from archlint.engine.discovery import FolderListings, discover
from archlint.engine.facts_stage import extract_pending, facts_of, partial_facts, read_states
from archlint.engine.incremental import MemoInputs, RuleCrashed, RuleRun, suppression_view
from archlint.engine.repo_facts import repository_facts
from archlint.engine.suppress import apply_suppressions

if TYPE_CHECKING:
    from archlint.domain.baseline import Baseline
    from archlint.domain.checklist_facts import RepoFacts

__all__ = ["RuleCrashed", "RunOptions", "run", "run_rules"]


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


class _PerFileIgnores:
    """``per-file-ignores`` of the settings, judged once per finding with each file's
    path relative to the project root resolved once per file (``resolve()`` costs
    system calls: ten thousand findings on a few hundred files made it a third of a
    second)."""

    def __init__(self, settings: Settings, root: Path, cwd: Path) -> None:
        self._patterns = settings.per_file_ignores
        self._root = root
        self._cwd = cwd
        self._relative: dict[str, tuple[str, str]] = {}

    def _paths(self, path: str) -> tuple[str, str]:
        found = self._relative.get(path)
        if found is None:
            try:
                rel = (self._cwd / path).resolve().relative_to(self._root).as_posix()
            except ValueError:
                rel = path
            found = self._relative[path] = (rel, rel.rsplit("/", 1)[-1])
        return found

    def ignored(self, finding: Finding) -> bool:
        """Whether a ``per-file-ignores`` entry silences ``finding``."""
        if not self._patterns:
            return False
        rel, name = self._paths(finding.path)
        for glob, codes in self._patterns:
            target = rel if "/" in glob else name
            if (fnmatch.fnmatchcase(target, glob) or fnmatch.fnmatchcase(rel, glob)) and matches(finding.code, codes):
                return True
        return False


def run_rules(
    project: Project, rules: Sequence[type[Rule]], settings: Settings, notes: list[str] | None = None
) -> list[Finding]:
    """Findings of every enabled rule on ``project``, without any memo; what rules say
    about the run goes to ``notes``."""
    runner = RuleRun(settings, None, None, project=lambda: project, subset=lambda paths: project)
    findings: list[Finding] = []
    for rule_type in rules:
        if settings.selection.enabled(rule_type.meta):
            found, said = runner.run(rule_type)
            findings.extend(found)
            if notes is not None:
                notes.extend(said)
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
    cache: FactsCache | None = None
    listings: FolderListings | None = None
    if options.use_cache:
        directory = Path(options.cache_dir or settings.cache_dir or ".archlint_cache")
        if not directory.is_absolute():
            directory = (cwd if options.cache_dir else root) / directory
        cache = FactsCache(directory, cache_key())
        cache.load()
        listings = FolderListings(cache.load_side("folders"), time.time_ns())
    files = discover(
        paths, exclude=settings.all_excludes, project_root=root, cwd=str(cwd), warnings=warnings, listings=listings
    )
    workers = options.jobs or settings.jobs or None
    states, pending = read_states(files, cache)
    extract_pending(states, pending, cache, workers)
    states.sort(key=lambda state: state.file.path)

    repo_known: list[RepoFacts | None] = []

    def repo() -> RepoFacts | None:
        if not repo_known:
            repo_known.append(repository_facts(files, paths=paths, root=root, has_config=bool(settings.config_path), cwd=cwd))
        return repo_known[0]

    project = DeferredProject(lambda: facts_of(states, cache, workers), root=str(root), load_repo=repo)
    partial = DeferredProject(lambda: partial_facts(states, cache, workers, memo.needed), root=str(root), load_repo=repo)
    decodes = any(state.facts is None for state in states)

    def rules_project() -> Project:
        """What the rules that must run see: only the fields they read are decoded
        from the cache (the whole project when all are read or nothing is cached)."""
        return partial if decodes and memo.needed is not None else project

    by_path = {state.file.path: state for state in states}

    def subset(wanted: Sequence[str]) -> Project:
        return Project(facts_of([by_path[path] for path in wanted], cache, workers), root=str(root), repo=repo())

    inputs = None
    if cache is not None:
        inputs = MemoInputs([(s.file.path, s.entry) for s in states if s.entry is not None], root=str(root), repo=repo)
    memo = RuleRun(settings, cache, inputs, project=rules_project, subset=subset, jobs=workers)
    selection = settings.selection
    enabled = [rule_type for rule_type in rules if selection.enabled(rule_type.meta)]

    per_file = _PerFileIgnores(settings, root, cwd)

    def rules_and_suppressions() -> tuple[list[Finding], int, list[str]]:
        found: list[Finding] = []
        said: list[str] = []
        memo.prepare(enabled)
        for rule_findings, rule_notes in memo.run_all(enabled):
            found.extend(rule_findings)
            said.extend(rule_notes)
        findings = [f for f in found if not per_file.ignored(f)]
        suppressed = apply_suppressions(
            suppression_view(states, project, cache),
            findings,
            rules=rules,
            selection=selection,
            keep=lambda f: not per_file.ignored(f),
            accepted=memo.accepted_import_lines,
        )
        return sort_findings(suppressed.kept), suppressed.silenced, said

    context = "|".join([str(cwd), ",".join(r.meta.code for r in rules), ",".join(r.meta.code for r in enabled)])
    kept, silenced, notes = memo.outcome(context, enabled, rules_and_suppressions)
    narrowed = narrow(
        kept,
        presorted=True,
        baseline=options.baseline,
        changed=options.changed,
        cwd=cwd,
        enabled_codes=selection.codes_enabled([rule.meta for rule in rules]),
        analysed_paths={f.path for f in files},
    )
    if cache is not None:
        cache.save()
        if listings is not None and listings.changed():
            cache.save_side("folders", listings.fresh)
        warnings.extend(cache.warnings)
    return Report(
        findings=tuple(narrowed.findings),
        suppressed=silenced,
        baseline=narrowed.baseline,
        project=project,
        files=len(files),
        modules=len({f.module for f in files if f.module}),
        duration_s=time.perf_counter() - started,
        warnings=tuple(warnings) + narrowed.warnings,
        rules=_enabled_metas(rules, settings),
        notes=tuple(notes) + narrowed.notes,
        rules_run=tuple(memo.ran),
        derive=memo.derived if cache is not None else None,
    )
