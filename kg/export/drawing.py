"""Drawings as text: Mermaid (GitHub renders it) and Graphviz DOT.

A drawing shows each relation once: edges of the same kind between the same two nodes are drawn as
one, and implied reverse hierarchy edges (``B down A`` for a declared ``A up B``) are left out.
Nodes are coloured as in the HTML map (``color_by``), ghosts dashed.
"""

from __future__ import annotations

import networkx as nx

from kg.export.style import GHOST_COLOR, node_colors

__all__ = ["drawn_edges", "generate_dot", "generate_mermaid"]

MERMAID_ARROWS = {
    "link": "-->", "embed": "-.->", "up": "==>", "down": "== down ==>",
    "same": "-. same .-", "next": "-- next -->", "prev": "-- prev -->", "self": "-->",
}
"""Mermaid edge syntax per edge kind: ``up`` thick, embeds dotted, other relations labelled."""

MERMAID_SHAPES = {"attachment": ("[/", "/]"), "canvas": ("[[", "]]")}
"""Mermaid node brackets per node kind (a note is a plain box): attachments slanted, canvases framed."""

DOT_EDGES = {
    "link": 'color="#8c8c8c"',
    "embed": 'color="#76b7b2", style=dashed',
    "up": 'color="#333333", penwidth=2.5',
    "down": 'color="#333333", penwidth=2.5, label="down"',
    "same": 'color="#b07aa1", style=dotted, dir=none, label="same"',
    "next": 'color="#f28e2b", style=dashed, label="next"',
    "prev": 'color="#f28e2b", style=dashed, label="prev"',
    "self": 'color="#8c8c8c"',
}
"""DOT edge attributes per edge kind."""


def drawn_edges(graph: nx.MultiDiGraph) -> list[tuple[str, str, str]]:
    """``(source, target, kind)`` of the edges a drawing shows, once each, sorted.

    >>> from kg.vault import Vault
    >>> drawn_edges(Vault.from_texts({"A.md": "[[B]] [[B]]\\nup:: [[B]]", "B.md": ""}).graph)
    [('A.md', 'B.md', 'link'), ('A.md', 'B.md', 'up')]
    """
    return sorted({(u, v, d["kind"]) for u, v, d in graph.edges(data=True) if not d.get("implied")})


def _text_color(fill: str) -> str:
    """Black or white, whichever reads better on ``fill``."""
    r, g, b = (int(fill[i:i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "#ffffff"


def _mermaid_label(text: str) -> str:
    """A label for ``["..."]``: Mermaid entity codes for everything that could be read as syntax or markup."""
    codes = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;"}
    text = " ".join(text.split())
    return "".join(codes.get(ch, ch) for ch in text)


def generate_mermaid(graph: nx.MultiDiGraph, *, color_by: str = "folder") -> str:
    """A Mermaid flowchart of the graph: paste it into a ```` ```mermaid ```` block on GitHub.

    Node ids are ``n0``, ``n1``... in node order; labels are note titles, with Mermaid entity codes
    for ``# " < > & ``` `` so that no title is read as syntax or markup.

    >>> from kg.vault import Vault
    >>> print(generate_mermaid(Vault.from_texts({'A "1".md': "up:: [[B]]", "B.md": ""}).graph), end="")
    flowchart LR
      n0["A #quot;1#quot;"]
      n1["B"]
      n0 ==> n1
      classDef c0 fill:#4e79a7,stroke:#333333,color:#ffffff
      class n0,n1 c0
    """
    ids = {node: f"n{index}" for index, node in enumerate(graph)}
    lines = ["flowchart LR"]
    for node, data in graph.nodes(data=True):
        label = _mermaid_label(str(data.get("title", node)))
        opening, closing = MERMAID_SHAPES.get(data.get("kind"), ("[", "]"))
        lines.append(f'  {ids[node]}{opening}"{label}"{closing}')
    lines += [f"  {ids[u]} {MERMAID_ARROWS[kind]} {ids[v]}" for u, v, kind in drawn_edges(graph)]
    fills = node_colors(graph, color_by)
    for index, color in enumerate(dict.fromkeys(fills[node] for node in graph)):
        dash = ",stroke-dasharray:4 4" if color == GHOST_COLOR else ""
        lines.append(f"  classDef c{index} fill:{color},stroke:#333333,color:{_text_color(color)}{dash}")
        lines.append(f"  class {','.join(ids[node] for node in graph if fills[node] == color)} c{index}")
    return "\n".join(lines) + "\n"


def _dot_quote(text: str) -> str:
    """A DOT double-quoted string: backslash, quote and line breaks escaped."""
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n") + '"'


def generate_dot(graph: nx.MultiDiGraph, *, color_by: str = "folder", name: str = "vault") -> str:
    """The graph in Graphviz DOT: node ids are the quoted vault paths, labels the titles.

    >>> from kg.vault import Vault
    >>> print(generate_dot(Vault.from_texts({"A.md": "[[B]]"}).graph), end="")
    digraph "vault" {
      graph [rankdir=LR, overlap=false, fontname="Helvetica"];
      node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11];
      edge [arrowsize=0.6];
      "A.md" [label="A", fillcolor="#4e79a7", fontcolor="#ffffff"];
      "B" [label="B", fillcolor="#ffffff", fontcolor="#000000", style="rounded,filled,dashed"];
      "A.md" -> "B" [color="#8c8c8c"];
    }
    """
    fills = node_colors(graph, color_by)
    lines = [
        f"digraph {_dot_quote(name)} {{",
        '  graph [rankdir=LR, overlap=false, fontname="Helvetica"];',
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11];',
        "  edge [arrowsize=0.6];",
    ]
    for node, data in graph.nodes(data=True):
        fill = fills[node]
        extra = {"ghost": ', style="rounded,filled,dashed"', "attachment": ", shape=note", "canvas": ", shape=tab"}.get(data.get("kind"), "")
        label = _dot_quote(str(data.get("title", node)))
        lines.append(f'  {_dot_quote(node)} [label={label}, fillcolor="{fill}", fontcolor="{_text_color(fill)}"{extra}];')
    for u, v, kind in drawn_edges(graph):
        lines.append(f"  {_dot_quote(u)} -> {_dot_quote(v)} [{DOT_EDGES.get(kind, '')}];")
    return "\n".join(lines) + "\n}\n"
