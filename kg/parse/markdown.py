"""The Markdown body through markdown-it-py: links, headings, block ids, tags and code regions.

markdown-it-py's inline tokens carry no positions, so the inline rules that matter here are wrapped
to record where they matched in the inline source, and each inline source is mapped back to the
note's lines through its block's ``map``. The source line, not the token, is the truth: a link's
``raw`` is always the text that its span slices out of the file.
"""

from __future__ import annotations

import re
from sys import intern
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from markdown_it import MarkdownIt
from markdown_it.common.utils import MD_TRIM_CHARS
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from kg.model import Block, Heading, Link, LinkKind, Span
from kg.parse.comments import comment_block_rule
from kg.parse.destination import internal_destination
from kg.parse.footnotes import footnote_inline_rule, linear_footnote_ref
from kg.parse.math import math_block_rule, math_inline_rule
from kg.parse.source import slice_span
from kg.parse.wikilinks import WIKILINK_RE, iter_wikilinks, split_subpath, wikilink_parts, wikilink_rule

__all__ = ["Body", "read_body"]

_EVENTS = "kg_events"
_SOURCE = "kg_source"
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_TAG = re.compile(
    r"#((?:[^\s\x21-\x2c\x2e\x3a-\x40\x5b-\x5e\x60\x7b-\x7e"
    r"\u2000-\u206f\u3000-\u303f\uff01-\uff0f\uff1a-\uff20])+)"
)
"""A tag, where its ``#`` stands at the start or after white space (checked by :func:`_tags`: a
leading ``(?<!\\S)`` would make the regex try every position; starting with ``#`` it jumps)."""
_BLOCK_ID = re.compile(r"(?:^|\s)\^([A-Za-z0-9-]+)[ \t]*$")
_TRIMMED_FIRST = re.compile(rf"(?:[ \t>]|[-+*](?=[ \t])|\d{{1,9}}[.)](?=[ \t]))*[{re.escape(MD_TRIM_CHARS)}]*$")
"""A block's first line that markdown-it's trim drops from the content (say, one holding only U+2003):
the content then begins on a later line than the block's map says."""
_TRIMMED_NEXT = re.compile(rf"[ \t>]*[{re.escape(MD_TRIM_CHARS)}]*$")
"""The same for the lines after it, where a list marker is text, not a container."""

MAX_NESTING = 100
"""Block nesting markdown-it follows (each list level takes two); its default of 20 drops the
content of lists nested ten deep. Deeper content is still scanned for wiki-links, line by line."""

_WIKILINK, _EMBED = LinkKind.WIKILINK, LinkKind.EMBED

Event = tuple[str, int, int, object]
"""``(kind, start, end, data)``: what an inline rule matched, as offsets in the inline source."""


@dataclass
class Body:
    """What the Markdown body holds."""

    links: list[Link] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    """Body tags, lower-case, without ``#``, in source order."""
    tag_spans: list[Span] = field(default_factory=list)
    """Where each of ``tags`` stands, ``#`` included."""
    code_lines: set[int] = field(default_factory=set)
    """0-based indices of lines inside fenced or indented code blocks."""
    html_lines: set[int] = field(default_factory=set)
    """0-based indices of lines inside HTML blocks."""
    math_lines: set[int] = field(default_factory=set)
    """0-based indices of lines inside ``$$`` display math blocks."""
    comment_blocks: list[tuple[int, int]] = field(default_factory=list)
    """``%%`` block comments (:mod:`kg.parse.comments`): 0-based (first line, last line)."""
    code_spans: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    """0-based line index -> 0-based ``[start, end)`` columns of inline code on that line."""


def _recording(name: str, rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    """Wrap an inline rule so that each match in the note's own inline source is recorded."""

    def recorded(state: StateInline, silent: bool) -> bool:
        start = state.pos
        matched = rule(state, silent)
        if matched and not silent and state.src is state.env.get(_SOURCE):
            data: object = None
            if name in ("link", "image"):
                label_end = state.md.helpers.parseLinkLabel(state, start + (name == "image"), True)
                # an image's label may hold links (markdown-it's image rule allows nesting there)
                after_label = state.md.helpers.parseLinkLabel(state, start + 1, False) if name == "image" else label_end
                destination = _inline_destination(state, after_label, state.pos)
                if destination is not None:
                    data = (destination, label_end)
            state.env[_EVENTS].append((name, start, state.pos, data))
        return matched

    return recorded


def _inline_destination(state: StateInline, label_end: int, end: int) -> str | None:
    """The destination of the inline link or image whose label ends at ``label_end`` and which
    ends at ``end``, as written (backslash
    escapes resolved, not normalized), or None for a reference link ``[t][ref]``, which Obsidian
    does not read as a link (spec B12). markdown-it gives only the normalized ``href``, in which
    ``100%.md`` and ``100%25.md`` look alike."""
    src = state.src
    if src[end - 1] != ")":  # a reference link ends with its label's "]"
        return None
    pos = label_end + 2
    while pos < end and src[pos] in " \t\n":
        pos += 1
    result = state.md.helpers.parseLinkDestination(src, pos, end)
    # a destination validateLink refuses (javascript:…) leaves no inline link: no need to check it
    return result.str if result.ok else ""


@lru_cache(maxsize=1)
def markdown() -> MarkdownIt:
    """The parser: CommonMark with HTML, GFM tables and strikethrough, the wiki-link rule, math
    (:mod:`kg.parse.math`), ``%%`` block comments (:mod:`kg.parse.comments`) and footnotes
    (mdit-py-plugins, with kg's inline footnote rule from :mod:`kg.parse.footnotes`)."""
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING}).enable(["table", "strikethrough"])
    md.inline.ruler.before("link", "wikilink", wikilink_rule)
    md.inline.ruler.before("escape", "math_inline", math_inline_rule)
    interrupts = ["paragraph", "reference", "blockquote", "list"]  # dicts written out: mypy reads them as RuleOptionsType
    md.block.ruler.before("fence", "math_block", math_block_rule, {"alt": interrupts})
    md.block.ruler.before("fence", "comment_block", comment_block_rule, {"alt": interrupts})
    footnote_plugin(md, inline=False, move_to_end=False)
    plugin_ref = md.inline.ruler.__rules__[md.inline.ruler.__find__("footnote_ref")].fn
    md.inline.ruler.at("footnote_ref", linear_footnote_ref(plugin_ref))
    md.inline.ruler.after("image", "footnote_inline", footnote_inline_rule)
    for name in ("wikilink", "backticks", "link", "image", "autolink", "html_inline", "math_inline"):
        rules = md.inline.ruler.__rules__
        index = md.inline.ruler.__find__(name)
        md.inline.ruler.at(name, _recording(name, rules[index].fn))
    md.core.ruler.disable(["inline", "text_join"])
    return md


def read_body(lines: list[str], norm: list[str], start: int) -> Body:
    """Read the body that begins at 0-based line ``start``; ``norm`` has NULs replaced."""
    source = "\n" * start + "\n".join(norm[start:])
    env: dict[str, object] = {}
    try:
        tokens = markdown().parse(source, env)
    except IndexError:
        # markdown-it-py 3.0 reads past the end of a few documents that end without a line break,
        # e.g. "> - <!-- c\n>" (an HTML block in a list item in a quote); a final line break
        # changes no block of a document and ends the read in range
        env = {}
        tokens = markdown().parse(source + "\n", env)
    body = Body()
    cursors: dict[int, int] = {}
    covered: set[int] = set()
    for index, token in enumerate(tokens):
        if token.map is None:
            continue
        if token.type in ("inline", "fence", "code_block", "html_block", "math_block"):
            covered.update(range(*token.map))
        if token.type in ("fence", "code_block"):
            body.code_lines.update(range(*token.map))
        elif token.type == "html_block":
            body.html_lines.update(range(*token.map))
        elif token.type == "math_block":
            body.math_lines.update(range(*token.map))
        elif token.type == "comment_block":
            body.comment_blocks.append((token.map[0], token.map[1] - 1))
        elif token.type == "inline":
            opener = tokens[index - 1]
            in_cell = opener.type in ("th_open", "td_open")
            if opener.type == "heading_open" and opener.level == 0:  # only top-level headings exist
                body.headings.append(Heading(int(opener.tag[1:]), token.content.strip(), token.map[0] + 1))
            _read_inline(token, lines, norm, env, cursors if in_cell else None, in_cell, body)
    _rescue_uncovered(lines, norm, start, covered, body)
    return body


def _rescue_uncovered(lines: list[str], norm: list[str], start: int, covered: set[int], body: Body) -> None:
    """Wiki-links on lines no token covers: content nested deeper than :data:`MAX_NESTING`."""
    rescued = False
    for line in range(start, len(norm)):
        if line in covered or "[[" not in norm[line]:
            continue
        for match in iter_wikilinks(norm[line]):
            if not _inside_backticks(norm[line], match.start()):
                _add_wikilink((line, match.start()), lines, norm, body)
                rescued = True
    if rescued:
        body.links.sort(key=lambda link: (link.span.line, link.span.col))


def _inside_backticks(text: str, column: int) -> bool:
    return text.count("`", 0, column) % 2 == 1


class _LineMap:
    """Maps offsets in an inline token's content to 0-based (line, column) in the note."""

    starts: list[int]
    """Offset in the content where each of its lines begins."""
    rows: list[tuple[int, int, list[int]]]
    """Per content line: (note line, column where it begins, content columns of dropped backslashes)."""

    def __init__(self, starts: list[int], rows: list[tuple[int, int, list[int]]]):
        self.starts, self.rows = starts, rows

    @classmethod
    def exact(cls, starts: list[int], rows: list[tuple[int, int, list[int]]]) -> _LineMap:
        """A map from known row positions (the fast path knows them; markdown-it does not)."""
        return cls(starts, rows)

    @classmethod
    def found(cls, content: str, first: int, norm: list[str], cursors: dict[int, int] | None) -> _LineMap:
        """A map found by looking for each line of ``content`` in the note's lines from ``first``."""
        rows = []
        for offset, text in enumerate(content.split("\n")):
            line = min(first + offset, len(norm) - 1)
            cursor = None if cursors is None else cursors.get(line, 0)
            base, escapes = _locate(text, norm[line], cursor)
            if cursors is not None:
                cursors[line] = base + len(text) + len(escapes)
            rows.append((line, base, escapes))
        return cls([0] + [m.end() for m in re.finditer("\n", content)], rows)

    def to_source(self, offset: int) -> tuple[int, int]:
        row = bisect_right(self.starts, offset) - 1
        line, base, escapes = self.rows[row]
        column = offset - self.starts[row]
        return line, base + column + bisect_right(escapes, column)


def _locate(text: str, line: str, cursor: int | None) -> tuple[int, list[int]]:
    """Where ``text`` (one line of inline content) begins in the source ``line``."""
    if cursor is None:
        stripped, whole = text.rstrip(), line.rstrip()
        if stripped and whole.endswith(stripped):
            return len(whole) - len(stripped), []
    at = line.find(text, cursor or 0)
    if at >= 0:
        return at, []
    if "|" in text:  # a table cell: markdown-it drops the backslash of \|
        pattern = "".join(r"\\?\|" if ch == "|" else re.escape(ch) for ch in text)
        match = re.compile(pattern).search(line, cursor or 0)
        if match:
            escapes, at = [], match.start()
            for column, ch in enumerate(text):
                if ch == "|" and line[at] == "\\":
                    escapes.append(column)
                    at += 1
                at += 1
            return match.start(), escapes
    lead = text.lstrip()
    at = line.find(lead, cursor or 0) if lead else -1
    return (at - (len(text) - len(lead)), []) if at >= 0 else (0, [])


def _read_inline(
    token: Token,
    lines: list[str],
    norm: list[str],
    env: dict[str, object],
    cursors: dict[int, int] | None,
    in_cell: bool,
    body: Body,
) -> None:
    content = token.content
    events: list[Event] = []
    env[_SOURCE], env[_EVENTS] = content, events
    markdown().inline.parse(content, markdown(), env, [])
    assert token.map is not None
    first, last = token.map
    if first + 1 < last and _TRIMMED_FIRST.match(norm[first]):
        first += 1
        while first + 1 < last and _TRIMMED_NEXT.match(norm[first]):
            first += 1
    where = _LineMap.found(content, first, norm, cursors)
    apply_events(content, events, where, lines, norm, in_cell, body)


class SourceMap(Protocol):
    """Where inline content lies in the note: :class:`_LineMap`, or the fast path's cell map."""

    @property
    def rows(self) -> list[tuple[int, int, list[int]]]:
        """Per content line: (note line, column where it begins, content columns of dropped backslashes)."""

    def to_source(self, offset: int) -> tuple[int, int]: ...


def apply_events(
    content: str, events: list[Event], where: SourceMap, lines: list[str], norm: list[str], in_cell: bool, body: Body
) -> None:
    """Turn what the inline rules matched in ``content`` into links, code spans, tags and block ids.

    Shared by the markdown-it-py reader and the fast path (:mod:`kg.parse.fast`), so both give the
    same records for the same events.
    """
    for kind, start, end, data in events:
        if kind == "wikilink":
            _add_wikilink(where.to_source(start), lines, norm, body)
        elif kind in ("link", "image") and isinstance(data, tuple):
            _add_markdown_link(kind, start, end, data, content, where, lines, body)
        elif kind == "backticks":
            _add_code_span(where.to_source(start), where.to_source(end - 1), body)
    read_marks(content, events, where, in_cell, body)


def read_marks(content: str, events: list[Event], where: SourceMap, in_cell: bool, body: Body) -> None:
    """The tags and block ids in ``content``, read with what the events matched masked out."""
    # most content has neither mark
    text = _mask(content, events) if events and ("#" in content or not in_cell and "^" in content) else content
    if "#" in text:
        for start, end, tag in _tags(text):
            line, column = where.to_source(start)
            body.tags.append(tag)
            body.tag_spans.append(Span(line + 1, column + 1, line + 1, column + 1 + end - start))
    if not in_cell and "^" in text:
        # a block id ends the block's whole text, so it stands on the last row; its ^ is the row's
        # last: search from just before it, not from every position
        # (a last row of white space only is no text: the fast path may keep one that markdown-it trims)
        text = text.rstrip()
        last = text.rfind("\n")
        row = text[last + 1 :]
        match = _BLOCK_ID.search(row, max(row.rfind("^") - 1, 0))
        if match:
            body.blocks.append(Block(match.group(1), where.rows[text.count("\n") if last >= 0 else 0][0] + 1))


def _mask(content: str, events: list[Event]) -> str:
    """``content`` with what the events matched blanked out, so tags and block ids are not read in it."""
    pieces: list[str] = []
    at = 0
    for _, start, end, _ in sorted(events, key=lambda event: event[1]):
        if end <= at:
            continue
        start = max(start, at)
        pieces += (content[at:start], " " * (end - start))
        at = end
    pieces.append(content[at:])
    return "".join(pieces)


def _add_wikilink(at: tuple[int, int], lines: list[str], norm: list[str], body: Body) -> None:
    line, column = at
    match = WIKILINK_RE.match(norm[line], column)
    if match is None:  # an offset the map could not place exactly: take the nearest link
        found = list(iter_wikilinks(norm[line]))
        if not found:
            return
        match = min(found, key=lambda m: abs(m.start() - column))
    start, end = match.span()
    body.links.append(wikilink_record(lines[line][start:end], line, start, end))


def wikilink_record(raw: str, line: int, start: int, end: int) -> Link:
    """The record of the wiki-link or embed ``raw``, which stands on 0-based ``line`` at ``[start, end)``.

    Its text and target are interned: many notes link to the same note the same way, and a large
    vault then keeps one copy of each (as :func:`kg.model._restore_note` does for cached notes).
    For the same reason the parts of each text are remembered (:data:`_PARTS`)."""
    parts = _PARTS.get(raw)
    if parts is None:
        parts = _wikilink_parts(raw)
    return Link(parts[0], parts[1], parts[2], parts[3], parts[4], Span(line + 1, start + 1, line + 1, end + 1))


_PARTS: dict[str, tuple[LinkKind, str, str, str | None, str | None]] = {}
"""Wiki-link text -> (kind, text, target, subpath, display), text and target interned: a vault's
links repeat (the same target written the same way in many notes), and splitting one costs more
than the rest of its record. Emptied when full, so it never holds more than :data:`_MAX_PARTS`."""
_MAX_PARTS = 1 << 14


def _wikilink_parts(raw: str) -> tuple[LinkKind, str, str, str | None, str | None]:
    """The parts of ``raw`` (:data:`_PARTS`), split and remembered."""
    if raw[0] == "!":
        kind, (target, subpath, display) = _EMBED, wikilink_parts(raw[3:-2])
    else:
        kind, (target, subpath, display) = _WIKILINK, wikilink_parts(raw[2:-2])
    if len(_PARTS) >= _MAX_PARTS:
        _PARTS.clear()
    raw = intern(raw)
    parts = _PARTS[raw] = (kind, raw, intern(target), subpath, display)
    return parts


def _add_markdown_link(
    kind: str,
    start: int,
    end: int,
    data: tuple[str, int],
    content: str,
    where: SourceMap,
    lines: list[str],
    body: Body,
) -> None:
    written, label_end = data
    destination = internal_destination(written, image=kind == "image")
    if not destination:
        return
    first, last = where.to_source(start), where.to_source(end - 1)
    span = Span(first[0] + 1, first[1] + 1, last[0] + 1, last[1] + 2)
    raw = slice_span(lines, span)
    label_start = start + (2 if kind == "image" else 1)
    display = content[label_start:label_end] if label_end >= label_start else None
    parts = split_subpath(destination, display)
    if not parts.target and parts.subpath is None:
        return
    link_kind = LinkKind.MARKDOWN_EMBED if kind == "image" else LinkKind.MARKDOWN
    body.links.append(Link(link_kind, raw, parts.target, parts.subpath, parts.display, span))


def _add_code_span(first: tuple[int, int], last: tuple[int, int], body: Body) -> None:
    for line in range(first[0], last[0] + 1):
        begin = first[1] if line == first[0] else 0
        end = last[1] + 1 if line == last[0] else 1 << 30
        body.code_spans.setdefault(line, []).append((begin, end))


def _tags(text: str) -> list[tuple[int, int, str]]:
    """The tags in ``text``: (offset of the ``#``, offset after the tag, the tag lower-case without ``#``).

    A tag starts where an inline element may (spec E1): at the start, after white space, right
    after another tag (``#a#b`` is two) or after an emphasis mark that opens there (``_#uc_``). What
    the inline rules matched (links, code, HTML) is blanked out before, so a tag right after one of
    them follows white space.
    """
    tags = []
    after_tag = -1
    for match in _TAG.finditer(text):
        at = match.start()
        opening = 0 if at == 0 or at == after_tag or text[at - 1].isspace() else _opening_mark(text, at)
        if opening < 0:
            continue  # the tag charset holds no "#", so no tag starts inside this match
        tag = match.group(1)
        if opening and tag.endswith("_" * opening):  # "_#uc_": the last "_" closes the emphasis
            tag = tag[:-opening]
        tag = tag.rstrip("/")
        if tag and not tag.replace("/", "").isdigit():
            tags.append((at, at + 1 + len(tag), tag.lower()))
            after_tag = at + 1 + len(tag)
    return tags


def _opening_mark(text: str, at: int) -> int:
    """Whether ``at`` follows a run of emphasis marks (``*``, ``_``, ``~``, ``=``) that starts the
    text or follows white space, as in ``_#uc_``, ``**#b**``, ``~~#s~~``, ``==#h==``: -1 if not,
    else how many ``_`` the run ends with (the tag's charset holds ``_``, so the closing run of
    ``_#uc_`` must be taken off the tag)."""
    start = at
    while start and text[start - 1] in "*_~=":
        start -= 1
    if start == at or start and not text[start - 1].isspace():
        return -1
    run = text[start:at]
    return len(run) - len(run.rstrip("_"))
