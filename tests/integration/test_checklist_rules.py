"""Checklist rules (ARC601-ARC606) through the API: options, repository root, JSON summary."""

from __future__ import annotations

import json
from pathlib import Path

from harness import write_tree

from archlint import lint
from archlint.api import explain
from archlint.reporters.json_report import render

_RING = {f"app/m{i}.py": f"from app import m{(i + 1) % 6}\n" for i in range(6)}


def _codes(report: object, prefix: str = "ARC6") -> list[tuple[str, int, str]]:
    return sorted((f.path, f.line, f.code) for f in report.findings if f.code.startswith(prefix))  # type: ignore[attr-defined]


def test_tangled_architecture_reports_metrics_in_extra_and_json_summary(tmp_path: Path) -> None:
    write_tree(tmp_path, {"archlint.toml": "", "app/__init__.py": "", **_RING})
    report = lint(["."], cwd=str(tmp_path), config="archlint.toml", use_cache=False, select=["ARC601"], jobs=1)
    (finding,) = report.findings
    assert (finding.path, finding.line) == ("app/__init__.py", 1)
    assert finding.extra["largest_component_size"] == 6
    assert finding.extra["component"] == [f"app.m{i}" for i in range(6)]
    summary = json.loads(render(report))["summary"]["architecture"]
    assert summary == {
        "modules": 7,
        "largest_component_size": 6,
        "largest_component_share": round(6 / 7, 4),
        "propagation_cost": round((6 * 6 + 1) / 49, 4),
    }


def test_tangled_architecture_thresholds_are_options(tmp_path: Path) -> None:
    config = "[tangled-architecture]\nmin-component-size = 7\nmax-propagation-cost = 0.5\nmin-modules = 5\n"
    write_tree(tmp_path, {"archlint.toml": config, "app/__init__.py": "", **_RING})
    report = lint(["."], cwd=str(tmp_path), config="archlint.toml", use_cache=False, select=["ARC601"], jobs=1)
    (finding,) = report.findings
    assert "propagation cost is 76%" in finding.message
    assert "cycle component" not in finding.message


def test_mutable_global_state_allow_list(tmp_path: Path) -> None:
    source = "_cache = {}\n_other = []\n\ndef put(key):\n    _cache[key] = 1\n    _other.append(key)\n"
    write_tree(tmp_path, {"archlint.toml": '[mutable-global-state]\nallow = ["_cache"]\n', "mod.py": source})
    report = lint(["."], cwd=str(tmp_path), config="archlint.toml", use_cache=False, select=["ARC603"], jobs=1)
    assert [f.extra["name"] for f in report.findings] == ["_other"]
    assert report.findings[0].extra["writes"] == [{"path": "mod.py", "line": 6, "function": "put", "how": ".append()"}]


def test_unvalidated_input_extra_validators(tmp_path: Path) -> None:
    source = (
        "from flask import Flask, request\napp = Flask(__name__)\n\n"
        "@app.post('/x')\ndef x():\n    data = request.get_json()\n    return ingest(data)\n"
    )
    write_tree(tmp_path, {"archlint.toml": "", "web.py": source})
    report = lint(["."], cwd=str(tmp_path), config="archlint.toml", use_cache=False, select=["ARC604"], jobs=1)
    assert _codes(report) == [("web.py", 6, "ARC604")]
    (tmp_path / "archlint.toml").write_text('[unvalidated-input]\nvalidators = ["ingest"]\n')
    report = lint(["."], cwd=str(tmp_path), config="archlint.toml", use_cache=False, select=["ARC604"], jobs=1)
    assert report.findings == ()


def test_project_structure_root_is_the_nearest_pyproject_without_config(tmp_path: Path) -> None:
    files = {
        "repo/pyproject.toml": "[project]\nname = 'big'\n",
        "repo/src/big/__init__.py": "",
        "repo/docs/adr/0001-x.md": "# ADR\n",
    }
    files.update({f"repo/tests/test_{i}.py": "" for i in range(30)})
    write_tree(tmp_path, files)
    report = lint(["repo/src/big"], cwd=str(tmp_path), use_cache=False, select=["ARC606"], jobs=1)
    assert [(f.path, f.extra["item"], f.extra["root"]) for f in report.findings] == [
        ("repo/src/big/__init__.py", "test-split", "repo")
    ]
    assert "Project Structure" in report.findings[0].message


def test_project_structure_skip_option(tmp_path: Path) -> None:
    write_tree(tmp_path, {"archlint.toml": '[project-structure]\nskip = ["adr", "tests"]\n', "pkg/__init__.py": ""})
    report = lint(["."], cwd=str(tmp_path), config="archlint.toml", use_cache=False, select=["ARC606"], jobs=1)
    assert sorted((f.extra["item"], f.checklist) for f in report.findings) == [
        ("pyproject", ("Project Structure",)),
        ("src-layout", ("Clear code organization (src layout)",)),
    ]


def test_rule_docs_are_complete() -> None:
    for code in ("ARC601", "ARC602", "ARC603", "ARC604", "ARC605", "ARC606"):
        text = explain(code)
        assert code in text
        assert "Why" in text
