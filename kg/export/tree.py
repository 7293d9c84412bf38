"""What the concept map shows first, and what a click on a node opens: the map's display tree.

Every node of the exported graph sits once in one tree. Where the vault has ``up`` fields, the
tree is the ``up`` hierarchy (each note under its first parent one level up); notes outside it sit
under one group, ``outside the hierarchy``, so that they never swamp it. A vault without hierarchy
(or ``layout="folders"``) is its folder tree. Wherever one level would hold more than
:data:`GROUP_MAX` entries, they are grouped by folder, and a folder still too full is cut into runs
of names: the browser never draws thousands of nodes at once.

The page opens the tree level by level while no more than :data:`OVERVIEW` nodes show; a click
opens or closes one node. Groups are items after the graph's nodes, ``len(nodes) + i``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx

from kg.export.style import up_edges
from kg.resolve import fold

__all__ = ["GROUP_MAX", "OVERVIEW", "Group", "Tree", "display_tree"]

GROUP_MAX = 40
"""Most entries one level shows before they are grouped by folder."""
RUN = 30
"""Entries in one run of names when a single folder holds too many."""
OVERVIEW = 60
"""Most nodes the map opens on: the page opens levels while they keep the count under this."""

OUTSIDE = "outside the hierarchy"
GHOSTS = "ghosts (no file)"
TOP_LEVEL = "(top level)"


@dataclass(frozen=True, slots=True)
class Group:
    """A node of the display tree that is not a note: a folder, a run of names, or a catch-all."""

    label: str
    """What the map writes on it."""
    notes: int
    """Graph nodes under it, at any depth."""


@dataclass(slots=True)
class Tree:
    """The display tree over ``nodes`` (graph nodes, then :attr:`groups`), by item number."""

    nodes: list[str]
    """The graph's nodes in the graph's order: item ``i`` is ``nodes[i]``."""
    groups: list[Group] = field(default_factory=list)
    """Item ``len(nodes) + i`` is ``groups[i]``."""
    roots: list[int] = field(default_factory=list)
    """The top level, in the order drawn."""
    children: dict[int, list[int]] = field(default_factory=dict)
    """Each item's children in the order drawn (items without children left out)."""
    hierarchy: bool = False
    """Whether the tree is the ``up`` hierarchy (else the folder tree)."""

    def open_at_start(self, limit: int = OVERVIEW) -> list[int]:
        """The items opened when the page loads: level by level, the smallest first, while the shown
        items stay within ``limit``."""
        shown = len(self.roots)
        level = [item for item in self.roots if item in self.children]
        opened: list[int] = []
        while level:
            fits = []
            for item in sorted(level, key=lambda i: (len(self.children[i]), i)):
                if shown + len(self.children[item]) > limit:
                    break
                fits.append(item)
                shown += len(self.children[item])
            opened.extend(fits)
            level = [kid for item in sorted(fits) for kid in self.children[item] if kid in self.children]
        return sorted(opened)


def _first_parents(graph: nx.MultiDiGraph, depths: Mapping[str, int], key: Mapping[str, tuple[str, str]]) -> dict[str, str]:
    """Each node's parent in a spanning forest of the ``up`` hierarchy: its first parent one level up."""
    parent: dict[str, str] = {}
    for child, up in up_edges(graph):
        if child not in depths or depths.get(up) != depths[child] - 1:
            continue
        if child not in parent or key[up] < key[parent[child]]:
            parent[child] = up
    return parent


def _folder(node: str, kind: str, level: int) -> str | None:
    """The folder of ``node`` ``level`` steps down (``a/b`` for level 1 of ``a/b/c.md``), or None if it is not that deep."""
    if kind == "ghost":
        return None
    parts = str(node).split("/")[:-1]
    return "/".join(parts[: level + 1]) if len(parts) > level else None


class _Builder:
    """Adds groups to a tree while grouping entries that do not fit one level."""

    def __init__(self, tree: Tree, graph: nx.MultiDiGraph, key: Mapping[str, tuple[str, str]], size: dict[int, int]):
        self.tree, self.graph, self.key, self.size = tree, graph, key, size

    def group(self, label: str, members: Sequence[int]) -> int:
        """A new group holding ``members``; its item number."""
        item = len(self.tree.nodes) + len(self.tree.groups)
        self.size[item] = sum(self.size[m] for m in members)
        self.tree.groups.append(Group(label, self.size[item]))
        self.tree.children[item] = list(members)
        return item

    def fit(self, entries: list[int], level: int = 0) -> list[int]:
        """``entries`` as one level: themselves if few, else grouped by the folder ``level`` steps down
        (ghosts in one group), else cut into runs of names."""
        if len(entries) <= GROUP_MAX:
            return entries
        buckets: dict[str | None, list[int]] = defaultdict(list)
        for item in entries:
            node = self.tree.nodes[item]
            buckets[_folder(node, self.graph.nodes[node].get("kind", "note"), level)].append(item)
        if len(buckets) == 1 and None not in buckets:  # one folder holds them all: look one level deeper
            return self.fit(entries, level + 1)
        groups: list[int] = []
        files: list[int] = []
        for folder in sorted(buckets, key=lambda f: ("\uffff", "") if f is None else (fold(f), f)):
            members = buckets[folder]
            if folder is None:
                files += [m for m in members if not self._ghost(m)]
                ghosts = [m for m in members if self._ghost(m)]
                groups += [self.group(GHOSTS, self.runs(ghosts))] if ghosts else []
            elif len(members) == 1:
                files += members
            else:
                groups.append(self.group(folder + "/", self.fit(members, level + 1)))
        if files and len(groups) + len(files) > GROUP_MAX:
            files = [self.group(self._here(files[0]), self.runs(files))]
        return self.runs(groups + files)

    def _here(self, item: int) -> str:
        """The label of the group of the files directly in one folder."""
        folder = str(self.tree.nodes[item]).rpartition("/")[0]
        return f"{folder}/ (files)" if folder else TOP_LEVEL

    def _ghost(self, item: int) -> bool:
        return self.graph.nodes[self.tree.nodes[item]].get("kind") == "ghost"

    def runs(self, entries: list[int]) -> list[int]:
        """Entries as one level, cut into runs of :data:`RUN` (labelled first – last) if too many."""
        if len(entries) <= GROUP_MAX:
            return entries
        out = [self.group(f"{self._name(entries[start])} – {self._name(entries[min(start + RUN, len(entries)) - 1])}",
                          entries[start:start + RUN]) for start in range(0, len(entries), RUN)]
        return self.runs(out)

    def _name(self, item: int) -> str:
        if item < len(self.tree.nodes):
            node = self.tree.nodes[item]
            return str(self.graph.nodes[node].get("title", node))[:24]
        return self.tree.groups[item - len(self.tree.nodes)].label.split(" – ")[0]


def display_tree(graph: nx.MultiDiGraph, depths: Mapping[str, int], *, hierarchy: bool = True) -> Tree:
    """The map's display tree of ``graph``: the ``up`` hierarchy if ``hierarchy`` and the graph has one, else folders.

    ``depths`` are the hierarchy levels (:func:`kg.export.style.hierarchy_depths`).

    >>> g = nx.MultiDiGraph([("b.md", "a.md", 0, {"kind": "up"}), ("c.md", "d.md", 0, {"kind": "link"})])
    >>> tree = display_tree(g, {"a.md": 0, "b.md": 1})
    >>> tree.nodes, tree.roots, tree.children, tree.groups
    (['b.md', 'a.md', 'c.md', 'd.md'], [1, 4], {1: [0], 4: [2, 3]}, [Group(label='outside the hierarchy', notes=2)])
    """
    nodes = list(graph)
    key = {node: (fold(str(graph.nodes[node].get("title", node))), str(node)) for node in nodes}
    tree = Tree(nodes)
    index = {node: i for i, node in enumerate(nodes)}
    inside = {node for node in depths if node in index} if hierarchy else set()
    parent = _first_parents(graph, depths, key) if inside else {}
    by_key = sorted(nodes, key=key.__getitem__)
    for node in by_key:
        if node in parent:
            tree.children.setdefault(index[parent[node]], []).append(index[node])
    tree.hierarchy = bool(parent)
    builder = _Builder(tree, graph, key, _sizes(tree))
    for item, kids in list(tree.children.items()):
        tree.children[item] = builder.fit(kids)
    tops = [index[node] for node in by_key if node in inside and node not in parent]
    loose = [index[node] for node in by_key if node not in inside]
    if tree.hierarchy:
        tree.roots = builder.fit(tops)
        if loose:
            tree.roots.append(builder.group(OUTSIDE, builder.fit(loose)))
    else:
        tree.roots = builder.fit(tops + loose)
    return tree


def _sizes(tree: Tree) -> dict[int, int]:
    """Graph nodes under each item, itself included (groups count only what they hold)."""
    size: dict[int, int] = {}
    total = len(tree.nodes) + len(tree.groups)
    done: set[int] = set()
    for start in range(total):
        stack = [(start, False)]
        while stack:
            item, finished = stack.pop()
            if item in done:
                continue
            if finished:
                own = 1 if item < len(tree.nodes) else 0
                size[item] = own + sum(size[kid] for kid in tree.children.get(item, []))
                done.add(item)
            else:
                stack.append((item, True))
                stack.extend((kid, False) for kid in tree.children.get(item, []) if kid not in done)
    return size
