"""Incremental runs report exactly what a run without cache reports.

A warm run reuses the facts of unchanged files, the whole outcome when no facts field
of any file changed, and otherwise the results of every rule whose declared facts are
unchanged (``engine/incremental.py``). These tests copy fixture cases (and a generated
project) to a temporary folder, run archlint with a cache in ``tmp_path``, then apply a
seeded random sequence of edits (comments, shifted lines, cycle-making imports,
suppressions, new, deleted and renamed files, new definitions, repository layout,
syntax errors, config, selection and analysed paths), each followed by a cached run
that must equal a ``use_cache=False`` run of the same tree: the JSON report, the
findings as objects, suppressed count, notes, warnings. They also check which rules
re-run (``Report.rules_run``), the CLI output bytes with and without ``--no-cache``, a
second process with another hash seed, and that a corrupt cache changes nothing.
"""

from __future__ import annotations

import importlib.util
import json
import os
import random
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from archlint import lint
from archlint.domain.report import Report
from archlint.engine import incremental, workers
from archlint.engine.cache import FACT_FIELDS
from archlint.reporters import json_report
from archlint.rules import ALL_RULES
from harness import FIXTURES, REPO, write_tree

PER_FILE_CODES = frozenset(rule.meta.code for rule in ALL_RULES if rule.meta.per_file)
IMPORT_GRAPH_CODES = frozenset(
    rule.meta.code
    for rule in ALL_RULES
    if rule.meta.reads is not None and "imports" in rule.meta.reads and not rule.meta.per_file
)
SELECTIONS: list[dict[str, Any]] = [
    {},
    {"select": ["ARC"]},
    {"select": ["ARC1", "ARC2", "ARC0"]},
    {"ignore": ["ARC2"]},
    {"extend_select": ["ARC305"]},
    {"select": ["ARC101", "ARC002"]},
]


def _load_generator() -> Any:
    spec = importlib.util.spec_from_file_location("archlint_bench_generate", REPO / "benchmarks" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def comparable(report: Report) -> dict[str, Any]:
    """Everything a run reports except its duration: the JSON report (findings as
    ``to_dict()``, summary with coverage, architecture, notes, baseline), the suppressed
    count and the warnings."""
    data = json_report.as_data(report)
    data["summary"].pop("duration_s")
    data["suppressed"] = report.suppressed
    data["warnings"] = list(report.warnings)
    data["notes"] = list(report.notes)
    data["rules"] = [meta.code for meta in report.rules]
    normal: dict[str, Any] = json.loads(json.dumps(data))
    normal["objects"] = [f.to_dict() for f in report.findings]  # not through JSON: a tuple is no list
    return normal


def _modules(report: Report) -> list[tuple[str, str, bool]]:
    return [(f.path, f.module, f.is_package) for f in report.project.files if f.module]


@dataclass
class Tree:
    """A project copied to ``tmp_path`` and everything the edits need to undo themselves."""

    root: Path
    cache: Path
    config: Path | None
    config_text: str
    added_imports: list[tuple[Path, str]] = field(default_factory=list)
    suppressions: list[tuple[Path, str, str]] = field(default_factory=list)
    broken: list[tuple[Path, str]] = field(default_factory=list)
    selection: dict[str, Any] = field(default_factory=dict)
    paths: list[str] = field(default_factory=lambda: ["."])
    modules: list[tuple[str, str, bool]] = field(default_factory=list)
    counter: int = 0

    def run(self, *, cached: bool) -> Report:
        paths = [path for path in self.paths if (self.root / path).exists()] or ["."]
        return lint(
            paths,
            cwd=str(self.root),
            use_cache=cached,
            cache_dir=str(self.cache) if cached else None,
            jobs=1,
            **self.selection,
        )

    def py_files(self) -> list[Path]:
        return sorted(p for p in self.root.rglob("*.py") if self.cache not in p.parents)

    def next(self) -> int:
        self.counter += 1
        return self.counter


def _copy(case: str, tmp_path: Path) -> Tree:
    root = tmp_path / case.replace("/", "-")
    shutil.copytree(FIXTURES / case, root)
    return _tree(root, tmp_path)


def _tree(root: Path, tmp_path: Path) -> Tree:
    config = next((root / name for name in ("archlint.toml", "pyproject.toml") if (root / name).is_file()), None)
    return Tree(
        root=root,
        cache=tmp_path / f"cache-{root.name}",
        config=config,
        config_text=config.read_text(encoding="utf-8") if config else "",
    )


def _generated(tmp_path: Path) -> Tree:
    generator = _load_generator()
    root = tmp_path / "generated"
    generator.generate(root, generator.Spec(modules=36, imports=110, package_size=9, cycle_density=0.1, seed=3))
    return _tree(root, tmp_path)


def _rel(tree: Tree, path: Path) -> str:
    return path.relative_to(tree.root).as_posix()


# --- the edits: each changes the tree and says what it did -------------------------------


def append_comment(tree: Tree, rng: random.Random) -> str:
    target = rng.choice(tree.py_files())
    with target.open("a", encoding="utf-8") as handle:
        handle.write(f"\n# edit {tree.next()}\n")
    return f"append a comment to {_rel(tree, target)}"


def shift_lines(tree: Tree, rng: random.Random) -> str:
    target = rng.choice(tree.py_files())
    lines = target.read_text(encoding="utf-8").splitlines(keepends=True)
    header = re.compile(r"^(\s*)(async\s+)?def\s.*\)\s*(->.*)?:\s*$")
    defs = [i for i, line in enumerate(lines) if header.match(line)]
    if defs and rng.random() < 0.7:
        index = rng.choice(defs)
        indent = header.match(lines[index]).group(1) + "    "  # type: ignore[union-attr]
        body = [f"{indent}_shift_{tree.next()} = {rng.randrange(100)}\n" for _ in range(rng.randint(1, 3))]
        lines[index + 1 : index + 1] = body
        what = f"add {len(body)} statements to the function on line {index + 1} of {_rel(tree, target)}"
    else:
        count = rng.randint(1, 4)
        lines[0:0] = [f"# shifted {tree.next()}\n"] * count
        what = f"insert {count} comment lines at the top of {_rel(tree, target)}"
    target.write_text("".join(lines), encoding="utf-8")
    return what


def add_cycle(tree: Tree, rng: random.Random) -> str:
    modules = [m for m in tree.modules if not m[2]] or tree.modules
    if len(modules) < 2:
        return "no two modules to connect"
    (path_a, module_a, _), (path_b, module_b, _) = rng.sample(modules, 2)
    kind = rng.choice(["import", "from", "deferred"])
    for path, other in ((path_a, module_b), (path_b, module_a)):
        file = tree.root / path
        if kind == "import":
            line = f"import {other}  # added {tree.next()}\n"
        elif kind == "from" and "." in other:
            package, _, leaf = other.rpartition(".")
            line = f"from {package} import {leaf}  # added {tree.next()}\n"
        else:
            line = f"def _late_{tree.next()}():\n    import {other}\n"
        with file.open("a", encoding="utf-8") as handle:
            handle.write("\n" + line)
        tree.added_imports.append((file, "\n" + line))
    return f"add {kind} imports {module_a} <-> {module_b}"


def remove_import(tree: Tree, rng: random.Random) -> str:
    live = [(file, text) for file, text in tree.added_imports if file.is_file() and text in file.read_text(encoding="utf-8")]
    tree.added_imports = live
    if not live:
        return add_cycle(tree, rng)
    file, text = live.pop(rng.randrange(len(live)))
    tree.added_imports = live
    file.write_text(file.read_text(encoding="utf-8").replace(text, "", 1), encoding="utf-8")
    return f"remove the added import {text.strip()!r} from {_rel(tree, file)}"


_SUPPRESSIONS = [
    "  # archlint: ignore[ARC101]",
    "  # archlint: ignore[ARC101] -- accepted",
    "  # archlint: ignore[ARC1,ARC3]",
    "  # archlint: ignore",
    "  # noqa: ARC101",
    "  # archlint: ignore[ARC999]",
]


def add_suppression(tree: Tree, rng: random.Random) -> str:
    candidates = []
    for file in tree.py_files():
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines()):
            if re.match(r"^\s*(import|from)\s", line) and "#" not in line and not line.rstrip().endswith(("\\", "(", ",")):
                candidates.append((file, number))
    if rng.random() < 0.2 or not candidates:
        file = rng.choice(tree.py_files())
        marker = f"# archlint: ignore-file[{rng.choice(['ARC2', 'ARC101', 'ARC4'])}]\n"
        file.write_text(marker + file.read_text(encoding="utf-8"), encoding="utf-8")
        tree.suppressions.append((file, marker, ""))
        return f"add a file-level suppression to {_rel(tree, file)}"
    file, number = rng.choice(candidates)
    lines = file.read_text(encoding="utf-8").splitlines(keepends=True)
    comment = rng.choice(_SUPPRESSIONS)
    original = lines[number]
    lines[number] = original.rstrip("\n") + comment + "\n"
    file.write_text("".join(lines), encoding="utf-8")
    tree.suppressions.append((file, lines[number], original))
    return f"add {comment.strip()!r} to line {number + 1} of {_rel(tree, file)}"


def remove_suppression(tree: Tree, rng: random.Random) -> str:
    live = [item for item in tree.suppressions if item[0].is_file() and item[1] in item[0].read_text(encoding="utf-8")]
    if not live:
        tree.suppressions = []
        return add_suppression(tree, rng)
    item = live.pop(rng.randrange(len(live)))
    tree.suppressions = live
    file, now, before = item
    file.write_text(file.read_text(encoding="utf-8").replace(now, before, 1), encoding="utf-8")
    return f"remove the suppression {now.strip()!r} from {_rel(tree, file)}"


def add_file(tree: Tree, rng: random.Random) -> str:
    folders = sorted({p.parent for p in tree.py_files()})
    folder = rng.choice(folders)
    number = tree.next()
    target = folder / f"added_{number}.py"
    imports = [m[1] for m in rng.sample(tree.modules, min(2, len(tree.modules)))]
    text = "".join(f"import {module}\n" for module in imports)
    text += (
        f"\n\nclass Added{number}:\n"
        "    def __init__(self, a, b):\n        self.a = a\n        self.b = b\n\n"
        "    def total(self, other):\n        if other.x:\n            return self.a + other.y\n        return self.b\n\n\n"
        "def helper(value):\n    import time\n    time.sleep(0)\n    return value\n"
    )
    target.write_text(text, encoding="utf-8")
    return f"add {_rel(tree, target)} importing {imports}"


def add_definitions(tree: Tree, rng: random.Random) -> str:
    """A public function, a class with methods and attributes, or an ``__all__``: the
    api, classes, module_stats and checklist facts change."""
    target = rng.choice(tree.py_files())
    number = tree.next()
    kind = rng.choice(["function", "class", "all"])
    if kind == "function":
        text = f"\n\ndef public_{number}(value, other=None):\n    if value:\n        return other\n    return value\n"
    elif kind == "class":
        methods = "".join(
            f"\n    def m{k}(self, x):\n        if x.a{k}:\n            return self.v{k}\n        return x.b\n"
            for k in range(rng.randint(1, 8))
        )
        fields = "".join(f"        self.v{k} = {k}\n" for k in range(rng.randint(1, 8)))
        text = f"\n\nclass Grown{number}:\n    def __init__(self):\n{fields}{methods}"
    else:
        text = f"\n__all__ = [{', '.join(repr(m[1].rpartition('.')[2]) for m in rng.sample(tree.modules, min(2, len(tree.modules))))}]\n"
    with target.open("a", encoding="utf-8") as handle:
        handle.write(text)
    return f"add a {kind} to {_rel(tree, target)}"


def touch_repository(tree: Tree, rng: random.Random) -> str:
    """Create or remove what ARC606 looks for around the package (no Python file read)."""
    item = rng.choice(["tests", "docs/adr", "py.typed", "setup.cfg"])
    if item == "py.typed":
        packages = sorted({p.parent for p in tree.py_files() if p.name == "__init__.py"})
        if not packages:
            return "no package for py.typed"
        target = packages[0] / "py.typed"
    else:
        target = tree.root / item
    if target.exists():
        shutil.rmtree(target) if target.is_dir() else target.unlink()
        return f"remove {_rel(tree, target)}"
    if item in ("tests", "docs/adr"):
        target.mkdir(parents=True)
        (target / ("test_x.py" if item == "tests" else "0001-record.md")).write_text("x = 1\n", encoding="utf-8")
    else:
        target.write_text("[tool:pytest]\n" if item == "setup.cfg" else "", encoding="utf-8")
    return f"create {_rel(tree, target)}"


def delete_file(tree: Tree, rng: random.Random) -> str:
    files = [p for p in tree.py_files() if p.name != "__init__.py" or rng.random() < 0.15] or tree.py_files()
    if len(files) < 2:
        return "nothing to delete"
    target = rng.choice(files)
    target.unlink()
    return f"delete {_rel(tree, target)}"


def rename_module(tree: Tree, rng: random.Random) -> str:
    files = [p for p in tree.py_files() if p.name != "__init__.py"]
    if not files:
        return "nothing to rename"
    source = rng.choice(files)
    target = source.with_name(f"{source.stem}_r{tree.next()}.py")
    source.rename(target)
    return f"rename {_rel(tree, source)} to {_rel(tree, target)}"


def break_syntax(tree: Tree, rng: random.Random) -> str:
    target = rng.choice(tree.py_files())
    text = f"\ndef broken_{tree.next()}(:\n    pass\n"
    with target.open("a", encoding="utf-8") as handle:
        handle.write(text)
    tree.broken.append((target, text))
    return f"introduce a syntax error in {_rel(tree, target)}"


def fix_syntax(tree: Tree, rng: random.Random) -> str:
    live = [item for item in tree.broken if item[0].is_file() and item[1] in item[0].read_text(encoding="utf-8")]
    if not live:
        tree.broken = []
        return break_syntax(tree, rng)
    file, text = live.pop(rng.randrange(len(live)))
    tree.broken = live
    file.write_text(file.read_text(encoding="utf-8").replace(text, "", 1), encoding="utf-8")
    return f"fix the syntax error in {_rel(tree, file)}"


# Option tables a config edit may add (only those the original config does not have).
_TABLES: dict[str, Callable[[random.Random], str]] = {
    "god-object": lambda rng: f"max-methods = {rng.randint(1, 6)}\nmax-attributes = {rng.randint(1, 4)}\n"
    f"max-module-loc = {rng.choice([5, 20, 1000])}\nmin-wmc = {rng.choice([2, 47])}\nmin-atfd = {rng.choice([0, 6])}\n",
    "coupling": lambda rng: f"max-fan-out = {rng.randint(1, 6)}\nhub-min-fan-in = {rng.randint(1, 3)}\n"
    f"hub-min-fan-out = {rng.randint(1, 3)}\n",
    "type-hints": lambda rng: f"include-private = {rng.choice(['true', 'false'])}\nmin-coverage = {rng.choice([0, 50, 100])}\n",
    "suppressions": lambda rng: f"require-reason = {rng.choice(['true', 'false'])}\n",
    "per-file-ignores": lambda rng: f"'{rng.choice(['*.py', 'a*.py', '__init__.py'])}' = ['{rng.choice(['ARC002', 'ARC1', 'ARC4'])}']\n",
}


def change_config(tree: Tree, rng: random.Random) -> str:
    """Rewrite the config with the original text plus random option tables; or change
    the rule selection passed to the run."""
    if rng.random() < 0.3:
        tree.selection = rng.choice(SELECTIONS)
        return f"run with selection {tree.selection}"
    if rng.random() < 0.15:
        folders = sorted({_rel(tree, p.parent) for p in tree.py_files()} - {"."})
        tree.paths = rng.choice([["."], *([folder] for folder in folders[:3])])
        return f"run on {tree.paths}"
    config = tree.config or tree.root / "pyproject.toml"
    toml = config.name == "archlint.toml"
    text = tree.config_text
    if not tree.config:
        text = "[tool.archlint]\n"
    elif not toml and "[tool.archlint]" not in text and "[tool.archlint." not in text:
        text += "\n[tool.archlint]\n"
    free = [name for name in _TABLES if (f"[{name}]" if toml else f"[tool.archlint.{name}]") not in tree.config_text]
    chosen = rng.sample(free, rng.randint(0, len(free)))
    for name in sorted(chosen):
        text += f"\n[{name}]\n" if toml else f"\n[tool.archlint.{name}]\n"
        text += _TABLES[name](rng)
    config.write_text(text, encoding="utf-8")
    tree.config = config
    return f"config {config.name}: {', '.join(sorted(chosen)) or 'original tables only'}"


EDITS: list[Callable[[Tree, random.Random], str]] = [
    append_comment,
    shift_lines,
    add_cycle,
    remove_import,
    add_suppression,
    remove_suppression,
    add_file,
    delete_file,
    rename_module,
    add_definitions,
    touch_repository,
    break_syntax,
    fix_syntax,
    change_config,
]

# Cases with cycles, suppressions, layers config, god classes, type hints, checklist
# rules, a syntax error, a baseline and zero-config layering.
CASES = [
    "cycles/accepted_edge",
    "cycles/crash",
    "adoption/inline_forms",
    "adoption/baseline_shift",
    "layers/configured",
    "layers/zero_config",
    "god_objects/configured",
    "type_hints/reexport",
    "checklist/blocking",
    "checklist/tangled",
    "foundation/broken_file",
]


def _replay(tree: Tree, rng: random.Random, steps: int) -> list[str]:
    """Cold and warm cached runs, then ``steps`` random edits, each compared with a run
    without cache (the assertions are here); the history of what was done."""
    history: list[str] = ["cold run"]
    reused: list[int] = []

    def check() -> Report:
        fresh = tree.run(cached=False)
        cached = tree.run(cached=True)
        assert comparable(cached) == comparable(fresh), "after: " + " ; ".join(history)
        tree.modules = _modules(fresh)
        reused.append(len(cached.rules) - len(cached.rules_run))
        return cached

    check()
    history.append("warm run")
    assert check().rules_run == (), "nothing changed: every rule result comes from the memo"
    for _ in range(steps):
        history.append(rng.choice(EDITS)(tree, rng))
        check()
    history.append("warm run after the edits")
    assert check().rules_run == ()
    assert sum(reused[2:-1]) > 0, "no edit reused any memoised rule result"
    return history


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("case", CASES)
def test_random_edits_keep_cached_runs_equal_to_uncached_runs(case: str, seed: int, tmp_path: Path) -> None:
    tree = _copy(case, tmp_path)
    history = _replay(tree, random.Random(f"{case}-{seed}"), steps=20)
    assert len(history) == 2 + 20 + 1, "every edit was applied and compared"


def test_random_edits_on_a_generated_project(tmp_path: Path) -> None:
    tree = _generated(tmp_path)
    history = _replay(tree, random.Random("generated-7"), steps=16)
    assert len(history) == 2 + 16 + 1, "every edit was applied and compared"


def test_every_edit_keeps_cached_runs_equal_on_a_hand_written_project(tmp_path: Path) -> None:
    """Each edit at least once, in a fixed order, on a small project that has a cycle,
    a suppression, a config and a god class."""
    root = write_tree(
        tmp_path / "hand",
        {
            "pyproject.toml": "[tool.archlint]\n\n[tool.archlint.god-object]\nmin-wmc = 2\nmin-atfd = 1\nmax-tcc = 0.9\n",
            "app/__init__.py": "",
            "app/a.py": "from app import b  # archlint: ignore[ARC101] -- accepted\n\n\ndef f(x):\n    return b.g(x)\n",
            "app/b.py": "from app import a\n\n\ndef g(x: int) -> int:\n    return x\n",
            "app/c.py": (
                "import os\n\n\nclass Manager:\n"
                "    def one(self, x, y):\n        if x.a:\n            return y.b\n        return x.c\n\n"
                "    def two(self, x, y):\n        if y.d:\n            return x.e\n        return os.sep\n"
            ),
        },
    )
    tree = _tree(root, tmp_path)
    rng = random.Random(11)
    history: list[str] = []
    fresh = tree.run(cached=False)
    tree.modules = _modules(fresh)
    assert comparable(tree.run(cached=True)) == comparable(fresh)
    for edit in [*EDITS, *EDITS]:
        history.append(edit(tree, rng))
        fresh = tree.run(cached=False)
        assert comparable(tree.run(cached=True)) == comparable(fresh), " ; ".join(history)
        tree.modules = _modules(fresh)


# --- which rules re-run -----------------------------------------------------------------


@pytest.mark.parametrize("case", ["cycles/accepted_edge", "layers/configured", "checklist/tangled", "god_objects/configured"])
def test_rules_run_only_when_what_they_read_changed(case: str, tmp_path: Path) -> None:
    tree = _copy(case, tmp_path)
    tree.selection = {"select": ["ARC"]}
    cold = tree.run(cached=True)
    enabled = {meta.code for meta in cold.rules}
    assert set(cold.rules_run) == enabled, "a cold run runs every enabled rule"
    warm = tree.run(cached=True)
    assert warm.rules_run == ()
    assert comparable(warm) == comparable(cold)

    modules = _modules(cold)
    plain = next(path for path, _, package in modules if not package)
    with (tree.root / plain).open("a", encoding="utf-8") as handle:
        handle.write("\n# a comment\n")
    commented = tree.run(cached=True)
    assert set(commented.rules_run) <= PER_FILE_CODES, commented.rules_run
    assert comparable(commented) == comparable(tree.run(cached=False))

    imported = next(module for path, module, _ in modules if path != plain)
    with (tree.root / plain).open("a", encoding="utf-8") as handle:
        handle.write(f"\nimport {imported}\n")
    after = tree.run(cached=True)
    assert IMPORT_GRAPH_CODES & enabled, "the case should run import-graph rules"
    assert IMPORT_GRAPH_CODES & enabled <= set(after.rules_run), after.rules_run
    assert comparable(after) == comparable(tree.run(cached=False))
    assert tree.run(cached=True).rules_run == ()


def test_a_per_file_rule_runs_only_on_the_changed_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree = _copy("foundation/broken_file", tmp_path)
    tree.run(cached=True)
    ran: list[tuple[str, tuple[str, ...]]] = []
    original = incremental.RuleRun._check

    def spy(self: incremental.RuleRun, rule_type: Any, project: Any, options: Any) -> Any:
        ran.append((rule_type.meta.code, tuple(f.path for f in project.files)))
        return original(self, rule_type, project, options)

    monkeypatch.setattr(incremental.RuleRun, "_check", spy)
    assert tree.run(cached=True).rules_run == ()
    assert ran == []
    target = tree.root / "pkg" / "good.py"
    with target.open("a", encoding="utf-8") as handle:
        handle.write("\ndef broken(:\n")
    report = tree.run(cached=True)
    per_file = [(code, paths) for code, paths in ran if code in PER_FILE_CODES]
    assert comparable(report) == comparable(tree.run(cached=False))
    assert "ARC001" in report.rules_run
    assert ("ARC001", ("pkg/good.py",)) in per_file
    assert all(paths == ("pkg/good.py",) for _, paths in per_file), per_file
    assert any(f.code == "ARC001" and f.path == "pkg/good.py" for f in report.findings)


# --- the CLI: output bytes with and without cache ---------------------------------------


def _cli(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "archlint", "check", ".", "--exit-zero", *args],
        cwd=root,
        capture_output=True,
        check=False,
    )


def _stable_output(fmt: str, output: bytes) -> bytes:
    if fmt == "json":
        return re.sub(rb'"duration_s": [0-9.e-]+', b'"duration_s": 0', output)
    return output


_FORMATS = ("json", "text", "sarif")


def _cli_outputs(root: Path, tmp_path: Path, stdout_format: str, *args: str) -> dict[str, bytes]:
    """The bytes of every format of one run: ``stdout_format`` on stdout (``--format``),
    the others through ``-o FORMAT=PATH``; the summary on stderr as ``summary``."""
    files = {fmt: tmp_path / f"out.{fmt}" for fmt in _FORMATS if fmt != stdout_format}
    for file in files.values():
        file.unlink(missing_ok=True)
    result = _cli(root, "--format", stdout_format, *(arg for fmt, file in files.items() for arg in ("-o", f"{fmt}={file}")), *args)
    assert result.returncode == 0, result.stderr
    found = {fmt: file.read_bytes() for fmt, file in files.items()}
    found[stdout_format] = result.stdout
    found["summary"] = result.stderr
    assert all(found[fmt].strip() for fmt in _FORMATS), "empty output"
    return {key: _stable_output(key, value) for key, value in found.items()}


def test_cli_output_of_a_warm_run_equals_no_cache(tmp_path: Path) -> None:
    """JSON, text and SARIF bytes (and the summary on stderr) of cold and warm cached runs
    equal those of ``--no-cache``, with the default number of jobs and ``--jobs 1``,
    also after an edit."""
    tree = _copy("adoption/inline_forms", tmp_path)
    cache = ("--cache-dir", str(tmp_path / "cli-cache"))
    uncached = _cli_outputs(tree.root, tmp_path, "json", "--no-cache")
    assert json.loads(uncached["json"])["findings"], "the case should report findings"
    runs = {
        "cold": _cli_outputs(tree.root, tmp_path, "sarif", *cache),
        "warm": _cli_outputs(tree.root, tmp_path, "text", *cache),
        "warm --jobs 1": _cli_outputs(tree.root, tmp_path, "json", *cache, "--jobs", "1"),
        "--no-cache --jobs 1": _cli_outputs(tree.root, tmp_path, "sarif", "--no-cache", "--jobs", "1"),
    }
    for label, outputs in runs.items():
        for key in (*_FORMATS, "summary"):
            assert outputs[key] == uncached[key], f"{label}: {key} differs from --no-cache"
    # an edit that changes the findings: the accepted a <-> b edge loses its suppression
    a = tree.root / "app" / "a.py"
    a.write_text("from app import b\n", encoding="utf-8")
    edited = _cli_outputs(tree.root, tmp_path, "text", *cache)
    assert edited != uncached, "the edit should change the report"
    edited_uncached = _cli_outputs(tree.root, tmp_path, "json", "--no-cache")
    for key in (*_FORMATS, "summary"):
        assert edited[key] == edited_uncached[key], f"after the edit: {key} differs from --no-cache"


def test_cli_json_of_a_warm_run_equals_no_cache_with_worker_processes(tmp_path: Path) -> None:
    """Above the in-process threshold: a cache filled by ``--jobs 2`` (worker processes)
    serves a ``--jobs 1`` run that prints what ``--no-cache`` prints."""
    generator = _load_generator()
    root = tmp_path / "generated"
    generator.generate(root, generator.Spec(modules=workers.PARALLEL_THRESHOLD + 16, imports=300, package_size=20, seed=5))
    cache = str(tmp_path / "cache")
    cold = _cli(root, "--format", "json", "--cache-dir", cache, "--jobs", "2")
    warm = _cli(root, "--format", "json", "--cache-dir", cache, "--jobs", "1")
    uncached = _cli(root, "--format", "json", "--no-cache", "--jobs", "1")
    assert json.loads(uncached.stdout)["findings"], "the generated project should have findings"
    assert _stable_output("json", cold.stdout) == _stable_output("json", uncached.stdout)
    assert _stable_output("json", warm.stdout) == _stable_output("json", uncached.stdout)


# --- a corrupt cache --------------------------------------------------------------------


class _CacheFiles:
    """The three cache files seen as the one table the tests edit: ``entries`` maps each
    path to ``[content, module, is_package, digests, facts text, suppressions]`` and
    ``memo`` holds every memo, the whole-run ``outcome`` included (it lives in the
    outcome file, the rest in the facts file)."""

    def __init__(self, cache: Path) -> None:
        (self.index,) = cache.glob("index-*.json")
        (self.outcome,) = cache.glob("outcome-*.json")
        (self.facts,) = cache.glob("facts-*.json")

    def read_text(self, encoding: str = "utf-8") -> str:
        index = json.loads(self.index.read_text(encoding=encoding))
        index["outcome"] = json.loads(self.outcome.read_text(encoding=encoding)).get("outcome")
        facts = json.loads(self.facts.read_text(encoding=encoding))
        entries = {
            path: [*entry[:4], facts["facts"].get(path, ["", ""])[1], entry[4]] for path, entry in index["entries"].items()
        }
        memo = dict(facts["memo"])
        if index.get("outcome"):  # a JSON value in the index: shown as text like the others
            memo["outcome"] = [index["outcome"][0], json.dumps(index["outcome"][1])]
        return json.dumps({"key": index["key"], "entries": entries, "memo": memo})

    def write_text(self, text: str, encoding: str = "utf-8") -> None:
        data = json.loads(text)
        memo = dict(data["memo"])
        outcome = memo.pop("outcome", None)
        if outcome is not None:
            try:
                outcome = [outcome[0], json.loads(outcome[1])]
            except ValueError:  # garbage text stays a (wrong) JSON string
                pass
        index = {
            "key": data["key"],
            "entries": {path: [*entry[:4], entry[5]] for path, entry in data["entries"].items()},
        }
        facts = {
            "key": data["key"],
            "facts": {path: [entry[0], entry[4]] for path, entry in data["entries"].items()},
            "memo": memo,
        }
        self.index.write_text(json.dumps(index), encoding=encoding)
        self.outcome.write_text(json.dumps({"key": data["key"], "outcome": outcome}), encoding=encoding)
        self.facts.write_text(json.dumps(facts), encoding=encoding)


def _cache_file(cache: Path) -> _CacheFiles:
    return _CacheFiles(cache)


_GARBAGE_MEMO = ["garbage", "", "null", "{}", "[]", "[1, 2, 3]", "[[[1]], []]", "[[], [1]]", '{"a": [1]}', '"text"']


def _is_garbage_for(name: str, garbage: str) -> bool:
    """Whether ``garbage`` is not a valid encoding of the memo ``name``: ``[]`` is a
    well-formed (empty) list of accepted import lines."""
    return not (name.startswith("accepted-") and garbage == "[]")


@pytest.mark.parametrize("garbage", _GARBAGE_MEMO)
def test_a_corrupt_memo_value_gives_the_report_of_no_cache(garbage: str, tmp_path: Path) -> None:
    tree = _copy("adoption/inline_forms", tmp_path)
    tree.selection = {"select": ["ARC"]}
    expected = comparable(tree.run(cached=False))
    assert comparable(tree.run(cached=True)) == expected
    file = _cache_file(tree.cache)
    data = json.loads(file.read_text(encoding="utf-8"))
    assert {meta.code for meta in tree.run(cached=False).rules} <= set(data["memo"])
    assert {"accepted-ARC101", "accepted-ARC102"} <= set(data["memo"])
    for name, item in data["memo"].items():
        if _is_garbage_for(name, garbage):
            item[1] = garbage
    file.write_text(json.dumps(data), encoding="utf-8")
    corrupt = tree.run(cached=True)
    assert comparable(corrupt) == expected
    assert set(corrupt.rules_run) == {meta.code for meta in corrupt.rules}, "every memo was corrupt: every rule ran"
    assert comparable(tree.run(cached=True)) == expected
    assert tree.run(cached=True).rules_run == ()


def test_each_memo_corrupt_alone_gives_the_report_of_no_cache(tmp_path: Path) -> None:
    """One memo entry at a time is garbage, the others intact (the whole-outcome memo
    dropped, else it answers before any other): the report is that of no cache, and the
    rule whose memo it was runs again."""
    tree = _copy("adoption/inline_forms", tmp_path)
    tree.selection = {"select": ["ARC"]}
    expected = comparable(tree.run(cached=False))
    tree.run(cached=True)
    file = _cache_file(tree.cache)
    loaded = json.loads(file.read_text(encoding="utf-8"))
    assert "outcome" in loaded["memo"]
    for name in sorted(loaded["memo"]):
        data = json.loads(json.dumps(loaded))
        if name != "outcome":
            del data["memo"]["outcome"]
        data["memo"][name][1] = "null"
        file.write_text(json.dumps(data), encoding="utf-8")
        report = tree.run(cached=True)
        assert comparable(report) == expected, name
        if name in {meta.code for meta in report.rules}:
            assert name in report.rules_run, name
        if name == "outcome":
            assert report.rules_run == (), "the rules' own memos are intact"


def _typed_corruptions(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(memo name, description, new value) for values of the right JSON shape but a
    wrong type somewhere: each must be a cache miss, never a different report."""
    out: list[tuple[str, str, str]] = [
        ("accepted-ARC101", "an object for the list of lines", "{}"),
        ("accepted-ARC101", "a line that is a string", '[["app/a.py", "1"]]'),
        ("outcome", "a list for the outcome", "[{}, 0, []]"),
    ]
    outcome = json.loads(data["memo"]["outcome"][1])
    for label, change in (
        ("an object for the rows", lambda o: o.update(rows={})),
        ("a string for the notes", lambda o: o.update(notes="ab")),
        ("a boolean for the silenced count", lambda o: o.update(silenced=True)),
        ("a string line", lambda o: o["rows"][0].__setitem__(3, "1")),
        ("a list code", lambda o: o["rows"][0].__setitem__(0, [])),
        ("an unknown code", lambda o: o["rows"][0].__setitem__(0, "ARC999")),
        ("a number in a checklist", lambda o: next(iter(o["rules"].values()))[1].append(1)),
        ("a rules table that is a list", lambda o: o.update(rules=[])),
    ):
        bad = json.loads(json.dumps(outcome))
        if bad["rows"] or "rows" in label or "notes" in label or "silenced" in label or "table" in label:
            change(bad)
            out.append(("outcome", label, json.dumps(bad)))
    for name, item in sorted(data["memo"].items()):
        if name.startswith("accepted-") or name == "outcome" or name in PER_FILE_CODES:
            continue
        rows, notes = json.loads(item[1])
        out.append((name, "an object for the rows", json.dumps([{}, notes])))
        if rows:
            for index, value, label in ((5, "x", "a string column"), (0, [], "a list code"), (4, True, "a boolean line"),
                                        (7, [1], "a number in the checklist"), (9, "2", "a string end line")):
                bad = json.loads(json.dumps(rows))
                bad[0][index] = value
                out.append((name, label, json.dumps([bad, notes])))
    return out


def test_memo_values_of_a_wrong_type_give_the_report_of_no_cache(tmp_path: Path) -> None:
    """A memo value that is valid JSON of the right outer shape but holds a value of the
    wrong type (a column that is a string, a code that is a list, a boolean count) is a
    miss: the rule runs again and the report is that of no cache; nothing crashes."""
    tree = _copy("cycles/accepted_edge", tmp_path)
    tree.selection = {"select": ["ARC"]}
    expected = comparable(tree.run(cached=False))
    tree.run(cached=True)
    file = _cache_file(tree.cache)
    loaded = json.loads(file.read_text(encoding="utf-8"))
    corruptions = _typed_corruptions(loaded)
    assert len(corruptions) > 10 and any(name == "ARC101" for name, _, _ in corruptions)
    for name, label, value in corruptions:
        data = json.loads(json.dumps(loaded))
        if name != "outcome":
            del data["memo"]["outcome"]
        data["memo"][name][1] = value
        file.write_text(json.dumps(data), encoding="utf-8")
        report = tree.run(cached=True)
        assert comparable(report) == expected, f"{name}: {label}"


def test_corrupt_per_file_memo_entries_give_the_report_of_no_cache(tmp_path: Path) -> None:
    tree = _copy("checklist/blocking", tmp_path)
    tree.selection = {"select": ["ARC"]}
    expected = comparable(tree.run(cached=False))
    tree.run(cached=True)
    file = _cache_file(tree.cache)
    data = json.loads(file.read_text(encoding="utf-8"))
    assert data["memo"].pop("outcome"), "the whole outcome is memoised too; without it the rules' memos answer"
    per_file = {name: item for name, item in data["memo"].items() if name in PER_FILE_CODES}
    assert per_file
    for index, item in enumerate(per_file.values()):
        entries = json.loads(item[1])
        assert entries, "every per-file memo covers the files"
        for number, path in enumerate(sorted(entries)):
            key = entries[path][0]
            entries[path] = [[key, "garbage"], [key, [[1, 2]]], [key], "x", [key, [["ARC", 1]]]][(index + number) % 5]
        item[1] = json.dumps(entries)
    file.write_text(json.dumps(data), encoding="utf-8")
    corrupt = tree.run(cached=True)
    assert comparable(corrupt) == expected
    assert PER_FILE_CODES & {meta.code for meta in corrupt.rules} <= set(corrupt.rules_run)


@pytest.mark.parametrize("garbage", ["garbage", "null", "[]", "{}", "[1, 2]", '["a.py", "m", false]'])
def test_corrupt_facts_text_gives_the_report_of_no_cache(garbage: str, tmp_path: Path) -> None:
    tree = _copy("cycles/accepted_edge", tmp_path)
    tree.selection = {"select": ["ARC"]}
    expected = comparable(tree.run(cached=False))
    tree.run(cached=True)
    file = _cache_file(tree.cache)
    data = json.loads(file.read_text(encoding="utf-8"))
    for entry in data["entries"].values():
        entry[4] = garbage  # the encoded facts
        if entry[5]:
            entry[5] = garbage  # the suppressions and imports of a file with suppressions
    file.write_text(json.dumps(data), encoding="utf-8")
    assert comparable(tree.run(cached=True)) == expected
    # memo and facts both corrupt: the rules run on facts parsed again
    data["memo"] = {name: [item[0], "garbage"] for name, item in data["memo"].items()}
    file.write_text(json.dumps(data), encoding="utf-8")
    assert comparable(tree.run(cached=True)) == expected
    assert comparable(tree.run(cached=True)) == expected


def test_facts_of_the_wrong_types_give_the_report_of_no_cache(tmp_path: Path) -> None:
    """Each facts field of every cache entry replaced by a value of another type (valid
    JSON, memo dropped so the rules need the facts): the files are parsed again."""
    tree = _copy("cycles/accepted_edge", tmp_path)
    tree.selection = {"select": ["ARC"]}
    expected = comparable(tree.run(cached=False))
    tree.run(cached=True)
    file = _cache_file(tree.cache)
    data = json.loads(file.read_text(encoding="utf-8"))
    width = len(json.loads(next(iter(data["entries"].values()))[4]))
    assert width == 3 + len(FACT_FIELDS)
    for index in range(width):
        for value in (5, "x", [[1, 2]]):
            for entry in data["entries"].values():
                facts = json.loads(entry[4])
                facts[index] = value
                entry[4] = json.dumps(facts)
            data["memo"] = {}
            file.write_text(json.dumps(data), encoding="utf-8")
            report = tree.run(cached=True)
            assert comparable(report) == expected, (index, value)
            assert set(report.rules_run) == {meta.code for meta in report.rules}
            data = json.loads(file.read_text(encoding="utf-8"))


_RULES_RUN = (
    "import sys\n"
    "from archlint import lint\n"
    "report = lint(['.'], cache_dir=sys.argv[1], select=['ARC'], extend_select=['ARC305'])\n"
    "print(','.join(report.rules_run))\n"
)


@pytest.mark.parametrize("case", ["layers/configured", "god_objects/configured", "checklist/blocking"])
def test_a_new_process_with_another_hash_seed_reuses_every_rule_result(case: str, tmp_path: Path) -> None:
    """Memo keys (options, contracts, repository facts, digests) do not depend on the
    process: a second process, with another ``PYTHONHASHSEED``, re-runs no rule and
    prints the same JSON."""
    tree = _copy(case, tmp_path)
    cache = str(tmp_path / "cache")

    def rules_run(seed: str) -> list[str]:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-c", _RULES_RUN, cache], cwd=tree.root, env=env, capture_output=True, text=True, check=True
        )
        return [code for code in result.stdout.strip().split(",") if code]

    assert len(rules_run("1")) > 10
    assert rules_run("2") == []
    assert rules_run("3") == []
    json_args = ("--format", "json", "--select", "ARC", "--extend-select", "ARC305")
    warm = subprocess.run(
        [sys.executable, "-m", "archlint", "check", ".", "--exit-zero", *json_args, "--cache-dir", cache],
        cwd=tree.root, env={**os.environ, "PYTHONHASHSEED": "4"}, capture_output=True, check=True,
    )
    uncached = _cli(tree.root, *json_args, "--no-cache")
    assert _stable_output("json", warm.stdout) == _stable_output("json", uncached.stdout)


def test_rules_that_must_run_decode_only_the_facts_they_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After an edit that only type-hint rules see, the project the re-run rules get is
    decoded with just the fields they read (and imports and suppressions for the
    suppression stage); the report is still that of no cache."""
    import archlint.engine.cache as cache_module

    tree = _copy("type_hints/basic", tmp_path)
    tree.selection = {"select": ["ARC4"]}
    tree.run(cached=True)
    asked: list[frozenset[str] | None] = []
    real = cache_module.FactsCache.facts

    def spy(self: Any, path: str, entry: Any, fields: frozenset[str] | None = None) -> Any:
        asked.append(fields)
        return real(self, path, entry, fields)

    monkeypatch.setattr(cache_module.FactsCache, "facts", spy)
    target = sorted(tree.root.rglob("*.py"))[0]
    target.write_text(target.read_text(encoding="utf-8") + "\n\ndef added_for_the_test(value):\n    return value\n", encoding="utf-8")
    report = tree.run(cached=True)
    during_the_run = list(asked)  # a reporter asking for the whole project later decodes all
    assert comparable(report) == comparable(tree.run(cached=False))
    assert {"ARC401", "ARC402"} <= set(report.rules_run)
    assert during_the_run and all(fields == frozenset({"api", "error", "imports", "suppressions"}) for fields in during_the_run)


def test_the_json_summary_of_a_warm_run_decodes_no_facts_and_follows_edits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The JSON summary's annotation coverage and architecture metrics are remembered
    with the facts they read: a warm run renders them without decoding any file's
    facts, and an edit that changes those facts changes them as a fresh run does."""
    import archlint.engine.cache as cache_module
    from archlint.reporters import json_report

    tree = _copy("cycles/accepted_edge", tmp_path)
    tree.selection = {"select": ["ARC"]}

    def summary(report: Report) -> dict[str, Any]:
        data = json_report.as_data(report)["summary"]
        return {key: data[key] for key in ("annotation_coverage", "architecture")}

    assert summary(tree.run(cached=True)) == summary(tree.run(cached=False))
    real = cache_module.FactsCache.facts

    def no_decoding(self: Any, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a warm JSON run decoded facts")

    monkeypatch.setattr(cache_module.FactsCache, "facts", no_decoding)
    assert summary(tree.run(cached=True)) == summary(tree.run(cached=False))
    monkeypatch.setattr(cache_module.FactsCache, "facts", real)
    target = sorted(tree.root.rglob("*.py"))[-1]
    target.write_text(target.read_text(encoding="utf-8") + "\n\ndef added(value):\n    return value\n", encoding="utf-8")
    edited = summary(tree.run(cached=True))
    assert edited == summary(tree.run(cached=False))
