"""``kg export FORMAT [VAULT]``: write the vault's graph (or a part of it) to a file or stdout."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from kg.cli import cache_state, cli, library_errors, load_or_fail, note, vault_option

if TYPE_CHECKING:
    from kg.export import Rendered, Selection

F = TypeVar("F", bound=Callable[..., Any])

HELP = {
    "html": "Write an interactive concept map: one self-contained HTML file that works offline.",
    "json": "Write the graph as networkx node-link JSON.",
    "graphml": "Write the graph as GraphML (Gephi, yEd, Cytoscape); aliases and tags joined by '|'.",
    "gexf": "Write the graph as GEXF for Gephi; aliases and tags joined by '|'.",
    "mermaid": "Write a Mermaid flowchart (GitHub renders it); best for a part of the vault (--root).",
    "dot": "Write the graph in Graphviz DOT.",
    "csv": "Write two CSV files, nodes and edges: -o BASE gives BASE.nodes.csv and BASE.edges.csv, -o FOLDER/ gives FOLDER/nodes.csv and FOLDER/edges.csv.",
}


@cli.group()
def export() -> None:
    """Write the vault's graph to a file: html, json, graphml, gexf, mermaid, dot or csv.

    Every format takes the same filters: --root NOTE --depth N (the neighbourhood of one note),
    --tag, --folder, --no-ghosts, --no-attachments.
    """


def _selection_options(function: F) -> F:
    """The filters every format shares."""
    options = [
        click.option("--root", metavar="NOTE", help="Export the neighbourhood of this note: vault path, file name or alias, as in kg show."),
        click.option("--depth", type=click.IntRange(min=0), default=None, metavar="N",
                     help="Steps from --root, along links of any kind either way  [default: 2]."),
        click.option("--tag", "tags", multiple=True, metavar="TAG", help="Keep notes with this tag (nested tags too); repeatable."),
        click.option("--folder", "folders", multiple=True, metavar="FOLDER", help="Keep notes inside this folder; repeatable."),
        click.option("--no-ghosts", is_flag=True, help="Leave out unresolved link targets."),
        click.option("--no-attachments", is_flag=True, help="Leave out attachments: files that are neither notes nor canvases."),
        click.option("--self-links", is_flag=True, help="Keep same-note links ([[#Heading]]) as self edges."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _drawing_options(function: F, max_nodes: int | None) -> F:
    default = f"[default: {max_nodes}]" if max_nodes else "[default: no cap]"
    options = [
        click.option("--color-by", type=click.Choice(["folder", "tag", "depth"]), default="folder", show_default=True,
                     help="Colour nodes by top folder, by tag, or by depth in the up hierarchy."),
        click.option("--max-nodes", type=click.IntRange(min=1), default=None, metavar="N",
                     help=f"Refuse to draw more nodes than this  {default}."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _run(
    fmt: str, vault_path: str, output: str | None, *, root: str | None, depth: int | None, tags: tuple[str, ...],
    folders: tuple[str, ...], no_ghosts: bool, no_attachments: bool, self_links: bool, **options: Any,
) -> None:
    """Build the selection from the filters, write the files, say what was written."""
    from kg.export import Selection, check_outputs, write_rendered

    if depth is not None and root is None:
        raise click.UsageError("--depth needs --root")
    selection = Selection(root=root, depth=2 if depth is None else depth, tags=tags, folders=folders,
                          ghosts=not no_ghosts, attachments=not no_attachments, self_links=self_links)
    if output == "-" and fmt == "csv":
        raise click.UsageError("csv writes two files (nodes and edges); give -o BASE or -o FOLDER/")
    target = None if output == "-" else Path(output) if output else _default_target(vault_path, fmt)
    if target is not None:
        check_outputs(target, fmt, vault_path)  # before the vault is read
    rendered = _rendered(fmt, vault_path, selection, options)
    if target is None:
        click.echo("".join(part.decode("utf-8") for part in rendered.contents.values()), nl=False)
        return
    written = write_rendered(rendered, target, fmt, vault_path)
    files = ", ".join(str(path) for path in written.files)
    click.echo(f"wrote {files} ({written.nodes} nodes, {written.edges} edges)", err=True)


def _rendered(fmt: str, vault_path: str, selection: Selection, options: dict[str, Any]) -> Rendered:
    """The files' contents: remembered in the cache while no file of the vault changed (as lint
    remembers its report), else made from the vault and remembered."""
    from kg.export import Rendered, render_bytes

    state = cache_state(vault_path)
    key = _memo_key(fmt, selection, options)
    found = state[0].answer(key, state[1]) if state is not None else None
    if _is_rendered(found):
        return Rendered(*found)
    vault = load_or_fail(vault_path, state)
    rendered = render_bytes(vault, fmt, selection, cache=state[0] if state is not None else None, **options)
    if state is not None:
        state[0].remember(key, state[1], tuple(rendered))
        state[0].save()
    return rendered


def _memo_key(fmt: str, selection: Selection, options: dict[str, Any]) -> str:
    """What an export's files depend on besides the vault and kg's own code (both in the cache's
    key): the format, the selection, the options, and the libraries that write the formats."""
    from importlib.metadata import PackageNotFoundError, version

    libraries = []
    for name in ("networkx", "pyvis"):
        try:
            libraries.append(version(name))
        except PackageNotFoundError:
            libraries.append("")
    return repr(("export", fmt, selection, sorted(options.items()), libraries))


def _is_rendered(found: object) -> bool:
    """Whether a remembered answer has the shape of :class:`~kg.export.Rendered` (the cache is never trusted blindly)."""
    return (isinstance(found, tuple) and len(found) == 3 and isinstance(found[0], dict)
            and all(isinstance(part, str) and isinstance(data, bytes) for part, data in found[0].items())
            and isinstance(found[1], int) and isinstance(found[2], int))


def _default_target(vault_path: str, fmt: str) -> Path:
    """``exports/<vault>.<ext>`` in the current folder; run inside the vault, the same beside the
    vault (kg never writes into a vault), and said so."""
    from kg.confine import inside
    from kg.export import default_output

    root = Path(vault_path)
    target = default_output(root, fmt)
    if not inside(target.parent, root):
        return target
    beside = Path(os.path.relpath(root.resolve().parent / target))
    note(f"the current folder is inside the vault; writing beside it, to {beside.parent}")
    return beside


def _command(fmt: str, *, drawing: bool = False, layout: bool = False) -> None:
    from kg.export import FORMATS, MAX_NODES

    def command(vault_path: str, output: str | None, **params: Any) -> None:
        _run(fmt, vault_path, output, **params)

    command.__doc__ = HELP[fmt]
    default = "exports/<vault>" + ("" if fmt == "csv" else FORMATS[fmt])
    command = click.option("-o", "--output", type=click.Path(allow_dash=True),
                           help=f"Output file, '-' for stdout [default: {default}, beside the vault when run inside it].")(command)
    if layout:
        command = click.option("--layout", type=click.Choice(["hierarchy", "folders", "force"]), default="hierarchy", show_default=True,
                               help="The up hierarchy, parents above children (folders where there is none), or the folder tree; force is the older name of folders.")(command)
    if drawing:
        command = _drawing_options(command, MAX_NODES.get(fmt))
    command = vault_option(_selection_options(command))
    export.command(fmt, help=HELP[fmt])(library_errors(command))


_command("html", drawing=True, layout=True)
for _fmt in ("json", "graphml", "gexf", "csv"):
    _command(_fmt)
_command("mermaid", drawing=True)
_command("dot", drawing=True)
