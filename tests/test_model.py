"""The records' contract: compared, ordered and hashed by value; a note cannot be changed."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from kg.model import Block, Comment, Heading, Link, LinkKind, Note, Problem, Reference, Span


def _records() -> list[object]:
    span = Span(1, 2, 1, 7)
    link = Link(LinkKind.WIKILINK, "[[B]]", "B", None, None, span)
    return [span, link, Heading(1, "H", 1), Block("id", 2), Comment("c", span), Problem("p", "m", span),
            Reference("A.md", link, "B.md", "name")]


@pytest.mark.parametrize("record", _records(), ids=lambda record: type(record).__name__)
def test_records_compare_and_hash_by_value_and_pickle(record):
    twin = pickle.loads(pickle.dumps(record))
    assert twin == record and hash(twin) == hash(record) and len({record, twin}) == 1
    assert not hasattr(record, "__dict__")  # slotted


def test_the_small_records_are_built_the_fast_way():
    """Not frozen: a frozen dataclass sets each field through object.__setattr__, three times slower."""
    for record in _records():
        assert not type(record).__dataclass_params__.frozen  # type: ignore[attr-defined]


def test_a_note_cannot_be_changed():
    note = Note("A.md", "A")
    with pytest.raises(dataclasses.FrozenInstanceError):
        note.title = "B"  # type: ignore[misc]
    with pytest.raises(TypeError):
        note.frontmatter["x"] = 1  # type: ignore[index]
    assert Span(1, 1, 1, 2) < Span(1, 2, 1, 3)
