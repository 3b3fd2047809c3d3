"""The command line as a user meets it: exit codes, outputs, errors, determinism."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import archlint
from archlint import cli
from harness import REPO, write_tree

BROKEN = {
    "pkg/__init__.py": "",
    "pkg/a.py": "from pkg import b\n\n\ndef run() -> None:\n    b.go()\n",
    "pkg/b.py": "def go() -> None:\n    pass\n",
    "pkg/bad.py": "def broken(:\n    pass\n",
    "pkg/worse.py": "x = 1\x00\n",
}


def invoke(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``archlint ARGS`` in-process through the real entry point.

    Check runs are scoped to the foundation's own rules (``ARC0``) unless the test
    selects otherwise: these tests are about the command line, not the rule families."""
    argv = list(args)
    if argv and argv[0] not in ("rules", "rule", "--version") and not {"--select", "--ignore"} & set(argv):
        head = argv[:1] if argv[0] == "check" else []
        argv = [*head, "--select", "ARC0", *argv[len(head) :]]
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


@pytest.fixture()
def project(chdir_tmp: Path) -> Path:
    return write_tree(chdir_tmp, BROKEN)


def test_findings_exit_1_with_problem_matcher_lines(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = invoke(capsys, "--no-cache", ".")
    assert code == 1
    assert out.splitlines() == [
        "pkg/bad.py:1:12: ARC001 cannot analyse file: syntax error: invalid syntax",
        "pkg/worse.py:1:6: ARC001 cannot analyse file: source contains null bytes",
    ]
    assert err.strip() == "archlint: 2 findings (2 errors, 0 warnings, 0 info) in 5 files (5 modules)."


def test_check_is_the_default_subcommand(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert invoke(capsys, "--no-cache", "pkg")[:2] == invoke(capsys, "check", "--no-cache", "pkg")[:2]


def test_clean_project_exits_0(chdir_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(chdir_tmp, {"pkg/__init__.py": '"""Doc."""\n'})
    code, out, err = invoke(capsys, "--no-cache")
    assert (code, out) == (0, "")
    assert "no findings in 1 files" in err


def test_exit_zero_quiet_and_statistics(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = invoke(capsys, "--no-cache", "--exit-zero", "--quiet", "--statistics", ".")
    assert code == 0 and err == ""
    assert out.splitlines()[-1].split() == ["2", "ARC001", "unparsable-file"]


def test_select_and_ignore(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert invoke(capsys, "--no-cache", "--ignore", "ARC0", ".")[0] == 0
    assert invoke(capsys, "--no-cache", "--select", "ARC001", ".")[0] == 1
    code, _, err = invoke(capsys, "--no-cache", "--select", "ARC9", ".")
    assert code == 2 and "unknown rule code or prefix: ARC9" in err


def test_bad_path_exits_2_with_one_line(chdir_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = invoke(capsys, "does/not/exist")
    assert (code, out) == (2, "")
    assert err == "archlint: error: path does not exist: does/not/exist\n"


def test_unknown_config_key_exits_2_naming_file_key_and_suggestion(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "pyproject.toml").write_text("[tool.archlint]\nselct = ['ARC1']\n")
    code, out, err = invoke(capsys, ".")
    assert (code, out) == (2, "")
    assert err.endswith("pyproject.toml:2: tool.archlint.selct: unknown key (did you mean 'select'?)\n")
    assert "Traceback" not in err


def test_fail_on_error_and_info_never_fails(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "pyproject.toml").write_text("[tool.archlint]\nfail-on = 'error'\n")
    assert invoke(capsys, "--no-cache", ".")[0] == 1


def test_internal_error_is_one_line_and_exit_2(project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("archlint.engine.runner.run", explode)  # api.lint imports it on each call
    code, out, err = invoke(capsys, "--no-cache", ".")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "internal error: RuntimeError: boom" in err and "--debug" in err
    code, _, err = invoke(capsys, "--no-cache", "--debug", ".")
    assert code == 2 and "Traceback" in err


def test_json_contract(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = invoke(capsys, "--no-cache", "--format", "json", ".")
    data = json.loads(out)
    assert code == 1
    assert list(data) == ["version", "tool", "findings", "summary"]
    assert data["version"] == 1 and data["tool"] == {"name": "archlint", "version": archlint.__version__}
    finding = data["findings"][0]
    assert list(finding) == [
        "code", "name", "message", "path", "line", "column", "end_line", "end_column",
        "severity", "checklist", "fingerprint", "extra",
    ]
    assert finding["code"] == "ARC001" and finding["name"] == "unparsable-file" and finding["severity"] == "error"
    assert re.fullmatch(r"[0-9a-f]{16}", finding["fingerprint"])
    assert finding["checklist"] == ["Error handling strategy defined"]
    summary = data["summary"]
    assert (summary["files"], summary["modules"], summary["findings"]) == (5, 5, 2)
    assert summary["by_code"] == {"ARC001": 2}
    assert isinstance(summary["duration_s"], float)


def _without_duration(text: str) -> str:
    return re.sub(r'"duration_s": [0-9.e-]+', '"duration_s": 0', text)


def test_same_bytes_whatever_jobs_and_cache(chdir_tmp: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    files = {f"pkg/m{i}.py": f"from pkg import m{(i + 1) % 90}\n" for i in range(90)}
    files["pkg/__init__.py"] = ""
    files["pkg/bad.py"] = "def (:\n"
    write_tree(chdir_tmp, files)
    monkeypatch.setattr("archlint.engine.workers.PARALLEL_THRESHOLD", 4)
    outputs = {
        _without_duration(invoke(capsys, "--format", "json", *args)[1])
        for args in (["--no-cache", "-j", "1"], ["--no-cache", "-j", "2"], ["--no-cache", "-j", "8"], [], [])
    }
    assert len(outputs) == 1
    assert (chdir_tmp / ".archlint_cache" / ".gitignore").is_file()


def test_output_file_and_format_equals_path(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = invoke(capsys, "--no-cache", "-o", "report.txt", "-o", "json=report.json", ".")
    assert code == 1 and out == ""
    assert (project / "report.txt").read_text().count("ARC001") == 2
    assert json.loads((project / "report.json").read_text())["summary"]["findings"] == 2


def test_no_colour_unless_tty(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = invoke(capsys, "--no-cache", ".")
    assert "\x1b[" not in out


def test_colour_on_tty_but_not_with_no_color(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert cli._colour(Tty())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not cli._colour(Tty())


def test_vscode_problem_matcher_from_readme_matches_real_output(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    readme = (REPO / "README.md").read_text()
    regexp = json.loads(re.search(r'"regexp": ("[^\n]+"),', readme).group(1))
    _, out, _ = invoke(capsys, "--no-cache", ".")
    matches = [re.match(regexp, line) for line in out.splitlines()]
    assert all(matches) and len(matches) == 2
    first = matches[0]
    assert first.groups() == ("pkg/bad.py", "1", "12", "ARC001", "cannot analyse file: syntax error: invalid syntax")


def test_rules_and_rule_commands(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = invoke(capsys, "rules")
    assert code == 0 and out.startswith("ARC001  unparsable-file")
    code, out, _ = invoke(capsys, "rule", "arc001")
    assert code == 0
    for heading in ("ARC001 unparsable-file", "Default severity: error", "Checklist items:", "What it does", "Why is this bad?", "Example", "How to fix"):
        assert heading in out
    code, _, err = invoke(capsys, "rule", "ARC999")
    assert code == 2 and "unknown rule: ARC999" in err
    code, out, _ = invoke(capsys, "rules", "--format", "json")
    assert json.loads(out)[0]["code"] == "ARC001"


def test_folder_named_like_a_subcommand(chdir_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(chdir_tmp, {"rules/__init__.py": "def (:\n"})
    code, out, _ = invoke(capsys, "--no-cache", "./rules")
    assert code == 1 and out.startswith("rules/__init__.py:1:")


def test_version_matches_package_metadata(capsys: pytest.CaptureFixture[str]) -> None:
    from importlib.metadata import version

    code, out, _ = invoke(capsys, "--version")
    assert code == 0 and out.strip() == f"archlint, version {archlint.__version__}"
    assert version("archlint") == archlint.__version__


def test_python_dash_m_and_console_script(project: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "archlint", "--no-cache", "."], capture_output=True, text=True, cwd=project, check=False)
    assert result.returncode == 1 and result.stdout.count("ARC001") == 2
    assert "Traceback" not in result.stderr
