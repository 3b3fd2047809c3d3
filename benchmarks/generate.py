"""A deterministic synthetic Python project, for benchmarks and stress tests.

The same arguments always write byte-identical files. Modules live in packages of
``--package-size`` modules under one top-level package; each module imports
``--imports / --modules`` first-party modules on average. Most imports point "down"
(to a module generated earlier), so the graph is mostly layered; a ``--cycle-density``
fraction points "up", which closes cycles. Imports are a mix of ``import a.b``,
``from a import b`` (submodule), ``from a.b import Name`` (a class), function-level and
``TYPE_CHECKING`` imports. Each module defines ``--classes`` classes of ``--methods``
methods that read attributes and call each other, so class metrics have work to do.

    python benchmarks/generate.py /tmp/synth --modules 10000 --imports 100000
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, kw_only=True)
class Spec:
    """What to generate."""

    modules: int = 1000
    imports: int = 10000
    cycle_density: float = 0.02
    package_size: int = 100
    classes: int = 2
    methods: int = 6
    deferred_share: float = 0.1
    type_checking_share: float = 0.05
    seed: int = 1
    top: str = "synth"


@dataclass(frozen=True)
class Stats:
    """What was generated."""

    files: int
    modules: int
    imports: int
    lines: int


def module_name(spec: Spec, index: int) -> str:
    """Dotted name of module ``index``."""
    return f"{spec.top}.p{index // spec.package_size:03d}.m{index:05d}"


def _class_source(spec: Spec, index: int, number: int) -> list[str]:
    name = f"C{index:05d}x{number}"
    lines = [f"class {name}:", f'    """Synthetic class {number} of module {index}."""', ""]
    lines.append("    def __init__(self, value: int = 0) -> None:")
    lines.extend(f"        self.a{k} = value + {k}" for k in range(3))
    for method in range(spec.methods):
        lines.append("")
        lines.append(f"    def m{method}(self, x: int) -> int:")
        lines.append(f"        if x > {method}:")
        lines.append(f"            return self.a{method % 3} + x")
        lines.append(f"        for i in range(x):")
        lines.append(f"            x += i * self.a{(method + 1) % 3}")
        lines.append(f"        return self.m{method - 1}(x) if {method} else x" if method else "        return x")
    lines.append("")
    lines.append("")
    return lines


def _import_lines(spec: Spec, index: int, targets: list[int], rng: random.Random) -> tuple[list[str], list[str], list[str]]:
    top: list[str] = []
    checking: list[str] = []
    deferred: list[str] = []
    for target in targets:
        name = module_name(spec, target)
        package, _, leaf = name.rpartition(".")
        roll = rng.random()
        if roll < spec.type_checking_share:
            checking.append(f"    from {name} import C{target:05d}x0")
            continue
        if roll < spec.type_checking_share + spec.deferred_share:
            deferred.append(f"    from {name} import C{target:05d}x0")
            continue
        style = rng.randrange(3)
        if style == 0:
            top.append(f"import {name}")
        elif style == 1:
            top.append(f"from {package} import {leaf}")
        else:
            top.append(f"from {name} import C{target:05d}x0")
    return top, checking, deferred


def module_source(spec: Spec, index: int, targets: list[int], rng: random.Random) -> str:
    """The text of module ``index`` importing ``targets``."""
    top, checking, deferred = _import_lines(spec, index, targets, rng)
    lines = [f'"""Synthetic module {index}."""', "", "from __future__ import annotations", "", "from typing import TYPE_CHECKING", ""]
    lines.extend(top)
    if checking:
        lines.extend(["", "if TYPE_CHECKING:", *checking])
    lines.extend(["", ""])
    for number in range(spec.classes):
        lines.extend(_class_source(spec, index, number))
    lines.append(f"def use{index:05d}() -> int:")
    lines.append(f'    """Deferred imports of module {index}."""')
    lines.extend(deferred)
    lines.append("    return 0")
    return "\n".join(lines) + "\n"


def plan(spec: Spec) -> list[list[int]]:
    """The targets each module imports (deterministic for a spec)."""
    rng = random.Random(spec.seed)
    per_module = spec.imports / max(spec.modules, 1)
    targets: list[list[int]] = []
    for index in range(spec.modules):
        count = int(per_module) + (1 if rng.random() < per_module - int(per_module) else 0)
        chosen: set[int] = set()
        for _ in range(count * 3):
            if len(chosen) >= count or spec.modules < 2:
                break
            if index and rng.random() >= spec.cycle_density:
                # Mostly nearby and lower: a layered code base.
                low = max(0, index - 5 * spec.package_size)
                target = rng.randrange(low, index)
            else:
                target = rng.randrange(spec.modules)
            if target != index:
                chosen.add(target)
        targets.append(sorted(chosen))
    return targets


def generate(root: Path, spec: Spec) -> Stats:
    """Write the project under ``root`` (replacing it) and return what was written."""
    if root.exists():
        shutil.rmtree(root)
    rng = random.Random(spec.seed * 7919)
    package_root = root / spec.top
    package_root.mkdir(parents=True)
    (package_root / "__init__.py").write_text('"""Synthetic project."""\n', encoding="utf-8")
    files, lines, imports = 1, 1, 0
    for index, targets in enumerate(plan(spec)):
        name = module_name(spec, index)
        folder = root.joinpath(*name.split(".")[:-1])
        if not folder.exists():
            folder.mkdir(parents=True)
            (folder / "__init__.py").write_text("", encoding="utf-8")
            files += 1
        text = module_source(spec, index, targets, rng)
        (folder / f"{name.rsplit('.', 1)[1]}.py").write_text(text, encoding="utf-8")
        files += 1
        lines += text.count("\n")
        imports += len(targets)
    return Stats(files=files, modules=files, imports=imports, lines=lines)


def main() -> None:
    """Command line: ``generate.py ROOT [--modules N] [--imports M] ...``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path)
    for field_name, default in Spec().__dict__.items():
        flag = "--" + field_name.replace("_", "-")
        parser.add_argument(flag, type=type(default), default=default)
    args = parser.parse_args()
    spec = Spec(**{name: getattr(args, name) for name in Spec().__dict__})
    stats = generate(args.root, spec)
    print(f"{stats.files} files, {stats.imports} first-party imports, {stats.lines} lines under {args.root}")


if __name__ == "__main__":
    main()
