"""bound: prove that float32 computes every pre-activation exactly, by interval arithmetic.

Every state entry is a bit, and every neuron of every gadget outputs a bit on every
reachable state (each gadget's truth-table test checks this on all of its inputs). So
each input of a neuron lies in [0, 1], and its pre-activation satisfies
|W h + b| <= |b| + sum |W| * 1. The same bound holds for every partial sum, in any order,
and for the intermediate values of a factored map (each stage is bounded with |coefficients|).
float32 holds every integer below 2^24 exactly, so the network is exact if the largest
bound is below 2^24.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..ir.errors import LoopmlpError
from ..ir.graph import BIAS, MAP, SHAPE, Graph
from ..ir.maps import stages

FLOAT32_EXACT = 1 << 24


@dataclass(frozen=True)
class Bound:
    """The proved bound on every activation, per layer."""

    per_layer: tuple[int, ...]  # the largest |pre-activation| (or intermediate) in each layer

    @property
    def worst(self) -> int:
        """The largest bound over all layers."""
        return max(self.per_layer)


def prove_bound(graph: Graph, layers: list[list[str]]) -> Bound:
    """The bound of every layer, or a one-line error if float32 would not be exact."""
    g = graph.g
    per_layer = []
    for t in range(1, len(layers)):
        worst = 0
        for name in layers[t]:
            attrs = g.nodes[name]
            total = np.abs(attrs[BIAS]).astype(np.int64)
            for src, _, data in g.in_edges(name, data=True):
                x = np.ones((1, *g.nodes[src][SHAPE]), dtype=np.int64)
                for m in stages(data[MAP]):
                    x = m.abs().apply(x)
                    worst = max(worst, int(x.max(initial=0)))
                total = total + x[0]
            worst = max(worst, int(total.max(initial=0)))
        per_layer.append(worst)
    bound = Bound(tuple(per_layer))
    if bound.worst >= FLOAT32_EXACT:
        layer = per_layer.index(bound.worst) + 1
        raise LoopmlpError(
            f"{graph.machine.describe()}: layer {layer} may reach |pre-activation| {bound.worst} "
            f">= 2^24, so float32 would not be exact (this machine needs float64)"
        )
    return bound
