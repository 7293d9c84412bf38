"""Above and below a concept: parents, children, ancestors, descendants, siblings, roots.

Each function takes the vault first and a node (a vault path, a ghost id, or any name
:func:`~kg.query.lookup` accepts) and returns sorted node ids. ``relation`` picks the hierarchy
field (``up`` by default): a note's *parents* are the notes its field names, so with
``relation="next"`` they are the notes that come next. Implied edges (spec F2: ``B down A`` makes
``A up B``) count unless ``explicit=True``. Traversals keep a visited set, so cycles end; a note is
never its own parent, child, sibling, ancestor or descendant.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

from kg.config import RELATIONS
from kg.graph import hierarchy_graph
from kg.query.lookup import lookup

if TYPE_CHECKING:
    from kg.vault import Vault

__all__ = ["ancestors", "children", "descendants", "hierarchy", "parents", "roots", "siblings"]


def hierarchy(vault: Vault, relation: str = "up", *, explicit: bool = False) -> nx.DiGraph:
    """The graph of one hierarchy relation: an edge from each note to each note its field names.

    Every node of the vault graph is a node here, ghosts (unresolved targets) included.

    Parameters
    ----------
    vault : Vault
    relation : str
        ``up``, ``down``, ``same``, ``next`` or ``prev``.
    explicit : bool
        Leave out the edges that are only implied by the reverse field.

    Raises
    ------
    ValueError
        If ``relation`` is not a hierarchy relation.

    Examples
    --------
    >>> from kg.vault import Vault
    >>> vault = Vault.from_texts({"A.md": "up:: [[B]]", "B.md": "down:: [[C]]", "C.md": ""})
    >>> sorted(hierarchy(vault).edges()), sorted(hierarchy(vault, explicit=True).edges())
    ([('A.md', 'B.md'), ('C.md', 'B.md')], [('A.md', 'B.md')])
    """
    if relation not in RELATIONS:
        raise ValueError(f"unknown hierarchy relation '{relation}'; use one of {', '.join(RELATIONS)}")
    return hierarchy_graph(vault.graph, relation, explicit=explicit)


def parents(vault: Vault, node: str, relation: str = "up", *, explicit: bool = False) -> list[str]:
    """The direct parents of a node: what its ``relation`` field names (ghosts included).

    Examples
    --------
    >>> from kg.vault import Vault
    >>> vault = Vault.from_texts({"A.md": "up:: [[B]], [[C]]", "B.md": "", "D.md": "down:: [[A]]"})
    >>> parents(vault, "A.md"), parents(vault, "a", explicit=True)
    (['B.md', 'C', 'D.md'], ['B.md', 'C'])
    """
    node = lookup(vault, node)
    graph = hierarchy(vault, relation, explicit=explicit)
    return sorted(set(graph.successors(node)) - {node})


def children(vault: Vault, node: str, relation: str = "up", *, explicit: bool = False) -> list[str]:
    """The direct children of a node: the notes that name it as their parent.

    Examples
    --------
    >>> from kg.vault import Vault
    >>> vault = Vault.from_texts({"A.md": "up:: [[B]]", "C.md": "up:: [[B]]", "B.md": ""})
    >>> children(vault, "B.md")
    ['A.md', 'C.md']
    """
    node = lookup(vault, node)
    graph = hierarchy(vault, relation, explicit=explicit)
    return sorted(set(graph.predecessors(node)) - {node})


def ancestors(
    vault: Vault, node: str, relation: str = "up", *, depth: int | None = None, explicit: bool = False
) -> list[str]:
    """Every node above ``node``: its parents, their parents, and so on.

    Parameters
    ----------
    vault : Vault
    node : str
        A vault path, ghost id, file name or alias (see :func:`~kg.query.lookup`).
    relation : str
        The hierarchy field to climb (``up`` by default).
    depth : int, optional
        Climb at most this many levels (1 gives the parents); no limit by default.
    explicit : bool
        Ignore implied edges.

    Returns
    -------
    list of str
        Sorted node ids, never ``node`` itself, even on a cycle.

    Examples
    --------
    >>> from kg.vault import Vault
    >>> texts = {"A.md": "up:: [[B]]", "B.md": "up:: [[C]]", "C.md": "up:: [[A]]"}
    >>> ancestors(Vault.from_texts(texts), "A.md"), ancestors(Vault.from_texts(texts), "A", depth=1)
    (['B.md', 'C.md'], ['B.md'])
    """
    node = lookup(vault, node)
    return _reach(hierarchy(vault, relation, explicit=explicit), node, depth)


def descendants(
    vault: Vault, node: str, relation: str = "up", *, depth: int | None = None, explicit: bool = False
) -> list[str]:
    """Every node below ``node``: its children, their children, and so on.

    Parameters are those of :func:`ancestors`.

    Examples
    --------
    >>> from kg.vault import Vault
    >>> vault = Vault.from_texts({"A.md": "up:: [[B]]", "B.md": "up:: [[C]]", "C.md": ""})
    >>> descendants(vault, "C.md"), descendants(vault, "C.md", depth=1)
    (['A.md', 'B.md'], ['B.md'])
    """
    node = lookup(vault, node)
    return _reach(hierarchy(vault, relation, explicit=explicit).reverse(copy=False), node, depth)


def _reach(graph: nx.DiGraph, node: str, depth: int | None) -> list[str]:
    """Nodes reachable from ``node`` in at most ``depth`` steps, sorted, without ``node``."""
    if depth is not None and depth < 0:
        raise ValueError(f"depth must be 0 or more, not {depth}")
    return sorted(set(nx.single_source_shortest_path_length(graph, node, cutoff=depth)) - {node})


def siblings(vault: Vault, node: str, relation: str = "up", *, explicit: bool = False) -> list[str]:
    """The other children of a node's parents.

    Examples
    --------
    >>> from kg.vault import Vault
    >>> vault = Vault.from_texts({"A.md": "up:: [[P]]", "B.md": "up:: [[P]]", "C.md": "up:: [[Q]]"})
    >>> siblings(vault, "A.md"), siblings(vault, "C.md")
    (['B.md'], [])
    """
    node = lookup(vault, node)
    graph = hierarchy(vault, relation, explicit=explicit)
    found = {child for parent in graph.successors(node) for child in graph.predecessors(parent)}
    return sorted(found - {node})


def roots(vault: Vault, relation: str = "up", *, explicit: bool = False) -> list[str]:
    """The tops of the hierarchy: nodes that have children but no parent.

    A ghost (an unresolved parent) can be a root. A hierarchy whose top is a cycle has no root.

    Examples
    --------
    >>> from kg.vault import Vault
    >>> roots(Vault.from_texts({"A.md": "up:: [[B]]", "B.md": "", "C.md": "up:: [[Gone]]"}))
    ['B.md', 'Gone']
    """
    graph = hierarchy(vault, relation, explicit=explicit)
    graph.remove_edges_from(list(nx.selfloop_edges(graph)))
    return sorted(n for n in graph if graph.out_degree(n) == 0 and graph.in_degree(n) > 0)
