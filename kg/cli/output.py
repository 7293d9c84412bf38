"""What the query and stats commands print: always valid UTF-8.

A file name that is not UTF-8 reaches Python as lone surrogates, which ``sys.stdout`` would write back
as the raw bytes: fine for a terminal, but it makes ``--json`` output that no JSON reader accepts.
Such characters are printed as U+FFFD instead, as in every other output of kg.
"""

from __future__ import annotations

import json

import click

from kg.text import printable

__all__ = ["echo", "echo_json"]


def echo(text: str) -> None:
    """Print ``text`` and a newline."""
    click.echo(printable(text))


def echo_json(data: object) -> None:
    """Print ``data`` as indented JSON (non-ASCII characters kept)."""
    echo(json.dumps(data, ensure_ascii=False, indent=2))
