"""KG1xx: the concept hierarchy (`up`/`down` fields)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from kg.lint.finding import Hit
from kg.lint.registry import rule
from kg.model import Reference
from kg.graph import hierarchy_edges

if TYPE_CHECKING:
    import networkx as nx

    from kg.vault import Vault


def _declarations(vault: Vault) -> dict[tuple[str, str, str], tuple[int, Reference]]:
    """(source, target, ``up`` or ``down``) -> the first reference declaring it, with its index."""
    first: dict[tuple[str, str, str], tuple[int, Reference]] = {}
    for index, ref in enumerate(vault.references):
        relation = ref.link.relation
        if relation == "up" or relation == "down":
            first.setdefault((ref.source, ref.node, relation), (index, ref))
    return first


def _declaration(declared: dict[tuple[str, str, str], tuple[int, Reference]], child: str, parent: str) -> Reference | None:
    """The first link that makes `child up parent`: an `up` in the child or a `down` in the parent."""
    found = [d for d in (declared.get((child, parent, "up")), declared.get((parent, child, "down"))) if d is not None]
    return min(found, key=lambda d: d[0])[1] if found else None


def _has_cycle(edges: list[tuple[str, str]]) -> bool:
    """Whether the directed edges hold a cycle: Kahn's algorithm leaves some node unremoved."""
    indegree: dict[str, int] = {}
    successors: dict[str, list[str]] = {}
    for u, v in edges:
        successors.setdefault(u, []).append(v)
        indegree[v] = indegree.get(v, 0) + 1
        indegree.setdefault(u, 0)
    ready = [node for node, count in indegree.items() if count == 0]
    removed = 0
    while ready:
        node = ready.pop()
        removed += 1
        for after in successors.get(node, ()):
            indegree[after] -= 1
            if indegree[after] == 0:
                ready.append(after)
    return removed < len(indegree)


def _ordered_cycle(graph: nx.DiGraph, component: set[str]) -> list[str]:
    import networkx as nx

    start = min(component)
    edges = nx.find_cycle(graph.subgraph(component), source=start)
    nodes = [u for u, _ in edges]
    turn = nodes.index(min(nodes))
    return nodes[turn:] + nodes[:turn]


@rule("KG101", "hierarchy-cycle", "error")
def hierarchy_cycle(vault: Vault) -> Iterator[Hit]:
    """The `up` hierarchy loops back on itself.

    ## What it does
    Finds cycles in the `up` relation (`down` fields count as `up` in the other direction) and
    names the whole cycle, once per cycle, at the link that starts it.

    ## Why is this bad?
    A concept cannot be its own ancestor: trees, breadcrumbs and "what is above this" queries have no
    top to stop at.

    ## Example
    ```yaml
    # A.md                 # B.md
    up: "[[B]]"            up: "[[A]]"
    ```

    ## Use instead
    ```yaml
    # A.md                 # B.md
    up: "[[B]]"            up: "[[Root]]"
    ```
    """
    edges = [(u, v) for u, v, kind, _ in hierarchy_edges(vault) if kind == "up" and u != v]
    if not _has_cycle(edges):
        return  # the common case, found without loading NetworkX
    import networkx as nx

    graph = nx.DiGraph()  # the `up` edges alone: the whole graph is not needed to find their cycles
    graph.add_edges_from(edges)
    declared = _declarations(vault)  # not a pass over every reference per cycle
    for component in sorted(nx.strongly_connected_components(graph), key=min):
        if len(component) < 2:
            continue
        cycle = _ordered_cycle(graph, component)
        ref = _declaration(declared, cycle[0], cycle[1])
        if ref is None:
            continue
        shown = " -> ".join([*cycle, cycle[0]])
        yield Hit(ref.source, ref.link.span, f"'up' cycle: {shown}", shown)


@rule("KG102", "self-parent", "error")
def self_parent(vault: Vault) -> Iterator[Hit]:
    """Note names itself as its own parent or child.

    ## What it does
    Finds `up` or `down` fields that point at the note that holds them.

    ## Why is this bad?
    A note cannot sit above or below itself; usually a template was copied without changing the field.

    ## Example
    ```yaml
    # LLM.md
    up: "[[LLM]]"
    ```

    ## Use instead
    ```yaml
    # LLM.md
    up: "[[Generative model]]"
    ```
    """
    for ref in vault.references:
        if ref.link.relation in ("up", "down") and ref.path == ref.source:
            yield Hit(ref.source, ref.link.span, f"note names itself as its own '{ref.link.relation}'", ref.link.raw)


def problems(vault: Vault, kind: str) -> Iterator[Hit]:
    """Hits for the parse problems of one kind, in every note and every canvas."""
    for record in (*vault, *vault.canvases.values()):
        for problem in record.problems:
            if problem.kind == kind:
                yield Hit(record.path, problem.span, problem.message, problem.message)


@rule("KG103", "invalid-field-value")
def invalid_field_value(vault: Vault) -> Iterator[Hit]:
    """Hierarchy field holds something that is not a link.

    ## What it does
    Finds `up`, `down`, `same`, `next` and `prev` fields (frontmatter or `up::` inline
    fields) whose value is plain text, a number or a date instead of a wiki-link.

    ## Why is this bad?
    Breadcrumbs and kg make no edge from it, so the note silently drops out of the hierarchy.

    ## Example
    ```markdown
    up:: Machine learning
    ```

    ## Use instead
    ```markdown
    up:: [[Machine learning]]
    ```
    """
    yield from problems(vault, "invalid-field-value")


