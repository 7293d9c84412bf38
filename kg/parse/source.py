"""Lines of a note's text, as an editor counts them."""

from __future__ import annotations

import re

from kg.model import Span

__all__ = ["split_lines", "slice_span"]

_NEWLINE = re.compile(r"\r\n?|\n")


def split_lines(text: str) -> list[str]:
    """Split at ``\\n``, ``\\r\\n`` and lone ``\\r`` only, as markdown-it and editors do.

    ``str.splitlines`` would also split at form feeds and Unicode separators, which shifts lines.

    >>> split_lines("a\\r\\nb\\rc\\x0cd\\n")
    ['a', 'b', 'c\\x0cd', '']

    Most files have no ``\\r``: ``str.split`` then gives the same lines five times faster.
    """
    return _NEWLINE.split(text) if "\r" in text else text.split("\n")


def slice_span(lines: list[str], span: Span) -> str:
    """The text a span covers, lines joined with ``\\n``."""
    first, last = span.line - 1, span.end_line - 1
    if first == last:
        return lines[first][span.col - 1 : span.end_col - 1]
    parts = [lines[first][span.col - 1 :], *lines[first + 1 : last], lines[last][: span.end_col - 1]]
    return "\n".join(parts)
