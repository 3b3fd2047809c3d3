"""The ``-> None`` fix: a libcst transformer that touches only the chosen ``def``s.

Only the return annotation is added; every other byte of the module (comments,
whitespace, quoting, line endings) is kept by libcst's lossless tree."""

from __future__ import annotations

from collections.abc import Iterable

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from archlint.fixes import FixTarget


class AddReturnNone(cst.CSTTransformer):
    """Adds ``-> None`` to each ``def`` whose line and qualname are both targets and
    that has no return annotation yet. Functions nested in functions are never touched."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, targets: Iterable[FixTarget]) -> None:
        super().__init__()
        self.targets = {(target.line, target.qualname) for target in targets}
        self.scopes: list[tuple[str, bool]] = []  # (name, is_function)
        self.applied = 0

    def _qualname(self, name: str) -> str | None:
        if any(is_function for _, is_function in self.scopes):
            return None
        return ".".join([scope for scope, _ in self.scopes] + [name])

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        """Enter a class scope."""
        self.scopes.append((node.name.value, False))
        return True

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.ClassDef:
        """Leave a class scope."""
        self.scopes.pop()
        return updated_node

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        """Enter a function scope."""
        self.scopes.append((node.name.value, True))
        return True

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        """Annotate a targeted function."""
        self.scopes.pop()
        qualname = self._qualname(original_node.name.value)
        if qualname is None or original_node.returns is not None:
            return updated_node
        line = self.get_metadata(PositionProvider, original_node).start.line
        if (line, qualname) not in self.targets:
            return updated_node
        self.applied += 1
        return updated_node.with_changes(returns=cst.Annotation(annotation=cst.Name("None")))


def add_return_none(text: str, targets: Iterable[FixTarget]) -> tuple[str, int]:
    """``text`` with ``-> None`` added to the targeted functions, and how many were changed.

    Raises ``libcst.ParserSyntaxError`` when libcst cannot parse ``text``."""
    wanted = tuple(targets)
    if not wanted:
        return text, 0
    wrapper = MetadataWrapper(cst.parse_module(text))
    transformer = AddReturnNone(wanted)
    result = wrapper.visit(transformer)
    return result.code, transformer.applied
