"""dedupe: merge neuron nodes that compute the same function of the same inputs."""

from __future__ import annotations

import hashlib

import networkx as nx

from ..ir.graph import BIAS, GADGET, KIND, MAP, NEURONS, OUTPUT, SHAPE, STAGE, Graph


def _signature(g: nx.MultiDiGraph, name: str) -> tuple:
    attrs = g.nodes[name]
    edges = sorted((src, repr(data[MAP].key())) for src, _, data in g.in_edges(name, data=True))
    return (
        attrs[GADGET],
        attrs[STAGE],
        attrs.get(OUTPUT),
        attrs[SHAPE],
        hashlib.sha1(attrs[BIAS].tobytes()).hexdigest(),
        tuple(edges),
    )


def dedupe(graph: Graph) -> int:
    """Keep the first of each set of identical nodes; returns how many were removed.

    Visiting in topological order makes the consumers of merged nodes identical in turn.
    """
    g = graph.g
    seen: dict[tuple, str] = {}
    removed = 0
    for name in list(nx.topological_sort(g)):
        if g.nodes[name][KIND] != NEURONS:
            continue
        sig = _signature(g, name)
        keep = seen.setdefault(sig, name)
        if keep == name:
            continue
        for _, dst, data in list(g.out_edges(name, data=True)):
            g.add_edge(keep, dst, **data)
        g.remove_node(name)
        removed += 1
    return removed
