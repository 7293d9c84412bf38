"""The exceptions kg raises. The CLI turns each into a one-line ``Error: ...``: exit code 2 for a
missing vault, a bad configuration or an ambiguous name; 1 when a named note or a path is not found."""

from __future__ import annotations

__all__ = ["AmbiguousNote", "ChangeRefused", "ConfigError", "KgError", "NoPath", "NoteNotFound", "VaultNotFound"]


class KgError(Exception):
    """Root of every error kg raises on purpose."""


class VaultNotFound(KgError):
    """The vault path does not exist or is not a folder."""


class ConfigError(KgError):
    """A kg configuration file or option is invalid."""


class NoteNotFound(KgError):
    """No note, attachment or unresolved link target matches the name a user gave."""

    def __init__(self, name: str, suggestions: tuple[str, ...] = ()):
        self.name = name
        """The name as the user wrote it."""
        self.suggestions = suggestions
        """The closest names in the vault, best first (at most a few)."""
        hint = f"; did you mean {_one_of(suggestions)}?" if suggestions else ""
        super().__init__(f"no note matches '{name}'{hint}")


class AmbiguousNote(KgError):
    """A name fits several notes equally well; the user has to pick one (by path)."""

    def __init__(self, name: str, matches: tuple[str, ...]):
        self.name = name
        """The name as the user wrote it."""
        self.matches = matches
        """The vault paths (or ghost ids) it fits, sorted."""
        listed = ", ".join(f"'{m}'" for m in matches)
        super().__init__(f"'{name}' matches {len(matches)} notes: {listed}")


class NoPath(KgError):
    """Two nodes of the vault graph are not connected."""

    def __init__(self, source: str, target: str):
        self.source = source
        """Where the search started (a vault path or ghost id)."""
        self.target = target
        """Where it had to arrive."""
        super().__init__(f"no path between '{source}' and '{target}'")


def _one_of(names: tuple[str, ...]) -> str:
    """``'a'``, ``'a' or 'b'``, ``'a', 'b' or 'c'``."""
    quoted = [f"'{name}'" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


class ChangeRefused(KgError):
    """``kg mv`` or ``kg lint --fix`` cannot make its change safely; nothing was changed."""
