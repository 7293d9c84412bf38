"""Link resolution as Obsidian does it (spec section C), and subpath checks (section D)."""

from __future__ import annotations

import posixpath
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from contextlib import contextmanager
from functools import lru_cache

from kg.config import Config
from kg.model import Heading, Link, LinkKind, Note

__all__ = ["Resolution", "Resolver", "fold", "heading_key", "join_clamped", "outlines_kept", "subpath_status"]


def fold(text: str) -> str:
    """The form names are compared in: NFC, then lower-cased as JavaScript does (not casefold).

    >>> fold("Cafe\\u0301.MD") == fold("café.md"), fold("Straße")
    (True, 'straße')
    """
    return unicodedata.normalize("NFC", text).lower()


@dataclass(frozen=True, slots=True)
class Resolution:
    """Where one linkpath leads from one source note."""

    path: str | None
    """The vault path of the file it resolves to, or None."""
    match: str | None
    """How: ``exact``, ``relative``, ``folder``, ``name``, ``suffix``, ``alias`` or ``self``; None if unresolved."""
    candidates: tuple[str, ...] = ()
    """For a bare name: every file the name fits, sorted (more than one means ambiguous)."""
    alias_of: tuple[str, ...] = ()
    """Notes that declare the linkpath as an alias, when no file matched."""
    ghost: str | None = None
    """For an unresolved link: the key of its ghost node (NFC linkpath; relative ones made vault-absolute)."""


_FROM_SOURCE = object()
"""A plan that says: resolve this linkpath afresh for each source folder."""

_SCANNED = 4
"""Up to how many files a bare name may fit for a link to it to try them one by one; a name more
files share keeps its answer per source folder instead."""


@dataclass(slots=True)
class _ByFolder:
    """The plan of a bare name that fits files but no exact path: the shortest file of the name in
    the source's folder wins, else the shortest of all (spec C3.2-3)."""

    shortest: Resolution
    """The answer from the vault root, or from a folder that holds no file of the name."""
    ranked: list[tuple[str, Resolution]]
    """(folded path, its ``folder`` answer) for each file of the name, shortest path first."""
    chosen: dict[str, Resolution] = field(default_factory=dict)
    """Folded folder -> the answer: kept only for a name more than :data:`_SCANNED` files share."""

    def pick(self, prefix: str) -> Resolution:
        """The answer for a source whose folded folder is ``prefix`` (not empty).

        The test is Obsidian's: a plain, case-insensitive string prefix, so the folder's subfolders
        count, and so does a sibling folder that shares the prefix (``ab/`` for ``a``)."""
        if len(self.ranked) > _SCANNED:
            found = self.chosen.get(prefix)
            if found is None:
                found = self.chosen[prefix] = self._scan(prefix)
            return found
        for folded, local in self.ranked:  # _scan inline: this runs per link
            if folded.startswith(prefix):
                return local
        return self.shortest

    def _scan(self, prefix: str) -> Resolution:
        return next((local for folded, local in self.ranked if folded.startswith(prefix)), self.shortest)


class Resolver:
    """Resolves linkpaths against a fixed set of files and aliases."""

    def __init__(self, files: Iterable[str], aliases: Mapping[str, Sequence[str]], config: Config):
        self.config = config
        self._paths: dict[str, list[str]] = {}
        self._names: dict[str, list[str]] = {}
        for path in sorted(files):
            key = fold(path)
            self._paths.setdefault(key, []).append(path)
            name = posixpath.basename(key)
            self._names.setdefault(name, []).append(path)
            if name.endswith(".md"):
                self._names.setdefault(name[:-3], []).append(path)
        # per name, computed once: a name thousands of files share must not cost that much per link
        self._candidates = {name: tuple(paths) for name, paths in self._names.items()}
        self._shortest = {name: min(paths, key=_shortest_first) for name, paths in self._names.items()}
        self._folded: dict[str, str] = {}
        """Folder -> its folded form."""
        self._plans: dict[str, Resolution | _ByFolder | object] = {}
        """Linkpath -> :meth:`_plan`."""
        self._by_name: dict[str, _ByFolder] = {}
        """Folded bare name -> its :class:`_ByFolder`, shared by every spelling of the name."""
        self._from_source: dict[tuple[str, str], Resolution] = {}
        """(linkpath, source folder) -> resolution, for the linkpaths planned :data:`_FROM_SOURCE`."""
        self._aliases: dict[str, list[str]] = {}
        for path in sorted(aliases):
            for alias in aliases[path]:
                owners = self._aliases.setdefault(fold(alias), [])
                if path not in owners:
                    owners.append(path)

    def _exact(self, linkpath: str) -> str | None:
        """A file at this vault path, ``.md`` optional; the exact spelling wins a case collision."""
        for key in (linkpath, linkpath + ".md"):
            found = self._paths.get(fold(key))
            if found:
                nfc = unicodedata.normalize("NFC", key)
                return next((p for p in found if unicodedata.normalize("NFC", p) == nfc), found[0])
        return None

    def forget(self) -> None:
        """Drop what resolving has memoised (plans per linkpath and per name, answers per source
        folder): a vault's links are resolved once, and at 100k notes the memos hold about a
        quarter of a GB the rules and the report can use. Later calls work them out again."""
        self._plans = {}
        self._by_name = {}
        self._from_source = {}
        self._folded = {}

    def resolve(self, linkpath: str, source: str) -> Resolution:
        """Resolve a linkpath written in the note at vault path ``source``.

        Apart from an empty linkpath (the note itself), the answer depends on the source's folder
        only, never on its file name: that is what lets it be worked out once per folder."""
        if not linkpath:
            return Resolution(source, "self")
        plan = self._plans.get(linkpath)
        if plan is None:
            plan = self._plans[linkpath] = self._plan(linkpath)
        folder = source.rpartition("/")[0]  # vault paths have no "//"
        if isinstance(plan, _ByFolder):  # most links: a bare name
            if not folder:
                return plan.shortest
            prefix = self._folded.get(folder)
            if prefix is None:
                prefix = self._folded[folder] = fold(folder)
            return plan.pick(prefix)
        if isinstance(plan, Resolution):
            return plan
        key = (linkpath, folder)  # planned from source
        found = self._from_source.get(key)
        if found is None:
            found = self._from_source[key] = self._resolve(linkpath, source)
        return found

    def resolve_link(self, link: Link, source: str, notes: Mapping[str, Note]) -> tuple[
        str | None, str | None, tuple[str, ...], tuple[str, ...], str | None, str | None
    ]:
        """What a link of the note at ``source`` resolves to, its subpath checked against
        ``notes``: (path, match, candidates, alias_of, ghost, subpath status)."""
        # a canvas names a file by its vault path: a leading slash asks for exactly that
        found = self.resolve("/" + link.target if link.kind is LinkKind.CANVAS_FILE else link.target, source)
        status = subpath_status(link, notes.get(found.path or ""), found.path) if link.subpath is not None else None
        return found.path, found.match, found.candidates, found.alias_of, found.ghost, status

    def _in_folder(self, name: str, folder: str) -> str | None:
        """The shortest file of this name whose path starts with ``folder`` (spec C3.2, see
        :meth:`_ByFolder.pick`), or None for a note at the root, where the shortest of all wins anyway."""
        return _first_in(self._names.get(name, ()), folder) if folder else None

    def _plan(self, linkpath: str) -> Resolution | _ByFolder | object:
        """What a linkpath resolves to wherever it is written: the resolution itself when no source
        folder can change it (an exact path, an unmatched name); for a bare name that fits files,
        a :class:`_ByFolder`; else :data:`_FROM_SOURCE`. Worked out once per linkpath, not once per link."""
        written = unicodedata.normalize("NFC", linkpath)
        if written.startswith(("./", "../", "/")) or written in (".", "..") or "/" in written:
            return _FROM_SOURCE
        name = fold(written)
        candidates = self._candidates.get(name, ())
        found = self._exact(written)
        if found:
            return Resolution(found, "exact", candidates)
        if candidates:  # no exact path: then none for any spelling of the name (paths are looked up folded)
            plan = self._by_name.get(name)
            if plan is None:
                ranked = sorted(candidates, key=_shortest_first)
                plan = self._by_name[name] = _ByFolder(
                    Resolution(self._shortest[name], "name", candidates),
                    [(fold(path), Resolution(path, "folder", candidates)) for path in ranked],
                )
            return plan
        if self._aliases.get(name) and self.config.resolve_aliases:
            return _FROM_SOURCE  # the alias owner in the source's folder wins
        return self._unresolved(written, "")

    def _resolve(self, linkpath: str, source: str) -> Resolution:
        written = unicodedata.normalize("NFC", linkpath)
        if written.startswith(("./", "../")) or written in (".", ".."):
            return self._relative(written, source)
        if written.startswith("/"):
            found = self._exact(written.lstrip("/"))
            return Resolution(found, "exact") if found else self._unresolved(written.lstrip("/"), source)
        name = fold(written)
        candidates = () if "/" in written else self._candidates.get(name, ())
        found = self._exact(written)
        if found:
            return Resolution(found, "exact", candidates)
        if candidates:
            local = self._in_folder(name, posixpath.dirname(source))
            if local is not None:
                return Resolution(local, "folder", candidates)
            return Resolution(self._shortest[name], "name", candidates)
        if "/" in written and posixpath.dirname(source):
            local = self._exact(join_clamped(posixpath.dirname(source), written))
            if local:
                return Resolution(local, "relative")
        return self._by_suffix(written, source) or self._unresolved(written, source)

    def _relative(self, written: str, source: str) -> Resolution:
        """``./`` and ``../`` joined with the source's folder: that exact path, else the joined path's
        suffix match (spec C5: ``[[../Note]]`` from ``a/b/`` finds ``z/a/Note.md``), never the bare name."""
        joined = join_clamped(posixpath.dirname(source), written)
        found = self._exact(joined) if joined else None
        if found:
            return Resolution(found, "relative")
        by_suffix = self._by_suffix(joined, source) if joined else None
        return by_suffix or Resolution(None, None, ghost=joined or written)

    def _by_suffix(self, written: str, source: str) -> Resolution | None:
        """The file whose path ends with the linkpath (spec C4), or None (also when suffix matching
        is off)."""
        if not self.config.suffix_match:
            return None
        suffix = self._suffix(written, posixpath.dirname(source))
        return Resolution(suffix[0], "suffix", tuple(suffix)) if suffix else None

    def _suffix(self, written: str, folder: str) -> list[str]:
        """Files of the linkpath's name whose folded path ends with it, ``.md`` optional: a plain
        string test with no ``/`` boundary, as Obsidian's (``b/Note`` fits ``xb/Note.md``), ordered
        as names are (spec C3.2-3)."""
        tail = fold(written)
        names = self._names.get(posixpath.basename(tail), [])
        fits = sorted((p for p in names if fold(p).endswith((tail, tail + ".md"))), key=_shortest_first)
        first = _first_in(fits, folder) if folder else None
        return [first] + [p for p in fits if p != first] if first else fits

    def _unresolved(self, written: str, source: str) -> Resolution:
        owners = tuple(self._aliases.get(fold(written), ()))
        if owners and self.config.resolve_aliases:
            folder = posixpath.dirname(source)
            local = [o for o in owners if posixpath.dirname(o) == folder]
            best = local[0] if local else min(owners, key=lambda o: (len(o), o))
            return Resolution(best, "alias", alias_of=owners)
        return Resolution(None, None, alias_of=owners, ghost=written)


def _shortest_first(path: str) -> tuple[int, str]:
    """Sort key of candidates: the shortest path string first, ties in path order (spec C3.3-4)."""
    return len(path), path


def _first_in(paths: Iterable[str], folder: str) -> str | None:
    """The shortest path that starts, folded, with the folded ``folder`` (spec C3.2), or None."""
    prefix = fold(folder)
    inside = [path for path in paths if fold(path).startswith(prefix)]
    return min(inside, key=_shortest_first) if inside else None


def join_clamped(folder: str, relative: str) -> str:
    """Join a relative path to a vault folder; ``..`` never climbs above the vault root.

    Obsidian resolves ``../`` segment by segment and stops at the root, so a link with one ``..``
    too many still finds its file; nothing outside the vault is ever named.

    >>> join_clamped("Docs", "../../images/a.png"), join_clamped("a/b", "./c/../d")
    ('images/a.png', 'a/b/d')
    """
    parts = [p for p in folder.split("/") if p]
    for segment in relative.split("/"):
        if segment == "..":
            if parts:
                parts.pop()
        elif segment not in ("", "."):
            parts.append(segment)
    return "/".join(parts)


@lru_cache(maxsize=8192)
def heading_key(text: str) -> str:
    """Heading text as Obsidian compares it: anything but letters, digits, ``_`` and ``-`` is a space.

    >>> heading_key("TCP/IP  Model "), heading_key("TCP IP Model")
    ('TCP IP Model', 'TCP IP Model')
    """
    kept = "".join(ch if ch.isalnum() or ch in "_-" else " " for ch in text)
    return " ".join(kept.split())


@dataclass(frozen=True, slots=True)
class _Outline:
    """A note's headings, prepared once for every link into them."""

    ends: tuple[int, ...]
    """For each heading, the index of the next heading at its level or above (where its section ends)."""
    exact: Mapping[str, list[int]]
    """Heading key -> the indices of the headings with that key, in order."""
    folded: Mapping[str, list[int]]
    """The same, keys lower-cased."""


_OUTLINES: dict[int, tuple[Sequence[Heading], _Outline]] | None = None
"""While :func:`outlines_kept` is in force: ``id(headings)`` -> (headings, outline); the headings
are kept with it, so their id cannot be reused."""


@contextmanager
def outlines_kept() -> Iterator[None]:
    """Within this block, each note's outline is computed once however many links point into it
    (a vault resolving all its links); outside, nothing is kept between calls."""
    global _OUTLINES
    outer = _OUTLINES
    _OUTLINES = {} if outer is None else outer
    try:
        yield
    finally:
        _OUTLINES = outer


def _outline(headings: Sequence[Heading]) -> _Outline:
    """The outline of a note's headings, computed once per note inside :func:`outlines_kept`
    (checking a link must not cost a pass over all headings: a long note with a table of contents
    would cost links x headings)."""
    cached = _OUTLINES.get(id(headings)) if _OUTLINES is not None else None
    if cached is not None and cached[0] is headings:
        return cached[1]
    ends = [len(headings)] * len(headings)
    open_sections: list[int] = []
    exact: dict[str, list[int]] = {}
    folded: dict[str, list[int]] = {}
    for index, heading in enumerate(headings):
        while open_sections and headings[open_sections[-1]].level >= heading.level:
            ends[open_sections.pop()] = index
        open_sections.append(index)
        key = heading_key(heading.text)
        exact.setdefault(key, []).append(index)
        folded.setdefault(key.lower(), []).append(index)
    outline = _Outline(tuple(ends), exact, folded)
    if _OUTLINES is not None:
        _OUTLINES[id(headings)] = (headings, outline)
    return outline


def _chain_found(chain: Sequence[str], headings: Sequence[Heading], key: str) -> bool:
    """Whether each heading of the chain stands, in order, inside the previous one's section."""
    outline = _outline(headings)
    wanted = [heading_key(part) for part in chain]
    spots = outline.exact
    if key == "fold":
        wanted, spots = [w.lower() for w in wanted], outline.folded
    return _search(wanted, spots, outline.ends, 0, len(headings), 0)


def _search(wanted: list[str], spots: Mapping[str, list[int]], ends: Sequence[int], start: int, stop: int,
            depth: int) -> bool:
    """Whether ``wanted[depth:]`` is found as a chain of headings between ``start`` and ``stop``.
    A module function, not a closure: a recursive closure is a reference cycle, which the paused
    collector would leave in memory with the outline it holds until the vault is read."""
    found = spots.get(wanted[depth], [])
    for index in found[bisect_left(found, start):]:
        if index >= stop:
            return False
        if depth == len(wanted) - 1 or _search(wanted, spots, ends, index + 1, ends[index], depth + 1):
            return True
    return False


def subpath_status(link: Link, target: Note | None, target_path: str | None) -> str | None:
    """``ok``, ``case-mismatch``, ``missing-heading``, ``missing-block`` or ``not-checked``; None when
    there is nothing to check (no subpath, or an unresolved target)."""
    if link.subpath is None or target_path is None:
        return None
    if not target_path.lower().endswith(".md") or target is None:
        return "not-checked"
    block = link.block_id
    if block is not None:
        block = block.lower()  # Obsidian keys block ids in lower case and lower-cases the subpath
        return "ok" if any(b.id.lower() == block for b in target.blocks) else "missing-block"
    chain = link.heading_chain
    if not chain:
        return None
    if _chain_found(chain, target.headings, "exact"):
        return "ok"
    return "case-mismatch" if _chain_found(chain, target.headings, "fold") else "missing-heading"
