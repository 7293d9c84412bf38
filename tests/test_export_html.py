"""The HTML concept map as a file: self-contained, deterministic, text never markup (no browser here)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

from conftest import SAMPLE_VAULT
from kg.export import Selection, render, select
from kg.export.html import EDGE_STYLES, _edge_dicts, _edge_style, _edges, _edges_json, _iterations, _json, excerpt, generate_html
from kg.vault import Vault, load_vault

DATA = re.compile(r'<script type="application/json" id="kg-data">(.*?)</script>', re.S)


def page_data(page: str) -> dict:
    found = DATA.search(page)
    assert found is not None
    return json.loads(found.group(1))


@pytest.fixture(scope="module")
def sample_page() -> str:
    return render(load_vault(SAMPLE_VAULT), "html")["html"]


def test_page_is_self_contained(sample_page: str) -> None:
    assert not re.search(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", sample_page, re.I)
    assert not re.search(r"<link\b|<script\b[^>]*\bsrc\s*=|@import|url\(\s*['\"]?https?:", sample_page, re.I)
    assert "bootstrap" not in sample_page.lower()
    assert len(re.findall(r"^<script[ >]", sample_page, re.M)) == 3 and "vis.Network" in sample_page


def test_page_holds_the_graph(sample_page: str) -> None:
    data = page_data(sample_page)
    graph = select(load_vault(SAMPLE_VAULT))
    assert [n["id"] for n in data["nodes"]] == list(graph.nodes)
    assert len(data["edges"]) == graph.number_of_edges()
    assert {(e["from"], e["to"], e["kind"]) for e in data["edges"]} == {(u, v, k) for u, v, k in graph.edges(data="kind")}
    up = next(e for e in data["edges"] if e["kind"] == "up")
    link = next(e for e in data["edges"] if e["kind"] == "link")
    assert up["width"] > link["width"] and up["color"] != link["color"]
    assert all(e["hidden"] == e["implied"] for e in data["edges"])
    ghost = next(n for n in data["nodes"] if n["kind"] == "ghost")
    assert ghost["shapeProperties"] == {"borderDashes": [4, 3]} and ghost["color"]["background"] == "#ffffff"
    model = next(n for n in data["nodes"] if n["id"] == "AI-Model.md")
    assert model["aliases"][2] == "ИИ Модель" and "ИИ Модель".encode() in sample_page.encode("utf-8")
    assert model["value"] > next(n for n in data["nodes"] if n["id"] == "Vault conventions.md")["value"]
    assert [entry[0] for entry in data["legend"]][:2] == ["Models", "(top level)"]


def test_page_is_byte_identical_across_runs_and_hash_seeds(tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"{seed}.html"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "kg", "export", "html", str(SAMPLE_VAULT), "-o", str(out)],
                       env=env, check=True, capture_output=True)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] and len(outputs[0]) > 500_000


def test_vault_text_never_reaches_the_page_as_markup(make_vault) -> None:
    root = make_vault({
        "<img src=x onerror=alert(1)>.md": "---\naliases: ['</script><script>alert(2)</script>']\n---\n<script>alert(3)</script>\n",
        "B.md": "[[<img src=x onerror=alert(1)>]] [[</script>&amp;<!--]]",
    })
    page = render(load_vault(root), "html")["html"]
    block = DATA.search(page)
    assert block is not None and "<" not in block.group(1) and ">" not in block.group(1) and "&" not in block.group(1)
    assert "<img src=x" not in page and "alert(2)" not in page.replace("alert(2)\\u003c", "")
    data = page_data(page)
    labels = {n["label"] for n in data["nodes"]}
    assert {"<img src=x onerror=alert(1)>", "</script>&amp;<!--"} <= labels
    hostile = next(n for n in data["nodes"] if n["id"] == "<img src=x onerror=alert(1)>.md")
    assert hostile["excerpt"] == "<script>alert(3)</script>"
    assert hostile["aliases"] == ["</script><script>alert(2)</script>"]
    assert "innerHTML" not in page.split("<script>")[-1]  # kg's own script writes text only


def test_title_is_escaped() -> None:
    page = generate_html(Vault.from_texts({"A.md": ""}).graph, title="</title><script>alert(1)</script>")
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; · concept map</title>" in page
    assert page_data(page)["title"] == "</title><script>alert(1)</script>"


def test_excerpt_is_the_first_lines_after_the_frontmatter(make_vault) -> None:
    root = make_vault({"A.md": "---\ntags: [x]\n---\n\n# A\n\nOne.\nTwo.\n\nThree.\nFour.\nFive.\n", "p.png": b""})
    vault = load_vault(root)
    assert excerpt(vault, "A.md") == "# A\nOne.\nTwo.\nThree."
    assert excerpt(vault, "p.png") == "" and excerpt(Vault.from_texts({"A.md": "x"}), "A.md") == ""
    short = excerpt(load_vault(root), "A.md", lines=99, chars=10)
    assert len(short) <= 10 and short.endswith("…")


def test_layouts_and_physics() -> None:
    vault = Vault.from_texts({"A.md": "up:: [[B]]", "B.md": "", "C.md": "[[A]]"})
    force = page_data(generate_html(vault.graph, vault))
    tree = page_data(generate_html(vault.graph, vault, layout="hierarchy", color_by="depth"))
    assert force["options"]["physics"]["enabled"] is True
    assert force["options"]["physics"]["stabilization"]["iterations"] == 1000
    assert tree["options"]["physics"]["enabled"] is False
    y = {n["id"]: n["y"] for n in tree["nodes"]}
    assert y["B.md"] < y["A.md"] < y["C.md"]  # C is outside the hierarchy: below it
    assert [entry[0] for entry in tree["legend"]] == ["depth 0", "depth 1", "not in hierarchy"]
    assert _iterations(2000) < 100 and _iterations(40) == 1000


def test_bad_options_are_refused() -> None:
    graph = Vault.from_texts({"A.md": ""}).graph
    with pytest.raises(ValueError, match="color_by"):
        generate_html(graph, color_by="size")
    with pytest.raises(ValueError, match="layout"):
        generate_html(graph, layout="circle")


def test_focused_page_holds_only_the_neighbourhood() -> None:
    vault = load_vault(SAMPLE_VAULT)
    data = page_data(render(vault, "html", Selection(root="LLM", depth=1, attachments=False))["html"])
    graph = select(vault, Selection(root="LLM", depth=1, attachments=False))
    assert sorted(n["id"] for n in data["nodes"]) == sorted(graph) and len(data["edges"]) == graph.number_of_edges()


def test_edges_json_is_what_the_json_encoder_writes() -> None:
    """The edges' JSON, written from a template per kind, is byte for byte json.dumps of the dicts."""
    names = ['"q" \\ %s %% {x}.md', "<img src=x>&amp;.md", "line\u2028sep\x01\x7f.md", "caf\udce9.md", "🧠 Brain.md", "B.md", "ghost</script>"]
    vault = Vault.from_texts({
        names[0]: f"[[{names[1][:-3]}]]\nup:: [[B]]\nsame:: [[B]]\nnext:: [[B]]\nprev:: [[B]]\ndown:: [[🧠 Brain]]",
        names[1]: "![[B]] [[ghost</script>]] [[#Top]]\n# Top", names[2]: "[[B]]", names[3]: "[[🧠 Brain]]", names[4]: "", "B.md": "",
    })
    graph = vault.graph.copy()
    graph.add_edge("B.md", names[4], kind="link", implied=False, line=None, col=None, subpath=None)
    graph.add_edge("B.md", names[4], kind="link", implied=False)
    edges = _edges(graph)
    assert {kind for _, _, kind, *_ in edges} == set(EDGE_STYLES)
    for many in (False, True):
        for layout in ("force", "hierarchy"):
            styles = {kind: _edge_style(kind, many=many, layout=layout) for kind in EDGE_STYLES}
            assert _edges_json(edges, styles) == _json(_edge_dicts(edges, styles))


def test_a_graph_not_made_by_kg_is_drawn_too() -> None:
    graph = nx.MultiDiGraph()
    graph.add_edge(1, 2, kind="link", line=3, col=4)
    graph.add_edge(2, 1, kind="up")
    edges = page_data(generate_html(graph, color_by="depth"))["edges"]
    assert [(e["from"], e["to"], e["title"]) for e in edges] == [(1, 2, "link: 1:3:4 → 2"), (2, 1, "up: 2 → 1")]


def test_html_export_never_imports_pyvis(tmp_path: Path) -> None:
    """pyvis ships the vis-network build the page inlines; its Python package (and IPython) stays unloaded."""
    code = (
        "import sys; from click.testing import CliRunner; from kg.cli import cli\n"
        f"r = CliRunner().invoke(cli, ['export', 'html', {str(SAMPLE_VAULT)!r}, '-o', {str(tmp_path / 'map.html')!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(sorted(m for m in ('pyvis', 'IPython', 'jinja2') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "[]\n" and "vis.Network" in (tmp_path / "map.html").read_text(encoding="utf-8")
