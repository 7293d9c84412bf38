"""The benchmark's vault generator: reproducible, with every promised feature, and read by kg as planted.

No timings here: ``benchmarks/run.py`` measures, these tests only check what it measures on.
"""

from __future__ import annotations

import doctest
import json
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg
from kg.cli import cli

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import benchmarks.generate  # noqa: E402
from benchmarks.generate import MANIFEST, generate_vault, read_manifest  # noqa: E402
from benchmarks.run import Result, Target, format_table, run_process  # noqa: E402

NOTES = 200


def files_of(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (manifest included) as ``{relative path: bytes}``."""
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("bench") / "vault"
    return root, generate_vault(root, NOTES, seed=7)


@pytest.fixture(scope="module")
def texts(generated: tuple[Path, dict]) -> dict[str, str]:
    root, _ = generated
    return {rel: data.decode("utf-8") for rel, data in files_of(root).items() if rel.endswith(".md")}


def write(root: Path, notes: int, seed: int) -> dict[str, bytes]:
    """Generate a vault and return its files."""
    generate_vault(root, notes, seed)
    return files_of(root)


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    first = write(tmp_path / "a", 50, seed=1)
    again = write(tmp_path / "b", 50, seed=1)
    other = write(tmp_path / "c", 50, seed=2)
    assert first == again
    assert first != other
    assert sum(rel.endswith(".md") for rel in first) == 50


def test_docstring_examples() -> None:
    assert doctest.testmod(benchmarks.generate).failed == 0


def test_regenerating_replaces_the_old_vault(tmp_path: Path) -> None:
    generate_vault(tmp_path / "v", 30, seed=0)
    (tmp_path / "v" / "stray.md").write_text("[[x]]", encoding="utf-8")
    assert sum(rel.endswith(".md") for rel in write(tmp_path / "v", 20, seed=0)) == 20


def test_manifest_records_the_summary(generated: tuple[Path, dict]) -> None:
    root, summary = generated
    manifest = read_manifest(root)
    assert manifest is not None and (root / MANIFEST).name.startswith(".")
    assert {key: manifest[key] for key in summary} == summary
    assert manifest["seed"] == 7 and manifest["notes"] == NOTES
    assert read_manifest(root / "nowhere") is None


@pytest.mark.parametrize(
    "pattern",
    [
        r"^aliases:\n  - ",  # a block list
        r"^aliases: \[[^\n]*, ",  # a flow list
        r"^aliases: [^\[\n]+$",  # a single string
        r"^aliases:.*(\n  - .*)*[а-яё]",  # Cyrillic
        r"^aliases:.*(\n  - .*)*[éàôü]",  # accented
        r"^tags: ",
        r'^up: "\[\[[^\]]+\]\]"$',  # quoted parent
        r"^up: \[\[[^\]]+\]\]$",  # unquoted parent, frontmatter or body
        r'^up:\n  - "?\[\[[^\]]+\]\]"?\n  - ',  # several parents
        r"^\[?up:: \[\[",  # Dataview field
        r"^```\w*\n(?:[^`\n]*\n)*?[^`\n]*\[\[Fake",  # backtick fence with a fake link
        r"^~~~\w*\n(?:[^~\n]*\n)*?[^~\n]*\[\[Fake",  # tilde fence with a fake link
        r"`\[\[Fake [^\]]+\]\]`",  # inline code with a fake link
        r"\[\[[^\]|#]+\|[^\]]+\]\]",  # [[Note|shown]]
        r"\[\[[^\]#]+#[^\]^]+\]\]",  # [[Note#Heading]]
        r"\[\[[^\]#]+#\^[\w-]+\]\]",  # [[Note#^block]]
        r"\[\[#[^\]]+\]\]",  # [[#Local heading]]
        r"\[\[[^\]]+/[^\]]+\]\]",  # [[Folder/Note]]
        r"!\[\[[^\]]+\.png",  # image embed
        r"!\[\[[^\].]+\]\]",  # note embed
        r"\]\([^)]*%20[^)]*\.md\)",  # Markdown link to a note
        r"\]\(https://",  # external link
        r" \^[\w-]+$",  # block id
        r"^#{3} ",  # a level-3 heading
        r"^\t- |^    - ",  # nested list item
        r"^\d\. ",  # ordered list
        r"^> \[!\w+\]",  # callout
        r"^\| --- \|",  # table
        r"\\\|",  # escaped pipe in a table
        r"%%",  # comment
        r" #[a-z]+",  # tag in text
    ],
)
def test_generator_writes_every_feature(texts: dict[str, str], pattern: str) -> None:
    regex = re.compile(pattern, re.MULTILINE)
    assert any(regex.search(text) for text in texts.values()), pattern


def test_folders_attachments_duplicates_and_hierarchy(generated: tuple[Path, dict], texts: dict[str, str]) -> None:
    root, summary = generated
    assert max(rel.count("/") for rel in texts) >= 2
    names = Counter(rel.rsplit("/", 1)[-1] for rel in texts)
    assert summary["duplicates"] and all(names[f"{title}.md"] >= 2 for title in summary["duplicates"])
    assert {path.suffix for path in (root / "attachments").iterdir()} == {".png", ".pdf"}
    assert summary["broken"] and summary["roots"] >= 3 and summary["max_depth"] >= 4
    assert summary["hub_children"] >= 5 and summary["several_parents"] >= 1


def planted(summary: dict) -> Counter[tuple[str, str]]:
    return Counter((path, target) for path, target in summary["broken"] + summary["broken_embeds"])


def test_kg_resolves_everything_but_the_planted_broken_links(generated: tuple[Path, dict]) -> None:
    root, summary = generated
    vault = kg.load_vault(root)
    assert len(vault.notes) == NOTES
    broken = Counter((ref.source, ref.link.target.removesuffix(".md")) for ref in vault.broken)
    assert broken == planted(summary)
    assert not [ref for ref in vault.references if ref.link.target.startswith("Fake")]
    up = [edge for edge in vault.graph.edges(data=True) if edge[2]["kind"] == "up" and not edge[2].get("implied")]
    assert len(up) == NOTES - summary["roots"] + summary["several_parents"]


def test_kg_lint_reports_the_planted_links_and_nothing_else_about_links(
    generated: tuple[Path, dict], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root, summary = generated
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    result = CliRunner().invoke(cli, ["lint", str(root), "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 1
    findings = json.loads(result.stdout)["findings"]
    codes = Counter(finding["code"] for finding in findings)
    assert codes["KG001"] + codes["KG006"] == sum(planted(summary).values())
    assert not {"KG004", "KG005", "KG101", "KG102", "KG201"} & set(codes)
    assert codes["KG202"] > 0  # the unquoted `up: [[Parent]]` links


def test_run_process_times_a_process_and_reports_failures() -> None:
    ok = run_process([sys.executable, "-c", "x = bytearray(50 * 2**20)"])
    assert ok.error is None and ok.exit_code == 0 and ok.peak_mb >= 50 and ok.seconds > 0
    crash = run_process([sys.executable, "-c", "raise SystemExit(2)"])
    assert (crash.exit_code, crash.error) == (2, "exit 2")
    trace = run_process([sys.executable, "-c", "import sys; 1/0"], ok=(0, 1))
    assert trace.error is not None and "ZeroDivisionError" in trace.error


def test_targets_and_table() -> None:
    assert Target("x", max_ratio=8).met(1.0, 8.0, 0) and not Target("x", max_ratio=8).met(1.0, 8.1, 0)
    assert not Target("x", max_seconds=15, max_peak_mb=1536).met(10, 1, 2000)
    row = Result(10_000, "cold lint", 10_000, 26.2, 0.2, 1.0, 5.0, 80.0, 1, target="≤ 8× floor", met=True)
    table = format_table([row])
    assert "10k" in table and "1.00 s (5.0×)" in table and "≤ 8× floor  ok" in table


def test_the_table_sets_the_builds_side_by_side():
    rows = [
        Result(10_000, "cold lint", 10_000, 26.2, 0.2, 2.0, 10.0, 80.0, 1, target="≤ 11× floor", met=True),
        Result(10_000, "cold lint", 10_000, 26.2, 0.2, 1.0, 5.0, 70.0, 1, target="≤ 8× floor", met=True,
               build="compiled"),
        Result(10_000, "warm lint", 10_000, 26.2, 0.2, 0.1, 0.5, 40.0, 1),
    ]
    table = format_table(rows).splitlines()
    assert "pure (× floor)" in table[0] and "compiled (× floor)" in table[0]
    assert len(table) == 3
    assert table[1].index("2.00 s (10.0×)") < table[1].index("1.00 s (5.0×)")
    assert "80 / 70" in table[1] and "≤ 11× floor  ok; compiled ≤ 8× floor  ok" in table[1]
