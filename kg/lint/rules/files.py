"""KG3xx: files, their names, and what could not be read."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from kg.lint.finding import Hit
from kg.lint.registry import rule
from kg.lint.rules.hierarchy import problems
from kg.model import Span
from kg.resolve import fold

if TYPE_CHECKING:
    from kg.vault import Vault

_TOP = Span(1, 1, 1, 1)
_UNLINKABLE = ("#", "|", "[[", "]]")
"""What keeps a wiki-link from reaching a name (spec C10): the subpath, the display text, a rejected
match and the link's end."""
_MARKDOWN_REACHES = ("|", "[[", "]]")
"""Of those, the ones a Markdown link such as ``[t](<Odd|name.md>)`` still gets past."""
_MARKDOWN_NOTE = "; a Markdown link such as '[t](<...>)' still reaches it"
_NON_PORTABLE = re.compile(r'[:*"\\<>?\x00-\x1f]')
_RESERVED = re.compile(r"(?i)^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$")


def _linted(vault: Vault) -> list[str]:
    return [path for path in vault.files if path not in vault.excluded and path not in vault.hidden]


@rule("KG301", "unlinkable-filename")
def unlinkable_filename(vault: Vault) -> Iterator[Hit]:
    """File name holds characters that end or split a wiki-link.

    ## What it does
    Finds files whose name contains `#`, `|`, `[[` or `]]`, or ends in `]` (a file `data]` has no
    extension to write after the `]`, so `[[data]]]` is the link `data`).

    ## Why is this bad?
    In a wiki-link `#` starts a heading, `|` the display text, `]]` ends the link and a link
    holding `[[` is not read at all: `[[What#Next]]` is the heading `Next` of a note `What`, so the
    file `What#Next.md` cannot be linked. A Markdown link (`[t](<Odd|name.md>)`) still reaches a
    name with `|`, `[[` or `]]`, but not one with `#`. Other characters Obsidian warns about are
    reachable: `[[File^x]]`, `[[Br[ack]et]]`, `[[50%% off]]` and `[[Odd].md]]` all resolve.

    ## Example
    ``text
    What#Next.md
    ``

    ## Use instead
    ``text
    What next.md
    ``
    """
    for path in _linted(vault):
        name = posixpath.basename(path)
        bad = next((ch for ch in _UNLINKABLE if ch in name), None)
        if bad is None and name.endswith("]"):
            yield Hit(path, _TOP, f"file name '{name}' ends in ']', which ends a wiki-link to it early"
                                  f"{_MARKDOWN_NOTE}", name)
        elif bad is not None:
            how = _MARKDOWN_NOTE if bad in _MARKDOWN_REACHES else ""
            yield Hit(path, _TOP, f"file name '{name}' contains '{bad}', which wiki-links cannot reach{how}", name)


@rule("KG302", "non-portable-filename", "info")
def non_portable_filename(vault: Vault) -> Iterator[Hit]:
    """File or folder name is not valid on every system Obsidian runs on.

    ## What it does
    Finds names with `:` `*` `"` `\\` `<` `>` `?` or control characters, names ending in
    a space or a dot, reserved Windows names (`CON`, `NUL`, `COM1` ...), and files whose paths
    differ only by case.

    ## Why is this bad?
    Syncing the vault to Windows, macOS, iOS or Android fails or silently renames such files, and
    case-only twins overwrite each other on case-insensitive file systems.

    ## Example
    ``text
    Meeting 10:30.md
    ``

    ## Use instead
    ``text
    Meeting 10-30.md
    ``
    """
    seen: dict[str, str] = {}
    for path in _linted(vault):
        for part in path.split("/"):
            why = _portability(part)
            if why:
                yield Hit(path, _TOP, f"name '{part}' {why}", part)
                break
        twin = seen.setdefault(fold(path), path)
        if twin != path:
            yield Hit(path, _TOP, f"path '{path}' differs from '{twin}' only by case", path)


def _portability(part: str) -> str | None:
    bad = _NON_PORTABLE.search(part)
    if bad:
        return f"contains {bad.group(0)!r}, which windows does not allow"
    if part.endswith((" ", ".")):
        return "ends with a space or a dot, which windows drops"
    if _RESERVED.match(part):
        return "is reserved on windows"
    return None


@rule("KG303", "orphan-note", "info", enabled=False)
def orphan_note(vault: Vault) -> Iterator[Hit]:
    """Note has no links in or out.

    ## What it does
    Finds notes that link to nothing and that nothing links to (same-note links do not count).
    Off by default: select it with `--select orphan-note`.

    ## Why is this bad?
    An orphan is invisible from the rest of the vault: it is never reached by following links and
    sits alone in the graph.

    ## Example
    ``markdown
    A note about attention with no links.
    ``

    ## Use instead
    ``markdown
    A note about attention, part of [[Transformer]].
    ``
    """
    graph = vault.graph
    for path in vault.notes:
        edges = [*graph.out_edges(path, data="kind"), *graph.in_edges(path, data="kind")]
        if all(kind == "self" for _, _, kind in edges):
            yield Hit(path, _TOP, f"note '{path}' has no links in or out", path)


@rule("KG304", "unreadable-file", "error")
def unreadable_file(vault: Vault) -> Iterator[Hit]:
    """File could not be read as text, or was left out of the vault.

    ## What it does
    Reports notes that are not valid UTF-8 (at the first bad byte), binary files named `.md`,
    files kg has no permission to read, and paths skipped while reading the vault (a symlink that
    leaves the vault, a symlink loop, a file that disappeared).

    ## Why is this bad?
    Obsidian shows such a note garbled or not at all, and its links and properties are lost.

    ## Example
    ``text
    notes/export.md   (Latin-1 bytes: caf\\xe9)
    ``

    ## Use instead
    ``text
    notes/export.md   (re-saved as UTF-8: café)
    ``
    """
    yield from problems(vault, "unreadable-file")
    for skipped in vault.skipped:
        yield Hit(skipped.path, _TOP, f"'{skipped.path}' left out: {skipped.reason}", skipped.reason)
