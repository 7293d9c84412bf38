"""Where the concept map draws its display tree: computed in Python, no box on another, parents above."""

from __future__ import annotations

import itertools

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st
from test_export_tree import vaults

from kg.export.html import generate_html
from kg.export.style import hierarchy_depths
from kg.export.tree import OVERVIEW, display_tree
from kg.export.treelayout import FONT, GROUP_FONT, box, place
from kg.vault import Vault


def labels_of(graph: nx.MultiDiGraph, tree) -> list[str]:  # type: ignore[no-untyped-def]
    names = [str(graph.nodes[node].get("title", node)) for node in tree.nodes] + [group.label for group in tree.groups]
    return [name + " ▸ 12" if item in tree.children else name for item, name in enumerate(names)]


def boxes(placed_at: dict[int, tuple[int, int]], labels: list[str], notes: int) -> dict[int, tuple[float, float, float, float]]:
    out = {}
    for item, (x, y) in placed_at.items():
        w, h = box(labels[item], FONT if item < notes else GROUP_FONT)
        out[item] = (x - w / 2, y - h / 2, x + w / 2, y + h / 2)
    return out


def overlapping(rects: dict[int, tuple[float, float, float, float]]) -> list[tuple[int, int]]:
    slack = 1.0  # positions are rounded to whole units
    return [(a, b) for (a, ra), (b, rb) in itertools.combinations(rects.items(), 2)
            if ra[0] + slack < rb[2] and rb[0] + slack < ra[2] and ra[1] + slack < rb[3] and rb[1] + slack < ra[3]]


@settings(max_examples=40, deadline=None)
@given(vaults(), st.booleans())
def test_overview_boxes_never_overlap_and_parents_stand_above(graph: nx.MultiDiGraph, hierarchy: bool) -> None:
    tree = display_tree(graph, hierarchy_depths(graph), hierarchy=hierarchy)
    labels = labels_of(graph, tree)
    opened = tree.open_at_start(OVERVIEW)
    placed = place(tree, labels, opened)
    at = {placed.start[i]: (placed.start[i + 1], placed.start[i + 2]) for i in range(0, len(placed.start), 3)}
    shown = set(tree.roots) | {kid for item in opened for kid in tree.children[item]}
    assert set(at) == shown  # exactly the items the page opens on
    rects = boxes(at, labels, len(tree.nodes))
    assert overlapping(rects) == []
    for item in opened:
        for kid in tree.children[item]:
            assert rects[kid][1] > rects[item][3]  # a child's box starts below its parent's
    assert all(rect[3] <= placed.bottom + 1 for rect in rects.values())
    assert place(tree, labels, opened) == placed  # the same tree, the same numbers


@settings(max_examples=40, deadline=None)
@given(vaults())
def test_a_band_of_children_holds_each_child_once_without_overlap(graph: nx.MultiDiGraph) -> None:
    tree = display_tree(graph, hierarchy_depths(graph))
    labels = labels_of(graph, tree)
    placed = place(tree, labels, [])
    for item, kids in tree.children.items():
        at = {kid: (placed.offsets[2 * kid], placed.offsets[2 * kid + 1]) for kid in kids}
        rects = boxes(at, labels, len(tree.nodes))
        assert overlapping(rects) == []
        assert all(rect[1] >= -1 and rect[3] <= placed.bands[item] + 1 for rect in rects.values())


def test_a_large_overview_is_legible_on_a_laptop_screen() -> None:
    """Sixty or so boxes, packed for the map's part of a 1280x800 window, at least 11 px high labels at fit."""
    graph = nx.MultiDiGraph()
    for i in range(3000):
        graph.add_node(f"Area {i % 7}/Topic {i % 11}/Note number {i:04d}.md", kind="note", title=f"Note number {i:04d}")
    names = list(graph)
    for i, child in enumerate(names[1:], start=1):
        graph.add_edge(child, names[(i * 7919) % i], kind="up")
    tree = display_tree(graph, hierarchy_depths(graph))
    labels = labels_of(graph, tree)
    opened = tree.open_at_start(OVERVIEW)
    placed = place(tree, labels, opened)
    at = {placed.start[i]: (placed.start[i + 1], placed.start[i + 2]) for i in range(0, len(placed.start), 3)}
    rects = boxes(at, labels, len(tree.nodes)).values()
    width = max(r[2] for r in rects) - min(r[0] for r in rects)
    height = max(r[3] for r in rects) - min(r[1] for r in rects)
    assert len(at) >= 40
    assert FONT * min((1280 - 272) / width, 800 / height) >= 11


def test_the_page_carries_the_positions_and_stays_byte_identical() -> None:
    vault = Vault.from_texts({"A.md": "# A", "B.md": "---\nup: '[[A]]'\n---\n", "C.md": "---\nup: '[[A]]'\n---\n[[B]]"})
    page = generate_html(vault.graph, vault)
    assert '"start":[' in page and '"offsets":[' in page and '"bands":[' in page
    assert generate_html(vault.graph, vault) == page
    assert "packTree" not in page  # one layout, in Python
