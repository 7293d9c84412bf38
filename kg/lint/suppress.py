"""What silences a finding: config per-file ignores, a note's ``kg-ignore`` property, an inline
``%% kg-ignore NAME %%`` comment, and the files Obsidian's settings exclude."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from kg.lint.finding import Finding
from kg.obsidian import app_settings
from kg.scan import excluded

if TYPE_CHECKING:
    from kg.model import Note
    from kg.vault import Vault

__all__ = ["Suppressions"]

_INLINE = re.compile(r"^\s*kg-ignore\b(.*)$", re.DOTALL)
IGNORE_KEY = "kg-ignore"
"""The frontmatter property that lists rules to ignore in one note."""


def _keys(value: object) -> set[str]:
    items = value if isinstance(value, list) else [value] if value is not None else []
    return {part.strip().lower() for item in items for part in str(item).split(",") if part.strip()}


def _covers(keys: set[str], finding: Finding) -> bool:
    return bool(keys & {"all", "*", finding.code.lower(), finding.name})


class Suppressions:
    """Decides, finding by finding, whether it is silenced."""

    def __init__(self, vault: Vault):
        config = vault.config
        self.per_file = [(glob, {k.lower() for k in keys}) for glob, keys in config.per_file_ignores.items()]
        self.obsidian = _obsidian_filters(vault)
        self._vault = vault
        self.notes: dict[str, tuple[set[str], dict[int, set[str]]]] = {}
        """Note path -> (rules its frontmatter silences, line -> rules silenced there): worked out
        for the notes that have findings only."""

    def __call__(self, finding: Finding) -> bool:
        if any(_covers(keys, finding) for glob, keys in self.per_file if excluded(finding.path, [glob])):
            return True
        if any(_obsidian_match(f, finding.path) for f in self.obsidian):
            return True
        whole, by_line = self._silenced_in(finding.path)
        return _covers(whole, finding) or _covers(by_line.get(finding.line, set()), finding)

    def _silenced_in(self, path: str) -> tuple[set[str], dict[int, set[str]]]:
        found = self.notes.get(path)
        if found is None:
            note = self._vault.notes.get(path)
            found = (_keys(note.frontmatter.get(IGNORE_KEY)), _inline(note)) if note is not None else (set(), {})
            self.notes[path] = found
        return found


def _inline(note: Note) -> dict[int, set[str]]:
    """Line -> rules silenced there by ``%% kg-ignore ... %%`` (its own lines, and the next line when
    the comment stands alone)."""
    lines: dict[int, set[str]] = {}
    for comment in note.comments:
        match = _INLINE.match(comment.text)
        if not match:
            continue
        keys = _keys(match.group(1)) or {"all"}
        span = comment.span
        for line in range(span.line, span.end_line + 2):
            lines.setdefault(line, set()).update(keys)
    return lines


def _obsidian_filters(vault: Vault) -> list[str]:
    """``userIgnoreFilters`` from the vault's ``.obsidian/app.json`` (Settings > Excluded files)."""
    filters = app_settings(vault.root).get("userIgnoreFilters")
    return [f for f in filters if isinstance(f, str) and f] if isinstance(filters, list) else []


def _obsidian_match(pattern: str, path: str) -> bool:
    """Whether an Excluded-files filter covers a path: a ``/regex/`` or a path prefix, both
    case-insensitive as Obsidian's (spec A3: ``archive/`` covers ``Archive/old.md``). A regex that
    does not compile, or that could take exponential time (see :func:`risky_regex`), covers nothing."""
    if len(pattern) > 2 and pattern.startswith("/") and pattern.endswith("/"):
        if risky_regex(pattern[1:-1]):
            return False
        try:
            return re.search(pattern[1:-1], path, re.IGNORECASE) is not None
        except re.error:
            return False
    return path.lower().startswith(pattern.lower())


def risky_regex(pattern: str) -> bool:
    """Whether a regex repeats a group that itself repeats or branches, as ``(a+)+`` or ``(a|ab)*``.

    Python's backtracking engine takes exponential time on such a pattern when a path almost
    matches, and cannot be interrupted: a vault's ``app.json`` could hang ``kg lint`` for hours.
    The check is on the text of the pattern, and errs on the side of refusing.

    >>> risky_regex("^(a+)+$"), risky_regex("(x|xy)*z"), risky_regex("^Daily/[0-9]+"), risky_regex("(?:a|b)c")
    (True, True, False, False)
    """
    groups: list[bool] = []  # for each open group: whether it holds a repeat or a branch
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            index = _class_end(pattern, index)
        elif char == "(":
            groups.append(False)
            index += pattern.startswith("(?", index)  # (?:  (?i)  (?P<name> are not repeats
        elif char == ")":
            inner = groups.pop() if groups else False
            repeated = pattern[index + 1:index + 2] in ("*", "+", "{")
            if repeated and inner:
                return True
            if groups and (inner or repeated):
                groups[-1] = True
        elif char in "*+?{|" and groups:
            groups[-1] = True
        index += 1
    return False


def _class_end(pattern: str, start: int) -> int:
    """The index of the ``]`` that closes the character class opened at ``start``."""
    index = start + 1 + pattern.startswith("^", start + 1)
    index += pattern.startswith("]", index)
    while index < len(pattern) and pattern[index] != "]":
        index += 2 if pattern[index] == "\\" else 1
    return index


def silenced(findings: Iterable[Finding], vault: Vault) -> list[Finding]:
    """The findings that no suppression silences."""
    rules = Suppressions(vault)
    return [finding for finding in findings if not rules(finding)]
