"""The finding record every lint rule produces."""

from __future__ import annotations

from typing import NamedTuple

from kg.model import Span

__all__ = ["Finding", "Hit"]


class Hit(NamedTuple):
    """What a rule reports, before the registry adds its code, name and severity."""

    path: str
    """Vault path of the file the finding is in."""
    span: Span
    """Where in that file."""
    message: str
    """Lower-case, no trailing period, the offending value quoted."""
    target: str = ""
    """What the finding is about (a link, an alias); with path and rule it keys the baseline."""


class Finding(NamedTuple):
    """One lint finding; tuples sort by path, then position, then code."""

    path: str
    """Vault-relative POSIX path."""
    line: int
    """1-based line."""
    col: int
    """1-based column, in characters."""
    end_line: int
    """1-based line where the offending text ends."""
    end_col: int
    """1-based column just past the offending text."""
    code: str
    """The rule's stable code, e.g. ``KG001``."""
    name: str
    """The rule's kebab-case name, e.g. ``broken-link``."""
    severity: str
    """``error``, ``warning`` or ``info``."""
    message: str
    """What is wrong."""
    target: str = ""
    """What the finding is about; used to match baselines, not shown."""

    def to_dict(self) -> dict[str, object]:
        """The JSON form (without ``target``)."""
        data = self._asdict()
        del data["target"]
        return data
