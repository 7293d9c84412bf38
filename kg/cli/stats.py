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
@click.option("--all", "full", is_flag=True, help="List every broken link, root and cycle, not only the first few.")
@library_errors
def stats(vault_path: str, as_json: bool, relation: str, explicit: bool, full: bool) -> None:
    """The vault in numbers: notes, links, broken links, hierarchy roots, several parents, cycles.

    A summary: the most named broken targets and the first roots and cycles; --all lists them all.
    """
    from kg.stats import vault_stats

    vault = load_or_fail(vault_path)
    numbers = vault_stats(vault, relation.lower(), explicit=explicit)
    if as_json:
        data = dataclasses.asdict(numbers)
        data["broken_targets"] = [{"target": target, "count": count} for target, count in numbers.broken_targets]
        data["broken_links"] = [_broken_record(ref) for ref in vault.broken]
        echo_json(data)
        return
    echo(_stats_text(vault, numbers) if full else _summary_text(numbers))


def _broken_record(ref: Any) -> dict[str, object]:
    span = ref.link.span
    return {"path": ref.source, "line": span.line, "col": span.col, "target": ref.link.target, "raw": ref.link.raw}


SHOWN = 10
"""How many items of each list the summary shows."""


def _first(title: str, items: list[str]) -> list[str]:
    """A section of the summary: its first items, and how many more ``--all`` would list."""
    lines = ["", f"{title}:", *(f"  {item}" for item in items[:SHOWN])]
    if len(items) > SHOWN:
        lines.append(f"  ... and {len(items) - SHOWN} more (--all lists them)")
    return lines


def _summary_text(numbers: Any) -> str:
    """The counts, then the most named broken targets and the first roots and cycles."""
    lines = _count_lines(numbers)
    if numbers.broken_targets:
        width = len(str(numbers.broken_targets[0][1]))
        lines += _first("top broken targets", [f"{count:>{width}}  {target}" for target, count in numbers.broken_targets])
    if numbers.roots:
        lines += _first("hierarchy roots", numbers.roots)
    if numbers.cycles:
        lines += _first("hierarchy cycles", [", ".join(group) for group in numbers.cycles])
    return "\n".join(lines)


def _count_lines(numbers: Any) -> list[str]:
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
    return [f"{label:<16} {value}" for label, value in rows]


def _stats_text(vault: Vault, numbers: Any) -> str:
    """The counts, then every broken link, root and cycle."""
    lines = _count_lines(numbers)
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
