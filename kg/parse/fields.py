"""Hierarchy fields written in the body: Dataview inline fields and plain ``up: [[X]]`` lines.

Forms (spec G1 and product decision 2)::

    up:: [[A]], [[B]]           a full-line Dataview field
    text [up:: [[A]]] text      a bracketed field, anywhere in a line
    text (next:: [[B]]) text    a parenthesised field
    up: [[A]]                   a line holding only a field name, ':' and wiki-links

A field declares edges only when its value is wiki-links alone, separated by commas (spec G3):
``up:: [[P]] and text``, ``up:: "[[P]]"`` or ``[up:: [[P]] (draft)]`` is ``invalid-field-value``,
and its ``[[P]]`` stays an ordinary link. A ``key: ...`` line with more than links is prose.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Mapping
from functools import lru_cache

from kg.config import Config, field_key
from kg.model import Link, LinkKind, Problem, Span

__all__ = ["read_fields", "relation_of"]

_PREFIX = re.compile(r"^[ \t]*(?:>[ \t]?)*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[.\][ \t]+)?)?")
# A key holds no colon, so it runs to the first one: a greedy run finds it in one step (and, when
# no colon follows, gives back characters that are none), where a lazy one tries the separator
# after every character (1.7 µs on a line of prose, 0.4 µs).
_FULL = re.compile(r"(?P<key>[^\[\]()`:\n]+)(?P<sep>::?)[ \t]*(?P<value>.*)$")
_INLINE = re.compile(r"[\[(](?P<key>[^\[\]()`:\n]+)::")
_CLOSE = {"[": "]", "(": ")"}
_WIKILINK = LinkKind.WIKILINK
_KEPT_ASCII = {code: None for code in range(128) if chr(code).isalnum() or chr(code) in "_-" or chr(code).isspace()}
"""The ASCII characters :func:`~kg.config.field_key` keeps (as one character each), for deletion."""


def relation_of(config: Config, name: str) -> str | None:
    """:meth:`Config.relation <kg.config.Config.relation>`, cheaper: ``fields.get(field_key(name))``.

    Short names (property keys: ``up``, ``tags``) repeat from note to note, so their sanitised
    form is remembered. What stands before a colon in the body is most often a sentence
    ("... Background: [x](y)"), which :func:`~kg.config.field_key` would walk in Python: its
    result has at least one character for each ASCII letter, digit, space, ``_`` or ``-`` of the
    stripped name, so a name with more of them than the longest configured field name has no
    relation, and counting them is one ``translate``.
    """
    if len(name) > 32:
        stripped = name.strip()
        if len(stripped) - len(stripped.translate(_KEPT_ASCII)) > max(map(len, config.fields), default=0):
            return None
    return config.fields.get(_field_key(name))


_field_key = lru_cache(maxsize=4096)(field_key)


def read_fields(
    lines: list[str],
    start: int,
    links: list[Link],
    skip_lines: Collection[int],
    code_spans: Mapping[int, list[tuple[int, int]]],
    config: Config,
) -> tuple[list[Link], list[Problem]]:
    """Give body wiki-links that declare a hierarchy field their relation; report empty fields.

    The links are the parser's own, made for this note and not yet given out: those of a field
    get their key and relation in place (a copy of each would cost more than the rest of this)."""
    result = list(links)
    problems: list[Problem] = []
    # every field form has a colon: most lines are passed over here
    colons = [line for line in range(start, len(lines)) if ":" in lines[line] and line not in skip_lines]
    if not colons:
        return result, problems
    by_line: dict[int, list[int]] = {}  # line -> its wiki-links
    for index, link in enumerate(links):
        if link.kind is _WIKILINK:
            by_line.setdefault(link.span.line - 1, []).append(index)
    for line in colons:
        text = lines[line]
        if "::" not in text and (line not in by_line or _full_line_relation(text, config) is None):
            continue  # no field (only a ``key:: value`` one can hold no link), or prose with a colon
        here = by_line.get(line, [])  # in source order, so sorted by column
        columns = [result[i].span.col - 1 for i in here]
        reader = _LineFields(lines[line], line, [result[i] for i in here], code_spans.get(line, []))
        for (first, last), key, relation in reader.fields(config):
            if reader.only_links(first, last):
                for i in here[bisect_left(columns, first) : bisect_left(columns, last)]:
                    result[i].key, result[i].relation = key, relation
            elif lines[line][first:last].strip():
                problems.append(_invalid(key, lines[line], line, first, last))
    return result, problems


def _full_line_relation(text: str, config: Config) -> str | None:
    """The relation of the key a line begins with, as :meth:`_LineFields._full_line` reads it: a
    line whose key names none declares no field but bracketed ones, which need ``::``."""
    match = _full_match(text)
    return relation_of(config, match.group("key").strip()) if match else None


def _full_match(text: str) -> re.Match[str] | None:
    """``key: value`` or ``key:: value`` after a line's quote, list or task prefix."""
    prefix = _PREFIX.match(text)
    return _FULL.match(text, prefix.end() if prefix else 0)


def _invalid(key: str, text: str, line: int, first: int, last: int) -> Problem:
    """A field whose value is not wiki-links alone: Dataview keeps it as a string, Breadcrumbs
    adds no edge (spec G3), and the links in it stay ordinary links."""
    value = text[first:last].strip()
    what = "which is not a link" if "[[" not in value else "which is not wiki-links alone"
    span = Span(line + 1, first + 1, line + 1, last + 1)
    return Problem("invalid-field-value", f"field '{key}' holds '{value}', {what}", span)


class _LineFields:
    """The hierarchy fields declared on one line, as ``((value start, value end), key, relation)``."""

    def __init__(self, text: str, line: int, links: list[Link], code: list[tuple[int, int]]):
        self.text, self.line, self.links, self.code = text, line, links, code
        self.regions: list[tuple[int, int]] | None = None
        self.starts: list[int] = []
        self.link_starts: list[int] | None = None

    def _covered(self, column: int) -> bool:
        if self.regions is None:
            # links and code spans do not overlap one another: sorted by start, a bisection finds
            # the one a column may fall in, so a line of thousands of fields stays linear. Built
            # on the first question only: most lines with a colon declare no field.
            self.regions = sorted([(l.span.col - 1, l.span.end_col - 1) for l in self.links] + list(self.code))
            self.starts = [begin for begin, _ in self.regions]
        index = bisect_right(self.starts, column)
        return any(column < end for _, end in self.regions[max(0, index - 2) : index])

    def fields(self, config: Config) -> list[tuple[tuple[int, int], str, str]]:
        full = self._full_line(config)
        return [full] if full else self._inline(config)

    def _full_line(self, config: Config) -> tuple[tuple[int, int], str, str] | None:
        match = _full_match(self.text)
        if match is None:
            return None
        key = match.group("key").strip()
        relation = relation_of(config, key)
        if relation is None or self._covered(match.start("sep")):
            return None
        value = (match.start("value"), len(self.text))
        if match.group("sep") == ":" and not self.only_links(*value):
            return None  # prose with a colon, not a field (product decision 2)
        return value, key.strip("*_ "), relation

    def only_links(self, first: int, last: int) -> bool:
        """Whether the text between the columns is one or more wiki-links and commas, nothing else."""
        if self.link_starts is None:  # the links come in source order: a bisection finds those inside
            self.link_starts = [link.span.col - 1 for link in self.links]
        inside = self.links[bisect_left(self.link_starts, first) : bisect_left(self.link_starts, last)]
        rest = list(self.text[first:last])
        for link in inside:
            rest[link.span.col - 1 - first : link.span.end_col - 1 - first] = " " * len(link.raw)
        return bool(inside) and not "".join(rest).replace(",", " ").strip()

    def _inline(self, config: Config) -> list[tuple[tuple[int, int], str, str]]:
        found: list[tuple[tuple[int, int], str, str]] = []
        if "::" not in self.text:
            return found
        for match in _INLINE.finditer(self.text):
            relation = relation_of(config, match.group("key"))
            if relation is None or self._covered(match.start()):
                continue
            close = self._closing(match.start(), match.end())
            if close is not None:
                found.append(((match.end(), close), match.group("key").strip(), relation))
        return found

    def _closing(self, opener: int, start: int) -> int | None:
        open_ch = self.text[opener]
        depth = 0
        for column in range(start, len(self.text)):
            ch = self.text[column]
            if ch == open_ch:
                depth += 1
            elif ch == _CLOSE[open_ch]:
                if depth == 0:
                    return column
                depth -= 1
        return None
