"""``kg lint --fix``, ``--diff`` and ``--unsafe-fixes``: the five mechanical fixes, made and proved
by the machinery of ``kg mv``."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import write_vault
from hostile import snapshot
from kg.cli import cli
from kg.errors import ChangeRefused
from kg.fix import _FIXERS, plan_fixes
from kg.lint import lint
from kg.lint.registry import RULES
from kg.load import load_vault
from kg.write import apply_change


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def fixed(files: dict[str, str], unsafe: bool = False) -> dict[str, str]:
    """The vault's notes after ``--fix`` (``--unsafe-fixes``) with every rule selected."""
    root = write_vault(Path(files.pop("@root")), files)
    vault = load_vault(root)
    apply_change(vault, plan_fixes(vault, lint(vault, select=["ALL"]), unsafe=unsafe))
    return {path: (root / path).read_text() for path in files}


@pytest.fixture
def where(tmp_path: Path) -> dict[str, str]:
    return {"@root": str(tmp_path / "vault")}


def test_unquoted_frontmatter_link_is_quoted(where: dict[str, str]) -> None:
    out = fixed({**where, "A.md": "---\nup: [[B]]\nrel:\n  - [[B]]\nq: [[B|say \"hi\"]]\n---\n", "B.md": ""})
    assert out["A.md"] == "---\nup: \"[[B]]\"\nrel:\n  - \"[[B]]\"\nq: '[[B|say \"hi\"]]'\n---\n"


def test_alias_only_link_names_the_note(where: dict[str, str]) -> None:
    out = fixed({**where, "AI notes/Artificial Intelligence.md": "---\naliases: [AI]\n---\n", "x/Artificial Intelligence.md": "",
                 "s.md": "[[AI]] [[ai|shown]] ![[AI#H]] [m](AI)\n"})
    assert out["s.md"] == ("[[AI notes/Artificial Intelligence|AI]] [[AI notes/Artificial Intelligence|shown]] "
                           "![[AI notes/Artificial Intelligence#H|AI]] [m](AI%20notes/Artificial%20Intelligence)\n")


def test_heading_case_takes_the_heading_as_written(where: dict[str, str]) -> None:
    out = fixed({**where, "T.md": "# Default Order\n## Sub Part\n", "s.md": "[[T#default order]] [[T#DEFAULT ORDER#sub part|x]]\n"})
    assert out["s.md"] == "[[T#Default Order]] [[T#Default Order#Sub Part|x]]\n"


def test_non_canonical_path_only_with_unsafe_fixes(where: dict[str, str]) -> None:
    files = {"a/b/Note.md": "", "s.md": "[[b/Note]] [t](b/Note.md)\n"}
    assert fixed({**where, **files})["s.md"] == "[[b/Note]] [t](b/Note.md)\n"
    assert fixed({**where, **files}, unsafe=True)["s.md"] == "[[a/b/Note]] [t](a/b/Note.md)\n"


@pytest.mark.parametrize(("front", "after"), [
    ("alias: AI\n", "aliases: AI\n"),
    ("Alias: [AI, KI]\n", "aliases: [AI, KI]\n"),
    ("aliases: [One]\nalias: Two\n", 'aliases: [One, "Two"]\n'),
    ("aliases: []\nalias: [Two]\n", 'aliases: ["Two"]\n'),
    ("aliases:\n  - One\nalias:\n  - Two\n  - One\ntitle: t\n", 'aliases:\n  - One\n  - "Two"\ntitle: t\n'),
    ("alias: Two\naliases:\n- One\n", 'aliases:\n- One\n- "Two"\n'),
])
def test_deprecated_alias_key_becomes_aliases(where: dict[str, str], front: str, after: str) -> None:
    assert fixed({**where, "A.md": f"---\n{front}---\nbody\n"})["A.md"] == f"---\n{after}---\nbody\n"


def test_every_fixable_rule_has_a_fixer_and_says_so() -> None:
    assert set(_FIXERS) == {item.name for item in RULES.values() if item.fix}
    for item in RULES.values():
        assert (item.fix is None) == ("Not fixable" in __import__("kg.lint.docs").lint.docs.rule_markdown(item))


def test_diff_prints_the_fix_exits_1_and_changes_nothing(tmp_path: Path) -> None:
    root = write_vault(tmp_path, {"T.md": "# Head\n", "s.md": "---\nup: [[T]]\n---\n[[T#head]]\r\n"})
    before = snapshot(root)
    code, out, err = run("lint", str(root), "--diff", "--select", "ALL")
    assert code == 1
    assert out == ('--- a/s.md\n+++ b/s.md\n@@ -1,4 +1,4 @@\n ---\n-up: [[T]]\n+up: "[[T]]"\n ---\n-[[T#head]]\n+[[T#Head]]\n')
    assert err == "kg: would fix 2 findings in 1 file\n"
    assert snapshot(root) == before


def test_fix_writes_reports_what_is_left_and_a_second_diff_is_clean(tmp_path: Path) -> None:
    root = write_vault(tmp_path, {"T.md": "# Head\n", "s.md": "\ufeff[[T#head]] [[Nope]]\r\n"})
    code, out, err = run("lint", str(root), "--fix", "--select", "ALL")
    assert code == 1 and "KG001 link target 'Nope'" in out and "KG009" not in out
    assert err.startswith("kg: fixed 1 finding in 1 file\n")
    assert (root / "s.md").read_bytes() == "\ufeff[[T#Head]] [[Nope]]\r\n".encode()
    assert run("lint", str(root), "--diff", "--select", "ALL")[0] == 0


def test_a_fix_the_proof_rejects_is_not_written(tmp_path: Path) -> None:
    root = write_vault(tmp_path, {"A.md": "---\naliases: [X]\n---\n", "s.md": "[[X]]\n"})
    vault = load_vault(root)
    change = plan_fixes(vault, lint(vault, select=["ALL"]))
    (root / "Zed.md").write_text("")  # not in the plan: the files differ from the promise
    before = {path: (mode, size, mtime, digest) for path, (mode, size, mtime, _, digest) in snapshot(root).items()}
    with pytest.raises(ChangeRefused, match="rolled back, nothing changed: the files differ"):
        apply_change(vault, change)
    assert {path: (mode, size, mtime, digest) for path, (mode, size, mtime, _, digest) in snapshot(root).items()} == before
