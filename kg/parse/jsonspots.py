"""Where the string values of a JSON Canvas file's nodes and edges stand in its text.

Python's :mod:`json` gives values without positions. A canvas writer must replace a ``file`` value
or a link inside a ``text`` value without touching any other byte, so this module walks the two
arrays that hold them (``nodes`` and ``edges``) and records, for each of their objects, where each
string value's content begins and ends. Everything else is skipped by the C decoder. The text must
already have been read by :func:`json.loads` without error: the walk relies on it being valid.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Callable
from json.decoder import scanstring
from typing import Any

from kg.model import Span

__all__ = ["Element", "Lines", "decoded_offsets", "element_spots"]

Element = tuple[int, "dict[str, tuple[int, int]] | None"]
"""One element of ``nodes`` or ``edges``: the offset where it begins and, for an object, key ->
``(start, end)`` of each string value's content (inside the quotes, escapes as written)."""

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_ARRAYS = ("nodes", "edges")


def _ws(text: str, pos: int) -> int:
    return _WHITESPACE.match(text, pos).end()  # type: ignore[union-attr]  # the pattern matches anywhere


def _skip(text: str, pos: int) -> int:
    """The position just past the JSON value at ``pos``."""
    return _DECODER.raw_decode(text, pos)[1]


def _object(text: str, pos: int, member: Callable[[str, str, int], tuple[Any, int]]) -> tuple[dict[str, Any], int]:
    """Walk the object at ``pos``: key -> what ``member(key, text, value position)`` makes of its
    value (the last one for a repeated key, as :func:`json.loads` keeps), and the position after it."""
    found: dict[str, Any] = {}
    pos = _ws(text, pos + 1)
    if text[pos] == "}":
        return found, pos + 1
    while True:
        key, pos = scanstring(text, pos + 1)
        pos = _ws(text, _ws(text, pos) + 1)  # past the colon
        found[key], pos = member(key, text, pos)
        pos = _ws(text, pos)
        if text[pos] == "}":
            return found, pos + 1
        pos = _ws(text, pos + 1)  # past the comma


def _string_spot(_key: str, text: str, pos: int) -> tuple[tuple[int, int] | None, int]:
    if text[pos] != '"':
        return None, _skip(text, pos)
    end = scanstring(text, pos + 1)[1]
    return (pos + 1, end - 1), end


def _elements(text: str, pos: int) -> tuple[list[Element], int]:
    """The elements of the array at ``pos`` and the position after it."""
    out: list[Element] = []
    pos = _ws(text, pos + 1)
    if text[pos] == "]":
        return out, pos + 1
    while True:
        if text[pos] == "{":
            spots, end = _object(text, pos, _string_spot)
            out.append((pos, {key: spot for key, spot in spots.items() if spot is not None}))
        else:
            end = _skip(text, pos)
            out.append((pos, None))
        pos = _ws(text, end)
        if text[pos] == "]":
            return out, pos + 1
        pos = _ws(text, pos + 1)


def _top_member(key: str, text: str, pos: int) -> tuple[list[Element] | None, int]:
    if key in _ARRAYS and text[pos] == "[":
        return _elements(text, pos)
    return None, _skip(text, pos)


def element_spots(text: str) -> dict[str, list[Element]]:
    """Where the elements of the top-level ``nodes`` and ``edges`` arrays stand in valid JSON text.

    >>> text = '{"nodes": [{"id": "a", "file": "A.md"}, 3]}'
    >>> spots = element_spots(text)["nodes"]
    >>> spots[1], text[slice(*spots[0][1]["file"])]
    ((40, None), 'A.md')
    """
    pos = _ws(text, 0)
    if pos >= len(text) or text[pos] != "{":
        return {}
    members = _object(text, pos, _top_member)[0]
    return {key: value for key, value in members.items() if key in _ARRAYS and value is not None}


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
