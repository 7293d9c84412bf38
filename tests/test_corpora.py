"""Real vaults written by other people (tests/data/corpora): they load, and kg's answers on a few
notes match what was checked by reading those notes by hand."""

from __future__ import annotations

import functools

import pytest

from conftest import CORPORA
from kg import Vault, load_vault

NAMES = ["obsidian-tasks-docs", "obsidian-tasks-demo", "kepano-obsidian"]


@functools.cache
def corpus(name: str) -> Vault:
    return load_vault(CORPORA / name)


def refs(name: str, source: str) -> list[tuple[object, ...]]:
    return [
        (r.link.kind.value, r.link.raw, r.link.span.line, r.link.span.col, r.node, r.subpath_status)
        for r in corpus(name).references
        if r.source == source
    ]


@pytest.mark.parametrize("name", NAMES)
def test_corpus_loads_and_graph_matches_references(name: str) -> None:
    vault = corpus(name)
    graph = vault.graph
    assert graph.number_of_nodes() == len(vault.shown_files) + len(vault.ghosts)
    explicit = [d for _, _, d in graph.edges(data=True) if not d["implied"]]
    assert len(explicit) == len(vault.references) - _duplicate_hierarchy(vault)
    assert vault.skipped == ()


def _duplicate_hierarchy(vault: Vault) -> int:
    seen = [(r.source, r.node, r.link.relation) for r in vault.references if r.link.relation]
    return len(seen) - len(set(seen))


@pytest.mark.parametrize(
    ("name", "notes", "attachments", "links", "broken"),
    [
        # each LICENSE file (no extension) is no attachment: Obsidian does not show it (spec A2.1)
        ("obsidian-tasks-docs", 118, 120, 1265, 1),
        ("obsidian-tasks-demo", 205, 16, 131, 6),  # [[|]], [[|alias]], [[|#alias]] are links (spec B2)
        ("kepano-obsidian", 103, 31, 209, 62),
    ],
)
def test_corpus_numbers(name: str, notes: int, attachments: int, links: int, broken: int) -> None:
    vault = corpus(name)
    assert (len(vault.notes), len(vault.attachments), len(vault.references), len(vault.broken)) == (
        notes, attachments, links, broken
    )


def test_kepano_frontmatter_links_and_base_embeds() -> None:
    assert refs("kepano-obsidian", "References/Kyoto.md") == [
        ("frontmatter", "[[Places]]", 3, 6, "Categories/Places.md", None),
        ("frontmatter", "[[Cities]]", 5, 6, "Cities", None),
        ("frontmatter", "[[Japan]]", 7, 6, "Japan", None),
        ("embed", "![[Trips.base#Location]]", 16, 1, "Templates/Bases/Trips.base", "not-checked"),
        ("embed", "![[Map.base#Location]]", 20, 1, "Templates/Bases/Map.base", "not-checked"),
        ("embed", "![[Places.base#Location]]", 21, 1, "Templates/Bases/Places.base", "not-checked"),
    ]


def test_kepano_template_with_placeholder_keeps_its_properties() -> None:
    note = corpus("kepano-obsidian").notes["Templates/Album Template.md"]
    assert note.problems == () and [link.target for link in note.links] == ["Albums"]


def test_tasks_docs_relative_images_and_same_note_headings() -> None:
    found = refs("obsidian-tasks-docs", "Getting Started/Dates.md")
    image = "![Settings for tracking task histories](../../images/settings-optional-date-fields.png)"
    assert ("markdown-embed", image, 115, 1, "images/settings-optional-date-fields.png", None) in found
    same_note = [f for f in found if f[1] == "[[#Date-tracking settings|screenshot]]"]
    assert [(f[2], f[4], f[5]) for f in same_note] == [(126, "Getting Started/Dates.md", "ok")] + [
        (159, "Getting Started/Dates.md", "ok"), (181, "Getting Started/Dates.md", "ok")
    ]


def test_tasks_docs_heading_case_mismatch() -> None:
    found = refs("obsidian-tasks-docs", "Queries/Sorting.md")
    assert ("wikilink", "[[Sorting#default sort order]]", 533, 46, "Queries/Sorting.md", "case-mismatch") in found


def test_tasks_demo_broken_links_are_the_real_ones() -> None:
    broken = [(r.source, r.link.raw) for r in corpus("obsidian-tasks-demo").broken]
    assert broken == [
        ("Test Data/link_in_task_markdown_link.md", "[link_in_task_markdown_link](pa#th/path/link_in_task_markdown_link.md)"),
        ("Test Data/link_in_task_wikilink.md", "[[pa#th/path/link_in_task_wikilink]]"),
        # Obsidian records these as the links '|', '|alias' and '|#alias' (the recorded cache of this note)
        ("Test Data/link_in_task_wikilink.md", "[[|]]"),
        ("Test Data/link_in_task_wikilink.md", "[[|alias]]"),
        ("Test Data/link_in_task_wikilink.md", "[[|#alias]]"),
        ("Test Data/link_is_broken.md", "[[broken link - do not fix me]]"),
    ]
