"""What a rewrite of the vault will do, planned in full before anything is written."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from kg.write.splice import Edit

__all__ = ["Change", "FileChange", "Stamp", "stamp"]


@dataclass(frozen=True, slots=True)
class Stamp:
    """A file as it was read: if any of this differs now, someone else changed it."""

    size: int
    """Size in bytes."""
    mtime_ns: int
    """Modification time, nanoseconds."""
    digest: str
    """BLAKE2b of the content."""


def stamp(path: Path) -> tuple[bytes, Stamp]:
    """A file's bytes and its stamp, taken from one open file. Raises OSError."""
    with open(path, "rb") as handle:
        info = os.fstat(handle.fileno())
        data = handle.read()
    return data, Stamp(len(data), info.st_mtime_ns, hashlib.blake2b(data, digest_size=16).hexdigest())


@dataclass(frozen=True, slots=True)
class FileChange:
    """New content for one file."""

    path: str
    """Vault path of the file before the moves."""
    before: bytes
    """The content as read."""
    after: bytes
    """The content to write."""
    edits: tuple[Edit, ...]
    """The replacements that make ``after`` from ``before`` (offsets into the decoded text)."""


def _no_moves() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Change:
    """Every edit and move of one run of ``kg mv`` or ``kg lint --fix``."""

    root: Path
    """The vault folder."""
    files: tuple[FileChange, ...] = ()
    """Files whose content changes, by path."""
    moves: tuple[tuple[str, str], ...] = ()
    """What is renamed on disk, ``(old, new)`` vault paths: one file or one folder."""
    renamed: Mapping[str, str] = field(default_factory=_no_moves)
    """Every vault file the moves take elsewhere: old path -> new path."""
    stamps: Mapping[str, Stamp] = field(default_factory=_no_moves)
    """How each file that is edited or moved was when it was read."""
    expected: Mapping[tuple[str, int], str | None] = field(default_factory=_no_moves)
    """Links meant to lead elsewhere afterwards: (note path before, index of the link in the note)
    -> the path it must resolve to (after the moves). Every other link must resolve as before."""
    gained: Mapping[str, int] = field(default_factory=_no_moves)
    """Notes that gain links (a quoted frontmatter link becomes one): note path -> how many.
    Their other links are compared as a multiset, since the new ones shift the order."""
    rewritten: int = 0
    """How many links the change rewrites."""

    def moved(self, path: str) -> str:
        """Where a vault path stands after the change."""
        return self.renamed.get(path, path)

    @property
    def empty(self) -> bool:
        """Whether the change does nothing."""
        return not self.files and not self.moves
