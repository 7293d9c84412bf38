"""kg.jsontext writes the characters json.dumps(..., ensure_ascii=False, indent=N) writes."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.jsontext import dumps

_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=8)  # controls, surrogates, non-BMP
_LEAVES = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), _TEXT)
_KEYS = st.one_of(_TEXT, st.integers(), st.floats(), st.booleans(), st.none())
_DATA = st.recursive(_LEAVES, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.lists(inner, max_size=3).map(tuple),
    st.dictionaries(_KEYS, inner, max_size=4)), max_leaves=30)


@settings(max_examples=500, deadline=None)
@given(data=_DATA, indent=st.sampled_from([0, 1, 2, 4]))
def test_dumps_writes_what_json_writes(data: object, indent: int) -> None:
    assert dumps(data, indent) == json.dumps(data, ensure_ascii=False, indent=indent)


_RECORDS = st.lists(st.dictionaries(_KEYS, _LEAVES, max_size=4), max_size=5)
"""Lists of flat mappings, written in one call of the C encoder (empty ones among them)."""


@settings(max_examples=300, deadline=None)
@given(records=_RECORDS, text=st.sampled_from(["}", "},", '"},\n    {"', "{", "]"]), indent=st.sampled_from([0, 2]))
def test_lists_of_records_are_written_as_json_writes_them(records: list[dict], text: str, indent: int) -> None:
    for record in records[::2]:
        if record:
            record[text] = text  # what the encoder's layout is mended around, in keys and values
    for data in (records, {"findings": records}, [records, records]):
        assert dumps(data, indent) == json.dumps(data, ensure_ascii=False, indent=indent)


class Name(str):
    pass


class Count(int):
    pass


def test_subclasses_of_leaves_are_written_as_their_base() -> None:
    data = {Name("k"): [Name("v"), Count(3), True, {Count(1): None}], "x": Count(2)}
    assert dumps(data) == json.dumps(data, ensure_ascii=False, indent=2)


@pytest.mark.parametrize("data", [{"a": {1, 2}}, [object()], {(1, 2): "tuple key"}])
def test_what_json_refuses_is_refused(data: object) -> None:
    with pytest.raises(TypeError) as expected:
        json.dumps(data, ensure_ascii=False, indent=2)
    with pytest.raises(TypeError, match=str(expected.value).split(" ", 1)[0]):
        dumps(data)
