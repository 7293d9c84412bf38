"""Standard graph formats, all from the same graph."""

from __future__ import annotations

import datetime
import json
from typing import TYPE_CHECKING

import networkx as nx

if TYPE_CHECKING:
    from kg.vault import Vault

__all__ = ["export_graph", "generate_json"]


def export_graph(vault: Vault, *, self_links: bool = False) -> nx.MultiDiGraph:
    """The graph as exported: same-note links (kind ``self``) left out unless asked for (spec C8)."""
    graph = vault.graph
    if self_links:
        return graph
    out = nx.MultiDiGraph()
    out.add_nodes_from(graph.nodes(data=True))
    out.add_edges_from((u, v, k, d) for u, v, k, d in graph.edges(keys=True, data=True) if d["kind"] != "self")
    return out


def _plain(value: object) -> object:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)


def generate_json(vault: Vault, *, self_links: bool = False) -> str:
    """The graph as networkx node-link JSON (``nodes`` and ``edges``), stable byte for byte.

    >>> from kg.vault import Vault
    >>> data = json.loads(generate_json(Vault.from_texts({"A.md": "[[B]]"})))
    >>> [n["id"] for n in data["nodes"]], [(e["source"], e["target"], e["kind"]) for e in data["edges"]]
    (['A.md', 'B'], [('A.md', 'B', 'link')])
    """
    data = nx.node_link_data(export_graph(vault, self_links=self_links), edges="edges")
    return json.dumps(data, ensure_ascii=False, indent=2, default=_plain) + "\n"
