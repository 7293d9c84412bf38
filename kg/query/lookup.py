"""Finding the node a user means: by vault path, file name or alias, in any case and any script.

This is not link resolution (spec C6, product decision 4): an alias names its note here, and a
name that fits several notes is an error that lists them, instead of a silent tie-break.
"""

from __future__ import annotations

import difflib
import posixpath
import unicodedata
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from kg.errors import AmbiguousNote, NoteNotFound
from kg.resolve import fold

if TYPE_CHECKING:
    from kg.vault import Vault

__all__ = ["find_notes", "find_tagged", "lookup", "names", "suggest"]

def lookup(vault: Vault, name: str) -> str:
    """The one node of the vault graph that ``name`` stands for.

    ``name`` is compared case-insensitively and NFC-normalised (:func:`kg.resolve.fold`) with, in
    this order, stopping at the first kind that fits:

    1. a vault path, ``.md`` optional (``Models/Generative/Overview``);
    2. the end of a vault path, when ``name`` has a ``/`` (``Generative/Overview``);
    3. a file name, ``.md`` optional (``overview``, ``DALL-E.md``, ``diffusion-denoising.svg``);
    4. an alias (``ии модель``);
    5. an unresolved link target (a ghost node such as ``Mixture of Experts``).

    A node id spelled exactly as in the graph always names itself.

    Parameters
    ----------
    vault : Vault
    name : str
        What the user typed.

    Returns
    -------
    str
        A vault path, or a ghost id.

    Raises
    ------
    AmbiguousNote
        If ``name`` fits several nodes equally well; ``matches`` lists them.
    NoteNotFound
        If it fits none; ``suggestions`` holds the closest names.

    Examples
    --------
    >>> from kg.vault import Vault
    >>> vault = Vault.from_texts({
    ...     "AI-Model.md": "---\\naliases: [ИИ Модель]\\n---\\n",
    ...     "a/Overview.md": "", "b/Overview.md": "", "Log.md": "[[Gone]]",
    ... })
    >>> lookup(vault, "ии модель"), lookup(vault, "B/overview.md"), lookup(vault, "gone")
    ('AI-Model.md', 'b/Overview.md', 'Gone')
    >>> lookup(vault, "Overview")
    Traceback (most recent call last):
    kg.errors.AmbiguousNote: 'Overview' matches 2 notes: 'a/Overview.md', 'b/Overview.md'
    >>> lookup(vault, "AI-Modle")
    Traceback (most recent call last):
    kg.errors.NoteNotFound: no note matches 'AI-Modle'; did you mean 'AI-Model'?
    """
    if name in vault.graph:
        return name
    key = fold(name.strip()).lstrip("/")
    for tier in _TIERS:
        found = _prefer_spelling(tier(vault, key), name)
        if len(found) == 1:
            return found[0]
        if found:
            raise AmbiguousNote(name, tuple(found))
    raise NoteNotFound(name, tuple(suggest(vault, name)))


def _prefer_spelling(found: list[str], name: str) -> list[str]:
    """Of vault paths that differ only in case, the one spelled as typed; otherwise all of them."""
    typed = unicodedata.normalize("NFC", name.strip().lstrip("/"))
    exact = [path for path in found if unicodedata.normalize("NFC", path) in (typed, typed + ".md")]
    return exact if len(exact) == 1 else found


def _by_path(vault: Vault, key: str) -> list[str]:
    return [path for path in vault.files if fold(path) in (key, key + ".md")]


def _by_suffix(vault: Vault, key: str) -> list[str]:
    if "/" not in key:
        return []
    return [path for path in vault.files if fold(path).endswith(("/" + key, "/" + key + ".md"))]


def _by_file_name(vault: Vault, key: str) -> list[str]:
    return [path for path in vault.files if posixpath.basename(fold(path)) in (key, key + ".md")]


def _by_alias(vault: Vault, key: str) -> list[str]:
    return [note.path for note in vault if any(fold(alias) == key for alias in note.aliases)]


def _by_ghost(vault: Vault, key: str) -> list[str]:
    return [ghost for ghost in vault.ghosts if fold(ghost) == key]


_TIERS: tuple[Callable[[Vault, str], list[str]], ...] = (_by_path, _by_suffix, _by_file_name, _by_alias, _by_ghost)


def names(vault: Vault, node: str) -> list[str]:
    """What a node is called: its file name (without ``.md``), then its aliases as written.

    >>> from kg.vault import Vault
    >>> names(Vault.from_texts({"Notes/AI.md": "---\\naliases: [ИИ, A.I.]\\n---\\n"}), "Notes/AI.md")
    ['AI', 'ИИ', 'A.I.']
    """
    note = vault.notes.get(node)
    if note is not None:
        return [note.title, *note.aliases]
    return [posixpath.basename(node)]


def find_notes(vault: Vault, text: str) -> dict[str, list[str]]:
    """Nodes whose file name or alias contains ``text``, case-insensitively, in any script.

    Notes, attachments and ghosts (unresolved link targets) are searched; folders are not.

    Parameters
    ----------
    vault : Vault
    text : str
        The text to look for; compared after :func:`kg.resolve.fold`.

    Returns
    -------
    dict
        Node id -> the names that contain ``text`` (file name first, then aliases), sorted by id.

    Examples
    --------
    >>> from kg.vault import Vault
    >>> vault = Vault.from_texts({
    ...     "LLM.md": "---\\naliases: [Большая языковая модель]\\n---\\n[[Model zoo]]",
    ...     "Models/GPT.md": "---\\naliases: [Language model]\\n---\\n",
    ... })
    >>> find_notes(vault, "МОДЕЛЬ")
    {'LLM.md': ['Большая языковая модель']}
    >>> find_notes(vault, "model")
    {'Model zoo': ['Model zoo'], 'Models/GPT.md': ['Language model']}
    """
    key = fold(text.strip())
    found = {}
    for node in (*vault.files, *vault.ghosts):
        hits = [name for name in names(vault, node) if key in fold(name)]
        if hits:
            found[node] = hits
    return dict(sorted(found.items()))


def find_tagged(vault: Vault, tag: str) -> dict[str, list[str]]:
    """Notes that carry ``tag`` (with or without its ``#``) or a tag nested under it, in any case.

    Returns
    -------
    dict
        Vault path -> the note's tags that matched, sorted by path.

    Examples
    --------
    >>> from kg.vault import Vault
    >>> vault = Vault.from_texts({"A.md": "#AI/llm and #other", "B.md": "---\\ntags: [ai]\\n---\\n", "C.md": "#aim"})
    >>> find_tagged(vault, "#ai")
    {'A.md': ['ai/llm'], 'B.md': ['ai']}
    """
    key = fold(tag.strip().lstrip("#"))
    found = {}
    for path, note in vault.notes.items():
        hits = [name for name in note.tags if fold(name) == key or fold(name).startswith(key + "/")]
        if hits:
            found[path] = hits
    return dict(sorted(found.items()))


def _candidates(vault: Vault) -> Iterator[tuple[str, str]]:
    """Every ``(name, node)`` a suggestion may offer: file names, aliases, paths, ghosts."""
    for node in (*vault.files, *vault.ghosts):
        for name in names(vault, node):
            yield name, node
        if "/" in node:
            yield node, node


def suggest(vault: Vault, name: str, count: int = 3) -> list[str]:
    """The names in the vault closest to ``name`` (by :mod:`difflib`), best first, one per node.

    File names, aliases, folder paths and ghost ids are candidates; the comparison is on
    :func:`kg.resolve.fold` forms, and the names come back as written. Only names nearly as
    close as the best one are offered, so a clear favourite comes alone; on a tie a file name
    comes before an alias.

    >>> from kg.vault import Vault
    >>> vault = Vault.from_texts({"Transformer.md": "---\\naliases: [Трансформер]\\n---\\n", "GPT.md": ""})
    >>> suggest(vault, "transfomer"), suggest(vault, "трансформр"), suggest(vault, "zzz")
    (['Transformer'], ['Трансформер'], [])
    """
    spelled: dict[str, tuple[str, set[str]]] = {}
    file_names: set[str] = set()
    for candidate, node in _candidates(vault):
        spelled.setdefault(fold(candidate), (candidate, set()))[1].add(node)
        if candidate == names(vault, node)[0]:
            file_names.add(fold(candidate))
    key = fold(name.strip()).lstrip("/")
    scored = _closest(key, sorted(spelled))
    picked: list[str] = []
    covered: set[str] = set()
    for _, folded in sorted(scored, key=lambda pair: (-pair[0], pair[1] not in file_names, pair[1])):
        candidate, nodes = spelled[folded]
        if not nodes <= covered and len(picked) < count:
            picked.append(candidate)
            covered |= nodes
    return picked


def _closest(key: str, options: list[str], cutoff: float = 0.6, band: float = 0.1) -> list[tuple[float, str]]:
    """``(similarity, option)`` for options at least ``cutoff`` similar and within ``band`` of the best."""
    matcher = difflib.SequenceMatcher(b=key)
    scored = []
    for option in options:
        matcher.set_seq1(option)
        if matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff and matcher.ratio() >= cutoff:
            scored.append((matcher.ratio(), option))
    best = max((score for score, _ in scored), default=0.0)
    return [(score, option) for score, option in scored if score >= best - band]
