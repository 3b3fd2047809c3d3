"""``archlint metrics`` as a user meets it, and ``api.metrics`` on fixture projects."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from archlint import api, cli
from archlint.exceptions import UsageError
from harness import FIXTURES, run_case, write_tree

GOD_CASE = FIXTURES / "god_objects" / "god_class"

PROJECT = {
    "app/__init__.py": "",
    "app/core.py": "class Core:\n    def run(self, x):\n        if x:\n            return x.value\n        return None\n",
    "app/views.py": "from app import core\nfrom app.core import Core\n\n\ndef view(request):\n    return Core().run(request)\n",
    "app/sub/__init__.py": "",
    "app/sub/util.py": "import app.core\n\n\ndef f(a, b):\n    return a and b\n",
}


def invoke(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        cli.main(list(args))
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


@pytest.fixture()
def project(chdir_tmp: Path) -> Path:
    return write_tree(chdir_tmp, PROJECT)


def test_class_metrics_of_the_god_class_fixture_match_its_finding() -> None:
    table = api.metrics(["."], cwd=str(GOD_CASE), use_cache=False, jobs=1)
    [row] = table.rows
    values = dict(zip([c.key for c in table.columns], row.values))
    [finding] = [f for f in run_case(GOD_CASE).findings if f.code == "ARC201"]
    assert row.subject.key == "shop.manager:OrderManager"
    assert (row.subject.path, row.subject.line) == (finding.path, finding.line)
    assert values["wmc"] == finding.extra["wmc"] >= 47
    assert values["atfd"] == finding.extra["atfd"] > 5
    assert values["tcc"] < 1 / 3


def test_metrics_table_is_the_default_format(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = invoke(capsys, "metrics", "--no-cache", ".")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["class", "path:line", "WMC"]
    assert lines[1].split()[:3] == ["app.core:Core", "app/core.py:1", "2"]
    assert lines[-1] == "1 class rows, worst first by wmc, atfd"


def test_module_level_json_has_fan_in_and_fan_out(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = invoke(capsys, "metrics", "--no-cache", "--level", "module", "--format", "json", ".")
    assert code == 0
    data = json.loads(out)
    rows = {row["name"]: row["metrics"] for row in data["rows"]}
    assert rows["app.core"]["fan_in"] == 2  # app.views and app.sub.util
    assert rows["app.views"]["fan_out"] == 1  # app.core, counted once
    assert rows["app.sub.util"]["complexity"] == 2
    assert [row["name"] for row in data["rows"]][:2] == ["app.core", "app.sub.util"]


def test_package_level_csv_and_sort_and_limit(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = invoke(capsys, "metrics", "--no-cache", "--level", "package", "--format", "csv", "--sort", "loc", "-n", "1", ".")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:8] == ["name", "path", "line", "modules", "loc", "classes", "functions", "complexity"]
    assert rows[1][:4] == ["app", "app/__init__.py", "1", "5"]
    assert len(rows) == 2


def test_sort_accepts_kebab_case(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = invoke(capsys, "metrics", "--no-cache", "--level", "module", "--format", "json", "--sort", "fan-in", ".")
    assert code == 0
    assert json.loads(out)["sort"] == ["fan_in"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sort", "wnc"], "unknown metric for --sort at level class: wnc (did you mean 'wmc'?)"),
        (["--level", "function"], "Invalid value for '--level'"),
        (["--format", "xml"], "Invalid value for '--format'"),
    ],
)
def test_usage_errors_exit_2(project: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    code, out, err = invoke(capsys, "metrics", "--no-cache", *args, ".")
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_api_rejects_unknown_level() -> None:
    with pytest.raises(UsageError, match="unknown metrics level: modul"):
        api.metrics(["."], level="modul")


def test_output_is_the_same_with_workers_and_from_the_cache(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outputs = []
    for args in (["--no-cache", "-j", "1"], ["--no-cache", "-j", "2"], ["-j", "1"], ["-j", "1"]):  # cold, then warm cache
        code, out, _ = invoke(capsys, "metrics", "--level", "module", "--format", "json", *args, ".")
        assert code == 0
        outputs.append(out)
    assert len(set(outputs)) == 1
    assert (project / ".archlint_cache").is_dir()
