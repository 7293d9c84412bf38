"""Wiki-link syntax: the markdown-it-py inline rule and the ``[[path#subpath|display]]`` split."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from markdown_it.rules_inline import StateInline

__all__ = [
    "WIKILINK_RE",
    "LinkText",
    "WikilinkScanner",
    "is_link_text",
    "iter_wikilinks",
    "split_wikilink",
    "wikilink_parts",
    "wikilink_rule",
]

WIKILINK_RE = re.compile(r"!?\[\[([^\n]+?)\]\]")
"""A wiki-link or embed candidate on one line: at least one character, and only ``]]`` ends it
(spec B4). A candidate is a link only when :func:`is_link_text` accepts its inner text."""


class LinkText(NamedTuple):
    """The parts of a link's inner text."""

    target: str
    """Linkpath before the first ``#``, trimmed."""
    subpath: str | None
    """What follows the first ``#``, trimmed, or None."""
    display: str | None
    """What follows the first ``|`` or ``\\|``, or None."""


def split_wikilink(inner: str) -> LinkText:
    """Split ``path#subpath|display`` as Obsidian does (spec B2, B4).

    The inner text is trimmed and split at its first ``|``, unless that is its first character
    (``[[|x]]`` links to ``|x``); one trailing ``\\`` of the link text is dropped (so ``\\|``
    splits as ``|`` does), a no-break space is a space, and the link text is split at its first ``#``.

    >>> split_wikilink("Note#H1#H2\\\\|shown")
    LinkText(target='Note', subpath='H1#H2', display='shown')
    >>> split_wikilink("|x"), split_wikilink("Real\\\\")
    (LinkText(target='|x', subpath=None, display=None), LinkText(target='Real', subpath=None, display=None))
    """
    return LinkText(*wikilink_parts(inner))


def wikilink_parts(inner: str) -> tuple[str, str | None, str | None]:
    """:func:`split_wikilink` as a plain tuple, for the parser's inner loop (a named tuple costs
    as much to make as the split itself)."""
    display = None
    bar = inner.find("|")
    if bar >= 0 and inner[:bar].strip():  # a "|" first (after spaces) is text: "[[|x]]" links to "|x"
        display = inner[bar + 1 :].strip()
        inner = inner[:bar]
    inner = inner.strip()
    if inner.endswith("\\"):
        inner = inner[:-1]
    if "\xa0" in inner:
        inner = inner.replace("\xa0", " ")
    hash_at = inner.find("#")
    if hash_at < 0:
        return inner.strip(), None, display
    return inner[:hash_at].strip(), inner[hash_at + 1 :].strip(), display


def split_subpath(target: str, display: str | None = None) -> LinkText:
    """Split a target at its first ``#`` into linkpath and subpath."""
    hash_at = target.find("#")
    if hash_at < 0:
        return LinkText(target.strip(), None, display)
    return LinkText(target[:hash_at].strip(), target[hash_at + 1 :].strip(), display)


def is_link_text(inner: str) -> bool:
    """Whether ``[[inner]]`` names anything: ``[[ ]]`` and ``[[\\|x]]`` do not, ``[[|x]]`` and
    ``[[#]]`` do. The body's tokenizer also rejects a candidate that holds ``[[``
    (:func:`iter_wikilinks`); a frontmatter value does not (``"[[A]] and [[B]]"`` is one link).

    >>> [is_link_text(inner) for inner in (" ", "\\\\|x", "|x", "#", "A]] and [[B")]
    [False, False, True, True, True]
    """
    target, subpath, _ = wikilink_parts(inner)
    return bool(target) or subpath is not None


def iter_wikilinks(text: str) -> Iterator[re.Match[str]]:
    """The wiki-links and embeds in ``text``, read as Obsidian's tokenizer reads them: a candidate
    that holds ``[[`` or names nothing (:func:`is_link_text`) is skipped and the next ``[[`` after
    its start tried (spec B4).

    >>> [m.group() for m in iter_wikilinks("[[a [[Real]] [[]] ![[x]]")]
    ['[[Real]]', '![[x]]']
    """
    pos = 0
    while True:
        match = WIKILINK_RE.search(text, pos)
        if match is None:
            return
        if _names_something(text, match.start(1), match.end(1)):
            yield match
            pos = match.end()
        else:
            pos = text.index("[[", match.start()) + 1


class WikilinkScanner:
    """Where a wiki-link that starts at a given position ends, in constant time amortised.

    ``WIKILINK_RE.match`` at every ``[`` of a line holding thousands of ``[[`` and no ``]]`` reads
    to the end of the line each time: quadratic. The scanner remembers the next ``]]`` and the next
    newline, and checks that the link names something without slicing it, so a whole text costs one
    pass. It gives exactly what ``WIKILINK_RE.match`` plus :func:`is_link_text` would.

    >>> scanner = WikilinkScanner("[[ ]] ![[A#h|b]] [[")
    >>> scanner.end(0, 19), scanner.end(6, 19), scanner.end(17, 19)
    (None, 16, None)
    """

    def __init__(self, src: str):
        self.src = src
        self._close = (-1, -1)  # (searched from, first "]]" found there or -1)
        self._newline = (-1, -1)

    def _next(self, memo: tuple[int, int], token: str, start: int) -> tuple[int, int]:
        origin, found = memo
        if origin != -1 and origin <= start and (found == -1 or found >= start):
            return memo
        return start, self.src.find(token, start)

    def end(self, pos: int, limit: int) -> int | None:
        """The end of the wiki-link or embed that starts at ``pos`` (before ``limit``), or None."""
        src = self.src
        at = pos + 1 if src.startswith("!", pos) else pos
        if not src.startswith("[[", at):
            return None
        self._close = self._next(self._close, "]]", at + 3)
        close = self._close[1]
        if close < 0 or close + 2 > limit:
            return None
        self._newline = self._next(self._newline, "\n", pos)
        if 0 <= self._newline[1] < close:
            return None
        return close + 2 if _names_something(src, at + 2, close) else None


def _names_something(src: str, start: int, end: int) -> bool:
    """Whether the body's tokenizer takes the candidate whose inner text is ``src[start:end]``: it
    holds no ``[[`` (spec B4 rule 1) and :func:`is_link_text`. The ``[[`` is looked for before
    anything is sliced: on a line of many ``[[`` and one late ``]]`` each candidate but the last
    holds the next ``[[``, so the scanner stays linear."""
    return src.find("[[", start, end) < 0 and is_link_text(src[start:end])


def wikilink_rule(state: StateInline, silent: bool) -> bool:
    """markdown-it-py inline rule: ``[[...]]`` and ``![[...]]`` become one ``wikilink`` token.

    It runs before the ``link`` rule, so ``[[Note]]`` is never read as a Markdown link label.
    The token's ``meta`` holds the offsets of the link in ``state.src``.
    """
    pos = state.pos
    if state.src[pos] not in "![":
        return False
    scanner = state.env.get("kg_wikilinks")
    if not isinstance(scanner, WikilinkScanner) or scanner.src is not state.src:
        scanner = state.env["kg_wikilinks"] = WikilinkScanner(state.src)
    end = scanner.end(pos, state.posMax)
    if end is None:
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        token.content = state.src[pos:end]
        token.meta = {"start": pos, "end": end}
    state.pos = end
    return True
