"""Everything about one note in one record: names, tags, place in the hierarchy, links, problems."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.model import Note
from kg.query.hierarchy import children, parents
from kg.query.lookup import lookup
from kg.resolve import fold

if TYPE_CHECKING:
    from kg.lint import Finding
    from kg.vault import Vault

__all__ = ["NoteInfo", "heading_title", "show"]


@dataclass(frozen=True, slots=True)
class NoteInfo:
    """One node of the vault described for a reader; built by :func:`show`."""

    node: str
    """The vault path, or the ghost id of an unresolved target."""
    kind: str
    """``note``, ``attachment`` or ``ghost``."""
    title: str
    """The file name without ``.md`` (Obsidian's note title); the ghost id for a ghost."""
    heading: str | None
    """The note's own title when it differs from the file name (see :func:`heading_title`)."""
    aliases: tuple[str, ...]
    """Aliases as written."""
    tags: tuple[str, ...]
    """Tags, lower-case, sorted."""
    parents: tuple[str, ...]
    """Direct parents in the hierarchy asked for (``up`` by default), sorted."""
    children: tuple[str, ...]
    """Direct children in the hierarchy asked for, sorted."""
    links_out: int
    """Links written in the note, same-note links left out."""
    links_in: int
    """Links written in other notes that point here."""
    broken: int
    """The note's links that resolve to no file."""
    findings: tuple[Finding, ...]
    """What the linter reports in the file (its configured rules, suppressions honoured), sorted."""


def heading_title(note: Note) -> str | None:
    """The title a note gives itself, when it says more than its file name.

    That is the frontmatter ``title`` property, else a first heading of level 1; None when there
    is neither or it reads the same as the file name (case and Unicode form aside).

    >>> from kg.parse import parse_note
    >>> heading_title(parse_note("# LLM — large language model\\n", "LLM.md"))
    'LLM — large language model'
    >>> heading_title(parse_note("# llm\\n", "LLM.md")) is None
    True
    """
    title = note.frontmatter.get("title")
    if not isinstance(title, str) or not title.strip():
        first = note.headings[0] if note.headings else None
        title = first.text if first is not None and first.level == 1 else None
    if title is None or fold(title.strip()) == fold(note.title):
        return None
    return title.strip()


def show(vault: Vault, node: str, relation: str = "up", *, explicit: bool = False) -> NoteInfo:
    """Describe one node: names, tags, parents and children, link counts and lint findings.

    Parameters
    ----------
    vault : Vault
    node : str
        A vault path, ghost id, file name or alias (see :func:`~kg.query.lookup`).
    relation : str
        The hierarchy field that gives the parents and children (``up`` by default).
    explicit : bool
        Ignore implied edges for parents and children.

    Returns
    -------
    NoteInfo

    Examples
    --------
    >>> from kg.vault import Vault
    >>> vault = Vault.from_texts({
    ...     "AI.md": "---\\naliases: [ИИ]\\ntags: [ai]\\n---\\n# Artificial intelligence\\n[[Gone]]",
    ...     "ML.md": "up:: [[AI]]",
    ... })
    >>> info = show(vault, "ии")
    >>> info.node, info.heading, info.aliases, info.children, info.links_out, info.links_in, info.broken
    ('AI.md', 'Artificial intelligence', ('ИИ',), ('ML.md',), 1, 1, 1)
    >>> [(f.line, f.code, f.message) for f in info.findings]
    [(6, 'KG001', "link target 'Gone' does not match any file")]
    """
    from kg.lint import lint  # the linter is only needed here

    node = lookup(vault, node)
    note = vault.notes.get(node)
    kind = vault.graph.nodes[node]["kind"]
    out = [ref for ref in vault.references if ref.source == node and ref.node != node]
    return NoteInfo(
        node=node,
        kind=kind,
        title=note.title if note is not None else vault.graph.nodes[node]["title"],
        heading=heading_title(note) if note is not None else None,
        aliases=note.aliases if note is not None else (),
        tags=note.tags if note is not None else (),
        parents=tuple(parents(vault, node, relation, explicit=explicit)),
        children=tuple(children(vault, node, relation, explicit=explicit)),
        links_out=len(out),
        links_in=sum(1 for ref in vault.references if ref.node == node and ref.source != node),
        broken=sum(1 for ref in out if not ref.resolved),
        findings=tuple(f for f in lint(vault) if f.path == node),
    )
