"""Baselines: adopt kg in a vault with many findings and fail only on new ones.

A baseline file lists findings by path, rule and target (the link, alias or name concerned), with a
count, never by line number, so editing a note above a known finding does not make it new.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from kg.errors import ConfigError
from kg.lint.finding import Finding
from kg.text import escape_surrogates

__all__ = ["apply_baseline", "generate_baseline", "read_baseline"]

VERSION = 1


def _key(finding: Finding) -> tuple[str, str, str]:
    return (finding.path, finding.code, finding.target)


def generate_baseline(findings: Iterable[Finding]) -> str:
    """The baseline JSON for these findings; a path that is not UTF-8 is kept exactly, as ``\\udcXX`` escapes."""
    counts = Counter(_key(f) for f in findings)
    names = {f.code: f.name for f in findings}
    entries = [
        {"path": path, "code": code, "name": names[code], "target": target, "count": count}
        for (path, code, target), count in sorted(counts.items())
    ]
    return escape_surrogates(json.dumps({"version": VERSION, "findings": entries}, ensure_ascii=False, indent=2)) + "\n"


def read_baseline(path: Path) -> Counter[tuple[str, str, str]]:
    """Read a baseline file; a missing or malformed one is a ConfigError."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Counter({(e["path"], e["code"], e["target"]): int(e["count"]) for e in data["findings"]})
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"cannot read baseline '{path}': {exc}") from exc


def apply_baseline(findings: Iterable[Finding], known: Counter[tuple[str, str, str]]) -> list[Finding]:
    """The findings the baseline does not account for."""
    left = Counter(known)
    new = []
    for finding in findings:
        key = _key(finding)
        if left[key] > 0:
            left[key] -= 1
        else:
            new.append(finding)
    return new
