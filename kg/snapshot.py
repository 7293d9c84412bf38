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
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple


from kg.config import Config

if TYPE_CHECKING:
    import networkx as nx

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

    def __init__(
        self,
        nodes: list[tuple[str, str]],
        edges: list[tuple[str, str, str, bool]],
        files: tuple[str, ...],
        ghosts: tuple[str, ...],
        notes: Mapping[str, Essentials],
    ):
        self._nodes = nodes
        """(node, kind) for every node of the vault's graph, in its order."""
        self._edges = edges
        """(source, target, relation, implied) for every hierarchy edge."""
        self.files = files
        self.ghosts = ghosts
        self.notes = notes
        """Vault path -> the note's title, aliases, ``title`` property and first heading."""
        self.config = Config()

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """Every node with its ``kind``, and the hierarchy edges only, with ``kind`` and ``implied``;
        built on first use (storing a snapshot, as ``kg lint`` does, needs no graph)."""
        import networkx as nx

        graph = nx.MultiDiGraph()
        graph.add_nodes_from((node, {"kind": kind}) for node, kind in self._nodes)
        graph.add_edges_from((u, v, {"kind": kind, "implied": implied}) for u, v, kind, implied in self._edges)
        return graph

    @classmethod
    def of(cls, vault: Vault) -> Snapshot:
        """The snapshot of a vault."""
        from kg.graph import hierarchy_edges

        nodes = [(path, "note" if path.lower().endswith(".md") else "attachment") for path in vault.shown_files]
        files = set(vault.files)
        nodes += [(ghost, "ghost") for ghost in vault.ghosts if ghost not in files]
        notes = {path: _essentials(note) for path, note in vault.notes.items()}
        return cls(nodes, hierarchy_edges(vault), vault.files, vault.ghosts, MappingProxyType(notes))

    def __iter__(self) -> Iterator[Essentials]:
        return iter(self.notes.values())

    def __len__(self) -> int:
        return len(self.notes)

    def __reduce__(self) -> tuple[Any, tuple[object, ...]]:
        # plain lists and tuples: unpickled in C, many times faster than a graph object
        notes = [(n.path, n.title, n.aliases, n.frontmatter.get("title"), tuple(n.headings[:1])) for n in self.notes.values()]
        return _restore, (self._nodes, self._edges, self.files, self.ghosts, notes)


def _restore(nodes: list[Any], edges: list[Any], files: tuple[str, ...], ghosts: tuple[str, ...], notes: list[Any]) -> Snapshot:
    essentials = {
        path: Essentials(path, title, aliases, {"title": front} if front is not None else {}, tuple(FirstHeading(*h) for h in heads))
        for path, title, aliases, front, heads in notes
    }
    return Snapshot(nodes, edges, files, ghosts, MappingProxyType(essentials))


def _essentials(note: Any) -> Essentials:
    title = note.frontmatter.get("title")
    first = tuple(FirstHeading(h.level, h.text, h.line) for h in note.headings[:1])
    return Essentials(note.path, note.title, note.aliases, {"title": title} if isinstance(title, str) else {}, first)
