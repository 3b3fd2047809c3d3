"""Import contracts: layers, forbidden imports and independence, plus zero-config layering.

Contracts are plain frozen data, parsed and validated by ``config/contracts.py`` from
``[tool.archlint.layers]``, ``[tool.archlint.forbidden]`` and
``[tool.archlint.independence]``; the rules in ``rules/layers.py`` check them. When no
layers contract is configured, :func:`conventional_layers` finds packages whose children
are named after the conventional layers (api > services > repositories > models) and
builds a contract for each; ``layers = false`` turns that off.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Union

# Defined in a module of its own (the rule catalog names it on every run); still importable from here.
from archlint.domain.contract_options import ContractOptions as ContractOptions

CONVENTIONAL_LAYERS: tuple[tuple[str, ...], ...] = (
    ("api", "routes", "cli", "web"),
    ("services", "service", "use_cases"),
    ("repositories", "repository", "adapters"),
    ("models", "domain", "entities"),
)
"""The zero-config layer order, top to bottom; names on one level are siblings."""

MIN_CONVENTIONAL_CHILDREN = 3
"""How many children of one package must carry conventional layer names."""

MIN_CONVENTIONAL_LEVELS = 2
"""How many distinct levels those children must span (so there is an order to check)."""


@dataclass(frozen=True, slots=True)
class Layer:
    """One level of a layers contract: one or more sibling module names.

    ``independent`` siblings (written ``a | b``) must not import each other; others
    (written ``a : b``) may."""

    names: tuple[str, ...]
    independent: bool = True

    def render(self) -> str:
        """The layer as written in the config: ``a | b`` or ``a : b``."""
        return (" | " if self.independent else " : ").join(self.names)


@dataclass(frozen=True, slots=True, kw_only=True)
class LayersContract:
    """Higher layers may import lower ones, never the reverse.

    Layer names are relative to each container (absolute when there is no container)."""

    name: str
    layers: tuple[Layer, ...]
    containers: tuple[str, ...] = ()
    exhaustive: bool = False
    exhaustive_ignores: tuple[str, ...] = ()
    ignore_imports: tuple[tuple[str, str], ...] = ()
    automatic: bool = False

    def describe(self) -> str:
        """``app: api > services > models`` (containers, then the order)."""
        order = " > ".join(layer.render() for layer in self.layers)
        return f"{', '.join(self.containers)}: {order}" if self.containers else order


@dataclass(frozen=True, slots=True, kw_only=True)
class ForbiddenContract:
    """Modules under ``sources`` must not import modules under ``forbidden`` (first-party
    or third-party), directly or, unless ``allow_indirect``, through other modules."""

    name: str
    sources: tuple[str, ...]
    forbidden: tuple[str, ...]
    allow_indirect: bool = False
    ignore_imports: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class IndependenceContract:
    """The listed modules (and their descendants) must not import each other, directly or,
    unless ``allow_indirect``, through other modules."""

    name: str
    modules: tuple[str, ...]
    allow_indirect: bool = False
    ignore_imports: tuple[tuple[str, str], ...] = ()


Contract = Union[LayersContract, ForbiddenContract, IndependenceContract]


class LayerSyntaxError(ValueError):
    """A layer string mixes ``|`` and ``:`` or has an empty name."""


def parse_layer(spec: str) -> Layer:
    """``"api | cli"`` -> independent siblings; ``"api : cli"`` -> siblings that may import
    each other; ``"api"`` -> a single module. Raises :class:`LayerSyntaxError`."""
    has_bar, has_colon = "|" in spec, ":" in spec
    if has_bar and has_colon:
        raise LayerSyntaxError(f"layer {spec!r} mixes '|' and ':'")
    separator = ":" if has_colon else "|"
    names = tuple(part.strip() for part in spec.split(separator))
    if not all(names):
        raise LayerSyntaxError(f"layer {spec!r} has an empty module name")
    return Layer(names=names, independent=not has_colon)


def module_pattern(pattern: str) -> re.Pattern[str]:
    """A regex for a module pattern: ``*`` stands for one name, ``**`` for one or more."""
    parts = []
    for part in pattern.split("."):
        parts.append({"*": r"[^.]+", "**": r"[^.]+(?:\.[^.]+)*"}.get(part, re.escape(part)))
    return re.compile(r"\.".join(parts) + r"\Z")


def ignore_matcher(pairs: Iterable[tuple[str, str]]) -> Callable[[str, str], bool]:
    """A predicate ``(importer, imported) -> bool`` for ``ignore-imports`` patterns."""
    compiled = [(module_pattern(a), module_pattern(b)) for a, b in pairs]

    def ignored(importer: str, imported: str) -> bool:
        return any(a.match(importer) and b.match(imported) for a, b in compiled)

    return ignored


def within(module: str, root: str) -> bool:
    """Whether ``module`` is ``root`` or one of its descendants."""
    return module == root or module.startswith(root + ".")


def conventional_layers(modules: Iterable[str]) -> tuple[LayersContract, ...]:
    """Zero-config layers contracts: one per package with at least
    :data:`MIN_CONVENTIONAL_CHILDREN` children named after the conventional layers,
    spanning at least :data:`MIN_CONVENTIONAL_LEVELS` levels. Siblings on one level may
    import each other (only the order is checked)."""
    return _conventional_layers(frozenset(modules))


@lru_cache(maxsize=4)
def _conventional_layers(modules: frozenset[str]) -> tuple[LayersContract, ...]:
    """:func:`conventional_layers`, cached: ARC501 asks for them twice per run (its notes
    and its findings), with the same set of modules (``frozenset`` of a frozenset is the
    same object, whose hash is kept). The contracts are immutable."""
    children: dict[str, set[str]] = {}
    for module in modules:
        parent = ""
        for part in module.split("."):
            children.setdefault(parent, set()).add(part)
            parent = f"{parent}.{part}" if parent else part
    level_of = {name: index for index, names in enumerate(CONVENTIONAL_LAYERS) for name in names}
    contracts: list[LayersContract] = []
    for parent in sorted(children):
        matched = sorted(name for name in children[parent] if name in level_of)
        levels = sorted({level_of[name] for name in matched})
        if len(matched) < MIN_CONVENTIONAL_CHILDREN or len(levels) < MIN_CONVENTIONAL_LEVELS:
            continue
        layers = tuple(
            Layer(names=tuple(name for name in matched if level_of[name] == level), independent=False)
            for level in levels
        )
        contracts.append(
            LayersContract(
                name=f"conventional layers of {parent or 'the top level'}",
                layers=layers,
                containers=(parent,) if parent else (),
                automatic=True,
            )
        )
    return tuple(contracts)


def layers_in_force(options: ContractOptions, modules: Iterable[str]) -> list[LayersContract]:
    """The configured layers contracts, or the zero-config ones when none is configured
    and zero-config layering is on."""
    configured = [c for c in options.contracts if isinstance(c, LayersContract)]
    if configured or not options.layers_auto:
        return configured
    return list(conventional_layers(modules))


def zero_config_notes(options: ContractOptions, modules: Iterable[str]) -> Iterator[str]:
    """One line per zero-config layers contract applied, for the run summary."""
    for contract in layers_in_force(options, modules):
        if contract.automatic:
            yield (
                f"zero-config layering applied to {contract.describe()} "
                "(configure [tool.archlint.layers], or set layers = false to turn it off)"
            )
