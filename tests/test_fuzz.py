"""Fuzzing (issue 7): random small vaults through the whole pipeline, in process.

Hypothesis builds vaults of random Markdown (wiki-links, embeds, Markdown links, headings, lists,
quotes, fences, comments, fields, tags, block ids), random frontmatter (well-formed YAML from random
values, and YAML-ish noise), and random file and folder names (Unicode, NFD, the characters links
cannot hold). Each vault is written to disk, loaded with ``kg.load_vault``, linted and rendered in
every lint format, queried with every query function, and exported in every format into a folder
outside it; then all of that is done again from a fresh load, and the two runs must agree byte for
byte. The budget is fixed and the examples derandomised, so CI sees the same vaults every run.
Vaults that once failed stay as explicit examples (see ``FOUND``).
"""

from __future__ import annotations

import json
import tempfile
import unicodedata
from pathlib import Path
from urllib.parse import quote

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import kg
from conftest import write_vault
from kg import query
from kg.errors import KgError
from kg.export import FORMATS, write
from kg.lint import active_rules, lint
from kg.lint.output import FORMATS as LINT_FORMATS
from kg.lint.output import Report, render
from kg.stats import vault_stats

NAME_CHARS = list("abcXYZ 09-_.,'&()!") + ["é", "e\u0301", "ß", "Ω", "🧠", "#", "|", "^", "[", "]", "%", "<", ">", '"']
WORD = st.lists(st.sampled_from(NAME_CHARS), min_size=1, max_size=6).map("".join).map(str.strip).filter(
    lambda s: bool(s) and not s.startswith("."))
"""A file or folder name (without ``/``; not hidden)."""

NOISE = st.sampled_from(["[[", "]]", "![[", "|", "#", "^", "%%", "`", "```", "~~~", "\n", "\r\n", "\r", "\t", "> ",
                         "- ", "1. ", "::", ": ", "<!--", "-->", "<b>", "\\", "\x00", "\ufeff", "\u2028", " "])


@st.composite
def markdown(draw: st.DrawFn, names: list[str]) -> str:
    """A note body: lines made of Markdown constructs pointing at the vault's names, and noise."""
    target = st.sampled_from(names) | WORD | st.just("") | st.just("../../outside")
    heading = WORD | st.just("")
    pieces = st.one_of(
        st.builds("[[{}]]".format, target),
        st.builds("[[{}#{}|{}]]".format, target, heading, WORD),
        st.builds("[[{}#^{}]]".format, target, st.sampled_from(["id1", "ID1", "x"])),
        st.builds("![[{}]]".format, target),
        st.builds(lambda t, d: f"[{d}]({quote(t)}.md)", target, WORD),
        st.builds("{} {}".format, st.sampled_from(["#", "##", "###", "-", "1.", ">", "> >", "  -"]), WORD),
        st.builds("{}:: [[{}]]".format, st.sampled_from(["up", "Up", "down", "next", "same", "prev", "parent"]), target),
        st.builds("[up:: [[{}]]]".format, target),
        st.builds("#{}".format, WORD),
        st.just("^id1"), st.just("```\n[[In Code]]\n```"), st.just("%% [[In Comment]] %%"), st.just("<!-- [[Hidden]] -->"),
        NOISE, WORD,
    )
    return draw(st.lists(pieces, max_size=14).map(" ".join))


YAML_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.floats(allow_nan=True) | WORD | st.dates()
    | st.sampled_from(["[[Hub]]", "[[Nope]]", "[[Hub#H|x]]", "#tag", "a, b"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(WORD, inner, max_size=3),
    max_leaves=8,
)
YAML_NOISE = st.lists(st.sampled_from(["key: ", "up: ", "aliases: ", "tags: ", "- ", "[", "]", "{", "}", "'", '"',
                                       "[[Hub]]", "&a ", "*a ", "!!python/object ", "\t", "\n", "  ", "---\n", "? "]),
                      max_size=12).map("".join)


@st.composite
def frontmatter(draw: st.DrawFn) -> str:
    """Nothing, well-formed YAML built from random values, or YAML-ish noise; fenced or not closed."""
    kind = draw(st.sampled_from(["none", "yaml", "noise"]))
    if kind == "none":
        return ""
    if kind == "yaml":
        keys = st.sampled_from(["up", "down", "aliases", "alias", "tags", "kg-ignore", "title"]) | WORD
        text = yaml.safe_dump(draw(st.dictionaries(keys, YAML_VALUE, max_size=4)), allow_unicode=True)
    else:
        text = draw(YAML_NOISE)
    return f"---\n{text}\n" + draw(st.sampled_from(["---\n", "---\r\n", ""]))


@st.composite
def vaults(draw: st.DrawFn) -> dict[str, str | bytes]:
    """A vault of one to six files: notes (and now and then an attachment) in up to two folders."""
    stems = draw(st.lists(WORD, min_size=1, max_size=6, unique_by=lambda s: unicodedata.normalize("NFC", s).lower()))
    folders = draw(st.lists(st.lists(WORD, max_size=2).map("/".join), min_size=len(stems), max_size=len(stems)))
    files: dict[str, str | bytes] = {"Hub.md": "# H\n^id1\n"}
    for stem, folder in zip(stems, folders):
        path = f"{folder}/{stem}" if folder else stem
        if draw(st.integers(0, 9)) == 0:
            files[path + ".png"] = b"\x89PNG\r\n\x1a\n"
        else:
            files[path + ".md"] = draw(frontmatter()) + draw(markdown([*stems, "Hub"]))
    if draw(st.booleans()):  # the same name in another case, or as bytes that are not UTF-8
        files[draw(st.sampled_from(["hub.md", "HUB.md", "caf\udce9.md"]))] = draw(markdown(["Hub"]))
    return files


def run_pipeline(root: Path, out: Path) -> dict[str, str]:
    """Every stage of kg on the vault at ``root``: what each produced, as text, by stage name."""
    vault = kg.load_vault(root)
    produced: dict[str, str] = {"notes": json.dumps(sorted(vault.notes)), "stats": repr(vault_stats(vault))}
    findings = lint(vault)
    report = Report(findings, active_rules(vault), len(vault.notes))
    produced.update({f"lint {fmt}": render(report, fmt) for fmt in LINT_FORMATS})
    graph = vault.graph
    produced["graph"] = repr((sorted(graph.nodes(data="kind")), sorted((u, v, k) for u, v, k in graph.edges(data="kind"))))
    nodes = sorted(graph)
    produced["roots"] = repr(query.roots(vault))
    for node in nodes:
        produced[f"queries {node}"] = _ask(vault, node, nodes[0])
    for fmt in FORMATS:
        try:
            written = write(vault, out / f"map.{fmt}", fmt)
        except KgError as exc:  # a map too large to draw, for one
            produced[f"export {fmt}"] = str(exc)
            continue
        produced[f"export {fmt}"] = "".join(path.read_text(encoding="utf-8") for path in written.files)
    return produced


def _ask(vault: kg.Vault, node: str, other: str) -> str:
    """Every query about one node; an error kg raises on purpose (no path, ambiguous name) is an answer."""
    answers = []
    for ask in (
        lambda: query.ancestors(vault, node), lambda: query.descendants(vault, node, depth=2),
        lambda: query.parents(vault, node), lambda: query.children(vault, node, explicit=True),
        lambda: query.siblings(vault, node), lambda: query.links(vault, node), lambda: query.backlinks(vault, node),
        lambda: query.generate_tree_text(query.tree(vault, node)),
        lambda: query.generate_tree_json(query.tree(vault, node, direction="up")),
        lambda: query.shortest_path(vault, node, other), lambda: query.show(vault, node),
        lambda: query.find_notes(vault, node[:2]), lambda: query.suggest(vault, node[::-1]),
    ):
        try:
            answers.append(repr(ask()))
        except KgError as exc:
            answers.append(f"{type(exc).__name__}: {exc}")
    return "\n".join(answers)


FOUND: list[dict[str, str | bytes]] = [
    {"Hub.md": "# H\n^id1\n", "a.md": "---\nup: [[Hub]]\n---\n[[Hub#H#H]] [[a]]", "A.md": "up:: [[a]]"},
    {"Hub.md": "# H\n^id1\n", "a.png": b"\x89PNG\r\n\x1a\n", "aa.md": "up:: [[a]] [[#|a]]"},  # KeyError 'self' in build_graph
]
"""Vaults kept as explicit examples: shapes the fuzzer (or its author) found worth keeping."""


def _with_examples(test):  # type: ignore[no-untyped-def]
    for files in FOUND:
        test = example(files)(test)
    return test


@_with_examples
@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(vaults())
def test_random_vaults_go_through_the_whole_pipeline_the_same_way_twice(files: dict[str, str | bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = write_vault(Path(folder) / "vault", files)
        first = run_pipeline(root, Path(folder) / "out1")
        second = run_pipeline(root, Path(folder) / "out2")
    assert first == second
