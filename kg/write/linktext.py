"""A link's text pointed at another file: the linkpath part replaced, all else kept.

Only the linkpath changes: the ``!``, the subpath, the display text, an escaped ``\\|``, the spaces
inside ``[[ ... ]]``, a Markdown link's title and angle brackets stay as written. The new linkpath
keeps the link's own form (a bare name, a vault path, a ``./`` or ``../`` relative path; with or
without ``.md``) unless the vault's ``newLinkFormat`` asks for another.
"""

from __future__ import annotations

import posixpath
import unicodedata
from collections.abc import Iterator

from kg.model import Link, LinkKind
from kg.resolve import Resolver, fold

__all__ = ["FORMS", "linkpath_for", "replace_linkpath"]

FORMS = ("shortest", "relative", "absolute")
"""Obsidian's ``newLinkFormat`` values."""

_TRIM = " \t\u00a0"
_WIKI = (LinkKind.WIKILINK, LinkKind.EMBED, LinkKind.FRONTMATTER)


def replace_linkpath(link: Link, text: str, linkpath: str) -> str | None:
    """``text`` (the link as it stands in the file) with its linkpath replaced by ``linkpath``, or
    None when the linkpath cannot be told apart or cannot be written in this link's syntax.

    >>> link = Link(LinkKind.WIKILINK, "[[A#h|x]]", "A", "h", "x", None)
    >>> replace_linkpath(link, "[[A#h|x]]", "b/C")
    '[[b/C#h|x]]'
    """
    where = _wiki_linkpath(text) if link.kind in _WIKI else _markdown_linkpath(link, text)
    if where is None:
        return None
    start, end, angled = where
    if not _writable(link.kind, linkpath):
        return None
    if link.kind in _WIKI:
        written = linkpath
    else:
        written = _destination(linkpath, angled)
        if written is None:
            return None
    return text[:start] + written + text[end:]


def _wiki_linkpath(text: str) -> tuple[int, int, bool] | None:
    """Where the linkpath of ``[[...]]`` / ``![[...]]`` stands in ``text``."""
    first = text.find("[[")
    if first < 0 or not text.endswith("]]"):
        return None
    start, stop = first + 2, len(text) - 2
    inner = text[start:stop]
    bar = inner.find("|")
    cut = len(inner) if bar <= 0 else bar
    head = inner[:cut]
    hash_at = head.find("#")
    if hash_at >= 0:
        head = head[:hash_at]
    elif bar > 0 and head.endswith("\\"):
        head = head[:-1]
    left = len(head) - len(head.lstrip(_TRIM))
    right = len(head.rstrip(_TRIM))
    if right <= left:
        return None
    return start + left, start + right, False


def _markdown_linkpath(link: Link, text: str) -> tuple[int, int, bool] | None:
    """Where the linkpath of ``[text](dest "title")`` stands in ``text``: the destination whose
    decoded path is the link's target (the label may hold ``](`` itself)."""
    if not text.endswith(")"):
        return None
    for opening in _rfind_all(text, "]("):
        start = opening + 2
        while start < len(text) and text[start] in " \t":
            start += 1
        angled = text.startswith("<", start)
        if angled:
            start += 1
            end = text.find(">", start)
        else:
            end = start
            while end < len(text) - 1 and not text[end].isspace():
                end += 1
        if end < 0:
            continue
        hash_at = text.find("#", start, end)
        stop = hash_at if hash_at >= 0 else end
        if _decoded(text[start:stop]) == link.target:
            return start, stop, angled
    return None


def _rfind_all(text: str, needle: str) -> Iterator[int]:
    at = text.rfind(needle)
    while at >= 0:
        yield at
        at = text.rfind(needle, 0, at)


def _decoded(destination: str) -> str:
    from urllib.parse import unquote

    return unquote(destination).strip()


_ENCODE = {" ": "%20", "%": "%25", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E", "\t": "%09"}


def _destination(linkpath: str, angled: bool) -> str | None:
    """A linkpath written as a Markdown destination: raw inside ``<...>``, else with the characters
    that would end or garble it percent-encoded. None when no destination can name it."""
    if angled:
        return None if "<" in linkpath or ">" in linkpath else linkpath
    return "".join(_ENCODE.get(ch, ch) for ch in linkpath)


def linkpath_for(link: Link, was: str | None, path: str, source: str, resolver: Resolver, form: str | None,
                 origin: str | None = None) -> str | None:
    """The linkpath that leads from ``source`` to ``path`` under ``resolver``, in ``form`` (one of
    :data:`FORMS`) or, with None, in the link's own form; None when no linkpath does.

    ``was`` is the path the link led to before (None if it did not lead anywhere): when the file
    kept its name, the name is written as the link wrote it (its case, ``.md`` or not). ``origin``
    is where the link was written before (``source`` if None): a relative link that climbed
    above the vault root from there (``..`` stops at the root) keeps its extra ``../``, so that the
    reverse move gives back its text.

    >>> resolver = Resolver(["a/Note.md", "b/src.md"], {}, __import__("kg.config").config.Config())
    >>> link = Link(LinkKind.WIKILINK, "[[Old]]", "Old", None, None, None)
    >>> linkpath_for(link, "Old.md", "a/Note.md", "b/src.md", resolver, None)
    'Note'
    >>> linkpath_for(link, "Old.md", "a/Note.md", "b/src.md", resolver, "relative")
    '../a/Note'
    """
    extra = "../" * _above_root(link.target, origin or source)
    for candidate in _candidates(link, was, path, source, form or _form_of(link.target), extra):
        if _writable(link.kind, candidate) and resolver.resolve(candidate, source).path == path:
            return candidate
    return None


def _writable(kind: LinkKind, linkpath: str) -> bool:
    """Whether a link of this kind can hold this linkpath (spec C10): ``#`` starts the subpath in
    both syntaxes; ``|``, ``[[`` and ``]]`` break a wiki-link."""
    if "#" in linkpath or "\n" in linkpath or "\r" in linkpath:
        return False
    return kind not in _WIKI or not any(bad in linkpath for bad in ("|", "[[", "]]"))


def _above_root(target: str, source: str) -> int:
    """How many ``..`` of a relative linkpath climb above the vault root from ``source``.

    >>> _above_root("../../images/a.png", "Docs/note.md"), _above_root("./a", "note.md")
    (1, 0)
    """
    if not target.startswith(("./", "../")):
        return 0
    depth, extra = source.count("/"), 0
    for segment in target.split("/"):
        if segment == "..":
            extra += depth == 0
            depth = max(depth - 1, 0)
        elif segment not in ("", "."):
            depth += 1
    return extra


def _form_of(target: str) -> str:
    if target.startswith(("./", "../")):
        return "relative"
    return "absolute" if "/" in target else "shortest"


def _candidates(link: Link, was: str | None, path: str, source: str, form: str, extra: str) -> Iterator[str]:
    """The linkpaths to try, the preferred first; the vault path always comes last. A name that
    ends in ``]`` is written with its extension: ``[[Odd]]]`` would end the link early."""
    for candidate in _forms(link, was, path, source, form, extra):
        if candidate.endswith("]") and not path.endswith("]"):
            candidate += path[len(path) - len(posixpath.splitext(path)[1]):]
        yield candidate


def _forms(link: Link, was: str | None, path: str, source: str, form: str, extra: str) -> Iterator[str]:
    full = _named(link, was, path)
    folder, _, name = full.rpartition("/")
    if form == "relative":
        relative = posixpath.relpath(full, posixpath.dirname(source) or ".")
        yield extra + relative if relative.startswith("../") or extra else "./" + relative
    elif form == "shortest":
        yield name
    yield "/" + full if link.target.startswith("/") else full
    yield full
    yield "/" + full


def _named(link: Link, was: str | None, path: str) -> str:
    """``path`` as the link would write it: ``.md`` dropped unless the link wrote it, and the
    name spelt as the link spelt it if the file kept its name."""
    written = link.target.rpartition("/")[2]
    folder, _, name = path.rpartition("/")
    if path.lower().endswith(".md") and not written.lower().endswith(".md"):
        name = name[:-3]
    if was is not None and fold(was.rpartition("/")[2]) == fold(path.rpartition("/")[2]):
        if fold(unicodedata.normalize("NFC", written)) == fold(name):
            name = written
    return f"{folder}/{name}" if folder else name
