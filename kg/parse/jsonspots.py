"""Where the string values of a JSON Canvas file's nodes and edges stand in its text.

Python's :mod:`json` gives values without positions. A canvas writer must replace a ``file`` value
or a link inside a ``text`` value without touching any other byte, so this module walks the two
arrays that hold them (``nodes`` and ``edges``) and records, for each of their objects, where each
string value's content begins and ends. The text must already have been read by :func:`json.loads`
without error: the walk relies on it being valid.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right

from kg.model import Span

__all__ = ["Element", "Lines", "decoded_offsets", "element_spots"]

Element = tuple[int, "dict[str, tuple[int, int]] | None"]
"""One element of ``nodes`` or ``edges``: the offset where it begins and, for an object, key ->
``(start, end)`` of each string value's content (inside the quotes, escapes as written)."""

_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_TOKEN = re.compile(
    rf'(?P<key>{_STRING})[ \t\n\r]*:|(?P<string>{_STRING})|(?P<open>[{{\[])|(?P<close>[}}\]])|(?P<atom>[^ \t\n\r,:{{}}\[\]"]+)'
)
"""A JSON token: a key with its colon, a string value, an opening or closing bracket, or a number
or literal. The commas and white space between tokens are skipped."""
_ARRAYS = ("nodes", "edges")


def _key(token: str) -> str:
    return json.loads(token) if "\\" in token else token[1:-1]


def element_spots(text: str) -> dict[str, list[Element]]:
    """Where the elements of the top-level ``nodes`` and ``edges`` arrays stand in valid JSON text.

    One regular expression finds every token and one loop follows the nesting: depth 1 is the top
    object, 2 the arrays, 3 the objects in them. A repeated key counts once, the last time, as in
    :func:`json.loads`. (A walk that called the decoder for each value took three times as long.)

    >>> text = '{"nodes": [{"id": "a", "file": "A.md"}, 3]}'
    >>> spots = element_spots(text)["nodes"]
    >>> spots[1], text[slice(*spots[0][1]["file"])]
    ((40, None), 'A.md')
    """
    found: dict[str, list[Element]] = {}
    depth, top_key, key = 0, "", ""
    array: list[Element] | None = None
    element: dict[str, tuple[int, int]] | None = None
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "key":
            if depth == 1:
                top_key = _key(match.group("key"))
            elif depth == 3 and element is not None:
                key = _key(match.group("key"))
                element.pop(key, None)
        elif kind == "open":
            if depth == 2 and array is not None:
                element = {} if match.group() == "{" else None
                array.append((match.start(), element))
            elif depth == 1 and top_key in _ARRAYS and match.group() == "[":
                array = found[top_key] = []
            depth, key = depth + 1, ""
        elif kind == "close":
            depth -= 1
            if depth == 2:
                element = None
            elif depth == 1:
                array = None
        elif depth == 2 and array is not None:  # a string, number or literal as an element
            array.append((match.start(), None))
        elif depth == 3 and element is not None and key:  # a member's value
            if kind == "string":
                element[key] = (match.start() + 1, match.end() - 1)
            key = ""
    return found


def decoded_offsets(raw: str) -> list[int]:
    """For the content of a JSON string as written (escapes and all): where each character of the
    decoded string begins in it, and its length at the end, as :func:`json.loads` decodes it (a
    ``\\uD83D\\uDE00`` pair is one character).

    >>> decoded_offsets(r'a\\nb\\u00e9\\ud83d\\ude00')
    [0, 1, 3, 4, 10, 22]
    """
    out: list[int] = []
    index, size = 0, len(raw)
    while index < size:
        out.append(index)
        if raw[index] != "\\":
            index += 1
        elif raw[index + 1] != "u":
            index += 2
        else:
            index += 12 if _pair_at(raw, index) else 6
    out.append(size)
    return out


def _pair_at(raw: str, index: int) -> bool:
    """Whether a ``\\u`` escape at ``index`` is a surrogate pair that decodes to one character."""
    high = int(raw[index + 2 : index + 6], 16)
    if not 0xD800 <= high <= 0xDBFF or raw[index + 6 : index + 8] != "\\u":
        return False
    return 0xDC00 <= int(raw[index + 8 : index + 12], 16) <= 0xDFFF


class Lines:
    """Offsets of a file's text as 1-based lines and columns, as :class:`~kg.model.Span` counts
    them: a leading byte-order mark is not a column."""

    def __init__(self, text: str):
        self._starts = [0] + [match.end() for match in re.finditer(r"\r\n?|\n", text)]
        self._bom = text.startswith("\ufeff")

    def point(self, offset: int) -> tuple[int, int]:
        """``(line, col)`` of the character at ``offset``."""
        row = bisect_right(self._starts, offset) - 1
        col = offset - self._starts[row] + 1
        return row + 1, col - 1 if row == 0 and self._bom else col

    def span(self, start: int, end: int) -> Span:
        """The span of ``text[start:end]`` (one character wide if empty)."""
        line, col = self.point(start)
        end_line, end_col = self.point(end) if end > start else (line, col + 1)
        return Span(line, col, end_line, end_col)
