"""A vault reduced to what the hierarchy queries read, small enough to keep in the cache.

``kg ancestors``, ``children`` and the other hierarchy commands need the graph's nodes, its
hierarchy edges, the file list, the unresolved targets and each note's title, aliases and first
heading: not the links, not the references. The CLI stores a :class:`Snapshot` in the cache whenever
it reads a whole vault, under the fingerprint of every file; while no file changes, a hierarchy
query loads the snapshot instead of the notes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

import networkx as nx

from kg.config import Config

if TYPE_CHECKING:
    from kg.vault import Vault

__all__ = ["Essentials", "Snapshot"]


class FirstHeading(NamedTuple):
    level: int
    text: str
    line: int


class Essentials(NamedTuple):
    """What a hierarchy query reads of a note (the same attribute names as :class:`~kg.model.Note`)."""

    path: str
    title: str
    aliases: tuple[str, ...]
    frontmatter: Mapping[str, Any]
    """Only the ``title`` property, if the note has one."""
    headings: tuple[FirstHeading, ...]
    """Only the first heading."""


class Snapshot:
    """The part of a :class:`~kg.vault.Vault` that the hierarchy queries use, with the same names.

    Examples
    --------
    >>> from kg.query import ancestors
    >>> from kg.vault import Vault
    >>> vault = Vault.from_texts({"A.md": "up:: [[B]]", "B.md": "up:: [[C]]\\nsee [[A]]", "C.md": ""})
    >>> snapshot = Snapshot.of(vault)
    >>> ancestors(snapshot, "A"), snapshot.graph.number_of_edges() < vault.graph.number_of_edges()
    (['B.md', 'C.md'], True)
    """

    def __init__(self, graph: nx.MultiDiGraph, files: tuple[str, ...], ghosts: tuple[str, ...], notes: Mapping[str, Essentials]):
        self.graph = graph
        """Every node with its ``kind``, and the hierarchy edges only, with ``kind`` and ``implied``."""
        self.files = files
        self.ghosts = ghosts
        self.notes = notes
        """Vault path -> the note's title, aliases, ``title`` property and first heading."""
        self.config = Config()

    @classmethod
    def of(cls, vault: Vault) -> Snapshot:
        """The snapshot of a vault."""
        from kg.graph import hierarchy_edges

        graph = nx.MultiDiGraph()  # built from the references: the vault's whole graph is not needed
        graph.add_nodes_from((path, {"kind": "note" if path.lower().endswith(".md") else "attachment"}) for path in vault.files)
        graph.add_nodes_from((ghost, {"kind": "ghost"}) for ghost in vault.ghosts if ghost not in graph)
        graph.add_edges_from((u, v, {"kind": kind, "implied": implied}) for u, v, kind, implied in hierarchy_edges(vault))
        notes = {path: _essentials(note) for path, note in vault.notes.items()}
        return cls(graph, vault.files, vault.ghosts, MappingProxyType(notes))

    def __iter__(self) -> Iterator[Essentials]:
        return iter(self.notes.values())

    def __len__(self) -> int:
        return len(self.notes)

    def __reduce__(self) -> tuple[Any, tuple[object, ...]]:
        # plain lists and tuples: unpickled in C, many times faster than a graph object
        nodes = list(self.graph.nodes(data="kind"))
        edges = [(u, v, key, data["kind"], data["implied"]) for u, v, key, data in self.graph.edges(keys=True, data=True)]
        notes = [(n.path, n.title, n.aliases, n.frontmatter.get("title"), tuple(n.headings[:1])) for n in self.notes.values()]
        return _restore, (nodes, edges, self.files, self.ghosts, notes)


def _restore(nodes: list[Any], edges: list[Any], files: tuple[str, ...], ghosts: tuple[str, ...], notes: list[Any]) -> Snapshot:
    graph = nx.MultiDiGraph()
    graph.add_nodes_from((node, {"kind": kind}) for node, kind in nodes)
    graph.add_edges_from((u, v, key, {"kind": kind, "implied": implied}) for u, v, key, kind, implied in edges)
    essentials = {
        path: Essentials(path, title, aliases, {"title": front} if front is not None else {}, tuple(FirstHeading(*h) for h in heads))
        for path, title, aliases, front, heads in notes
    }
    return Snapshot(graph, files, ghosts, MappingProxyType(essentials))


def _essentials(note: Any) -> Essentials:
    title = note.frontmatter.get("title")
    first = tuple(FirstHeading(h.level, h.text, h.line) for h in note.headings[:1])
    return Essentials(note.path, note.title, note.aliases, {"title": title} if isinstance(title, str) else {}, first)
