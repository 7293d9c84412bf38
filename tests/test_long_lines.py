"""One long line must cost linear time: each case took minutes before (found by the hostile suite)."""

from __future__ import annotations

import pytest

from kg.parse import parse_note


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("[[" * 100_000 + "\n", 0),  # every "[[" once read to the end of the line
        ("[up:: [[a]]] " * 40_000 + "\n", 40_000),  # every field checked against every link of its line
        ("[[" * 50_000 + "`", 0),  # the same through the full inline rules, and no "]" for any label
        ("[[ |" * 30_000 + "]]", 1),  # candidates all closed by the one "]]": each but the last holds "[["
        ("x [[A]] " * 20_000, 20_000),
    ],
    ids=["unclosed wiki-links", "bracketed fields", "unclosed with backtick", "empty links", "many links"],
)
def test_one_long_line_is_read_in_linear_time(text, links):
    note = parse_note(text, "Long.md")
    assert len(note.links) == links
