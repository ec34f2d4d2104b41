"""One structured map (ir.maps) as ONNX ops, stage by stage; a chain's prefix shared by
several neurons of a layer is built once."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...ir import maps as M
from .model import Builder

Shape = tuple[int, ...]


@dataclass(frozen=True)
class Term:
    """`sign` times `tensor`, whose shape `shape` broadcasts to the consumer's (1 on the
    axes a Broadcast left to the consumer's Add)."""

    tensor: str
    shape: Shape
    sign: int = 1

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))


def _uniform_coef(part: M.LinearMap) -> float | None:
    if isinstance(part, M.Scale) and part.coef.size and np.all(part.coef == part.coef.flat[0]):
        return part.coef.flat[0].item()
    return None


def small_first(m: M.LinearMap) -> tuple[tuple[M.LinearMap, ...], int]:
    """The stages of `m` with a final uniform scale taken out as a sign (for -1) or moved
    before a final Broadcast, so that it acts on the smaller tensor: (stages, sign)."""
    parts = list(M.stages(m))
    sign = 1
    coef = _uniform_coef(parts[-1])
    if coef in (1, -1):
        parts.pop()
        sign = int(coef)
    elif coef is not None and len(parts) > 1 and isinstance(parts[-2], M.Broadcast):
        scale = parts.pop()
        parts.insert(-1, M.Scale(parts[-1].in_shape, np.array(scale.coef.flat[0])))
    return tuple(parts), sign


class MapEmitter:
    """Emits the stages of maps for one layer, caching each (source, prefix of stages)."""

    def __init__(self, b: Builder) -> None:
        self.b = b
        self.cache: dict[tuple, tuple[str, Shape]] = {}

    def emit(self, src: str, tensor: str, m: M.LinearMap, prefix: str,
             last_may_broadcast: bool) -> tuple[str, Shape]:
        """`m` applied to `tensor` (the value of node `src`): (the result, its shape). With
        `last_may_broadcast`, a final Broadcast is left to the consumer's Add (its shape then
        has 1 on the new axes)."""
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

    def term(self, src: str, tensor: str, m: M.LinearMap, prefix: str) -> Term:
        """`m` applied to `tensor` as a term of a sum (see `small_first`; a final Broadcast
        is left to the sum)."""
        parts, sign = small_first(m)
        if not parts:
            return Term(tensor, m.in_shape, sign)
        out, shape = self.emit(src, tensor, M.Chain(parts) if len(parts) > 1 else parts[0], prefix,
                               last_may_broadcast=True)
        return Term(out, shape, sign)

    def _stage(self, x: str, shape: Shape, part: M.LinearMap, prefix: str, lazy: bool) -> tuple[str, Shape]:
        b = self.b
        if isinstance(part, M.Scale):
            if part.is_identity:
                return x, shape
            return b.op("Mul", [x, b.const(part.coef, hint="scale")], prefix), shape
        if isinstance(part, M.Broadcast):
            return self._broadcast(x, part, prefix, lazy)
        if isinstance(part, M.Reduce):
            axes = b.const([a + 1 for a in part.axes], np.int64, "axes")
            return b.op("ReduceSum", [x, axes], prefix, keepdims=0), part.out_shape
        if isinstance(part, M.Take):
            return self._take(x, shape, part, prefix), part.out_shape
        if isinstance(part, M.MatMul):
            return b.op("MatMul", [x, b.const(part.weight.T, hint="block")], prefix), part.out_shape
        if isinstance(part, M.Reshape):
            return b.op("Reshape", [x, b.const([0, *part.out_shape], np.int64, "shape")], prefix), part.out_shape
        raise TypeError(f"no ONNX form for {type(part).__name__}")

    def _broadcast(self, x: str, part: M.Broadcast, prefix: str, lazy: bool) -> tuple[str, Shape]:
        b = self.b
        y = b.op("Unsqueeze", [x, b.const([a + 1 for a in part.new_axes], np.int64, "axes")], prefix)
        if lazy:  # the consumer's Add broadcasts it
            return y, tuple(1 if i in part.new_axes else d for i, d in enumerate(part.out_shape))
        return b.op("Expand", [y, b.const([1, *part.out_shape], np.int64, "shape")], prefix), part.out_shape

    def _take(self, x: str, shape: Shape, part: M.Take, prefix: str) -> str:
        """A rotation as two slices and a concat, a run as one slice, else a Gather."""
        b = self.b
        idx, axis = part.indices, part.axis + 1
        n = shape[part.axis]
        shift = int(idx[0]) if idx.ndim == 1 and len(idx) == n else 0
        if 0 < shift < n and np.array_equal(idx, np.roll(np.arange(n), -shift)):
            # The one-hot of pc+1, pc+2.
            axes = b.const([axis], np.int64, "axes")
            cut, zero, end = (b.const([v], np.int64, "index") for v in (shift, 0, n))
            head = b.op("Slice", [x, cut, end, axes], prefix)
            tail = b.op("Slice", [x, zero, cut, axes], prefix)
            return b.op("Concat", [head, tail], prefix, axis=axis)
        if idx.ndim == 1 and len(idx) and np.array_equal(idx, np.arange(idx[0], idx[0] + len(idx))):
            return b.op("Slice", [x, b.const([int(idx[0])], np.int64, "start"),
                                  b.const([int(idx[0]) + len(idx)], np.int64, "end"),
                                  b.const([axis], np.int64, "axes")], prefix)
        return b.op("Gather", [x, b.const(idx, np.int64, "index")], prefix, axis=axis)
