"""The diff ``kg mv --dry-run`` and ``kg lint --diff`` print is made from the edits, hunk by hunk:
applied as a patch to the old file, it must give the new one (``difflib`` on the whole files may
align repeated lines differently, so it is no oracle for the exact hunks)."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.write.change import Change, FileChange
from kg.write.diff import render_diff
from kg.write.splice import Edit, Offsets, splice


@st.composite
def edited(draw: st.DrawFn) -> tuple[str, list[Edit]]:
    lines = draw(st.lists(st.sampled_from(["a", "b", "[[x]]", "", "c [[y]] d"]), min_size=1, max_size=40))
    text = "\n".join(lines) + draw(st.sampled_from(["\n", ""]))
    offsets = Offsets(text)
    chosen = draw(st.lists(st.integers(0, len(lines) - 1), unique=True, max_size=6))
    edits = []
    for index in sorted(chosen):
        start = offsets.at(index + 1, 1)
        old = lines[index]
        new = draw(st.sampled_from(["[[z]]", "q", "two\nlines", "", "a"]))
        if new != old:
            edits.append(Edit(start, start + len(old), old, new, index + 1))
    return text, edits


def patch(old: list[str], diff: list[str]) -> list[str]:
    """``old`` with a unified diff applied; every header count and context line checked."""
    out, at = [], 0
    hunks = [i for i, line in enumerate(diff) if line.startswith("@@")]
    for number, start in enumerate(hunks):
        head = re.fullmatch(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@", diff[start])
        assert head
        first, length = int(head[1]), int(head[2] or 1)
        body = diff[start + 1:hunks[number + 1] if number + 1 < len(hunks) else len(diff)]
        begin = first - 1 if length else first
        out += old[at:begin]
        kept = [line[1:] for line in body if line[0] in " -"]
        assert old[begin:begin + length] == kept and len(kept) == length
        new = [line[1:] for line in body if line[0] in " +"]
        assert len(new) == int(head[4] or 1) and int(head[3]) == len(out) + (1 if new else 0)
        out += new
        at = begin + length
    return out + old[at:]


@settings(max_examples=300, deadline=None)
@given(edited())
def test_the_diff_patches_the_old_text_into_the_new(case: tuple[str, list[Edit]]) -> None:
    text, edits = case
    after = splice(text, edits)
    change = Change(Path("."), (FileChange("n.md", text.encode(), after.encode(), tuple(edits)),))
    lines = render_diff(change).splitlines()
    assert lines[:2] == ["--- a/n.md", "+++ b/n.md"]
    assert patch(text.splitlines(), lines[2:]) == after.splitlines()
    assert all(not line.startswith("@@") or " @@" in line for line in lines)


@given(st.text(alphabet="ab\n\r\ufeff", max_size=30))
def test_offsets_find_every_line_start(text: str) -> None:
    offsets = Offsets(text)
    start = 1 if text.startswith("\ufeff") else 0
    lines = re.split(r"\r\n?|\n", text[start:])
    for number, line in enumerate(lines, 1):
        assert text[offsets.at(number, 1):offsets.at(number, 1) + len(line)] == line
        assert offsets.line_of(offsets.at(number, 1)) == number
