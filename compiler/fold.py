"""fold: remove LINEAR nodes by chaining their maps into their consumers' edges and biases."""

from __future__ import annotations

import networkx as nx

from ..ir.graph import BIAS, KIND, LINEAR, MAP, Graph
from ..ir.maps import then


def fold(graph: Graph) -> None:
    """A linear value costs no layer: its consumers read its inputs directly.

    For L = sum_i m_i(x_i) + c consumed through m: m(L) = sum_i (m . m_i)(x_i) + m(c).
    """
    g = graph.g
    for name in list(nx.topological_sort(g)):
        if g.nodes[name][KIND] != LINEAR:
            continue
        bias = g.nodes[name][BIAS]
        inputs = [(src, data[MAP]) for src, _, data in g.in_edges(name, data=True)]
        for _, dst, data in list(g.out_edges(name, data=True)):
            m = data[MAP]
            g.nodes[dst][BIAS] = g.nodes[dst][BIAS] + m.apply(bias[None])[0]
            for src, m_in in inputs:
                g.add_edge(src, dst, **{MAP: then(m_in, m)})
        g.remove_node(name)
