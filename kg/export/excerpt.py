"""A note's opening lines as a reader sees them: Markdown rendered to plain text.

The map's info panel shows what a note says, not its source: no frontmatter, no ``%% comments %%``
or HTML comments, no badge images or embeds, links shown as their text, no emphasis marks, list
markers, heading hashes, callout markers, block ids or code fences, no HTML tags.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING

from kg.cache import is_racy
from kg.confine import NoteReader

if TYPE_CHECKING:
    from kg.cache import Cache
    from kg.model import Note
    from kg.vault import Vault

__all__ = ["EXCERPT_CHARS", "EXCERPT_LINES", "excerpt", "excerpts", "plain_text"]

EXCERPT_LINES = 4
EXCERPT_CHARS = 320
READ_CHARS = 4000
"""How much of a body the excerpt is looked for in."""
LINE_CHARS = 2 * EXCERPT_CHARS
"""How much of one line is rendered: no excerpt shows more, and it bounds the patterns' work."""

_TOKEN = re.compile(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]|%%|<!--")
"""A line break (any that :meth:`str.splitlines` breaks at) or the opening of a comment."""
_CLOSING = {"%%": "%%", "<!--": "-->"}
_FENCE = re.compile(r"^\s*(?:```|~~~)")
_Replacement = str | Callable[[re.Match[str]], str]
_INLINE: list[tuple[str, re.Pattern[str], _Replacement]] = [  # (a character the syntax needs, its pattern, what it becomes)
    ("!", re.compile(r"!\[\[[^\]]*\]\]"), ""),                          # embeds
    ("!", re.compile(r"\[!\[[^\]]*\]\([^)]*\)\]\([^)]*\)"), ""),        # linked badges
    ("!", re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),                     # images
    ("[", re.compile(r"\[\[([^\[\]|#^]*)(?:[#^][^\[\]|]*)?\|([^\[\]]*)\]\]"), r"\2"),  # [[target|shown]]
    ("[", re.compile(r"\[\[([^\[\]|#^]*)#?\^?([^\[\]|]*)\]\]"), lambda m: m[1] or m[2]),  # [[target#heading]]
    ("]", re.compile(r"\[([^\[\]]*)\]\([^)]*\)"), r"\1"),                 # [text](url)
    ("<", re.compile(r"</?[A-Za-z][^>]*>"), ""),                        # HTML tags
    ("`", re.compile(r"`([^`]*)`"), r"\1"),                             # inline code
    ("**", re.compile(r"(\*\*)(?=\S)(.+?)(?<=\S)\*\*"), r"\2"),         # strong
    ("__", re.compile(r"(__)(?=\S)(.+?)(?<=\S)__"), r"\2"),
    ("~~", re.compile(r"(~~)(?=\S)(.+?)(?<=\S)~~"), r"\2"),               # strike
    ("==", re.compile(r"(==)(?=\S)(.+?)(?<=\S)=="), r"\2"),               # highlight
    ("*", re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])"), r"\1"),  # emphasis
    ("_", re.compile(r"(?<![\w_])_(?=\S)([^_]+?)(?<=\S)_(?![\w_])"), r"\1"),
    ("^", re.compile(r"\s\^[A-Za-z0-9-]+\s*$"), ""),                    # block ids
]
_LINE_START = re.compile(r"^\s*(?:>\s*)*(?:\[![^\]]*\][+-]?\s*)?(?:#{1,6}\s+|[-*+]\s+(?:\[.\]\s+)?|\d+[.)]\s+)?")
_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$|^\s*\|?[\s:|-]+\|[\s:|-]*$")


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` once its comments are left out (``%% %%``, ``<!-- -->``, one left
    open runs to the end), split as :meth:`str.splitlines` splits them (but for an empty line
    more where a comment stood between ``\\r`` and ``\\n``); the text is read only as far as the
    lines asked for."""
    pieces: list[str] = []
    start = 0
    while (token := _TOKEN.search(text, start)) is not None:
        pieces.append(text[start:token.start()])
        closing = _CLOSING.get(token.group())
        if closing is None:  # a line break
            yield "".join(pieces)
            pieces, start = [], token.end()
            continue
        end = text.find(closing, token.end())
        start = len(text) if end < 0 else end + len(closing)
    rest = "".join(pieces) + text[start:]
    if rest:
        yield rest


def _render(line: str) -> str:
    """One line of Markdown (its first :data:`LINE_CHARS`) as plain text; "" for a fence or a rule."""
    line = line[:LINE_CHARS]
    if _FENCE.match(line) or _RULE.match(line):
        return ""
    line = _LINE_START.sub("", line, count=1)
    for needed, pattern, repl in _INLINE:
        if needed in line:
            line = pattern.sub(repl, line)
    return " ".join(line.replace("|", " ").split())


def plain_text(markdown: str) -> Iterator[str]:
    """The non-blank lines of a Markdown body, rendered to plain text, one by one.

    >>> list(plain_text("%% draft %%\\n# Title [![ci](https://x/b.svg)](https://x)\\n- see [[A|the a]] and **[docs](u)** ^id"))
    ['Title', 'see the a and docs']
    """
    for line in _lines(markdown):
        if line and not line.isspace():  # a blank line renders to nothing
            line = _render(line)
            if line:
                yield line


def _opening(body: str, lines: int, chars: int) -> str:
    """The first ``lines`` lines of ``body`` as plain text, cut to ``chars`` characters."""
    taken: list[str] = []
    size = -1
    for line in islice(plain_text(body), lines):
        taken.append(line)
        size += len(line) + 1
        if size > chars:  # long enough to be cut: the lines after it would be cut off
            break
    out = "\n".join(taken)
    return out if len(out) <= chars else out[: chars - 1].rstrip() + "…"


def _note_excerpt(reader: NoteReader, path: str, note: Note | None, lines: int, chars: int) -> str:
    if note is None:  # canvases and attachments have no excerpt
        return ""
    text = reader.text(path)
    if not text:
        return ""
    return _opening("\n".join(text.splitlines()[note.body_line - 1:])[:READ_CHARS], lines, chars)


def excerpts(vault: Vault, paths: Iterable[str], lines: int = EXCERPT_LINES, chars: int = EXCERPT_CHARS,
             cache: Cache | None = None) -> dict[str, str]:
    """:func:`excerpt` of each of ``paths``, the files read in one pass (see :class:`~kg.confine.NoteReader`).

    With a ``cache``, an excerpt is remembered with the size and mtime of its note's file, and
    taken from the cache while both match (a file that is a symlink is read every time); the
    cache is left to be saved.
    """
    reader = NoteReader(vault)
    if cache is None:
        return {path: _note_excerpt(reader, path, vault.notes.get(path), lines, chars) for path in paths}
    kind = f"excerpt:{lines}:{chars}"
    known = cache.derived(kind)
    kept = {path: entry for path, entry in known.items() if path in vault.notes}  # notes gone are forgotten
    out = {}
    for path in paths:
        stat = reader.stat(path)  # before reading: a change after it makes the next run's stat differ
        entry = known.get(path)
        if stat is not None and entry is not None and entry[:2] == stat and isinstance(entry[2], str):
            out[path] = entry[2]
            continue
        out[path] = _note_excerpt(reader, path, vault.notes.get(path), lines, chars)
        kept.pop(path, None)
        if stat is not None and not is_racy(stat[1]):
            kept[path] = (*stat, out[path])
    cache.store_derived(kind, kept)
    return out


def excerpt(vault: Vault, path: str, lines: int = EXCERPT_LINES, chars: int = EXCERPT_CHARS) -> str:
    """The first ``lines`` lines of a note's body (after its frontmatter) as plain text; "" if unread.

    Only files inside the vault are read; a vault built in memory gives "".
    """
    return excerpts(vault, [path], lines, chars)[path]
