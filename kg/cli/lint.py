"""``kg lint`` and ``kg rules``.

``kg lint`` runs in steps, each a function: find the vault and what to report (:func:`_target`),
answer from the cache when nothing changed, else read the vault and lint it (:func:`_findings`), turn
the findings into what is printed (:func:`_answer`), print it (:func:`_finish`).
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import click

from kg.cli import KgClickError, cache_state, cli, library_errors, load_or_fail, note, resolve_vault, shared_options
from kg.config import SEVERITIES
from kg.confine import note_text
from kg.errors import KgError
from kg.lint import active_rules, at_or_above, find_rule, lint
from kg.lint.baseline import apply_baseline, generate_baseline, read_baseline
from kg.lint.docs import rule_markdown, rules_markdown, rules_table
from kg.lint.finding import Finding
from kg.lint.output import FORMATS, Report, render, render_statistics, summary_line
from kg.parse.source import split_lines
from kg.vault import Vault

HUMAN_FORMATS = ("text", "full")
"""The formats people read: coloured on a terminal, followed by the summary line."""


def _split(values: tuple[str, ...]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _repo_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` that holds ``.git``; else the current folder."""
    for folder in [start, *start.parents]:
        if (folder / ".git").exists():
            return folder
    return Path.cwd()


class Target(NamedTuple):
    """What ``kg lint`` reads and what it reports."""

    root: str
    """The vault root, as shown (relative to the current folder when discovered)."""
    only: tuple[str, ...] | None
    """Vault paths (files or folders) whose findings are reported; None: the whole vault."""


def _target(paths: tuple[str, ...], vault: str | None) -> Target:
    """The vault and the paths to report: ``kg lint`` (the vault around the current folder),
    ``kg lint VAULT``, ``kg lint FILE...`` (the vault around the files' common folder), ``kg lint --vault
    VAULT [FILE...]``. A folder inside a vault reports only its own findings; named files outside
    the vault are left out (pre-commit passes every changed file of the repository)."""
    if vault is None and len(paths) == 1 and not os.path.isfile(paths[0]):
        vault, paths = paths[0], ()
        root = resolve_vault(vault)
        return Target(root, None if root == vault else _inside(root, (vault,)))
    missing = [path for path in paths if not os.path.exists(path)]
    if missing:
        raise KgClickError(f"'{missing[0]}' does not exist")
    if vault is None and paths:
        folders = [path if os.path.isdir(path) else os.path.dirname(path) or "." for path in paths]
        common = os.path.commonpath([os.path.abspath(folder) for folder in folders])
        vault = common if any(os.path.isabs(path) for path in paths) else os.path.relpath(common)
    root = resolve_vault(vault)
    return Target(root, _inside(root, paths) if paths else None)


def _inside(root: str, paths: tuple[str, ...]) -> tuple[str, ...]:
    """The vault paths of ``paths`` ("" for the root itself); those outside the vault left out."""
    base = os.path.abspath(root)
    inside = []
    for path in paths:
        relative = os.path.relpath(os.path.abspath(path), base)
        if relative == os.curdir:
            inside.append("")
        elif relative != os.pardir and not relative.startswith(os.pardir + os.sep):
            inside.append(Path(relative).as_posix())
    return tuple(inside)


def _reported(path: str, only: tuple[str, ...] | None) -> bool:
    return only is None or any(not part or path == part or path.startswith(part + "/") for part in only)


def _report(vault: Vault, target: Target, findings: list[Finding], rules: list, colour: bool) -> Report:
    root = (vault.root or Path(".")).resolve()
    repo = _repo_root(root)

    @lru_cache(maxsize=1024)  # called once per finding; a path resolves through the file system
    def display(path: str) -> str:
        """The path from the current folder (from the vault's own path when it was given absolute)."""
        joined = os.path.join(target.root, path)
        return Path(os.path.normpath(joined) if os.path.isabs(joined) else os.path.relpath(joined)).as_posix()

    @lru_cache(maxsize=1024)
    def uri(path: str) -> str:  # the file's own path: a symlink's target may be outside the vault
        return Path(os.path.relpath(root / path, repo)).as_posix()

    @lru_cache(maxsize=16)  # findings come sorted by path: each file is read once, not once per finding
    def source(path: str) -> list[str]:
        text = note_text(vault, path)  # only notes the vault read, never through a symlink out of it
        return split_lines(text) if text is not None else []

    notes = sum(1 for path in vault.notes if _reported(path, target.only))
    return Report(findings, rules, notes, display, uri, source, colour)


@cli.command("lint")
@click.argument("paths", metavar="[VAULT | FILE...]", nargs=-1, type=click.Path())
@click.option("--vault", "vault_named", type=click.Path(file_okay=False),
              help="The vault; FILEs then name the files (or folders) whose findings are reported, resolved against the whole vault.")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="text", show_default=True, help="Output format.")
@click.option("--select", multiple=True, help="Rules to run (codes, code prefixes, names, ALL), comma-separated.")
@click.option("--ignore", multiple=True, help="Rules not to run, comma-separated.")
@click.option("--fail-on", type=click.Choice([*SEVERITIES, "never"]), default=None, help="Lowest severity that fails [default: warning].")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--baseline", type=click.Path(dir_okay=False, exists=True), help="Report only findings not in this baseline.")
@click.option("--write-baseline", type=click.Path(dir_okay=False), help="Write the current findings as a baseline and exit 0.")
@click.option("--statistics", is_flag=True, help="Count findings per rule, most first, instead of listing them (text or json).")
@click.option("-q", "--quiet", is_flag=True, help="Print the findings only: no summary line, no notes on stderr.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), help="Write the report to a file ('-': stdout).")
@click.option("--fix", is_flag=True, help="Fix what can be fixed safely (atomic writes, proved, rolled back on failure), then report the rest.")
@click.option("--diff", is_flag=True, help="Print what --fix would change as a diff; exit 1 if it would change anything.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, also make fixes that change a link's style.")
@shared_options
def lint_command(paths: tuple[str, ...], vault_named: str | None, fmt: str, select: tuple[str, ...], ignore: tuple[str, ...],
                 fail_on: str | None, exit_zero: bool, baseline: str | None, write_baseline: str | None, statistics: bool,
                 quiet: bool, output: str | None, fix: bool, diff: bool, unsafe_fixes: bool) -> None:
    """Check a vault for broken links, headings, blocks, hierarchy mistakes and bad frontmatter.

    Without VAULT, the vault around the current folder (the nearest folder holding .obsidian/ or
    kg.toml). FILEs (or --vault VAULT FILE...) report only the findings in those files, resolving
    links against the whole vault, as pre-commit passes them.

    Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage, config or internal error.
    """
    if statistics and fmt not in ("text", "json"):
        raise click.UsageError("--statistics prints text or json")
    click.get_current_context().meta["kg.quiet"] = quiet
    to_stdout = output in (None, "-")
    target = _target(paths, vault_named)
    colour = fmt in HUMAN_FORMATS and to_stdout and _colour_on(click.get_current_context())
    state = None if write_baseline or fix or diff else cache_state(target.root)
    options = (fmt, select, ignore, fail_on, exit_zero, statistics, quiet, to_stdout, colour)
    key = _memo_key(target, baseline, options)
    remembered = state[0].answer(key, state[1]) if state is not None else None
    if remembered is not None:
        _finish(*remembered, output)
    vault = load_or_fail(target.root, state)
    findings, rules = _findings(vault, target, _split(select) or None, _split(ignore))
    if write_baseline:
        Path(write_baseline).write_text(generate_baseline(findings), encoding="utf-8")
        note(f"wrote {len(findings)} findings to baseline '{write_baseline}'")
        return
    if diff:
        _show_fixes(vault, findings, unsafe_fixes)
    if fix:
        vault, findings, rules = _fix(vault, target, findings, unsafe_fixes, _split(select) or None, _split(ignore))
    hidden = 0
    if baseline:
        new = apply_baseline(findings, read_baseline(Path(baseline)))
        hidden, findings = len(findings) - len(new), new
    report = _report(vault, target, findings, rules, colour)
    answer = _answer(report, vault, target, fmt, statistics=statistics, quiet=quiet, to_stdout=to_stdout,
                     hidden=(hidden, baseline), fail_on=fail_on, exit_zero=exit_zero)
    if state is not None:
        state[0].remember(key, state[1], answer)
        state[0].save()
    _finish(*answer, output)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def _show_fixes(vault: Vault, findings: list[Finding], unsafe: bool) -> None:
    """``--diff``: print what ``--fix`` would change and exit 1 if it would change anything (as ruff)."""
    from kg.fix import plan_fixes  # here, as in _fix: a lint that fixes nothing need not import the writers
    from kg.write import render_diff

    change = plan_fixes(vault, findings, unsafe=unsafe)
    click.echo(render_diff(change), nl=False)
    note(f"would fix {_plural(change.rewritten, 'finding')} in {_plural(len(change.files), 'file')}")
    sys.exit(0 if change.empty else 1)


def _fix(vault: Vault, target: Target, findings: list[Finding], unsafe: bool, select: list[str] | None,
         ignore: list[str]) -> tuple[Vault, list[Finding], list]:
    """``--fix``: make the fixes (all or nothing), then lint the vault as it is now."""
    from kg.fix import plan_fixes
    from kg.write import apply_change

    change = plan_fixes(vault, findings, unsafe=unsafe)
    if change.empty:
        return vault, findings, active_rules(vault, select=select, ignore=ignore)
    try:
        vault = apply_change(vault, change)
    except KgError as exc:  # refused or rolled back: nothing changed, one line, exit 2
        raise KgClickError(str(exc)) from exc
    note(f"fixed {_plural(change.rewritten, 'finding')} in {_plural(len(change.files), 'file')}")
    return (vault, *_findings(vault, target, select, ignore))


def _colour_on(ctx: click.Context) -> bool:
    """Whether stdout is coloured: as ``--color`` and the environment decided, else on a terminal."""
    return ctx.color if ctx.color is not None else sys.stdout.isatty()


def _findings(vault: Vault, target: Target, select: list[str] | None, ignore: list[str]) -> tuple[list[Finding], list]:
    """The findings in the paths to report, and the rules that ran."""
    findings = lint(vault, select=select, ignore=ignore)
    rules = active_rules(vault, select=select, ignore=ignore)
    return [f for f in findings if _reported(f.path, target.only)], rules


Answer = tuple[str, str, str, int]
"""What a lint run prints: the report (to ``-o`` or stdout), what follows it on stdout (the summary
line), the notes on stderr, the exit code. A plain tuple: the cache keeps it as it is."""


def _answer(report: Report, vault: Vault, target: Target, fmt: str, *, statistics: bool, quiet: bool, to_stdout: bool,
            hidden: tuple[int, str | None], fail_on: str | None, exit_zero: bool) -> Answer:
    """The report, the summary line (on stdout after a report people read there, else on stderr),
    the notes (baseline, empty vault) and the exit code."""
    text = render_statistics(report, fmt) if statistics else render(report, fmt)
    notes = []
    count, baseline = hidden
    if baseline:
        notes.append(f"kg: baseline '{baseline}' hid {count} known finding{'' if count == 1 else 's'}\n")
    if not report.notes:
        where = "in the named files" if target.only is not None else f"in '{target.root}'"
        notes.append(f"warning: no notes found {where}\n")
    summary = summary_line(report) + "\n" if report.notes else ""
    tail = ""
    if fmt in HUMAN_FORMATS and to_stdout:
        tail = summary
    else:
        notes.append(summary)
    level = fail_on or vault.config.fail_on or "warning"
    failing = [] if level == "never" else at_or_above(report.findings, level)
    return text, "" if quiet else tail, "" if quiet else "".join(notes), 1 if failing and not exit_zero else 0


def _memo_key(target: Target, baseline: str | None, options: tuple[object, ...]) -> str:
    """The key this lint's report is remembered under: every option, and what the output depends
    on besides the vault (the baseline's content, the folders paths are shown relative to)."""
    digest = Path(str(baseline)).read_bytes() if baseline else b""
    return repr(("lint", *options, baseline, digest, target, os.getcwd(), _repo_root(Path(target.root).resolve()).as_posix()))


def _finish(report: str, tail: str, notes: str, code: int, output: str | None) -> None:
    """Print (or write) the report, then the summary line and the notes, and exit with the code."""
    if output and output != "-":
        Path(output).write_text(report, encoding="utf-8")
    else:
        click.echo(report, nl=False)
    if tail:
        click.echo(tail, nl=False)
    if notes:
        click.echo(notes, nl=False, err=True)
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
