"""Finding and reading a vault's files, confined to the vault root."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

__all__ = ["Listing", "Skipped", "decode", "excluded", "list_vault", "read_bytes", "read_text", "scan"]

BINARY_SNIFF = 8192
"""How many leading bytes are checked for NUL to tell a binary file."""


@dataclass(frozen=True, slots=True)
class Skipped:
    """A path kg saw but could not take into the vault."""

    path: str
    """Vault-relative POSIX path."""
    reason: str
    """Lower-case, why it was left out."""


@dataclass(frozen=True, slots=True)
class Listing:
    """What one :func:`scan` of a vault saw: taken once, it serves both the vault's fingerprint
    and its reading (see :func:`kg.load.read_vault`), so that the two agree and the folders are
    walked once."""

    files: list[str]
    """Every file, sorted vault-relative paths."""
    skipped: list[Skipped]
    """What was left out, and why."""
    stats: dict[str, tuple[int, int]]
    """Each file's ``(size, mtime_ns)`` as the walk saw it."""


def list_vault(root: str | os.PathLike[str]) -> Listing:
    """A :class:`Listing` of the vault at ``root`` as it is now."""
    stats: dict[str, tuple[int, int]] = {}
    files, skipped = scan(Path(root), stats)
    return Listing(files, skipped, stats)


@lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    out, index = [], 0
    while index < len(pattern):
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
        elif pattern.startswith("**", index):
            out.append(".*")
            index += 2
        else:
            ch = pattern[index]
            out.append("[^/]*" if ch == "*" else "[^/]" if ch == "?" else re.escape(ch))
            index += 1
    return re.compile("".join(out) + "(?:/.*)?")


def excluded(path: str, patterns: Iterable[str]) -> bool:
    """Whether a vault path matches an exclude glob (a folder's pattern covers what is inside).

    >>> excluded("Templates/Daily.md", ["Templates"]), excluded("a/b.md", ["**/*.md"])
    (True, True)
    """
    return any(_glob_regex(p.strip("/")).fullmatch(path) for p in patterns)


def scan(root: Path, stats: dict[str, tuple[int, int]] | None = None) -> tuple[list[str], list[Skipped]]:
    """Every file of the vault as sorted vault-relative paths, and what was left out.

    Names starting with a dot (``.obsidian``, ``.trash``, ``.git``) are not content. A symlink is
    followed only when it stays inside the vault; a folder is entered once, so loops end. A
    ``stats`` dict receives each file's ``(size, mtime_ns)`` as the walk saw it (the file a symlink
    leads to, for a symlink).
    """
    real_root = Path(os.path.realpath(root))
    files: list[str] = []
    skipped: list[Skipped] = []
    seen_dirs = {str(real_root)}
    for rel, reason, info in _walk(real_root, root, "", seen_dirs):
        if reason is not None:
            skipped.append(Skipped(rel, reason))
        else:
            files.append(rel)
            if stats is not None and info is not None:
                stats[rel] = (info.st_size, info.st_mtime_ns)
    return sorted(files), sorted(skipped, key=lambda s: s.path)


def _walk(real_root: Path, folder: Path, prefix: str, seen: set[str]) -> Iterator[tuple[str, str | None, os.stat_result | None]]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        yield prefix.rstrip("/") or ".", f"cannot list folder: {exc.strerror or exc}", None
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        rel = prefix + entry.name
        try:
            is_link = entry.is_symlink()
            info = os.stat(entry.path) if is_link else entry.stat(follow_symlinks=False)
        except OSError as exc:
            yield rel, f"cannot read: {exc.strerror or exc}", None
            continue
        if is_link:
            real = os.path.realpath(entry.path)
            if os.path.commonpath([real, str(real_root)]) != str(real_root):
                yield rel, "symlink points outside the vault", None
                continue
        if stat.S_ISDIR(info.st_mode):
            real = os.path.realpath(entry.path)
            if real in seen:
                yield rel, "symlink loop: folder already read", None
                continue
            seen.add(real)
            yield from _walk(real_root, Path(entry.path), rel + "/", seen)
        elif stat.S_ISREG(info.st_mode):
            yield rel, None, info


def read_text(path: Path) -> tuple[str | None, str | None, tuple[int, int] | None]:
    """Read a note: ``(text, problem, (line, col) of the problem)``.

    Invalid UTF-8 is decoded with U+FFFD so that nothing else in the note is lost; a binary file or
    an unreadable one gives no text. Raises only FileNotFoundError, for a file that has vanished.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise
    except OSError as exc:
        return None, f"cannot read file: {exc.strerror or exc}", None
    return decode(data)


def read_bytes(path: Path) -> tuple[bytes, int, int]:
    """A file's bytes with the size and mtime (ns) of what was read. Raises OSError."""
    with open(path, "rb") as handle:
        info = os.fstat(handle.fileno())
        return handle.read(), info.st_size, info.st_mtime_ns


def decode(data: bytes) -> tuple[str | None, str | None, tuple[int, int] | None]:
    """A note's bytes as text: ``(text, problem, (line, col) of the problem)``; see :func:`read_text`."""
    if b"\0" in data[:BINARY_SNIFF] and _looks_binary(data[:BINARY_SNIFF]):
        return None, "file is binary, not text", None
    try:
        return data.decode("utf-8"), None, None
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode("utf-8", "replace").lstrip("\ufeff")
        lines = re.split(r"\r\n?|\n", before)
        where = (len(lines), len(lines[-1]) + 1)
        return data.decode("utf-8", "replace"), f"invalid utf-8 byte 0x{data[exc.start]:02x}", where


def _looks_binary(head: bytes) -> bool:
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > max(1, len(head) // 100)
