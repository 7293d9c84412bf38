"""The vault as a NetworkX graph.

Nodes are vault paths (``Folder/Note.md``) for notes and attachments, and linkpaths for ghosts
(unresolved targets). Every node has ``kind`` (``note``, ``canvas``, ``attachment``, ``ghost``),
``title``, ``aliases`` and ``tags``. Every edge has ``kind`` (``link``, ``embed``, ``self`` or a
hierarchy relation ``up``, ``down``, ``same``, ``next``, ``prev``), ``implied``, and the ``line``,
``col`` and ``subpath`` of the link that made it; an edge from a canvas also has ``node``, the id of
the canvas node that holds the link (a file node is an ``embed``: its card shows the file).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from kg.config import REVERSE
from kg.model import LinkKind, Reference

if TYPE_CHECKING:
    import networkx as nx

    from kg.vault import Vault

__all__ = ["build_graph", "edge_count", "edge_kind", "file_kind", "hierarchy_edges", "hierarchy_graph"]


def file_kind(path: str) -> str:
    """The graph node kind of a vault file: ``note``, ``canvas`` or ``attachment``.

    >>> file_kind("A.md"), file_kind("Board.canvas"), file_kind("fig.png")
    ('note', 'canvas', 'attachment')
    """
    lower = path.lower()
    return "note" if lower.endswith(".md") else "canvas" if lower.endswith(".canvas") else "attachment"


_EMBEDS = tuple(kind for kind in LinkKind if kind.is_embed)
"""The link kinds that embed (:attr:`LinkKind.is_embed`), tested without a property call per link."""


def edge_kind(ref: Reference) -> str:
    """The graph edge kind a reference makes."""
    if ref.match == "self":
        return "self"
    link = ref.link
    if link.relation is not None:
        return link.relation
    return "embed" if link.kind in _EMBEDS else "link"


def _add_nodes(graph: nx.MultiDiGraph, vault: Vault) -> None:
    from kg.parse import note_title  # here: hierarchy queries import this module without the parser

    for path in vault.shown_files:
        note = vault.notes.get(path)
        if note is not None:
            graph.add_node(path, kind="note", title=note.title, aliases=list(note.aliases), tags=list(note.tags))
        else:  # a canvas, an attachment, or a note the configuration excludes from reading
            graph.add_node(path, kind=file_kind(path), title=note_title(path), aliases=[], tags=[])
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
    edges = []
    for ref in vault.references:
        kind = edge_kind(ref)
        if ref.link.relation is not None and kind != "self" and explicit[(ref.source, ref.node, kind)] is not ref:
            continue  # declared again: one edge per (source, target, relation)
        edges.append((ref.source, ref.node, _attributes(ref, kind, implied=False)))
    edges += [(source, target, _attributes(ref, reverse, implied=True))
              for source, target, reverse, ref in _implied(explicit)]
    _add_edges(graph, edges)
    return graph


def edge_count(graph: nx.MultiDiGraph) -> int:
    """``graph.number_of_edges()``, counted from the adjacency: the degree view that networkx
    counts them with costs ten times as much on a large graph.

    >>> from kg.vault import Vault
    >>> graph = Vault.from_texts({"A.md": "[[B]] [[B]]\\nup:: [[C]]", "C.md": ""}).graph
    >>> edge_count(graph), graph.number_of_edges()
    (4, 4)
    """
    return sum(len(keyed) for _, targets in graph.adjacency() for keyed in targets.values())


def _add_edges(graph: nx.MultiDiGraph, edges: Iterable[tuple[str, str, dict[str, object]]]) -> None:
    """``graph.add_edge(u, v, **data)`` for each edge in order, each ``data`` kept as the edge's
    attribute dict, written straight into the adjacency of a new ``MultiDiGraph`` between nodes it
    already has: the same keys (0, 1... per node pair) and the same order of successors and
    predecessors as ``add_edge``, without its per-call work (keyword dicts, node checks, clearing
    the graph's cache: a new graph has nothing cached). An edge to a node not yet in the graph goes
    through ``add_edge``, which adds the node."""
    succ, pred = graph._succ, graph._pred
    for u, v, data in edges:
        if u not in succ or v not in succ:
            graph.add_edge(u, v, **data)
            continue
        keys = succ[u].get(v)
        if keys is None:
            succ[u][v] = pred[v][u] = {0: data}
        else:
            key = len(keys)
            while key in keys:  # as networkx's new_edge_key
                key += 1
            keys[key] = data


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
    attributes = {"kind": kind, "implied": implied, "line": span.line, "col": span.col, "subpath": ref.link.subpath}
    if ref.link.node is not None:
        attributes["node"] = ref.link.node
    return attributes


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
