"""Which part of the vault an export shows: one selection, the same for every format.

The filters narrow the graph in a fixed order: the kinds of node (``ghosts``, ``attachments``),
then ``tags`` and ``folders`` (notes that match, plus the attachments and ghosts those notes point
to), then ``root``/``depth`` (everything within ``depth`` steps of the root, edges taken in either
direction, walking only through what the other filters kept; the root itself is always kept).
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx

from kg.errors import KgError
from kg.query.lookup import lookup
from kg.resolve import fold

if TYPE_CHECKING:
    from kg.vault import Vault

__all__ = ["Selection", "export_graph", "select"]


@dataclass(frozen=True, slots=True)
class Selection:
    """What an export keeps of the vault's graph; the default keeps everything but self-links."""

    root: str | None = None
    """A note whose neighbourhood is exported, named as in the query commands (see
    :func:`kg.query.lookup.lookup`: vault path, file name or alias, any case), or None."""
    depth: int = 2
    """How many steps from ``root`` to go, along edges of any kind in either direction."""
    tags: tuple[str, ...] = ()
    """Keep notes with one of these tags (``#`` optional; nested tags ``tag/sub`` count)."""
    folders: tuple[str, ...] = ()
    """Keep notes inside one of these vault folders (sub-folders included)."""
    ghosts: bool = True
    """Keep ghost nodes (unresolved link targets)."""
    attachments: bool = True
    """Keep attachments (files that are not notes)."""
    self_links: bool = False
    """Keep same-note links (``[[#Heading]]``) as self edges."""

    @property
    def narrowed(self) -> bool:
        """Whether a tag, folder or root filter is set."""
        return bool(self.tags or self.folders or self.root is not None)


def export_graph(vault: Vault, *, self_links: bool = False) -> nx.MultiDiGraph:
    """The vault's graph as exported: same-note links (kind ``self``) left out unless asked for (spec C8).

    >>> from kg.vault import Vault
    >>> export_graph(Vault.from_texts({"A.md": "[[#Top]] [[B]]"})).number_of_edges()
    1
    """
    graph = vault.graph
    if self_links:
        return graph
    return _copy(graph, graph, self_links=False)


def _copy(graph: nx.MultiDiGraph, keep: Container[str], *, self_links: bool) -> nx.MultiDiGraph:
    """A new graph of the nodes of ``graph`` in ``keep`` and the edges between them (``self``
    edges only if ``self_links``): nodes, edges, keys and attributes (copied) in ``graph``'s order.

    The same graph as ``out.add_edge(u, v, key, **data)`` for each edge in order would build, but
    written straight into the new graph's adjacency: ``add_edge`` checks both nodes, copies its
    keyword arguments and clears the graph's cache once per edge, most of an export's selection time.

    >>> g = nx.MultiDiGraph([("a", "b", {"kind": "link"}), ("a", "a", {"kind": "self"}), ("b", "c", {"kind": "up"})])
    >>> list(_copy(g, {"a", "b"}, self_links=False).edges(keys=True, data=True))
    [('a', 'b', 0, {'kind': 'link'})]
    """
    out = nx.MultiDiGraph()
    out.add_nodes_from((node, data) for node, data in graph.nodes(data=True) if node in keep)
    succ, pred = out._succ, out._pred
    for u, targets in graph.adjacency():
        if u not in keep:
            continue
        out_targets = succ[u]
        for v, keyed in targets.items():
            if v not in keep:
                continue
            kept = {key: dict(data) for key, data in keyed.items() if self_links or data["kind"] != "self"}
            if kept:
                out_targets[v] = pred[v][u] = kept
    return out


def _tag_matches(tags: list[str], wanted: tuple[str, ...]) -> bool:
    return any(tag == want or tag.startswith(want + "/") for tag in tags for want in wanted)


def _in_folder(path: str, folders: tuple[str, ...]) -> bool:
    key = fold(path)
    return any(key.startswith(folder + "/") for folder in folders)


def _filtered(graph: nx.MultiDiGraph, selection: Selection) -> set[str]:
    """Nodes that pass the kind, tag and folder filters."""
    dropped = {"ghost"} if not selection.ghosts else set()
    dropped |= {"attachment"} if not selection.attachments else set()
    keep = {node for node, kind in graph.nodes(data="kind") if kind not in dropped}
    if not (selection.tags or selection.folders):
        return keep
    tags = tuple(fold(t.strip().lstrip("#")) for t in selection.tags)
    folders = tuple(fold(f.strip().strip("/")) for f in selection.folders)
    notes = {
        node for node in keep
        if graph.nodes[node]["kind"] == "note"
        and (not tags or _tag_matches(graph.nodes[node]["tags"], tags))
        and (not folders or _in_folder(node, folders))
    }
    pointed = {target for note in notes for target in graph.successors(note)}
    return notes | {node for node in pointed & keep if graph.nodes[node]["kind"] != "note"}


def _describe(selection: Selection) -> str:
    parts = [f"--tag '{t}'" for t in selection.tags] + [f"--folder '{f}'" for f in selection.folders]
    return " and ".join(parts)


def select(vault: Vault, selection: Selection | None = None) -> nx.MultiDiGraph:
    """The part of the vault's graph a selection keeps, as a new graph (nodes and edges in the vault graph's order).

    Examples
    --------
    >>> from kg.vault import Vault
    >>> vault = Vault.from_texts({"A.md": "[[B]]", "B.md": "[[C]] #ml", "C.md": "[[D]]", "D.md": ""})
    >>> list(select(vault, Selection(root="A", depth=2)))
    ['A.md', 'B.md', 'C.md']
    >>> list(select(vault, Selection(tags=("#ML",))))
    ['B.md']
    """
    selection = selection or Selection()
    # The vault's graph itself, not a copy without self edges: those are loops on a note, which
    # change neither which nodes the filters keep nor any distance from the root.
    graph = vault.graph
    keep = _filtered(graph, selection)
    if (selection.tags or selection.folders) and not any(graph.nodes[n]["kind"] == "note" for n in keep):
        raise KgError(f"no note matches {_describe(selection)}")
    if selection.root is not None:
        if selection.depth < 0:
            raise KgError(f"depth must be 0 or more, not {selection.depth}")
        root = lookup(vault, selection.root)
        around = graph.subgraph(keep | {root}).to_undirected(as_view=True)
        keep = set(nx.single_source_shortest_path_length(around, root, cutoff=selection.depth))
    return _copy(graph, keep, self_links=selection.self_links)
