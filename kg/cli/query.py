"""``kg ancestors``, ``kg tree``, ``kg path``, ``kg show``, ``kg find`` and the other concept queries.

Each command parses its arguments, calls one function of :mod:`kg.query`, and prints the answer:
one node per line for people (colour only on a terminal), or ``--json``. A name that fits several
notes lists them on stderr and exits 2; a name that fits none suggests the closest and exits 1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

import click

from kg import query
from kg.cli import KgClickError, cli, load_hierarchy_or_fail, load_or_fail, vault_option
from kg.cli.output import echo, echo_json
from kg.config import RELATIONS
from kg.errors import AmbiguousNote, KgError, NoPath, NoteNotFound

if TYPE_CHECKING:
    from kg.vault import Vault

F = TypeVar("F", bound=Callable[..., Any])


class NotFoundError(click.ClickException):
    """No answer: the name fits no note, or two notes do not connect. Exit code 1."""

    exit_code = 1


def query_errors(function: F) -> F:
    """Turn lookup failures into exit code 1 (nothing fits) or 2 (several fit, listed)."""

    @wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except (NoteNotFound, NoPath) as exc:
            raise NotFoundError(str(exc)) from exc
        except AmbiguousNote as exc:  # one line, as every exit-2 error
            listed = ", ".join(f"'{match}'" for match in exc.matches)
            raise KgClickError(f"'{exc.name}' matches {len(exc.matches)} notes; name one by path: {listed}") from exc
        except KgError as exc:
            raise KgClickError(str(exc)) from exc

    return run  # type: ignore[return-value]


def _options(*, depth: bool = False, hierarchy: bool = True) -> Callable[[F], F]:
    """The options every query takes: ``--vault``, ``--json``, and the hierarchy ones."""

    def decorate(function: F) -> F:
        function = query_errors(function)
        if depth:
            function = click.option(
                "--depth", type=click.IntRange(min=0), default=None, help="Go at most this many levels."
            )(function)
        if hierarchy:
            function = click.option(
                "--explicit", is_flag=True, help="Ignore implied edges: count only fields written in the notes."
            )(function)
            function = click.option(
                "--relation",
                type=click.Choice(RELATIONS, case_sensitive=False),
                default="up",
                show_default=True,
                help="The hierarchy field that names a note's parents.",
            )(function)
        function = click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")(function)
        return vault_option(function)

    return decorate


def _label(vault: Vault, node: str) -> str:
    """A node for people: its path, its own title when that says more, or a mark if unresolved."""
    data = vault.graph.nodes[node]
    if data["kind"] == "ghost":
        return f"{node}  " + click.style("(unresolved)", fg="yellow")
    note = vault.notes.get(node)
    heading = query.heading_title(note) if note is not None else None
    return node if heading is None else f"{node}  " + click.style(heading, dim=True)


def _echo_nodes(vault: Vault, nodes: Iterable[str], as_json: bool) -> None:
    nodes = list(nodes)
    if as_json:
        echo_json(nodes)
    elif nodes:
        echo("\n".join(_label(vault, node) for node in nodes))


@cli.command()
@click.argument("name")
@_options(depth=True)
def ancestors(vault_path: str, as_json: bool, name: str, relation: str, explicit: bool, depth: int | None) -> None:
    """Every note above NAME: its parents, theirs, and so on up to the roots.

    NAME is a vault path, a file name or an alias, in any case.
    """
    vault = load_hierarchy_or_fail(vault_path)
    _echo_nodes(vault, query.ancestors(vault, name, relation, depth=depth, explicit=explicit), as_json)


@cli.command()
@click.argument("name")
@_options(depth=True)
def descendants(vault_path: str, as_json: bool, name: str, relation: str, explicit: bool, depth: int | None) -> None:
    """Every note below NAME: its children, theirs, and so on."""
    vault = load_hierarchy_or_fail(vault_path)
    _echo_nodes(vault, query.descendants(vault, name, relation, depth=depth, explicit=explicit), as_json)


@cli.command()
@click.argument("name")
@_options()
def parents(vault_path: str, as_json: bool, name: str, relation: str, explicit: bool) -> None:
    """The notes directly above NAME (unresolved ones marked)."""
    vault = load_hierarchy_or_fail(vault_path)
    _echo_nodes(vault, query.parents(vault, name, relation, explicit=explicit), as_json)


@cli.command()
@click.argument("name")
@_options()
def children(vault_path: str, as_json: bool, name: str, relation: str, explicit: bool) -> None:
    """The notes directly below NAME."""
    vault = load_hierarchy_or_fail(vault_path)
    _echo_nodes(vault, query.children(vault, name, relation, explicit=explicit), as_json)


@cli.command()
@click.argument("name")
@_options()
def siblings(vault_path: str, as_json: bool, name: str, relation: str, explicit: bool) -> None:
    """The other children of NAME's parents."""
    vault = load_hierarchy_or_fail(vault_path)
    _echo_nodes(vault, query.siblings(vault, name, relation, explicit=explicit), as_json)


@cli.command()
@_options()
def roots(vault_path: str, as_json: bool, relation: str, explicit: bool) -> None:
    """The tops of the hierarchy: notes with children but no parent."""
    vault = load_hierarchy_or_fail(vault_path)
    _echo_nodes(vault, query.roots(vault, relation, explicit=explicit), as_json)


@cli.command()
@click.argument("name", required=False)
@click.option("--up", "upward", is_flag=True, help="Draw what is above NAME instead of below.")
@_options(depth=True)
def tree(
    vault_path: str, as_json: bool, name: str | None, upward: bool, relation: str, explicit: bool, depth: int | None
) -> None:
    """The hierarchy below NAME (or above it, with --up), drawn as a tree.

    Without NAME, the tree below every root. A note with several parents stands under each;
    its subtree is drawn once and marked "(see above)" after that. "(cycle)" marks where a
    cycle closes.
    """
    vault = load_hierarchy_or_fail(vault_path)
    direction = "up" if upward else "down"
    starts = [name] if name is not None else query.roots(vault, relation, explicit=explicit)
    trees = [query.tree(vault, s, relation, direction=direction, depth=depth, explicit=explicit) for s in starts]
    if as_json:
        forest = ",\n".join(query.generate_tree_json(t, indent=1) for t in trees)
        echo(query.generate_tree_json(trees[0]) if name is not None else f"[\n{forest}\n]" if trees else "[]")
    elif trees:
        echo("\n".join(query.generate_tree_text(t, lambda here: _tree_label(vault, here)) for t in trees))


def _tree_label(vault: Vault, here: query.Tree) -> str:
    label = _label(vault, here.node)
    if here.cycle:
        return label + "  " + click.style("(cycle)", fg="red")
    if here.repeat:
        return label + "  " + click.style("(see above)", dim=True)
    return label


@cli.command("path")
@click.argument("source")
@click.argument("target")
@vault_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option(
    "--relation",
    type=click.Choice(RELATIONS, case_sensitive=False),
    default=None,
    help="Walk only this hierarchy field (default: every link and field).",
)
@click.option("--explicit", is_flag=True, help="Ignore implied edges.")
@query_errors
def path_command(
    vault_path: str, as_json: bool, source: str, target: str, relation: str | None, explicit: bool
) -> None:
    """How SOURCE and TARGET connect: the fewest links and hierarchy edges between them.

    Each line after the first is one step: "-kind->" when the previous note links to this one,
    "<-kind-" when this one links back to it. Exits 1 when nothing connects them.
    """
    vault = load_or_fail(vault_path)
    steps = query.shortest_path(vault, source, target, relation, explicit=explicit)
    if as_json:
        echo_json([_step_data(step) for step in steps])
        return
    first = steps[0].source if steps else query.lookup(vault, source)
    echo("\n".join([_label(vault, first), *(_step_line(vault, step) for step in steps)]))


def _step_line(vault: Vault, step: query.Step) -> str:
    arrow = f"-{step.kind}->" if step.forward else f"<-{step.kind}-"
    implied = "  " + click.style("(implied)", dim=True) if step.implied else ""
    return f"  {click.style(arrow, fg='cyan')} {_label(vault, step.target)}{implied}"


def _step_data(step: query.Step) -> dict[str, object]:
    return {
        "source": step.source,
        "target": step.target,
        "kind": step.kind,
        "forward": step.forward,
        "implied": step.implied,
    }


@cli.command()
@click.argument("name")
@_options(hierarchy=False)
def backlinks(vault_path: str, as_json: bool, name: str) -> None:
    """The notes and canvases that link to NAME (a note, an attachment or an unresolved target)."""
    vault = load_or_fail(vault_path)
    _echo_nodes(vault, query.backlinks(vault, name), as_json)


@cli.command()
@click.argument("name")
@_options(hierarchy=False)
def links(vault_path: str, as_json: bool, name: str) -> None:
    """What NAME links to: notes, attachments, and unresolved targets (marked)."""
    vault = load_or_fail(vault_path)
    _echo_nodes(vault, query.links(vault, name), as_json)


@cli.command()
@click.argument("text")
@_options(hierarchy=False)
def find(vault_path: str, as_json: bool, text: str) -> None:
    """Notes whose file name or alias contains TEXT, in any case and script; '#TAG' finds the
    notes tagged TAG (nested tags too).

    Exits 1, with the closest names, when nothing matches.
    """
    vault = load_or_fail(vault_path)
    if text.startswith("#"):
        tagged = query.find_tagged(vault, text)
        if not tagged:
            raise NotFoundError(f"no note is tagged '{text}'")
        if as_json:
            echo_json(list(tagged))
            return
        echo("\n".join(f"{_label(vault, node)}  " + click.style(" ".join(f"#{tag}" for tag in tags), dim=True)
                       for node, tags in tagged.items()))
        return
    found = query.find_notes(vault, text)
    if not found:
        raise NoteNotFound(text, tuple(query.suggest(vault, text)))
    if as_json:
        echo_json(list(found))
        return
    echo("\n".join(_found_line(vault, node, hits) for node, hits in found.items()))


def _found_line(vault: Vault, node: str, hits: list[str]) -> str:
    """The node, and the aliases that matched when its file name did not."""
    aliases = [hit for hit in hits if hit != query.names(vault, node)[0]]
    if len(aliases) < len(hits) or not aliases:
        return _label(vault, node)
    noun = "alias" if len(aliases) == 1 else "aliases"
    return f"{_label(vault, node)}  " + click.style(f"{noun}: {', '.join(aliases)}", dim=True)


@cli.command()
@click.argument("name")
@_options()
def show(vault_path: str, as_json: bool, name: str, relation: str, explicit: bool) -> None:
    """Everything about one note: path, title, aliases, tags, parents, children, links, lint findings."""
    vault = load_or_fail(vault_path)
    info = query.show(vault, name, relation, explicit=explicit)
    if as_json:
        echo_json(_info_data(info))
        return
    echo("\n".join(_info_lines(vault, info)))


def _info_data(info: query.NoteInfo) -> dict[str, object]:
    data: dict[str, object] = {
        "node": info.node,
        "kind": info.kind,
        "title": info.title,
        "heading": info.heading,
        "aliases": list(info.aliases),
        "tags": list(info.tags),
        "parents": list(info.parents),
        "children": list(info.children),
        "links_out": info.links_out,
        "links_in": info.links_in,
        "broken": info.broken,
    }
    data["findings"] = [
        {"line": f.line, "col": f.col, "code": f.code, "name": f.name, "severity": f.severity, "message": f.message}
        for f in info.findings
    ]
    return data


def _info_lines(vault: Vault, info: query.NoteInfo) -> list[str]:
    """``label    value`` rows; a list runs on over indented lines, ``-`` when it is empty."""
    rows: list[tuple[str, list[str]]] = [("path", [_label(vault, info.node) if info.kind == "ghost" else info.node])]
    if info.kind != "note":
        rows.append(("kind", [info.kind]))
    rows += [
        ("title", [info.heading or info.title]),
        ("aliases", [", ".join(info.aliases)] if info.aliases else []),
        ("tags", [" ".join(f"#{tag}" for tag in info.tags)] if info.tags else []),
        ("parents", [_label(vault, node) for node in info.parents]),
        ("children", [_label(vault, node) for node in info.children]),
        ("links", [f"{info.links_out} out ({info.broken} broken), {info.links_in} in"]),
        ("findings", [f"{f.path}:{f.line}:{f.col}: {f.code} {f.message}" for f in info.findings]),
    ]
    lines = []
    for label, values in rows:
        for index, value in enumerate(values or ["-"]):
            lines.append(f"{label if index == 0 else '':<10}{value}")
    return lines
