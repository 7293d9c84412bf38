"""Questions about a vault's concepts, answered from its graph: the library side of ``kg`` queries.

Functions take the vault first, then nodes, networkx style, and return plain sorted values. A
node is a vault path (``Models/Generative/Overview.md``) or the id of a ghost (an unresolved
target); wherever a function takes one it also accepts a file name or an alias in any case and
script, found by :func:`lookup`.

>>> from kg.vault import Vault
>>> vault = Vault.from_texts({
...     "AI.md": "---\\naliases: [Искусственный интеллект]\\n---\\n",
...     "Models/Model.md": 'up:: [[AI]]', "Models/LLM.md": 'up:: [[Model]]',
... })
>>> ancestors(vault, "llm"), descendants(vault, "искусственный интеллект", depth=1)
(['AI.md', 'Models/Model.md'], ['Models/Model.md'])
"""

from __future__ import annotations

from kg.query.hierarchy import ancestors, children, descendants, hierarchy, parents, roots, siblings
from kg.query.links import Step, backlinks, links, shortest_path
from kg.query.lookup import find_notes, find_tagged, lookup, names, suggest
from kg.query.show import NoteInfo, heading_title, show
from kg.query.tree import Tree, generate_tree_json, generate_tree_text, tree

__all__ = [
    "NoteInfo",
    "Step",
    "Tree",
    "ancestors",
    "backlinks",
    "children",
    "descendants",
    "find_notes",
    "find_tagged",
    "generate_tree_json",
    "generate_tree_text",
    "heading_title",
    "hierarchy",
    "links",
    "lookup",
    "names",
    "parents",
    "roots",
    "shortest_path",
    "show",
    "siblings",
    "suggest",
    "tree",
]
