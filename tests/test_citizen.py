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


# --- finding the vault; VAULT or --vault everywhere --------------------------------------------------

NESTED = {
    "Top.md": "# Top\n",
    "Sub/A.md": "[[Top]] and [[Gone]]\n",
    "Sub/B.md": "[[A]]\n",
    "Other/C.md": "[[Missing]]\n",
}


@pytest.mark.parametrize("marker", [".obsidian/app.json", "kg.toml"])
def test_lint_inside_a_subfolder_reads_the_whole_vault(make_vault, monkeypatch: pytest.MonkeyPatch, marker: str) -> None:
    root = make_vault({**NESTED, marker: "{}" if marker.endswith(".json") else ""})
    monkeypatch.chdir(root / "Sub")
    result = run("lint")
    assert result.stdout.splitlines()[:2] == [
        "../Other/C.md:1:1: KG001 link target 'Missing' does not match any file",
        "A.md:1:13: KG001 link target 'Gone' does not match any file",
    ]
    assert result.stderr.startswith("kg: vault root is '..'")
    assert run("roots").exit_code == 0 and "vault root is '..'" in run("stats").stderr


def test_a_folder_without_a_marker_is_the_vault(make_vault, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_vault(NESTED)
    monkeypatch.chdir(root / "Sub")
    result = run("lint", "--select", "broken-link")
    assert "link target 'Top'" in result.stdout and result.stderr == ""


def test_a_named_subfolder_reports_its_own_findings_resolved_in_the_whole_vault(make_vault) -> None:
    root = make_vault({**NESTED, ".obsidian/app.json": "{}"})
    result = run("lint", str(root / "Sub"), "--format", "json")
    paths = [finding["path"] for finding in __import__("json").loads(result.stdout)["findings"]]
    assert paths == [f"{root}/Sub/A.md"] and result.stderr.startswith(f"kg: vault root is '{root}'")


COMMANDS = [
    ["stats"], ["roots"], ["tree"], ["find", "Top"], ["show", "Top"], ["ancestors", "A"], ["descendants", "Top"],
    ["parents", "A"], ["children", "Top"], ["siblings", "A"], ["links", "A"], ["backlinks", "Top"], ["path", "A", "Top"],
    ["lint"], ["export", "json"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
def test_every_command_takes_the_vault_as_argument_or_option(make_vault, tmp_path: Path, command: list[str]) -> None:
    root = make_vault({"Top.md": "", "A.md": "up:: [[Top]]\n", "B.md": "up:: [[Top]]\n"})
    extra = ["-o", str(tmp_path / "out.json")] if command[0] == "export" else []
    by_option = run(*command, "--vault", str(root), *extra)
    if command != ["tree"]:  # tree's one argument is the note it starts from
        by_argument = run(*command, str(root), *extra)
        assert (by_argument.exit_code, by_argument.stdout) == (by_option.exit_code, by_option.stdout)
    assert by_option.exit_code == 0, by_option.output


def test_two_different_vaults_are_a_usage_error(make_vault, tmp_path: Path) -> None:
    root = make_vault({"A.md": ""})
    result = run("stats", str(root), "--vault", str(tmp_path))
    assert result.exit_code == 2 and "two vaults given" in result.stderr


@pytest.mark.parametrize("files", [{}, {"pic.png": b"", "sub/data.txt": "x"}])
def test_a_folder_with_no_notes_says_so(make_vault, tmp_path: Path, files: dict[str, bytes | str]) -> None:
    root = make_vault(files) if files else tmp_path
    result = run("lint", str(root))
    assert result.exit_code == 0 and "No findings" not in result.output
    assert result.stderr == f"warning: no notes found in '{root}'\n"


# --- colour ------------------------------------------------------------------------------------

COLOURED = "\x1b["


@pytest.mark.parametrize(
    ("args", "env", "coloured"),
    [
        ([], {}, False),
        (["--color", "always"], {}, True),
        (["--color", "never"], {"FORCE_COLOR": "1"}, False),
        ([], {"FORCE_COLOR": "1"}, True),
        ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        (["--color", "always"], {"NO_COLOR": "1"}, True),
        ([], {"FORCE_COLOR": "1", "TERM": "dumb"}, True),
    ],
)
def test_colour_follows_the_option_and_the_environment(monkeypatch: pytest.MonkeyPatch, args: list[str],
                                                       env: dict[str, str], coloured: bool) -> None:
    from conftest import SAMPLE_VAULT

    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    for command in (["lint", str(SAMPLE_VAULT)], ["lint", str(SAMPLE_VAULT), "--format", "full"], ["tree", "--vault", str(SAMPLE_VAULT)]):
        result = run(*command, *args, env=env)
        assert (COLOURED in result.stdout) is coloured, command


def test_term_dumb_and_no_color_turn_off_colour_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from conftest import SAMPLE_VAULT
    from kg.cli import cli

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    tree = ["tree", "--vault", str(SAMPLE_VAULT)]
    assert COLOURED in CliRunner().invoke(cli, tree, color=True, env={"TERM": "xterm"}).stdout  # a terminal
    assert COLOURED not in CliRunner().invoke(cli, tree, color=True, env={"TERM": "dumb"}).stdout
    assert COLOURED not in CliRunner().invoke(cli, tree, color=True, env={"NO_COLOR": "1"}).stdout


# --- statistics, quiet, summary, standard output ---------------------------------------------------

STATS_VAULT = {"a.md": "[[X]] [[Y]] [[Z]]\n", "b.md": "---\nup: [[a]]\n---\n[[W]]\n"}


def test_statistics_count_findings_per_rule_most_first(make_vault) -> None:
    import json

    root = make_vault(STATS_VAULT)
    result = run("lint", str(root), "--statistics")
    assert result.stdout == "4  KG001  broken-link\n1  KG202  unquoted-frontmatter-link\nFound 5 findings (4 errors, 1 warning) in 2 notes.\n"
    assert result.exit_code == 1
    data = json.loads(run("lint", str(root), "--statistics", "--format", "json").stdout)
    assert data == [{"code": "KG001", "name": "broken-link", "count": 4}, {"code": "KG202", "name": "unquoted-frontmatter-link", "count": 1}]
    assert run("lint", str(root), "--statistics", "--format", "sarif").exit_code == 2


def test_quiet_prints_the_findings_only(make_vault, tmp_path: Path) -> None:
    root = make_vault(STATS_VAULT)
    loud, quiet = run("lint", str(root)), run("lint", str(root), "-q")
    assert loud.stdout.splitlines()[:-1] == quiet.stdout.splitlines() and quiet.stderr == ""
    assert loud.stdout.splitlines()[-1].startswith("Found 5 findings")
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "c.md").write_text("", encoding="utf-8")
    assert run("lint", str(clean), "--quiet").output == ""


@pytest.mark.parametrize("fmt", ["json", "github", "gitlab", "sarif", "junit"])
def test_machine_formats_keep_stdout_clean_and_put_the_summary_on_stderr(make_vault, fmt: str) -> None:
    root = make_vault(STATS_VAULT)
    result = run("lint", str(root), "--format", fmt)
    assert "Found 5 findings" not in result.stdout and result.stderr.startswith("Found 5 findings")


@pytest.mark.parametrize("fmt", ["text", "full", "json", "github", "gitlab", "sarif", "junit"])
def test_dash_output_is_stdout_for_every_lint_format(make_vault, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fmt: str) -> None:
    root = make_vault(STATS_VAULT)
    monkeypatch.chdir(tmp_path)
    to_file = run("lint", str(root), "--format", fmt, "-o", "report")
    dash = run("lint", str(root), "--format", fmt, "-o", "-")
    assert not (tmp_path / "-").exists() and dash.exit_code == to_file.exit_code == 1
    assert dash.stdout.startswith((tmp_path / "report").read_text(encoding="utf-8"))


@pytest.mark.parametrize("fmt", ["html", "json", "graphml", "gexf", "mermaid", "dot"])
def test_dash_output_is_stdout_for_every_export_format(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fmt: str) -> None:
    from conftest import SAMPLE_VAULT

    monkeypatch.chdir(tmp_path)
    to_file = run("export", fmt, str(SAMPLE_VAULT), "-o", "graph")
    dash = run("export", fmt, str(SAMPLE_VAULT), "-o", "-")
    assert not (tmp_path / "-").exists() and dash.exit_code == to_file.exit_code == 0
    assert dash.stdout == (tmp_path / "graph").read_text(encoding="utf-8")
    assert run("export", "csv", str(SAMPLE_VAULT), "-o", "-").exit_code == 2


def test_export_inside_the_vault_writes_beside_it_and_says_where(make_vault, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_vault({**NESTED, ".obsidian/app.json": "{}"})
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    monkeypatch.chdir(root / "Sub")
    result = run("export", "dot")
    assert result.exit_code == 0, result.output
    assert (root.parent / "exports" / "vault.dot").is_file()
    assert "writing beside it, to ../../exports" in result.stderr and "wrote ../../exports/vault.dot" in result.stderr
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before


# --- the full format's caret, by display width -------------------------------------------------------

@pytest.mark.parametrize(
    ("line", "before"),
    [
        ("日本語のメモ [[Gone]]", 13),          # six wide characters and a space
        ("🦊 and 👩‍💻 see [[Gone]]", 14),        # an emoji and an emoji sequence joined by U+200D
        ("café [[Gone]]", 5),                   # é written as e and a combining accent
        ("plain [[Gone]]", 6),
    ],
)
def test_full_caret_stands_under_the_link_after_wide_characters(make_vault, line: str, before: int) -> None:
    import unicodedata

    root = make_vault({"a.md": unicodedata.normalize("NFD", line) if "café" in line else line})
    out = run("lint", str(root), "--format", "full").stdout.splitlines()
    source, caret = out[1], out[2]
    assert caret.index("^") - caret.index("|") == before + 2 and caret.count("^") == len("[[Gone]]")
    assert source.index("|") == caret.index("|")


# --- kg stats, kg find '#tag' --------------------------------------------------------------------------

def test_stats_summarises_and_all_lists_everything(make_vault) -> None:
    files = {f"N{i:02}.md": f"[[Gone {i % 12}]] [[Gone 0]]\n" for i in range(30)}
    files.update({f"Top{i:02}.md": "" for i in range(12)})
    files.update({f"Kid{i:02}.md": f"up:: [[Top{i:02}]]\n" for i in range(12)})
    root = make_vault(files)
    summary = run("stats", str(root)).stdout
    assert "top broken targets:\n  33  Gone 0\n   3  Gone 1\n" in summary
    assert "  ... and 2 more (--all lists them)" in summary and "N00.md:1:1" not in summary
    full = run("stats", str(root), "--all").stdout
    assert "broken links:\n  N00.md:1:1: [[Gone 0]]\n" in full and "Top11.md" in full and "more (--all" not in full


def test_stats_roots_are_kg_roots(make_vault) -> None:
    import json

    from conftest import SAMPLE_VAULT

    loop = make_vault({"A.md": "up:: [[B]]\n", "B.md": "up:: [[A]]\n", "C.md": "up:: [[C]]\nup:: [[Gone]]\n", "D.md": "up:: [[E]]\n", "E.md": ""})
    for vault in (SAMPLE_VAULT, loop):
        for relation in ("up", "next"):
            stats = json.loads(run("stats", str(vault), "--json", "--relation", relation).stdout)
            assert stats["roots"] == json.loads(run("roots", str(vault), "--json", "--relation", relation).stdout)


def test_find_by_tag(make_vault) -> None:
    root = make_vault({"A.md": "#project/kg text\n", "B.md": "---\ntags: [Project]\n---\n", "C.md": "#projects\n", "D.md": ""})
    assert run("find", "#project", str(root)).stdout == "A.md  #project/kg\nB.md  #project\n"
    assert run("find", "#project/kg", str(root), "--json").stdout == '[\n  "A.md"\n]\n'
    missing = run("find", "#nothing", str(root))
    assert missing.exit_code == 1 and "no note is tagged '#nothing'" in missing.stderr


# --- kg lint FILE... (pre-commit) --------------------------------------------------------------------

def test_lint_named_files_reports_only_them_but_resolves_against_the_vault(make_vault, tmp_path: Path) -> None:
    import json

    root = make_vault({**NESTED, "Renamed.md": ""})
    outside = tmp_path / "README.md"
    outside.write_text("[[Nowhere]]\n", encoding="utf-8")
    result = run("lint", "--vault", str(root), str(root / "Sub" / "A.md"), str(root / "Sub" / "B.md"), str(outside), "--format", "json")
    data = json.loads(result.stdout)
    assert [(f["path"].rsplit("/", 2)[-2:], f["code"]) for f in data["findings"]] == [(["Sub", "A.md"], "KG001")]
    assert data["summary"]["notes"] == 2  # B.md's [[A]] resolves to Sub/A.md, found in the whole vault
    assert run("lint", str(root / "Sub" / "B.md")).exit_code == 0  # the vault around the file
    both = run("lint", str(root / "Sub" / "B.md"), str(root / "Top.md"))  # the vault around both, no marker
    assert (both.exit_code, both.stdout) == (0, "No findings in 2 notes.\n")
    assert run("lint", "--vault", str(root), str(root / "nope.md")).exit_code == 2


def test_pre_commit_manifest_documents_both_hooks() -> None:
    import yaml

    hooks = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert hooks["kg-lint"]["pass_filenames"] is False
    assert hooks["kg-lint-files"]["pass_filenames"] is True and hooks["kg-lint-files"]["entry"] == "kg lint"
    assert "--vault" in (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")


# --- GitLab Code Quality ------------------------------------------------------------------------------

def test_gitlab_code_quality_has_the_fields_gitlab_reads(make_vault, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    import jsonschema

    schema = {  # what GitLab's merge request widget reads from each issue
        "type": "array",
        "items": {
            "type": "object",
            "required": ["description", "check_name", "fingerprint", "severity", "location"],
            "properties": {
                "description": {"type": "string", "minLength": 1},
                "check_name": {"type": "string", "minLength": 1},
                "fingerprint": {"type": "string", "minLength": 1},
                "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
                "location": {
                    "type": "object",
                    "required": ["path", "lines"],
                    "properties": {"path": {"type": "string"}, "lines": {"type": "object", "required": ["begin"],
                                                                           "properties": {"begin": {"type": "integer", "minimum": 1}}}},
                },
            },
        },
    }
    root = make_vault({"a.md": "[[X]]\n[[X]]\n", "b.md": "---\nup: [[a]]\n---\n"})
    (root / ".git").mkdir()
    monkeypatch.chdir(root / "..")
    issues = json.loads(run("lint", "vault", "--format", "gitlab").stdout)
    jsonschema.validate(issues, schema)
    assert [(i["location"]["path"], i["location"]["lines"]["begin"], i["severity"], i["check_name"]) for i in issues] == [
        ("a.md", 1, "major", "broken-link"), ("a.md", 2, "major", "broken-link"), ("b.md", 2, "minor", "unquoted-frontmatter-link")]
    assert len({i["fingerprint"] for i in issues}) == 3  # GitLab shows one issue per fingerprint
    (root / "a.md").write_text("moved down\n[[X]]\n[[X]]\n", encoding="utf-8")
    again = json.loads(run("lint", "vault", "--format", "gitlab").stdout)
    assert [i["fingerprint"] for i in again] == [i["fingerprint"] for i in issues]  # lines moved, same findings


# --- packaging -------------------------------------------------------------------------------------------

def test_the_distribution_has_a_name_of_its_own() -> None:
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "kg-vault" and project["scripts"] == {"kg": "kg.cli:main"}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "scripts/install && .venv/bin/kg stats vault" in readme and "pip install kg\n" not in readme
    for manifest in ("action.yml", "README.md"):
        assert "kg-vault" in (ROOT / manifest).read_text(encoding="utf-8")


# --- the GitHub Action ------------------------------------------------------------------------------

def _git(repo: Path, *args: str) -> str:
    import subprocess

    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t",
           "PATH": __import__("os").environ["PATH"], "HOME": str(repo)}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout.strip()


def _action(repo: Path, tmp_path: Path, event: dict[str, object], **inputs: str):  # type: ignore[no-untyped-def]
    import json
    import os
    import subprocess
    import sys

    (tmp_path / "event.json").write_text(json.dumps(event), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(repo),
           "GITHUB_EVENT_PATH": str(tmp_path / "event.json"), "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
           "GITHUB_OUTPUT": str(tmp_path / "output"), "KG_ACTION_VAULT": inputs.get("vault", "vault"),
           "KG_ACTION_FAIL_ON": inputs.get("fail_on", "warning"), "KG_ACTION_ARGS": inputs.get("args", ""),
           "KG_ACTION_SARIF": inputs.get("sarif", "")}
    for name in ("summary.md", "output"):
        (tmp_path / name).write_text("", encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "kg.github_action"], cwd=repo, env=env, capture_output=True, text=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    from conftest import write_vault

    repo = tmp_path / "repo"
    write_vault(repo / "vault", {f"Old{i:02}.md": f"[[Gone {i}]]\n" for i in range(12)})
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "first")
    write_vault(repo / "vault", {"Zed.md": "---\nup: [[Old00]]\n---\n[[Also gone]]\n"})
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "second")
    return repo


def test_action_annotates_changed_files_first_and_summarises(repo: Path, tmp_path: Path) -> None:
    import json

    event = {"before": _git(repo, "rev-parse", "HEAD~1"), "after": _git(repo, "rev-parse", "HEAD")}
    done = _action(repo, tmp_path, event, sarif="kg.sarif", args="--select KG0,KG2")
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 14 and all(line.startswith("::") for line in lines)
    assert lines[0].startswith("::warning file=vault/Zed.md,line=2,col=5,endLine=2,endColumn=14,title=KG202 unquoted-frontmatter-link::")
    assert lines[1] == "::error file=vault/Zed.md,line=4,col=1,endLine=4,endColumn=14,title=KG001 broken-link::link target 'Also gone' does not match any file"
    assert "file=vault/Old00.md," in lines[2]
    assert (tmp_path / "output").read_text(encoding="utf-8") == "findings=14\nerrors=13\nwarnings=1\ninfos=0\nnotes=13\nsarif=kg.sarif\n"
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "14 findings (13 error, 1 warning) in 13 notes; 2 in changed files." in summary
    assert "| `KG001` broken-link | 13 |" in summary and "| `vault/Zed.md:4:1` | `KG001` |" in summary
    sarif = json.loads((repo / "kg.sarif").read_text(encoding="utf-8"))
    assert len(sarif["runs"][0]["results"]) == 14


def test_action_exit_status_follows_fail_on_and_errors(repo: Path, tmp_path: Path) -> None:
    event = {"pull_request": {"base": {"sha": "0" * 40}, "head": {"sha": "HEAD"}}}
    never = _action(repo, tmp_path, event, fail_on="never")
    assert never.returncode == 0 and never.stdout.count("::error") == 13  # base unknown: kg's own order
    assert never.stdout.splitlines()[0].startswith("::error file=vault/Old00.md,line=1")
    assert (tmp_path / "output").read_text(encoding="utf-8").startswith("findings=14\n")
    bad = _action(repo, tmp_path, event, args="--select no-such-rule")
    assert bad.returncode == 2 and "unknown lint rule 'no-such-rule'" in bad.stderr


def test_action_manifest_passes_its_inputs_to_the_script() -> None:
    import yaml

    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) == {"vault", "fail-on", "args", "sarif", "python"}
    assert set(action["outputs"]) == {"findings", "errors", "warnings", "infos", "notes", "sarif"}
    step = action["runs"]["steps"][1]
    assert "kg.github_action" in step["run"]
    assert {name: value for name, value in step["env"].items()} == {
        "KG_ACTION_VAULT": "${{ inputs.vault }}", "KG_ACTION_FAIL_ON": "${{ inputs.fail-on }}",
        "KG_ACTION_ARGS": "${{ inputs.args }}", "KG_ACTION_SARIF": "${{ inputs.sarif }}"}
