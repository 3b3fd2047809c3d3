"""Inline suppressions: every comment form, which findings they silence, which are unused."""

from __future__ import annotations

import ast

import pytest

from archlint.domain.facts import FileFacts, Suppression
from archlint.domain.finding import Finding, Severity, make_fingerprint
from archlint.domain.suppression import (
    SuppressionUsage,
    silencers,
    split_suppressed,
    unused_suppressions,
)
from archlint.engine.collectors.context import SourceContext
from archlint.engine.collectors.suppressions import collect, parse_line


@pytest.mark.parametrize(
    ("text", "codes", "file_level", "reason", "style"),
    [
        ("import a  # archlint: ignore[ARC101,ARC3]", ("ARC101", "ARC3"), False, "", "archlint"),
        ("import a  # archlint: ignore[ arc101 , ARC3 ]", ("ARC101", "ARC3"), False, "", "archlint"),
        ("x = 1  # archlint: ignore", (), False, "", "archlint"),
        ("x = 1  #archlint:ignore", (), False, "", "archlint"),
        ("x = 1  # noqa: ARC101", ("ARC101",), False, "", "noqa"),
        ("x = 1  # noqa:E501,ARC101", ("ARC101",), False, "", "noqa"),
        ("x = 1  # NOQA: arc101 -- because", ("ARC101",), False, "because", "noqa"),
        ("# archlint: ignore-file[ARC2]", ("ARC2",), True, "", "archlint"),
        ("# archlint: ignore-file -- generated code", (), True, "generated code", "archlint"),
        ("x  # archlint: ignore[ARC101] -- plugin registry needs it", ("ARC101",), False, "plugin registry needs it", "archlint"),
        ("x  # archlint: ignore[ARC101]: colon reason", ("ARC101",), False, "colon reason", "archlint"),
        ("x  # archlint: ignore[ARC101]  # type: ignore", ("ARC101",), False, "", "archlint"),
    ],
)
def test_each_form_is_parsed(text: str, codes: tuple[str, ...], file_level: bool, reason: str, style: str) -> None:
    (found,) = parse_line(text, 7)
    assert (found.line, found.codes, found.file_level, found.reason, found.style) == (7, codes, file_level, reason, style)


@pytest.mark.parametrize(
    "text",
    [
        "x = 1  # noqa",  # a bare noqa belongs to other tools
        "x = 1  # noqa: E501",
        "x = 1  # archlint: ignored",  # not the keyword
        "x = 1  # archlint: ignore[]",  # names nothing
        "x = 1  # archlint is great",
        "x = 1",
    ],
)
def test_non_suppressions(text: str) -> None:
    assert parse_line(text, 1) == []


def test_two_suppressions_on_one_line() -> None:
    found = parse_line("z = 3  # archlint: ignore[ARC301] -- kept  # archlint: ignore[ARC002] -- explained", 4)
    assert [(s.codes, s.reason) for s in found] == [(("ARC301",), "kept"), (("ARC002",), "explained")]


def test_a_suppression_inside_a_string_is_not_one() -> None:
    source = 's = "# archlint: ignore"\nt = """\n# archlint: ignore[ARC101]\n"""\nu = 1  # archlint: ignore[ARC201]\n'
    context = SourceContext(path="m.py", module="m", is_package=False, text=source, lines=source.splitlines())
    facts = collect(ast.parse(source), context)
    assert [(s.line, s.codes) for s in facts["suppressions"]] == [(5, ("ARC201",))]


def _finding(code: str, path: str = "m.py", line: int = 3, extra: dict | None = None) -> Finding:
    return Finding(
        code=code,
        name="x",
        message="m",
        path=path,
        line=line,
        column=1,
        severity=Severity.WARNING,
        checklist=(),
        fingerprint=make_fingerprint(code, path, "id"),
        extra=extra or {},
    )


def _facts(path: str, *suppressions: Suppression) -> FileFacts:
    return FileFacts(path=path, module=path[:-3], is_package=False, suppressions=suppressions)


def test_line_prefix_bare_and_file_level() -> None:
    files = {
        "m.py": _facts("m.py", Suppression(line=3, column=1, codes=("ARC2",))),
        "n.py": _facts("n.py", Suppression(line=9, column=1, codes=())),
        "o.py": _facts("o.py", Suppression(line=1, column=1, codes=("ARC301",), file_level=True)),
    }
    kept, silenced = split_suppressed(
        [
            _finding("ARC201"),  # prefix on its line
            _finding("ARC101"),  # other family: kept
            _finding("ARC201", line=4),  # other line: kept
            _finding("ARC999", path="n.py", line=9),  # bare: everything
            _finding("ARC301", path="o.py", line=40),  # file level
            _finding("ARC302", path="o.py", line=40),  # file level, other code: kept
        ],
        files,
    )
    assert [(f.path, f.line, f.code) for f in kept] == [("m.py", 3, "ARC101"), ("m.py", 4, "ARC201"), ("o.py", 40, "ARC302")]
    assert len(silenced) == 3


def test_a_suppression_on_a_related_import_line_counts() -> None:
    files = {"b.py": _facts("b.py", Suppression(line=2, column=20, codes=("ARC501",)))}
    finding = _finding(
        "ARC501",
        path="a.py",
        line=1,
        extra={"chain": [{"path": "a.py", "line": 1}, {"path": "b.py", "line": 2}]},
    )
    assert [s.line for _, s in silencers(finding, files)] == [2]
    assert not silencers(_finding("ARC101", path="a.py", line=1, extra=dict(finding.extra)), files)


def test_findings_about_suppressions_need_an_explicit_code() -> None:
    bare = Suppression(line=5, column=1, codes=())
    explicit = Suppression(line=5, column=30, codes=("ARC002",))
    subject = {"suppression": {"path": "m.py", "line": 5, "column": 1}}
    finding = _finding("ARC002", line=5, extra=subject)
    assert silencers(finding, {"m.py": _facts("m.py", bare)}) == []
    assert silencers(finding, {"m.py": _facts("m.py", bare, explicit)}) == [("m.py", explicit)]
    # a suppression never silences the finding about itself
    self_finding = _finding("ARC002", line=5, extra={"suppression": {"path": "m.py", "line": 5, "column": 30}})
    assert silencers(self_finding, {"m.py": _facts("m.py", explicit)}) == []


def _judge(files: list[FileFacts], usage: SuppressionUsage, enabled: set[str], everything: bool = True) -> list[tuple[int, tuple[str, ...], tuple[str, ...], bool]]:
    known = ["ARC001", "ARC002", "ARC003", "ARC101", "ARC102", "ARC201", "ARC301"]
    return [
        (u.suppression.line, u.unused, u.unknown, u.partial)
        for u in unused_suppressions(files, usage, known_codes=known, enabled_codes=enabled, everything_enabled=everything)
    ]


def test_unused_suppressions_are_judged_only_where_the_run_can_tell() -> None:
    used = Suppression(line=1, column=1, codes=("ARC101",))
    partly = Suppression(line=2, column=1, codes=("ARC101", "ARC201"))
    dead = Suppression(line=3, column=1, codes=("ARC301",))
    unknown = Suppression(line=4, column=1, codes=("ARC999",))
    bare = Suppression(line=5, column=1, codes=())
    meta = Suppression(line=6, column=1, codes=("ARC002",))
    prefix = Suppression(line=7, column=1, codes=("ARC1",))
    files = [_facts("m.py", used, partly, dead, unknown, bare, meta, prefix)]
    usage = SuppressionUsage()
    usage.mark("m.py", used, "ARC101")
    usage.mark("m.py", partly, "ARC101")
    everything = {"ARC001", "ARC002", "ARC003", "ARC101", "ARC102", "ARC201", "ARC301"}
    assert _judge(files, usage, everything) == [
        (2, ("ARC201",), (), True),
        (3, ("ARC301",), (), False),
        (4, (), ("ARC999",), False),
        (5, (), (), False),
        (7, ("ARC1",), (), False),
    ]
    # with only ARC1 rules running, codes of rules that did not run are not judged,
    # nor is a bare suppression; a prefix is judged only when all its rules ran
    assert _judge(files, usage, {"ARC002", "ARC101"}, everything=False) == [(4, (), ("ARC999",), False)]


def test_accepted_edge_lines_mark_line_and_file_level_suppressions_used() -> None:
    on_line = Suppression(line=2, column=10, codes=("ARC101",))
    whole = Suppression(line=1, column=1, codes=("ARC1",), file_level=True)
    files = {"a.py": _facts("a.py", whole, on_line)}
    usage = SuppressionUsage()
    usage.mark_lines("ARC101", [("a.py", 2)], files)
    assert usage.patterns("a.py", on_line) == {"ARC101"}
    assert usage.patterns("a.py", whole) == {"ARC1"}


def test_a_suppression_on_any_line_of_a_parenthesised_import_counts() -> None:
    from archlint.domain.facts import ImportFact, ImportKind

    statement = ImportFact(module="app", names=("b", "c"), line=3, column=1, end_line=6, end_column=2, kind=ImportKind.MODULE_LEVEL)
    inside = Suppression(line=5, column=8, codes=("ARC304",))
    after = Suppression(line=7, column=8, codes=("ARC304",))
    files = {"m.py": FileFacts(path="m.py", module="m", is_package=False, imports=(statement,), suppressions=(inside, after))}
    assert silencers(_finding("ARC304", line=3), files) == [("m.py", inside)]
    related = _finding("ARC501", path="x.py", line=1, extra={"chain": [{"path": "m.py", "line": 3}]})
    files["m.py"] = FileFacts(path="m.py", module="m", is_package=False, imports=(statement,), suppressions=(Suppression(line=6, column=2, codes=("ARC5",)),))
    assert [s.line for _, s in silencers(related, files)] == [6]
