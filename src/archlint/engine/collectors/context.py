"""What every collector receives besides the tree: the source and a shared node index.

The index is built at most once per file, on first use, by one pass over the tree; every
collector that asks for "all imports", "the children of this node" or "the parent of
that node" reads it instead of walking the whole tree again (``docs/adr/0014``)."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

_AST = ast.AST


class NodeIndex:
    """Lazily computed views of one parsed tree, shared by the collectors of a file.

    ``walk()`` is every node in :func:`ast.walk` order; ``of_type`` keeps that order;
    ``children`` lists the same nodes, in the same order, as :func:`ast.iter_child_nodes`.
    The tree must not be modified once the index is built."""

    __slots__ = ("_by_type", "_children", "_nodes", "_parents", "_tree")

    def __init__(self, tree: ast.AST) -> None:
        self._tree = tree
        self._nodes: list[ast.AST] | None = None
        self._children: dict[int, list[ast.AST]] = {}
        self._by_type: dict[type, list[int]] = {}
        self._parents: dict[int, ast.AST] | None = None

    def _build(self) -> list[ast.AST]:
        """One breadth-first pass (the order of :func:`ast.walk`) recording children and types."""
        nodes: list[ast.AST] = [self._tree]
        children = self._children
        by_type = self._by_type
        for position, node in enumerate(nodes):
            kids: list[ast.AST] = []
            for name in node._fields:
                value = getattr(node, name, None)
                if value.__class__ is list:
                    for item in value:
                        if isinstance(item, _AST):
                            kids.append(item)
                elif isinstance(value, _AST):
                    kids.append(value)
            if kids:
                nodes.extend(kids)
                children[id(node)] = kids
            kind = node.__class__
            found = by_type.get(kind)
            if found is None:
                by_type[kind] = [position]
            else:
                found.append(position)
        self._nodes = nodes
        return nodes

    def walk(self) -> list[ast.AST]:
        """Every node of the tree, in :func:`ast.walk` order (do not modify the list)."""
        return self._nodes if self._nodes is not None else self._build()

    def of_type(self, *kinds: type[ast.AST]) -> list[ast.AST]:
        """The nodes of exactly these types, in :func:`ast.walk` order."""
        nodes = self.walk()
        if len(kinds) == 1:
            return [nodes[i] for i in self._by_type.get(kinds[0], ())]
        positions = sorted(i for kind in kinds for i in self._by_type.get(kind, ()))
        return [nodes[i] for i in positions]

    def children(self, node: ast.AST) -> list[ast.AST]:
        """The direct children of ``node`` (as :func:`ast.iter_child_nodes`; do not modify)."""
        if self._nodes is None:
            self._build()
        return self._children.get(id(node), [])

    def parent(self, node: ast.AST) -> ast.AST | None:
        """The node whose child ``node`` is; ``None`` for the root."""
        parents = self._parents
        if parents is None:
            self.walk()
            parents = {id(child): owner for owner in self.walk() for child in self._children.get(id(owner), ())}
            self._parents = parents
        return parents.get(id(node))


@dataclass(frozen=True, slots=True)
class SourceContext:
    """The decoded source of one file and its place in the project."""

    path: str
    module: str
    is_package: bool
    text: str
    lines: list[str]
    index: NodeIndex | None = field(default=None, compare=False, repr=False)
    """The node index of the file's tree (set by the extractor; see :func:`node_index`)."""


def node_index(tree: ast.AST, source: SourceContext) -> NodeIndex:
    """The shared index of ``tree``: the context's, or a fresh one for a context built
    without it (unit tests that call one collector)."""
    index = source.index
    return index if index is not None and index._tree is tree else NodeIndex(tree)
