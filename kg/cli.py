"""The ``kg`` command: parses arguments, calls one library function, formats, picks the exit code."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from kg import __version__
from kg.errors import KgError
from kg.vault import Vault, load_vault

__all__ = ["cli", "main"]

F = TypeVar("F", bound=Callable[..., Any])


class KgClickError(click.ClickException):
    """A library error shown as ``Error: ...`` with exit code 2."""

    exit_code = 2


def _load(path: str) -> Vault:
    try:
        return load_vault(path)
    except KgError as exc:
        raise KgClickError(str(exc)) from exc


def vault_option(function: F) -> F:
    """``--vault PATH``, default ``$KG_VAULT``, else the current folder."""
    option = click.option(
        "--vault",
        "vault_path",
        type=click.Path(file_okay=False),
        default=lambda: os.environ.get("KG_VAULT", "."),
        show_default="$KG_VAULT or .",
        help="The vault folder.",
    )
    return option(function)  # type: ignore[return-value]


def library_errors(function: F) -> F:
    """Turn a KgError raised by a command into a one-line error with exit code 2."""

    @wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except KgError as exc:
            raise KgClickError(str(exc)) from exc

    return run  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def cli() -> None:
    """Read, check and explore an Obsidian-style Markdown vault as a graph."""


@cli.command()
@vault_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@library_errors
def stats(vault_path: str, as_json: bool) -> None:
    """The vault in numbers: notes, links, broken links, hierarchy roots."""
    from kg.stats import vault_stats

    vault = _load(vault_path)
    numbers = vault_stats(vault)
    if as_json:
        data = dataclasses.asdict(numbers)
        data["broken_links"] = [_broken_record(ref) for ref in vault.broken]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(_stats_text(vault, numbers))


def _broken_record(ref: Any) -> dict[str, object]:
    span = ref.link.span
    return {"path": ref.source, "line": span.line, "col": span.col, "target": ref.link.target, "raw": ref.link.raw}


def _stats_text(vault: Vault, numbers: Any) -> str:
    kinds = ", ".join(f"{count} {kind}" for kind, count in numbers.links_by_kind.items())
    hierarchy = ", ".join(f"{count} {rel}" for rel, count in numbers.hierarchy_edges.items() if count)
    rows = [
        ("notes", str(numbers.notes)),
        ("attachments", str(numbers.attachments)),
        ("links", f"{numbers.links}" + (f" ({kinds})" if kinds else "")),
        ("resolved", str(numbers.resolved)),
        ("broken links", str(numbers.broken)),
        ("ghost targets", str(numbers.ghosts)),
        ("hierarchy edges", hierarchy or "0"),
        ("roots", str(len(numbers.roots))),
    ]
    if numbers.skipped:
        rows.append(("skipped files", str(numbers.skipped)))
    lines = [f"{label:<16} {value}" for label, value in rows]
    if vault.broken:
        lines += ["", "broken links:"]
        lines += [f"  {r.source}:{r.link.span.line}:{r.link.span.col}: {r.link.raw}" for r in vault.broken]
    if numbers.roots:
        lines += ["", "hierarchy roots:"]
        lines += [f"  {root}" for root in numbers.roots]
    return "\n".join(lines)


@cli.group()
def export() -> None:
    """Write the vault's graph to a file."""


@export.command("json")
@click.argument("vault_path", metavar="VAULT", type=click.Path(file_okay=False), default=".")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Output file [default: exports/<vault>.json].")
@click.option("--self-links", is_flag=True, help="Keep same-note links ([[#Heading]]) as self edges.")
@library_errors
def export_json(vault_path: str, output: str | None, self_links: bool) -> None:
    """Write the graph as networkx node-link JSON."""
    from kg.export import default_output, write

    vault = _load(vault_path)
    target = write(vault, Path(output) if output else default_output(vault, "json"), "json", self_links=self_links)
    graph = vault.graph
    click.echo(f"wrote {target} ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges)", err=True)


def main() -> None:
    """Entry point of the ``kg`` script."""
    cli(prog_name="kg")
