"""The gadget IR: a networkx dataflow graph of vector-level ReLU gadgets, and its contract.

Contract (the only attributes passes read or write):

Node attributes
- KIND: INPUT (one field of the state vector, named "state.<field>"), LINEAR (a sum of its
  in-edges plus bias, no ReLU; only before `fold`) or NEURONS (ReLU of the same: one neuron per
  array element).
- SHAPE: the array shape of the node's value (a tuple; () for a single neuron).
- BIAS: int64 array of SHAPE (LINEAR, NEURONS).
- GADGET: the gadget's name (NEURONS), e.g. "AND", "MATCH", "pass".
- STAGE: one of STAGES, or None for a carry that may sit in any layer (NEURONS).
- DOC: a one-line description (NEURONS, LINEAR).
- OUTPUT: the state-layout field this node produces (NEURONS in the last layer only).
- LAYER: 1..23, set by `schedule` (NEURONS); INPUT nodes are layer 0.
- OFFSET: index of the node's first neuron within its layer's vector, set by `allocate`
  (an INPUT node's is its field's offset in the state).

Edge attributes (a MultiDiGraph: several edges may join the same pair)
- MAP: a `LinearMap` from the source's value to a term of the target's pre-activation.

After `fold` there are no LINEAR nodes; after `schedule` every edge joins layer t-1 to t.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from . import maps as M
from .layout import StateLayout
from .machine import Machine

KIND, SHAPE, BIAS, GADGET, STAGE, DOC = "kind", "shape", "bias", "gadget", "stage", "doc"
OUTPUT, LAYER, OFFSET, MAP = "output", "layer", "offset", "map"
INPUT, LINEAR, NEURONS = "input", "linear", "neurons"

# The paper's six stages and their layer budgets: 23 layers in all.
STAGES: tuple[tuple[str, int], ...] = (
    ("fetch", 2),
    ("operand_read", 2),
    ("subtract", 7),
    ("write_back", 2),
    ("next_pc", 6),
    ("branch", 4),
)
DEPTH = sum(n for _, n in STAGES)


def stage_windows() -> dict[str, tuple[int, int]]:
    """Stage -> (first layer, last layer), 1-based."""
    windows, start = {}, 1
    for name, n in STAGES:
        windows[name] = (start, start + n - 1)
        start += n
    return windows


def stage_of_layer(layer: int) -> str:
    """The stage that layer `layer` (1..23) belongs to."""
    for name, (lo, hi) in stage_windows().items():
        if lo <= layer <= hi:
            return name
    raise ValueError(f"no layer {layer}")


def layer_name(layer: int) -> str:
    """`fetch_1`, `fetch_2`, `operand_read_1`, ..., `branch_4`."""
    stage = stage_of_layer(layer)
    return f"{stage}_{layer - stage_windows()[stage][0] + 1}"


@dataclass
class Affine:
    """An integer affine expression over graph nodes: sum of maps of node values, plus bias.

    Lowering builds gadgets' pre-activations from these; creating a node from one adds
    an edge per term. All terms map to `shape`.
    """

    terms: list[tuple[str, M.LinearMap]]
    bias: np.ndarray
    shape: tuple[int, ...] = field(default=())

    @staticmethod
    def const(value: int | np.ndarray, shape: tuple[int, ...] = ()) -> Affine:
        """A constant expression: no terms, `value` as its bias."""
        bias = np.broadcast_to(np.asarray(value, dtype=np.int64), shape).copy()
        return Affine([], bias, shape)

    def _coerce(self, other: Affine | int | np.ndarray) -> Affine:
        return other if isinstance(other, Affine) else Affine.const(other, self.shape)

    def __add__(self, other: Affine | int | np.ndarray) -> Affine:
        o = self._coerce(other)
        if o.shape != self.shape:
            raise ValueError(f"adding shapes {self.shape} and {o.shape}")
        return Affine(self.terms + o.terms, self.bias + o.bias, self.shape)

    __radd__ = __add__

    def __neg__(self) -> Affine:
        return self.scale(-1)

    def __sub__(self, other: Affine | int | np.ndarray) -> Affine:
        return self + (-self._coerce(other))

    def __rsub__(self, other: Affine | int | np.ndarray) -> Affine:
        return self._coerce(other) - self

    def __mul__(self, coef: int) -> Affine:
        return self.scale(coef)

    __rmul__ = __mul__

    def map(self, m: M.LinearMap) -> Affine:
        """m applied to the whole expression (to each term and to the bias)."""
        if m.in_shape != self.shape:
            raise ValueError(f"map expects {m.in_shape}, expression has {self.shape}")
        terms = [(src, M.then(t, m)) for src, t in self.terms]
        return Affine(terms, m.apply(self.bias[None])[0].copy(), m.out_shape)

    def scale(self, coef: int | np.ndarray) -> Affine:
        """Each element times `coef` (a constant broadcast to the shape)."""
        return self.map(M.Scale(self.shape, np.asarray(coef, dtype=np.int64)))

    def take(self, indices, axis: int = 0) -> Affine:
        """The elements at `indices` along `axis`."""
        return self.map(M.Take(self.shape, np.asarray(indices, dtype=np.int64), axis))

    def sum(self, axes: tuple[int, ...] | None = None) -> Affine:
        """The sum over `axes` (all axes by default)."""
        axes = tuple(range(len(self.shape))) if axes is None else axes
        return self.map(M.Reduce(self.shape, axes))

    def matmul(self, weight: np.ndarray) -> Affine:
        """`weight` (out x in) applied along the last axis."""
        return self.map(M.MatMul(self.shape, np.asarray(weight, dtype=np.int64)))

    def broadcast(self, out_shape: tuple[int, ...], new_axes: tuple[int, ...]) -> Affine:
        """Repeated along `new_axes` (positions in `out_shape`)."""
        return self.map(M.Broadcast(self.shape, out_shape, new_axes))

    def reshape(self, shape: tuple[int, ...]) -> Affine:
        """The same elements in `shape`."""
        return self.map(M.Reshape(self.shape, shape))


class Graph:
    """The IR graph under construction, with the machine it computes one step of."""

    def __init__(self, machine: Machine) -> None:
        self.machine = machine
        self.layout = StateLayout(machine)
        self.g = nx.MultiDiGraph()
        for f in self.layout.fields.values():
            attrs = {KIND: INPUT, SHAPE: f.shape, LAYER: 0, OFFSET: f.offset}
            self.g.add_node(f"state.{f.name}", **attrs)

    def field(self, name: str) -> Affine:
        """A field of the incoming state, as an expression."""
        shape = self.layout[name].shape
        return Affine([(f"state.{name}", M.identity(shape))], np.zeros(shape, np.int64), shape)

    def _add(self, name: str, expr: Affine, **attrs) -> Affine:
        if name in self.g:
            raise ValueError(f"node {name!r} already exists")
        self.g.add_node(name, **{SHAPE: expr.shape, BIAS: expr.bias.copy(), **attrs})
        for src, m in expr.terms:
            self.g.add_edge(src, name, **{MAP: m})
        return Affine([(name, M.identity(expr.shape))], np.zeros(expr.shape, np.int64), expr.shape)

    def linear(self, name: str, expr: Affine, doc: str) -> Affine:
        """Name a linear value (no neurons): it documents the dataflow and is folded away."""
        return self._add(name, expr, **{KIND: LINEAR, DOC: doc})

    def neurons(self, name: str, expr: Affine, gadget: str, stage: str | None, doc: str) -> Affine:
        """ReLU(expr), one neuron per element."""
        return self._add(name, expr, **{KIND: NEURONS, GADGET: gadget, STAGE: stage, DOC: doc})

    def output(self, field_name: str, expr: Affine) -> None:
        """The next state's field: a layer of carry neurons in the last layer."""
        self._add(
            f"out.{field_name}",
            expr,
            **{
                KIND: NEURONS,
                GADGET: "pass",
                STAGE: None,
                OUTPUT: field_name,
                DOC: f"next state: {field_name}",
            },
        )
