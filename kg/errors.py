"""The exceptions kg raises. The CLI turns each into a one-line ``Error: ...`` and exit code 2."""

from __future__ import annotations

__all__ = ["ConfigError", "KgError", "VaultNotFound"]


class KgError(Exception):
    """Root of every error kg raises on purpose."""


class VaultNotFound(KgError):
    """The vault path does not exist or is not a folder."""


class ConfigError(KgError):
    """A kg configuration file or option is invalid."""
