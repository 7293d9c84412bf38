"""Writing into the vault: atomic file replacement, moves, and a journal that undoes them all."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

__all__ = ["Journal", "write_atomic"]


def _write_all(handle: int, data: bytes) -> None:
    """Write every byte of ``data`` to a file descriptor (``os.write`` may write fewer)."""
    view = memoryview(data)
    while view:
        view = view[os.write(handle, view):]


def write_atomic(path: Path, data: bytes) -> None:
    """Replace the file at ``path`` by ``data`` in one step: a temporary file in the same folder
    (hidden, so a vault scan never takes it for a note), flushed to disk, given the file's
    permissions, then renamed over it. On any failure the file is as it was and no temporary
    file is left. Raises OSError."""
    mode = stat.S_IMODE(os.stat(path).st_mode)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name[:100]}.", suffix=".kg-tmp", dir=path.parent)
    try:
        _write_all(handle, data)
        os.fsync(handle)
        os.close(handle)
        handle = -1
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        if handle >= 0:
            os.close(handle)
        if os.path.lexists(temp):
            os.unlink(temp)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename) to disk, where the system allows it."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


class Journal:
    """What has been done to the vault so far, to undo it all in reverse order."""

    def __init__(self, root: Path):
        self.root = root
        self._undo: list[Callable[[], None]] = []

    def write(self, rel: str, data: bytes, original: bytes) -> None:
        """Replace a file's content (it held ``original``)."""
        path = self.root / rel
        info = os.stat(path)
        write_atomic(path, data)
        self._undo.append(lambda: _restore(path, original, info))

    def move(self, old: str, new: str) -> None:
        """Rename a file or folder; make the folders the new path needs, and remove the ones the
        old path leaves empty."""
        source, target = self.root / old, self.root / new
        self._make_parents(target.parent)
        if os.path.lexists(target):
            raise FileExistsError(f"'{new}' exists")
        os.rename(source, target)
        self._undo.append(lambda: os.rename(target, source))
        _sync_folder(source.parent)
        _sync_folder(target.parent)
        self._remove_empty(source.parent)

    def _make_parents(self, folder: Path) -> None:
        missing = []
        while folder != self.root and not folder.exists():
            missing.append(folder)
            folder = folder.parent
        for made in reversed(missing):
            os.mkdir(made)
            self._undo.append(lambda made=made: os.rmdir(made))

    def _remove_empty(self, folder: Path) -> None:
        while folder != self.root and _empty(folder):
            os.rmdir(folder)
            self._undo.append(lambda folder=folder: os.mkdir(folder))
            folder = folder.parent

    def undo(self) -> list[str]:
        """Undo everything, last first; the errors of steps that could not be undone."""
        errors = []
        while self._undo:
            step = self._undo.pop()
            try:
                step()
            except OSError as exc:
                errors.append(f"{exc.strerror or exc}: {exc.filename or ''}".strip())
        return errors


def _empty(folder: Path) -> bool:
    with os.scandir(folder) as entries:
        return next(entries, None) is None


def _restore(path: Path, data: bytes, info: os.stat_result) -> None:
    """Put a file's old content back, and its old times: a tool that goes by mtime sees no change."""
    write_atomic(path, data)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
