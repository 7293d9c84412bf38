"""A change shown as a unified diff, the way ``git diff`` shows edits and renames.

The hunks are made from the edits themselves, not by comparing whole files: a 20 MB note with a
few rewritten links costs what its edited lines cost, not a comparison of half a million lines.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence

from kg.scan import decode
from kg.text import escape_controls, printable
from kg.write.change import Change, FileChange
from kg.write.splice import Edit, Offsets, splice

__all__ = ["CONTEXT", "counts", "render_diff"]

CONTEXT = 3
"""Unchanged lines shown around each change."""

_BREAK = re.compile(r"\r\n?|\n")
_HUNK = re.compile(r"@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@")


def render_diff(change: Change) -> str:
    """Every move and every edit of ``change`` as a unified diff (edits with :data:`CONTEXT` lines
    of context), in path order; empty for a change that does nothing."""
    out = []
    for old, new in change.moves:
        out += [f"rename from {_shown(old)}", f"rename to {_shown(new)}"]
    for item in sorted(change.files, key=lambda f: f.path):
        out += [f"--- a/{_shown(item.path)}", f"+++ b/{_shown(change.moved(item.path))}"]
        out += [printable(line) for line in _hunks(item)]
    return "".join(line + "\n" for line in out)


def _hunks(item: FileChange) -> Iterator[str]:
    """The hunks of one file: each group of nearby edits, compared line by line within its lines."""
    text = decode(item.before)[0] or ""
    offsets = Offsets(text)
    total = offsets.line_of(len(text))
    shift = 0
    for group in _groups(offsets, item.edits):
        first = max(1, offsets.line_of(group[0].start) - CONTEXT)
        last = min(total, offsets.line_of(max(group[-1].end - 1, group[-1].start)) + CONTEXT)
        low = offsets.at(first, 1)
        high = offsets.at(last + 1, 1) if last < total else len(text)
        region = text[low:high]
        moved = [Edit(e.start - low, e.end - low, e.old, e.new, e.line) for e in group]
        before, after = _lines(region), _lines(splice(region, moved))
        if len(before) == len(after):  # the usual case, link rewrites: each line against itself
            yield f"@@ -{first},{len(before)} +{first + shift},{len(after)} @@"
            yield from _side_by_side(before, after)
            continue
        for line in list(difflib.unified_diff(before, after, n=CONTEXT, lineterm=""))[2:]:
            match = _HUNK.fullmatch(line)
            if match:
                a, b, c, d = match.groups()
                line = f"@@ -{int(a) + first - 1}{b or ''} +{int(c) + first - 1 + shift}{d or ''} @@"
            yield line
        shift += len(after) - len(before)


def _side_by_side(before: list[str], after: list[str]) -> Iterator[str]:
    """The body of a hunk whose lines correspond one to one: each run of changed lines as its old
    lines, then its new ones, as ``diff`` shows a replaced block."""
    index = 0
    while index < len(before):
        if before[index] == after[index]:
            yield " " + before[index]
            index += 1
            continue
        end = index
        while end < len(before) and before[end] != after[end]:
            end += 1
        yield from ("-" + line for line in before[index:end])
        yield from ("+" + line for line in after[index:end])
        index = end


def _groups(offsets: Offsets, edits: Sequence[Edit]) -> Iterator[list[Edit]]:
    """Edits in order, grouped when their context lines would touch."""
    group: list[Edit] = []
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if group and offsets.line_of(edit.start) - offsets.line_of(group[-1].end) > 2 * CONTEXT + 1:
            yield group
            group = []
        group.append(edit)
    if group:
        yield group


def _lines(text: str) -> list[str]:
    """Lines without their breaks; a final break ends the last line rather than start another."""
    lines = _BREAK.split(text)
    return lines[:-1] if lines and lines[-1] == "" else lines


def counts(change: Change) -> str:
    """``2 files moved, 14 links rewritten, 9 files edited``."""
    moved, edited = len(change.renamed), len(change.files)
    return (f"{moved} file{'s' * (moved != 1)} moved, {change.rewritten} link{'s' * (change.rewritten != 1)} rewritten, "
            f"{edited} file{'s' * (edited != 1)} edited")


def _shown(path: str) -> str:
    return printable(escape_controls(path))
