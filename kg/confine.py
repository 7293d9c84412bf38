"""Reading a vault's notes again after it was loaded, never outside its root.

The formats that quote a note (``kg lint --format full``, the excerpts of the HTML map) read the file
a second time. They may only read what the vault itself read as a note: never a path it left out
(a symlink that leaves the vault), never a file whose real location is outside the root.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import TYPE_CHECKING

from kg.scan import decode

if TYPE_CHECKING:
    from kg.vault import Vault

__all__ = ["NoteReader", "inside", "note_text"]

_READ = os.O_RDONLY | getattr(os, "O_BINARY", 0)
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
"""Makes ``os.open`` fail on a symlink (0 where the system has no such flag: Windows)."""
_IS_SYMLINK = {errno.ELOOP, errno.EMLINK}
"""What ``os.open`` with ``O_NOFOLLOW`` fails with on a symlink: ELOOP (Linux, macOS), EMLINK (FreeBSD)."""


def inside(path: str | os.PathLike[str], folder: str | os.PathLike[str]) -> bool:
    """Whether ``path``, symlinks resolved, is ``folder`` or stands under it.

    >>> inside("/srv/vault/a/../b.md", "/srv/vault"), inside("/srv/vault/../x.md", "/srv/vault")
    (True, False)
    """
    real, top = os.path.realpath(path), os.path.realpath(folder)
    return os.path.commonpath([real, top]) == top


class NoteReader:
    """Reads the notes and canvases of one vault again, each only if its real location is inside the root.

    Made for reading many notes: each folder's real location is found once, and a file's own only
    when the file is a symlink (it is opened without following one), so that a thousand notes cost
    a thousand opens rather than a thousand resolutions of every folder on their paths. Make one
    per pass over the vault: a folder is not checked again.
    """

    __slots__ = ("_folders", "_top", "_vault")

    def __init__(self, vault: Vault) -> None:
        self._vault = vault
        self._top = os.path.realpath(vault.root) if vault.root is not None else ""
        self._folders: dict[str, bool] = {}

    def _inside(self, path: str) -> bool:
        return os.path.commonpath([os.path.realpath(path), self._top]) == self._top

    def _folder_inside(self, folder: str) -> bool:
        if folder not in self._folders:
            self._folders[folder] = self._inside(folder)
        return self._folders[folder]

    def _read(self, file: str) -> bytes | None:
        """The bytes of ``file`` (a path under the root) if it really lies inside the root.

        The file is opened without following a symlink; only a symlink is resolved, and then
        followed if it leads inside.
        """
        if not self._folder_inside(os.path.dirname(file)):
            return None
        if not _NO_FOLLOW and os.path.islink(file) and not self._inside(file):  # a system without O_NOFOLLOW
            return None
        try:
            handle = os.open(file, _READ | _NO_FOLLOW)
        except OSError as error:
            if not _NO_FOLLOW or error.errno not in _IS_SYMLINK or not self._inside(file):
                return None
            try:
                handle = os.open(file, _READ)
            except OSError:
                return None
        with open(handle, "rb") as stream:
            return stream.read()

    def stat(self, path: str) -> tuple[int, int] | None:
        """The size and mtime (ns) of the note or canvas at vault path ``path``, if its file is a
        regular file (not a symlink) in a folder whose real location is inside the root: what
        :meth:`text` reads of such a file is known by them. None for any other path."""
        vault = self._vault
        if vault.root is None or (path not in vault.notes and path not in vault.canvases):
            return None
        file = os.path.join(vault.root, path)
        if not self._folder_inside(os.path.dirname(file)):
            return None
        try:
            info = os.lstat(file)
        except OSError:
            return None
        return (info.st_size, info.st_mtime_ns) if stat.S_ISREG(info.st_mode) else None

    def text(self, path: str) -> str | None:
        """The text of the note or canvas at vault path ``path``, a leading BOM dropped.

        None for a path that is not a note or canvas the vault read, a vault built in memory, a
        file whose real location is outside the vault root, and a file that is binary or cannot be
        read any more.
        """
        vault = self._vault
        if vault.root is None or (path not in vault.notes and path not in vault.canvases):
            return None
        try:
            data = self._read(os.path.join(vault.root, path))
        except OSError:
            return None
        text = decode(data)[0] if data is not None else None
        return text.lstrip("\ufeff") if text is not None else None


def note_text(vault: Vault, path: str) -> str | None:
    """The text of one of the vault's notes or canvases, read again from disk (a leading BOM dropped).

    None for a path that is not a note or canvas the vault read, a vault built in memory, a file whose real
    location is outside the vault root, and a file that is binary or cannot be read any more. To read
    many, use one :class:`NoteReader`.
    """
    return NoteReader(vault).text(path)
