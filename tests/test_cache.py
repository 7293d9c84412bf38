"""The persistent cache: reused while files are unchanged, never trusted beyond that, never fatal."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

import kg.cache
import kg.load
import kg.vault
from kg.cache import Cache
from kg.config import Config
from kg.load import load_vault

NOTES = {
    "A.md": "---\naliases: [Alpha]\nup: [[B]]\n---\n# A\nSee [[B#Intro]] and [[Nope]].\n",
    "B.md": "# Intro\nBack to [[A]] and [[Alpha]].\n",
    "sub/C.md": "up:: [[A]]\n```\n[[Fake]]\n```\n",
}


def _lint(vault: Path, cache: Path | None, *extra: str) -> subprocess.CompletedProcess[str]:
    options = ["--no-cache"] if cache is None else ["--cache-dir", str(cache)]
    return subprocess.run(
        [sys.executable, "-m", "kg", *options, "lint", str(vault), "--format", "json", *extra],
        capture_output=True, text=True, timeout=120, check=False,
    )


def _parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the paths of the notes that are parsed (not taken from the cache)."""
    seen: list[str] = []
    real = kg.load.parse_file

    def parse(path: str, data: bytes, config: Config):  # type: ignore[no-untyped-def]
        seen.append(path)
        return real(path, data, config)

    monkeypatch.setattr(kg.load, "parse_file", parse)
    return seen


def _cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle"))


def test_an_unchanged_vault_is_read_from_the_cache(make_vault, tmp_path, monkeypatch):
    root, folder = make_vault(NOTES), tmp_path / "cache"
    first = load_vault(root, cache_dir=folder)
    seen = _parses(monkeypatch)
    second = load_vault(root, cache_dir=folder)
    assert seen == []
    assert second.notes == first.notes and second.references == first.references


def test_a_cache_written_by_other_kg_code_is_not_read(make_vault, tmp_path, monkeypatch):
    """Another checkout or build of the same version (the parser changed, the version did not)
    must not be handed this one's notes."""
    root, folder = make_vault(NOTES), tmp_path / "cache"
    load_vault(root, cache_dir=folder)
    monkeypatch.setattr(kg.cache, "_CODE", ["digest of other code"])
    seen = _parses(monkeypatch)
    load_vault(root, cache_dir=folder)
    assert len(seen) == len(NOTES)


def test_the_code_digest_follows_every_module_file_and_nothing_else(tmp_path):
    package = tmp_path / "kg"
    (package / "parse" / "__pycache__").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "parse" / "fast.py").write_text("x = 1\n")
    before = kg.cache.code_digest(package)
    (package / "parse" / "__pycache__" / "fast.cpython-311.pyc").write_bytes(b"\0")
    (package / "README.txt").write_text("not code")
    assert kg.cache.code_digest(package) == before
    (package / "parse" / "fast.py").write_text("x = 2\n")  # same size: the mtime tells
    os.utime(package / "parse" / "fast.py", ns=(1, 1))
    assert kg.cache.code_digest(package) != before
    (package / "parse" / "fast.py").unlink()
    (package / "parse" / "fast.cpython-311-x86_64-linux-gnu.so").write_bytes(b"x = 1\n")
    assert kg.cache.code_digest(package) != before


def test_an_edited_note_alone_is_read_again(make_vault, tmp_path, monkeypatch):
    root, folder = make_vault(NOTES), tmp_path / "cache"
    load_vault(root, cache_dir=folder)
    (root / "B.md").write_text("# Intro\nNow [[sub/C]].\n", encoding="utf-8")
    seen = _parses(monkeypatch)
    vault = load_vault(root, cache_dir=folder)
    assert seen == ["B.md"]
    assert [link.target for link in vault.notes["B.md"].links] == ["sub/C"]


def _resolutions(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Record the (source, linkpath) of every link resolved afresh (not taken from the cache)."""
    seen: list[tuple[str, str]] = []
    real = kg.vault._resolver

    class Spy:  # the resolver may be compiled: wrap it rather than patch its class
        def __init__(self, resolver):  # type: ignore[no-untyped-def]
            self.resolver = resolver

        def resolve_link(self, link, source, notes):  # type: ignore[no-untyped-def]
            seen.append((source, link.target))
            return self.resolver.resolve_link(link, source, notes)

        def __getattr__(self, name):  # type: ignore[no-untyped-def]
            return getattr(self.resolver, name)

    monkeypatch.setattr(kg.vault, "_resolver", lambda *args: Spy(real(*args)))
    return seen


def test_after_an_edit_only_the_edited_notes_links_are_resolved_again(make_vault, tmp_path, monkeypatch):
    root, folder = make_vault(NOTES), tmp_path / "cache"
    load_vault(root, cache_dir=folder)
    (root / "sub/C.md").write_text("up:: [[A]]\nand [[B]]\n", encoding="utf-8")
    seen = _resolutions(monkeypatch)
    vault = load_vault(root, cache_dir=folder)
    assert seen == [("sub/C.md", "A"), ("sub/C.md", "B")]
    assert vault.references == load_vault(root).references


def test_links_into_an_edited_note_have_their_subpaths_checked_again(make_vault, tmp_path, monkeypatch):
    root, folder = make_vault(NOTES), tmp_path / "cache"
    before = load_vault(root, cache_dir=folder)
    assert [r.subpath_status for r in before.references if r.link.raw == "[[B#Intro]]"] == ["ok"]
    (root / "B.md").write_text("# Outro\nBack to [[A]] and [[Alpha]].\n", encoding="utf-8")
    seen = _resolutions(monkeypatch)
    vault = load_vault(root, cache_dir=folder)
    assert ("A.md", "B") in seen and ("A.md", "Nope") not in seen
    assert [r.subpath_status for r in vault.references if r.link.raw == "[[B#Intro]]"] == ["missing-heading"]
    assert vault.references == load_vault(root).references


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"Nope.md": "now it exists"}, id="new-file"),
        pytest.param({"B.md": "---\naliases: [Nope]\n---\n# Intro\n"}, id="new-alias"),
        pytest.param({"A.md": "---\nup: [[B]]\n---\n# A\nSee [[B#Intro]] and [[Nope]].\n"}, id="alias-dropped"),
        pytest.param({"sub/A.md": "a second A"}, id="name-now-ambiguous"),
        pytest.param({"0.md": "[[NOPE]] first"}, id="ghost-spelled-first-elsewhere"),
    ],
)
def test_a_change_to_files_or_aliases_resolves_every_link_again(make_vault, tmp_path, change):
    root, folder = make_vault(NOTES), tmp_path / "cache"
    load_vault(root, cache_dir=folder)
    for path, text in change.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    warm = load_vault(root, cache_dir=folder)
    assert warm.references == load_vault(root).references
    assert load_vault(root, cache_dir=folder).references == warm.references


def test_a_change_that_keeps_size_and_mtime_is_caught_by_the_content_hash(make_vault, tmp_path):
    root, folder = make_vault(NOTES), tmp_path / "cache"
    load_vault(root, cache_dir=folder)  # just written: the mtime cannot be trusted, so a hash is kept
    path = root / "B.md"
    info = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("[[A]]", "[[C]]"), encoding="utf-8")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size and path.stat().st_mtime_ns == info.st_mtime_ns
    vault = load_vault(root, cache_dir=folder)
    assert [link.target for link in vault.notes["B.md"].links] == ["C", "Alpha"]


def test_warm_lint_prints_the_same_report(make_vault, tmp_path):
    root, folder = make_vault(NOTES), tmp_path / "cache"
    fresh = _lint(root, None)
    cold, warm = _lint(root, folder), _lint(root, folder)
    assert fresh.returncode == cold.returncode == warm.returncode == 1
    assert fresh.stdout == cold.stdout == warm.stdout and "Nope" in warm.stdout
    (root / "A.md").write_text("# A\nAll fixed: [[B]].\n", encoding="utf-8")
    after = _lint(root, folder)
    assert after.stdout == _lint(root, None).stdout and "Nope" not in after.stdout


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "foreign", "code"])
def test_a_damaged_cache_never_changes_an_answer(make_vault, tmp_path, damage):
    root, folder = make_vault(NOTES), tmp_path / "cache"
    expected = _lint(root, None).stdout
    _lint(root, folder)
    marker = tmp_path / "ran"
    for path in _cache_files(folder):
        data = path.read_bytes()
        path.write_bytes(
            {
                "garbage": os.urandom(len(data)),
                "truncated": data[: len(data) // 2],
                "empty": b"",
                "foreign": pickle.dumps({"key": "another vault", "items": {"A.md": (1, 2, None, "x")}}),
                "code": pickle.dumps(_Payload(str(marker))),
            }[damage]
        )
    result = _lint(root, folder)
    assert result.returncode == 1 and result.stdout == expected and "Traceback" not in result.stderr
    assert not marker.exists()  # the unpickler refused the payload instead of running it
    assert _lint(root, folder).stdout == expected  # and the rebuilt cache is sound


class _Payload:
    """A pickle that would create a file if unpickled without restriction."""

    def __init__(self, path: str):
        self.path = path

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (open, (self.path, "w"))


def test_concurrent_runs_share_one_cache(make_vault, tmp_path):
    root, folder = make_vault(NOTES), tmp_path / "cache"
    expected = _lint(root, None).stdout
    command = [sys.executable, "-m", "kg", "--cache-dir", str(folder), "lint", str(root), "--format", "json"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert outputs == [expected] * 4
    assert [path.name for path in folder.iterdir() if path.name.startswith(".kg-")] == []  # no temporary left
    assert _lint(root, folder).stdout == expected


def test_a_cache_folder_inside_the_vault_is_never_written(make_vault):
    root = make_vault(NOTES)
    before = sorted(path.relative_to(root) for path in root.rglob("*"))
    cache = Cache(root / "cache", root, Config())
    assert not cache.enabled
    load_vault(root, cache_dir=root / "cache")
    assert _lint(root, root / ".cache").returncode == 1
    assert sorted(path.relative_to(root) for path in root.rglob("*")) == before


def test_no_cache_writes_nothing(make_vault, tmp_path, monkeypatch):
    root, folder = make_vault(NOTES), tmp_path / "cache"
    monkeypatch.setenv("KG_CACHE_DIR", str(folder))
    assert _lint(root, None).returncode == 1
    assert not folder.exists()


def _query(vault: Path, cache: Path, *args: str) -> str:
    command = [sys.executable, "-m", "kg", "--cache-dir", str(cache), *args, "--vault", str(vault)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout


def test_hierarchy_queries_answer_from_the_snapshot_until_a_file_changes(make_vault, tmp_path):
    root, folder = make_vault(NOTES), tmp_path / "cache"
    assert _lint(root, folder).returncode == 1  # a full read stores the snapshot
    snapshots = list(folder.glob("*.answer.pickle"))
    assert len(snapshots) == 2  # the lint report and the snapshot
    assert _query(root, folder, "ancestors", "C") == "A.md\nB.md  Intro\n"
    assert _query(root, folder, "children", "alpha") == "sub/C.md\n"
    (root / "A.md").write_text("# A\nno parent now\n", encoding="utf-8")
    assert _query(root, folder, "ancestors", "C") == "A.md\n"


_MODULES_AFTER_QUERY = """
import sys
from kg.cli import main
sys.argv = ["kg", "--cache-dir", sys.argv[1], "ancestors", "sub/C", "--vault", sys.argv[2]]
try:
    main()
except SystemExit:
    pass
print(sorted(name for name in sys.modules if name.split(".")[0] in ("yaml", "markdown_it", "frontmatter")
             or name.startswith("kg.parse") or name.startswith("kg.lint")))
"""


def test_a_query_answered_from_the_snapshot_loads_no_parser(make_vault, tmp_path):
    root, folder = make_vault(NOTES), tmp_path / "cache"
    assert _lint(root, folder).returncode == 1  # reads the vault and stores its snapshot
    command = [sys.executable, "-c", _MODULES_AFTER_QUERY, str(folder), str(root)]
    out = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout
    assert out.splitlines() == ["A.md", "B.md  Intro", "[]"]


def test_a_saved_answer_is_read_back_from_disk_and_an_unsaved_one_kept(tmp_path):
    root = tmp_path / "vault"
    root.mkdir()
    answer = {"rows": list(range(1000))}
    cache = Cache(tmp_path / "cache", root, Config())
    cache.remember("k", "print", answer)
    cache.save()
    assert cache.answer("k", "print") == answer and cache.answer("k", "other") is None
    (tmp_path / "blocked").write_text("a file where the cache folder should be")
    stuck = Cache(tmp_path / "blocked", root, Config())
    stuck.remember("k", "print", answer)
    stuck.save()  # cannot write: the answer stays in memory
    assert stuck.answer("k", "print") == answer
