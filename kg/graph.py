"""The vault as a NetworkX graph.

Nodes are vault paths (``Folder/Note.md``) for notes and attachments, and linkpaths for ghosts
(unresolved targets). Every node has ``kind`` (``note``, ``attachment``, ``ghost``), ``title``,
``aliases`` and ``tags``. Every edge has ``kind`` (``link``, ``embed``, ``self`` or a hierarchy
relation ``up``, ``down``, ``same``, ``next``, ``prev``), ``implied``, and the ``line``, ``col`` and
``subpath`` of the link that made it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kg.config import REVERSE
from kg.model import Reference

if TYPE_CHECKING:
    import networkx as nx

    from kg.vault import Vault

__all__ = ["build_graph", "edge_kind", "hierarchy_edges", "hierarchy_graph"]


def edge_kind(ref: Reference) -> str:
    """The graph edge kind a reference makes."""
    if ref.match == "self":
        return "self"
    if ref.link.relation is not None:
        return ref.link.relation
    return "embed" if ref.link.is_embed else "link"


def _add_nodes(graph: nx.MultiDiGraph, vault: Vault) -> None:
    from kg.parse import note_title  # here: hierarchy queries import this module without the parser

    for path in vault.shown_files:
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
    import networkx as nx  # here: the linter reads hierarchy edges without loading NetworkX

    graph = nx.MultiDiGraph()
    _add_nodes(graph, vault)
    explicit = _explicit_hierarchy(vault)
    for ref in vault.references:
        kind = edge_kind(ref)
        if ref.link.relation is not None and kind != "self" and explicit[(ref.source, ref.node, kind)] is not ref:
            continue  # declared again: one edge per (source, target, relation)
        graph.add_edge(ref.source, ref.node, **_attributes(ref, kind, implied=False))
    for source, target, reverse, ref in _implied(explicit):
        graph.add_edge(source, target, **_attributes(ref, reverse, implied=True))
    return graph


def _explicit_hierarchy(vault: Vault) -> dict[tuple[str, str, str], Reference]:
    """(source, target, relation) -> the first reference declaring it, in reference order.
    ``up:: [[#Heading]]`` is a same-note link, not a hierarchy edge."""
    explicit: dict[tuple[str, str, str], Reference] = {}
    for ref in vault.references:
        if ref.link.relation is not None and ref.match != "self":
            explicit.setdefault((ref.source, ref.node, ref.link.relation), ref)
    return explicit


def _implied(explicit: dict[tuple[str, str, str], Reference]) -> Iterator[tuple[str, str, str, Reference]]:
    """The reverse edges the explicit ones imply (spec F2): (source, target, relation, declaring reference)."""
    for (source, target, kind), ref in explicit.items():
        reverse = REVERSE[kind]
        if source != target and (target, source, reverse) not in explicit:
            yield target, source, reverse, ref


def hierarchy_edges(vault: Vault) -> list[tuple[str, str, str, bool]]:
    """Every hierarchy edge of :func:`build_graph` as ``(source, target, relation, implied)``,
    without building the whole graph: explicit edges in reference order, then the implied ones.

    >>> from kg.vault import Vault
    >>> hierarchy_edges(Vault.from_texts({"A.md": "up:: [[B]]\\nup:: [[B]] [[B]]", "B.md": ""}))
    [('A.md', 'B.md', 'up', False), ('B.md', 'A.md', 'down', True)]
    """
    explicit = _explicit_hierarchy(vault)
    edges = [(source, target, kind, False) for source, target, kind in explicit]
    edges += [(source, target, kind, True) for source, target, kind, _ in _implied(explicit)]
    return edges


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
    import networkx as nx

    out = nx.DiGraph()
    out.add_nodes_from(graph.nodes)
    out.add_edges_from(
        (u, v) for u, v, d in graph.edges(data=True) if d["kind"] == relation and not (explicit and d["implied"])
    )
    return out
