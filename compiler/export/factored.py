"""export (factored form): the same 23 layers with each W_t emitted as structured blocks.

Every neuron of the dense form is here with the same pre-activation and the same ReLU; only
the way W_t h is computed differs: a map's structure (broadcast, sum, gather, small dense
block) becomes the matching ONNX op instead of a K*N-wide matrix. Two changes are exact
on every input vector, not only on reachable states (construction.md): a pass neuron whose
inputs are outputs of earlier ReLUs, with non-negative weights, skips its ReLU (it is the
identity there), and a chain of maps shared by several neurons is computed once per layer.
"""

from __future__ import annotations

import numpy as np
import onnx

from ...ir import maps as M
from ...ir.graph import BIAS, DEPTH, GADGET, MAP, OFFSET, SHAPE, layer_name
from ..allocate import size
from ..driver import Compiled
from .model import STATE_IN, STATE_OUT, Builder, finish_model, layer_doc, layer_table, state_info
from .stages import MapEmitter, Term

SMALL = 32  # nodes of at most this many neurons share one dense block per layer
Shape = tuple[int, ...]


def export_factored(compiled: Compiled, image: list[int] | None = None) -> onnx.ModelProto:
    """One step as a model: `state` (B, S) -> `next_state` (B, S)."""
    b = Builder()
    table = layer_table(compiled)
    emit_step(b, compiled, table, STATE_IN, STATE_OUT)
    state_size = state_width(compiled)
    return finish_model(b, compiled, "factored", [state_info(STATE_IN, state_size)],
                        [state_info(STATE_OUT, state_size)],
                        f"One SUBLEQ step of {compiled.machine.describe()}: 23 ReLU layers, factored weights",
                        image, table)


def state_width(compiled: Compiled) -> int:
    """S, the number of entries of the state vector."""
    return sum(size(compiled.graph.g.nodes[n][SHAPE]) for n in compiled.layers[DEPTH])


def emit_step(b: Builder, compiled: Compiled, table: list[dict], state_in: str, state_out: str) -> None:
    """Add the 23 layers' nodes to `b`, reading `state_in` (B, S) and writing `state_out`."""
    step = LayerEmitter(b, compiled, table)
    step.read_state(state_in)
    for t in range(1, DEPTH + 1):
        step.layer(t)
    step.write_state(state_out)


def _uniform(a: np.ndarray) -> bool:
    return a.size > 0 and bool(np.all(a == a.flat[0]))


def _nonnegative(m: M.LinearMap) -> bool:
    return m.key() == m.abs().key()


def _is_identity(m: M.LinearMap) -> bool:
    return isinstance(m, M.Scale) and m.is_identity


def _split_small(m: M.LinearMap) -> tuple[tuple[M.LinearMap, ...], M.LinearMap | None]:
    """(the stages until the value is small, the rest): the rest becomes dense weights."""
    parts = M.stages(m)
    if size(m.in_shape) <= SMALL:
        return (), m
    for i, part in enumerate(parts):
        if size(part.out_shape) <= SMALL:
            rest = parts[i + 1 :]
            return parts[: i + 1], (M.Chain(rest) if len(rest) > 1 else rest[0]) if rest else None
    raise ValueError("a small node's map never becomes small")


class LayerEmitter:
    """Emits the factored layers one at a time.

    In each layer, the wide nodes (memory-sized: matches, reads, writes, carries of memory)
    get structured ops, and all small nodes (control bits, adder terms, words) one dense
    block (`SmallBlock`). `pre` records where each node's pre-activation is: (tensor, first
    column in a block or None, shape).
    """

    def __init__(self, b: Builder, compiled: Compiled, table: list[dict]) -> None:
        self.b, self.compiled, self.g, self.table = b, compiled, compiled.graph.g, table
        self.tensors: dict[str, str] = {}
        self.blocks: dict[str, tuple[str, int]] = {}  # a small node -> (its layer's block, first column)
        self.block_width: dict[str, int] = {}  # a block's tensor -> its number of columns
        self.relu_outputs: set[str] = set()  # nodes whose value is known to be an output of a ReLU
        self.pre: dict[str, tuple[str, int | None, Shape]] = {}

    def tensor(self, name: str, prefix: str) -> str:
        """A node's own tensor (a small node's is sliced from its block on first use)."""
        if name not in self.tensors:
            b = self.b
            block, start = self.blocks[name]
            shape = self.g.nodes[name][SHAPE]
            piece = b.op("Slice", [block, b.const([start], np.int64, "start"),
                                   b.const([start + size(shape)], np.int64, "end"),
                                   b.const([1], np.int64, "axes")], prefix)
            self.tensors[name] = b.op("Reshape", [piece, b.const([0, *shape], np.int64, "shape")], prefix)
        return self.tensors[name]

    def read_state(self, state_in: str) -> None:
        """Each field of the state as its node's tensor."""
        b = self.b
        for name in self.compiled.layers[0]:
            attrs = self.g.nodes[name]
            off, n = attrs[OFFSET], size(attrs[SHAPE])
            piece = b.op("Slice", [state_in, b.const([off], np.int64, "start"),
                                   b.const([off + n], np.int64, "end"), b.const([1], np.int64, "axes")],
                         f"state/{name}")
            self.tensors[name] = b.op("Reshape", [piece, b.const([0, *attrs[SHAPE]], np.int64, "shape")],
                                      f"state/{name}")

    def write_state(self, state_out: str) -> None:
        """The last layer's nodes, flattened and concatenated in state order."""
        b = self.b
        flat = [b.op("Reshape", [self.tensor(n, "next_state"), b.const([0, -1], np.int64, "shape")], "next_state")
                for n in self.compiled.layers[DEPTH]]
        b.node("Concat", flat, state_out, f"{state_out}/concat", axis=1)

    def layer(self, t: int) -> None:
        """Layer t: identity carries alias their source, wide nodes get their own ops, the
        small nodes one block."""
        lname = layer_name(t)
        maps = MapEmitter(self.b)
        small = []
        for name in self.compiled.layers[t]:
            prefix = f"{lname}/{name}"
            if self._relu_free(name) and self._identity_carry(name, prefix):
                continue
            if size(self.g.nodes[name][SHAPE]) <= SMALL and t < DEPTH:
                small.append(name)
            else:
                self._wide(name, maps, prefix)
        if small:
            SmallBlock(self, small, f"{lname}/small_block", maps).emit()
        self.b.nodes[-1].doc_string += f" | end of {layer_doc(self.table[t - 1])}"

    def _edges(self, name: str) -> list[tuple[str, M.LinearMap]]:
        return [(src, data[MAP]) for src, _, data in self.g.in_edges(name, data=True)]

    def _relu_free(self, name: str) -> bool:
        """A pass neuron fed only ReLU outputs through non-negative weights, with a
        non-negative bias: its pre-activation is non-negative, so its ReLU is the identity."""
        attrs = self.g.nodes[name]
        return (attrs[GADGET] == "pass" and bool(np.all(attrs[BIAS] >= 0))
                and all(src in self.relu_outputs and _nonnegative(m) for src, m in self._edges(name)))

    def _identity_carry(self, name: str, prefix: str) -> bool:
        """If `name` copies one source unchanged, make it an alias of that source."""
        edges = self._edges(name)
        if len(edges) != 1 or self.g.nodes[name][BIAS].any() or not _is_identity(edges[0][1]):
            return False
        src, shape = edges[0][0], self.g.nodes[name][SHAPE]
        if src in self.blocks and src not in self.tensors:
            self.blocks[name] = self.blocks[src]
            self.pre[name] = (*self.blocks[src], shape)
        else:
            self.tensors[name] = self.b.op("Identity", [self.tensor(src, prefix)], prefix)
            self.pre[name] = (self.tensors[name], None, shape)
        self.relu_outputs.add(name)
        return True

    def _wide(self, name: str, maps: MapEmitter, prefix: str) -> None:
        """A memory-sized node: the sum of its terms and its bias (`_sum`), then its ReLU."""
        b, attrs = self.b, self.g.nodes[name]
        skip_relu = self._relu_free(name)
        terms = [maps.term(src, self.tensor(src, prefix), m, prefix) for src, m in self._edges(name)]
        bias = attrs[BIAS]
        if bias.any() or not terms:
            uniform = _uniform(bias)
            terms.append(Term(b.const(bias.flat[0] if uniform else bias, hint="bias"),
                              () if uniform else attrs[SHAPE]))
        pre = self._sum(terms, prefix)
        if pre.sign < 0:
            pre = Term(b.op("Neg", [pre.tensor], prefix), pre.shape)
        if tuple(pre.shape) != tuple(attrs[SHAPE]):
            pre = Term(b.op("Expand", [pre.tensor, b.const([1, *attrs[SHAPE]], np.int64, "shape")], prefix),
                       attrs[SHAPE])
        self.pre[name] = (pre.tensor, None, attrs[SHAPE])
        self.tensors[name] = pre.tensor if skip_relu else b.op("Relu", [pre.tensor], prefix)
        self.relu_outputs.add(name)
        b.nodes[-1].doc_string = f"{attrs[GADGET]}: {size(attrs[SHAPE])} neurons"

    def _sum(self, terms: list[Term], prefix: str) -> Term:
        """The signed sum of `terms`, smallest pairs first: the bias and the terms a Broadcast
        left small are added while small, so a K*N tensor is touched by as few ops as can be.
        (Exact as a function of reals; on the network's integer values exact in float32.)"""
        b = self.b
        terms = list(terms)
        while len(terms) > 1:
            pairs = [(size(np.broadcast_shapes(x.shape, y.shape)), i, j)
                     for i, x in enumerate(terms) for j, y in enumerate(terms) if i < j]
            _, i, j = min(pairs)
            x, y = terms[i], terms[j]
            shape = tuple(np.broadcast_shapes(x.shape, y.shape))
            if x.sign == y.sign:
                joined = Term(b.op("Add", [x.tensor, y.tensor], prefix), shape, x.sign)
            elif x.sign > 0:
                joined = Term(b.op("Sub", [x.tensor, y.tensor], prefix), shape)
            else:
                joined = Term(b.op("Sub", [y.tensor, x.tensor], prefix), shape)
            terms = [t for k, t in enumerate(terms) if k not in (i, j)] + [joined]
        return terms[0]


class SmallBlock:
    """All small nodes of one layer as one MatMul + Add + Relu.

    Its inputs, each a small node's block of the previous layer or a wide node reduced until
    it is small, are concatenated into one (B, width) tensor; each member's map (what is
    left of it after the reduction) becomes its rows of one dense weight matrix.
    """

    def __init__(self, layer: LayerEmitter, members: list[str], prefix: str, maps: MapEmitter) -> None:
        self.layer, self.members, self.prefix, self.maps = layer, members, prefix, maps
        self.inputs: list[str] = []  # (B, n) tensors, concatenated in this order
        self.columns: dict[tuple, int] = {}  # an input's key -> its first column
        self.width = 0
        self.rows: dict[str, int] = {}  # a member -> its first row
        for name in members:
            self.rows[name] = sum(size(layer.g.nodes[n][SHAPE]) for n in self.rows)

    def _input(self, key: tuple, tensor: str, n: int) -> int:
        if key not in self.columns:
            self.columns[key] = self.width
            self.inputs.append(tensor)
            self.width += n
        return self.columns[key]

    def _column(self, src: str, head: tuple[M.LinearMap, ...]) -> tuple[int, int]:
        """(first column, size) of `src`'s value after the stages `head`, added on first use."""
        layer, b = self.layer, self.layer.b
        if not head and src in layer.blocks:
            block, offset = layer.blocks[src]
            return self._input(("block", block), block, layer.block_width[block]) + offset, \
                size(layer.g.nodes[src][SHAPE])
        key = (src, tuple(p.key() for p in head))
        n = size(head[-1].out_shape if head else layer.g.nodes[src][SHAPE])
        if key not in self.columns:
            value = layer.tensor(src, self.prefix)
            if head:
                value, _ = self.maps.emit(src, value, M.Chain(head) if len(head) > 1 else head[0],
                                          self.prefix, last_may_broadcast=False)
            value = b.op("Reshape", [value, b.const([0, -1], np.int64, "shape")], self.prefix)
            self._input(key, value, n)
        return self.columns[key], n

    def weights(self) -> tuple[np.ndarray, np.ndarray]:
        """The block's (rows x width) weights and its bias, int64."""
        g = self.layer.g
        entries = []
        for name in self.members:
            for src, m in self.layer._edges(name):
                head, rest = _split_small(m)
                col, n = self._column(src, head)
                entries.append((self.rows[name], col, rest.dense() if rest is not None else np.eye(n, dtype=np.int64)))
        height = sum(size(g.nodes[n][SHAPE]) for n in self.members)
        weight = np.zeros((height, self.width), dtype=np.int64)
        for row, col, dense in entries:
            weight[row : row + dense.shape[0], col : col + dense.shape[1]] += dense
        bias = np.concatenate([g.nodes[n][BIAS].reshape(-1) for n in self.members])
        return weight, bias

    def emit(self) -> None:
        """The block's ops; records each member's place in it."""
        layer, b = self.layer, self.layer.b
        weight, bias = self.weights()
        joined = self.inputs[0] if len(self.inputs) == 1 else b.op("Concat", self.inputs, self.prefix, axis=1)
        pre = b.op("Add", [b.op("MatMul", [joined, b.const(weight.T, hint="block")], self.prefix),
                           b.const(bias, hint="bias")], self.prefix)
        out = b.op("Relu", [pre], self.prefix)
        layer.block_width[out] = len(bias)
        kinds: dict[str, int] = {}
        for name in self.members:
            attrs = layer.g.nodes[name]
            kinds[attrs[GADGET]] = kinds.get(attrs[GADGET], 0) + size(attrs[SHAPE])
            layer.blocks[name] = (out, self.rows[name])
            layer.pre[name] = (pre, self.rows[name], attrs[SHAPE])
        layer.relu_outputs.update(self.members)
        b.nodes[-1].doc_string = "dense block of the small gadgets: " + ", ".join(
            f"{k} {n}" for k, n in sorted(kinds.items()))
