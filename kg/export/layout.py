"""Node positions computed in Python: deterministic, integer, and cheap for thousands of nodes.

``clustered`` gives the force layout a head start (the browser then runs a capped number of
physics iterations); ``hierarchy`` is final (the ``up`` tree top-down, physics off).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import networkx as nx

from kg.resolve import fold

__all__ = ["Positions", "clustered", "hierarchy"]

Positions = dict[str, tuple[int, int]]
"""Node -> ``(x, y)`` in canvas pixels (y grows downwards)."""

GOLDEN = math.pi * (3 - math.sqrt(5))
SPREAD = 60
"""Pixels between neighbouring nodes of a cluster."""
LEAF_GAP = 170
"""Pixels between neighbouring leaves of the hierarchy."""
LEVEL_GAP = 150
"""Pixels between hierarchy levels, at least; wide trees get more, towards a 5:3 picture."""
ASPECT = 0.6


def _sunflower(count: int, spread: float) -> list[tuple[float, float]]:
    """``count`` points evenly filling a disc, the first at its centre."""
    return [
        (spread * math.sqrt(i) * math.cos(i * GOLDEN), spread * math.sqrt(i) * math.sin(i * GOLDEN))
        for i in range(count)
    ]


def clustered(graph: nx.MultiDiGraph, groups: Mapping[str, str]) -> Positions:
    """Nodes of one group packed in a disc, best-connected first, the discs on a ring.

    >>> g = nx.MultiDiGraph([("a", "b"), ("a", "c")])
    >>> clustered(g, {"a": "x", "b": "x", "c": "y"})
    {'a': (12, -83), 'b': (-32, -43), 'c': (-12, 83)}
    """
    members: dict[str, list[str]] = {}
    for node in sorted(graph, key=lambda n: (-graph.degree(n), n)):
        members.setdefault(groups.get(node, ""), []).append(node)
    order = sorted(members, key=lambda group: (-len(members[group]), group))
    radii = [SPREAD * math.sqrt(len(members[g])) + SPREAD for g in order]
    ring = sum(radii) * 2 / (2 * math.pi) if len(order) > 1 else 0.0
    out: Positions = {}
    angle = 0.0
    for group, radius in zip(order, radii):
        angle += radius / ring if ring else 0.0
        cx, cy = -ring * math.cos(angle), -ring * math.sin(angle)
        for node, (dx, dy) in zip(members[group], _sunflower(len(members[group]), SPREAD)):
            out[node] = (round(cx + dx), round(cy + dy))
        angle += radius / ring if ring else 0.0
    return dict(sorted(out.items()))


def _tree(graph: nx.MultiDiGraph, depths: Mapping[str, int]) -> dict[str, list[str]]:
    """Each node's children in a spanning forest of the ``up`` hierarchy; the key ``""`` holds the roots."""
    label = {node: (fold(str(graph.nodes[node].get("title", node))), node) for node in graph}
    parent: dict[str, str] = {}
    for child, up, kind in sorted(graph.edges(data="kind")):
        if kind == "up" and child in depths and depths.get(up) == depths[child] - 1 and child not in parent:
            parent[child] = up
    children: dict[str, list[str]] = {"": []}
    for node in sorted(depths.keys() & set(graph), key=lambda n: label[n]):
        children.setdefault(parent.get(node, ""), []).append(node)
    children[""].sort(key=lambda n: (depths[n], label[n]))
    return children


def _place_tree(children: Mapping[str, list[str]]) -> dict[str, float]:
    """x of every tree node: leaves side by side, parents centred over their children."""
    xs: dict[str, float] = {}
    next_leaf = 0.0
    stack: list[tuple[str, bool]] = [(root, False) for root in reversed(children[""])]
    while stack:
        node, done = stack.pop()
        kids = children.get(node, [])
        if not kids:
            xs[node], next_leaf = next_leaf, next_leaf + 1
        elif done:
            xs[node] = (xs[kids[0]] + xs[kids[-1]]) / 2
        else:
            stack.append((node, True))
            stack.extend((kid, False) for kid in reversed(kids))
    return xs


def hierarchy(graph: nx.MultiDiGraph, depths: Mapping[str, int]) -> Positions:
    """The ``up`` tree top-down: one row per depth; nodes outside the hierarchy in rows below it.

    ``depths`` gives each node's level (see :func:`kg.export.style.hierarchy_depths`).

    >>> g = nx.MultiDiGraph([("b", "a", 0, {"kind": "up"}), ("c", "a", 0, {"kind": "up"})])
    >>> g.add_node("d")
    >>> hierarchy(g, {"a": 0, "b": 1, "c": 1})
    {'a': (85, 0), 'b': (0, 150), 'c': (170, 150), 'd': (0, 450)}
    """
    xs = _place_tree(_tree(graph, depths))
    levels = max((depths[n] for n in xs), default=-1) + 1
    width = (max(xs.values(), default=0) + 1) * LEAF_GAP
    gap = max(LEVEL_GAP, round(width * ASPECT / (levels + 1)))
    out: Positions = {node: (round(x * LEAF_GAP), depths[node] * gap) for node, x in xs.items()}
    rest = sorted(node for node in graph if node not in out)
    columns = max(8, math.ceil(math.sqrt(len(rest) * 3)), round(width / LEAF_GAP))
    for index, node in enumerate(rest):
        row, column = divmod(index, columns)
        out[node] = (column * LEAF_GAP, (levels + 1) * gap + row * LEVEL_GAP // 2)
    return dict(sorted(out.items()))
