"""schedule: place every gadget in one of the 23 layers, inside its stage's window.

A gadget goes as early as its inputs allow (one layer after the latest of them), but not
before its stage's first layer; past the stage's last layer is a compile error. Carries
(stage None) go as early as possible; the next state's fields go in the last layer. An edge
that skips layers gets a chain of pass neurons (ReLU(x) = x for x >= 0), one per layer,
shared by every consumer of the same source.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from ..ir.graph import (
    BIAS,
    DEPTH,
    DOC,
    GADGET,
    INPUT,
    KIND,
    LAYER,
    MAP,
    NEURONS,
    OUTPUT,
    SHAPE,
    STAGE,
    Graph,
    stage_of_layer,
    stage_windows,
)
from ..ir.maps import identity


class ScheduleError(RuntimeError):
    """A gadget that cannot be placed within the 23 layers or its stage's window."""

    pass


def _prune(g: nx.MultiDiGraph) -> None:
    """Drop neurons that no field of the next state depends on."""
    live = set()
    for name, attrs in g.nodes(data=True):
        if attrs.get(OUTPUT):
            live |= nx.ancestors(g, name) | {name}
    dead = [n for n, a in list(g.nodes(data=True)) if a[KIND] == NEURONS and n not in live]
    g.remove_nodes_from(dead)


def schedule(graph: Graph) -> None:
    """Prune dead neurons, set every node's LAYER and insert pass chains (in place)."""
    g = graph.g
    _prune(g)
    windows = stage_windows()
    for name in nx.topological_sort(g):
        attrs = g.nodes[name]
        if attrs[KIND] == INPUT:
            continue
        earliest = 1 + max((g.nodes[p][LAYER] for p in g.predecessors(name)), default=0)
        if attrs.get(OUTPUT):
            layer = DEPTH
        elif attrs[STAGE] is None:
            layer = earliest
        else:
            first, last = windows[attrs[STAGE]]
            layer = max(first, earliest)
            if layer > last:
                raise ScheduleError(
                    f"gadget {name} ({attrs[GADGET]}) needs layer {layer}, past stage "
                    f"{attrs[STAGE]}'s layers {first}-{last}"
                )
        if layer < earliest or (layer == DEPTH and not attrs.get(OUTPUT)):
            raise ScheduleError(
                f"{name} cannot be placed: needs layer {earliest}, depth is {DEPTH}"
            )
        attrs[LAYER] = layer
    _insert_passes(graph)


def _insert_passes(graph: Graph) -> None:
    g = graph.g
    for src, dst, key, data in list(g.edges(keys=True, data=True)):
        start, end = g.nodes[src][LAYER], g.nodes[dst][LAYER]
        if end - start == 1:
            continue
        prev = src
        shape = g.nodes[src][SHAPE]
        for layer in range(start + 1, end):
            carrier = f"{src}@{layer}"
            if carrier not in g:
                g.add_node(
                    carrier,
                    **{
                        KIND: NEURONS,
                        SHAPE: shape,
                        BIAS: np.zeros(shape, np.int64),
                        GADGET: "pass",
                        STAGE: stage_of_layer(layer),
                        LAYER: layer,
                        DOC: f"carry {src} to layer {layer + 1}",
                    },
                )
                g.add_edge(prev, carrier, **{MAP: identity(shape)})
            prev = carrier
        g.remove_edge(src, dst, key)
        g.add_edge(prev, dst, **{MAP: data[MAP]})
