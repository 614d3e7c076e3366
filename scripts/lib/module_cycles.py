#!/usr/bin/env python3
"""Finds import cycles between the modules of one crate, from `cargo modules dependencies` output.

Reads the DOT graph on stdin: "owns" edges give each item its module; "uses" edges (a `use`
or a path in code) are collapsed to module → module. A module using something of its own
descendants is structure (a parent re-exporting its children), not a dependency, and is left
out; every other edge counts, including a child using its parent's own items. Prints each cycle
(strongly connected component of two or more modules) and exits 1 if there is one.
"""

import re
import sys
from collections import defaultdict

EDGE = re.compile(r'^\s*"([^"]+)" -> "([^"]+)" \[label="(owns|uses)"')
NODE = re.compile(r'^\s*"([^"]+)" \[label="([^"|]*)\|')


def main() -> int:
    kinds, owner, uses = {}, {}, []
    for line in sys.stdin:
        if m := EDGE.match(line):
            src, dst, kind = m.groups()
            if kind == "owns":
                owner[dst] = src
            else:
                uses.append((src, dst))
        elif m := NODE.match(line):
            kinds[m.group(1)] = m.group(2)
    is_module = lambda n: kinds.get(n, "").split()[-1:] in (["mod"], ["crate"])

    def module_of(node):
        while node in owner and not is_module(node):
            node = owner[node]
        return node

    graph = defaultdict(set)
    for src, dst in uses:
        a, b = module_of(src), module_of(dst)
        if a != b and not b.startswith(a + "::"):
            graph[a].add(b)

    cycles = strongly_connected(graph)
    for cycle in cycles:
        print("cycle: " + " <-> ".join(sorted(cycle)))
        for a in sorted(cycle):
            for b in sorted(graph[a] & cycle):
                print(f"    {a} -> {b}")
    return 1 if cycles else 0


def strongly_connected(graph):
    """Tarjan's algorithm, iterative; returns the components of two or more nodes."""
    index, low, on_stack, stack, found, counter = {}, {}, set(), [], [], [0]
    nodes = set(graph) | {b for bs in graph.values() for b in bs}
    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.get(root, ()))))]
        index[root] = low[root] = counter[0]
        counter[0] += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


if __name__ == "__main__":
    sys.exit(main())
