"""Data formats, all from the same graph: node-link JSON, GraphML, GEXF and CSV.

Each ``generate_*`` takes the graph to export (see :func:`kg.export.select.select`) and returns
text, stable byte for byte. GraphML and GEXF hold no lists and no None: ``aliases`` and ``tags`` are
joined with ``|`` (:data:`LIST_SEPARATOR`), a missing ``subpath`` is left out.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re

import networkx as nx

__all__ = [
    "LIST_SEPARATOR",
    "flat_graph",
    "generate_edges_csv",
    "generate_gexf",
    "generate_graphml",
    "generate_json",
    "generate_nodes_csv",
]

LIST_SEPARATOR = "|"
"""Joins list attributes (aliases, tags) in GraphML, GEXF and CSV; Obsidian names cannot hold it."""

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot hold, even escaped (lone surrogates: names that are not UTF-8)."""


def _plain(value: object) -> object:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)


def generate_json(graph: nx.MultiDiGraph) -> str:
    """The graph as networkx node-link JSON (``nodes`` and ``edges``).

    >>> from kg.vault import Vault
    >>> data = json.loads(generate_json(Vault.from_texts({"A.md": "[[B]]"}).graph))
    >>> [n["id"] for n in data["nodes"]], [(e["source"], e["target"], e["kind"]) for e in data["edges"]]
    (['A.md', 'B'], [('A.md', 'B', 'link')])
    """
    data = nx.node_link_data(graph, edges="edges")
    return json.dumps(data, ensure_ascii=False, indent=2, default=_plain) + "\n"


def _xml_text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def _flat(value: object) -> object:
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(_xml_text(str(item)) for item in value)
    return _xml_text(value) if isinstance(value, str) else value


def flat_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy with list attributes joined, None attributes dropped and XML-illegal characters replaced.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", aliases=["x", "y"], tags=[])
    >>> _ = g.add_edge("a", "a", subpath=None, line=1)
    >>> flat = flat_graph(g)
    >>> flat.nodes["a"], list(flat.edges(data=True))
    ({'aliases': 'x|y', 'tags': ''}, [('a', 'a', {'line': 1})])
    """
    out = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        out.add_node(_xml_text(node), **{k: _flat(v) for k, v in data.items() if v is not None})
    for u, v, key, data in graph.edges(keys=True, data=True):
        out.add_edge(_xml_text(u), _xml_text(v), key, **{k: _flat(x) for k, x in data.items() if x is not None})
    return out


def generate_graphml(graph: nx.MultiDiGraph) -> str:
    """The graph as GraphML, which Gephi, yEd and Cytoscape open.

    >>> g = nx.read_graphml(io.StringIO(generate_graphml(nx.MultiDiGraph([("a", "b")]))))
    >>> list(g.edges())
    [('a', 'b')]
    """
    return "\n".join(nx.generate_graphml(flat_graph(graph), encoding="utf-8", prettyprint=True)) + "\n"


def generate_gexf(graph: nx.MultiDiGraph) -> str:
    """The graph as GEXF 1.2 for Gephi; a node's label is its title.

    networkx stamps today's date into the header; it is left out so the same graph gives the same file.

    >>> text = generate_gexf(nx.MultiDiGraph([("a", "b")]))
    >>> "lastmodifieddate" in text, sorted(nx.read_gexf(io.BytesIO(text.encode())).edges())
    (False, [('a', 'b')])
    """
    flat = flat_graph(graph)
    for node, data in flat.nodes(data=True):
        data["label"] = data.get("title", node)
    text = "\n".join(nx.generate_gexf(flat, encoding="utf-8", prettyprint=True))
    return re.sub(r'<meta lastmodifieddate="[^"]*">', "<meta>", text, count=1) + "\n"


NODE_COLUMNS = ("id", "kind", "title", "aliases", "tags", "in_degree", "out_degree")
"""Columns of the nodes CSV."""
EDGE_COLUMNS = ("source", "target", "kind", "implied", "line", "col", "subpath")
"""Columns of the edges CSV."""


def _csv(header: tuple[str, ...], rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def generate_nodes_csv(graph: nx.MultiDiGraph) -> str:
    """One row per node: ``id, kind, title, aliases, tags, in_degree, out_degree`` (lists joined by ``|``).

    >>> print(generate_nodes_csv(nx.MultiDiGraph([("a", "b")])), end="")
    id,kind,title,aliases,tags,in_degree,out_degree
    a,,,,,0,1
    b,,,,,1,0
    """
    rows = []
    for node, data in graph.nodes(data=True):
        aliases, tags = (LIST_SEPARATOR.join(data.get(k) or ()) for k in ("aliases", "tags"))
        rows.append([node, data.get("kind", ""), data.get("title", ""), aliases, tags,
                     graph.in_degree(node), graph.out_degree(node)])
    return _csv(NODE_COLUMNS, rows)


def generate_edges_csv(graph: nx.MultiDiGraph) -> str:
    """One row per edge: ``source, target, kind, implied, line, col, subpath``.

    >>> print(generate_edges_csv(nx.MultiDiGraph([("a", "b", {"kind": "up", "implied": False})])), end="")
    source,target,kind,implied,line,col,subpath
    a,b,up,false,,,
    """
    rows = []
    for u, v, data in graph.edges(data=True):
        implied = "true" if data.get("implied") else "false"
        rows.append([u, v, data.get("kind", ""), implied, data.get("line", ""), data.get("col", ""),
                     data.get("subpath") or ""])
    return _csv(EDGE_COLUMNS, rows)
