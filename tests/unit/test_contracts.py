"""Contract parsing and validation: [tool.archlint.layers|forbidden|independence]."""

from __future__ import annotations

import sys

import pytest

from archlint.config.contracts import parse_contracts
from archlint.config.loader import parse_settings
from archlint.config.schema import Problems
from archlint.domain.contracts import (
    ContractOptions,
    ForbiddenContract,
    IndependenceContract,
    Layer,
    LayersContract,
    LayerSyntaxError,
    conventional_layers,
    ignore_matcher,
    layers_in_force,
    parse_layer,
    zero_config_notes,
)
from archlint.exceptions import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def _parse(text: str) -> tuple[tuple, bool, list[str]]:
    data = tomllib.loads(text)
    table = data.get("tool", {}).get("archlint", {})
    problems = Problems("pyproject.toml", text)
    parsed = parse_contracts(problems, table)
    return parsed.contracts, parsed.layers_auto, problems.items


def test_single_layers_table() -> None:
    contracts, auto, problems = _parse(
        '[tool.archlint.layers]\ncontainers = ["app"]\nlayers = ["api | cli", "services", "models : entities"]\n'
    )
    assert problems == [] and auto is True
    assert contracts == (
        LayersContract(
            name="layers contract 1",
            containers=("app",),
            layers=(
                Layer(("api", "cli"), independent=True),
                Layer(("services",), independent=True),
                Layer(("models", "entities"), independent=False),
            ),
        ),
    )


def test_arrays_of_tables_of_every_kind() -> None:
    contracts, auto, problems = _parse(
        """
[[tool.archlint.layers]]
name = "one"
layers = ["a", "b"]

[[tool.archlint.layers]]
name = "two"
containers = ["x"]
layers = ["c", "d"]
exhaustive = true
exhaustive-ignores = ["conf"]
ignore-imports = ["x.d.* -> x.c"]

[[tool.archlint.forbidden]]
source-modules = ["app.domain"]
forbidden-modules = ["sqlalchemy"]
allow-indirect = true

[[tool.archlint.independence]]
modules = ["app.a", "app.b"]
"""
    )
    assert problems == [] and auto is True
    assert [c.name for c in contracts] == ["forbidden contract 1", "independence contract 1", "one", "two"]
    forbidden, independence, _, two = contracts
    assert forbidden == ForbiddenContract(
        name="forbidden contract 1", sources=("app.domain",), forbidden=("sqlalchemy",), allow_indirect=True
    )
    assert independence == IndependenceContract(name="independence contract 1", modules=("app.a", "app.b"))
    assert isinstance(two, LayersContract)
    assert two.exhaustive and two.exhaustive_ignores == ("conf",) and two.ignore_imports == (("x.d.*", "x.c"),)


def test_layers_false_turns_zero_config_off() -> None:
    contracts, auto, problems = _parse("[tool.archlint]\nlayers = false\n")
    assert (contracts, auto, problems) == ((), False, [])


def test_every_problem_is_reported_with_key_path_and_line() -> None:
    text = """[tool.archlint]

[[tool.archlint.layers]]
containers = "app"
layres = ["a"]

[[tool.archlint.layers]]
layers = ["a | b : c", "x", "x", "not a module"]
exhaustive = "yes"

[[tool.archlint.forbidden]]
source-modules = ["app.domain"]
forbiden-modules = ["sqlalchemy"]

[[tool.archlint.independence]]
modules = ["only.one"]
ignore-imports = ["a.b c.d"]
"""
    _, _, problems = _parse(text)
    assert problems == [
        "pyproject.toml:13: tool.archlint.forbidden[0].forbiden-modules: unknown key (did you mean 'forbidden-modules'?)",
        "pyproject.toml:11: tool.archlint.forbidden[0]: missing required key 'forbidden-modules'",
        "pyproject.toml:16: tool.archlint.independence[0].modules: expected at least 2 entries, got 1",
        "pyproject.toml:17: tool.archlint.independence[0].ignore-imports: 'a.b c.d' is not of the form "
        "'importer.module -> imported.module' (* and ** allowed)",
        "pyproject.toml:5: tool.archlint.layers[0].layres: unknown key (did you mean 'layers'?)",
        "pyproject.toml:3: tool.archlint.layers[0]: missing required key 'layers'",
        "pyproject.toml:4: tool.archlint.layers[0].containers: expected an array of strings, got string 'app'",
        "pyproject.toml:8: tool.archlint.layers[1].layers: layer 'a | b : c' mixes '|' and ':'",
        "pyproject.toml:8: tool.archlint.layers[1].layers: 'x' appears in more than one layer",
        "pyproject.toml:8: tool.archlint.layers[1].layers: 'not a module' is not a dotted module name",
        "pyproject.toml:9: tool.archlint.layers[1].exhaustive: expected a boolean, got string 'yes'",
    ]


def test_wrong_container_types() -> None:
    _, _, problems = _parse('[tool.archlint]\nforbidden = "x"\nlayers = 3\n')
    assert problems == [
        "pyproject.toml:2: tool.archlint.forbidden: expected an array of tables, got string",
        "pyproject.toml:3: tool.archlint.layers: expected a table, an array of tables or a boolean, got integer",
    ]


def test_exhaustive_needs_containers_and_names_are_unique() -> None:
    _, _, problems = _parse(
        '[[tool.archlint.layers]]\nname = "n"\nlayers = ["a"]\nexhaustive = true\n'
        '[[tool.archlint.independence]]\nname = "n"\nmodules = ["a", "b"]\n'
    )
    assert problems == ["pyproject.toml:4: tool.archlint.layers[0].exhaustive: an exhaustive contract needs 'containers'"]
    _, _, problems = _parse(
        '[[tool.archlint.layers]]\nname = "n"\nlayers = ["a"]\n[[tool.archlint.independence]]\nname = "n"\nmodules = ["a", "b"]\n'
    )
    assert problems == ["pyproject.toml: tool.archlint: two contracts are named 'n': contract names must be unique"]


def test_parse_settings_carries_contracts_and_reports_with_other_problems() -> None:
    text = '[tool.archlint]\nlayers = false\nfail-on = "never"\n'
    with pytest.raises(ConfigError) as caught:
        parse_settings(
            tomllib.loads(text)["tool"]["archlint"], source="p.toml", text=text, option_tables={}, known_codes=["ARC501"], root="."
        )
    assert "fail-on" in str(caught.value)
    text = '[tool.archlint]\nlayers = false\n[[tool.archlint.independence]]\nmodules = ["a", "b"]\n'
    settings = parse_settings(
        tomllib.loads(text)["tool"]["archlint"], source="p.toml", text=text, option_tables={}, known_codes=["ARC501"], root="."
    )
    assert settings.layers_auto is False
    assert settings.contracts == (IndependenceContract(name="independence contract 1", modules=("a", "b")),)


def test_unknown_top_level_key_suggests_contract_keys() -> None:
    text = "[tool.archlint]\nindependance = []\n"
    with pytest.raises(ConfigError) as caught:
        parse_settings(
            tomllib.loads(text)["tool"]["archlint"], source="p.toml", text=text, option_tables={}, known_codes=[], root="."
        )
    assert "did you mean 'independence'?" in str(caught.value)


def test_parse_layer() -> None:
    assert parse_layer("a") == Layer(("a",), independent=True)
    assert parse_layer(" a | b ") == Layer(("a", "b"), independent=True)
    assert parse_layer("a : b") == Layer(("a", "b"), independent=False)
    for bad in ("a | : b", "a ||", ""):
        with pytest.raises(LayerSyntaxError):
            parse_layer(bad)


def test_ignore_patterns() -> None:
    ignored = ignore_matcher([("app.*.x", "app"), ("a.**", "b.c")])
    assert ignored("app.one.x", "app")
    assert not ignored("app.one.two.x", "app")
    assert ignored("a.b", "b.c") and ignored("a.b.c.d", "b.c")
    assert not ignored("a", "b.c") and not ignored("a.b", "b.c.d")


def test_conventional_layers_need_three_children_on_two_levels() -> None:
    modules = [
        "shop", "shop.api", "shop.api.routes", "shop.services", "shop.models", "shop.utils",
        "lib", "lib.api", "lib.web", "lib.cli",  # three names, one level: no order to check
        "two", "two.api", "two.models",  # two names only
        "repositories", "domain", "service",  # top level
    ]
    contracts = conventional_layers(modules)
    assert [c.describe() for c in contracts] == [
        "service > repositories > domain",
        "shop: api > services > models",
    ]
    assert all(c.automatic for c in contracts)
    assert all(not layer.independent for c in contracts for layer in c.layers)


def test_zero_config_only_without_configured_layers() -> None:
    modules = ["app.api", "app.services", "app.models"]
    assert [c.name for c in layers_in_force(ContractOptions(), modules)] == ["conventional layers of app"]
    assert list(zero_config_notes(ContractOptions(), modules)) == [
        "zero-config layering applied to app: api > services > models "
        "(configure [tool.archlint.layers], or set layers = false to turn it off)"
    ]
    assert layers_in_force(ContractOptions(layers_auto=False), modules) == []
    configured = LayersContract(name="mine", layers=(Layer(("models",)), Layer(("api",))), containers=("app",))
    options = ContractOptions(contracts=(configured,))
    assert layers_in_force(options, modules) == [configured]
    assert list(zero_config_notes(options, modules)) == []
