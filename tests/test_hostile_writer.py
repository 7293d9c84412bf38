"""The writer part of the hostile-vault suite: ``kg mv`` on the mixed hostile vault of
``tests/hostile.py`` (symlinks in and out, a loop, a FIFO, unreadable and undecodable files,
names with ``# | ^ [ ]``, NFD accents, control characters and bytes that are not UTF-8, CR and CRLF
line endings, a BOM, a 100,000-character link, a path over 255 bytes).

Each obstacle to a safe move is refused with one line and exit code 2, nothing changed; with the
obstacles taken away, the move and its reverse give back every byte of every file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import hostile
from kg.cli import cli


def _mv(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["mv", *args, "--vault", str(root)])
    return result.exit_code, result.output


def _content(root: Path) -> dict[str, tuple[object, ...]]:
    """Every entry: its kind and bytes (a symlink: its target), not its times."""
    return {path: (mode, digest) for path, (mode, _, _, _, digest) in hostile.snapshot(root).items()}


@pytest.fixture
def mixed(tmp_path: Path) -> Iterator[Path]:
    vault = hostile.build_mixed(tmp_path)
    yield vault.root
    if (vault.root / "perm" / "unreadable.md").exists():
        os.chmod(vault.root / "perm" / "unreadable.md", 0o644)  # so that pytest can delete it


def test_obstacles_are_refused_then_the_move_comes_back_byte_for_byte(mixed: Path) -> None:
    obstacles = [
        ("links/inside.md", "the symlink 'links/inside.md' points to 'Hub.md' and would dangle"),
        ("enc/invalid-utf8.md", "'enc/invalid-utf8.md' is not valid UTF-8"),
        ("canvas/latin1.canvas", "'canvas/latin1.canvas' is not valid UTF-8"),  # a canvas links to Hub too
    ]
    readable = os.access(mixed / "perm" / "unreadable.md", os.R_OK)  # as root: read, but no write bit
    why = "'perm/unreadable.md' is not writable" if readable else "kg cannot read 'perm/unreadable.md'"
    obstacles.insert(0 if not readable else 3, ("perm/unreadable.md", why))
    for path, why in obstacles:
        before = hostile.snapshot(mixed)
        code, out = _mv(mixed, "Hub.md", "Centre/Hub 2.md")
        assert code == 2 and out.startswith("Error: nothing changed: ") and why in out and out.count("\n") == 1
        assert hostile.snapshot(mixed) == before
        os.unlink(mixed / path)
    before = hostile.snapshot(mixed)
    code, out = _mv(mixed, "Hub.md", "Centre/Hub 2.md", "--dry-run")
    assert code == 0 and out.endswith("1 file moved, 32 links rewritten, 32 files edited (dry run: nothing changed)\n")
    assert "+up: \"[[Hub 2]]\"\n" in out and "-[[Hub]] [[Nope BOM]]\n+[[Hub 2]] [[Nope BOM]]\n" in out
    assert hostile.snapshot(mixed) == before
    original = _content(mixed)
    assert _mv(mixed, "Hub.md", "Centre/Hub 2.md") == (0, "1 file moved, 32 links rewritten, 32 files edited\n")
    assert (mixed / "enc/cr.md").read_bytes() == b"---\rup: \"[[Hub 2]]\"\r---\r# CR\r\rline [[Nope CR]]\r"
    assert _mv(mixed, "Centre/Hub 2.md", "Hub.md")[0] == 0
    assert _content(mixed) == original


def test_folders_with_awkward_names_move_and_come_back(mixed: Path) -> None:
    os.unlink(mixed / "links/inside.md")
    os.unlink(mixed / "enc/invalid-utf8.md")
    os.chmod(mixed / "perm" / "unreadable.md", 0o644)
    original = _content(mixed)
    code, out = _mv(mixed, "names", "renamed/names [x] ^ 2")
    assert code == 0, out
    assert _mv(mixed, "renamed/names [x] ^ 2", "names")[0] == 0
    assert _content(mixed) == original
    code, out = _mv(mixed, "links", "elsewhere")
    assert code == 2 and "is a symlink; kg does not move symlinks" in out
