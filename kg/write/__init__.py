"""Safe rewrites of a vault: plan every edit, check, write atomically, prove, roll back.

``kg mv`` (:mod:`kg.mv`) and ``kg lint --fix`` (:mod:`kg.fix`) plan a :class:`Change`;
:func:`apply_change` makes it or leaves the vault as it was; :func:`render_diff` shows it.
"""

from kg.write.apply import apply_change, check_change
from kg.write.change import Change, FileChange, Stamp
from kg.write.diff import counts, render_diff

__all__ = ["Change", "FileChange", "Stamp", "apply_change", "check_change", "counts", "render_diff"]
