"""Questions about the concept hierarchy, over a :class:`~kg.vault.Vault`.

Functions take the vault first and return sorted vault paths (or ghost ids), networkx style.
Every traversal keeps a visited set, so cycles end.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

if TYPE_CHECKING:
    from kg.vault import Vault

__all__ = ["ancestors", "children", "descendants", "hierarchy", "parents", "roots"]


def hierarchy(vault: Vault, relation: str = "up", *, explicit: bool = False) -> nx.DiGraph:
    """The child -> parent graph of one relation (implied edges included unless ``explicit``).

    Examples
    --------
    >>> from kg.vault import Vault
    >>> vault = Vault.from_texts({"A.md": "up:: [[B]]", "B.md": "down:: [[C]]", "C.md": ""})
    >>> sorted(hierarchy(vault).edges())
    [('A.md', 'B.md'), ('C.md', 'B.md')]
    """
    graph = nx.DiGraph()
    graph.add_nodes_from(vault.graph.nodes)
    for source, target, data in vault.graph.edges(data=True):
        if data["kind"] == relation and not (explicit and data["implied"]):
            graph.add_edge(source, target)
    return graph


def parents(vault: Vault, node: str, relation: str = "up") -> list[str]:
    """The direct parents of a node.

    >>> from kg.vault import Vault
    >>> parents(Vault.from_texts({"A.md": 'up:: [[B]], [[C]]', "B.md": ""}), "A.md")
    ['B.md', 'C']
    """
    graph = hierarchy(vault, relation)
    return sorted(graph.successors(node)) if node in graph else []


def children(vault: Vault, node: str, relation: str = "up") -> list[str]:
    """The direct children of a node: the notes that name it as their parent.

    >>> from kg.vault import Vault
    >>> children(Vault.from_texts({"A.md": 'up:: [[B]]', "C.md": 'up:: [[B]]', "B.md": ""}), "B.md")
    ['A.md', 'C.md']
    """
    graph = hierarchy(vault, relation)
    return sorted(graph.predecessors(node)) if node in graph else []


def ancestors(vault: Vault, node: str, relation: str = "up") -> list[str]:
    """Every node above ``node``, never ``node`` itself, even on a cycle.

    >>> from kg.vault import Vault
    >>> texts = {"A.md": "up:: [[B]]", "B.md": "up:: [[C]]", "C.md": "up:: [[A]]"}
    >>> ancestors(Vault.from_texts(texts), "A.md")
    ['B.md', 'C.md']
    """
    graph = hierarchy(vault, relation)
    return sorted(nx.descendants(graph, node) - {node}) if node in graph else []


def descendants(vault: Vault, node: str, relation: str = "up") -> list[str]:
    """Every node below ``node``, never ``node`` itself."""
    graph = hierarchy(vault, relation)
    return sorted(nx.ancestors(graph, node) - {node}) if node in graph else []


def roots(vault: Vault, relation: str = "up") -> list[str]:
    """Notes that have children but no parent: the tops of the hierarchy.

    >>> from kg.vault import Vault
    >>> roots(Vault.from_texts({"A.md": "up:: [[B]]", "B.md": "", "C.md": ""}))
    ['B.md']
    """
    graph = hierarchy(vault, relation)
    kinds = vault.graph.nodes
    return sorted(
        n for n in graph if kinds[n]["kind"] == "note" and graph.out_degree(n) == 0 and graph.in_degree(n) > 0
    )
