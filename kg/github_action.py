"""The GitHub Action's step (``action.yml``): lint the vault, annotate, summarise, set outputs.

Run as ``python -m kg.github_action`` inside a workflow, configured by environment variables:
``KG_ACTION_VAULT``, ``KG_ACTION_FAIL_ON``, ``KG_ACTION_ARGS`` (extra ``kg lint`` arguments, split as
a shell would) and ``KG_ACTION_SARIF`` (a file to write SARIF to, or empty); and GitHub's own
``GITHUB_STEP_SUMMARY``, ``GITHUB_OUTPUT``, ``GITHUB_EVENT_PATH``, ``GITHUB_WORKSPACE``.

Annotations of the files the push or pull request changed come first: GitHub shows only ten
annotations of each kind per step. The exit status is ``kg lint``'s: 0 clean, 1 findings at or
above ``fail-on``, 2 an error.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

from kg.lint.finding import Finding
from kg.lint.output import annotation

__all__ = ["changed_files", "main", "ordered", "outputs", "summary_markdown"]

SHOWN = 50
"""Findings listed in the step summary; the annotations and the SARIF file hold every one."""


def _finding(data: Mapping[str, object]) -> Finding:
    fields = {name: data[name] for name in Finding._fields if name != "target"}
    return Finding(**fields, target="")  # type: ignore[arg-type]


def changed_files(event_path: str | None, workspace: str) -> set[str]:
    """Repository paths the push or pull request changed (from the event's base and head commits,
    through git); empty when they cannot be told, e.g. in a shallow clone without the base."""
    if not event_path or not os.path.isfile(event_path):
        return set()
    try:
        event = json.loads(Path(event_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    pull = event.get("pull_request") or {}
    base = (pull.get("base") or {}).get("sha") or event.get("before")
    head = (pull.get("head") or {}).get("sha") or event.get("after") or "HEAD"
    if not base or set(str(base)) == {"0"}:  # a new branch has no "before"
        return set()
    try:
        done = subprocess.run(["git", "diff", "--name-only", "-z", str(base), str(head)], cwd=workspace,
                              capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return set()
    return {os.fsdecode(name) for name in done.stdout.split(b"\0") if name}


def _in(f: Finding, changed: set[str], workspace: str) -> bool:
    """Whether the finding's file (a path from the current folder) is one of the changed files."""
    return Path(os.path.relpath(os.path.abspath(f.path), workspace)).as_posix() in changed


def ordered(findings: Sequence[Finding], changed: set[str], workspace: str) -> list[Finding]:
    """The findings in changed files first, each group in kg's own order."""
    return sorted(findings, key=lambda f: not _in(f, changed, workspace))


def summary_markdown(findings: Sequence[Finding], summary: Mapping[str, int], changed: int) -> str:
    """The step summary: the counts, findings per rule, and the first findings."""
    counts = ", ".join(f"{summary[level]} {level}" for level in ("error", "warning", "info") if summary[level])
    if not findings:
        return f"## kg lint\n\nNo findings in {summary['notes']} notes.\n"
    lines = ["## kg lint\n", f"{summary['findings']} findings ({counts}) in {summary['notes']} notes"
             + (f"; {changed} in changed files." if changed else "."), "", "| rule | findings |", "| --- | ---: |"]
    per_rule = Counter(f"`{f.code}` {f.name}" for f in findings)
    lines += [f"| {rule} | {count} |" for rule, count in sorted(per_rule.items(), key=lambda item: (-item[1], item[0]))]
    lines += ["", "| where | rule | message |", "| --- | --- | --- |"]
    lines += [f"| `{_cell(f.path)}:{f.line}:{f.col}` | `{f.code}` | {_cell(f.message)} |" for f in findings[:SHOWN]]
    if len(findings) > SHOWN:
        lines += ["", f"... and {len(findings) - SHOWN} more: see the annotations."]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def outputs(summary: Mapping[str, int], sarif: str) -> str:
    """The step's outputs, as ``$GITHUB_OUTPUT`` lines."""
    rows = {"findings": summary["findings"], "errors": summary["error"], "warnings": summary["warning"],
            "infos": summary["info"], "notes": summary["notes"], "sarif": sarif}
    return "".join(f"{name}={value}\n" for name, value in rows.items())


def _append(variable: str, text: str) -> None:
    path = os.environ.get(variable)
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(text)


def main() -> int:
    """Run the step; returns the exit status."""
    env = os.environ
    workspace = env.get("GITHUB_WORKSPACE") or os.getcwd()
    vault = env.get("KG_ACTION_VAULT") or "."
    args = ["--fail-on", env.get("KG_ACTION_FAIL_ON") or "warning", *shlex.split(env.get("KG_ACTION_ARGS", ""))]
    kg = [sys.executable, "-m", "kg", "lint", vault, *args]
    done = subprocess.run([*kg, "--format", "json", "--quiet"], capture_output=True, text=True)
    if done.returncode not in (0, 1):
        sys.stderr.write(done.stderr)
        return done.returncode
    report = json.loads(done.stdout)
    sarif = env.get("KG_ACTION_SARIF", "")
    if sarif:
        subprocess.run([*kg, "--format", "sarif", "--quiet", "--exit-zero", "-o", sarif], check=True)
    changed = changed_files(env.get("GITHUB_EVENT_PATH"), workspace)
    findings = ordered([_finding(item) for item in report["findings"]], changed, workspace)
    sys.stdout.write("".join(annotation(f, f.path) for f in findings))
    in_changed = sum(1 for f in findings if _in(f, changed, workspace))
    _append("GITHUB_STEP_SUMMARY", summary_markdown(findings, report["summary"], in_changed))
    _append("GITHUB_OUTPUT", outputs(report["summary"], sarif))
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
