"""Where the concept map draws its display tree: positions computed in Python, before the page is written.

The map shows the display tree (:mod:`kg.export.tree`) in two kinds of places:

- the **overview**, the items open at start (:meth:`Tree.open_at_start`): every open item's children
  in rows under it, rows wrapped so that each subtree and the whole picture come out about as wide
  as the map window, and every box as wide as its label. That is what lets ~120 labels be read at
  fit, where a tidy tree (leaves side by side) would be thirty times wider than high.
- **shelves**: a click on a closed item opens it below the overview, as a band of its children
  packed the same way; a click on one of them opens the next band under it, and so on, one band per
  level of the way down. The page only stacks bands (each under its parent) and never moves what is
  already drawn.

So the page reads positions and adds offsets: the one packing algorithm is this module. Its sizes
are estimates of what vis-network draws (:data:`FONT` pixels, :data:`MAX_WIDTH` wide at most), in
canvas units, rounded to integers: the same vault gives the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from kg.export.tree import Tree

__all__ = ["FONT", "GROUP_FONT", "MAX_WIDTH", "Placement", "place"]

FONT = 19
"""Label size of a note, in canvas units (the page draws the same)."""
GROUP_FONT = 22
"""Label size of a group."""
MAX_WIDTH = 205
"""Widest box: longer labels wrap (the page's ``widthConstraint``)."""
CHAR = 0.58
"""Average width of a character, in font sizes (system sans-serif), as measured in Chromium."""
PAD = (16, 26)
"""What a box adds to its label's width and height (margins and border), as measured in Chromium."""
WRAP = 180
"""Width at which a label wraps, a little under the box's inner width: lines break between words."""
GAP_X = 12
"""Between neighbouring boxes of a row."""
GAP_Y = 28
"""Between a parent and its first row of children, and between rows: room for the edges."""
ASPECT = 1.3
"""Width over height of the map window the overview is packed for (a 1280×800 screen less the panel)."""
SHELF_ASPECT = 3.0
"""Width over height of a band of children opened below the overview: wide and low."""


@dataclass(slots=True)
class _Block:
    """An item and, if open, its children's blocks in rows under it; sizes in canvas units."""

    item: int
    own: tuple[float, float]
    rows: list[list[_Block]] = field(default_factory=list)
    w: float = 0.0
    h: float = 0.0


@dataclass(slots=True)
class Placement:
    """Positions of the display tree, by item number (see :class:`kg.export.tree.Tree`)."""

    start: list[int]
    """The overview: ``item, x, y`` for every item drawn at start, flat."""
    bottom: int
    """The lowest edge of the overview: bands open below it."""
    offsets: list[int]
    """``dx, dy`` of every item within its parent's band, flat (``0, 0`` for top-level items):
    relative to the band's top middle."""
    bands: list[int]
    """Height of every item's band of children, ``0`` for items without children."""


def box(label: str, font: int) -> tuple[float, float]:
    """The estimated ``(width, height)`` of a box drawn around ``label`` at ``font`` size.

    >>> box("Note", 19), box("x" * 60, 19)
    ((60.08, 45), (213, 102))
    """
    text = len(label) * font * CHAR
    lines = max(1, math.ceil(text / WRAP))
    return min(text + PAD[0], MAX_WIDTH + PAD[0] // 2), lines * font + PAD[1]  # a wrapped label's box is a little wider


def _runs(blocks: Sequence[_Block], limit: float, length: Callable[[_Block], float], gap: float) -> list[list[_Block]]:
    """``blocks`` in order, cut into runs whose ``length`` with ``gap`` between stays within ``limit``
    (a longer block has a run of its own)."""
    runs: list[list[_Block]] = []
    used = math.inf
    for block in blocks:
        if used + gap + length(block) > limit:
            runs.append([])
            used = -gap
        runs[-1].append(block)
        used += gap + length(block)
    return runs


def _rows(blocks: Sequence[_Block], width: float) -> list[list[_Block]]:
    """``blocks`` in rows no wider than ``width``."""
    return _runs(blocks, width, lambda block: block.w, GAP_X)


def _row_size(row: Sequence[_Block]) -> tuple[float, float]:
    return sum(b.w for b in row) + GAP_X * (len(row) - 1), max(b.h for b in row)


def _wrap(blocks: Sequence[_Block], aspect: float) -> list[list[_Block]]:
    """Rows of ``blocks`` whose picture is about ``aspect`` times wider than high."""
    area = sum((b.w + GAP_X) * (b.h + GAP_Y) for b in blocks)
    widest = max(b.w for b in blocks)
    return _rows(blocks, max(widest, math.sqrt(area * aspect)))


def _stack(rows: list[list[_Block]]) -> tuple[float, float]:
    """Width and height of rows stacked with :data:`GAP_Y` between them."""
    sizes = [_row_size(row) for row in rows]
    return max(w for w, _ in sizes), sum(h for _, h in sizes) + GAP_Y * (len(sizes) - 1)


def _block(item: int, kids: Callable[[int], list[int]], size: Callable[[int], tuple[float, float]], aspect: float) -> _Block:
    """The block of ``item`` with what ``kids`` opens under it, packed bottom-up (no recursion limit)."""
    done: dict[int, _Block] = {}
    stack = [(item, False)]
    while stack:
        current, ready = stack.pop()
        children = kids(current)
        if not ready and children:
            stack.append((current, True))
            stack.extend((kid, False) for kid in children)
            continue
        block = _Block(current, size(current))
        block.w, block.h = block.own
        if children:
            block.rows = _wrap([done.pop(kid) for kid in children], aspect)
            width, height = _stack(block.rows)
            block.w, block.h = max(block.w, width), block.h + GAP_Y + height
        done[current] = block
    return done[item]


def _place(block: _Block, x: float, y: float, out: dict[int, tuple[float, float]]) -> None:
    """Positions (box centres) of ``block`` drawn with its top left corner at ``(x, y)``."""
    stack = [(block, x, y)]
    while stack:
        current, left, top = stack.pop()
        out[current.item] = (left + current.w / 2, top + current.own[1] / 2)
        stack.extend(_row_places(current.rows, left + current.w / 2, top + current.own[1] + GAP_Y))


def _row_places(rows: list[list[_Block]], middle: float, top: float) -> list[tuple[_Block, float, float]]:
    """Each block of ``rows`` with its top left corner, the rows centred on ``middle`` from ``top`` down."""
    out = []
    for row in rows:
        width, height = _row_size(row)
        left = middle - width / 2
        for block in row:
            out.append((block, left, top))
            left += block.w + GAP_X
        top += height + GAP_Y
    return out


def _columns(blocks: Sequence[_Block], height: float) -> list[list[_Block]]:
    """``blocks`` in columns no taller than ``height``."""
    return _runs(blocks, height, lambda block: block.h, GAP_Y)


def _column_places(columns: list[list[_Block]]) -> list[tuple[_Block, float, float]]:
    """Each block of ``columns`` with its top left corner: columns side by side, blocks centred in them."""
    out = []
    left = 0.0
    for column in columns:
        width = max(block.w for block in column)
        top = 0.0
        for block in column:
            out.append((block, left + (width - block.w) / 2, top))
            top += block.h + GAP_Y
        left += width + GAP_X
    return out


def _extent(places: list[tuple[_Block, float, float]]) -> tuple[float, float]:
    return (max(left + b.w for b, left, _ in places) - min(left for _, left, _ in places),
            max(top + b.h for b, _, top in places) - min(top for _, _, top in places))


def _overview(tree: Tree, opened: set[int], size: Callable[[int], tuple[float, float]]) -> dict[int, tuple[float, float]]:
    """Centres of the items drawn at start: each open item's children in rows under it; the top level in
    rows or columns, whichever picture fits the window best (the largest labels at fit)."""
    if not tree.roots:
        return {}

    def kids(item: int) -> list[int]:
        return tree.children.get(item, []) if item in opened else []

    best: tuple[float, list[tuple[_Block, float, float]]] | None = None
    for aspect in (0.5, 0.8, 1.3, 2.0, 3.0):  # subtrees packed tall, square or wide
        blocks = [_block(root, kids, size, aspect) for root in tree.roots]
        area = sum((b.w + GAP_X) * (b.h + GAP_Y) for b in blocks)
        for stretch in (0.5, 0.7, 1.0, 1.4, 2.0):
            width = max(max(b.w for b in blocks), math.sqrt(area * ASPECT) * stretch)
            height = max(max(b.h for b in blocks), math.sqrt(area / ASPECT) * stretch)
            for places in (_row_places(_rows(blocks, width), 0.0, 0.0), _column_places(_columns(blocks, height))):
                w, h = _extent(places)
                scale = min(ASPECT / w, 1 / h)
                if best is None or scale > best[0] * 1.0001:
                    best = (scale, places)
    assert best is not None
    out: dict[int, tuple[float, float]] = {}
    for block, left, top in best[1]:
        _place(block, left, top, out)
    return out


def place(tree: Tree, labels: Sequence[str], opened: Sequence[int]) -> Placement:
    """Positions of the overview (``opened`` items open) and of every item's band of children.

    ``labels[i]`` is what the page writes on item ``i`` (graph nodes, then groups).

    >>> from kg.export.tree import Group
    >>> tree = Tree(["a", "b", "c"], [Group("g", 2)], roots=[0, 3], children={0: [1], 3: [2]})
    >>> placed = place(tree, ["a", "b", "c", "g ▸ 1"], opened=[0])
    >>> placed.start, placed.bottom, placed.offsets, placed.bands
    ([0, 14, 22, 1, 14, 96, 3, 79, 24], 118, [0, 0, 0, 22, 0, 22, 0, 0], [45, 0, 0, 45])
    """
    notes = len(tree.nodes)
    sizes = [box(label, FONT if item < notes else GROUP_FONT) for item, label in enumerate(labels)]
    at = _overview(tree, set(opened), sizes.__getitem__)
    start = [number for item, (x, y) in sorted(at.items()) for number in (item, round(x), round(y))]
    bottom = max((y + sizes[item][1] / 2 for item, (_, y) in at.items()), default=0.0)
    offsets = [0] * (2 * len(labels))
    bands = [0] * len(labels)
    for item, children in tree.children.items():
        rows = _wrap([_Block(kid, sizes[kid], [], *sizes[kid]) for kid in children], SHELF_ASPECT)
        bands[item] = round(_stack(rows)[1])
        for block, left, top in _row_places(rows, 0.0, 0.0):
            offsets[2 * block.item] = round(left + block.w / 2)
            offsets[2 * block.item + 1] = round(top + block.own[1] / 2)
    return Placement(start, round(bottom), offsets, bands)
