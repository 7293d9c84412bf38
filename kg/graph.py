"""The vault as a NetworkX graph.

Nodes are vault paths (``Folder/Note.md``) for notes and attachments, and linkpaths for ghosts
(unresolved targets). Every node has ``kind`` (``note``, ``attachment``, ``ghost``), ``title``,
``aliases`` and ``tags``. Every edge has ``kind`` (``link``, ``embed``, ``self`` or a hierarchy
relation ``up``, ``down``, ``same``, ``next``, ``prev``), ``implied``, and the ``line``, ``col`` and
``subpath`` of the link that made it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

from kg.config import REVERSE
from kg.model import Reference
from kg.parse import note_title

if TYPE_CHECKING:
    from kg.vault import Vault

__all__ = ["build_graph", "edge_kind", "hierarchy_graph"]


def edge_kind(ref: Reference) -> str:
    """The graph edge kind a reference makes."""
    if ref.match == "self":
        return "self"
    if ref.link.relation is not None:
        return ref.link.relation
    return "embed" if ref.link.is_embed else "link"


def _add_nodes(graph: nx.MultiDiGraph, vault: Vault) -> None:
    for path in vault.files:
        note = vault.notes.get(path)
        if note is not None:
            graph.add_node(path, kind="note", title=note.title, aliases=list(note.aliases), tags=list(note.tags))
        else:  # an attachment, or a note the configuration excludes from reading
            kind = "note" if path.lower().endswith(".md") else "attachment"
            graph.add_node(path, kind=kind, title=note_title(path), aliases=[], tags=[])
    for ghost in vault.ghosts:
        if ghost not in graph:
            graph.add_node(ghost, kind="ghost", title=ghost, aliases=[], tags=[])


def build_graph(vault: Vault) -> nx.MultiDiGraph:
    """Build the vault's ``MultiDiGraph``: one edge per link, plus implied hierarchy edges.

    A hierarchy relation declared twice for the same target (frontmatter and body) is one edge.
    Each explicit ``A up B`` implies ``B down A`` (``implied=True``) unless that edge is explicit
    too or it would be a self-loop (spec F2).

    Examples
    --------
    >>> from kg.vault import Vault
    >>> vault = Vault.from_texts({"A.md": 'up:: [[B]]', "B.md": "see [[A]]"})
    >>> sorted((u, v, d["kind"], d["implied"]) for u, v, d in vault.graph.edges(data=True))
    [('A.md', 'B.md', 'up', False), ('B.md', 'A.md', 'down', True), ('B.md', 'A.md', 'link', False)]
    """
    graph = nx.MultiDiGraph()
    _add_nodes(graph, vault)
    hierarchy: dict[tuple[str, str, str], Reference] = {}
    for ref in vault.references:
        kind = edge_kind(ref)
        target = ref.node
        if ref.link.relation is not None and kind != "self":  # up:: [[#Heading]] is a same-note link
            if (ref.source, target, kind) in hierarchy:
                continue
            hierarchy[(ref.source, target, kind)] = ref
        graph.add_edge(ref.source, target, **_attributes(ref, kind, implied=False))
    for (source, target, kind), ref in hierarchy.items():
        reverse = REVERSE[kind]
        if source != target and (target, source, reverse) not in hierarchy:
            graph.add_edge(target, source, **_attributes(ref, reverse, implied=True))
    return graph


def _attributes(ref: Reference, kind: str, *, implied: bool) -> dict[str, object]:
    span = ref.link.span
    return {"kind": kind, "implied": implied, "line": span.line, "col": span.col, "subpath": ref.link.subpath}


def hierarchy_graph(graph: nx.MultiDiGraph, relation: str = "up", *, explicit: bool = False) -> nx.DiGraph:
    """The child -> parent ``DiGraph`` of one relation (implied edges included unless ``explicit``).

    Examples
    --------
    >>> from kg.vault import Vault
    >>> vault = Vault.from_texts({"A.md": "up:: [[B]]", "B.md": "down:: [[C]]", "C.md": ""})
    >>> sorted(hierarchy_graph(vault.graph).edges())
    [('A.md', 'B.md'), ('C.md', 'B.md')]
    """
    out = nx.DiGraph()
    out.add_nodes_from(graph.nodes)
    out.add_edges_from(
        (u, v) for u, v, d in graph.edges(data=True) if d["kind"] == relation and not (explicit and d["implied"])
    )
    return out
