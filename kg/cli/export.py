"""``kg export FORMAT VAULT``: write the vault's graph to a file."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli import cli, library_errors, load_or_fail


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

    vault = load_or_fail(vault_path)
    target = write(vault, Path(output) if output else default_output(vault, "json"), "json", self_links=self_links)
    graph = vault.graph
    click.echo(f"wrote {target} ({graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges)", err=True)
