"""Hostile vaults, built at test time: every input issue 7 lists, and a few more.

Nothing here is committed as a binary blob: each vault is written by a ``build_*`` function into a
folder the tests give it. A built vault is a :class:`Hostile`: its root, a name that exists in it and
one that does not (for the query commands), the folder outside it that holds a canary (text that
must never reach any output), and the vault paths whose ``open()`` the test driver refuses
(permission denied) or makes vanish (deleted between scan and read); see ``tests/kg_driver.py``.

The inputs, one per entry of :data:`MIXED_INPUTS` and :data:`SPECIAL_INPUTS` plus the other small
vaults of :data:`SMALL` and the heavy ones of :data:`HEAVY`, are counted by :func:`input_count`.
A single file name over 255 bytes cannot be made on Linux (NAME_MAX is 255), so the long-path case
is a path of many folders whose total length passes 255 bytes.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from conftest import write_vault

__all__ = [
    "CANARY",
    "HEAVY",
    "MIXED_INPUTS",
    "SMALL",
    "SPECIAL_INPUTS",
    "Hostile",
    "build_mixed",
    "input_count",
    "snapshot",
]

CANARY = "kg-canary-0b5e55ed"
"""Text that stands only in files outside the vault: it must never appear in kg's output."""

BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},"
       f"*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]" for i in range(8)]
    + ["aliases: *i", "tags: *i", "up: *i"]
)
"""YAML whose aliases expand to 9**9 (387 million) strings if anything flattens them naively."""

PYTHON_TAG_MARK = "kg-python-tag-ran"
"""The file a ``!!python/object`` payload would create next to the vault if YAML ran it."""

LONG_LINK = "[[" + "x" * 100_000 + "]]"


@dataclass
class Hostile:
    """A hostile vault on disk and what the tests need to know about it."""

    name: str
    """Short name of the vault, for test ids."""
    root: Path
    """The vault's root folder."""
    present: str
    """A name the query commands find in this vault."""
    absent: str = "No such note anywhere"
    """A name that matches nothing."""
    also: tuple[str, ...] = ()
    """More names worth looking up (ambiguous ones, odd scripts), each shown with ``kg show``."""
    outside: Path | None = None
    """A folder outside the vault, holding files with the :data:`CANARY`."""
    deny: tuple[str, ...] = ()
    """Vault paths whose ``open()`` the driver refuses with EACCES (a file without read permission)."""
    vanish: tuple[str, ...] = ()
    """Vault paths whose ``open()`` fails with ENOENT (deleted after kg listed them)."""
    expected: tuple[tuple[str, int, int, str], ...] = ()
    """Findings ``kg lint`` must report, at exactly this place: (vault path, line, col, code)."""
    unseen: tuple[str, ...] = ()
    """Link targets that stand where links do not count (code, HTML comments): no finding names them."""
    error: str | None = None
    """The one-line error every command must stop with (a vault kg cannot read at all), or None."""
    heavy: bool = False
    """Whether the vault is large enough that each command takes seconds."""


# --- the mixed vault: many small hostile inputs side by side ---------------------------------------

LONG_FOLDERS = "/".join(f"folder {i:02d} " + "l" * 50 for i in range(6))
"""Six folders whose names add up to more than 255 bytes (one name cannot pass NAME_MAX = 255)."""

MIXED_INPUTS: dict[str, dict[str, str | bytes]] = {
    # broken YAML of several kinds
    "yaml: unclosed quote": {"yaml/unclosed-quote.md": '---\ntitle: "never closed\nup: "[[Hub]]"\n---\nbody [[Hub]]\n'},
    "yaml: bad indentation": {"yaml/bad-indent.md": "---\naliases:\n  - one\n - two\n   three: 3\n---\n[[Hub]]\n"},
    "yaml: tab indentation": {"yaml/tabs.md": "---\naliases:\n\t- tabbed\ntags: [a]\n---\n[[Hub]]\n"},
    "yaml: duplicate keys": {"yaml/duplicate-keys.md": '---\nup: "[[Hub]]"\nup: "[[Nowhere]]"\naliases: [a]\naliases: [b]\n---\n'},
    "yaml: billion laughs": {"yaml/billion-laughs.md": f"---\n{BILLION_LAUGHS}\n---\n[[Hub]]\n"},
    "yaml: python object tags": {"yaml/python-tag.md": (
        "---\nup: !!python/object/apply:os.system ['touch @BASE@/" + PYTHON_TAG_MARK + "']\n"
        "x: !!python/object:os.PathLike {}\ny: !!python/name:os.system\n---\n[[Hub]]\n")},
    "yaml: unterminated frontmatter fence": {"yaml/unterminated-fence.md": '---\nup: "[[Hub]]"\naliases: [never]\n\n# Body?\n[[Nope fence]]\n'},
    "yaml: odd scalar types": {"yaml/odd-types.md": (
        "---\ndate: 2024-01-02\nwhen: 2024-01-02 10:20:30\nnan: .nan\ninf: -.inf\n? [complex, key]\n: v\n"
        "1: one\nnull: null\naliases: [2024-01-02, .nan, 12, true, null, {a: b}]\ntags: [1, .inf, {x: y}]\n"
        "up: [[Hub]]\nbin: !!binary aGVsbG8=\nset: !!set {a, b}\n---\n")},
    "yaml: lone surrogate escape": {"yaml/surrogate.md": '---\naliases: ["\\udcff", "ok"]\nup: "[[\\ud800]]"\n---\n'},
    "frontmatter is a list": {"yaml/list.md": "---\n- a\n- b\n---\n[[Hub]]\n"},
    "frontmatter is a scalar": {"yaml/scalar.md": "---\njust a string\n---\n[[Hub]]\n"},
    # encodings and line endings
    "byte-order mark": {"enc/bom.md": "\ufeff---\naliases: [Bommed]\n---\n# BOM\n[[Hub]] [[Nope BOM]]\n"},
    "CRLF line endings": {"enc/crlf.md": "---\r\nup: \"[[Hub]]\"\r\n---\r\n# CRLF\r\n\r\nline [[Nope CRLF]]\r\n"},
    "lone CR line endings": {"enc/cr.md": "---\rup: \"[[Hub]]\"\r---\r# CR\r\rline [[Nope CR]]\r"},
    "invalid UTF-8": {"enc/invalid-utf8.md": b"# Bad bytes\nfine line\nab\xff\xfecd [[Hub]]\n"},
    "NUL bytes in text": {"enc/nul-bytes.md": b"# NUL\nbefore\x00after [[Hub]]\n" + b"text " * 100 + b"\n\x00 [[Nope NUL]]\n"},
    "binary file named .md": {"enc/binary.md": bytes(range(256)) * 64 + b"\x89PNG\r\n\x1a\n\x00\x00"},
    "empty file": {"enc/empty.md": b""},
    # Markdown that never ends, and oversized pieces
    "100,000-character link": {"md/long-link.md": f"# Long\n{LONG_LINK}\n![{'y' * 1000}]({'z' * 100_000}.png)\n"},
    "unterminated code fence": {"md/fence.md": "# Fence\n[[Hub]]\n\n```python\n[[Inside Fence]]\n~~~\n"},
    "unterminated %% comment": {"md/comment.md": "# Comment\n[[Hub]]\n%% never closed\n[[In Comment]]\n"},
    "unterminated HTML comment and tags": {"md/html.md": "# HTML\n[[Hub]]\n<div>\n<!-- [[Hidden]]\n<script>\n"},
    # links that try to leave the vault
    "links out of the vault": {"escape/links.md": (
        "# Escape\n[[../../x]] [[../../../../../../../etc/passwd]] [x](/etc/passwd) ![[/etc/passwd]]\n"
        "[x](file:///etc/passwd) [y](../../outside/secret.md) [[../outside/secret]] ![[../../outside/secret.md]]\n"
        "[z](%2e%2e/%2e%2e/outside/secret.md) [w](<../../outside/secret.md>) [[~/.bashrc]] [[C:\\Windows\\win.ini]]\n"
        "---\nup: \"[[../../outside/secret]]\"\n")},
    # names
    "names with # | ^ [ ] %": {
        "names/What#Next.md": "[[Hub]]", "names/pipe|name.md": "[[Hub]]", "names/^caret.md": "[[Hub]]",
        "names/[brackets].md": "[[Hub]]", "names/100%.md": "[[Hub]] [[100%]]", "names/%%comment%%.md": "",
        "names/a]]b.md": "[[a]]b]]",
    },
    "emoji names": {"names/🧠 Brain 🦄.md": "# 🧠\n[[Hub]] [[🦄]]\n", "names/🦄.md": "up:: [[🧠 Brain 🦄]]\n"},
    "NFD accents": {"names/Cafe\u0301.md": "[[Hub]]", "names/src-nfd.md": "[[Café]] [[Cafe\u0301]]\n"},
    "Note.md beside note.md": {"case/Note.md": "[[note]]", "case/note.md": "[[Note]]", "case/NOTE.md": ""},
    "control characters in names": {"names/tab\tname.md": "[[Hub]]", "names/new\nline.md": "[[Hub]]"},
    "file name that is not UTF-8": {"names/latin1-caf\udce9.md": "[[Hub]] [[Nope latin1]]"},  # the byte 0xe9
    "markup in names": {"names/<script>alert(1)<\\script>.md": "[[Hub]]", "names/\"quoted\" 'name'.md": "[[Hub]]"},
    "path over 255 bytes": {f"{LONG_FOLDERS}/deep note.md": "up:: [[Hub]]\n[[Nope long path]]\n"},
    # canvases (JSON Canvas 1.0)
    "canvas: not JSON": {"canvas/not-json.canvas": '{"nodes": [\n  {"id": "a", "type": "text", "text": "[[Hub]]"\n'},
    "canvas: not the shape of a canvas": {"canvas/shape.canvas": '{"nodes": {"id": 1},\n "edges": [7, {"fromNode": []}]}'},
    "canvas: nodes that leave the vault": {"canvas/escape.canvas": (
        '{"nodes": [\n{"id": "f1", "type": "file", "file": "../outside/secret.md", "x": 0, "y": 0, "width": 1, "height": 1},\n'
        '{"id": "f2", "type": "file", "file": "/etc/passwd", "subpath": "#root", "x": 0, "y": 0, "width": 1, "height": 1},\n'
        '{"id": "g", "type": "group", "background": "../../outside/secret.md", "x": 0, "y": 0, "width": 1, "height": 1},\n'
        '{"id": "t", "type": "text", "text": "[[../outside/secret]] ![[/etc/passwd]] [[Hub]]", "x": 0, "y": 0, "width": 1, "height": 1}\n]}')},
    "canvas: invalid UTF-8 and binary": {
        "canvas/latin1.canvas": b'{"nodes": [{"id": "a", "type": "text", "text": "caf\xe9 [[Hub]]", "x": 0, "y": 0, "width": 1, "height": 1}]}',
        "canvas/binary.canvas": bytes(range(256)) * 64,
    },
    "canvas: nested 50,000 deep, a 5,000-digit number": {
        "canvas/deep.canvas": "[" * 50_000, "canvas/big-number.canvas": '{"nodes": [], "x": ' + "7" * 5000 + "}"},
    "canvas: lone surrogates and NUL escapes": {"canvas/surrogate.canvas": (
        '{"nodes": [{"id": "\\ud800", "type": "text", "text": "\\u0000 [[\\udcff]] [[Hub]]", "x": 0, "y": 0, "width": 1,'
        ' "height": 1}, {"id": "f", "type": "file", "file": "\\udcff.md", "x": 0, "y": 0, "width": 1, "height": 1}]}')},
    # the configuration the vault carries
    "exponential regex in .obsidian/app.json": {
        ".obsidian/app.json": '{"userIgnoreFilters": ["/(a+)+$/", "/(unclosed/", 7, null, {"a": 1}, "names/Not"]}',
        "names/" + "a" * 40 + "!.md": "[[Nope regex]]",
    },
}
"""Label -> files; each label is one hostile input of the mixed vault (besides those made by
:func:`build_mixed` itself: symlinks, permissions, a FIFO, files that vanish)."""

SPECIAL_INPUTS = (
    "symlink loop",
    "symlink pointing outside the vault",
    "folder symlink pointing outside the vault",
    "symlink to /etc/passwd",
    "file without read permission",
    "file that disappears while kg runs",
    "FIFO named .md",
)
"""Inputs :func:`build_mixed` makes with system calls rather than file contents."""

HUB = "# Hub\nThe centre. [[Nope hub]]\n"


def build_mixed(base: Path) -> Hostile:
    """The mixed vault in ``base/mixed``, with its outside folder ``base/outside``.

    Beside :data:`MIXED_INPUTS` it holds a symlink loop, symlinks (file and folder) that point
    outside, a file with mode 000, a file the driver makes vanish, and a FIFO named ``.md``.
    """
    root, outside = base / "mixed", base / "outside"
    write_vault(outside, {"secret.md": f"# {CANARY}\n[[{CANARY}]]\n", "folder/inner.md": f"{CANARY} [[Hub]]\n"})
    write_vault(root, {"Hub.md": HUB})
    for files in MIXED_INPUTS.values():
        write_vault(root, {rel: _at(base, text) for rel, text in files.items()})
    write_vault(root, {"perm/unreadable.md": "[[Hub]] unreadable\n", "perm/vanish.md": "[[Hub]] vanished\n"})
    os.chmod(root / "perm" / "unreadable.md", 0)
    (root / "links").mkdir()
    os.symlink("..", root / "links" / "loop")            # a folder that contains itself
    os.symlink("../links", root / "links" / "loop2")
    os.symlink(outside / "secret.md", root / "links" / "outside.md")
    os.symlink(outside / "folder", root / "links" / "outside-folder")
    os.symlink("/etc/passwd", root / "links" / "passwd.md")
    os.symlink("../Hub.md", root / "links" / "inside.md")  # a symlink that stays inside: followed
    os.symlink("missing.md", root / "links" / "dangling.md")
    os.mkfifo(root / "links" / "fifo.md")
    return Hostile(
        "mixed", root, present="Hub", outside=outside,
        also=("note", "🧠 Brain 🦄", "Café", "What#Next", "latin1-caf", "pipe|name", "<script>alert(1)<\\script>"),
        deny=("perm/unreadable.md",), vanish=("perm/vanish.md",),
        expected=(
            ("enc/invalid-utf8.md", 3, 3, "KG304"),  # at the first bad byte
            ("enc/binary.md", 1, 1, "KG304"),
            ("enc/bom.md", 5, 9, "KG001"),  # the BOM is not a column
            ("enc/crlf.md", 6, 6, "KG001"),
            ("enc/cr.md", 6, 6, "KG001"),
            ("enc/nul-bytes.md", 4, 3, "KG001"),  # a NUL is one column
            ("yaml/unclosed-quote.md", 3, 6, "KG201"),  # where YAML finds out: the quote runs on
            ("yaml/bad-indent.md", 4, 2, "KG201"),
            ("yaml/tabs.md", 3, 1, "KG201"),
            ("yaml/python-tag.md", 2, 5, "KG201"),
            ("yaml/surrogate.md", 2, 14, "KG201"),
            ("yaml/list.md", 1, 1, "KG201"),
            ("yaml/scalar.md", 1, 1, "KG201"),
            ("yaml/duplicate-keys.md", 3, 1, "KG201"),  # duplicate keys: no frontmatter at all (spec B10.1)
            ("yaml/billion-laughs.md", 13, 1, "KG103"),
            ("yaml/unterminated-fence.md", 6, 1, "KG001"),  # no frontmatter: lines count from the top
            ("md/comment.md", 4, 1, "KG001"),
            ("md/long-link.md", 2, 1, "KG001"),
            ("escape/links.md", 2, 1, "KG001"),
            ("escape/links.md", 2, 49, "KG001"),
            ("escape/links.md", 2, 66, "KG006"),
            ("perm/unreadable.md", 1, 1, "KG304"),
            ("perm/vanish.md", 1, 1, "KG304"),
            ("links/loop", 1, 1, "KG304"),
            ("links/outside.md", 1, 1, "KG304"),
            ("links/passwd.md", 1, 1, "KG304"),
            (f"{LONG_FOLDERS}/deep note.md", 2, 1, "KG001"),
            ("names/latin1-caf\ufffd.md", 1, 9, "KG001"),
            ("names/What#Next.md", 1, 1, "KG301"),
            ("case/note.md", 1, 1, "KG302"),
            ("canvas/not-json.canvas", 3, 1, "KG305"),  # where the JSON ends too early
            ("canvas/shape.canvas", 2, 12, "KG305"),
            ("canvas/escape.canvas", 2, 39, "KG006"),  # the file node's path, in the canvas file
            ("canvas/escape.canvas", 5, 38, "KG001"),  # a link inside a text node, in the canvas file
            ("canvas/latin1.canvas", 1, 52, "KG304"),
            ("canvas/binary.canvas", 1, 1, "KG304"),
            ("canvas/deep.canvas", 1, 1, "KG305"),
            ("canvas/big-number.canvas", 1, 1, "KG305"),
            ("canvas/surrogate.canvas", 1, 161, "KG006"),
        ),
        unseen=("Inside Fence", "Hidden", "Not a link"),
    )


def _at(base: Path, text: str | bytes) -> str | bytes:
    """``text`` with ``@BASE@`` replaced by the folder the vaults are built in."""
    return text.replace("@BASE@", str(base)) if isinstance(text, str) else text


# --- heavy vaults: one input each, built once per session ------------------------------------------

def build_huge_note(base: Path) -> Hostile:
    """A 20 MB note of ordinary Markdown (paragraphs, headings, lists, code, quotes) with a link every
    few paragraphs (a few broken), and a small neighbour. Many links are the 50,000-link vault's case."""
    root = base / "huge"
    paragraph = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut "
                 "labore et dolore magna aliqua. **Ut enim** ad minim veniam, `quis` nostrud #tag.\n\n"
                 "- item one\n- item *two*\n  1. nested\n\n> quoted text\n\n```\n[[Not a link]]\n```\n\n")
    count = 20 * 1024 * 1024 // len(paragraph) + 1
    parts = ['---\nup: "[[Small]]"\n---\n']
    for index in range(count):
        if index % 500 == 0:
            parts.append(f"## Section {index}\n\n[[Missing {index // 500}]]\n\n")
        if index % 10 == 0:
            parts.append(f"See [[Small]] and [[Huge#Section {index // 500 * 500}]].\n\n")
        parts.append(paragraph)
    text = "".join(parts)
    last = text.rindex("[[Missing ")
    write_vault(root, {"Huge.md": text, "Small.md": "# Small\n[[Huge#Section 500]] [[Huge#Section 7]]\n"})
    expected = (("Huge.md", 6, 1, "KG001"), ("Huge.md", text.count("\n", 0, last) + 1, 1, "KG001"),
                ("Small.md", 2, 22, "KG004"))
    return Hostile("huge-note", root, heavy=True, present="Huge", expected=expected)


def build_many_links(base: Path) -> Hostile:
    """A note with 50,000 links: wiki-links, embeds, Markdown links, resolved and broken."""
    root = base / "links"
    lines = ["# Many"]
    for index in range(50_000):
        kind = index % 5
        if kind == 0:
            lines.append(f"- [[Target {index % 100}]]")
        elif kind == 1:
            lines.append(f"- [[Ghost {index}]]")
        elif kind == 2:
            lines.append(f"- ![[Target {index % 100}#Heading {index}]]")
        elif kind == 3:
            lines.append(f"- [text](Target%20{index % 100}.md)")
        else:
            lines.append(f"- [[Target {index % 100}#^block{index}|shown {index}]]")
    files: dict[str, str | bytes] = {"Many.md": "\n".join(lines) + "\n"}
    files.update({f"Target {i}.md": f"up:: [[Many]]\n# Heading {i}\n" for i in range(100)})
    write_vault(root, files)
    expected = (("Many.md", 3, 3, "KG001"), ("Many.md", 104, 3, "KG004"), ("Many.md", 6, 3, "KG005"),
                ("Many.md", 49_998, 3, "KG001"))
    return Hostile("50k-links", root, heavy=True, present="Many", expected=expected)


def build_deep_markdown(base: Path) -> Hostile:
    """10,000 levels of nested lists and of nested block quotes (and both mixed), links at the bottom;
    and two single lines that once took minutes to parse: 100,000 ``[[`` that never close, and
    40,000 bracketed fields ``[up:: [[a]]]``."""
    root = base / "deep-md"
    depth = 10_000
    write_vault(root, {
        "Lists.md": "# Lists\n" + "- " * depth + "[[Quotes]] [[Nope deep list]]\n" + "1. " * depth + "[[Quotes]]\n",
        "Quotes.md": "# Quotes\n" + ">" * depth + " [[Lists]] [[Nope deep quote]]\n" + "> - " * depth + "[[Lists]]\n",
        "Staircase.md": "# Stairs\n" + "".join(" " * (2 * i) + f"- level {i}\n" for i in range(300)) + "[[Lists]]\n",
        "Brackets.md": "[" * depth + "[[Lists]]" + "]" * depth + "\n" + "*" * depth + "_" * depth + "\n",
        "Unclosed.md": "[[" * 100_000 + "\n[[Nope unclosed]]\n",
        "Fields.md": "[up:: [[Lists]]] " * 40_000 + "\n",
    })
    expected = (("Lists.md", 2, 2 * depth + 12, "KG001"), ("Quotes.md", 2, depth + 12, "KG001"),
                ("Unclosed.md", 2, 1, "KG001"))
    return Hostile("deep-markdown", root, heavy=True, present="Lists", expected=expected)


def build_wide_folder(base: Path) -> Hostile:
    """10,000 files in one folder, linking in a ring, with an ``up`` chain."""
    root = base / "wide"
    count = 10_000
    files: dict[str, str | bytes] = {
        f"flat/n{i:05d}.md": f'---\nup: "[[n{(i - 1) % count:05d}]]"\n---\n[[n{(i + 1) % count:05d}]]\n'
        for i in range(count)
    }
    write_vault(root, files)
    return Hostile("10k-files", root, heavy=True, present="n00042", expected=(("flat/n00000.md", 2, 6, "KG101"),))


def build_deep_folders(base: Path) -> Hostile:
    """200 levels of folders, a note on every level linking to the one above."""
    root = base / "deep-dirs"
    files: dict[str, str | bytes] = {}
    folder = ""
    for level in range(200):
        folder += f"d{level}/"
        files[f"{folder}level {level}.md"] = f"up:: [[level {level - 1}]]\n" if level else "# Top\n"
    files[f"{folder}level 199.md"] += "[[Nope deepest]]\n"
    write_vault(root, files)
    return Hostile("200-folders", root, heavy=True, present="level 199", expected=((f"{folder}level 199.md", 2, 1, "KG001"),))


def build_config(base: Path) -> Hostile:
    """A vault whose configuration files are symlinks out of it: ``.obsidian`` (a folder) and
    ``kg.toml``. Read, they would silence every finding and exclude every note."""
    root, outside = base / "config", base / "outside-config"
    write_vault(outside, {"obsidian/app.json": '{"userIgnoreFilters": ["/./", ""]}', "kg.toml": 'exclude = ["**"]\n',
                          "note.md": f"{CANARY}\n"})
    write_vault(root, {"A.md": "up:: [[B]]\n[[Nope config]]\n", "B.md": "# B\n"})
    os.symlink(outside / "obsidian", root / ".obsidian")
    os.symlink(outside / "kg.toml", root / "kg.toml")
    return Hostile("config", root, present="A", outside=outside, expected=(("A.md", 2, 1, "KG001"),))


def build_bad_config(base: Path) -> Hostile:
    """A vault whose ``kg.toml`` is not TOML: every command stops with a one-line error."""
    root = write_vault(base / "bad-config", {"kg.toml": "select = [\n", "A.md": "[[B]]", "B.md": ""})
    return Hostile("bad-config", root, present="A", error=f"Error: cannot read '{root / 'kg.toml'}'")  # the full path


SMALL: dict[str, Callable[[Path], Hostile]] = {
    "mixed": build_mixed,
    "configuration symlinked out of the vault": build_config,
    "configuration that is not TOML": build_bad_config,
}
"""Label -> builder of a small hostile vault (the mixed one counts its inputs in :data:`MIXED_INPUTS`)."""

def build_one_name(base: Path) -> Hostile:
    """3,000 notes in their own folders, all named ``Note.md``, each linking ``[[Note]]``: every link
    fits 3,000 files (and once made 9 million comparisons and a 150 MB lint report)."""
    root = base / "one-name"
    count = 3_000
    files: dict[str, str | bytes] = {f"f{i:04d}/Note.md": f"[[Note]] [[f{(i + 1) % count:04d}/Note]]\n" for i in range(count)}
    files["Top.md"] = "[[Note]]\n"
    write_vault(root, files)
    expected = (("Top.md", 1, 1, "KG002"), ("f0000/Note.md", 1, 1, "KG002"))
    return Hostile("one-name", root, heavy=True, present="f0042/Note", expected=expected)


HEAVY: dict[str, Callable[[Path], Hostile]] = {
    "20 MB note": build_huge_note,
    "50,000 links in one note": build_many_links,
    "10,000-level nested lists and block quotes": build_deep_markdown,
    "10,000 files in one folder": build_wide_folder,
    "200 levels of folders": build_deep_folders,
    "3,000 notes with one name": build_one_name,
}
"""Label -> builder of a vault for one heavy input."""


LONG_LINES = ("one line of 100,000 [[ that never close", "one line of 40,000 bracketed fields")
"""Inputs that share the 10,000-level nesting vault (see :func:`build_deep_markdown`)."""


def input_count() -> int:
    """How many hostile inputs the builders cover."""
    return len(MIXED_INPUTS) + len(SPECIAL_INPUTS) + len(SMALL) - 1 + len(HEAVY) + len(LONG_LINES)


# --- read-only check -------------------------------------------------------------------------------

def snapshot(root: Path, *, digests: bool = True) -> dict[str, tuple[object, ...]]:
    """Every entry under ``root`` (dot-folders too, symlinks not followed): mode, size, mtime_ns,
    ctime_ns and, with ``digests``, a digest of its bytes (a file) or its target (a symlink).

    Equal snapshots mean nothing was written: writing a file changes its ctime, which no one can set
    back (``os.utime`` sets only mtime and atime), so the cheaper snapshot without digests still
    catches a write that restores the old bytes and mtime.
    """
    out: dict[str, tuple[object, ...]] = {}
    top = os.fsencode(root)
    for folder, dirs, files in os.walk(top):
        for name in dirs + files:
            path = os.path.join(folder, name)
            info = os.lstat(path)
            rel = os.path.relpath(path, top).decode("utf-8", "surrogateescape")
            digest = _digest(path, info) if digests else ""
            out[rel] = (info.st_mode, info.st_size, info.st_mtime_ns, info.st_ctime_ns, digest)
    return out


def _digest(path: bytes, info: os.stat_result) -> str:
    if stat.S_ISLNK(info.st_mode):
        return os.readlink(path).decode("utf-8", "surrogateescape")
    if not stat.S_ISREG(info.st_mode):
        return ""
    if not os.access(path, os.R_OK):
        return "unreadable"
    with open(path, "rb") as handle:
        return hashlib.blake2b(handle.read(), digest_size=16).hexdigest()
