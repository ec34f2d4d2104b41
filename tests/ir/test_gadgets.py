"""Every gadget, exhaustively over {0,1} inputs (and every one-hot), against its Boolean formula."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from loopmlp.ir import gadgets as G
from loopmlp.ir.evaluate import evaluate
from loopmlp.ir.graph import Affine, Graph
from loopmlp.ir.machine import Machine


def bench(n_inputs: int):
    """A graph whose first n_inputs state bits are free inputs; returns (graph, bits, run)."""
    g = Graph(Machine(4, 16))
    flat = g.field("mem").reshape((64,))
    bits = [flat.take([i]).sum() for i in range(n_inputs)]

    def run(expr: Affine, assignments: np.ndarray) -> np.ndarray:
        g.linear("probe", expr, "the gadget's value")
        states = np.zeros((len(assignments), g.layout.size), dtype=np.int64)
        mem = g.layout[
            "mem"
        ]  # the free inputs are memory's first entries, wherever they are stored
        states[:, mem.offset + np.argsort(mem.order())[:n_inputs]] = assignments
        _, values = evaluate(g, states, keep=True)
        for name, attrs in g.g.nodes(data=True):
            if attrs["kind"] == "neurons":
                assert set(np.unique(values[name])) <= {0, 1}, f"{name} left {{0,1}}"
        return values["probe"]

    return g, bits, run


def all_inputs(n: int) -> np.ndarray:
    return np.array(list(itertools.product([0, 1], repeat=n)), dtype=np.int64)


@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_and(k):
    g, x, run = bench(k)
    table = all_inputs(k)
    assert (run(G.and_(g, "and", "fetch", *x), table) == table.all(axis=1)).all()


def test_all_of_and_nor():
    g, x, run = bench(4)
    vec = _vector(x, 0, 4)
    table = all_inputs(4)
    assert (
        run(G.all_of(g, "all", "fetch", vec) + 2 * G.nor(g, "nor", "fetch", vec.sum()), table)
        == table.all(axis=1) + 2 * (~table.any(axis=1))
    ).all()


@pytest.mark.parametrize("m", [1, 2, 3])
def test_and_not(m):
    g, x, run = bench(m + 1)
    table = all_inputs(m + 1)
    want = table[:, 0].astype(bool) & ~table[:, 1:].any(axis=1)
    assert (run(G.and_not(g, "an", "fetch", x[0], *x[1:]), table) == want).all()


def test_xor_and_carry():
    g, x, run = bench(2)
    table = all_inputs(2)
    assert (
        run(G.xor(g, "x", "fetch", x[0], x[1]) + 2 * G.carry(g, "c", x[0]), table)
        == (table[:, 0] ^ table[:, 1]) + 2 * table[:, 0]
    ).all()


@pytest.mark.parametrize("width, count", [(4, 16), (4, 8), (3, 8)])
def test_match_is_one_hot_of_the_address(width, count):
    g, x, run = bench(width)
    addr = sum(
        (
            x[i].broadcast((width,), (0,)).scale(np.eye(width, dtype=np.int64)[i])
            for i in range(width)
        ),
        Affine.const(0, (width,)),
    )
    onehot = G.match(g, "m", "fetch", addr, count)
    for a in range(1 << width):
        bits = ((a >> np.arange(width)) & 1)[None]
        want = np.zeros(count, np.int64)
        if a < count:
            want[a] = 1
        weights = 1 << np.arange(count)
        assert run(onehot.matmul(weights[None]), bits)[0, 0] == want @ weights
        g.g.remove_node("probe")


def _vector(x: list[Affine], start: int, n: int) -> Affine:
    unit = np.eye(n, dtype=np.int64)
    parts = (x[start + i].broadcast((n,), (0,)).scale(unit[i]) for i in range(n))
    return sum(parts, Affine.const(0, (n,)))


def test_read_and_write_word_over_every_memory_and_target():
    k, n = 3, 2  # 3 cells of 2 bits, a one-hot (or zero) target, a 2-bit value: 2^6 * 4 * 4 cases
    g, x, run = bench(k * n + k + n)
    mem = _vector(x, 0, k * n).reshape((k, n))
    onehot = _vector(x, k * n, k)
    value = _vector(x, k * n + k, n)
    read = G.read_word(g, "r", "fetch", onehot, mem)
    written = G.write_word(g, "w", "fetch", mem, onehot, value)
    rows = []
    for m_bits in itertools.product([0, 1], repeat=k * n):
        for target in [None, 0, 1, 2]:
            e = [0] * k
            if target is not None:
                e[target] = 1
            for v in itertools.product([0, 1], repeat=n):
                rows.append(list(m_bits) + e + list(v))
    table = np.array(rows, dtype=np.int64)
    got_read = run(read, table)
    g.g.remove_node("probe")
    got_written = run(written, table)
    for row, r, w in zip(table, got_read, got_written, strict=True):
        m_bits, e, v = row[: k * n].reshape(k, n), row[k * n : k * n + k], row[k * n + k :]
        want_read = (m_bits * e[:, None]).sum(axis=0)
        want_written = np.where(e[:, None] == 1, v[None], m_bits)
        assert (r == want_read).all() and (w == want_written).all()


@pytest.mark.parametrize("carry_in", [0, 1])
def test_carry_lookahead_adds(carry_in):
    n = 4
    g, x, run = bench(2 * n)
    a, b = _vector(x, 0, n), _vector(x, n, n)
    gen = G.and_(g, "gen", "fetch", a, b)
    prop = G.xor(g, "prop", "fetch", a, b)
    carries = G.carry_lookahead(g, "carry", "subtract", gen, prop, carry_in)
    total = G.xor(g, "sum", "subtract", prop, carries)
    table = all_inputs(2 * n)
    got = run(total, table)
    weights = 1 << np.arange(n)
    want = (table[:, :n] @ weights + table[:, n:] @ weights + carry_in) % (1 << n)
    assert (got @ weights == want).all()
