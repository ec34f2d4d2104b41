"""One structured map (ir.maps) as ONNX ops, stage by stage; a chain's prefix shared by
several neurons of a layer is built once.

A value's tensor is (B, *shape), or (B, b, a) for a value of shape (a, b) held `swapped`:
the wide two-axis values (memory and what is computed from it) are held swapped, as memory
is stored bit-major in the state, so that sums and broadcasts run along the long word axis.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...ir import maps as M
from .model import Builder

Shape = tuple[int, ...]


ROTATION_SLICES_MIN = 4096  # a rotation at least this long is a slice, not a Gather
GEMM_SUM_MIN = 4096  # a sum along a held last axis at least this long is a Gemm with ones
ROTATION_REACH = 8  # rotations by up to this many places, either way, slice one copy (`_extended`)


@dataclass(frozen=True)
class Value:
    """A tensor holding a value of `shape` (1 on axes a Broadcast left to the consumer),
    `swapped` if its two axes are stored in reverse order, times `sign`."""

    tensor: str
    shape: Shape
    swapped: bool = False
    sign: int = 1

    @property
    def size(self) -> int:
        """The number of entries."""
        return int(np.prod(self.shape, dtype=np.int64))

    def order(self) -> np.ndarray:
        """For each entry of the tensor in C order, its index in the C order of `shape`."""
        index = np.arange(self.size).reshape(self.shape)
        return (index.T if self.swapped else index).reshape(-1)


def stored(shape: Shape, swapped: bool) -> Shape:
    """The shape a value of `shape` is held in."""
    return tuple(shape[::-1]) if swapped else tuple(shape)


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
        assert isinstance(scale, M.Scale)  # a uniform coefficient is a Scale's
        parts.insert(-1, M.Scale(parts[-1].in_shape, np.array(scale.coef.flat[0])))
    return tuple(parts), sign


class MapEmitter:
    """Emits the stages of maps for one layer, caching each (source, prefix of stages)."""

    def __init__(self, b: Builder) -> None:
        self.b = b
        self.cache: dict[tuple, Value] = {}
        self.extended: dict[tuple[str, int], str] = {}  # (tensor, axis) -> see `_extended`

    def emit(
        self, src: str, x: Value, m: M.LinearMap, prefix: str, last_may_broadcast: bool
    ) -> Value:
        """`m` applied to `x` (the value of node `src`). With `last_may_broadcast`, a final
        Broadcast is left to the consumer's Add (the result's shape has 1 on the new axes)."""
        parts = M.stages(m)
        key: tuple = (src,)
        for i, part in enumerate(parts):
            key = (*key, part.key())
            lazy = last_may_broadcast and i == len(parts) - 1
            if (key, lazy) not in self.cache:
                self.cache[(key, lazy)] = self._stage(x, part, prefix, lazy)
            x = self.cache[(key, lazy)]
        return x

    def term(self, src: str, x: Value, m: M.LinearMap, prefix: str) -> Value:
        """`m` applied to `x` as a term of a sum (see `small_first`; a final Broadcast is
        left to the sum)."""
        parts, sign = small_first(m)
        if parts:
            x = self.emit(
                src,
                x,
                M.Chain(parts) if len(parts) > 1 else parts[0],
                prefix,
                last_may_broadcast=True,
            )
        return Value(x.tensor, x.shape, x.swapped, sign)

    def unswap(self, x: Value, prefix: str) -> Value:
        """`x` with its axes in order."""
        if not x.swapped:
            return x
        return Value(
            self.b.op("Transpose", [x.tensor], prefix, perm=[0, 2, 1]), x.shape, False, x.sign
        )

    def swap(self, x: Value, prefix: str) -> Value:
        """`x` held swapped (a two-axis value)."""
        if x.swapped:
            return x
        return Value(
            self.b.op("Transpose", [x.tensor], prefix, perm=[0, 2, 1]), x.shape, True, x.sign
        )

    def _stage(self, x: Value, part: M.LinearMap, prefix: str, lazy: bool) -> Value:
        b = self.b
        if isinstance(part, M.Scale):
            if part.is_identity:
                return x
            coef = part.coef
            if coef.size > 1 and x.swapped:
                coef = np.broadcast_to(coef, x.shape).T
            return Value(
                b.op("Mul", [x.tensor, b.const(coef, hint="scale")], prefix), x.shape, x.swapped
            )
        if isinstance(part, M.Broadcast):
            return self._broadcast(self.unswap(x, prefix), part, prefix, lazy)
        if isinstance(part, M.Reduce):
            axes = [len(x.shape) - 1 - a if x.swapped else a for a in part.axes]
            if len(x.shape) == 2 and axes == [1] and x.shape[part.axes[0]] >= GEMM_SUM_MIN:
                return Value(self._sum_last(x, part, prefix), part.out_shape)
            y = b.op(
                "ReduceSum",
                [x.tensor, b.const(sorted(a + 1 for a in axes), np.int64, "axes")],
                prefix,
                keepdims=0,
            )
            return Value(y, part.out_shape)  # one axis or none: never swapped
        if isinstance(part, M.Take) and part.indices.ndim == 1:
            axis = len(x.shape) - 1 - part.axis if x.swapped else part.axis
            return Value(
                self._take(x.tensor, x.shape[part.axis], part.indices, axis + 1, prefix),
                part.out_shape,
                x.swapped,
            )
        x = self.unswap(x, prefix)
        if isinstance(part, M.Take):
            y = b.op(
                "Gather",
                [x.tensor, b.const(part.indices, np.int64, "index")],
                prefix,
                axis=part.axis + 1,
            )
            return Value(y, part.out_shape)
        if isinstance(part, M.MatMul):
            return Value(
                b.op("MatMul", [x.tensor, b.const(part.weight.T, hint="block")], prefix),
                part.out_shape,
            )
        if isinstance(part, M.Reshape):
            return Value(
                b.op(
                    "Reshape", [x.tensor, b.const([0, *part.out_shape], np.int64, "shape")], prefix
                ),
                part.out_shape,
            )
        raise TypeError(f"no ONNX form for {type(part).__name__}")

    def _sum_last(self, x: Value, part: M.Reduce, prefix: str) -> str:
        """The sums along the last held axis of a two-axis value (B, a, n), as ones (1, n)
        times its rows (B*a, n) transposed: one Gemm reads the tensor faster than ReduceSum."""
        b = self.b
        n = x.shape[part.axes[0]]
        rows = b.op("Reshape", [x.tensor, b.const([-1, n], np.int64, "shape")], prefix)
        sums = b.op("Gemm", [b.const(np.ones((1, n)), hint="ones"), rows], prefix, transB=1)
        return b.op("Reshape", [sums, b.const([-1, *part.out_shape], np.int64, "shape")], prefix)

    def _broadcast(self, x: Value, part: M.Broadcast, prefix: str, lazy: bool) -> Value:
        """A broadcast to two axes is held swapped (its new axes counted from the end)."""
        b = self.b
        swapped = len(part.out_shape) == 2
        axes = sorted((len(part.out_shape) - a if swapped else a + 1) for a in part.new_axes)
        y = b.op("Unsqueeze", [x.tensor, b.const(axes, np.int64, "axes")], prefix)
        if lazy:  # the consumer's Add broadcasts it
            return Value(
                y,
                tuple(1 if i in part.new_axes else d for i, d in enumerate(part.out_shape)),
                swapped,
            )
        y = b.op(
            "Expand", [y, b.const([1, *stored(part.out_shape, swapped)], np.int64, "shape")], prefix
        )
        return Value(y, part.out_shape, swapped)

    def _take(self, x: str, n: int, idx: np.ndarray, axis: int, prefix: str) -> str:
        """Entries `idx` of `x`'s `axis` (of length n): none for all of them in order, a long
        rotation as a slice of `_extended` (or two slices and a concat), a run as one slice,
        else a Gather (one op)."""
        b = self.b
        if np.array_equal(idx, np.arange(n)):
            return x
        shift = int(idx[0]) if len(idx) == n else 0
        if (
            ROTATION_SLICES_MIN <= n
            and 0 < shift < n
            and np.array_equal(idx, np.roll(np.arange(n), -shift))
        ):
            # The one-hot of pc+1, pc+2.
            near = shift if shift <= n // 2 else shift - n  # the same rotation, signed
            if abs(near) <= ROTATION_REACH:
                start = ROTATION_REACH + near
                return self._slice(
                    self._extended(x, n, axis, prefix), start, start + n, axis, prefix
                )
            tail = self._slice(x, 0, shift, axis, prefix)
            head = self._slice(x, shift, n, axis, prefix)
            return b.op("Concat", [head, tail], prefix, axis=axis)
        if len(idx) and np.array_equal(idx, np.arange(idx[0], idx[0] + len(idx))):
            return self._slice(x, int(idx[0]), int(idx[0]) + len(idx), axis, prefix)
        return b.op("Gather", [x, b.const(idx, np.int64, "index")], prefix, axis=axis)

    def _extended(self, x: str, n: int, axis: int, prefix: str) -> str:
        """`x` (of length n on `axis`) between its last and its first ROTATION_REACH entries,
        built once per layer: a rotation by s places, |s| <= ROTATION_REACH, is then one slice
        of it, from ROTATION_REACH + s."""
        key = (x, axis)
        if key not in self.extended:
            reach = ROTATION_REACH
            last = self._slice(x, n - reach, n, axis, prefix)
            first = self._slice(x, 0, reach, axis, prefix)
            self.extended[key] = self.b.op("Concat", [last, x, first], prefix, axis=axis)
        return self.extended[key]

    def _slice(self, x: str, start: int, end: int, axis: int, prefix: str) -> str:
        """Entries start..end-1 of `x`'s `axis`."""
        b = self.b
        return b.op(
            "Slice",
            [
                x,
                b.const([start], np.int64, "start"),
                b.const([end], np.int64, "end"),
                b.const([axis], np.int64, "axes"),
            ],
            prefix,
        )
