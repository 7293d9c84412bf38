"""How kg reads a vault: hierarchy field names, alias and comment handling, excluded paths.

A vault configures kg in ``kg.toml`` or ``.kg.toml`` (top-level keys) or in ``pyproject.toml``
(``[tool.kg]``), at the vault root::

    resolve-aliases = false       # [[alias]] stays unresolved, as in Obsidian
    suffix-match = true           # [[b/Note]] may find a/b/Note.md (reported as non-canonical)
    ignore-comment-links = false  # links inside %% comments count, flagged in_comment
    exclude = ["Templates/**"]    # vault paths kg does not read
    select = ["KG0", "hierarchy-cycle"]   # lint rules (codes, code prefixes or names)
    ignore = ["orphan-note"]
    per-file-ignores = { "Templates/**" = ["broken-link"] }
    severity = { "ambiguous-link" = "error" }
    fail-on = "warning"

    [fields]                      # hierarchy relation -> the field names that declare it
    up = ["up", "parent"]
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from kg.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

__all__ = ["RELATIONS", "Config", "did_you_mean", "field_key", "find_vault_root", "load_config", "read_config"]

RELATIONS: tuple[str, ...] = ("up", "down", "same", "next", "prev")
"""The hierarchy relations, as Breadcrumbs names them."""

REVERSE: Mapping[str, str] = MappingProxyType(
    {"up": "down", "down": "up", "same": "same", "next": "prev", "prev": "next"}
)
"""The relation each one implies in the other direction (spec F2)."""

CONFIG_FILES: tuple[str, ...] = ("kg.toml", ".kg.toml", "pyproject.toml")

ROOT_MARKERS: tuple[str, ...] = (".obsidian", "kg.toml", ".kg.toml")
"""What marks a vault's root folder: Obsidian's settings folder or a kg configuration file."""

SEVERITIES: tuple[str, ...] = ("info", "warning", "error")
"""Finding severities, lowest first."""


def field_key(name: str) -> str:
    """Sanitise a field name as Dataview does: ``Basic Field`` -> ``basic-field``.

    >>> field_key("**Up**"), field_key("Parent Note")
    ('up', 'parent-note')
    """
    out = []
    for ch in name.strip():
        if ch.isalnum() or ch in "_-":
            out.append(ch.lower())
        elif ch.isspace():
            out.append("-")
    return "".join(out)


def _default_fields() -> Mapping[str, str]:
    return MappingProxyType({name: name for name in RELATIONS})


@dataclass(frozen=True)
class Config:
    """Options that change how a vault is read. The defaults follow Obsidian and Breadcrumbs."""

    fields: Mapping[str, str] = field(default_factory=_default_fields)
    """Sanitised field name -> hierarchy relation, e.g. ``{"up": "up", "parent": "up"}``."""
    resolve_aliases: bool = False
    """Resolve ``[[alias]]`` to the note that declares the alias when no file matches."""
    suffix_match: bool = True
    """Let ``[[b/Note]]`` find ``a/b/Note.md`` when no ``b/Note.md`` exists."""
    ignore_comment_links: bool = False
    """Drop links that stand inside ``%% ... %%`` comments."""
    exclude: tuple[str, ...] = ()
    """Glob patterns (vault-relative, ``**`` for any depth) of files kg does not read."""
    select: tuple[str, ...] = ()
    """Lint rules to run (codes or names); empty means the rules that are on by default."""
    ignore: tuple[str, ...] = ()
    """Lint rules never to run."""
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """Glob -> lint rules ignored in the files it matches."""
    severity: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Lint rule -> severity (``error``, ``warning``, ``info``) replacing its default."""
    fail_on: str | None = None
    """The lowest severity that makes ``kg lint`` exit 1; None means the command's default."""
    source: str = field(default="", compare=False, repr=False)
    """The file the configuration was read from ("" for the defaults), named in errors."""

    def relation(self, name: str) -> str | None:
        """The hierarchy relation a field name declares, or None."""
        return self.fields.get(field_key(name))

    def with_fields(self, mapping: Mapping[str, list[str] | tuple[str, ...]]) -> Config:
        """A copy whose hierarchy fields are ``relation -> names``."""
        fields: dict[str, str] = {}
        for relation, names in mapping.items():
            if relation not in RELATIONS:
                raise ConfigError(f"unknown hierarchy relation '{relation}'{did_you_mean(relation, RELATIONS)}")
            for name in names:
                fields[field_key(name)] = relation
        return replace(self, fields=MappingProxyType(fields))


KNOWN_KEYS: tuple[str, ...] = (
    "resolve-aliases", "suffix-match", "ignore-comment-links", "exclude", "select", "ignore",
    "per-file-ignores", "severity", "fail-on", "fields",
)
"""Every top-level key of a kg configuration."""

_KEYS = {
    "resolve-aliases": ("resolve_aliases", bool),
    "suffix-match": ("suffix_match", bool),
    "ignore-comment-links": ("ignore_comment_links", bool),
}


def did_you_mean(key: str, known: Iterable[str]) -> str:
    """``"; did you mean 'select'?"`` for the closest known name (compared in lower case), or ``""``
    when none is close.

    >>> did_you_mean("selec", KNOWN_KEYS), did_you_mean("Broken-Lnk", ["KG001", "broken-link"]), did_you_mean("zzz", KNOWN_KEYS)
    ("; did you mean 'select'?", "; did you mean 'broken-link'?", '')
    """
    spelled = {name.lower(): name for name in known}
    close = difflib.get_close_matches(key.strip().lower(), list(spelled), n=1, cutoff=0.6)
    return f"; did you mean '{spelled[close[0]]}'?" if close else ""


def _read_table(path: Path) -> Mapping[str, object] | None:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read '{os.path.abspath(path)}': {exc}") from exc
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        table = tool.get("kg") if isinstance(tool, dict) else None
        return table if isinstance(table, dict) else None
    return data


def config_from_mapping(table: Mapping[str, object], *, source: str = "config") -> Config:
    """Build a :class:`Config` from a TOML table; an unknown key is an error that suggests the closest one."""
    for key in table:
        if key not in KNOWN_KEYS:
            raise ConfigError(f"{source}: unknown key '{key}'{did_you_mean(key, KNOWN_KEYS)}")
    config = Config(source=source)
    changes: dict[str, Any] = {}  # checked against each field's type below
    for key, (attr, kind) in _KEYS.items():
        if key in table:
            value = table[key]
            if not isinstance(value, kind):
                raise ConfigError(f"{source}: '{key}' must be a {kind.__name__}")
            changes[attr] = value
    for key, attr in (("select", "select"), ("ignore", "ignore")):
        if key in table:
            changes[attr] = _string_list(table[key], key, source)
    if "per-file-ignores" in table:
        raw = table["per-file-ignores"]
        if not isinstance(raw, dict):
            raise ConfigError(f"{source}: 'per-file-ignores' must map globs to lists of rules")
        changes["per_file_ignores"] = MappingProxyType(
            {glob: _string_list(rules, f"per-file-ignores.{glob}", source) for glob, rules in raw.items()}
        )
    if "severity" in table:
        raw = table["severity"]
        if not isinstance(raw, dict) or not all(v in SEVERITIES for v in raw.values()):
            raise ConfigError(f"{source}: 'severity' must map rules to one of {', '.join(SEVERITIES)}")
        changes["severity"] = MappingProxyType(dict(raw))
    if "fail-on" in table:
        if table["fail-on"] not in SEVERITIES:
            raise ConfigError(f"{source}: 'fail-on' must be one of {', '.join(SEVERITIES)}")
        changes["fail_on"] = table["fail-on"]
    if "exclude" in table:
        exclude = table["exclude"]
        if not isinstance(exclude, list) or not all(isinstance(x, str) for x in exclude):
            raise ConfigError(f"{source}: 'exclude' must be a list of glob strings")
        changes["exclude"] = tuple(exclude)
    if changes:
        config = replace(config, **changes)
    fields = table.get("fields")
    if fields is not None:
        if not isinstance(fields, dict) or not all(
            isinstance(v, list) and all(isinstance(n, str) for n in v) for v in fields.values()
        ):
            raise ConfigError(f"{source}: 'fields' must map relations to lists of names")
        try:
            config = config.with_fields({**{r: [r] for r in RELATIONS}, **fields})
        except ConfigError as exc:
            raise ConfigError(f"{source}: {exc}") from None
    return config


def _string_list(value: object, key: str, source: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{source}: '{key}' must be a list of strings")
    return tuple(value)


def load_config(root: Path) -> Config:
    """Read the configuration at a vault root; the defaults when there is none."""
    for name in CONFIG_FILES:
        path = root / name
        if path.is_file() and not path.is_symlink():
            table = _read_table(path)
            if table is not None:
                return config_from_mapping(table, source=os.path.abspath(path))
    return Config()


def read_config(path: Path) -> Config:
    """Read a configuration file named by the user (``--config``): a ``kg.toml``-style file, or a
    ``pyproject.toml`` whose ``[tool.kg]`` table is used (the defaults when it has none).

    Raises
    ------
    ConfigError
        If the file cannot be read or holds an invalid configuration; the message names its full path.
    """
    table = _read_table(path)
    return config_from_mapping(table or {}, source=os.path.abspath(path))


def find_vault_root(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that holds ``.obsidian/``, ``kg.toml`` or
    ``.kg.toml`` (as git and ruff find their roots); None when no folder up to the file system's
    root does."""
    start = Path(os.path.abspath(start))
    for folder in (start, *start.parents):
        if (folder / ".obsidian").is_dir() or any((folder / name).is_file() for name in ROOT_MARKERS[1:]):
            return folder
    return None
