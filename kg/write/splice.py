"""Where a span stands in a file's text, and the text with some spans replaced.

A :class:`~kg.model.Span` counts lines and columns as an editor shows them (a leading byte-order
mark not counted, ``\\r\\n`` one line break). Rewriting a file needs offsets into its exact text,
BOM and line endings included, so that every character outside the replaced spans stays as it was.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kg.model import Link, Span

__all__ = ["Edit", "Offsets", "link_edit", "splice", "unchanged_outside"]

_BREAK = re.compile(r"\r\n?|\n")
_BOM = "\ufeff"


@dataclass(frozen=True, slots=True)
class Edit:
    """One replacement in one file's text."""

    start: int
    """Offset of the first replaced character in the file's text (BOM included)."""
    end: int
    """Offset just past the last replaced character."""
    old: str
    """The text replaced: ``text[start:end]``."""
    new: str
    """What replaces it."""
    line: int
    """1-based line of ``start``, for messages."""


class Offsets:
    """Turns a span's lines and columns into offsets of one text.

    >>> text = "\\ufeffa\\r\\n[[b]]"
    >>> Offsets(text).of(Span(2, 1, 2, 6)), text[4:9]
    ((4, 9), '[[b]]')
    """

    def __init__(self, text: str):
        self.text = text
        self._shift = 1 if text.startswith(_BOM) else 0
        if "\r" in text:
            self._starts = [self._shift] + [m.end() for m in _BREAK.finditer(text, self._shift)]
        else:  # the same, all in C: a 20 MB note has a million lines
            lengths = map((1).__add__, map(len, text[self._shift:].split("\n")))
            self._starts = list(accumulate(lengths, initial=self._shift))[:-1]

    def at(self, line: int, col: int) -> int:
        """The offset of a 1-based line and column; raises ValueError outside the text."""
        if not 1 <= line <= len(self._starts) or col < 1:
            raise ValueError(f"no line {line} column {col}")
        offset = self._starts[line - 1] + col - 1
        if offset > len(self.text):
            raise ValueError(f"no line {line} column {col}")
        return offset

    def of(self, span: Span) -> tuple[int, int]:
        """The ``(start, end)`` offsets a span covers."""
        return self.at(span.line, span.col), self.at(span.end_line, span.end_col)

    def line_of(self, offset: int) -> int:
        """The 1-based line an offset stands on."""
        return bisect_right(self._starts, offset)


def splice(text: str, edits: Sequence[Edit]) -> str:
    """``text`` with each edit's span replaced by its new text; the edits must not overlap.

    >>> splice("a [[b]] c", [Edit(2, 7, "[[b]]", "[[d]]", 1)])
    'a [[d]] c'
    """
    out, last = [], 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.start < last or text[edit.start:edit.end] != edit.old:
            raise ValueError(f"edit at offset {edit.start} does not fit the text")
        out += [text[last:edit.start], edit.new]
        last = edit.end
    out.append(text[last:])
    return "".join(out)


def unchanged_outside(before: str, after: str, edits: Sequence[Edit]) -> bool:
    """Whether ``after`` equals ``before`` everywhere but in the edits' spans, which hold their new
    text: a check of the written file that does not trust :func:`splice`.

    >>> unchanged_outside("a [[b]] c", "a [[d]] c", [Edit(2, 7, "[[b]]", "[[d]]", 1)])
    True
    >>> unchanged_outside("a [[b]] c", "a [[d]] C", [Edit(2, 7, "[[b]]", "[[d]]", 1)])
    False
    """
    shift, last = 0, 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if before[last:edit.start] != after[last + shift:edit.start + shift]:
            return False
        if after[edit.start + shift:edit.start + shift + len(edit.new)] != edit.new:
            return False
        shift += len(edit.new) - (edit.end - edit.start)
        last = edit.end
    return before[last:] == after[last + shift:]


def link_edit(offsets: Offsets, link: Link, rewrite: Callable[[str], str | None]) -> Edit | None:
    """The edit that replaces a link's text by ``rewrite(its text as the file holds it)``; None if
    the file does not hold the link where it was read (it changed since), or nothing changes.

    >>> link = Link(__import__("kg.model").model.LinkKind.WIKILINK, "[[b]]", "b", None, None, Span(2, 1, 2, 6))
    >>> link_edit(Offsets("a\\r\\n[[b]]"), link, str.upper)
    Edit(start=3, end=8, old='[[b]]', new='[[B]]', line=2)
    """
    try:
        start, end = offsets.of(link.span)
    except ValueError:
        return None
    old = offsets.text[start:end]
    if _BREAK.sub("\n", old) != link.raw:
        return None
    new = rewrite(old)
    return Edit(start, end, old, new, link.span.line) if new is not None and new != old else None
