"""The query commands through click's CliRunner: exact stdout, stderr and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import DATA, SAMPLE_VAULT
from kg.cli import cli

HIERARCHY = str(DATA / "vaults" / "hierarchy")
SAMPLE = str(SAMPLE_VAULT)


def _runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click < 8.2
    except TypeError:  # click >= 8.2 keeps stderr apart on its own
        return CliRunner()


def kg(*args: str, vault: str = HIERARCHY, **kwargs: object) -> Result:
    return _runner().invoke(cli, [*args, "--vault", vault], **kwargs)  # type: ignore[arg-type]


def answer(result: Result) -> tuple[int, str, str]:
    return result.exit_code, result.stdout, result.stderr


# lookups and exit codes


def test_ancestors_by_a_cyrillic_alias_in_lower_case() -> None:
    assert answer(kg("ancestors", "ии модель", vault=SAMPLE)) == (0, "AI-concept.md  AI concepts\n", "")


def test_ancestors_of_a_five_level_chain_as_json() -> None:
    result = kg("ancestors", "dall-e", "--json", vault=SAMPLE)
    assert result.exit_code == 0
    assert json.loads(result.stdout) == [
        "AI-Model.md",
        "AI-concept.md",
        "Models/Generative/Diffusion model.md",
        "Models/Generative/Generative model.md",
        "Models/Generative/Image/Text-to-image model.md",
        "Providers/Model providers.md",
        "Providers/OpenAI.md",
    ]


def test_a_name_of_several_notes_lists_them_and_exits_2() -> None:
    assert answer(kg("children", "overview", vault=SAMPLE)) == (
        2,
        "",
        "Error: 'overview' matches 2 notes; name one by path: "
        "'Models/Discriminative/Overview.md', 'Models/Generative/Overview.md'\n",
    )


def test_a_path_suffix_picks_one_of_them() -> None:
    assert answer(kg("parents", "Generative/Overview", vault=SAMPLE)) == (
        0, "Models/Generative/Generative model.md\n", ""
    )


def test_no_match_suggests_and_exits_1() -> None:
    assert answer(kg("show", "Fysics")) == (1, "", "Error: no note matches 'Fysics'; did you mean 'Physics'?\n")
    assert answer(kg("ancestors", "Биохимя")) == (
        1, "", "Error: no note matches 'Биохимя'; did you mean 'Биохимия'?\n"
    )


def test_the_vault_comes_from_kg_vault() -> None:
    result = _runner().invoke(cli, ["parents", "optics"], env={"KG_VAULT": HIERARCHY})
    assert answer(result) == (0, "Light studies  (unresolved)\nPhysics.md\n", "")


def test_a_missing_vault_is_a_one_line_error(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope")
    assert answer(kg("roots", vault=missing)) == (2, "", f"Error: vault '{missing}' does not exist\n")


def test_an_unknown_relation_is_a_usage_error() -> None:
    result = kg("parents", "Optics", "--relation", "parent")
    assert result.exit_code == 2 and "Invalid value for '--relation'" in result.stderr


# the hierarchy


def test_implied_down_edges_count_unless_explicit() -> None:
    assert answer(kg("children", "Physics")) == (
        0, "Mechanics.md\nOptics.md\nPhysics/Overview.md  Physics at a glance\n", ""
    )
    assert answer(kg("children", "Physics", "--explicit")) == (
        0, "Optics.md\nPhysics/Overview.md  Physics at a glance\n", ""
    )
    assert answer(kg("ancestors", "Mechanics", "--explicit")) == (0, "", "")


def test_several_parents_and_siblings() -> None:
    assert answer(kg("parents", "БИОХИМИЯ")) == (0, "Biology.md\nChemistry.md\n", "")
    assert answer(kg("siblings", "Biochemistry")) == (0, "Chemistry/Overview.md\nLoop/Egg.md\n", "")


def test_ancestors_through_a_cycle_end() -> None:
    assert answer(kg("ancestors", "Loop/Hen")) == (
        0, "Biology.md\nLoop/Chicken.md\nLoop/Egg.md\nScience.md  Science — the map\n", ""
    )


def test_descendants_with_a_depth_limit() -> None:
    assert answer(kg("descendants", "Generative model", "--depth", "1", vault=SAMPLE)) == (
        0,
        "LLM.md  LLM — large language model\n"
        "Models/Generative/Diffusion model.md\n"
        "Models/Generative/GAN.md  GAN — generative adversarial network\n"
        "Models/Generative/Image/Text-to-image model.md\n"
        "Models/Generative/Overview.md  Generative models — overview\n"
        "Models/Generative/VAE.md  VAE — variational autoencoder\n",
        "",
    )


def test_roots_mark_an_unresolved_parent() -> None:
    assert answer(kg("roots")) == (0, "Light studies  (unresolved)\nScience.md  Science — the map\n", "")
    assert json.loads(kg("roots", "--json", vault=SAMPLE).stdout) == ["AI-concept.md"]


def test_relation_picks_the_field() -> None:
    assert answer(kg("ancestors", "Log-2017", "--relation", "next", vault=SAMPLE)) == (
        0, "Log-2024.md  Log 2024\nLog/Log-2022.md  Log 2022\nLog/Log-2023.md  Log 2023\n", ""
    )
    assert answer(kg("roots", "--relation", "NEXT", vault=SAMPLE)) == (0, "Log-2024.md  Log 2024\n", "")


# tree

FOREST = """\
Light studies  (unresolved)
└── Optics.md
Science.md  Science — the map
├── Biology.md
│   ├── Biochemistry.md
│   └── Loop/Egg.md
│       └── Loop/Chicken.md
│           └── Loop/Hen.md
│               └── Loop/Egg.md  (cycle)
├── Chemistry.md
│   ├── Biochemistry.md
│   └── Chemistry/Overview.md
└── Physics.md
    ├── Mechanics.md
    ├── Optics.md
    └── Physics/Overview.md  Physics at a glance
"""


def test_tree_below_every_root_marks_the_cycle() -> None:
    assert answer(kg("tree")) == (0, FOREST, "")


def test_tree_upwards_from_a_note_in_a_cycle() -> None:
    assert answer(kg("tree", "egg", "--up")) == (
        0,
        "Loop/Egg.md\n"
        "├── Biology.md\n"
        "│   └── Science.md  Science — the map\n"
        "└── Loop/Hen.md\n"
        "    └── Loop/Chicken.md\n"
        "        └── Loop/Egg.md  (cycle)\n",
        "",
    )


def test_tree_draws_a_shared_subtree_once() -> None:
    result = kg("tree", "AI-Model", "--depth", "2", vault=SAMPLE)
    assert answer(result) == (
        0,
        "AI-Model.md  Model (in AI)\n"
        "├── AI-Model-Sizes.md  AI model sizes\n"
        "├── Concepts/Foundation model.md\n"
        "│   ├── Concepts/Fine-tuning.md\n"
        "│   └── LLM.md  LLM — large language model\n"
        "├── Models/Discriminative/Discriminative model.md\n"
        "│   ├── Models/Discriminative/BERT.md\n"
        "│   ├── Models/Discriminative/Overview.md  Discriminative and other models — overview\n"
        "│   └── Models/Discriminative/ResNet.md\n"
        "├── Models/Generative/Generative model.md\n"
        "│   ├── LLM.md  LLM — large language model\n"
        "│   ├── Models/Generative/Diffusion model.md\n"
        "│   ├── Models/Generative/GAN.md  GAN — generative adversarial network\n"
        "│   ├── Models/Generative/Image/Text-to-image model.md\n"
        "│   ├── Models/Generative/Overview.md  Generative models — overview\n"
        "│   └── Models/Generative/VAE.md  VAE — variational autoencoder\n"
        "└── Topics/Choosing a model.md\n",
        "",
    )


def test_tree_as_nested_json() -> None:
    result = kg("tree", "Loop/Hen", "--json")
    closing = {"node": "Loop/Hen.md", "kind": "note", "cycle": True, "repeat": False, "children": []}
    chicken = {"node": "Loop/Chicken.md", "kind": "note", "cycle": False, "repeat": False, "children": [closing]}
    egg = {"node": "Loop/Egg.md", "kind": "note", "cycle": False, "repeat": False, "children": [chicken]}
    assert json.loads(result.stdout) == {
        "node": "Loop/Hen.md", "kind": "note", "cycle": False, "repeat": False, "children": [egg],
    }
    forest = json.loads(kg("tree", "--json").stdout)
    assert [tree["node"] for tree in forest] == ["Light studies", "Science.md"]
    assert forest[0]["kind"] == "ghost" and forest[0]["children"][0]["node"] == "Optics.md"


def test_tree_of_a_chain_too_deep_to_recurse(make_vault) -> None:
    root = str(make_vault({f"N{i:04}.md": f"up:: [[N{i + 1:04}]]" for i in range(1200)}))
    text = kg("tree", "N1200", vault=root)
    lines = text.stdout.splitlines()
    assert text.exit_code == 0 and lines[100] == " " * 4 * 99 + "└── N1100.md"
    assert lines[-1] == "…   " + " " * 4 * 99 + "└── N0000.md"  # past 100 levels the text stops widening
    data = kg("tree", "N1200", "--json", vault=root)
    assert data.exit_code == 0 and data.stdout.count('"node"') == 1201 and data.stdout.endswith("]}\n")


# links, backlinks, paths, find, show


def test_links_and_backlinks() -> None:
    assert answer(kg("links", "Optics")) == (0, "Light studies  (unresolved)\nPhysics.md\n", "")
    assert answer(kg("backlinks", "physics")) == (
        0, "Optics.md\nPhysics/Overview.md  Physics at a glance\nScience.md  Science — the map\n", ""
    )
    assert answer(kg("backlinks", "mixture of experts", vault=SAMPLE)) == (0, "Concepts/Transformer.md\n", "")
    assert answer(kg("links", "Lonely")) == (0, "", "")


def test_path_through_the_hierarchy() -> None:
    assert answer(kg("path", "DALL-E", "ResNet", "--relation", "up", vault=SAMPLE)) == (
        0,
        "Models/Generative/Image/DALL-E.md\n"
        "  -up-> Models/Generative/Image/Text-to-image model.md\n"
        "  -up-> Models/Generative/Generative model.md\n"
        "  -up-> AI-Model.md  Model (in AI)\n"
        "  <-up- Models/Discriminative/Discriminative model.md\n"
        "  <-up- Models/Discriminative/ResNet.md\n",
        "",
    )


def test_path_through_links_and_a_ghost() -> None:
    assert answer(kg("path", "Mechanics", "light studies")) == (
        0, "Mechanics.md\n  -link-> Optics.md\n  -up-> Light studies  (unresolved)\n", ""
    )
    assert answer(kg("path", "Physics", "Mechanics")) == (0, "Physics.md\n  -down-> Mechanics.md\n", "")
    assert answer(kg("path", "Physics", "Physics.md")) == (0, "Physics.md\n", "")


def test_path_reports_implied_edges_and_json() -> None:
    assert answer(kg("path", "Mechanics", "Physics", "--relation", "up")) == (
        0, "Mechanics.md\n  -up-> Physics.md  (implied)\n", ""
    )
    assert json.loads(kg("path", "Mechanics", "Physics", "--relation", "up", "--json").stdout) == [
        {"source": "Mechanics.md", "target": "Physics.md", "kind": "up", "forward": True, "implied": True}
    ]


def test_no_path_exits_1() -> None:
    assert answer(kg("path", "Lonely", "Science")) == (
        1, "", "Error: no path between 'Lonely.md' and 'Science.md'\n"
    )


def test_find_names_and_aliases_in_any_script() -> None:
    assert answer(kg("find", "ХИМ")) == (0, "Biochemistry.md  alias: Биохимия\nChemistry.md  alias: Химия\n", "")
    assert answer(kg("find", "overview")) == (
        0, "Chemistry/Overview.md\nPhysics/Overview.md  Physics at a glance\n", ""
    )
    assert json.loads(kg("find", "light", "--json").stdout) == ["Light studies"]


def test_find_without_a_match_suggests_and_exits_1() -> None:
    assert answer(kg("find", "Chemestry")) == (
        1, "", "Error: no note matches 'Chemestry'; did you mean 'Chemistry'?\n"
    )


SHOW_PHYSICS = """\
path      Physics.md
title     Physics
aliases   Физика
tags      -
parents   Science.md  Science — the map
children  Mechanics.md
          Optics.md
          Physics/Overview.md  Physics at a glance
links     4 out (0 broken), 3 in
findings  -
"""


def test_show_a_note() -> None:
    assert answer(kg("show", "физика")) == (0, SHOW_PHYSICS, "")


def test_show_a_note_with_broken_links_and_problems() -> None:
    result = kg("show", "ИИ Модель", vault=SAMPLE)
    lines = result.stdout.splitlines()
    assert result.exit_code == 0
    assert lines[:4] == [
        "path      AI-Model.md",
        "title     Model (in AI)",
        "aliases   Model (AI), AI model, ИИ Модель, Нейросеть (ИИ)",
        "tags      -",
    ]
    assert lines[-2:] == [
        "links     6 out (0 broken), 11 in",
        "findings  AI-Model.md:8:5: KG202 link '[[AI-concept]]' in property 'up' is not quoted, so yaml reads it"
        " as a list; write '\"[[AI-concept]]\"'",
    ]
    transformer = kg("show", "Transformer", vault=SAMPLE).stdout.splitlines()
    assert transformer[-2:] == [
        "links     7 out (1 broken), 16 in",
        "findings  Concepts/Transformer.md:22:69: KG001 link target 'Mixture of Experts' does not match any file",
    ]


def test_show_a_ghost_as_json() -> None:
    data = json.loads(kg("show", "Light studies", "--json").stdout)
    assert data == {
        "node": "Light studies", "kind": "ghost", "title": "Light studies", "heading": None, "aliases": [],
        "tags": [], "parents": [], "children": ["Optics.md"], "links_out": 0, "links_in": 1, "broken": 0,
        "findings": [],
    }
    ouroboros = json.loads(kg("show", "ouroboros", "--json").stdout)
    assert ouroboros["findings"] == [{
        "line": 2, "col": 6, "code": "KG102", "name": "self-parent", "severity": "error",
        "message": "note names itself as its own 'up'",
    }]


# output hygiene


QUERIES = [
    ("ancestors", "Optics"), ("descendants", "Science"), ("parents", "Optics"), ("children", "Science"),
    ("siblings", "Optics"), ("roots",), ("tree",), ("tree", "Science"), ("path", "Optics", "Biology"),
    ("backlinks", "Physics"), ("links", "Optics"), ("show", "Optics"), ("find", "o"),
]


@pytest.mark.parametrize("args", QUERIES, ids=[" ".join(a) for a in QUERIES])
def test_every_query_speaks_json(args: tuple[str, ...]) -> None:
    result = kg(*args, "--json")
    assert result.exit_code == 0 and result.stderr == ""
    assert json.loads(result.stdout)


@pytest.mark.parametrize("args", QUERIES, ids=[" ".join(a) for a in QUERIES])
def test_colour_only_on_a_terminal(args: tuple[str, ...]) -> None:
    plain = kg(*args)
    assert plain.exit_code == 0 and "\x1b[" not in plain.stdout


def test_colour_when_the_output_is_a_terminal() -> None:
    coloured = kg("tree", color=True).stdout
    assert "\x1b[33m(unresolved)\x1b[0m" in coloured and "\x1b[31m(cycle)\x1b[0m" in coloured
    assert click_unstyle(coloured) == FOREST


def click_unstyle(text: str) -> str:
    import click

    return click.unstyle(text)


# kg stats

STATS = """\
notes            14
attachments      1
links            24 (1 embed, 14 frontmatter, 9 wikilink)
resolved         23
broken links     1
ghost targets    1
hierarchy edges  15 up, 14 down
roots            2
several parents  3
cycles           2

broken links:
  Optics.md:4:6: [[Light studies]]

hierarchy roots:
  Light studies
  Science.md

hierarchy cycles:
  Loop/Chicken.md, Loop/Egg.md, Loop/Hen.md
  Ouroboros.md
"""


def test_stats_show_several_parents_and_cycles() -> None:
    assert answer(kg("stats", "--all")) == (0, STATS, "")


def test_stats_follow_the_relation() -> None:
    data = json.loads(kg("stats", "--json", "--relation", "next", vault=SAMPLE).stdout)
    assert (data["relation"], data["roots"], data["cycles"]) == ("next", ["Log-2024.md"], [])
    explicit = json.loads(kg("stats", "--json", "--explicit").stdout)
    assert explicit["several_parents"] == ["Biochemistry.md", "Loop/Egg.md", "Optics.md"]
