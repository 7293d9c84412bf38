"""Obsidian comments: ``%% ... %%``, inline or across lines, outside code."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from kg.model import Comment, Span

__all__ = ["find_comments", "in_any"]


def _in_code(column: int, spans: list[tuple[int, int]]) -> bool:
    return any(begin <= column < end for begin, end in spans)


def find_comments(
    lines: list[str],
    start: int,
    code_lines: Collection[int],
    code_spans: Mapping[int, list[tuple[int, int]]],
) -> list[Comment]:
    """Every ``%%`` comment from 0-based line ``start`` on; an unclosed one runs to the end."""
    comments: list[Comment] = []
    opened: tuple[int, int] | None = None
    for index in range(start, len(lines)):
        line = lines[index]
        if "%%" not in line or index in code_lines:
            continue  # most lines hold no comment mark: one substring test passes them over
        spans = code_spans.get(index, [])
        column = line.find("%%")
        while column >= 0:
            if not _in_code(column, spans):
                if opened is None:
                    opened = (index, column)
                else:
                    comments.append(_comment(lines, opened, (index, column + 2), closed=True))
                    opened = None
            column = line.find("%%", column + 2)
    if opened is not None:
        comments.append(_comment(lines, opened, (len(lines) - 1, len(lines[-1])), closed=False))
    return comments


def _comment(lines: list[str], first: tuple[int, int], last: tuple[int, int], *, closed: bool) -> Comment:
    span = Span(first[0] + 1, first[1] + 1, last[0] + 1, last[1] + 1)
    if first[0] == last[0]:
        text = lines[first[0]][first[1] : last[1]]
    else:
        text = "\n".join([lines[first[0]][first[1] :], *lines[first[0] + 1 : last[0]], lines[last[0]][: last[1]]])
    return Comment(text[2:-2] if closed else text[2:], span)


def in_any(span: Span, comments: list[Comment]) -> bool:
    """Whether a span starts inside one of the comments."""
    point = (span.line, span.col)
    return any((c.span.line, c.span.col) <= point < (c.span.end_line, c.span.end_col) for c in comments)
