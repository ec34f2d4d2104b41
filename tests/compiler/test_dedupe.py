"""dedupe: identical neurons merge into one; anything that differs stays apart."""

from __future__ import annotations

import numpy as np

from loopmlp.compiler.dedupe import dedupe
from loopmlp.ir.evaluate import evaluate
from loopmlp.ir.graph import Graph
from loopmlp.ir.machine import Machine

MACHINE = Machine(4, 16)


def twins(bias_b: int = 0, gadget_b: str = "test", stage_b: str | None = None) -> Graph:
    """Two neurons over pc (the second one's bias, gadget and stage given), each read once."""
    g = Graph(MACHINE)
    a = g.neurons("a", g.field("pc").sum(), "test", None, "sum")
    b = g.neurons("b", g.field("pc").sum() + bias_b, gadget_b, stage_b, "sum")
    g.output("halted", a)
    g.output("stepped", b)
    return g


def test_identical_neurons_merge_and_their_readers_follow():
    g = twins()
    x = np.random.default_rng(1).integers(0, 2, (32, g.layout.size))
    want, _ = evaluate(g, x)
    assert dedupe(g) == 1
    assert "a" in g.g and "b" not in g.g
    assert set(g.g.successors("a")) == {"out.halted", "out.stepped"}
    got, _ = evaluate(g, x)
    assert (got == want).all()


def test_merging_cascades_to_readers_that_became_identical():
    g = Graph(MACHINE)
    a = g.neurons("a", g.field("pc").sum(), "test", None, "sum")
    b = g.neurons("b", g.field("pc").sum(), "test", None, "sum")
    g.output("halted", g.neurons("a2", a * 2, "test", None, "twice"))
    g.output("stepped", g.neurons("b2", b * 2, "test", None, "twice"))
    assert dedupe(g) == 2
    assert {"a", "a2"} <= set(g.g) and not {"b", "b2"} & set(g.g)


def test_neurons_that_differ_in_bias_gadget_or_stage_stay():
    for g in (twins(bias_b=1), twins(gadget_b="other"), twins(stage_b="fetch")):
        assert dedupe(g) == 0
        assert {"a", "b"} <= set(g.g)


def test_outputs_of_different_fields_are_never_merged():
    g = Graph(MACHINE)
    g.output("halted", g.field("stepped"))
    g.output("out_ready", g.field("stepped"))
    assert dedupe(g) == 0
    assert {"out.halted", "out.out_ready"} <= set(g.g)
