"""kg: read an Obsidian-style Markdown vault into a NetworkX graph, exactly as Obsidian resolves it.

>>> import kg
>>> vault = kg.Vault.from_texts({"AI.md": "---\\naliases: [ИИ]\\n---\\n# LLM\\n", "src.md": "[[ai#LLM]]"})
>>> [(ref.path, ref.subpath_status) for ref in vault.references]
[('AI.md', 'ok')]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kg.config import Config
from kg.errors import AmbiguousNote, ConfigError, KgError, NoteNotFound, VaultNotFound
from kg.model import Link, LinkKind, Note, Problem, Reference, Span

if TYPE_CHECKING:
    from kg.parse import parse_note
    from kg.load import load_vault
    from kg.vault import Vault


def __getattr__(name: str) -> Any:
    """``parse_note``, ``Vault`` and ``load_vault`` are imported on first use (PEP 562): a query
    answered from the cache never loads the parser, YAML or markdown-it-py. ``__compiled__``
    tells the build: True where mypyc compiled kg's hot modules, False for pure Python."""
    if name == "parse_note":
        from kg.parse import parse_note

        return parse_note
    if name == "Vault":
        from kg.vault import Vault

        return Vault
    if name == "load_vault":
        from kg.load import load_vault

        return load_vault
    if name == "__compiled__":  # True in the build compiled by mypyc (KG_COMPILE=1, see setup.py)
        from kg import resolve

        return not resolve.__file__.endswith(".py")
    raise AttributeError(f"module 'kg' has no attribute {name!r}")


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
