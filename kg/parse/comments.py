"""Obsidian comments: ``%%…%%`` within a line, and ``%%`` blocks, outside code and math.

How Obsidian delimits them (spec B7):

- an inline comment is ``%%…%%`` within one line (at least one character between); it cannot span lines;
- a block comment opens on a line that begins with ``%%`` and holds no other ``%``, and runs to the
  next line holding ``%%`` (that line included), or to the end of its container. It can interrupt a
  paragraph, a list and a quote, and its content is read as inline text only: no headings, list
  items or code blocks inside. The body readers find the blocks (:func:`comment_block_rule` for
  markdown-it-py; the fast path copies it); :func:`find_comments` makes the records.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from markdown_it.rules_block import StateBlock

from kg.model import Comment, Span

__all__ = ["comment_block_rule", "find_comments", "in_any", "opens_comment_block"]

_INLINE = re.compile(r"%%(.+?)%%")


def opens_comment_block(text: str) -> bool:
    """Whether ``text`` (a line from its content column on) opens a block comment.

    >>> opens_comment_block("%%"), opens_comment_block("%% kanban:settings"), opens_comment_block("%% x %%")
    (True, True, False)
    """
    return text.startswith("%%") and "%" not in text[2:]


def comment_block_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it-py block rule: a block comment, a ``comment_block`` token and the ``inline`` token
    of its content (read as inline text, as a paragraph's would be)."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    if not opens_comment_block(state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]]):
        return False
    if silent:
        return True
    line = start + 1
    while line < end:
        begin, stop = state.bMarks[line] + state.tShift[line], state.eMarks[line]
        if begin < stop and state.sCount[line] < state.blkIndent:
            break  # a line less indented than the container's content ends the container
        line += 1
        if "%%" in state.src[begin:stop]:
            break
    token = state.push("comment_block", "", 0)
    token.block, token.map = True, [start, line]
    inline = state.push("inline", "", 0)
    inline.content = state.getLines(start, line, state.blkIndent, False).strip()
    inline.map, inline.children = [start, line], []
    state.line = line
    return True


def _in_code(column: int, spans: list[tuple[int, int]]) -> bool:
    return any(begin <= column < end for begin, end in spans)


def find_comments(
    lines: list[str],
    start: int,
    skip: Collection[int],
    code_spans: Mapping[int, list[tuple[int, int]]],
    blocks: Collection[tuple[int, int]] = (),
) -> list[Comment]:
    """Every ``%%`` comment from 0-based line ``start`` on, in source order.

    ``skip``: lines of code, HTML and math blocks; ``blocks``: the block comments the body reader
    found, as 0-based (first line, last line).
    """
    comments = [_block(lines, first, last) for first, last in blocks]
    inside = {line for first, last in blocks for line in range(first, last + 1)}
    for index in range(start, len(lines)):
        line = lines[index]
        if "%%" not in line or index in skip or index in inside:
            continue  # most lines hold no comment mark: one substring test passes them over
        spans = code_spans.get(index, [])
        at = line.find("%%")
        while at >= 0:
            match = _INLINE.match(line, at)
            if match is None:
                break
            if _in_code(at, spans) or _in_code(match.end() - 2, spans):
                at = line.find("%%", at + 2)
                continue
            comments.append(Comment(match.group(1), Span(index + 1, at + 1, index + 1, match.end() + 1)))
            at = line.find("%%", match.end())
    comments.sort(key=lambda comment: (comment.span.line, comment.span.col))
    return comments


def _block(lines: list[str], first: int, last: int) -> Comment:
    """The record of the block comment on 0-based lines ``first`` to ``last``."""
    opening = lines[first].find("%%")
    closing = lines[last].find("%%") if last > first else -1
    if closing < 0:
        end = (last, len(lines[last]))
        text = "\n".join([lines[first][opening + 2 :], *lines[first + 1 : last + 1]])
    else:
        end = (last, closing + 2)
        text = "\n".join([lines[first][opening + 2 :], *lines[first + 1 : last], lines[last][:closing]])
    return Comment(text, Span(first + 1, opening + 1, end[0] + 1, end[1] + 1))


def in_any(span: Span, comments: list[Comment]) -> bool:
    """Whether a span starts inside one of the comments."""
    point = (span.line, span.col)
    return any((c.span.line, c.span.col) <= point < (c.span.end_line, c.span.end_col) for c in comments)
