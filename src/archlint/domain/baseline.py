"""The baseline: today's findings, accepted, so that only new (or worse) debt is reported.

An entry is keyed by the finding's fingerprint (rule code, path and the finding's own
content, never line numbers), so lines moving, code added above and reformatting do not
disturb it. Several findings may share a fingerprint (two identical reasonless
suppressions in one file): the entry counts them, and only that many are accepted.

The ratchet: an entry records the finding's figures (``extra["ratchet"]``, bigger is
worse). A matched finding whose figures grew is reported again as *worsened*, with the
old and new figures. A cycle whose component grows gets a new fingerprint (its identity
is its members), so an unmatched finding whose ``extra["modules"]`` is a superset of an
unmatched entry's members is matched to it as worsened (equal members: the same cycle,
reported from another import line).

The file is sorted, indented JSON with sorted keys and one entry per finding identity,
so rewriting an unchanged baseline changes no byte and merges are line-local."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from archlint.domain.finding import Finding

BASELINE_VERSION = 1


class BaselineError(ValueError):
    """A baseline file that cannot be understood."""


Figures = Mapping[str, float]


def ratchet_of(finding: Finding) -> dict[str, float]:
    """The numeric figures of ``finding`` that may get worse (bigger is worse)."""
    raw = finding.extra.get("ratchet")
    if not isinstance(raw, Mapping):
        return {}
    return {
        str(key): value
        for key, value in sorted(raw.items())
        if isinstance(value, (int, float)) and not isinstance(value, bool)
    }


def modules_of(finding: Finding) -> tuple[str, ...]:
    """The sorted member modules of a graph finding (``extra["modules"]``), if any."""
    raw = finding.extra.get("modules")
    if not isinstance(raw, (list, tuple)) or not all(isinstance(item, str) for item in raw):
        return ()
    return tuple(sorted(raw))


@dataclass(frozen=True, slots=True)
class BaselineEntry:
    """One accepted finding identity (``count`` findings share it)."""

    code: str
    path: str
    fingerprint: str
    count: int = 1
    message: str = ""
    ratchet: Figures = field(default_factory=dict)
    modules: tuple[str, ...] = ()

    @property
    def sort_key(self) -> tuple[str, str, str]:
        """Entries are stored by path, code, fingerprint."""
        return (self.path, self.code, self.fingerprint)

    def to_data(self) -> dict[str, Any]:
        """The JSON shape of the entry (optional keys only when set)."""
        data: dict[str, Any] = {
            "code": self.code,
            "count": self.count,
            "fingerprint": self.fingerprint,
            "message": self.message,
            "path": self.path,
        }
        if self.ratchet:
            data["ratchet"] = dict(sorted(self.ratchet.items()))
        if self.modules:
            data["modules"] = list(self.modules)
        return data


@dataclass(frozen=True)
class Baseline:
    """Accepted findings, sorted."""

    entries: tuple[BaselineEntry, ...] = ()

    @classmethod
    def from_findings(cls, findings: Iterable[Finding]) -> Baseline:
        """A baseline accepting every finding of ``findings``."""
        groups: dict[str, list[Finding]] = {}
        for finding in sorted(findings, key=lambda f: (f.fingerprint, f.sort_key)):
            groups.setdefault(finding.fingerprint, []).append(finding)
        entries = []
        for fingerprint, items in groups.items():
            first = items[0]
            figures: dict[str, float] = {}
            for item in items:
                for key, value in ratchet_of(item).items():
                    figures[key] = max(value, figures.get(key, value))
            entries.append(
                BaselineEntry(
                    code=first.code,
                    path=first.path,
                    fingerprint=fingerprint,
                    count=len(items),
                    message=first.message,
                    ratchet=figures,
                    modules=modules_of(first),
                )
            )
        return cls(tuple(sorted(entries, key=lambda e: e.sort_key)))

    def render(self) -> str:
        """Sorted, stable JSON with a trailing newline."""
        data = {
            "entries": [entry.to_data() for entry in sorted(self.entries, key=lambda e: e.sort_key)],
            "tool": "archlint",
            "version": BASELINE_VERSION,
        }
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def parse(cls, text: str, source: str = "baseline") -> Baseline:
        """Read a baseline written by :meth:`render`; :class:`BaselineError` when invalid."""
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise BaselineError(f"{source}: not valid JSON: {exc}") from None
        if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
            raise BaselineError(f"{source}: not an archlint baseline (no 'entries' list)")
        version = data.get("version")
        if version != BASELINE_VERSION:
            raise BaselineError(f"{source}: unsupported baseline version {version!r} (expected {BASELINE_VERSION})")
        entries: list[BaselineEntry] = []
        for index, raw in enumerate(data["entries"]):
            entries.append(_entry(raw, f"{source}: entries[{index}]"))
        return cls(tuple(sorted(entries, key=lambda e: e.sort_key)))


def _entry(raw: Any, where: str) -> BaselineEntry:
    if not isinstance(raw, dict):
        raise BaselineError(f"{where}: expected an object")
    for key in ("code", "path", "fingerprint"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise BaselineError(f"{where}: '{key}' must be a non-empty string")
    count = raw.get("count", 1)
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise BaselineError(f"{where}: 'count' must be a positive integer")
    ratchet = raw.get("ratchet", {})
    if not isinstance(ratchet, dict) or not all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in ratchet.values()
    ):
        raise BaselineError(f"{where}: 'ratchet' must map names to numbers")
    modules = raw.get("modules", [])
    if not isinstance(modules, list) or not all(isinstance(m, str) for m in modules):
        raise BaselineError(f"{where}: 'modules' must be a list of strings")
    message = raw.get("message", "")
    return BaselineEntry(
        code=raw["code"],
        path=raw["path"],
        fingerprint=raw["fingerprint"],
        count=count,
        message=message if isinstance(message, str) else "",
        ratchet=dict(sorted(ratchet.items())),
        modules=tuple(sorted(modules)),
    )


@dataclass(frozen=True)
class BaselineOutcome:
    """What a baseline did to one run's findings."""

    findings: tuple[Finding, ...]
    """New findings, plus worsened ones (re-messaged, ``extra["baseline"]`` set)."""
    matched: int = 0
    """Findings accepted by the baseline and not reported."""
    worsened: int = 0
    """Baselined findings reported again because their figures grew."""
    fixed: int = 0
    """Baseline entries (counting duplicates) that no current finding matches."""


def _grown(old: Figures, new: Figures) -> list[str]:
    return [key for key in sorted(new) if key in old and new[key] > old[key]]


def _figure(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def worsened(finding: Finding, entry: BaselineEntry, new: Figures, grown: Sequence[str]) -> Finding:
    """``finding`` reported as worse than its baseline ``entry``."""
    change = ", ".join(f"{key} {_figure(entry.ratchet[key])} -> {_figure(new[key])}" for key in grown)
    extra = dict(finding.extra)
    extra["baseline"] = {
        "status": "worsened",
        "fingerprint": entry.fingerprint,
        "old": dict(sorted(entry.ratchet.items())),
        "new": dict(sorted(new.items())),
    }
    return replace(finding, message=f"{finding.message} [worsened since baseline: {change}]", extra=extra)


def apply_baseline(
    findings: Iterable[Finding],
    baseline: Baseline,
    *,
    judged: Callable[[BaselineEntry], bool] = lambda entry: True,
) -> BaselineOutcome:
    """Drop the findings ``baseline`` accepts, keep new and worsened ones, count fixed entries.

    ``judged`` says whether an unmatched entry can be called fixed in this run (its rule
    ran and its file was analysed or is gone)."""
    remaining: dict[str, int] = {}
    by_fingerprint: dict[str, BaselineEntry] = {}
    for entry in baseline.entries:
        remaining[entry.fingerprint] = remaining.get(entry.fingerprint, 0) + entry.count
        by_fingerprint.setdefault(entry.fingerprint, entry)
    reported: list[Finding] = []
    unmatched: list[Finding] = []
    matched = grew = 0

    def accept(finding: Finding, entry: BaselineEntry) -> None:
        """A baselined finding: silent, unless its figures grew (then reported as worsened)."""
        nonlocal matched, grew
        figures = ratchet_of(finding)
        rising = _grown(entry.ratchet, figures)
        if rising:
            reported.append(worsened(finding, entry, figures, rising))
            grew += 1
        else:
            matched += 1

    for finding in findings:
        if remaining.get(finding.fingerprint, 0) > 0:
            remaining[finding.fingerprint] -= 1
            accept(finding, by_fingerprint[finding.fingerprint])
        else:
            unmatched.append(finding)
    for finding in unmatched:
        members = set(modules_of(finding))
        candidates = [
            e
            for e in baseline.entries
            if members and e.code == finding.code and e.modules and remaining.get(e.fingerprint, 0) > 0
            and set(e.modules) <= members
        ]
        if not candidates:
            reported.append(finding)
            continue
        largest = max(candidates, key=lambda e: (len(e.modules), e.fingerprint))
        for entry in candidates:
            remaining[entry.fingerprint] -= 1
        accept(finding, largest)
    fixed = sum(count for fingerprint, count in remaining.items() if count > 0 and judged(by_fingerprint[fingerprint]))
    return BaselineOutcome(findings=tuple(reported), matched=matched, worsened=grew, fixed=fixed)
