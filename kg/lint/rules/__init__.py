"""The rule modules; importing this package registers every rule, then orders them by code."""

from kg.lint.registry import RULES
from kg.lint.rules import files, hierarchy, links, metadata

_ordered = dict(sorted(RULES.items()))
RULES.clear()
RULES.update(_ordered)

__all__ = ["files", "hierarchy", "links", "metadata"]
