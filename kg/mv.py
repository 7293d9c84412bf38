"""``kg mv``: move a note, an attachment or a folder, and keep every link leading where it led.

:func:`plan_move` works out every edit without touching the vault;
:func:`~kg.write.apply_change` checks, writes and proves it. Links are rewritten when the move
changes what they resolve to: links to a moved file whose old text no longer finds it, links *in*
a moved note whose relative path or folder preference changed, and links elsewhere that a moved
file would capture (a new same-name file nearer, or a shorter path). Each keeps its display text,
subpath and form (see :func:`kg.write.linktext.linkpath_for`).
"""

from __future__ import annotations

import json
import os
import posixpath
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from kg.errors import ChangeRefused
from kg.obsidian import app_settings
from kg.model import CanvasLink, Link, LinkKind
from kg.resolve import Resolver, fold
from kg.text import escape_controls
from kg.vault import Vault
from kg.write.apply import confined
from kg.write.change import Change, FileChange, Stamp, stamp
from kg.write.linktext import FORMS, linkpath_for, replace_linkpath
from kg.write.splice import Edit, Offsets, link_edit, splice

__all__ = ["plan_move", "in_vault"]


def in_vault(root: Path, path: str) -> str:
    """A path given on the command line as a vault path: an absolute path inside the vault is made
    relative to it; a relative one is taken as relative to the vault folder.

    >>> in_vault(Path("/v"), "/v/a/b.md"), in_vault(Path("/v"), "a//b.md/")
    ('a/b.md', 'a/b.md')
    """
    if os.path.isabs(path):
        path = os.path.relpath(path, os.path.abspath(root))
    return "/".join(part for part in path.replace(os.sep, "/").split("/") if part)


def plan_move(vault: Vault, old: str, new: str, *, form: str | None = None) -> Change:
    """Everything that moving vault path ``old`` to ``new`` changes, planned without writing.

    Parameters
    ----------
    vault : Vault
        The vault as read from disk.
    old, new : str
        Vault paths: a file, or a folder (moved with all it holds). A ``new`` that is an existing
        folder means into that folder, as ``mv`` does.
    form : str, optional
        ``shortest``, ``relative`` or ``absolute``: how rewritten links are written. By default
        ``newLinkFormat`` from ``.obsidian/app.json``, else each link's own form.

    Returns
    -------
    Change
        The edits and the move; apply it with :func:`kg.write.apply_change`.

    Raises
    ------
    ChangeRefused
        When the move cannot be made safely: a path outside the vault or through a symlink, a
        target that exists, a folder into itself, or a link no linkpath can keep.
    """
    if vault.root is None:
        raise ChangeRefused("kg mv needs a vault read from disk")
    root = vault.root
    new = _destination(root, old, new)
    renamed = _renamed(vault, old, new)
    _all_read(vault)
    _no_symlink_into(root, old)
    if form is None:
        setting = app_settings(root).get("newLinkFormat")
        form = setting if setting in FORMS else None
    files = [renamed.get(path, path) for path in vault.files]
    aliases = {renamed.get(path, path): note.aliases for path, note in vault.notes.items()}
    resolver = Resolver(files, aliases, vault.config)
    targets, problems = _retargeted(vault, renamed, resolver, form)
    stamps: dict[str, Stamp] = {}
    changes = [_file_change(vault, path, links, problems, stamps) for path, links in sorted(targets.items())]
    if problems:
        raise ChangeRefused("nothing changed: " + "; ".join(problems[:10]) + (f"; and {len(problems) - 10} more" if len(problems) > 10 else ""))
    for path in renamed:
        if path not in stamps:
            stamps[path] = _stamp(root, path)
    return Change(root, tuple(c for c in changes if c is not None), ((old, new),), renamed, stamps,
                  rewritten=sum(len(links) for links in targets.values()))


def _destination(root: Path, old: str, new: str) -> str:
    """``new``, or ``new/<name of old>`` when ``new`` is an existing folder; refused if it leaves
    the vault, goes through a symlink or is hidden."""
    for path in (old, new):
        why = confined(root, path)
        if why:
            raise ChangeRefused(f"nothing changed: {why}")
    if (root / new).is_dir() and not (root / new).is_symlink():
        new = f"{new}/{posixpath.basename(old)}"
        why = confined(root, new)
        if why:
            raise ChangeRefused(f"nothing changed: {why}")
    return new


def _renamed(vault: Vault, old: str, new: str) -> dict[str, str]:
    """Every vault file the move takes elsewhere: old path -> new path."""
    root = vault.root or Path(".")
    if os.path.lexists(root / new):
        raise ChangeRefused(f"nothing changed: '{escape_controls(new)}' exists")
    if old in vault.files:
        if posixpath.splitext(old)[1].lower() != posixpath.splitext(new)[1].lower():
            raise ChangeRefused(f"nothing changed: '{escape_controls(new)}' would change the extension of '{escape_controls(old)}'")
        renamed = {old: new}
    elif (root / old).is_dir():
        if new == old or new.startswith(old + "/"):
            raise ChangeRefused(f"nothing changed: cannot move folder '{escape_controls(old)}' into itself")
        _no_symlinks(root, old)
        renamed = {path: new + path[len(old):] for path in vault.files if path.startswith(old + "/")}
    else:
        raise ChangeRefused(f"nothing changed: no file or folder '{escape_controls(old)}' in the vault")
    staying = {fold(path): path for path in vault.files if path not in renamed}
    for path in renamed.values():
        if fold(path) in staying:
            raise ChangeRefused(f"nothing changed: '{escape_controls(path)}' differs only in case from '{escape_controls(staying[fold(path)])}'")
    return renamed


def _no_symlinks(root: Path, folder: str) -> None:
    """Refuse to move a folder that holds a symlink: moved, a relative one would lead elsewhere."""
    for where, dirs, names in os.walk(root / folder):
        for name in sorted(dirs + names):
            if os.path.islink(os.path.join(where, name)):
                rel = os.path.relpath(os.path.join(where, name), root).replace(os.sep, "/")
                raise ChangeRefused(f"nothing changed: '{escape_controls(rel)}' is a symlink; kg does not move symlinks")


def _linkpath(link: Link) -> str:
    """What the resolver is asked for a link: a canvas file node's path is a vault path."""
    return "/" + link.target if link.kind is LinkKind.CANVAS_FILE else link.target


def _all_read(vault: Vault) -> None:
    """Refuse when a note or folder could not be read: it may hold links that the move breaks."""
    root = vault.root or Path(".")
    unread = [p.path for p in vault.skipped if p.reason.startswith("cannot") and os.path.exists(root / p.path)]  # not a dangling symlink
    unread += [path for path, note in vault.notes.items()
               if any(problem.kind == "unreadable-file" and problem.message.startswith("cannot") for problem in note.problems)]
    if unread:
        shown = ", ".join(f"'{escape_controls(path)}'" for path in sorted(unread)[:5])
        raise ChangeRefused(f"nothing changed: kg cannot read {shown}{' and more' if len(unread) > 5 else ''}, "
                            "whose links the move might break")


def _no_symlink_into(root: Path, old: str) -> None:
    """Refuse to move what a symlink of the vault points to (or into): the symlink would dangle."""
    moved = os.path.realpath(root / old)
    for link in _symlinks(root):
        real = os.path.realpath(link)
        if real == moved or real.startswith(moved + os.sep):
            rel = os.path.relpath(link, root).replace(os.sep, "/")
            raise ChangeRefused(f"nothing changed: the symlink '{escape_controls(rel)}' points to '{escape_controls(old)}' "
                                "and would dangle; kg does not rewrite symlinks")


def _symlinks(folder: Path) -> Iterator[str]:
    """Every symlink under ``folder`` (hidden folders too), not following any."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.is_symlink():
            yield entry.path
        elif entry.is_dir(follow_symlinks=False):
            yield from _symlinks(Path(entry.path))


def _retargeted(vault: Vault, renamed: dict[str, str], resolver: Resolver,
                form: str | None) -> tuple[dict[str, list[tuple[Link, str]]], list[str]]:
    """The links the move would lead astray, by note: (link, the linkpath that keeps it), and the
    links no linkpath can keep. A relative link in a moved note is written afresh even where
    Obsidian would still resolve it (``..`` stops at the vault root): the reverse move then
    gives back the very text it had."""
    targets: dict[str, list[tuple[Link, str]]] = defaultdict(list)
    problems = []
    for ref in vault.references:
        source = renamed.get(ref.source, ref.source)
        want = renamed.get(ref.path, ref.path) if ref.path is not None else None
        now = resolver.resolve(_linkpath(ref.link), source).path
        if now == want and not (source != ref.source and ref.link.target.startswith(("./", "../"))):
            continue
        where = f"{escape_controls(ref.source)}:{ref.link.span.line}:{ref.link.span.col}: link '{escape_controls(ref.link.raw)}'"
        if want is None:
            problems.append(f"{where} leads nowhere now but would lead to '{escape_controls(str(now))}'")
            continue
        if ref.link.kind is LinkKind.CANVAS_FILE:  # a canvas names a file by its vault path
            linkpath: str | None = want
        else:
            linkpath = linkpath_for(ref.link, ref.path, want, source, resolver, form, ref.source)
        if linkpath is None:
            problems.append(f"{where}: no link from '{escape_controls(source)}' reaches '{escape_controls(want)}'")
        elif linkpath != ref.link.target:
            targets[ref.source].append((ref.link, linkpath))
    return targets, problems


def _file_change(vault: Vault, path: str, links: list[tuple[Link, str]], problems: list[str],
                 stamps: dict[str, Stamp]) -> FileChange | None:
    """The new content of one note or canvas with its links pointed at their new linkpaths; how
    the file was when read goes into ``stamps``."""
    spots = {id(spot.link): spot for spot in vault.canvases[path].links} if path in vault.canvases else None
    try:
        data, stamps[path] = stamp((vault.root or Path(".")) / path)
        text = data.decode("utf-8")
    except OSError as exc:
        problems.append(f"cannot read '{escape_controls(path)}': {exc.strerror or exc}")
        return None
    except UnicodeDecodeError:
        problems.append(f"'{escape_controls(path)}' is not valid UTF-8: kg rewrites only what it can write back byte for byte")
        return None
    offsets, edits = Offsets(text), []
    for link, linkpath in links:
        if spots is None:
            edit = link_edit(offsets, link, lambda text, link=link, linkpath=linkpath: replace_linkpath(link, text, linkpath))
        else:
            edit = _canvas_edit(offsets.text, spots[id(link)], linkpath)
        if edit is None:
            problems.append(f"{escape_controls(path)}:{link.span.line}:{link.span.col}: cannot rewrite link '{escape_controls(link.raw)}'")
        else:
            edits.append(edit)
    if len(edits) != len(links):
        return None
    return FileChange(path, data, splice(text, edits).encode("utf-8"), tuple(edits))


def _canvas_edit(text: str, spot: CanvasLink, linkpath: str) -> Edit | None:
    """The edit that points one link of a canvas at ``linkpath``, written as JSON string content
    (see :class:`~kg.model.CanvasLink`); None if the file does not hold it where it was read."""
    old = text[spot.start:spot.end]
    try:
        written = json.loads(f'"{old}"')
    except ValueError:
        return None
    link = spot.link
    if spot.field == "text":
        new = replace_linkpath(link, written, linkpath) if written == link.raw else None
    else:
        new = linkpath if written == link.target else None
    if new is None:
        return None
    return Edit(spot.start, spot.end, old, json.dumps(new, ensure_ascii=False)[1:-1], link.span.line)


def _stamp(root: Path, path: str) -> Stamp:
    try:
        return stamp(root / path)[1]
    except OSError as exc:
        raise ChangeRefused(f"nothing changed: cannot read '{escape_controls(path)}': {exc.strerror or exc}") from exc
