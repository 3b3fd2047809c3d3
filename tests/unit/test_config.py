"""Config discovery and validation: every problem at once, with file, key, line and a suggestion."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from archlint.config.loader import find_config, load_settings
from archlint.domain.finding import Severity
from archlint.exceptions import ConfigError
from harness import write_tree


@dataclass(frozen=True)
class DemoOptions:
    max_things: int = field(default=10, metadata={"doc": "d"})
    ratio: float = field(default=0.5, metadata={"doc": "d", "float": True, "max": 1})
    strict: bool = field(default=False, metadata={"doc": "d"})
    names: tuple[str, ...] = field(default=(), metadata={"doc": "d", "regex": True})


CODES = ["ARC001", "ARC101", "ARC201"]


def load(root: Path, **kwargs: object):
    return load_settings(
        paths=["."], config_file=None, option_tables={"demo": DemoOptions}, known_codes=CODES, cwd=root, **kwargs
    )


def test_no_config_gives_defaults(tmp_path: Path) -> None:
    settings = load(tmp_path)
    assert settings.config_path is None and settings.select is None and settings.fail_on is Severity.WARNING


def test_pyproject_table_is_read(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": (
                "[tool.archlint]\nselect = ['ARC1']\nignore = ['ARC101']\nfail-on = 'error'\njobs = 3\n"
                "extend-exclude = ['gen']\n[tool.archlint.per-file-ignores]\n'tests/*' = ['ARC2']\n"
                "[tool.archlint.demo]\nmax-things = 3\nratio = 0.25\nnames = ['a.*']\n"
            )
        },
    )
    settings = load(tmp_path)
    assert settings.select == ("ARC1",) and settings.ignore == ("ARC101",)
    assert settings.fail_on is Severity.ERROR and settings.jobs == 3
    assert settings.all_excludes[-1] == "gen"
    assert settings.per_file_ignores == (("tests/*", ("ARC2",)),)
    assert settings.option("demo", DemoOptions) == DemoOptions(max_things=3, ratio=0.25, names=("a.*",))
    assert settings.root == str(tmp_path.resolve())


def test_every_problem_is_reported_at_once_with_line_and_suggestion(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": (
                "[project]\nname = 'x'\n\n[tool.archlint]\nselekt = ['ARC1']\nignore = ['ARC9']\njobs = 0\n"
                "fail-on = 'sometimes'\n[tool.archlint.demo]\nmax-thing = 3\nratio = 'high'\nstrict = 1\nnames = ['(']\n"
            )
        },
    )
    with pytest.raises(ConfigError) as info:
        load(tmp_path)
    problems = info.value.problems
    text = "\n".join(problems)
    assert len(problems) == 8, text
    assert "pyproject.toml:5: tool.archlint.selekt: unknown key (did you mean 'select'?)" in text
    assert "tool.archlint.ignore: unknown rule code or prefix 'ARC9'" in text
    assert "tool.archlint.jobs: must be between 1 and 1024, got 0" in text
    assert "tool.archlint.fail-on: must be one of 'error', 'warning'" in text
    assert "tool.archlint.demo.max-thing: unknown option (did you mean 'max-things'?)" in text
    assert "tool.archlint.demo.ratio: expected a number, got string 'high'" in text
    assert "tool.archlint.demo.strict: expected a boolean" in text
    assert "invalid regular expression '('" in text


def test_negative_threshold_is_rejected(tmp_path: Path) -> None:
    write_tree(tmp_path, {"archlint.toml": "[demo]\nmax-things = -1\n"})
    with pytest.raises(ConfigError, match=r"archlint.toml:2: tool.archlint.demo.max-things: must be >= 0"):
        load(tmp_path)


def test_malformed_toml_names_file_and_line(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": "[tool.archlint]\nselect = [\n"})
    with pytest.raises(ConfigError, match=r"pyproject.toml:3: tool.archlint.select: invalid TOML: Invalid value at end of document"):
        load(tmp_path)
    write_tree(tmp_path, {"pyproject.toml": "[tool.archlint]\njobs = = 2\nselect = []\n"})
    with pytest.raises(ConfigError, match=r"pyproject.toml:2:8: tool.archlint.jobs: invalid TOML: Invalid value$"):
        load(tmp_path)


def test_config_is_found_walking_up_and_archlint_toml_wins(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": "[tool.archlint]\n", "src/pkg/__init__.py": "", "sub/archlint.toml": ""})
    assert find_config(tmp_path / "src" / "pkg") == (tmp_path / "pyproject.toml").resolve()
    assert find_config(tmp_path / "sub") == (tmp_path / "sub" / "archlint.toml").resolve()


def test_pyproject_without_our_table_is_skipped(tmp_path: Path) -> None:
    write_tree(tmp_path, {"pyproject.toml": "[tool.archlint]\n", "inner/pyproject.toml": "[project]\nname='x'\n"})
    assert find_config(tmp_path / "inner") == (tmp_path / "pyproject.toml").resolve()


def test_explicit_config_file(tmp_path: Path) -> None:
    write_tree(tmp_path, {"conf/custom.toml": "select = ['ARC2']\n"})
    settings = load_settings(paths=["."], config_file="conf/custom.toml", option_tables={}, known_codes=CODES, cwd=tmp_path)
    assert settings.select == ("ARC2",)
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(paths=["."], config_file="nope.toml", option_tables={}, known_codes=CODES, cwd=tmp_path)


def test_tool_archlint_table_in_archlint_toml_gets_a_hint(tmp_path: Path) -> None:
    write_tree(tmp_path, {"archlint.toml": "# ours\n[tool.archlint]\nselect = ['ARC1']\n"})
    with pytest.raises(ConfigError, match=r"archlint.toml:2: tool.archlint: archlint.toml takes archlint's keys at the top level"):
        load(tmp_path)
