"""Apply fixes to files: verify, transform, re-parse, write atomically.

For each file: the bytes are read and decoded; a file whose text no longer matches the
digest it was analysed with is skipped; the transformed text must parse with ``ast``;
the file must still hold the bytes read at the start; then a temporary file in the same
folder, with the original's permissions, replaces it through ``os.replace``."""

from __future__ import annotations

import io
import os
import stat
import tokenize
from collections.abc import Callable, Iterable
from pathlib import Path

from archlint import _parsing
from archlint.atomic import atomic_write

from archlint.domain.function_facts import text_digest
from archlint.fixes import FileFixRequest, FileFixResult, FixReport
from archlint.fixes.return_none import add_return_none

Decoder = Callable[[bytes], str]


def atomic_replace(path: Path, data: bytes) -> None:
    """Write ``data`` over ``path`` through a temporary file in the same folder and
    ``os.replace``, keeping the original's permission bits; follows a symlink to its file."""
    target = Path(os.path.realpath(path))
    atomic_write(target, data, mode=stat.S_IMODE(os.stat(target).st_mode))


def _encoding(raw: bytes) -> str:
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    except SyntaxError:
        return "utf-8"
    return encoding


def fix_file(request: FileFixRequest, *, write: bool, decode: Decoder) -> FileFixResult:
    """Fix one file (or, with ``write=False``, only compute the result)."""
    path = Path(request.abspath)

    def skipped(reason: str, before: str = "") -> FileFixResult:
        return FileFixResult(path=request.path, before=before, after=before, applied=0, skipped=reason)

    try:
        raw = path.read_bytes()
        text = decode(raw)
    except (OSError, SyntaxError, UnicodeError) as exc:
        return skipped(f"cannot read it ({getattr(exc, 'strerror', None) or exc})")
    if text_digest(text) != request.digest:
        return skipped("it changed since it was analysed; run archlint again", text)
    try:
        fixed, applied = add_return_none(text, request.targets)
    except Exception as exc:  # noqa: BLE001 - libcst raises several types; a fix is never worth a crash
        return skipped(f"libcst cannot rewrite it ({type(exc).__name__})", text)
    try:
        _parsing.parse(fixed, filename=request.path)
    except (SyntaxError, ValueError):
        return skipped("the fixed text does not parse; nothing written", text)
    result = FileFixResult(path=request.path, before=text, after=fixed, applied=applied)
    if not write or not result.changed:
        return result
    if not os.access(path, os.W_OK):
        return skipped("it is read-only", text)
    try:
        data = fixed.encode(_encoding(raw))
        if path.read_bytes() != raw:
            return skipped("it changed while being fixed; nothing written", text)
        atomic_replace(path, data)
    except (OSError, UnicodeError) as exc:
        return skipped(f"cannot write it ({getattr(exc, 'strerror', None) or exc})", text)
    return result


def apply_fixes(requests: Iterable[FileFixRequest], *, write: bool, decode: Decoder) -> FixReport:
    """Fix every requested file, in path order."""
    ordered = sorted(requests, key=lambda item: item.path)
    return FixReport(files=tuple(fix_file(item, write=write, decode=decode) for item in ordered), written=write)
