"""A change shown as a unified diff, the way ``git diff`` shows edits and renames."""

from __future__ import annotations

import difflib

from kg.scan import decode
from kg.text import escape_controls, printable
from kg.write.change import Change

__all__ = ["counts", "render_diff"]


def render_diff(change: Change) -> str:
    """Every move and every edit of ``change`` as a unified diff (edits with 3 lines of context),
    in path order; empty for a change that does nothing."""
    out = []
    for old, new in change.moves:
        out += [f"rename from {_shown(old)}", f"rename to {_shown(new)}"]
    for item in sorted(change.files, key=lambda f: f.path):
        before = (decode(item.before)[0] or "").splitlines(keepends=True)
        after = (decode(item.after)[0] or "").splitlines(keepends=True)
        lines = difflib.unified_diff(before, after, f"a/{_shown(item.path)}", f"b/{_shown(change.moved(item.path))}")
        out += [printable(line.rstrip("\r\n")) for line in lines]
    return "".join(line + "\n" for line in out)


def counts(change: Change) -> str:
    """``2 files moved, 14 links rewritten, 9 files edited``."""
    moved, edited = len(change.renamed), len(change.files)
    return (f"{moved} file{'s' * (moved != 1)} moved, {change.rewritten} link{'s' * (change.rewritten != 1)} rewritten, "
            f"{edited} file{'s' * (edited != 1)} edited")


def _shown(path: str) -> str:
    return printable(escape_controls(path))
