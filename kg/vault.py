"""The vault: every file read once, every link resolved, and the graph built from them."""

from __future__ import annotations

import gc
import hashlib
import os
from collections import Counter, deque
from dataclasses import replace
import multiprocessing
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import closing, contextmanager
from concurrent.futures.process import BrokenProcessPool
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, TypeVar

from kg.cache import Cache, content_hash, is_racy
from kg.config import Config, load_config
from kg.errors import VaultNotFound
from kg.model import Canvas, CanvasLink, Link, LinkKind, Note, Problem, Reference, Span
from kg.obsidian import app_settings, is_accepted
from kg.parse import note_title, parse_note
from kg.parse.canvas import is_canvas, parse_canvas
from kg.parse.wikilinks import WIKILINK_RE, split_wikilink
from kg.resolve import Resolver, fold, outlines_kept, subpath_status
from kg.scan import Skipped, decode, excluded, read_bytes, scan
from kg.workers import start_worker

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Vault", "is_note", "load_vault", "parse_file"]


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
        known: Mapping[str, Columns] | None = None,
        canvases: Mapping[str, Canvas] | None = None,
        show_unsupported: bool = False,
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
        aliases = {path: note.aliases for path, note in self.notes.items()}
        self.resolver = Resolver(self.files, aliases, self.config)
        """The resolver the references were made with."""
        self.resolved_afresh: set[str] = set()
        """Notes whose links were resolved in this vault rather than taken from ``known``."""
        with outlines_kept():
            self.references: tuple[Reference, ...] = tuple(self._resolve_all(known))
        """Every link of every note, resolved, in note order then source order; then every link of
        every canvas, in canvas order then in the order of :attr:`Canvas.links <kg.model.Canvas.links>`."""

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
        # a canvas names a file by its vault path: a leading slash asks the resolver for exactly that
        linkpath = "/" + link.target if link.kind is LinkKind.CANVAS_FILE else link.target
        found = self.resolver.resolve(linkpath, source)
        status = subpath_status(link, self.notes.get(found.path or ""), found.path) if link.subpath is not None else None
        return found.path, found.match, found.candidates, found.alias_of, found.ghost, status

    def _resolve_all(self, known: Mapping[str, Columns] | None) -> Iterator[Reference]:
        """The references, note by note. A note in ``known`` (unchanged since its links were last
        resolved, against the same files and aliases) keeps what they resolved to; only its links
        with a subpath into a note read afresh are checked again, since that note's headings and
        blocks may have changed."""
        known = known or {}
        fresh = {path for path in self.notes if path not in known} if known else set()
        ghosts: dict[str, str] = {}  # one ghost id per target whatever the case: the first spelling
        resolution, afresh = self._resolution, self.resolved_afresh
        for path, note in self.notes.items():
            links = note.links
            columns = known.get(path)
            rows: Iterable[Resolved]
            if columns is None or len(columns) != 6 or len(columns[0]) != len(links):
                rows = [resolution(path, link) for link in links]
                afresh.add(path)
            elif fresh and any(link.subpath is not None and target in fresh for link, target in zip(links, columns[0])):
                rows = [
                    resolution(path, link) if link.subpath is not None and row[0] in fresh else row
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
                target, match, candidates, alias_of, ghost, status = resolution(path, found.link)
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


def _counts(pairs: Iterator[tuple[str, str]]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for (source, target), count in sorted(Counter(pairs).items()):
        out.setdefault(source, {})[target] = count
    return out


PARALLEL_NOTES = 400
"""From this many notes to parse, a process pool shares the work among the machine's cores."""

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while notes are read."""


def _canvas_bytes(path: str, data: bytes, config: Config) -> Canvas:
    """A canvas from its file's bytes: as :func:`parse_file` does for a note."""
    text, problem, where = decode(data)
    if text is None:
        return Canvas(path, problems=(Problem("unreadable-file", str(problem), Span(1, 1, 1, 1)),))
    canvas = parse_canvas(text, path, config)
    if problem is None or where is None:
        return canvas
    found = Problem("unreadable-file", problem, Span(where[0], where[1], where[0], where[1] + 1))
    return replace(canvas, problems=tuple(sorted((*canvas.problems, found), key=lambda p: p.span)))


def _read_canvases(root: Path, paths: list[str], config: Config, cache: Cache | None,
                   stats: Mapping[str, tuple[int, int]]) -> tuple[dict[str, Canvas], set[str]]:
    """Read the canvases at ``paths`` (a cached one while its file is unchanged): the canvases, and
    the paths whose files vanished. There are few canvases, so they are read in this process."""
    canvases: dict[str, Canvas] = {}
    vanished = set()
    for rel in paths:
        canvas = _cached(cache, root, rel, stats.get(rel), Canvas) if cache is not None and cache.enabled else None
        if canvas is not None:
            canvases[rel] = canvas
            continue
        try:
            data, size, mtime = read_bytes(root / rel)
        except FileNotFoundError:
            vanished.add(rel)
            continue
        except OSError as exc:
            problem = Problem("unreadable-file", f"cannot read file: {exc.strerror or exc}", Span(1, 1, 1, 1))
            canvases[rel] = Canvas(rel, problems=(problem,))
            continue
        canvases[rel] = _canvas_bytes(rel, data, config)
        if cache is not None:
            cache.store(rel, size, mtime, canvases[rel], content_hash(data) if is_racy(mtime) else None)
    return canvases, vanished


def parse_file(path: str, data: bytes, config: Config) -> Note:
    """The note a file's bytes hold, as :func:`load_vault` reads it: undecodable bytes are a problem
    of the note, a binary file a note with no content."""
    text, problem, where = decode(data)
    if text is None:
        message = str(problem)
        return Note(path, note_title(path), problems=(Problem("unreadable-file", message, Span(1, 1, 1, 1)),))
    note = parse_note(text, path, config)
    if problem is None or where is None:
        return note
    found = Problem("unreadable-file", problem, Span(where[0], where[1], where[0], where[1] + 1))
    return replace(note, problems=tuple(sorted((*note.problems, found), key=lambda p: p.span)))


Record = TypeVar("Record", Note, Canvas)
"""What the cache keeps of a file: a note or a canvas."""

Resolved = tuple[str | None, str | None, tuple[str, ...], tuple[str, ...], "str | None", "str | None"]
"""What one link resolved to: (path, match, candidates, alias_of, ghost before case folding, subpath status)."""

Columns = tuple[tuple[object, ...], ...]
"""What a note's links resolved to, as six columns of :data:`Resolved` (see :meth:`Vault.resolutions`)."""

_Read = tuple[str, int, int, "Note | None", "str | None"]
"""What reading one note gives: (path, size, mtime_ns, note or None if it vanished, content hash if racy)."""


def _read_notes(root: Path, paths: list[str], config: Config) -> list[_Read]:
    """Read and parse notes; a worker of the process pool runs this on its share of the paths."""
    out: list[_Read] = []
    for path in paths:
        try:
            data, size, mtime = read_bytes(root / path)
        except FileNotFoundError:
            out.append((path, 0, 0, None, None))
            continue
        except OSError as exc:
            problem = Problem("unreadable-file", f"cannot read file: {exc.strerror or exc}", Span(1, 1, 1, 1))
            out.append((path, -1, -1, Note(path, note_title(path), problems=(problem,)), None))
            continue
        digest = content_hash(data) if is_racy(mtime) else None
        out.append((path, size, mtime, parse_file(path, data, config), digest))
    return out


def _jobs(count: int, jobs: int | None) -> int:
    if jobs is not None:
        return max(1, jobs)
    if count < PARALLEL_NOTES:
        return 1
    return max(1, min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1, 8))


def _parse_all(
    root: Path, paths: list[str], config: Config, jobs: int, progress: Progress | None
) -> Generator[_Read, None, None]:
    """Read and parse ``paths``: in this process, or shared between it and ``jobs - 1`` workers.

    Workers take chunks from the front of the list, a few at a time; this process parses chunks
    from the back while they work, rather than wait, and takes their results as they come. A worker
    that dies leaves its chunk to this process.
    """
    total = len(paths)
    size = max(25, min(250, total // (jobs * 8) or 1))
    chunks = deque(paths[i : i + size] for i in range(0, total, size))
    done = 0
    pool = executor = None
    if jobs > 1 and len(chunks) > 1:
        try:
            context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
            pool = executor = ProcessPoolExecutor(
                max_workers=jobs - 1, mp_context=context, initializer=start_worker, initargs=(os.getpid(),)
            )
        except OSError:  # no processes to be had: read here instead
            pool = None
    pending: deque[tuple[Future[list[_Read]], list[str]]] = deque()
    try:
        while chunks or pending:
            while pool is not None and chunks and len(pending) < 2 * (jobs - 1):
                chunk = chunks.popleft()
                try:
                    pending.append((pool.submit(_read_notes, root, chunk, config), chunk))
                except (OSError, RuntimeError, BrokenProcessPool):
                    chunks.appendleft(chunk)
                    pool = None
            if pending and (pending[0][0].done() or not chunks):
                future, chunk = pending.popleft()
                try:
                    part = future.result()
                except (OSError, BrokenProcessPool):
                    part = _read_notes(root, chunk, config)
            else:
                part = _read_notes(root, chunks.pop(), config)
            done += len(part)
            if progress:
                progress(done, total)
            yield from part
    finally:
        if executor is not None:
            executor.shutdown(cancel_futures=True)


def load_vault(
    path: str | os.PathLike[str],
    config: Config | None = None,
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> Vault:
    """Read the vault at ``path``: every file once, every link resolved.

    Parameters
    ----------
    path : str or path-like
        The vault's root folder.
    config : Config, optional
        Options; by default read from ``kg.toml``, ``.kg.toml`` or ``pyproject.toml`` at the root.
    cache_dir : path-like, optional
        A folder (outside the vault) for a persistent cache of parsed notes: a note whose file has
        the same size and mtime as when it was cached is not read again. None: no cache.
    jobs : int, optional
        Processes that parse notes; by default one per core when there are many notes, else one.
    progress : callable, optional
        Called as ``progress(done, total)`` while notes are parsed.

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
    with _collector_paused():
        return _load(path, config, cache_dir, jobs, progress)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a vault is read: its records hold no reference cycles,
    and a collection every few hundred of the million records of a large vault costs seconds."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load(
    path: str | os.PathLike[str],
    config: Config | None,
    cache_dir: str | os.PathLike[str] | None,
    jobs: int | None,
    progress: Progress | None,
) -> Vault:
    root = Path(path)
    if not root.is_dir():
        what = "is not a folder" if root.exists() else "does not exist"
        raise VaultNotFound(f"vault '{path}' {what}")
    config = config if config is not None else load_config(root)
    stats: dict[str, tuple[int, int]] = {}
    files, skipped = scan(root, stats)
    left_out = {rel for rel in files if config.exclude and excluded(rel, config.exclude)}
    wanted = [rel for rel in files if is_note(rel) and rel not in left_out]
    boards = [rel for rel in files if is_canvas(rel) and rel not in left_out]
    cache = Cache(cache_dir, root, config) if cache_dir is not None else None
    notes: dict[str, Note] = {}
    misses = wanted
    if cache is not None and cache.enabled:
        misses = []
        for rel in wanted:
            note = _cached(cache, root, rel, stats.get(rel))
            if note is None:
                misses.append(rel)
            else:
                notes[rel] = note
    vanished = set()
    # closing: an interrupt stops the pool here and now, not whenever the generator is collected
    with closing(_parse_all(root, misses, config, _jobs(len(misses), jobs), progress)) as reads:
        for rel, size, mtime, note, digest in reads:
            if note is None:
                vanished.add(rel)
                skipped.append(Skipped(rel, "file disappeared while kg read the vault"))
                continue
            notes[rel] = note
            if cache is not None and size >= 0:
                cache.store(rel, size, mtime, note, digest)
    canvases, gone = _read_canvases(root, boards, config, cache, stats)
    vanished |= gone
    skipped += [Skipped(rel, "file disappeared while kg read the vault") for rel in sorted(gone)]
    present = [rel for rel in files if rel not in vanished]
    known: dict[str, Columns] | None = None
    if cache is not None:
        state = resolver_state(present, notes)
        known = {}
        for rel in notes.keys() - set(misses):
            results = cache.resolutions(rel, state)
            if results is not None:
                known[rel] = results
    vault = Vault(notes, present, config=config, root=root, skipped=sorted(skipped, key=lambda s: s.path),
                  excluded=left_out, known=known, canvases=canvases,
                  show_unsupported=app_settings(root).get("showUnsupportedFiles") is True)
    if cache is not None:
        for rel, results in vault.resolutions(vault.resolved_afresh):
            cache.store_resolutions(rel, state, results)
        cache.keep_only([*notes, *canvases])
        cache.save()
    return vault


def resolver_state(files: Iterable[str], notes: Mapping[str, Note]) -> str:
    """A digest of everything a link's resolution depends on besides its own note: the file list
    and every note's aliases (the configuration is part of the cache's own key)."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(files):
        digest.update(path.encode("utf-8", "surrogatepass") + b"\0")
    for path in sorted(notes):
        aliases = notes[path].aliases
        if aliases:
            digest.update(repr((path, aliases)).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _cached(cache: Cache, root: Path, rel: str, stat: tuple[int, int] | None,
            kind: type[Record] = Note) -> Record | None:  # type: ignore[assignment]  # mypy: a TypeVar's default
    """The cached note (or canvas, as ``kind`` says) of ``rel`` if its file is unchanged
    (``stat``: its size and mtime as the scan saw them), else None."""
    if stat is None:
        return None
    try:
        data = read_bytes(root / rel)[0] if cache.needs_content(rel) else None
    except OSError:
        return None
    found = cache.canvas(rel, stat[0], stat[1], data) if kind is Canvas else cache.note(rel, stat[0], stat[1], data)
    return found  # type: ignore[return-value]
