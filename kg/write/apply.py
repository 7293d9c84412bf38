"""Carrying out a planned change: check, write, prove, and roll back on any failure."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kg.errors import ChangeRefused
from kg.load import load_vault
from kg.scan import decode
from kg.text import escape_controls
from kg.vault import Vault
from kg.write.change import Change, stamp
from kg.write.disk import Journal
from kg.write.prove import differences, simulate
from kg.write.splice import unchanged_outside

__all__ = ["apply_change", "check_change", "confined"]


def confined(root: Path, rel: str) -> str | None:
    """Why kg may not write at vault path ``rel``, or None: it must name something inside the
    vault, through no symlink, and not in a hidden folder (``.obsidian``, ``.git``).

    >>> confined(Path("."), "../x.md"), confined(Path("."), ".obsidian/app.json")
    ("'../x.md' leaves the vault", "'.obsidian/app.json' is hidden: kg does not write there")
    """
    parts = rel.split("/")
    if not rel or rel.startswith("/") or any(part in ("", ".", "..") for part in parts):
        return f"'{escape_controls(rel)}' leaves the vault"
    if any(part.startswith(".") for part in parts):
        return f"'{escape_controls(rel)}' is hidden: kg does not write there"
    folder = root
    for part in parts:
        folder = folder / part
        if folder.is_symlink():
            return f"'{escape_controls(rel)}' goes through the symlink '{escape_controls(str(folder.relative_to(root)))}'"
    return None


def check_change(vault: Vault, change: Change) -> None:
    """Refuse the change (raise :class:`~kg.errors.ChangeRefused`) if it cannot be made safely:
    a file changed since it was read, a path leaves the vault or goes through a symlink, a target
    exists, something is not writable, or the vault it would leave differs from the promise."""
    reasons = []
    for path, was in sorted(change.stamps.items()):
        reasons += _stale(change.root, path, was)
    for old, new in change.moves:
        reasons += [why for why in (confined(change.root, old), confined(change.root, new)) if why]
        if os.path.lexists(change.root / new):
            reasons.append(f"'{escape_controls(new)}' exists")
        reasons += _unwritable(change.root, old, new)
    for item in change.files:
        why = confined(change.root, item.path)
        reasons += [why] if why else _unwritable(change.root, item.path)
    if not reasons:
        reasons = differences(vault, simulate(vault, change), change)
    if reasons:
        raise ChangeRefused("nothing changed: " + "; ".join(reasons))


def _stale(root: Path, path: str, was: object) -> list[str]:
    try:
        now = stamp(root / path)[1]
    except OSError as exc:
        return [f"cannot read '{escape_controls(path)}': {exc.strerror or exc}"]
    return [] if now == was else [f"'{escape_controls(path)}' changed on disk since kg read it"]


def _unwritable(root: Path, *paths: str) -> list[str]:
    """Why these vault files (or the folders a new one goes in) cannot be written, if they cannot.
    A file without its owner's write bit is read-only even to root."""
    reasons = []
    for rel in paths:
        path = root / rel
        if path.exists() and not (os.access(path, os.W_OK) and os.stat(path).st_mode & stat.S_IWUSR):
            reasons.append(f"'{escape_controls(rel)}' is not writable")
        folder = path.parent
        while not folder.exists():
            folder = folder.parent
        if not os.access(folder, os.W_OK | os.X_OK):
            reasons.append(f"folder '{escape_controls(os.path.relpath(folder, root))}' is not writable")
    return sorted(set(reasons))


def apply_change(vault: Vault, change: Change) -> Vault:
    """Make the change: check it, write each file atomically, make the moves, then read the vault
    back and prove it; on any failure (a full disk, an interruption, a failed proof) undo it all.

    Returns the vault as read back. Raises :class:`~kg.errors.ChangeRefused` when nothing was
    changed, whether refused at once or rolled back."""
    check_change(vault, change)
    journal = Journal(change.root)
    try:
        for item in change.files:
            if _stale(change.root, item.path, change.stamps.get(item.path)):  # since the check: a race
                raise ChangeRefused(f"'{escape_controls(item.path)}' changed on disk while kg wrote")
            journal.write(item.path, item.after, item.before)
        for old, new in change.moves:
            journal.move(old, new)
        after = load_vault(change.root, vault.config)
        failures = _on_disk(change) + differences(vault, after, change)
        if failures:
            raise ChangeRefused("; ".join(failures))
    except BaseException as exc:
        errors = journal.undo()
        if errors:
            raise ChangeRefused(f"{_why(exc)}; rolling back failed too, the vault needs a look: {'; '.join(errors)}") from exc
        if isinstance(exc, (OSError, ChangeRefused)):
            raise ChangeRefused(f"rolled back, nothing changed: {_why(exc)}") from exc
        raise
    return after


def _why(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}" + (f": '{escape_controls(str(exc.filename))}'" if exc.filename else "")
    return str(exc)


def _on_disk(change: Change) -> list[str]:
    """Whether each edited file holds, at its new path, its old bytes but for the edited spans."""
    found = []
    for item in change.files:
        where = change.moved(item.path)
        try:
            data = (change.root / where).read_bytes()
        except OSError as exc:
            found.append(f"cannot read '{escape_controls(where)}' back: {exc.strerror or exc}")
            continue
        before, after = decode(item.before)[0] or "", decode(data)[0] or ""
        if data != item.after or not unchanged_outside(before, after, item.edits):
            found.append(f"'{escape_controls(where)}' does not hold what was written")
    return found
