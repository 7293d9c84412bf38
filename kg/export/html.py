"""The interactive concept map: one self-contained HTML file built with pyvis and vis-network.

pyvis builds the network data (its ``Node``/``Edge`` option dicts) and the vis-network options
(physics, edges, interaction). The page is kg's own (:mod:`kg.export._page`): pyvis 0.3.2's
templates load Bootstrap from a CDN even "in line", so kg inlines the vis-network JS and CSS that
the pyvis package ships and writes the file as UTF-8 itself. pyvis is imported here, lazily: it
pulls in IPython, which nothing else in kg should pay for.

Positions are computed in Python (:mod:`kg.export.layout`), so the file is the same byte for byte
for the same vault; the browser then runs a capped number of physics iterations (none for
``layout="hierarchy"``) and turns physics off.
"""

from __future__ import annotations

import copy
import html
import json
import os
import re
from collections import Counter
from importlib import resources
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.confine import note_text
from kg.export import layout as layouts
from kg.export._page import PAGE, SCRIPT, STYLE
from kg.export.style import COLOR_BY, GHOST, GHOST_COLOR, categories, hierarchy_depths, legend

if TYPE_CHECKING:
    from kg.vault import Vault

__all__ = ["EDGE_STYLES", "LAYOUTS", "excerpt", "generate_html", "vis_library", "write_html"]

LAYOUTS = ("force", "hierarchy")
"""What ``--layout`` accepts."""

VIS_VERSION = "vis-9.1.2"
"""The vis-network build inlined from the pyvis package."""

EXCERPT_LINES = 4
EXCERPT_CHARS = 320

EDGE_STYLES: dict[str, dict[str, Any]] = {
    "link": {"color": {"color": "#9a9a9a", "opacity": 0.55}, "width": 1},
    "embed": {"color": {"color": "#3a9c96", "opacity": 0.8}, "width": 1.5, "dashes": [6, 4]},
    "up": {"color": {"color": "#2f3b52", "opacity": 0.9}, "width": 3},
    "down": {"color": {"color": "#2f3b52", "opacity": 0.9}, "width": 3},
    "same": {"color": {"color": "#b07aa1", "opacity": 0.9}, "width": 2, "dashes": [2, 4], "arrows": ""},
    "next": {"color": {"color": "#e8871e", "opacity": 0.9}, "width": 2, "dashes": [8, 4]},
    "prev": {"color": {"color": "#e8871e", "opacity": 0.9}, "width": 2, "dashes": [8, 4]},
    "self": {"color": {"color": "#9a9a9a", "opacity": 0.55}, "width": 1},
}
"""vis-network edge options per edge kind: ``up`` thick and dark, embeds dashed, links thin grey."""

LINE_KEYS = {
    "link": ("link", "1px solid #9a9a9a"),
    "embed": ("embed", "2px dashed #3a9c96"),
    "up": ("up (child → parent)", "3px solid #2f3b52"),
    "down": ("down (parent → child)", "3px solid #2f3b52"),
    "same": ("same", "2px dotted #b07aa1"),
    "next": ("next / prev", "2px dashed #e8871e"),
    "prev": ("next / prev", "2px dashed #e8871e"),
    "self": ("same-note link", "1px solid #9a9a9a"),
}


def vis_library() -> tuple[str, str]:
    """The vis-network ``(javascript, css)`` shipped inside the pyvis package."""
    folder = resources.files("pyvis") / "lib" / VIS_VERSION
    script = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    style = (folder / "vis-network.css").read_text(encoding="utf-8")
    if "</script" in script.lower() or "</style" in style.lower():
        raise RuntimeError("the vis-network build cannot be inlined: it closes its own tag")
    return script, style


def excerpt(vault: Vault, path: str, lines: int = EXCERPT_LINES, chars: int = EXCERPT_CHARS) -> str:
    """The first non-blank lines of a note's body (after its frontmatter), as plain text; "" if unread.

    Only files inside the vault are read; a vault built in memory gives "".
    """
    text = note_text(vault, path)
    if not text:
        return ""
    body = text.splitlines()[vault.notes[path].body_line - 1:]
    kept = [line.strip() for line in body if line.strip()][:lines]
    out = "\n".join(kept)
    return out if len(out) <= chars else out[: chars - 1].rstrip() + "…"


def _json_for_script(value: object) -> str:
    """JSON that can stand inside ``<script>``: no ``<``, ``>`` or ``&`` (so no ``</script>``), sorted keys."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, code)
    return text


def _degrees(graph: nx.MultiDiGraph) -> dict[str, int]:
    """Edges at each node, implied reverse edges not counted."""
    counts: Counter[str] = Counter()
    for u, v, implied in graph.edges(data="implied"):
        if not implied:
            counts[u] += 1
            counts[v] += 1
    return {node: counts[node] for node in graph}


def _iterations(nodes: int) -> int:
    """Physics iterations for the browser: a full run for small maps, about two seconds' worth for large ones."""
    return max(40, min(1000, 120_000 // max(nodes, 1)))


def _network(graph: nx.MultiDiGraph, *, layout: str) -> Any:
    """A pyvis Network with kg's options set (nodes and edges are added by the caller)."""
    from pyvis.network import Network  # lazily: pyvis imports IPython

    net = Network(directed=True, cdn_resources="in_line")
    many = graph.number_of_nodes() > 300
    net.force_atlas_2based(gravity=-70, central_gravity=0.008, spring_length=110, spring_strength=0.05,
                           damping=0.6, overlap=0.2)
    net.set_edge_smooth("continuous")
    net.toggle_hide_edges_on_drag(many)
    net.inherit_edge_colors(False)
    options = json.loads(net.options.to_json())
    options["physics"]["enabled"] = layout == "force" and graph.number_of_nodes() > 1
    options["physics"]["stabilization"].update(iterations=_iterations(graph.number_of_nodes()), updateInterval=100)
    options["physics"]["minVelocity"] = 1
    smooth = {"enabled": not many, "type": "continuous"}
    if layout == "hierarchy":
        smooth = {"enabled": not many, "type": "cubicBezier", "forceDirection": "vertical", "roundness": 0.45}
    options["edges"].update(arrows={"to": {"enabled": True, "scaleFactor": 0.45}}, selectionWidth=1.5, smooth=smooth)
    options["nodes"] = {
        "borderWidth": 1, "borderWidthSelected": 3,
        "font": {"size": 13, "face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#fbfbf8"},
        "scaling": {"min": 7, "max": 34, "label": {"enabled": True, "min": 11, "max": 26, "drawThreshold": 6, "maxVisible": 28}},
    }
    options["interaction"].update(hover=True, tooltipDelay=150, keyboard={"enabled": True, "bindToWindow": False},
                                  hideEdgesOnZoom=many)
    options["layout"] = {"randomSeed": 7, "improvedLayout": False}
    net.options = options
    return net


def _node_options(data: dict[str, Any], color: str, category: str, degree: int) -> dict[str, Any]:
    kind = data.get("kind", "note")
    options: dict[str, Any] = {
        "kind": kind, "category": category, "value": degree + 1,
        "aliases": list(data.get("aliases") or []), "tags": list(data.get("tags") or []),
        "color": {"background": color, "border": "#4d4d4d",
                  "highlight": {"background": color, "border": "#111111"}, "hover": {"background": color, "border": "#111111"}},
    }
    if kind == "ghost":
        options["color"] = {"background": GHOST_COLOR, "border": "#8a8a8a",
                            "highlight": {"background": GHOST_COLOR, "border": "#333333"}, "hover": {"background": GHOST_COLOR, "border": "#333333"}}
        options["shapeProperties"] = {"borderDashes": [4, 3]}
        options["borderWidth"] = 1.5
        options["font"] = {"color": "#777777"}
    return options


def _edge_style(kind: str, *, many: bool, layout: str) -> dict[str, Any]:
    """vis options of one edge kind; on a large map hierarchy edges are thinner, and the hierarchy
    layout fades plain links so the tree stands out."""
    style: dict[str, Any] = copy.deepcopy(EDGE_STYLES.get(kind, EDGE_STYLES["link"]))
    if many and kind in ("up", "down"):
        style.update(width=1.5, color={"color": style["color"]["color"], "opacity": 0.45})
    if layout == "hierarchy" and kind in ("link", "self"):
        style["color"]["opacity"] = 0.25
    return style


def _page_data(graph: nx.MultiDiGraph, vault: Vault | None, color_by: str, layout: str, title: str) -> dict[str, Any]:
    depths = hierarchy_depths(vault.graph if vault is not None else graph)
    assigned = categories(graph, color_by, depths)
    entries, shown = legend(assigned, color_by)
    colors = {entry: color for entry, color, _ in entries}
    groups = {node: shown[category] for node, category in assigned.items()}
    degrees = _degrees(graph)
    if layout == "hierarchy":
        positions = layouts.hierarchy(graph, depths)
    else:
        positions = layouts.clustered(graph, groups)
    net = _network(graph, layout=layout)
    for node, data in graph.nodes(data=True):
        x, y = positions[node]
        shape = "square" if data.get("kind") == "attachment" else "dot"
        options = _node_options(data, colors[groups[node]], groups[node], degrees[node])
        text = excerpt(vault, node) if vault is not None else ""
        net.add_node(node, label=str(data.get("title", node)), shape=shape, x=x, y=y, excerpt=text, **options)
    from pyvis.edge import Edge  # Network.add_edge checks membership in a list: quadratic for large vaults

    many = graph.number_of_nodes() > 300
    styles = {kind: _edge_style(kind, many=many, layout=layout) for kind in EDGE_STYLES}

    for index, (u, v, data) in enumerate(sorted(graph.edges(data=True), key=_edge_order)):
        style = styles[data["kind"]]
        where = f"{u}:{data['line']}:{data['col']}" if data.get("line") else u
        options = {**style, "id": index, "kind": data["kind"], "implied": bool(data.get("implied")),
                   "hidden": bool(data.get("implied")), "title": f"{data['kind']}: {where} → {v}"}
        net.edges.append(Edge(u, v, directed=True, **options).options)
    kinds = Counter(kind for _, kind in graph.nodes(data="kind"))
    return {
        "title": title, "colorBy": color_by, "layout": layout, "ghostCategory": GHOST,
        "nodes": net.nodes, "edges": net.edges, "options": net.options,
        "legend": [list(entry) for entry in entries],
        "counts": dict(sorted(kinds.items())),
        "summary": _summary(kinds, graph.number_of_edges()),
        "shapes": [[text, shape] for text, shape, kind in
                   (("note", "", "note"), ("attachment", "square", "attachment"), ("ghost: no file yet", "ghost", "ghost"))
                   if kinds.get(kind)],
        "lines": _line_keys(graph),
    }


def _edge_order(edge: tuple[str, str, dict[str, Any]]) -> tuple[Any, ...]:
    u, v, data = edge
    return (u, v, data["kind"], data.get("line") or 0, data.get("col") or 0, bool(data.get("implied")))


def _summary(kinds: Counter[str], edges: int) -> str:
    parts = [f"{kinds.get(kind, 0)} {name}{'' if kinds.get(kind, 0) == 1 else 's'}"
             for kind, name in (("note", "note"), ("attachment", "attachment"), ("ghost", "ghost")) if kinds.get(kind)]
    return " · ".join(parts + [f"{edges} edge{'' if edges == 1 else 's'}"])


def _line_keys(graph: nx.MultiDiGraph) -> list[list[str]]:
    present = {kind for _, _, kind in graph.edges(data="kind")}
    keys = dict.fromkeys(LINE_KEYS[kind] for kind in LINE_KEYS if kind in present)
    return [list(key) for key in keys]


def generate_html(
    graph: nx.MultiDiGraph,
    vault: Vault | None = None,
    *,
    color_by: str = "folder",
    layout: str = "force",
    title: str = "vault",
) -> str:
    """The concept map of ``graph`` as one self-contained HTML page (no network access needed).

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The graph to draw, usually :func:`kg.export.select.select` of a vault.
    vault : Vault, optional
        The vault the graph comes from: gives the note excerpts shown on hover and the hierarchy
        depth of every note (for ``color_by="depth"`` and ``layout="hierarchy"``).
    color_by : {"folder", "tag", "depth"}
        What the node colours (and the legend) show.
    layout : {"force", "hierarchy"}
        A force layout, or the ``up`` hierarchy top-down.
    title : str
        The page's heading, as text.

    Examples
    --------
    >>> from kg.vault import Vault
    >>> page = generate_html(Vault.from_texts({"A.md": "[[<b>B</b>]]"}).graph, title="<demo>")
    >>> "<title>&lt;demo&gt; · concept map</title>" in page, "<b>B</b>" in page, 'src="http' in page
    (True, False, False)
    """
    if color_by not in COLOR_BY:
        raise ValueError(f"color_by must be one of {', '.join(COLOR_BY)}, not {color_by!r}")
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, not {layout!r}")
    data = _page_data(graph, vault, color_by, layout, title)
    script, style = vis_library()
    fills = {"@TITLE@": html.escape(title), "@VIS_CSS@": style, "@STYLE@": STYLE, "@VIS_JS@": script,
             "@DATA@": _json_for_script(data), "@SCRIPT@": SCRIPT}
    # one pass over the template: text put in is never searched for markers again
    return re.sub(r"@[A-Z_]+@", lambda match: fills[match.group(0)], PAGE)


def write_html(graph: nx.MultiDiGraph, path: str | os.PathLike[str], vault: Vault | None = None, **options: Any) -> None:
    """Write :func:`generate_html` to ``path`` as UTF-8."""
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(generate_html(graph, vault, **options))
