"""Issue 10, config: every wrong type or absurd value of every key archlint knows, and
malformed TOML, is a ``ConfigError`` naming the file, the key path and the line; the CLI
turns it into exit code 2 without a traceback.

The cases are generated from the options dataclasses the rules declare
(``archlint.rules.option_tables()``), so a key added by any rule family is covered the
day it lands. Each config puts an unrelated table first that defines the same key name,
so the reported line must come from the right table.
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from archlint.api import known_codes, settings_for
from archlint.config.loader import parse_settings
from archlint.exceptions import ConfigError
from archlint.rules import option_tables


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value in ("nan", "inf", "-inf"):
        return value
    if isinstance(value, str):
        return repr(value).replace("'", '"')
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f'"{k}" = {_toml(v)}' for k, v in value.items()) + " }"
    return repr(value)


def _bad_values(default: Any, meta: dict[str, Any]) -> list[tuple[Any, str]]:
    """(TOML value, words the problem must contain) for a field with this default."""
    if isinstance(default, bool):
        return [(1, "expected a boolean"), ("yes", "expected a boolean")]
    if isinstance(default, (int, float)):
        floaty = isinstance(default, float) or meta.get("float")
        low, high = meta.get("min", 0), meta.get("max")
        cases: list[tuple[Any, str]] = [("3", "expected"), (True, "expected"), (low - 1, "must be")]
        if not floaty:
            cases.append((1.5, "expected an integer"))
        else:
            cases += [("nan", "finite"), ("inf", "finite")]
        if high is not None:
            cases.append((high + 1, "must be between"))
        return cases
    if isinstance(default, str):
        cases = [(3, "expected a string")]
        if meta.get("choices"):
            cases.append(("no-such-choice", "must be one of"))
        return cases
    if isinstance(default, tuple):
        return [("just-a-string", "expected an array of strings"), ([1, 2], "expected an array of strings")]
    return []


def _option_cases() -> list[tuple[str, str, Any, str]]:
    cases = []
    for table, options in sorted(option_tables().items()):
        for spec in dataclasses.fields(options):
            default = spec.default if spec.default is not dataclasses.MISSING else spec.default_factory()  # type: ignore[misc]
            for value, words in _bad_values(default, dict(spec.metadata)):
                cases.append((table, spec.name.replace("_", "-"), value, words))
    return cases


OPTION_CASES = _option_cases()


def _problems(tmp_path: Path, text: str, name: str = "pyproject.toml") -> list[str]:
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        settings_for(["."], cwd=str(tmp_path))
    return info.value.problems


@pytest.mark.parametrize(
    ("table", "key", "value", "words"), OPTION_CASES, ids=[f"{t}.{k}={v!r}" for t, k, v, _ in OPTION_CASES]
)
def test_every_bad_option_value_names_file_key_and_line(tmp_path: Path, table: str, key: str, value: Any, words: str) -> None:
    text = (
        f'[tool.other]\n{key} = "decoy"\n\n[tool.archlint]\nfail-on = "warning"\n\n'
        f"[tool.archlint.{table}]\n# a comment\n{key} = {_toml(value)}\n"
    )
    problems = _problems(tmp_path, text)
    assert len(problems) == 1, problems
    prefix = f"{tmp_path / 'pyproject.toml'}:9: tool.archlint.{table}.{key}: "
    assert problems[0].startswith(prefix), problems
    assert words in problems[0]


def test_option_cases_cover_every_table() -> None:
    assert {case[0] for case in OPTION_CASES} == set(option_tables())


TOP_LEVEL: list[tuple[str, str, int, str]] = [
    ("select", '"ARC001"', 2, "expected an array of strings"),
    ("select", "[1]", 2, "expected an array of strings"),
    ("select", '["NOPE999"]', 2, "unknown rule code or prefix 'NOPE999'"),
    ("extend-select", '["ARC00x"]', 2, "unknown rule code or prefix"),
    ("ignore", '["XYZ"]', 2, "unknown rule code or prefix"),
    ("exclude", '"build"', 2, "expected an array of strings"),
    ("extend-exclude", "[true]", 2, "expected an array of strings"),
    ("fail-on", '"fatal"', 2, "must be one of 'error', 'warning'"),
    ("fail-on", "3", 2, "expected a string"),
    ("jobs", "0", 2, "must be between 1 and 1024, got 0"),
    ("jobs", "-4", 2, "must be between 1 and 1024"),
    ("jobs", "100000", 2, "must be between 1 and 1024"),
    ("jobs", '"4"', 2, "expected an integer"),
    ("jobs", "2.5", 2, "expected an integer"),
    ("jobs", "true", 2, "expected an integer"),
    ("cache-dir", "3", 2, "expected a string"),
    ("per-file-ignores", "3", 2, "expected a table"),
    ("god-object", "3", 2, "expected a table"),
    ("slect", '["ARC001"]', 2, "unknown key (did you mean 'select'?)"),
]


@pytest.mark.parametrize(("key", "value", "line", "words"), TOP_LEVEL, ids=[f"{k}={v}" for k, v, _, _ in TOP_LEVEL])
def test_every_bad_top_level_value_names_file_key_and_line(tmp_path: Path, key: str, value: str, line: int, words: str) -> None:
    problems = _problems(tmp_path, f"[tool.archlint]\n{key} = {value}\n")
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{tmp_path / 'pyproject.toml'}:{line}: tool.archlint.{key}: "), problems
    assert words in problems[0]


def test_bad_per_file_ignores_entry(tmp_path: Path) -> None:
    problems = _problems(tmp_path, '[tool.archlint.per-file-ignores]\n"tests/*.py" = ["ARC001"]\n"gen/*" = "ARC001"\n"x.py" = ["NOPE1"]\n')
    assert problems == [
        f"{tmp_path / 'pyproject.toml'}:3: tool.archlint.per-file-ignores.gen/*: expected an array of strings, got string 'ARC001'",
        f"{tmp_path / 'pyproject.toml'}:4: tool.archlint.per-file-ignores.x.py: unknown rule code or prefix 'NOPE1'",
    ]


def test_archlint_toml_reports_lines_too(tmp_path: Path) -> None:
    problems = _problems(tmp_path, 'select = ["ARC001"]\njobs = 0\n\n[god-object]\nmin-wmc = -3\n', name="archlint.toml")
    where = tmp_path / "archlint.toml"
    assert problems == [
        f"{where}:2: tool.archlint.jobs: must be between 1 and 1024, got 0",
        f"{where}:5: tool.archlint.god-object.min-wmc: must be >= 1, got -3",
    ]


def test_inline_and_dotted_tables_point_at_their_line(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "[tool.archlint]\ngod-object.min-wmc = -1\ncycles = { package-depth = -2 }\n")
    where = tmp_path / "pyproject.toml"
    assert problems == [
        f"{where}:2: tool.archlint.god-object.min-wmc: must be >= 1, got -1",
        f"{where}:3: tool.archlint.cycles.package-depth: must be >= 0, got -2",
    ]


def test_archlint_table_of_the_wrong_type(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "[tool]\narchlint = 3\n")
    assert problems == [f"{tmp_path / 'pyproject.toml'}: tool.archlint: expected a table, got int"]


MALFORMED = [
    ("unclosed-array", "[tool.archlint]\nselect = [\n", "3", "tool.archlint.select"),
    ("double-equals", "[tool.archlint]\njobs = = 2\n", "2:8", "tool.archlint.jobs"),
    ("duplicate-key", "[tool.archlint]\njobs = 2\njobs = 3\n", "3:", "tool.archlint.jobs"),
    ("unterminated-string", '[tool.archlint]\ncache-dir = "abc\n', "2:", "tool.archlint.cache-dir"),
    ("bad-header", "[tool.archlint\nselect = []\n", "1:15", ""),  # no key can be named
    ("duplicate-table", "[tool.archlint]\n[tool.archlint]\n", "2:", "tool.archlint"),
]


@pytest.mark.parametrize(("text", "where", "key"), [case[1:] for case in MALFORMED], ids=[case[0] for case in MALFORMED])
def test_malformed_toml_names_file_key_and_line(tmp_path: Path, text: str, where: str, key: str) -> None:
    problems = _problems(tmp_path, text)
    assert len(problems) == 1
    assert problems[0].startswith(f"{tmp_path / 'pyproject.toml'}:{where}"), problems
    assert (f": {key}: invalid TOML: " if key else f"{where}: invalid TOML: ") in problems[0], problems


def test_config_file_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_bytes(b"[tool.archlint]\nselect = ['\xff']\n")
    with pytest.raises(ConfigError, match=r"pyproject.toml: cannot read config file"):
        settings_for(["."], cwd=str(tmp_path))


@dataclass(frozen=True)
class _RegexOptions:
    patterns: tuple[str, ...] = field(default=(), metadata={"doc": "d", "regex": True})


def test_uncompilable_regex_is_reported() -> None:
    """No built-in option is a regular expression today; the schema's ``regex`` check is
    exercised on a demo options table."""
    text = '[tool.archlint.demo]\npatterns = ["ok.*", "(unclosed"]\n'
    with pytest.raises(ConfigError) as info:
        parse_settings(
            {"demo": {"patterns": ["ok.*", "(unclosed"]}},
            source="pyproject.toml",
            text=text,
            option_tables={"demo": _RegexOptions},
            known_codes=known_codes(),
            root=".",
        )
    assert info.value.problems == [
        "pyproject.toml:2: tool.archlint.demo.patterns: invalid regular expression '(unclosed': "
        "missing ), unterminated subpattern at position 0"
    ]


def test_cli_exits_2_with_every_problem_and_no_traceback(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.archlint]\njobs = 0\n\n[tool.archlint.god-object]\nmin-wmc = -1\n")
    (tmp_path / "mod.py").write_text("x = 1\n")
    result = subprocess.run([sys.executable, "-m", "archlint", "."], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"archlint: error: {tmp_path.resolve() / 'pyproject.toml'}:2: tool.archlint.jobs: must be between 1 and 1024, got 0",
        f"archlint: error: {tmp_path.resolve() / 'pyproject.toml'}:5: tool.archlint.god-object.min-wmc: must be >= 1, got -1",
    ]
    bad_toml = subprocess.run(
        [sys.executable, "-m", "archlint", "--config", "broken.toml", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        input="",
    )
    assert bad_toml.returncode == 2 and "config file not found" in bad_toml.stderr
    (tmp_path / "archlint.toml").write_text("jobs = = 1\n")
    result = subprocess.run([sys.executable, "-m", "archlint", "."], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().endswith("archlint.toml:1:8: jobs: invalid TOML: Invalid value")
