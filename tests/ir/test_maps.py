"""ir/maps: each map against the matrix it stands for, composition, |coefficients| and keys."""

from __future__ import annotations

import numpy as np
import pytest

from loopmlp.ir import maps as M

RNG = np.random.default_rng(3)
MAPS = [
    M.Scale((3, 2), np.array([[1, -2], [3, 0], [-1, 4]])),
    M.identity((5,)),
    M.Broadcast((3,), (2, 3), (0,)),
    M.Reduce((3, 4), (1,)),
    M.Take((5,), np.array([4, 0, 0, 2]), 0),
    M.MatMul((2, 3), np.array([[1, -1, 2], [0, 3, -4]])),
    M.Reshape((2, 3), (6,)),
]


@pytest.mark.parametrize("m", MAPS, ids=lambda m: type(m).__name__)
def test_apply_is_the_dense_matrix(m):
    x = RNG.integers(-5, 6, (7, *m.in_shape))
    want = x.reshape(7, -1) @ m.dense().T
    assert (m.apply(x).reshape(7, -1) == want).all()
    assert m.apply(x).shape == (7, *m.out_shape)


@pytest.mark.parametrize("m", MAPS, ids=lambda m: type(m).__name__)
def test_abs_is_the_absolute_matrix(m):
    assert (m.abs().dense() == np.abs(m.dense())).all()


def test_then_composes_in_order_drops_identities_and_flattens():
    first = M.Take((5,), np.array([4, 1, 2]), 0)
    second = M.MatMul((3,), np.array([[1, 2, -3]]))
    both = M.then(first, second)
    assert (both.dense() == second.dense() @ first.dense()).all()
    assert M.then(M.identity((5,)), first) is first
    assert M.then(first, M.identity((3,))) is first
    three = M.then(both, M.Scale((1,), np.array(2)))
    assert isinstance(three, M.Chain) and len(M.stages(three)) == 3
    assert M.stages(first) == (first,)
    with pytest.raises(ValueError, match="shape mismatch"):
        M.then(second, first)


def test_equal_maps_share_a_key_and_different_ones_do_not():
    a = M.MatMul((3,), np.array([[1, 2, 3]]))
    assert a.key() == M.MatMul((3,), np.array([[1, 2, 3]])).key()
    assert a.key() != M.MatMul((3,), np.array([[1, 2, 4]])).key()
    assert M.Take((4,), np.array([0, 1]), 0).key() != M.Take((4,), np.array([[0, 1]]), 0).key()
    assert M.Reduce((2, 2), (0,)).key() != M.Reduce((2, 2), (1,)).key()
