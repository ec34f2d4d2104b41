"""The exact evaluator: runs an IR graph (before or after any pass) on int64 numpy states."""

from __future__ import annotations

import networkx as nx
import numpy as np

from .graph import BIAS, INPUT, KIND, LINEAR, MAP, OUTPUT, SHAPE, Graph


def evaluate(graph: Graph, states: np.ndarray, keep: bool = False) -> tuple[np.ndarray, dict]:
    """One step on a batch of states (B, S) -> next states (B, S); every node's value if `keep`."""
    g, layout = graph.g, graph.layout
    states = np.asarray(states, dtype=np.int64)
    batch = states.shape[0]
    values: dict[str, np.ndarray] = {}
    for name in nx.topological_sort(g):
        attrs = g.nodes[name]
        if attrs[KIND] == INPUT:  # "state.<field>": the field as the layout stores it
            values[name] = layout.get(states, name.removeprefix("state."))
            continue
        pre = np.broadcast_to(attrs[BIAS], (batch, *attrs[SHAPE])).copy()
        for src, _, data in g.in_edges(name, data=True):
            pre += data[MAP].apply(values[src])
        values[name] = pre if attrs[KIND] == LINEAR else np.maximum(pre, 0)
    out = np.zeros_like(states)
    for name, attrs in g.nodes(data=True):
        if attrs.get(OUTPUT):
            layout.set(out, attrs[OUTPUT], values[name])
    return out, (values if keep else {})
