"""weights: the dense weights W_t (integers) and biases b_t of each layer, from the allocated
graph."""

from __future__ import annotations

import numpy as np

from ...ir.graph import BIAS, MAP, OFFSET, SHAPE, Graph
from ..allocate import size, width

SMALL = 32  # nodes of at most this many neurons are small (the factored form's dense blocks)


def held_swapped(shape: tuple[int, ...]) -> bool:
    """Whether a node of this shape is held with its two axes swapped: the wide two-axis nodes."""
    return len(shape) == 2 and size(shape) > SMALL


def held_order(shape: tuple[int, ...]) -> np.ndarray:
    """For each neuron of a node, in held order, its index in the C order of `shape`."""
    index = np.arange(size(shape)).reshape(shape)
    return (index.T if held_swapped(shape) else index).reshape(-1)


def dense_layer(graph: Graph, layers: list[list[str]], t: int) -> tuple[np.ndarray, np.ndarray]:
    """W_t (width_t x width_{t-1}) and b_t, int64: layer t computes ReLU(W_t h + b_t)."""
    g = graph.g
    w = np.zeros((width(graph, layers[t]), width(graph, layers[t - 1])), dtype=np.int64)
    b = np.zeros(w.shape[0], dtype=np.int64)
    for name in layers[t]:
        attrs = g.nodes[name]
        rows = slice(attrs[OFFSET], attrs[OFFSET] + size(attrs[SHAPE]))
        out_order = held_order(attrs[SHAPE])
        b[rows] = attrs[BIAS].reshape(-1)[out_order]
        for src, _, data in g.in_edges(name, data=True):
            s = g.nodes[src]
            cols = slice(s[OFFSET], s[OFFSET] + size(s[SHAPE]))
            w[rows, cols] += data[MAP].dense()[out_order][:, held_order(s[SHAPE])]
    return w, b


def dense_weights(graph: Graph, layers: list[list[str]]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Every layer's (W_t, b_t), t = 1..23."""
    return [dense_layer(graph, layers, t) for t in range(1, len(layers))]


def dense_size(graph: Graph, layers: list[list[str]]) -> int:
    """Number of entries in all W_t and b_t of the dense form (without building them)."""
    widths = [width(graph, nodes) for nodes in layers]
    return sum(widths[t] * widths[t - 1] + widths[t] for t in range(1, len(widths)))
