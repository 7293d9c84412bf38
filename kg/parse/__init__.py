"""Parsing: the text of one note in, a :class:`~kg.model.Note` record out. Pure, no file access.

The stages are frontmatter (:mod:`kg.parse.frontmatter`), the Markdown body (by the fast path of
:mod:`kg.parse.fast`, or through markdown-it-py in :mod:`kg.parse.markdown` for a note the fast path
declines; both give the same records), ``%%`` comments (:mod:`kg.parse.comments`) and hierarchy fields in the
body (:mod:`kg.parse.fields`).
"""

from __future__ import annotations

import posixpath

from kg.config import Config
from kg.model import Note
from kg.parse.comments import find_comments, in_any
from kg.parse.fields import read_fields
from kg.parse.frontmatter import read_frontmatter
from kg.parse.fast import read_body_fast
from kg.parse.markdown import read_body
from kg.parse.source import split_lines

__all__ = ["note_title", "parse_note"]

_DEFAULT = Config()


def note_title(path: str) -> str:
    """The title Obsidian shows for a file: its name without ``.md``.

    >>> note_title("Folder/My Note.md"), note_title("img/fig.png")
    ('My Note', 'fig.png')
    """
    name = posixpath.basename(path)
    return name[:-3] if name.lower().endswith(".md") else name


def parse_note(text: str, path: str = "note.md", config: Config | None = None) -> Note:
    """Read one note's text into a :class:`~kg.model.Note`; never raises on any text.

    Parameters
    ----------
    text : str
        The file's content, decoded.
    path : str
        Its vault-relative POSIX path, used for the note's id and title only.
    config : Config, optional
        Hierarchy field names and comment handling; the defaults otherwise.

    Examples
    --------
    >>> note = parse_note('---\\nup: "[[Models]]"\\n---\\nSee [[LLM#Scaling|scaling]].\\n', "AI.md")
    >>> [(link.target, link.subpath, link.relation, link.span.line) for link in note.links]
    [('Models', None, 'up', 2), ('LLM', 'Scaling', None, 4)]
    """
    config = config or _DEFAULT
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = split_lines(text)
    norm = [line.replace("\0", "\ufffd") for line in lines] if "\0" in text else lines
    front = read_frontmatter(lines, config)
    body = read_body_fast(lines, norm, front.body_start)
    if body is None:
        body = read_body(lines, norm, front.body_start)
    skip = body.code_lines | body.html_lines | body.math_lines
    comments = find_comments(norm, front.body_start, skip, body.code_spans, body.comment_blocks) if "%%" in text else []
    links, field_problems = read_fields(norm, front.body_start, body.links, skip, body.code_spans, config)
    if comments:
        # comments come in source order and do not overlap: a link outside their lines is in none;
        # the links are this parse's own, not yet given out, so they are marked in place
        first, last = comments[0].span.line, comments[-1].span.end_line
        for link in links:
            if first <= link.span.line <= last and in_any(link.span, comments):
                link.in_comment = True
    if config.ignore_comment_links:
        links = [link for link in links if not link.in_comment]
    return Note(
        path=path,
        title=note_title(path),
        frontmatter=front.mapping,
        aliases=tuple(front.aliases),
        alias_spans=tuple(front.alias_spans),
        tags=tuple(sorted(set(front.tags) | set(body.tags))),
        tag_spans=tuple(body.tag_spans),
        links=tuple(front.links + links),
        headings=tuple(body.headings),
        blocks=tuple(body.blocks),
        comments=tuple(comments),
        problems=tuple(sorted(front.problems + field_problems, key=lambda p: p.span)),
        body_line=front.body_start + 1,
        lines=len(lines),
    )
