"""Text that kg writes out: always encodable as UTF-8.

Python spells each byte of a file name that is not UTF-8 as a lone surrogate (``caf\\udce9.md`` for the
Latin-1 name ``caf\\xe9.md``), and YAML's ``"\\ud800"`` escape makes one too. A lone surrogate cannot be
encoded, so an output holding one would stop kg with a ``UnicodeEncodeError`` halfway through.
"""

from __future__ import annotations

import re

__all__ = ["escape_controls", "escape_surrogates", "mask_controls", "printable"]

_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def printable(text: str) -> str:
    """``text`` with every lone surrogate replaced by U+FFFD, as a terminal shows such a name.

    >>> printable("names/caf\\udce9.md")
    'names/caf\\ufffd.md'
    """
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def escape_surrogates(json_text: str) -> str:
    """JSON text with every lone surrogate written as a ``\\udcff``-style escape: valid UTF-8, and
    ``json.loads`` gives the very same string back (so a name that is not UTF-8 round-trips).

    >>> import json
    >>> text = escape_surrogates(json.dumps(["caf\\udce9"], ensure_ascii=False))
    >>> text, json.loads(text) == ["caf\\udce9"]
    ('["caf\\\\udce9"]', True)
    """
    return _SURROGATE.sub(lambda match: f"\\u{ord(match.group(0)):04x}", json_text)


def escape_controls(text: str) -> str:
    """``text`` on one line and inert on a terminal: each control character (a line break in a file
    name, an ANSI escape in a link) written as a backslash escape.

    >>> print(escape_controls("new\\nline.md \\x1b[2J"))
    new\\nline.md \\x1b[2J
    """
    return _CONTROL.sub(_escape, text) if _CONTROL.search(text) else text


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def mask_controls(text: str) -> str:
    """``text`` with each control character replaced by U+FFFD, one for one, so that a caret drawn
    under the line still points at the right column.

    >>> mask_controls("a\\x1b[2Jb")
    'a\ufffd[2Jb'
    """
    return _CONTROL.sub("\ufffd", text) if _CONTROL.search(text) else text
