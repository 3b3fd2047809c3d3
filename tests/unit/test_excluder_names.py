"""A name pattern of ``exclude`` matches exactly the names ``fnmatchcase`` matches,
whether it has wildcards (a regular expression) or not (a set look-up)."""

from __future__ import annotations

import fnmatch
from pathlib import Path

from archlint.config.schema import DEFAULT_EXCLUDES
from archlint.engine.discovery import Excluder

PATTERNS = (
    *DEFAULT_EXCLUDES, "a.b", "x+y", "(z)", "[ab]c", "[unclosed", "?x", "*", "data*", "We\u00efrd", "a\\b", "^$",
)
NAMES = (
    ".git", "git", ".gitx", "venv", "xvenv", "pkg.egg-info", "egg-info", "a.b", "axb", "x+y", "xxy", "(z)", "z",
    "ac", "bc", "cc", "[ab]c", "[unclosed", "unclosed", "ax", "x", "xx", "data", "data.py", "We\u00efrd", "weïrd",
    "a\\b", "^$", "", "build", "build2", "node_modules", "site-packages", "__pycache__",
)


def test_each_name_pattern_matches_what_fnmatchcase_matches() -> None:
    for pattern in PATTERNS:
        excluder = Excluder([pattern], Path("/project"))
        for name in NAMES:
            assert excluder.excluded_entry(f"/elsewhere/{name}", name) == fnmatch.fnmatchcase(name, pattern), (pattern, name)


def test_the_patterns_together_match_what_any_of_them_matches() -> None:
    excluder = Excluder(PATTERNS, Path("/project"))
    for name in NAMES:
        expected = any(fnmatch.fnmatchcase(name, pattern) for pattern in PATTERNS)
        assert excluder.excluded_entry(f"/elsewhere/{name}", name) == expected, name
