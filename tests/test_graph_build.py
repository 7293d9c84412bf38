"""Property: the graph :func:`kg.graph.build_graph` writes in bulk is the graph ``add_edge`` builds.

Exports print nodes, edges, keys and attributes in the graph's own order, so the bulk writer must
give the same keys, the same order of successors and predecessors and the same attributes as one
``add_edge`` call per edge, including repeated node pairs, self-loops and nodes not yet added.
"""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.graph import _add_edges, _attributes, _explicit_hierarchy, _implied, build_graph, edge_kind
from kg.vault import Vault

NODES = ["A", "B", "C", "D"]


def _layout(graph: nx.MultiDiGraph) -> list[object]:
    """Everything of a graph whose order an export can show."""
    return [
        list(graph.nodes(data=True)),
        list(graph.edges(keys=True, data=True)),
        list(graph.in_edges(keys=True, data=True)),
        [(node, list(graph.succ[node]), list(graph.pred[node])) for node in graph],
    ]


@settings(max_examples=200, deadline=None)
@given(present=st.lists(st.sampled_from(NODES), unique=True),
       edges=st.lists(st.tuples(st.sampled_from(NODES), st.sampled_from(NODES), st.integers(0, 3)), max_size=25))
def test_bulk_edges_are_add_edge_ones(present: list[str], edges: list[tuple[str, str, int]]) -> None:
    bulk, one_by_one = nx.MultiDiGraph(), nx.MultiDiGraph()
    for graph in (bulk, one_by_one):
        graph.add_nodes_from(present, kind="note")
    _add_edges(bulk, [(u, v, {"kind": "link", "line": line}) for u, v, line in edges])
    for u, v, line in edges:
        one_by_one.add_edge(u, v, kind="link", line=line)
    assert _layout(bulk) == _layout(one_by_one)
    data = [d for _, _, d in bulk.edges(data=True)]
    assert len({id(d) for d in data}) == len(data)  # each edge its own attribute dict


def test_vault_graph_is_the_add_edge_graph() -> None:
    texts: dict[str, str | bytes] = {
        "A.md": "---\nup: '[[B]]'\n---\nup:: [[B]] [[C]] ![[B]] [[#Top]] [[Nope]] [[nope]]\n# Top\ndown:: [[A]]",
        "B.md": "down:: [[A]]\nsame:: [[C]]\n[[A]] [[A]] ![[pic.png]]",
        "C.md": "next:: [[D]]\nprev:: [[B]]\n[[Ghost]]",
        "pic.png": b"",
    }
    vault = Vault.from_texts(texts)
    expected = nx.MultiDiGraph()
    expected.add_nodes_from(build_graph(vault).nodes(data=True))
    explicit = _explicit_hierarchy(vault)
    for ref in vault.references:
        kind = edge_kind(ref)
        if ref.link.relation is None or kind == "self" or explicit[(ref.source, ref.node, kind)] is ref:
            expected.add_edge(ref.source, ref.node, **_attributes(ref, kind, implied=False))
    for source, target, reverse, ref in _implied(explicit):
        expected.add_edge(source, target, **_attributes(ref, reverse, implied=True))
    assert _layout(build_graph(vault)) == _layout(expected)
    assert expected.number_of_edges() > 10
