"""kg.query on the sample vault, the hierarchy fixture vault and small vaults built in memory."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DATA, SAMPLE_VAULT
from kg import Vault, load_vault
from kg.errors import AmbiguousNote, NoPath, NoteNotFound
from kg.query import (
    ancestors,
    backlinks,
    children,
    descendants,
    find_notes,
    hierarchy,
    links,
    lookup,
    parents,
    roots,
    shortest_path,
    show,
    siblings,
    suggest,
    tree,
)
from kg.stats import vault_stats

HIERARCHY = DATA / "vaults" / "hierarchy"


@pytest.fixture(scope="module")
def sample() -> Vault:
    return load_vault(SAMPLE_VAULT)


@pytest.fixture(scope="module")
def fixture() -> Vault:
    return load_vault(HIERARCHY)


# lookup


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("AI-Model.md", "AI-Model.md"),
        ("ai-model", "AI-Model.md"),
        ("/Models/Generative/Overview", "Models/Generative/Overview.md"),
        ("generative/overview.MD", "Models/Generative/Overview.md"),
        ("DALL-E", "Models/Generative/Image/DALL-E.md"),
        ("ии модель", "AI-Model.md"),
        ("ИИ МОДЕЛЬ", "AI-Model.md"),
        ("  Large language model ", "LLM.md"),
        ("diffusion-denoising.SVG", "attachments/diffusion-denoising.svg"),
        ("mixture of experts", "Mixture of Experts"),
    ],
)
def test_lookup_by_path_name_alias_and_ghost(sample: Vault, name: str, expected: str) -> None:
    assert lookup(sample, name) == expected


def test_lookup_normalises_unicode_before_comparing() -> None:
    vault = Vault.from_texts({"Cafe\u0301.md": "---\naliases: [Ёлка]\n---\n", "B.md": ""})
    assert lookup(vault, "café") == "Cafe\u0301.md"
    assert lookup(vault, "Е\u0308лка") == "Cafe\u0301.md"


def test_a_file_name_beats_an_alias_and_an_exact_node_id_names_itself() -> None:
    vault = Vault.from_texts({"LLM.md": "", "Other.md": "---\naliases: [LLM, Gone]\n---\n[[Gone]]"})
    assert lookup(vault, "llm") == "LLM.md"
    assert lookup(vault, "gone") == "Other.md"
    assert lookup(vault, "Gone") == "Gone"


def test_a_name_that_fits_several_notes_lists_them(sample: Vault) -> None:
    with pytest.raises(AmbiguousNote) as caught:
        lookup(sample, "OVERVIEW")
    assert caught.value.matches == ("Models/Discriminative/Overview.md", "Models/Generative/Overview.md")
    assert str(caught.value) == (
        "'OVERVIEW' matches 2 notes: 'Models/Discriminative/Overview.md', 'Models/Generative/Overview.md'"
    )


def test_an_alias_shared_by_two_notes_is_ambiguous() -> None:
    vault = Vault.from_texts({"A.md": "---\naliases: [Same]\n---\n", "B.md": "---\naliases: [same]\n---\n"})
    with pytest.raises(AmbiguousNote) as caught:
        lookup(vault, "SAME")
    assert caught.value.matches == ("A.md", "B.md")


def test_paths_that_differ_only_in_case_prefer_the_spelling_typed() -> None:
    vault = Vault.from_texts({"note.md": "", "Note.md": ""})
    assert (lookup(vault, "Note"), lookup(vault, "note.md")) == ("Note.md", "note.md")
    with pytest.raises(AmbiguousNote):
        lookup(vault, "NOTE")


def test_no_match_suggests_the_closest_names(sample: Vault) -> None:
    with pytest.raises(NoteNotFound) as caught:
        lookup(sample, "Transfomer")
    assert caught.value.suggestions == ("Transformer",)
    assert str(caught.value) == "no note matches 'Transfomer'; did you mean 'Transformer'?"


def test_suggestions_come_one_per_note_in_any_script(sample: Vault) -> None:
    assert suggest(sample, "Трансформр") == ["Трансформер"]
    assert suggest(sample, "gpt4") == ["GPT-4"]
    assert suggest(sample, "qqqqqqq") == []


def test_no_suggestion_leaves_the_message_short() -> None:
    with pytest.raises(NoteNotFound, match=r"^no note matches 'zzz'$"):
        lookup(Vault.from_texts({"A.md": ""}), "zzz")


# find_notes


def test_find_matches_file_names_and_aliases_in_any_case(sample: Vault) -> None:
    assert find_notes(sample, "TRANSFORMER") == {
        "Concepts/Transformer.md": ["Transformer", "Transformer architecture"],
        "Models/Discriminative/BERT.md": ["Bidirectional Encoder Representations from Transformers"],
    }
    assert find_notes(sample, "трансФорм") == {"Concepts/Transformer.md": ["Трансформер"]}


def test_find_covers_attachments_and_ghosts(sample: Vault) -> None:
    assert list(find_notes(sample, "diffusion")) == [
        "Models/Generative/Diffusion model.md",
        "Models/Generative/Image/Stable Diffusion.md",
        "attachments/diffusion-denoising.svg",
    ]
    assert find_notes(sample, "experts") == {"Mixture of Experts": ["Mixture of Experts"]}
    assert find_notes(sample, "no such text") == {}


# the hierarchy


def test_ancestors_of_a_five_level_chain(sample: Vault) -> None:
    assert ancestors(sample, "DALL-E") == [
        "AI-Model.md",
        "AI-concept.md",
        "Models/Generative/Diffusion model.md",
        "Models/Generative/Generative model.md",
        "Models/Generative/Image/Text-to-image model.md",
        "Providers/Model providers.md",
        "Providers/OpenAI.md",
    ]
    assert ancestors(sample, "DALL-E", depth=1) == parents(sample, "DALL-E")
    assert ancestors(sample, "DALL-E", depth=0) == []


def test_ancestors_by_cyrillic_alias(sample: Vault) -> None:
    assert ancestors(sample, "ии модель") == ["AI-concept.md"]


def test_descendants_with_a_depth_limit(sample: Vault) -> None:
    assert descendants(sample, "Generative model", depth=1) == [
        "LLM.md",
        "Models/Generative/Diffusion model.md",
        "Models/Generative/GAN.md",
        "Models/Generative/Image/Text-to-image model.md",
        "Models/Generative/Overview.md",
        "Models/Generative/VAE.md",
    ]
    deep = descendants(sample, "Generative model")
    assert "Models/Generative/Image/DALL-E.md" in deep and "Models/Generative/Text/GPT-4.md" in deep
    assert len(descendants(sample, "AI-concept")) == 37


def test_a_cycle_ends_and_never_contains_the_start(fixture: Vault) -> None:
    assert ancestors(fixture, "hen") == ["Biology.md", "Loop/Chicken.md", "Loop/Egg.md", "Science.md"]
    assert descendants(fixture, "Loop/Egg") == ["Loop/Chicken.md", "Loop/Hen.md"]
    assert ancestors(fixture, "Ouroboros") == [] and parents(fixture, "Ouroboros") == []


def test_implied_down_edges_count_unless_explicit(fixture: Vault) -> None:
    assert parents(fixture, "Mechanics") == ["Physics.md"]
    assert parents(fixture, "Mechanics", explicit=True) == []
    assert children(fixture, "Physics") == ["Mechanics.md", "Optics.md", "Physics/Overview.md"]
    assert children(fixture, "Physics", explicit=True) == ["Optics.md", "Physics/Overview.md"]


def test_ghost_parents_are_nodes_of_the_hierarchy(fixture: Vault) -> None:
    assert parents(fixture, "Optics") == ["Light studies", "Physics.md"]
    assert children(fixture, "light studies") == ["Optics.md"]
    assert "Light studies" in ancestors(fixture, "Optics")


def test_several_parents_and_siblings(fixture: Vault) -> None:
    assert parents(fixture, "биохимия") == ["Biology.md", "Chemistry.md"]
    assert siblings(fixture, "Biochemistry") == ["Chemistry/Overview.md", "Loop/Egg.md"]
    assert siblings(fixture, "Science") == []


def test_relation_picks_the_field(sample: Vault) -> None:
    assert ancestors(sample, "Log-2017", "next") == ["Log-2024.md", "Log/Log-2022.md", "Log/Log-2023.md"]
    assert parents(sample, "Log-2024", "prev") == ["Log/Log-2023.md"]
    assert roots(sample, "next") == ["Log-2024.md"]
    with pytest.raises(ValueError, match="unknown hierarchy relation 'parent'"):
        hierarchy(sample, "parent")


def test_roots_include_ghosts_but_not_a_cycle_without_a_top(fixture: Vault) -> None:
    assert roots(fixture) == ["Light studies", "Science.md"]
    assert roots(Vault.from_texts({"A.md": "up:: [[B]]", "B.md": "up:: [[A]]", "C.md": "up:: [[A]]"})) == []


def test_unknown_names_raise_in_every_query(fixture: Vault) -> None:
    for query in (ancestors, descendants, parents, children, siblings, links, backlinks, show):
        with pytest.raises(NoteNotFound):
            query(fixture, "Quantum")
    with pytest.raises(ValueError, match="depth must be 0 or more"):
        ancestors(fixture, "Optics", depth=-1)


# tree


def _rows(root) -> list[tuple[int, str, bool, bool]]:
    return [(level, t.node, t.cycle, t.repeat) for level, t in root.walk()]


def test_tree_marks_where_the_cycle_closes(fixture: Vault) -> None:
    assert _rows(tree(fixture, "Biology")) == [
        (0, "Biology.md", False, False),
        (1, "Biochemistry.md", False, False),
        (1, "Loop/Egg.md", False, False),
        (2, "Loop/Chicken.md", False, False),
        (3, "Loop/Hen.md", False, False),
        (4, "Loop/Egg.md", True, False),
    ]
    assert _rows(tree(fixture, "Ouroboros")) == [(0, "Ouroboros.md", False, False), (1, "Ouroboros.md", True, False)]


def test_tree_draws_a_shared_subtree_once(sample: Vault) -> None:
    rows = _rows(tree(sample, "AI-Model"))
    assert [r for r in rows if r[1] == "LLM.md"] == [(2, "LLM.md", False, False), (2, "LLM.md", False, True)]
    assert sum(1 for r in rows if r[1] == "Models/Generative/Text/GPT-4.md") == 1


def test_tree_upwards_with_a_depth_limit_and_ghosts(fixture: Vault) -> None:
    up = tree(fixture, "Optics", direction="up")
    assert [(level, t.node, t.kind) for level, t in up.walk()] == [
        (0, "Optics.md", "note"), (1, "Light studies", "ghost"), (1, "Physics.md", "note"), (2, "Science.md", "note"),
    ]
    assert _rows(tree(fixture, "Optics", direction="up", depth=1))[-1] == (1, "Physics.md", False, False)
    with pytest.raises(ValueError, match="direction must be"):
        tree(fixture, "Optics", direction="sideways")


def test_tree_and_ancestors_survive_a_chain_of_three_thousand_notes() -> None:
    texts = {f"N{i:04}.md": f"up:: [[N{i + 1:04}]]" for i in range(3000)}
    vault = Vault.from_texts(texts)
    levels = [level for level, _ in tree(vault, "N3000", direction="down").walk()]
    assert levels[-1] == 3000 and len(levels) == 3001
    assert len(ancestors(vault, "N0000")) == 3000


# links, backlinks, paths


def test_links_and_backlinks_leave_out_the_note_itself(sample: Vault) -> None:
    assert links(sample, "AI-Model") == ["AI-Model-Sizes.md", "AI-concept.md", "LLM.md", "Log-2024.md"]
    assert backlinks(sample, "Mixture of Experts") == ["Concepts/Transformer.md"]
    assert backlinks(sample, "diffusion-denoising.svg") == [
        "Models/Generative/Diffusion model.md", "Models/Generative/Overview.md",
    ]
    assert "AI-Model.md" not in backlinks(sample, "AI-Model")


def test_backlinks_count_frontmatter_links(fixture: Vault) -> None:
    assert backlinks(fixture, "Physics") == ["Optics.md", "Physics/Overview.md", "Science.md"]
    assert links(fixture, "Optics") == ["Light studies", "Physics.md"]
    assert links(fixture, "Lonely") == [] and backlinks(fixture, "Lonely") == []


def _walk(steps) -> list[tuple[str, str, bool, str]]:
    return [(s.source, s.kind, s.forward, s.target) for s in steps]


def test_shortest_path_walks_edges_both_ways(fixture: Vault) -> None:
    assert _walk(shortest_path(fixture, "Mechanics", "light studies")) == [
        ("Mechanics.md", "link", True, "Optics.md"),
        ("Optics.md", "up", True, "Light studies"),
    ]
    assert _walk(shortest_path(fixture, "Science", "Optics", "up")) == [
        ("Science.md", "up", False, "Physics.md"),
        ("Physics.md", "up", False, "Optics.md"),
    ]
    assert shortest_path(fixture, "Optics", "optics.md") == []


def test_shortest_path_prefers_explicit_edges_and_reports_implied_ones(fixture: Vault) -> None:
    steps = shortest_path(fixture, "Physics", "Mechanics", "down")
    assert _walk(steps) == [("Physics.md", "down", True, "Mechanics.md")] and not steps[0].implied
    steps = shortest_path(fixture, "Mechanics", "Physics", "up")
    assert _walk(steps) == [("Mechanics.md", "up", True, "Physics.md")] and steps[0].implied
    with pytest.raises(NoPath):
        shortest_path(fixture, "Mechanics", "Physics", "up", explicit=True)


def test_no_path_between_unconnected_notes(fixture: Vault) -> None:
    with pytest.raises(NoPath, match=r"^no path between 'Lonely.md' and 'Science.md'$"):
        shortest_path(fixture, "Lonely", "Science")


def test_shortest_path_on_the_sample_vault(sample: Vault) -> None:
    steps = shortest_path(sample, "DALL-E", "ResNet", "up")
    assert [s.target for s in steps] == [
        "Models/Generative/Image/Text-to-image model.md",
        "Models/Generative/Generative model.md",
        "AI-Model.md",
        "Models/Discriminative/Discriminative model.md",
        "Models/Discriminative/ResNet.md",
    ]
    assert [s.forward for s in steps] == [True, True, True, False, False]


# show and stats


def test_show_a_note(sample: Vault) -> None:
    info = show(sample, "LLMs")
    assert (info.node, info.kind, info.title, info.heading) == ("LLM.md", "note", "LLM", "LLM — large language model")
    assert info.aliases == ("Большая языковая модель", "LLMs", "Large language model")
    assert info.tags == ("ai", "model/generative", "nlp")
    assert info.parents == ("Concepts/Foundation model.md", "Models/Generative/Generative model.md")
    assert info.children == (
        "Concepts/Prompt engineering.md", "Models/Generative/Text/LLaMA.md", "Models/Generative/Text/Multimodal LLM.md",
    )
    assert (info.links_out, info.links_in, info.broken, info.findings) == (13, 17, 0, ())


def test_show_broken_links_findings_and_ghosts(sample: Vault, fixture: Vault) -> None:
    info = show(sample, "Transformer")
    assert info.broken == 1
    assert [(f.line, f.col, f.code) for f in info.findings] == [(22, 69, "KG001")]
    assert [f.name for f in show(sample, "AI-Model").findings] == ["unquoted-frontmatter-link"]
    assert [f.name for f in show(fixture, "Ouroboros").findings] == ["self-parent"]
    ghost = show(fixture, "Light studies")
    assert (ghost.kind, ghost.children, ghost.links_in, ghost.links_out) == ("ghost", ("Optics.md",), 1, 0)
    assert ghost.findings == ()


def test_stats_count_several_parents_and_cycles(fixture: Vault) -> None:
    numbers = vault_stats(fixture)
    assert numbers.roots == ["Light studies", "Science.md"]
    assert numbers.several_parents == ["Biochemistry.md", "Loop/Egg.md", "Optics.md"]
    assert numbers.cycles == [["Loop/Chicken.md", "Loop/Egg.md", "Loop/Hen.md"], ["Ouroboros.md"]]
    assert vault_stats(fixture, explicit=True).roots == ["Light studies", "Science.md"]


# properties


_EDGES = st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=20)


def _vault(edges: list[tuple[int, int]]) -> Vault:
    fields: dict[str, list[str]] = {f"N{i}.md": [] for i in range(8)}
    for child, parent in edges:
        fields[f"N{child}.md"].append(f"up:: [[N{parent}]]")
    return Vault.from_texts({path: "\n".join(lines) for path, lines in fields.items()})


@settings(max_examples=60, deadline=None)
@given(_EDGES)
def test_ancestors_match_networkx_on_any_up_graph(edges: list[tuple[int, int]]) -> None:
    vault = _vault(edges)
    graph = nx.DiGraph((f"N{c}.md", f"N{p}.md") for c, p in edges)
    for i in range(8):
        node = f"N{i}.md"
        expected = sorted(nx.descendants(graph, node) - {node}) if node in graph else []
        assert ancestors(vault, node) == expected
        below = {t.node for _, t in tree(vault, node).walk()}
        assert below == {node, *descendants(vault, node)}
