"""Rule results memoised by the digests of exactly the facts each rule reads.

Every rule declares the facts fields it reads (:attr:`RuleMeta.reads`) and whether its
findings on a file depend on that file's facts alone (:attr:`RuleMeta.per_file`). A
rule's memo key hashes its code, its options, the project root and, for every file,
the path, the module and the digests of the fields it reads (``repo`` adds the
repository facts). When the key matches the cache, the stored findings are the result;
otherwise the rule runs. A per-file rule is keyed file by file and runs only on the
files whose key changed; any other rule that misses runs on the whole project, whose
facts are decoded only then. So a run where nothing changed decodes no facts, and an
edit that leaves the imports as they were does not re-run the import-graph rules
(``docs/adr/0015``).

The result is the same as running every rule from scratch: the tests compare both on
every fixture and after random edits, and check each rule's declared reads by running
it with every other field blanked.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from archlint._hashing import blake2b
from archlint.config.schema import Settings
from archlint.domain.contract_options import ContractOptions
from archlint.domain.finding import Finding, Severity
from archlint.domain.rule import ALL_READS, Rule, RuleMeta
from archlint.engine.cache import DIGEST_SIZE, FACT_FIELDS, CacheEntry, FactsCache
from archlint.engine.facts_stage import FileState
from archlint.engine.rule_split import run_split
from archlint.exceptions import ArchlintError

from archlint.domain.project import Project

if TYPE_CHECKING:
    from archlint.domain.checklist_facts import RepoFacts
    from archlint.domain.facts import FileFacts


class RuleCrashed(ArchlintError):
    """A rule raised: a bug in archlint, reported with the rule's code."""


def rule_options(meta: RuleMeta, settings: Settings) -> Any:
    """The typed options ``meta``'s rule runs with under ``settings``."""
    if meta.options is ContractOptions:
        return ContractOptions(contracts=settings.contracts, layers_auto=settings.layers_auto)
    if meta.options_table and meta.options:
        return settings.option(meta.options_table, meta.options)
    return meta.options() if meta.options else None


def _stable(value: Any) -> Any:
    """A JSON-compatible form of ``value`` that does not depend on set order."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _stable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (frozenset, set)):
        return sorted((_stable(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True, default=str))
    if isinstance(value, (tuple, list)):
        return [_stable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _stable(item) for key, item in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if hasattr(value, "value") and not isinstance(value, (str, int, float, bool)):
        return _stable(value.value)
    return value


def options_text(options: Any) -> str:
    """Deterministic text of a rule's options, part of its memo key."""
    return json.dumps(_stable(options), sort_keys=True, default=str, separators=(",", ":"))


def _rows(findings: Iterable[Finding]) -> list[list[Any]]:
    return [
        [f.code, f.name, f.message, f.path, f.line, f.column, f.severity.value, list(f.checklist), f.fingerprint,
         f.end_line, f.end_column, f.extra]
        for f in findings
    ]


_SEVERITIES = {severity.value: severity for severity in Severity}


_FINDING_FIELDS = ("code", "name", "message", "path", "line", "column", "severity", "checklist", "fingerprint",
                   "end_line", "end_column", "extra")


_ROW_TYPES = frozenset(
    (str, str, str, str, int, int, str, list, str, end_line, end_column, dict)
    for end_line in (int, type(None))
    for end_column in (int, type(None))
)
"""The exact types of a stored finding's values (``bool`` is not an ``int`` here)."""


def _findings(rows: Any) -> list[Finding]:
    """Findings from :func:`_rows`; raises ``TypeError``/``KeyError`` on any value of the
    wrong type (a corrupt or hand-edited cache).

    Every value's type is checked, so each finding is rebuilt by filling its
    ``__dict__``, as ``pickle`` does: the frozen dataclass ``__init__`` costs three
    times as much, which shows on a warm run with ten thousand findings."""
    if rows.__class__ is not list:
        raise TypeError("malformed findings")
    new = object.__new__
    fields = _FINDING_FIELDS
    kinds = _ROW_TYPES
    checklists: dict[tuple[Any, ...], tuple[str, ...]] = {}
    findings: list[Finding] = []
    for row in rows:
        if row.__class__ is not list or tuple(map(type, row)) not in kinds:
            raise TypeError("malformed finding")
        checklist = tuple(row[7])
        if checklist not in checklists:  # a rule's checklist items repeat on all its findings
            if not all(item.__class__ is str for item in checklist):
                raise TypeError("malformed finding")
            checklists[checklist] = checklist
        finding = new(Finding)
        state = finding.__dict__
        state.update(zip(fields, row))
        state["severity"] = _SEVERITIES[row[6]]
        state["checklist"] = checklists[checklist]
        findings.append(finding)
    return findings


def _notes(notes: Any) -> list[str]:
    """Stored notes; raises ``TypeError`` unless a list of strings."""
    if notes.__class__ is not list or not all(note.__class__ is str for note in notes):
        raise TypeError("malformed notes")
    return notes


_OUTCOME_ROW_TYPES = frozenset(
    (str, str, str, int, int, str, str, end_line, end_column, dict)
    for end_line in (int, type(None))
    for end_column in (int, type(None))
)


def _encode_outcome(findings: Sequence[Finding], silenced: int, notes: Sequence[str]) -> Any:
    """The JSON value of a run's outcome, compact: a finding's name and checklist items
    are its rule's, so they are stored once per code. ``None`` when a finding does not
    match its code's (never for findings built by :meth:`Rule.finding`): not memoised."""
    rules: dict[str, list[Any]] = {}
    rows: list[list[Any]] = []
    for f in findings:
        known = rules.setdefault(f.code, [f.name, list(f.checklist)])
        if known[0] != f.name or known[1] != list(f.checklist):
            return None
        rows.append([f.code, f.message, f.path, f.line, f.column, f.severity.value, f.fingerprint, f.end_line,
                     f.end_column, f.extra])
    return {"rules": rules, "rows": rows, "silenced": silenced, "notes": list(notes)}


def _decode_outcome(value: Any) -> tuple[list[Finding], int, list[str]]:
    """The outcome stored by :func:`_encode_outcome`; raises ``TypeError``/``KeyError``
    on any value of the wrong type (the same checks as :func:`_findings`)."""
    if value.__class__ is not dict or value["silenced"].__class__ is not int or value["rows"].__class__ is not list:
        raise TypeError("malformed outcome")
    rules: dict[str, tuple[str, tuple[str, ...]]] = {}
    table = value["rules"]
    if table.__class__ is not dict:
        raise TypeError("malformed outcome")
    for code, item in table.items():
        if item.__class__ is not list or len(item) != 2 or item[0].__class__ is not str or item[1].__class__ is not list:
            raise TypeError("malformed outcome")
        if not all(entry.__class__ is str for entry in item[1]):
            raise TypeError("malformed outcome")
        rules[code] = (item[0], tuple(item[1]))
    new = object.__new__
    kinds = _OUTCOME_ROW_TYPES
    severities = _SEVERITIES
    findings: list[Finding] = []
    for row in value["rows"]:
        if row.__class__ is not list or tuple(map(type, row)) not in kinds:
            raise TypeError("malformed finding")
        code, message, path, line, column, severity, fingerprint, end_line, end_column, extra = row
        name, checklist = rules[code]
        finding = new(Finding)
        finding.__dict__.update(
            code=code, name=name, message=message, path=path, line=line, column=column,
            severity=severities[severity], checklist=checklist, fingerprint=fingerprint,
            end_line=end_line, end_column=end_column, extra=extra,
        )
        findings.append(finding)
    return findings, value["silenced"], _notes(value["notes"])


def encode_findings(findings: Iterable[Finding], notes: Sequence[str] = ()) -> str:
    """JSON text of a rule's findings and notes for the memo."""
    return json.dumps([_rows(findings), list(notes)], separators=(",", ":"))


def decode_findings(text: str) -> tuple[list[Finding], list[str]] | None:
    """Findings and notes from :func:`encode_findings`; ``None`` when the text is corrupt."""
    try:
        rows, notes = json.loads(text)
        return _findings(rows), _notes(notes)
    except (ValueError, TypeError, KeyError, RecursionError, MemoryError):
        return None


def _hash(*parts: str) -> str:
    digest = blake2b(digest_size=16)
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\x00")
    return digest.hexdigest()


@dataclass
class MemoInputs:
    """What a run knows about its files before decoding any facts."""

    entries: Sequence[tuple[str, CacheEntry]]
    """``(path, entry)`` of every analysed file, sorted by path."""
    root: str
    repo: Callable[[], RepoFacts | None]
    _parts: dict[tuple[int, ...], list[str]] = field(default_factory=dict)
    _field_keys: dict[int, str] = field(default_factory=dict)
    _repo_text: str | None = None

    def file_parts(self, fields: tuple[int, ...]) -> list[str]:
        """Per file, the text that identifies the facts fields ``fields`` (cached per set)."""
        found = self._parts.get(fields)
        if found is None:
            found = [
                f"{path}\x01{entry.module}\x01{entry.is_package}\x01" + "".join(entry.digest(i) for i in fields)
                for path, entry in self.entries
            ]
            self._parts[fields] = found
        return found

    def fields_key(self, fields: tuple[int, ...]) -> str:
        """One hash of the fields ``fields`` of every file (and of the file list): the
        key of whatever reads exactly these facts. Built from one hash per field, each
        over every file's path, module and digest of that field."""
        parts: list[str] = [self.field_key(-1)]
        parts.extend(self.field_key(i) for i in fields)
        return _hash(*parts)

    def field_key(self, index: int) -> str:
        """The hash of field ``index`` over every file (``-1``: of the file list alone)."""
        found = self._field_keys.get(index)
        if found is None:
            digest = blake2b(digest_size=16)
            start, end = (index * DIGEST_SIZE, (index + 1) * DIGEST_SIZE) if index >= 0 else (0, 0)
            for path, entry in self.entries:
                digest.update(f"{path}\x01{entry.module}\x01{entry.is_package}\x01{entry.digests[start:end]}\n".encode())
            found = self._field_keys[index] = digest.hexdigest()
        return found

    def repo_text(self) -> str:
        """Deterministic text of the repository facts."""
        if self._repo_text is None:
            self._repo_text = options_text(self.repo())
        return self._repo_text


def read_fields(meta: RuleMeta) -> tuple[tuple[int, ...], bool]:
    """Indexes into :data:`FACT_FIELDS` of the fields ``meta`` reads, and whether it
    reads the repository facts."""
    reads = meta.reads if meta.reads is not None else ALL_READS
    return tuple(i for i, name in enumerate(FACT_FIELDS) if name in reads), "repo" in reads


def _check_rule(rule_type: type[Rule], project: Project, options: Any) -> tuple[list[Finding], list[str]]:
    """Findings and notes of one rule on ``project``; a rule that raises is a
    :class:`RuleCrashed` naming it."""
    try:
        rule = rule_type()
        findings = list(rule.check(project, options))
        notes = list(rule.notes(project, options))
    except Exception as exc:  # noqa: BLE001 - a rule bug must be reported, not a traceback
        meta = rule_type.meta
        raise RuleCrashed(f"rule {meta.code} ({meta.name}) failed: {type(exc).__name__}: {exc}") from exc
    return findings, notes


def _family(meta: RuleMeta) -> str:
    """A rule's family: its code's letters and first digit (``ARC1`` for ``ARC104``)."""
    return meta.code.rstrip("0123456789") + meta.code.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")[:1]


FAMILY_ORDER = ("ARC4", "ARC1", "ARC3", "ARC6", "ARC2", "ARC5", "ARC0")
"""The order in which the rule families are handed out when the rules stage is split
(:meth:`RuleRun.run_all`): the costliest first, so that the last one taken is a short
one and neither process waits long for the other (type hints then cycles, then
coupling, measured on the benchmark projects: ``docs/adr/0016``). A family runs in one
process because its rules share what they compute on the project (the public
functions of ``ARC4``, the module views of ``ARC1``, the coupling figures of ``ARC3``,
the class walks of ``ARC2``); split apart, both processes would compute it."""


def _check_family(project: Project, rules: Sequence[tuple[type[Rule], Any]]) -> list[tuple[list[Finding], list[str]]]:
    """Findings and notes of each rule of one family, in order."""
    return [_check_rule(rule_type, project, options) for rule_type, options in rules]


@dataclass
class RuleRun:
    """Runs the enabled rules, from the memo where their inputs are unchanged."""

    settings: Settings
    cache: FactsCache | None
    inputs: MemoInputs | None
    project: Callable[[], Project]
    """The whole project (its facts decoded on first call)."""
    subset: Callable[[Sequence[str]], Project]
    """A project of only the files at these paths (for per-file rules)."""
    ran: list[str] = field(default_factory=list)
    """Codes of the rules that had to run (not from the memo), for tests and ``--debug``."""
    needed: frozenset[str] | None = None
    """The facts fields the rules that must run read (:meth:`prepare`); ``None``: all."""
    jobs: int | None = None
    """Processes for the rules that must run (:meth:`run_all`); ``None``: one per core."""
    _prepared: dict[str, tuple[list[Finding], list[str]] | None] = field(default_factory=dict)

    def prepare(self, enabled: Sequence[type[Rule]]) -> None:
        """Look every whole-project rule up in the memo before any runs, so that
        :attr:`needed` names the only facts fields the project must decode: those the
        missing rules read (their reads are checked by tests), plus the imports and
        suppressions the suppression stage may need."""
        self.needed = None
        if self.cache is None or self.inputs is None:
            return
        needed = {"imports", "suppressions"}
        for rule_type in enabled:
            meta = rule_type.meta
            if meta.per_file:
                continue
            _, key = self.keys(meta, rule_options(meta, self.settings))
            stored = self.cache.memo_get(meta.code, key)
            decoded = decode_findings(stored) if stored is not None else None
            self._prepared[meta.code] = decoded
            if decoded is None:
                if meta.reads is None:
                    return
                needed |= meta.reads
        self.needed = frozenset(needed)

    def run_all(self, rules: Sequence[type[Rule]]) -> list[tuple[list[Finding], list[str]]]:
        """Findings and notes of each rule, in order, as :meth:`run` gives them one by one.

        The rules that must run on the whole project (not in the memo; per-file rules
        keep their own memo) run together, shared with one forked child on a project of
        at least :data:`~archlint.engine.workers.PARALLEL_THRESHOLD` files when there
        is more than one worker (:mod:`archlint.engine.rule_split`): the result is the
        same, only sooner."""
        results: dict[int, tuple[list[Finding], list[str]]] = {}
        pending: list[tuple[int, type[Rule], Any, str | None]] = []
        for index, rule_type in enumerate(rules):
            meta = rule_type.meta
            options = rule_options(meta, self.settings)
            if self.cache is None or self.inputs is None:
                pending.append((index, rule_type, options, None))
                continue
            head, key = self.keys(meta, options)
            if meta.per_file:
                results[index] = (self._per_file(rule_type, options, head, read_fields(meta)[0]), [])
                continue
            decoded = self._stored(meta.code, key)
            if decoded is not None:
                results[index] = decoded
            else:
                pending.append((index, rule_type, options, key))
        if pending:
            checked = self._check_all([(rule_type, options) for _, rule_type, options, _ in pending])
            ran = set(self.ran)
            for index, rule_type, _, key in pending:
                findings, notes = checked[rule_type.meta.code]
                ran.add(rule_type.meta.code)
                if key is not None and self.cache is not None:
                    self.cache.memo_put(rule_type.meta.code, key, encode_findings(findings, notes))
                results[index] = (findings, notes)
            self.ran[:] = [rule_type.meta.code for rule_type in rules if rule_type.meta.code in ran]
        return [results[index] for index in range(len(rules))]

    def _check_all(self, rules: Sequence[tuple[type[Rule], Any]]) -> dict[str, tuple[list[Finding], list[str]]]:
        """Findings and notes of each rule (with its options) on the whole project, by
        code: one task per family (:data:`FAMILY_ORDER`), shared with a forked child when
        :meth:`_worth_splitting`."""
        project = self.project()
        split = self._worth_splitting(project, [rule_type.meta for rule_type, _ in rules])
        families: dict[str, list[tuple[type[Rule], Any]]] = {}
        for rule_type, options in rules:
            families.setdefault(_family(rule_type.meta), []).append((rule_type, options))
        rank = {family: place for place, family in enumerate(FAMILY_ORDER)}
        order = sorted(families, key=lambda family: (rank.get(family, len(rank)), family))
        done = run_split([partial(_check_family, project, families[family]) for family in order], split=split)
        return {
            rule_type.meta.code: result
            for family, family_results in zip(order, done)
            for (rule_type, _), result in zip(families[family], family_results)
        }

    def _worth_splitting(self, project: Project, metas: Sequence[RuleMeta]) -> bool:
        """Whether the rules of ``metas`` should be shared with a forked child on
        ``project``; if so, what they share is built first, so that the child inherits it
        rather than building it again: the facts, the import graph, the modules and,
        when a rule reads them, the repository facts."""
        from archlint.engine.workers import PARALLEL_THRESHOLD, default_jobs

        if len(metas) < 2 or (self.jobs or default_jobs()) < 2 or len(project.files) < PARALLEL_THRESHOLD:
            return False
        project.graph  # noqa: B018 - built now, shared with the child
        project.by_module  # noqa: B018
        if any(meta.reads is None or "repo" in meta.reads for meta in metas):
            project.repo  # noqa: B018
        return True

    def _stored(self, code: str, key: str) -> tuple[list[Finding], list[str]] | None:
        """The memoised findings and notes of rule ``code`` under ``key``, if intact."""
        assert self.cache is not None
        if code in self._prepared:
            return self._prepared.pop(code)
        stored = self.cache.memo_get(code, key)
        return decode_findings(stored) if stored is not None else None

    def run(self, rule_type: type[Rule]) -> tuple[list[Finding], list[str]]:
        """Findings and notes of one rule."""
        meta = rule_type.meta
        options = rule_options(meta, self.settings)
        if self.cache is None or self.inputs is None:
            return self._check(rule_type, self.project(), options)
        head, key = self.keys(meta, options)
        if meta.per_file:
            return self._per_file(rule_type, options, head, read_fields(meta)[0]), []
        decoded = self._stored(meta.code, key)
        if decoded is not None:
            return decoded
        findings, notes = self._check(rule_type, self.project(), options)
        self.cache.memo_put(meta.code, key, encode_findings(findings, notes))
        return findings, notes

    def keys(self, meta: RuleMeta, options: Any) -> tuple[str, str]:
        """The rule's head key (code, options, root, repository facts if read) and its
        key over the facts it reads in every file: its memo key; a per-file rule keeps
        its memo under the head and keys each file apart."""
        assert self.inputs is not None
        fields, reads_repo = read_fields(meta)
        head = _hash(meta.code, options_text(options), self.inputs.root, self.inputs.repo_text() if reads_repo else "")
        return head, _hash(head, self.inputs.fields_key(fields))

    def _per_file(self, rule_type: type[Rule], options: Any, head: str, fields: tuple[int, ...]) -> list[Finding]:
        """A per-file rule: one memo entry per rule holding each file's key and findings;
        the rule runs once, on the files whose key changed."""
        assert self.cache is not None and self.inputs is not None
        code = rule_type.meta.code
        stored: dict[str, Any] = {}
        text = self.cache.memo_get(code, head)
        if text is not None:
            try:
                loaded = json.loads(text)
                stored = loaded if isinstance(loaded, dict) else {}
            except (ValueError, RecursionError):
                stored = {}
        fresh: dict[str, list[Any]] = {}
        findings: list[Finding] = []
        missing: list[tuple[str, str]] = []
        for (path, _), part in zip(self.inputs.entries, self.inputs.file_parts(fields)):
            key = _hash(head, part)
            item = stored.get(path)
            if item.__class__ is list and len(item) == 2 and item[0] == key:
                try:
                    findings.extend(_findings(item[1]))
                    fresh[path] = item
                    continue
                except (ValueError, TypeError, KeyError):
                    pass
            missing.append((path, key))
        if missing:
            found, _ = self._check(rule_type, self.subset([path for path, _ in missing]), options)
            by_path: dict[str, list[Finding]] = {}
            for finding in found:
                by_path.setdefault(finding.path, []).append(finding)
            for path, key in missing:
                own = by_path.pop(path, [])
                fresh[path] = [key, _rows(own)]
                findings.extend(own)
            for stray in by_path.values():  # outside the files it ran on: not per-file, never memoised
                findings.extend(stray)
        if missing or len(fresh) != len(stored):  # else memo_get kept the stored text
            self.cache.memo_put(code, head, json.dumps(fresh, separators=(",", ":")))
        return findings

    def _check(self, rule_type: type[Rule], project: Project, options: Any) -> tuple[list[Finding], list[str]]:
        self.ran.append(rule_type.meta.code)
        return _check_rule(rule_type, project, options)

    def outcome(
        self, context: str, enabled: Sequence[type[Rule]], compute: Callable[[], tuple[list[Finding], int, list[str]]]
    ) -> tuple[list[Finding], int, list[str]]:
        """The findings kept after rules, ``per-file-ignores`` and suppressions, the
        number silenced and the rules' notes, memoised as a whole: keyed by the keys of
        every enabled rule, the suppressions and imports of every file (what the
        suppression stage reads), the settings and ``context`` (what else the stages
        depend on). So a run where no rule's input changed (nothing changed, or an edit
        that only moved comments) skips the per-rule memos too; they stay in the cache
        for the next edit."""
        if self.cache is None or self.inputs is None:
            return compute()
        rule_keys = [self.keys(rule.meta, rule_options(rule.meta, self.settings))[1] for rule in enabled]
        suppression_fields = tuple(i for i, name in enumerate(FACT_FIELDS) if name in ("imports", "suppressions"))
        key = _hash(
            "outcome", context, options_text(self.settings), self.inputs.root,
            self.inputs.fields_key(suppression_fields), *rule_keys,
        )
        stored = self.cache.outcome_get(key)
        if stored is not None:
            try:
                findings, silenced, notes = _decode_outcome(stored)
                self.cache.keep_memo()
                return findings, silenced, notes
            except (ValueError, TypeError, KeyError, IndexError, RecursionError):
                pass
        findings, silenced, notes = compute()
        value = _encode_outcome(findings, silenced, notes)
        if value is not None:
            self.cache.outcome_put(key, value)
        return findings, silenced, notes

    def derived(self, name: str, reads: frozenset[str], compute: Callable[[], Any]) -> Any:
        """A reporter's JSON value computed from the facts fields ``reads`` of every file
        (:meth:`Report.derived`), kept in the cache's ``derived`` side file, which is
        written at once: reporters run after the cache is saved."""
        if self.cache is None or self.inputs is None:
            return compute()
        fields = tuple(i for i, field_name in enumerate(FACT_FIELDS) if field_name in reads)
        key = _hash("derived", name, self.inputs.root, self.inputs.fields_key(fields))
        stored = self.cache.load_side("derived")
        table = stored if stored.__class__ is dict else {}
        item = table.get(name)
        if item.__class__ is list and len(item) == 2 and item[0] == key:
            return item[1]
        value = compute()
        try:
            text = json.dumps(value, sort_keys=False)
        except (TypeError, ValueError):
            return value
        table[name] = [key, json.loads(text)]
        self.cache.save_side("derived", table)
        return value

    def accepted_import_lines(self, code: str) -> frozenset[tuple[str, int]]:
        """(path, line) of the import lines whose suppression accepts an edge of a
        ``code`` cycle (:func:`archlint.domain.cycles.accepted_import_lines`), memoised
        by the imports and suppressions of every file."""
        from archlint.domain.cycles import accepted_import_lines  # lazy: only with suppressions

        if self.cache is None or self.inputs is None:
            return accepted_import_lines(self.project(), code)
        fields = tuple(i for i, name in enumerate(FACT_FIELDS) if name in ("imports", "suppressions"))
        name = f"accepted-{code}"
        key = _hash(name, self.inputs.root, self.inputs.fields_key(fields))
        stored = self.cache.memo_get(name, key)
        if stored is not None:
            try:
                pairs = json.loads(stored)
                if pairs.__class__ is list and all(
                    pair.__class__ is list and len(pair) == 2 and pair[0].__class__ is str and pair[1].__class__ is int
                    for pair in pairs
                ):
                    return frozenset((path, line) for path, line in pairs)
            except (ValueError, TypeError, RecursionError, MemoryError):
                pass
        lines = accepted_import_lines(self.project(), code)
        self.cache.memo_put(name, key, json.dumps(sorted(lines)))
        return lines


def light_facts(path: str, entry: CacheEntry) -> FileFacts | None:
    """Facts of ``path`` with only its suppressions (and, when it has some, its imports):
    all the suppression stage reads. ``None`` when the entry is corrupt."""
    from archlint.domain.facts import FileFacts, ImportFact, Suppression
    from archlint.engine.codec import CodecError, decode

    if not entry.suppressions:
        return FileFacts(path=path, module=entry.module, is_package=entry.is_package)
    try:
        suppressions, imports = json.loads(entry.suppressions)
        return FileFacts(
            path=path,
            module=entry.module,
            is_package=entry.is_package,
            suppressions=decode(tuple[Suppression, ...], suppressions),
            imports=decode(tuple[ImportFact, ...], imports),
        )
    except (CodecError, ValueError, TypeError, RecursionError):
        return None


def suppression_view(states: Sequence[FileState], project: Project, cache: FactsCache | None) -> Project:
    """What the suppression stage reads: the whole project when its facts are decoded
    anyway, else only each file's suppressions and imports from the cache."""
    if cache is None or "files" in vars(project):
        return project
    light: list[FileFacts] = []
    for state in states:
        facts = state.facts
        if facts is None and state.entry is not None:
            facts = light_facts(state.file.path, state.entry)
        if facts is None:
            return project
        light.append(facts)
    return Project(light, root=project.root)
