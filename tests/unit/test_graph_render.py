"""``archlint graph``: the model and its three renderers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from archlint import api
from archlint.cli import cli
from archlint.config import Settings
from archlint.exceptions import UsageError
from harness import FIXTURES, write_tree

FILES = {
    "shop/__init__.py": "",
    "shop/orders/__init__.py": "",
    "shop/orders/models.py": "from shop.billing import api\n",
    "shop/billing/__init__.py": "",
    "shop/billing/api.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from shop.orders import models\n\ndef f() -> None:\n    from shop.orders import models\n",
    "shop/util.py": "import shop.orders.models\nimport shop.billing.api\n",
    "shop/loop_a.py": "from shop import loop_b\n",
    "shop/loop_b.py": "from shop import loop_a\n",
}


def render(root: Path, fmt: str, level: str = "module") -> str:
    return api.graph(["."], fmt=fmt, level=level, cwd=str(root), settings=Settings(root=str(root)), use_cache=False, jobs=1)


def test_json_module_graph(tmp_path: Path) -> None:
    data = json.loads(render(write_tree(tmp_path, FILES), "json"))
    nodes = {n["id"]: n["cycle"] for n in data["nodes"]}
    assert nodes["shop.loop_a"] == nodes["shop.loop_b"] == "module-level"
    assert nodes["shop.orders.models"] == nodes["shop.billing.api"] == "deferred"
    assert nodes["shop.util"] is None
    edges = {(e["source"], e["target"]): e for e in data["edges"]}
    assert edges[("shop.billing.api", "shop.orders.models")]["kinds"] == {"deferred": 1, "type-checking": 1}
    assert edges[("shop.loop_a", "shop.loop_b")]["cycle"] == "module-level"
    assert edges[("shop.util", "shop.orders.models")]["cycle"] is None
    assert data["cycles"] == [["shop.billing.api", "shop.orders.models"], ["shop.loop_a", "shop.loop_b"]]


def test_package_level_lifts_modules_to_their_packages(tmp_path: Path) -> None:
    data = json.loads(render(write_tree(tmp_path, FILES), "json", "package"))
    assert [n["id"] for n in data["nodes"]] == ["shop", "shop.billing", "shop.orders"]
    assert data["cycles"] == [["shop.billing", "shop.orders"]]


def test_dot_and_mermaid_are_deterministic_and_styled(tmp_path: Path) -> None:
    root = write_tree(tmp_path, FILES)
    dot = render(root, "dot")
    assert dot == render(root, "dot")
    assert dot.startswith('digraph "archlint modules" {\n')
    assert '"shop.loop_a" -> "shop.loop_b" [label="module-level", style=solid, color="#c00000", penwidth=2];' in dot
    assert '"shop.billing.api" -> "shop.orders.models" [label="deferred, type-checking", style=dashed, color="#c08000"];' in dot
    mermaid = render(root, "mermaid")
    assert mermaid.startswith("flowchart LR\n")
    assert "-.->|deferred, type-checking|" in mermaid
    assert "class " in mermaid and "linkStyle" in mermaid


def test_unknown_format_or_level_is_a_usage_error(tmp_path: Path) -> None:
    root = write_tree(tmp_path, FILES)
    with pytest.raises(UsageError, match="did you mean 'dot'"):
        api.graph(["."], fmt="dott", cwd=str(root), settings=Settings(root=str(root)), use_cache=False)
    with pytest.raises(UsageError, match="unknown graph level"):
        api.graph(["."], level="class", cwd=str(root), settings=Settings(root=str(root)), use_cache=False)


def test_cli_graph_command() -> None:
    case = FIXTURES / "cycles" / "three_cycle"
    result = CliRunner().invoke(cli, ["graph", "--no-cache", "--format", "mermaid", str(case)])
    assert result.exit_code == 0, result.output
    assert result.output.count("-->") == 3
    assert "class n1,n2,n3 cycle;" in result.output
