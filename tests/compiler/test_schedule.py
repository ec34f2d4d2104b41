"""schedule: every neuron in a layer of its stage's window, pass chains across skipped layers,
dead neurons pruned, and a gadget that cannot fit its window refused."""

from __future__ import annotations

import numpy as np
import pytest

from loopmlp.compiler.fold import fold
from loopmlp.compiler.schedule import ScheduleError, _prune, schedule
from loopmlp.ir.evaluate import evaluate
from loopmlp.ir.graph import DEPTH, GADGET, LAYER, Graph, stage_windows
from loopmlp.ir.machine import Machine

MACHINE = Machine(4, 16)


def staged() -> Graph:
    """pc -> a fetch gadget -> a branch gadget -> next halted; and a carry of pc -> next pc."""
    g = Graph(MACHINE)
    early = g.neurons("early", g.field("pc").sum(), "test", "fetch", "in fetch")
    late = g.neurons("late", early - 1, "test", "branch", "in branch")
    g.output("halted", late)
    g.output("pc", g.neurons("carried", g.field("pc"), "pass", None, "a carry"))
    return g


def test_each_gadget_goes_as_early_as_its_stage_and_inputs_allow():
    g = staged()
    schedule(g)
    layer = {n: a[LAYER] for n, a in g.g.nodes(data=True)}
    assert layer["early"] == stage_windows()["fetch"][0] == 1
    assert layer["late"] == stage_windows()["branch"][0]
    assert layer["carried"] == 1  # a carry (no stage) goes as early as possible
    assert layer["out.halted"] == layer["out.pc"] == DEPTH


def test_every_edge_joins_consecutive_layers_through_shared_pass_chains():
    g = staged()
    g.output("stepped", g.neurons("again", g.field("pc").sum(), "test", "branch", "reads pc late"))
    schedule(g)
    for src, dst in g.g.edges():
        assert g.g.nodes[dst][LAYER] == g.g.nodes[src][LAYER] + 1, (src, dst)
    passes = [n for n, a in g.g.nodes(data=True) if a.get(GADGET) == "pass" and "@" in n]
    assert passes and all(g.g.in_degree(n) == 1 for n in passes)
    # one chain carries "early" from layer 1 to the branch stage, not one per reader
    assert len([n for n in passes if n.startswith("early@")]) == stage_windows()["branch"][0] - 2


def test_schedule_keeps_what_the_step_computes():
    g = staged()
    x = np.random.default_rng(2).integers(0, 2, (32, g.layout.size))
    want, _ = evaluate(g, x)
    fold(g)
    schedule(g)
    got, _ = evaluate(g, x)
    assert (got == want).all()


def test_prune_drops_only_what_no_output_depends_on():
    g = staged()
    g.neurons("dead", g.field("pc").sum(), "test", "fetch", "read by no one")
    dead_end = g.neurons("dead_end", g.field("mem").sum(), "test", "fetch", "feeds only dead")
    g.neurons("dead2", dead_end, "test", "operand_read", "read by no one")
    _prune(g.g)
    assert not {"dead", "dead_end", "dead2"} & set(g.g)
    assert {"early", "late", "carried", "out.halted", "out.pc", "state.mem"} <= set(g.g)


def test_a_gadget_past_its_stage_window_is_refused():
    g = Graph(MACHINE)
    x = g.field("pc").sum()
    for i in range(3):  # three fetch gadgets in a row need layer 3; fetch ends at layer 2
        x = g.neurons(f"f{i}", x, "test", "fetch", "a fetch gadget")
    g.output("halted", x)
    with pytest.raises(ScheduleError, match="past stage fetch"):
        schedule(g)
