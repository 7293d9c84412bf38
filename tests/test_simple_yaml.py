"""The simple YAML reader of frontmatter (:mod:`kg.parse.simple_yaml`) against the YAML loader it
stands in for (:func:`kg.parse.yaml_loader.load_yaml`): wherever the reader answers, its answer is
the loader's, value and type; wherever the loader fails, the reader declines."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import CORPORA, DATA
from kg.parse.frontmatter import _closing_line
from kg.parse.simple_yaml import read_simple_yaml
from kg.parse.source import split_lines
from kg.parse.yaml_loader import load_yaml

ROOT = Path(__file__).resolve().parent.parent

TYPE_LOOKING = [
    "yes", "no", "on", "off", "y", "true", "True", "TRUE", "tRue", "false", "FALSE", "null", "Null", "NULL",
    "nULL", "~", "0", "012", "-012", "+12", "-0", "0o17", "0o8", "0O17", "0x1F", "0xg", "0X1F", "-0x1F",
    "1_000", "1e3", "1E3", "1e+3", "1.e3", "1.", ".5", "-.5", "+.5", "1.5e-3", "-0.0", ".", "-.", "e3",
    ".inf", "-.Inf", "+.INF", ".INf", "inf", ".nan", ".NaN", "-.nan", "2024-07-21", "2024-07-21T10:00:00Z",
    "12:30", "1:2:3", "<<", "<", "=", "-", "--", "-x", "- x", "-1", "?x", "? x", ":x", ": x", "a: b",
    "a:", "a:b", "a :b", "#x", "a #b", "a#b", "a # b", "a  #", "[[X]]", "[X]", "[a, b]", "{a: b}",
    "{{date}}", "&a", "*a", "!x", "!!str 1", "|", "|-", ">", "'", '"', "''", '""', "'a''b'", '"a\\nb"',
    "'a'b", '"a" b', "%x", "@x", "`x", "ä", "日本", "\u00a0", "a\u00a0", "\u2028", "\x85", "\ufeff", "\x7f",
    "\t", "a\tb", "...", "---", "--- a", "... a", "Привет", "x" * 1030, "9" * 5000, "1" * 400 + "e1",
]
"""Scalars whose type, or whose being a scalar at all, is decided by a rule of YAML."""

WORD_CHARS = "abcxyzABCXYZ0129_-./() é日"
WORDS = st.builds(lambda head, tail: (head + tail).rstrip(" "), st.sampled_from("aAzé日"),
                  st.text(alphabet=WORD_CHARS, max_size=10))
ALPHABET = " abcAB019.-+_:#'\"[]{},&*!|>%@`?~eEoxntfl\u00a0é日\t\\"


TOKENS = st.sampled_from(TYPE_LOOKING)
NOISE = st.text(alphabet=ALPHABET, min_size=1, max_size=10)
QUOTED = st.builds(lambda quote, text: quote + text + quote, st.sampled_from(["'", '"']),
                   st.text(alphabet=ALPHABET, max_size=8))
SCALARS = st.one_of(TOKENS, NOISE, QUOTED, WORDS)
FLOW_LISTS = st.builds(
    lambda items, separator, ends: ends[0] + separator.join(items) + ends[1],
    st.lists(SCALARS, max_size=4),
    st.sampled_from([", ", ",", " , ", ",  "]),
    st.sampled_from([("[", "]"), ("[ ", " ]"), ("[", ",]"), ("[", ""), ("[[", "]]")]),
)
KEYS = st.one_of(st.sampled_from(["aliases", "tags", "up", "title", "Created", "a b", "a-b", "a.b", "ä"]),
                 TOKENS, QUOTED, st.text(alphabet=ALPHABET, min_size=1, max_size=6))
COLONS = st.sampled_from([":", ":", " :", ":\t"])
AFTER = st.sampled_from(["", "", "  ", " # note", "  #x", "#x"])
KINDS = st.sampled_from(["scalar", "scalar", "flow", "list", "literal", "empty", "comment", "blank", "noise"])
HEADS = st.sampled_from(["|", "|", "|-", "|+", "|  ", "|2", "|-2", "| #c", "|x", ">", ">-"])
SPACES = st.sampled_from([" ", "  ", ""])
DASHES = st.sampled_from(["- ", "- ", "-  ", "-", "- - ", "-- "])
EMPTY = st.sampled_from(["", " ", " # c", " #c"])
SMALL = st.integers(0, 4)


@st.composite
def lines(draw: st.DrawFn) -> list[str]:
    """One property (a key and its value, perhaps a block list) or a line YAML reads otherwise."""
    kind = draw(KINDS)
    if kind in ("comment", "blank", "noise"):
        indent = " " * draw(SMALL)
        return [indent + {"comment": "# " + draw(NOISE), "blank": "", "noise": draw(SCALARS)}[kind]]
    key = draw(KEYS) + draw(COLONS)
    if kind == "scalar":
        return [f"{key}{draw(SPACES)}{draw(SCALARS)}{draw(AFTER)}"]
    if kind == "flow":
        return [f"{key} {draw(FLOW_LISTS)}{draw(AFTER)}"]
    if kind == "empty":
        return [key + draw(EMPTY)]
    if kind == "literal":
        return [f"{key} {draw(HEADS)}", *draw(st.lists(LITERAL_LINES, max_size=4))]
    indent = draw(SMALL)
    items = []
    for _ in range(draw(SMALL) + 1):
        margin = draw(SMALL) if draw(SMALL) == 0 else indent  # now and then, a margin of its own
        dash = draw(DASHES)
        items.append(" " * margin + dash + (draw(EMPTY) if dash == "-" else draw(SCALARS)))
    return [key + draw(AFTER), *items]


LITERAL_LINES = st.one_of(st.just(""), st.builds(lambda margin, text: " " * margin + text, SMALL, SCALARS))
"""A line of a block scalar: empty, or indented by up to four spaces."""


DOCUMENTS = st.lists(lines(), min_size=1, max_size=6).map(lambda parts: "\n".join(x for part in parts for x in part))


def _check(text: str) -> dict[object, object] | None:
    """The reader's answer on ``text``, asserted to be the loader's."""
    lines_ = text.split("\n")
    fast = read_simple_yaml(lines_, 0, len(lines_))
    try:
        slow = load_yaml(text)
    except Exception:  # noqa: BLE001 - any failure of the loader: the reader must have declined
        assert fast is None, (text, fast)
        return None
    if fast is not None:
        # repr tells the types apart: True from 1, 1.0 from 1, '1' from 1, -0.0 from 0.0, key order
        assert repr(fast) == repr(slow), (text, fast, slow)
    return fast


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS)
@example("a: 1\nb: '2'\nc: \"x\"\nd: [1, '2', x]\ne:\n  - yes\n  - ~\n- f")
@example("a: 1\na: 2")
@example("1: a\ntrue: b")
@example("a:\n- x\n-\n- 'y'  # c\nb: -1")
@example("aliases:\ntags: |\n # 0\n\n ")  # a line of spaces after a literal block scalar
def test_the_reader_answers_as_the_loader_or_declines(text: str) -> None:
    _check(text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=ALPHABET + "\n", max_size=40))
def test_any_text_is_read_as_the_loader_reads_it_or_declined(text: str) -> None:
    _check(text)


SIMPLE_ITEMS = st.one_of(
    WORDS,
    st.integers(-10**6, 10**6).map(str),
    st.sampled_from(["true", "false", "null", "~", "2024-07-21", "1.5", "-0.25", "yes", "012", ".inf"]),
    WORDS.map(lambda word: f'"[[{word}]]"'),
    st.text(st.characters(exclude_categories=("Cc", "Cs", "Cn", "Zl", "Zp"), exclude_characters="'\ufeff"),
            max_size=10).map(lambda text: f"'{text}'"),
)
"""Scalars the reader takes in any place."""
SIMPLE_VALUES = st.one_of(SIMPLE_ITEMS, st.sampled_from(["https://x.org/a", "a, b", "12:30", "a#b", "it's"]),
                          WORDS.map(lambda word: f"[[{word}]]"))
"""Scalars the reader takes outside a flow list too."""


EDITS = st.sampled_from([*ALPHABET, "\n", " #", ": ", "- ", "\n  ", "\n- ", "\n  - ", "[[", "]]", "''", "\\n"])
"""What a near miss inserts or puts in place of a character."""
SHAPES = st.sampled_from(["scalar", "flow", "block", "empty", "literal"])
LITERAL_HEADS = st.sampled_from(["|", "|-", "|+"])
BLOCK_TEXT = st.builds(lambda lines_, last: [*lines_, last], st.lists(st.one_of(st.just(""), WORDS), max_size=3), WORDS)
"""The lines of a literal block scalar: words, empty lines, and a last line of words."""


@st.composite
def common_documents(draw: st.DrawFn) -> str:
    """Frontmatter as people and Obsidian write it: the shapes the reader exists for."""
    names = draw(st.lists(WORDS, min_size=1, max_size=6, unique=True))
    out = []
    for name in names:
        shape = draw(SHAPES)
        if shape == "scalar":
            out.append(f"{name}: {draw(SIMPLE_VALUES)}")
        elif shape == "flow":
            out.append(f"{name}: [{', '.join(draw(st.lists(SIMPLE_ITEMS, max_size=3)))}]")
        elif shape == "empty":
            out.append(f"{name}:")
        elif shape == "literal":
            out.append(f"{name}: {draw(LITERAL_HEADS)}")
            out.extend(f"  {line}" if line else "" for line in draw(BLOCK_TEXT))
        else:
            indent = " " * draw(st.sampled_from([0, 2, 4]))
            out.append(f"{name}:")
            out.extend(f"{indent}- {value}" for value in draw(st.lists(SIMPLE_VALUES, min_size=1, max_size=3)))
    return "\n".join(out)


@settings(max_examples=200, deadline=None)
@given(common_documents())
def test_the_reader_takes_the_common_shapes(text: str) -> None:
    assert _check(text) is not None, text


@settings(max_examples=400, deadline=None)
@given(common_documents(), st.lists(st.tuples(st.integers(0, 10**4), EDITS,
                                              st.sampled_from(["insert", "replace", "delete"])), min_size=1, max_size=3))
@example("a: [b, c]", [(5, " #", "insert")])  # a comment in a flow list: it stays open
def test_near_misses_of_the_common_shapes_are_read_as_the_loader_reads_them(
    text: str, edits: list[tuple[int, str, str]]
) -> None:
    """The common shapes with a character or three inserted, replaced or deleted: the reader's
    boundary, where it must answer as the loader does or decline."""
    for where, char, how in edits:
        where %= len(text) + 1
        skip = 0 if how == "insert" else 1
        text = text[:where] + ("" if how == "delete" else char) + text[where + skip :]
    _check(text)


@pytest.mark.parametrize(
    "text",
    [
        "a:\n  b: 1",  # a nested mapping
        "a: b\n  c",  # a plain scalar on two lines: 'b c'
        "a: &x 1\nb: *x",  # an anchor and an alias
        "a: !!str 1",  # a tag
        "? a\n: b",  # a complex key
        "a: >\n  text",  # a folded scalar
        "a: |2\n   text",  # an indentation indicator
        "a: |\n  x\n   \n  y",  # a line of spaces in a block scalar
        "a: |\n",  # an empty block scalar
        "up: [[[X]]]",  # three deep
        "up: [[X]], [[Y]]",  # an error
        "a: {b: 1}",
        "a: 'it''s'",  # an escape
        'a: "x\\ty"',
        "a: b: c",  # an error
        "a: 1\na: 2",  # a key twice: the loader's error
        "a:\n- x\n  - y",  # a list indented otherwise
        "a: .nan",
        "# only a comment",
        "a: " + "9" * 5000,  # more digits than Python converts: the loader's error
        "k" * 1030 + ": v",  # a key longer than libyaml takes
        "a: [x,\n  y]",  # a flow list on two lines
        "a: [b #c]",  # a comment in a flow list: it stays open
        "a: [b:c]",
        "a: [it's]",
        "a: [b]#c",
        "<<: {a: 1}",
        "a: x\t# tab",
    ],
)
def test_the_reader_declines_what_is_not_simple(text: str) -> None:
    lines_ = text.split("\n")
    assert read_simple_yaml(lines_, 0, len(lines_)) is None
    _check(text)


def test_the_reader_reads_unquoted_links_as_yaml_does() -> None:
    text = "up: [[A]]\nsame:\n  - [[B#h|b]]\n  - [[C, 1]]\nnext: [[], [D], 'E']"
    assert _check(text) == {"up": [["A"]], "same": [[["B#h|b"]], [["C", 1]]], "next": [[], ["D"], "E"]}


def test_the_reader_reads_literal_block_scalars_as_yaml_does() -> None:
    text = "a: |\n  x\n\n    y\n# c\nb: |-\n  x\n\nc: |+\n  x\n\nd: |+\n  x\n"
    assert _check(text) == {"a": "x\n\n  y\n", "b": "x", "c": "x\n\n", "d": "x\n"}


def test_the_reader_types_plain_scalars_by_the_core_schema() -> None:
    text = "a: yes\nb: 012\nc: 0x1F\nd: 1e3\ne: -.inf\nf: ~\ng: 2024-07-21\nh: True\n1: x\nnull: y"
    assert _check(text) == {
        "a": "yes", "b": 12, "c": 31, "d": 1000.0, "e": float("-inf"), "f": None, "g": "2024-07-21",
        "h": True, 1: "x", None: "y",
    }


def _frontmatter_blocks(roots: list[Path]) -> list[str]:
    blocks = []
    for root in roots:
        for path in sorted(root.rglob("*.md")):
            try:
                text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
            except UnicodeDecodeError:
                continue
            lines_ = split_lines(text)
            end = _closing_line(lines_)
            if end is not None:
                blocks.append("\n".join(lines_[1:end]))
    return blocks


def test_real_frontmatter_is_read_as_the_loader_reads_it() -> None:
    """Every frontmatter block of the corpora (real vaults), the spec's and the test vaults and
    ``vault/``: the reader agrees with the loader on each it takes, and takes most of them."""
    blocks = _frontmatter_blocks([CORPORA, DATA / "vaults", DATA / "spec", ROOT / "vault"])
    taken = sum(_check(block) is not None for block in blocks)
    assert len(blocks) > 250
    # the rest: templates ({{date}} is a flow mapping to YAML) and nested mappings
    assert taken / len(blocks) > 0.85, (taken, len(blocks))
