"""Regression tests for the bugs the hostile-vault suite (``test_hostile.py``) found, one or two each."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import write_vault
from kg.cli import cli
from kg.confine import note_text
from kg.export import FORMATS, render
from kg.lint import lint
from kg.lint.baseline import apply_baseline, generate_baseline, read_baseline
from kg.lint.rules import links as link_rules
from kg.lint.suppress import risky_regex
from kg.model import Heading, Span
from kg.query import generate_tree_text, tree
from kg.query.tree import MAX_INDENT
from kg.resolve import _chain_found, heading_key
from kg.load import load_vault
from kg.vault import Vault

LATIN1 = "caf\udce9.md"
"""How Python names the file whose name is the Latin-1 bytes ``caf\\xe9.md``."""


def kg(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout


@pytest.fixture
def latin1_vault(tmp_path: Path) -> Path:
    return write_vault(tmp_path / "vault", {LATIN1: "[[Gone]] [[B]]", "B.md": "up:: [[caf\ufffd]]"})


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_a_name_that_is_not_utf8_exports_in_every_format(latin1_vault: Path, fmt: str) -> None:
    texts = render(load_vault(latin1_vault), fmt)
    for text in texts.values():
        text.encode("utf-8")
    if fmt in ("graphml", "gexf"):
        ET.fromstring(texts[fmt])  # no character reference to a surrogate
    assert any("caf\ufffd" in text or "caf&#65533;" in text for text in texts.values())  # shown as U+FFFD


def test_a_name_that_is_not_utf8_in_sarif_and_the_baseline(latin1_vault: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out = kg("lint", str(latin1_vault), "--format", "sarif")
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in json.loads(out)["runs"][0]["results"]]
    assert code == 1 and "vault/caf%E9.md" in uris  # the file's real bytes, percent-encoded
    findings = lint(load_vault(latin1_vault))
    (tmp_path / "baseline.json").write_text(generate_baseline(findings), encoding="utf-8")
    assert apply_baseline(findings, read_baseline(tmp_path / "baseline.json")) == []


def test_full_format_never_quotes_a_file_outside_the_vault(tmp_path: Path) -> None:
    outside = write_vault(tmp_path / "outside", {"secret.md": "TOP SECRET\n"})
    root = write_vault(tmp_path / "vault", {"A.md": "[[Gone]]"})
    os.symlink(outside / "secret.md", root / "leak.md")
    code, out = kg("lint", str(root), "--format", "full")
    assert code == 1 and "leak.md:1:1: KG304" in out and "TOP SECRET" not in out
    assert note_text(load_vault(root), "leak.md") is None and note_text(load_vault(root), "A.md") == "[[Gone]]"


def test_sarif_names_a_symlink_by_its_own_path(tmp_path: Path, monkeypatch) -> None:
    root = write_vault(tmp_path / "vault", {"A.md": ""})
    os.symlink("/etc/passwd", root / "passwd.md")
    monkeypatch.chdir(tmp_path)
    out = kg("lint", str(root), "--format", "sarif")[1]
    assert '"uri": "vault/passwd.md"' in out and "etc/passwd" not in out


def test_suggestions_are_memoised_and_bounded(monkeypatch) -> None:
    calls: list[list[str]] = []
    original = link_rules.closest_matches

    def counting(words: list[str], *args: object, **kwargs: object) -> list[str | None]:
        calls.append(list(words))
        return original(words, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(link_rules, "closest_matches", counting)
    vault = Vault.from_texts({"A.md": "[[Transformr]] [[transformr]] [[Transformr]]", "Transformer.md": ""})
    assert [f.message.endswith("did you mean 'Transformer'?") for f in lint(vault)] == [True] * 3
    assert calls == [["transformr"], []]  # broken-link looks the name up once; broken-embed has nothing to look up
    monkeypatch.setattr(link_rules, "SUGGESTION_BUDGET", 0)
    assert not any("did you mean" in f.message for f in lint(vault))


def _reference_chain_found(chain: list[str], headings: list[Heading], key: str) -> bool:
    """The heading-chain check as it was before the outline index (one pass over the headings)."""
    wanted = [heading_key(part) for part in chain]
    have = [heading_key(h.text) for h in headings]
    if key == "fold":
        wanted, have = [w.lower() for w in wanted], [h.lower() for h in have]

    def search(level: int, start: int, stop: int, depth: int) -> bool:
        for index in range(start, stop):
            if headings[index].level <= level:
                return False
            if have[index] == wanted[depth]:
                if depth == len(wanted) - 1:
                    return True
                end = next((j for j in range(index + 1, stop) if headings[j].level <= headings[index].level), stop)
                if search(headings[index].level, index + 1, end, depth + 1):
                    return True
        return False

    return search(0, 0, len(headings), 0)


TITLES = st.sampled_from(["A", "a", "B", "A/B", "a b", "c"])


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.integers(1, 6), TITLES), max_size=12), st.lists(TITLES, min_size=1, max_size=3),
       st.sampled_from(["exact", "fold"]))
def test_heading_chains_are_found_as_before(outline: list[tuple[int, str]], chain: list[str], key: str) -> None:
    """The indexed check (linear in links, not links x headings) answers as the plain one did."""
    headings = tuple(Heading(level, text, Span(1, 1, 1, 1)) for level, text in outline)
    assert _chain_found(chain, headings, key) == _reference_chain_found(chain, list(headings), key)


def test_a_same_note_link_in_a_hierarchy_field_is_a_self_edge() -> None:
    """Found by the fuzzer: ``up:: [[a]] [[#|a]]`` made build_graph look up the reverse of 'self'."""
    graph = Vault.from_texts({"aa.md": "up:: [[a]] [[#|a]]", "a.png": b""}).graph
    assert sorted(graph.edges(data="kind")) == [("a", "aa.md", "down"), ("aa.md", "a", "up"), ("aa.md", "aa.md", "self")]


def test_a_name_thousands_of_files_share_costs_each_link_little() -> None:
    """Each link shares the name's one tuple of candidates, and the finding names ten of them."""
    vault = Vault.from_texts({f"d{i}/Note.md": "[[Note]]" for i in range(2000)})
    assert len({id(ref.candidates) for ref in vault.references}) == 1
    assert [ref.path for ref in vault.references[:2]] == ["d0/Note.md", "d1/Note.md"]  # each in its own folder
    message = lint(vault)[0].message
    assert message.startswith("link 'Note' fits 2000 files; 'd0/Note.md' wins") and message.endswith(", 1989 more)")
    assert sum(len(f.message) for f in lint(vault)) < 2000 * 300


def test_a_deep_chain_draws_a_tree_of_bounded_width() -> None:
    vault = Vault.from_texts({f"N{i}.md": f"up:: [[N{i + 1}]]" for i in range(1500)})
    lines = generate_tree_text(tree(vault, "N1500")).splitlines()
    assert len(lines) == 1501 and max(len(line) for line in lines) <= 4 * MAX_INDENT + len("└── N1500.md")
    assert lines[-1].startswith("…   ") and lines[-1].endswith("└── N0.md")


def test_obsidian_settings_are_not_read_through_a_symlink(tmp_path: Path) -> None:
    outside = write_vault(tmp_path / "outside", {"app.json": '{"userIgnoreFilters": ["/./"]}'})
    root = write_vault(tmp_path / "vault", {"A.md": "[[Gone]]"})
    os.symlink(outside, root / ".obsidian")
    assert [f.code for f in lint(load_vault(root))] == ["KG001"]  # not silenced by the outside filter


def test_an_exponential_regex_in_the_settings_does_not_hang(tmp_path: Path) -> None:
    root = write_vault(tmp_path / "vault", {".obsidian/app.json": '{"userIgnoreFilters": ["/(a+)+$/"]}',
                                            "a" * 40 + "!.md": "[[Gone]]"})
    done = subprocess.run([sys.executable, "-m", "kg", "lint", str(root), "--no-cache"], capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 1 and "KG001" in done.stdout
    assert risky_regex("(a|aa)+") and risky_regex("((a)*)*") and not risky_regex("^(Daily|Weekly)/[0-9]+")


def test_text_output_keeps_a_finding_on_one_line(tmp_path: Path) -> None:
    root = write_vault(tmp_path / "vault", {"new\nline.md": "[[Gone\x1b[2J]]"})
    out = kg("lint", str(root))[1]
    assert out.count("\n") == 3 and "new\\nline.md:1:1: KG001" in out and "\\x1b[2J" in out and "\x1b" not in out
    assert out.endswith("\nFound 2 findings (1 error, 1 info) in 1 note.\n")  # the summary line closes the report


@pytest.mark.parametrize("text", ["> - <!-- c\n>", ">[^1]: x\n> - <!-- c\n>", "- > - <!--\n  >", "> 1. <!--\n>"])
def test_markdown_it_reading_past_the_end_does_not_crash_the_parser(text: str) -> None:
    # markdown-it-py 3.0 raises IndexError on these (an HTML block in a list item in a quote, no
    # final line break); kg's markdown-it reader must survive it, whether or not the fast path reads them
    from kg.parse import parse_note
    from kg.parse.markdown import markdown, read_body

    with pytest.raises(IndexError):
        markdown().parse(text)
    lines = text.split("\n")
    assert read_body(lines, lines, 0).links == []
    assert parse_note(text, "N.md").problems == ()
