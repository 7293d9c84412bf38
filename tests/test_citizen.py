"""kg as a good citizen of CI and the terminal (issue 15): packaging, vault discovery, colours,
summaries, standard output, baselines, display widths, CI formats and the GitHub Action."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.mark.parametrize("path", sorted((ROOT / "kg").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_module_compiles_without_warnings(path: Path) -> None:
    """Python 3.12 warns about invalid escape sequences such as ``"\\S"``; later versions refuse them."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
