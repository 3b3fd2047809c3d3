"""The ``-> None`` fix: a libcst transformer that touches only the chosen ``def``s.

Only the return annotation is added; every other byte of the module (comments,
whitespace, quoting, line endings) is kept by libcst's lossless tree.

A target is found by qualname and occurrence, counted exactly as the facts collector
counts ``def``s (every ``def`` outside function bodies, except in module-level
``if TYPE_CHECKING:`` blocks); the caller guarantees the text is the analysed one. No
position metadata is computed, which would cost more than the parse. As a second guard
the transformer re-checks, on the libcst tree, that the function cannot return a value
and is not a dunder whose return type the data model fixes (``__int__``, ``__len__``...).
"""

from __future__ import annotations

from collections.abc import Iterable

import libcst as cst

from archlint.domain.function_facts import return_type_fixed_elsewhere
from archlint.fixes import FixTarget


class _ReturnsOrYields(cst.CSTVisitor):
    """Finds ``return <value>`` (other than ``None``) or ``yield`` in a function's own
    body, not entering nested scopes."""

    def __init__(self) -> None:
        super().__init__()
        self.found = False

    def visit_Return(self, node: cst.Return) -> bool:
        """A ``return`` with a value other than ``None``."""
        value = node.value
        if value is not None and not (isinstance(value, cst.Name) and value.value == "None"):
            self.found = True
        return False

    def visit_Yield(self, node: cst.Yield) -> bool:
        """Any ``yield``."""
        self.found = True
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        """Nested functions are other scopes."""
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        """Nested classes are other scopes."""
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        """Lambdas are other scopes."""
        return False


def can_return_value(node: cst.FunctionDef) -> bool:
    """Whether the function's own body has a ``return <value>`` or a ``yield``."""
    visitor = _ReturnsOrYields()
    node.body.visit(visitor)
    return visitor.found


def _is_type_checking(test: cst.BaseExpression) -> bool:
    if isinstance(test, cst.Name):
        return test.value == "TYPE_CHECKING"
    return isinstance(test, cst.Attribute) and test.attr.value == "TYPE_CHECKING"


class AddReturnNone(cst.CSTTransformer):
    """Adds ``-> None`` to each targeted ``def`` that has no return annotation yet and
    cannot return a value. Functions nested in functions are never touched."""

    def __init__(self, targets: Iterable[FixTarget]) -> None:
        super().__init__()
        self.targets = {(target.qualname, target.occurrence) for target in targets}
        self.scopes: list[str] = []  # enclosing class names
        self.function_depth = 0
        self.skipped_blocks: set[int] = set()  # ids of module-level TYPE_CHECKING bodies
        self.skip_depth = 0
        self.seen: dict[str, int] = {}
        self.applied = 0

    def _at_module_level(self) -> bool:
        return not self.scopes and not self.function_depth

    def visit_If(self, node: cst.If) -> bool:
        """Module-level ``if TYPE_CHECKING:`` bodies are not collected: skip them too."""
        if self._at_module_level() and not self.skip_depth and _is_type_checking(node.test):
            self.skipped_blocks.add(id(node.body))
        return True

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> bool:
        """Enter a skipped block."""
        if id(node) in self.skipped_blocks:
            self.skip_depth += 1
        return True

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock) -> cst.IndentedBlock:
        """Leave a skipped block."""
        if id(original_node) in self.skipped_blocks:
            self.skip_depth -= 1
        return updated_node

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        """Enter a class scope."""
        self.scopes.append(node.name.value)
        return True

    def leave_ClassDef(self, original_node: cst.ClassDef, updated_node: cst.ClassDef) -> cst.ClassDef:
        """Leave a class scope."""
        self.scopes.pop()
        return updated_node

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        """Enter a function scope."""
        self.function_depth += 1
        return True

    def leave_FunctionDef(self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef) -> cst.FunctionDef:
        """Annotate a targeted function."""
        self.function_depth -= 1
        if self.function_depth or self.skip_depth:
            return updated_node
        qualname = ".".join([*self.scopes, original_node.name.value])
        occurrence = self.seen.get(qualname, 0) + 1
        self.seen[qualname] = occurrence
        if (qualname, occurrence) not in self.targets or original_node.returns is not None:
            return updated_node
        if can_return_value(original_node) or return_type_fixed_elsewhere(original_node.name.value):
            return updated_node
        self.applied += 1
        return updated_node.with_changes(returns=cst.Annotation(annotation=cst.Name("None")))


def add_return_none(text: str, targets: Iterable[FixTarget]) -> tuple[str, int]:
    """``text`` with ``-> None`` added to the targeted functions, and how many were changed.

    Raises ``libcst.ParserSyntaxError`` when libcst cannot parse ``text``."""
    wanted = tuple(targets)
    if not wanted:
        return text, 0
    transformer = AddReturnNone(wanted)
    result = cst.parse_module(text).visit(transformer)
    return result.code, transformer.applied
