"""Every lint rule against its case file (tests/rules/<CODE>.yml), plus meta-tests on the registry."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT, write_vault
from kg import load_vault
from kg.lint import RULES, find_rule, lint
from kg.lint.docs import rules_markdown
from kg.lint.registry import DOC_HEADINGS

CASE_DIR = Path(__file__).parent / "rules"
CASES = [
    (path.stem, index, case)
    for path in sorted(CASE_DIR.glob("KG*.yml"))
    for index, case in enumerate(yaml.safe_load(path.read_text(encoding="utf-8"))["cases"])
]


@pytest.mark.parametrize(("code", "index", "case"), CASES, ids=[f"{c}-{i}" for c, i, _ in CASES])
def test_rule_case(code: str, index: int, case: dict[str, Any], tmp_path: Path) -> None:
    vault = load_vault(write_vault(tmp_path / "vault", case["files"]))
    findings = lint(vault, select=case.get("select", [code]))
    assert [f"{f.path}:{f.line}:{f.col}: {f.code} {f.message}" for f in findings] == case["expect"]


def test_every_rule_has_a_unique_code_and_kebab_name() -> None:
    codes = [rule.code for rule in RULES.values()]
    names = [rule.name for rule in RULES.values()]
    assert all(re.fullmatch(r"KG\d{3}", code) for code in codes) and len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", name) for name in names) and len(set(names)) == len(names)
    assert codes == sorted(codes)


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_is_documented_and_has_cases(code: str) -> None:
    rule = RULES[code]
    assert rule.summary.endswith(".") and all(heading in rule.doc for heading in DOC_HEADINGS)
    data = yaml.safe_load((CASE_DIR / f"{code}.yml").read_text(encoding="utf-8"))
    assert data["rule"] == rule.name
    expects = [case["expect"] for case in data["cases"]]
    assert [] in expects and any(expects), "needs a passing and a failing case"


def test_issue_rule_names_are_all_there() -> None:
    wanted = """broken-link missing-heading missing-block ambiguous-link alias-only-link broken-embed
    unquoted-frontmatter-link invalid-frontmatter invalid-field-value hierarchy-cycle self-parent
    non-canonical-path suspicious-url-wikilink unlinkable-filename non-portable-filename
    deprecated-alias-key duplicate-alias orphan-note unreadable-file""".split()
    assert [find_rule(name).name for name in wanted] == wanted
    assert not find_rule("orphan-note").enabled


def test_docs_page_is_generated_from_the_rules() -> None:
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_markdown()


def test_the_cycle_precheck_agrees_with_networkx() -> None:
    import random

    import networkx as nx

    from kg.lint.rules.hierarchy import _has_cycle

    generator = random.Random(7)
    for _ in range(300):
        nodes = [f"N{i}" for i in range(generator.randint(1, 9))]
        edges = [(generator.choice(nodes), generator.choice(nodes)) for _ in range(generator.randint(0, 12))]
        edges = [(u, v) for u, v in edges if u != v]
        assert _has_cycle(edges) == (not nx.is_directed_acyclic_graph(nx.DiGraph(edges)))
