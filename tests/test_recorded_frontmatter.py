"""kg's reading of frontmatter against what Obsidian 1.9 recorded (``tests/data/obsidian-recorded-cache/``).

For each of the 89 notes: the properties equal Obsidian's ``cachedMetadata.frontmatter`` (YAML 1.2
values: ``2024-07-21`` stays a string), and the frontmatter tags equal ``parseFrontMatterTags``
(spec B10.1, E1). The links found in frontmatter are compared in ``test_recorded_cache.py``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA
from kg import Config
from kg.parse.frontmatter import read_frontmatter
from kg.parse.source import split_lines

NOTES = sorted((DATA / "obsidian-recorded-cache").glob("*.json"))


def _recorded(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", NOTES, ids=[p.stem for p in NOTES])
def test_properties_and_tags_are_what_obsidian_recorded(path: Path) -> None:
    recorded = _recorded(path)
    front = read_frontmatter(split_lines(recorded["fileContents"].removeprefix("\ufeff")), Config())
    expected = recorded["cachedMetadata"].get("frontmatter") or {}
    # json.dumps: equal as JSON, as Obsidian holds them (a date object would not even serialise)
    assert json.dumps(dict(front.mapping), sort_keys=True) == json.dumps(expected, sort_keys=True)
    tags = [tag.lower() for tag in recorded.get("parseFrontMatterTags") or []]
    assert [f"#{tag}" for tag in front.tags] == tags


def test_there_are_notes_with_dates_and_tags() -> None:
    # the comparison above must not pass vacuously
    texts = [_recorded(path)["fileContents"] for path in NOTES]
    assert len(NOTES) == 89
    assert sum("2024-07-21T12:37:00" in text for text in texts) >= 2
    assert sum(bool(_recorded(path).get("parseFrontMatterTags")) for path in NOTES) >= 5
