"""The interactive concept map: one self-contained HTML file drawn by vis-network.

kg writes the vis-network data (node and edge option dicts) and options (physics, edges,
interaction) itself, in the shape pyvis 0.3.2 gives them, and its own page
(:mod:`kg.export._page`): pyvis's templates load Bootstrap from a CDN even "in line". Only the
vis-network JS and CSS that the pyvis package ships are used, read as files: importing pyvis would
pull in IPython (half a second) for nothing.

Positions are computed in Python (:mod:`kg.export.layout`), so the file is the same byte for byte
for the same vault; the browser then runs a capped number of physics iterations (none for
``layout="hierarchy"``) and turns physics off.
"""

from __future__ import annotations

import copy
import html
import importlib.util
import json
import os
import re
from collections import Counter
from itertools import islice
from pathlib import Path
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

NODE_SHAPES = {"note": "dot", "canvas": "diamond", "attachment": "square", "ghost": "dot"}
"""vis-network shape per node kind."""

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


def _vis_folder() -> Any:
    """The folder of the vis-network build inside the pyvis package, found without importing pyvis."""
    spec = importlib.util.find_spec("pyvis")
    for location in (spec.submodule_search_locations or []) if spec is not None else []:
        folder = Path(location) / "lib" / VIS_VERSION
        if (folder / "vis-network.min.js").is_file():
            return folder
    from importlib import resources  # pyvis not installed as plain files (a zip): let it find them

    return resources.files("pyvis") / "lib" / VIS_VERSION


def vis_library() -> tuple[str, str]:
    """The vis-network ``(javascript, css)`` shipped inside the pyvis package."""
    folder = _vis_folder()
    script = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    style = (folder / "vis-network.css").read_text(encoding="utf-8")
    if "</script" in script.lower() or "</style" in style.lower():
        raise RuntimeError("the vis-network build cannot be inlined: it closes its own tag")
    return script, style


def excerpt(vault: Vault, path: str, lines: int = EXCERPT_LINES, chars: int = EXCERPT_CHARS) -> str:
    """The first non-blank lines of a note's body (after its frontmatter), as plain text; "" if unread.

    Only files inside the vault are read; a vault built in memory gives "".
    """
    text = note_text(vault, path) if path in vault.notes else None
    if not text:
        return ""
    body = text.splitlines()[vault.notes[path].body_line - 1:]
    kept = list(islice(filter(None, map(str.strip, body)), lines))
    out = "\n".join(kept)
    return out if len(out) <= chars else out[: chars - 1].rstrip() + "…"


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _for_script(text: str) -> str:
    """JSON text that can stand inside ``<script>``: no ``<``, ``>`` or ``&`` (so no ``</script>``)."""
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        if char in text:  # a search is ten times faster than a replace that finds nothing
            text = text.replace(char, code)
    return text


_string = json.encoder.encode_basestring  # type: ignore[attr-defined]
"""A string as ``json.dumps(..., ensure_ascii=False)`` writes it (the C encoder's own function)."""

_EDGE_FIELDS = ("from", "hidden", "id", "implied", "title", "to")
"""An edge's own values, in the order ``sort_keys`` puts them (among the style's)."""


_Edge = tuple[str, str, str, int, int, bool, int, str]
"""One edge of the map: ``(source, target, kind, line, col, implied, place in the graph, where)``,
``where`` being ``source:line:col`` or the source alone. Edges are drawn (and numbered) in this
order; among equal edges the graph's order stands."""


def _edges(graph: nx.MultiDiGraph) -> list[_Edge]:
    """The graph's edges, sorted by source, target, kind, position and implied."""
    out = []
    for seq, (u, v, data) in enumerate(graph.edges(data=True)):
        line = data.get("line")
        where = f"{u}:{line}:{data['col']}" if line else u
        out.append((u, v, data["kind"], line or 0, data.get("col") or 0, bool(data.get("implied")), seq, where))
    out.sort()
    return out


def _edge_dicts(edges: list[_Edge], styles: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The edges as vis-network reads them: the kind's style, ``from``, ``to``, ``id``, ``kind``,
    ``implied``, ``hidden`` (implied edges start hidden) and ``title``."""
    return [{"arrows": "to", **styles[kind], "from": u, "to": v, "id": index, "kind": kind,
             "implied": implied, "hidden": implied, "title": f"{kind}: {where} → {v}"}
            for index, (u, v, kind, _, _, implied, _, where) in enumerate(edges)]


def _edge_template(style: dict[str, Any], kind: str) -> str:
    """The JSON of one edge of ``kind`` (sorted keys, as :func:`_json` writes it), with a ``%s`` for
    each of :data:`_EDGE_FIELDS` in that order."""
    marks = {field: f"\ue000{field}\ue000" for field in _EDGE_FIELDS}
    text = _json({"arrows": "to", **style, **marks, "kind": kind}).replace("%", "%%")
    for field in _EDGE_FIELDS:
        text = text.replace(_string(marks[field]), "%s")
    return text


def _edges_json(edges: list[_Edge], styles: dict[str, dict[str, Any]]) -> str:
    """``_json(_edge_dicts(edges, styles))``, byte for byte, written from a template per kind: 25,000
    dicts cost more to build and encode than the text itself. Nodes must be strings."""
    templates = {kind: _edge_template(style, kind) for kind, style in styles.items()}
    names = {name: _string(name) for edge in edges for name in edge[:2]}
    flags = ("false", "true")
    return "[" + ",".join([
        templates[kind] % (names[u], flags[implied], index, flags[implied], _string(f"{kind}: {where} → {v}"), names[v])
        for index, (u, v, kind, _, _, implied, _, where) in enumerate(edges)
    ]) + "]"


def _degrees(graph: nx.MultiDiGraph, edges: list[_Edge]) -> dict[str, int]:
    """Edges at each node, implied reverse edges not counted."""
    counts: Counter[str] = Counter()
    for u, v, _, _, _, implied, _, _ in edges:
        if not implied:
            counts[u] += 1
            counts[v] += 1
    return {node: counts[node] for node in graph}


def _iterations(nodes: int) -> int:
    """Physics iterations for the browser: a full run for small maps, about two seconds' worth for large ones."""
    return max(40, min(1000, 120_000 // max(nodes, 1)))


def _options(nodes: int, *, layout: str) -> dict[str, Any]:
    """vis-network options: pyvis 0.3.2's ``force_atlas_2based`` physics with kg's settings on top."""
    many = nodes > 300
    smooth: dict[str, Any] = {"enabled": not many, "type": "continuous"}
    if layout == "hierarchy":
        smooth = {"enabled": not many, "type": "cubicBezier", "forceDirection": "vertical", "roundness": 0.45}
    return {
        "configure": {"enabled": False},
        "edges": {"color": {"inherit": False}, "smooth": smooth,
                  "arrows": {"to": {"enabled": True, "scaleFactor": 0.45}}, "selectionWidth": 1.5},
        "interaction": {"dragNodes": True, "hideEdgesOnDrag": many, "hideNodesOnDrag": False, "hover": True,
                        "tooltipDelay": 150, "keyboard": {"enabled": True, "bindToWindow": False},
                        "hideEdgesOnZoom": many},
        "physics": {
            "enabled": layout == "force" and nodes > 1,
            "forceAtlas2Based": {"avoidOverlap": 0.2, "centralGravity": 0.008, "damping": 0.6,
                                 "gravitationalConstant": -70, "springConstant": 0.05, "springLength": 110},
            "solver": "forceAtlas2Based",
            "stabilization": {"enabled": True, "fit": True, "iterations": _iterations(nodes),
                              "onlyDynamicEdges": False, "updateInterval": 100},
            "minVelocity": 1,
        },
        "nodes": {
            "borderWidth": 1, "borderWidthSelected": 3,
            "font": {"size": 13, "face": "system-ui, sans-serif", "strokeWidth": 3, "strokeColor": "#fbfbf8"},
            "scaling": {"min": 7, "max": 34, "label": {"enabled": True, "min": 11, "max": 26, "drawThreshold": 6, "maxVisible": 28}},
        },
        "layout": {"randomSeed": 7, "improvedLayout": False},
    }


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


_EDGES_MARK = "\ue000edges\ue000"
"""Stands for the edges in the page data until their JSON is put in (see :func:`_page_json`)."""


def _page_data(graph: nx.MultiDiGraph, vault: Vault | None, color_by: str, layout: str, title: str) -> tuple[dict[str, Any], str]:
    """What the page's script reads, and the JSON of its ``edges`` (left out of the dict: see
    :func:`_edges_json`)."""
    edges = _edges(graph)
    depths = hierarchy_depths(vault.graph if vault is not None else graph)
    assigned = categories(graph, color_by, depths)
    entries, shown = legend(assigned, color_by)
    colors = {entry: color for entry, color, _ in entries}
    groups = {node: shown[category] for node, category in assigned.items()}
    degrees = _degrees(graph, edges)
    if layout == "hierarchy":
        positions = layouts.hierarchy(graph, depths)
    else:
        positions = layouts.clustered(graph, groups)
    nodes = []
    for node, data in graph.nodes(data=True):
        x, y = positions[node]
        options = _node_options(data, colors[groups[node]], groups[node], degrees[node])
        options.update(id=node, label=str(data.get("title", node)) or node, x=x, y=y,
                       shape=NODE_SHAPES.get(data.get("kind", "note"), "dot"),
                       excerpt=excerpt(vault, node) if vault is not None else "")
        nodes.append(options)
    many = graph.number_of_nodes() > 300
    styles = {kind: _edge_style(kind, many=many, layout=layout) for kind in EDGE_STYLES}
    kinds = Counter(kind for _, kind in graph.nodes(data="kind"))
    data = {
        "title": title, "colorBy": color_by, "layout": layout, "ghostCategory": GHOST,
        "nodes": nodes, "edges": _EDGES_MARK, "options": _options(graph.number_of_nodes(), layout=layout),
        "legend": [list(entry) for entry in entries],
        "counts": dict(sorted(kinds.items())),
        "summary": _summary(kinds, len(edges)),
        "shapes": [[text, shape] for text, shape, kind in
                   (("note", "", "note"), ("canvas", "diamond", "canvas"), ("attachment", "square", "attachment"),
                    ("ghost: no file yet", "ghost", "ghost"))
                   if kinds.get(kind)],
        "lines": _line_keys({edge[2] for edge in edges}),
    }
    if all(type(node) is str for node in graph):
        return data, _edges_json(edges, styles)
    return data, _json(_edge_dicts(edges, styles))  # a graph not made by kg


def _page_json(data: dict[str, Any], edges: str) -> str:
    """The page data as JSON for ``<script>``, the edges' JSON put in for their mark."""
    text = _json(data)
    mark = _string(_EDGES_MARK)  # a quote inside a JSON string is escaped: this occurs once, as the value
    start = text.index(mark)
    return _for_script(text[:start] + edges + text[start + len(mark):])


def _summary(kinds: Counter[str], edges: int) -> str:
    parts = [f"{kinds[kind]} {kind if kinds[kind] == 1 else plural}"
             for kind, plural in (("note", "notes"), ("canvas", "canvases"), ("attachment", "attachments"), ("ghost", "ghosts"))
             if kinds.get(kind)]
    return " · ".join(parts + [f"{edges} edge{'' if edges == 1 else 's'}"])


def _line_keys(present: set[str]) -> list[list[str]]:
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
    data, edges = _page_data(graph, vault, color_by, layout, title)
    script, style = vis_library()
    fills = {"@TITLE@": html.escape(title), "@VIS_CSS@": style, "@STYLE@": STYLE, "@VIS_JS@": script,
             "@DATA@": _page_json(data, edges), "@SCRIPT@": SCRIPT}
    # one pass over the template: text put in is never searched for markers again
    return re.sub(r"@[A-Z_]+@", lambda match: fills[match.group(0)], PAGE)


def write_html(graph: nx.MultiDiGraph, path: str | os.PathLike[str], vault: Vault | None = None, **options: Any) -> None:
    """Write :func:`generate_html` to ``path`` as UTF-8."""
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(generate_html(graph, vault, **options))
