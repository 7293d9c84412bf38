"""KG2xx: frontmatter and aliases."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kg.lint.finding import Hit
from kg.lint.registry import rule
from kg.lint.rules.hierarchy import problems
from kg.resolve import fold

if TYPE_CHECKING:
    from kg.vault import Vault


@rule("KG201", "invalid-frontmatter", "error")
def invalid_frontmatter(vault: Vault) -> Iterator[Hit]:
    """Frontmatter is not valid YAML, or not a mapping of properties.

    ## What it does
    Parses the `---` block at the top of each note and reports YAML errors at the line and column
    where they stand, and frontmatter that is a list or a plain value.

    ## Why is this bad?
    Obsidian ignores the whole block: no properties, aliases, tags or `up` links are read from it.

    ## Example
    ```yaml
    ---
    up: [[A]], [[B]]
    ---
    ```

    ## Use instead
    ```yaml
    ---
    up:
      - "[[A]]"
      - "[[B]]"
    ---
    ```
    """
    yield from problems(vault, "invalid-frontmatter")


@rule("KG202", "unquoted-frontmatter-link", fix="safe")
def unquoted_frontmatter_link(vault: Vault) -> Iterator[Hit]:
    """Wiki-link in frontmatter is not quoted.

    ## What it does
    Finds `key: [[X]]` and `- [[X]]` in frontmatter, which YAML reads as a nested list, not as
    text. kg still reads it as the link it means in hierarchy fields; Obsidian does not.

    ## Why is this bad?
    Obsidian's properties show `[["X"]]` instead of a link, and the link is missing from the graph,
    backlinks and Breadcrumbs.

    ## Example
    ```yaml
    up: [[AI-concept]]
    ```

    ## Use instead
    ```yaml
    up: "[[AI-concept]]"
    ```
    """
    yield from problems(vault, "unquoted-frontmatter-link")


@rule("KG203", "deprecated-alias-key", fix="safe")
def deprecated_alias_key(vault: Vault) -> Iterator[Hit]:
    """Frontmatter uses `alias` or `tag`, which Obsidian 1.9 ignores.

    ## What it does
    Finds the singular `alias` and `tag` properties (any case). kg reads neither, as Obsidian.

    ## Why is this bad?
    Obsidian 1.9 removed support for them ("the values of these properties must be a list" under
    `aliases` and `tags`): their values are no aliases and no tags, so `[[AI]]` to a note with
    `alias: AI` is a broken link and a `tag:` value is found by no tag search.

    ## Example
    ```yaml
    alias: AI
    tag: project
    ```

    ## Use instead
    ```yaml
    aliases: [AI]
    tags: [project]
    ```
    """
    yield from problems(vault, "deprecated-alias-key")


@rule("KG204", "duplicate-alias")
def duplicate_alias(vault: Vault) -> Iterator[Hit]:
    """Two notes claim the same alias.

    ## What it does
    Compares aliases across notes (case-insensitively, as Obsidian does) and reports each note
    that shares one with another note.

    ## Why is this bad?
    Searching or linking by the alias offers two notes; the alias no longer names one concept.

    ## Example
    ```yaml
    # GPT-4.md             # GPT-4o.md
    aliases: [GPT]         aliases: [GPT]
    ```

    ## Use instead
    ```yaml
    # GPT-4.md             # GPT-4o.md
    aliases: [GPT-4]       aliases: [GPT-4o]
    ```
    """
    owners: dict[str, list[str]] = {}
    folded: dict[str, list[str]] = {}  # note path -> its aliases folded, for the notes that have any
    for note in vault:
        if note.aliases:
            keys = folded[note.path] = [fold(alias) for alias in note.aliases]
            for alias in dict.fromkeys(keys):
                owners.setdefault(alias, []).append(note.path)
    for note in vault:
        for alias, key, span in zip(note.aliases, folded.get(note.path, ()), note.alias_spans):
            others = [p for p in owners.get(key, []) if p != note.path]
            if others:
                listed = ", ".join(f"'{p}'" for p in others)
                yield Hit(note.path, span, f"alias '{alias}' is also claimed by {listed}", alias)
