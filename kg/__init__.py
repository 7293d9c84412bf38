"""kg: read an Obsidian-style Markdown vault into a NetworkX graph, exactly as Obsidian resolves it.

>>> import kg
>>> vault = kg.Vault.from_texts({"AI.md": "---\\naliases: [ИИ]\\n---\\n# LLM\\n", "src.md": "[[ai#LLM]]"})
>>> [(ref.path, ref.subpath_status) for ref in vault.references]
[('AI.md', 'ok')]
"""

from __future__ import annotations

from kg.config import Config
from kg.errors import AmbiguousNote, ConfigError, KgError, NoteNotFound, VaultNotFound
from kg.model import Link, LinkKind, Note, Problem, Reference, Span
from kg.parse import parse_note
from kg.vault import Vault, load_vault

__all__ = [
    "AmbiguousNote",
    "Config",
    "ConfigError",
    "KgError",
    "Link",
    "LinkKind",
    "Note",
    "NoteNotFound",
    "Problem",
    "Reference",
    "Span",
    "Vault",
    "VaultNotFound",
    "__version__",
    "load_vault",
    "parse_note",
]

__version__ = "0.1.0"
