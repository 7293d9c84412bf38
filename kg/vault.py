"""The vault: notes in, references out. Every link of every note resolved, and the graph built from them.

A :class:`Vault` knows nothing of disks, processes or caches: :mod:`kg.load` reads a vault from disk
(through the cache) and hands the notes to it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from kg.config import Config
from kg.model import Canvas, CanvasLink, Link, LinkKind, Note, Reference, Span
from kg.obsidian import is_accepted
from kg.parse import parse_note
from kg.parse.canvas import is_canvas, parse_canvas
from kg.parse.wikilinks import WIKILINK_RE, split_wikilink
from kg.resolve import Resolver, fold, outlines_kept
from kg.scan import Skipped

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Columns", "Resolved", "Vault", "is_note", "resolve_share"]

Resolved = tuple[str | None, str | None, tuple[str, ...], tuple[str, ...], "str | None", "str | None"]
"""What one link resolved to: (path, match, candidates, alias_of, ghost before case folding, subpath status)."""

Columns = tuple[tuple[object, ...], ...]
"""What a note's links resolved to, as six columns of :data:`Resolved` (see :meth:`Vault.resolutions`)."""


def is_note(path: str) -> bool:
    """Whether a vault file is a Markdown note (``.md``, any case)."""
    return path.lower().endswith(".md")


class Vault:
    """A vault read into memory: notes, attachments, resolved references and the graph.

    Build one with :func:`kg.load_vault` (from disk) or :meth:`Vault.from_texts` (from memory).
    """

    def __init__(
        self,
        notes: Mapping[str, Note],
        files: list[str],
        *,
        config: Config | None = None,
        root: Path | None = None,
        skipped: list[Skipped] | None = None,
        excluded: Iterable[str] = (),
        known: Mapping[str, Columns] | None = None,
        canvases: Mapping[str, Canvas] | None = None,
        show_unsupported: bool = False,
        resolved: Mapping[str, Columns] | None = None,
    ):
        self.root = root
        """The folder the vault was read from, or None for one built in memory."""
        self.config = config or Config()
        """The options it was read with."""
        self.notes: Mapping[str, Note] = MappingProxyType(dict(sorted(notes.items())))
        """Vault path -> note, sorted by path."""
        self.files: tuple[str, ...] = tuple(sorted(files))
        """Every file of the vault (notes and attachments), sorted."""
        self.skipped: tuple[Skipped, ...] = tuple(skipped or ())
        """Paths seen but left out (symlinks out of the vault, loops, vanished files)."""
        self.excluded: frozenset[str] = frozenset(excluded)
        """Files the configuration excludes: link targets and graph nodes, but neither read nor linted."""
        self.canvases: Mapping[str, Canvas] = MappingProxyType(dict(sorted((canvases or {}).items())))
        """Vault path -> canvas (``.canvas`` files), sorted by path."""
        self.hidden: frozenset[str] = frozenset(() if show_unsupported else (p for p in self.files if not is_accepted(p)))
        """Files of a type Obsidian does not show (``.py``, ``.json``...) while "Show all file types"
        (``showUnsupportedFiles``) is off: link targets, but no attachments, no graph node unless a
        link reaches them, never linted (spec A2.1)."""
        self.resolver = _resolver(self.files, self.notes, self.config)
        """The resolver the references were made with."""
        self.resolved_afresh: set[str] = set()
        """Notes whose links were resolved for this vault (here, or as ``resolved``) rather than
        taken from ``known``."""
        with outlines_kept():
            self.references: tuple[Reference, ...] = tuple(self._resolve_all(known, resolved or {}))
        """Every link of every note, resolved, in note order then source order; then every link of
        every canvas, in canvas order then in the order of :attr:`Canvas.links <kg.model.Canvas.links>`."""
        self.resolver.forget()

    @classmethod
    def from_texts(cls, texts: Mapping[str, str | bytes], config: Config | None = None) -> Vault:
        """A vault from ``{vault path: text}``; ``.canvas`` entries are canvases, other non-``.md`` ones attachments.

        >>> vault = Vault.from_texts({"A.md": "[[B]] [[Nope]]", "B.md": ""})
        >>> [(r.link.target, r.path) for r in vault.references]
        [('B', 'B.md'), ('Nope', None)]
        """
        config = config or Config()
        notes, canvases = {}, {}
        for path, text in texts.items():
            if is_note(path) or is_canvas(path):
                if isinstance(text, bytes):
                    text = text.decode("utf-8", "replace")
                if is_note(path):
                    notes[path] = parse_note(text, path, config)
                else:
                    canvases[path] = parse_canvas(text, path, config)
        return cls(notes, list(texts), config=config, canvases=canvases)

    def _reference(self, source: str, link: Link) -> Reference:
        """Resolve one link of the note at ``source`` and check its subpath."""
        return Reference(source, link, *self._resolution(source, link))

    def _resolution(self, source: str, link: Link) -> Resolved:
        return self.resolver.resolve_link(link, source, self.notes)

    def _resolve_all(self, known: Mapping[str, Columns] | None, resolved: Mapping[str, Columns]) -> Iterator[Reference]:
        """The references, note by note. A note in ``resolved`` takes what its links resolved to
        there. A note in ``known`` (unchanged since its links were last resolved, against the same
        files and aliases) keeps what they resolved to; only its links with a subpath into a note
        read afresh are checked again, since that note's headings and blocks may have changed."""
        known = known or {}
        fresh = {path for path in self.notes if path not in known} if known else set()
        ghosts: dict[str, str] = {}  # one ghost id per target whatever the case: the first spelling
        resolve_link, notes, afresh = self.resolver.resolve_link, self.notes, self.resolved_afresh
        for path, note in notes.items():
            links = note.links
            rows: Iterable[Resolved]
            columns = resolved.get(path) if resolved else None
            if columns is not None and len(columns) == 6 and len(columns[0]) == len(links):
                rows = zip(*columns)
                afresh.add(path)
            else:
                columns = known.get(path)
                if columns is None or len(columns) != 6 or len(columns[0]) != len(links):
                    rows = [resolve_link(link, path, notes) for link in links]
                    afresh.add(path)
                elif fresh and any(link.subpath is not None and target in fresh for link, target in zip(links, columns[0])):
                    rows = [
                        resolve_link(link, path, notes) if link.subpath is not None and row[0] in fresh else row
                        for link, row in zip(links, zip(*columns))
                    ]
                    afresh.add(path)
                else:
                    rows = zip(*columns)
            for link, (target, match, candidates, alias_of, ghost, status) in zip(links, rows):
                if ghost is not None:
                    ghost = ghosts.setdefault(fold(ghost), ghost)
                yield Reference(path, link, target, match, candidates, alias_of, ghost, status)
        for path, canvas in self.canvases.items():
            for found in canvas.links:
                target, match, candidates, alias_of, ghost, status = resolve_link(found.link, path, notes)
                if ghost is not None:
                    ghost = ghosts.setdefault(fold(ghost), ghost)
                yield Reference(path, found.link, target, match, candidates, alias_of, ghost, status)

    def canvas_references(self, path: str) -> list[tuple[CanvasLink, Reference]]:
        """Each link of the canvas at ``path`` with what it resolved to, in the canvas's order: what
        a writer needs to rewrite a canvas (see :class:`~kg.model.CanvasLink`).

        >>> board = '{"nodes": [{"id": "n1", "type": "text", "text": "[[A]]", "x": 0, "y": 0, "width": 1, "height": 1}]}'
        >>> vault = Vault.from_texts({"B.canvas": board, "A.md": ""})
        >>> [(spot.link.node, spot.start, ref.path) for spot, ref in vault.canvas_references("B.canvas")]
        [('n1', 49, 'A.md')]
        """
        canvas = self.canvases.get(path)
        return list(zip(canvas.links, self._canvas_refs.get(path, ()))) if canvas is not None else []

    @cached_property
    def _canvas_refs(self) -> dict[str, list[Reference]]:
        out: dict[str, list[Reference]] = {}
        for ref in self.references:
            if ref.link.node is not None:
                out.setdefault(ref.source, []).append(ref)
        return out

    def resolutions(self, paths: Iterable[str]) -> Iterator[tuple[str, Columns]]:
        """(note path, what its links resolved to) for the notes at ``paths``, in note order: what
        the cache keeps, and gives back as ``known`` while the note is unchanged. Kept as six
        columns (paths, matches, candidates, alias owners, ghosts, subpath statuses), not a tuple
        per link: a 100k-note vault has 1.26 million links."""
        wanted = set(paths)
        if not wanted:
            return
        rows: list[Resolved] = []
        for index, ref in enumerate(self.references):
            if ref.source in wanted:
                ghost = self.resolver.resolve(ref.link.target, ref.source).ghost if ref.ghost is not None else None
                rows.append((ref.path, ref.match, ref.candidates, ref.alias_of, ghost, ref.subpath_status))
            last = index + 1 == len(self.references) or self.references[index + 1].source != ref.source
            if last and ref.source in wanted:
                yield ref.source, tuple(zip(*rows))  # type: ignore[misc]
                rows = []
        for path in sorted(wanted):  # notes without links
            if path in self.notes and not self.notes[path].links:
                yield path, ((),) * 6  # type: ignore[misc]

    @property
    def attachments(self) -> tuple[str, ...]:
        """Vault paths of the files that are neither notes nor canvases, less the :attr:`hidden` ones."""
        return tuple(path for path in self.files if not is_note(path) and not is_canvas(path) and path not in self.hidden)

    @property
    def shown_files(self) -> tuple[str, ...]:
        """The files that are graph nodes: all but the :attr:`hidden` ones no link reaches."""
        if not self.hidden:
            return self.files
        reached = {ref.path for ref in self.references}
        return tuple(path for path in self.files if path not in self.hidden or path in reached)

    @property
    def ghosts(self) -> tuple[str, ...]:
        """Ids of the unresolved link targets, sorted."""
        return tuple(sorted({ref.ghost for ref in self.references if ref.ghost is not None}))

    @property
    def broken(self) -> tuple[Reference, ...]:
        """References that resolve to no file."""
        return tuple(ref for ref in self.references if not ref.resolved)

    @property
    def resolved_links(self) -> dict[str, dict[str, int]]:
        """Obsidian's ``metadataCache.resolvedLinks``: source -> target -> number of links."""
        return _counts((ref.source, ref.path) for ref in self.references if ref.path is not None)

    @property
    def unresolved_links(self) -> dict[str, dict[str, int]]:
        """Obsidian's ``metadataCache.unresolvedLinks``: source -> ghost id -> number of links."""
        return _counts((ref.source, ref.node) for ref in self.references if ref.path is None)

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The vault as a ``networkx.MultiDiGraph``; see :func:`kg.graph.build_graph`."""
        from kg.graph import build_graph

        return build_graph(self)

    def resolve(self, text: str, source: str = "") -> Reference:
        """Resolve a link written as ``[[...]]`` or as a bare linktext, as if it stood in ``source``.

        >>> vault = Vault.from_texts({"Notes/Idea.md": "# Why\\n", "src.md": ""})
        >>> vault.resolve("[[idea#why]]").path, vault.resolve("Idea#Nope").subpath_status
        ('Notes/Idea.md', 'missing-heading')
        """
        match = WIKILINK_RE.fullmatch(text.strip())
        inner = match.group(1) if match else text
        parts = split_wikilink(inner)
        link = Link(LinkKind.WIKILINK, f"[[{inner}]]", parts.target, parts.subpath, parts.display, Span(1, 1, 1, 1))
        return self._reference(source, link)

    def __len__(self) -> int:
        return len(self.notes)

    def __iter__(self) -> Iterator[Note]:
        return iter(self.notes.values())

    def __repr__(self) -> str:
        where = f" {str(self.root)!r}" if self.root else ""
        return f"<Vault{where}: {len(self.notes)} notes, {len(self.attachments)} attachments>"


def _resolver(files: Iterable[str], notes: Mapping[str, Note], config: Config) -> Resolver:
    """The resolver of a vault of ``files`` whose notes are ``notes``."""
    return Resolver(files, {path: note.aliases for path, note in notes.items()}, config)


def resolve_share(files: Iterable[str], notes: Mapping[str, Note], config: Config, paths: Iterable[str]) -> dict[str, Columns]:
    """What the links of the notes at ``paths`` resolve to in the vault of ``files`` and ``notes``,
    as :class:`Vault` works it out: for a loader that shares the resolving among processes and
    hands the answers to the vault as ``resolved``.

    >>> notes = {"A.md": parse_note("[[B]] [[Nope]]", "A.md"), "B.md": parse_note("", "B.md")}
    >>> resolve_share(["A.md", "B.md"], notes, Config(), ["A.md"])["A.md"][0]
    ('B.md', None)
    """
    resolver = _resolver(files, notes, config)
    share: dict[str, Columns] = {}
    with outlines_kept():
        for path in paths:
            rows = [resolver.resolve_link(link, path, notes) for link in notes[path].links]
            share[path] = tuple(zip(*rows)) if rows else ((),) * 6  # type: ignore[assignment]
    return share


def _counts(pairs: Iterator[tuple[str, str]]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for (source, target), count in sorted(Counter(pairs).items()):
        out.setdefault(source, {})[target] = count
    return out
