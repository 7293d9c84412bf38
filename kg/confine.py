"""Reading a vault's notes again after it was loaded, never outside its root.

The formats that quote a note (``kg lint --format full``, the excerpts of the HTML map) read the file
a second time. They may only read what the vault itself read as a note: never a path it left out
(a symlink that leaves the vault), never a file whose real location is outside the root.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from kg.scan import read_text

if TYPE_CHECKING:
    from kg.vault import Vault

__all__ = ["inside", "note_text"]


def inside(path: str | os.PathLike[str], folder: str | os.PathLike[str]) -> bool:
    """Whether ``path``, symlinks resolved, is ``folder`` or stands under it.

    >>> inside("/srv/vault/a/../b.md", "/srv/vault"), inside("/srv/vault/../x.md", "/srv/vault")
    (True, False)
    """
    real, top = os.path.realpath(path), os.path.realpath(folder)
    return os.path.commonpath([real, top]) == top


def note_text(vault: Vault, path: str) -> str | None:
    """The text of one of the vault's notes or canvases, read again from disk (a leading BOM dropped).

    None for a path that is not a note or canvas the vault read, a vault built in memory, a file whose real
    location is outside the vault root, and a file that is binary or cannot be read any more.
    """
    if vault.root is None or (path not in vault.notes and path not in vault.canvases):
        return None
    file = os.path.join(vault.root, path)
    if not inside(file, vault.root):
        return None
    try:
        text = read_text(Path(file))[0]
    except OSError:
        return None
    return text.lstrip("\ufeff") if text is not None else None
