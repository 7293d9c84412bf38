"""The vault in numbers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from kg.config import RELATIONS
from kg.query import roots
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
    """Notes at the top of the ``up`` hierarchy."""
    skipped: int = 0
    problems: int = 0


def vault_stats(vault: Vault) -> VaultStats:
    """Count what a vault holds.

    >>> stats = vault_stats(Vault.from_texts({"A.md": "up:: [[B]]\\n[[C]]", "B.md": ""}))
    >>> stats.notes, stats.links, stats.broken, stats.hierarchy_edges["down"], stats.roots
    (2, 2, 1, 1, ['B.md'])
    """
    kinds = Counter(ref.link.kind.value for ref in vault.references)
    edges = Counter(d["kind"] for _, _, d in vault.graph.edges(data=True))
    return VaultStats(
        notes=len(vault.notes),
        attachments=len(vault.attachments),
        ghosts=len(vault.ghosts),
        links=len(vault.references),
        links_by_kind=dict(sorted(kinds.items())),
        resolved=sum(1 for ref in vault.references if ref.resolved),
        broken=len(vault.broken),
        hierarchy_edges={relation: edges.get(relation, 0) for relation in RELATIONS},
        roots=roots(vault),
        skipped=len(vault.skipped),
        problems=sum(len(note.problems) for note in vault),
    )
