"""Parse and validate the import contracts of ``[tool.archlint]``.

Shapes (see ``docs/adr/0007-layer-contracts-and-zero-config-layering.md``)::

    [tool.archlint]
    layers = false                  # only to turn zero-config layering off

    [tool.archlint.layers]          # one contract; [[tool.archlint.layers]] for several
    containers = ["app"]
    layers = ["api | cli", "services", "repositories", "models"]
    exhaustive = false

    [[tool.archlint.forbidden]]
    source-modules = ["app.domain"]
    forbidden-modules = ["sqlalchemy", "app.api"]
    allow-indirect = false

    [[tool.archlint.independence]]
    modules = ["app.billing", "app.shipping"]

Every problem is collected (unknown keys with "did you mean", wrong types, missing
required keys, malformed module names and layers) with the file, key path and line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from archlint.config.schema import Problems, suggest
from archlint.domain.contracts import (
    Contract,
    ForbiddenContract,
    IndependenceContract,
    Layer,
    LayersContract,
    LayerSyntaxError,
    parse_layer,
)

CONTRACT_KEYS: tuple[str, ...] = ("forbidden", "independence", "layers")
"""The ``[tool.archlint]`` keys this module owns."""

_MODULE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_IGNORE = re.compile(r"^\s*(\S+)\s*->\s*(\S+)\s*$")
_PATTERN = re.compile(r"^(\*\*?|[A-Za-z_][A-Za-z0-9_]*)(\.(\*\*?|[A-Za-z_][A-Za-z0-9_]*))*$")

_COMMON = ("allow-indirect", "ignore-imports", "name")
_KEYS: dict[str, tuple[str, ...]] = {
    "layers": ("containers", "exhaustive", "exhaustive-ignores", "ignore-imports", "layers", "name"),
    "forbidden": ("forbidden-modules", "source-modules", *_COMMON),
    "independence": ("modules", *_COMMON),
}
_REQUIRED: dict[str, tuple[str, ...]] = {
    "layers": ("layers",),
    "forbidden": ("source-modules", "forbidden-modules"),
    "independence": ("modules",),
}


@dataclass(frozen=True)
class ParsedContracts:
    """The contracts of a config file and the zero-config layering switch."""

    contracts: tuple[Contract, ...] = ()
    layers_auto: bool = True


class _Reporter:
    """Records problems at the line of the n-th contract table when it can be found."""

    def __init__(self, problems: Problems) -> None:
        self.problems = problems

    def header_line(self, kind: str, index: int) -> int | None:
        pattern = re.compile(rf"^[ \t]*\[\[?[ \t]*(?:tool\.archlint\.)?{kind}[ \t]*\]\]?[ \t]*(#.*)?$", re.MULTILINE)
        matches = list(pattern.finditer(self.problems.text))
        if index < len(matches):
            return self.problems.text.count("\n", 0, matches[index].start()) + 1
        return None

    def key_line(self, kind: str, index: int, key: str | None) -> int | None:
        header = self.header_line(kind, index)
        if header is None:
            return None
        if key is None:
            return header
        lines = self.problems.text.splitlines()
        key_pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for number in range(header, len(lines)):
            text = lines[number]
            if text.lstrip().startswith("["):
                break
            if key_pattern.match(text):
                return number + 1
        return header

    def add(self, key_path: str, message: str, line: int | None) -> None:
        if line is None:
            self.problems.add(key_path, message)
            return
        self.problems.items.append(f"{self.problems.source}:{line}: {key_path}: {message}")


def _type_name(value: Any) -> str:
    return {bool: "boolean", int: "integer", float: "number", str: "string", list: "array", dict: "table"}.get(
        type(value), type(value).__name__
    )


class _Table:
    """One contract table being validated."""

    def __init__(self, reporter: _Reporter, kind: str, index: int, key_path: str, raw: Mapping[str, Any]) -> None:
        self.reporter = reporter
        self.kind = kind
        self.index = index
        self.key_path = key_path
        self.raw = raw
        self.ok = True

    def problem(self, key: str | None, message: str) -> None:
        self.ok = False
        path = f"{self.key_path}.{key}" if key else self.key_path
        self.reporter.add(path, message, self.reporter.key_line(self.kind, self.index, key))

    def string(self, key: str, default: str) -> str:
        value = self.raw.get(key, default)
        if not isinstance(value, str) or not value.strip():
            self.problem(key, f"expected a non-empty string, got {_type_name(value)} {value!r}")
            return default
        return value.strip()

    def boolean(self, key: str) -> bool:
        value = self.raw.get(key, False)
        if not isinstance(value, bool):
            self.problem(key, f"expected a boolean, got {_type_name(value)} {value!r}")
            return False
        return value

    def strings(self, key: str, *, minimum: int = 0) -> tuple[str, ...]:
        value = self.raw.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problem(key, f"expected an array of strings, got {_type_name(value)} {value!r}")
            return ()
        if key in self.raw and len(value) < minimum:
            self.problem(key, f"expected at least {minimum} entr{'y' if minimum == 1 else 'ies'}, got {len(value)}")
        return tuple(item.strip() for item in value)

    def modules(self, key: str, *, minimum: int = 0) -> tuple[str, ...]:
        names = self.strings(key, minimum=minimum)
        for name in names:
            if not _MODULE.match(name):
                self.problem(key, f"{name!r} is not a dotted module name")
        return names

    def ignore_imports(self) -> tuple[tuple[str, str], ...]:
        pairs: list[tuple[str, str]] = []
        for item in self.strings("ignore-imports"):
            match = _IGNORE.match(item)
            if not match or not (_PATTERN.match(match.group(1)) and _PATTERN.match(match.group(2))):
                self.problem(
                    "ignore-imports",
                    f"{item!r} is not of the form 'importer.module -> imported.module' (* and ** allowed)",
                )
                continue
            pairs.append((match.group(1), match.group(2)))
        return tuple(pairs)

    def check_keys(self) -> None:
        allowed = _KEYS[self.kind]
        for key in self.raw:
            if key not in allowed:
                self.problem(key, f"unknown key{suggest(key, sorted(allowed))}")
        for key in _REQUIRED[self.kind]:
            if key not in self.raw:
                self.problem(None, f"missing required key '{key}'")


def _layers(table: _Table) -> LayersContract:
    specs = table.strings("layers", minimum=1)
    layers: list[Layer] = []
    seen: set[str] = set()
    for spec in specs:
        try:
            layer = parse_layer(spec)
        except LayerSyntaxError as exc:
            table.problem("layers", str(exc))
            continue
        for name in layer.names:
            if not _MODULE.match(name):
                table.problem("layers", f"{name!r} is not a dotted module name")
            elif name in seen:
                table.problem("layers", f"{name!r} appears in more than one layer")
            seen.add(name)
        layers.append(layer)
    containers = table.modules("containers")
    exhaustive = table.boolean("exhaustive")
    if exhaustive and not containers:
        table.problem("exhaustive", "an exhaustive contract needs 'containers'")
    return LayersContract(
        name=table.string("name", f"layers contract {table.index + 1}"),
        layers=tuple(layers),
        containers=containers,
        exhaustive=exhaustive,
        exhaustive_ignores=table.strings("exhaustive-ignores"),
        ignore_imports=table.ignore_imports(),
    )


def _forbidden(table: _Table) -> ForbiddenContract:
    return ForbiddenContract(
        name=table.string("name", f"forbidden contract {table.index + 1}"),
        sources=table.modules("source-modules", minimum=1),
        forbidden=table.modules("forbidden-modules", minimum=1),
        allow_indirect=table.boolean("allow-indirect"),
        ignore_imports=table.ignore_imports(),
    )


def _independence(table: _Table) -> IndependenceContract:
    return IndependenceContract(
        name=table.string("name", f"independence contract {table.index + 1}"),
        modules=table.modules("modules", minimum=2),
        allow_indirect=table.boolean("allow-indirect"),
        ignore_imports=table.ignore_imports(),
    )


_BUILDERS: dict[str, Callable[[_Table], Contract]] = {
    "layers": _layers,
    "forbidden": _forbidden,
    "independence": _independence,
}


def parse_contracts(problems: Problems, table: Mapping[str, Any]) -> ParsedContracts:
    """The contracts declared in a ``[tool.archlint]`` table; problems are recorded, the
    caller raises. ``layers`` is a table, an array of tables or a boolean."""
    reporter = _Reporter(problems)
    contracts: list[Contract] = []
    layers_auto = True
    for kind in CONTRACT_KEYS:
        if kind not in table:
            continue
        value = table[kind]
        key_path = f"tool.archlint.{kind}"
        if kind == "layers" and isinstance(value, bool):
            layers_auto = value
            continue
        entries = [value] if isinstance(value, dict) else value
        if not isinstance(entries, list) or not all(isinstance(item, dict) for item in entries):
            expected = "a table, an array of tables or a boolean" if kind == "layers" else "an array of tables"
            problems.add(key_path, f"expected {expected}, got {_type_name(value)}")
            continue
        for index, raw in enumerate(entries):
            item_path = key_path if isinstance(value, dict) else f"{key_path}[{index}]"
            checked = _Table(reporter, kind, index, item_path, raw)
            checked.check_keys()
            contract = _BUILDERS[kind](checked)
            if checked.ok:
                contracts.append(contract)
    names = [contract.name for contract in contracts]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.add("tool.archlint", f"two contracts are named {name!r}: contract names must be unique")
    return ParsedContracts(contracts=tuple(contracts), layers_auto=layers_auto)
