"""KG0xx: links that do not lead where they say."""

from __future__ import annotations

import re
import sys
from itertools import islice
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from kg.lint.finding import Hit
from kg.lint.registry import rule
from kg.model import Link, Reference
from kg.resolve import fold, heading_key

if TYPE_CHECKING:
    from kg.vault import Vault

_URL = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.\-]*://|www\.)", re.IGNORECASE)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_WHY = {"exact": "it is at that vault path", "folder": "its path starts with the linking note's folder",
        "name": "its path is the shortest"}


AMBIGUOUS_SHOWN = 10
"""How many of the other files an ambiguous link fits ``ambiguous-link`` names; it counts the rest."""


def _is_url(ref: Reference) -> bool:
    return bool(_URL.match(ref.link.target))


def _hit(ref: Reference, message: str) -> Hit:
    if ref.link.node is not None:
        message += f" (canvas node '{ref.link.node}')"
    return Hit(ref.source, ref.link.span, message, ref.link.raw)


def _unresolved(vault: Vault) -> Iterator[Reference]:
    """Unresolved references that are neither aliases nor URLs: the plain broken ones."""
    for ref in vault.references:
        if ref.path is None and not ref.alias_of and not _is_url(ref):
            yield ref


SUGGESTION_BUDGET = 2_000_000
"""How many pairs of names one rule may compare for 'did you mean' suggestions in one lint run
(about a tenth of a second's work; a lookup also costs :data:`LOOKUP_COST` for itself).

A lookup compares a word with every name of the vault, so suggesting for each of 10,000 different
broken targets among 10,000 files would take 10^8 comparisons. Suggestions are memoised per word,
and once a rule has spent its budget it stops suggesting: in source order, so the output stays the
same from run to run. A rule's lookups against the vault's names are made together
(:func:`closest_matches`), which costs about 45 ns a comparison with RapidFuzz (one lookup at a
time costs 200 ns, as RapidFuzz then converts every name again; difflib's cost 4 µs): the budget
covers 200 lookups in a 10,000-note vault, and a thousand in a vault of 2,000 notes."""

LOOKUP_COST = 16
"""What one lookup costs besides its comparisons, in comparisons."""

_MATRIX_CELLS = 1 << 20
"""How many similarities :func:`closest_matches` holds at once (8 MB)."""

BATCH_FROM = 1_000_000
"""From this many comparisons, :func:`closest_matches` scores the words together: it saves about
150 ns a comparison but needs NumPy, whose import costs about 0.1 s (paid once per run)."""


def closest_match(word: str, choices: Sequence[str], cutoff: float) -> str | None:
    """The choice most similar to ``word``, if at least ``cutoff`` similar (0 to 1), else None; the
    first in ``choices`` on a tie.

    Similarity is RapidFuzz's normalised Indel similarity, ``2 * LCS / (len(a) + len(b))``: the
    same scale as difflib's ratio and never below it, computed bit-parallel in C++.

    >>> closest_match("transfomer", ["tokenizer", "transformer"], 0.75)
    'transformer'
    """
    best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff * 100)
    return best[0] if best is not None else None


def closest_matches(words: Sequence[str], choices: Sequence[str], cutoff: float) -> list[str | None]:
    """:func:`closest_match` for each of ``words``: the same answers, several times faster for many
    words, as RapidFuzz then reads ``choices`` once for them all and compares several words at a
    time (one score matrix per block of words; see :data:`BATCH_FROM`).

    >>> closest_matches(["transfomer", "tokeniser", "zzz"], ["tokenizer", "transformer"], 0.75)
    ['transformer', 'tokenizer', None]
    """
    if len(words) * len(choices) < BATCH_FROM and "numpy" not in sys.modules:
        return [closest_match(word, choices, cutoff) for word in words]
    if not choices:
        return [None] * len(words)
    import numpy

    found: list[str | None] = []
    rows = max(1, _MATRIX_CELLS // len(choices))
    for start in range(0, len(words), rows):
        scores = process.cdist(words[start:start + rows], choices, scorer=fuzz.ratio, score_cutoff=cutoff * 100,
                               dtype=numpy.float64, workers=1)
        best = scores.argmax(axis=1)  # the first of the highest scores
        top = scores[numpy.arange(len(best)), best]
        found += [choices[index] if score >= cutoff * 100 else None for index, score in zip(best.tolist(), top.tolist())]
    return found


class _Budget:
    """What a rule may still spend on 'did you mean' lookups (see :data:`SUGGESTION_BUDGET`)."""

    def __init__(self) -> None:
        self.spent = 0

    def allows(self, choices: int) -> bool:
        """Whether a lookup among ``choices`` names fits in what is left; if it does, it is spent."""
        cost = choices + LOOKUP_COST
        if self.spent + cost > SUGGESTION_BUDGET:
            return False
        self.spent += cost
        return True


class _Names:
    """Closest existing names, for 'did you mean' suggestions."""

    def __init__(self, vault: Vault):
        self.by_key: dict[str, str] = {}
        for path in vault.files:
            title = path.rsplit("/", 1)[-1]
            self.by_key.setdefault(fold(title[:-3] if title.lower().endswith(".md") else title), title)
        self.keys = sorted(self.by_key)

    def closest(self, targets: Sequence[str]) -> dict[str, str]:
        """Link target -> the existing file name closest to its last segment (``.md`` left out), for
        the targets that have one; the targets looked up in order, while the budget lasts."""
        budget = _Budget()
        words: dict[str, None] = {}  # the folded names looked up, in order
        for target in targets:
            word = _word(target)
            if word not in words and budget.allows(len(self.keys)):
                words[word] = None
        near = {word: self.by_key[key] for word, key in zip(words, closest_matches(list(words), self.keys, 0.75))
                if key is not None}
        shown = {}
        for target in targets:
            title = near.get(_word(target))
            if title is not None:
                shown[target] = title[:-3] if title.lower().endswith(".md") else title
        return shown


def _word(target: str) -> str:
    return fold(target.rsplit("/", 1)[-1])


def _did_you_mean(near: str | None) -> str:
    return f"; did you mean '{near}'?" if near else ""


@rule("KG001", "broken-link", "error")
def broken_link(vault: Vault) -> Iterator[Hit]:
    """Link target does not match any file in the vault.

    ## What it does
    Finds links (wiki-links, Markdown links, frontmatter links) whose target resolves to no file, the
    way Obsidian resolves them: case-insensitively, `.md` optional for notes, by exact path, then
    the linking note's folder, then the shortest path.

    ## Why is this bad?
    Obsidian shows the link as unresolved and clicking it creates an empty note. Usually the target
    was renamed, moved or misspelt.

    ## Example
    ```markdown
    See [[Transfomer]] for the architecture.
    ```

    ## Use instead
    ```markdown
    See [[Transformer]] for the architecture.
    ```
    """
    refs = [ref for ref in _unresolved(vault) if not ref.link.is_embed]
    near = _Names(vault).closest([ref.link.target for ref in refs])
    for ref in refs:
        yield _hit(ref, f"link target '{ref.link.target}' does not match any file{_did_you_mean(near.get(ref.link.target))}")


@rule("KG002", "ambiguous-link")
def ambiguous_link(vault: Vault) -> Iterator[Hit]:
    """Link names a file that exists more than once in the vault.

    ## What it does
    Finds bare-name links such as `[[Overview]]` that fit several files (`A/Overview.md` and
    `B/Overview.md`) and says which one Obsidian picks and why.

    ## Why is this bad?
    Which file the link opens depends on where the linking note stands and on the other files'
    paths; moving or adding a file silently changes the target.

    ## Example
    ```markdown
    [[Overview]]
    ```

    ## Use instead
    ```markdown
    [[Models/Generative/Overview|Overview]]
    ```
    """
    for ref in vault.references:
        if ref.path is not None and len(ref.candidates) > 1:
            others = [f"'{c}'" for c in islice((c for c in ref.candidates if c != ref.path), AMBIGUOUS_SHOWN + 1)]
            if len(others) > AMBIGUOUS_SHOWN:  # a name 2,000 files share must not make 2,000 x 2,000 names of output
                others[AMBIGUOUS_SHOWN:] = [f"{len(ref.candidates) - 1 - AMBIGUOUS_SHOWN} more"]
            why = _WHY.get(ref.match or "", "it is the best match")
            message = (f"link '{ref.link.target}' fits {len(ref.candidates)} files; '{ref.path}' wins because {why} "
                       f"(also {', '.join(others)})")
            yield _hit(ref, message)


def _rewrite(vault: Vault, ref: Reference, owner: str) -> str:
    title = owner[:-3] if owner.lower().endswith(".md") else owner
    name = title.rsplit("/", 1)[-1]
    unique = len(vault.resolver.resolve(name, ref.source).candidates) <= 1
    subpath = f"#{ref.link.subpath}" if ref.link.subpath else ""
    bang = "!" if ref.link.is_embed else ""
    return f"{bang}[[{name if unique else title}{subpath}|{ref.link.display or ref.link.target}]]"


@rule("KG003", "alias-only-link", fix="safe")
def alias_only_link(vault: Vault) -> Iterator[Hit]:
    """Link target is an alias, which Obsidian does not resolve.

    ## What it does
    Finds unresolved links whose target is an alias declared in another note's `aliases`.

    ## Why is this bad?
    Obsidian matches links against file names only: `[[AI]]` stays unresolved even when a note
    declares `aliases: [AI]`, and clicking it creates a new note called AI.

    ## Example
    ```markdown
    [[AI]]
    ```

    ## Use instead
    ```markdown
    [[Artificial Intelligence|AI]]
    ```
    """
    for ref in vault.references:
        if ref.path is None and ref.alias_of:
            owner = ref.alias_of[0]
            message = f"link target '{ref.link.target}' is an alias of '{owner}'; write '{_rewrite(vault, ref, owner)}'"
            yield _hit(ref, message)


class _Headings:
    """Closest headings of the target notes, for 'did you mean' suggestions: memoised per note and
    heading, in source order while the budget lasts (each note has headings of its own to compare)."""

    def __init__(self, vault: Vault):
        self.vault = vault
        self.memo: dict[tuple[str | None, str], str | None] = {}
        self.budget = _Budget()

    def closest(self, ref: Reference) -> str | None:
        note = self.vault.notes.get(ref.path or "")
        wanted = heading_key(ref.link.heading_chain[-1]).lower() if ref.link.heading_chain else ""
        key = (ref.path, wanted)
        if key not in self.memo:
            headings = {heading_key(h.text).lower(): h.text for h in note.headings} if note else {}
            found = closest_match(wanted, sorted(headings), 0.6) if self.budget.allows(len(headings)) else None
            self.memo[key] = headings[found] if found is not None else None
        return self.memo[key]


@rule("KG004", "missing-heading")
def missing_heading(vault: Vault) -> Iterator[Hit]:
    """Link points to a heading that the target note does not have.

    ## What it does
    Checks `[[Note#Heading]]` and `[[Note#Heading#Sub]]` against the target's headings, compared
    as Obsidian does (punctuation counts as a space); a chain must follow the nesting of the note.

    ## Why is this bad?
    Obsidian opens the note at the top instead of the section; the heading was probably renamed.

    ## Example
    ```markdown
    [[Transformer#Attention is all]]
    ```

    ## Use instead
    ```markdown
    [[Transformer#Attention]]
    ```
    """
    headings = _Headings(vault)
    for ref in vault.references:
        if ref.subpath_status == "missing-heading":
            message = f"heading '{ref.link.subpath or ''}' not found in '{ref.path}'{_did_you_mean(headings.closest(ref))}"
            yield _hit(ref, message)


@rule("KG005", "missing-block")
def missing_block(vault: Vault) -> Iterator[Hit]:
    """Link points to a block id that the target note does not declare.

    ## What it does
    Checks `[[Note#^block-id]]` against the block ids of the target note: a `^block-id` that ends a
    paragraph, list item or heading, or stands on a line of its own followed by a blank line. Ids
    match in any case, as in Obsidian.

    ## Why is this bad?
    The block reference or embed shows nothing; the block id was removed or mistyped.

    ## Example
    ```markdown
    ![[Open-source AI#^oss-benefit]]
    ```

    ## Use instead
    ```markdown
    ![[Open-source AI#^oss-benefits]]
    ```
    """
    for ref in vault.references:
        if ref.subpath_status == "missing-block":
            yield _hit(ref, f"block '^{ref.link.block_id}' not found in '{ref.path}'")


@rule("KG006", "broken-embed", "error")
def broken_embed(vault: Vault) -> Iterator[Hit]:
    """Embedded file does not exist.

    ## What it does
    Finds embeds (`![[pic.png]]`, `![[Note]]`, `![alt](pic.png)`) whose file is missing.
    Attachments need their extension: `![[Figure 1]]` looks for a note, not `Figure 1.png`.

    ## Why is this bad?
    The note shows an empty box where the image, PDF or note should be.

    ## Example
    ```markdown
    ![[diagram.svg]]
    ```

    ## Use instead
    ```markdown
    ![[attachments/diffusion-denoising.svg]]
    ```
    """
    refs = [ref for ref in _unresolved(vault) if ref.link.is_embed]
    near = _Names(vault).closest([ref.link.target for ref in refs])
    for ref in refs:
        yield _hit(ref, f"embedded file '{ref.link.target}' does not exist{_did_you_mean(near.get(ref.link.target))}")


@rule("KG007", "non-canonical-path", fix="unsafe")
def non_canonical_path(vault: Vault) -> Iterator[Hit]:
    """Link reaches its file only by matching the end of the file's path.

    ## What it does
    Finds links such as `[[b/Note]]` that match no vault path exactly and that Obsidian resolves by
    the end of a path (`a/b/Note.md`, and also `xb/Note.md`: the match is a plain string test),
    including a relative link whose joined path does not exist (`[[../Note]]`).

    ## Why is this bad?
    Obsidian resolves the link, but only as long as no better match appears: a file added later
    whose path ends the same way and is shorter (`b/Note.md`, `xb/Note.md`) takes the link over
    without a word. The full path from the vault root always means the same file.

    ## Example
    ```markdown
    [[Generative/Overview]]
    ```

    ## Use instead
    ```markdown
    [[Models/Generative/Overview]]
    ```
    """
    for ref in vault.references:
        if ref.match == "suffix" and ref.path:
            full = ref.path[:-3] if ref.path.lower().endswith(".md") else ref.path
            message = (f"link '{ref.link.target}' reaches '{ref.path}' only by the end of its path, which "
                       f"another file may match later; write '[[{full}]]'")
            yield _hit(ref, message)


@rule("KG008", "suspicious-url-wikilink")
def suspicious_url_wikilink(vault: Vault) -> Iterator[Hit]:
    """Wiki-link holds a URL, which Obsidian reads as a note name.

    ## What it does
    Finds unresolved links whose target starts with a URL scheme or `www.`: wiki-links, and
    Markdown links whose destination has no `:` (`[m](www.example.com)`), which Obsidian reads as
    internal too. The fix it suggests always carries a scheme.

    ## Why is this bad?
    `[[https://example.com]]` is not an external link in Obsidian: it is an unresolved internal
    link, and clicking it creates a note named after the URL. A Markdown link is external only
    when its destination holds a `:`, so `[m](www.example.com)` is a note name as well.

    ## Example
    ```markdown
    [[https://example.com]] [[www.example.com]] [m](www.example.com)
    ```

    ## Use instead
    ```markdown
    [example](https://example.com) [m](https://www.example.com)
    ```
    """
    for ref in vault.references:
        if ref.path is None and _is_url(ref):
            yield _hit(ref, f"link target '{ref.link.target}' is a url; write '[text]({_external(ref.link)})'")


def _external(link: Link) -> str:
    """The URL a link that names one means, with a scheme: a destination without one is internal."""
    url = link.target if link.subpath is None else f"{link.target}#{link.subpath}"
    return url if _SCHEME.match(url) else f"https://{url}"


@rule("KG009", "heading-case-mismatch", "info", fix="safe")
def heading_case_mismatch(vault: Vault) -> Iterator[Hit]:
    """Heading link matches its heading only when case is ignored.

    ## What it does
    Finds `[[Note#heading]]` where the note has `## Heading`: same words, other case.

    ## Why is this bad?
    Obsidian finds the heading, but tools that compare headings exactly (and some plugins) do not.

    ## Example
    ```markdown
    [[Sorting#default sort order]]
    ```

    ## Use instead
    ```markdown
    [[Sorting#Default sort order]]
    ```
    """
    for ref in vault.references:
        if ref.subpath_status == "case-mismatch":
            yield _hit(ref, f"heading '{ref.link.subpath}' matches a heading in '{ref.path}' only ignoring case")
