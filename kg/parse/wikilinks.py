"""Wiki-link syntax: the markdown-it-py inline rule and the ``[[path#subpath|display]]`` split."""

from __future__ import annotations

import re
from typing import NamedTuple

from markdown_it.rules_inline import StateInline

__all__ = ["WIKILINK_RE", "LinkText", "split_wikilink", "wikilink_rule"]

WIKILINK_RE = re.compile(r"!?\[\[([^\n]*?)\]\]")
"""A wiki-link or embed on one line; only ``]]`` ends it (spec B4)."""


class LinkText(NamedTuple):
    """The parts of a link's inner text."""

    target: str
    """Linkpath before the first ``#``, trimmed."""
    subpath: str | None
    """What follows the first ``#``, trimmed, or None."""
    display: str | None
    """What follows the first ``|`` or ``\\|``, or None."""


def split_wikilink(inner: str) -> LinkText:
    """Split ``path#subpath|display`` at the first pipe, then at the first ``#`` (spec B2, B3).

    >>> split_wikilink("Note#H1#H2\\\\|shown")
    LinkText(target='Note', subpath='H1#H2', display='shown')
    """
    display = None
    bar = inner.find("|")
    if bar >= 0:
        display = inner[bar + 1 :]
        inner = inner[: bar - 1] if bar > 0 and inner[bar - 1] == "\\" else inner[:bar]
    return split_subpath(inner, display)


def split_subpath(target: str, display: str | None = None) -> LinkText:
    """Split a target at its first ``#`` into linkpath and subpath."""
    hash_at = target.find("#")
    if hash_at < 0:
        return LinkText(target.strip(), None, display)
    return LinkText(target[:hash_at].strip(), target[hash_at + 1 :].strip(), display)


def is_link_text(inner: str) -> bool:
    """Whether ``[[inner]]`` names anything: ``[[]]`` and ``[[|x]]`` do not."""
    parts = split_wikilink(inner)
    return bool(parts.target) or parts.subpath is not None


def wikilink_rule(state: StateInline, silent: bool) -> bool:
    """markdown-it-py inline rule: ``[[...]]`` and ``![[...]]`` become one ``wikilink`` token.

    It runs before the ``link`` rule, so ``[[Note]]`` is never read as a Markdown link label.
    The token's ``meta`` holds the offsets of the link in ``state.src``.
    """
    pos = state.pos
    if state.src[pos] not in "![":
        return False
    match = WIKILINK_RE.match(state.src, pos, state.posMax)
    if match is None or not is_link_text(match.group(1)):
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        token.content = match.group(0)
        token.meta = {"start": pos, "end": match.end()}
    state.pos = match.end()
    return True
