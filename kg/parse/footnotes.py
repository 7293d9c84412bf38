"""Inline footnotes ``^[…]``: their content is read like any text, so links inside count (spec B11).

Both body readers use these functions. A footnote closes at the ``]`` that balances its ``[``
(escaped brackets do not count), found for the whole inline source in one pass, so a line of
thousands of ``^[`` is read in linear time. (markdown-it-footnote's rule parses a link label
instead, which costs quadratic time on such a line.) Footnote references ``[^x]`` and definitions
``[^x]: …`` come from mdit-py-plugins; the fast path leaves notes with definitions to markdown-it-py.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it.rules_inline import StateInline

__all__ = ["MAX_DEPTH", "bracket_pairs", "footnote_end", "footnote_inline_rule", "linear_footnote_ref"]

MAX_DEPTH = 20
"""Inline footnotes read inside one another; a ``^[`` deeper down is text."""

_PAIRS = "kg_bracket_pairs"
_DEPTH = "kg_footnote_depth"
_STOPS = "kg_footnote_label_stops"
_STOP = re.compile(r"[ \n\]]")
"""What ends a footnote reference's label: ``]``, or a space or line break, which no label holds."""


def bracket_pairs(src: str) -> dict[int, int]:
    """Each ``[`` of ``src`` that a later ``]`` balances -> the position of that ``]``.

    >>> bracket_pairs("^[a [b] \\\\] c] [")
    {4: 6, 1: 12}
    """
    pairs: dict[int, int] = {}
    stack: list[int] = []
    at = 0
    while True:
        found = min((i for i in (src.find("[", at), src.find("]", at), src.find("\\", at)) if i >= 0), default=-1)
        if found < 0:
            return pairs
        char = src[found]
        if char == "\\":
            at = found + 2
            continue
        if char == "[":
            stack.append(found)
        elif stack:
            pairs[stack.pop()] = found
        at = found + 1


def footnote_end(src: str, pos: int, end: int, pairs: dict[int, int]) -> int | None:
    """The position of the ``]`` that closes the inline footnote opened by the ``^`` at ``pos``, or None."""
    if pos + 1 >= end or src[pos + 1] != "[":
        return None
    close = pairs.get(pos + 1)
    return close if close is not None and close < end else None


def footnote_inline_rule(state: StateInline, silent: bool) -> bool:
    """markdown-it-py inline rule: an inline footnote, whose content is read in place (so the rules
    kg records inside it give positions in the note's own inline source)."""
    start, limit = state.pos, state.posMax
    if state.src[start] != "^":
        return False
    cached = state.env.get(_PAIRS)
    if cached is None or cached[0] is not state.src:
        cached = state.env[_PAIRS] = (state.src, bracket_pairs(state.src))
    close = footnote_end(state.src, start, limit, cached[1])
    depth = state.env.get(_DEPTH, 0)
    if close is None or depth >= MAX_DEPTH:
        return False
    if not silent:
        state.env[_DEPTH] = depth + 1
        state.pos, state.posMax = start + 2, close
        state.md.inline.tokenize(state)
        state.posMax = limit
        state.env[_DEPTH] = depth
    state.pos = close + 1
    return True


RefRule = Callable[[StateInline, bool], bool]


def linear_footnote_ref(rule: RefRule) -> RefRule:
    """mdit-py-plugins' footnote reference rule (``[^label]``), in linear time on any line.

    The plugin's rule walks from each ``[^`` to the next ``]``, space or line break, so a line of
    thousands of ``^[`` (``[^`` at every other character) and one late ``]`` costs quadratic time
    (48 s for 30,000). This one finds that stop once for every ``[^`` before it (remembered per
    source, as :class:`~kg.parse.wikilinks.WikilinkScanner` remembers the next ``]]``), refuses a
    label no definition names, and gives the rest to ``rule``, which then reads a defined label.
    """

    def footnote_ref_rule(state: StateInline, silent: bool) -> bool:
        src, start = state.src, state.pos
        if start + 3 > state.posMax:
            return False
        footnotes = state.env.setdefault("footnotes", {})  # as the plugin leaves the environment
        footnotes.setdefault("list", {})
        refs = footnotes.setdefault("refs", {})
        if not refs or not src.startswith("[^", start):
            return False
        stop = _label_stop(state, start + 2)
        if stop < 0 or src[stop] != "]" or ":" + src[start + 2 : stop] not in refs:
            return False
        return rule(state, silent)

    return footnote_ref_rule


def _label_stop(state: StateInline, pos: int) -> int:
    """The first ``]``, space or line break at or after ``pos`` in ``state.src``, or -1.

    Remembered as ``(source, origin, stop)``: every position from ``origin`` to ``stop`` has that
    stop. A position before ``origin`` needs only ``[pos, origin)`` searched, and then extends the
    range (the rules meet a run of ``[^`` from its end first, as link labels nest): each character
    is searched about once."""
    src = state.src
    memo = state.env.get(_STOPS)
    if memo is not None and memo[0] is src and (memo[2] < 0 or pos <= memo[2]):
        origin, stop = int(memo[1]), int(memo[2])
        if origin <= pos:
            return stop
        found = _STOP.search(src, pos, origin)
        if found is None:
            state.env[_STOPS] = (src, pos, stop)
            return stop
    found = _STOP.search(src, pos)
    stop = found.start() if found is not None else -1
    state.env[_STOPS] = (src, pos, stop)
    return stop
