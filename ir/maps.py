"""Structured integer linear maps: the weights on the IR's edges.

Every map acts on arrays with a leading batch axis, (B, *in_shape) -> (B, *out_shape), and
has four faces: `apply` (exact, int64), `dense` (the matrix it stands for, out x in),
`abs` (the same structure with |coefficients|, for bounds) and `key` (for deduplication).
The factored ONNX export gives each kind its own op; nothing else knows their insides.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

Shape = tuple[int, ...]


def _digest(array: np.ndarray) -> str:
    a = np.ascontiguousarray(array)
    return hashlib.sha1(a.tobytes() + str(a.shape).encode()).hexdigest()


class LinearMap:
    in_shape: Shape
    out_shape: Shape

    def apply(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def abs(self) -> LinearMap:
        return self

    def key(self) -> tuple:
        raise NotImplementedError

    def dense(self) -> np.ndarray:
        """The matrix W (out_size x in_size) with apply(x) = W @ x, by probing the unit vectors."""
        n = int(np.prod(self.in_shape, dtype=np.int64))
        probe = np.eye(n, dtype=np.int64).reshape((n, *self.in_shape))
        return self.apply(probe).reshape(n, -1).T.copy()


@dataclass(frozen=True, eq=False)
class Scale(LinearMap):
    """out = x * coef, coef a constant broadcastable to the shape (1 is the identity)."""

    shape: Shape
    coef: np.ndarray

    @property
    def in_shape(self) -> Shape:
        return self.shape

    @property
    def out_shape(self) -> Shape:
        return self.shape

    def apply(self, x: np.ndarray) -> np.ndarray:
        return x * self.coef

    def abs(self) -> LinearMap:
        return Scale(self.shape, np.abs(self.coef))

    def key(self) -> tuple:
        return ("scale", self.shape, _digest(self.coef))

    @property
    def is_identity(self) -> bool:
        return bool(np.all(self.coef == 1))


def identity(shape: Shape) -> Scale:
    return Scale(shape, np.array(1, dtype=np.int64))


@dataclass(frozen=True, eq=False)
class Broadcast(LinearMap):
    """out = x repeated along new axes: `new_axes` are positions in out_shape."""

    in_shape: Shape
    out_shape: Shape
    new_axes: tuple[int, ...]

    def apply(self, x: np.ndarray) -> np.ndarray:
        y = np.expand_dims(x, tuple(a + 1 for a in self.new_axes))
        return np.broadcast_to(y, (x.shape[0], *self.out_shape))

    def key(self) -> tuple:
        return ("broadcast", self.in_shape, self.out_shape, self.new_axes)


@dataclass(frozen=True, eq=False)
class Reduce(LinearMap):
    """out = the sum of x over `axes` (positions in in_shape)."""

    in_shape: Shape
    axes: tuple[int, ...]

    @property
    def out_shape(self) -> Shape:
        return tuple(d for i, d in enumerate(self.in_shape) if i not in self.axes)

    def apply(self, x: np.ndarray) -> np.ndarray:
        return x.sum(axis=tuple(a + 1 for a in self.axes))

    def key(self) -> tuple:
        return ("reduce", self.in_shape, self.axes)


@dataclass(frozen=True, eq=False)
class Take(LinearMap):
    """out = x[..., indices, ...] along `axis`: selection, permutation, rotation."""

    in_shape: Shape
    indices: np.ndarray
    axis: int

    @property
    def out_shape(self) -> Shape:
        s = list(self.in_shape)
        s[self.axis : self.axis + 1] = list(self.indices.shape)
        return tuple(s)

    def apply(self, x: np.ndarray) -> np.ndarray:
        return np.take(x, self.indices, axis=self.axis + 1)

    def key(self) -> tuple:
        return ("take", self.in_shape, self.axis, _digest(self.indices))


@dataclass(frozen=True, eq=False)
class MatMul(LinearMap):
    """out[..., i] = sum_j W[i, j] x[..., j]: a small dense block over the last axis."""

    in_shape: Shape
    weight: np.ndarray

    @property
    def out_shape(self) -> Shape:
        return (*self.in_shape[:-1], self.weight.shape[0])

    def apply(self, x: np.ndarray) -> np.ndarray:
        return x @ self.weight.T

    def abs(self) -> LinearMap:
        return MatMul(self.in_shape, np.abs(self.weight))

    def key(self) -> tuple:
        return ("matmul", self.in_shape, _digest(self.weight))


@dataclass(frozen=True, eq=False)
class Reshape(LinearMap):
    in_shape: Shape
    out_shape: Shape

    def apply(self, x: np.ndarray) -> np.ndarray:
        return x.reshape((x.shape[0], *self.out_shape))

    def key(self) -> tuple:
        return ("reshape", self.in_shape, self.out_shape)


@dataclass(frozen=True, eq=False)
class Chain(LinearMap):
    """Composition: `maps[0]` first. Folding a linear node chains its maps into its consumers."""

    maps: tuple[LinearMap, ...]

    @property
    def in_shape(self) -> Shape:
        return self.maps[0].in_shape

    @property
    def out_shape(self) -> Shape:
        return self.maps[-1].out_shape

    def apply(self, x: np.ndarray) -> np.ndarray:
        for m in self.maps:
            x = m.apply(x)
        return x

    def abs(self) -> LinearMap:
        return Chain(tuple(m.abs() for m in self.maps))

    def key(self) -> tuple:
        return ("chain", *(m.key() for m in self.maps))


def then(first: LinearMap, second: LinearMap) -> LinearMap:
    """second . first, dropping identities and flattening chains."""
    if first.out_shape != second.in_shape:
        raise ValueError(f"shape mismatch: {first.out_shape} then {second.in_shape}")
    parts: list[LinearMap] = []
    for m in (first, second):
        for part in m.maps if isinstance(m, Chain) else (m,):
            if not (isinstance(part, Scale) and part.is_identity):
                parts.append(part)
    if not parts:
        return identity(first.in_shape)
    return parts[0] if len(parts) == 1 else Chain(tuple(parts))


def stages(m: LinearMap) -> tuple[LinearMap, ...]:
    """The maps a composed map applies in order (one for a plain map)."""
    return m.maps if isinstance(m, Chain) else (m,)
