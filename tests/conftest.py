"""Shared fixtures: paths to test data and a helper that writes a vault to disk."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
CORPORA = DATA / "corpora"
SAMPLE_VAULT = ROOT / "vault"


@pytest.fixture(autouse=True, scope="session")
def _cache_outside_home(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Commands run by the tests keep their cache in a temporary folder, not in ``~/.cache``."""
    os.environ["KG_CACHE_DIR"] = str(tmp_path_factory.mktemp("kg-cache"))


def write_vault(root: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write ``{vault path: text}`` under ``root``, names byte-for-byte as given."""
    for rel, text in files.items():
        path = os.path.join(os.fsencode(root), os.fsencode(rel))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        with open(path, "wb") as handle:
            handle.write(data)
    return root


@pytest.fixture
def make_vault(tmp_path: Path) -> Callable[[Mapping[str, str | bytes]], Path]:
    """Write a vault into a fresh temporary folder and return its root."""

    def make(files: Mapping[str, str | bytes]) -> Path:
        return write_vault(tmp_path / "vault", files)

    return make
