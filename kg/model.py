"""The records that the parser produces and the vault resolves.

They are read-only by contract. :class:`Note` enforces it (frozen); the small records a vault
holds by the million (spans, links, references, ...) do not: a frozen dataclass sets each field
through ``object.__setattr__``, which makes building one about three times slower, paid at parse,
at every cache load and per resolved link. They still compare, order and hash by value.

Nothing here does I/O. Positions are 1-based lines and columns counted in characters (not bytes) of
the file as an editor shows it: line breaks are ``\\n``, ``\\r\\n`` or a lone ``\\r``, and a leading
byte-order mark is not counted.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from sys import intern
from types import MappingProxyType
from typing import Any

__all__ = [
    "Block",
    "Canvas",
    "CanvasLink",
    "Comment",
    "Heading",
    "Link",
    "LinkKind",
    "Note",
    "Problem",
    "Reference",
    "Span",
]


@dataclass(slots=True, order=True, unsafe_hash=True)
class Span:
    """Where a piece of text stands in its file."""

    line: int
    """1-based line of the first character."""
    col: int
    """1-based column of the first character, in characters."""
    end_line: int
    """1-based line of the last character."""
    end_col: int
    """1-based column just past the last character (exclusive)."""


class LinkKind(str, enum.Enum):
    """The syntax a link is written in."""

    WIKILINK = "wikilink"
    """``[[Target#subpath|display]]``"""
    EMBED = "embed"
    """``![[Target]]``"""
    MARKDOWN = "markdown"
    """``[display](Target.md#subpath)``"""
    MARKDOWN_EMBED = "markdown-embed"
    """``![alt](image.png)``"""
    FRONTMATTER = "frontmatter"
    """A ``"[[Target]]"`` value of a frontmatter property."""
    CANVAS_FILE = "canvas-file"
    """The ``file`` of a canvas file node (a card that shows the file), or a group's ``background``."""

    @property
    def is_embed(self) -> bool:
        """Whether the link embeds its target rather than pointing to it."""
        return self in (LinkKind.EMBED, LinkKind.MARKDOWN_EMBED, LinkKind.CANVAS_FILE)

    def __str__(self) -> str:
        return self.value


@dataclass(slots=True, unsafe_hash=True)
class Link:
    """One link as written in a note, before resolution."""

    kind: LinkKind
    """The syntax of the link."""
    raw: str
    """The exact source text, e.g. ``[[Note#Heading|text]]``; ``span`` slices back to it."""
    target: str
    """The linkpath: what stands before the first ``#``, trimmed; percent-decoded for Markdown links.
    Empty for a same-note link such as ``[[#Heading]]``."""
    subpath: str | None
    """What follows the first ``#`` (``Heading``, ``H1#H2``, ``^block-id``), or None."""
    display: str | None
    """Display text (or an embed's size) after the first ``|`` or ``\\|``; a Markdown link's text."""
    span: Span
    """Where ``raw`` stands in the file."""
    key: str | None = None
    """The frontmatter property or inline field that holds the link, as written (``up``, ``related``)."""
    relation: str | None = None
    """The hierarchy relation the link declares (``up``, ``down``, ``same``, ``next``, ``prev``), or None."""
    in_comment: bool = False
    """Whether the link stands inside a ``%% ... %%`` comment."""
    quoted: bool = True
    """False for a frontmatter link written unquoted (``up: [[X]]``), which YAML reads as a nested list."""
    node: str | None = None
    """For a link of a canvas: the id of the canvas node that holds it; None in a note."""

    @property
    def is_embed(self) -> bool:
        """Whether the link embeds its target."""
        return self.kind.is_embed

    @property
    def block_id(self) -> str | None:
        """The block id of a ``#^id`` subpath, or None."""
        if self.subpath is None or not self.subpath.startswith("^"):
            return None
        return self.subpath[1:]

    @property
    def heading_chain(self) -> tuple[str, ...]:
        """The headings a ``#H1#H2`` subpath names, outermost first; empty for none or a block."""
        if self.subpath is None or self.subpath.startswith("^"):
            return ()
        return tuple(part for part in self.subpath.split("#") if part.strip())


@dataclass(slots=True, unsafe_hash=True)
class Heading:
    """A Markdown heading."""

    level: int
    """1 to 6."""
    text: str
    """The heading's source text without the ``#`` marks."""
    line: int
    """1-based line."""


@dataclass(slots=True, unsafe_hash=True)
class Block:
    """A block id declared by ``^id`` at the end of a line."""

    id: str
    """The id without the caret."""
    line: int
    """1-based line."""


@dataclass(slots=True, unsafe_hash=True)
class Comment:
    """An Obsidian ``%% ... %%`` comment."""

    text: str
    """What stands between the ``%%`` marks."""
    span: Span
    """Where the comment stands, marks included."""


@dataclass(slots=True, unsafe_hash=True)
class Problem:
    """Something wrong in a note found while parsing it; the linter reports it."""

    kind: str
    """The lint rule name: ``invalid-frontmatter``, ``unquoted-frontmatter-link``,
    ``invalid-field-value``, ``deprecated-alias-key``, ``unreadable-file`` or ``invalid-canvas``."""
    message: str
    """Lower-case, no trailing period, the offending value quoted."""
    span: Span
    """Where the problem stands."""


def _empty() -> Mapping[str, object]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Note:
    """Everything kg reads from one Markdown file. Built by :func:`kg.parse.parse_note`."""

    path: str
    """Vault-relative POSIX path with the real extension, e.g. ``Folder/Note.md``; the node id."""
    title: str
    """The file name without ``.md``."""
    frontmatter: Mapping[str, object] = field(default_factory=_empty)
    """The YAML properties (read-only); empty when there are none or they are invalid."""
    aliases: tuple[str, ...] = ()
    """Aliases in the order written."""
    alias_spans: tuple[Span, ...] = ()
    """Where each alias stands in the frontmatter, parallel to ``aliases``."""
    tags: tuple[str, ...] = ()
    """Tags from frontmatter and body: lower-case, without ``#``, sorted, unique."""
    tag_spans: tuple[Span, ...] = ()
    """Where each tag of the body stands, ``#`` included, in source order (a tag written twice
    has two); the span slices the tag as written."""
    links: tuple[Link, ...] = ()
    """Every link, frontmatter first, then the body in source order."""
    headings: tuple[Heading, ...] = ()
    """Headings in source order."""
    blocks: tuple[Block, ...] = ()
    """Block ids in source order."""
    comments: tuple[Comment, ...] = ()
    """``%%`` comments in source order."""
    problems: tuple[Problem, ...] = ()
    """What parsing found wrong, in source order."""
    body_line: int = 1
    """1-based line where the body starts (after the frontmatter)."""
    lines: int = 0
    """Number of lines in the file."""


@dataclass(frozen=True, slots=True)
class CanvasLink:
    """One reference a canvas makes, and where its text stands, so that a writer can replace it.

    Offsets count characters of the canvas file's text as decoded (a byte-order mark, if there is
    one, is character 0). ``text[start:end]`` is what the JSON file holds for the link, escapes as
    written: the whole ``file`` (or ``background``) string, or the part of a ``text`` string that
    reads ``link.raw``. To rewrite the link as ``new``, put ``json.dumps(new, ensure_ascii=False)[1:-1]``
    there; no other byte of the file need change.
    """

    link: Link
    """The link: ``node`` is the canvas node's id, ``span`` where the link stands in the canvas file.
    A file node gives a ``canvas-file`` link whose ``target`` and ``raw`` are the ``file`` value and
    whose ``subpath`` is the ``subpath`` value without its leading ``#``."""
    field: str
    """The node property the link comes from: ``file``, ``background`` (a group's image) or ``text``."""
    start: int
    """Offset of the link's first character in the file's text."""
    end: int
    """Offset just past its last character."""
    text_span: Span | None = None
    """For a ``text`` link: where ``link.raw`` stands in the node's Markdown (1-based, as in a note)."""
    subpath_at: tuple[int, int] | None = None
    """For a file node with a ``subpath``: ``(start, end)`` of that string's content, ``#`` included."""


@dataclass(frozen=True, slots=True)
class Canvas:
    """Everything kg reads from one ``.canvas`` file (JSON Canvas 1.0). Built by :func:`kg.parse.canvas.parse_canvas`."""

    path: str
    """Vault-relative POSIX path, e.g. ``Boards/Plan.canvas``; the node id."""
    links: tuple[CanvasLink, ...] = ()
    """Every reference, in the order of the nodes, then of the links in a node's text."""
    nodes: tuple[str, ...] = ()
    """The ids of the canvas nodes, in file order."""
    edges: int = 0
    """How many canvas edges join the nodes."""
    problems: tuple[Problem, ...] = ()
    """What is wrong with the file (not JSON, not the shape of a canvas, not UTF-8), in file order."""


@dataclass(slots=True, unsafe_hash=True)
class Reference:
    """One link of one note, resolved against the vault."""

    source: str
    """Vault path of the note that holds the link."""
    link: Link
    """The link as written."""
    path: str | None
    """Vault path of the file the link resolves to, or None when it is unresolved."""
    match: str | None
    """How it resolved: ``exact``, ``relative``, ``folder``, ``name``, ``suffix``, ``alias``, ``self``."""
    candidates: tuple[str, ...] = ()
    """For a bare name: every file the name fits, sorted; more than one means ambiguous."""
    alias_of: tuple[str, ...] = ()
    """Notes that declare the linkpath as an alias, when no file matched it."""
    ghost: str | None = None
    """For an unresolved link: the id of its ghost node."""
    subpath_status: str | None = None
    """``ok``, ``case-mismatch``, ``missing-heading``, ``missing-block``, ``not-checked``, or None."""

    @property
    def node(self) -> str:
        """The graph node the link points to: the resolved path or the ghost id."""
        return self.path if self.path is not None else str(self.ghost)

    @property
    def resolved(self) -> bool:
        """Whether the link found a file."""
        return self.path is not None


def _reduce(record: object) -> tuple[type, tuple[object, ...]]:
    """Pickle a record as its class and its field values: many times faster than the generic
    state of a slotted dataclass, which matters for the cache and the process pool."""
    return type(record), tuple(getattr(record, name) for name in type(record).__slots__)  # type: ignore[attr-defined]


for _record in (Span, Link, Heading, Block, Comment, Problem, Reference, CanvasLink, Canvas):
    _record.__reduce__ = _reduce  # type: ignore[assignment,method-assign]


# A note is pickled as one tuple of plain values, rebuilt by one function: pickle then handles
# strings, numbers and tuples in C instead of calling a reduce and a class for every link and span.
# A 10,000-note vault pickles 5x faster and loads 2x faster, in the cache and out of the process pool.
# The strings that many notes repeat (a link's text and target, property names) are interned as
# they are rebuilt: one copy each instead of one per link, 2 KB less a note.

_KINDS = {kind.value: kind for kind in LinkKind}


def _note_fields(note: Note) -> tuple[object, ...]:
    return (
        note.path,
        note.title,
        dict(note.frontmatter),
        note.aliases,
        tuple((s.line, s.col, s.end_line, s.end_col) for s in note.alias_spans),
        note.tags,
        tuple((s.line, s.col, s.end_line, s.end_col) for s in note.tag_spans),
        tuple(
            (link.kind.value, link.raw, link.target, link.subpath, link.display, link.span.line, link.span.col,
             link.span.end_line, link.span.end_col, link.key, link.relation, link.in_comment, link.quoted)
            for link in note.links
        ),
        tuple((h.level, h.text, h.line) for h in note.headings),
        tuple((b.id, b.line) for b in note.blocks),
        tuple((c.text, c.span.line, c.span.col, c.span.end_line, c.span.end_col) for c in note.comments),
        tuple((p.kind, p.message, p.span.line, p.span.col, p.span.end_line, p.span.end_col) for p in note.problems),
        note.body_line,
        note.lines,
    )


def _restore_note(fields: tuple[Any, ...], shared: bool = True) -> Note:
    """The note :func:`_note_fields` took apart. ``shared``: intern its repeated strings, for notes
    that come a small batch at a time (from the process pool). The cache passes False: pickle
    writes a string object once per file, so the hundreds of notes of a cache file, whose link
    texts and targets were interned when they were parsed or taken from the pool, share them
    already; interning costs about a microsecond a string, 40% of the time a note takes to load."""
    path, title, front, aliases, alias_spans, tags, tag_spans, links, headings, blocks, comments, problems, body_line, lines = fields
    kinds = _KINDS
    keep = intern if shared else str  # str() gives back the very string it is given
    return Note(
        path,
        title,
        MappingProxyType({keep(key): value for key, value in front.items()} if shared else front),
        aliases,
        tuple(Span(*s) for s in alias_spans),
        tags,
        tuple(Span(*s) for s in tag_spans),
        tuple(
            Link(kinds[k], keep(raw), keep(target), subpath and keep(subpath), display and keep(display),
                 Span(a, b, c, d), key, relation, in_comment, quoted)
            for k, raw, target, subpath, display, a, b, c, d, key, relation, in_comment, quoted in links
        ),
        tuple(Heading(*h) for h in headings),
        tuple(Block(*b) for b in blocks),
        tuple(Comment(text, Span(a, b, c, d)) for text, a, b, c, d in comments),
        tuple(Problem(kind, message, Span(a, b, c, d)) for kind, message, a, b, c, d in problems),
        body_line,
        lines,
    )


Note.__reduce__ = lambda note: (_restore_note, (_note_fields(note),))  # type: ignore[assignment,method-assign,arg-type]
