"""Generate seeded, reproducible Obsidian-style vaults for benchmarking kg.

A generated vault looks like a real one, only bigger: notes in a folder tree a few levels deep,
about 2.5 KB each, with YAML frontmatter (``aliases`` as a list or a single string, some Cyrillic or
accented; ``tags``; ``up`` links quoted, unquoted or as a list of parents), prose with wiki-links of
every form (``[[Note]]``, ``[[Note|shown]]``, ``[[Note#Heading]]``, ``[[Note#^block]]``,
``[[#Local heading]]``, ``[[Folder/Note]]``, ``![[image.png]]``, ``![[Note]]``), Markdown links to
notes and to ``https://`` pages, headings, nested lists, block quotes and callouts, GFM tables,
``^block-ids``, ``#tags``, ``%% comments %%``, Dataview fields (``up:: [[X]]``), inline code and
fenced code (backticks and tildes) holding fake links that must not count, a few attachments, notes
that share a file name with a note in another folder, and links to notes that exist nowhere.

The ``up`` links form a real hierarchy: a few hundred roots, trees 5 to 10 levels deep, some notes with
two parents (always a DAG), and one hub note with many children. Every link that is not planted as
broken resolves, and every heading and block it names exists, so the only link findings kg should
report on a generated vault are the planted ones, which :func:`generate_vault` returns.

The same ``notes`` and ``seed`` always give byte-identical files.

    python benchmarks/generate.py OUT --notes 10000 --seed 0
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

__all__ = ["GENERATOR_VERSION", "MANIFEST", "generate_vault", "read_manifest"]

GENERATOR_VERSION = 3
"""Bumped whenever the output for a given seed changes, so that reused vaults are regenerated."""

MANIFEST = ".kg-bench.json"
"""File at the vault root (a dot file, so not vault content) that records what was generated."""

ADJECTIVES = (
    "Adaptive Bayesian Causal Contrastive Convolutional Deep Dense Diffusion Discrete Distributed "
    "Dynamic Efficient Federated Generative Graph Hierarchical Implicit Latent Linear Masked Modular "
    "Multimodal Neural Online Optimal Parallel Probabilistic Quantized Recurrent Residual Robust "
    "Sparse Spectral Stochastic Structured Symbolic Temporal Variational Visual Élastique"
).split()
NOUNS = (
    "Agent Alignment Attention Autoencoder Benchmark Classifier Clustering Compiler Corpus Dataset "
    "Decoder Distillation Embedding Encoder Ensemble Estimator Evaluation Feature Gradient Heuristic "
    "Index Inference Kernel Language Layer Learning Memory Metric Model Network Normalization "
    "Optimizer Parser Pipeline Planner Policy Pretraining Prompt Pruning Ranking Reasoning Retrieval "
    "Reward Routing Sampling Scheduler Search Segmentation Tokenizer Training Translation Vision "
    "Ontology Schema Cache Protocol Modèle Données Régression Réseau Größe Café"
).split()
WORDS = (
    "the a of and to in is that it for on with as was by this be are from at or an have which not "
    "model data training layer network signal value error weight input output vector matrix token "
    "sequence context window batch loss gradient step rate update memory cache query key result "
    "paper method approach idea question answer example case test run score metric baseline "
    "experiment setting parameter budget cost time space graph node edge path tree root leaf "
    "small large fast slow simple complex early late common rare useful known open hard easy "
    "learns predicts reduces improves combines compares measures stores reads writes splits merges "
    "often usually rarely always sometimes mostly nearly quite very still again also only then "
    "because although while since unless whereas however therefore moreover instead otherwise "
    "each every some many most few several other same different similar whole single first last "
    "team project review draft note summary detail section chapter source reference version"
).split()
HEADINGS = (
    "Overview", "Key ideas", "Background", "Motivation", "Definition", "How it works", "Examples",
    "Open questions", "Limitations", "Related work", "History", "Implementation notes", "Evaluation",
    "Results", "Training data", "Variants", "Use cases", "Pitfalls", "Further reading", "Summary",
    "Notation", "Intuition", "Complexity", "Failure modes", "Tools", "Datasets", "Timeline", "Critique",
    "Comparison", "Next steps", "Terminology", "Design choices", "Trade-offs", "Benchmarks", "Ideas",
)
TOP_FOLDERS = (
    "Concepts", "Models", "Methods", "Projects", "People", "Papers", "Datasets", "Tools", "Topics",
    "Log", "Reading", "Areas",
)
TAGS = (
    "ai", "ml/vision", "ml/nlp", "ml/rl", "todo", "idea", "reading", "concept", "method",
    "project/alpha", "project/beta", "review", "draft", "evergreen",
)
CYRILLIC = {
    "a": "а", "b": "б", "c": "к", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х", "i": "и",
    "j": "дж", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "к", "r": "р",
    "s": "с", "t": "т", "u": "у", "v": "в", "w": "в", "x": "кс", "y": "й", "z": "з",
}
ACCENTS = str.maketrans({"e": "é", "a": "à", "o": "ô", "u": "ü"})
LINK_PHRASES = (
    "See {}.", "This builds on {}.", "Compare it with {}.", "More in {}.", "({})",
    "A related idea is {}.", "It is used by {} in practice.", "Background: {}.",
)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
"""A valid 1x1 PNG."""
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
"""A tiny, empty PDF."""


@dataclass
class NoteSpec:
    """What is decided about one note before any note is written."""

    title: str
    folder: str
    """Vault-relative folder, ``""`` for the vault root."""
    depth: int = 0
    """Length of the longest ``up`` chain above the note."""
    parents: list[int] = field(default_factory=list)
    """Indexes of the notes its ``up`` field names."""
    headings: list[str] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)
    """Block ids the note declares."""
    aliases: list[str] = field(default_factory=list)
    ambiguous: bool = False
    """Whether another note has the same file name."""

    @property
    def linkpath(self) -> str:
        """The vault path without ``.md``: what ``[[Folder/Note]]`` writes."""
        return f"{self.folder}/{self.title}" if self.folder else self.title

    @property
    def path(self) -> str:
        """The vault-relative POSIX path of the note."""
        return self.linkpath + ".md"

    @property
    def parent_name(self) -> str:
        """How an ``up`` link names this note: by file name, or by path when the name is shared."""
        return self.linkpath if self.ambiguous else self.title


@dataclass
class VaultPlan:
    """Every note's spec, the attachments and the names of the missing notes links point to."""

    notes: list[NoteSpec]
    attachments: list[str]
    missing: list[str]
    """Names of notes that exist nowhere: targets of the planted broken links."""
    roots: int
    hub: int
    """Index of the note with the most children."""
    deepest: int
    """Index of a note at the greatest depth (with a file name of its own)."""


def generate_vault(path: str | Path, notes: int, seed: int = 0) -> dict:
    """Write a vault of ``notes`` notes under ``path`` (emptied first) and describe it.

    Parameters
    ----------
    path : str or Path
        The vault folder; it is removed and recreated.
    notes : int
        How many notes to write.
    seed : int
        Seed of the random choices; the same seed gives byte-identical files.

    Returns
    -------
    dict
        ``notes``, ``attachments``, ``bytes`` (of the notes), ``roots``, ``max_depth``;
        ``deepest`` and ``hub`` (note titles, for hierarchy queries) and ``deepest_path``;
        ``hub_children``, ``several_parents``, ``duplicates`` (file names held by more than one
        note); ``broken`` (``[path, target]`` of every planted broken link) and ``broken_embeds``
        (the same for embeds of missing files). The same dict is saved as the manifest
        ``.kg-bench.json`` at the vault root, with ``seed`` and ``version``.
    """
    if notes < 1:
        raise ValueError("a vault needs at least one note")
    root = Path(path)
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    rng = random.Random(seed)
    plan = plan_vault(notes, rng)
    writer = NoteWriter(plan, rng)
    total = 0
    for folder in sorted({spec.folder for spec in plan.notes} | {"attachments"}):
        (root / folder).mkdir(parents=True, exist_ok=True)
    for index, spec in enumerate(plan.notes):
        data = writer.note(index).encode("utf-8")
        total += len(data)
        (root / spec.path).write_bytes(data)
    for name in plan.attachments:
        (root / "attachments" / name).write_bytes(PNG if name.endswith(".png") else PDF)
    (root / ".obsidian").mkdir()
    (root / ".obsidian" / "app.json").write_text('{"alwaysUpdateLinks": true}\n', encoding="utf-8")
    summary = _summary(plan, writer, total)
    manifest = {"version": GENERATOR_VERSION, "seed": seed, **summary}
    (root / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return summary


def read_manifest(path: str | Path) -> dict | None:
    """The manifest of a vault written by :func:`generate_vault`, or None if there is none."""
    try:
        return json.loads((Path(path) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _summary(plan: VaultPlan, writer: NoteWriter, total: int) -> dict:
    notes = plan.notes
    return {
        "notes": len(notes),
        "attachments": len(plan.attachments),
        "bytes": total,
        "roots": plan.roots,
        "max_depth": notes[plan.deepest].depth,
        "deepest": notes[plan.deepest].title,
        "deepest_path": notes[plan.deepest].path,
        "hub": notes[plan.hub].title,
        "hub_children": sum(1 for spec in notes if plan.hub in spec.parents),
        "several_parents": sum(1 for spec in notes if len(spec.parents) > 1),
        "duplicates": sorted({spec.title for spec in notes if spec.ambiguous}),
        "broken": writer.broken,
        "broken_embeds": writer.broken_embeds,
    }


# -- the plan: names, folders, hierarchy -----------------------------------------------------------


def plan_vault(count: int, rng: random.Random) -> VaultPlan:
    """Decide every note's name, folder, parents, headings, block ids and aliases."""
    folders = _folders(len(TOP_FOLDERS) + max(6, count // 40), rng)
    titles = _titles(count, rng)
    notes = [NoteSpec(title, rng.choice(folders)) for title in titles]
    roots = max(3, min(300, count // 33))
    hub = min(roots, count - 1)
    _hierarchy(notes, roots, hub, rng)
    for spec in notes:
        spec.headings = rng.sample(HEADINGS, rng.randint(2, 4))
        spec.blocks = _block_ids(rng.randint(1, min(3, len(spec.headings))), rng)
        spec.aliases = _aliases(spec.title, rng)
    _duplicate_names(notes, folders, {hub}, rng)
    deepest = max(
        (i for i, spec in enumerate(notes) if not spec.ambiguous), key=lambda i: (notes[i].depth, -i)
    )
    attachments = [f"Diagram {k}.png" if k % 3 else f"paper-{k}.pdf" for k in range(max(3, count // 200))]
    missing = [f"Unwritten {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {k}" for k in range(max(5, count // 25))]
    return VaultPlan(notes, attachments, missing, roots, hub, deepest)


def _folders(count: int, rng: random.Random) -> list[str]:
    """The vault root, the top folders and subfolders below them, at most three levels deep."""
    folders = list(TOP_FOLDERS)
    taken = set(folders)
    while len(folders) < count:
        parent = rng.choice(folders)
        child = f"{parent}/{rng.choice(NOUNS)}"
        if parent.count("/") < 2 and child not in taken:
            taken.add(child)
            folders.append(child)
    return ["", *folders]


def _titles(count: int, rng: random.Random) -> list[str]:
    """Unique note names (ignoring case); about one in thirty written in Cyrillic."""
    titles: list[str] = []
    taken: set[str] = set()
    while len(titles) < count:
        words = [rng.choice(ADJECTIVES), rng.choice(NOUNS)]
        if rng.random() < 0.8:
            words.append(rng.choice(NOUNS))
        title = " ".join(words)
        if rng.random() < 0.03:
            title = cyrillic(title)
        if title.casefold() in taken:
            title = f"{title} {len(titles)}"
        taken.add(title.casefold())
        titles.append(title)
    return titles


def _hierarchy(notes: list[NoteSpec], roots: int, hub: int, rng: random.Random) -> None:
    """Give every note after the roots one parent (sometimes two) among the notes before it.

    Each tree has its own maximum depth, 5 to 10; a parent that is already that deep is replaced by
    its own parent. A second parent is never deeper than the first, so depths stay exact.
    """
    members: list[list[int]] = [[i] for i in range(roots)]
    tree_of = list(range(roots))
    limit = [5 + i % 6 for i in range(roots)]
    for i in range(roots, len(notes)):
        if i > hub and rng.random() < 0.04:
            parent = hub
        else:
            parent = rng.choice(members[rng.randrange(roots)])
        tree = tree_of[parent]
        while notes[parent].depth >= limit[tree]:
            parent = notes[parent].parents[0]
        notes[i].parents = [parent]
        notes[i].depth = notes[parent].depth + 1
        if rng.random() < 0.05:
            other = rng.choice(members[rng.randrange(roots)])
            while notes[other].depth > notes[parent].depth:
                other = notes[other].parents[0]
            if other != parent:
                notes[i].parents.append(other)
        tree_of.append(tree)
        members[tree].append(i)


def _duplicate_names(notes: list[NoteSpec], folders: list[str], keep: set[int], rng: random.Random) -> None:
    """Rename about one note in sixty after an earlier note, in another folder.

    Links by name may then resolve to either note, so the copy takes the original's headings and
    block ids, and neither declares aliases (they would clash).
    """
    for i in range(1, len(notes)):
        if i in keep or rng.random() >= 1 / 60:
            continue
        first = rng.randrange(i)
        original, spec = notes[first], notes[i]
        if first in keep or original.ambiguous or spec.ambiguous:
            continue
        folder = rng.choice(folders)
        if folder == original.folder:
            continue
        spec.title, spec.folder = original.title, folder
        spec.headings, spec.blocks = original.headings, original.blocks
        spec.aliases = original.aliases = []
        spec.ambiguous = original.ambiguous = True


def _block_ids(count: int, rng: random.Random) -> list[str]:
    """Block ids unique within a note (at most one per section, so that each gets written)."""
    return [f"{rng.choice(WORDS)}-{k}{rng.randrange(1000):03d}" for k in range(count)]


def cyrillic(text: str) -> str:
    """Transliterate Latin letters to Cyrillic, word by word, keeping capitals.

    >>> cyrillic("Neural Model")
    'Неурал Модел'
    """
    words = []
    for word in text.split(" "):
        out = "".join(CYRILLIC.get(ch, ch) for ch in word.lower())
        words.append(out[:1].upper() + out[1:] if word[:1].isupper() else out)
    return " ".join(words)


def _aliases(title: str, rng: random.Random) -> list[str]:
    """Up to three other names: Cyrillic, accented, and the title with a qualifier."""
    options = [cyrillic(title), title.translate(ACCENTS), f"{title} ({rng.choice(NOUNS).lower()})"]
    return rng.sample(options, rng.choice((0, 1, 1, 2, 2, 3)))


# -- writing notes ---------------------------------------------------------------------------------


class NoteWriter:
    """Writes the text of each note of a plan, and records the broken links it plants."""

    def __init__(self, plan: VaultPlan, rng: random.Random):
        self.plan = plan
        self.rng = rng
        self.sentences = [self._sentence() for _ in range(600)]
        self.broken: list[list[str]] = []
        """``[note path, target]`` of every broken link written."""
        self.broken_embeds: list[list[str]] = []
        """``[note path, target]`` of every embed of a missing attachment written."""
        self.spec = plan.notes[0]

    def note(self, index: int) -> str:
        """The full text of note ``index``."""
        self.spec = spec = self.plan.notes[index]
        lines = self._header()
        lines.append(f"# {spec.title}")
        lines.append(self._paragraph())
        blocks = list(spec.blocks)
        for number, heading in enumerate(spec.headings):
            level = 2 if number == 0 else self.rng.choice((2, 2, 3, 3, 4))
            lines.extend(("", f"{'#' * level} {heading}"))
            lines.append(self._paragraph(blocks.pop(0) if blocks else None))
            for _ in range(self.rng.randint(1, 2)):
                lines.extend(("", *self._element()))
        return "\n".join(lines) + "\n"

    # frontmatter and hierarchy fields

    def _header(self) -> list[str]:
        """The frontmatter (most notes have one), then any body lines that declare the parents."""
        spec, rng = self.spec, self.rng
        if rng.random() >= 0.92:
            return self._up_body()
        lines = ["---", *_yaml_list("aliases", spec.aliases, rng)]
        lines.extend(_yaml_list("tags", rng.sample(TAGS, rng.randint(0, 3)), rng))
        body: list[str] = []
        if spec.parents and rng.random() < 0.8:
            lines.extend(self._up_yaml())
        elif spec.parents:
            body = self._up_body()
        if rng.random() < 0.5:
            lines.append(f"created: 20{rng.randint(18, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
        if rng.random() < 0.2:
            lines.append(f"status: {rng.choice(('draft', 'done', 'seed'))}")
        return [*lines, "---", *body]

    def _up_yaml(self) -> list[str]:
        """The ``up`` property: quoted, unquoted or single-quoted for one parent, else a list."""
        names = [self.plan.notes[p].parent_name for p in self.spec.parents]
        style = self.rng.random()
        if len(names) == 1:
            if style < 0.55:
                return [f'up: "[[{names[0]}]]"']
            if style < 0.75:  # yaml reads this as a nested list; kg reads the link and warns (KG202)
                return [f"up: [[{names[0]}]]"]
            if style < 0.85:
                return [f"up: '[[{names[0]}]]'"]
        if style < 0.9:  # a block list; several parents are sometimes unquoted, like the sample vault's
            quote_mark = '"' if style < 0.6 or len(names) == 1 else ""
            return ["up:", *(f"  - {quote_mark}[[{name}]]{quote_mark}" for name in names)]
        return ["up: [" + ", ".join(f'"[[{name}]]"' for name in names) + "]"]

    def _up_body(self) -> list[str]:
        """Parents as a Dataview field (``up:: [[A]], [[B]]``, ``[up:: [[A]]]``) or a plain ``up: [[A]]``."""
        if not self.spec.parents:
            return []
        links = ", ".join(f"[[{self.plan.notes[p].parent_name}]]" for p in self.spec.parents)
        if len(self.spec.parents) == 1 and self.rng.random() < 0.3:
            return [f"up: {links}", ""]
        return [f"up:: {links}", ""] if self.rng.random() < 0.7 else [f"[up:: {links}]", ""]

    # prose

    def _sentence(self) -> str:
        words = [self.rng.choice(WORDS) for _ in range(self.rng.randint(5, 14))]
        if len(words) > 9 and self.rng.random() < 0.4:
            words[4] += ","
        return " ".join(words).capitalize() + "."

    def _text(self, sentences: int) -> str:
        """Sentences with links, tags, inline code, comments and URLs among them."""
        rng, parts = self.rng, []
        for _ in range(sentences):
            parts.append(rng.choice(self.sentences))
            roll = rng.random()
            if roll < 0.45:
                parts.append(rng.choice(LINK_PHRASES).format(self.link()))
            elif roll < 0.52:
                parts.append(f"Tagged #{rng.choice(TAGS)}.")
            elif roll < 0.57:
                parts.append(f"Write `[[Fake {rng.choice(NOUNS)}]]` or `up:: [[Fake Parent]]` to link.")
            elif roll < 0.61:
                parts.append(f"%% check {self.link(inline=True)} later %%")
            elif roll < 0.65:
                parts.append(f"Source: https://example.org/{rng.choice(WORDS)}/{rng.randrange(999)}")
        return " ".join(parts)

    def _paragraph(self, block: str | None = None) -> str:
        text = self._text(self.rng.randint(2, 4))
        return f"{text} ^{block}" if block else text

    def link(self, inline: bool = False) -> str:
        """One link of a random form to a random note (or attachment, or missing note)."""
        rng, plan = self.rng, self.plan
        target = plan.notes[rng.randrange(len(plan.notes))]
        roll = rng.random()
        if roll < 0.34:
            return f"[[{target.title}]]"
        if roll < 0.45:
            return f"[[{target.title}|{target.title.lower()}]]"
        if roll < 0.55:
            return f"[[{target.title}#{rng.choice(target.headings)}]]"
        if roll < 0.61:
            return f"[[{target.title}#^{rng.choice(target.blocks)}]]"
        if roll < 0.66:
            return f"[[#{rng.choice(self.spec.headings)}]]"
        if roll < 0.73:
            return f"[[{target.linkpath}]]"
        if roll < 0.77 and not inline:
            return self._embed()
        if roll < 0.80 and not inline:
            return f"![[{target.title}]]"
        if roll < 0.88:
            return f"[{target.title.lower()}]({quote(target.title + '.md')})"
        if roll < 0.985:
            word = rng.choice(WORDS)
            return f"[{word}](https://en.wikipedia.org/wiki/{word.capitalize()})"
        return self._broken_link()

    def _embed(self) -> str:
        rng = self.rng
        if rng.random() < 0.05:
            name = f"Missing chart {rng.randrange(50)}.png"
            self.broken_embeds.append([self.spec.path, name])
            return f"![[{name}]]"
        name = rng.choice(self.plan.attachments)
        if name.endswith(".pdf"):
            return f"![[{name}#page={rng.randint(1, 9)}]]"
        return f"![[{name}|{rng.choice((200, 300, 480))}]]" if rng.random() < 0.4 else f"![[{name}]]"

    def _broken_link(self) -> str:
        rng = self.rng
        name = rng.choice(self.plan.missing)
        self.broken.append([self.spec.path, name])
        roll = rng.random()
        if roll < 0.6:
            return f"[[{name}]]"
        if roll < 0.8:
            return f"[[{name}|{name.lower()}]]"
        return f"[{name.lower()}]({quote(name + '.md')})"

    # block elements

    def _element(self) -> list[str]:
        """One block: a paragraph, list, quote, callout, code block, table, comment or fields."""
        roll = self.rng.random()
        if roll < 0.30:
            return [self._paragraph()]
        if roll < 0.45:
            return self._bullets()
        if roll < 0.53:
            return self._ordered()
        if roll < 0.61:
            return self._quote()
        if roll < 0.73:
            return self._code()
        if roll < 0.79:
            return self._table()
        if roll < 0.84:
            return ["%%", f"Draft: {self._text(1)}", "%%"]
        if roll < 0.92:
            return self._fields()
        return [self._paragraph()]

    def _bullets(self) -> list[str]:
        """A bullet list with nested items (tabs or spaces), tight or loose."""
        rng, lines = self.rng, []
        indent = rng.choice(("\t", "    ", "  "))
        loose = rng.random() < 0.25
        for _ in range(rng.randint(2, 5)):
            lines.append(f"{rng.choice('-*+')} {self._text(1)}")
            depth = 1
            while rng.random() < 0.35 and depth < 4:
                lines.append(f"{indent * depth}- {self._text(1)}")
                depth += 1
            if loose:
                lines.append("")
        return lines[:-1] if loose else lines

    def _ordered(self) -> list[str]:
        items = [f"{n}. {self._text(1)}" for n in range(1, self.rng.randint(2, 5) + 1)]
        if self.rng.random() < 0.3:
            items.insert(1, f"   - {self._text(1)}")
        return items

    def _quote(self) -> list[str]:
        rng = self.rng
        if rng.random() < 0.4:
            kind = rng.choice(("note", "tip", "warning", "quote"))
            return [f"> [!{kind}] {rng.choice(HEADINGS)}", f"> {self._text(2)}"]
        lines = [f"> {self._text(1)}" for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.3:
            lines.append(f"> > {self._text(1)}")
        return lines

    def _code(self) -> list[str]:
        """A fenced code block whose fake links and fields must not count."""
        rng = self.rng
        noun = rng.choice(NOUNS)
        body = [
            f"# see [[Fake {noun}]] and ![[Fake image.png]]",
            f'target = "[[Fake {noun}#Heading|text]]"',
            "up:: [[Fake Parent]]",
            f"for item in {rng.choice(WORDS)}_list:",
            "    print(item)",
        ]
        if rng.random() < 0.15:
            return ["````markdown", "```", *body, "```", "````"]
        fence = "~~~" if rng.random() < 0.3 else "```"
        return [f"{fence}{rng.choice(('python', 'js', 'text', ''))}", *body[: rng.randint(2, 5)], fence]

    def _table(self) -> list[str]:
        """A GFM table; the pipe of a link's display text is escaped."""
        rows = ["| Term | Note | Remark |", "| --- | --- | --- |"]
        for _ in range(self.rng.randint(2, 4)):
            target = self.plan.notes[self.rng.randrange(len(self.plan.notes))]
            remark = self.rng.choice(self.sentences)
            rows.append(f"| {self.rng.choice(WORDS)} | [[{target.title}\\|{target.title.lower()}]] | {remark} |")
        return rows

    def _fields(self) -> list[str]:
        """Dataview inline fields that are not hierarchy fields."""
        rng = self.rng
        lines = [f"related:: {self.link(inline=True)}"]
        if rng.random() < 0.5:
            lines.append(f"source:: {self.link(inline=True)}, {self.link(inline=True)}")
        lines.append(f"status:: {rng.choice(('draft', 'done', 'seed'))}")
        return lines


def _yaml_list(key: str, values: list[str], rng: random.Random) -> list[str]:
    """``key`` as a block list, a flow list or (for one value) a plain string; nothing if empty."""
    if not values:
        return []
    if len(values) == 1 and rng.random() < 0.5:
        return [f"{key}: {values[0]}"]
    if rng.random() < 0.4:
        return [f"{key}: [{', '.join(values)}]"]
    return [f"{key}:", *(f'  - "{value}"' if rng.random() < 0.3 else f"  - {value}" for value in values)]


def main(argv: list[str] | None = None) -> int:
    """Command line: write a vault and print what it holds."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="vault folder to write (emptied first)")
    parser.add_argument("--notes", type=int, default=1000, help="how many notes [default: 1000]")
    parser.add_argument("--seed", type=int, default=0, help="random seed [default: 0]")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    summary = generate_vault(args.out, args.notes, args.seed)
    seconds = time.perf_counter() - start
    print(
        f"{summary['notes']} notes, {summary['attachments']} attachments, "
        f"{summary['bytes'] / 1e6:.1f} MB in {seconds:.1f} s: {summary['roots']} roots, "
        f"depth {summary['max_depth']}, {len(summary['broken'])} broken links, "
        f"{len(summary['duplicates'])} shared names -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
