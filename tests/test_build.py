"""The two builds: pure Python, and mypyc-compiled (``KG_COMPILE=1``). The suite runs against both
(``.ci/run``); each run asserts that it tests the build it was meant to test."""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import types
from pathlib import Path

import pytest

import kg

ROOT = Path(__file__).resolve().parent.parent


def _setup_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("kg_setup", ROOT / "setup.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_this_run_tests_the_build_it_was_asked_to():
    """``KG_EXPECT_BUILD=compiled`` (``scripts/test --compiled``) or ``pure`` (the default)."""
    compiled = os.environ.get("KG_EXPECT_BUILD", "pure") == "compiled"
    assert kg.__compiled__ is compiled
    for path in _setup_module().COMPILED:
        module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
        assert module.__file__ is not None and module.__file__.endswith(".py") is not compiled, module.__file__


def test_the_compiled_modules_are_kg_s_own():
    listed = _setup_module().COMPILED
    assert listed == sorted(listed) and all((ROOT / path).is_file() for path in listed)
    assert "kg/model.py" not in listed and "kg/parse/yaml_loader.py" not in listed


def test_a_c_compiler_is_found_only_where_it_works(monkeypatch):
    setup = _setup_module()
    assert setup.have_compiler() is True  # the compiled build's CI run needs one anyway
    monkeypatch.setenv("CC", "kg-no-such-compiler")
    assert setup.have_compiler() is False


def test_without_a_c_compiler_or_mypyc_the_build_is_pure(monkeypatch, capsys):
    setup = _setup_module()
    monkeypatch.setenv("KG_COMPILE", "1")
    monkeypatch.setitem(sys.modules, "mypyc.build", None)  # import fails
    assert setup.ext_modules() == []
    assert capsys.readouterr().err == "kg: mypyc is not installed, building pure Python\n"
    mypyc = types.ModuleType("mypyc.build")
    mypyc.mypycify = lambda *args, **kwargs: pytest.fail("compiled without a compiler")  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "mypyc.build", mypyc)
    monkeypatch.setattr(setup, "have_compiler", lambda: False)
    assert setup.ext_modules() == []
    assert capsys.readouterr().err == "kg: no working C compiler, installing the pure-Python build\n"


def test_the_default_build_compiles_nothing(monkeypatch):
    monkeypatch.delenv("KG_COMPILE", raising=False)
    assert _setup_module().ext_modules() == [] and _setup_module().options() == {}
    monkeypatch.setenv("KG_COMPILE", "0")
    assert _setup_module().ext_modules() == []


def test_a_compiled_build_keeps_its_files_apart(monkeypatch):
    monkeypatch.setenv("KG_COMPILE", "1")
    setup = _setup_module()
    folder = setup.options()["build"]["build_base"]
    assert folder.startswith("build/mypyc-")
    setup.COMPILED = setup.COMPILED[:-1]  # another list of modules: another folder, no stale module
    assert setup.options()["build"]["build_base"] not in (folder, "build")


@pytest.mark.parametrize("value, requires_mypy", [("1", True), ("0", False), ("", False)])
def test_the_build_asks_for_mypy_only_to_compile(monkeypatch, value, requires_mypy):
    spec = importlib.util.spec_from_file_location("kg_build", ROOT / "build_backend" / "kg_build.py")
    assert spec is not None and spec.loader is not None
    backend = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(backend)
    monkeypatch.setenv("KG_COMPILE", value)
    monkeypatch.setattr(backend._setuptools, "get_requires_for_build_wheel", lambda settings=None: [])
    assert (backend.get_requires_for_build_wheel() == [backend.MYPYC]) is requires_mypy
