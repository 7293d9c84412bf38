"""The interactive concept map: one self-contained HTML file drawn by vis-network.

The page holds the whole selected graph as compact JSON (node records, edges as numbers) and the
map's display tree (:mod:`kg.export.tree`): the ``up`` hierarchy, with notes outside it and
crowded levels grouped. The browser never hands vis-network more than a few hundred nodes: it opens
on an overview, opens a node on a click, and shows a note's neighbourhood (local view) on demand.
The overview and every band of children a click opens are laid out here, in Python
(:mod:`kg.export.treelayout`), never by physics; the page only adds offsets. Why not all nodes with physics: vis-network
freezes the tab for seconds per thousand nodes, and a map of thousands of dots reads as a hairball.

kg writes its own page (:mod:`kg.export._page`): pyvis's templates load Bootstrap from a CDN even
"in line". Only the vis-network JS and CSS that the pyvis package ships are used, read as files:
importing pyvis would pull in IPython (half a second) for nothing. The file is the same byte for
byte for the same vault.
"""

from __future__ import annotations

import html
import importlib.util
import json
import os
import re
from collections import Counter
from collections.abc import Mapping
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.export._page import PAGE, SCRIPT, STYLE
from kg.export.excerpt import excerpt, excerpts
from kg.export.style import COLOR_BY, GHOST, categories, hierarchy_depths, legend
from kg.export.tree import OVERVIEW, Tree, display_tree
from kg.export.treelayout import place
from kg.graph import edge_count

if TYPE_CHECKING:
    from kg.cache import Cache
    from kg.vault import Vault

__all__ = ["EDGE_KINDS", "EDGE_STYLES", "LAYOUTS", "excerpt", "generate_html", "vis_library", "write_html"]

LAYOUTS = ("hierarchy", "folders", "force")
"""What ``--layout`` accepts: the ``up`` hierarchy (folders where there is none), or the folder
tree; ``force`` is the older name of ``folders``."""

VIS_VERSION = "vis-9.1.2"
"""The vis-network build inlined from the pyvis package."""

EDGE_KINDS = ("link", "embed", "up", "down", "same", "next", "prev", "self")
"""Edge kinds, numbered in this order in the page data."""

EDGE_STYLES: dict[str, dict[str, Any]] = {
    "link": {"color": "#8a8a8a", "width": 1, "dashes": False},
    "embed": {"color": "#3a9c96", "width": 1.5, "dashes": [6, 4]},
    "up": {"color": "#2f3b52", "width": 3, "dashes": False},
    "down": {"color": "#2f3b52", "width": 3, "dashes": False},
    "same": {"color": "#b07aa1", "width": 2, "dashes": [2, 4]},
    "next": {"color": "#e8871e", "width": 2, "dashes": [8, 4]},
    "prev": {"color": "#e8871e", "width": 2, "dashes": [8, 4]},
    "self": {"color": "#8a8a8a", "width": 1, "dashes": False},
}
"""How each edge kind is drawn: hierarchy edges thick, dark and straight; every other kind thin or
dashed and curved, so that a link is never taken for a hierarchy edge."""

KINDS = ("note", "attachment", "ghost", "canvas")
"""Node kinds, numbered in this order in the page data."""


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


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _for_script(text: str) -> str:
    """JSON text that can stand inside ``<script>``: no ``<``, ``>`` or ``&`` (so no ``</script>``)."""
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        if char in text:  # a search is ten times faster than a replace that finds nothing
            text = text.replace(char, code)
    return text


def _edge_numbers(graph: nx.MultiDiGraph, index: Mapping[Any, int]) -> list[int]:
    """The edges as one flat list of ``source, target, kind, implied`` numbers, sorted, each once."""
    kinds = {kind: number for number, kind in enumerate(EDGE_KINDS)}
    out: list[int] = []
    for source, targets in sorted(((index[u], targets) for u, targets in graph.adjacency()), key=itemgetter(0)):
        for target, keyed in sorted(((index[v], keyed) for v, keyed in targets.items()), key=itemgetter(0)):
            # sorted a few at a time (one sort of 100,000 tuples costs more than all the rest), most one alone
            pairs = [(kinds.get(data.get("kind"), 0), 1 if data.get("implied") else 0) for data in keyed.values()]
            for kind, implied in pairs if len(pairs) == 1 else sorted(set(pairs)):
                out += (source, target, kind, implied)
    return out


def _hints(graph: nx.MultiDiGraph, labels: Mapping[Any, str]) -> dict[Any, str]:
    """Where a note lives, for notes that share their label with another: its folder (or "top level")."""
    counts = Counter(labels.values())
    return {node: (str(node).rpartition("/")[0] or "top level") if graph.nodes[node].get("kind") != "ghost" else "no file"
            for node, label in labels.items() if counts[label] > 1}


def _node_records(graph: nx.MultiDiGraph, vault: Vault | None, category: Mapping[Any, int],
                  cache: Cache | None = None) -> list[dict[str, Any]]:
    """What the page knows of each node; optional fields only where they hold something."""
    labels = {node: str(data.get("title", node)) or str(node) for node, data in graph.nodes(data=True)}
    hints = _hints(graph, labels)
    kinds = {kind: number for number, kind in enumerate(KINDS)}
    texts = excerpts(vault, graph, cache=cache) if vault is not None else {}
    records = []
    for node, data in graph.nodes(data=True):
        record: dict[str, Any] = {"id": node, "label": labels[node], "kind": kinds.get(data.get("kind", "note"), 0),
                                  "cat": category[node]}
        for field, value in (("aliases", list(data.get("aliases") or [])), ("tags", list(data.get("tags") or [])),
                             ("hint", hints.get(node, "")),
                             ("excerpt", texts.get(node, ""))):
            if value:
                record[field] = value
        records.append(record)
    return records


def _tree_data(tree: Tree, records: list[dict[str, Any]]) -> dict[str, Any]:
    """The display tree and where the page draws it (:mod:`kg.export.treelayout`)."""
    opened = tree.open_at_start(OVERVIEW)
    labels = [(record["label"] + (f" · {record['hint']}" if "hint" in record else ""))[:48] + (" ▸" if item in tree.children else "")
              for item, record in enumerate(records)]  # what the page writes on each item, closed
    labels += [f"{group.label[:48]} ▸ {group.notes:,}" for group in tree.groups]
    placed = place(tree, labels, opened)
    return {"groups": [[group.label, group.notes] for group in tree.groups], "roots": tree.roots,
            "children": [tree.children.get(item, []) for item in range(len(tree.nodes) + len(tree.groups))],
            "open": opened, "hierarchy": tree.hierarchy, "start": placed.start, "bottom": placed.bottom,
            "offsets": placed.offsets, "bands": placed.bands}


def _page_data(graph: nx.MultiDiGraph, vault: Vault | None, color_by: str, layout: str, title: str,
               cache: Cache | None = None) -> dict[str, Any]:
    """What the page's script reads."""
    depths = hierarchy_depths(vault.graph if vault is not None else graph)
    assigned = categories(graph, color_by, depths)
    entries, shown = legend(assigned, color_by)
    number = {entry: i for i, (entry, _, _) in enumerate(entries)}
    tree = display_tree(graph, depths, hierarchy=layout == "hierarchy")
    index = {node: i for i, node in enumerate(tree.nodes)}
    kinds = Counter(kind for _, kind in graph.nodes(data="kind"))
    edges = _edge_numbers(graph, index)
    records = _node_records(graph, vault, {node: number[shown[assigned[node]]] for node in graph}, cache)
    return {
        "title": title, "vault": vault.root.resolve().name if vault is not None and vault.root else "",
        "colorBy": color_by, "layout": layout, "ghostCategory": number.get(GHOST, -1),
        "nodes": records, "edges": edges, "edgeKinds": list(EDGE_KINDS), "edgeStyles": [EDGE_STYLES[kind] for kind in EDGE_KINDS],
        "legend": [list(entry) for entry in entries], "counts": dict(sorted(kinds.items())),
        "summary": _summary(kinds, edge_count(graph)), **_tree_data(tree, records),
    }


def _summary(kinds: Counter[str], edges: int) -> str:
    parts = [f"{kinds.get(kind, 0):,} {name}{'' if kinds.get(kind, 0) == 1 else 's'}"
             for kind, name in (("note", "note"), ("canvas", "canvas"), ("attachment", "attachment"), ("ghost", "ghost"))
             if kinds.get(kind)]
    return " · ".join(parts + [f"{edges:,} edge{'' if edges == 1 else 's'}"])


def generate_html(
    graph: nx.MultiDiGraph,
    vault: Vault | None = None,
    *,
    color_by: str = "folder",
    layout: str = "hierarchy",
    title: str = "vault",
    cache: Cache | None = None,
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
    layout : {"hierarchy", "folders", "force"}
        The ``up`` hierarchy (the folder tree in a vault without one), or the folder tree
        (``force`` is its older name).
    title : str
        The page's heading, as text.
    cache : Cache, optional
        The vault's cache: the excerpts are taken from it while their notes' files are unchanged,
        and remembered in it (saving it is left to the caller).

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
    if layout == "force":
        layout = "folders"
    data = _page_data(graph, vault, color_by, layout, title, cache)
    script, style = vis_library()
    fills = {"@TITLE@": html.escape(title), "@VIS_CSS@": style, "@STYLE@": STYLE, "@VIS_JS@": script,
             "@DATA@": _for_script(_json(data)), "@SCRIPT@": SCRIPT}
    # one pass over the template: text put in is never searched for markers again
    return re.sub(r"@[A-Z_]+@", lambda match: fills[match.group(0)], PAGE)


def write_html(graph: nx.MultiDiGraph, path: str | os.PathLike[str], vault: Vault | None = None, **options: Any) -> None:
    """Write :func:`generate_html` to ``path`` as UTF-8."""
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(generate_html(graph, vault, **options))
