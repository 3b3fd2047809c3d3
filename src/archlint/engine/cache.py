"""The cache: one JSON file holding every file's facts and the memoised rule results.

A run reads one file (``facts-<key>.json`` in ``.archlint_cache/``) and writes it back
only when something changed. Per analysed file it keeps the BLAKE2 hash of the bytes,
the module name, a digest of each facts field and the encoded facts themselves, stored
as a JSON *string* so that loading the cache does not decode facts nobody asks for
(``docs/adr/0015``). Beside them, ``memo`` holds rule results keyed by the digests of
exactly the facts each rule reads (:mod:`archlint.engine.incremental`).

The key of the file follows the archlint version and its code (so the facts'
structure too) and the Python version (the ``ast`` differs between versions): any of
them changing starts an empty cache, and the files of other keys are removed when this
one is written. Writes go to a temporary file that replaces the old one atomically, so
concurrent runs never see a torn file; a corrupt, truncated or foreign cache is
ignored and rewritten; an unwritable cache folder degrades to no cache with a warning.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archlint._hashing import blake2b
from archlint._version import __version__
from archlint.atomic import atomic_write

# The facts classes and their codec are imported by the functions that encode or decode
# facts: a warm run whose rule results all come from the cache needs neither (their
# dataclasses cost several milliseconds to create).
if TYPE_CHECKING:
    from archlint.domain.facts import FileFacts

_GITIGNORE = "# Created by archlint: the facts cache is local state.\n*\n"

FACT_FIELDS: tuple[str, ...] = (
    "imports", "error", "lines", "suppressions", "classes", "module_stats", "cycle_facts", "api", "checklist",
)
"""The fields of :class:`~archlint.domain.facts.FileFacts` after ``path``, ``module`` and
``is_package``, in declaration order (a test keeps them equal): each gets its own
digest, so a rule's memo key covers only the fields it reads."""
DIGEST_SIZE = 16
"""Hex characters per field digest."""
_API = FACT_FIELDS.index("api")


def content_hash(source: bytes) -> str:
    """Hash of a file's bytes."""
    return blake2b(source, digest_size=16).hexdigest()


def code_fingerprint() -> str:
    """Size and modification time of every archlint source file: an edited rule or
    collector in a development checkout invalidates the cache as a new release does."""
    package = Path(__file__).resolve().parent.parent
    parts: list[str] = []
    stack = [str(package)]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.endswith(".py"):
                try:
                    stat = entry.stat()
                except OSError:
                    continue
                parts.append(f"{entry.path}:{stat.st_size}:{stat.st_mtime_ns}")
            elif entry.name != "__pycache__" and entry.is_dir():
                stack.append(entry.path)
    return blake2b("\n".join(parts).encode(), digest_size=8).hexdigest()


_KEY_FORMAT = 2
"""Bumped whenever :func:`cache_key` changes what it is built from (2: no longer the
facts' structure, which the code fingerprint covers), so that no key built one way can
equal a key built another way."""


def cache_key(extra: str = "") -> str:
    """Everything that invalidates all facts and results at once: the archlint version
    and code (the facts' structure and :data:`~archlint.domain.facts.FACTS_VERSION` are
    code: changing either changes :func:`code_fingerprint`), the Python version and
    ``extra``."""
    parts = f"{_KEY_FORMAT}|{__version__}|{code_fingerprint()}|{sys.version_info[:2]}|{sys.implementation.name}|{extra}"
    return blake2b(parts.encode(), digest_size=8).hexdigest()


def _digest(text: str) -> str:
    return blake2b(text.encode(), digest_size=DIGEST_SIZE // 2).hexdigest()


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """What the cache knows about one file: enough to judge whether any rule must run
    again without decoding its facts."""

    content: str
    """BLAKE2 hash of the file's bytes."""
    module: str
    is_package: bool
    digests: str
    """One digest of :data:`DIGEST_SIZE` hex characters per field of :data:`FACT_FIELDS`."""
    facts: str
    """The encoded facts as JSON text, decoded only when a rule needs them."""
    suppressions: str
    """JSON text of ``[suppressions, imports]`` for a file with suppression comments
    (the suppression stage needs no other facts), else ``""``."""
    stat: str = ""
    """Size, modification and change times and inode of the file when its content was
    hashed (:func:`stat_key`): the same values mean the same content, without reading
    it; ``""`` when they were too recent to be trusted."""

    def digest(self, field: int) -> str:
        """The digest of the ``field``-th entry of :data:`FACT_FIELDS`."""
        return self.digests[field * DIGEST_SIZE : (field + 1) * DIGEST_SIZE]


def make_entry(content: str, facts: FileFacts) -> CacheEntry:
    """The cache entry of freshly extracted ``facts``: each field encoded once, its
    digest taken from that encoding."""
    from archlint.domain.facts import FileFacts
    from archlint.engine.codec import encoder

    encoded = encoder(FileFacts)(facts)
    dumps = json.JSONEncoder(separators=(",", ":")).encode
    head = [dumps(value) for value in encoded[:3]]
    fields = [dumps(value) for value in encoded[3:]]
    described = list(fields)
    if facts.api.digest:  # the text's own hash changes with any edit; no rule reads it (only --fix)
        described[_API] = dumps(encoder(type(facts.api))(dataclasses.replace(facts.api, digest="")))
    suppressions = ""
    if facts.suppressions:
        suppressions = f"[{fields[FACT_FIELDS.index('suppressions')]},{fields[FACT_FIELDS.index('imports')]}]"
    return CacheEntry(
        content=content,
        module=facts.module,
        is_package=facts.is_package,
        digests="".join(_digest(text) for text in described),
        facts=f"[{','.join(head + fields)}]",
        suppressions=suppressions,
    )


def decode_facts(
    path: str, entry: CacheEntry, text: str | None = None, fields: frozenset[str] | None = None
) -> FileFacts | None:
    """The facts of ``entry`` (its own text, or ``text`` read from the facts file);
    ``None`` when they are missing, corrupt or not ``path``'s. With ``fields``, only those
    facts fields are decoded, the others keep their defaults (for rules that read only
    them: :attr:`RuleMeta.reads`)."""
    from archlint.domain.facts import FileFacts
    from archlint.engine.codec import CodecError, decode

    try:
        data = json.loads(text if text is not None else entry.facts)
        if fields is not None and data.__class__ is list and len(data) == 3 + len(FACT_FIELDS):
            defaults = _default_fields()
            data = data[:3] + [data[3 + i] if name in fields else defaults[i] for i, name in enumerate(FACT_FIELDS)]
        facts = decode(FileFacts, data)
    except (CodecError, ValueError, TypeError, IndexError, KeyError, AttributeError, RecursionError, MemoryError):
        return None
    if not isinstance(facts, FileFacts) or facts.path != path or facts.module != entry.module:
        return None
    return facts


_OUTCOME = "outcome"
"""The key of the whole-run outcome in the outcome file (:meth:`RuleRun.outcome`)."""
OVERLAY_LIMIT = 32
"""Most files whose facts the index carries before they move to the facts file."""

RACY_NS = 2_000_000_000
"""A file modified less than this long before it was read may change again within the
same timestamp: its stat is not trusted (as git does for "racily clean" entries)."""


def stat_key(stat: os.stat_result, now_ns: int) -> str:
    """The identity of a file's content by its metadata; ``""`` when it is too recent to
    trust (modified or changed within :data:`RACY_NS` of ``now_ns``)."""
    if stat.st_mtime_ns >= now_ns - RACY_NS or stat.st_ctime_ns >= now_ns - RACY_NS:
        return ""
    return f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}:{stat.st_ino}:{stat.st_dev}"


@functools.cache
def _default_fields() -> list[Any]:
    """The encoding of every facts field's default value."""
    from archlint.domain.facts import FileFacts
    from archlint.engine.codec import encoder

    return encoder(FileFacts)(FileFacts(path="", module="", is_package=False))[3:]


def _entry(raw: Any) -> CacheEntry | None:
    if raw.__class__ is not list or len(raw) not in (6, 7):
        return None
    content, module, is_package, digests, suppressions, stat = raw[:6]
    facts = raw[6] if len(raw) == 7 else ""
    if not (
        facts.__class__ is str
        and stat.__class__ is str
        and
        content.__class__ is str
        and module.__class__ is str
        and is_package.__class__ is bool
        and digests.__class__ is str
        and len(digests) == DIGEST_SIZE * len(FACT_FIELDS)
        and suppressions.__class__ is str
    ):
        return None
    return CacheEntry(content, module, is_package, digests, facts, suppressions, stat)


def _pairs(raw: Any) -> dict[str, tuple[str, str]]:
    """``name -> (key, text)`` of a loaded table, dropping malformed items."""
    if raw.__class__ is not dict:
        return {}
    return {
        name: (item[0], item[1])
        for name, item in raw.items()
        if item.__class__ is list and len(item) == 2 and item[0].__class__ is str and item[1].__class__ is str
    }


def _read_json(file: Path, key: str) -> dict[str, Any]:
    """The JSON object in ``file`` when it is this key's; ``{}`` for anything else."""
    try:
        data = json.loads(file.read_bytes())
    except (OSError, ValueError, RecursionError, MemoryError):
        return {}
    return data if data.__class__ is dict and data.get("key") == key else {}


def _dump(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode()


class _Index:
    """The index file: what every run reads (per file: hashes, module, digests,
    suppressions, stat). The whole-run outcome is read and written with it but kept in a
    file of its own (:class:`FactsCache`)."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.entries: dict[str, CacheEntry] = {}
        self.fresh: dict[str, CacheEntry] = {}
        self.outcome: tuple[str, Any] | None = None
        self.fresh_outcome: tuple[str, Any] | None = None
        self.stats: dict[str, str] = {}
        entries = data.get("entries")
        if entries.__class__ is dict:
            loaded = {path: _entry(item) for path, item in entries.items()}
            self.entries = {path: entry for path, entry in loaded.items() if entry is not None}

    def load_outcome(self, data: dict[str, Any]) -> None:
        """The stored outcome, from the outcome file's JSON object."""
        outcome = data.get(_OUTCOME)
        if outcome.__class__ is list and len(outcome) == 2 and outcome[0].__class__ is str:
            self.outcome = (outcome[0], outcome[1])

    def matching(self, path: str, module: str, is_package: bool) -> CacheEntry | None:
        """The loaded entry of ``path`` if it is still that module."""
        entry = self.entries.get(path)
        if entry is None or entry.module != module or entry.is_package != is_package:
            return None
        return entry

    def changed(self) -> bool:
        return self.fresh != self.entries

    def outcome_changed(self) -> bool:
        return self.fresh_outcome != self.outcome

    def payload(self, key: str, overlay: bool) -> dict[str, Any]:
        """The index to write; ``overlay``: fresh facts ride in it."""
        return {
            "key": key,
            "entries": {
                path: [e.content, e.module, e.is_package, e.digests, e.suppressions, self.stats.get(path, e.stat)]
                + ([e.facts] if overlay and e.facts else [])
                for path, e in sorted(self.fresh.items())
            },
        }

    def outcome_payload(self, key: str) -> dict[str, Any]:
        """The outcome file to write."""
        return {"key": key, _OUTCOME: list(self.fresh_outcome) if self.fresh_outcome is not None else None}


class _Store:
    """The facts file: what only a run with work to do reads (encoded facts, rule
    memos), loaded on first need."""

    def __init__(self, file: Path, key: str) -> None:
        self.file = file
        self.key = key
        self.loaded = False
        self.facts: dict[str, tuple[str, str]] = {}
        self.memo: dict[str, tuple[str, str]] = {}
        self.fresh_memo: dict[str, tuple[str, str]] = {}

    def load(self) -> None:
        if self.loaded:
            return
        self.loaded = True
        data = _read_json(self.file, self.key)
        self.facts = _pairs(data.get("facts"))
        self.memo = _pairs(data.get("memo"))

    def text(self, path: str, content: str) -> str | None:
        """The stored facts text of ``path`` when stored for ``content``."""
        self.load()
        stored = self.facts.get(path)
        return stored[1] if stored is not None and stored[0] == content else None

    def kept_facts(self, fresh: dict[str, CacheEntry]) -> dict[str, tuple[str, str]]:
        """The facts to write: each file's of this run, fresh or as stored."""
        facts: dict[str, tuple[str, str]] = {}
        for path, entry in sorted(fresh.items()):
            if entry.facts:
                facts[path] = (entry.content, entry.facts)
            elif path in self.facts and self.facts[path][0] == entry.content:
                facts[path] = self.facts[path]
        return facts

    def payload(self, facts: dict[str, tuple[str, str]]) -> dict[str, Any]:
        return {
            "key": self.key,
            "facts": {path: list(item) for path, item in facts.items()},
            "memo": {name: list(item) for name, item in sorted(self.fresh_memo.items())},
        }


class FactsCache:
    """Load once, look up per file and per memo, save once (only what changed).

    Three files per key, each written atomically: ``index-<key>.json`` holds what every
    run reads (each file's content hash, module, field digests and suppressions),
    ``outcome-<key>.json`` the memoised outcome of the whole run (apart, so that an
    edit that leaves the outcome as it was rewrites only the small index),
    ``facts-<key>.json`` what only a run with something to recompute reads (the encoded
    facts and the rules' memos). A run where nothing changed reads the index and the
    outcome and writes nothing; a run that parsed a few
    files but needed no rule to run keeps their facts in the index (an overlay, up to
    :data:`OVERLAY_LIMIT` files) instead of rewriting the facts file. The two files
    need not agree: every fact and memo is checked against the content hash or key it
    was stored under, and whatever is missing is recomputed."""

    def __init__(self, directory: Path, key: str) -> None:
        self.directory = directory
        self.key = key
        self.index_file = directory / f"index-{key}.json"
        self.outcome_file = directory / f"outcome-{key}.json"
        self.file = directory / f"facts-{key}.json"
        self._index = _Index({})
        self._store = _Store(self.file, key)
        self.warnings: list[str] = []

    def load(self) -> None:
        """Read the index and outcome files; anything unreadable or malformed counts as empty."""
        self._index = _Index(_read_json(self.index_file, self.key))
        self._index.load_outcome(_read_json(self.outcome_file, self.key))

    def entry(self, path: str, content: str, module: str, is_package: bool, stat: str = "") -> CacheEntry | None:
        """The entry of ``path`` when its content and module are unchanged; ``stat`` (the
        file's :func:`stat_key`) is recorded with it the next time the index is written."""
        entry = self._index.matching(path, module, is_package)
        if entry is None or entry.content != content:
            return None
        self._index.fresh[path] = entry
        if stat != entry.stat:
            self._index.stats[path] = stat
        return entry

    def entry_by_stat(self, path: str, stat: str, module: str, is_package: bool) -> CacheEntry | None:
        """The entry of ``path`` when the file's :func:`stat_key` is the one recorded with
        it (so its content is unchanged without reading it) and its module too."""
        entry = self._index.matching(path, module, is_package)
        if not stat or entry is None or entry.stat != stat:
            return None
        self._index.fresh[path] = entry
        return entry

    def put(self, path: str, digest: str, facts: FileFacts, stat: str = "") -> CacheEntry:
        """Remember fresh facts for ``path`` (whose :func:`stat_key` is ``stat``); the entry they make."""
        entry = dataclasses.replace(make_entry(digest, facts), stat=stat)
        self._index.fresh[path] = entry
        return entry

    def facts(self, path: str, entry: CacheEntry, fields: frozenset[str] | None = None) -> FileFacts | None:
        """The cached facts of ``entry`` (only ``fields``, when given); ``None`` when the
        facts file lacks them or they are corrupt."""
        if entry.facts:
            return decode_facts(path, entry, fields=fields)
        text = self._store.text(path, entry.content)
        return decode_facts(path, entry, text, fields) if text is not None else None

    def outcome_get(self, key: str) -> Any:
        """The memoised outcome of the whole run (a JSON value, in the outcome file,
        loaded with the index) when it was stored under ``key``, else ``None``."""
        outcome = self._index.outcome
        if outcome is None or outcome[0] != key:
            return None
        self._index.fresh_outcome = outcome
        return outcome[1]

    def outcome_put(self, key: str, value: Any) -> None:
        """Remember the outcome of the whole run (a JSON value) under ``key``."""
        self._index.fresh_outcome = (key, value)

    def memo_get(self, name: str, key: str) -> str | None:
        """The memoised value ``name`` (JSON text) when it was stored under ``key``."""
        self._store.load()
        item = self._store.memo.get(name)
        if item is None or item[0] != key:
            return None
        self._store.fresh_memo[name] = item
        return item[1]

    def keep_memo(self) -> None:
        """Keep every loaded memo entry in the next save (a run that reused a result
        made of them)."""
        for name, item in self._store.memo.items():
            self._store.fresh_memo.setdefault(name, item)

    def memo_put(self, name: str, key: str, value: str) -> None:
        """Remember the value ``name`` (JSON text) computed from inputs hashed to ``key``."""
        self._store.load()
        self._store.fresh_memo[name] = (key, value)

    def save(self) -> None:
        """Write what this run used, file by file, unless it is what was loaded; remove
        the cache files of other keys; degrade to a warning on failure."""
        index, store = self._index, self._store
        fresh_facts = [path for path, e in index.fresh.items() if e.facts]
        overlay = not store.loaded and len(fresh_facts) <= OVERLAY_LIMIT
        if fresh_facts and not overlay:
            store.load()
        facts = store.kept_facts(index.fresh) if store.loaded else {}
        data_changed = store.loaded and (facts != store.facts or store.fresh_memo != store.memo)
        if not index.changed() and not index.outcome_changed() and not data_changed:
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            ignore = self.directory / ".gitignore"
            if not ignore.exists():
                atomic_write(ignore, _GITIGNORE.encode(), durable=False)
            if data_changed:  # first, so that an index never names facts written later
                atomic_write(self.file, _dump(store.payload(facts)), durable=False)
            if index.changed():
                atomic_write(self.index_file, _dump(index.payload(self.key, overlay)), durable=False)
            if index.outcome_changed():  # apart: an edit that leaves the outcome as it was does not rewrite it
                atomic_write(self.outcome_file, _dump(index.outcome_payload(self.key)), durable=False)
        except OSError as exc:
            self._warn(exc)
            return
        self._prune()

    def _warn(self, exc: OSError) -> None:
        message = f"cache disabled: cannot write {self.directory}: {exc.strerror or exc}"
        if message not in self.warnings:
            self.warnings.append(message)

    def load_side(self, name: str) -> Any:
        """The value of the side file ``<name>-<key>.json`` (the folder listings of
        discovery), ``None`` when missing or not this key's."""
        return _read_json(self.directory / f"{name}-{self.key}.json", self.key).get("value")

    def save_side(self, name: str, value: Any) -> None:
        """Write the side file ``<name>-<key>.json`` atomically; a warning on failure."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            atomic_write(self.directory / f"{name}-{self.key}.json", _dump({"key": self.key, "value": value}), durable=False)
        except OSError as exc:
            self._warn(exc)

    def _prune(self) -> None:
        """Remove the cache files of other keys (older archlint or Python versions)."""
        try:
            stale = [
                p
                for p in self.directory.iterdir()
                if p.name.startswith(("facts-", "index-", "outcome-", "folders-", "derived-"))
                and p.name.endswith(".json")
                and not p.name.endswith(f"-{self.key}.json")
            ]
        except OSError:
            return
        for path in stale:
            try:
                path.unlink()
            except OSError:
                pass
