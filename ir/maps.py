"""Structured integer linear maps: the weights on the IR's edges.

Every map acts on arrays with a leading batch axis, (B, *in_shape) -> (B, *out_shape), and
has four faces: `apply` (exact, int64), `dense` (the matrix it stands for, out x in),
`abs` (the same structure with |coefficients|, for bounds) and `key` (for deduplication).
The factored ONNX export gives each kind its own op; nothing else knows their insides.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

Shape = tuple[int, ...]


def _digest(array: np.ndarray) -> str:
    a = np.ascontiguousarray(array)
    return hashlib.sha1(a.tobytes() + str(a.shape).encode()).hexdigest()


class LinearMap:
    """An integer linear map from (B, *in_shape) to (B, *out_shape)."""

    if TYPE_CHECKING:  # each kind has them as fields or as properties

        @property
        def in_shape(self) -> Shape: ...

        @property
        def out_shape(self) -> Shape: ...

    def apply(self, x: np.ndarray) -> np.ndarray:
        """The map applied to a batch `x` (exact, int64)."""
        raise NotImplementedError

    def abs(self) -> LinearMap:
        """The same structure with |coefficients| (for bounds)."""
        return self

    def key(self) -> tuple:
        """A hashable description: equal keys, equal maps (for deduplication)."""
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
        """The shape it reads."""
        return self.shape

    @property
    def out_shape(self) -> Shape:
        """The shape it writes (the same)."""
        return self.shape

    def apply(self, x: np.ndarray) -> np.ndarray:
        """x * coef."""
        return x * self.coef

    def abs(self) -> LinearMap:
        """x * |coef|."""
        return Scale(self.shape, np.abs(self.coef))

    def key(self) -> tuple:
        """Shape and coefficients."""
        return ("scale", self.shape, _digest(self.coef))

    @property
    def is_identity(self) -> bool:
        """Whether every coefficient is 1."""
        return bool(np.all(self.coef == 1))


def identity(shape: Shape) -> Scale:
    """The identity map on `shape`."""
    return Scale(shape, np.array(1, dtype=np.int64))


@dataclass(frozen=True, eq=False)
class Broadcast(LinearMap):
    """out = x repeated along new axes: `new_axes` are positions in out_shape."""

    in_shape: Shape
    out_shape: Shape
    new_axes: tuple[int, ...]

    def apply(self, x: np.ndarray) -> np.ndarray:
        """x repeated along the new axes."""
        y = np.expand_dims(x, tuple(a + 1 for a in self.new_axes))
        return np.broadcast_to(y, (x.shape[0], *self.out_shape))

    def key(self) -> tuple:
        """Shapes and new axes."""
        return ("broadcast", self.in_shape, self.out_shape, self.new_axes)


@dataclass(frozen=True, eq=False)
class Reduce(LinearMap):
    """out = the sum of x over `axes` (positions in in_shape)."""

    in_shape: Shape
    axes: tuple[int, ...]

    @property
    def out_shape(self) -> Shape:
        """in_shape without the summed axes."""
        return tuple(d for i, d in enumerate(self.in_shape) if i not in self.axes)

    def apply(self, x: np.ndarray) -> np.ndarray:
        """x summed over the axes."""
        return x.sum(axis=tuple(a + 1 for a in self.axes))

    def key(self) -> tuple:
        """Shape and axes."""
        return ("reduce", self.in_shape, self.axes)


@dataclass(frozen=True, eq=False)
class Take(LinearMap):
    """out = x[..., indices, ...] along `axis`: selection, permutation, rotation."""

    in_shape: Shape
    indices: np.ndarray
    axis: int

    @property
    def out_shape(self) -> Shape:
        """in_shape with `axis` replaced by the indices' shape."""
        s = list(self.in_shape)
        s[self.axis : self.axis + 1] = list(self.indices.shape)
        return tuple(s)

    def apply(self, x: np.ndarray) -> np.ndarray:
        """x[..., indices, ...]."""
        return np.take(x, self.indices, axis=self.axis + 1)

    def key(self) -> tuple:
        """Shape, axis and indices."""
        return ("take", self.in_shape, self.axis, _digest(self.indices))


@dataclass(frozen=True, eq=False)
class MatMul(LinearMap):
    """out[..., i] = sum_j W[i, j] x[..., j]: a small dense block over the last axis."""

    in_shape: Shape
    weight: np.ndarray

    @property
    def out_shape(self) -> Shape:
        """in_shape with the last axis of the weight's height."""
        return (*self.in_shape[:-1], self.weight.shape[0])

    def apply(self, x: np.ndarray) -> np.ndarray:
        """x @ W.T."""
        return x @ self.weight.T

    def abs(self) -> LinearMap:
        """x @ |W|.T."""
        return MatMul(self.in_shape, np.abs(self.weight))

    def key(self) -> tuple:
        """Shape and weight."""
        return ("matmul", self.in_shape, _digest(self.weight))


@dataclass(frozen=True, eq=False)
class Reshape(LinearMap):
    """out = x in another shape (same elements, same order)."""

    in_shape: Shape
    out_shape: Shape

    def apply(self, x: np.ndarray) -> np.ndarray:
        """x reshaped."""
        return x.reshape((x.shape[0], *self.out_shape))

    def key(self) -> tuple:
        """Both shapes."""
        return ("reshape", self.in_shape, self.out_shape)


@dataclass(frozen=True, eq=False)
class Chain(LinearMap):
    """Composition: `maps[0]` first. Folding a linear node chains its maps into its consumers."""

    maps: tuple[LinearMap, ...]

    @property
    def in_shape(self) -> Shape:
        """The first map's input shape."""
        return self.maps[0].in_shape

    @property
    def out_shape(self) -> Shape:
        """The last map's output shape."""
        return self.maps[-1].out_shape

    def apply(self, x: np.ndarray) -> np.ndarray:
        """Each map in turn."""
        for m in self.maps:
            x = m.apply(x)
        return x

    def abs(self) -> LinearMap:
        """Each map with |coefficients|."""
        return Chain(tuple(m.abs() for m in self.maps))

    def key(self) -> tuple:
        """The keys of the maps in order."""
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
