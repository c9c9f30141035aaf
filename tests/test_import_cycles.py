"""No import cycles inside pcc_desk: the layers only hold if no module reaches back to its importer.

The graph is grimp's (the one import-linter checks), built from every ``import`` in the source,
those inside functions included; only imports under ``if TYPE_CHECKING:`` are left out, since they
never run.
"""

from __future__ import annotations

import grimp
import pytest


def _cycles(graph) -> list[list[str]]:
    """Strongly connected groups of two or more modules (Tarjan), each as one cycle through it."""
    modules = sorted(graph.modules)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0
    for root in modules:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            targets = edges[node]
            if i < len(targets):
                work.append((node, i + 1))
                child = targets[i]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return [_one_cycle(graph, group) for group in groups]


def _one_cycle(graph, group: list[str]) -> list[str]:
    """A concrete path a -> ... -> a through the group, to name in the failure."""
    start = group[0]
    members = set(group)
    for nxt in sorted(graph.find_modules_directly_imported_by(start) & members):
        chain = graph.find_shortest_chain(importer=nxt, imported=start)
        if chain:
            return [start, *chain]
    return group


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("pcc_desk", exclude_type_checking_imports=True, cache_dir=None)


def test_pcc_desk_has_no_import_cycle(graph):
    cycles = _cycles(graph)
    assert not cycles, "import cycles in pcc_desk:\n" + "\n".join(
        " -> ".join(cycle) for cycle in cycles
    )


def test_the_cycle_finder_finds_a_cycle_made_inside_a_function(tmp_path, monkeypatch):
    """The check itself: a package whose modules import each other (one of them inside a function)
    is caught and the cycle named; a chain without a way back is not."""
    package = tmp_path / "cyclepkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from cyclepkg import b\n")
    (package / "b.py").write_text("def later():\n    from cyclepkg import c\n")
    (package / "c.py").write_text("import cyclepkg.a\n")
    (package / "d.py").write_text("from cyclepkg import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    cycles = _cycles(grimp.build_graph("cyclepkg", cache_dir=None))
    assert len(cycles) == 1
    cycle = cycles[0]
    assert cycle[0] == cycle[-1] == "cyclepkg.a"
    assert set(cycle) == {"cyclepkg.a", "cyclepkg.b", "cyclepkg.c"}

    (package / "c.py").write_text("import json\n")
    assert _cycles(grimp.build_graph("cyclepkg", cache_dir=None)) == []
