"""``kg lint --fix``: mechanical fixes for some findings, made as safely as ``kg mv`` moves.

:func:`plan_fixes` turns findings into a :class:`~kg.write.Change` (one edit per finding it can
fix, never two edits of the same text); :func:`~kg.write.apply_change` checks, writes and proves
it. The proof holds each fixed link to the file it is meant to reach (an alias-only link to the
note that declares the alias) and every other link to where it led.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from kg.errors import ChangeRefused
from kg.lint.finding import Finding
from kg.lint.registry import RULES
from kg.model import Link, LinkKind, Note, Reference, Span
from kg.resolve import heading_key
from kg.text import escape_controls
from kg.vault import Vault
from kg.write.change import Change, FileChange, Stamp, stamp
from kg.write.linktext import linkpath_for, replace_linkpath
from kg.write.splice import Edit, Offsets, link_edit, splice

__all__ = ["fixable", "plan_fixes"]


@dataclass(frozen=True, slots=True)
class _Fix:
    """One finding's fix: an edit, and where a link must lead afterwards if it changes."""

    edits: tuple[Edit, ...]
    leads_to: tuple[int, str] | None = None
    """(index of the link in its note, the path it must resolve to)."""
    gains: int = 0
    """How many links the note gains (an unquoted value that was no link becomes one)."""


@dataclass(frozen=True, slots=True)
class _Site:
    """What a fixer gets: the finding's note, its text, and the reference the finding is about."""

    vault: Vault
    note: Note
    offsets: Offsets
    finding: Finding
    ref: tuple[int, Reference] | None


def fixable(name: str, unsafe: bool = False) -> bool:
    """Whether findings of the rule ``name`` are fixed by ``--fix`` (or with ``--unsafe-fixes``)."""
    item = next((r for r in RULES.values() if r.name == name), None)
    return item is not None and item.fix is not None and (item.fix == "safe" or unsafe)


def plan_fixes(vault: Vault, findings: Iterable[Finding], *, unsafe: bool = False) -> Change:
    """The change that fixes every finding it can, planned without writing.

    Parameters
    ----------
    vault : Vault
        The vault as read from disk.
    findings : iterable of Finding
        What ``kg lint`` reported (after selection, suppressions and baseline).
    unsafe : bool
        Also make the fixes that change a link's style (``non-canonical-path``).

    Returns
    -------
    Change
        Apply it with :func:`kg.write.apply_change`; ``rewritten`` counts the findings fixed.
    """
    if vault.root is None:
        raise ChangeRefused("kg lint --fix needs a vault read from disk")
    wanted: dict[str, list[Finding]] = {}
    for finding in findings:
        if fixable(finding.name, unsafe) and finding.path in vault.notes:
            wanted.setdefault(finding.path, []).append(finding)
    refs = _references(vault)
    files, stamps, expected, gained, fixed = [], {}, {}, {}, 0
    for path, items in sorted(wanted.items()):
        planned = _file_fixes(vault, path, items, refs.get(path, {}))
        if planned is None:
            continue
        change, was, fixes = planned
        files.append(change)
        stamps[path] = was
        expected.update({(path, fix.leads_to[0]): fix.leads_to[1] for fix in fixes if fix.leads_to})
        fixed += len(fixes)
        if any(fix.gains for fix in fixes):
            gained[path] = sum(fix.gains for fix in fixes)
    return Change(vault.root, tuple(files), stamps=stamps, expected=expected, gained=gained, rewritten=fixed)


def _references(vault: Vault) -> dict[str, dict[tuple[int, int, int, int], tuple[int, Reference]]]:
    """Note -> link span -> (index of the link in the note, its reference)."""
    out: dict[str, dict[tuple[int, int, int, int], tuple[int, Reference]]] = {}
    for ref in vault.references:
        spots = out.setdefault(ref.source, {})
        span = ref.link.span
        spots.setdefault((span.line, span.col, span.end_line, span.end_col), (len(spots), ref))
    return out


def _file_fixes(vault: Vault, path: str, findings: list[Finding],
                refs: Mapping[tuple[int, int, int, int], tuple[int, Reference]]) -> tuple[FileChange, Stamp, list[_Fix]] | None:
    """One note's fixes, edits that overlap an earlier one left out; None when there is none or the
    file cannot be rewritten byte for byte (it is not UTF-8, or changed since it was read)."""
    try:
        data, was = stamp((vault.root or Path(".")) / path)
        text = data.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    offsets, fixes, taken = Offsets(text), [], []
    for finding in sorted(findings, key=lambda f: (f.line, f.col)):
        site = _Site(vault, vault.notes[path], offsets, finding,
                     refs.get((finding.line, finding.col, finding.end_line, finding.end_col)))
        fix = _FIXERS[finding.name](site)
        if fix is not None and not any(_overlap(edit, s, e) for edit in fix.edits for s, e in taken):
            fixes.append(fix)
            taken += [(edit.start, edit.end) for edit in fix.edits]
    if not fixes:
        return None
    edits = tuple(edit for fix in fixes for edit in fix.edits)
    return FileChange(path, data, splice(text, edits).encode("utf-8"), edits), was, fixes


def _overlap(edit: Edit, start: int, end: int) -> bool:
    """Whether an edit touches the text ``[start, end)`` another edit replaces (an insertion at
    either end of it counts: the order of the two would be a guess)."""
    return edit.start <= end and edit.end >= start


def _link_edit(site: _Site, new: Callable[[Link, str], str | None]) -> Edit | None:
    """The edit that replaces the finding's link by ``new(link, its text)``."""
    if site.ref is None:
        return None
    link = site.ref[1].link
    return link_edit(site.offsets, link, lambda text: new(link, text))


def _found(site: _Site) -> tuple[int, int, str] | None:
    """Where the finding's span stands in the file, and the text there; None if it is not in the text."""
    try:
        start, end = site.offsets.of(_span(site.finding))
    except ValueError:
        return None
    return start, end, site.offsets.text[start:end]


def _quote(site: _Site) -> _Fix | None:
    """``up: [[X]]`` -> ``up: "[[X]]"``."""
    found = _found(site)
    if found is None:
        return None
    start, end, old = found
    quote = "'" if '"' in old or "\\" in old else '"'  # no escapes inside '...': only '' is one
    if not old.startswith("[[") or (quote == "'" and "'" in old):
        return None
    return _Fix((Edit(start, end, old, f"{quote}{old}{quote}", site.finding.line),), gains=int(site.ref is None))


def _alias_target(site: _Site) -> _Fix | None:
    """``[[AI]]`` -> ``[[Artificial Intelligence|AI]]``."""
    if site.ref is None or not site.ref[1].alias_of:
        return None
    index, ref = site.ref
    owner = ref.alias_of[0]
    linkpath = linkpath_for(ref.link, None, owner, ref.source, site.vault.resolver, None)
    if linkpath is None or ref.link.kind is LinkKind.FRONTMATTER:
        return None

    def retarget(link: Link, text: str) -> str | None:
        new = replace_linkpath(link, text, linkpath)
        if new is None or link.display is not None or link.kind not in (LinkKind.WIKILINK, LinkKind.EMBED):
            return new
        return f"{new[:-2]}|{link.target}]]" if "|" not in link.target else None

    edit = _link_edit(site, retarget)
    return _Fix((edit,), (index, owner)) if edit is not None else None


def _heading_case(site: _Site) -> _Fix | None:
    """``[[Sorting#default order]]`` -> ``[[Sorting#Default order]]``."""
    if site.ref is None or site.ref[1].path not in site.vault.notes:
        return None
    headings = site.vault.notes[site.ref[1].path].headings
    exact = {}
    for heading in headings:
        exact.setdefault(heading_key(heading.text).lower(), heading.text)
    parts = (site.ref[1].link.subpath or "").split("#")
    fixed = [exact.get(heading_key(part).lower(), part) for part in parts]
    subpath = "#".join(fixed)

    def rewrite(link: Link, text: str) -> str | None:
        old = "#" + (link.subpath or "")
        return text.replace(old, "#" + subpath, 1) if text.count(old) == 1 and "\n" not in subpath else None

    edit = _link_edit(site, rewrite)
    return _Fix((edit,)) if edit is not None else None


def _full_path(site: _Site) -> _Fix | None:
    """``[[b/Note]]`` -> ``[[a/b/Note]]`` (unsafe: it changes the link's style)."""
    if site.ref is None or site.ref[1].path is None:
        return None
    ref = site.ref[1]
    linkpath = linkpath_for(ref.link, ref.path, ref.path, ref.source, site.vault.resolver, "absolute")
    if linkpath is None:
        return None
    edit = _link_edit(site, lambda link, text: replace_linkpath(link, text, linkpath))
    return _Fix((edit,)) if edit is not None else None


_KEY_LINE = re.compile(r"(?P<key>[^\s:#][^:]*?)[ \t]*:(?P<value>.*)$")


def _aliases_key(site: _Site) -> _Fix | None:
    """``alias: AI`` -> ``aliases: AI``; when ``aliases`` exists too, the values move into it."""
    found = _found(site)
    if found is None:
        return None
    start, end, old = found
    if old.lower() != "alias":
        return None
    front = _frontmatter_keys(site)
    other = next((key for key in front if key.lower() == "aliases"), None)
    if other is None:
        return _Fix((Edit(start, end, old, "aliases", site.finding.line),))
    return _merge_aliases(site, old, other, front)


def _frontmatter_keys(site: _Site) -> dict[str, tuple[int, int]]:
    """Top-level frontmatter key -> (first line, last line) of its entry, 1-based."""
    lines = site.offsets.text.lstrip("\ufeff").splitlines()
    keys: dict[str, tuple[int, int]] = {}
    last = None
    for number in range(2, max(site.note.body_line - 1, 2)):
        line = lines[number - 1] if number - 1 < len(lines) else ""
        match = _KEY_LINE.match(line) if line[:1] not in (" ", "\t", "-", "#", "") else None
        if match:
            last = match.group("key").strip("'\"")
            keys[last] = (number, number)
        elif last is not None and line.strip():
            keys[last] = (keys[last][0], number)
    return keys


def _merge_aliases(site: _Site, old: str, other: str, front: dict[str, tuple[int, int]]) -> _Fix | None:
    """Remove the ``alias`` entry and add its values to a flow (``[a, b]``) or block (``- a``)
    ``aliases`` list; None for any other shape."""
    values = site.note.frontmatter.get(old)
    values = [values] if isinstance(values, str) else values
    have = site.note.frontmatter.get(other)
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values) or not isinstance(have, list):
        return None
    added = [json.dumps(v, ensure_ascii=False) for v in values if v not in have]
    (first, last), (gone_first, gone_last) = front[other], front[old]
    at, text = site.offsets.at, site.offsets.text
    gone = Edit(at(gone_first, 1), at(gone_last + 1, 1), text[at(gone_first, 1):at(gone_last + 1, 1)], "", gone_first)
    line = text[at(first, 1):at(first + 1, 1)]
    body = line.rstrip("\r\n")
    if first == last and body.rstrip().endswith("]") and "[" in body:
        inside = body[body.index("[") + 1:body.rindex("]")].strip()
        new = body[:body.index("[")] + "[" + ", ".join(([inside] if inside else []) + added) + "]"
        grow = Edit(at(first, 1), at(first, 1) + len(body), body, new, first)
    elif body.split(":", 1)[1].strip() == "" and last > first:
        item = text[at(last, 1):at(last + 1, 1)]
        indent, newline = item[:len(item) - len(item.lstrip())], item[len(item.rstrip("\r\n")):]
        grow = Edit(at(last + 1, 1), at(last + 1, 1), "", "".join(f"{indent}- {v}{newline}" for v in added), last + 1)
    else:
        return None
    return _Fix((grow, gone))


def _span(finding: Finding) -> Span:
    return Span(finding.line, finding.col, finding.end_line, finding.end_col)


_FIXERS: dict[str, Callable[[_Site], _Fix | None]] = {
    "unquoted-frontmatter-link": _quote,
    "alias-only-link": _alias_target,
    "heading-case-mismatch": _heading_case,
    "non-canonical-path": _full_path,
    "deprecated-alias-key": _aliases_key,
}
"""Rule name -> its fixer."""
