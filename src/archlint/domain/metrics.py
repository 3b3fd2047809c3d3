"""The numbers behind the findings: tables of metrics per class, module or package.

A table is built from a *level* (what the rows are about) and a list of *providers*
(each contributes some columns, computed from the read-only project). Rule families add
columns by writing a provider next to their own code and listing it in
``domain/metric_registry.py``; nothing here needs to change. The built-in providers of
the god-object family (class metrics, module size, module fan-in/fan-out, package size)
live here too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from archlint.domain.facts import FileFacts
from archlint.domain.project import Project

Value = int | float | None
"""A metric value; ``None`` when the metric does not apply (TCC of a one-method class)."""


@dataclass(frozen=True, kw_only=True)
class Column:
    """One metric column: its key (JSON/CSV/``--sort``), its table title and its meaning."""

    key: str
    title: str
    doc: str
    higher_is_worse: bool = True
    digits: int = 0
    """Decimals shown in the table for a float column."""


@dataclass(frozen=True, kw_only=True)
class Subject:
    """What a row is about: a class, a module or a package, and where it is."""

    key: str
    """Unique within the level: ``pkg.mod:Outer.Inner``, ``pkg.mod`` or ``pkg``."""
    path: str
    line: int = 1


SubjectKey = str
Values = Mapping[SubjectKey, Mapping[str, Value]]


@dataclass(frozen=True, kw_only=True)
class MetricProvider:
    """Contributes ``columns`` to a level: ``compute(project)`` maps each subject key to
    its values by column key (a missing subject or key is shown as not applicable)."""

    name: str
    columns: tuple[Column, ...]
    compute: Callable[[Project], Values]


@dataclass(frozen=True, kw_only=True)
class MetricLevel:
    """Rows of one kind (``class``, ``module``, ``package``) and the columns they get."""

    name: str
    subjects: Callable[[Project], Sequence[Subject]]
    providers: tuple[MetricProvider, ...]
    default_sort: tuple[str, ...]
    """Column keys that define "worst first" when the user does not choose."""

    @property
    def columns(self) -> tuple[Column, ...]:
        """Every column of every provider, in provider order."""
        return tuple(column for provider in self.providers for column in provider.columns)


@dataclass(frozen=True)
class MetricRow:
    """One subject and its values, in the table's column order."""

    subject: Subject
    values: tuple[Value, ...]


@dataclass(frozen=True)
class MetricTable:
    """A sorted metrics table, ready for a renderer."""

    level: str
    columns: tuple[Column, ...]
    rows: tuple[MetricRow, ...]
    sort: tuple[str, ...]
    total: int
    """Rows before ``limit`` was applied."""


def _rank(value: Value, higher_is_worse: bool) -> tuple[int, float]:
    if value is None:
        return (1, 0.0)
    return (0, -float(value) if higher_is_worse else float(value))


def build_table(
    project: Project, level: MetricLevel, *, sort: Sequence[str] | None = None, limit: int | None = None
) -> MetricTable:
    """The rows of ``level`` for ``project``, worst first by ``sort`` (column keys; the
    level's default when empty), ties broken by subject key. Raises ``ValueError`` for
    an unknown sort key."""
    columns = level.columns
    index = {column.key: position for position, column in enumerate(columns)}
    order = tuple(sort) if sort else level.default_sort
    unknown = [key for key in order if key not in index]
    if unknown:
        raise ValueError(f"unknown metric column: {', '.join(unknown)}")
    computed = [provider.compute(project) for provider in level.providers]
    rows = []
    for subject in level.subjects(project):
        values: list[Value] = []
        for provider, data in zip(level.providers, computed):
            own = data.get(subject.key, {})
            values.extend(own.get(column.key) for column in provider.columns)
        rows.append(MetricRow(subject, tuple(values)))
    rows.sort(
        key=lambda row: (
            tuple(_rank(row.values[index[key]], columns[index[key]].higher_is_worse) for key in order),
            row.subject.key,
        )
    )
    total = len(rows)
    if limit is not None:
        rows = rows[:limit]
    return MetricTable(level=level.name, columns=columns, rows=tuple(rows), sort=order, total=total)


# -- built-in subjects ---------------------------------------------------------------


def _analysed(project: Project) -> list[FileFacts]:
    return [facts for facts in project.files if facts.error is None]


def module_key(facts: FileFacts) -> str:
    """The row key of a module: its dotted name, or its path when it has none."""
    return facts.module or facts.path


def class_subjects(project: Project) -> list[Subject]:
    """Every class of every analysed file (nested and local classes included)."""
    return [
        Subject(key=f"{module_key(facts)}:{cls.qualname}", path=facts.path, line=cls.line)
        for facts in _analysed(project)
        for cls in facts.classes
    ]


def module_subjects(project: Project) -> list[Subject]:
    """Every analysed module."""
    return [Subject(key=module_key(facts), path=facts.path, line=1) for facts in _analysed(project)]


def packages_of(project: Project) -> dict[str, list[FileFacts]]:
    """Package name -> the analysed modules under it (recursively, ``__init__`` included).

    Packages are the modules that are packages plus every dotted prefix of a module name
    (namespace packages)."""
    members: dict[str, list[FileFacts]] = {}
    for facts in _analysed(project):
        if not facts.module:
            continue
        parts = facts.module.split(".")
        own = len(parts) if facts.is_package else len(parts) - 1
        for end in range(1, own + 1):
            members.setdefault(".".join(parts[:end]), []).append(facts)
    return dict(sorted(members.items()))


def package_subjects(project: Project) -> list[Subject]:
    """Every package: located on its ``__init__.py`` when it has one."""
    subjects = []
    for name, files in packages_of(project).items():
        init = next((f for f in files if f.module == name and f.is_package), None)
        path = init.path if init else files[0].path.rsplit("/", 1)[0] + "/"
        subjects.append(Subject(key=name, path=path, line=1))
    return subjects


# -- built-in providers ----------------------------------------------------------------

CLASS_METRICS_COLUMNS = (
    Column(key="wmc", title="WMC", doc="Weighted methods per class: summed cyclomatic complexity of the methods."),
    Column(key="atfd", title="ATFD", doc="Access to foreign data: distinct attributes of other objects read."),
    Column(
        key="tcc",
        title="TCC",
        doc="Tight class cohesion: share of public-method pairs using a common attribute (lower is worse).",
        higher_is_worse=False,
        digits=2,
    ),
    Column(key="lcom4", title="LCOM4", doc="Groups of methods that share no attribute and no call."),
    Column(key="nom", title="NOM", doc="Number of methods."),
    Column(key="noa", title="NOA", doc="Number of attributes (class body and self.x assignments)."),
    Column(key="loc", title="LOC", doc="Non-blank, non-comment, non-docstring lines of the class."),
)


def _class_metrics(project: Project) -> Values:
    return {
        f"{module_key(facts)}:{cls.qualname}": {
            "wmc": cls.wmc,
            "atfd": cls.atfd,
            "tcc": cls.tcc,
            "lcom4": cls.lcom4,
            "nom": cls.nom,
            "noa": cls.noa,
            "loc": cls.loc,
        }
        for facts in _analysed(project)
        for cls in facts.classes
    }


CLASS_METRICS = MetricProvider(name="class-metrics", columns=CLASS_METRICS_COLUMNS, compute=_class_metrics)

MODULE_SIZE_COLUMNS = (
    Column(key="loc", title="LOC", doc="Non-blank, non-comment, non-docstring lines."),
    Column(key="classes", title="classes", doc="Top-level classes."),
    Column(key="functions", title="functions", doc="Top-level functions."),
    Column(key="definitions", title="defs", doc="Top-level classes plus functions."),
    Column(key="complexity", title="complexity", doc="Summed cyclomatic complexity of functions and methods."),
)


def _module_size(project: Project) -> Values:
    return {
        module_key(facts): {
            "loc": facts.module_stats.loc,
            "classes": facts.module_stats.classes,
            "functions": facts.module_stats.functions,
            "definitions": facts.module_stats.definitions,
            "complexity": facts.module_stats.complexity,
        }
        for facts in _analysed(project)
    }


MODULE_SIZE = MetricProvider(name="module-size", columns=MODULE_SIZE_COLUMNS, compute=_module_size)

MODULE_FAN_COLUMNS = (
    Column(key="fan_in", title="fan-in", doc="First-party modules that import this one (runtime imports)."),
    Column(key="fan_out", title="fan-out", doc="First-party modules this one imports (runtime imports)."),
)


def _module_fan(project: Project) -> Values:
    graph = project.graph.digraph()
    return {
        module: {"fan_in": graph.in_degree(module), "fan_out": graph.out_degree(module)}
        for module in sorted(project.graph.modules)
    }


MODULE_FAN = MetricProvider(name="module-fan", columns=MODULE_FAN_COLUMNS, compute=_module_fan)

PACKAGE_SIZE_COLUMNS = (
    Column(key="modules", title="modules", doc="Modules in the package and its subpackages."),
    Column(key="loc", title="LOC", doc="Non-blank, non-comment, non-docstring lines of those modules."),
    Column(key="classes", title="classes", doc="Top-level classes of those modules."),
    Column(key="functions", title="functions", doc="Top-level functions of those modules."),
    Column(key="complexity", title="complexity", doc="Summed cyclomatic complexity of those modules."),
)


def _package_size(project: Project) -> Values:
    return {
        name: {
            "modules": len(files),
            "loc": sum(f.module_stats.loc for f in files),
            "classes": sum(f.module_stats.classes for f in files),
            "functions": sum(f.module_stats.functions for f in files),
            "complexity": sum(f.module_stats.complexity for f in files),
        }
        for name, files in packages_of(project).items()
    }


PACKAGE_SIZE = MetricProvider(name="package-size", columns=PACKAGE_SIZE_COLUMNS, compute=_package_size)
