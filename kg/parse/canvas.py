"""Canvas files (JSON Canvas 1.0): the text of one ``.canvas`` file in, a :class:`~kg.model.Canvas` out.

A canvas refers to vault files in three places: a file node's ``file`` (with an optional
``subpath`` such as ``#Heading``), a group node's ``background`` image, and the links inside a text
node's Markdown, read by the note parser. Each becomes a :class:`~kg.model.CanvasLink` that knows its
node and where it stands in the file, so that a writer can rewrite it exactly. A file that is not
JSON, or not the shape of a canvas, gives ``invalid-canvas`` problems, never an exception; an empty
file is an empty canvas, as Obsidian creates one. Pure, no file access.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from kg.config import Config
from kg.model import Canvas, CanvasLink, Link, LinkKind, Problem, Span
from kg.parse import parse_note
from kg.parse.jsonspots import Element, Lines, decoded_offsets, element_spots

__all__ = ["is_canvas", "parse_canvas"]

NODE_TYPES = ("text", "file", "link", "group")
"""The node types of JSON Canvas 1.0."""
_GEOMETRY = ("x", "y", "width", "height")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_NEWLINE = re.compile(r"\r\n?|\n")
_KIND = "invalid-canvas"


def is_canvas(path: str) -> bool:
    """Whether a vault file is a canvas (``.canvas``, any case).

    >>> is_canvas("Boards/Plan.canvas"), is_canvas("Plan.md")
    (True, False)
    """
    return path.lower().endswith(".canvas")


def parse_canvas(text: str, path: str = "board.canvas", config: Config | None = None) -> Canvas:
    """Read one canvas file's text into a :class:`~kg.model.Canvas`; never raises on any text.

    Parameters
    ----------
    text : str
        The file's content, decoded (a leading byte-order mark is allowed).
    path : str
        Its vault-relative POSIX path.
    config : Config, optional
        How the Markdown of text nodes is read (comment handling); the defaults otherwise.

    Examples
    --------
    >>> text = '{"nodes": [{"id": "n1", "type": "file", "file": "A.md", "subpath": "#Why",'
    >>> text += ' "x": 0, "y": 0, "width": 9, "height": 9}]}'
    >>> found = parse_canvas(text).links[0]
    >>> found.link.node, found.field, found.link.target, found.link.subpath, text[found.start:found.end]
    ('n1', 'file', 'A.md', 'Why', 'A.md')
    """
    start = 1 if text.startswith("\ufeff") else 0
    body = text[start:]
    if not body.strip(" \t\r\n"):
        return Canvas(path)
    lines = Lines(text)
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        where = lines.span(start + exc.pos, start + exc.pos + 1)
        return Canvas(path, problems=(Problem(_KIND, f"canvas is not valid JSON: {exc.msg.lower()}", where),))
    except (ValueError, RecursionError) as exc:  # nesting too deep, a number too long to convert
        message = "nested too deeply" if isinstance(exc, RecursionError) else "a number is too long to read"
        return Canvas(path, problems=(Problem(_KIND, f"canvas is not valid JSON: {message}", Span(1, 1, 1, 2)),))
    if not isinstance(data, dict):
        problem = Problem(_KIND, f"canvas holds a JSON {_type_name(data)}, not an object", lines.span(start, start + 1))
        return Canvas(path, problems=(problem,))
    return _Reader(text, start, lines, path, config).read(data)


def _type_name(value: object) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")


def _clean(value: str) -> str:
    """A JSON string with its lone surrogates (``"\\ud800"``) replaced by U+FFFD: they cannot be
    printed or encoded, and replacing them keeps every offset."""
    return _SURROGATE.sub("\ufffd", value) if _SURROGATE.search(value) else value


class _Reader:
    """Reads one parsed canvas: its links and what is wrong with its shape."""

    def __init__(self, text: str, start: int, lines: Lines, path: str, config: Config | None):
        self.text, self.start, self.lines, self.path, self.config = text, start, lines, path, config
        self.problems: list[Problem] = []
        self.links: list[CanvasLink] = []

    def read(self, data: Mapping[str, Any]) -> Canvas:
        spots = element_spots(self.text[self.start :])
        nodes = self._array(data, "nodes")
        edges = self._array(data, "edges")
        ids = [node_id for node_id in self._nodes(nodes, spots.get("nodes", [])) if node_id is not None]
        self._edges(edges, spots.get("edges", []), set(ids))
        problems = sorted(self.problems, key=lambda p: p.span)
        return Canvas(self.path, tuple(self.links), tuple(ids), len(edges), tuple(problems))

    def _array(self, data: Mapping[str, Any], key: str) -> list[Any]:
        value = data.get(key, [])
        if isinstance(value, list):
            return value
        self._problem(f"canvas '{key}' is a JSON {_type_name(value)}, not an array", 0)
        return []

    def _problem(self, message: str, offset: int) -> None:
        """A problem at ``offset`` of the JSON text (after any byte-order mark)."""
        at = self.start + offset
        self.problems.append(Problem(_KIND, message, self.lines.span(at, at + 1)))

    def _nodes(self, nodes: list[Any], spots: list[Element]) -> Iterator[str | None]:
        seen: set[str] = set()
        for index, node in enumerate(nodes):
            offset, strings = spots[index] if index < len(spots) else (0, None)
            node_id = self._node_id(node, index, offset)
            if node_id is None:
                yield None
                continue
            if node_id in seen:
                self._problem(f"canvas node id '{node_id}' is used more than once", offset)
            seen.add(node_id)
            if self._node_shape(node, node_id, offset):
                self._node_links(node, node_id, strings or {})
            yield node_id

    def _node_id(self, node: Any, index: int, offset: int) -> str | None:
        if not isinstance(node, dict):
            self._problem(f"canvas node {index + 1} is a JSON {_type_name(node)}, not an object", offset)
            return None
        node_id = node.get("id")
        if not isinstance(node_id, str) or not node_id:
            self._problem(f"canvas node {index + 1} has no string 'id'", offset)
            return None
        return _clean(node_id)

    def _node_shape(self, node: dict[str, Any], node_id: str, offset: int) -> bool:
        """Report what a node lacks; whether its links can be read."""
        kind = node.get("type")
        missing = [key for key in _GEOMETRY if not _is_number(node.get(key))]
        if missing:
            self._problem(f"canvas node '{node_id}' has no number '{missing[0]}'", offset)
        if kind not in NODE_TYPES:
            shown = f"type '{_clean(kind)}'" if isinstance(kind, str) else "no string 'type'"
            self._problem(f"canvas node '{node_id}' has {shown}, not one of {', '.join(NODE_TYPES)}", offset)
            return False
        needed = {"text": "text", "file": "file", "link": "url"}.get(kind)
        if needed is not None and not (isinstance(node.get(needed), str) and node[needed]):
            self._problem(f"canvas {kind} node '{node_id}' has no string '{needed}'", offset)
            return False
        subpath = node.get("subpath") if kind == "file" else None
        if subpath is not None and not (isinstance(subpath, str) and subpath.startswith("#")):
            self._problem(f"canvas node '{node_id}' has subpath {json.dumps(subpath)}, which does not start with '#'", offset)
        return True

    def _node_links(self, node: dict[str, Any], node_id: str, strings: dict[str, tuple[int, int]]) -> None:
        kind = node["type"]
        if kind == "file" and "file" in strings:
            self._file_link(node, node_id, "file", strings)
        elif kind == "group" and isinstance(node.get("background"), str) and node["background"] and "background" in strings:
            self._file_link(node, node_id, "background", strings)
        elif kind == "text" and "text" in strings:
            self._text_links(_clean(node["text"]), node_id, strings["text"])

    def _file_link(self, node: dict[str, Any], node_id: str, field: str, strings: dict[str, tuple[int, int]]) -> None:
        value = _clean(node[field])
        subpath = node.get("subpath") if field == "file" else None
        heading = subpath[1:] if isinstance(subpath, str) and subpath.startswith("#") else None
        start, end = (self.start + at for at in strings[field])
        link = Link(LinkKind.CANVAS_FILE, value, value, _clean(heading) if heading is not None else None, None,
                    self.lines.span(start, end), key=field, node=node_id)
        where = tuple(self.start + at for at in strings["subpath"]) if heading is not None and "subpath" in strings else None
        self.links.append(CanvasLink(link, field, start, end, subpath_at=where))  # type: ignore[arg-type]

    def _text_links(self, markdown: str, node_id: str, spot: tuple[int, int]) -> None:
        note = parse_note(markdown, self.path, self.config)
        if not note.links:
            return
        begin = self.start + spot[0]
        offsets = decoded_offsets(self.text[begin : self.start + spot[1]])
        bom = 1 if markdown.startswith("\ufeff") else 0
        starts = [0] + [match.end() for match in _NEWLINE.finditer(markdown[bom:])]
        for found in note.links:
            span = found.span
            first = bom + starts[span.line - 1] + span.col - 1
            last = bom + starts[span.end_line - 1] + span.end_col - 1
            start, end = begin + offsets[first], begin + offsets[last]
            link = replace(found, span=self.lines.span(start, end), relation=None, node=node_id)
            self.links.append(CanvasLink(link, "text", start, end, text_span=span))

    def _edges(self, edges: list[Any], spots: list[Element], ids: set[str]) -> None:
        for index, edge in enumerate(edges):
            offset = spots[index][0] if index < len(spots) else 0
            if not isinstance(edge, dict):
                self._problem(f"canvas edge {index + 1} is a JSON {_type_name(edge)}, not an object", offset)
                continue
            name = f"'{_clean(edge['id'])}'" if isinstance(edge.get("id"), str) else str(index + 1)
            for end in ("fromNode", "toNode"):
                target = edge.get(end)
                if not isinstance(target, str):
                    self._problem(f"canvas edge {name} has no string '{end}'", offset)
                elif target not in ids:
                    self._problem(f"canvas edge {name} joins node '{_clean(target)}', which the canvas does not have", offset)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
