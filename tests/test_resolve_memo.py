"""Property: the resolver's memos (one plan per linkpath, one answer per source folder) never change
an answer.

A resolver that has answered many links from many folders must give, for each link, what a fresh
resolver gives for that link alone, and what the general path (:meth:`Resolver._resolve`, which
plans nothing) gives: the memo is keyed by the source's folder, so links from notes of one folder
and from folders sharing a prefix, in different case, are what could go wrong.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.config import Config
from kg.resolve import _SCANNED, Resolver

FOLDERS = ["", "a/", "A/", "ab/", "a/b/", "a/B/", "b/", "b/a/"]
NAMES = ["Note", "note", "Café", "Cafe\u0301", "x", "Idea"]
LINKPATHS = ["Note", "NOTE", "note.md", "Café", "cafe", "x", "Idea", "Nope", "Alias", "alias",
             "a/Note", "b/Note", "B/note", "./Note", "../Note", "../../x", "/a/Note", "/Note", "./", ".", "..",
             "Note.md", "x.png", "a/b/Note", "img.png", ""]

files_strategy = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(FOLDERS), st.sampled_from(NAMES)).map(lambda fn: f"{fn[0]}{fn[1]}.md"),
        st.sampled_from(FOLDERS).map(lambda folder: f"{folder}x.png"),
    ),
    min_size=1, max_size=12, unique_by=lambda path: path.lower(),
)


CROWD = [f"{folder}Note.md" for folder in ("", "a/", "ab/", "a/b/", "b/", "b/a/")]
"""More files of one name than :data:`~kg.resolve._SCANNED`: the name keeps its answers per folder."""
assert len(CROWD) > _SCANNED


@settings(max_examples=300, deadline=None)
@given(files=files_strategy, crowded=st.booleans(), data=st.data(),
       resolve_aliases=st.booleans(), suffix_match=st.booleans())
def test_memoised_resolution_is_the_fresh_one(files: list[str], crowded: bool, data: st.DataObject,
                                               resolve_aliases: bool, suffix_match: bool) -> None:
    if crowded:
        files = list({path.lower(): path for path in [*CROWD, *files]}.values())
    notes = [path for path in files if path.endswith(".md")] or ["Note.md"]
    aliases = {path: data.draw(st.lists(st.sampled_from(["Alias", "alias", "Idea", "x"]), max_size=2))
               for path in notes}
    config = Config(resolve_aliases=resolve_aliases, suffix_match=suffix_match)
    sources = data.draw(st.lists(st.one_of(st.sampled_from(notes), st.sampled_from(FOLDERS).map(lambda f: f + "S.md")),
                                 min_size=1, max_size=8))
    links = data.draw(st.lists(st.tuples(st.sampled_from(LINKPATHS), st.sampled_from(sources)), min_size=1, max_size=30))
    shared = Resolver(files, aliases, config)
    for linkpath, source in links:
        memoised = shared.resolve(linkpath, source)
        assert memoised == Resolver(files, aliases, config).resolve(linkpath, source), (linkpath, source)
        if linkpath:
            assert memoised == Resolver(files, aliases, config)._resolve(linkpath, source), (linkpath, source)


def test_a_name_many_files_share_is_answered_per_folder() -> None:
    """Past :data:`_SCANNED` files, the answer for each folder is kept, and stays the shortest file
    whose path starts with the folder (case-insensitively, sibling folders sharing the prefix too)."""
    files = [f"{folder}/Note.md" for folder in ("a", "ab", "abc", "b", "B/c", "d", "e")]
    resolver = Resolver(files, {}, Config())
    assert [resolver.resolve("Note", source).path for source in ("a/S.md", "b/c/S.md", "abc/S.md", "z/S.md", "a/S.md")] \
        == ["a/Note.md", "B/c/Note.md", "abc/Note.md", "a/Note.md", "a/Note.md"]
    assert [resolver.resolve("Note", source).match for source in ("a/S.md", "z/S.md", "S.md")] == ["folder", "name", "name"]
