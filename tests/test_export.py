"""Exports other than the HTML map: GraphML/GEXF round trips, CSV, Mermaid, DOT, filters, the CLI."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from click.testing import CliRunner

from conftest import SAMPLE_VAULT
from kg.cli import cli
from kg.errors import KgError
from kg.export import FORMATS, Selection, outputs, render, select, write
from kg.export.drawing import _mermaid_label, drawn_edges, generate_dot, generate_mermaid
from kg.export.formats import flat_graph
from kg.export.layout import hierarchy
from kg.export.select import _copy
from kg.export.style import categories, hierarchy_depths, legend
from kg.load import load_vault
from kg.vault import Vault

HOSTILE = {
    '<img src=x onerror=alert(1)> "q" & c.md': "---\naliases: [a|b, 'x;y']\ntags: [t]\n---\n[[B]] [[Gone\\\\]] ![[p.png]]",  # B4 drops one trailing backslash of two
    "B.md": "up:: [[<img src=x onerror=alert(1)> \"q\" & c]]\n# Head\n[[#Head]]",
    "ctl\x01name.md": "[[B]]",
    "p.png": b"\x89PNG",
}


def edge_multiset(graph: nx.MultiDiGraph) -> Counter[tuple[str, str, str]]:
    return Counter((u, v, d["kind"]) for u, v, d in graph.edges(data=True))


@pytest.fixture(scope="module")
def sample() -> Vault:
    return load_vault(SAMPLE_VAULT)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graphml_and_gexf_read_back_with_the_same_nodes_and_edges(sample: Vault, fmt: str) -> None:
    graph = select(sample)
    text = render(sample, fmt)[fmt]
    back = nx.read_graphml(io.StringIO(text)) if fmt == "graphml" else nx.read_gexf(io.BytesIO(text.encode()))
    assert sorted(back.nodes) == sorted(graph.nodes)
    assert edge_multiset(back) == edge_multiset(graph) and back.number_of_edges() == graph.number_of_edges()
    assert back.nodes["AI-Model.md"]["aliases"] == "|".join(sample.notes["AI-Model.md"].aliases)
    assert back.nodes["AI-Model.md"]["kind"] == "note" and back.nodes["Mixture of Experts"]["kind"] == "ghost"
    line = {(u, v, d["line"]) for u, v, d in back.edges(data=True)}
    assert {(u, v, d["line"]) for u, v, d in graph.edges(data=True)} == line


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_formats_survive_hostile_names(make_vault, fmt: str) -> None:
    vault = load_vault(make_vault(HOSTILE))
    text = render(vault, fmt)[fmt]
    back = nx.read_graphml(io.StringIO(text)) if fmt == "graphml" else nx.read_gexf(io.BytesIO(text.encode()))
    flat = flat_graph(select(vault))
    assert sorted(back.nodes) == sorted(flat.nodes) and "ctl\ufffdname.md" in back
    assert edge_multiset(back) == edge_multiset(flat)


def test_xml_formats_are_stable_byte_for_byte(sample: Vault) -> None:
    for fmt in ("graphml", "gexf"):
        assert render(sample, fmt) == render(load_vault(SAMPLE_VAULT), fmt)
    assert "lastmodifieddate" not in render(sample, "gexf")["gexf"]


def test_flat_graph_joins_lists_and_drops_none() -> None:
    graph = Vault.from_texts({"A.md": "---\naliases: [x, y]\ntags: [t]\n---\n[[B]]"}).graph
    flat = flat_graph(graph)
    assert flat.nodes["A.md"] == {"kind": "note", "title": "A", "aliases": "x|y", "tags": "t"}
    assert list(flat.edges(data=True)) == [("A.md", "B", {"kind": "link", "implied": False, "line": 5, "col": 1})]
    assert graph.nodes["A.md"]["aliases"] == ["x", "y"]  # the vault's graph is left alone


def test_csv_writes_nodes_and_edges_next_to_a_base_name(sample: Vault, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "csv", str(SAMPLE_VAULT), "-o", str(tmp_path / "out" / "g.csv")])
    assert result.exit_code == 0, result.output
    graph = select(sample)
    assert result.output == (
        f"wrote {tmp_path / 'out' / 'g.nodes.csv'}, {tmp_path / 'out' / 'g.edges.csv'} "
        f"({graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges)\n"
    )
    nodes = list(csv.DictReader((tmp_path / "out" / "g.nodes.csv").open(encoding="utf-8", newline="")))
    edges = list(csv.DictReader((tmp_path / "out" / "g.edges.csv").open(encoding="utf-8", newline="")))
    graph = select(sample)
    assert [row["id"] for row in nodes] == list(graph.nodes)
    assert Counter((r["source"], r["target"], r["kind"]) for r in edges) == edge_multiset(graph)
    model = next(row for row in nodes if row["id"] == "AI-Model.md")
    assert model["aliases"].split("|") == list(sample.notes["AI-Model.md"].aliases)
    assert int(model["in_degree"]) == graph.in_degree("AI-Model.md")


def test_csv_into_a_folder(tmp_path: Path) -> None:
    assert outputs(tmp_path, "csv") == {"nodes": tmp_path / "nodes.csv", "edges": tmp_path / "edges.csv"}
    assert outputs("out/", "csv")["edges"] == Path("out/edges.csv")
    assert outputs("out/graph", "csv")["nodes"] == Path("out/graph.nodes.csv")


def test_mermaid_escapes_labels_and_draws_each_relation_once(make_vault) -> None:
    text = render(load_vault(make_vault(HOSTILE)), "mermaid")["mermaid"]
    assert text.startswith("flowchart LR\n")
    assert '["#lt;img src=x onerror=alert(1)#gt; #quot;q#quot; #amp; c"]' in text
    assert "<" not in text and ">" not in text.replace("-->", "").replace("==>", "").replace(".->", "")
    assert "n1 ==> n0" in text  # B up the hostile note
    assert text.count("\n  n") == 5 + len(drawn_edges(select(load_vault(make_vault(HOSTILE)))))


def test_mermaid_labels_use_entity_codes() -> None:
    assert _mermaid_label('#1 `code` "a"\n<b>&') == "#35;1 #96;code#96; #quot;a#quot; #lt;b#gt;#amp;"


def test_mermaid_and_html_refuse_maps_past_the_cap(make_vault, tmp_path: Path) -> None:
    root = make_vault({f"N{i}.md": f"[[N{i + 1}]]" for i in range(12)})
    for fmt in ("mermaid", "html"):
        out = tmp_path / f"m.{fmt}"
        result = CliRunner().invoke(cli, ["export", fmt, str(root), "-o", str(out), "--max-nodes", "10"])
        assert result.exit_code == 2 and not out.exists()
        assert result.output == (
            f"Error: the {fmt} map would have 13 nodes, more than --max-nodes 10; "
            "export a part of the vault with --root NOTE --depth N, --tag TAG or --folder FOLDER\n"
        )
    ok = CliRunner().invoke(cli, ["export", "mermaid", str(root), "-o", str(tmp_path / "f.mmd"), "--root", "N3", "--depth", "1"])
    assert ok.exit_code == 0 and (tmp_path / "f.mmd").read_text().count('["') == 3


def test_mermaid_refuses_more_edges_than_mermaid_draws() -> None:
    vault = Vault.from_texts({f"N{i}.md": " ".join(f"[[N{j}]]" for j in range(30)) for i in range(30)})
    with pytest.raises(KgError, match="more than Mermaid draws"):
        render(vault, "mermaid")


def test_dot_quotes_ids_and_labels(make_vault) -> None:
    text = render(load_vault(make_vault(HOSTILE)), "dot")["dot"]
    node = '"<img src=x onerror=alert(1)> \\"q\\" & c.md"'
    assert f'{node} [label="<img src=x onerror=alert(1)> \\"q\\" & c", fillcolor=' in text
    assert f'"B.md" -> {node} [color="#333333", penwidth=2.5];' in text
    assert '"Gone\\\\"' in text  # a ghost whose name ends in a backslash stays one quoted id (the note writes two; the link drops one)
    assert text.startswith('digraph "vault" {') and text.endswith("}\n")


def test_drawings_leave_out_implied_edges() -> None:
    graph = Vault.from_texts({"A.md": "up:: [[B]]", "B.md": ""}).graph
    assert drawn_edges(graph) == [("A.md", "B.md", "up")]
    assert generate_dot(graph).count("->") == 1 and generate_mermaid(graph).count("==>") == 1


def test_select_by_root_depth_tag_folder_and_kind(sample: Vault) -> None:
    near = select(sample, Selection(root="transformer", depth=1))
    assert "Concepts/Transformer.md" in near and "Mixture of Experts" in near
    assert set(near) == {"Concepts/Transformer.md", *nx.all_neighbors(select(sample), "Concepts/Transformer.md")}
    assert list(select(sample, Selection(root="Transformer", depth=0))) == ["Concepts/Transformer.md"]
    assert "Mixture of Experts" not in select(sample, Selection(root="Transformer", depth=1, ghosts=False))
    assert not any(d == "attachment" for _, d in select(sample, Selection(attachments=False)).nodes(data="kind"))
    providers = select(sample, Selection(folders=("providers",)))
    assert {n for n, d in providers.nodes(data="kind") if d == "note"} == {p for p in sample.notes if p.startswith("Providers/")}
    tagged = select(sample, Selection(tags=("#model",)))  # nested tags model/generative, model/closed ...
    assert tagged.number_of_nodes() and all(
        any(t == "model" or t.startswith("model/") for t in d["tags"]) for n, d in tagged.nodes(data=True) if d["kind"] == "note"
    )


def test_tag_filter_keeps_what_tagged_notes_point_to() -> None:
    vault = Vault.from_texts({"A.md": "#x [[Gone]] ![[p.png]] [[B]]", "B.md": "", "p.png": b""})
    assert list(select(vault, Selection(tags=("x",)))) == ["A.md", "p.png", "Gone"]


def test_self_links_change_no_selection() -> None:
    """select() walks the vault's graph with its self edges (loops): they keep no other node and
    shorten no path, and they are left out of the result unless asked for."""
    vault = Vault.from_texts({
        "A.md": "#x [[#Top]] [[B]] [[A#Top]]\n# Top", "B.md": "[[#Sub]] [[C]]\n# Sub",
        "C.md": "#y up:: [[D]] [[C]]", "D.md": "", "E/F.md": "[[#G]] ![[p.png]]\n# G", "p.png": b"",
    })
    for selection in (Selection(), Selection(root="A", depth=1), Selection(root="B", depth=2), Selection(tags=("x",)),
                      Selection(folders=("E",)), Selection(root="C", depth=0), Selection(ghosts=False)):
        without = select(vault, selection)
        with_self = select(vault, Selection(**{**{f: getattr(selection, f) for f in selection.__slots__}, "self_links": True}))
        assert list(without) == list(with_self)
        assert "self" not in {kind for _, _, kind in without.edges(data="kind")}
        assert [(u, v, k, d) for u, v, k, d in with_self.edges(keys=True, data=True) if d["kind"] != "self"] == list(
            without.edges(keys=True, data=True))
        assert all(without.edges[e] is not vault.graph.edges[e] for e in without.edges(keys=True))  # copies
    assert {kind for _, _, kind in select(vault, Selection(self_links=True)).edges(data="kind")} >= {"self"}


_EDGES = st.lists(st.tuples(st.sampled_from("abcde"), st.sampled_from("abcde"), st.sampled_from(["link", "up", "self"])), max_size=30)


@given(edges=_EDGES, keep=st.sets(st.sampled_from("abcde")), self_links=st.booleans())
def test_selection_copy_is_the_graph_add_edge_builds(edges: list[tuple[str, str, str]], keep: set[str], self_links: bool) -> None:
    """The bulk copy of a selection builds the very graph that ``add_edge`` per edge builds: nodes,
    successors and predecessors in the same order, the same keys, attributes equal but not shared."""
    graph = nx.MultiDiGraph()
    graph.add_nodes_from("edcba", kind="note")
    for u, v, kind in edges:
        graph.add_edge(u, v, kind=kind, line=len(graph.edges))
    expected = nx.MultiDiGraph()
    expected.add_nodes_from((node, data) for node, data in graph.nodes(data=True) if node in keep)
    for u, v, k, d in graph.edges(keys=True, data=True):
        if u in keep and v in keep and (self_links or d["kind"] != "self"):
            expected.add_edge(u, v, k, **d)
    copied = _copy(graph, keep, self_links=self_links)
    assert list(copied.nodes(data=True)) == list(expected.nodes(data=True))
    assert list(copied.adjacency()) == list(expected.adjacency())
    assert [(node, list(preds.items())) for node, preds in copied.pred.items()] == [
        (node, list(preds.items())) for node, preds in expected.pred.items()]
    assert all(copied.edges[e] is not graph.edges[e] for e in copied.edges(keys=True))


def test_write_gives_the_bytes_of_render(tmp_path: Path) -> None:
    vault = Vault.from_texts({"caf\udce9.md": "[[B]] [[Gone]]", "B.md": "up:: [[caf\udce9]]", "C.md": "[[B]]"})
    for fmt in FORMATS:
        texts = render(vault, fmt)
        written = write(vault, tmp_path / f"out{FORMATS[fmt]}", fmt)
        assert [path.read_bytes() for path in written.files] == [text.encode("utf-8") for text in texts.values()]
        assert any(shown in path.read_bytes() for path in written.files for shown in ("caf\ufffd".encode(), b"caf&#65533;"))


def test_filters_that_match_nothing_are_errors(sample: Vault) -> None:
    with pytest.raises(KgError, match="no note matches --tag 'nope'"):
        select(sample, Selection(tags=("nope",)))
    with pytest.raises(KgError, match="'Overview' matches 2 notes"):
        select(sample, Selection(root="Overview"))


def test_cli_filters_apply_to_every_format(tmp_path: Path) -> None:
    args = ["--root", "AI-Model", "--depth", "1", "--no-ghosts"]
    expected = select(load_vault(SAMPLE_VAULT), Selection(root="AI-Model", depth=1, ghosts=False))
    for fmt in ("graphml", "gexf", "json"):
        out = tmp_path / f"g.{fmt}"
        assert CliRunner().invoke(cli, ["export", fmt, str(SAMPLE_VAULT), "-o", str(out), *args]).exit_code == 0
        back = nx.read_graphml(out) if fmt == "graphml" else nx.read_gexf(out) if fmt == "gexf" else None
        if back is not None:
            assert sorted(back) == sorted(expected) and edge_multiset(back) == edge_multiset(expected)


def test_cli_usage_errors(make_vault, tmp_path: Path) -> None:
    root = make_vault({"A.md": ""})
    result = CliRunner().invoke(cli, ["export", "dot", str(root), "-o", str(tmp_path / "g.dot"), "--depth", "2"])
    assert result.exit_code == 2 and "--depth needs --root" in result.output
    result = CliRunner().invoke(cli, ["export", "dot", str(root), "-o", str(tmp_path / "g.dot"), "--root", "Zzz"])
    assert result.exit_code == 2 and result.output.startswith("Error: no note matches 'Zzz'")
    result = CliRunner().invoke(cli, ["export", "csv", str(root), "-o", str(root / "g")])
    assert result.exit_code == 2 and "inside the vault" in result.output and not list(root.glob("g*"))


def test_default_output_is_in_exports(make_vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_vault({"A.md": "[[B]]"})
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    for fmt, name in (("html", "vault.html"), ("dot", "vault.dot"), ("csv", "vault.nodes.csv")):
        assert CliRunner().invoke(cli, ["export", fmt, str(root)]).exit_code == 0
        assert (work / "exports" / name).is_file()


def test_depth_and_tag_colours(sample: Vault) -> None:
    depths = hierarchy_depths(sample.graph)
    assert depths["AI-concept.md"] == 0 and depths["AI-Model.md"] == 1
    by_tag = categories(sample.graph, "tag")
    assert "#ai" not in set(by_tag.values())  # on nearly every note: it would colour them all alike
    entries, _ = legend(by_tag, "tag")
    assert [entry for entry, _, _ in entries][-1] == "ghost (no file)"
    assert sum(count for _, _, count in entries) == sample.graph.number_of_nodes()


def test_hierarchy_layout_puts_each_level_on_its_own_row(sample: Vault) -> None:
    graph = select(sample)
    depths = hierarchy_depths(sample.graph)
    positions = hierarchy(graph, depths)
    rows = {positions[node][1] for node in depths}
    assert len(rows) == max(depths.values()) + 1
    for child, parent, kind in graph.edges(data="kind"):
        if kind == "up" and depths.get(parent) == depths.get(child, 0) - 1:
            assert positions[parent][1] < positions[child][1]


def test_exports_other_than_html_never_import_pyvis() -> None:
    code = (
        "import sys; from click.testing import CliRunner; from kg.cli import cli; import tempfile, os\n"
        "out = os.path.join(tempfile.mkdtemp(), 'g.graphml')\n"
        f"r = CliRunner().invoke(cli, ['export', 'graphml', {str(SAMPLE_VAULT)!r}, '-o', out]); assert r.exit_code == 0\n"
        "print(sorted(m for m in ('pyvis', 'IPython', 'jinja2') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "[]\n"


def test_cli_remembers_an_export_while_the_vault_is_unchanged(make_vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second export of an unchanged vault, same options, writes the remembered files without
    reading the vault; another option, or an edited note, makes them afresh."""
    import kg.cli.export as export_cli

    root = make_vault({"A.md": "[[B]]\nfirst words", "B.md": "up:: [[A]]", "C.md": "[[A]]"})
    out = tmp_path / "out"

    def run(*args: str) -> tuple[str, dict[str, bytes]]:
        result = CliRunner().invoke(cli, ["--cache-dir", str(tmp_path / "cache"), "export", *args])
        assert result.exit_code == 0, result.output
        files = {path.name: path.read_bytes() for path in sorted(out.glob("*"))} if out.is_dir() else {}
        for path in out.glob("*"):
            path.unlink()
        return result.output, files

    fresh = {fmt: run(fmt, str(root), "-o", str(out / "g")) for fmt in ("html", "csv")}
    piped = run("json", str(root), "-o", "-")
    monkeypatch.setattr(export_cli, "load_or_fail", lambda *args, **kwargs: pytest.fail("the vault was read"))
    assert {fmt: run(fmt, str(root), "-o", str(out / "g")) for fmt in ("html", "csv")} == fresh
    assert run("json", str(root), "-o", "-") == piped
    monkeypatch.undo()
    by_tag = run("html", str(root), "-o", str(out / "g"), "--color-by", "tag")
    assert by_tag[1] != fresh["html"][1]
    (root / "A.md").write_text("[[B]]\nsecond words", encoding="utf-8")
    edited = run("html", str(root), "-o", str(out / "g"))
    assert b"second words" in edited[1]["g"] and b"first words" in fresh["html"][1]["g"]


def test_cli_ignores_a_remembered_export_of_another_shape(make_vault, tmp_path: Path) -> None:
    from kg.cache import Cache, vault_fingerprint
    from kg.cli.export import _memo_key
    from kg.config import load_config

    root = make_vault({"A.md": "[[B]]"})
    args = ["--cache-dir", str(tmp_path / "cache"), "export", "dot", str(root), "-o", "-"]
    expected = CliRunner().invoke(cli, args).output
    key = _memo_key("dot", Selection(), {"color_by": "folder", "max_nodes": None})
    for wrong in ("text", ({"dot": "not bytes"}, 1, 1), ({"dot": b"x"}, "1", 1), ({"dot": b"x"},)):
        cache = Cache(tmp_path / "cache", root, load_config(root))
        cache.remember(key, vault_fingerprint(root), wrong)
        cache.save()
        assert CliRunner().invoke(cli, args).output == expected
    cache.remember(key, vault_fingerprint(root), ({"dot": b"remembered"}, 1, 0))  # the right shape is taken: the key is the one used
    cache.save()
    assert CliRunner().invoke(cli, args).output == "remembered"
