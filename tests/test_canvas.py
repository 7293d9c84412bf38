"""Canvas files (issue 16): reading JSON Canvas 1.0, exact positions for writers, and canvases in the
vault, graph, lint, stats, cache and exports."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kg.load
from conftest import DATA
from kg.lint import lint
from kg.model import CanvasLink, LinkKind
from kg.parse.canvas import parse_canvas
from kg.parse.jsonspots import decoded_offsets, element_spots
from kg.query import backlinks
from kg.snapshot import Snapshot
from kg.stats import vault_stats
from kg.load import load_vault
from kg.vault import Vault

BOX = {"x": 0, "y": 0, "width": 400, "height": 300}


def board(*nodes: dict[str, object], edges: list[dict[str, object]] | None = None, **dump: object) -> str:
    """A canvas file's text with these nodes (each gets a position and size)."""
    data: dict[str, object] = {"nodes": [{**node, **BOX} for node in nodes]}
    if edges is not None:
        data["edges"] = edges
    return json.dumps(data, **dump)  # type: ignore[arg-type]


def file_node(node_id: str, file: str, subpath: str | None = None) -> dict[str, object]:
    node: dict[str, object] = {"id": node_id, "type": "file", "file": file}
    if subpath is not None:
        node["subpath"] = subpath
    return node


def text_node(node_id: str, text: str) -> dict[str, object]:
    return {"id": node_id, "type": "text", "text": text}


def decoded(text: str, spot: CanvasLink) -> str:
    """What the JSON text of a link's place decodes to."""
    return json.loads('"' + text[spot.start : spot.end] + '"')  # type: ignore[no-any-return]


# --- reading one canvas ------------------------------------------------------------------------


def test_file_nodes_give_their_path_subpath_and_place():
    text = board(file_node("n1", "Notes/Idea.md", "#Why#How"), file_node("n2", "img/fig.png"), indent="\t")
    canvas = parse_canvas(text, "Board.canvas")
    assert canvas.nodes == ("n1", "n2") and canvas.problems == ()
    first, second = canvas.links
    assert (first.field, first.link.kind, first.link.node, first.link.target, first.link.subpath) == (
        "file", LinkKind.CANVAS_FILE, "n1", "Notes/Idea.md", "Why#How")
    assert first.link.heading_chain == ("Why", "How") and second.link.subpath is None
    assert text[first.start : first.end] == "Notes/Idea.md"
    assert first.subpath_at is not None and text[slice(*first.subpath_at)] == "#Why#How"
    line = text.splitlines()[first.link.span.line - 1]
    assert line[first.link.span.col - 1 : first.link.span.end_col - 1] == "Notes/Idea.md"


def test_a_group_background_is_a_reference_too():
    text = board({"id": "g", "type": "group", "label": "Area", "background": "img/bg.png"})
    (spot,) = parse_canvas(text).links
    assert (spot.field, spot.link.target, spot.link.key, text[spot.start : spot.end]) == ("background", "img/bg.png", "background", "img/bg.png")


def test_text_node_links_are_read_by_the_note_parser_and_placed_in_the_file():
    markdown = 'Intro "quoted" café 😀\n\n- see [[Idea#Why|why]]\n- and [md](Other%20note.md) ![[fig.png]]\n`[[not a link]]`'
    for ascii_only in (True, False):
        text = board(text_node("t1", markdown), ensure_ascii=ascii_only, indent=2)
        links = parse_canvas(text).links
        assert [(s.link.raw, s.link.kind.value) for s in links] == [
            ("[[Idea#Why|why]]", "wikilink"), ("[md](Other%20note.md)", "markdown"), ("![[fig.png]]", "embed")]
        for spot in links:
            assert spot.field == "text" and spot.link.node == "t1"
            assert decoded(text, spot) == spot.link.raw
            lines = markdown.split("\n")
            span = spot.text_span
            assert span is not None and lines[span.line - 1][span.col - 1 : span.end_col - 1] == spot.link.raw
        assert [s.text_span.line for s in links if s.text_span] == [3, 4, 4]


def test_links_of_a_text_node_declare_no_hierarchy():
    (spot,) = parse_canvas(board(text_node("t", "up:: [[Parent]]"))).links
    assert spot.link.target == "Parent" and spot.link.relation is None


def test_byte_order_mark_and_crlf_keep_offsets_and_columns():
    text = "\ufeff" + board(file_node("a", "A.md"), indent=1).replace("\n", "\r\n")
    (spot,) = parse_canvas(text).links
    assert text[spot.start : spot.end] == "A.md"
    line = text.lstrip("\ufeff").split("\r\n")[spot.link.span.line - 1]
    assert line[spot.link.span.col - 1 : spot.link.span.end_col - 1] == "A.md"
    one_line = "\ufeff" + board(file_node("a", "A.md"))
    assert parse_canvas(one_line).links[0].link.span.col == one_line.index("A.md")  # the BOM is no column


def test_empty_file_is_an_empty_canvas():
    for text in ("", "  \n", "\ufeff", "{}", '{"nodes": [], "edges": []}'):
        canvas = parse_canvas(text)
        assert canvas.links == () and canvas.problems == () and canvas.nodes == ()


def test_the_corpus_canvas_links_to_its_note():
    path = DATA / "corpora" / "obsidian-tasks-demo" / "Manual Testing" / "Frontmatter" / "Frontmatter code.canvas"
    text = path.read_text(encoding="utf-8")
    canvas = parse_canvas(text, "Frontmatter code.canvas")
    assert canvas.problems == () and len(canvas.nodes) == 9 and canvas.edges == 7
    assert [(s.link.node, s.link.raw) for s in canvas.links] == [("296e9f517e9a80ab", "[[Tags in Frontmatter]]")]
    assert decoded(text, canvas.links[0]) == "[[Tags in Frontmatter]]"


# --- hostile canvases --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{nope", "canvas is not valid JSON: expecting property name enclosed in double quotes"),
        ('{"nodes": [', "canvas is not valid JSON: expecting value"),
        ("[" * 100_000 + "]" * 100_000, "canvas is not valid JSON: nested too deeply"),
        ('{"nodes": [], "x": ' + "9" * 5000 + "}", "canvas is not valid JSON: a number is too long to read"),
        ('"just a string"', "canvas holds a JSON string, not an object"),
        ("null", "canvas holds a JSON null, not an object"),
        ('{"nodes": {"id": "a"}}', "canvas 'nodes' is a JSON object, not an array"),
        ('{"edges": 3}', "canvas 'edges' is a JSON number, not an array"),
    ],
)
def test_what_is_not_a_canvas_is_a_problem_not_a_crash(text, message):
    canvas = parse_canvas(text, "Bad.canvas")
    assert canvas.links == ()
    assert [p.kind for p in canvas.problems] == ["invalid-canvas"]
    assert canvas.problems[0].message.startswith(message)


def test_nodes_of_wrong_types_are_reported_and_their_links_skipped():
    nodes = [
        {"id": 7, "type": "file", "file": "A.md", **BOX},
        {"id": "b", "type": ["file"], "file": "A.md", **BOX},
        {"id": "c", "type": "file", "file": 12, **BOX},
        {"id": "d", "type": "file", "file": "", **BOX},
        {"id": "e", "type": "text", "text": None, **BOX},
        {"id": "f", "type": "file", "file": "A.md", "subpath": "Heading", **BOX},
        {"id": "g", "type": "file", "file": "A.md", "x": "0", "y": True, "width": 1, "height": 1},
        "node",
        None,
    ]
    canvas = parse_canvas(json.dumps({"nodes": nodes, "edges": [{"id": "x", "fromNode": "f"}, 5]}, indent=1))
    messages = [p.message for p in canvas.problems]
    assert messages == [
        "canvas node 1 has no string 'id'",
        "canvas node 'b' has no string 'type', not one of text, file, link, group",
        "canvas file node 'c' has no string 'file'",
        "canvas file node 'd' has no string 'file'",
        "canvas text node 'e' has no string 'text'",
        "canvas node 'f' has subpath \"Heading\", which does not start with '#'",
        "canvas node 'g' has no number 'x'",
        "canvas node 8 is a JSON string, not an object",
        "canvas node 9 is a JSON null, not an object",
        "canvas edge 'x' has no string 'toNode'",
        "canvas edge 2 is a JSON number, not an object",
    ]
    assert [(s.link.node, s.link.subpath) for s in canvas.links] == [("f", None), ("g", None)]
    assert [p.span.line for p in canvas.problems] == sorted(p.span.line for p in canvas.problems)


def test_lone_surrogates_and_nul_never_reach_the_records():
    text = '{"nodes": [{"id": "\\ud800", "type": "text", "text": "\\u0000 [[A\\udcff]] \\ud83d\\ude00 [[B]]", ' \
           '"x": 0, "y": 0, "width": 1, "height": 1}, {"id": "f", "type": "file", "file": "\\ud800.md", ' \
           '"x": 0, "y": 0, "width": 1, "height": 1}]}'
    canvas = parse_canvas(text)
    assert canvas.nodes == ("\ufffd", "f")
    assert [s.link.target for s in canvas.links] == ["A\ufffd", "B", "\ufffd.md"]
    for spot in canvas.links:
        spot.link.raw.encode("utf-8")
        assert text[spot.start : spot.end].startswith(("[[", "\\ud800"))
    assert text[canvas.links[1].start : canvas.links[1].end] == "[[B]]"


def test_a_large_canvas_is_read_whole():
    nodes = [text_node(f"t{i}", f"card {i} [[Note {i % 50}]]") for i in range(3000)]
    nodes += [file_node(f"f{i}", f"Note {i}.md", "#H") for i in range(3000)]
    canvas = parse_canvas(board(*nodes))
    assert len(canvas.links) == 6000 and canvas.problems == ()
    assert canvas.links[-1].link.node == "f2999"


# --- exact places, for writers -----------------------------------------------------------------

_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
_NAME = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="[]|#^\n\r\\`<>!"), min_size=1, max_size=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(before=_TEXT, name=_NAME, after=_TEXT, new=_NAME, ascii_only=st.booleans(), indent=st.sampled_from([None, 0, 1, "\t"]))
def test_replacing_a_links_place_rewrites_that_link_and_nothing_else(before, name, after, new, ascii_only, indent):
    markdown = f"{before}\n[[{name.strip() or 'x'}]]\n{after}"
    text = board(text_node("t", markdown), file_node("f", f"{name}.md"), ensure_ascii=ascii_only, indent=indent)
    canvas = parse_canvas(text)
    file_spot = next(s for s in canvas.links if s.field == "file")
    assert decoded(text, file_spot) == f"{name}.md"
    for spot in canvas.links:
        assert decoded(text, spot) == spot.link.raw
        replacement = json.dumps(f"[[{new}]]", ensure_ascii=False)[1:-1]
        rewritten = text[: spot.start] + replacement + text[spot.end :]
        before_data, after_data = json.loads(text), json.loads(rewritten)
        field = "text" if spot.field == "text" else "file"
        index = 0 if spot.field == "text" else 1
        old_value = before_data["nodes"][index][field]
        at = spot.text_span and _offset(old_value, spot.text_span.line, spot.text_span.col)
        expected = (old_value[:at] + f"[[{new}]]" + old_value[at + len(spot.link.raw) :]) if at is not None else f"[[{new}]]"
        assert after_data["nodes"][index][field] == expected
        before_data["nodes"][index][field] = after_data["nodes"][index][field]
        assert before_data == after_data


def _offset(text: str, line: int, col: int) -> int:
    import re

    starts = [0] + [m.end() for m in re.finditer(r"\r\n?|\n", text)]
    return starts[line - 1] + col - 1


def test_decoded_offsets_follow_every_escape():
    raw = json.dumps('a"\\/\n\té😀\u2028x', ensure_ascii=True)[1:-1]
    offsets = decoded_offsets(raw)
    value = json.loads('"' + raw + '"')
    assert len(offsets) == len(value) + 1
    assert [json.loads('"' + raw[offsets[i] : offsets[i + 1]] + '"') for i in range(len(value))] == list(value)


def test_element_spots_follow_json_semantics():
    text = '{"nodes": [{"id": "a", "file": 1, "file": "B.md", "meta": {"file": "x"}}, [1, {"file": "y"}], 2],' \
           ' "no\\u0064es": [{"file": "C.md"}]}'
    nodes = element_spots(text)["nodes"]  # the escaped key is "nodes" too, and comes last
    assert [text[slice(*spots["file"])] for _, spots in nodes if spots] == ["C.md"]
    assert element_spots("[1, 2]") == {} and element_spots('{"edges": 5}') == {}


# --- canvases in the vault ---------------------------------------------------------------------

FILES = {
    "Idea.md": "# Idea\n## Why\n",
    "Lonely.md": "only a canvas shows me\n",
    "Other.md": "[[Idea]]\n",
    "Boards/Plan.canvas": board(
        file_node("n1", "Idea.md", "#Why"), file_node("n2", "Lonely.md", "#Nope"),
        text_node("n3", "cards link [[Missing]] and [[Other]] and [[#Top]]"),
        file_node("n4", "../outside/secret.md"), file_node("n5", "Plan.canvas"),
        edges=[{"id": "e", "fromNode": "n1", "toNode": "n2"}], indent="\t",
    ),
}


def test_a_canvas_is_a_node_of_its_own_kind_and_its_links_are_edges():
    vault = Vault.from_texts(FILES)
    assert list(vault.canvases) == ["Boards/Plan.canvas"] and vault.attachments == ()
    graph = vault.graph
    assert graph.nodes["Boards/Plan.canvas"]["kind"] == "canvas"
    assert graph.nodes["Boards/Plan.canvas"]["title"] == "Plan.canvas"
    edges = sorted((v, d["kind"], d["node"], d["subpath"]) for _, v, d in graph.out_edges("Boards/Plan.canvas", data=True))
    assert edges == [
        ("../outside/secret.md", "embed", "n4", None),
        ("Boards/Plan.canvas", "self", "n3", "Top"),
        ("Idea.md", "embed", "n1", "Why"),
        ("Lonely.md", "embed", "n2", "Nope"),
        ("Missing", "link", "n3", None),
        ("Other.md", "link", "n3", None),
        ("Plan.canvas", "embed", "n5", None),
    ]
    assert not any("node" in d for _, _, d in graph.out_edges("Other.md", data=True))
    assert Snapshot.of(vault).graph.nodes["Boards/Plan.canvas"]["kind"] == "canvas"


def test_a_file_node_names_a_vault_path_exactly():
    vault = Vault.from_texts({**FILES, "Deep/Idea.md": ""})
    refs = {ref.link.node: ref for ref in vault.references if ref.link.kind is LinkKind.CANVAS_FILE}
    assert (refs["n1"].path, refs["n1"].match, refs["n1"].subpath_status) == ("Idea.md", "exact", "ok")
    assert refs["n2"].subpath_status == "missing-heading"
    assert refs["n4"].path is None and refs["n4"].ghost == "../outside/secret.md"
    assert refs["n5"].path is None  # not relative to the canvas's folder: "Boards/Plan.canvas" is its path


def test_canvas_references_pair_each_place_with_its_resolution():
    vault = Vault.from_texts(FILES)
    pairs = vault.canvas_references("Boards/Plan.canvas")
    assert [(spot.link.node, spot.field, ref.path) for spot, ref in pairs] == [
        ("n1", "file", "Idea.md"), ("n2", "file", "Lonely.md"), ("n3", "text", None), ("n3", "text", "Other.md"),
        ("n3", "text", "Boards/Plan.canvas"), ("n4", "file", None), ("n5", "file", None)]
    assert all(spot.link is ref.link for spot, ref in pairs)
    assert vault.canvas_references("Idea.md") == [] and vault.canvas_references("nope.canvas") == []


def test_backlinks_orphans_and_stats_count_canvases():
    vault = Vault.from_texts(FILES)
    assert backlinks(vault, "Lonely") == ["Boards/Plan.canvas"]
    assert backlinks(vault, "Idea") == ["Boards/Plan.canvas", "Other.md"]
    orphans = [f for f in lint(vault, select=["orphan-note"])]
    assert orphans == []
    alone = Vault.from_texts({**FILES, "Boards/Plan.canvas": board(file_node("n1", "Idea.md"))})
    assert [f.path for f in lint(alone, select=["orphan-note"])] == ["Lonely.md"]
    stats = vault_stats(vault)
    assert (stats.notes, stats.canvases, stats.attachments) == (3, 1, 0)
    assert stats.links_by_kind["canvas-file"] == 4 and stats.links == 8


def test_lint_reports_missing_files_and_headings_with_the_canvas_node():
    vault = Vault.from_texts(FILES)
    found = [(f.path, f.line, f.code, f.message) for f in lint(vault) if f.path.endswith(".canvas")]
    text = FILES["Boards/Plan.canvas"]
    line_of = {node: next(i for i, line in enumerate(text.splitlines(), 1) if f'"{node}"' in line) for node in ("n2", "n4")}
    assert ("Boards/Plan.canvas", line_of["n2"] + 2, "KG004", "heading 'Nope' not found in 'Lonely.md' (canvas node 'n2')") in found
    assert ("Boards/Plan.canvas", line_of["n4"] + 2, "KG006",
            "embedded file '../outside/secret.md' does not exist (canvas node 'n4')") in found
    assert any(code == "KG001" and "'Missing'" in message and "canvas node 'n3'" in message for _, _, code, message in found)


def test_canvases_on_disk_hostile_ones_included(make_vault):
    root = make_vault({
        **FILES,
        "Latin.canvas": b'{"nodes": [{"id": "a", "type": "text", "text": "caf\xe9 [[Idea]]", "x": 0, "y": 0, "width": 1, "height": 1}]}',
        "Binary.canvas": bytes(range(256)) * 8,
        "Broken.canvas": b"{nope",
    })
    vault = load_vault(root)
    assert sorted(vault.canvases) == ["Binary.canvas", "Boards/Plan.canvas", "Broken.canvas", "Latin.canvas"]
    assert [r.path for r in vault.references if r.source == "Latin.canvas"] == ["Idea.md"]
    found = {(f.path, f.line, f.col, f.code) for f in lint(vault)}
    assert {("Latin.canvas", 1, 52, "KG304"), ("Binary.canvas", 1, 1, "KG304"), ("Broken.canvas", 1, 2, "KG305")} <= found
    assert not (root.parent / "outside").exists()


def test_an_excluded_canvas_is_neither_read_nor_linted(make_vault):
    root = make_vault({**FILES, "kg.toml": 'exclude = ["Boards"]\n'})
    vault = load_vault(root)
    assert vault.canvases == {} and vault.graph.nodes["Boards/Plan.canvas"]["kind"] == "canvas"
    assert not any(f.path.endswith(".canvas") for f in lint(vault))


# --- the cache ---------------------------------------------------------------------------------


def test_the_cache_keeps_canvases_until_they_change(make_vault, tmp_path, monkeypatch):
    root, folder = make_vault(FILES), tmp_path / "cache"
    first = load_vault(root, cache_dir=folder)
    read: list[str] = []
    real = kg.load._canvas_bytes

    def counting(path, data, config):
        read.append(path)
        return real(path, data, config)

    monkeypatch.setattr(kg.load, "_canvas_bytes", counting)
    second = load_vault(root, cache_dir=folder)
    assert read == [] and second.canvases == first.canvases and second.references == first.references
    (root / "Boards/Plan.canvas").write_text(board(file_node("n9", "Other.md")), encoding="utf-8")
    third = load_vault(root, cache_dir=folder)
    assert read == ["Boards/Plan.canvas"]
    assert [(r.link.node, r.path) for r in third.references if r.source == "Boards/Plan.canvas"] == [("n9", "Other.md")]


def test_a_warm_lint_sees_an_edited_canvas(make_vault, tmp_path):
    from click.testing import CliRunner

    from kg.cli import cli

    root, folder = make_vault(FILES), tmp_path / "cache"

    def run() -> str:
        result = CliRunner().invoke(cli, ["--cache-dir", str(folder), "lint", str(root), "--format", "json"])
        assert result.exit_code == 1, result.output
        return result.output

    cold = run()
    assert run() == cold and "Missing" in cold
    (root / "Boards/Plan.canvas").write_text(board(text_node("n3", "now [[Gone]]")), encoding="utf-8")
    warm = run()
    assert "Gone" in warm and "Missing" not in warm


# --- exports -----------------------------------------------------------------------------------


def test_exports_carry_canvases_and_stay_deterministic(make_vault, tmp_path):
    from kg.export.drawing import generate_dot, generate_mermaid
    from kg.export.formats import generate_graphml, generate_json
    from kg.export.html import generate_html
    from kg.export.select import Selection, select

    vault = load_vault(make_vault(FILES))
    graph = select(vault, Selection())
    data = json.loads(generate_json(graph))
    assert {n["id"]: n["kind"] for n in data["nodes"]}["Boards/Plan.canvas"] == "canvas"
    assert {e["node"] for e in data["edges"] if e["source"] == "Boards/Plan.canvas"} == {"n1", "n2", "n3", "n4", "n5"}
    assert 'shape=tab' in generate_dot(graph) and '[["Plan.canvas"]]' in generate_mermaid(graph)
    assert "canvas" in generate_graphml(graph)
    page = generate_html(graph, vault)
    assert "1 canvas" in page and '"diamond"' in page
    assert generate_html(graph, vault) == page and generate_graphml(graph) == generate_graphml(select(vault, Selection()))
