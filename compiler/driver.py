"""The compiler pipeline: lower, fold, dedupe, schedule, allocate, bound (then emit, export)."""

from __future__ import annotations

from dataclasses import dataclass

from ..ir.graph import Graph
from ..ir.machine import Machine
from .allocate import allocate
from .bound import Bound, prove_bound
from .dedupe import dedupe
from .fold import fold
from .lower import lower
from .schedule import schedule


@dataclass
class Compiled:
    """A machine compiled to 23 layers: the scheduled graph, its layers, and the float32 proof."""

    machine: Machine
    graph: Graph
    layers: list[list[str]]  # layers[0] is the state, layers[1..23] the neuron nodes
    bound: Bound


def compile_machine(machine: Machine) -> Compiled:
    """The machine's step through every pass, from lowering to the proved bound."""
    graph = lower(machine)
    fold(graph)
    dedupe(graph)
    schedule(graph)
    layers = allocate(graph)
    return Compiled(machine, graph, layers, prove_bound(graph, layers))
