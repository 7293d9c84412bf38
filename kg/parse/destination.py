"""Markdown link destinations as Obsidian reads them: which are internal, and how they are decoded (spec B9)."""

from __future__ import annotations

import re

__all__ = ["decode_uri", "internal_destination"]

_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_RESERVED = frozenset(";/?:@&=+$,#")
"""What JavaScript's ``decodeURI`` leaves encoded: an escape of one of these stays as written."""


def decode_uri(text: str) -> str | None:
    """JavaScript's ``decodeURI``: the text with its percent escapes decoded, or None where
    ``decodeURI`` throws (a ``%`` without two hex digits, or escapes that are no UTF-8).

    The escapes of ``; / ? : @ & = + $ , #`` stay as written, so a ``%23`` never becomes a subpath
    and a ``%2F`` never a folder.

    >>> decode_uri("My%20Note.md"), decode_uri("C%23.md"), decode_uri("Folder%2fNote.md")
    ('My Note.md', 'C%23.md', 'Folder%2fNote.md')
    >>> decode_uri("caf%C3%A9"), decode_uri("100%.md"), decode_uri("%C3"), decode_uri("%FF")
    ('café', None, None, None)
    """
    if "%" not in text:
        return text
    if text.count("%") != len(_ESCAPE.findall(text)):
        return None
    try:
        return _ESCAPES.sub(_decode_run, text)
    except UnicodeDecodeError:
        return None


def _decode_run(match: re.Match[str]) -> str:
    """One run of escapes: each UTF-8 sequence decoded, a reserved character's escape kept."""
    run = match.group()
    data = bytes.fromhex(run.replace("%", ""))
    out: list[str] = []
    at = 0
    while at < len(data):
        lead = data[at]
        size = 1 if lead < 0x80 else 2 if 0xC0 <= lead < 0xE0 else 3 if 0xE0 <= lead < 0xF0 else 4
        char = data[at : at + size].decode("utf-8")  # strict: raises where decodeURI throws
        out.append(run[3 * at : 3 * (at + size)] if char in _RESERVED else char)
        at += size
    return "".join(out)


def internal_destination(destination: str, image: bool = False) -> str | None:
    """What a Markdown link or image with this destination links to inside the vault, or None when
    Obsidian reads it as external.

    A destination is internal when it starts with ``./`` or ``../`` or holds no ``:`` at all; it is
    then decoded with :func:`decode_uri`. One whose escapes do not decode is external, but for an
    image, which keeps its text as written. A no-break space is a space, and the result is trimmed.

    >>> internal_destination("Notes%2010:30.md"), internal_destination("./a:b.md"), internal_destination("100%.md")
    (None, './a:b.md', None)
    >>> internal_destination("100%.png", image=True), internal_destination("My%20Note.md#Part%201")
    ('100%.png', 'My Note.md#Part 1')
    """
    if ":" in destination and not destination.startswith(("./", "../")):
        return None
    decoded = decode_uri(destination)
    if decoded is None:
        if not image:
            return None
        decoded = destination
    return decoded.replace("\xa0", " ").strip()
