"""Properties of the parser on arbitrary text (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg import parse_note
from kg.parse.source import slice_span, split_lines

MARKUP = list("[]()!#|\\`*_%-:>^~<=/.\"' \t\n\r") + ["[[", "]]", "![[", "%%", "```", "::", "---\n", "\u0000", "\ufeff"]
WORDS = ["up", "Note", "a b", "ИИ", "🧠", "é", "e\u0301", "x.md", "https://x", "<!--", "-->", "- ", "1. ", "| "]
TEXT = st.lists(st.sampled_from(MARKUP + WORDS) | st.text(max_size=3), max_size=60).map("".join)
FRONTMATTER = st.builds(lambda fm, body: f"---\n{fm}\n---\n{body}", TEXT, TEXT)


def _check(text: str) -> None:
    note = parse_note(text)
    lines = split_lines(text[1:] if text.startswith("\ufeff") else text)
    for link in note.links:
        assert slice_span(lines, link.span) == link.raw, link
    for item in (*note.problems, *note.comments):
        assert 1 <= item.span.line <= item.span.end_line <= len(lines)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_any_text_parses_and_spans_slice_back(text: str) -> None:
    _check(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FRONTMATTER)
def test_any_frontmatter_parses_and_spans_slice_back(text: str) -> None:
    _check(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_unicode_text_parses(text: str) -> None:
    _check(text)
