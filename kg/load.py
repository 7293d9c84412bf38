"""Reading a vault from disk: scan, parse, cache and vault, composed in that one direction.

:func:`kg.load_vault` (this module's :func:`load_vault`) is the public way in. The stages know
nothing of what follows them: :mod:`kg.scan` lists the files, :mod:`kg.parse` turns bytes into
records, :mod:`kg.cache` keeps records between runs, :class:`~kg.vault.Vault` resolves the links of
the notes it is given; this module alone reads the disk, shares the parsing among processes and
decides what is taken from the cache and what is stored in it.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from kg.cache import Cache, content_hash, is_racy
from kg.config import Config, load_config
from kg.errors import VaultNotFound
from kg.model import Canvas, Note, Problem, Span
from kg.obsidian import app_settings
from kg.parse import note_title, parse_note
from kg.parse.canvas import is_canvas, parse_canvas
from kg.scan import Skipped, decode, excluded, read_bytes, scan
from kg.vault import Columns, Vault, is_note, resolve_share
from kg.workers import Answer, in_child, interrupts_deferred, resident_bytes, start_worker

__all__ = ["PARALLEL_NOTES", "Loaded", "Progress", "load_vault", "parse_file", "read_vault", "resolver_state"]


PARALLEL_NOTES = 400
"""From this many notes to parse, a process pool shares the work among the machine's cores."""

PARALLEL_LINKS = 20_000
"""From this many links to resolve, a forked child resolves a share of them (see :class:`_Share`)."""

SHARE_BUDGET = 512 * 2**20
"""Up to this much memory held by kg once its notes are read, a child may resolve a share of the
links: it touches the records of its share, whose pages copy-on-write then duplicates."""

CHILD_SHARE = 0.6
"""The part of the links a child resolves: this process also builds the references of all of them,
and takes the child's answer."""

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
            with interrupts_deferred():
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
                    with interrupts_deferred():  # submitting starts the workers
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
        the same size and mtime as when it was cached is not read again. None: no cache. The
        cache is written before this returns (see :func:`read_vault` to write it later).
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
        loaded = read_vault(path, config, cache_dir=cache_dir, jobs=jobs, progress=progress)
        if loaded.cache is not None:
            loaded.cache.save()
    return loaded.vault


@dataclass(slots=True)
class Loaded:
    """A vault read from disk, and its cache with what the read changed, not yet written."""

    vault: Vault
    cache: Cache | None
    """None without a cache folder; else call its :meth:`~kg.cache.Cache.save` (in this process,
    or in another one that shares this one's memory, as the ``kg`` command does while it lints)."""


def read_vault(
    path: str | os.PathLike[str],
    config: Config | None = None,
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> Loaded:
    """Read the vault at ``path`` as :func:`load_vault` does, but leave the cache unwritten.

    Takes the same parameters and raises the same errors as :func:`load_vault`.

    Returns
    -------
    Loaded
        The vault, and the cache to save (None without ``cache_dir``).
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
) -> Loaded:
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
    share = _Share.start(present, notes, config, known or {}, jobs) if jobs != 1 else None
    try:
        vault = Vault(notes, present, config=config, root=root, skipped=sorted(skipped, key=lambda s: s.path),
                      excluded=left_out, known=known, canvases=canvases,
                      show_unsupported=app_settings(root).get("showUnsupportedFiles") is True, resolved=share)
    finally:
        if share is not None:
            share.cancel()
    if cache is not None:
        for rel, results in vault.resolutions(vault.resolved_afresh):
            cache.store_resolutions(rel, state, results)
        cache.keep_only([*notes, *canvases])
    return Loaded(vault, cache)


class _Share(Mapping[str, Columns]):
    """The resolutions of the links of the last notes (in path order), worked out by a forked
    child while the :class:`~kg.vault.Vault` resolves the others; waited for when the vault
    reaches the first of them. Worked out here if the child gives no answer."""

    def __init__(self, files: list[str], notes: Mapping[str, Note], config: Config, paths: list[str]):
        self._paths = set(paths)
        self._inputs = (files, notes, config, paths)
        self._answer: Answer[dict[str, Columns]] | None = in_child(lambda: resolve_share(*self._inputs))
        self._resolved: dict[str, Columns] | None = None

    @classmethod
    def start(cls, files: list[str], notes: Mapping[str, Note], config: Config, known: Mapping[str, Columns],
              jobs: int | None) -> _Share | None:
        """A child resolving a share of the links of the notes not in ``known``; None when there
        are too few of them, one core, or too little memory to spare."""
        todo = [path for path in sorted(notes) if path not in known]
        links = sum(len(notes[path].links) for path in todo)
        if links < PARALLEL_LINKS or _jobs(len(notes), jobs) < 2 or resident_bytes() > SHARE_BUDGET:
            return None
        left = links * CHILD_SHARE
        first = len(todo)
        while first > 0 and left > 0:
            first -= 1
            left -= len(notes[todo[first]].links)
        return cls(files, notes, config, todo[first:])

    def _all(self) -> dict[str, Columns]:
        if self._resolved is None:
            answer, self._answer = self._answer, None
            found = answer.result() if answer is not None else None
            self._resolved = found if found is not None else resolve_share(*self._inputs)
        return self._resolved

    def __getitem__(self, path: str) -> Columns:
        if path not in self._paths:
            raise KeyError(path)
        return self._all()[path]

    def __contains__(self, path: object) -> bool:
        return path in self._paths

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._paths))

    def __len__(self) -> int:
        return len(self._paths)

    def cancel(self) -> None:
        """Stop the child if its answer was never taken (the vault was not built)."""
        if self._answer is not None:
            self._answer.cancel()
            self._answer = None


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
