"""split_suppressed looks only at files that hold suppressions: it must keep and silence
exactly what asking :func:`silencers` about every finding, with every file, does."""

from __future__ import annotations

import itertools

from archlint.domain.finding import Finding, Severity
from archlint.domain.suppression import SuppressionUsage, silencers, split_suppressed
from archlint.engine.extract import extract

SOURCES = {
    "pkg/a.py": (
        "from pkg import b  # archlint: ignore[ARC101] -- accepted\n"
        "from pkg import (\n"
        "    c,\n"
        "    d,  # archlint: ignore[ARC103]\n"
        ")\n"
        "def f(x):  # archlint: ignore[ARC4] -- legacy\n"
        "    return x\n"
        "def g(y):  # archlint: ignore\n"
        "    return y\n"
        "def h(z):  # noqa: ARC402\n"
        "    return z\n"
    ),
    "pkg/b.py": "# archlint: ignore-file[ARC201] -- generated\nimport pkg.a\nclass K:\n    pass\n",
    "pkg/c.py": "import pkg.d\nx = 1\n",
    "pkg/d.py": "import pkg.c  # archlint: ignore[ARC002,ARC103] -- explained\n",
}
CODES = ("ARC101", "ARC103", "ARC201", "ARC401", "ARC402", "ARC002", "ARC003")


def _findings() -> list[Finding]:
    found: list[Finding] = []
    related = [
        {},
        {"cycle": [{"path": "pkg/d.py", "line": 1}, {"path": "pkg/c.py", "line": 1}]},
        {"breakers": [{"path": "pkg/a.py", "line": 2, "extra": {"path": "pkg/b.py", "line": 3}}]},
        {"path": "pkg/a.py", "line": 1},
        {"suppression": {"path": "pkg/d.py", "line": 1, "column": 16}},
        {"missing": ["x", "y"], "ratchet": {"loc": 3}},
    ]
    paths = [*SOURCES, "pkg/other.py"]
    for path, line, code, extra, end in itertools.product(paths, range(1, 12), CODES, related, (None, 4)):
        found.append(
            Finding(
                code=code,
                name=code.lower(),
                message=f"{code} at {line}",
                path=path,
                line=line,
                column=1,
                end_line=end,
                severity=Severity.WARNING,
                checklist=(),
                fingerprint="0",
                extra=extra,
            )
        )
    return found


def test_same_split_as_asking_every_finding() -> None:
    files = {
        path: extract(text.encode(), path=path, module=path[:-3].replace("/", "."), is_package=False)
        for path, text in SOURCES.items()
    }
    assert sum(len(f.suppressions) for f in files.values()) >= 6
    findings = _findings()
    usage = SuppressionUsage()
    kept, silenced = split_suppressed(findings, files, usage)
    expected = [(finding, silencers(finding, files)) for finding in findings]
    assert kept == [finding for finding, hits in expected if not hits]
    assert silenced == [(finding, [s for _, s in hits]) for finding, hits in expected if hits]
    assert 0 < len(silenced) < len(findings)
    reference = SuppressionUsage()
    for finding, hits in expected:
        for path, suppression in hits:
            reference.mark(path, suppression, finding.code)
    assert usage.used == reference.used


def test_no_suppression_anywhere_keeps_everything() -> None:
    files = {"pkg/c.py": extract(b"import pkg.d\n", path="pkg/c.py", module="pkg.c", is_package=False)}
    findings = _findings()[:50]
    assert split_suppressed(findings, files) == (findings, [])
