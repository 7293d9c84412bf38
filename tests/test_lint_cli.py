"""`kg lint` and `kg rules` end to end: formats, exit codes, suppressions, baselines."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from conftest import DATA, SAMPLE_VAULT
from kg.cli import cli

SAMPLE_TEXT = """\
vault/AI-Model.md:8:5: KG202 link '[[AI-concept]]' in property 'up' is not quoted, so yaml reads it as a list; write '"[[AI-concept]]"'
vault/Concepts/Transformer.md:22:69: KG001 link target 'Mixture of Experts' does not match any file
"""


def run(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SAMPLE_VAULT.parent)


def test_sample_vault_text_output_and_summary(in_repo: None) -> None:
    """The summary line follows the findings on stdout, where ruff prints it."""
    result = run("lint", "vault")
    assert (result.exit_code, result.stdout) == (1, SAMPLE_TEXT + "Found 2 findings (1 error, 1 warning) in 38 notes.\n")
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ([], 1),
        (["--fail-on", "error"], 1),
        (["--select", "KG2", "--fail-on", "error"], 0),
        (["--exit-zero"], 0),
        (["--fail-on", "never"], 0),
        (["--ignore", "broken-link,KG202"], 0),
        (["--format", "nope"], 2),
        (["--select", "no-such-rule"], 2),
    ],
)
def test_exit_codes(in_repo: None, args: list[str], code: int) -> None:
    assert run("lint", "vault", *args).exit_code == code


def test_missing_vault_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = run("lint", str(tmp_path / "nope"))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "does not exist" in result.stderr


def test_full_format_shows_the_source_line_and_a_caret(in_repo: None) -> None:
    out = run("lint", "vault", "--format", "full", "--select", "broken-link").stdout
    line = "- Sparse models that route each token to a few expert sub-networks: [[Mixture of Experts]] (note not written yet). #todo"
    assert f"   22 | {line}\n      | {' ' * 68}{'^' * 22}\n" in out
    assert "\x1b[" not in out


def test_json_format(in_repo: None) -> None:
    data = json.loads(run("lint", "vault", "--format", "json").stdout)
    assert data["summary"] == {"findings": 2, "error": 1, "warning": 1, "info": 0, "notes": 38, "files": 2}
    assert data["findings"][1] == {
        "path": "vault/Concepts/Transformer.md", "line": 22, "col": 69, "end_line": 22, "end_col": 91,
        "code": "KG001", "name": "broken-link", "severity": "error",
        "message": "link target 'Mixture of Experts' does not match any file",
    }


def test_sarif_is_valid_and_repo_relative(in_repo: None) -> None:
    document = json.loads(run("lint", "vault", "--format", "sarif").stdout)
    schema = json.loads((DATA / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(document)
    results = document["runs"][0]["results"]
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results] == [
        "vault/AI-Model.md", "vault/Concepts/Transformer.md"
    ]
    assert [r["level"] for r in results] == ["warning", "error"]
    rules = document["runs"][0]["tool"]["driver"]["rules"]
    assert [rules[r["ruleIndex"]]["id"] for r in results] == ["KG202", "KG001"]


def test_github_annotations_are_escaped(make_vault) -> None:
    root = make_vault({"a, b:c.md": "[[100% done]]\n"})
    out = run("lint", str(root), "--format", "github", "--select", "broken-link").stdout
    file = str(root / "a, b:c.md").replace(",", "%2C").replace(":", "%3A")
    assert out == (
        f"::error file={file},line=1,col=1,endLine=1,endColumn=14,title=KG001 broken-link::"
        "link target '100%25 done' does not match any file\n"
    )


def test_junit_is_well_formed(in_repo: None) -> None:
    root = ET.fromstring(run("lint", "vault", "--format", "junit").stdout)
    assert (root.tag, root.get("tests"), root.get("failures")) == ("testsuites", "2", "2")
    failures = root.findall("./testsuite/testcase/failure")
    assert [f.get("type") for f in failures] == ["warning", "error"]


@pytest.mark.parametrize("fmt", ["text", "full", "json", "github", "sarif", "junit"])
def test_output_is_byte_identical_between_runs(in_repo: None, fmt: str) -> None:
    assert run("lint", "vault", "--format", fmt).stdout == run("lint", "vault", "--format", fmt).stdout


def test_suppressions(make_vault) -> None:
    root = make_vault({
        "a.md": "---\nkg-ignore: [broken-link]\n---\n[[Gone]]\n",
        "b.md": "[[Gone]] %% kg-ignore KG001 %%\n%% kg-ignore broken-link %%\n[[Gone]]\n[[Gone]]\n",
        "Templates/t.md": "[[Gone]]\n", "Hidden/h.md": "[[Gone]]\n",
        "kg.toml": '[per-file-ignores]\n"Templates/**" = ["broken-link"]\n',
        ".obsidian/app.json": '{"userIgnoreFilters": ["Hidden/"]}',
    })
    result = run("lint", str(root), "--format", "json")
    assert [(f["path"].rsplit("/", 1)[-1], f["line"]) for f in json.loads(result.stdout)["findings"]] == [("b.md", 4)]


def test_baseline_hides_known_findings_but_not_new_ones(make_vault, tmp_path: Path) -> None:
    root = make_vault({"a.md": "[[Gone]]\n[[Also gone]]\n"})
    baseline = tmp_path / "baseline.json"
    assert run("lint", str(root), "--write-baseline", str(baseline)).exit_code == 0
    assert run("lint", str(root), "--baseline", str(baseline)).exit_code == 0
    (root / "a.md").write_text("new first line\n[[Gone]]\n[[Also gone]]\n[[Newly gone]]\n", encoding="utf-8")
    result = run("lint", str(root), "--baseline", str(baseline))
    assert result.exit_code == 1 and result.stdout.endswith("a.md:4:1: KG001 link target 'Newly gone' does not match any file\nFound 1 finding (1 error) in 1 note.\n")
    assert result.stdout.count("\n") == 2
    assert result.stderr == f"kg: baseline '{baseline}' hid 2 known findings\n"
    assert run("lint", str(root), "--baseline", str(baseline), "--quiet").stderr == ""


def test_config_selects_and_sets_severity(make_vault) -> None:
    root = make_vault({"a.md": "[[Gone]]\n", "kg.toml": 'select = ["KG0", "orphan-note"]\nseverity = { broken-link = "info" }\n'})
    data = json.loads(run("lint", str(root), "--format", "json").stdout)
    assert [(f["name"], f["severity"]) for f in data["findings"]] == [("broken-link", "info")]
    assert run("lint", str(root)).exit_code == 0


def test_rules_listing_and_one_rule(tmp_path: Path) -> None:
    listing = run("rules").stdout
    assert listing.splitlines()[0].startswith("KG001  broken-link") and len(listing.splitlines()) == 21
    assert run("rules", "duplicate-alias").stdout.startswith("## KG204 `duplicate-alias`\n\nTwo notes claim the same alias.\n")
    assert run("rules", "kg999").exit_code == 2


def test_lint_never_imports_pyvis(in_repo: None) -> None:
    import subprocess
    import sys

    code = "import sys; from kg.cli import main; sys.argv=['kg','lint','vault','--exit-zero']\ntry: main()\nexcept SystemExit: pass\nprint('pyvis' in sys.modules, 'IPython' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.stdout.strip().splitlines()[-1] == "False False"


def test_the_script_freezes_the_vault_it_read_out_of_the_collectors_way(in_repo: None) -> None:
    """The kg script keeps the cyclic collector off while it reads a vault, then freezes what it
    read and turns the collector on: its first pass would otherwise walk every record."""
    import subprocess
    import sys

    code = ("import gc, sys; from kg.cli import main; import kg.load as v\n"
            "real = v.read_vault\n"
            "def load(*a, **k):\n"
            "    print('enabled while loading:', gc.isenabled()); return real(*a, **k)\n"
            "v.read_vault = load\n"
            "sys.argv = ['kg', '--no-cache', 'lint', 'vault', '--exit-zero', '-o', '/dev/null']\n"
            "try: main()\nexcept SystemExit: pass\n"
            "print('enabled after:', gc.isenabled(), gc.get_freeze_count() > 10_000)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.stdout.splitlines() == ["enabled while loading: False", "enabled after: True True"], done.stderr


def test_a_lint_that_fixes_nothing_imports_no_writer_and_no_xml(tmp_path):
    """What a plain ``kg lint`` imports is paid by every run: the writers (``--fix``, ``--diff``)
    and ``xml.sax`` (JUnit only, it pulls in ``urllib.request``) wait until they are used."""
    vault = tmp_path / "v"
    vault.mkdir()
    (vault / "A.md").write_text("[[Nope]]\n")
    script = (
        "import sys\nfrom kg.cli import cli\n"
        "try:\n    cli.main(['--no-cache', 'lint', sys.argv[1], '--format', 'json'], standalone_mode=False)\n"
        "finally:\n    print(sorted(m for m in ('kg.fix', 'kg.write', 'xml.sax.saxutils', 'urllib.request') if m in sys.modules),"
        " file=sys.stderr)\n"
    )
    run = subprocess.run([sys.executable, "-c", script, str(vault)], capture_output=True, text=True, timeout=120, check=False)
    assert run.stderr.strip().splitlines()[-1] == "[]"
    junit = subprocess.run([sys.executable, "-m", "kg", "--no-cache", "lint", str(vault), "--format", "junit"],
                           capture_output=True, text=True, timeout=120, check=False)
    assert junit.returncode == 1 and "<failure" in junit.stdout
