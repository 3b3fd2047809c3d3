"""Layer contracts as a user meets them: the zero-config note, config errors, dogfooding."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from archlint import cli, lint
from harness import FIXTURES, REPO, write_tree


def invoke(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``archlint ARGS`` in-process through the real entry point."""
    with pytest.raises(SystemExit) as exited:
        cli.main(list(args))
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


@pytest.fixture()
def zero_config(chdir_tmp: Path) -> Path:
    shutil.copytree(FIXTURES / "layers" / "zero_config", chdir_tmp, dirs_exist_ok=True)
    return chdir_tmp


NOTE = (
    "archlint: note: zero-config layering applied to shop: api > services > repositories > models "
    "(configure [tool.archlint.layers], or set layers = false to turn it off)"
)


def test_summary_says_zero_config_layering_applied(zero_config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = invoke(capsys, "--no-cache", "--select", "ARC5", ".")
    assert code == 1
    assert [line.split(": ARC")[0] for line in out.splitlines()] == ["shop/models/order.py:1:1", "shop/models/user.py:3:1"]
    assert err.splitlines()[0] == NOTE
    code, out, _ = invoke(capsys, "--no-cache", "--select", "ARC5", "--format", "json", ".")
    assert json.loads(out)["summary"]["notes"] == [NOTE.removeprefix("archlint: note: ")]


def test_layers_false_silences_zero_config(zero_config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (zero_config / "pyproject.toml").write_text("[tool.archlint]\nlayers = false\n")
    code, out, err = invoke(capsys, "--no-cache", "--select", "ARC5", ".")
    assert (code, out) == (0, "")
    assert "note" not in err
    code, out, _ = invoke(capsys, "--no-cache", "--select", "ARC5", "--format", "json", ".")
    assert "notes" not in json.loads(out)["summary"]


def test_contract_config_errors_exit_2_with_every_problem(chdir_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(
        chdir_tmp,
        {
            "pyproject.toml": (
                "[tool.archlint]\n"
                "[[tool.archlint.forbidden]]\n"
                'source-modules = ["app"]\n'
                'forbiden-modules = ["x"]\n'
                "[tool.archlint.layers]\n"
                'layers = ["a | b : c"]\n'
                "exhaustive = 1\n"
            ),
            "app/__init__.py": "",
        },
    )
    code, out, err = invoke(capsys, "--no-cache", ".")
    assert code == 2 and out == "" and "Traceback" not in err
    assert "pyproject.toml:4: tool.archlint.forbidden[0].forbiden-modules: unknown key (did you mean 'forbidden-modules'?)" in err
    assert "pyproject.toml:6: tool.archlint.layers.layers: layer 'a | b : c' mixes '|' and ':'" in err
    assert "pyproject.toml:7: tool.archlint.layers.exhaustive: expected a boolean, got integer 1" in err


def test_archlint_keeps_its_own_layers() -> None:
    report = lint(["src"], cwd=str(REPO), use_cache=False, jobs=1, select=["ARC5"])
    assert [f"{f.path}:{f.line}: {f.message}" for f in report.findings] == []
    assert report.notes == ()
