"""``kg lint`` and ``kg rules``."""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path

import click

from kg.cli import KgClickError, cache_options, cache_state, cli, library_errors, load_or_fail
from kg.config import SEVERITIES
from kg.confine import note_text
from kg.errors import KgError
from kg.fix import plan_fixes
from kg.lint import active_rules, at_or_above, find_rule, lint
from kg.lint.baseline import apply_baseline, generate_baseline, read_baseline
from kg.lint.docs import rule_markdown, rules_markdown, rules_table
from kg.lint.output import FORMATS, Report, render, summary_line
from kg.parse.source import split_lines
from kg.vault import Vault
from kg.write import apply_change, render_diff


def _split(values: tuple[str, ...]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _repo_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` that holds ``.git``; else the current folder."""
    for folder in [start, *start.parents]:
        if (folder / ".git").exists():
            return folder
    return Path.cwd()


def _report(vault: Vault, vault_arg: str, findings: list, rules: list, colour: bool) -> Report:
    root = (vault.root or Path(".")).resolve()
    repo = _repo_root(root)

    @lru_cache(maxsize=1024)  # called once per finding; a path resolves through the file system
    def display(path: str) -> str:
        return Path(os.path.normpath(os.path.join(vault_arg, path))).as_posix()

    @lru_cache(maxsize=1024)
    def uri(path: str) -> str:  # the file's own path: a symlink's target may be outside the vault
        return Path(os.path.relpath(root / path, repo)).as_posix()

    @lru_cache(maxsize=16)  # findings come sorted by path: each file is read once, not once per finding
    def source(path: str) -> list[str]:
        text = note_text(vault, path)  # only notes the vault read, never through a symlink out of it
        return split_lines(text) if text is not None else []

    return Report(findings, rules, len(vault.notes), display, uri, source, colour)


@cli.command("lint")
@click.argument("vault_path", metavar="[VAULT]", required=False, type=click.Path(file_okay=False))
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="text", show_default=True, help="Output format.")
@click.option("--select", multiple=True, help="Rules to run (codes, code prefixes, names, ALL), comma-separated.")
@click.option("--ignore", multiple=True, help="Rules not to run, comma-separated.")
@click.option("--fail-on", type=click.Choice([*SEVERITIES, "never"]), default=None, help="Lowest severity that fails [default: warning].")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--baseline", type=click.Path(dir_okay=False, exists=True), help="Report only findings not in this baseline.")
@click.option("--write-baseline", type=click.Path(dir_okay=False), help="Write the current findings as a baseline and exit 0.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to a file instead of stdout.")
@click.option("--fix", is_flag=True, help="Fix what can be fixed safely (atomic writes, proved, rolled back on failure), then report the rest.")
@click.option("--diff", is_flag=True, help="Print what --fix would change as a diff; exit 1 if it would change anything.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, also make fixes that change a link's style.")
@cache_options
def lint_command(vault_path: str | None, fmt: str, select: tuple[str, ...], ignore: tuple[str, ...], fail_on: str | None,
                 exit_zero: bool, baseline: str | None, write_baseline: str | None, output: str | None,
                 fix: bool, diff: bool, unsafe_fixes: bool) -> None:
    """Check a vault for broken links, headings, blocks, hierarchy mistakes and bad frontmatter.

    Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage, config or internal error.
    """
    vault_arg = vault_path or os.environ.get("KG_VAULT", ".")
    colour = fmt in ("text", "full") and output is None and sys.stdout.isatty()
    state = None if write_baseline or fix or diff else cache_state(vault_arg)
    key = _memo_key(vault_arg, (fmt, select, ignore, fail_on, exit_zero, baseline, colour))
    remembered: tuple[str, str | None, int] | None = state[0].answer(key, state[1]) if state is not None else None
    if remembered is not None:
        _finish(*remembered, output)
    try:
        vault = load_or_fail(vault_arg, state)
        chosen, ignored = _split(select) or None, _split(ignore)
        findings = lint(vault, select=chosen, ignore=ignored)
        rules = active_rules(vault, select=chosen, ignore=ignored)
        if write_baseline:
            Path(write_baseline).write_text(generate_baseline(findings), encoding="utf-8")
            click.echo(f"wrote {len(findings)} findings to baseline '{write_baseline}'", err=True)
            return
        if baseline:
            findings = apply_baseline(findings, read_baseline(Path(baseline)))
        if diff:
            _show_fixes(vault, findings, unsafe_fixes)
        if fix:
            vault, findings = _fix(vault, findings, unsafe_fixes, chosen, ignored, baseline)
    except KgClickError:
        raise
    except KgError as exc:
        raise KgClickError(str(exc)) from exc
    except Exception as exc:  # an internal error still ends as one line and exit code 2
        raise KgClickError(f"internal error: {type(exc).__name__}: {exc}") from exc
    report = _report(vault, vault_arg, findings, rules, colour)
    level = fail_on or vault.config.fail_on or "warning"
    failing = [] if level == "never" else at_or_above(findings, level)
    answer = (render(report, fmt), summary_line(report) if fmt in ("text", "full") else None, 1 if failing and not exit_zero else 0)
    if state is not None:
        state[0].remember(key, state[1], answer)
        state[0].save()
    _finish(*answer, output)


def _show_fixes(vault: Vault, findings: list, unsafe: bool) -> None:
    """``--diff``: print what ``--fix`` would change and exit 1 if it would change anything (as ruff)."""
    change = plan_fixes(vault, findings, unsafe=unsafe)
    click.echo(render_diff(change), nl=False)
    click.echo(f"would fix {change.rewritten} finding{'s' * (change.rewritten != 1)} in {len(change.files)} file{'s' * (len(change.files) != 1)}", err=True)
    sys.exit(0 if change.empty else 1)


def _fix(vault: Vault, findings: list, unsafe: bool, chosen: list[str] | None, ignored: list[str],
         baseline: str | None) -> tuple[Vault, list]:
    """``--fix``: make the fixes, then lint the vault as it is now."""
    change = plan_fixes(vault, findings, unsafe=unsafe)
    if change.empty:
        return vault, findings
    vault = apply_change(vault, change)
    click.echo(f"fixed {change.rewritten} finding{'s' * (change.rewritten != 1)} in {len(change.files)} file{'s' * (len(change.files) != 1)}", err=True)
    findings = lint(vault, select=chosen, ignore=ignored)
    return vault, apply_baseline(findings, read_baseline(Path(baseline))) if baseline else findings


def _memo_key(vault_arg: str, options: tuple[object, ...]) -> str:
    """The key this lint's report is remembered under: every option, and what the output depends
    on besides the vault (the baseline's content, the folders paths are shown relative to)."""
    *rest, baseline, colour = options
    digest = Path(str(baseline)).read_bytes() if baseline else b""
    return repr(("lint", *rest, digest, colour, vault_arg, os.getcwd(), _repo_root(Path(vault_arg).resolve()).as_posix()))


def _finish(text: str, summary: str | None, code: int, output: str | None) -> None:
    """Print (or write) the report, the summary line on stderr, and exit with the code."""
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    if summary is not None:
        click.echo(summary, err=True)
    sys.exit(code)


@cli.command("rules")
@click.argument("rule", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True)
@library_errors
def rules_command(rule: str | None, fmt: str) -> None:
    """List the lint rules, or show one rule's documentation (by code or name)."""
    if rule:
        item = find_rule(rule)
        click.echo(rule_markdown(item), nl=False)
    elif fmt == "markdown":
        click.echo(rules_markdown(), nl=False)
    else:
        click.echo(rules_table(), nl=False)
