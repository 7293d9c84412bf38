"""The ``kg`` command: parses arguments, calls one library function, formats, picks the exit code.

The group and the shared options live here; each family of commands has its own module
(``kg.cli.stats``, ``kg.cli.export``, ...), imported at the bottom so that it registers itself.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from kg import __version__
from kg.errors import KgError
from kg.vault import Vault, load_vault

__all__ = ["KgClickError", "cli", "library_errors", "load_or_fail", "main", "vault_option"]

F = TypeVar("F", bound=Callable[..., Any])


class KgClickError(click.ClickException):
    """A library error shown as ``Error: ...`` with exit code 2."""

    exit_code = 2


def load_or_fail(path: str) -> Vault:
    """Load a vault, or fail with a one-line error and exit code 2."""
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


def main() -> None:
    """Entry point of the ``kg`` script."""
    cli(prog_name="kg")


from kg.cli import export, lint, query, stats  # noqa: E402,F401  (register the commands)
