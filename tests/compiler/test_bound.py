"""bound: the per-layer bound is |bias| + sum |weights| (worked by hand), intermediate
values of a composed map count, and a bound reaching 2^24 is refused."""

from __future__ import annotations

import numpy as np
import pytest

from loopmlp.compiler.bound import FLOAT32_EXACT, prove_bound
from loopmlp.ir import maps as M
from loopmlp.ir.errors import LoopmlpError
from loopmlp.ir.graph import BIAS, KIND, MAP, NEURONS, SHAPE, Graph
from loopmlp.ir.machine import Machine

MACHINE = Machine(4, 16)


def one_neuron(bias: int, edge: M.LinearMap, shape: tuple[int, ...] = ()) -> tuple[Graph, list]:
    """A single neuron in layer 1 reading pc through `edge`."""
    g = Graph(MACHINE)
    g.g.add_node("n", **{KIND: NEURONS, SHAPE: shape, BIAS: np.full(shape, bias, np.int64)})
    g.g.add_edge("state.pc", "n", **{MAP: edge})
    return g, [["state.pc"], ["n"]]


def test_bound_is_bias_plus_absolute_weights():
    weights = M.MatMul((4,), np.array([[3, -5, 0, 2]]))  # 4 bits -> 1 value
    g, layers = one_neuron(-7, M.then(weights, M.Reshape((1,), ())))
    assert prove_bound(g, layers).per_layer == (7 + 3 + 5 + 0 + 2,)


def test_an_intermediate_value_larger_than_the_result_counts():
    wide = M.Scale((4,), np.array(1000))  # 4 bits, each up to 1000 ...
    then_small = M.MatMul((4,), np.array([[1, 0, 0, 0]]))  # ... then one of them kept
    g, layers = one_neuron(0, M.then(M.then(wide, then_small), M.Reshape((1,), ())))
    assert prove_bound(g, layers).worst == 1000


def test_a_bound_reaching_2_to_the_24_is_refused():
    g, layers = one_neuron(FLOAT32_EXACT - 1, M.Reduce((4,), (0,)))
    with pytest.raises(LoopmlpError, match="float32 would not be exact"):
        prove_bound(g, layers)
    g, layers = one_neuron(FLOAT32_EXACT - 5, M.Reduce((4,), (0,)))
    assert prove_bound(g, layers).worst == FLOAT32_EXACT - 1
