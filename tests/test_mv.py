"""``kg mv``: links keep leading where they led, the bytes around them stay, and a move that
cannot be made safely changes nothing."""

from __future__ import annotations

import errno
import os
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg.load
import kg.write.disk
import kg.write.apply
from conftest import write_vault
from hostile import snapshot
from kg.cli import cli
from kg.errors import ChangeRefused
from kg.mv import in_vault, plan_move
from kg.load import load_vault
from kg.write import apply_change, render_diff


def move(root: Path, old: str, new: str) -> None:
    vault = load_vault(root)
    apply_change(vault, plan_move(vault, old, new))


def files(root: Path) -> dict[str, bytes]:
    out = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            out[os.path.relpath(path, root)] = Path(path).read_bytes()
    return out


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_every_kind_of_link_follows_the_note(tmp_path: Path) -> None:
    root = write_vault(tmp_path, {
        "Old.md": "# Head\n^blk\n",
        "src.md": '---\nup: "[[Old]]"\n---\n[[Old]] [[Old#Head|shown]] ![[Old#^blk]] [t](Old.md#Head) [u](<Old.md>) [[Old\\|x]]\n',
    })
    move(root, "Old.md", "deep/New Name.md")
    assert (root / "src.md").read_text() == (
        '---\nup: "[[New Name]]"\n---\n[[New Name]] [[New Name#Head|shown]] ![[New Name#^blk]] '
        "[t](New%20Name.md#Head) [u](<New Name.md>) [[New Name\\|x]]\n")
    assert (root / "deep/New Name.md").read_text() == "# Head\n^blk\n"
    assert not (root / "Old.md").exists()


def test_bom_line_endings_and_spacing_are_kept(tmp_path: Path) -> None:
    text = "\ufeff---\r\nup: '[[A]]'\r\n---\r\nx\r[[ A ]]\r\n\ttail [[A|a]]  \r\n"
    root = write_vault(tmp_path, {"A.md": "", "s.md": text})
    move(root, "A.md", "B.md")
    assert (root / "s.md").read_bytes() == text.replace("A", "B").encode()


def test_link_forms_are_kept(tmp_path: Path) -> None:
    root = write_vault(tmp_path, {
        "f/A.md": "", "f/src.md": "[[./A]] [[f/A]] [[/f/A]] [[A]] [[A.md]]\n", "g/other.md": "[[../f/A]]\n",
    })
    move(root, "f/A.md", "h/B.md")
    assert (root / "f/src.md").read_text() == "[[../h/B]] [[h/B]] [[/h/B]] [[B]] [[B.md]]\n"
    assert (root / "g/other.md").read_text() == "[[../h/B]]\n"


def test_new_link_format_setting_is_followed(tmp_path: Path) -> None:
    root = write_vault(tmp_path, {".obsidian/app.json": '{"newLinkFormat": "absolute"}', "A.md": "", "s.md": "[[A]]\n"})
    move(root, "A.md", "x/B.md")
    assert (root / "s.md").read_text() == "[[x/B]]\n"


def test_links_the_move_would_capture_keep_their_target(tmp_path: Path) -> None:
    root = write_vault(tmp_path, {"a/Note.md": "", "src.md": "[[Note]]\n", "zzzz/long/Note.md": "", "t.md": "[[zzzz/long/Note]]\n"})
    move(root, "zzzz/long/Note.md", "Note.md")
    assert (root / "src.md").read_text() == "[[a/Note]]\n"
    assert (root / "t.md").read_text() == "[[Note]]\n"


def test_a_name_that_stays_unique_needs_no_edit(tmp_path: Path) -> None:
    root = write_vault(tmp_path, {"A.md": "", "s.md": "[[A]]\n"})
    vault = load_vault(root)
    change = plan_move(vault, "A.md", "sub/A.md")
    assert not change.files and change.renamed == {"A.md": "sub/A.md"}


def test_relative_links_in_a_moved_note_are_written_afresh(tmp_path: Path) -> None:
    root = write_vault(tmp_path, {"a/src.md": "[[../C]] [[./D]]\n", "C.md": "", "a/D.md": ""})
    move(root, "a/src.md", "x/y/src.md")
    assert (root / "x/y/src.md").read_text() == "[[../../C]] [[../../a/D]]\n"


def test_folder_move_rewrites_links_in_and_out(tmp_path: Path) -> None:
    root = write_vault(tmp_path, {"dir/A.md": "[[dir/B]]\n", "dir/B.md": "[[../top]]\n", "top.md": "[[dir/A]]\n"})
    move(root, "dir", "new/place")
    assert files(root) == {"new/place/A.md": b"[[new/place/B]]\n", "new/place/B.md": b"[[../../top]]\n",
                           "top.md": b"[[new/place/A]]\n"}


def test_move_into_an_existing_folder(tmp_path: Path) -> None:
    root = write_vault(tmp_path, {"A.md": "", "box/x.md": "", "s.md": "[[A]]\n"})
    vault = load_vault(root)
    assert plan_move(vault, "A.md", "box").renamed == {"A.md": "box/A.md"}


def test_a_link_that_would_start_to_resolve_is_refused(tmp_path: Path) -> None:
    root = write_vault(tmp_path, {"A.md": "", "s.md": "[[B]]\n"})
    with pytest.raises(ChangeRefused, match=r"s.md:1:1: link '\[\[B\]\]' leads nowhere now"):
        plan_move(load_vault(root), "A.md", "B.md")


@pytest.mark.parametrize(("old", "new", "why"), [
    ("A.md", "B.md", "'B.md' exists"),
    ("A.md", "../out.md", "leaves the vault"),
    ("A.md", ".obsidian/A.md", "is hidden"),
    ("Nope.md", "C.md", "no file or folder 'Nope.md'"),
    ("dir", "dir/sub", "into itself"),
    ("A.md", "b.md", "'b.md' differs only in case from 'B.md'"),
    ("A.md", "A.txt", "would change the extension"),
    ("A.md", "link/A.md", "goes through the symlink 'link'"),
    ("dir", "other", "'dir/inner' is a symlink"),
])
def test_unsafe_moves_are_refused(tmp_path: Path, old: str, new: str, why: str) -> None:
    root = write_vault(tmp_path / "v", {"A.md": "[[B]]", "B.md": "", "dir/x.md": "", "real/r.md": ""})
    os.symlink(root / "real", root / "link")
    os.symlink(root / "real", root / "dir" / "inner")
    before = snapshot(root)
    with pytest.raises(ChangeRefused, match=why):
        plan_move(load_vault(root), old, new)
    assert snapshot(root) == before


def test_dry_run_shows_the_diff_and_counts_and_changes_nothing(tmp_path: Path) -> None:
    root = write_vault(tmp_path, {"A.md": "", "s.md": "one\n[[A]]\n"})
    before = snapshot(root)
    code, out = run("mv", "A.md", "B.md", "--dry-run", "--vault", str(root))
    assert code == 0
    assert out == ("rename from A.md\nrename to B.md\n--- a/s.md\n+++ b/s.md\n@@ -1,2 +1,2 @@\n one\n-[[A]]\n+[[B]]\n"
                   "1 file moved, 1 link rewritten, 1 file edited (dry run: nothing changed)\n")
    assert snapshot(root) == before


def test_cli_moves_and_refuses_with_exit_2(tmp_path: Path) -> None:
    root = write_vault(tmp_path, {"A.md": "", "s.md": "[[A]]\n"})
    assert run("mv", "A.md", "B.md", "--vault", str(root)) == (0, "1 file moved, 1 link rewritten, 1 file edited\n")
    code, out = run("mv", "B.md", "s.md", "--vault", str(root))
    assert code == 2 and "Error: nothing changed: 's.md' exists" in out
    assert in_vault(root, str(root / "s.md")) == "s.md"


def test_a_file_edited_by_someone_else_before_writing_is_detected(tmp_path: Path) -> None:
    root = write_vault(tmp_path, {"A.md": "", "s.md": "[[A]]\n", "t.md": "[[A]]\n"})
    vault = load_vault(root)
    change = plan_move(vault, "A.md", "B.md")
    (root / "t.md").write_text("[[A]] edited\n")
    before = snapshot(root)
    with pytest.raises(ChangeRefused, match="'t.md' changed on disk since kg read it"):
        apply_change(vault, change)
    assert snapshot(root) == before


def test_a_full_disk_rolls_everything_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_vault(tmp_path, {"A.md": "", "s.md": "[[A]]\n", "t.md": "[[A]]\n"})
    original = files(root)
    calls = []
    real = kg.write.disk._write_all

    def full(handle: int, data: bytes) -> None:
        calls.append(data)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(handle, data)

    monkeypatch.setattr(kg.write.disk, "_write_all", full)
    vault = load_vault(root)
    with pytest.raises(ChangeRefused, match="rolled back, nothing changed: No space left on device"):
        apply_change(vault, plan_move(vault, "A.md", "B.md"))
    assert files(root) == original
    assert sorted(os.listdir(root)) == ["A.md", "s.md", "t.md"]  # no temporary file left


def test_a_failed_proof_rolls_back_the_writes_and_the_move(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_vault(tmp_path, {"A.md": "", "s.md": "[[A]]\n"})
    original = files(root)
    vault = load_vault(root)
    change = plan_move(vault, "A.md", "d/B.md")
    real = kg.write.apply.differences
    monkeypatch.setattr(kg.write.apply, "differences", lambda b, a, c: real(b, a, c) if a.root is None else ["forced"])
    with pytest.raises(ChangeRefused, match="rolled back, nothing changed: forced"):
        apply_change(vault, change)
    assert files(root) == original
    assert not (root / "d").exists()


def test_a_read_only_file_is_refused(tmp_path: Path) -> None:
    root = write_vault(tmp_path, {"A.md": "", "s.md": "[[A]]\n"})
    os.chmod(root / "s.md", 0o444)
    vault = load_vault(root)
    with pytest.raises(ChangeRefused, match="s.md' is not writable"):
        apply_change(vault, plan_move(vault, "A.md", "B.md"))
    assert (root / "A.md").exists()


def test_awkward_names(tmp_path: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Café")
    root = write_vault(tmp_path, {f"{nfd}.md": "", "s.md": "[[Café]] [[Br[ack]et]] [[x^y]]\n", "Br[ack]et.md": "", "x^y.md": ""})
    move(root, f"{nfd}.md", "Résumé ^[x].md")
    move(root, "Br[ack]et.md", "b/Br[ack]et 2.md")
    assert (root / "s.md").read_text() == "[[Résumé ^[x].md]] [[Br[ack]et 2]] [[x^y]]\n"
    with pytest.raises(ChangeRefused, match="no link from 's.md' reaches 'a#b.md'"):
        plan_move(load_vault(root), "x^y.md", "a#b.md")
    with pytest.raises(ChangeRefused, match="reaches 'a|b.md'"):
        plan_move(load_vault(root), "x^y.md", "a|b.md")


def test_a_thousand_links_to_the_moved_note(tmp_path: Path) -> None:
    root = write_vault(tmp_path, {"Hub.md": "", **{f"n/{i:04}.md": "[[Hub]] " * (i % 3 + 2) for i in range(400)}})
    vault = load_vault(root)
    change = plan_move(vault, "Hub.md", "Centre.md")
    assert change.rewritten == sum(i % 3 + 2 for i in range(400)) > 1000
    apply_change(vault, change)
    assert (root / "n/0002.md").read_text() == "[[Centre]] " * 4


def test_diff_names_the_new_path_of_an_edited_moved_note(tmp_path: Path) -> None:
    root = write_vault(tmp_path, {"a/s.md": "[[../T]]\n", "T.md": ""})
    text = render_diff(plan_move(load_vault(root), "a/s.md", "b/c/s.md"))
    assert "--- a/a/s.md\n+++ b/b/c/s.md\n" in text and "+[[../../T]]\n" in text


def test_a_relative_link_that_climbs_above_the_root_keeps_its_extra_steps(tmp_path: Path) -> None:
    root = write_vault(tmp_path, {"Docs/n.md": "![x](../../images/a.png)\n", "images/a.png": "png"})
    move(root, "images", "media/pics")
    assert (root / "Docs/n.md").read_text() == "![x](../../media/pics/a.png)\n"
    move(root, "media/pics", "images")
    assert (root / "Docs/n.md").read_text() == "![x](../../images/a.png)\n"


def test_the_sample_vault_comes_back_byte_for_byte(tmp_path: Path) -> None:
    import shutil
    from collections import Counter

    from conftest import SAMPLE_VAULT

    root = tmp_path / "vault"
    shutil.copytree(SAMPLE_VAULT, root)
    original = files(root)
    vault = load_vault(root)
    hub = Counter(ref.path for ref in vault.references if ref.path and ref.path != ref.source).most_common(1)[0][0]
    folder = Counter(path.rsplit("/", 1)[0] for path in vault.files if "/" in path).most_common(1)[0][0]
    for old, new in ((hub, "moved/Hub note.md"), (folder, "elsewhere/deeper/folder")):
        change = plan_move(load_vault(root), old, new)
        apply_change(load_vault(root), change)
        assert files(root) != original
        move(root, new, old)
        assert files(root) == original


def _board(*nodes: str) -> str:
    return '{"nodes": [' + ", ".join(nodes) + '], "edges": []}\n'


def test_canvas_file_nodes_subpaths_and_text_links_follow(tmp_path: Path) -> None:
    board = _board('{"id": "f", "type": "file", "file": "A.md", "subpath": "#H", "x": 0, "y": 0, "width": 1, "height": 1}',
                   '{"id": "t", "type": "text", "text": "see [[A#H|a]] and \\"[x](A.md)\\"\\n", "x": 0, "y": 0, "width": 1, "height": 1}',
                   '{"id": "g", "type": "group", "background": "img/bg.png", "x": 0, "y": 0, "width": 1, "height": 1}')
    root = write_vault(tmp_path, {"A.md": "# H\n", "img/bg.png": "png", "b/Plan.canvas": board})
    move(root, "A.md", "notes/Ä new.md")
    move(root, "img", "media")
    assert (root / "b/Plan.canvas").read_text() == board.replace('"file": "A.md"', '"file": "notes/Ä new.md"').replace(
        "[[A#H|a]]", "[[Ä new#H|a]]").replace("[x](A.md)", "[x](Ä%20new.md)").replace("img/bg.png", "media/bg.png")
    move(root, "b/Plan.canvas", "Plan.canvas")
    move(root, "media", "img")
    move(root, "notes/Ä new.md", "A.md")
    move(root, "Plan.canvas", "b/Plan.canvas")
    assert (root / "b/Plan.canvas").read_text() == board


def test_a_symlink_into_the_moved_note_or_folder_is_refused(tmp_path: Path) -> None:
    root = write_vault(tmp_path / "v", {"A.md": "", "dir/B.md": "", "s.md": "[[A]]\n"})
    os.symlink("../A.md", root / "dir" / "alias.md")
    with pytest.raises(ChangeRefused, match="the symlink 'dir/alias.md' points to 'A.md'"):
        plan_move(load_vault(root), "A.md", "C.md")
    os.unlink(root / "dir" / "alias.md")
    os.symlink("dir", root / "shortcut")
    with pytest.raises(ChangeRefused, match="the symlink 'shortcut' points to 'dir'"):
        plan_move(load_vault(root), "dir", "other")


def test_a_symlinked_note_is_never_written_through(tmp_path: Path) -> None:
    outside = write_vault(tmp_path / "outside", {"o.md": "[[A]]\n"})
    root = write_vault(tmp_path / "v", {"A.md": "", "real/r.md": "[[A]]\n"})
    os.symlink(root / "real" / "r.md", root / "in.md")
    os.symlink(outside / "o.md", root / "out.md")  # left out of the vault: not read, not written
    vault = load_vault(root)
    with pytest.raises(ChangeRefused, match="'in.md' goes through the symlink 'in.md'"):
        apply_change(vault, plan_move(vault, "A.md", "B.md"))
    assert (outside / "o.md").read_text() == "[[A]]\n" and (root / "in.md").is_symlink()


def test_an_unreadable_note_stops_the_move(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_vault(tmp_path, {"A.md": "", "locked.md": "[[A]]\n"})
    real = kg.load.read_bytes

    def refuse(path: Path) -> tuple[bytes, int, int]:
        if path.name == "locked.md":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(kg.load, "read_bytes", refuse)
    with pytest.raises(ChangeRefused, match="kg cannot read 'locked.md', whose links the move might break"):
        plan_move(load_vault(root), "A.md", "B.md")


def test_a_file_edited_while_kg_writes_is_left_as_the_other_writer_left_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_vault(tmp_path, {"A.md": "", "s.md": "[[A]]\n", "t.md": "[[A]]\n"})
    real = kg.write.disk.write_atomic

    def racing(path: Path, data: bytes) -> None:
        real(path, data)
        if path.name == "s.md":
            (root / "t.md").write_text("[[A]] theirs\n")  # another process, between the check and t.md's write

    monkeypatch.setattr(kg.write.disk, "write_atomic", racing)
    vault = load_vault(root)
    with pytest.raises(ChangeRefused, match="rolled back, nothing changed: 't.md' changed on disk while kg wrote"):
        apply_change(vault, plan_move(vault, "A.md", "B.md"))
    assert files(root) == {"A.md": b"", "s.md": b"[[A]]\n", "t.md": b"[[A]] theirs\n"}
