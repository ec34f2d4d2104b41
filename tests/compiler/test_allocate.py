"""allocate: neurons packed contiguously per layer; the last layer is the state layout."""

from __future__ import annotations

import pytest

from loopmlp.compiler.allocate import allocate, size, width
from loopmlp.compiler.schedule import schedule
from loopmlp.ir.graph import DEPTH, OFFSET, SHAPE, Graph
from loopmlp.ir.machine import Machine

MACHINE = Machine(4, 16)


def identity_step() -> Graph:
    """Every field carried unchanged to the next state."""
    g = Graph(MACHINE)
    for name in g.layout.fields:
        g.output(name, g.field(name))
    return g


def test_layers_are_packed_from_zero_and_the_last_is_the_state_layout():
    g = identity_step()
    schedule(g)
    layers = allocate(g)
    assert len(layers) == DEPTH + 1
    for t in range(1, DEPTH):
        offset = 0
        for name in layers[t]:
            assert g.g.nodes[name][OFFSET] == offset
            offset += size(g.g.nodes[name][SHAPE])
        assert width(g, layers[t]) == offset
    assert [g.g.nodes[n]["output"] for n in layers[DEPTH]] == list(g.layout.fields)
    for name in layers[DEPTH]:
        assert g.g.nodes[name][OFFSET] == g.layout[g.g.nodes[name]["output"]].offset
    assert width(g, layers[DEPTH]) == g.layout.size == width(g, layers[0])
    offsets = sorted(f.offset for f in g.layout.fields.values())
    assert [g.g.nodes[n][OFFSET] for n in layers[0]] == offsets


def test_within_a_layer_stages_go_in_order_then_names():
    g = Graph(MACHINE)
    for name in g.layout.fields:
        g.output(name, g.field(name))
    fetch = g.neurons("z_fetch", g.field("pc").sum(), "test", "fetch", "in fetch")
    carry = g.neurons("a_carry", g.field("pc").sum(), "pass", None, "a carry")
    g.g.remove_node("out.halted")
    g.output("halted", g.neurons("join", fetch + carry, "test", "operand_read", "reads both"))
    schedule(g)
    layers = allocate(g)
    stages = [g.g.nodes[n].get("stage") for n in layers[1]]
    assert stages == sorted(stages, key=lambda s: s is not None)  # carries (no stage) first
    assert {"a_carry", "z_fetch"} <= set(layers[1])
    carries = [n for n in layers[1] if g.g.nodes[n].get("stage") is None]
    assert carries == sorted(carries)


def test_a_missing_state_field_is_refused():
    g = Graph(MACHINE)
    for name in list(g.layout.fields)[1:]:
        g.output(name, g.field(name))
    schedule(g)
    with pytest.raises(RuntimeError, match="not the state's fields"):
        allocate(g)
