"""The loading pipeline reads in one direction: scan -> parse -> cache -> vault -> graph, composed by
the loader. Checked on the source itself, so that an import that closes a circle cannot land.

Every import counts: at module level, inside functions, and under ``TYPE_CHECKING``. One import
goes back, by design: :attr:`kg.vault.Vault.graph` (a public attribute) imports :mod:`kg.graph`
when first read; :mod:`kg.graph` itself never imports the vault at run time, so no circle forms.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kg"

CHAIN = ("kg.scan", "kg.parse", "kg.cache", "kg.vault", "kg.graph", "kg.snapshot", "kg.load")
"""The stages in order: each may import the ones before it, never one after it. A package
(``kg.parse``) stands for every module in it."""

BACK = {("kg.vault", "kg.graph")}
"""The imports that go back, with why in the module's docstring."""


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in PACKAGE.rglob("*.py")}


def _target(name: str) -> str | None:
    """The kg module that importing ``name`` runs (``kg.parse.fast`` for ``kg.parse.fast.read``)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _under_type_checking(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


@lru_cache(maxsize=None)
def imports(module: str, *, typing: bool = True) -> frozenset[str]:
    """The kg modules that ``module`` imports anywhere in its source (with ``typing``: also those
    imported for type checkers only)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if not typing and _under_type_checking(node, parents):
            continue
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1], *filter(None, [base])])
            names = [f"{base}.{alias.name}" for alias in node.names] + [base]
        for name in names:
            target = _target(name)
            if target is not None and target not in ("kg", module):
                found.add(target)
    return frozenset(found)


def stage(module: str) -> int | None:
    """The module's place in :data:`CHAIN`, or None for a module outside it (model, config...)."""
    for number, name in enumerate(CHAIN):
        if module == name or module.startswith(name + "."):
            return number
    return None


def _stage_name(module: str) -> str:
    number = stage(module)
    return CHAIN[number] if number is not None else module


@pytest.mark.parametrize("module", sorted(m for m in MODULES if stage(m) is not None))
def test_no_stage_imports_a_later_one(module):
    here = stage(module)
    later = sorted(
        target for target in imports(module)
        if (stage(target) or -1) > here and (_stage_name(module), _stage_name(target)) not in BACK
    )
    assert later == [], f"{module} imports {later}, later in {' -> '.join(CHAIN)}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if stage(m) is not None))
def test_no_stage_reaches_a_later_one_through_other_modules(module):
    """At run time, through any chain of imports (the back import of :data:`BACK` left out)."""
    here, seen, todo = stage(module), {module}, [module]
    while todo:
        current = todo.pop()
        for target in imports(current, typing=False):
            if (_stage_name(current), _stage_name(target)) in BACK or target in seen:
                continue
            seen.add(target)
            todo.append(target)
    later = sorted(target for target in seen if (stage(target) or -1) > here)
    assert later == [], f"{module} reaches {later}, later in {' -> '.join(CHAIN)}"


def test_the_vault_knows_neither_the_cache_nor_the_loader():
    assert imports("kg.vault") & {"kg.cache", "kg.load"} == set()


def test_the_one_back_import_is_made_on_first_use_and_closes_no_circle():
    assert imports("kg.graph", typing=False) & {"kg.vault", "kg.cache", "kg.load"} == set()
    tree = ast.parse(MODULES["kg.vault"].read_text(encoding="utf-8"))
    top_level = {_target(node.module or "") for node in tree.body if isinstance(node, ast.ImportFrom)}
    assert "kg.graph" not in top_level


def test_the_checker_sees_imports_in_functions_and_for_type_checkers():
    """The checker itself: a function-level import and a TYPE_CHECKING one are found."""
    assert "kg.graph" in imports("kg.vault")  # inside Vault.graph
    assert "kg.vault" in imports("kg.graph") and "kg.vault" not in imports("kg.graph", typing=False)
    assert stage("kg.parse.fast") == 1 and stage("kg.model") is None
