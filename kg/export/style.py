"""How a drawn map looks: each node's colour category, the legend, and hierarchy depth.

Shared by the drawings (HTML, Mermaid, DOT) so that they colour a vault alike.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping

import networkx as nx

__all__ = [
    "COLOR_BY",
    "GHOST_COLOR",
    "Legend",
    "categories",
    "hierarchy_depths",
    "legend",
    "node_colors",
    "top_folder",
    "up_edges",
]

COLOR_BY = ("folder", "tag", "depth")
"""What ``--color-by`` accepts."""

PALETTE = (
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#b07aa1", "#76b7b2",
    "#edc948", "#9c755f", "#ff9da7", "#2f4b7c", "#8cd17d", "#d37295",
)
"""Distinct colours for categories (Tableau 10 and two more), most common category first."""

DEPTHS = ("#440154", "#443983", "#31688e", "#21918c", "#35b779", "#90d743", "#fde725")
"""Viridis, dark (top of the hierarchy) to light (deep down); deeper levels reuse the last."""

OTHER_COLOR = "#8c8c8c"
"""Colour of the categories past the palette."""
NONE_COLOR = "#c8c8c8"
"""Colour of the notes with no tag, or outside the hierarchy."""
GHOST_COLOR = "#ffffff"
"""Fill of ghost nodes (unresolved targets), which have no category; drawn with a dashed border."""
NO_TAG = "(no tag)"
ROOT_FOLDER = "(top level)"
NO_DEPTH = "not in hierarchy"
GHOST = "ghost (no file)"

OTHER = "other"
Legend = list[tuple[str, str, int]]
"""``(entry, colour, number of nodes)`` in the order the legend shows them."""


def top_folder(path: str) -> str:
    """The first folder of a vault path, or ``(top level)``.

    >>> top_folder("Models/Text/GPT-4.md"), top_folder("README.md")
    ('Models', '(top level)')
    """
    return path.split("/", 1)[0] if "/" in path else ROOT_FOLDER


def up_edges(graph: nx.MultiDiGraph) -> Iterator[tuple[str, str]]:
    """``(child, parent)`` of every pair of nodes joined by an ``up`` edge, once, in the graph's order.

    Read from the adjacency as it is: an edge view of a large graph costs twice as much.

    >>> list(up_edges(nx.MultiDiGraph([("a", "b", {"kind": "up"}), ("a", "b", {"kind": "up"}), ("b", "c", {})])))
    [('a', 'b')]
    """
    for child, parents in graph.adjacency():
        for parent, keyed in parents.items():
            for data in keyed.values():
                if data.get("kind") == "up":
                    yield child, parent
                    break


def hierarchy_depths(graph: nx.MultiDiGraph) -> dict[str, int]:
    """Steps from the top of the ``up`` hierarchy: 0 for a root, 1 for its children, and so on.

    Nodes outside the hierarchy (no ``up`` edge either way, or only in a cycle with no top) are
    left out.

    >>> from kg.vault import Vault
    >>> vault = Vault.from_texts({"A.md": "up:: [[B]]", "B.md": "up:: [[C]]", "C.md": "", "D.md": ""})
    >>> hierarchy_depths(vault.graph)
    {'C.md': 0, 'B.md': 1, 'A.md': 2}
    """
    down: dict[str, set[str]] = {}
    has_parent: set[str] = set()
    for child, parent in up_edges(graph):
        if child != parent:
            down.setdefault(parent, set()).add(child)
            down.setdefault(child, set())
            has_parent.add(child)
    frontier = sorted(node for node in down if node not in has_parent)
    depths: dict[str, int] = {}
    level = 0
    while frontier:
        for node in frontier:
            depths[node] = level
        frontier = sorted({child for node in frontier for child in down[node]} - depths.keys())
        level += 1
    return depths


def _tag_choice(graph: nx.MultiDiGraph) -> dict[str, str]:
    """Each note's colour tag: a greedy cover by the tags that tell notes apart.

    A tag held by more than half of the notes says little (every note of an AI vault has ``#ai``),
    so it is used only for notes with no other tag. The rest are taken most common first, and each
    note gets the first of them it holds.
    """
    notes = {node: tags for node, tags in graph.nodes(data="tags") if graph.nodes[node]["kind"] == "note"}
    counts = Counter(tag for tags in notes.values() for tag in set(tags))
    common = {tag for tag, count in counts.items() if count > len(notes) / 2}
    order = sorted(counts, key=lambda tag: (tag in common, -counts[tag], tag))
    rank = {tag: index for index, tag in enumerate(order)}
    left = dict(notes)
    choice: dict[str, str] = {}
    while left:
        cover = Counter(tag for tags in left.values() for tag in set(tags))
        if not cover:
            break
        best = min(cover, key=lambda tag: (tag in common, -cover[tag], rank[tag]))
        for node in [n for n, tags in left.items() if best in tags]:
            choice[node] = best
            del left[node]
    return choice


def categories(graph: nx.MultiDiGraph, color_by: str, depths: Mapping[str, int] | None = None) -> dict[str, str]:
    """Each node's colour category for ``color_by`` (``folder``, ``tag`` or ``depth``).

    Ghosts are always ``ghost (no file)``. For ``depth``, ``depths`` defaults to the graph's own.

    >>> from kg.vault import Vault
    >>> vault = Vault.from_texts({"a/A.md": "#x [[B]]", "B.md": "up:: [[a/A]]"})
    >>> categories(vault.graph, "folder"), categories(vault.graph, "tag")["B.md"]
    ({'B.md': '(top level)', 'a/A.md': 'a'}, '(no tag)')
    >>> categories(vault.graph, "depth")
    {'B.md': 'depth 1', 'a/A.md': 'depth 0'}
    """
    if color_by not in COLOR_BY:
        raise ValueError(f"color_by must be one of {', '.join(COLOR_BY)}, not {color_by!r}")
    if color_by == "depth" and depths is None:
        depths = hierarchy_depths(graph)
    chosen = _tag_choice(graph) if color_by == "tag" else {}
    out: dict[str, str] = {}
    for node, kind in graph.nodes(data="kind"):
        if kind == "ghost":
            out[node] = GHOST
        elif color_by == "folder":
            out[node] = top_folder(node)
        elif color_by == "tag":
            out[node] = "#" + chosen[node] if node in chosen else NO_TAG
        else:
            level = (depths or {}).get(node)
            out[node] = NO_DEPTH if level is None else f"depth {level}"
    return out


def _order(counts: Counter[str], color_by: str) -> list[str]:
    """Legend order: depth levels top down; otherwise most common first; catch-alls last."""
    last = {NO_TAG, NO_DEPTH, GHOST}
    if color_by == "depth":
        return sorted(counts, key=lambda c: (c in last, c == GHOST, int(c.split()[-1]) if c not in last else 0))
    return sorted(counts, key=lambda c: (c in last, c == GHOST, -counts[c], c))


def legend(assigned: Mapping[str, str], color_by: str, limit: int = len(PALETTE)) -> tuple[Legend, dict[str, str]]:
    """The legend, ``(entry, colour, nodes)`` in order, and the entry each category is shown under.

    Categories past ``limit`` share one grey ``other`` entry.

    >>> entries, shown = legend({"a.md": "A", "b.md": "A", "c.md": "B", "g": "ghost (no file)"}, "folder", limit=1)
    >>> entries
    [('A', '#4e79a7', 2), ('other', '#8c8c8c', 1), ('ghost (no file)', '#ffffff', 1)]
    >>> shown
    {'A': 'A', 'B': 'other', 'ghost (no file)': 'ghost (no file)'}
    """
    counts = Counter(assigned.values())
    colors: dict[str, str] = {}
    shown: dict[str, str] = {}
    index = 0
    for category in _order(counts, color_by):
        entry = category
        if category == GHOST:
            color = GHOST_COLOR
        elif category in (NO_TAG, NO_DEPTH):
            color = NONE_COLOR
        elif color_by == "depth":
            color = DEPTHS[min(int(category.split()[-1]), len(DEPTHS) - 1)]
        elif index < limit:
            color, index = PALETTE[index], index + 1
        else:
            entry, color = OTHER, OTHER_COLOR
        shown[category] = entry
        colors.setdefault(entry, color)
    totals = Counter(shown[category] for category in assigned.values())
    return [(entry, color, totals[entry]) for entry, color in colors.items()], shown


def node_colors(graph: nx.MultiDiGraph, color_by: str, depths: Mapping[str, int] | None = None) -> dict[str, str]:
    """Each node's fill colour, as the legend of :func:`legend` gives it.

    >>> node_colors(nx.MultiDiGraph([("a/x.md", "b/y.md")]), "folder")
    {'a/x.md': '#4e79a7', 'b/y.md': '#f28e2b'}
    """
    assigned = categories(graph, color_by, depths)
    entries, shown = legend(assigned, color_by)
    colors = {entry: color for entry, color, _ in entries}
    return {node: colors[shown[category]] for node, category in assigned.items()}
