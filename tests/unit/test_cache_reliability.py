"""Issue 10, cache cases: a corrupted, truncated, hostile or foreign cache file is
ignored and rewritten; an unwritable or full cache location degrades to no cache with
one warning; concurrent runs sharing one cache give identical results.

Running as root, a read-only folder is still writable: unwritability is simulated by a
cache folder whose parent is a regular file (``mkdir`` fails with ``ENOTDIR``) and by
``tempfile.mkstemp`` raising ``PermissionError``; a full disk by a write raising
``ENOSPC``.
"""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from harness import write_tree

from archlint import lint
from archlint.config import Settings
from archlint.domain.facts import FileFacts
from archlint.domain.report import Report
from archlint.engine.cache import cache_key, decode_facts, make_entry
from archlint.engine.codec import CodecError, decode, encode
from archlint.engine.extract import extract

FILES = {
    "pkg/__init__.py": "",
    "pkg/a.py": "from pkg import b\n\n\ndef f(x: int) -> int:\n    return x\n",
    "pkg/b.py": "from pkg import a\n",
    "pkg/broken.py": "def broken(:\n",
}


def _run(root: Path, cache_dir: Path, **kwargs: Any) -> Report:
    return lint(["."], cwd=str(root), settings=Settings(root=str(root)), use_cache=True, cache_dir=str(cache_dir), jobs=1, **kwargs)


def _summary(report: Report) -> list[tuple[str, int, str, str]]:
    return [(f.path, f.line, f.code, f.message) for f in report.findings]


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "proj", FILES)


def _cache_file(cache_dir: Path) -> Path:
    return cache_dir / f"facts-{cache_key()}.json"


def _index_file(cache_dir: Path) -> Path:
    return cache_dir / f"index-{cache_key()}.json"


def _outcome_file(cache_dir: Path) -> Path:
    return cache_dir / f"outcome-{cache_key()}.json"


def test_cache_round_trip_gives_the_same_report(project: Path, tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache"
    cold = _run(project, cache_dir)
    assert _cache_file(cache_dir).is_file()
    warm = _run(project, cache_dir)
    assert _summary(warm) == _summary(cold) and warm.warnings == ()


def _valid_payload(project: Path, tmp_path: Path) -> tuple[Path, bytes]:
    cache_dir = tmp_path / "cache"
    _run(project, cache_dir)
    return cache_dir, _cache_file(cache_dir).read_bytes()


CORRUPTIONS = {
    "truncated": lambda raw: raw[: len(raw) // 2],
    "empty": lambda raw: b"",
    "garbage": lambda raw: b"\x00\xff\xfe not json",
    "not-an-object": lambda raw: b"[1, 2, 3]",
    "foreign-version": lambda raw: raw.replace(cache_key().encode(), b"0123456789abcdef"),
    "entries-not-a-table": lambda raw: json.dumps({"key": cache_key(), "entries": [1], "facts": [1], "memo": 2}).encode(),
    "deeply-nested": lambda raw: b"[" * 100_000 + b"]" * 100_000,
    "wrong-types-inside": lambda raw: raw.replace(b'"pkg/a.py":', b'"pkg/a.py":17,"x":', 1),
    "entry-not-a-pair": lambda raw: json.dumps({"key": cache_key(), "entries": {"pkg/a.py": "xy"}, "facts": {"pkg/a.py": "xy"}}).encode(),
}


@pytest.mark.parametrize("corrupt", list(CORRUPTIONS), ids=list(CORRUPTIONS))
def test_bad_cache_file_is_ignored_and_rewritten(project: Path, tmp_path: Path, corrupt: str) -> None:
    """Every cache file (the index and the outcome every run reads, the facts only a
    run with work to do reads) corrupted the same way: the report is that of a fresh
    cache, the index and the outcome are rewritten at once and the facts file as soon
    as a rule needs it."""
    cache_dir, good = _valid_payload(project, tmp_path)
    expected = _summary(_run(project, tmp_path / "fresh-cache"))
    for file in (_cache_file(cache_dir), _index_file(cache_dir), _outcome_file(cache_dir)):
        file.write_bytes(CORRUPTIONS[corrupt](file.read_bytes()))
    report = _run(project, cache_dir)
    assert _summary(report) == expected
    assert report.warnings == ()
    index = json.loads(_index_file(cache_dir).read_bytes())
    assert index["key"] == cache_key() and sorted(index["entries"]) == sorted(FILES)
    outcome = json.loads(_outcome_file(cache_dir).read_bytes())
    assert outcome["key"] == cache_key() and outcome["outcome"][1]["rows"], "the outcome is stored again"
    # the facts file is read only when a rule's result is not known: a new selection
    selected = _run(project, cache_dir, select=["ARC0", "ARC1"])
    assert _summary(selected) == _summary(_run(project, tmp_path / "fresh-selected", select=["ARC0", "ARC1"]))
    facts = json.loads(_cache_file(cache_dir).read_bytes())
    assert facts["key"] == cache_key() and sorted(facts["facts"]) == sorted(FILES)


def test_a_bad_facts_file_alone_is_recomputed_when_needed(project: Path, tmp_path: Path) -> None:
    """A warm run with nothing changed reads only the index; once a file's facts change
    (a new public function), the corrupt facts file is read, ignored and rewritten, and
    the report is still right."""
    cache_dir, _ = _valid_payload(project, tmp_path)
    _cache_file(cache_dir).write_bytes(b"garbage")
    assert _summary(_run(project, cache_dir)) == _summary(_run(project, tmp_path / "fresh"))
    (project / "pkg" / "a.py").write_text("from pkg import b\n\n\ndef f(x: int) -> int:\n    return x\n\n\ndef g(y):\n    return y\n")
    expected = _summary(_run(project, tmp_path / "fresh-2"))
    assert _summary(_run(project, cache_dir)) == expected
    facts = json.loads(_cache_file(cache_dir).read_bytes())
    assert sorted(facts["facts"]) == sorted(FILES)


def test_cache_entry_with_wrong_shapes_is_never_trusted() -> None:
    """A hand-edited entry that is valid JSON but not valid facts is a cache miss."""
    facts = extract(b"import os\n", path="m.py", module="m", is_package=False)
    encoded = encode(facts)
    good = decode(FileFacts, encoded)
    assert good == facts
    broken_variants = [
        [*encoded[:3], "not-a-list-of-imports", *encoded[4:]],
        encoded[:-1],
        ["m.py", "m", "yes", *encoded[3:]],
        [*encoded[:3], [[*encoded[3][0][:6], "no-such-kind", *encoded[3][0][7:]]], *encoded[4:]],
        {"path": "m.py"},
    ]
    for variant in broken_variants:
        with pytest.raises(CodecError):
            decode(FileFacts, variant)
    good_entry = make_entry("digest", facts)
    assert decode_facts("m.py", good_entry) == facts
    for variant in broken_variants:
        entry = dataclasses.replace(good_entry, facts=json.dumps(variant))
        assert decode_facts("m.py", entry) is None
    assert decode_facts("other.py", good_entry) is None


def test_unwritable_cache_location_degrades_with_one_warning(project: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    report = _run(project, blocker / "cache")
    assert len(report.warnings) == 1
    assert report.warnings[0].startswith(f"cache disabled: cannot write {blocker / 'cache'}: ")
    assert _summary(report) == _summary(_run(project, tmp_path / "ok"))


def test_permission_denied_cache_degrades_with_one_warning(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def denied(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)  # wherever atomic_write lives
    report = _run(project, tmp_path / "cache")
    assert report.warnings == (f"cache disabled: cannot write {tmp_path / 'cache'}: Permission denied",)


def test_full_disk_degrades_with_one_warning_and_leaves_no_temporary_file(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_dir, good = _valid_payload(project, tmp_path)
    (project / "pkg" / "c.py").write_text("x = 1\n")  # something new to write

    real_fdopen = os.fdopen

    class FullDisk:
        """A file whose writes fail as on a full disk (the cache does not fsync)."""

        def __init__(self, fd: int, *args: Any) -> None:
            self.handle = real_fdopen(fd, *args)

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdopen", FullDisk)
    report = _run(project, cache_dir)
    assert report.warnings == (f"cache disabled: cannot write {cache_dir}: No space left on device",)
    assert _cache_file(cache_dir).read_bytes() == good  # the old cache is intact
    assert sorted(p.name for p in cache_dir.iterdir()) == sorted(
        [".gitignore", _cache_file(cache_dir).name, _index_file(cache_dir).name, _outcome_file(cache_dir).name]
    )


def test_cli_prints_the_cache_warning_once(project: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = subprocess.run(
        [sys.executable, "-m", "archlint", "--cache-dir", str(blocker / "cache"), "--select", "ARC001", "."],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.count("archlint: warning: cache disabled") == 1
    assert "Traceback" not in result.stderr


def test_concurrent_runs_sharing_one_cache_agree(project: Path, tmp_path: Path) -> None:
    """Four processes start together on one cold cache, then four on the warm cache:
    every output is identical to a run without cache, and the cache is valid JSON."""
    for index in range(30):
        write_tree(project, {f"pkg/gen{index}.py": f"from pkg import gen{(index + 1) % 30}\nfrom pkg import a\n"})
    cache_dir = tmp_path / "shared-cache"
    command = [sys.executable, "-m", "archlint", "--format", "json", "--cache-dir", str(cache_dir), "--exit-zero", "-q", "."]
    reference = subprocess.run([*command[:-1], "--no-cache", "."], cwd=project, capture_output=True, text=True, check=True)
    expected = json.loads(reference.stdout)["findings"]
    for _ in range(2):
        processes = [
            subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)
        ]
        for process in processes:
            out, err = process.communicate(timeout=300)
            assert process.returncode == 0, err
            assert json.loads(out)["findings"] == expected
            assert "warning" not in err
        json.loads(_cache_file(cache_dir).read_bytes())
        json.loads(_index_file(cache_dir).read_bytes())
    assert not [p for p in cache_dir.iterdir() if p.name.endswith(".tmp")]


def test_a_few_parsed_files_ride_in_the_index_until_the_facts_file_is_rewritten(project: Path, tmp_path: Path) -> None:
    """A comment appended to one file changes no fact a rule reads: the run parses that
    file, keeps its facts in the index (the overlay) and leaves the big facts file
    untouched; once a rule must run, the facts file is rewritten with every file's
    facts and the overlay is gone. Every report equals that of a fresh cache."""
    cache_dir, facts_before = _valid_payload(project, tmp_path)
    target = project / "pkg" / "a.py"
    target.write_text(target.read_text() + "# a comment\n")
    report = _run(project, cache_dir)
    assert _summary(report) == _summary(_run(project, tmp_path / "fresh-1"))
    assert report.rules_run == ()
    assert _cache_file(cache_dir).read_bytes() == facts_before
    entries = json.loads(_index_file(cache_dir).read_bytes())["entries"]
    assert [path for path, entry in entries.items() if len(entry) == 7] == ["pkg/a.py"]
    assert _run(project, cache_dir).rules_run == ()  # the overlay serves the next run too
    (project / "pkg" / "c.py").write_text("from pkg import a\n")  # a new import: graph rules run
    report = _run(project, cache_dir)
    assert _summary(report) == _summary(_run(project, tmp_path / "fresh-2"))
    assert "ARC101" in report.rules_run
    facts = json.loads(_cache_file(cache_dir).read_bytes())
    assert sorted(facts["facts"]) == sorted([*FILES, "pkg/c.py"])
    entries = json.loads(_index_file(cache_dir).read_bytes())["entries"]
    assert all(len(entry) == 6 for entry in entries.values())


def _age(path: Path, seconds: float) -> None:
    """Set the file's modification time ``seconds`` in the past (its change time stays
    the real one: the kernel sets it on every write and metadata change)."""
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_unchanged_metadata_skips_reading_and_a_same_size_edit_is_still_seen(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file whose size, times and inode are those recorded when it was hashed is not
    read again; an edit that keeps the size and even restores the modification time is
    still seen, because the change time moved (and a change time within the racy window
    is never trusted)."""
    import archlint.engine.cache as cache_module

    cache_dir = tmp_path / "cache"
    for file in project.rglob("*.py"):
        _age(file, 60)
    monkeypatch.setattr(cache_module, "RACY_NS", 0)  # the kernel's change time is "now": trust it in this test
    _run(project, cache_dir)
    entries = json.loads(_index_file(cache_dir).read_bytes())["entries"]
    assert all(entry[5] for entry in entries.values()), "every stat recorded"
    reads: list[str] = []
    real_open = open

    def counting_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        reads.append(str(file))
        return real_open(file, *args, **kwargs)

    import archlint.engine.facts_stage as facts_stage

    monkeypatch.setattr(facts_stage, "open", counting_open, raising=False)
    reads.clear()
    assert _summary(_run(project, cache_dir)) == _summary(_run(project, tmp_path / "fresh"))
    reads.clear()
    _run(project, cache_dir)
    assert [r for r in reads if r.endswith(".py")] == [], "nothing read: every stat matched"
    target = project / "pkg" / "b.py"
    before = target.stat()
    target.write_text("from pkg import c\n")  # same size as "from pkg import a\n"
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert target.stat().st_size == before.st_size and target.stat().st_mtime_ns == before.st_mtime_ns
    reads.clear()
    report = _run(project, cache_dir)
    assert [Path(r).name for r in reads if r.endswith(".py")] == ["b.py"]
    assert _summary(report) == _summary(_run(project, tmp_path / "fresh-2"))


def test_a_just_written_file_is_always_read(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Within the racy window (a file modified less than two seconds before it is
    looked at; here an hour, so a slow machine cannot leave it) no stat is recorded,
    so the next run reads the file."""
    import archlint.engine.cache as cache_module

    monkeypatch.setattr(cache_module, "RACY_NS", 3600 * 1_000_000_000)
    cache_dir = tmp_path / "cache"
    _run(project, cache_dir)  # the files were just written by the fixture
    entries = json.loads(_index_file(cache_dir).read_bytes())["entries"]
    assert [entry[5] for entry in entries.values()] == ["", "", "", ""]


def test_cache_writes_do_not_wait_for_the_disk(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache is replaced atomically but never fsynced (a torn cache is ignored):
    with ``fsync`` failing, the cache is still written, without a warning."""

    def no_fsync(fd: int) -> None:
        raise AssertionError("the cache must not fsync")

    monkeypatch.setattr(os, "fsync", no_fsync)
    report = _run(project, tmp_path / "cache")
    assert report.warnings == ()
    assert json.loads(_index_file(tmp_path / "cache").read_bytes())["entries"]


def test_an_edit_that_keeps_the_outcome_rewrites_only_the_index(project: Path, tmp_path: Path) -> None:
    """The outcome has a file of its own: an edit no rule sees (a comment at the end of
    a file) rewrites the small index, not the outcome, which a large project's
    findings make the biggest file a run reads."""
    cache_dir = tmp_path / "cache"
    _run(project, cache_dir)
    before = {file: file.stat().st_ino for file in (_index_file(cache_dir), _outcome_file(cache_dir))}
    with (project / "pkg" / "a.py").open("a", encoding="utf-8") as handle:
        handle.write("# a comment no rule reads\n")
    report = _run(project, cache_dir)
    assert report.rules_run == (), "the edit changed no fact a rule reads"
    assert _index_file(cache_dir).stat().st_ino != before[_index_file(cache_dir)], "the new content hash is recorded"
    assert _outcome_file(cache_dir).stat().st_ino == before[_outcome_file(cache_dir)], "the outcome is not rewritten"
    assert _summary(report) == _summary(_run(project, tmp_path / "fresh"))
