"""Math, as Obsidian reads it: ``$…$`` and ``$$…$$`` inline, ``$$`` display blocks. Nothing inside is read.

Both body readers use these functions (the markdown-it-py rules below, and the fast path of
:mod:`kg.parse.fast`), so they agree on where math begins and ends.

Inline math follows pandoc's rules: the opening ``$`` is not followed by white space; the closing
``$`` is the next one that is not escaped, and it must not follow white space nor be followed by a
digit, else the opening ``$`` opens nothing (``$5 or $6`` is text). ``$$`` opens inline display math,
closed by the next unescaped ``$$``. A ``\\$`` is a literal dollar (the escape rule takes it first).

A display block opens on a line that begins with ``$$`` and runs to the next line that ends with
``$$``, or to the end of its container. It can interrupt a paragraph, a list and a quote. A line
such as ``$$x$$ is the energy`` (closed, but with text after) is no block: it is a paragraph that
holds inline math.

mdit-py-plugins' ``dollarmath`` differs in the places that matter here (it refuses a digit before the
opening ``$``, a display block must be closed and cannot interrupt a paragraph), so kg has its own rules.
"""

from __future__ import annotations

from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

__all__ = ["ONE_LINE", "OPEN", "block_closes", "inline_math_end", "math_block_rule", "math_block_start", "math_inline_rule"]

_SPACE = " \t\n"
_DIGITS = "0123456789"

ONE_LINE = 1
"""A display block that opens and closes on its line."""
OPEN = 2
"""A display block that goes on to the next line ending with ``$$``."""


def _escaped(src: str, at: int) -> bool:
    """Whether the character at ``at`` follows an odd number of backslashes."""
    count = 0
    while at - count - 1 >= 0 and src[at - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def inline_math_end(src: str, pos: int, end: int) -> int | None:
    """Where the inline math opened by the ``$`` at ``pos`` ends (after its closing ``$``), or None.

    >>> inline_math_end("$x$ and", 0, 7), inline_math_end("$ x$", 0, 4), inline_math_end("$5 to $6", 0, 8)
    (3, None, None)
    >>> inline_math_end("$$[[B]]$$ and", 0, 13), inline_math_end("$a\\\\$b$", 0, 6)
    (9, 6)
    """
    if pos + 1 >= end:
        return None
    if src[pos + 1] == "$":
        close = _unescaped(src, "$$", pos + 2, end)
        return close + 2 if close is not None and close > pos + 2 else None
    if src[pos + 1] in _SPACE:
        return None
    close = _unescaped(src, "$", pos + 1, end)
    if close is None or src[close - 1] in _SPACE or (close + 1 < end and src[close + 1] in _DIGITS):
        return None
    return close + 1


def _unescaped(src: str, mark: str, at: int, end: int) -> int | None:
    """Where the next ``mark`` from ``at`` on stands whose first character is not escaped, or None."""
    while True:
        at = src.find(mark, at, end)
        if at < 0:
            return None
        if not _escaped(src, at):
            return at
        at += 1


def math_block_start(text: str) -> int | None:
    """:data:`ONE_LINE` or :data:`OPEN` if ``text`` (a line from its content column on) opens a display block.

    >>> math_block_start("$$"), math_block_start("$$ x^2 $$ "), math_block_start("$$x$$ is it"), math_block_start("$x$")
    (2, 1, None, None)
    """
    if not text.startswith("$$"):
        return None
    rest = text[2:].rstrip()
    if rest.endswith("$$"):
        return ONE_LINE
    return None if "$$" in rest else OPEN


def block_closes(text: str) -> bool:
    """Whether a line inside an open display block closes it (its text ends with ``$$``)."""
    return text.rstrip().endswith("$$")


def math_inline_rule(state: StateInline, silent: bool) -> bool:
    """markdown-it-py inline rule: inline math, one ``math_inline`` token."""
    if state.src[state.pos] != "$":
        return False
    after = inline_math_end(state.src, state.pos, state.posMax)
    if after is None:
        return False
    if not silent:
        token = state.push("math_inline", "math", 0)
        token.content = state.src[state.pos : after]
    state.pos = after
    return True


def math_block_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it-py block rule: a display block, one ``math_block`` token over its lines."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    first = state.bMarks[start] + state.tShift[start]
    kind = math_block_start(state.src[first : state.eMarks[start]])
    if kind is None:
        return False
    if silent:
        return True
    line = start + 1
    if kind == OPEN:
        while line < end:
            begin, stop = state.bMarks[line] + state.tShift[line], state.eMarks[line]
            if begin < stop and state.sCount[line] < state.blkIndent:
                break  # a line less indented than the container's content ends the container
            line += 1
            if block_closes(state.src[begin:stop]):
                break
    token = state.push("math_block", "math", 0)
    token.block = True
    token.map = [start, line]
    state.line = line
    return True
