"""Find the configuration file and turn it into :class:`Settings`.

The nearest ``archlint.toml`` (top-level keys) or ``pyproject.toml`` with a
``[tool.archlint]`` table, walking up from the first analysed path, else from the
current directory. ``--config FILE`` names one explicitly.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from archlint.config.schema import FAIL_ON, Problems, Settings, check_value, key_at, parse_options, suggest
from archlint.domain.finding import Severity
from archlint.domain.selection import unknown_patterns
from archlint.exceptions import ConfigError

_LIST_KEYS = ("select", "extend-select", "ignore", "exclude", "extend-exclude")
_SCALAR_KEYS: dict[str, tuple[Any, dict[str, Any]]] = {
    "fail-on": ("warning", {"choices": FAIL_ON}),
    "cache-dir": ("", {}),
    "baseline": ("", {}),
    "jobs": (1, {"min": 1, "max": 1024}),
}
_TABLE_KEYS = ("per-file-ignores",)


def _read_toml(path: Path) -> tuple[dict[str, Any], str]:
    """The parsed TOML of ``path`` and its text. The parser is imported here: a run
    that finds no config file never needs it (startup time)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib

    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{path}: cannot read config file: {exc}"]) from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"\(at line (\d+), column (\d+)\)", message)
        if found:
            line = int(found.group(1))
            where = f"{path}:{line}:{found.group(2)}"
            message = message[: found.start()].strip()
        else:
            line = text.count(chr(10)) + 1
            where = f"{path}:{line}"
            message = message.replace(" (at end of document)", " at end of document")
        key = key_at(text, line)
        raise ConfigError([f"{where}: {key + ': ' if key else ''}invalid TOML: {message}"]) from None


def _archlint_table(path: Path, data: dict[str, Any]) -> dict[str, Any] | None:
    if path.name == "pyproject.toml":
        tool = data.get("tool")
        table = tool.get("archlint") if isinstance(tool, dict) else None
        if table is not None and not isinstance(table, dict):
            raise ConfigError([f"{path}: tool.archlint: expected a table, got {type(table).__name__}"])
        return table
    return data




def find_config(start: Path) -> Path | None:
    """The nearest config file at or above ``start`` that configures archlint."""
    directory = start if start.is_dir() else start.parent
    directory = directory.resolve()
    for folder in (directory, *directory.parents):
        candidate = folder / "archlint.toml"
        if candidate.is_file():
            return candidate
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            data, _ = _read_toml(candidate)
            if _archlint_table(candidate, data) is not None:
                return candidate
    return None


def load_settings(
    *,
    paths: Sequence[str],
    config_file: str | None,
    option_tables: Mapping[str, type],
    known_codes: Sequence[str],
    cwd: Path,
) -> Settings:
    """Settings from the explicit or discovered config file (defaults when none)."""
    if config_file is not None:
        path = cwd / config_file
        if not path.is_file():
            raise ConfigError([f"{config_file}: config file not found"])
    else:
        found = find_config(cwd / paths[0] if paths else cwd) or find_config(cwd)
        if found is None:
            return Settings(root=str(cwd))
        path = found
    data, text = _read_toml(path)
    table = _archlint_table(path, data)
    if table is None:
        raise ConfigError([f"{path}: no [tool.archlint] table"])
    tool = table.get("tool") if path.name != "pyproject.toml" else None
    if isinstance(tool, dict) and "archlint" in tool:
        line = text[: text.find("[tool.archlint")].count("\n") + 1 if "[tool.archlint" in text else 1
        raise ConfigError(
            [
                f"{path}:{line}: tool.archlint: {path.name} takes archlint's keys at the top level; "
                "remove the [tool.archlint] prefix (it belongs in pyproject.toml)"
            ]
        )
    source = str(path)
    return parse_settings(table, source=source, text=text, option_tables=option_tables, known_codes=known_codes, root=str(path.resolve().parent))


def parse_settings(
    table: Mapping[str, Any],
    *,
    source: str,
    text: str,
    option_tables: Mapping[str, type],
    known_codes: Sequence[str],
    root: str,
) -> Settings:
    """Validate a ``[tool.archlint]`` table; raise :class:`ConfigError` with every problem."""
    from archlint.config.contracts import CONTRACT_KEYS, parse_contracts  # only with a config file

    problems = Problems(source, text)
    known_keys = sorted([*_LIST_KEYS, *_SCALAR_KEYS, *_TABLE_KEYS, *CONTRACT_KEYS, *option_tables])
    values: dict[str, Any] = {}
    options: dict[str, Any] = {}
    for key, value in table.items():
        key_path = f"tool.archlint.{key}"
        if key in _LIST_KEYS:
            checked = check_value(problems, key_path, (), value, {})
            if key in ("select", "extend-select", "ignore"):
                for bad in unknown_patterns(checked, known_codes):
                    problems.add(key_path, f"unknown rule code or prefix {bad!r}{suggest(bad, list(known_codes))}")
            values[key.replace("-", "_")] = checked
        elif key in _SCALAR_KEYS:
            default, meta = _SCALAR_KEYS[key]
            values[key.replace("-", "_")] = check_value(problems, key_path, default, value, meta)
        elif key == "per-file-ignores":
            values["per_file_ignores"] = _per_file_ignores(problems, value, known_codes)
        elif key in CONTRACT_KEYS:
            continue  # validated by parse_contracts below
        elif key in option_tables:
            options[key] = parse_options(problems, key, option_tables[key], value)
        else:
            problems.add(key_path, f"unknown key{suggest(key, known_keys)}")
    parsed = parse_contracts(problems, table)
    if problems.items:
        raise ConfigError(problems.items)
    if "fail_on" in values:
        values["fail_on"] = Severity(values["fail_on"])
    if values.get("cache_dir") == "":
        values.pop("cache_dir")
    if values.get("baseline") == "":
        values.pop("baseline")
    if "exclude" in values:
        values["exclude"] = tuple(values["exclude"])
    return Settings(
        **values,
        options=options,
        config_path=source,
        root=root,
        contracts=parsed.contracts,
        layers_auto=parsed.layers_auto,
    )


def _per_file_ignores(problems: Problems, value: Any, known_codes: Sequence[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    key_path = "tool.archlint.per-file-ignores"
    if not isinstance(value, dict):
        problems.add(key_path, "expected a table of glob = [codes]")
        return ()
    result: list[tuple[str, tuple[str, ...]]] = []
    for glob, codes in value.items():
        checked = check_value(problems, f"{key_path}.{glob}", (), codes, {})
        for bad in unknown_patterns(checked, known_codes):
            problems.add(f"{key_path}.{glob}", f"unknown rule code or prefix {bad!r}{suggest(bad, list(known_codes))}")
        result.append((glob, tuple(checked)))
    return tuple(sorted(result))
