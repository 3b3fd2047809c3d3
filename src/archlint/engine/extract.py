"""One ``ast`` parse per file -> :class:`FileFacts`. Runs in worker processes.

Never raises for bad input: whatever goes wrong while reading or parsing becomes a
:class:`ParseProblem` on the facts, which the ``ARC001`` rule reports.
"""

from __future__ import annotations

import ast
import codecs
import io
import re
import sys
import tokenize
import warnings
from typing import Any

from archlint import _parsing
from archlint.domain.facts import FileFacts, ImportFact, ParseProblem
from archlint.engine.collectors import COLLECTORS
from archlint.engine.collectors.context import ScopeIndex, SourceContext
from archlint.engine.recovery import newer_syntax, scan_imports

# The scope index is built without recursion, but some collectors still walk recursively
# (nested statements, the checklist's expressions); an expression the parser accepts (a
# 2 000-term ``a + b + ...`` chain) is deeper than the default limit of 1 000 frames.
# Python-to-Python calls do not grow the C stack on 3.11+, so this bound is safe (3.10
# gets a smaller one); deeper input fails the one collector, which is contained below.
COLLECTOR_RECURSION_LIMIT = 12_000 if sys.version_info >= (3, 11) else 4_000

def decode_source(source: bytes) -> str:
    """Decode Python source bytes as the interpreter would (BOM, PEP 263 cookie).

    Raises ``SyntaxError`` with a position for undecodable bytes, an unknown coding or
    a coding cookie that contradicts a UTF-8 BOM."""
    try:
        if source.startswith(codecs.BOM_UTF8) or b"coding" in source:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(source).readline)
        else:
            encoding = "utf-8"
        if encoding == "utf-8-sig":
            return source[len(codecs.BOM_UTF8) :].decode("utf-8") if source.startswith(codecs.BOM_UTF8) else source.decode("utf-8")
        return source.decode(encoding)
    except UnicodeDecodeError as exc:
        line = source.count(b"\n", 0, exc.start) + 1
        column = exc.start - (source.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SyntaxError(f"undecodable bytes ({exc.encoding}): {exc.reason}", ("", line, column, "")) from None
    except LookupError as exc:
        raise SyntaxError(f"unknown source encoding: {exc}", ("", 1, 1, "")) from None
    except SyntaxError as exc:
        cookie_line = 1 if _COOKIE.match(source.removeprefix(codecs.BOM_UTF8).split(b"\n", 1)[0]) else 2
        message = str(exc.msg)
        if message.startswith("encoding problem"):
            message = "the coding cookie contradicts the UTF-8 byte order mark"
        elif message.startswith("unknown encoding"):
            message = f"unknown source encoding: {message.partition(':')[2].strip()}"
        raise SyntaxError(message, ("", cookie_line, 1, "")) from None


_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=]")
_COOKIE_NAME = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")


_PY2_HINTS = (
    "Missing parentheses in call to 'print'",
    "Missing parentheses in call to 'exec'",
    "multiple exception types must be parenthesized",
    "leading zeros in decimal integer literals",
)


def _problem(exc: BaseException, source: bytes, text: str | None) -> ParseProblem:
    """The one parse problem of a file that failed to decode or parse."""
    if "null bytes" in str(exc) or (isinstance(exc, SyntaxError) and "\x00" in (exc.text or "")):
        index = source.find(b"\x00")
        line = source.count(b"\n", 0, max(index, 0)) + 1
        column = index - (source.rfind(b"\n", 0, index) + 1) + 1 if index >= 0 else 1
        return ParseProblem(message="source contains null bytes", line=line, column=column)
    if isinstance(exc, SyntaxError):
        if text is not None:
            newer = newer_syntax(text, before=exc.lineno)
            if newer is not None:
                return ParseProblem(message=f"syntax error: {newer.message}", line=newer.line, column=newer.column + 1)
        line = exc.lineno or 1
        column = exc.offset or 1
        msg = str(exc.msg)
        if text is None:  # raised while decoding: the message is already complete
            message = msg
        elif any(msg.startswith(hint) for hint in _PY2_HINTS):
            message = f"syntax error: {msg} (Python 2 code?)"
        else:
            message = f"syntax error: {msg}"
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
    """Facts of one file from its bytes. Never raises for bad input.

    A file that does not decode or parse becomes one :class:`ParseProblem`; when its
    text could be decoded, its imports are still recovered line by line
    (:func:`~archlint.engine.recovery.scan_imports`) so the import graph keeps them. A
    collector that raises loses only its own fields: the file's other facts are kept
    and the failure becomes the file's parse problem, naming the collector."""
    lines_count = count_lines(source)
    text: str | None = None
    try:
        try:
            text = decode_source(source)
        except SyntaxError:
            text = _lenient_decode(source)
            if text is None:
                raise
        tree = _parse(text, path)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError) as exc:
        return _unparsable(exc, source, text, path=path, module=module, is_package=is_package, lines=lines_count)
    context = SourceContext(
        path=path, module=module, is_package=is_package, text=text, lines=text.splitlines(), index=ScopeIndex(tree)
    )
    fields: dict[str, Any] = {}
    error: ParseProblem | None = None
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, COLLECTOR_RECURSION_LIMIT))
    try:
        for collect in COLLECTORS:
            try:
                fields.update(collect(tree, context))
            except RecursionError as exc:
                if _parsing.UNCOUNTED_PARSER:  # a tree 3.11 would not have built: rejected as it would be
                    return _unparsable(exc, source, text, path=path, module=module, is_package=is_package, lines=lines_count)
                if error is None:
                    error = _collector_failed(collect, exc)
            except (Exception, MemoryError) as exc:  # noqa: BLE001 - contained per collector
                if error is None:
                    error = _collector_failed(collect, exc)
    finally:
        sys.setrecursionlimit(limit)
    return FileFacts(path=path, module=module, is_package=is_package, lines=lines_count, error=error, **fields)


def _collector_failed(collect: Any, exc: BaseException) -> ParseProblem:
    """The parse problem of a file whose collector ``collect`` raised ``exc``."""
    return ParseProblem(message=f"internal error in the {_collector_name(collect)} collector: {type(exc).__name__}: {exc}")


def _parse(text: str, path: str) -> ast.Module:
    """``ast.parse`` with the compiler's warnings silenced: an invalid escape sequence in
    analysed code is not archlint's output, and under ``-W error`` (or
    ``PYTHONWARNINGS=error``) the warning would otherwise become a ``SyntaxError``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree: ast.Module = _parsing.parse(text, path)
        return tree


def _lenient_decode(source: bytes) -> str | None:
    """The text of a file with undecodable bytes that the interpreter still accepts
    (CPython does not decode comments, so invalid UTF-8 in a comment compiles), with the
    bad bytes replaced by U+FFFD; ``None`` when the interpreter rejects it too."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _parsing.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return None
    encoding = "utf-8"
    for line in source.removeprefix(codecs.BOM_UTF8).split(b"\n", 2)[:2]:
        cookie = _COOKIE_NAME.match(line)
        if cookie is not None:
            encoding = cookie.group(1).decode("ascii", "replace")
            break
        if line.strip() and not line.lstrip().startswith(b"#"):
            break
    try:
        return source.removeprefix(codecs.BOM_UTF8).decode(encoding, errors="replace")
    except LookupError:
        return None


def _collector_name(collect: Any) -> str:
    name = str(getattr(collect, "__module__", "") or getattr(collect, "__qualname__", "unknown"))
    return name.rsplit(".", 1)[-1]


def _unparsable(
    exc: BaseException, source: bytes, text: str | None, *, path: str, module: str, is_package: bool, lines: int
) -> FileFacts:
    """Facts of a file the parser rejected: the problem plus the imports still readable."""
    problem = _problem(exc, source, text)
    imports: tuple[ImportFact, ...] = ()
    if text is not None and not isinstance(exc, MemoryError):
        try:
            imports = scan_imports(text, module=module, is_package=is_package)
        except Exception:  # noqa: BLE001 - recovery is best effort
            imports = ()
    return FileFacts(path=path, module=module, is_package=is_package, error=problem, lines=lines, imports=imports)


def unreadable(exc: OSError, *, path: str, module: str, is_package: bool) -> FileFacts:
    """Facts of a file that could not be read: one parse problem saying why."""
    return FileFacts(
        path=path,
        module=module,
        is_package=is_package,
        error=ParseProblem(message=f"cannot read file: {exc.strerror or exc}"),
    )
