"""fold: LINEAR nodes disappear; what every remaining node computes does not change."""

from __future__ import annotations

import numpy as np

from loopmlp.compiler.fold import fold
from loopmlp.ir.evaluate import evaluate
from loopmlp.ir.graph import BIAS, KIND, LINEAR, Graph
from loopmlp.ir.machine import Machine

MACHINE = Machine(4, 16)


def states(count: int = 64) -> np.ndarray:
    """Random bit states: `fold` must hold on every input, not only reachable ones."""
    size = Graph(MACHINE).layout.size
    return np.random.default_rng(0).integers(0, 2, (count, size))


def chain_graph() -> Graph:
    """pc -> linear (2*pc + 1) -> linear (sum) -> neurons (sum - 3) -> next pc's low bit."""
    g = Graph(MACHINE)
    doubled = g.linear("doubled", g.field("pc").scale(2) + 1, "2 pc + 1")
    total = g.linear("total", doubled.sum(), "sum of 2 pc_i + 1")
    fired = g.neurons("fired", total - 3, "test", None, "ReLU(sum - 3)")
    g.output("halted", fired)
    return g


def test_fold_removes_every_linear_node_and_keeps_the_others():
    g = chain_graph()
    before = {n for n, a in g.g.nodes(data=True) if a[KIND] != LINEAR}
    fold(g)
    assert set(g.g.nodes) == before
    assert not any(a[KIND] == LINEAR for _, a in g.g.nodes(data=True))


def test_fold_keeps_every_value():
    g, x = chain_graph(), states()
    _, want = evaluate(g, x, keep=True)
    fold(g)
    _, got = evaluate(g, x, keep=True)
    for name in g.g.nodes:
        assert (got[name] == want[name]).all(), name
    pc = x[:, g.layout["pc"].offset : g.layout["pc"].stop]
    assert (got["fired"] == np.maximum((2 * pc + 1).sum(axis=1) - 3, 0)).all()  # worked by hand


def test_fold_moves_a_linear_bias_into_its_consumer():
    g = chain_graph()
    fold(g)
    assert int(g.g.nodes["fired"][BIAS]) == 4 * 1 - 3  # four bits each + 1, then - 3
    assert g.g.has_edge("state.pc", "fired")


def test_fold_leaves_a_graph_without_linear_nodes_alone():
    g = Graph(MACHINE)
    g.output("halted", g.neurons("n", g.field("pc").sum(), "test", None, "sum"))
    edges = sorted((s, d, m.key()) for s, d, m in g.g.edges(data="map"))
    fold(g)
    assert sorted((s, d, m.key()) for s, d, m in g.g.edges(data="map")) == edges
