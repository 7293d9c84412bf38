"""The fast body reader against markdown-it-py: the same records for every note it accepts.

Every difference is a bug in one of the two readers. The fast path may decline a note (it then goes
to markdown-it-py), but it must accept most real notes, or it is not a fast path.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kg.config import Config
from kg.parse.fast import read_body_fast
from kg.parse.frontmatter import read_frontmatter
from kg.parse.markdown import read_body
from kg.parse.source import split_lines
from markdown_gen import BLOCKS, INLINE, PREFIXES, random_markdown

HERE = Path(__file__).parent
REAL = [HERE / "data", HERE.parent / "vault", HERE.parent.parent / "shared" / "corpora"]


def _both(text: str):
    """(markdown-it-py's body, the fast path's body or None) for a note's text."""
    text = text.removeprefix("\ufeff")
    lines = split_lines(text)
    norm = [line.replace("\0", "\ufffd") for line in lines] if "\0" in text else lines
    start = read_frontmatter(lines, Config()).body_start
    return read_body(lines, norm, start), read_body_fast(lines, norm, start)


def _real_notes() -> list[Path]:
    return sorted(path for root in REAL if root.is_dir() for path in root.rglob("*.md") if path.is_file())


def test_the_same_records_on_every_real_note():
    notes = _real_notes()
    assert len(notes) > 300
    accepted, differ = 0, []
    for path in notes:
        slow, fast = _both(path.read_bytes().decode("utf-8", "replace"))
        if fast is not None:
            accepted += 1
            if fast != slow:
                differ.append(str(path))
    assert differ == []
    assert accepted >= 0.95 * len(notes)


def test_the_same_records_on_random_markdown():
    rng = random.Random(20261121)
    accepted = 0
    for number in range(3000):
        text = random_markdown(rng)
        slow, fast = _both(text)
        if fast is not None:
            accepted += 1
            assert fast == slow, f"document {number}: {text!r}"
    assert accepted > 1000


@pytest.mark.parametrize(
    "text",
    [
        # markdown-it-py quirks the fast path copies, each found by the random test
        "> > ![i](p.png)\n> - \xa0\n>```[[F]]]\n><\n >",  # a fence ends at the source's end
        "- ```\n```#1\n    - - - é\n\n> > [t](x.md)\n[[E_^id\n",  # a final newline is no line
        "> > a\n    - [[F]]",  # an indented marker ends the inner quote
        "\xa0\u2003\n10. \nword[[A]]`x`",  # a first line markdown-it's trim drops
        "- > \xa0\n   \\|![i](p.png)",
        "a | b\n--- | ---\n[[X]] | `y` \\| [[Y\\|z]]",
        "<!-- [[A]]\n\n[[B]] -->\n[[C]]",
        "<div>\n[[A]]\n\n[[B]]",
        # a list marker 4 columns in goes on an item's paragraph, unless it is a thematic break
        "   1. _\n    - - - \n\xa0>[[F]]]é\\|[[|x]]",
        "   1. a\n    * * *\n[[x]]",
        "- a\n - b\n  - c\n   - d\n    - e\n    - - -\n",
        # the fast path's shortcuts: links sliced from the source, tags read between links only
        "a | b\n--- | ---\n[[X\\|y]]#t #u | ![[Y#h\\|z]] ^id\n[[Z]]\\| [[W|v]]",
        "[[A]]#tag [[B#c|d]] x#y ![[C]]#d ^e [[F]] ^blk",
        "\t- [[A]] #t\n\t\t- [[B\\|c]] ^id",
        "[x](<>) [y](Note%20A.md#h) [z](HTTPS://host/p) [w](javascript:x) [[A#b]] #t",
        # math, footnotes, block comments and where block ids count (spec B6, B7, B11, D3)
        "a $x$ [t](b.md) $ [[A]] $ $5 [[B]] $6 \\$[[C]]\\$ $a #m$ #t",
        "[see $a](x.md)$ [[B]] $$[[M]]$$",
        "| $a|b$ | [[C]] |\n|---|---|\n| $[[D]]$ | x |",
        "p\n$$\n- [[A]]\n$$ [[B]]\n[[C]]",
        "- a\n  $$\n  [[X]]\n- b [[Y]]\n\n> $$\n> [[E]]\n> $$\n\n$$x$$ y [[Z]]\n$$$\n[[W]]",
        "%%\n[[A]] #t\n\n## H\n%% [[B]]\n[[C]]\nIntro\n%% x\n    - [ ] [[D]]\n%%",
        "^[a](b.md) ^[[[X]]] ^[n ^[m [[Y]]]] [^1] [^x]",
        "x ^b\ny\n\n^solo\n\n- a ^mid\n  c\n- b\n\n^list\n\n![[i.png]]^pic",
        "# Top\n> ## Q\n- ## L\n- b\n  ---\n> [!note]\n> ### Callout H",
        # destinations as written (spec B9): an image's label may hold a link, its destination follows it
        "(![[t](u.md)\\[t](u.md) ![b](100%.png) [c](a:b.md) [d](C%23.md) [[a [[R]] [[ |y]]",
    ],
)
def test_the_same_records_on_known_corners(text):
    slow, fast = _both(text)
    assert fast is not None
    assert fast == slow


_LINE = st.tuples(
    st.sampled_from(PREFIXES),
    st.sampled_from([""] + BLOCKS),
    st.lists(st.sampled_from(INLINE) | st.text(max_size=3), max_size=6),
).map(lambda parts: parts[0] + parts[1] + "".join(parts[2]))


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINE | st.just(""), min_size=1, max_size=12).map("\n".join))
@example("> a\n===\n- b\n  ***\n1) c\n\n    code [[X]]\n")
def test_the_same_records_on_hypothesis_markdown(text):
    slow, fast = _both(text)
    if fast is not None:
        assert fast == slow


def test_a_table_after_a_deep_list_marker_goes_to_markdown_it():
    text = "   1. a\n    - a | b\n      --|--\n"
    slow, fast = _both(text)
    assert fast is None and slow.code_lines == {1, 2}
