"""The facts stage: every analysed file's facts, from the cache when its content is
unchanged, else parsed (in worker processes when there are many files).

Cached facts stay encoded until a stage asks for them (:func:`facts_of`): a run whose
rule results all come from the cache decodes none."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from archlint.engine.cache import CacheEntry, FactsCache, content_hash, make_entry, stat_key
from archlint.engine.discovery import SourceFile

if TYPE_CHECKING:
    from archlint.domain.facts import FileFacts


@dataclass
class FileState:
    """One analysed file during a run: its cache entry, and its facts once known."""

    file: SourceFile
    entry: CacheEntry | None = None
    facts: FileFacts | None = None
    content: str = ""
    stat: str = ""


def read_states(files: Sequence[SourceFile], cache: FactsCache | None) -> tuple[list[FileState], list[tuple[int, bytes | None]]]:
    """Every file's state, from the cache when its content is unchanged, and the jobs
    of the files that must be parsed, with their bytes when the cache needed them
    (unreadable files become parse problems here). Without a cache nothing is read
    here: every file is parsed, and the workers read their own files."""
    states = [FileState(file) for file in files]
    if cache is None:
        return states, [(index, None) for index in range(len(files))]
    pending: list[tuple[int, bytes | None]] = []
    now = time.time_ns()
    for index, state in enumerate(states):
        file = state.file
        try:  # unchanged metadata: the content is the one hashed before
            state.stat = stat_key(os.stat(file.abspath), now)
        except OSError:
            state.stat = ""
        state.entry = cache.entry_by_stat(file.path, state.stat, file.module, file.is_package)
        if state.entry is not None:
            state.content = state.entry.content
            continue
        try:
            with open(file.abspath, "rb") as handle:
                source = handle.read()
        except OSError as exc:
            from archlint.engine.extract import unreadable

            state.facts = unreadable(exc, path=file.path, module=file.module, is_package=file.is_package)
            state.entry = make_entry("", state.facts)
            continue
        state.content = content_hash(source)
        state.entry = cache.entry(file.path, state.content, file.module, file.is_package, state.stat)
        if state.entry is None:
            pending.append((index, source))
    return states, pending


def extract_pending(
    states: list[FileState], pending: Sequence[tuple[int, bytes | None]], cache: FactsCache | None, workers: int | None
) -> None:
    """Parse the pending files (in worker processes when there are many) into their
    states; ``workers`` ``None`` means one per core. A file without bytes is read by
    whoever parses it (no cache: nothing to check them against)."""
    if not pending:
        return
    from archlint.engine.workers import Job, default_jobs, extract_many  # lazy: a warm run parses nothing

    workers = workers or default_jobs()
    jobs = [Job(source, states[i].file.path, states[i].file.module, states[i].file.is_package, states[i].file.abspath) for i, source in pending]
    for (index, _), result in zip(pending, extract_many(jobs, workers)):
        state = states[index]
        state.facts = result
        if cache is not None:
            state.entry = cache.put(result.path, state.content, result, state.stat)


def facts_of(states: Sequence[FileState], cache: FactsCache | None, workers: int | None) -> list[FileFacts]:
    """The facts of ``states``, decoding cached ones; an entry that fails to decode (a
    corrupt cache) is parsed again."""
    again: list[tuple[int, bytes]] = []
    for index, state in enumerate(states):
        if state.facts is None and state.entry is not None:
            state.facts = cache.facts(state.file.path, state.entry) if cache is not None else None
            if state.facts is None:
                try:
                    with open(state.file.abspath, "rb") as handle:
                        source = handle.read()
                except OSError:
                    source = b""
                again.append((index, source))
    extract_pending(list(states), again, cache, workers)
    return [state.facts for state in states if state.facts is not None]


def partial_facts(
    states: Sequence[FileState], cache: FactsCache | None, workers: int | None, fields: frozenset[str] | None
) -> list[FileFacts]:
    """The facts of ``states`` with only ``fields`` decoded from the cache (the others at
    their defaults; ``None``: all): what the rules that must run read. Facts already
    known are used whole; nothing is stored on the states, so :func:`facts_of` still
    gives the whole facts to whoever asks later."""
    if fields is None or cache is None:
        return facts_of(states, cache, workers)
    out: list[FileFacts] = []
    missing: list[FileState] = []
    for state in states:
        facts = state.facts
        if facts is None and state.entry is not None:
            facts = cache.facts(state.file.path, state.entry, fields)
        if facts is None:
            missing.append(state)
        else:
            out.append(facts)
    if missing:  # corrupt or absent in the cache: parsed again, whole
        out.extend(facts_of(missing, cache, workers))
    return out
