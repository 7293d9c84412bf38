"""What Obsidian itself shows of a vault: its settings file and the file types it opens.

Obsidian keeps the vault's settings in ``.obsidian/app.json``: kg honours ``userIgnoreFilters``
(Settings > Excluded files, see :mod:`kg.lint.suppress`) and ``showUnsupportedFiles`` (Settings >
Files and links > Show all file types, spec A2.1).
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from kg.confine import inside

__all__ = ["ACCEPTED_EXTENSIONS", "app_settings", "is_accepted"]

ACCEPTED_EXTENSIONS = frozenset({
    "md", "base", "canvas", "pdf",
    "avif", "bmp", "gif", "jpeg", "jpg", "png", "svg", "webp",
    "flac", "m4a", "mp3", "ogg", "wav", "webm", "3gp",
    "mkv", "mov", "mp4", "ogv",
})
"""The extensions Obsidian opens natively (Help: Accepted file formats; spec A2), lower case."""

_NONE: Mapping[str, object] = MappingProxyType({})


def app_settings(root: Path | None) -> Mapping[str, object]:
    """The vault's ``.obsidian/app.json`` as a mapping; empty when there is none, it is no JSON
    object, or it stands outside the vault (``.obsidian`` or the file may be a symlink to anywhere)."""
    if root is None:
        return _NONE
    path = root / ".obsidian" / "app.json"
    try:
        readable = path.is_file() and not path.is_symlink() and inside(path, root)
        data = json.loads(path.read_text(encoding="utf-8")) if readable else None
    except (OSError, ValueError):
        return _NONE
    return MappingProxyType(data) if isinstance(data, dict) else _NONE


def is_accepted(path: str) -> bool:
    """Whether Obsidian shows a file of this type without "Show all file types".

    >>> is_accepted("Notes/A.md"), is_accepted("img/Fig.PNG"), is_accepted("build.py"), is_accepted("LICENSE")
    (True, True, False, False)
    """
    extension = posixpath.splitext(path)[1]
    return extension[1:].lower() in ACCEPTED_EXTENSIONS
