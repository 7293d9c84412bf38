"""Links between concepts: what a note links to, what links to it, and how two notes connect."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.config import RELATIONS
from kg.errors import NoPath
from kg.query.lookup import lookup

if TYPE_CHECKING:
    from kg.vault import Vault

__all__ = ["Step", "backlinks", "links", "shortest_path"]

_KIND_ORDER = (*RELATIONS, "link", "embed")
"""Which edge a step reports when several join the same two nodes: hierarchy fields first."""


def links(vault: Vault, node: str) -> list[str]:
    """What a note links to: the targets of its written links (frontmatter, body, embeds).

    Unresolved targets appear as their ghost id; links to the note itself are left out.

    Examples
    --------
    >>> from kg.vault import Vault
    >>> vault = Vault.from_texts({"A.md": "up:: [[B]]\\n[[B]] ![[pic.png]] [[Gone]] [[#Top]]", "B.md": ""})
    >>> links(vault, "A.md")
    ['B.md', 'Gone', 'pic.png']
    """
    node = lookup(vault, node)
    return sorted({ref.node for ref in vault.references if ref.source == node and ref.node != node})


def backlinks(vault: Vault, node: str) -> list[str]:
    """The notes and canvases that link to a node (a note, a canvas, an attachment or a ghost), itself left out.

    Examples
    --------
    >>> from kg.vault import Vault
    >>> vault = Vault.from_texts({"A.md": "[[Gone]] [[C]]", "B.md": "up:: [[gone]]", "C.md": "[[C]]"})
    >>> backlinks(vault, "Gone"), backlinks(vault, "C.md")
    (['A.md', 'B.md'], ['A.md'])
    """
    node = lookup(vault, node)
    return sorted({ref.source for ref in vault.references if ref.node == node and ref.source != node})


@dataclass(frozen=True, slots=True)
class Step:
    """One edge walked on the way from one node to another."""

    source: str
    """The node the step leaves."""
    target: str
    """The node the step arrives at."""
    kind: str
    """The edge kind: ``link``, ``embed``, or a hierarchy relation (``up``, ``down``, ...)."""
    forward: bool
    """Whether the edge points the way walked (``source`` links to ``target``), not back."""
    implied: bool = False
    """Whether the edge is only implied by the reverse hierarchy field."""


def shortest_path(
    vault: Vault, source: str, target: str, relation: str | None = None, *, explicit: bool = False
) -> list[Step]:
    """How two nodes connect: the fewest edges between them, walked in either direction.

    Every link, embed and hierarchy edge counts (same-note links do not), unless ``relation``
    keeps one hierarchy field only. Among several edges between the same two nodes a step
    reports an explicit edge before an implied one, then a hierarchy edge before a link, then an
    edge pointing the way walked before one pointing back. Among paths of equal length the one that
    visits the lowest node ids (sorted) first wins, so the answer is the same on every run.

    Parameters
    ----------
    vault : Vault
    source, target : str
        Vault paths, ghost ids, file names or aliases (see :func:`~kg.query.lookup`).
    relation : str, optional
        Walk only the edges of this hierarchy field.
    explicit : bool
        Ignore implied edges.

    Returns
    -------
    list of Step
        Empty when ``source`` and ``target`` are the same node.

    Raises
    ------
    NoPath
        If nothing connects them.

    Examples
    --------
    >>> from kg.vault import Vault
    >>> vault = Vault.from_texts({"A.md": "up:: [[B]]", "C.md": "see [[B]]", "B.md": ""})
    >>> [(s.source, s.kind, s.forward, s.target) for s in shortest_path(vault, "A", "C")]
    [('A.md', 'up', True, 'B.md'), ('B.md', 'link', False, 'C.md')]
    """
    start, goal = lookup(vault, source), lookup(vault, target)
    edges = _edges(vault, relation, explicit)
    came: dict[str, Step | None] = {start: None}
    queue = deque([start])
    while queue and goal not in came:
        here = queue.popleft()
        for there in sorted(edges.get(here, {})):
            if there not in came:
                came[there] = min(edges[here][there], key=_preference)
                queue.append(there)
    if goal not in came:
        raise NoPath(start, goal)
    return _steps_back(came, goal)


def _edges(vault: Vault, relation: str | None, explicit: bool) -> dict[str, dict[str, list[Step]]]:
    """The undirected view: node -> neighbour -> the steps that lead there."""
    if relation is not None and relation not in RELATIONS:
        raise ValueError(f"unknown hierarchy relation '{relation}'; use one of {', '.join(RELATIONS)}")
    out: dict[str, dict[str, list[Step]]] = {}
    for u, v, data in vault.graph.edges(data=True):
        kind, implied = data["kind"], data["implied"]
        if u == v or kind == "self" or (relation is not None and kind != relation) or (explicit and implied):
            continue
        out.setdefault(u, {}).setdefault(v, []).append(Step(u, v, kind, True, implied))
        out.setdefault(v, {}).setdefault(u, []).append(Step(v, u, kind, False, implied))
    return out


def _preference(step: Step) -> tuple[bool, bool, bool, int]:
    """Written before implied, hierarchy before link, along before against the walk."""
    return (step.implied, step.kind in ("link", "embed"), not step.forward, _KIND_ORDER.index(step.kind))


def _steps_back(came: dict[str, Step | None], goal: str) -> list[Step]:
    steps = []
    step = came[goal]
    while step is not None:
        steps.append(step)
        step = came[step.source]
    return steps[::-1]
