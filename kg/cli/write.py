"""``kg mv``: the commands that write into the vault."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli import cli, library_errors, load_or_fail, vault_option
from kg.mv import in_vault, plan_move
from kg.write import apply_change, counts, render_diff


@cli.command("mv")
@click.argument("old")
@click.argument("new")
@click.option("--dry-run", is_flag=True, help="Print the move and every edit as a unified diff; change nothing.")
@vault_option
@library_errors
def mv_command(old: str, new: str, dry_run: bool, vault_path: str) -> None:
    """Move a note, attachment or folder OLD to NEW and rewrite every link so that it still leads
    where it led. OLD and NEW are vault paths (or absolute paths inside the vault); a NEW that is
    a folder means into it.

    All or nothing: the edits are planned first, each file is written atomically, and the vault is
    read back to prove that every link resolves as before; anything else is rolled back.

    Exit status: 0 moved (or nothing to do with --dry-run), 2 refused or rolled back (nothing changed).
    """
    vault = load_or_fail(vault_path)
    root = vault.root or Path(vault_path)
    change = plan_move(vault, in_vault(root, old), in_vault(root, new))
    if dry_run:
        click.echo(render_diff(change), nl=False)
    else:
        apply_change(vault, change)
    click.echo(f"{counts(change)}{' (dry run: nothing changed)' if dry_run else ''}")
