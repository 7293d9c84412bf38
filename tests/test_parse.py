"""The parser: data-driven link cases, headings, blocks, tags, comments, fields and frontmatter."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DATA
from kg import parse_note
from kg.parse import yaml_loader
from kg.parse.fast import read_body_fast
from kg.parse.markdown import read_body
from kg.parse.source import slice_span, split_lines

LINK_CASES = yaml.safe_load((DATA / "parse" / "links.yml").read_text(encoding="utf-8"))


def _row(link: Any) -> list[object]:
    return [link.kind.value, link.raw, link.target, link.subpath, link.display, link.span.line, link.span.col]


@pytest.mark.parametrize("case", LINK_CASES, ids=[c["title"] for c in LINK_CASES])
def test_links(case: dict[str, Any]) -> None:
    note = parse_note(case["text"])
    assert [_row(link) for link in note.links] == case["links"]
    lines = split_lines(case["text"].lstrip("\ufeff"))
    assert [slice_span(lines, link.span) for link in note.links] == [link.raw for link in note.links]


def test_headings_and_blocks() -> None:
    text = "# One\n\nPara ^p1\n\n## Two ##\n- item ^li-2\n\n> quote\n\n^q\n\n```\n# not\n^nope\n```\n"
    note = parse_note(text)
    assert [(h.level, h.text, h.line) for h in note.headings] == [(1, "One", 1), (2, "Two", 5)]
    assert [(b.id, b.line) for b in note.blocks] == [("p1", 3), ("li-2", 6), ("q", 10)]


def test_tags_from_frontmatter_and_body() -> None:
    text = "---\ntags: [Project, '#inbox']\n---\n#project/alpha #1984 a#b `#code` [[N#not]] #café (#x\n"
    assert parse_note(text).tags == ("café", "inbox", "project", "project/alpha")


def test_body_tags_start_where_an_inline_element_may() -> None:
    # spec E1: after white space, another tag or an opening emphasis mark; not inside a word
    text = "#a#b x _#uc_ **#bold** ~~#s~~ ==#hl== a_#no c#no `x`#code [[N]]#link\n"
    note = parse_note(text)
    assert note.tags == ("a", "b", "bold", "code", "hl", "link", "s", "uc")
    assert [(span.col, span.end_col) for span in note.tag_spans][:3] == [(1, 3), (3, 5), (9, 12)]


def test_comment_links_are_flagged() -> None:
    text = "a %% [[In]] %% [[Out]]\n%%\n[[Block]]\n%%\n`%%` [[Code]]\n"
    note = parse_note(text)
    assert [(link.target, link.in_comment) for link in note.links] == [
        ("In", True), ("Out", False), ("Block", True), ("Code", False)
    ]
    assert [c.text for c in note.comments] == [" [[In]] ", "\n[[Block]]\n"]


def test_unclosed_block_comment_runs_to_the_end() -> None:
    note = parse_note("%% open\n[[A]]\n")
    assert note.links[0].in_comment and note.comments[0].span.end_line == 2


def test_an_inline_comment_does_not_span_lines() -> None:
    note = parse_note("x %% open\n[[A]] %% y\n")
    assert not note.links[0].in_comment and note.comments == ()


def test_a_block_comment_holds_inline_text_only() -> None:
    note = parse_note("Intro\n%%\n## Hidden\n- [ ] #t2 see [[Real]]\n    code [[C]]\n%%\n")
    assert note.headings == () and note.tags == ("t2",)
    assert [(link.target, link.in_comment) for link in note.links] == [("Real", True), ("C", True)]


def test_fields_in_the_body() -> None:
    text = "up:: [[A]], [[B]]\n- **Parent**:: [[C]]\nsee [up:: [[D]]] and (next:: [[E]])\nup: [[F]]\nup: [[G]] text\n"
    from kg import Config

    config = Config().with_fields({"up": ["up", "parent"], "next": ["next"]})
    note = parse_note(text, config=config)
    assert [(link.target, link.relation) for link in note.links] == [
        ("A", "up"), ("B", "up"), ("C", "up"), ("D", "up"), ("E", "next"), ("F", "up"), ("G", None)
    ]


def test_field_without_a_link_is_a_problem() -> None:
    note = parse_note("up:: Bananas\n`up:: [[X]]`\nnote:: text\n")
    assert [(p.kind, p.span.line, p.span.col) for p in note.problems] == [("invalid-field-value", 1, 6)]
    assert note.links == ()


def test_frontmatter_links_and_problems() -> None:
    text = '---\nup:\n  - "[[A]]"\n  - [[B]]\nrelated: [[C]]\nsame: plain\nalias: Old\naliases: New\n---\n'
    note = parse_note(text)
    assert [(l.raw, l.relation, l.quoted, l.span.line, l.span.col) for l in note.links] == [
        ("[[A]]", "up", True, 3, 6), ("[[B]]", "up", False, 4, 5)
    ]
    assert [(p.kind, p.span.line) for p in note.problems] == [
        ("unquoted-frontmatter-link", 4), ("unquoted-frontmatter-link", 5),
        ("invalid-field-value", 6), ("deprecated-alias-key", 7),
    ]
    assert note.aliases == ("New",)  # Obsidian 1.9 ignores 'alias' (spec C7)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("---\nup: [[B]], [[C]]\n---\n", 2, "invalid yaml"),
        ("---\n- a\n- b\n---\n", 1, "frontmatter is a list"),
        ("---\njust text\n---\n", 1, "frontmatter is a str"),
        ("---\na: [unclosed\n---\n", 2, "invalid yaml"),
        ('---\nup: "[[B]]"\nup: "[[C]]"\naliases: [X]\n---\n', 3, "duplicate key 'up'"),
        ("---\nparent:\n  child: 1\n  child: 2\n---\n", 4, "duplicate key 'child'"),
        ("---\na: &x 1\nb: *x\nb: 2\n---\n", 4, "duplicate key 'b'"),
        ("---\ntags:\n  - @x\n---\n", 3, "invalid yaml"),
        ("---\na: 1\n\tb: 2\n---\n", 3, "invalid yaml"),
    ],
)
def test_bad_frontmatter_is_recorded_not_raised(text: str, line: int, message: str) -> None:
    note = parse_note(text)
    assert [(p.kind, p.span.line) for p in note.problems] == [("invalid-frontmatter", line)]
    assert message in note.problems[0].message and dict(note.frontmatter) == {}


@pytest.mark.parametrize("opener", ["--- ", "---\t", " ---", "----"])
def test_frontmatter_opens_only_with_exactly_three_dashes(opener: str) -> None:
    note = parse_note(f'{opener}\nup: "[[B]]"\n---\n')
    assert dict(note.frontmatter) == {} and note.problems == ()
    assert [(l.kind.value, l.target, l.relation) for l in note.links] == [("wikilink", "B", None)]


def test_frontmatter_links_are_found_in_nested_values() -> None:
    text = '---\nparent:\n  child: "[[B]]"\nlinks:\n  - name: x\n    to: "[[C]]"\nup:\n  main: "[[B]]"\n---\n'
    assert [(l.raw, l.key, l.relation, l.span.line) for l in parse_note(text).links] == [
        ("[[B]]", "parent.child", None, 3), ("[[C]]", "links.0.to", None, 6), ("[[B]]", "up.main", "up", 8)
    ]


def test_property_values_are_typed_as_yaml_1_2_reads_them() -> None:
    # Obsidian's YAML library follows the 1.2 core schema: no timestamps, no yes/on booleans, no 012 octal
    text = "---\nd: 2024-07-21\nt: 2024-07-21T12:37:00\ny: yes\no: on\nb: false\nz: 012\nq: 0o17\nx: 0x1F\nf: 1e3\nn: ~\n---\n"
    assert dict(parse_note(text).frontmatter) == {
        "d": "2024-07-21", "t": "2024-07-21T12:37:00", "y": "yes", "o": "on", "b": False,
        "z": 12, "q": 15, "x": 31, "f": 1000.0, "n": None,
    }


def test_template_placeholder_keys_are_valid_yaml() -> None:
    note = parse_note('---\ncategories: ["[[Albums]]"]\ncreated: {{date}}\n---\n')
    assert note.problems == () and [link.target for link in note.links] == ["Albums"]


@pytest.mark.parametrize("depth", [10, 25, 150])
def test_links_in_deeply_nested_lists_and_quotes_are_kept(depth: int) -> None:
    listed = "".join("  " * i + "- x\n" for i in range(depth)) + "  " * depth + "- [[A]] `[[B]]`\n"
    assert [(l.raw, l.span.line, l.span.col) for l in parse_note(listed).links] == [("[[A]]", depth + 1, 2 * depth + 3)]
    quoted = ">" * depth + " [[A]]\n"
    assert [(l.raw, l.span.col) for l in parse_note(quoted).links] == [("[[A]]", depth + 2)]


@pytest.mark.parametrize("key", ["aliases", "tags", "up", "related"])
def test_self_referencing_yaml_anchors_do_not_recurse(key: str) -> None:
    note = parse_note(f"---\n{key}: &a [*a, x]\n---\n[[B]]\n")
    assert [link.raw for link in note.links] == ["[[B]]"]


class _GeneralLoader(yaml_loader._Loader):  # type: ignore[misc, valid-type]
    """kg's loader with PyYAML's own constructor for every document, not the tree shortcut."""

    def construct_document(self, node: yaml.Node) -> object:
        return yaml.constructor.BaseConstructor.construct_document(self, node)


@pytest.mark.parametrize(
    "text",
    [
        "up: \"[[A]]\"\ntags: [a, b]\ncreated: 2021-02-22\nn: 1.5\nok: yes\nnone: ~\nwhen: 2001-12-14t21:59:43.10-05:00",
        "aliases:\n  - x\n  - y\nnested: {a: [1, {b: c}]}",
        "a: &x [1, 2]\nb: *x",  # an alias: the same list twice
        "base: &b {k: v}\nchild:\n  <<: *b\n  j: w",  # a merge key
        "a: 2021-13-45\nb: [2021-99-99]",  # invalid dates: PyYAML's order decides which error is told
        "s: !!set {a, b}\nbin: !!binary aGk=\nstr: !!str 5",
        "? [a, b]\n: c\n{x: 1}: y",  # keys that are a list and a mapping
        "deep: " + "[" * 150 + "]" * 150,
        "big: " + "9" * 5000,  # an int too long for int(): ValueError
    ],
)
def test_yaml_shortcut_builds_what_pyyaml_builds(text: str) -> None:
    """The tree shortcut of the frontmatter loader gives PyYAML's value, or PyYAML's error."""

    def load(loader: type) -> object:
        try:
            return yaml.load(text, Loader=loader)
        except Exception as exc:  # noqa: BLE001 - the error is part of the result
            return (type(exc), str(exc))

    assert repr(load(yaml_loader._Loader)) == repr(load(_GeneralLoader))


@pytest.mark.parametrize(
    "destination",
    ["Note.md", "Note%20A.md#Head", "a/b.md?x=1", "//host/x.md", "https://example.org/a(b)", "HTTPS://Ex.org",
     "javascript:alert(1)", "JavaScript:x", "data:image/png;base64,x", "Ünïcode.md", "a%zz.md", "mailto:a@b.co",
     "file:///etc/passwd", "x:y", "%41.md", "a&amp;b.md"],
)
def test_href_shortcuts_agree_with_markdown_it(destination: str) -> None:
    """Where the fast path skips normalizeLink, the link is kept or dropped as markdown-it decides."""
    text = f"[t]({destination}) #tag\n"
    lines = split_lines(text)
    assert read_body_fast(lines, lines, 0) == read_body(lines, lines, 0)


def test_nothing_in_math_is_read() -> None:
    text = "a $x #m1 [[A]]$ b $$#m2 ^no$$ #t\n\n$$\n## H [[B]] #m3\nup:: [[C]]\n$$\n\n- $$\n  [[D]]\n- [[E]]\n"
    note = parse_note(text)
    assert [link.target for link in note.links] == ["E"]
    assert note.tags == ("t",) and note.headings == () and note.blocks == ()


def test_dollars_that_open_no_math() -> None:
    text = "$ [[A]] $\n\n$5 or [[B]] $6\n\n\\$[[C]]\\$\n\n[[a$b]] $x\n"
    assert [link.target for link in parse_note(text).links] == ["A", "B", "C", "a$b"]


def test_footnotes_are_no_links_but_links_inside_them_are() -> None:
    text = "x[^1] y[^n] ^[see [[In]]]\n\n[^1]: a[[Real]]b\n[^n]: text\n\n    ## Foot H [[More]]\n"
    note = parse_note(text)
    assert [link.target for link in note.links] == ["In", "Real", "More"]
    assert note.headings == ()


def test_an_inline_footnote_closes_at_its_balanced_bracket() -> None:
    text = "^[a [b] \\] c](y.md) [[Y]] ^[open [[Z]]\n"  # (y.md) follows a footnote: no Markdown link
    assert [link.target for link in parse_note(text).links] == ["Y", "Z"]


def _footnote_ref(rule: Any, src: str, labels: list[str], pos: int, silent: bool) -> tuple[object, ...]:
    """What a footnote reference rule does at ``pos`` of ``src`` when ``labels`` are defined."""
    from markdown_it.rules_inline import StateInline

    from kg.parse.markdown import markdown

    env: dict[str, Any] = {"footnotes": {"refs": {":" + label: -1 for label in labels}, "list": {}}} if labels else {}
    state = StateInline(src, markdown(), env, [])
    state.pos = pos
    matched = rule(state, silent)
    plugin_state = {key: value for key, value in env.items() if not key.startswith("kg_")}  # not kg's memo
    return matched, state.pos, [(token.type, token.meta) for token in state.tokens], plugin_state


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="[^] a\n1", max_size=14), st.sampled_from([[], ["1"], ["a", "a1"], ["^", "]"]]),
       st.booleans())
def test_footnote_references_read_as_the_plugin_reads_them(src: str, labels: list[str], silent: bool) -> None:
    """kg's linear reference rule does at every position what mdit-py-plugins' rule does."""
    from mdit_py_plugins.footnote.index import footnote_ref

    from kg.parse.footnotes import linear_footnote_ref

    ours = linear_footnote_ref(footnote_ref)
    for pos in range(len(src)):
        assert _footnote_ref(ours, src, labels, pos, silent) == _footnote_ref(footnote_ref, src, labels, pos, silent)


def test_a_line_of_footnote_openers_finds_the_label_end_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """``^[`` × n and one ``]`` in a note with a footnote definition: the plugin's rule walked to
    the ``]`` from every ``[^`` (quadratic: 48 s for 30,000); kg's rule searches each character
    about once."""
    from kg.parse import footnotes

    searched = []

    class Counting:
        def search(self, text: str, pos: int, end: int = 1 << 62) -> Any:
            found = re.compile(r"[ \n\]]").search(text, pos, end)
            searched.append((found.start() + 1 if found else min(end, len(text))) - pos)
            return found

    monkeypatch.setattr(footnotes, "_STOP", Counting())
    line = "^[" * 1000 + "] [[A]] [^1]"
    note = parse_note("[^1]: x\n\n" + line + "\n")
    assert [link.raw for link in note.links] == ["[[A]]"]
    assert 0 < sum(searched) <= 2 * len(line)


def test_a_link_marked_in_one_note_stays_unmarked_in_the_next() -> None:
    """Comment and field links are marked in place, and wiki-link texts' parts are remembered
    across notes: the marks belong to one note's records only."""
    marked = parse_note("%% [[X]] %%\nup:: [[Y]]\n")
    plain = parse_note("[[X]] and [[Y]]\n")
    assert [(link.in_comment, link.relation) for link in marked.links] == [(True, None), (False, "up")]
    assert [(link.in_comment, link.relation) for link in plain.links] == [(False, None), (False, None)]
    assert plain.links[0].raw is marked.links[0].raw  # interned: one copy of each text
