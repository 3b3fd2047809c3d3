"""Content-addressed facts cache: one JSON file per project and settings.

A warm run reads one file. Entries are keyed by the file's path and the BLAKE2 hash of
its bytes, under a key made of the archlint version, the facts schema version and the
Python version (the ``ast`` differs between versions). Writes go to a temporary file
that replaces the old one atomically, so concurrent runs never see a torn file; a
corrupt, truncated or foreign cache is ignored and rewritten; an unwritable cache folder
degrades to no cache with a warning.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
import typing
from pathlib import Path
from typing import Any

from archlint._version import __version__
from archlint.atomic import atomic_write
from archlint.domain.facts import FACTS_VERSION, FileFacts
from archlint.engine.codec import decode, encode

_GITIGNORE = "# Created by archlint: the facts cache is local state.\n*\n"


def content_hash(source: bytes) -> str:
    """Hash of a file's bytes."""
    return hashlib.blake2b(source, digest_size=16).hexdigest()


def _shape(kind: Any, seen: set[Any]) -> str:
    """A description of the facts' structure: field names and types, recursively."""
    if not (dataclasses.is_dataclass(kind) and isinstance(kind, type)) or kind in seen:
        return str(kind)
    seen.add(kind)
    hints = typing.get_type_hints(kind)
    inner = ",".join(f"{f.name}:{hints[f.name]}" for f in dataclasses.fields(kind))
    nested = "".join(_shape(arg, seen) for hint in hints.values() for arg in _leaves(hint))
    return f"{kind.__qualname__}({inner}){nested}"


def _leaves(hint: Any) -> list[Any]:
    args = typing.get_args(hint)
    return [leaf for arg in args for leaf in _leaves(arg)] if args else [hint]


def cache_key(extra: str = "") -> str:
    """Everything that invalidates all facts at once: the archlint version, the facts'
    structure (any new field changes it), the Python version and ``extra``."""
    shape = _shape(FileFacts, set())
    parts = f"{__version__}|{FACTS_VERSION}|{shape}|{sys.version_info[:2]}|{sys.implementation.name}|{extra}"
    return hashlib.blake2b(parts.encode(), digest_size=8).hexdigest()


class FactsCache:
    """Load once, look up per file, save once."""

    def __init__(self, directory: Path, key: str) -> None:
        self.directory = directory
        self.key = key
        self.file = directory / f"facts-{key}.json"
        self._entries: dict[str, tuple[str, Any]] = {}
        self._fresh: dict[str, tuple[str, Any]] = {}
        self.warnings: list[str] = []

    def load(self) -> None:
        """Read the cache file; anything unreadable or malformed counts as empty."""
        try:
            raw = self.file.read_bytes()
        except OSError:
            return
        try:
            data = json.loads(raw)
            if data.get("key") != self.key or not isinstance(data.get("entries"), dict):
                return
            self._entries = {path: (entry[0], entry[1]) for path, entry in data["entries"].items()}
        except (ValueError, TypeError, AttributeError, IndexError, KeyError, RecursionError, MemoryError):
            self._entries = {}

    def get(self, path: str, digest: str) -> FileFacts | None:
        """Cached facts of ``path`` when its content hash is unchanged."""
        entry = self._entries.get(path)
        if entry is None or entry[0] != digest:
            return None
        try:
            facts = decode(FileFacts, entry[1])
        except (TypeError, ValueError, IndexError, KeyError, AttributeError, RecursionError):
            return None
        if not isinstance(facts, FileFacts) or facts.path != path:
            return None
        self._fresh[path] = entry
        return facts

    def put(self, path: str, digest: str, facts: FileFacts) -> None:
        """Remember fresh facts for ``path``."""
        self._fresh[path] = (digest, encode(facts))

    def save(self) -> None:
        """Write the entries seen in this run atomically; degrade to a warning on failure."""
        if self._fresh == self._entries:
            return
        payload = {"key": self.key, "entries": {p: list(e) for p, e in sorted(self._fresh.items())}}
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            ignore = self.directory / ".gitignore"
            if not ignore.exists():
                atomic_write(ignore, _GITIGNORE.encode())
            atomic_write(self.file, json.dumps(payload, separators=(",", ":")).encode())
        except OSError as exc:
            self.warnings.append(f"cache disabled: cannot write {self.directory}: {exc.strerror or exc}")

