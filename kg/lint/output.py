"""Lint output in the formats CI systems read: text, full, json, github, gitlab, sarif, junit.

Every formatter is a pure function of the findings: sorted input gives byte-identical output.
"""

from __future__ import annotations

import hashlib
import re
from json.encoder import encode_basestring as _string  # the C function where the interpreter has it
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

import click

from kg import __version__
from kg.jsontext import dumps
from kg.lint.finding import Finding
from kg.lint.registry import Rule
from kg.text import escape_controls, mask_controls, printable

__all__ = ["FORMATS", "Report", "annotation", "display_width", "render", "render_statistics", "statistics", "summary_line"]

_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_GITHUB = {"error": "error", "warning": "warning", "info": "notice"}
_GITLAB = {"error": "major", "warning": "minor", "info": "info"}
_COLOUR = {"error": "red", "warning": "yellow", "info": "cyan"}
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Report:
    """What a formatter needs besides the findings."""

    findings: Sequence[Finding]
    rules: Sequence[Rule]
    """The rules that ran."""
    notes: int
    """How many notes were checked."""
    display: Callable[[str], str] = str
    """Vault path -> the path shown to the user (relative to where kg was run)."""
    uri: Callable[[str], str] = str
    """Vault path -> repository-relative path, for SARIF."""
    source: Callable[[str], list[str]] = lambda path: []
    """Vault path -> the file's lines, for the ``full`` format."""
    colour: bool = False


def _counts(findings: Sequence[Finding]) -> Counter[str]:
    return Counter(f.severity for f in findings)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 or word == "info" else "s")


def summary_line(report: Report) -> str:
    """``Found 3 findings (1 error, 2 warnings) in 38 notes.`` or ``No findings in 38 notes.``"""
    notes = _plural(report.notes, "note")
    if not report.findings:
        return f"No findings in {notes}."
    counts = _counts(report.findings)
    parts = ", ".join(_plural(counts[s], s) for s in ("error", "warning", "info") if counts[s])
    return f"Found {_plural(len(report.findings), 'finding')} ({parts}) in {notes}."


def _text_line(report: Report, f: Finding) -> str:
    """One finding on one line: control characters in names and messages escaped (a file name with a
    line break must not forge a second finding, an ANSI escape must not reach the terminal)."""
    where = escape_controls(f"{report.display(f.path)}:{f.line}:{f.col}:")
    code = click.style(f.code, fg=_COLOUR[f.severity], bold=True) if report.colour else f.code
    return f"{click.style(where, bold=True) if report.colour else where} {code} {escape_controls(f.message)}"


def text(report: Report) -> str:
    """``path:line:col: CODE message``, one finding a line."""
    return "".join(_text_line(report, f) + "\n" for f in report.findings)


def display_width(text: str) -> int:
    """The columns ``text`` takes on a terminal: two for each wide character (CJK, most emoji), none
    for combining marks and the joiners inside an emoji sequence (wcwidth's reading of Unicode).

    >>> display_width("abc"), display_width("日本語"), display_width("👩‍💻"), display_width("e\u0301")
    (3, 6, 2, 1)
    """
    from wcwidth import wcswidth  # only the full format needs it

    width = wcswidth(text)
    return width if width >= 0 else len(text)  # a character wcwidth cannot place counts as one column


def full(report: Report) -> str:
    """The text line, then the source line with a caret under the offending text (placed by the
    display width of what stands before it, so that it stays right after wide characters)."""
    out = []
    for f in report.findings:
        out.append(_text_line(report, f))
        lines = report.source(f.path)
        if 0 < f.line <= len(lines):
            line = mask_controls(lines[f.line - 1].expandtabs(1))
            end = f.end_col if f.end_line == f.line else len(line) + 1
            width = max(1, display_width(line[f.col - 1:end - 1]))
            caret = " " * display_width(line[:f.col - 1]) + "^" * width
            gutter = f"{f.line:>5} | "
            out.append(gutter + line)
            out.append(" " * (len(gutter) - 2) + "| " + (click.style(caret, fg=_COLOUR[f.severity]) if report.colour else caret))
        out.append("")
    return "\n".join(out) + ("\n" if out else "")


_JSON_ROW = """\
    {
      "path": %s,
      "line": %d,
      "col": %d,
      "end_line": %d,
      "end_col": %d,
      "code": %s,
      "name": %s,
      "severity": %s,
      "message": %s
    }"""
"""A finding in the JSON report's list, as ``json.dumps`` with ``indent=2`` writes
:meth:`Finding.to_dict` there (strings C-encoded into the ``%s``): one formatting a finding
instead of the walk of a mapping."""


def _json(report: Report) -> str:
    counts = _counts(report.findings)
    summary = {
        "findings": len(report.findings),
        "error": counts["error"],
        "warning": counts["warning"],
        "info": counts["info"],
        "notes": report.notes,
        "files": len({f.path for f in report.findings}),
    }
    text = _string
    # one join of every piece: a report of 100k findings is tens of MB, and each concatenation copies it
    parts = ['{\n  "findings": [']
    for f in report.findings:
        parts.append(",\n" if len(parts) > 1 else "\n")
        parts.append(_JSON_ROW % (text(report.display(f.path)), f.line, f.col, f.end_line, f.end_col, text(f.code),
                                  text(f.name), text(f.severity), text(f.message)))
    parts.append("\n  ],\n" if report.findings else "],\n")
    parts.append(dumps({"summary": summary})[2:])
    parts.append("\n")
    return "".join(parts)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding, path: str) -> str:
    """The GitHub Actions workflow command that annotates one finding, shown at ``path``.

    >>> print(annotation(Finding("a.md", 2, 5, 2, 9, "KG001", "broken-link", "error", "no 'X'", "X"), "v/a.md"), end="")
    ::error file=v/a.md,line=2,col=5,endLine=2,endColumn=9,title=KG001 broken-link::no 'X'
    """
    props = ",".join([
        f"file={_escape_property(path)}", f"line={f.line}", f"col={f.col}",
        f"endLine={f.end_line}", f"endColumn={f.end_col}", f"title={_escape_property(f'{f.code} {f.name}')}",
    ])
    return f"::{_GITHUB[f.severity]} {props}::{_escape_data(f.message)}\n"


def github(report: Report) -> str:
    """GitHub Actions workflow commands: one annotation per finding."""
    return "".join(annotation(f, report.display(f.path)) for f in report.findings)


def _fingerprint(f: Finding) -> str:
    return hashlib.sha256(f"{f.path}\0{f.code}\0{f.target}".encode("utf-8", "surrogatepass")).hexdigest()[:32]


def gitlab(report: Report) -> str:
    """GitLab Code Quality: the JSON array of issues a merge request's widget reads (description,
    check_name, fingerprint, severity, location.path relative to the repository, location.lines.begin).

    The fingerprint keeps a finding's identity while lines move (path, rule, target), and tells apart
    findings that share those by their order, as GitLab shows only one issue per fingerprint.
    """
    seen: Counter[str] = Counter()
    issues = []
    for f in report.findings:
        key = _fingerprint(f)
        seen[key] += 1
        fingerprint = key if seen[key] == 1 else hashlib.sha256(f"{key}\0{seen[key]}".encode()).hexdigest()[:32]
        issues.append({
            "description": f"{f.code} {f.message}",
            "check_name": f.name,
            "fingerprint": fingerprint,
            "severity": _GITLAB[f.severity],
            "location": {"path": report.uri(f.path), "lines": {"begin": f.line, "end": f.end_line}},
        })
    return dumps(issues) + "\n"


def sarif(report: Report) -> str:
    """SARIF 2.1.0, as GitHub code scanning and other CI dashboards read it."""
    index = {rule.code: i for i, rule in enumerate(report.rules)}
    rules = [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": rule.summary},
            "help": {"text": rule.doc, "markdown": rule.doc},
            "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        }
        for rule in report.rules
    ]
    results = []
    uris: dict[str, str] = {}  # a file's URI, worked out once for all its findings
    for f in report.findings:
        uri = uris.get(f.path)
        if uri is None:
            uri = uris[f.path] = quote(report.uri(f.path), safe="/", errors="surrogateescape")
        region = {"startLine": f.line, "startColumn": f.col, "endLine": f.end_line, "endColumn": f.end_col}
        result: dict[str, object] = {
            "ruleId": f.code,
            "level": _LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}, "region": region}}],
            "partialFingerprints": {"kgFindingHash/v1": _fingerprint(f)},
        }
        if f.code in index:
            result["ruleIndex"] = index[f.code]
        results.append(result)
    run = {
        "tool": {"driver": {"name": "kg", "version": __version__, "semanticVersion": __version__, "rules": rules}},
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    document = {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [run]}
    return dumps(document) + "\n"


def _xml(text: str) -> str:
    return _XML_BAD.sub("\ufffd", text)


def junit(report: Report) -> str:
    """JUnit XML: a test suite per file with findings, a failed test case per finding."""
    from xml.sax.saxutils import escape, quoteattr  # here: it imports urllib.request, 50 ms no other format needs

    by_file: dict[str, list[Finding]] = {}
    for f in report.findings:
        by_file.setdefault(f.path, []).append(f)
    total = max(1, len(report.findings))
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<testsuites name="kg lint" tests="{total}" failures="{len(report.findings)}">']
    if not by_file:
        out += ['  <testsuite name="kg lint" tests="1" failures="0">',
                f'    <testcase classname="kg lint" name={quoteattr(summary_line(report))}/>', "  </testsuite>"]
    for path, found in by_file.items():
        shown = _xml(report.display(path))
        out.append(f"  <testsuite name={quoteattr(shown)} tests=\"{len(found)}\" failures=\"{len(found)}\">")
        for f in found:
            name = quoteattr(_xml(f"{f.code} {f.name} at {f.line}:{f.col}"))
            out.append(f"    <testcase classname={quoteattr(shown)} name={name}>")
            body = escape(_xml(f"{shown}:{f.line}:{f.col}: {f.code} {f.message}"))
            out.append(f"      <failure type={quoteattr(f.severity)} message={quoteattr(_xml(f.message))}>{body}</failure>")
            out.append("    </testcase>")
        out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


FORMATS: dict[str, Callable[[Report], str]] = {
    "text": text, "full": full, "json": _json, "github": github, "gitlab": gitlab, "sarif": sarif, "junit": junit,
}
"""Format name -> formatter."""


def render(report: Report, fmt: str) -> str:
    """The findings in one format, encodable as UTF-8 whatever the names hold (see :func:`kg.text.printable`)."""
    return printable(FORMATS[fmt](report))


def statistics(findings: Sequence[Finding]) -> list[tuple[int, str, str]]:
    """``(count, code, name)`` per rule that found something, most first, then by code."""
    counts = Counter((f.code, f.name) for f in findings)
    return sorted(((n, code, name) for (code, name), n in counts.items()), key=lambda row: (-row[0], row[1]))


def render_statistics(report: Report, fmt: str) -> str:
    """The findings counted per rule: ``count  code  name`` lines, or (``fmt="json"``) a JSON list.

    >>> from kg.lint.finding import Finding
    >>> f = [Finding("a.md", 1, 1, 1, 2, "KG001", "broken-link", "error", "m", "x")] * 12
    >>> print(render_statistics(Report([*f, Finding("b.md", 1, 1, 1, 2, "KG202", "unquoted-link", "warning", "m", "y")], [], 2), "text"), end="")
    12  KG001  broken-link
     1  KG202  unquoted-link
    """
    rows = statistics(report.findings)
    if fmt == "json":
        data = [{"code": code, "name": name, "count": count} for count, code, name in rows]
        return dumps(data) + "\n"
    width = len(str(rows[0][0])) if rows else 1
    return printable("".join(f"{count:>{width}}  {code}  {name}\n" for count, code, name in rows))
