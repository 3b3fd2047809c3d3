"""The baseline from the command line: write it, shift code, keep old debt silent, catch new
and worse debt, count what was fixed."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from archlint import cli
from harness import write_tree

LEGACY = {
    "app/__init__.py": "",
    "app/orders.py": "from app import billing\n\n\ndef total() -> int:\n    return billing.amount()\n",
    "app/billing.py": "from app import orders\n\n\ndef amount() -> int:\n    return len(orders.__name__)\n",
}


def invoke(capsys: pytest.CaptureFixture[str], *args: str, select: str = "ARC1") -> tuple[int, str, str]:
    """Run ``archlint ARGS`` in-process through the real entry point."""
    with pytest.raises(SystemExit) as exited:
        cli.main(["--no-cache", "--select", select, *args])
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


@pytest.fixture()
def legacy(chdir_tmp: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    write_tree(chdir_tmp, LEGACY)
    code, out, _ = invoke(capsys, ".")
    assert code == 1 and "ARC101" in out  # the debt exists
    code, out, err = invoke(capsys, ".", "--write-baseline", "archlint-baseline.json")
    assert code == 0 and "ARC101" in out  # the report is still shown, then accepted
    assert "wrote 1 baseline entries (1 findings) to archlint-baseline.json" in err
    return chdir_tmp


def test_write_baseline_still_writes_every_requested_output(chdir_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(chdir_tmp, LEGACY)
    code, _, err = invoke(capsys, ".", "-o", "json=report.json", "--statistics", "--write-baseline", "b.json")
    assert code == 0
    assert json.loads((chdir_tmp / "report.json").read_text())["summary"]["by_code"].get("ARC101") == 1
    assert json.loads((chdir_tmp / "b.json").read_text())
    assert "wrote 1 baseline entries" in err


def test_old_findings_stay_silent_while_a_new_cycle_appears(legacy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = invoke(capsys, ".", "--baseline", "archlint-baseline.json")
    assert (code, out) == (0, "")
    assert "baseline: 1 accepted, 0 worsened." in err
    # code shifts: lines added above, statements reformatted; a new, unrelated cycle appears
    write_tree(
        legacy,
        {
            "app/orders.py": '"""Orders."""\n\nimport os\n\nPREFIX = os.sep\n\n\nfrom app import (\n    billing,\n)\n\n\n'
            "def total() -> int:\n    return billing.amount()\n",
            "app/billing.py": "from app import orders\ndef amount() -> int:\n    return len(orders.__name__)\n",
            "app/shipping.py": "from app import tracking\n",
            "app/tracking.py": "from app import shipping\n",
        },
    )
    code, out, err = invoke(capsys, ".", "--baseline", "archlint-baseline.json")
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 1 and "ARC101" in lines[0] and "app.shipping -> app.tracking" in lines[0]
    assert "baseline: 1 accepted, 0 worsened." in err
    assert "fixed" not in err


def test_a_growing_cycle_is_reported_as_worsened_with_old_and_new_figures(legacy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(legacy, {"app/billing.py": "from app import tax\n", "app/tax.py": "from app import orders\n"})
    code, out, err = invoke(capsys, ".", "--baseline", "archlint-baseline.json", "--format", "json")
    assert code == 1
    data = json.loads(out)
    (finding,) = data["findings"]
    assert finding["code"] == "ARC101"
    assert finding["message"].endswith("[worsened since baseline: modules 2 -> 3]")
    assert finding["extra"]["baseline"]["old"] == {"modules": 2}
    assert finding["extra"]["baseline"]["new"] == {"modules": 3}
    assert data["summary"]["baseline"] == {"matched": 0, "worsened": 1, "fixed": 0}


def test_fixed_entries_are_counted_in_both_summaries(legacy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(legacy, {"app/billing.py": "def amount() -> int:\n    return 1\n"})
    code, out, err = invoke(capsys, ".", "--baseline", "archlint-baseline.json")
    assert (code, out) == (0, "")
    assert "archlint: 1 baseline entry is fixed; run --write-baseline to prune." in err
    code, out, _ = invoke(capsys, ".", "--baseline", "archlint-baseline.json", "--format", "json")
    assert json.loads(out)["summary"]["baseline"] == {"matched": 0, "worsened": 0, "fixed": 1}
    # a subset of rules cannot call entries of other rules fixed
    code, out, err = invoke(capsys, ".", "--baseline", "archlint-baseline.json", select="ARC2")
    assert "fixed" not in err


def test_baseline_from_config_and_a_stable_rewrite(legacy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (legacy / "pyproject.toml").write_text('[tool.archlint]\nbaseline = "archlint-baseline.json"\n')
    code, out, err = invoke(capsys, ".")
    assert (code, out) == (0, "") and "1 accepted" in err
    before = (legacy / "archlint-baseline.json").read_bytes()
    os.chmod(legacy / "archlint-baseline.json", 0o640)
    # --write-baseline ignores the configured baseline and rewrites the same bytes
    assert invoke(capsys, ".", "--write-baseline", "archlint-baseline.json")[0] == 0
    assert (legacy / "archlint-baseline.json").read_bytes() == before
    assert stat.S_IMODE(os.stat(legacy / "archlint-baseline.json").st_mode) == 0o640
    assert not [p.name for p in legacy.iterdir() if p.name.endswith(".tmp")]


def test_baseline_errors_are_one_line(chdir_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(chdir_tmp, LEGACY)
    code, _, err = invoke(capsys, ".", "--baseline", "missing.json")
    assert code == 2 and "baseline file not found: " in err and "--write-baseline" in err
    (chdir_tmp / "bad.json").write_text("{}")
    code, _, err = invoke(capsys, ".", "--baseline", "bad.json")
    assert code == 2 and "not an archlint baseline" in err
    code, _, err = invoke(capsys, ".", "--write-baseline", "b.json", "--diff", "HEAD")
    assert code == 2 and "cannot be combined" in err


def test_a_rising_fan_out_is_worsened(chdir_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    leaves = {f"app/m{i}.py": "" for i in range(20)}
    imports = "".join(f"from app import m{i}\n" for i in range(16))
    write_tree(chdir_tmp, {"app/__init__.py": "", **leaves, "app/hub.py": imports})
    assert invoke(capsys, ".", "--write-baseline", "b.json", select="ARC301")[0] == 0
    write_tree(chdir_tmp, {"app/hub.py": "# more above\n\n" + imports + "from app import m17\n"})
    code, out, _ = invoke(capsys, ".", "--baseline", "b.json", select="ARC301")
    assert code == 1
    assert out.startswith("app/hub.py:1:1: ARC301 ") and out.rstrip().endswith("[worsened since baseline: fan_out 16 -> 17]")


STABILITY_CASES = ["integrations/shared", "god_objects/god_class", "layers/zero_config", "type_hints/basic", "cycles/three_cycle"]


@pytest.mark.parametrize("case", STABILITY_CASES)
def test_fingerprints_survive_code_added_above(case: str, tmp_path: Path) -> None:
    """Every fingerprint of a multi-rule project is unchanged when every file gains lines on top."""
    import shutil

    from archlint import lint
    from archlint.config import Settings
    from harness import FIXTURES

    source = FIXTURES / case
    if not source.is_dir():
        pytest.skip(f"fixture {case} not present")
    before, after = tmp_path / "before", tmp_path / "after"
    shutil.copytree(source, before)
    shutil.copytree(source, after)
    for file in after.rglob("*.py"):
        text = file.read_text(encoding="utf-8", errors="surrogateescape")
        file.write_text("# added above\n\n\n" + text, encoding="utf-8", errors="surrogateescape")

    def prints(root: Path) -> list[tuple[str, str, str]]:
        report = lint(["."], cwd=str(root), settings=Settings(root=str(root)), use_cache=False, jobs=1)
        return sorted((f.path, f.code, f.fingerprint) for f in report.findings)

    first = prints(before)
    assert first and prints(after) == first


def test_a_baseline_used_from_another_directory_warns(legacy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.chdir(legacy / "app")
    code, out, err = invoke(capsys, ".", "--baseline", "../archlint-baseline.json")
    # paths, and so fingerprints, differ; the cycle is still recognised by its members
    assert (code, out) == (0, "") and "1 accepted" in err
    assert "archlint: warning: no file named in the baseline exists relative to the working directory" in err
