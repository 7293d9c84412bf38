"""Loading a vault from disk: what is read, what is skipped, what is never touched."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest

import kg.load
import kg.workers

from kg import ConfigError, Vault, VaultNotFound, load_vault


def test_dot_folders_and_excluded_paths_are_not_content(make_vault) -> None:
    root = make_vault({
        "A.md": "[[B]]", ".obsidian/x.md": "", ".trash/B.md": "", ".git/c.md": "", "sub/.hidden.md": "",
        "Templates/T.md": "[[Nope]]", "kg.toml": 'exclude = ["Templates"]\n',
    })
    vault = load_vault(root)
    assert list(vault.notes) == ["A.md"]
    assert vault.files == ("A.md", "Templates/T.md", "kg.toml")
    assert vault.excluded == {"Templates/T.md"}
    assert vault.references[0].path is None


def test_excluded_notes_are_still_link_targets(make_vault) -> None:
    root = make_vault({"A.md": "[[Daily]]", "Templates/Daily.md": "[[Gone]] :bad: [[x]]", "kg.toml": 'exclude = ["Templates"]\n'})
    vault = load_vault(root)
    assert [(r.source, r.path) for r in vault.references] == [("A.md", "Templates/Daily.md")]
    assert vault.graph.nodes["Templates/Daily.md"]["kind"] == "note"


def test_symlinks_out_of_the_vault_and_loops_are_skipped(make_vault, tmp_path: Path) -> None:
    outside = tmp_path / "secret.md"
    outside.write_text("[[X]]", encoding="utf-8")
    root = make_vault({"A.md": "[[secret]] [[Inner]]", "sub/Inner.md": ""})
    os.symlink(outside, root / "secret.md")
    os.symlink(root / "sub", root / "sub" / "loop")
    os.symlink(root / "sub" / "Inner.md", root / "Alias.md")
    vault = load_vault(root)
    assert list(vault.notes) == ["A.md", "Alias.md", "sub/Inner.md"]
    assert [(s.path, s.reason) for s in vault.skipped] == [
        ("secret.md", "symlink points outside the vault"),
        ("sub/loop", "symlink loop: folder already read"),
    ]
    assert [ref.path for ref in vault.references] == [None, "sub/Inner.md"]


def test_unreadable_notes_stay_in_the_vault_with_a_problem(make_vault) -> None:
    root = make_vault({
        "bin.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01",
        "latin.md": "line one\ncaf".encode() + b"\xe9 [[Target]]\n",
        "ok.md": "[[bin]] [[latin]]",
    })
    vault = load_vault(root)
    assert [(p.kind, p.message) for p in vault.notes["bin.md"].problems] == [("unreadable-file", "file is binary, not text")]
    latin = vault.notes["latin.md"]
    assert [(p.kind, p.span.line, p.span.col) for p in latin.problems] == [("unreadable-file", 2, 4)]
    assert [link.target for link in latin.links] == ["Target"]
    assert [ref.path for ref in vault.references if ref.source == "ok.md"] == ["bin.md", "latin.md"]


def test_file_without_permission_is_a_problem(make_vault, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_vault({"locked.md": "x", "open.md": "[[locked]]"})
    real_read = kg.load.read_bytes

    def read_bytes(path: Path) -> tuple[bytes, int, int]:  # root ignores chmod: refuse as the OS would
        if path.name == "locked.md":
            raise PermissionError(13, "Permission denied")
        return real_read(path)

    monkeypatch.setattr(kg.load, "read_bytes", read_bytes)
    vault = load_vault(root)
    assert [(p.kind, p.message) for p in vault.notes["locked.md"].problems] == [
        ("unreadable-file", "cannot read file: Permission denied")
    ]
    assert vault.references[0].path == "locked.md"


def test_file_that_vanishes_while_reading_is_skipped(make_vault, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_vault({"gone.md": "x", "open.md": "[[gone]]"})
    real_read = kg.load.read_bytes

    def read_bytes(path: Path) -> tuple[bytes, int, int]:
        if path.name == "gone.md":
            raise FileNotFoundError(2, "No such file or directory")
        return real_read(path)

    monkeypatch.setattr(kg.load, "read_bytes", read_bytes)
    vault = load_vault(root)
    assert list(vault.notes) == ["open.md"] and vault.references[0].path is None
    assert [s.path for s in vault.skipped] == ["gone.md"]


def test_links_out_of_the_vault_stay_inside(make_vault) -> None:
    root = make_vault({"sub/A.md": "[[../../../etc/passwd]] [x](/etc/passwd) [[../B]]", "B.md": ""})
    refs = load_vault(root).references
    assert [(r.path, r.ghost) for r in refs] == [(None, "etc/passwd"), (None, "etc/passwd"), ("B.md", None)]


def test_missing_vault_and_bad_config_raise_library_errors(make_vault, tmp_path: Path) -> None:
    with pytest.raises(VaultNotFound, match="does not exist"):
        load_vault(tmp_path / "nope")
    with pytest.raises(ConfigError, match="resolve-aliases"):
        load_vault(make_vault({"kg.toml": "resolve-aliases = 'yes'\n"}))


def test_config_maps_parent_onto_up_and_resolves_aliases(make_vault) -> None:
    root = make_vault({
        "pyproject.toml": "[tool.kg]\nresolve-aliases = true\n[tool.kg.fields]\nup = ['up', 'parent']\n",
        "A.md": '---\nparent: "[[B]]"\n---\n[[Bee]]', "B.md": "---\naliases: [Bee]\n---\n",
    })
    vault = load_vault(root)
    assert [(r.link.relation, r.path, r.match) for r in vault.references] == [("up", "B.md", "exact"), (None, "B.md", "alias")]


def test_ghosts_are_one_per_target_whatever_the_case() -> None:
    vault = Vault.from_texts({"a.md": "[[Ghost]] [[ghost]]", "b.md": "[[GHOST#x]]"})
    assert vault.ghosts == ("Ghost",)
    assert vault.unresolved_links == {"a.md": {"Ghost": 2}, "b.md": {"Ghost": 1}}


def test_exact_case_wins_a_case_collision(make_vault) -> None:
    root = make_vault({"Note.md": "", "note.md": "", "src.md": "[[Note]] [[note]] [[NOTE]]"})
    assert [r.path for r in load_vault(root).references] == ["Note.md", "note.md", "Note.md"]


def test_relative_folder_paths_resolve_before_suffix_matches() -> None:
    vault = Vault.from_texts({"A/src.md": "[[sub/x]] [[b/Note]]", "A/sub/x.md": "", "z/b/Note.md": ""})
    assert [(r.path, r.match) for r in vault.references] == [("A/sub/x.md", "relative"), ("z/b/Note.md", "suffix")]


def test_loading_never_writes_into_the_vault(make_vault) -> None:
    root = make_vault({"A.md": "[[B]]", "B.md": "---\nup: [[A]]\n---\n"})
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in root.rglob("*")}
    load_vault(root).graph
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in root.rglob("*")} == before


def _many_notes(count: int) -> dict[str, str]:
    return {f"d{i % 7}/N{i}.md": f"# N{i}\nup:: [[N{(i + 1) % count}]]\nSee [[N{i * 7 % count}#N{i * 7 % count}]] and [[Ghost {i % 5}]].\n"
            for i in range(count)}


def test_parsing_in_several_processes_gives_the_same_vault(make_vault):
    root = make_vault(_many_notes(120))
    alone, shared = load_vault(root, jobs=1), load_vault(root, jobs=3)
    assert shared.notes == alone.notes and shared.references == alone.references
    assert len(shared.notes) == 120


_MAIN = os.getpid()
_REAL_READ = kg.load._read_notes


def _dying_reader(*args):  # type: ignore[no-untyped-def]
    """``_read_notes`` that kills any process but the test's own: a worker dying mid-chunk."""
    if os.getpid() != _MAIN:
        os._exit(3)
    return _REAL_READ(*args)


def test_a_worker_that_dies_leaves_its_notes_to_the_main_process(make_vault, monkeypatch):
    root = make_vault(_many_notes(120))
    monkeypatch.setattr(kg.load, "_read_notes", _dying_reader)
    vault = load_vault(root, jobs=2)
    assert vault.references == load_vault(root, jobs=1).references and len(vault.notes) == 120


_REAL_SHARE = kg.load.resolve_share


def _share_in(record: Path, fate: str):  # type: ignore[no-untyped-def]
    """``resolve_share`` that notes which process ran it, and in a child answers, raises or dies."""
    def share(*args):  # type: ignore[no-untyped-def]
        with open(record, "a") as out:
            out.write(f"{os.getpid()}\n")
        if os.getpid() != _MAIN and fate == "raise":
            raise RuntimeError("boom")
        if os.getpid() != _MAIN and fate == "die":
            os._exit(3)
        return _REAL_SHARE(*args)
    return share


@pytest.mark.parametrize("fate", ["answer", "raise", "die"])
def test_a_child_resolving_a_share_of_the_links_gives_the_same_vault(make_vault, monkeypatch, tmp_path, fate):
    root = make_vault(_many_notes(120))
    alone = load_vault(root, jobs=1)
    record = tmp_path / "pids"
    monkeypatch.setattr(kg.load, "PARALLEL_LINKS", 10)
    monkeypatch.setattr(kg.load, "resolve_share", _share_in(record, fate))
    shared = load_vault(root, jobs=2)
    assert shared.references == alone.references and shared.resolved_afresh == alone.resolved_afresh
    pids = [int(line) for line in record.read_text().split()]
    # the child ran it; when it gave no answer, this process resolved the share itself
    assert pids[0] != _MAIN and pids[1:] == ([] if fate == "answer" else [_MAIN])


def test_a_child_shares_only_the_links_the_cache_does_not_know(make_vault, monkeypatch, tmp_path):
    notes = _many_notes(120)
    root = make_vault(notes)
    cache = tmp_path / "cache"
    load_vault(root, jobs=1, cache_dir=cache)
    (root / "d3/N3.md").write_text(notes["d3/N3.md"] + "[[N5#N5]] [[Nope]]\n")
    monkeypatch.setattr(kg.load, "PARALLEL_LINKS", 2)
    shares: list[list[str]] = []
    monkeypatch.setattr(kg.load, "resolve_share", lambda files, notes, config, paths: shares.append(list(paths)) or _REAL_SHARE(files, notes, config, paths))
    monkeypatch.setattr(kg.load, "in_child", lambda work: kg.workers.Answer(kg.workers.Background(None), None, work()))
    warm = load_vault(root, jobs=2, cache_dir=cache)
    assert shares == [["d3/N3.md"]] and warm.references == load_vault(root, jobs=1).references


def test_no_child_for_few_links_or_one_process(make_vault, monkeypatch):
    root = make_vault(_many_notes(120))
    started: list[int] = []
    monkeypatch.setattr(kg.load, "in_child", lambda work: started.append(1))
    load_vault(root, jobs=2)  # 360 links: under PARALLEL_LINKS
    monkeypatch.setattr(kg.load, "PARALLEL_LINKS", 10)
    load_vault(root, jobs=1)
    monkeypatch.setattr(kg.load, "SHARE_BUDGET", 0)
    load_vault(root, jobs=2)
    assert started == []


def test_reading_a_vault_leaves_no_reference_cycles(make_vault):
    """The collector is paused while a vault is read, so anything cyclic made then stays in memory
    until the read ends: at 100k notes, a recursive closure per heading link held 170 MB."""
    root = make_vault({
        "A.md": "---\naliases: [Aye]\ntags: [t]\n---\n# One\n## Two\ntext ^blk\n\n| a | b |\n|---|---|\n| [[B#x]] | c |\n",
        "B.md": "# x\n## z\n# y\n## z\nup:: [[A]]\n[[A#One#Two]] [[A#Two#One]] [[A#^blk]] [[Aye]] %%[[Nope]]%%\n",
        "C.md": "[[B#y#z]] [[b#X]] [[B#q]] ![[B#^none]] [t](A.md#One)\n",
    })
    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        vault = load_vault(root, jobs=1)
        assert gc.collect() == 0
    finally:
        if was_enabled:
            gc.enable()
    assert {ref.subpath_status for ref in vault.references} >= {"ok", "case-mismatch", "missing-heading", "missing-block"}
