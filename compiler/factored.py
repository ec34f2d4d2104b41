"""export (factored form): the same 23 layers with each W_t emitted as structured blocks.

Every neuron of the dense form is here with the same pre-activation and the same ReLU; only
the way W_t h is computed differs: a map's structure (broadcast, sum, gather, small dense
block) becomes the matching ONNX op instead of a K*N-wide matrix. Two changes are exact
on every input vector, not only on reachable states (construction.md): a pass neuron whose
inputs are outputs of earlier ReLUs, with non-negative weights, skips its ReLU (it is the
identity there), and a chain of maps shared by several neurons is computed once per layer.
"""

from __future__ import annotations

import hashlib

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from ..ir import maps as M
from ..ir.graph import BIAS, DEPTH, GADGET, MAP, OFFSET, SHAPE, layer_name
from .allocate import size
from .driver import Compiled
from .export import IR_VERSION, OPSET, _doc, layer_table
from .functions import group_layers
from .modelfile import DOMAIN, STATE_IN, STATE_OUT, model_metadata, seal


class _Builder:
    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.inits: dict[str, onnx.TensorProto] = {}
        self.shape_of: dict[str, int] = {}  # flat widths of the (B, n) tensors of dense blocks
        self.count = 0

    def const(self, array: np.ndarray, dtype=np.float32, hint: str = "c") -> str:
        a = np.array(array, dtype=dtype, order="C")  # keeps 0-d arrays 0-d
        digest = hashlib.sha1(a.tobytes() + str((a.shape, a.dtype)).encode()).hexdigest()[:12]
        name = f"{hint}.{digest}"
        if name not in self.inits:
            self.inits[name] = numpy_helper.from_array(a, name)
        return name

    def op(self, kind: str, inputs: list[str], prefix: str, **attrs) -> str:
        self.count += 1
        out = f"{prefix}/{kind.lower()}_{self.count}"
        self.nodes.append(helper.make_node(kind, inputs, [out], name=out, **attrs))
        return out


def _uniform(a: np.ndarray) -> bool:
    return a.size > 0 and bool(np.all(a == a.flat[0]))


def _nonnegative(m: M.LinearMap) -> bool:
    return m.key() == m.abs().key()


class _Emitter:
    """Emits one map stage at a time; a prefix of a chain used twice in a layer is built once."""

    def __init__(self, b: _Builder) -> None:
        self.b = b
        self.cache: dict[tuple, tuple[str, tuple[int, ...]]] = {}

    def emit(self, src: str, tensor: str, m: M.LinearMap, prefix: str, last_may_broadcast: bool):
        parts = M.stages(m)
        shape = m.in_shape
        key: tuple = (src,)
        for i, part in enumerate(parts):
            key = (*key, part.key())
            lazy = last_may_broadcast and i == len(parts) - 1
            if (key, lazy) not in self.cache:
                self.cache[(key, lazy)] = self._stage(tensor, shape, part, prefix, lazy)
            tensor, shape = self.cache[(key, lazy)]
        return tensor, shape

    def _stage(self, x: str, shape, part: M.LinearMap, prefix: str, lazy: bool):
        b = self.b
        if isinstance(part, M.Scale):
            if part.is_identity:
                return x, shape
            return b.op("Mul", [x, b.const(part.coef, hint="scale")], prefix), shape
        if isinstance(part, M.Broadcast):
            axes = b.const([a + 1 for a in part.new_axes], np.int64, "axes")
            y = b.op("Unsqueeze", [x, axes], prefix)
            unexpanded = tuple(1 if i in part.new_axes else d for i, d in enumerate(part.out_shape))
            if lazy:  # the consumer's Add broadcasts it
                return y, unexpanded
            return b.op("Expand", [y, b.const([1, *part.out_shape], np.int64, "shape")], prefix), part.out_shape
        if isinstance(part, M.Reduce):
            axes = b.const([a + 1 for a in part.axes], np.int64, "axes")
            return b.op("ReduceSum", [x, axes], prefix, keepdims=0), part.out_shape
        if isinstance(part, M.Take):
            idx = part.indices
            n = shape[part.axis]
            shift = int(idx[0]) if idx.ndim == 1 and len(idx) == n else 0
            if 0 < shift < n and np.array_equal(idx, np.roll(np.arange(n), -shift)):
                # A rotation (the one-hot of pc+1, pc+2): two slices and a concat.
                axes = b.const([part.axis + 1], np.int64, "axes")
                cut, zero, end = (b.const([v], np.int64, "index") for v in (shift, 0, n))
                head = b.op("Slice", [x, cut, end, axes], prefix)
                tail = b.op("Slice", [x, zero, cut, axes], prefix)
                return b.op("Concat", [head, tail], prefix, axis=part.axis + 1), part.out_shape
            if idx.ndim == 1 and len(idx) and np.array_equal(idx, np.arange(idx[0], idx[0] + len(idx))):
                starts = b.const([int(idx[0])], np.int64, "start")
                ends = b.const([int(idx[0]) + len(idx)], np.int64, "end")
                return b.op("Slice", [x, starts, ends, b.const([part.axis + 1], np.int64, "axes")],
                            prefix), part.out_shape
            return b.op("Gather", [x, b.const(idx, np.int64, "index")], prefix,
                        axis=part.axis + 1), part.out_shape
        if isinstance(part, M.MatMul):
            return b.op("MatMul", [x, b.const(part.weight.T, hint="block")], prefix), part.out_shape
        if isinstance(part, M.Reshape):
            return b.op("Reshape", [x, b.const([0, *part.out_shape], np.int64, "shape")], prefix), part.out_shape
        raise TypeError(f"no ONNX form for {type(part).__name__}")


SMALL = 32  # nodes of at most this many neurons share one dense block per layer


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


def emit_step(b: _Builder, compiled: Compiled, state_in: str, state_out: str) -> None:
    """Add the 23 layers' nodes to `b`, reading `state_in` (B, S) and writing `state_out`."""
    step = LayerEmitter(b, compiled)
    step.read_state(state_in)
    for t in range(1, DEPTH + 1):
        step.layer(t)
    step.write_state(state_out)


class LayerEmitter:
    """Emits the factored layers one at a time.

    In each layer, the wide nodes (memory-sized: matches, reads, writes, carries of memory)
    get structured ops, and all small nodes (control bits, adder terms, words) one dense
    block: their inputs, reduced where they come from wide nodes, are concatenated, and one
    MatMul, Add and Relu computes every small neuron's pre-activation and output.
    `pre` records where each node's pre-activation is: (tensor, first column in a block or
    None, shape).
    """

    def __init__(self, b: _Builder, compiled: Compiled) -> None:
        self.b, self.compiled, self.g = b, compiled, compiled.graph.g
        self.table = layer_table(compiled)
        self.tensors: dict[str, str] = {}
        self.blocks: dict[str, tuple[str, int]] = {}  # a small node -> (its layer's block, first column)
        self.relu_outputs: set[str] = set()  # nodes whose value is known to be an output of a ReLU
        self.pre: dict[str, tuple[str, int | None, tuple[int, ...]]] = {}

    def tensor(self, name: str, prefix: str) -> str:
        """A node's own tensor (a small node's is sliced from its block on first use)."""
        b, g = self.b, self.g
        if name not in self.tensors:
            block, start = self.blocks[name]
            shape = g.nodes[name][SHAPE]
            axes = b.const([1], np.int64, "axes")
            piece = b.op("Slice", [block, b.const([start], np.int64, "start"),
                                   b.const([start + size(shape)], np.int64, "end"), axes], prefix)
            self.tensors[name] = b.op("Reshape", [piece, b.const([0, *shape], np.int64, "shape")], prefix)
        return self.tensors[name]

    def read_state(self, state_in: str) -> None:
        b, g = self.b, self.g
        for name in self.compiled.layers[0]:
            attrs = g.nodes[name]
            off, n = attrs[OFFSET], size(attrs[SHAPE])
            piece = b.op("Slice", [state_in, b.const([off], np.int64, "start"),
                                   b.const([off + n], np.int64, "end"), b.const([1], np.int64, "axes")],
                         f"state/{name}")
            self.tensors[name] = b.op("Reshape", [piece, b.const([0, *attrs[SHAPE]], np.int64, "shape")],
                                      f"state/{name}")

    def write_state(self, state_out: str) -> None:
        b = self.b
        flat = [b.op("Reshape", [self.tensor(n, "next_state"), b.const([0, -1], np.int64, "shape")], "next_state")
                for n in self.compiled.layers[DEPTH]]
        b.nodes.append(helper.make_node("Concat", flat, [state_out], name=f"{state_out}/concat", axis=1))

    def layer(self, t: int) -> None:
        b, g = self.b, self.g
        lname = layer_name(t)
        emitter = _Emitter(b)
        small = []
        for name in self.compiled.layers[t]:
            attrs = g.nodes[name]
            prefix = f"{lname}/{name}"
            edges = [(src, data[MAP]) for src, _, data in g.in_edges(name, data=True)]
            bias = attrs[BIAS]
            skip_relu = (attrs[GADGET] == "pass" and bool(np.all(bias >= 0))
                         and all(src in self.relu_outputs and _nonnegative(m) for src, m in edges))
            if skip_relu and len(edges) == 1 and not bias.any() and isinstance(edges[0][1], M.Scale) \
                    and edges[0][1].is_identity:
                # An identity carry: the same values as its source.
                src = edges[0][0]
                if src in self.blocks and src not in self.tensors:
                    self.blocks[name] = self.blocks[src]
                    self.pre[name] = (self.blocks[src][0], self.blocks[src][1], attrs[SHAPE])
                else:
                    self.tensors[name] = b.op("Identity", [self.tensor(src, prefix)], prefix)
                    self.pre[name] = (self.tensors[name], None, attrs[SHAPE])
                self.relu_outputs.add(name)
                continue
            if size(attrs[SHAPE]) <= SMALL and t < DEPTH:
                small.append(name)
                continue
            terms, shapes = [], []
            for src, m in edges:
                term, shape = emitter.emit(src, self.tensor(src, prefix), m, prefix, last_may_broadcast=True)
                terms.append(term)
                shapes.append(shape)
            if bias.any() or not terms:
                terms.append(b.const(bias.flat[0] if _uniform(bias) else bias, hint="bias"))
                shapes.append(() if _uniform(bias) else attrs[SHAPE])
            # Largest terms first, so each Add broadcasts a smaller term into a larger one.
            order = sorted(range(len(terms)), key=lambda i: -int(np.prod(shapes[i], dtype=np.int64)))
            pre = terms[order[0]]
            for i in order[1:]:
                pre = b.op("Add", [pre, terms[i]], prefix)
            full = np.broadcast_shapes(*shapes) if shapes else ()
            if tuple(full) != tuple(attrs[SHAPE]):
                pre = b.op("Expand", [pre, b.const([1, *attrs[SHAPE]], np.int64, "shape")], prefix)
            self.pre[name] = (pre, None, attrs[SHAPE])
            self.tensors[name] = pre if skip_relu else b.op("Relu", [pre], prefix)
            self.relu_outputs.add(name)
            b.nodes[-1].doc_string = f"{attrs[GADGET]}: {size(attrs[SHAPE])} neurons"
        if small:
            block_pre = _emit_small_block(b, g, small, f"{lname}/small_block", emitter, self.tensor, self.blocks)
            for name in small:
                self.pre[name] = (block_pre, self.blocks[name][1], g.nodes[name][SHAPE])
            self.relu_outputs.update(small)
        b.nodes[-1].doc_string += f" | end of {_doc(self.table[t - 1])}"


def _emit_small_block(b: _Builder, g, members: list[str], prefix: str, emitter: _Emitter, tensor,
                      blocks: dict[str, tuple[str, int]]) -> str:
    """One MatMul + Add + Relu for all small nodes of a layer (see LayerEmitter); returns the
    block's pre-activation tensor."""
    columns: dict[tuple, tuple[str, int]] = {}  # an input block -> (its tensor, first column)
    width = 0
    entries = []  # (rows of a member, input key, first column of the input, dense weights)
    rows, start = {}, 0
    for name in members:
        rows[name] = start
        start += size(g.nodes[name][SHAPE])
    for name in members:
        for src, m in ((s, d[MAP]) for s, _, d in g.in_edges(name, data=True)):
            head, rest = _split_small(m)
            if not head and src in blocks:
                block, offset = blocks[src]
                key: tuple = ("block", block)
                if key not in columns:
                    columns[key] = (block, width)
                    width += int(b.shape_of[block])
                col = columns[key][1] + offset
                in_size = size(g.nodes[src][SHAPE])
            else:
                key = (src, tuple(p.key() for p in head))
                if key not in columns:
                    value = tensor(src, prefix)
                    if head:
                        value, _ = emitter.emit(src, value, M.Chain(head) if len(head) > 1 else head[0],
                                                prefix, last_may_broadcast=False)
                    flat = b.op("Reshape", [value, b.const([0, -1], np.int64, "shape")], prefix)
                    in_size = size(head[-1].out_shape if head else g.nodes[src][SHAPE])
                    columns[key] = (flat, width)
                    b.shape_of[flat] = in_size
                    width += in_size
                col = columns[key][1]
                in_size = size(head[-1].out_shape if head else g.nodes[src][SHAPE])
            dense = rest.dense() if rest is not None else np.eye(in_size, dtype=np.int64)
            entries.append((name, col, dense))
    weight = np.zeros((start, width), dtype=np.int64)
    bias = np.zeros(start, dtype=np.int64)
    for name, col, dense in entries:
        r = rows[name]
        weight[r : r + dense.shape[0], col : col + dense.shape[1]] += dense
    for name in members:
        n = size(g.nodes[name][SHAPE])
        bias[rows[name] : rows[name] + n] = g.nodes[name][BIAS].reshape(-1)
    inputs = [tensor_ for tensor_, _ in sorted(columns.values(), key=lambda c: c[1])]
    joined = inputs[0] if len(inputs) == 1 else b.op("Concat", inputs, prefix, axis=1)
    pre = b.op("Add", [b.op("MatMul", [joined, b.const(weight.T, hint="block")], prefix),
                       b.const(bias, hint="bias")], prefix)
    out = b.op("Relu", [pre], prefix)
    b.shape_of[out] = start
    b.shape_of[pre] = start
    kinds: dict[str, int] = {}
    for name in members:
        kinds[g.nodes[name][GADGET]] = kinds.get(g.nodes[name][GADGET], 0) + size(g.nodes[name][SHAPE])
        blocks[name] = (out, rows[name])
    b.nodes[-1].doc_string = "dense block of the small gadgets: " + ", ".join(
        f"{k} {n}" for k, n in sorted(kinds.items()))
    return pre


def layer_functions(b: _Builder, compiled: Compiled, used: set[str]):
    """b's nodes with each layer's run replaced by a call, and the layer functions."""
    docs = {row["name"]: _doc(row) for row in layer_table(compiled)}
    return group_layers(b.nodes, set(b.inits), used, OPSET, docs)


def make_model(b: _Builder, compiled: Compiled, form: str, inputs, outputs, doc: str,
               image: list[int] | None, functions: list[onnx.FunctionProto] = ()) -> onnx.ModelProto:
    """The checked model: each layer a local function, the metadata set."""
    nodes, own = layer_functions(b, compiled, {o.name for o in outputs})
    functions = [*functions, *own]
    graph = helper.make_graph(nodes, f"loopmlp_{form}", inputs, outputs,
                              initializer=list(b.inits.values()), doc_string=doc)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET),
                                                    helper.make_opsetid(DOMAIN, 1)],
                              producer_name="loopmlp", ir_version=IR_VERSION, functions=functions)
    helper.set_model_props(model, model_metadata(compiled.machine, form, layer_table(compiled),
                                                 list(compiled.bound.per_layer), image))
    seal(model)
    onnx.checker.check_model(model, full_check=True)
    return model


def state_info(name: str, compiled: Compiled) -> onnx.ValueInfoProto:
    size_ = sum(size(compiled.graph.g.nodes[n][SHAPE]) for n in compiled.layers[DEPTH])
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, ["batch", size_])


def export_factored(compiled: Compiled, image: list[int] | None = None) -> onnx.ModelProto:
    b = _Builder()
    emit_step(b, compiled, STATE_IN, STATE_OUT)
    return make_model(b, compiled, "factored", [state_info(STATE_IN, compiled)],
                      [state_info(STATE_OUT, compiled)],
                      f"One SUBLEQ step of {compiled.machine.describe()}: 23 ReLU layers, factored weights",
                      image)
