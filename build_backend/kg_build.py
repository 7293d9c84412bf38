"""kg's build backend: setuptools', asking for mypy only when the build compiles (``KG_COMPILE=1``,
see ``setup.py``), so that the default pure-Python install downloads nothing more."""

from __future__ import annotations

import os
from typing import Any

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F403  (every hook not redefined here)

MYPYC = "mypy>=1.15"
"""The compiler: mypy ships mypyc; 1.15 is the oldest tried here (Python 3.10 to 3.13)."""


def _compiling() -> bool:
    return os.environ.get("KG_COMPILE", "0") not in ("", "0")


def get_requires_for_build_wheel(config_settings: dict[str, Any] | None = None) -> list[str]:
    """Setuptools' requirements, and mypy when the wheel is to be compiled."""
    extra = [MYPYC] if _compiling() else []
    return [*_setuptools.get_requires_for_build_wheel(config_settings), *extra]


def build_editable(wheel_directory: str, config_settings: dict[str, Any] | None = None,
                   metadata_directory: str | None = None) -> str:
    """An editable install is always pure Python: compiled modules built in place would stand in
    for the source files being edited."""
    os.environ["KG_COMPILE"] = "0"
    return _setuptools.build_editable(wheel_directory, config_settings, metadata_directory)
