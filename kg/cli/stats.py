"""``kg stats``: the vault in numbers."""

from __future__ import annotations

import dataclasses
from typing import Any

import click

from kg.cli import cli, library_errors, load_or_fail, vault_option
from kg.cli.output import echo, echo_json
from kg.config import RELATIONS
from kg.vault import Vault


@cli.command()
@vault_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option(
    "--relation",
    type=click.Choice(RELATIONS, case_sensitive=False),
    default="up",
    show_default=True,
    help="The hierarchy field that roots, several parents and cycles are counted on.",
)
@click.option("--explicit", is_flag=True, help="Ignore implied edges for those.")
@library_errors
def stats(vault_path: str, as_json: bool, relation: str, explicit: bool) -> None:
    """The vault in numbers: notes, links, broken links, hierarchy roots, several parents, cycles."""
    from kg.stats import vault_stats

    vault = load_or_fail(vault_path)
    numbers = vault_stats(vault, relation.lower(), explicit=explicit)
    if as_json:
        data = dataclasses.asdict(numbers)
        data["broken_links"] = [_broken_record(ref) for ref in vault.broken]
        echo_json(data)
        return
    echo(_stats_text(vault, numbers))


def _broken_record(ref: Any) -> dict[str, object]:
    span = ref.link.span
    return {"path": ref.source, "line": span.line, "col": span.col, "target": ref.link.target, "raw": ref.link.raw}


def _stats_text(vault: Vault, numbers: Any) -> str:
    kinds = ", ".join(f"{count} {kind}" for kind, count in numbers.links_by_kind.items())
    hierarchy = ", ".join(f"{count} {rel}" for rel, count in numbers.hierarchy_edges.items() if count)
    rows = [
        ("notes", str(numbers.notes)),
        ("attachments", str(numbers.attachments)),
        *([("canvases", str(numbers.canvases))] if numbers.canvases else []),
        ("links", f"{numbers.links}" + (f" ({kinds})" if kinds else "")),
        ("resolved", str(numbers.resolved)),
        ("broken links", str(numbers.broken)),
        ("ghost targets", str(numbers.ghosts)),
        ("hierarchy edges", hierarchy or "0"),
        ("roots", str(len(numbers.roots))),
    ]
    if numbers.several_parents:
        rows.append(("several parents", str(len(numbers.several_parents))))
    if numbers.cycles:
        rows.append(("cycles", str(len(numbers.cycles))))
    if numbers.skipped:
        rows.append(("skipped files", str(numbers.skipped)))
    lines = [f"{label:<16} {value}" for label, value in rows]
    if vault.broken:
        lines += ["", "broken links:"]
        lines += [f"  {r.source}:{r.link.span.line}:{r.link.span.col}: {r.link.raw}" for r in vault.broken]
    if numbers.roots:
        lines += ["", "hierarchy roots:"]
        lines += [f"  {root}" for root in numbers.roots]
    if numbers.cycles:
        lines += ["", "hierarchy cycles:"]
        lines += ["  " + ", ".join(group) for group in numbers.cycles]
    return "\n".join(lines)
