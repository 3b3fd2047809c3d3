"""One ``ast`` parse per file -> :class:`FileFacts`. Runs in worker processes.

Never raises for bad input: whatever goes wrong while reading or parsing becomes a
:class:`ParseProblem` on the facts, which the ``ARC001`` rule reports.
"""

from __future__ import annotations

import ast
import codecs
import io
import tokenize
from typing import Any

from archlint.domain.facts import FileFacts, ParseProblem
from archlint.engine.collectors import COLLECTORS
from archlint.engine.collectors.context import SourceContext


def decode_source(source: bytes) -> str:
    """Decode Python source bytes as the interpreter would (BOM, PEP 263 cookie).

    Raises ``SyntaxError`` with a position for undecodable bytes or an unknown coding."""
    try:
        if source.startswith(codecs.BOM_UTF8):
            return source[len(codecs.BOM_UTF8) :].decode("utf-8")
        if b"coding" not in source[:400]:
            return source.decode("utf-8")
        encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
        return source.decode(encoding)
    except UnicodeDecodeError as exc:
        line = source.count(b"\n", 0, exc.start) + 1
        column = exc.start - (source.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SyntaxError(f"undecodable bytes ({exc.encoding}): {exc.reason}", ("", line, column, "")) from None
    except LookupError as exc:
        raise SyntaxError(f"unknown source encoding: {exc}", ("", 1, 1, "")) from None


def _problem(exc: BaseException, source: bytes) -> ParseProblem:
    if "null bytes" in str(exc):
        index = source.find(b"\x00")
        line = source.count(b"\n", 0, max(index, 0)) + 1
        column = index - (source.rfind(b"\n", 0, index) + 1) + 1 if index >= 0 else 1
        return ParseProblem(message="source contains null bytes", line=line, column=column)
    if isinstance(exc, SyntaxError):
        line = exc.lineno or 1
        column = exc.offset or 1
        message = f"syntax error: {exc.msg}" if not exc.msg.startswith("undecodable") else exc.msg
        if exc.msg.startswith("unknown source encoding"):
            message = exc.msg
        return ParseProblem(message=message, line=max(1, line), column=max(1, column))
    if isinstance(exc, (RecursionError, MemoryError)):
        return ParseProblem(message=f"nesting too deep for the parser ({type(exc).__name__})")
    return ParseProblem(message=f"cannot parse: {type(exc).__name__}: {exc}")


def count_lines(source: bytes) -> int:
    """Number of lines of ``source`` (a last line without newline counts)."""
    if not source:
        return 0
    return source.count(b"\n") + (0 if source.endswith(b"\n") else 1)


def extract(source: bytes, *, path: str, module: str, is_package: bool) -> FileFacts:
    """Facts of one file from its bytes. Never raises for bad input."""
    lines_count = count_lines(source)
    try:
        text = decode_source(source)
        tree = ast.parse(text, filename=path)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError) as exc:
        return FileFacts(
            path=path,
            module=module,
            is_package=is_package,
            error=_problem(exc, source),
            lines=lines_count,
        )
    context = SourceContext(path=path, module=module, is_package=is_package, text=text, lines=text.splitlines())
    fields: dict[str, Any] = {}
    for collect in COLLECTORS:
        fields.update(collect(tree, context))
    return FileFacts(path=path, module=module, is_package=is_package, lines=lines_count, **fields)


def extract_path(abspath: str, *, path: str, module: str, is_package: bool) -> FileFacts:
    """Read and extract one file; an unreadable file becomes a parse problem."""
    try:
        with open(abspath, "rb") as handle:
            source = handle.read()
    except OSError as exc:
        return FileFacts(
            path=path,
            module=module,
            is_package=is_package,
            error=ParseProblem(message=f"cannot read file: {exc.strerror or exc}"),
        )
    return extract(source, path=path, module=module, is_package=is_package)
