"""The hierarchy below (or above) one concept, as a tree that marks where a cycle closes."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import networkx as nx

from kg.query.hierarchy import hierarchy
from kg.query.lookup import lookup

if TYPE_CHECKING:
    from kg.vault import Vault

__all__ = ["MAX_INDENT", "Tree", "generate_tree_json", "generate_tree_text", "tree"]

MAX_INDENT = 100
"""Levels of indentation drawn at most. A line deeper than this keeps the guides of its last
``MAX_INDENT - 1`` levels behind a ``…``: a chain of 10,000 notes would otherwise print 200 MB (the text
grows with the square of the depth); this way it stays proportional to the number of nodes."""


@dataclass(frozen=True, slots=True)
class Tree:
    """One node of a hierarchy tree and what hangs under it."""

    node: str
    """The vault path or ghost id."""
    kind: str
    """``note``, ``attachment`` or ``ghost`` (an unresolved target)."""
    children: tuple[Tree, ...] = ()
    """The subtrees, sorted by node id."""
    cycle: bool = False
    """The node already stands on the way from the root to here: the cycle closes, nothing below."""
    repeat: bool = False
    """The node's subtree was already drawn earlier in this tree, so it is not drawn again."""

    def walk(self) -> Iterator[tuple[int, Tree]]:
        """``(level, subtree)`` for this node and every one below it, in drawing order (no recursion).

        >>> leaf = Tree("B.md", "note")
        >>> [(level, t.node) for level, t in Tree("A.md", "note", (leaf,)).walk()]
        [(0, 'A.md'), (1, 'B.md')]
        """
        stack: list[tuple[int, Tree]] = [(0, self)]
        while stack:
            level, here = stack.pop()
            yield level, here
            stack.extend((level + 1, child) for child in reversed(here.children))


@dataclass
class _Frame:
    """A node being expanded: its remaining children and the subtrees built so far."""

    node: str
    pending: list[str]
    """Children still to visit, last first (popped from the end)."""
    built: list[Tree] = field(default_factory=list)


def tree(
    vault: Vault,
    node: str,
    relation: str = "up",
    *,
    direction: str = "down",
    depth: int | None = None,
    explicit: bool = False,
) -> Tree:
    """The hierarchy below ``node`` (its children, theirs, ...) or above it (``direction="up"``).

    A node with several parents appears under each of them; its subtree is drawn the first time
    and marked ``repeat`` after that. A child that already stands between the root and itself is
    marked ``cycle`` and not expanded, so a cycle never loops.

    Parameters
    ----------
    vault : Vault
    node : str
        The root: a vault path, ghost id, file name or alias (see :func:`~kg.query.lookup`).
    relation : str
        The hierarchy field (``up`` by default).
    direction : str
        ``down`` for descendants, ``up`` for ancestors.
    depth : int, optional
        Stop this many levels below the root; no limit by default.
    explicit : bool
        Ignore implied edges.

    Returns
    -------
    Tree

    Examples
    --------
    >>> from kg.vault import Vault
    >>> vault = Vault.from_texts({"A.md": "up:: [[B]]", "B.md": "up:: [[A]]", "C.md": "up:: [[A]]"})
    >>> [(level, t.node, t.cycle) for level, t in tree(vault, "A.md").walk()]
    [(0, 'A.md', False), (1, 'B.md', False), (2, 'A.md', True), (1, 'C.md', False)]
    """
    if direction not in ("down", "up"):
        raise ValueError(f"direction must be 'down' or 'up', not '{direction}'")
    if depth is not None and depth < 0:
        raise ValueError(f"depth must be 0 or more, not {depth}")
    graph = hierarchy(vault, relation, explicit=explicit)
    kinds = dict(vault.graph.nodes(data="kind"))
    return _grow(graph if direction == "up" else graph.reverse(copy=False), kinds, lookup(vault, node), depth)


def _grow(graph: nx.DiGraph, kinds: dict[str, str], root: str, depth: int | None) -> Tree:
    """Depth-first, without recursion, so that a chain of thousands of notes is fine."""
    expanded: set[str] = set()
    stack = [_Frame(root, _below(graph, root, depth, 0, expanded))]
    on_way = {root}
    while True:
        frame = stack[-1]
        if not frame.pending:
            stack.pop()
            on_way.discard(frame.node)
            done = Tree(frame.node, kinds[frame.node], tuple(frame.built))
            if not stack:
                return done
            stack[-1].built.append(done)
        else:
            child = frame.pending.pop()
            if child in on_way or child in expanded:
                frame.built.append(Tree(child, kinds[child], cycle=child in on_way, repeat=child not in on_way))
            else:
                stack.append(_Frame(child, _below(graph, child, depth, len(stack), expanded)))
                on_way.add(child)


def _below(graph: nx.DiGraph, node: str, depth: int | None, level: int, expanded: set[str]) -> list[str]:
    """The children to draw under ``node`` at ``level``, last first; records ``node`` as expanded."""
    if depth is not None and level >= depth:
        return []
    found = sorted(graph.successors(node), reverse=True)
    if found:
        expanded.add(node)
    return found


def _plain_label(here: Tree) -> str:
    mark = "  (cycle)" if here.cycle else "  (see above)" if here.repeat else ""
    return here.node + ("  (unresolved)" if here.kind == "ghost" else "") + mark


def generate_tree_text(root: Tree, label: Callable[[Tree], str] = _plain_label) -> str:
    """The tree drawn with box-drawing lines, one node per line (no recursion, so any depth works).

    Parameters
    ----------
    root : Tree
    label : callable, optional
        Turns a subtree into the text of its line; by default the node id with ``(unresolved)``,
        ``(cycle)`` or ``(see above)`` beside it.

    Examples
    --------
    >>> from kg.vault import Vault
    >>> vault = Vault.from_texts({"A.md": "up:: [[B]]", "B.md": "up:: [[A]], [[Gone]]", "C.md": "up:: [[A]]"})
    >>> print(generate_tree_text(tree(vault, "Gone")))
    Gone  (unresolved)
    └── B.md
        └── A.md
            ├── B.md  (cycle)
            └── C.md
    """
    lines = [label(root)]
    stack = _children_of(root, "")
    while stack:
        here, prefix, last = stack.pop()
        lines.append(prefix + ("└── " if last else "├── ") + label(here))
        below = prefix + ("    " if last else "│   ")
        if len(below) > 4 * MAX_INDENT:  # "…" stands for the levels left out (see MAX_INDENT)
            below = "…   " + below[-4 * (MAX_INDENT - 1):]
        stack += _children_of(here, below)
    return "\n".join(lines)


def _children_of(here: Tree, prefix: str) -> list[tuple[Tree, str, bool]]:
    """A node's children with their line prefix and whether each is the last, last one first."""
    count = len(here.children)
    return [(child, prefix, index == count - 1) for index, child in reversed(list(enumerate(here.children)))]


def generate_tree_json(root: Tree, indent: int = 0) -> str:
    """The tree as nested JSON objects, one node per line.

    Each object has ``node``, ``kind``, ``cycle``, ``repeat`` and ``children``. Written without
    recursion, since :func:`json.dumps` recurses once per level and fails on a chain of a
    thousand notes. ``indent`` shifts every line right by that many steps of two spaces; lines
    are indented :data:`MAX_INDENT` steps at most.

    Examples
    --------
    >>> from kg.vault import Vault
    >>> print(generate_tree_json(tree(Vault.from_texts({"A.md": "up:: [[B]]", "B.md": ""}), "B")))
    {"node": "B.md", "kind": "note", "cycle": false, "repeat": false, "children": [
      {"node": "A.md", "kind": "note", "cycle": false, "repeat": false, "children": []}
    ]}
    """
    rows = list(root.walk())
    lines = []

    def margin(level: int) -> str:
        return "  " * min(indent + level, MAX_INDENT)

    for index, (level, here) in enumerate(rows):
        fields = {"node": here.node, "kind": here.kind, "cycle": here.cycle, "repeat": here.repeat}
        line = margin(level) + json.dumps(fields, ensure_ascii=False)[:-1] + ', "children": ['
        if not here.children:
            following = rows[index + 1][0] if index + 1 < len(rows) else 0
            line += "]}" + "".join(f"\n{margin(up)}]}}" for up in range(level - 1, following - 1, -1))
            line += "," if index + 1 < len(rows) else ""
        lines.append(line)
    return "\n".join(lines)
