"""Hierarchy fields written in the body: Dataview inline fields and plain ``up: [[X]]`` lines.

Forms (spec G1 and product decision 2)::

    up:: [[A]], [[B]]           a full-line Dataview field
    text [up:: [[A]]] text      a bracketed field, anywhere in a line
    text (next:: [[B]]) text    a parenthesised field
    up: [[A]]                   a line holding only a field name, ':' and wiki-links
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Mapping
from dataclasses import replace

from kg.config import Config
from kg.model import Link, LinkKind, Problem, Span

__all__ = ["read_fields"]

_PREFIX = re.compile(r"^[ \t]*(?:>[ \t]?)*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[.\][ \t]+)?)?")
_FULL = re.compile(r"(?P<key>[^\[\]()`:\n]+?)(?P<sep>::?)[ \t]*(?P<value>.*)$")
_INLINE = re.compile(r"[\[(](?P<key>[^\[\]()`:\n]+?)::")
_CLOSE = {"[": "]", "(": ")"}


def read_fields(
    lines: list[str],
    start: int,
    links: list[Link],
    skip_lines: Collection[int],
    code_spans: Mapping[int, list[tuple[int, int]]],
    config: Config,
) -> tuple[list[Link], list[Problem]]:
    """Give body wiki-links that declare a hierarchy field their relation; report empty fields."""
    by_line: dict[int, list[int]] = {}
    for index, link in enumerate(links):
        if link.kind is LinkKind.WIKILINK:
            by_line.setdefault(link.span.line - 1, []).append(index)
    result, problems = list(links), []
    for line in range(start, len(lines)):
        text = lines[line]
        if ":" not in text or line in skip_lines or ("::" not in text and line not in by_line):
            continue  # every field form has a colon: most lines are passed over here
        here = by_line.get(line, [])  # in source order, so sorted by column
        columns = [result[i].span.col - 1 for i in here]
        reader = _LineFields(lines[line], line, [result[i] for i in here], code_spans.get(line, []))
        for (first, last), key, relation in reader.fields(config):
            chosen = here[bisect_left(columns, first) : bisect_left(columns, last)]
            for i in chosen:
                result[i] = replace(result[i], key=key, relation=relation)
            value = lines[line][first:last].strip()
            if not chosen and value:
                span = Span(line + 1, first + 1, line + 1, last + 1)
                problems.append(Problem("invalid-field-value", f"field '{key}' holds '{value}', which is not a link", span))
    return result, problems


class _LineFields:
    """The hierarchy fields declared on one line, as ``((value start, value end), key, relation)``."""

    def __init__(self, text: str, line: int, links: list[Link], code: list[tuple[int, int]]):
        self.text, self.line, self.links = text, line, links
        # links and code spans do not overlap one another: sorted by start, a bisection finds the
        # one a column may fall in, so a line of thousands of fields stays linear
        self.regions = sorted([(l.span.col - 1, l.span.end_col - 1) for l in links] + list(code))
        self.starts = [begin for begin, _ in self.regions]

    def _covered(self, column: int) -> bool:
        index = bisect_right(self.starts, column)
        return any(column < end for _, end in self.regions[max(0, index - 2) : index])

    def fields(self, config: Config) -> list[tuple[tuple[int, int], str, str]]:
        full = self._full_line(config)
        return [full] if full else self._inline(config)

    def _full_line(self, config: Config) -> tuple[tuple[int, int], str, str] | None:
        prefix = _PREFIX.match(self.text)
        offset = prefix.end() if prefix else 0
        match = _FULL.match(self.text, offset)
        if match is None or self._covered(match.start("sep")):
            return None
        key = match.group("key").strip()
        relation = config.relation(key)
        if relation is None:
            return None
        value = (match.start("value"), len(self.text))
        if match.group("sep") == ":" and not self._only_links(*value):
            return None
        return value, key.strip("*_ "), relation

    def _only_links(self, first: int, last: int) -> bool:
        inside = [l for l in self.links if first <= l.span.col - 1 < last]
        rest = list(self.text[first:last])
        for link in inside:
            rest[link.span.col - 1 - first : link.span.end_col - 1 - first] = " " * len(link.raw)
        return bool(inside) and not "".join(rest).replace(",", " ").strip()

    def _inline(self, config: Config) -> list[tuple[tuple[int, int], str, str]]:
        found = []
        for match in _INLINE.finditer(self.text):
            if self._covered(match.start()):
                continue
            relation = config.relation(match.group("key"))
            close = self._closing(match.start(), match.end())
            if relation is not None and close is not None:
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
