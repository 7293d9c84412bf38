"""A reader for the simple YAML that nearly all frontmatter is written in, without PyYAML.

Frontmatter is nearly always a few ``key: value`` lines, a block list of aliases or tags, or a flow
list ``[a, "b"]``. :func:`read_simple_yaml` reads exactly that subset, typed as
:mod:`kg.parse.yaml_loader` types it (YAML 1.2's core schema, :data:`CORE_SCHEMA`), and declines
everything else, so that the loader reads it and its values and error messages stay PyYAML's:

- a block mapping of keys at column 0, plain or quoted without escapes, each written once;
- values that are plain scalars, single- or double-quoted scalars on one line without escapes,
  empty values, or flow sequences on one line of such scalars or of flow sequences of them (an
  unquoted link ``[[X]]`` is the list ``[["X"]]`` to YAML);
- under an empty value, a block sequence (``- item`` lines, indented or not) of such values;
- literal block scalars (``|``, ``|-``, ``|+``) whose lines are indented as the first or more;
- blank lines, and comments where YAML allows them (a line of its own, or after whitespace).

Declined: nested mappings, block lists in lists, flow lists three deep, anchors, aliases, tags,
``?`` keys, folded scalars (``>``), plain or quoted scalars on more than one line, escapes,
``{``, a ``:`` or a quote in a plain scalar of a flow list, a ``: `` in any plain scalar, tabs,
characters YAML forbids or reads as line breaks, a key written twice, document markers and
directives, NaN, and a document with no key. A differential test (``tests/test_simple_yaml.py``)
holds the reader to the loader's answers.

This module imports no YAML library and is compiled by mypyc (``setup.py``).
"""

from __future__ import annotations

import re

__all__ = ["CORE_SCHEMA", "core_int", "read_simple_yaml"]

CORE_SCHEMA: tuple[tuple[str, str, list[str]], ...] = (
    ("null", r"~|null|Null|NULL|", ["~", "n", "N", ""]),  # "" : an empty value
    ("bool", r"true|True|TRUE|false|False|FALSE", list("tTfF")),
    ("int", r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+", list("-+0123456789")),
    ("float", r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)",
     list("-+.0123456789")),
    ("merge", r"<<", ["<"]),  # kept from PyYAML: templates use merge keys
)
"""How a plain scalar is typed in YAML 1.2's core schema, which Obsidian's YAML library follows:
``2024-07-21`` stays a string (no timestamps), ``yes``/``on`` too (only ``true``/``false`` are
booleans), and ``012`` is twelve. PyYAML alone reads YAML 1.1. Each row: the type, its pattern and
the first characters a scalar of that type can start with (``""``: the empty scalar), in the order
PyYAML's resolver tries them."""


def core_int(text: str) -> int:
    """An integer of the YAML 1.2 core schema: ``012`` is twelve, ``0o17`` octal, ``0x1F`` hex."""
    digits = text.lstrip("+-")
    sign = -1 if text.startswith("-") else 1
    if digits[:2] in ("0o", "0x"):
        return sign * int(digits[2:], 8 if digits[1] == "o" else 16)
    return sign * int(digits)


def _resolvers() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    """The core schema's patterns by the first character of a scalar, as PyYAML's resolver holds them."""
    table: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for kind, pattern, firsts in CORE_SCHEMA:
        compiled = re.compile(f"^(?:{pattern})$")
        for first in firsts:
            table.setdefault(first, []).append((kind, compiled))
    return table


_RESOLVERS = _resolvers()
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
"""The characters that cannot start a plain scalar (``-`` can, before a character other than space)."""
_FLOW_ODD = frozenset("[]{}:'\"")
"""Characters this reader does not take inside a plain scalar of a flow list."""
_KEY_ODD = frozenset("[]{},")
"""Characters this reader does not take inside a plain key."""
_OUTSIDE = re.compile("[^\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
"""A character YAML forbids (controls, surrogates, tabs here), reads as a line break, or as a byte
order mark: any declines the document."""
_KEY_LIMIT = 1000
"""Longer keys are declined: libyaml refuses a key of more than 1024 characters."""


class _Declined(ValueError):
    """The text is outside the subset this reader takes."""


def read_simple_yaml(lines: list[str], start: int, end: int) -> dict[object, object] | None:
    """The mapping that ``lines[start:end]`` hold, or None when they are not simple YAML.

    Parameters
    ----------
    lines : list[str]
        A note's lines, without line breaks.
    start, end : int
        The frontmatter's lines: ``lines[start:end]``.

    Returns
    -------
    dict or None
        What :func:`kg.parse.yaml_loader.load_yaml` gives for the same lines joined with ``\\n``
        (keys, values and their types), or None when the reader declines the text: it is outside the
        subset, invalid, or has no key.

    Examples
    --------
    >>> read_simple_yaml(["aliases: [AI, 'KI']", "year: 2024", "tags:", "  - ml"], 0, 4)
    {'aliases': ['AI', 'KI'], 'year': 2024, 'tags': ['ml']}
    >>> read_simple_yaml(["a:", "  b: 1"], 0, 2) is None  # a nested mapping: the loader's work
    True
    """
    try:
        mapping = _read_mapping(lines, start, end)
    except ValueError:  # _Declined, or an integer of more digits than Python converts
        return None
    return mapping or None


def _read_mapping(lines: list[str], start: int, end: int) -> dict[object, object]:
    mapping: dict[object, object] = {}
    index = start
    while index < end:
        line = lines[index]
        index += 1
        if _OUTSIDE.search(line) is not None:
            raise _Declined
        if _is_blank_or_comment(line):
            continue
        key, rest = _read_key(line)
        if key in mapping:
            raise _Declined  # the loader refuses a key written twice; its message is the loader's
        text = rest.lstrip(" ")
        if text[:1] == "|":
            mapping[key], index = _literal(lines, index, end, text)
        elif text and text[0] != "#":
            mapping[key] = _value(text)
        else:
            mapping[key], index = _block_list(lines, index, end)
    return mapping


def _literal(lines: list[str], index: int, end: int, head: str) -> tuple[str, int]:
    """The literal block scalar (``|``, ``|-`` or ``|+``) whose lines start at ``lines[index]``, and
    the index of the line after them: the empty and indented lines before the next at column 0."""
    if head.rstrip(" ") not in ("|", "|-", "|+"):
        raise _Declined  # an indentation indicator, a comment, or content after the header
    stop = index
    while stop < end and (not lines[stop] or lines[stop][0] == " "):
        stop += 1
    block = lines[index:stop]
    written = [number for number, line in enumerate(block) if line]
    if not written:
        raise _Declined  # an empty scalar
    margin = len(block[written[0]]) - len(block[written[0]].lstrip(" "))
    for line in block:
        text = line.lstrip(" ")
        if line and (not text or len(line) - len(text) < margin or _OUTSIDE.search(line) is not None):
            raise _Declined  # a line of spaces only (YAML's rules on them are subtle), or less indented
    value = "\n".join(line[margin:] for line in block[: written[-1] + 1])
    breaks = len(block) - written[-1] - (1 if stop == end else 0)  # the document's last line has none
    if head[1:2] == "-":
        return value, stop
    return value + "\n" * (breaks if head[1:2] == "+" else min(breaks, 1)), stop


def _is_blank_or_comment(line: str) -> bool:
    """Whether a line of the mapping holds nothing; indented content there declines."""
    text = line.lstrip(" ")
    if not text or text[0] == "#":
        return True
    if line[0] == " ":
        raise _Declined  # indented content: a nested mapping or a scalar's next line
    return False


def _read_key(line: str) -> tuple[object, str]:
    """A key at the start of ``line`` and the text after its ``:``."""
    first = line[0]
    if line.startswith("..."):
        raise _Declined  # a document's end, or close to one
    if first == '"' or first == "'":
        close = line.find(first, 1)
        if close < 0 or line[close + 1 : close + 2] != ":" or (first == '"' and "\\" in line[1:close]):
            raise _Declined
        key: object = line[1:close]
        colon = close + 1
    else:
        colon = line.find(":")
        if colon <= 0 or first in _INDICATORS or first == " " or line[colon - 1] == " ":
            raise _Declined
        text = line[:colon]
        if " #" in text or not _KEY_ODD.isdisjoint(text):
            raise _Declined
        key = _typed(text)
    if colon > _KEY_LIMIT or (colon + 1 < len(line) and line[colon + 1] != " "):
        raise _Declined
    return key, line[colon + 1 :]


def _block_list(lines: list[str], index: int, end: int) -> tuple[list[object] | None, int]:
    """The block list under an empty value starting at ``lines[index]``, or None when none follows,
    with the index of the line after it."""
    items: list[object] = []
    indent = -1
    after = index
    while index < end:
        line = lines[index]
        if _OUTSIDE.search(line) is not None:
            raise _Declined
        text = line.lstrip(" ")
        if not text or text[0] == "#":
            index += 1
            continue
        margin = len(line) - len(text)
        if indent < 0:
            indent = margin
        if margin != indent or not (text == "-" or text.startswith("- ")):
            break  # the next key; or, indented, what the mapping declines (nested, or indented otherwise)
        item = text[1:].lstrip(" ")
        items.append(_value(item) if item and item[0] != "#" else None)
        index += 1
        after = index
    return (items, after) if items else (None, after)


def _value(text: str) -> object:
    """A value after a key or a list's dash, ``text`` starting after the whitespace before it."""
    return _flow_value(text) if text[0] == "[" else _block_scalar(text)


def _block_scalar(text: str) -> object:
    """A scalar value outside a flow list, ``text`` starting after the whitespace before it."""
    first = text[0]
    if first == '"' or first == "'":
        close = _closing_quote(text)
        _end_of_line(text, close + 1)
        return text[1:close]
    if first in _INDICATORS and not (first == "-" and len(text) > 1 and text[1] != " "):
        raise _Declined
    comment = text.find(" #")
    plain = (text[:comment] if comment >= 0 else text).rstrip(" ")
    if ": " in plain or plain.endswith(":"):
        raise _Declined  # a mapping, or an error
    return _typed(plain)


def _flow_value(text: str) -> list[object]:
    """A flow list closed on its line, ``text`` starting at its ``[``: ``[a, "b"]``, or ``[[X]]``,
    an unquoted link, which YAML reads as a list in a list."""
    items, position = _flow_list(text, 0, True)
    _end_of_line(text, position)
    return items


def _flow_list(text: str, position: int, nest: bool) -> tuple[list[object], int]:
    """The flow list opening at ``text[position]`` (its items lists too if ``nest``), and where it ends."""
    items: list[object] = []
    position += 1
    while True:
        position = _skip_spaces(text, position)
        if position >= len(text):
            raise _Declined  # continued on the next line
        if text[position] == "]" and not items:
            return items, position + 1
        item: object
        if nest and text[position] == "[":
            item, position = _flow_list(text, position, False)
        else:
            item, position = _flow_item(text, position)
        items.append(item)
        position = _skip_spaces(text, position)
        if text[position : position + 1] == "]":
            return items, position + 1
        if text[position : position + 1] != ",":
            raise _Declined
        position += 1


def _flow_item(text: str, position: int) -> tuple[object, int]:
    first = text[position]
    if first == '"' or first == "'":
        close = _closing_quote(text, position)
        return text[position + 1 : close], close + 1
    stop = position
    while stop < len(text) and text[stop] not in ",]":
        stop += 1
    plain = text[position:stop].rstrip(" ")
    if not plain or first in _INDICATORS and not (first == "-" and len(plain) > 1 and plain[1] != " "):
        raise _Declined  # an empty item (YAML refuses one but at the end), or an indicator
    if not _FLOW_ODD.isdisjoint(plain) or " #" in text[position:stop]:
        raise _Declined  # a comment would leave the list unclosed
    return _typed(plain), stop


def _closing_quote(text: str, position: int = 0) -> int:
    """Where the quoted scalar opening at ``text[position]`` closes; escapes and line breaks decline."""
    quote = text[position]
    close = text.find(quote, position + 1)
    if close < 0 or text[close + 1 : close + 2] == quote or (quote == '"' and "\\" in text[position:close]):
        raise _Declined
    return close


def _end_of_line(text: str, position: int) -> None:
    """Nothing but spaces and a comment may follow a value."""
    rest = text[position:]
    if rest and rest[0] != " " or rest.lstrip(" ")[:1] not in ("", "#"):
        raise _Declined


def _skip_spaces(text: str, position: int) -> int:
    while position < len(text) and text[position] == " ":
        position += 1
    return position


def _typed(text: str) -> object:
    """A plain scalar as the core schema types it; a NaN or a merge key declines."""
    resolvers = _RESOLVERS.get(text[:1])
    if resolvers is not None:
        for kind, pattern in resolvers:
            if pattern.match(text):
                return _construct(kind, text)
    return text


def _construct(kind: str, text: str) -> object:
    if kind == "null":
        return None
    if kind == "bool":
        return text.lower() == "true"
    if kind == "int":
        return core_int(text)  # a ValueError (more digits than Python converts) declines
    if kind == "float":
        return _core_float(text)
    raise _Declined  # the merge key


def _core_float(text: str) -> float:
    """A float as PyYAML's safe constructor builds it, the sign applied to the magnitude."""
    value = text.lower()
    sign = -1.0 if value[0] == "-" else 1.0
    if value[0] in "+-":
        value = value[1:]
    if value == ".nan":
        raise _Declined  # NaN equals nothing: left to the loader, and rare in frontmatter
    if value == ".inf":
        return sign * float("inf")
    return sign * float(value)
