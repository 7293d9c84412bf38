"""kg against Obsidian itself: what Obsidian 1.9 recorded for 89 real notes (``tests/data/obsidian-recorded-cache/``).

Each JSON holds a note's text (``fileContents``) and the metadata Obsidian's cache recorded for it
(``cachedMetadata``). kg parses the text with :func:`kg.parse_note`; for each category (links,
embeds, frontmatter links, headings, block ids, tags) its reading must equal Obsidian's, positions
included. One test per note and category, so that a failure names both.

Positions: Obsidian's are 0-based ``line``/``col``/``offset``, with columns and offsets counted in
UTF-16 code units (JavaScript strings); kg's are 1-based lines and columns counted in characters.
The helpers below convert kg's into Obsidian's. (No recorded note has a character outside the BMP
before a recorded position, so the UTF-16 conversion is not exercised by this data; see
``test_utf16_positions`` for it.)

What kg records and Obsidian records differently on purpose is listed in :data:`INTENTIONAL` and
applied to Obsidian's side, each with its reason. Nothing else may differ.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA
from kg import parse_note
from kg.model import Link, LinkKind, Note, Span

CACHE = DATA / "obsidian-recorded-cache"
NOTES = sorted(CACHE.glob("*.json"))
CATEGORIES = ("links", "embeds", "frontmatterLinks", "headings", "blocks", "tags")

Record = dict[str, Any]
_NEWLINE = re.compile(r"\r\n?|\n")
_LIST_INDEX = re.compile(r"\.\d+(?=\.|$)")


# --------------------------------------------------------------------------------------------
# Positions


class _Offsets:
    """Obsidian's position of a kg (1-based line, 1-based character column) in one text."""

    def __init__(self, text: str):
        self.lines: list[str] = _NEWLINE.split(text)
        self.starts: list[int] = [0]
        at = 0
        for line, newline in zip(self.lines, _NEWLINE.findall(text)):
            at += _utf16(line) + len(newline)
            self.starts.append(at)

    def point(self, line: int, col: int) -> Record:
        col16 = _utf16(self.lines[line - 1][: col - 1])
        return {"line": line - 1, "col": col16, "offset": self.starts[line - 1] + col16}

    def position(self, span: Span) -> Record:
        return {"start": self.point(span.line, span.col), "end": self.point(span.end_line, span.end_col)}


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_utf16_positions() -> None:
    # "😀" is two UTF-16 code units in JavaScript: Obsidian's columns and offsets count both
    offsets = _Offsets("a\r\n😀 [[X]]\n")
    assert offsets.position(Span(2, 3, 2, 8)) == {
        "start": {"line": 1, "col": 3, "offset": 6},
        "end": {"line": 1, "col": 8, "offset": 11},
    }


# --------------------------------------------------------------------------------------------
# kg's reading, in Obsidian's terms


def _linkpath(link: Link) -> str:
    """Obsidian's ``link``: the linkpath and the subpath, as written between the brackets."""
    return link.target if link.subpath is None else f"{link.target}#{link.subpath}"


def _display(link: Link) -> str:
    """Obsidian's ``displayText``: the explicit text, or the linkpath with each ``#`` shown as `` > ``."""
    if link.display is not None:
        return link.display
    parts = [link.target] if link.target else []
    if link.subpath is not None:
        parts += link.subpath.split("#")
    return " > ".join(parts)


def _link_records(note: Note, offsets: _Offsets, embeds: bool) -> list[Record]:
    kinds = (LinkKind.EMBED, LinkKind.MARKDOWN_EMBED) if embeds else (LinkKind.WIKILINK, LinkKind.MARKDOWN)
    return [
        {"link": _linkpath(link), "original": link.raw, "displayText": _display(link),
         "position": offsets.position(link.span)}
        for link in note.links
        if link.kind in kinds
    ]


def _kg_links(note: Note, offsets: _Offsets) -> list[Record]:
    return _link_records(note, offsets, embeds=False)


def _kg_embeds(note: Note, offsets: _Offsets) -> list[Record]:
    return _link_records(note, offsets, embeds=True)


def _kg_frontmatter_links(note: Note, offsets: _Offsets) -> list[Record]:
    return [
        {"key": link.key, "link": _linkpath(link), "original": link.raw, "displayText": _display(link)}
        for link in note.links
        if link.kind is LinkKind.FRONTMATTER
    ]


def _kg_headings(note: Note, offsets: _Offsets) -> list[Record]:
    # kg records the line of a heading, not its span
    return [{"heading": h.text, "level": h.level, "line": h.line - 1} for h in note.headings]


def _kg_blocks(note: Note, offsets: _Offsets) -> list[Record]:
    # kg records the line of the ^id (the last line of Obsidian's block), not the block's span
    return [{"id": block.id, "line": block.line - 1} for block in note.blocks]


def _kg_tags(note: Note, offsets: _Offsets) -> list[Record]:
    return [
        {"tag": offsets.lines[span.line - 1][span.col - 1 : span.end_col - 1], "position": offsets.position(span)}
        for span in note.tag_spans
    ]


KG: dict[str, Callable[[Note, _Offsets], list[Record]]] = {
    "links": _kg_links,
    "embeds": _kg_embeds,
    "frontmatterLinks": _kg_frontmatter_links,
    "headings": _kg_headings,
    "blocks": _kg_blocks,
    "tags": _kg_tags,
}


# --------------------------------------------------------------------------------------------
# Obsidian's recording, and what kg reads differently on purpose


def _obsidian(category: str, cached: Record) -> list[Record]:
    value = cached.get(category) or []
    if category == "headings":
        return [{"heading": h["heading"], "level": h["level"], "line": h["position"]["start"]["line"]} for h in value]
    if category == "blocks":
        # a mapping from the id to its record
        return [{"id": b["id"], "line": b["position"]["end"]["line"]} for b in dict(value).values()]
    if category == "tags":
        return [{"tag": t["tag"], "position": t["position"]} for t in value]
    return list(value)


def _collapse_list_keys(records: list[Record], text: str) -> list[Record]:
    """A link in a frontmatter list is recorded under ``key.N``; kg names the property, ``key``
    (spec B10, F3): the hierarchy relation and every finding are about the property."""
    return [{**record, "key": _LIST_INDEX.sub("", record["key"])} for record in records]


def _drop_escaped_tags(records: list[Record], text: str) -> list[Record]:
    """Obsidian reads a tag right after a backslash escape (``\\[\\[#Escaped Links\\]\\]``);
    kg does not (spec E1): a ``#`` right after an escaped character is that text's, and the
    same text with the escapes removed, ``[[#Escaped Links]]``, holds no tag either."""
    return [record for record in records if not _after_escape(text, record["position"]["start"]["offset"])]


def _after_escape(text: str, offset: int) -> bool:
    """Whether the character before ``offset`` is escaped by a backslash."""
    return offset >= 2 and text[offset - 2] == "\\"


INTENTIONAL: dict[str, Callable[[list[Record], str], list[Record]]] = {
    "frontmatterLinks": _collapse_list_keys,
    "tags": _drop_escaped_tags,
}


# --------------------------------------------------------------------------------------------
# The test


def _load(path: Path) -> Record:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("category", CATEGORIES)
@pytest.mark.parametrize("path", NOTES, ids=[p.stem for p in NOTES])
def test_kg_reads_what_obsidian_recorded(path: Path, category: str) -> None:
    recorded = _load(path)
    text = recorded["fileContents"]
    expected = _obsidian(category, recorded["cachedMetadata"])
    if category in INTENTIONAL:
        expected = INTENTIONAL[category](expected, text)
    note = parse_note(text, recorded["filePath"])
    assert KG[category](note, _Offsets(text.removeprefix("\ufeff"))) == expected


def test_the_recorded_notes_are_all_there() -> None:
    assert len(NOTES) == 89
    assert (CACHE / "LICENSE").is_file()


@pytest.mark.parametrize("category", sorted(INTENTIONAL))
def test_each_intentional_difference_is_still_needed(category: str) -> None:
    # a difference that changes no recorded note is no longer a difference: remove it
    changed = 0
    for path in NOTES:
        recorded = _load(path)
        expected = _obsidian(category, recorded["cachedMetadata"])
        changed += INTENTIONAL[category](expected, recorded["fileContents"]) != expected
    assert changed > 0
