"""The linter: every rule run over a vault, findings filtered by configuration and suppressions.

>>> import kg
>>> from kg.lint import lint
>>> vault = kg.Vault.from_texts({"A.md": "[[Transformr]]", "Transformer.md": ""})
>>> [f"{f.path}:{f.line}:{f.col}: {f.code} {f.message}" for f in lint(vault)]
["A.md:1:1: KG001 link target 'Transformr' does not match any file; did you mean 'Transformer'?"]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from kg.config import SEVERITIES, Config
from kg.errors import ConfigError
from kg.lint import rules as _rules  # noqa: F401  (registers every rule)
from kg.lint.finding import Finding, Hit
from kg.lint.registry import RULES, Rule, find_rule, select_rules
from kg.lint.suppress import silenced

if TYPE_CHECKING:
    from kg.vault import Vault

__all__ = ["RULES", "Finding", "Hit", "Rule", "active_rules", "at_or_above", "check_config_rules", "find_rule", "lint", "select_rules"]


def _severities(overrides: Mapping[str, str]) -> dict[str, str]:
    out = {}
    for key, level in overrides.items():
        if level not in SEVERITIES:
            raise ConfigError(f"severity of '{key}' must be one of {', '.join(SEVERITIES)}")
        out[find_rule(key).code] = level
    return out


def check_config_rules(config: Config) -> None:
    """Check that every rule the configuration names exists.

    Raises
    ------
    ConfigError
        Naming the configuration file, the key and the closest rule, e.g. ``/v/kg.toml: 'select':
        unknown lint rule 'brokn-link'; did you mean 'broken-link'?``.
    """
    named = {
        "select": [key for key in config.select if key.strip().lower() != "all"],
        "ignore": [key for key in config.ignore if key.strip().lower() != "all"],
        "severity": list(config.severity),
        **{f"per-file-ignores.{glob}": list(keys) for glob, keys in config.per_file_ignores.items()},
    }
    for where, keys in named.items():
        try:
            if keys:
                select_rules(keys)
        except ConfigError as exc:
            raise ConfigError(f"{config.source or 'configuration'}: '{where}': {exc}") from None


def active_rules(vault: Vault, *, select: Iterable[str] | None = None, ignore: Iterable[str] = ()) -> list[Rule]:
    """The rules :func:`lint` runs: ``select`` (else the vault's configured selection, else the
    default set), less the configured and the given ``ignore``."""
    config = vault.config
    check_config_rules(config)
    return select_rules(list(select) if select is not None else config.select, [*config.ignore, *ignore])


def lint(
    vault: Vault,
    *,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    severity: Mapping[str, str] | None = None,
) -> list[Finding]:
    """Run the lint rules over a vault.

    Parameters
    ----------
    vault : Vault
    select : iterable of str, optional
        Rules to run (codes, code prefixes such as ``KG1``, names, ``ALL``); by default the
        vault's configured selection, else every rule that is on by default.
    ignore : iterable of str
        Rules not to run, on top of the configured ones.
    severity : mapping, optional
        Rule -> severity, on top of the configured overrides.

    Returns
    -------
    list of Finding
        Sorted by path, line, column and code; suppressed findings left out.
    """
    config = vault.config
    chosen = active_rules(vault, select=select, ignore=ignore)
    levels = _severities({**config.severity, **(severity or {})})
    findings = []
    for item in chosen:
        level = levels.get(item.code, item.severity)
        for hit in item.check(vault):
            span = hit.span
            findings.append(Finding(hit.path, span.line, span.col, span.end_line, span.end_col,
                                    item.code, item.name, level, hit.message, hit.target))
    return sorted(set(silenced(findings, vault)))


def at_or_above(findings: Iterable[Finding], level: str) -> list[Finding]:
    """The findings whose severity is ``level`` or higher."""
    rank = SEVERITIES.index(level)
    return [f for f in findings if SEVERITIES.index(f.severity) >= rank]
