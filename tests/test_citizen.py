"""kg as a good citizen of CI and the terminal (issue 15): packaging, vault discovery, colours,
summaries, standard output, baselines, display widths, CI formats and the GitHub Action."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from conftest import ROOT


@pytest.mark.parametrize("path", sorted((ROOT / "kg").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_module_compiles_without_warnings(path: Path) -> None:
    """Python 3.12 warns about invalid escape sequences such as ``"\\S"``; later versions refuse them."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        compile(path.read_text(encoding="utf-8"), str(path), "exec")


# --- configuration: full paths, unknown keys and rules with "did you mean" -------------------------

def run(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from kg.cli import cli

    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('selec = ["KG001"]\n', "unknown key 'selec'; did you mean 'select'?"),
        ('resolve-alias = true\n', "unknown key 'resolve-alias'; did you mean 'resolve-aliases'?"),
        ('select = ["brokn-link"]\n', "'select': unknown lint rule 'brokn-link'; did you mean 'broken-link'?"),
        ('ignore = ["KG99"]\n', "'ignore': unknown lint rule 'KG99'"),
        ('severity = { "brokenlink" = "error" }\n', "'severity': unknown lint rule 'brokenlink'; did you mean 'broken-link'?"),
        ('[per-file-ignores]\n"a/**" = ["orphan-nte"]\n', "'per-file-ignores.a/**': unknown lint rule 'orphan-nte'; did you mean 'orphan-note'?"),
        ('[fields]\nupp = ["parent"]\n', "unknown hierarchy relation 'upp'; did you mean 'up'?"),
        ("select = [\n", "cannot read"),
    ],
)
def test_config_errors_name_the_full_path_and_suggest(make_vault, toml: str, message: str) -> None:
    root = make_vault({"A.md": "", "kg.toml": toml})
    result = run("lint", str(root))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert f"{root.resolve() / 'kg.toml'}" in result.stderr and message in result.stderr


def test_config_option_reads_the_named_file(make_vault, tmp_path: Path) -> None:
    root = make_vault({"A.md": "[[Gone]]\n"})
    config = tmp_path / "elsewhere.toml"
    config.write_text('ignore = ["broken-link"]\n', encoding="utf-8")
    assert run("lint", str(root)).exit_code == 1
    assert run("lint", str(root), "--config", str(config)).exit_code == 0
    config.write_text('ignor = ["broken-link"]\n', encoding="utf-8")
    result = run("stats", str(root), "--config", str(config))
    assert result.exit_code == 2 and f"{config}: unknown key 'ignor'; did you mean 'ignore'?" in result.stderr


# --- rule docs: code examples render as code blocks -----------------------------------------------

def _fences(markdown: str) -> list[str]:
    from markdown_it import MarkdownIt

    return [token.content for token in MarkdownIt().parse(markdown) if token.type == "fence"]


def test_rule_examples_render_as_code_blocks_everywhere() -> None:
    """``kg rules NAME``, docs/rules.md and SARIF's help each show every Example and Use instead as
    a fenced block (two-backtick "fences" render as inline code)."""
    import json

    from kg.lint import RULES
    from kg.lint.docs import rule_markdown
    from kg.lint.output import Report, render

    sarif = json.loads(render(Report([], list(RULES.values()), 0), "sarif"))
    helps = {rule["id"]: rule["help"]["markdown"] for rule in sarif["runs"][0]["tool"]["driver"]["rules"]}
    for code, rule in RULES.items():
        sections = rule.doc.count("## Example") + rule.doc.count("## Use instead")
        for shown in (run("rules", rule.name).stdout, rule_markdown(rule), helps[code]):
            fences = _fences(shown)
            assert len(fences) == sections >= 2, (code, shown)
            assert all(fence.strip() for fence in fences)
    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert len(_fences(page)) == sum(r.doc.count("## Example") + r.doc.count("## Use instead") for r in RULES.values())
