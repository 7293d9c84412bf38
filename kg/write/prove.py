"""The proof of a change: every link still leads where it led (or where the change meant it to).

The same comparison runs twice: on the vault as the change would leave it, built in memory before
anything is written (a failure refuses the change), and on the vault read back from disk after it
is written (a failure rolls it back).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace

from kg.load import parse_file
from kg.model import Reference
from kg.parse import note_title
from kg.parse.canvas import parse_canvas
from kg.text import escape_controls
from kg.vault import Vault
from kg.write.change import Change

__all__ = ["differences", "simulate"]

SHOWN = 10
"""How many differences a refusal lists; it counts the rest."""


def simulate(vault: Vault, change: Change) -> Vault:
    """The vault as ``change`` would leave it, built in memory: edited notes and canvases parsed
    from their new text (only text that is valid UTF-8 is edited), moved ones under their new
    paths, every link resolved afresh."""
    texts = {item.path: item.after for item in change.files}
    notes = {}
    for path, note in vault.notes.items():
        where = change.moved(path)
        if path in texts:
            note = parse_file(where, texts[path], vault.config)
        elif where != path:
            note = replace(note, path=where, title=note_title(where))
        notes[where] = note
    canvases = {}
    for path, canvas in vault.canvases.items():
        where = change.moved(path)
        if path in texts:
            canvas = parse_canvas(texts[path].decode("utf-8"), where, vault.config)
        elif where != path:
            canvas = replace(canvas, path=where)
        canvases[where] = canvas
    files = [change.moved(path) for path in vault.files]
    return Vault(notes, files, config=vault.config, excluded=[change.moved(p) for p in vault.excluded], canvases=canvases)


def differences(before: Vault, after: Vault, change: Change) -> list[str]:
    """What ``after`` does differently from what ``change`` promises ``before`` becomes: one line
    per difference, at most :data:`SHOWN` and a count of the rest."""
    found: list[str] = []
    wanted = sorted(change.moved(path) for path in before.files)
    if list(after.files) != wanted:
        missing = sorted(set(wanted) - set(after.files))[:SHOWN]
        extra = sorted(set(after.files) - set(wanted))[:SHOWN]
        found.append(f"the files differ: missing {missing}, unexpected {extra}")
    old, new = _by_note(before), _by_note(after)
    for path in [*before.notes, *before.canvases]:
        where = change.moved(path)
        if where not in after.notes and where not in after.canvases:
            found.append(f"'{escape_controls(where)}' was not read back")
            continue
        found += _note_differences(path, old.get(path, []), new.get(where, []), change)
    return found[:SHOWN] + ([f"and {len(found) - SHOWN} more"] if len(found) > SHOWN else [])


def _note_differences(path: str, old: list[Reference], new: list[Reference], change: Change) -> list[str]:
    where = change.moved(path)
    wanted = [change.expected.get((path, index), change.moved(was.path) if was.path else None) for index, was in enumerate(old)]
    if len(old) + change.gained.get(path, 0) != len(new):
        return [f"'{escape_controls(where)}' has {len(new)} links, not {len(old)}"]
    if path in change.gained:
        lost = Counter(wanted) - Counter(ref.path for ref in new)
        return [f"'{escape_controls(where)}' lost links to {sorted(str(p) for p in lost)}"] if lost else []
    found = []
    for want, now in zip(wanted, new):
        if now.path != want:
            span = now.link.span
            found.append(f"{escape_controls(where)}:{span.line}:{span.col}: link '{escape_controls(now.link.raw)}' "
                         f"would lead to '{escape_controls(now.path or 'nothing')}', not '{escape_controls(want or 'nothing')}'")
    return found


def _by_note(vault: Vault) -> dict[str, list[Reference]]:
    out: dict[str, list[Reference]] = defaultdict(list)
    for ref in vault.references:
        out[ref.source].append(ref)
    return out
