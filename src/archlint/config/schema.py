"""Typed, frozen settings and their validation.

Every problem in a config file is collected and reported at once, each naming the file,
the key path and (where it can be found) the line, with a ``did you mean`` suggestion
for near-miss keys. Rule-family option tables are validated against the options
dataclasses the rules declare, so a rule's options are documented and checked in one
place.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from archlint.domain.finding import Severity
from archlint.domain.selection import Selection

if TYPE_CHECKING:  # the contracts' module loads only where contracts are parsed or checked
    from archlint.domain.contracts import Contract

DEFAULT_EXCLUDES: tuple[str, ...] = (
    ".git",
    ".hg",
    ".svn",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    "__pycache__",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    ".eggs",
    "*.egg-info",
    ".archlint_cache",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
)

FAIL_ON = ("error", "warning")


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Everything a run needs to know, after config file and CLI are merged."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDES
    extend_exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    fail_on: Severity = Severity.WARNING
    cache_dir: str | None = None
    jobs: int | None = None
    baseline: str | None = None
    """``baseline = "..."``: the baseline file, relative to the config file's folder."""
    options: Mapping[str, Any] = field(default_factory=dict)
    config_path: str | None = None
    root: str = "."
    contracts: tuple[Contract, ...] = ()
    """Import contracts from ``[tool.archlint.layers|forbidden|independence]``."""
    layers_auto: bool = True
    """Zero-config layering by conventional names (``layers = false`` turns it off)."""

    def option(self, table: str, options_type: type) -> Any:
        """The validated options of ``[tool.archlint.<table>]`` (defaults when absent)."""
        value = self.options.get(table)
        return value if value is not None else options_type()

    @property
    def selection(self) -> Selection:
        """Which rules run: ``select``, ``extend-select`` and ``ignore`` together."""
        return Selection(select=self.select, extend_select=self.extend_select, ignore=self.ignore)

    @property
    def all_excludes(self) -> tuple[str, ...]:
        """``exclude`` plus ``extend-exclude``."""
        return self.exclude + self.extend_exclude


def suggest(name: str, candidates: list[str]) -> str:
    """`` (did you mean 'x'?)`` when a candidate is close to ``name``, else ``""``."""
    import difflib  # only a configuration or usage error needs it (startup time)

    close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class Problems:
    """Collects config problems with the file, key path and line of each."""

    def __init__(self, source: str, text: str) -> None:
        self.source = source
        self.text = text
        self.items: list[str] = []
        self._keys: dict[str, int] | None = None

    def line_of(self, key_path: str) -> int | None:
        """Line number of ``key_path`` in the file: the line that defines exactly that
        key (tracking ``[table]`` headers and dotted keys, so a key that also exists in
        another table is not confused with it), else the line of its nearest defined
        parent (an inline table), else any line defining the last component."""
        if self._keys is None:
            self._keys = _key_lines(self.text)
        wanted = key_path if "[tool.archlint" in self.text or "tool.archlint." in self.text else key_path.removeprefix("tool.archlint.")
        probe = wanted
        while probe and probe not in ("tool", "tool.archlint"):
            if probe in self._keys:
                return self._keys[probe]
            probe = probe.rpartition(".")[0]
        key = key_path.rsplit(".", 1)[-1]
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=", re.MULTILINE)
        match = pattern.search(self.text)
        if match is None:
            header = re.compile(rf"^\s*\[[^\]]*{re.escape(key)}\s*\]", re.MULTILINE).search(self.text)
            match = header
        return self.text.count("\n", 0, match.start()) + 1 if match else None

    def add(self, key_path: str, message: str) -> None:
        """Record ``message`` about ``key_path``."""
        line = self.line_of(key_path)
        where = f"{self.source}:{line}" if line else self.source
        self.items.append(f"{where}: {key_path}: {message}")


# Patterns of TOML lines, compiled (and cached by ``re``) on first use: only a config
# file with a problem needs them, and compiling them costs a warm run's startup.
_HEADER = r"^\s*\[\[?\s*(?P<name>[^\]]+?)\s*\]\]?\s*(?:#.*)?$"
_KEY = r"^\s*(?P<key>(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'))*)\s*="
_PART = r"[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'"


def _dotted(raw: str) -> str:
    """``tool . "archlint" . x`` -> ``tool.archlint.x``."""
    return ".".join(part.strip("\"'") for part in re.findall(_PART, raw))


def _key_lines(text: str) -> dict[str, int]:
    """Full dotted key path -> line of its first definition, from a line scan of TOML
    text (headers and ``key =`` lines at the start of a line; lines inside multi-line
    strings are skipped)."""
    found: dict[str, int] = {}
    table = ""
    in_string = False
    for number, line in enumerate(text.splitlines(), start=1):
        quotes = line.count('"""') + line.count("'''")
        if in_string:
            in_string = quotes % 2 == 0
            continue
        header = re.match(_HEADER, line)
        if header is not None:
            table = _dotted(header.group("name"))
            found.setdefault(table, number)
        else:
            key = re.match(_KEY, line)
            if key is not None:
                full = f"{table}.{_dotted(key.group('key'))}" if table else _dotted(key.group("key"))
                found.setdefault(full, number)
        if quotes % 2 == 1:
            in_string = True
    return found


def key_at(text: str, line: int) -> str:
    """The dotted key being defined at ``line`` of TOML ``text``: the last ``key =`` (or
    ``[table]`` header) at or before that line; ``""`` when there is none. Used to name
    the key of a TOML syntax error."""
    head = "\n".join(text.splitlines()[:line])
    keys = _key_lines(head)
    if not keys:
        return ""
    return max(keys.items(), key=lambda item: (item[1], len(item[0])))[0]


def _str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _type_name(value: Any) -> str:
    return {bool: "boolean", int: "integer", float: "number", str: "string", list: "array", dict: "table"}.get(
        type(value), type(value).__name__
    )


def check_value(problems: Problems, key_path: str, default: Any, value: Any, meta: Mapping[str, Any]) -> Any:
    """Validate ``value`` against the type of ``default``; return the converted value."""
    expected = meta.get("kind")
    if isinstance(default, bool) or expected == "bool":
        if not isinstance(value, bool):
            problems.add(key_path, f"expected a boolean, got {_type_name(value)} {value!r}")
            return default
        return value
    if isinstance(default, (int, float)) and not isinstance(default, bool):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or (
            isinstance(default, int) and not isinstance(value, int) and not meta.get("float")
        ):
            want = "an integer" if isinstance(default, int) and not meta.get("float") else "a number"
            problems.add(key_path, f"expected {want}, got {_type_name(value)} {value!r}")
            return default
        if isinstance(value, float) and not math.isfinite(value):
            problems.add(key_path, f"must be a finite number, got {value!r}")
            return default
        low = meta.get("min", 0)
        high = meta.get("max")
        if value < low or (high is not None and value > high):
            bound = f"between {low} and {high}" if high is not None else f">= {low}"
            problems.add(key_path, f"must be {bound}, got {value!r}")
            return default
        return value
    if isinstance(default, str):
        if not isinstance(value, str):
            problems.add(key_path, f"expected a string, got {_type_name(value)} {value!r}")
            return default
        choices = meta.get("choices")
        if choices and value not in choices:
            problems.add(key_path, f"must be one of {', '.join(map(repr, choices))}, got {value!r}")
            return default
        return value
    if isinstance(default, tuple):
        if not _str_list(value):
            problems.add(key_path, f"expected an array of strings, got {_type_name(value)} {value!r}")
            return default
        if meta.get("regex"):
            for item in value:
                try:
                    re.compile(item)
                except re.error as exc:
                    problems.add(key_path, f"invalid regular expression {item!r}: {exc}")
        return tuple(value)
    return value


def parse_options(problems: Problems, table: str, options_type: type, raw: Any) -> Any:
    """Build an options dataclass from the TOML table ``raw``, recording problems."""
    key_path = f"tool.archlint.{table}"
    if not isinstance(raw, dict):
        problems.add(key_path, f"expected a table, got {_type_name(raw)}")
        return options_type()
    fields = {f.name.replace("_", "-"): f for f in dataclasses.fields(options_type)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        spec = fields.get(key)
        if spec is None:
            problems.add(f"{key_path}.{key}", f"unknown option{suggest(key, sorted(fields))}")
            continue
        default = spec.default if spec.default is not dataclasses.MISSING else spec.default_factory()  # type: ignore[misc]
        values[spec.name] = check_value(problems, f"{key_path}.{key}", default, value, spec.metadata)
    return options_type(**values)


Checker = Callable[[Problems, str, Any], Any]
