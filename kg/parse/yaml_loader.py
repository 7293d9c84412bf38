"""The YAML loader of the frontmatter reader (:mod:`kg.parse.frontmatter`): PyYAML's C safe loader
with YAML 1.2's core schema, duplicate keys refused and plain trees built directly.

It lives apart from the reader so that the reader can be compiled by mypyc (``setup.py``): a
subclass of PyYAML's C loader cannot be, and stays interpreted here.
"""

from __future__ import annotations

import re

import yaml
from frontmatter.default_handlers import YAMLHandler

from kg.parse.simple_yaml import CORE_SCHEMA, core_int

__all__ = ["load_yaml"]

_YAML = YAMLHandler()
_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_TAG = "tag:yaml.org,2002:"


def _core_int(constructor: yaml.constructor.SafeConstructor, node: yaml.ScalarNode) -> int:
    """An integer of the YAML 1.2 core schema (:func:`kg.parse.simple_yaml.core_int`)."""
    return core_int(node.value)


_SCALARS = {
    _TAG + name: yaml.constructor.SafeConstructor.yaml_constructors[_TAG + name]
    for name in ("null", "bool", "float", "timestamp")
}
"""The safe constructors of plain scalars: each reads its node's value and nothing else."""
_SCALARS[_TAG + "int"] = _core_int

_TREE_DEPTH = 100


class _NotATree(Exception):
    """The document holds something :meth:`_Loader.construct_document`'s shortcut does not build."""


class _DuplicateKey(yaml.constructor.ConstructorError):
    """A mapping names a key twice. Obsidian's YAML library (eemeli/yaml) refuses the whole
    document ("Map keys must be unique"); PyYAML would keep the last value silently (spec B10.1)."""

    def __init__(self, key: object, node: yaml.Node):
        super().__init__(None, None, f"duplicate key '{key}'", node.start_mark)


def _unique(mapping: dict[object, object], key: object, node: yaml.Node) -> object:
    """``key``, unless ``mapping`` already holds it."""
    if key in mapping:
        raise _DuplicateKey(key, node)
    return key


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """PyYAML's C safe loader, except that a mapping or list used as a key (valid YAML, as in a
    template's ``created: {{date}}``) becomes its string form instead of an error."""

    def construct_document(self, node: yaml.Node) -> object:
        """Build a document that is a plain tree directly; any other through PyYAML's constructor.

        PyYAML's constructor is general: it remembers every node (for aliases), defers each list
        and mapping to a generator (for recursive ones) and looks each tag up twice, which costs
        more than parsing the text. Frontmatter is nearly always a tree of mappings, lists and
        plain scalars, which :meth:`_tree` builds with the same constructors for the scalars.
        Anything else (an alias, a merge key, another tag, a key that is not a scalar, an error
        such as an invalid date, whose message depends on PyYAML's order) goes the general way.
        """
        try:
            return self._tree(node, set(), 0)
        except _DuplicateKey:
            raise
        except Exception:  # noqa: BLE001 - the general constructor gives the result, or the same error
            return super().construct_document(node)

    def _tree(self, node: yaml.Node, seen: set[yaml.Node], depth: int) -> object:
        if depth > _TREE_DEPTH or node in seen:  # nodes hash by identity
            raise _NotATree  # deep nesting, or a node met twice (an alias)
        seen.add(node)
        kind, tag = type(node), node.tag
        if kind is yaml.ScalarNode:
            if tag == _TAG + "str":
                return node.value
            return _SCALARS[tag](self, node)  # KeyError for other tags: the general way
        if kind is yaml.SequenceNode and tag == _TAG + "seq":
            return [self._tree(child, seen, depth + 1) for child in node.value]
        if kind is yaml.MappingNode and tag == _TAG + "map":
            mapping: dict[object, object] = {}
            for key_node, value_node in node.value:
                if type(key_node) is not yaml.ScalarNode or key_node.tag in (_TAG + "merge", _TAG + "value"):
                    raise _NotATree
                key = _unique(mapping, self._tree(key_node, seen, depth + 1), key_node)
                mapping[key] = self._tree(value_node, seen, depth + 1)
            return mapping
        raise _NotATree

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[object, object]:
        self.flatten_mapping(node)
        mapping: dict[object, object] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, (list, dict, set)):
                key = yaml.safe_dump(key, default_flow_style=True).strip()
            mapping[_unique(mapping, key, key_node)] = self.construct_object(value_node, deep=deep)
        return mapping


_Loader.yaml_implicit_resolvers = {}  # the core schema's, not PyYAML's YAML 1.1 ones
for _name, _pattern, _first in CORE_SCHEMA:  # the same patterns as the simple reader's
    _Loader.add_implicit_resolver(_TAG + _name, re.compile(f"^(?:{_pattern})$"), _first)
_Loader.add_constructor(_TAG + "int", _core_int)


def load_yaml(text: str) -> object:
    """The document ``text`` holds, read by :class:`_Loader`; raises PyYAML's errors."""
    return _YAML.load(text, Loader=_Loader)
