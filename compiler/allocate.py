"""allocate: give each neuron node its place (OFFSET) in its layer's vector."""

from __future__ import annotations

import numpy as np

from ..ir.graph import DEPTH, KIND, LAYER, NEURONS, OFFSET, OUTPUT, SHAPE, STAGES, Graph


def size(shape: tuple[int, ...]) -> int:
    """The number of elements of an array of `shape`."""
    return int(np.prod(shape, dtype=np.int64))


def allocate(graph: Graph) -> list[list[str]]:
    """The nodes of each layer in order (index 0 is the state). The last layer is the state's
    layout exactly, so the output of layer 23 is the next state."""
    g, layout = graph.g, graph.layout
    layers: list[list[str]] = [[] for _ in range(DEPTH + 1)]
    for name, attrs in g.nodes(data=True):
        if attrs[KIND] == NEURONS:
            layers[attrs[LAYER]].append(name)
    stage_rank = {name: i for i, (name, _) in enumerate(STAGES)}
    for t in range(1, DEPTH):
        layers[t].sort(key=lambda n: (stage_rank.get(g.nodes[n].get("stage"), -1), n))
        offset = 0
        for name in layers[t]:
            g.nodes[name][OFFSET] = offset
            offset += size(g.nodes[name][SHAPE])
    by_field = {g.nodes[n][OUTPUT]: n for n in layers[DEPTH]}
    if set(by_field) != set(layout.fields):
        raise RuntimeError(f"last layer holds {sorted(by_field)}, not the state's fields")
    layers[DEPTH] = [by_field[f] for f in layout.fields]
    for f in layout.fields.values():
        g.nodes[by_field[f.name]][OFFSET] = f.offset
    layers[0] = sorted(
        (n for n, a in g.nodes(data=True) if a[KIND] != NEURONS), key=lambda n: g.nodes[n][OFFSET]
    )
    return layers


def width(graph: Graph, nodes: list[str]) -> int:
    """The number of neurons of `nodes` together."""
    return sum(size(graph.g.nodes[n][SHAPE]) for n in nodes)
