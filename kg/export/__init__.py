"""Writing a vault's graph to files. Exporters come as ``generate_*`` (text) / ``write_*`` (file) pairs."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from kg.errors import KgError
from kg.export.formats import export_graph, generate_json
from kg.vault import Vault

__all__ = ["FORMATS", "default_output", "export_graph", "write"]

FORMATS: dict[str, tuple[str, Callable[..., str]]] = {
    "json": (".json", generate_json),
}
"""Format name -> (file extension, generator)."""


def default_output(vault: Vault, fmt: str) -> Path:
    """``exports/<vault folder name>.<ext>`` in the current folder."""
    name = vault.root.resolve().name if vault.root else "vault"
    return Path("exports") / f"{name}{FORMATS[fmt][0]}"


def _inside(path: Path, folder: Path) -> bool:
    real, top = os.path.realpath(path), os.path.realpath(folder)
    return os.path.commonpath([real, top]) == top


def write(vault: Vault, path: str | os.PathLike[str], fmt: str, *, self_links: bool = False) -> Path:
    """Write the vault's graph to ``path`` in format ``fmt``; never into the vault itself."""
    target = Path(path)
    if vault.root is not None and _inside(target, vault.root):
        raise KgError(f"refusing to write '{target}' inside the vault; choose another path with -o")
    text = FORMATS[fmt][1](vault, self_links=self_links)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8", newline="\n")
    return target

