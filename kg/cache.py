"""A persistent cache of parsed notes and of whole answers, kept outside the vault.

Files per (vault, kg version, configuration) in the cache folder: ``--cache-dir``, else
``$KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/kg``, else ``~/.cache/kg``. It holds

- each note and canvas as parsed (spread over :data:`SHARDS` files, so that an edit rewrites one), with the
  size and modification time of the file it came from; a note is
  reused only while both match (and, for a file changed within two seconds of the cache being
  written, where a later change could keep the same mtime, while its content hash matches too);
- answers memoised under a key, one file each, with the fingerprint of the whole vault (every file's
  path, size and mtime): ``kg lint`` on an unchanged vault prints its stored report, and a hierarchy
  query reads the vault's :class:`~kg.snapshot.Snapshot`, without reading a note.

The cache is an optimisation, never a source of truth. A file that is corrupt, truncated, written
by another kg version or for another vault, or that holds anything but kg's own records (the
unpickler admits a short list of classes) is ignored and rebuilt, never fatal. It is written to a
temporary file and renamed over the old one, so concurrent runs never see a half-written cache: the
last writer wins. A cache folder inside the vault is refused, since kg never writes into a vault.
"""

from __future__ import annotations

import copyreg
import hashlib
import importlib
import io
import os
import pickle
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from types import MappingProxyType
from typing import Any

from kg import model
from kg.config import Config

__all__ = ["Cache", "content_hash", "default_cache_dir", "fingerprint", "is_racy", "vault_fingerprint"]

FORMAT = 7
"""Bumped whenever the layout of the file or of the records changes, or what the parser reads from
the same text (6: math, footnotes, block comments, top-level headings, block ids at a block's end;
7: canvases cached beside notes)."""
SHARDS = 32
"""The parsed notes are spread over this many files, so that one edited note rewrites one of them."""
_NOTES = "\0notes"
"""What :meth:`Cache.save` calls a notes shard among the answers' keys (no key starts with NUL)."""
_TEMPORARY = ".kg-"
"""How the name of a cache file being written starts; then the writer's pid, ``-``, a random part, ``.tmp``."""
RACY_NS = 2_000_000_000
"""A file modified this close to the cache's writing may change again with the same mtime."""

_ALLOWED = {
    ("kg.model", name) for name in (
        "_restore_note", "Note", "Link", "LinkKind", "Span", "Heading", "Block", "Comment", "Problem", "Canvas", "CanvasLink"
    )
} | {
    ("builtins", "set"),
    ("builtins", "frozenset"),
    ("builtins", "bytes"),
    ("builtins", "complex"),
    ("kg.cache", "_proxy"),
    ("kg.snapshot", "_restore"),
    ("kg.snapshot", "FirstHeading"),
    ("datetime", "date"),
    ("datetime", "datetime"),
    ("datetime", "time"),
    ("datetime", "timedelta"),
    ("datetime", "timezone"),
}


def default_cache_dir() -> Path:
    """``$KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/kg``, else ``~/.cache/kg``."""
    if os.environ.get("KG_CACHE_DIR"):
        return Path(os.environ["KG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kg"


def fingerprint(stats: Iterable[tuple[str, int, int]]) -> str:
    """A digest of ``(path, size, mtime_ns)`` for every file: equal digests, an unchanged vault."""
    digest = hashlib.blake2b(digest_size=16)
    for path, size, mtime in stats:
        digest.update(f"{path}\0{size}\0{mtime}\n".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def vault_fingerprint(root: str | os.PathLike[str]) -> str:
    """The fingerprint of a vault as it is now: every file kg reads (and ``.obsidian/app.json``,
    whose ignore filters lint honours), by path, size and mtime; what was skipped, and why."""
    from kg.scan import scan

    folder = Path(root)
    seen: dict[str, tuple[int, int]] = {}
    files, skipped = scan(folder, seen)
    stats = [(rel, *seen[rel]) for rel in files if rel in seen]
    try:
        info = os.stat(folder / ".obsidian/app.json")
        stats.append((".obsidian/app.json", info.st_size, info.st_mtime_ns))
    except OSError:
        pass
    stats += [(f"{item.path}\0{item.reason}", -1, -1) for item in skipped]
    return fingerprint(stats)


def code_digest(package: str | os.PathLike[str] | None = None) -> str:
    """A digest of kg's own code as installed: every module file (``.py``, and the compiled build's
    extension modules) under ``package`` (default: kg's folder), by path, size and mtime. Part of
    the cache's key, so that a cache written by other code (a checkout of another commit, an
    editable install after a pull, another build of the same version) is never read as this one's.
    Costs a walk of about a hundred files: a millisecond."""
    top = os.fspath(package) if package is not None else os.path.dirname(os.path.abspath(__file__))
    stats = []
    for folder, subfolders, names in os.walk(top):
        subfolders[:] = [name for name in subfolders if name != "__pycache__"]
        for name in names:
            if name.endswith(_CODE_SUFFIXES):
                path = os.path.join(folder, name)
                try:
                    info = os.stat(path)
                except OSError:
                    continue
                stats.append((os.path.relpath(path, top).replace(os.sep, "/"), info.st_size, info.st_mtime_ns))
    return fingerprint(sorted(stats))


_CODE_SUFFIXES = (".py", ".so", ".pyd")


def content_hash(data: bytes) -> str:
    """The hash that stands in for a modification time that cannot be trusted."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def is_racy(mtime: int) -> bool:
    """Whether a file with this mtime may still change without its mtime changing."""
    return mtime >= time.time_ns() - RACY_NS


_CODE: list[str] = []
"""kg's :func:`code_digest`, worked out once a process."""


def _own_code() -> str:
    if not _CODE:
        _CODE.append(code_digest())
    return _CODE[0]


def _proxy(mapping: dict[str, Any]) -> MappingProxyType[str, Any]:
    return MappingProxyType(mapping)


# A note's frontmatter is a read-only mapping that pickle cannot name: pickle it as a dict wrapped
# again on loading, for the cache file and for the notes that pool workers send back.
copyreg.pickle(MappingProxyType, lambda mapping: (_proxy, (dict(mapping),)))


_CACHE_REDUCERS = {
    **copyreg.dispatch_table,
    model.Note: lambda note: (model._restore_note, (model._note_fields(note), False)),
}
"""How the cache pickles: as everywhere, but a note is restored without interning its strings
(see :func:`kg.model._restore_note`)."""


class _Unpickler(pickle.Unpickler):
    """Builds kg's records and plain data, and nothing else: a cache file cannot run code.

    An allowed class is found by its module's name, imported if need be: the cache knows the
    records it keeps (snapshots, answers) by name only, not the modules that make them."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a kg cache")
        return getattr(importlib.import_module(module), name)


class Cache:
    """The cache of one vault read with one configuration.

    Parameters
    ----------
    folder : path-like
        The cache folder; created when the cache is first saved.
    root : path-like
        The vault's root folder.
    config : Config
        The options the vault is read with: another configuration has another cache file.
    """

    def __init__(self, folder: str | os.PathLike[str], root: str | os.PathLike[str], config: Config):
        from kg import __version__  # here: kg/__init__.py imports this module before it sets the version

        self.folder = Path(folder)
        real_root = os.path.realpath(root)
        key = f"{FORMAT}\0{__version__}\0{_own_code()}\0{real_root}\0{config!r}"
        stem = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()
        self._stem = stem
        self._key = key
        self._notes: list[dict[str, tuple[int, int, str | None, "model.Note | model.Canvas", Any]]] | None = None
        self._answers: dict[str, tuple[str, Any]] = {}
        """Memo key -> (vault fingerprint, answer), for the answers read or remembered this run."""
        self._dirty: set[str] = set()
        inside = os.path.commonpath([os.path.realpath(self.folder), real_root]) == real_root
        self.enabled = not inside
        """False when the folder lies inside the vault: nothing is then read or written."""

    def _shard_path(self, number: int) -> Path:
        return self.folder / f"{self._stem}.notes-{number:02d}.pickle"

    @staticmethod
    def _shard(path: str) -> int:
        return hashlib.blake2b(path.encode("utf-8", "surrogatepass"), digest_size=2).digest()[0] % SHARDS

    def _shards(self) -> list[dict[str, tuple[int, int, str | None, "model.Note | model.Canvas", Any]]]:
        """The notes, shard by shard: vault path -> (size, mtime_ns, content hash or None, note,
        (resolver state, what its links resolved to) or None).
        Read on first use; a shard whose notes hash to another shard is foreign and dropped."""
        if self._notes is None:
            shards = []
            for number in range(SHARDS):
                items = self._load(self._shard_path(number))
                good = all(isinstance(path, str) and self._shard(path) == number for path in items)
                shards.append(items if good else {})
            self._notes = shards
        return self._notes

    def _entry(self, path: str) -> tuple[int, int, str | None, "model.Note | model.Canvas", Any] | None:
        return self._shards()[self._shard(path)].get(path)

    def _answer_path(self, key: str) -> Path:
        """Each answer has a file of its own: a warm run reads only the one it needs."""
        name = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
        return self.folder / f"{self._stem}.{name}.answer.pickle"

    def _load(self, path: Path) -> dict[str, Any]:
        if not self.enabled:
            return {}
        try:
            with open(path, "rb") as handle:
                data = _Unpickler(io.BytesIO(handle.read())).load()
            if isinstance(data, dict) and data.get("key") == self._key and isinstance(data.get("items"), dict):
                return data["items"]  # type: ignore[no-any-return]
        except Exception:  # noqa: BLE001  (missing, truncated, corrupt or foreign: rebuilt, never fatal)
            pass
        return {}

    def note(self, path: str, size: int, mtime: int, data: bytes | None = None) -> model.Note | None:
        """The cached note for a file of this size and mtime, or None.

        ``data`` (the file's bytes) is needed only for an entry whose mtime cannot be trusted;
        pass None and such an entry counts as a miss.
        """
        note = self._fresh(path, size, mtime, data)
        return note if isinstance(note, model.Note) else None

    def canvas(self, path: str, size: int, mtime: int, data: bytes | None = None) -> model.Canvas | None:
        """The cached canvas for a file of this size and mtime, or None; see :meth:`note`."""
        canvas = self._fresh(path, size, mtime, data)
        return canvas if isinstance(canvas, model.Canvas) else None

    def _fresh(self, path: str, size: int, mtime: int, data: bytes | None) -> object:
        """The record cached for a file of this size and mtime (and content, if racy), or None."""
        entry = self._entry(path)
        if not (isinstance(entry, tuple) and len(entry) == 5) or entry[0] != size or entry[1] != mtime:
            return None
        if entry[2] is not None and (data is None or content_hash(data) != entry[2]):
            return None
        return entry[3]

    def needs_content(self, path: str) -> bool:
        """Whether the entry for ``path`` can only be trusted after its content is hashed."""
        entry = self._entry(path)
        return isinstance(entry, tuple) and len(entry) == 5 and entry[2] is not None

    def store(self, path: str, size: int, mtime: int, note: model.Note | model.Canvas, digest: str | None) -> None:
        """Remember a freshly parsed note or canvas; ``digest`` is its content hash when :func:`is_racy`."""
        number = self._shard(path)
        self._shards()[number][path] = (size, mtime, digest, note, None)
        self._dirty.add(f"{_NOTES}{number:02d}")

    def resolutions(self, path: str, state: str) -> tuple[Any, ...] | None:
        """What the links of the (unchanged) note at ``path`` resolved to when the vault's files
        and aliases had the digest ``state``; None if they were not resolved in that state."""
        entry = self._entry(path)
        stored = entry[4] if isinstance(entry, tuple) and len(entry) == 5 else None
        if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == state and isinstance(stored[1], tuple):
            return stored[1]
        return None

    def store_resolutions(self, path: str, state: str, results: tuple[Any, ...]) -> None:
        """Remember what the links of the note at ``path`` (already stored) resolved to."""
        number = self._shard(path)
        entry = self._shards()[number].get(path)
        if isinstance(entry, tuple) and len(entry) == 5:
            self._shards()[number][path] = (*entry[:4], (state, results))
            self._dirty.add(f"{_NOTES}{number:02d}")

    def keep_only(self, paths: Iterable[str]) -> None:
        """Forget the notes and canvases of files that are gone."""
        present = set(paths)
        for number, shard in enumerate(self._shards()):
            for path in [path for path in shard if path not in present]:
                del shard[path]
                self._dirty.add(f"{_NOTES}{number:02d}")

    def answer(self, key: str, vault_fingerprint: str) -> Any:
        """The answer remembered under ``key`` for this very vault state, or None."""
        if key not in self._answers:
            stored = self._load(self._answer_path(key)).get(key)
            if isinstance(stored, tuple) and len(stored) == 2:
                self._answers[key] = stored
        entry = self._answers.get(key)
        return entry[1] if entry is not None and entry[0] == vault_fingerprint else None

    def remember(self, key: str, vault_fingerprint: str, answer: Any) -> None:
        """Remember an answer (plain data and kg records only) for this vault state."""
        self._answers[key] = (vault_fingerprint, answer)
        self._dirty.add(key)

    def save(self) -> None:
        """Write what changed; a failure to write is silently skipped (the cache is optional)."""
        if not self.enabled:
            return
        if self._dirty:
            _remove_orphans(self.folder)
        for name in sorted(self._dirty):
            if name.startswith(_NOTES):
                number = int(name[len(_NOTES) :])
                self._write(self._shard_path(number), self._shards()[number])
            elif self._write(self._answer_path(name), {name: self._answers[name]}):
                del self._answers[name]  # on disk now, and read again from there if asked for (a snapshot is large)
        self._dirty.clear()

    def _write(self, path: Path, items: dict[str, Any]) -> bool:
        """Write ``items`` to ``path`` atomically, pickled straight into a temporary file (no copy
        in memory); whether it was written."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=f"{_TEMPORARY}{os.getpid()}-", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as out:
                    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
                    pickler.dispatch_table = _CACHE_REDUCERS
                    pickler.dump({"key": self._key, "items": items})
                os.replace(temporary, path)  # atomic: a concurrent reader sees the old file or the new
            except BaseException:
                os.unlink(temporary)
                raise
        except OSError:
            return False
        return True


def _remove_orphans(folder: Path) -> None:
    """Remove the temporary files that a kg killed while writing (SIGKILL) left in ``folder``: those
    whose writer's process is gone. Another kg that is writing keeps its own."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        pid = name[len(_TEMPORARY) :].partition("-")[0]
        if name.startswith(_TEMPORARY) and name.endswith(".tmp") and pid.isdigit() and not _alive(int(pid)):
            try:
                os.unlink(folder / name)
            except OSError:
                pass


def _alive(pid: int) -> bool:
    """Whether a process with this pid exists (a reused pid only keeps an orphan for a later run)."""
    if os.name == "nt":  # os.kill there would end the process, not probe it
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, owned by someone else
        return True
    return True
