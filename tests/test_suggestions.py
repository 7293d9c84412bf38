"""'Did you mean' suggestions: the batched lookup gives the answers of one lookup at a time, and the
budget stops suggesting in source order."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.lint import lint
from kg.lint.rules import links as link_rules
from kg.lint.rules.links import closest_match, closest_matches
from kg.vault import Vault

# few letters, so that near ties and exact ties are common; some non-BMP and lone surrogates
_WORD = st.text(st.sampled_from("abcé日\U0001f600\udcff -"), max_size=12)


@settings(max_examples=300, deadline=None)
@given(words=st.lists(_WORD, max_size=8), choices=st.lists(_WORD, max_size=12),
       cutoff=st.sampled_from([0.0, 0.5, 0.6, 0.75, 1.0]), batch=st.booleans())
def test_closest_matches_answers_as_closest_match_does(words: list[str], choices: list[str], cutoff: float,
                                                       batch: bool) -> None:
    expected = [closest_match(word, choices, cutoff) for word in words]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(link_rules, "BATCH_FROM", 0 if batch else 10**9)
        patch.setattr(link_rules, "_MATRIX_CELLS", 7)  # several blocks of words
        assert closest_matches(words, choices, cutoff) == expected


def test_closest_matches_takes_the_first_choice_on_a_tie(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(link_rules, "BATCH_FROM", 0)
    assert closest_matches(["abcd"], ["abce", "abcf", "abcd", "abcd"], 0.5) == ["abcd"]
    assert closest_matches(["abcx"], ["abce", "abcf"], 0.5) == ["abce"]
    assert closest_matches(["abc"], [], 0.5) == [None]


def test_the_budget_stops_suggesting_in_source_order(monkeypatch: pytest.MonkeyPatch) -> None:
    names = {f"Note{letter}.md": "" for letter in "ABCD"}
    vault = Vault.from_texts({"A.md": "[[NoteAx]] [[NoteBx]] [[NoteAx]] [[NoteCx]]", **names})
    # each lookup among the vault's 5 names costs 5 + LOOKUP_COST: room for two
    monkeypatch.setattr(link_rules, "SUGGESTION_BUDGET", 2 * (5 + link_rules.LOOKUP_COST))
    messages = [f.message for f in lint(vault, select=["broken-link"])]
    assert [m.split("; ")[-1] for m in messages] == [
        "did you mean 'NoteA'?", "did you mean 'NoteB'?", "did you mean 'NoteA'?",
        "link target 'NoteCx' does not match any file"]
