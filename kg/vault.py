"""The vault: every file read once, every link resolved, and the graph built from them."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import replace
from collections.abc import Iterable, Iterator, Mapping
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from kg.config import Config, load_config
from kg.errors import VaultNotFound
from kg.model import Link, LinkKind, Note, Problem, Reference, Span
from kg.parse import note_title, parse_note
from kg.parse.wikilinks import WIKILINK_RE, split_wikilink
from kg.resolve import Resolver, fold, subpath_status
from kg.scan import Skipped, excluded, read_text, scan

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Vault", "is_note", "load_vault"]


def is_note(path: str) -> bool:
    """Whether a vault file is a Markdown note (``.md``, any case)."""
    return path.lower().endswith(".md")


class Vault:
    """A vault read into memory: notes, attachments, resolved references and the graph.

    Build one with :func:`load_vault` (from disk) or :meth:`Vault.from_texts` (from memory).
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
        aliases = {path: note.aliases for path, note in self.notes.items()}
        self.resolver = Resolver(self.files, aliases, self.config)
        """The resolver the references were made with."""
        self.references: tuple[Reference, ...] = tuple(self._resolve_all())
        """Every link of every note, resolved, in note order then source order."""

    @classmethod
    def from_texts(cls, texts: Mapping[str, str | bytes], config: Config | None = None) -> Vault:
        """A vault from ``{vault path: text}``; non-``.md`` entries are attachments.

        >>> vault = Vault.from_texts({"A.md": "[[B]] [[Nope]]", "B.md": ""})
        >>> [(r.link.target, r.path) for r in vault.references]
        [('B', 'B.md'), ('Nope', None)]
        """
        config = config or Config()
        notes = {}
        for path, text in texts.items():
            if is_note(path):
                if isinstance(text, bytes):
                    text = text.decode("utf-8", "replace")
                notes[path] = parse_note(text, path, config)
        return cls(notes, list(texts), config=config)

    def _reference(self, source: str, link: Link) -> Reference:
        """Resolve one link of the note at ``source`` and check its subpath."""
        found = self.resolver.resolve(link.target, source)
        status = subpath_status(link, self.notes.get(found.path or ""), found.path)
        return Reference(source, link, found.path, found.match, found.candidates, found.alias_of, found.ghost, status)

    def _resolve_all(self) -> Iterator[Reference]:
        ghosts: dict[str, str] = {}  # one ghost id per target whatever the case: the first spelling
        for path, note in self.notes.items():
            for link in note.links:
                ref = self._reference(path, link)
                if ref.ghost is not None:
                    ref = replace(ref, ghost=ghosts.setdefault(fold(ref.ghost), ref.ghost))
                yield ref

    @property
    def attachments(self) -> tuple[str, ...]:
        """Vault paths of the files that are not notes."""
        return tuple(path for path in self.files if not is_note(path))

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


def _counts(pairs: Iterator[tuple[str, str]]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for (source, target), count in sorted(Counter(pairs).items()):
        out.setdefault(source, {})[target] = count
    return out


def _read_note(root: Path, path: str, config: Config) -> Note:
    text, problem, where = read_text(root / path)
    if text is None:
        message = str(problem)
        return Note(path, note_title(path), problems=(Problem("unreadable-file", message, Span(1, 1, 1, 1)),))
    note = parse_note(text, path, config)
    if problem is None or where is None:
        return note
    found = Problem("unreadable-file", problem, Span(where[0], where[1], where[0], where[1] + 1))
    return replace(note, problems=tuple(sorted((*note.problems, found), key=lambda p: p.span)))


def load_vault(path: str | os.PathLike[str], config: Config | None = None) -> Vault:
    """Read the vault at ``path``: every file once, every link resolved.

    Parameters
    ----------
    path : str or path-like
        The vault's root folder.
    config : Config, optional
        Options; by default read from ``kg.toml``, ``.kg.toml`` or ``pyproject.toml`` at the root.

    Returns
    -------
    Vault

    Raises
    ------
    VaultNotFound
        If ``path`` is not a folder.
    ConfigError
        If the vault's configuration file is invalid.
    """
    root = Path(path)
    if not root.is_dir():
        what = "is not a folder" if root.exists() else "does not exist"
        raise VaultNotFound(f"vault '{path}' {what}")
    config = config if config is not None else load_config(root)
    files, skipped = scan(root)
    left_out = {rel for rel in files if config.exclude and excluded(rel, config.exclude)}
    notes: dict[str, Note] = {}
    present = []
    for rel in files:
        if is_note(rel) and rel not in left_out:
            try:
                notes[rel] = _read_note(root, rel, config)
            except FileNotFoundError:
                skipped.append(Skipped(rel, "file disappeared while kg read the vault"))
                continue
        present.append(rel)
    return Vault(notes, present, config=config, root=root, skipped=skipped, excluded=left_out)
