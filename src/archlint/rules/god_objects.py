"""ARC201 god-class, ARC202 large-class, ARC203 god-module.

The metrics come from the facts (``ClassFacts``, ``ModuleStats``); these rules only apply
thresholds, the data-carrier and test exemptions, and phrase the findings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any
from weakref import WeakKeyDictionary

from archlint.domain.class_facts import ClassFacts
from archlint.domain.facts import FileFacts
from archlint.domain.finding import Finding
from archlint.domain.project import Project
from archlint.domain.rule import Rule
from archlint.rules.catalog.god_objects import GOD_CLASS, GOD_MODULE, LARGE_CLASS, GodObjectOptions

CARRIER_DECORATORS = frozenset(
    {
        "dataclass",
        "dataclasses.dataclass",
        "pydantic.dataclasses.dataclass",
        "attr.s",
        "attr.attrs",
        "attr.define",
        "attr.frozen",
        "attr.mutable",
        "attr.dataclass",
        "attrs.define",
        "attrs.frozen",
        "attrs.mutable",
        "define",
        "frozen",
        "mutable",
    }
)
CARRIER_BASES = frozenset(
    {
        "BaseModel",
        "BaseSettings",
        "RootModel",
        "GenericModel",
        "NamedTuple",
        "TypedDict",
        "Enum",
        "IntEnum",
        "StrEnum",
        "Flag",
        "IntFlag",
        "ReprEnum",
        "Protocol",
        "TextChoices",
        "IntegerChoices",
        "Choices",
    }
)
CARRIER_METACLASSES = frozenset({"EnumMeta", "EnumType"})


def _last(name: str) -> str:
    return name.split("[", 1)[0].rsplit(".", 1)[-1].strip()


def is_test_file(path: str) -> bool:
    """``test_*.py``, ``*_test.py``, ``tests.py``, ``conftest.py`` or under a ``tests``/``test`` folder."""
    parts = path.split("/")
    name = parts[-1]
    folders = {part.lower() for part in parts[:-1]}
    return (
        name.startswith("test_")
        or name.endswith("_test.py")
        or name in ("tests.py", "test.py", "conftest.py")
        or bool(folders & {"tests", "test", "testing"})
    )


class ClassKinds:
    """Which classes of a project are data carriers or test classes.

    Resolved by name through the project's own class hierarchy: a class whose base is a
    project class that is a carrier (or a ``TestCase``) is one too."""

    def __init__(self, project: Project, options: GodObjectOptions) -> None:
        self._carrier_bases = CARRIER_BASES | {_last(name) for name in options.data_carrier_bases}
        self._carrier_decorators = CARRIER_DECORATORS | set(options.data_carrier_decorators)
        self._by_name: dict[str, list[ClassFacts]] = {}
        for facts in project.files:
            for cls in facts.classes:
                self._by_name.setdefault(cls.name, []).append(cls)
        # Memos for one project: the last dotted part of each name written as a base,
        # decorator or metaclass, each class's own (direct) answer per kind, and per kind
        # the names from which a class of that kind can be reached.
        self._lasts: dict[str, str] = {}
        self._direct: dict[tuple[int, int], bool] = {}
        self._reaching: dict[int, frozenset[str]] = {}
        self._subclass_names: dict[str, set[str]] | None = None

    def _last(self, name: str) -> str:
        last = self._lasts.get(name)
        if last is None:
            last = self._lasts[name] = _last(name)
        return last

    def _direct_carrier(self, cls: ClassFacts) -> bool:
        last = self._last
        if any(name in self._carrier_decorators or last(name) == "dataclass" for name in cls.decorators):
            return True
        if cls.metaclass is not None and last(cls.metaclass) in CARRIER_METACLASSES:
            return True
        return any(last(base) in self._carrier_bases for base in cls.bases)

    def _direct_testcase(self, cls: ClassFacts) -> bool:
        return any(self._last(base).endswith("TestCase") for base in cls.bases)

    def _is_direct(self, cls: ClassFacts, kind: int, direct: Callable[[ClassFacts], bool]) -> bool:
        key = (kind, id(cls))
        answer = self._direct.get(key)
        if answer is None:
            answer = self._direct[key] = direct(cls)
        return answer

    def _names_reaching(self, kind: int, direct: Callable[[ClassFacts], bool]) -> frozenset[str]:
        """The class names from which a class of the kind can be reached through the
        names of bases (such classes' own names included): a walk needs no other name,
        as nothing of the kind lies beyond the rest. Found once per kind, backwards from
        the classes of the kind, since each class's own answer is needed anyway."""
        found = self._reaching.get(kind)
        if found is None:
            memo = self._direct
            reached: set[str] = set()
            for name, classes in self._by_name.items():
                for cls in classes:
                    answer = memo[(kind, id(cls))] = direct(cls)
                    if answer:
                        reached.add(name)
            subclasses = self._subclasses()
            pending = list(reached)
            while pending:
                for name in subclasses.get(pending.pop(), ()):
                    if name not in reached:
                        reached.add(name)
                        pending.append(name)
            found = self._reaching[kind] = frozenset(reached)
        return found

    def _subclasses(self) -> dict[str, set[str]]:
        """Name -> the names of the project classes with a base of that name."""
        if self._subclass_names is None:
            self._subclass_names = {}
            for name, classes in self._by_name.items():
                for cls in classes:
                    for base in cls.bases:
                        self._subclass_names.setdefault(self._last(base), set()).add(name)
        return self._subclass_names

    def _inherits(self, cls: ClassFacts, kind: int, direct: Callable[[ClassFacts], bool]) -> bool:
        """``direct`` holds for ``cls`` or for a project class it inherits from (by name).

        A walk up the hierarchy by name, never into the class's own name, that enters
        only names from which a class of the kind can be reached: walking every base
        repeated the same long chains for each of thousands of classes."""
        reaching = self._names_reaching(kind, direct)
        last = self._last
        stack = [cls]
        seen: set[str] = {cls.name}
        while stack:
            current = stack.pop()
            if self._is_direct(current, kind, direct):
                return True
            for base in current.bases:
                name = last(base)
                if name not in seen and name in reaching:
                    seen.add(name)
                    stack.extend(self._by_name[name])
        return False

    def is_carrier(self, cls: ClassFacts) -> bool:
        """A dataclass, attrs class, pydantic model, NamedTuple, TypedDict, Enum or Protocol."""
        return self._inherits(cls, 0, self._direct_carrier)

    def is_test(self, cls: ClassFacts, path: str) -> bool:
        """A ``Test*`` class in a test file or a subclass of a ``*TestCase``."""
        if (cls.name.startswith("Test") or cls.name.endswith(("Test", "Tests"))) and is_test_file(path):
            return True
        return self._inherits(cls, 1, self._direct_testcase)


_ANALYSED: WeakKeyDictionary[Project, dict[GodObjectOptions, tuple[tuple[FileFacts, ClassFacts, bool], ...]]] = (
    WeakKeyDictionary()
)


def _analysed_classes(project: Project, options: GodObjectOptions) -> tuple[tuple[FileFacts, ClassFacts, bool], ...]:
    """(file, class, is data carrier) for every class not exempt as a test class.
    Memoised per project and options: ARC201 and ARC202 share one classification."""
    memo = _ANALYSED.setdefault(project, {})
    found = memo.get(options)
    if found is None:
        kinds = ClassKinds(project, options)
        found = memo[options] = tuple(
            (facts, cls, kinds.is_carrier(cls))
            for facts in project.files
            for cls in facts.classes
            if not (options.exempt_tests and kinds.is_test(cls, facts.path))
        )
    return found


def class_figures(cls: ClassFacts) -> dict[str, Any]:
    """Every metric of a class, for ``extra`` and the metrics table."""
    return {
        "wmc": cls.wmc,
        "atfd": cls.atfd,
        "tcc": None if cls.tcc is None else round(cls.tcc, 3),
        "lcom4": cls.lcom4,
        "nom": cls.nom,
        "noa": cls.noa,
        "loc": cls.loc,
    }


def is_god_class(cls: ClassFacts, options: GodObjectOptions) -> bool:
    """Lanza & Marinescu: WMC >= min, ATFD >= min and TCC < max (TCC must be defined)."""
    return cls.wmc >= options.min_wmc and cls.atfd >= options.min_atfd and cls.tcc is not None and cls.tcc < options.max_tcc


def _tcc(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


class GodClass(Rule):
    """ARC201: a class that is complex, reaches into other objects' data and is not cohesive."""

    meta = GOD_CLASS

    def check(self, project: Project, options: GodObjectOptions) -> Iterator[Finding]:
        """One finding per god class, on its ``class`` line."""
        for facts, cls, _carrier in _analysed_classes(project, options):
            if not is_god_class(cls, options):
                continue
            yield self.finding(
                path=facts.path,
                line=cls.line,
                column=cls.column,
                message=(
                    f"god class {cls.qualname}: WMC {cls.wmc} >= {options.min_wmc}, "
                    f"ATFD {cls.atfd} >= {options.min_atfd}, TCC {_tcc(cls.tcc)} < {options.max_tcc:.2f}"
                ),
                identity=f"{facts.module}:{cls.qualname}",
                extra={**class_figures(cls), "ratchet": {"wmc": cls.wmc, "atfd": cls.atfd}},
            )


class LargeClass(Rule):
    """ARC202: a class over the size thresholds that is not a god class."""

    meta = LARGE_CLASS

    def check(self, project: Project, options: GodObjectOptions) -> Iterator[Finding]:
        """One finding per large class that is not a god class."""
        for facts, cls, carrier in _analysed_classes(project, options):
            if is_god_class(cls, options):
                continue
            attributes = cls.noa - cls.class_attributes if carrier else cls.noa
            loc = cls.method_loc if carrier else cls.loc
            over = []
            if cls.nom > options.max_methods:
                over.append(f"{cls.nom} methods > {options.max_methods}")
            if attributes > options.max_attributes:
                over.append(f"{attributes} attributes > {options.max_attributes}")
            if loc > options.max_class_loc:
                over.append(f"{loc} lines > {options.max_class_loc}")
            if not over:
                continue
            yield self.finding(
                path=facts.path,
                line=cls.line,
                column=cls.column,
                message=f"large class {cls.qualname}: {', '.join(over)}",
                identity=f"{facts.module}:{cls.qualname}",
                extra={
                    **class_figures(cls),
                    "data_carrier": carrier,
                    "ratchet": {"methods": cls.nom, "attributes": attributes, "loc": loc},
                },
            )


class GodModule(Rule):
    """ARC203: a module over the size or complexity thresholds."""

    meta = GOD_MODULE

    def check(self, project: Project, options: GodObjectOptions) -> Iterator[Finding]:
        """One finding per god module, on line 1."""
        for facts in project.files:
            if facts.error is not None or (options.exempt_tests and is_test_file(facts.path)):
                continue
            stats = facts.module_stats
            over = []
            if stats.loc > options.max_module_loc:
                over.append(f"{stats.loc} lines > {options.max_module_loc}")
            if stats.definitions > options.max_module_definitions:
                over.append(f"{stats.definitions} definitions > {options.max_module_definitions}")
            if stats.complexity > options.max_module_complexity:
                over.append(f"complexity {stats.complexity} > {options.max_module_complexity}")
            if not over:
                continue
            figures: Mapping[str, int] = {
                "loc": stats.loc,
                "definitions": stats.definitions,
                "complexity": stats.complexity,
            }
            yield self.finding(
                path=facts.path,
                line=1,
                message=f"god module {facts.module or facts.path}: {', '.join(over)}",
                identity=facts.module or facts.path,
                extra={**figures, "classes": stats.classes, "functions": stats.functions, "ratchet": dict(figures)},
            )
