"""A note's opening lines as a reader sees them: Markdown rendered to plain text.

The map's info panel shows what a note says, not its source: no frontmatter, no ``%% comments %%``
or HTML comments, no badge images or embeds, links shown as their text, no emphasis marks, list
markers, heading hashes, callout markers, block ids or code fences, no HTML tags.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice
from typing import TYPE_CHECKING

from kg.confine import note_text

if TYPE_CHECKING:
    from kg.vault import Vault

__all__ = ["EXCERPT_CHARS", "EXCERPT_LINES", "excerpt", "plain_text"]

EXCERPT_LINES = 4
EXCERPT_CHARS = 320
READ_CHARS = 4000
"""How much of a body the excerpt is looked for in."""
LINE_CHARS = 2 * EXCERPT_CHARS
"""How much of one line is rendered: no excerpt shows more, and it bounds the patterns' work."""

_COMMENTS = re.compile(r"%%.*?(?:%%|\Z)|<!--.*?(?:-->|\Z)", re.S)
_FENCE = re.compile(r"^\s*(?:```|~~~)")
_INLINE = [  # (a character the syntax needs, its pattern, what it becomes)
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


def plain_text(markdown: str) -> Iterator[str]:
    """The non-blank lines of a Markdown body, rendered to plain text, one by one.

    >>> list(plain_text("%% draft %%\\n# Title [![ci](https://x/b.svg)](https://x)\\n- see [[A|the a]] and **[docs](u)** ^id"))
    ['Title', 'see the a and docs']
    """
    text = _COMMENTS.sub("", markdown) if "%%" in markdown or "<!--" in markdown else markdown
    for line in text.splitlines():
        line = line[:LINE_CHARS]
        if _FENCE.match(line) or _RULE.match(line):
            continue
        line = _LINE_START.sub("", line, count=1)
        for needed, pattern, repl in _INLINE:
            if needed in line:
                line = pattern.sub(repl, line)
        line = " ".join(line.replace("|", " ").split())
        if line:
            yield line


def excerpt(vault: Vault, path: str, lines: int = EXCERPT_LINES, chars: int = EXCERPT_CHARS) -> str:
    """The first ``lines`` lines of a note's body (after its frontmatter) as plain text; "" if unread.

    Only files inside the vault are read; a vault built in memory gives "".
    """
    text = note_text(vault, path) if path in vault.notes else None  # canvases and attachments have none
    if not text:
        return ""
    body = "\n".join(text.splitlines()[vault.notes[path].body_line - 1:])[:READ_CHARS]
    out = "\n".join(islice(plain_text(body), lines))
    return out if len(out) <= chars else out[: chars - 1].rstrip() + "…"
