"""export (factored form): the same 23 layers with each W_t emitted as structured blocks.

Every neuron of the dense form is here with the same pre-activation and the same ReLU; only
the way W_t h is computed differs: a map's structure (broadcast, sum, gather, small dense
block) becomes the matching ONNX op instead of a K*N-wide matrix. Two changes are exact
on every input vector, not only on reachable states (docs/construction.md): a pass neuron
whose inputs are outputs of earlier ReLUs, with non-negative weights, skips its ReLU (it is the
identity there), and a chain of maps shared by several neurons is computed once per layer.
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import helper

from ...ir import maps as M
from ...ir.graph import BIAS, DEPTH, GADGET, MAP, OFFSET, SHAPE, layer_name
from ..allocate import size
from ..driver import Compiled
from ..modelfile import STATE_IN, STATE_OUT, LayerRow
from .blocks import SmallBlock
from .model import Builder, finish_model, layer_doc, layer_table, state_info
from .stages import MapEmitter, Value, small_first, stored
from .weights import SMALL, held_swapped

Shape = tuple[int, ...]


def export_factored(compiled: Compiled, image: list[int] | None = None) -> onnx.ModelProto:
    """One step as a model: `state` (B, S) -> `next_state` (B, S)."""
    b = Builder()
    table = layer_table(compiled)
    emit_step(b, compiled, table, STATE_IN, STATE_OUT)
    state_size = state_width(compiled)
    return finish_model(
        b,
        compiled,
        "factored",
        [state_info(STATE_IN, state_size)],
        [state_info(STATE_OUT, state_size)],
        f"One SUBLEQ step of {compiled.machine.describe()}: 23 ReLU layers, factored weights",
        image,
        table,
    )


def state_width(compiled: Compiled) -> int:
    """S, the number of entries of the state vector."""
    return sum(size(compiled.graph.g.nodes[n][SHAPE]) for n in compiled.layers[DEPTH])


def emit_step(
    b: Builder, compiled: Compiled, table: list[LayerRow], state_in: str, state_out: str
) -> None:
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


OUTER_SUM_MIN = 4096  # address matches over at least this many words are outer sums (`_outer_sum`)
BLOCK_ROWS = 256  # a one-axis node up to this size, fed by small nodes only, joins the block


class LayerEmitter:
    """Emits the factored layers one at a time.

    In each layer, the wide nodes (memory-sized: matches, reads, writes, carries of memory)
    get structured ops, and all small nodes (control bits, adder terms, words) one dense
    block (`SmallBlock`). A wide two-axis node is held swapped (see `stages`), as memory is
    stored in the state. `pre` records where each node's pre-activation is: (tensor, first
    column in a (B, n) block or None, shape, swapped).
    """

    def __init__(self, b: Builder, compiled: Compiled, table: list[LayerRow]) -> None:
        self.b, self.compiled, self.g, self.table = b, compiled, compiled.graph.g, table
        self.values: dict[str, Value] = {}  # a node's value in its shape
        self.flat: dict[str, str] = {}  # a node's value as (B, n), where one is at hand
        self.blocks: dict[
            str, tuple[str, int]
        ] = {}  # a small node -> (its layer's block, first column)
        self.block_width: dict[str, int] = {}  # a block's tensor -> its number of columns
        self.relu_outputs: set[str] = set()  # nodes whose value is known to be an output of a ReLU
        self.pre: dict[str, tuple[str, int | None, Shape, bool]] = {}

    def swapped(self, name: str) -> bool:
        """Whether `name`'s value is held with its two axes swapped (`weights.held_swapped`)."""
        return held_swapped(self.g.nodes[name][SHAPE])

    def value(self, name: str, prefix: str) -> Value:
        """A node's value in its shape (a small node's is sliced from its block on first use)."""
        if name not in self.values:
            shape = self.g.nodes[name][SHAPE]
            flat = self.flat_tensor(name, prefix)
            tensor = (
                flat
                if len(shape) == 1
                else self.b.op(
                    "Reshape",
                    [
                        flat,
                        self.b.const([0, *stored(shape, self.swapped(name))], np.int64, "shape"),
                    ],
                    prefix,
                )
            )
            self.values[name] = Value(tensor, shape, self.swapped(name))
        return self.values[name]

    def flat_tensor(self, name: str, prefix: str) -> str:
        """A node's value as (B, n), in the order it is held."""
        if name not in self.flat:
            b = self.b
            if name in self.blocks:
                block, start = self.blocks[name]
                end = start + size(self.g.nodes[name][SHAPE])
                self.flat[name] = (
                    block  # the node is the whole block
                    if (start, end) == (0, self.block_width[block])
                    else b.op(
                        "Slice",
                        [
                            block,
                            b.const([start], np.int64, "start"),
                            b.const([end], np.int64, "end"),
                            b.const([1], np.int64, "axes"),
                        ],
                        prefix,
                    )
                )
            else:
                self.flat[name] = b.op(
                    "Reshape",
                    [self.values[name].tensor, b.const([0, -1], np.int64, "shape")],
                    prefix,
                )
        return self.flat[name]

    def read_state(self, state_in: str) -> None:
        """The state split into its fields, each its input node's (B, n) tensor."""
        b, layout = self.b, self.compiled.graph.layout
        names = self.compiled.layers[0]
        fields = [layout[name.removeprefix("state.")] for name in names]
        for name, field in zip(names, fields, strict=True):
            if field.offset != self.g.nodes[name][OFFSET] or field.swapped != self.swapped(name):
                raise RuntimeError(f"{name} is not held as the state layout stores it")
        outs = [f"state/{name}" for name in names]
        b.nodes.append(
            helper.make_node(
                "Split",
                [state_in, b.const([f.size for f in fields], np.int64, "split")],
                outs,
                name="state/split",
                axis=1,
            )
        )
        self.flat.update(zip(names, outs, strict=True))

    def write_state(self, state_out: str) -> None:
        """The last layer's nodes, flattened and concatenated in state order; neighbouring
        columns of one block are taken as one piece."""
        b, g = self.b, self.g
        pieces: list[list] = []  # [block or None, start, end, tensor]
        for name in self.compiled.layers[DEPTH]:
            n = size(g.nodes[name][SHAPE])
            if name in self.blocks and name not in self.flat:
                block, start = self.blocks[name]
                if pieces and pieces[-1][0] == block and pieces[-1][2] == start:
                    pieces[-1][2] += n
                else:
                    pieces.append([block, start, start + n, None])
            else:
                pieces.append([None, 0, n, self.flat_tensor(name, "next_state")])
        tensors = []
        for block, start, end, tensor in pieces:
            if block is not None and (start, end) != (0, self.block_width[block]):
                tensor = b.op(
                    "Slice",
                    [
                        block,
                        b.const([start], np.int64, "start"),
                        b.const([end], np.int64, "end"),
                        b.const([1], np.int64, "axes"),
                    ],
                    "next_state",
                )
            tensors.append(block if tensor is None else tensor)
        if len(tensors) == 1:
            b.node("Identity", tensors, state_out, f"{state_out}/identity")
        else:
            b.node("Concat", tensors, state_out, f"{state_out}/concat", axis=1)

    def layer(self, t: int) -> None:
        """Layer t: identity carries alias their source, wide nodes get their own ops, the
        small nodes one block."""
        lname = layer_name(t)
        first = len(self.b.nodes)
        maps = MapEmitter(self.b)
        small = []
        for name in self.compiled.layers[t]:
            prefix = f"{lname}/{name}"
            is_small = self._in_block(name)
            # The last layer's small nodes all join its block, carries too, so that the
            # state's fields after memory are written as one piece.
            if (
                (t < DEPTH or not is_small)
                and self._relu_free(name)
                and self._identity_carry(name, prefix)
            ):
                continue
            if is_small:
                small.append(name)
            else:
                self._wide(name, maps, prefix)
        if small:
            SmallBlock(self, small, f"{lname}/small_block", maps).emit()
        if len(self.b.nodes) > first:  # (a layer of carries only has no op of its own)
            self.b.nodes[-1].doc_string += f" | end of {layer_doc(self.table[t - 1])}"

    def _in_block(self, name: str) -> bool:
        """Whether `name` is one of its layer's dense block: a small node, or a one-axis node
        of at most BLOCK_ROWS neurons fed by small nodes only (the adder's carries), whose
        rows of dense weights cost less than the ops of its maps."""
        shape = self.g.nodes[name][SHAPE]
        return size(shape) <= SMALL or (
            len(shape) == 1
            and size(shape) <= BLOCK_ROWS
            and all(size(self.g.nodes[src][SHAPE]) <= SMALL for src, _ in self.edges(name))
        )

    def edges(self, name: str) -> list[tuple[str, M.LinearMap]]:
        """`name`'s in-edges: (source, map)."""
        return [(src, data[MAP]) for src, _, data in self.g.in_edges(name, data=True)]

    def _relu_free(self, name: str) -> bool:
        """A pass neuron fed only ReLU outputs through non-negative weights, with a
        non-negative bias: its pre-activation is non-negative, so its ReLU is the identity."""
        attrs = self.g.nodes[name]
        return (
            attrs[GADGET] == "pass"
            and bool(np.all(attrs[BIAS] >= 0))
            and all(src in self.relu_outputs and _nonnegative(m) for src, m in self.edges(name))
        )

    def _identity_carry(self, name: str, prefix: str) -> bool:
        """If `name` copies one source unchanged: an alias of the source's block columns, or
        an Identity (which ONNX Runtime removes when it loads the model; it keeps the layer
        visible as a function in a viewer)."""
        edges = self.edges(name)
        if len(edges) != 1 or self.g.nodes[name][BIAS].any() or not _is_identity(edges[0][1]):
            return False
        src = edges[0][0]
        if src not in self.pre:  # a carry of an input: its pre-activation is the input itself
            held = self.flat[src] if src in self.flat else self.values[src].tensor
            self.pre[src] = (held, None, self.g.nodes[src][SHAPE], self.swapped(src))
        if src in self.blocks and src not in self.flat:
            self.blocks[name] = self.blocks[src]
            self.pre[name] = self.pre[src]
        else:
            x = self.value(src, prefix)
            self.values[name] = Value(self.b.op("Identity", [x.tensor], prefix), x.shape, x.swapped)
            self.pre[name] = (self.values[name].tensor, None, x.shape, x.swapped)
            if len(x.shape) == 1:
                self.flat[name] = self.values[name].tensor
        self.relu_outputs.add(name)
        return True

    def _wide(self, name: str, maps: MapEmitter, prefix: str) -> None:
        """A memory-sized node: the sum of its terms and its bias (`_sum`), then its ReLU."""
        b, attrs = self.b, self.g.nodes[name]
        shape, swapped = attrs[SHAPE], self.swapped(name)
        skip_relu = self._relu_free(name)
        pre = self._outer_sum(name, maps, prefix)
        if pre is not None:
            self.pre[name] = (pre, None, shape, False)
            self.values[name] = Value(b.op("Relu", [pre], prefix), shape)
            self.relu_outputs.add(name)
            b.nodes[-1].doc_string = f"{attrs[GADGET]}: {size(shape)} neurons, as an outer sum"
            return
        terms = [self._term(src, m, maps, prefix) for src, m in self.edges(name)]
        if swapped:
            terms = [maps.swap(term, prefix) for term in terms]
        bias = attrs[BIAS]
        if bias.any() or not terms:
            uniform = _uniform(bias)
            array = bias.flat[0] if uniform else (bias.T if swapped else bias)
            terms.append(Value(b.const(array, hint="bias"), () if uniform else shape, swapped))
        total = self._sum(terms, prefix)
        if total.sign < 0:
            total = Value(b.op("Neg", [total.tensor], prefix), total.shape, swapped)
        if tuple(total.shape) != tuple(shape):
            total = Value(
                b.op(
                    "Expand",
                    [total.tensor, b.const([1, *stored(shape, swapped)], np.int64, "shape")],
                    prefix,
                ),
                shape,
                swapped,
            )
        self.pre[name] = (total.tensor, None, shape, swapped)
        tensor = total.tensor if skip_relu else b.op("Relu", [total.tensor], prefix)
        self.values[name] = Value(tensor, shape, swapped)
        self.relu_outputs.add(name)
        b.nodes[-1].doc_string = f"{attrs[GADGET]}: {size(shape)} neurons"

    def _term(self, src: str, m: M.LinearMap, maps: MapEmitter, prefix: str) -> Value:
        """`m` applied to `src` as a term of a sum; a scalar broadcast is the scalar's (B, 1)
        tensor as it is, or reshaped to (B, 1, 1), with no Unsqueeze."""
        parts, sign = small_first(m)
        if self.g.nodes[src][SHAPE] == () and len(parts) == 1 and isinstance(parts[0], M.Broadcast):
            out = parts[0].out_shape
            flat = self.flat_tensor(src, prefix)
            if len(out) == 1:
                return Value(flat, (1,), False, sign)
            tensor = self.b.op(
                "Reshape", [flat, self.b.const([0] + [1] * len(out), np.int64, "shape")], prefix
            )
            return Value(tensor, (1,) * len(out), len(out) == 2, sign)
        return maps.term(src, self.value(src, prefix), m, prefix)

    def _outer_sum(self, name: str, maps: MapEmitter, prefix: str) -> str | None:
        """An address match W x + b over K >= OUTER_SUM_MIN words as an outer sum of two
        halves, when W and b split as W[h*L + l] = W_high[h] + W_low[l] (the high and the
        low address bits): two small products and one (H, L) sum instead of reading the
        K-row W every step. None where the node is not of that form."""
        attrs, edges = self.g.nodes[name], self.edges(name)
        shape = attrs[SHAPE]
        if len(shape) != 1 or shape[0] < OUTER_SUM_MIN or len(edges) != 1:
            return None
        src, m = edges[0]
        parts = M.stages(m)
        if not isinstance(parts[-1], M.MatMul) or len(parts[-1].in_shape) != 1:
            return None
        k = shape[0]
        low = 1 << (k.bit_length() - 1) // 2
        w, bias = parts[-1].weight, attrs[BIAS]
        w_low, w_high = w[:low], w[::low] - w[0]
        b_low, b_high = bias[:low], bias[::low] - bias[0]
        if not (
            np.array_equal(w, (w_high[:, None] + w_low[None]).reshape(k, -1))
            and np.array_equal(bias, (b_high[:, None] + b_low[None]).reshape(k))
        ):
            return None
        b = self.b
        x = self.value(src, prefix)
        if len(parts) > 1:
            x = maps.emit(
                src,
                x,
                M.Chain(parts[:-1]) if len(parts) > 2 else parts[0],
                prefix,
                last_may_broadcast=False,
            )
        halves = []
        for weight, offset, axis in ((w_high, b_high, 2), (w_low, b_low, 1)):
            half = b.op(
                "Add",
                [
                    b.op("MatMul", [x.tensor, b.const(weight.T, hint="block")], prefix),
                    b.const(offset, hint="bias"),
                ],
                prefix,
            )
            halves.append(b.op("Unsqueeze", [half, b.const([axis], np.int64, "axes")], prefix))
        return b.op(
            "Reshape", [b.op("Add", halves, prefix), b.const([0, k], np.int64, "shape")], prefix
        )

    def _sum(self, terms: list[Value], prefix: str) -> Value:
        """The signed sum of `terms`, smallest pairs first: the bias and the terms a Broadcast
        left small are added while small, so a K*N tensor is touched by as few ops as can be.
        (Exact as a function of reals; on the network's integer values exact in float32.)"""
        b = self.b
        terms = list(terms)
        while len(terms) > 1:
            _, i, j = min(
                (size(np.broadcast_shapes(x.shape, y.shape)), i, j)
                for i, x in enumerate(terms)
                for j, y in enumerate(terms)
                if i < j
            )
            x, y = terms[i], terms[j]
            shape = tuple(np.broadcast_shapes(x.shape, y.shape))
            swapped = x.swapped or y.swapped
            if x.sign == y.sign:
                joined = Value(b.op("Add", [x.tensor, y.tensor], prefix), shape, swapped, x.sign)
            elif x.sign > 0:
                joined = Value(b.op("Sub", [x.tensor, y.tensor], prefix), shape, swapped)
            else:
                joined = Value(b.op("Sub", [y.tensor, x.tensor], prefix), shape, swapped)
            terms = [t for k, t in enumerate(terms) if k not in (i, j)] + [joined]
        return terms[0]
