"""The command line: parse -> api -> reporter -> exit code. Nothing else lives here."""

from __future__ import annotations

import gc
import json
import os
import sys
from enum import IntEnum
from pathlib import Path
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from archlint import api
from archlint._version import __version__
from archlint.atomic import atomic_write
from archlint.exceptions import ArchlintError, UsageError
from archlint.reporters import REPORTERS

if TYPE_CHECKING:  # what only some commands use is imported where it is used (startup time)
    from archlint.domain.report import Report
    from archlint.fixes import FixReport

ISSUES_URL = "https://github.com/archlint/archlint/issues"


class CommandProcess:
    """The process that is the command (:func:`main` called without arguments): the
    results it keeps until it ends, and how it ends.

    When the command is done there is nothing left to do but give the memory back, yet
    freeing a cold Django run's facts and findings object by object, then the
    interpreter's teardown, cost about 30 ms of a 0.75 s run. So the command ends as
    mypy does: its output flushed, straight through ``os._exit``, the results still
    alive (:meth:`retain`). Every file it writes (reports, cache, baseline) is complete
    and closed before then; a caller that passes ``argv`` (tests, embedding programs)
    ends normally."""

    def __init__(self) -> None:
        self._retained: list[object] = []

    def retain(self, value: object) -> None:
        """Keep ``value`` alive until the process ends (not freed object by object)."""
        self._retained.append(value)

    def end(self, code: int) -> NoReturn:
        """Flush the output and end the process with ``code``."""
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a closed pipe or stream: nothing more to say
                pass
        os._exit(code)


def _retain(value: object) -> None:
    """Keep ``value`` alive until the command's process ends (see :class:`CommandProcess`);
    nothing when the CLI runs inside a caller's process."""
    context = click.get_current_context(silent=True)
    process = context.find_object(CommandProcess) if context is not None else None
    if process is not None:
        process.retain(value)


class ExitCode(IntEnum):
    """What the process exit status means."""

    OK = 0
    FINDINGS = 1
    ERROR = 2


def _codes(values: tuple[str, ...]) -> tuple[str, ...]:
    """``--select A,B --select C`` -> ``("A", "B", "C")``."""
    return tuple(code.strip().upper() for value in values for code in value.split(",") if code.strip())


def _colour(stream: Any) -> bool:
    return "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()


class DefaultGroup(click.Group):
    """A group whose default subcommand is ``check``: ``archlint src/`` is ``archlint check src/``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Insert ``check`` unless the first argument names a subcommand or asks for help."""
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = ["check", *args]
        return super().parse_args(ctx, args)


class _LazyChoice(click.Choice):  # type: ignore[type-arg]
    """A :class:`click.Choice` whose values are asked for when a command line is parsed or
    help is shown, not when the CLI is imported (``metrics --level`` names come from the
    metrics registry, which loads the domain's metric providers)."""

    def __init__(self, values: Callable[[], Sequence[str]]) -> None:
        self._values = values
        self._loaded: tuple[str, ...] | None = None
        super().__init__(())

    @property  # type: ignore[override]
    def choices(self) -> tuple[str, ...]:
        """The values, computed once on first use."""
        if self._loaded is None:
            self._loaded = tuple(self._values())
        return self._loaded

    @choices.setter
    def choices(self, value: Sequence[str]) -> None:
        """Ignored: ``click.Choice.__init__`` assigns the (empty) placeholder."""


_PROJECT_OPTIONS = (
    click.option("--config", "config_file", type=click.Path(dir_okay=False), help="A pyproject.toml or archlint.toml to use."),
    click.option("--no-cache", is_flag=True, help="Do not read or write the facts cache."),
    click.option("--cache-dir", type=click.Path(file_okay=False), help="Where the facts cache lives (default .archlint_cache)."),
    click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes (default: one per core)."),
    click.option("--debug", is_flag=True, help="Show the traceback of an internal error."),
)

Command = TypeVar("Command", bound=Callable[..., Any])


def _project_options(command: Command) -> Command:
    """The options every command that analyses a project takes, declared once."""
    for option in reversed(_PROJECT_OPTIONS):
        command = option(command)
    return command


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="archlint")
def cli() -> None:
    """archlint: architectural red flags in Python code (import cycles, god objects,
    tight coupling, missing type hints), aligned to an architecture checklist.

    `archlint PATHS` is short for `archlint check PATHS`. A folder named like a
    subcommand is written `./graph`."""


def _write_outputs(report: Report, fmt: str, output_files: tuple[str, ...], colour: bool) -> None:
    targets: list[tuple[str, str | None]] = []
    redirected = False  # a bare `-o PATH` takes --format's output off stdout; FORMAT=PATH adds a report
    for item in output_files:
        name, sep, path = item.partition("=")
        if sep and name in REPORTERS:
            targets.append((name, path))
        else:
            targets.append((fmt, item))
            redirected = True
    if not redirected:
        targets.append((fmt, None))
    from archlint.reporters import text as text_reporter

    for name, path in targets:
        if path is None:
            rendered = text_reporter.render(report, colour=colour) if name == "text" else REPORTERS[name](report)
            click.echo(rendered, nl=False, color=colour)
        else:
            try:
                atomic_write(Path(path), REPORTERS[name](report).encode("utf-8"))
            except OSError as exc:
                raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    if any(name == "github" for name, _ in targets):
        from archlint.reporters import github as github_reporter

        try:
            github_reporter.append_step_summary(report, os.environ, os.getcwd())
        except OSError as exc:
            raise UsageError(f"cannot append to GITHUB_STEP_SUMMARY: {exc.strerror or exc}") from None


def _report_fixes(fixed: FixReport, *, preview: bool, quiet: bool) -> bool:
    """Show what ``--fix`` did; with ``--diff`` print the diff and return True (done)."""
    for message in fixed.messages:
        click.echo(f"archlint: {message}", err=True)
    if preview:
        click.echo(fixed.diff(), nl=False)
    if not quiet:
        verb = "would fix" if preview else "fixed"
        click.echo(f"archlint: {verb} {fixed.applied} finding(s) in {len(fixed.changed_files)} file(s)", err=True)
    return preview


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(sorted(REPORTERS)), default="text", show_default=True, help="Output format.")
@click.option("--select", multiple=True, help="Rule codes or prefixes to run (replaces the configured selection).")
@click.option("--extend-select", multiple=True, help="Rule codes or prefixes to run in addition.")
@click.option("--ignore", multiple=True, help="Rule codes or prefixes to skip (adds to the configured ignores).")
@_project_options
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when failing findings are reported.")
@click.option("--output-file", "-o", multiple=True, help="Write the report to a file; FORMAT=PATH picks the format (repeatable).")
@click.option("--quiet", "-q", is_flag=True, help="No summary on stderr.")
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule.")
@click.option("--fix", is_flag=True, help="Apply safe fixes (with --diff: print them as a unified diff, write nothing).")
@click.option(
    "--diff",
    "diff_ref",
    is_flag=False,
    flag_value="origin/main",
    default=None,
    help="Report only findings in files changed since REF (default origin/main); with --fix, preview fixes.",
)
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), help="Report only findings not in this baseline.")
@click.option("--write-baseline", "write_baseline", type=click.Path(dir_okay=False), help="Record every current finding in a baseline file.")
def check(
    paths: tuple[str, ...],
    fmt: str,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    config_file: str | None,
    no_cache: bool,
    cache_dir: str | None,
    jobs: int | None,
    exit_zero: bool,
    output_file: tuple[str, ...],
    quiet: bool,
    statistics: bool,
    fix: bool,
    diff_ref: str | None,
    baseline_file: str | None,
    write_baseline: str | None,
    debug: bool,
) -> int:
    """Analyse the project under PATHS (default: the current directory)."""
    del debug  # handled by main()
    if diff_ref is not None and os.path.exists(diff_ref):
        paths, diff_ref = (*paths, diff_ref), "origin/main"  # `--fix --diff src/`: a path, not a REF
    if write_baseline and (fix or diff_ref is not None):
        raise UsageError("--write-baseline records every finding: it cannot be combined with --fix or --diff")
    targets = list(paths) or ["."]
    settings = api.settings_for(targets, config=config_file)
    if fix:
        fixed = api.fix(
            targets,
            write=diff_ref is None,
            settings=settings,
            select=_codes(select) or None,
            extend_select=_codes(extend_select),
            ignore=_codes(ignore),
            use_cache=not no_cache,
            cache_dir=cache_dir,
            jobs=jobs,
        )
        if _report_fixes(fixed, preview=diff_ref is not None, quiet=quiet):
            return ExitCode.FINDINGS if fixed.changed_files and not exit_zero else ExitCode.OK
    report = api.lint(
        targets,
        settings=settings,
        select=_codes(select) or None,
        extend_select=_codes(extend_select),
        ignore=_codes(ignore),
        use_cache=not no_cache,
        cache_dir=cache_dir,
        jobs=jobs,
        baseline=baseline_file,
        ignore_baseline=bool(write_baseline),
        diff=None if fix else diff_ref,
    )
    _retain(report)
    from archlint.reporters import text as text_reporter

    for warning in report.warnings:
        click.echo(f"archlint: warning: {warning}", err=True)
    # With --write-baseline the report is still rendered (every format and -o target),
    # then every finding it shows is accepted into the baseline: the run succeeds.
    _write_outputs(report, fmt, output_file, _colour(sys.stdout))
    if statistics:
        click.echo(text_reporter.statistics(report), nl=False, err=fmt != "text")
    if not quiet:
        click.echo(text_reporter.summary(report), err=True)
    if write_baseline:
        entries = api.write_baseline(report, write_baseline)
        if not quiet:
            click.echo(f"archlint: wrote {entries} baseline entries ({len(report.findings)} findings) to {write_baseline}.", err=True)
        return ExitCode.OK
    if report.failing(settings.fail_on) and not exit_zero:
        return ExitCode.FINDINGS
    return ExitCode.OK


@cli.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_command(fmt: str) -> int:
    """List every rule: code, name, default severity, summary."""
    from archlint.reporters.ruledoc import rules_table
    from archlint.rules import rule_metas

    metas = rule_metas()
    if fmt == "json":
        data = [
            {
                "code": m.code,
                "name": m.name,
                "severity": m.severity.value,
                "checklist": list(m.checklist),
                "summary": m.summary,
                "default_enabled": m.default_enabled,
            }
            for m in metas
        ]
        click.echo(json.dumps(data, indent=2))
    else:
        click.echo(rules_table(metas), nl=False)
    return ExitCode.OK


@cli.command("rule")
@click.argument("code")
def rule_command(code: str) -> int:
    """Print the full documentation of one rule (by code or name)."""
    click.echo(api.explain(code), nl=False)
    return ExitCode.OK


def _metrics_formats() -> list[str]:
    from archlint.reporters.metrics import METRICS_RENDERERS

    return list(METRICS_RENDERERS)


@cli.command("metrics")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=_LazyChoice(_metrics_formats), default="table", show_default=True, help="Output format.")
@click.option("--level", type=_LazyChoice(api.metric_levels), default="class", show_default=True, help="One row per class, module or package.")
@click.option("--sort", "sort", multiple=True, help="Metric key(s) to sort by, worst first (default per level: class wmc, module complexity).")
@click.option("--limit", "-n", type=click.IntRange(min=0), help="Show only the N worst rows.")
@_project_options
def metrics_command(
    paths: tuple[str, ...],
    fmt: str,
    level: str,
    sort: tuple[str, ...],
    limit: int | None,
    config_file: str | None,
    no_cache: bool,
    cache_dir: str | None,
    jobs: int | None,
    debug: bool,
) -> int:
    """Print the metrics behind the findings (class: WMC, ATFD, TCC, LCOM4, NOM, NOA, LOC;
    module: size, complexity, fan-in, fan-out; package: size), worst first."""
    del debug  # handled by main()
    targets = list(paths) or ["."]
    table = api.metrics(
        targets,
        level=level,
        sort=_codes_lower(sort),
        limit=limit,
        config=config_file,
        use_cache=not no_cache,
        cache_dir=cache_dir,
        jobs=jobs,
    )
    from archlint.reporters.metrics import METRICS_RENDERERS

    click.echo(METRICS_RENDERERS[fmt](table), nl=False)
    return ExitCode.OK


def _codes_lower(values: tuple[str, ...]) -> tuple[str, ...]:
    """``--sort wmc,atfd --sort loc`` -> ``("wmc", "atfd", "loc")`` (``fan-in`` is ``fan_in``)."""
    return tuple(key.strip().lower().replace("-", "_") for value in values for key in value.split(",") if key.strip())


@cli.command("graph")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["dot", "mermaid", "json", "svg"]),
    default="dot",
    show_default=True,
    help="Output format (svg needs Graphviz `dot` on PATH).",
)
@click.option("--level", type=click.Choice(["module", "package"]), default="module", show_default=True, help="One node per module or per package.")
@_project_options
def graph_command(
    paths: tuple[str, ...],
    fmt: str,
    level: str,
    config_file: str | None,
    no_cache: bool,
    cache_dir: str | None,
    jobs: int | None,
    debug: bool,
) -> int:
    """Print the module (or package) import graph: cycle members highlighted, edges
    labelled module-level / deferred / type-checking."""
    del debug  # handled by main()
    rendered = api.graph(
        list(paths) or ["."],
        fmt=fmt,
        level=level,
        config=config_file,
        use_cache=not no_cache,
        cache_dir=cache_dir,
        jobs=jobs,
    )
    click.echo(rendered, nl=False)
    return ExitCode.OK


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI and turn every error into one line and exit code 2."""
    args = sys.argv[1:] if argv is None else argv
    # Without ``argv`` this process is the command (its arguments are the process's):
    # it ends without freeing what it built (CommandProcess).
    process = CommandProcess() if argv is None else None
    # A run builds millions of long-lived objects (facts, findings) and almost no cyclic
    # garbage (a few hundred objects per run, measured on Django, SymPy and --fix), so the
    # cyclic collector would only re-scan the growing heap: 0.2 to 0.3 s of a 1 s warm
    # Django run. Reference counting still frees everything; forked workers inherit the
    # setting. Restored afterwards for callers that run the CLI in their own process,
    # but not in the command's own process, which ends at once: re-enabled, the collector
    # would scan every object made since it was disabled as its youngest generation at
    # the next allocation (16 ms of a cold Django run, between the summary and the exit).
    collecting = gc.isenabled()
    gc.disable()
    try:
        code = _dispatch(args, debug="--debug" in args, process=process)
    finally:
        if collecting and process is None:
            gc.enable()
    if process is not None:
        process.end(int(code or 0))
    sys.exit(int(code or 0))


def _dispatch(args: list[str], *, debug: bool, process: CommandProcess | None = None) -> int:
    """Run the command line; every error becomes one line and exit code 2."""
    try:
        code = cli.main(args=args, prog_name="archlint", standalone_mode=False, obj=process)
    except click.exceptions.Abort:
        click.echo("archlint: aborted", err=True)
        code = ExitCode.ERROR
    except click.ClickException as exc:
        exc.show()
        code = ExitCode.ERROR
    except ArchlintError as exc:
        for message in str(exc).splitlines() or [type(exc).__name__]:
            click.echo(f"archlint: error: {message}", err=True)
        code = ExitCode.ERROR
    except KeyboardInterrupt:
        click.echo("archlint: interrupted", err=True)
        code = ExitCode.ERROR
    except Exception as exc:  # noqa: BLE001 - never a traceback unless asked
        if debug:
            import traceback

            traceback.print_exc()
        click.echo(
            f"archlint: internal error: {type(exc).__name__}: {exc} "
            f"(please report it at {ISSUES_URL}; rerun with --debug for the traceback)",
            err=True,
        )
        code = ExitCode.ERROR
    return int(code or 0)
