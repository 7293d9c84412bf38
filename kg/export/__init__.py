"""Writing a vault's graph to files: one selection, many formats.

The pipeline is ``select`` (which part of the vault, :mod:`kg.export.select`) then one generator per
format; generators come as ``generate_*`` (text) functions, and :func:`write` puts their text in
files. ``html`` inlines the vis-network build that the pyvis package ships, read as files: no
format imports pyvis itself (it would pull in IPython).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import networkx as nx

from kg.confine import inside
from kg.errors import KgError
from kg.export.drawing import generate_dot, generate_mermaid
from kg.export.formats import (
    generate_edges_csv,
    generate_gexf,
    generate_graphml,
    generate_json,
    generate_nodes_csv,
)
from kg.export.select import Selection, export_graph, select
from kg.graph import edge_count
from kg.text import printable
from kg.vault import Vault

if TYPE_CHECKING:
    from kg.cache import Cache

__all__ = [
    "FORMATS",
    "MAX_NODES",
    "Rendered",
    "Selection",
    "Written",
    "check_outputs",
    "default_output",
    "export_graph",
    "outputs",
    "render",
    "render_bytes",
    "select",
    "write",
    "write_rendered",
]

FORMATS: dict[str, str] = {
    "html": ".html",
    "json": ".json",
    "graphml": ".graphml",
    "gexf": ".gexf",
    "mermaid": ".mmd",
    "dot": ".dot",
    "csv": ".csv",
}
"""Format name -> file extension."""

MAX_NODES: dict[str, int] = {"html": 50_000, "mermaid": 300}
"""Default node cap of the formats that draw: a safety limit, beyond which the file itself grows too big
(the HTML map draws an overview, so 20,000 notes are fine), or GitHub cannot show the chart."""

MERMAID_MAX_EDGES = 500
"""Mermaid's own default limit (``maxEdges``), which GitHub keeps."""


def default_output(vault: Vault | str | os.PathLike[str], fmt: str) -> Path:
    """``exports/<vault folder name>.<ext>`` in the current folder (for ``csv``, the base of two files);
    ``vault`` is the vault or its root folder."""
    root = vault.root if isinstance(vault, Vault) else Path(vault)
    name = root.resolve().name if root else "vault"
    return Path("exports") / (name if fmt == "csv" else f"{name}{FORMATS[fmt]}")


def outputs(path: str | os.PathLike[str], fmt: str) -> dict[str, Path]:
    """The file(s) a format writes for ``-o path``: ``{part: file}``.

    CSV writes two files: ``<base>.nodes.csv`` and ``<base>.edges.csv`` for a base name (a trailing
    ``.csv`` is dropped), or ``nodes.csv`` and ``edges.csv`` inside an existing folder (or a path
    ending in ``/``). Every other format writes ``path`` itself.

    >>> outputs("out/g.csv", "csv") == {"nodes": Path("out/g.nodes.csv"), "edges": Path("out/g.edges.csv")}
    True
    >>> outputs("out/g.html", "html")
    {'html': PosixPath('out/g.html')}
    """
    target = Path(path)
    if fmt != "csv":
        return {fmt: target}
    if target.is_dir() or str(path).endswith(("/", os.sep)):
        return {part: target / f"{part}.csv" for part in ("nodes", "edges")}
    base = target.name[:-4] if target.name.lower().endswith(".csv") else target.name
    return {part: target.with_name(f"{base}.{part}.csv") for part in ("nodes", "edges")}


def _check_size(graph: nx.MultiDiGraph, fmt: str, max_nodes: int | None) -> None:
    cap = MAX_NODES.get(fmt) if max_nodes is None else max_nodes
    nodes = graph.number_of_nodes()
    advice = "export a part of the vault with --root NOTE --depth N, --tag TAG or --folder FOLDER"
    if cap is not None and nodes > cap:
        raise KgError(f"the {fmt} map would have {nodes} nodes, more than --max-nodes {cap}; {advice}")
    if fmt == "mermaid":
        from kg.export.drawing import drawn_edges

        edges = len(drawn_edges(graph))
        if edges > MERMAID_MAX_EDGES:
            raise KgError(f"the mermaid chart would have {edges} edges, more than Mermaid draws ({MERMAID_MAX_EDGES}); {advice}")


class Written(NamedTuple):
    """What :func:`write` wrote."""

    files: list[Path]
    """The files, in the order the format names them."""
    nodes: int
    """Nodes of the exported graph."""
    edges: int
    """Edges of the exported graph."""


class Rendered(NamedTuple):
    """What :func:`render_bytes` made: the files' contents, not yet written."""

    contents: dict[str, bytes]
    """Each part's UTF-8 text (see :func:`outputs`), in the order the format names them."""
    nodes: int
    """Nodes of the exported graph."""
    edges: int
    """Edges of the exported graph."""


def render(
    vault: Vault,
    fmt: str,
    selection: Selection | None = None,
    *,
    color_by: str = "folder",
    layout: str = "hierarchy",
    max_nodes: int | None = None,
) -> dict[str, str]:
    """The text of each file a format writes, ``{part: text}``, for the selected part of the vault.

    >>> from kg.vault import Vault
    >>> render(Vault.from_texts({"A.md": "[[B]]"}), "csv")["edges"]
    'source,target,kind,implied,line,col,subpath\\nA.md,B,link,false,1,1,\\n'
    """
    if fmt not in FORMATS:
        raise KgError(f"unknown export format '{fmt}'; choose one of {', '.join(FORMATS)}")
    return _generate(vault, select(vault, selection), fmt, color_by=color_by, layout=layout, max_nodes=max_nodes)


def _generate(vault: Vault, graph: nx.MultiDiGraph, fmt: str, *, color_by: str, layout: str,
              max_nodes: int | None) -> dict[str, str]:
    """The text of each part, encodable as UTF-8 whatever the names hold (see :func:`kg.text.printable`)."""
    texts = _generate_parts(vault, graph, fmt, color_by=color_by, layout=layout, max_nodes=max_nodes)
    return {part: printable(text) for part, text in texts.items()}


def _utf8(text: str) -> bytes:
    """``printable(text)`` as UTF-8; a text that encodes as it is (no lone surrogate) is searched once, not twice."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return printable(text).encode("utf-8")


def _generate_parts(vault: Vault, graph: nx.MultiDiGraph, fmt: str, *, color_by: str, layout: str,
                    max_nodes: int | None, cache: Cache | None = None) -> dict[str, str]:
    _check_size(graph, fmt, max_nodes)
    name = vault.root.resolve().name if vault.root else "vault"
    if fmt == "html":
        from kg.export.html import generate_html

        return {fmt: generate_html(graph, vault, color_by=color_by, layout=layout, title=name, cache=cache)}
    if fmt == "csv":
        return {"nodes": generate_nodes_csv(graph), "edges": generate_edges_csv(graph)}
    if fmt == "mermaid":
        return {fmt: generate_mermaid(graph, color_by=color_by)}
    if fmt == "dot":
        return {fmt: generate_dot(graph, color_by=color_by, name=name)}
    generate = {"json": generate_json, "graphml": generate_graphml, "gexf": generate_gexf}[fmt]
    return {fmt: generate(graph)}


def render_bytes(
    vault: Vault,
    fmt: str,
    selection: Selection | None = None,
    *,
    color_by: str = "folder",
    layout: str = "hierarchy",
    max_nodes: int | None = None,
    cache: Cache | None = None,
) -> Rendered:
    """What :func:`write` writes, as bytes: the options are those of :func:`render`. With the
    vault's ``cache``, the HTML map takes the excerpts of unchanged notes from it and remembers the
    others (saving it is left to the caller).

    >>> from kg.vault import Vault
    >>> render_bytes(Vault.from_texts({"A.md": "[[B]]"}), "csv").contents["edges"]
    b'source,target,kind,implied,line,col,subpath\\nA.md,B,link,false,1,1,\\n'
    """
    if fmt not in FORMATS:
        raise KgError(f"unknown export format '{fmt}'; choose one of {', '.join(FORMATS)}")
    graph = select(vault, selection)
    texts = _generate_parts(vault, graph, fmt, color_by=color_by, layout=layout, max_nodes=max_nodes, cache=cache)
    return Rendered({part: _utf8(text) for part, text in texts.items()}, graph.number_of_nodes(), edge_count(graph))


def check_outputs(path: str | os.PathLike[str], fmt: str, root: str | os.PathLike[str] | None) -> dict[str, Path]:
    """The files a format writes for ``path`` (see :func:`outputs`); a :class:`~kg.errors.KgError`
    if one of them lies inside the vault at ``root`` (kg never writes into a vault)."""
    if fmt not in FORMATS:
        raise KgError(f"unknown export format '{fmt}'; choose one of {', '.join(FORMATS)}")
    targets = outputs(path, fmt)
    for target in targets.values():
        if root is not None and inside(target, root):
            raise KgError(f"refusing to write '{target}' inside the vault; choose another path with -o")
    return targets


def write_rendered(rendered: Rendered, path: str | os.PathLike[str], fmt: str, root: str | os.PathLike[str] | None) -> Written:
    """Write what :func:`render_bytes` made to ``path`` (see :func:`outputs`), never inside the vault at ``root``."""
    targets = check_outputs(path, fmt, root)
    for part, target in targets.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(rendered.contents[part])
    return Written(list(targets.values()), rendered.nodes, rendered.edges)


def write(
    vault: Vault,
    path: str | os.PathLike[str],
    fmt: str,
    selection: Selection | None = None,
    *,
    color_by: str = "folder",
    layout: str = "hierarchy",
    max_nodes: int | None = None,
) -> Written:
    """Write the selected part of the vault's graph in format ``fmt``; never into the vault itself.

    The options are those of :func:`render`. Returns the files written (two for ``csv``, see
    :func:`outputs`) and the size of the graph they hold.
    """
    check_outputs(path, fmt, vault.root)  # before the work, not after it
    rendered = render_bytes(vault, fmt, selection, color_by=color_by, layout=layout, max_nodes=max_nodes)
    return write_rendered(rendered, path, fmt, vault.root)
