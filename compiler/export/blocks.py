"""The factored form's dense blocks: all small nodes of a layer as one MatMul + Add + Relu."""

from __future__ import annotations

from typing import Protocol

import networkx as nx
import numpy as np

from ...ir import maps as M
from ...ir.graph import BIAS, GADGET, SHAPE
from ..allocate import size
from .model import Builder
from .stages import MapEmitter, Value
from .weights import SMALL, held_order


class Layer(Protocol):
    """What a block reads and records of the layer it is emitted in (factored.LayerEmitter)."""

    g: nx.MultiDiGraph
    b: Builder
    flat: dict[str, str]
    blocks: dict[str, tuple[str, int]]
    block_width: dict[str, int]
    relu_outputs: set[str]
    pre: dict[str, tuple[str, int | None, tuple[int, ...], bool]]

    def swapped(self, name: str) -> bool: ...

    def value(self, name: str, prefix: str) -> Value: ...

    def flat_tensor(self, name: str, prefix: str) -> str: ...

    def edges(self, name: str) -> list[tuple[str, M.LinearMap]]: ...


def split_small(m: M.LinearMap) -> tuple[tuple[M.LinearMap, ...], M.LinearMap | None]:
    """(the stages until the value is small, the rest): the rest becomes dense weights."""
    parts = M.stages(m)
    if size(m.in_shape) <= SMALL:
        return (), m
    for i, part in enumerate(parts):
        if size(part.out_shape) <= SMALL:
            rest = parts[i + 1 :]
            return parts[: i + 1], (M.Chain(rest) if len(rest) > 1 else rest[0]) if rest else None
    raise ValueError("a small node's map never becomes small")


class SmallBlock:
    """All small nodes of one layer as one MatMul + Add + Relu.

    Its inputs, each a small node's block of the previous layer or a wide node reduced until
    it is small, are concatenated into one (B, width) tensor; each member's map (what is
    left of it after the reduction) becomes its rows of one dense weight matrix.
    """

    def __init__(self, layer: Layer, members: list[str], prefix: str, maps: MapEmitter) -> None:
        self.layer, self.members, self.prefix, self.maps = layer, members, prefix, maps
        self.inputs: list[str] = []  # (B, n) tensors, concatenated in this order
        self.columns: dict[
            tuple, tuple[int, np.ndarray | None]
        ] = {}  # key -> (first column, order)
        self.width = 0
        self.rows: dict[str, int] = {}  # a member -> its first row
        for name in members:
            self.rows[name] = sum(size(layer.g.nodes[n][SHAPE]) for n in self.rows)

    def _input(
        self, key: tuple, tensor: str, n: int, order: np.ndarray | None = None
    ) -> tuple[int, np.ndarray | None]:
        if key not in self.columns:
            self.columns[key] = (self.width, order)
            self.inputs.append(tensor)
            self.width += n
        return self.columns[key]

    def _column(
        self, src: str, head: tuple[M.LinearMap, ...]
    ) -> tuple[int, int, np.ndarray | None]:
        """(first column, size, order of the entries or None) of `src`'s value after the
        stages `head`, added on first use."""
        layer, b = self.layer, self.layer.b
        n = size(head[-1].out_shape if head else layer.g.nodes[src][SHAPE])
        if not head and src in layer.blocks and src not in layer.flat:
            block, offset = layer.blocks[src]
            col, _ = self._input(("block", block), block, layer.block_width[block])
            return col + offset, n, None
        key = (src, tuple(p.key() for p in head))
        if key not in self.columns:
            if not head:
                swapped, shape = layer.swapped(src), layer.g.nodes[src][SHAPE]
                tensor = layer.flat_tensor(src, self.prefix)
            else:
                x = self.maps.emit(
                    src,
                    layer.value(src, self.prefix),
                    M.Chain(head) if len(head) > 1 else head[0],
                    self.prefix,
                    last_may_broadcast=False,
                )
                swapped, shape = x.swapped, x.shape
                tensor = (
                    x.tensor
                    if len(x.shape) == 1
                    else b.op(
                        "Reshape", [x.tensor, b.const([0, -1], np.int64, "shape")], self.prefix
                    )
                )
            self._input(key, tensor, n, held_order(shape) if swapped else None)
        col, order = self.columns[key]
        return col, n, order

    def weights(self) -> tuple[np.ndarray, np.ndarray]:
        """The block's (rows x width) weights and its bias, int64."""
        g = self.layer.g
        entries = []
        for name in self.members:
            for src, m in self.layer.edges(name):
                # A source in a block is read from its columns, whatever its size.
                head, rest = ((), m) if src in self.layer.blocks else split_small(m)
                col, n, order = self._column(src, head)
                dense = rest.dense() if rest is not None else np.eye(n, dtype=np.int64)
                entries.append((self.rows[name], col, dense if order is None else dense[:, order]))
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
        joined = (
            self.inputs[0]
            if len(self.inputs) == 1
            else b.op("Concat", self.inputs, self.prefix, axis=1)
        )
        pre = b.op(
            "Add",
            [
                b.op("MatMul", [joined, b.const(weight.T, hint="block")], self.prefix),
                b.const(bias, hint="bias"),
            ],
            self.prefix,
        )
        out = b.op("Relu", [pre], self.prefix)
        layer.block_width[out] = len(bias)
        kinds: dict[str, int] = {}
        for name in self.members:
            attrs = layer.g.nodes[name]
            kinds[attrs[GADGET]] = kinds.get(attrs[GADGET], 0) + size(attrs[SHAPE])
            layer.blocks[name] = (out, self.rows[name])
            layer.pre[name] = (pre, self.rows[name], attrs[SHAPE], False)
        layer.relu_outputs.update(self.members)
        b.nodes[-1].doc_string = "dense block of the small gadgets: " + ", ".join(
            f"{k} {n}" for k, n in sorted(kinds.items())
        )
