"""The rule registry: one decorated function per rule, each with a stable code and a kebab name."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.config import SEVERITIES, did_you_mean
from kg.errors import ConfigError
from kg.lint.finding import Hit

if TYPE_CHECKING:
    from kg.vault import Vault

__all__ = ["RULES", "Check", "Rule", "find_rule", "rule", "select_rules"]

Check = Callable[["Vault"], Iterator[Hit]]
"""A rule's check: it reads the vault and yields hits."""

DOC_HEADINGS = ("## What it does", "## Why is this bad?", "## Example", "## Use instead")


@dataclass(frozen=True)
class Rule:
    """One lint rule."""

    code: str
    """``KG`` and three digits, grouped by theme: 0xx links, 1xx hierarchy, 2xx frontmatter, 3xx files."""
    name: str
    """Kebab-case name, accepted wherever the code is."""
    severity: str
    """Default severity."""
    enabled: bool
    """Whether it runs when nothing is selected."""
    check: Check
    """The function that finds problems."""
    fix: str | None = None
    """``safe`` if ``kg lint --fix`` fixes its findings, ``unsafe`` if only with ``--unsafe-fixes``
    (the fix changes a link's style), None if it has no fix."""

    @property
    def doc(self) -> str:
        """The rule's documentation (its docstring, dedented)."""
        import inspect

        return inspect.cleandoc(self.check.__doc__ or "")

    @property
    def summary(self) -> str:
        """The first line of the documentation."""
        return self.doc.splitlines()[0] if self.doc else ""


RULES: dict[str, Rule] = {}
"""Code -> rule, in code order once every rule module is imported."""


def rule(code: str, name: str, severity: str = "warning", *, enabled: bool = True,
         fix: str | None = None) -> Callable[[Check], Check]:
    """Register a check function as a rule (``fix``: see :attr:`Rule.fix`)."""
    if not re.fullmatch(r"KG\d{3}", code) or severity not in SEVERITIES or fix not in (None, "safe", "unsafe"):
        raise ValueError(f"bad rule declaration {code} {name} {severity}")

    def register(check: Check) -> Check:
        if code in RULES or any(r.name == name for r in RULES.values()):
            raise ValueError(f"rule {code} {name} is declared twice")
        RULES[code] = Rule(code, name, severity, enabled, check, fix)
        return check

    return register


def find_rule(key: str) -> Rule:
    """A rule by code or name, any case.

    Raises
    ------
    ConfigError
        If no rule has that code or name.
    """
    wanted = key.strip().lower()
    for item in RULES.values():
        if wanted in (item.code.lower(), item.name):
            return item
    raise ConfigError(_unknown(key))


def _unknown(key: str) -> str:
    """``unknown lint rule 'brokn-link'; did you mean 'broken-link'?``"""
    names = [name for item in RULES.values() for name in (item.code, item.name)]
    return f"unknown lint rule '{key}'" + did_you_mean(key, names)


def _matches(item: Rule, key: str) -> bool:
    key = key.strip().lower()
    return key in ("all", item.name) or (key.startswith("kg") and item.code.lower().startswith(key))


def _expand(keys: Iterable[str]) -> set[str]:
    codes = set()
    for key in keys:
        found = {item.code for item in RULES.values() if _matches(item, key)}
        if not found:
            raise ConfigError(_unknown(key))
        codes |= found
    return codes


def select_rules(select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Rule]:
    """The rules to run: those selected (codes, code prefixes such as ``KG1``, names, ``ALL``), or the
    default set, less those ignored."""
    chosen = list(select)
    codes = _expand(chosen) if chosen else {r.code for r in RULES.values() if r.enabled}
    codes -= _expand(ignore)
    return [RULES[code] for code in sorted(codes)]
