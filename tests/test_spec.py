"""The spec's 83 test cases (tests/data/spec/*.yml), each read from disk through load_vault."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import DATA, write_vault
from kg import Config, load_vault
from kg.lint import lint
from kg.query import ancestors, children
from kg.stats import vault_stats

CASES = sorted((DATA / "spec").glob("*.yml"))
LINK_KEYS = ("raw", "kind", "target", "subpath", "display", "line", "col", "to", "match")
OPTIONAL_KEYS = ("candidates", "ghost", "alias_of", "subpath_status", "in_comment", "relation", "quoted", "key")


def _link_record(ref: Any) -> dict[str, Any]:
    link = ref.link
    return {
        "raw": link.raw, "kind": link.kind.value, "target": link.target, "subpath": link.subpath,
        "display": link.display, "line": link.span.line, "col": link.span.col, "to": ref.path,
        "match": ref.match, "candidates": list(ref.candidates), "ghost": ref.ghost,
        "alias_of": list(ref.alias_of), "subpath_status": ref.subpath_status,
        "in_comment": link.in_comment, "relation": link.relation, "quoted": link.quoted, "key": link.key,
    }


def test_every_spec_case_has_a_fixture() -> None:
    numbers = {yaml.safe_load(path.read_text(encoding="utf-8"))["case"] for path in CASES}
    assert numbers == set(range(1, 84))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_spec_case(path: Path, tmp_path: Path) -> None:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    config = replace(Config(), **case.get("config", {}))
    vault = load_vault(write_vault(tmp_path / "vault", case["files"]), config)

    for source, expected in case.get("links", {}).items():
        got = [_link_record(ref) for ref in vault.references if ref.source == source]
        want_keys = [LINK_KEYS + tuple(k for k in OPTIONAL_KEYS if k in item) for item in expected]
        assert [{k: g[k] for k in keys} for g, keys in zip(got, want_keys)] == expected
        assert len(got) == len(expected), f"{source}: {len(got)} links, expected {len(expected)}"

    if "edges" in case:
        edges = Counter((u, v, d["kind"], d["implied"]) for u, v, d in vault.graph.edges(data=True))
        assert edges == Counter(tuple(edge) for edge in case["edges"])
    if "problems" in case:
        problems = Counter((n.path, p.kind, p.span.line) for n in vault for p in n.problems)
        assert problems == Counter(tuple(problem) for problem in case["problems"])
    for note, attributes in case.get("notes", {}).items():
        for key, value in attributes.items():
            assert list(getattr(vault.notes[note], key)) == value, (note, key)
    if "findings" in case:
        findings = Counter((f.path, f.name, f.line) for f in lint(vault))
        assert findings == Counter(tuple(finding) for finding in case["findings"])
    if "nodes" in case:
        assert {node: data["kind"] for node, data in vault.graph.nodes(data=True)} == case["nodes"]
    if "attachments" in case:
        assert vault_stats(vault).attachments == case["attachments"]
    for source, counts in case.get("resolved_links", {}).items():
        assert vault.resolved_links.get(source, {}) == counts
    for node, expected in case.get("ancestors", {}).items():
        assert ancestors(vault, node) == expected
    for node, expected in case.get("children", {}).items():
        assert children(vault, node) == expected
