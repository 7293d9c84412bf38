"""The fast path of :func:`kg.parse.markdown.read_body`: the same records without markdown-it-py.

markdown-it-py builds a token for every block and inline element, which costs about a quarter of a
millisecond per kilobyte. kg needs only a few facts from it: which lines are code or HTML, where
each block's inline content lies, and what the inline rules that matter (wiki-links, code spans,
links, images, autolinks, inline HTML) matched in it. This module finds them directly:

- blocks line by line, following markdown-it-py's own rules for block quotes, lists, fences,
  indented code, ATX and setext headings, thematic breaks, tables and paragraphs (with lazy
  continuation lines), and kg's rules for ``$$`` math blocks and ``%%`` block comments;
- inline content by jumping from one character that can start a rule that matters to the next,
  and running a faithful copy of that rule; everything else (emphasis, entities, text) cannot
  change what kg reads.

Where the input goes beyond what is copied here (link reference definitions, footnote definitions,
block comments inside containers, tabs in indentation, lazy lines after a non-paragraph, empty list
items, very deep nesting) the fast path declines and :func:`read_body_fast` returns None; the caller then uses markdown-it-py. A
differential test (``tests/test_fast.py``) holds the two readers to identical output on every
note of the corpora, on generated vaults and on hypothesis-generated Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from markdown_it.common.html_re import HTML_TAG_RE
from markdown_it.common.utils import MD_TRIM_CHARS as _TRIM
from markdown_it.common.utils import mdTrim, unescapeAll
from markdown_it.helpers import parseLinkDestination, parseLinkTitle
from markdown_it.rules_block.html_block import HTML_SEQUENCES
from markdown_it.rules_inline.autolink import AUTOLINK_RE, EMAIL_RE

from kg.model import Heading
from kg.parse.markdown import (
    _SCHEME,
    Body,
    Event,
    SourceMap,
    _LineMap,
    apply_events,
    markdown,
    read_marks,
    wikilink_record,
)
from kg.parse.comments import opens_comment_block
from kg.parse.footnotes import MAX_DEPTH as MAX_FOOTNOTE_DEPTH
from kg.parse.footnotes import bracket_pairs, footnote_end
from kg.parse.math import OPEN, block_closes, inline_math_end, math_block_start
from kg.parse.wikilinks import WikilinkScanner, _names_something

__all__ = ["read_body_fast"]

MAX_DEPTH = 30
"""Containers (quotes and list items) the fast path follows before it leaves a note to markdown-it."""
MAX_LABEL_DEPTH = 40
"""Nested ``[`` in a link label the fast path follows (markdown-it's inline nesting limit is 100)."""


class Decline(Exception):
    """The note holds something the fast path does not copy; markdown-it-py must read it."""


def read_body_fast(lines: list[str], norm: list[str], start: int) -> Body | None:
    """Read the body that begins at 0-based line ``start`` as :func:`~kg.parse.markdown.read_body`
    would, or return None when the note needs markdown-it-py."""
    body = "\n".join(norm[start:])
    view: list[str] = norm
    shift: dict[int, int] = {}
    if "[^" in body and _FOOTNOTE_DEF.search(body):
        return None
    if "\t" in body:
        if _TAB_INSIDE.search(body):
            return None
        view, shift = _expand_indents(norm, start)
    try:
        return _Blocks(lines, norm, start, view, shift).run()
    except Decline:
        return None


def _expand_indents(norm: list[str], start: int) -> tuple[list[str], dict[int, int]]:
    """The lines with tabs in their indentation expanded to stops of four columns, as markdown-it
    counts them, and for each changed line how many characters the expansion added."""
    view, shift = list(norm), {}
    for index in range(start, len(norm)):
        text = norm[index]
        if text[:1] not in ("\t", " "):
            continue
        lead = len(text) - len(text.lstrip(" \t"))
        if "\t" not in text[:lead]:
            continue
        column = 0
        for char in text[:lead]:
            column = column + 1 if char == " " else column + 4 - column % 4
        view[index] = " " * column + text[lead:]
        shift[index] = column - lead
    return view, shift


# --------------------------------------------------------------------------------------------
# Blocks

_TAB_INSIDE = re.compile(r"^[ \t]*[>\-+*.)\d][>\-+*.)\d ]*\t", re.M)
"""A tab after a quote or list marker: markdown-it's column arithmetic there is not copied."""
_FOOTNOTE_DEF = re.compile(r"^[ \t>*+\-\d.)]*\[\^[^\] \n]+\]:", re.M)
"""A line that may hold a footnote definition: markdown-it-py (mdit-py-plugins) reads those notes."""
_BULLET = re.compile(r"[-+*](?= |$)")
_ORDERED = re.compile(r"(\d{1,9})[.)](?= |$)")
_HR = re.compile(r"(?:([-*_])[ \t]*)(?:\1[ \t]*){2,}$")
_ATX = re.compile(r"#{1,6}(?=[ \t]|$)")
_FENCE = re.compile(r"(`{3,}|~{3,})(.*)$")
_SETEXT = re.compile(r"(=+|-+)[ \t]*$")
_DELIMITER = re.compile(r"[|\-:][|\-: \t]*$")
_HEADER_CELL = re.compile(r"^:?-+:?$")

_STRUCTURAL = frozenset(" \t>#`~-*_+0123456789<=|$%")
"""Characters that may begin a line holding more than plain paragraph text."""

_QUOTE = 0
_ITEM = 1
_QUOTED = (_QUOTE, 0)
"""A quote on the container stack: ``in`` and ``count`` find it without a loop in Python."""


def _marker(text: str, at: int) -> re.Match[str] | None:
    """The list marker at ``at``: a bullet, or up to nine digits and ``.`` or ``)``, then a space
    or the end. Only a line that begins with such a character is given to a regex."""
    char = text[at : at + 1]
    if char in ("-", "+", "*"):
        return _BULLET.match(text, at)
    if char.isdecimal():  # what the regex's \d matches
        return _ORDERED.match(text, at)
    return None


def _spaces(text: str, pos: int) -> int:
    end = pos
    while end < len(text) and text[end] == " ":
        end += 1
    return end - pos


class _Para:
    """An open paragraph: its rows as (line, column where the row's text begins)."""

    __slots__ = ("rows", "indent")

    def __init__(self, indent: int):
        self.rows: list[tuple[int, int]] = []
        self.indent = indent
        """The columns of leading spaces markdown-it strips from continuation rows (its blkIndent)."""


class _Comment(_Para):
    """An open ``%%`` block comment (:mod:`kg.parse.comments`), read as a paragraph when it ends.
    The fast path reads those that open outside containers only."""

    __slots__ = ()


class _Fence:
    __slots__ = ("marker", "length")

    def __init__(self, marker: str, length: int):
        self.marker, self.length = marker, length


class _Math:
    """An open ``$$`` display block (:mod:`kg.parse.math`)."""

    __slots__ = ()


class _Code:
    __slots__ = ("blank",)

    def __init__(self) -> None:
        self.blank: list[int] = []
        """Blank lines seen since the last code line: code only if more code follows."""


class _Html:
    __slots__ = ("end",)

    def __init__(self, end: re.Pattern[str]):
        self.end = end


def _html_block(text: str) -> tuple[re.Pattern[str], bool] | None:
    """The HTML block ``text`` opens: (pattern of its last line, whether it can interrupt a paragraph)."""
    for opening, closing, interrupts in HTML_SEQUENCES:
        if opening.search(text):
            return closing, interrupts
    return None


class _Table:
    __slots__ = ("columns",)

    def __init__(self, columns: int):
        self.columns = columns


class _Blocks:
    """The block scanner: one pass over the lines, one container stack."""

    def __init__(self, lines: list[str], norm: list[str], start: int, view: list[str], shift: dict[int, int]):
        self.lines, self.source, self.start = lines, norm, start
        self.norm = view
        """The lines the blocks are read from: ``norm`` with tab indentation expanded."""
        self.shift = shift
        """Line -> characters the expansion added before the line's text."""
        self.end = len(norm) - 1 if norm and not norm[-1].strip(" \t") else len(norm)
        """markdown-it never reads a last line of only spaces (nor the nothing after a final newline)."""
        self.body = Body()
        self.stack: list[tuple[int, int]] = []
        """Open containers, outermost first: :data:`_QUOTED` or (_ITEM, content width)."""
        self.leaf: _Para | _Fence | _Math | _Code | _Table | _Html | None = None
        self.prev_quote_blank = False
        """Whether the last line, inside its innermost quote, was blank (markdown-it ends the quote)."""

    # -- the pass -----------------------------------------------------------------------------

    def run(self) -> Body:
        norm, stack = self.norm, self.stack
        index, end = self.start, self.end
        while index < end:
            text = norm[index]
            leaf = self.leaf
            if not stack and (leaf is None or type(leaf) is _Para):
                # the common cases outside containers, with no leaf or a paragraph open, in the loop
                # itself: a blank line ends the paragraph; a line of plain text goes on or opens one
                # (unless it may be a table's header); an ATX heading ends it and is read
                if not text.strip(" "):
                    if leaf is not None:
                        self._close_leaf()
                    self.prev_quote_blank = True
                    index += 1
                    continue
                table = "|" in text and index + 1 < end and "-" in norm[index + 1]
                if text[0] not in _STRUCTURAL and not table and (leaf is not None or text[0] != "["):
                    if leaf is None:
                        leaf = self.leaf = _Para(0)
                    leaf.rows.append((index, 0))
                    self.prev_quote_blank = False
                    index += 1
                    continue
                if text[0] == "#" and not table:
                    atx = _ATX.match(text)
                    if atx:
                        if leaf is not None:
                            self._close_leaf()
                        self.prev_quote_blank = False
                        self._atx(index, text, atx.end(), len(atx.group()))
                        index += 1
                        continue
            index = self._line(index, text)
        self._close_leaf()
        return self.body

    def _match(self, text: str) -> tuple[int, int, int]:
        """Continue the open containers on ``text``: (how many matched, position, quote base)."""
        pos = qbase = matched = 0
        for kind, width in self.stack:
            if kind == _QUOTE:
                at = pos + _spaces(text, pos)
                if at < len(text) and text[at] == ">":
                    pos = at + 1
                    if pos < len(text) and text[pos] == " ":
                        pos += 1
                    qbase = pos
                else:
                    break
            else:
                spaces = _spaces(text, pos)
                if pos + spaces >= len(text):
                    pos = len(text)
                elif spaces >= width:
                    pos += width
                else:
                    break
            matched += 1
        return matched, pos, qbase

    def _line(self, index: int, text: str) -> int:
        """Read a line the fast paths in :meth:`run` do not take; return the next line's index."""
        matched, pos, qbase = self._match(text) if self.stack else (0, 0, 0)
        leaf = self.leaf
        indent = _spaces(text, pos)  # given on to the readers below, which would each count it again
        blank = pos + indent >= len(text)
        if matched < len(self.stack):
            if isinstance(leaf, _Para) and not blank and self._lazy(index, text, matched, pos, qbase):
                leaf.rows.append((index, qbase))
                return index + 1
            if not blank and not isinstance(leaf, _Para) and self._quote_lazy(matched) and not self.prev_quote_blank:
                if not self._interrupts(index, text, pos, quote_lazy=True, all_matched=False):
                    raise Decline  # markdown-it keeps the line in the quote but reads nothing of it
            self._close_leaf()
            del self.stack[matched:]
        elif leaf is not None:
            done = self._continue_leaf(leaf, index, text, pos, blank, qbase, indent)
            if done:
                self.prev_quote_blank = blank
                return index + 1
        self.prev_quote_blank = blank
        return self._open(index, text, pos, indent)

    def _quote_lazy(self, matched: int) -> bool:
        return _QUOTED in self.stack[matched:]

    def _item_indent(self, stack: list[tuple[int, int]]) -> int:
        """markdown-it's blkIndent: the item widths inside the innermost quote."""
        total = 0
        for kind, width in stack:
            total = 0 if kind == _QUOTE else total + width
        return total

    # -- leaves that go on --------------------------------------------------------------------

    def _continue_leaf(
        self, leaf: object, index: int, text: str, pos: int, blank: bool, qbase: int, indent: int
    ) -> bool:
        """Give the line to the open leaf; False when the leaf ends and the line starts something.
        ``indent``: the spaces at ``pos``."""
        if type(leaf) is _Comment:
            leaf.rows.append((index, 0))
            if "%%" in text:
                self._close_leaf()
            return True
        if isinstance(leaf, _Para):  # the most common leaf
            if blank:
                self._close_leaf()
                return True
            if indent >= 4:
                leaf.rows.append((index, qbase))
                return True
            setext = _SETEXT.match(text, pos + indent)
            if setext:
                self._heading_from(leaf, 1 if setext.group(1)[0] == "=" else 2)
                self.leaf = None
                return True
            if self._interrupts(index, text, pos, quote_lazy=False, all_matched=True, indent=indent):
                self._close_leaf()
                return False
            leaf.rows.append((index, qbase))
            return True
        if isinstance(leaf, _Fence):
            if blank and index == len(self.norm) - 1:  # markdown-it stops at the end of its source here
                self.leaf = None
                return True
            self.body.code_lines.add(index)
            at = pos + indent
            if indent < 4 and text.startswith(leaf.marker * leaf.length, at):
                run = len(text) - len(text[at:].lstrip(leaf.marker)) - at
                if run >= leaf.length and not text[at + run :].strip(" \t"):
                    self.leaf = None
            return True
        if isinstance(leaf, _Math):
            if blank and index == len(self.norm) - 1:
                self.leaf = None
                return True
            self.body.math_lines.add(index)
            if block_closes(text[pos:]):
                self.leaf = None
            return True
        if isinstance(leaf, _Html):
            rest = text[pos + indent :]
            if leaf.end.search(rest):
                self.leaf = None
                if not rest:
                    return False
            self.body.html_lines.add(index)
            return True
        if isinstance(leaf, _Code):
            if blank:
                leaf.blank.append(index)
                return True
            if indent >= 4:
                self.body.code_lines.update(leaf.blank)
                leaf.blank.clear()
                self.body.code_lines.add(index)
                return True
            self._close_leaf()
            return False
        if isinstance(leaf, _Table):
            if blank or indent >= 4 or not mdTrim(text[pos:]) or self._starts_block(index, text, pos, table=True):
                self._close_leaf()
                return blank
            self._table_row(index, text, pos + indent, leaf.columns)
            return True
        raise AssertionError(leaf)

    def _lazy(self, index: int, text: str, matched: int, pos: int, qbase: int) -> bool:
        """Whether a line that does not continue every container is a lazy paragraph line."""
        quotes = self.stack[matched:].count(_QUOTED)
        quote_lazy = quotes > 0
        if quotes > 1:
            # the inner quotes see the line with no indent (markdown-it's sCount -1), so an
            # indented list marker or fence ends them even where the outer quote took it as lazy
            if self._interrupts(index, text, pos + _spaces(text, pos), quote_lazy=True, all_matched=False):
                return False
        if quote_lazy and _spaces(text, pos) >= 4:
            return True
        if not quote_lazy and self._special_list_case(text, pos, qbase):
            # only the list rule lets the line go on: a thematic break, which markdown-it tries
            # before it, still ends the paragraph ("   1. a\n    - - -"), and so may a table,
            # its indent counted from the item's (not copied here)
            if "|" in text and index + 1 < self.end and "-" in self.norm[index + 1]:
                raise Decline
            return not self._starts_block(index, text, pos, table=False)
        return not self._interrupts(index, text, pos, quote_lazy=quote_lazy, all_matched=False)

    def _special_list_case(self, text: str, pos: int, qbase: int) -> bool:
        """markdown-it's "paragraph continuation" case: a list marker 4+ columns past the parent list.

        Only for a lazy line inside list items, where every quote matched (so ``qbase`` is the
        innermost quote's content start on this line).
        """
        at = pos + _spaces(text, pos)
        if not _marker(text, at):
            return False
        stack = self.stack
        inner = len(stack) - stack[::-1].index(_QUOTED) if _QUOTED in stack else 0  # past the last quote
        items = stack[inner:]
        if not items:
            return False
        return at - qbase - self._item_indent(items[:-1]) >= 4

    # -- what can interrupt a paragraph or end a quote ----------------------------------------

    def _interrupts(
        self, index: int, text: str, pos: int, *, quote_lazy: bool, all_matched: bool, indent: int | None = None
    ) -> bool:
        if indent is None:
            indent = _spaces(text, pos)
        if indent >= 4 and (quote_lazy or all_matched):
            return False
        if self._starts_block(index, text, pos, table=False, indent=indent):
            return True
        at = pos + indent
        marker = _marker(text, at)
        if marker:
            if quote_lazy or not all_matched:
                return True
            end = marker.end()
            if end + _spaces(text, end) >= len(text):
                return False
            return text[at] in "-+*" or int(marker.group(1)) == 1
        if not quote_lazy and self._table_start(index, text, pos) is not None:
            return True
        return False

    def _starts_block(self, index: int, text: str, pos: int, *, table: bool, indent: int | None = None) -> bool:
        """Fence, quote, thematic break, ATX heading (and, ending a table, list item) at ``pos``."""
        at = pos + (_spaces(text, pos) if indent is None else indent)
        if at >= len(text):
            return False
        char = text[at]
        if char == "<":
            html = _html_block(text[at:])
            return html is not None and html[1]
        if char == ">" or (char == "#" and _ATX.match(text, at)):
            return True
        if char in "`~":
            fence = _FENCE.match(text, at)
            return fence is not None and not (char == "`" and "`" in fence.group(2))
        if char == "$":
            return math_block_start(text[at:]) is not None
        if char == "%" and opens_comment_block(text[at:]):
            if self.stack:
                raise Decline  # a block comment in a container: markdown-it-py reads it
            return True
        if char in "-*_" and _HR.match(text, at):
            return True
        if table and _marker(text, at):
            return True
        return False

    # -- new blocks ---------------------------------------------------------------------------

    def _open(self, index: int, text: str, pos: int, indent: int) -> int:
        """Open the containers and the leaf that begin on this line (``indent`` spaces at ``pos``);
        return the next line."""
        while True:
            at = pos + indent
            if at >= len(text):
                return index + 1
            if indent >= 4:
                self.leaf = _Code()
                self.body.code_lines.add(index)
                return index + 1
            columns = self._table_start(index, text, pos) if "|" in text else None
            if columns is not None:
                self._table_row(index, text, at, columns)
                self.leaf = _Table(columns)
                return index + 2
            char = text[at]
            if char in "`~":
                fence = _FENCE.match(text, at)
                if fence and not (char == "`" and "`" in fence.group(2)):
                    self.leaf = _Fence(char, len(fence.group(1)))
                    self.body.code_lines.add(index)
                    return index + 1
            if char == "%" and opens_comment_block(text[at:]):
                if self.stack:
                    raise Decline
                comment = self.leaf = _Comment(0)
                comment.rows.append((index, at))
                return index + 1
            if char == "$":
                math = math_block_start(text[at:])
                if math is not None:
                    self.body.math_lines.add(index)
                    if math == OPEN:
                        self.leaf = _Math()
                    return index + 1
            if char == ">":
                self._push(_QUOTE, 0)
                pos = at + 1
                if pos < len(text) and text[pos] == " ":
                    pos += 1
                indent = _spaces(text, pos)
                continue
            if char in "-*_" and _HR.match(text, at):
                return index + 1
            marker = _marker(text, at)
            if marker:
                after = _spaces(text, marker.end())
                if marker.end() + after >= len(text) or after > 4:
                    raise Decline  # an empty item or one opening with indented code
                self._push(_ITEM, indent + marker.end() - at + after)
                pos = marker.end() + after
                indent = 0  # ``after`` took every space
                continue
            if char == "<":
                html = _html_block(text[at:])
                if html is not None:
                    self.body.html_lines.add(index)
                    if not html[0].search(text[at:]):
                        self.leaf = _Html(html[0])
                    return index + 1
            if char == "#":
                atx = _ATX.match(text, at)
                if atx:
                    self._atx(index, text, atx.end(), len(atx.group()))
                    return index + 1
            if char == "[" and "]:" in text:
                raise Decline  # perhaps a link reference definition
            para = _Para(self._item_indent(self.stack))
            para.rows.append((index, at))
            self.leaf = para
            return index + 1

    def _push(self, kind: int, width: int) -> None:
        self.stack.append((kind, width))
        if len(self.stack) > MAX_DEPTH:
            raise Decline

    def _close_leaf(self) -> None:
        leaf, self.leaf = self.leaf, None
        if isinstance(leaf, _Para):
            self._paragraph(leaf)
            if type(leaf) is _Comment:
                self.body.comment_blocks.append((leaf.rows[0][0], leaf.rows[-1][0]))

    # -- tables -------------------------------------------------------------------------------

    def _table_start(self, index: int, text: str, pos: int) -> int | None:
        """The column count if a table starts at this line (header here, delimiter row next)."""
        if "|" not in text or index + 1 >= self.end:
            return None
        following = self.norm[index + 1]
        if "-" not in following:
            return None
        matched, npos, _ = self._match(following)
        if matched < len(self.stack):
            if _DELIMITER.match(following.strip()):
                raise Decline  # a delimiter row in another container: markdown-it's call
            return None
        if _spaces(following, npos) >= 4:
            return None
        row = following[npos + _spaces(following, npos) :]
        if len(row) < 2 or row[0] not in "|-:" or (row[1] not in "|-: \t") or (row[0] == "-" and row[1] in " \t"):
            return None
        if any(ch not in "|-: \t" for ch in row):
            return None
        aligns = 0
        columns = row.split("|")
        for number, column in enumerate(columns):
            cell = mdTrim(column)
            if not cell:
                if number in (0, len(columns) - 1):
                    continue
                return None
            if not _HEADER_CELL.search(cell):
                return None
            aligns += 1
        header = mdTrim(text[pos + _spaces(text, pos) :])
        if "|" not in header or _spaces(text, pos) >= 4:
            return None
        cells = _split_cells(header)
        if not cells or len(cells) != aligns:
            return None
        return aligns

    def _table_row(self, index: int, text: str, at: int, columns: int) -> None:
        row = text[at:]
        trimmed = mdTrim(row)
        base = at + (len(row) - len(row.lstrip(_TRIM)))
        for cell, offsets in _cells(trimmed, base)[:columns]:
            if cell and _MAY_MATTER.search(cell):
                shift = self.shift.get(index, 0)
                if shift:
                    offsets = [column - shift for column in offsets]
                where = _CellMap(index, offsets)
                if _only_wikilinks(cell):
                    self._wikilinks_only(cell, index, offsets, where, True)
                else:
                    apply_events(cell, _Inline(cell).run(), where, self.lines, self.source, True, self.body)

    # -- headings and paragraphs --------------------------------------------------------------

    def _atx(self, index: int, text: str, after: int, level: int) -> None:
        raw = text[after:].rstrip(" \t")
        head = raw.rstrip("#")  # a closing sequence counts only after a space or tab
        if head[-1:] in (" ", "\t"):
            raw = head
        content = raw.strip()
        base = after + (len(raw) - len(raw.lstrip()))
        if not self.stack:  # only top-level headings exist
            self.body.headings.append(Heading(level, content.strip(), index + 1))
        self._row(content, index, base - self.shift.get(index, 0))

    def _heading_from(self, para: _Para, level: int) -> None:
        content, rows = self._content(para)
        if not self.stack:  # only top-level headings exist
            self.body.headings.append(Heading(level, content.strip(), para.rows[0][0] + 1))
        self._inline(content, rows)

    def _paragraph(self, para: _Para) -> None:
        if len(para.rows) == 1:  # nine paragraphs in ten
            line, base = para.rows[0]
            text = self.source[line]
            if not _MAY_MATTER.search(text):
                return  # a line with no mark any rule that matters starts with (two paragraphs in five)
            first = base - self.shift.get(line, 0) if base else 0
            pad = 0
            if para.indent and text[first : first + 1] in (" ", "\t"):
                first, pad = _unindent(text, first, para.indent)
            row = " " * pad + text[first:] if pad else text[first:]
            self._row(row.strip(_TRIM), line, first - pad + len(row) - len(row.lstrip(_TRIM)))
            return
        content, rows = self._content(para)
        self._inline(content, rows)

    def _content(self, para: _Para) -> tuple[str, list[tuple[int, int]]]:
        """markdown-it's ``getLines(...).strip()`` of the paragraph, with where each row begins in
        the source line (a tab only partly stripped leaves spaces that are not in the source)."""
        indent, shift, source = para.indent, self.shift, self.source
        texts, rows = [], []
        for line, base in para.rows:
            text = source[line]
            first = base - shift.get(line, 0) if base else 0  # 0: the line's start, before any indent
            pad = 0
            if indent and text[first : first + 1] in (" ", "\t"):
                first, pad = _unindent(text, first, indent)
            texts.append(" " * pad + text[first:] if pad else text[first:])
            rows.append((line, first - pad))
        head = texts[0]
        texts[0] = head.lstrip(_TRIM)
        rows[0] = (rows[0][0], rows[0][1] + len(head) - len(texts[0]))
        texts[-1] = texts[-1].rstrip(_TRIM)
        return "\n".join(texts), rows

    def _inline(self, content: str, rows: list[tuple[int, int]]) -> None:
        """Read the inline content whose rows begin at ``rows`` (line, column in the source line)."""
        if len(rows) == 1:
            self._row(content, *rows[0])
            return
        if not content or not _MAY_MATTER.search(content):
            return
        starts = [0]
        for piece in content.split("\n")[:-1]:
            starts.append(starts[-1] + len(piece) + 1)
        where = _LineMap.exact(starts, [(line, base, []) for line, base in rows])
        apply_events(content, inline_events(content), where, self.lines, self.source, False, self.body)

    def _row(self, content: str, line: int, base: int) -> None:
        """Read one-row inline content, which stands verbatim in the line from column ``base`` on."""
        if not content or not _MAY_MATTER.search(content):
            return
        if _only_wikilinks(content):
            self._wikilinks_only(content, line, range(base, base + len(content)), _RowMap(line, base), False)
        else:
            apply_events(content, _Inline(content).run(), _RowMap(line, base), self.lines, self.source, False, self.body)

    def _wikilinks_only(self, content: str, line: int, columns: Sequence[int], where: SourceMap, in_cell: bool) -> None:
        """One-line content where only the wiki-link rule can match (half of all paragraphs, most
        table cells), whose characters stand in the line at ``columns``: each link is the source
        from its first character's column to its last one's, with no second match. (A cell drops
        the backslash of ``\\|``, but never between the two ``]`` that end a link, so the links
        end where a match in the source would end them.)"""
        events = _wikilink_events(content)
        source, links = self.lines[line], self.body.links
        marks = "#" in content or "^" in content
        at, outside = 0, False  # the end of the last link; whether a # or ^ stands between links
        for _, start, end, _ in events:
            first, last = columns[start], columns[end - 1] + 1
            links.append(wikilink_record(source[first:last], line, first, last))
            if marks and not outside:
                outside = content.find("#", at, start) >= 0 or content.find("^", at, start) >= 0
            at = end
        if marks and (outside or content.find("#", at) >= 0 or content.find("^", at) >= 0):
            read_marks(content, events, where, in_cell, self.body)  # most # are a link's heading: not here


_MAY_MATTER = re.compile(r"[\[!`<\\#^]")


def _unindent(text: str, first: int, indent: int) -> tuple[int, int]:
    """Strip up to ``indent`` columns of spaces and tabs from ``first`` on, as markdown-it's
    ``getLines`` does: (where the row's text begins, spaces of a tab stripped only in part)."""
    column = 0
    while first < len(text) and column < indent and text[first] in " \t":
        column = column + 1 if text[first] == " " else column + 4 - column % 4
        first += 1
    return first, max(column - indent, 0)


class _RowMap:
    """Offsets in one-line inline content (nine blocks in ten) to (line, column): a plain shift."""

    __slots__ = ("line", "base")

    def __init__(self, line: int, base: int):
        self.line, self.base = line, base

    @property
    def rows(self) -> list[tuple[int, int, list[int]]]:
        return [(self.line, self.base, [])]

    def to_source(self, offset: int) -> tuple[int, int]:
        return self.line, self.base + offset


def _split_cells(row: str) -> list[str]:
    return [cell for cell, _ in _cells(row, 0)]


def _cells(row: str, base: int) -> list[tuple[str, Sequence[int]]]:
    """markdown-it's ``escapedSplit`` of a table row, keeping each character's source column.

    A pipe is escaped when the character before it is a backslash; it stays in its cell and the
    backslash goes. Empty first and last cells (outer pipes) are dropped; each cell is trimmed.
    The row is split at every pipe and the pieces joined again where a piece ends with a backslash,
    so the work is per cell, not per character (wiki-links in tables escape their pipe: ``\\|``).
    """
    pieces = row.split("|")
    cells: list[tuple[str, Sequence[int], bool]] = []
    chunks: list[tuple[int, str]] = []  # the cell being joined: (column of its first character, text)
    at = base
    last = len(pieces) - 1
    for number, piece in enumerate(pieces):
        if number < last and piece.endswith("\\"):
            chunks += ((at, piece[:-1]), (at + len(piece), "|"))
        elif chunks:
            chunks.append((at, piece))
            cells.append(_cell(chunks))
            chunks = []
        else:  # a cell of one piece, as most are
            trimmed = piece.strip(_TRIM)
            lead = at + len(piece) - len(piece.lstrip(_TRIM))
            cells.append((trimmed, range(lead, lead + len(trimmed)), not piece))
        at += len(piece) + 1
    if cells and cells[0][2]:
        cells.pop(0)
    if cells and cells[-1][2]:
        cells.pop()
    return [(text, columns) for text, columns, _ in cells]


def _cell(chunks: list[tuple[int, str]]) -> tuple[str, Sequence[int], bool]:
    """A cell joined from its chunks: (trimmed text, source column of each character, whether empty)."""
    text = "".join(piece for _, piece in chunks)
    columns: list[int] = []
    for at, piece in chunks:
        columns.extend(range(at, at + len(piece)))
    lead = len(text) - len(text.lstrip(_TRIM))
    trimmed = text.strip(_TRIM)
    return trimmed, columns[lead : lead + len(trimmed)], not text


class _CellMap:
    """Offsets in a table cell's content to (line, column): one column per character."""

    def __init__(self, line: int, columns: Sequence[int]):
        self.line, self.columns = line, columns
        self.rows: list[tuple[int, int, list[int]]] = [(line, columns[0] if columns else 0, [])]
        self.starts = [0]

    def to_source(self, offset: int) -> tuple[int, int]:
        if offset < len(self.columns):
            return self.line, self.columns[offset]
        return self.line, (self.columns[-1] + 1 + offset - len(self.columns)) if self.columns else offset


# --------------------------------------------------------------------------------------------
# Inline


_SPECIAL = re.compile(r"[\[!`<\\$^]")
_LABEL_SPECIAL = re.compile(r"[\[\]!`<\\$^]")
_RULE_CHARS = "\\`![<$^"
"""The characters a rule that matters can start at (wiki-links and links, code, HTML, math, inline footnotes)."""


@lru_cache(maxsize=1)
def _links() -> tuple:  # type: ignore[type-arg]
    md = markdown()
    return lru_cache(maxsize=4096)(md.normalizeLink), md.validateLink


_PLAIN_DESTINATION = re.compile(r"[^<\x00-\x20\x7f\\()][^\x00-\x20\x7f\\()]*")
"""A link destination that ``parseLinkDestination`` reads to its end, with no escape or parenthesis."""


def _destination(src: str, pos: int, end: int) -> tuple[int, str] | None:
    """markdown-it's ``parseLinkDestination``: (position after, destination) or None.

    markdown-it walks the destination a character at a time; the common one (``x.md``,
    ``https://host/path``) is one regex match ended by a space, a control character, ``)`` or the
    end, where markdown-it stops too. One holding ``\\``, ``(`` or beginning with ``<`` goes to
    markdown-it's own function.
    """
    plain = _PLAIN_DESTINATION.match(src, pos, end)
    if plain is not None:
        after = plain.end()
        if after == end or src[after] not in "\\(":
            return after, unescapeAll(plain.group())
    result = parseLinkDestination(src, pos, end)
    return (result.pos, result.str) if result.ok else None


_BAD_SCHEMES = frozenset(("vbscript", "javascript", "file", "data"))
"""The schemes markdown-it's ``validateLink`` refuses (but for some ``data:image/``)."""


def _valid(destination: str) -> bool:
    """markdown-it's ``validateLink(normalizeLink(destination))``: whether an inline link may take
    this destination (a refused one leaves the link to fail, as in markdown-it).

    Only a destination that begins with one of :data:`_BAD_SCHEMES` can be refused: normalizing
    keeps the scheme as written (mdurl's protocol pattern takes the same characters up to the first
    colon, format puts them first, encode keeps them), and ``validateLink`` looks at the scheme
    alone. So only those few are normalized, which costs 5 to 20 µs.
    """
    scheme = _SCHEME.match(destination)
    if scheme is None or scheme.group()[:-1].lower() not in _BAD_SCHEMES:
        return True
    normalize, validate = _links()
    return bool(validate(normalize(destination)))


def _only_wikilinks(src: str) -> bool:
    """Whether no rule but the wiki-link one can match: a link or image needs ``](``, code a
    backtick, autolinks and HTML ``<``, an escape a backslash, math a ``$``, an inline footnote
    ``^[``. (Substring tests; one regex alternation is four times slower.)"""
    return "](" not in src and "`" not in src and "<" not in src and "\\" not in src and "$" not in src and "^[" not in src


def inline_events(src: str) -> list[Event]:
    """What markdown-it's inline rules that kg records match in ``src``, in its order."""
    return _wikilink_events(src) if _only_wikilinks(src) else _Inline(src).run()


def _wikilink_events(src: str) -> list[Event]:
    """The events of content where only the wiki-link rule can match: a search for ``[[``,
    resumed one character on where a match names nothing (``[[]]``), as the rule loop would.

    This is :meth:`WikilinkScanner.end` inlined (half the notes' paragraphs come here): the
    next ``]]`` and the next line break are remembered, so a line of thousands of ``[[`` stays
    linear, and when no ``]]`` follows no later ``[[`` can close either.
    """
    events: list[Event] = []
    pos, close, newline = 0, -1, -1
    while True:
        at = src.find("[[", pos)
        if at < 0:
            return events
        if close < at + 3:
            close = src.find("]]", at + 3)
            if close < 0:
                return events
        start = at - 1 if at > pos and src[at - 1] == "!" else at
        if newline < start:
            newline = src.find("\n", start)
            if newline < 0:
                newline = len(src)
        first = src[at + 2]  # a first character that is text and no "[[" inside: the link names something
        plain = first not in "|\\]" and not first.isspace() and src.find("[[", at + 2, close) < 0
        if newline < close or not (plain or _names_something(src, at + 2, close)):
            pos = at + 1
        else:
            events.append(("wikilink", start, close + 2, None))
            pos = close + 2


class _Inline:
    """A copy of markdown-it's inline pass, reduced to the rules whose matches kg records."""

    def __init__(self, src: str):
        self.src = src
        self.events: list[Event] = []
        self.scanner = WikilinkScanner(src)
        self.last_close = src.rfind("]")
        """No label ends after this: a line of thousands of ``[`` and no ``]`` is then linear."""
        self.cache: dict[int, int] = {}
        self.depth = 0
        self.pairs: dict[int, int] | None = None
        """Balanced brackets, found once, when a ``^[`` is met (:func:`bracket_pairs`)."""
        self.footnotes = 0
        """Inline footnotes being read, one inside the other."""

    def run(self) -> list[Event]:
        self.tokenize(0, len(self.src))
        return self.events

    def tokenize(self, pos: int, end: int) -> None:
        search = _SPECIAL.search
        while pos < end:
            found = search(self.src, pos, end)
            if found is None:
                return
            pos = self.rule(found.start(), end, False)

    def rule(self, pos: int, end: int, silent: bool) -> int:
        """Run the rules at ``pos``; the position after what matched, or ``pos + 1``."""
        src = self.src
        char = src[pos]
        if char == "\\":
            return pos + 2 if pos + 1 < end else pos + 1
        if char == "`":
            return self.backticks(pos, end, silent)
        if char in "![":
            wiki = self.scanner.end(pos, end)
            if wiki is not None:
                if not silent:
                    self.events.append(("wikilink", pos, wiki, None))
                return wiki
            after = self.link(pos, end, silent) if char == "[" else self.image(pos, end, silent)
            return pos + 1 if after is None else after
        if char == "$":
            after = inline_math_end(src, pos, end)
            if after is None:
                return pos + 1
            if not silent:
                self.events.append(("math_inline", pos, after, None))
            return after
        if char == "^":
            return self.footnote(pos, end, silent)
        if char == "<":  # an autolink or inline HTML: kg only masks it
            after = self.autolink(pos, end)
            if after is None:
                after = self.html(pos, end)
            if after is None:
                return pos + 1
            if not silent:
                self.events.append(("html", pos, after, None))
            return after
        return pos + 1

    def skip(self, pos: int, end: int) -> int:
        """markdown-it's ``skipToken``: the rules in silent mode, cached by position."""
        cached = self.cache.get(pos)
        if cached is not None:
            return cached
        after = self.rule(pos, end, True) if self.src[pos] in _RULE_CHARS else pos + 1
        self.cache[pos] = after
        return after

    def backticks(self, start: int, end: int, silent: bool) -> int:
        src = self.src
        pos = start + 1
        while pos < end and src[pos] == "`":
            pos += 1
        length = pos - start
        match_end = pos
        while True:
            match_start = src.find("`", match_end)
            if match_start == -1 or match_start >= end:
                break
            match_end = match_start + 1
            while match_end < len(src) and src[match_end] == "`":
                match_end += 1
            if match_end > end:
                break
            if match_end - match_start == length:
                if not silent:
                    self.events.append(("backticks", start, match_end, None))
                return match_end
        if not silent:
            self.events.append(("backticks", start, pos, None))
        return pos

    def label(self, start: int, end: int, disable_nested: bool) -> int:
        """markdown-it's ``parseLinkLabel``: where the label opened at ``start`` ends, or -1."""
        if start >= self.last_close:
            return -1
        self.depth += 1
        if self.depth > MAX_LABEL_DEPTH:
            raise Decline
        try:
            src = self.src
            level = 1
            pos = start + 1
            while pos < end:
                char = src[pos]
                if char == "]":
                    level -= 1
                    if level == 0:
                        return pos
                if char != "]" and char not in _RULE_CHARS:
                    found = _LABEL_SPECIAL.search(src, pos + 1, end)
                    pos = found.start() if found else end
                    continue
                before = pos
                pos = self.skip(pos, end)
                if char == "[":
                    if before == pos - 1:
                        level += 1
                    elif disable_nested:
                        return -1
            return -1
        finally:
            self.depth -= 1

    def _destination(self, pos: int, end: int, image: bool) -> tuple[int, str] | None:
        """The ``(destination "title")`` part after a label: (position after ``)``, the destination
        as written, backslash escapes resolved) or None."""
        src = self.src
        pos += 1
        while pos < end and src[pos] in " \t\n":
            pos += 1
        if pos >= end:
            return None
        href = ""
        result = _destination(src, pos, end)
        if result is not None or image:
            if result is not None and _valid(result[1]):
                href, pos = result[1], result[0]
            start = pos
            while pos < end and src[pos] in " \t\n":
                pos += 1
            if pos < end and start != pos and src[pos] in "\"'(":  # parseLinkTitle fails on any other mark
                title = parseLinkTitle(src, pos, end)
                if title.ok:
                    pos = title.pos
                    while pos < end and src[pos] in " \t\n":
                        pos += 1
        if pos >= end or src[pos] != ")":
            return None
        return pos + 1, href

    def link(self, pos: int, end: int, silent: bool) -> int | None:
        label_end = self.label(pos, end, True)
        if label_end < 0 or label_end + 1 >= end or self.src[label_end + 1] != "(":
            return None
        found = self._destination(label_end + 1, end, False)
        if found is None:
            return None
        after, href = found
        if not silent:
            self.tokenize(pos + 1, label_end)
            self.events.append(("link", pos, after, (href, label_end)))
        return after

    def image(self, pos: int, end: int, silent: bool) -> int | None:
        if pos + 1 < end and self.src[pos + 1] != "[":
            return None
        label_end = self.label(pos + 1, end, False)
        if label_end < 0 or label_end + 1 >= end or self.src[label_end + 1] != "(":
            return None
        found = self._destination(label_end + 1, end, True)
        if found is None:
            return None
        after, href = found
        if not silent:
            self.events.append(("image", pos, after, (href, self.label(pos + 1, end, True))))
        return after

    def footnote(self, pos: int, end: int, silent: bool) -> int:
        """An inline footnote ``^[…]``, whose content is read in place (:mod:`kg.parse.footnotes`)."""
        if self.pairs is None:
            self.pairs = bracket_pairs(self.src)
        close = footnote_end(self.src, pos, end, self.pairs)
        if close is None or self.footnotes >= MAX_FOOTNOTE_DEPTH:
            return pos + 1
        if not silent:
            self.footnotes += 1
            self.tokenize(pos + 2, close)
            self.footnotes -= 1
        return close + 1

    def autolink(self, pos: int, end: int) -> int | None:
        src = self.src
        close = pos
        while True:
            close += 1
            if close >= end or src[close] == "<":
                return None
            if src[close] == ">":
                break
        url = src[pos + 1 : close]
        normalize, validate = _links()
        if AUTOLINK_RE.search(url) is not None:
            return close + 1 if validate(normalize(url)) else None
        if EMAIL_RE.search(url) is not None:
            return close + 1 if validate(normalize("mailto:" + url)) else None
        return None

    def html(self, pos: int, end: int) -> int | None:
        src = self.src
        if pos + 2 >= end:
            return None
        char = src[pos + 1]
        if char not in "!?/" and not ("a" <= char.lower() <= "z" and char.isascii()):
            return None
        last = src.rfind
        if src.startswith("<!--", pos):
            if last(">") < pos + 4:
                return None
            if not src.startswith("<!-->", pos) and not src.startswith("<!--->", pos) and last("-->") < pos + 4:
                return None
        elif src.startswith("<![CDATA[", pos):
            if last("]]>") < pos + 9:
                return None
        elif char == "?":
            if last("?>") < pos + 2:
                return None
        elif char == "!":
            if last(">") < pos + 3:
                return None
        elif last(">") < pos + 2:
            return None
        match = HTML_TAG_RE.match(src, pos)
        return pos + len(match.group(0)) if match else None
