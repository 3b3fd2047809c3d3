"""What can still be learnt from a file the running ``ast`` cannot parse.

Two best-effort helpers, used by :mod:`archlint.engine.extract` only after ``ast.parse``
has failed on decoded text:

* :func:`newer_syntax` recognises constructs of newer Python versions (PEP 695 ``type``
  statements and type parameter lists, PEP 696 defaults, PEP 654 ``except*``, PEP 750
  template strings) from the token stream, so the ``ARC001`` message can name the
  Python version the file needs instead of a bare "invalid syntax".
* :func:`scan_imports` recovers the file's import statements line by line, so a cycle
  through a file with a syntax error (or syntax newer than the interpreter) is still
  seen. It reads only lines that *start* with ``import`` or ``from ... import`` (after
  indentation), joins a parenthesised name list over following lines, skips lines inside
  triple-quoted strings, and classifies each import from the block headers above it
  (``def`` -> deferred, ``if TYPE_CHECKING:`` -> type-checking, ``try:`` -> in a try).
  It can be fooled by exotic layouts (an import inside a one-line ``if x: import y``, a
  backslash continuation) and then misses that import; it never invents a module name
  that is not a dotted identifier.

Neither helper ever raises for bad input.
"""

from __future__ import annotations

import io
import re
import sys
import tokenize
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

from archlint.domain.facts import ImportFact, ImportKind
from archlint.engine.collectors.imports import resolve_relative

_TEXT_LIMIT = 120
_MAX_JOINED_LINES = 50


@dataclass(frozen=True, slots=True)
class NewerSyntax:
    """A construct the running interpreter is too old for, and where it starts."""

    feature: str
    version: tuple[int, int]
    line: int
    column: int

    @property
    def message(self) -> str:
        """``"type alias statement (PEP 695) requires Python 3.12 (running 3.11)"``."""
        running = f"{sys.version_info[0]}.{sys.version_info[1]}"
        return f"{self.feature} requires Python {self.version[0]}.{self.version[1]} (running {running})"


_TEMPLATE_PREFIXES = frozenset({"t", "tr", "rt"})


def _tokens(text: str) -> list[tokenize.TokenInfo]:
    """The tokens of ``text`` up to the first tokenizer error (the C tokenizer of 3.12+
    may warn about analysed code: silenced)."""
    tokens: list[tokenize.TokenInfo] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            tokens.extend(tokenize.generate_tokens(io.StringIO(text).readline))
        except (tokenize.TokenError, SyntaxError, ValueError, RecursionError, MemoryError):
            pass
    return tokens


def _scan_newer(text: str) -> Iterator[NewerSyntax]:
    """Every newer-syntax construct found in ``text`` (any version)."""
    significant = [
        tok for tok in _tokens(text) if tok.type not in (tokenize.COMMENT, tokenize.NL, tokenize.ENCODING)
    ]
    line_start = True
    for index, tok in enumerate(significant):
        after = significant[index + 1 : index + 3]
        if tok.type == tokenize.NAME and len(after) == 2:
            first, second = after
            if line_start and tok.string == "type" and first.type == tokenize.NAME and second.string in ("=", "["):
                yield NewerSyntax("type alias statement (PEP 695)", (3, 12), *tok.start)
            if tok.string in ("def", "class") and first.type == tokenize.NAME and second.string == "[":
                yield NewerSyntax("type parameter list (PEP 695)", (3, 12), *second.start)
                default = _type_param_default(significant, index + 2)
                if default is not None:
                    yield NewerSyntax("type parameter default (PEP 696)", (3, 13), *default)
            if line_start and tok.string == "type" and first.type == tokenize.NAME and second.string == "[":
                default = _type_param_default(significant, index + 2)
                if default is not None:
                    yield NewerSyntax("type parameter default (PEP 696)", (3, 13), *default)
        if tok.type == tokenize.NAME and tok.string == "except" and after and after[0].string == "*":
            yield NewerSyntax("except* (PEP 654)", (3, 11), *tok.start)
        if (
            tok.type == tokenize.NAME
            and tok.string.lower() in _TEMPLATE_PREFIXES
            and after
            and after[0].type == tokenize.STRING
            and after[0].start == tok.end
        ):
            yield NewerSyntax("template string literal (PEP 750)", (3, 14), *tok.start)
        line_start = tok.type in (tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT) or (
            tok.type == tokenize.OP and tok.string == ";"
        )


def _type_param_default(tokens: list[tokenize.TokenInfo], open_index: int) -> tuple[int, int] | None:
    """Position of a ``=`` at depth one of the bracket opening at ``open_index``."""
    depth = 0
    for tok in tokens[open_index:]:
        if tok.type != tokenize.OP:
            continue
        if tok.string in "([{":
            depth += 1
        elif tok.string in ")]}":
            depth -= 1
            if depth == 0:
                return None
        elif tok.string == "=" and depth == 1:
            return tok.start
    return None


def newer_syntax(text: str, running: tuple[int, int] | None = None, before: int | None = None) -> NewerSyntax | None:
    """The construct in ``text`` that needs the newest Python above ``running`` (default:
    this interpreter), the first one when several need it; only constructs on or before
    line ``before`` count (the parser reports the first error, so a construct after it
    is not what failed). ``None`` when there is none."""
    current = running or (sys.version_info[0], sys.version_info[1])
    found = [item for item in _scan_newer(text) if item.version > current and (before is None or item.line <= before)]
    if not found:
        return None
    return min(found, key=lambda item: (-item.version[0], -item.version[1], item.line, item.column))


_IMPORT = re.compile(r"^(?P<indent>[ \t]*)(?P<stmt>import[ \t]+\S.*|from[ \t]+\S+[ \t]+import\b.*)$")
_HEADER = re.compile(r"^(?P<indent>[ \t]*)(?P<word>async[ \t]+def|def|class|if|elif|else|try|except|finally|with|for|while|match|case)\b")
_DOTTED = re.compile(r"^[^\W\d]\w*(?:\.[^\W\d]\w*)*$")
_TRIPLE = re.compile(r"'''|\"\"\"")


def _strip_comment(text: str) -> str:
    return text.split("#", 1)[0]


def _indent_width(indent: str) -> int:
    return len(indent.expandtabs(8))


def _is_type_checking_header(line: str) -> bool:
    condition = line.strip()
    return condition.startswith("if ") and "TYPE_CHECKING" in condition and not condition[3:].lstrip().startswith("not ")


def _statement(lines: list[str], index: int) -> tuple[str, int]:
    """The import statement starting at ``lines[index]`` (joined when its name list is
    parenthesised) and the index of its last line."""
    text = _strip_comment(lines[index]).strip()
    end = index
    if "(" in text and ")" not in text:
        while end + 1 < len(lines) and end - index < _MAX_JOINED_LINES:
            end += 1
            part = _strip_comment(lines[end]).strip()
            text = f"{text} {part}"
            if ")" in part:
                break
    return text.rstrip(";").strip(), end


def _names(raw: str) -> list[str] | None:
    """``a as b, c`` -> ``[a, c]``; ``None`` when any part is not a dotted name."""
    names: list[str] = []
    for part in raw.replace("(", " ").replace(")", " ").split(","):
        words = part.split()
        if not words:
            continue
        if len(words) not in (1, 3) or (len(words) == 3 and words[1] != "as"):
            return None
        names.append(words[0])
    return names or None


def _parse_statement(text: str, module: str, is_package: bool) -> list[tuple[str, tuple[str, ...], int]]:
    """``(absolute module, names, level)`` for each module the statement imports."""
    text = text.split(";", 1)[0].strip()
    if text.startswith("import"):
        names = _names(text[len("import") :])
        if names is None or not all(_DOTTED.match(name) for name in names):
            return []
        return [(name, (), 0) for name in names]
    match = re.match(r"^from[ \t]+(?P<mod>\.*[\w.]*)[ \t]+import[ \t]*(?P<names>.*)$", text)
    if match is None:
        return []
    raw_module = match.group("mod")
    level = len(raw_module) - len(raw_module.lstrip("."))
    name = raw_module[level:] or None
    if name is not None and not _DOTTED.match(name):
        return []
    names_text = match.group("names").strip()
    imported = ["*"] if names_text == "*" else _names(names_text)
    if imported is None or not all(item == "*" or item.isidentifier() for item in imported):
        return []
    if level == 0 and name is None:
        return []
    target = resolve_relative(module, is_package, level, name)
    return [(target, tuple(imported), level)]


def scan_imports(text: str, *, module: str, is_package: bool) -> tuple[ImportFact, ...]:
    """Import statements recovered line by line from source that does not parse."""
    lines = text.splitlines()
    facts: list[ImportFact] = []
    blocks: list[tuple[int, str]] = []  # (indent width, header kind) of open blocks
    in_string = False
    index = 0
    while index < len(lines):
        line = lines[index]
        triples = len(_TRIPLE.findall(_strip_comment(line) if not in_string else line))
        if in_string:
            in_string = triples % 2 == 0
            index += 1
            continue
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            index += 1
            continue
        width = _indent_width(line[: len(line) - len(line.lstrip())])
        while blocks and blocks[-1][0] >= width:
            blocks.pop()
        match = _IMPORT.match(line)
        if match is not None:
            statement, end = _statement(lines, index)
            kinds = [kind for _, kind in blocks]
            if "type-checking" in kinds:
                kind = ImportKind.TYPE_CHECKING
            elif "def" in kinds:
                kind = ImportKind.DEFERRED
            else:
                kind = ImportKind.MODULE_LEVEL
            in_try = "try" in kinds
            shown = " ".join(statement.split())
            shown = shown if len(shown) <= _TEXT_LIMIT else shown[: _TEXT_LIMIT - 3] + "..."
            for target, names, level in _parse_statement(statement, module, is_package):
                facts.append(
                    ImportFact(
                        module=target,
                        names=names,
                        line=index + 1,
                        column=len(match.group("indent")) + 1,
                        end_line=end + 1,
                        end_column=len(lines[end].rstrip()) + 1,
                        kind=kind,
                        level=level,
                        in_try=in_try,
                        text=shown,
                    )
                )
            index = end + 1
            continue
        header = _HEADER.match(line)
        if header is not None and _strip_comment(line).rstrip().endswith(":"):
            word = header.group("word").split()[-1]
            if word == "def":
                kind_name = "def"
            elif word in ("if", "elif") and _is_type_checking_header(line):
                kind_name = "type-checking"
            elif word in ("try", "except", "finally"):
                kind_name = "try"
            else:
                kind_name = word
            blocks.append((width, kind_name))
        if triples % 2 == 1:
            in_string = True
        index += 1
    return tuple(facts)
