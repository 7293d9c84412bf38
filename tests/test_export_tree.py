"""The concept map's display tree: every node once, no level too crowded, an overview that fits."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.export.style import hierarchy_depths
from kg.export.tree import GROUP_MAX, OUTSIDE, display_tree


def walk(tree) -> list[int]:  # type: ignore[no-untyped-def]
    seen, stack = [], list(tree.roots)
    while stack:
        item = stack.pop()
        seen.append(item)
        stack.extend(tree.children.get(item, []))
    return seen


@st.composite
def vaults(draw) -> nx.MultiDiGraph:  # type: ignore[no-untyped-def]
    count = draw(st.integers(0, 400))
    folders = draw(st.lists(st.sampled_from(["", "a/", "a/b/", "c/", "c/d/e/", "f/"]), min_size=count, max_size=count))
    graph = nx.MultiDiGraph()
    for i, folder in enumerate(folders):
        graph.add_node(f"{folder}N{i}.md", kind="note", title=f"N{i}")
    names = list(graph)
    for i in range(draw(st.integers(0, 40))):
        graph.add_node(f"ghost {i}", kind="ghost", title=f"ghost {i}")
    for child in names[1:]:
        if draw(st.booleans()):
            graph.add_edge(child, names[draw(st.integers(0, names.index(child) - 1))], kind="up")
    return graph


@settings(max_examples=60, deadline=None)
@given(vaults(), st.booleans())
def test_every_node_once_and_no_crowded_level(graph: nx.MultiDiGraph, hierarchy: bool) -> None:
    tree = display_tree(graph, hierarchy_depths(graph), hierarchy=hierarchy)
    seen = walk(tree)
    assert sorted(item for item in seen if item < len(tree.nodes)) == list(range(len(tree.nodes)))
    assert len(seen) == len(set(seen)) == len(tree.nodes) + len(tree.groups)
    assert len(tree.roots) <= GROUP_MAX + 1 and all(len(kids) <= GROUP_MAX for kids in tree.children.values())
    opened = tree.open_at_start(120)
    assert len(tree.roots) + sum(len(tree.children[item]) for item in opened) <= max(120, len(tree.roots))
    for index, group in enumerate(tree.groups):
        under = [item for item in walk_from(tree, len(tree.nodes) + index) if item < len(tree.nodes)]
        assert group.notes == len(under) + sum(descendants(tree, item) for item in under)


def walk_from(tree, item: int) -> list[int]:  # type: ignore[no-untyped-def]
    out, stack = [], list(tree.children.get(item, []))
    while stack:
        top = stack.pop()
        if top >= len(tree.nodes):
            stack.extend(tree.children.get(top, []))
        else:
            out.append(top)
    return out


def descendants(tree, item: int) -> int:  # type: ignore[no-untyped-def]
    return sum(1 for kid in walk(type(tree)(tree.nodes, tree.groups, [item], tree.children)) if kid < len(tree.nodes)) - 1


def test_a_hub_with_many_children_is_grouped_by_folder() -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("Hub.md", kind="note", title="Hub")
    for i in range(90):
        graph.add_edge(f"{'xyz'[i % 3]}/C{i}.md", "Hub.md", kind="up")
        graph.nodes[f"{'xyz'[i % 3]}/C{i}.md"].update(kind="note", title=f"C{i}")
    graph.add_node("Loose.md", kind="note", title="Loose")
    tree = display_tree(graph, hierarchy_depths(graph))
    hub = tree.nodes.index("Hub.md")
    assert [tree.groups[item - len(tree.nodes)].label for item in tree.children[hub]] == ["x/", "y/", "z/"]
    assert tree.groups[-1].label == OUTSIDE and tree.roots == [hub, len(tree.nodes) + len(tree.groups) - 1]
    everything = len(tree.nodes) + len(tree.groups)
    assert tree.open_at_start(120) == [hub, *range(len(tree.nodes), everything)]  # 96 items fit in 120: all open
    assert tree.open_at_start(40) == [hub, len(tree.nodes), everything - 1]  # 2 + 3 + 1, then one folder of 30


@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 4), st.sampled_from(["up", "down", "link", None])), max_size=30))
def test_up_edges_are_the_pairs_an_up_edge_joins_once_each_in_graph_order(edges: list) -> None:
    from kg.export.style import up_edges

    graph = nx.MultiDiGraph()
    for u, v, kind in edges:
        graph.add_edge(u, v, **({"kind": kind} if kind else {}))
    expected = list(dict.fromkeys((u, v) for u, v, kind in graph.edges(data="kind") if kind == "up"))
    assert list(up_edges(graph)) == expected
