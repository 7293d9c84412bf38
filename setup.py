"""kg's build: pure Python, or with ``KG_COMPILE=1`` its hot modules compiled by mypyc, as black
ships. The source is the same; the ``.py`` files stay in the wheel as the fallback. Without a C
compiler the build says so in one line and installs the pure-Python build."""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile

from setuptools import setup

COMPILED = [
    "kg/parse/comments.py",
    "kg/parse/fast.py",
    "kg/parse/fields.py",
    "kg/parse/frontmatter.py",
    "kg/parse/markdown.py",
    "kg/parse/simple_yaml.py",
    "kg/parse/source.py",
    "kg/parse/wikilinks.py",
    "kg/resolve.py",
]
"""The modules mypyc compiles: the parser's and the resolver's, where the time goes. The records
(``kg.model``) stay interpreted: mypyc's dataclasses are slower to build; so does the frontmatter
reader's YAML loader (``kg/parse/yaml_loader.py``), a subclass of PyYAML's C loader, which mypyc
cannot compile. So do the modules a note needs rarely (math, inline footnotes, Markdown link
destinations) and canvas reading: compiling them lengthened the build by a tenth for no time a
lint of notes measures."""


def wanted() -> bool:
    """Whether this build compiles: ``KG_COMPILE`` set to anything but ``0``."""
    return os.environ.get("KG_COMPILE", "0") not in ("", "0")


def have_compiler() -> bool:
    """Whether a C compiler works here: try one on an empty function."""
    from setuptools._distutils.ccompiler import new_compiler
    from setuptools._distutils.sysconfig import customize_compiler

    compiler = new_compiler()
    customize_compiler(compiler)
    with tempfile.TemporaryDirectory() as folder:
        source = os.path.join(folder, "probe.c")
        with open(source, "w", encoding="ascii") as out:
            out.write("int kg_probe(void) { return 0; }\n")
        try:
            compiler.compile([source], output_dir=folder)
        except Exception:  # noqa: BLE001  (any failure: no usable compiler)
            return False
    return True


def ext_modules() -> list:
    if not wanted():
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:  # asked before the build installs mypy (build_backend/kg_build.py), or installed without it
        print("kg: mypyc is not installed, building pure Python", file=sys.stderr)
        return []
    if not have_compiler():
        print("kg: no working C compiler, installing the pure-Python build", file=sys.stderr)
        return []

    return mypycify(COMPILED, opt_level="3", debug_level="0")


def options() -> dict:
    """A compiled build works in a folder of its own: compiled modules left in setuptools' usual
    ``build/lib`` would go into a later pure wheel. The folder is named after the list of compiled
    modules: a module compiled by an earlier build and no longer listed would otherwise go into
    the wheel from the folder, in place of its source."""
    if not wanted():
        return {}
    modules = hashlib.sha256("\n".join(COMPILED).encode()).hexdigest()[:12]
    return {"build": {"build_base": f"build/mypyc-{modules}"}}


if __name__ == "__main__":  # as setuptools runs it; tests import it
    setup(ext_modules=ext_modules(), options=options())
