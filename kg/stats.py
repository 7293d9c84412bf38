"""The vault in numbers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import networkx as nx

from kg.config import RELATIONS
from kg.query import hierarchy, roots
from kg.vault import Vault

__all__ = ["VaultStats", "vault_stats"]


@dataclass(frozen=True)
class VaultStats:
    """Counts that describe a vault."""

    notes: int
    attachments: int
    ghosts: int
    links: int
    """Every link of every note."""
    links_by_kind: dict[str, int]
    resolved: int
    broken: int
    """Links that resolve to no file."""
    hierarchy_edges: dict[str, int]
    """Graph edges per hierarchy relation, implied ones included."""
    roots: list[str] = field(default_factory=list)
    """The tops of the hierarchy (see :func:`kg.query.roots`), sorted."""
    skipped: int = 0
    problems: int = 0
    relation: str = "up"
    """The hierarchy field that ``roots``, ``several_parents`` and ``cycles`` describe."""
    several_parents: list[str] = field(default_factory=list)
    """Nodes with more than one parent, sorted."""
    cycles: list[list[str]] = field(default_factory=list)
    """Groups of nodes that reach each other through parents (a self-parent is a group of one), sorted."""
    broken_targets: list[tuple[str, int]] = field(default_factory=list)
    """Unresolved link targets and how many links name each, most first (then by name)."""
    canvases: int = 0
    """``.canvas`` files; their links count among ``links``."""


def vault_stats(vault: Vault, relation: str = "up", *, explicit: bool = False) -> VaultStats:
    """Count what a vault holds.

    Parameters
    ----------
    vault : Vault
    relation : str
        The hierarchy field that roots, several parents and cycles are counted on.
    explicit : bool
        Ignore implied edges for those.

    Examples
    --------
    >>> stats = vault_stats(Vault.from_texts({"A.md": "up:: [[B]]\\n[[C]]", "B.md": ""}))
    >>> stats.notes, stats.links, stats.broken, stats.hierarchy_edges["down"], stats.roots
    (2, 2, 1, 1, ['B.md'])
    >>> loop = Vault.from_texts({"A.md": "up:: [[B]], [[C]]", "B.md": "up:: [[A]]", "C.md": "up:: [[C]]"})
    >>> vault_stats(loop).several_parents, vault_stats(loop).cycles
    (['A.md'], [['A.md', 'B.md'], ['C.md']])
    >>> vault_stats(Vault.from_texts({"A.md": "[[X]] [[Y]] [[Y]]", "B.md": "[[Y]]"})).broken_targets
    [('Y', 3), ('X', 1)]
    """
    kinds = Counter(ref.link.kind.value for ref in vault.references)
    edges = Counter(d["kind"] for _, _, d in vault.graph.edges(data=True))
    graph = hierarchy(vault, relation, explicit=explicit)
    return VaultStats(
        notes=len(vault.notes),
        attachments=len(vault.attachments),
        ghosts=len(vault.ghosts),
        links=len(vault.references),
        links_by_kind=dict(sorted(kinds.items())),
        resolved=sum(1 for ref in vault.references if ref.resolved),
        broken=len(vault.broken),
        hierarchy_edges={name: edges.get(name, 0) for name in RELATIONS},
        roots=roots(vault, relation, explicit=explicit),
        skipped=len(vault.skipped),
        problems=sum(len(record.problems) for record in (*vault, *vault.canvases.values())),
        relation=relation,
        several_parents=sorted(n for n in graph if len(set(graph.successors(n)) - {n}) > 1),
        cycles=_cycles(graph),
        broken_targets=_broken_targets(vault),
        canvases=len(vault.canvases),
    )


def _broken_targets(vault: Vault) -> list[tuple[str, int]]:
    counts = Counter(ref.ghost or ref.link.target for ref in vault.broken)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _cycles(graph: nx.DiGraph) -> list[list[str]]:
    """Strongly connected groups of more than one node, and nodes that are their own parent."""
    groups = [sorted(group) for group in nx.strongly_connected_components(graph)]
    return sorted(g for g in groups if len(g) > 1 or graph.has_edge(g[0], g[0]))
