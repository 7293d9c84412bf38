"""Reading notes again after the vault was loaded: never outside its root (kg/confine.py)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from conftest import write_vault
from kg.confine import NoteReader, note_text
from kg.load import load_vault
from kg.vault import Vault


def _vault_and_outside(tmp_path: Path) -> tuple[Vault, Path, Path]:
    outside = write_vault(tmp_path / "outside", {"A.md": "SECRET A", "sub/B.md": "SECRET B"})
    root = write_vault(tmp_path / "vault", {"A.md": "a", "sub/B.md": "b", "sub/C.md": "c", "Link.md": ""})
    (root / "Link.md").unlink()
    os.symlink(root / "sub" / "C.md", root / "Link.md")  # a symlink that stays inside: read
    return load_vault(root), root, outside


def test_reader_reads_the_notes_the_vault_read(tmp_path: Path) -> None:
    vault, _, _ = _vault_and_outside(tmp_path)
    reader = NoteReader(vault)
    assert [reader.text(path) for path in ("A.md", "sub/B.md", "Link.md", "nope.md")] == ["a", "b", "c", None]
    assert NoteReader(Vault.from_texts({"A.md": "a"})).text("A.md") is None


def test_a_note_swapped_for_a_symlink_out_of_the_vault_is_not_read(tmp_path: Path) -> None:
    vault, root, outside = _vault_and_outside(tmp_path)
    reader = NoteReader(vault)
    assert reader.text("sub/B.md") == "b"  # the folder is checked (and remembered) before the swap
    (root / "A.md").unlink()
    os.symlink(outside / "A.md", root / "A.md")
    shutil.rmtree(root / "sub")
    os.symlink(outside / "sub", root / "sub")
    assert reader.text("A.md") is None and note_text(vault, "A.md") is None
    assert NoteReader(vault).text("sub/B.md") is None and note_text(vault, "sub/B.md") is None


def test_reader_stats_only_regular_files_inside(tmp_path: Path) -> None:
    """stat() knows a note's file by size and mtime only where text() would read it without following a symlink."""
    vault, root, outside = _vault_and_outside(tmp_path)
    info = os.stat(root / "A.md")
    assert NoteReader(vault).stat("A.md") == (info.st_size, info.st_mtime_ns)
    assert [NoteReader(vault).stat(path) for path in ("Link.md", "nope.md")] == [None, None]  # a symlink, not a note
    assert NoteReader(Vault.from_texts({"A.md": "a"})).stat("A.md") is None
    shutil.rmtree(root / "sub")
    os.symlink(outside / "sub", root / "sub")
    assert NoteReader(vault).stat("sub/B.md") is None
