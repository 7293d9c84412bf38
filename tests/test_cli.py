"""The command line, through click's CliRunner: exact output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from conftest import SAMPLE_VAULT
from kg.cli import cli

STATS = """\
notes            4
attachments      1
links            5 (1 embed, 1 frontmatter, 3 wikilink)
resolved         4
broken links     1
ghost targets    1
hierarchy edges  2 up, 2 down
roots            1

broken links:
  A.md:4:12: [[Gone]]

hierarchy roots:
  Top.md
"""


def test_stats_text(make_vault) -> None:
    root = make_vault({
        "A.md": '---\nup: "[[Top]]"\n---\nSee [[B]], [[Gone]] and ![[pic.png]].\n',
        "B.md": "up:: [[Top]]\n", "Top.md": "", "Lone.md": "", "pic.png": b"",
    })
    result = CliRunner().invoke(cli, ["stats", "--vault", str(root), "--all"])
    assert (result.exit_code, result.output) == (0, STATS)


def test_stats_reads_kg_vault_from_the_environment(make_vault) -> None:
    root = make_vault({"A.md": "[[Gone]]"})
    result = CliRunner().invoke(cli, ["stats", "--json"], env={"KG_VAULT": str(root)})
    data = json.loads(result.output)
    assert (data["notes"], data["broken"]) == (1, 1)
    assert data["broken_links"] == [{"path": "A.md", "line": 1, "col": 1, "target": "Gone", "raw": "[[Gone]]"}]


def test_stats_on_the_sample_vault() -> None:
    result = CliRunner().invoke(cli, ["stats", "--vault", str(SAMPLE_VAULT), "--json"])
    data = json.loads(result.output)
    assert result.exit_code == 0
    assert data["notes"] >= 25 and data["roots"] == ["AI-concept.md"]
    assert [(b["path"], b["target"]) for b in data["broken_links"]] == [("Concepts/Transformer.md", "Mixture of Experts")]


def test_missing_vault_is_a_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["stats", "--vault", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert result.output == f"Error: vault '{tmp_path / 'nope'}' does not exist\n"


def test_export_json_writes_node_link_data(make_vault, tmp_path: Path) -> None:
    root = make_vault({"A.md": "[[B]] [[#Self]]\n# Self\n", "B.md": "up:: [[A]]"})
    out = tmp_path / "out" / "g.json"
    result = CliRunner().invoke(cli, ["export", "json", str(root), "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [n["id"] for n in data["nodes"]] == ["A.md", "B.md"]
    assert [(e["source"], e["target"], e["kind"], e["implied"]) for e in data["edges"]] == [
        ("A.md", "B.md", "link", False), ("A.md", "B.md", "down", True), ("B.md", "A.md", "up", False)
    ]
    assert data["edges"][0]["line"] == 1 and data["edges"][0]["col"] == 1


def test_export_json_is_byte_identical_between_runs(tmp_path: Path) -> None:
    outputs = []
    for name in ("a.json", "b.json"):
        CliRunner().invoke(cli, ["export", "json", str(SAMPLE_VAULT), "-o", str(tmp_path / name)])
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1] and len(outputs[0]) > 1000


def test_export_refuses_to_write_into_the_vault(make_vault) -> None:
    root = make_vault({"A.md": ""})
    result = CliRunner().invoke(cli, ["export", "json", str(root), "-o", str(root / "g.json")])
    assert result.exit_code == 2 and "inside the vault" in result.output
    assert not (root / "g.json").exists()


def test_python_dash_m_kg_runs() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "kg", "--version"], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout) == (0, "kg, version 0.1.0\n")


def test_a_bug_in_a_command_ends_as_one_line_and_exit_code_2(monkeypatch):
    import kg.query

    def broken(*args, **kwargs):
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(kg.query, "ancestors", broken)
    result = CliRunner().invoke(cli, ["ancestors", "Transformer", "--vault", str(SAMPLE_VAULT), "--no-cache"])
    assert result.exit_code == 2
    assert result.output == "Error: internal error: RuntimeError: boom second line (KG_DEBUG=1 shows where)\n"
