"""What the query and stats commands print: always valid UTF-8.

A file name that is not UTF-8 reaches Python as lone surrogates, which ``sys.stdout`` would write back
as the raw bytes: fine for a terminal, but it makes ``--json`` output that no JSON reader accepts.
Such characters are printed as U+FFFD instead, as in every other output of kg.
"""

from __future__ import annotations

import json
import os

import click

from kg.text import printable

__all__ = ["echo", "echo_json", "wants_colour"]


def echo(text: str) -> None:
    """Print ``text`` and a newline."""
    click.echo(printable(text))


def echo_json(data: object) -> None:
    """Print ``data`` as indented JSON (non-ASCII characters kept)."""
    echo(json.dumps(data, ensure_ascii=False, indent=2))


def wants_colour(choice: str) -> bool | None:
    """Whether to colour the output: ``always``, ``never``, or ``auto``: not when ``NO_COLOR`` is
    set (no-color.org), yes when ``FORCE_COLOR`` is (force-color.org), not when ``TERM=dumb``, else
    None: on a terminal only, as click decides for each stream.

    >>> wants_colour("always"), wants_colour("never")
    (True, False)
    """
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    return None
