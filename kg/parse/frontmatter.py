"""YAML frontmatter: properties, aliases, tags and the links written in property values."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import yaml

from kg.config import Config
from kg.model import Link, LinkKind, Problem, Span
from kg.parse.fields import relation_of
from kg.parse.wikilinks import WIKILINK_RE, split_wikilink
from kg.parse.simple_yaml import read_simple_yaml
from kg.parse.yaml_loader import load_yaml

__all__ = ["Frontmatter", "read_frontmatter"]

_KEY_LINE = re.compile(r"""^(?:"([^"]*)"|'([^']*)'|([^\s#\-?:'"{}\[\]][^:]*?))[ \t]*:(?:[ \t]|$)""")


@dataclass
class Frontmatter:
    """What the frontmatter of one note holds."""

    body_start: int = 0
    """0-based index of the first body line."""
    mapping: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    aliases: list[str] = field(default_factory=list)
    alias_spans: list[Span] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _closing_line(lines: list[str]) -> int | None:
    """The index of the line that closes the frontmatter, or None when there is none: the first
    line must be exactly ``---`` (``--- `` opens nothing, spec B10.1)."""
    if not lines or lines[0] != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            return index
    return None


def _load(lines: list[str], end: int) -> tuple[object, Problem | None]:
    """The frontmatter's value: read by the simple reader when it can (nearly always), else by the
    YAML loader, whose error becomes a problem."""
    simple = read_simple_yaml(lines, 1, end)
    if simple is not None:
        return simple, None
    try:
        return load_yaml("\n".join(lines[1:end])), None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = min(mark.line + 2, end) if mark else 1
        col = mark.column + 1 if mark and line <= end and mark.line + 2 == line else 1
        reason = exc.problem or exc.context or "invalid yaml"
        return None, _problem_at(lines, line, col, f"invalid yaml in frontmatter: {reason}")
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as exc:
        return None, _problem_at(lines, 1, 1, f"invalid yaml in frontmatter: {exc}")


def _problem_at(lines: list[str], line: int, col: int, message: str) -> Problem:
    end_col = max(len(lines[line - 1]) + 1, col + 1) if line <= len(lines) else col + 1
    return Problem("invalid-frontmatter", message, Span(line, col, line, end_col))


def read_frontmatter(lines: list[str], config: Config) -> Frontmatter:
    """Read the frontmatter at the top of ``lines``; never raises.

    A YAML error or a frontmatter that is not a mapping becomes an ``invalid-frontmatter`` problem
    and the note is read as having no properties.
    """
    end = _closing_line(lines)
    if end is None:
        return Frontmatter()
    result = Frontmatter(body_start=end + 1)
    data, problem = _load(lines, end)
    if problem is not None:
        result.problems.append(problem)
        return result
    if data is None:
        return result
    if not isinstance(data, dict):
        kind = "list" if isinstance(data, list) else type(data).__name__
        message = f"frontmatter is a {kind}, not a mapping of properties"
        result.problems.append(_problem_at(lines, 1, 1, message))
        return result
    mapping = {str(key): value for key, value in data.items()}
    result.mapping = MappingProxyType(mapping)
    regions = _key_regions(lines, end)
    lowered: dict[str, str] = {}  # each key in lower case -> the first key written so
    for key in mapping:
        lowered.setdefault(key.lower(), key)
    _read_aliases(mapping, lowered, regions, lines, result)
    _report_ignored_keys(lowered, regions, lines, result)
    result.tags = _read_tags(mapping, lowered)
    for key, value in mapping.items():
        relation = relation_of(config, key)
        if relation is not None or _may_hold_link(value):  # most properties (dates, tags) do neither
            _read_property_links(key, value, relation, regions.get(key), lines, result)
    if len(result.problems) > 1:
        result.problems.sort(key=lambda p: p.span)
    return result


def _key_regions(lines: list[str], end: int) -> dict[str, tuple[int, int]]:
    """Each top-level key with its 1-based line range ``[first, last]`` (the last line of a key
    written twice)."""
    starts: list[tuple[str, int]] = []
    for index in range(1, end):
        match = _KEY_LINE.match(lines[index]) if ":" in lines[index] else None  # list items have none
        if match:
            plain, double, single = match.group(3, 1, 2)
            key = plain if plain is not None else double if double is not None else single
            starts.append((key, index + 1))
    regions = {}
    for position, (key, line) in enumerate(starts):
        regions[key] = (line, starts[position + 1][1] - 1 if position + 1 < len(starts) else end)
    return regions


def _key_span(lines: list[str], key: str, region: tuple[int, int] | None) -> Span:
    if region is None:
        return Span(1, 1, 1, 4)
    line = region[0]
    return Span(line, 1, line, len(lines[line - 1].split(":", 1)[0]) + 1)


def _strings(value: object) -> list[str]:
    """The non-empty scalars in a value, lists flattened; safe on self-referencing YAML anchors."""
    if isinstance(value, str):
        text = value.strip()
        return [text] if text else []
    out: list[str] = []
    stack, seen = [value], set()
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            if id(item) not in seen:
                seen.add(id(item))
                stack.extend(reversed(item))
        elif item is not None and not isinstance(item, dict):
            text = str(item).strip()
            if text:
                out.append(text)
    return out


def _obsidian_strings(value: object) -> list[str]:
    """A ``tags`` or ``aliases`` value as Obsidian 1.9 reads it: a string is one value, a list keeps
    its string items, trimmed; anything else (a number, a nested list) is dropped."""
    items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    return [text for text in (item.strip() for item in items if isinstance(item, str)) if text]


def _read_aliases(
    mapping: dict[str, object], lowered: dict[str, str], regions: dict, lines: list[str], out: Frontmatter
) -> None:
    """``aliases`` in any case (spec C7: ``aliases: [2024, AI]`` is the alias ``AI``, and
    ``aliases: "AI, KI"`` the one alias ``AI, KI``)."""
    key = lowered.get("aliases")
    if key is not None:
        region = regions.get(key)
        taken: set[str] = set()
        for alias in _obsidian_strings(mapping[key]):
            if alias not in out.aliases:
                out.aliases.append(alias)
                out.alias_spans.append(_value_span(lines, key, region, alias, taken))


def _report_ignored_keys(lowered: dict[str, str], regions: dict, lines: list[str], out: Frontmatter) -> None:
    """The singular ``alias`` and ``tag``, which Obsidian 1.9 ignores, reported instead of read."""
    for name, plural in (("alias", "aliases"), ("tag", "tags")):
        old = lowered.get(name)
        if old is not None:
            span = _key_span(lines, old, regions.get(old))
            message = f"Obsidian 1.9+ ignores the property '{old}'; write '{plural}:' with a list"
            out.problems.append(Problem("deprecated-alias-key", message, span))


def _value_span(lines: list[str], key: str, region: tuple[int, int] | None, value: str, taken: set) -> Span:
    """Where a scalar value stands under its key: the first place not yet taken."""
    if region is not None:
        for line in range(region[0], region[1] + 1):
            text, start = lines[line - 1], 0
            if line == region[0]:
                start = text.find(":") + 1
            column = text.find(value, start)
            while column >= 0 and (line, column) in taken:
                column = text.find(value, column + 1)
            if column >= 0:
                taken.add((line, column))
                return Span(line, column + 1, line, column + len(value) + 1)
    return _key_span(lines, key, region)


def _read_tags(mapping: dict[str, object], lowered: dict[str, str]) -> list[str]:
    """``tags`` in any case, as Obsidian 1.9 reads them (spec E1): each string value is one tag,
    ``#`` optional, and one holding a space is dropped (``tags: x1, x2`` gives none)."""
    key = lowered.get("tags")
    if key is None:
        return []
    tags = (text.removeprefix("#").lower() for text in _obsidian_strings(mapping[key]))
    return [tag for tag in tags if tag and not any(ch.isspace() for ch in tag)]


def _link_string(value: object) -> str | None:
    """The inner text of a ``"[[X]]"`` value, or None: the string must start with ``[[`` and end
    with ``]]``, untrimmed, and all between is one link (spec B10: ``"[[A]] and [[B]]"`` is the
    link ``A]] and [[B``)."""
    if not isinstance(value, str) or not (value.startswith("[[") and value.endswith("]]")) or len(value) < 4:
        return None
    inner = value[2:-2]
    if "\n" in inner:
        return None
    parts = split_wikilink(inner)  # not is_link_text: here a '[[' inside is no reason to reject
    return inner if parts.target or parts.subpath is not None else None


def _unquoted_link(value: object) -> str | None:
    """The inner text of an unquoted ``[[X]]``, which YAML reads as the nested list ``[["X"]]``."""
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], list) and value[0]:
        if all(isinstance(x, (str, int, float)) for x in value[0]):
            return ", ".join(str(x) for x in value[0])
    return None


def _may_hold_link(value: object) -> bool:
    """Whether an item of ``value`` can be a link: a string with ``[[``, or a list or mapping
    (which may hold one, and is how YAML reads an unquoted ``[[X]]``)."""
    return "[[" in value if isinstance(value, str) else isinstance(value, (list, dict))


_LIST_ITEM = re.compile(r"(?:\.\d+)+$")
_WALK_DEPTH = 100


def _leaves(path: str, value: object, seen: set[int], depth: int = 0) -> Iterator[tuple[str, object]]:
    """Every value under a property with its dotted key path (``parent.child``, ``links.0.to``),
    as Obsidian walks frontmatter for links (spec B10). An unquoted ``[[X]]`` (the nested list
    ``[["X"]]``) is one value; a mapping or list met twice (a YAML alias) is walked once."""
    if _unquoted_link(value) is not None or not isinstance(value, (list, dict)):
        yield path, value
        return
    if id(value) in seen or depth > _WALK_DEPTH:
        return
    seen.add(id(value))
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for name, item in items:
        yield from _leaves(f"{path}.{name}", item, seen, depth + 1)


def _field_path(path: str) -> str:
    """A link's key path without the list indices at its end: ``up.0`` is ``up``."""
    return _LIST_ITEM.sub("", path) if "." in path else path


def _read_property_links(
    key: str,
    value: object,
    relation: str | None,
    region: tuple[int, int] | None,
    lines: list[str],
    out: Frontmatter,
) -> None:
    """The links of one top-level property. Each takes the property's relation (Breadcrumbs reads
    the part of the key before the first ``.``) and, as its key, the path with list indices at its
    end dropped (``up.0`` is the field ``up``; ``links.0.to`` stays)."""
    occurrences: list[tuple[Span, str]] | None = None  # found at the first unquoted link: most are quoted
    taken: set[tuple[int, int]] = set()
    for path, item in _leaves(key, value, set()):
        inner = _link_string(item)
        if inner is not None:
            span = _value_span(lines, key, region, item, taken)
            _add_link(out, item, inner, span, _field_path(path), relation, quoted=True)
            continue
        inner = _unquoted_link(item)
        if inner is not None:
            if occurrences is None:
                occurrences = _occurrences(lines, region)
            span, raw = _take(occurrences, inner, lines, key, region)
            message = f"link '{raw}' in property '{key}' is not quoted, so yaml reads it as a list; write '\"{raw}\"'"
            out.problems.append(Problem("unquoted-frontmatter-link", message, span))
            if relation is not None:  # read anyway in a hierarchy field (product decision 1)
                inner = raw[2:-2] if raw.startswith("[[") else inner
                _add_link(out, raw, inner, span, _field_path(path), relation, quoted=False)
        elif relation is not None and _strings(item):
            message = f"field '{key}' holds '{_strings(item)[0]}', which is not a link"
            out.problems.append(Problem("invalid-field-value", message, _key_span(lines, key, region)))


def _add_link(out: Frontmatter, raw: str, inner: str, span: Span, key: str, relation: str | None, *,
              quoted: bool) -> None:
    parts = split_wikilink(inner)
    out.links.append(Link(LinkKind.FRONTMATTER, raw, parts.target, parts.subpath, parts.display, span,
                          key=key, relation=relation, quoted=quoted))


def _occurrences(lines: list[str], region: tuple[int, int] | None) -> list[tuple[Span, str]]:
    if region is None:
        return []
    found = []
    for line in range(region[0], region[1] + 1):
        for match in WIKILINK_RE.finditer(lines[line - 1]):
            if not match.group(0).startswith("!"):
                found.append((Span(line, match.start() + 1, line, match.end() + 1), match.group(0)))
    return found


def _take(
    occurrences: list[tuple[Span, str]], inner: str, lines: list[str], key: str, region: tuple[int, int] | None
) -> tuple[Span, str]:
    """The source position of the next link with this inner text under the key."""
    for index, (span, raw) in enumerate(occurrences):
        if raw[2:-2] == inner:
            return occurrences.pop(index)
    if occurrences:
        return occurrences.pop(0)
    span = _key_span(lines, key, region)
    return span, lines[span.line - 1][span.col - 1 : span.end_col - 1]
