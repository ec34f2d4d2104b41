"""The gadget library: small ReLU blocks, each exact on {0,1} inputs with integer weights.

Each function adds one or two neuron nodes to the graph and returns the gadget's value as an
affine expression over them (a sum of neurons is linear: it costs no layer). Nothing outside
this module writes a gadget's weights. Inputs are affine expressions whose values are bits
(or, where stated, a one-hot vector) on every reachable state.
"""

from __future__ import annotations

import numpy as np

from .graph import Affine, Graph


def carry(g: Graph, name: str, x: Affine, stage: str | None = None) -> Affine:
    """pass: ReLU(x) = x for a bit x; keeps a value alive for one more layer."""
    return g.neurons(name, x, "pass", stage, "carry a bit to the next layer")


def and_(g: Graph, name: str, stage: str, *xs: Affine, doc: str = "") -> Affine:
    """AND of k bits: ReLU(x_1 + ... + x_k - (k - 1))."""
    pre = xs[0]
    for x in xs[1:]:
        pre = pre + x
    return g.neurons(name, pre - (len(xs) - 1), "AND", stage, doc or f"AND of {len(xs)} bits")


def all_of(g: Graph, name: str, stage: str, bits: Affine, doc: str = "") -> Affine:
    """AND of every bit of a vector: ReLU(sum(x) - (size - 1))."""
    size = int(np.prod(bits.shape))
    return g.neurons(name, bits.sum() - (size - 1), "AND", stage, doc or f"AND of {size} bits")


def and_not(g: Graph, name: str, stage: str, x: Affine, *ys: Affine, doc: str = "") -> Affine:
    """x AND NOT y_1 AND ... AND NOT y_m: ReLU(x - y_1 - ... - y_m)."""
    pre = x
    for y in ys:
        pre = pre - y
    return g.neurons(name, pre, "AND_NOT", stage, doc or "x AND NOT any of y")


def nor(g: Graph, name: str, stage: str, total: Affine, doc: str = "") -> Affine:
    """NOR of bits given as their sum s: ReLU(1 - s), 1 iff every bit is 0."""
    return g.neurons(name, 1 - total, "NOR", stage, doc or "1 iff every bit is 0")


def xor(g: Graph, name: str, stage: str, x: Affine, y: Affine, doc: str = "") -> Affine:
    """x XOR y = ReLU(x - y) + ReLU(y - x): two neuron arrays, summed by the consumer."""
    diff = x - y
    lo = g.neurons(f"{name}.x_not_y", diff, "XOR", stage, doc or "XOR half: x AND NOT y")
    hi = g.neurons(f"{name}.y_not_x", -diff, "XOR", stage, doc or "XOR half: y AND NOT x")
    return lo + hi


def address_codes(count: int, width: int) -> np.ndarray:
    """code(i) in {+-1}^width for i < count: +1 where bit b of i is 1 (LSB first)."""
    bits = (np.arange(count)[:, None] >> np.arange(width)) & 1
    return (2 * bits - 1).astype(np.int64)


def match(g: Graph, name: str, stage: str, addr: Affine, count: int, doc: str = "") -> Affine:
    """One-hot of an address: e_i = ReLU(<2 addr - 1, code(i)> - L + 1), 1 iff addr = i.

    addr is L bits; i ranges over 0..count-1 (bits of addr above log2(count) must be 0 to
    match). The weights are the rank-L block 2 code; the bias is -sum(code(i)) - L + 1.
    """
    (width,) = addr.shape
    code = address_codes(count, width)
    pre = addr.matmul(2 * code) + (-code.sum(axis=1) - width + 1)
    return g.neurons(name, pre, "MATCH", stage, doc or f"one-hot of a {width}-bit address")


def read_word(
    g: Graph, name: str, stage: str, onehot: Affine, mem: Affine, doc: str = ""
) -> Affine:
    """Word at a one-hot e: bit j = sum_k AND(e_k, M_kj), K*N AND neurons, the sum linear."""
    k, n = mem.shape
    pre = onehot.broadcast((k, n), (1,)) + mem - 1
    ands = g.neurons(name, pre, "READ_AND", stage, doc or f"AND(e_k, M_kj) for {k}x{n} bits")
    return ands.sum((0,))


def write_word(
    g: Graph, name: str, stage: str, mem: Affine, onehot: Affine, value: Affine
) -> Affine:
    """M'_kj = AND(M_kj, NOT w_k) + AND(v_j, w_k) for a one-hot (or all-zero) w: 2*K*N neurons."""
    k, n = mem.shape
    w = onehot.broadcast((k, n), (1,))
    keep = g.neurons(f"{name}.keep", mem - w, "WRITE_KEEP", stage, "AND(M_kj, NOT w_k)")
    put = g.neurons(
        f"{name}.put", value.broadcast((k, n), (0,)) + w - 1, "WRITE_PUT", stage, "AND(v_j, w_k)"
    )
    return keep + put


def carry_lookahead(
    g: Graph,
    name: str,
    stage: str,
    gen: Affine,
    prop: Affine,
    carry_in: int,
    can_generate: np.ndarray | None = None,
) -> Affine:
    """Carries of x + y + carry_in from generate g_i = x_i AND y_i and propagate p_i = x_i XOR y_i.

    c_i = sum_{k<i} AND(g_k, p_{k+1}, ..., p_{i-1}) + carry_in * AND(p_0, ..., p_{i-1}).
    At most one term of each sum is 1 (g_k = 1 forces p_k = 0), so OR is a sum, and every
    weight and bias is at most N: exact in float32 for N = 32. Terms with g_k known to be 0
    (`can_generate` False) are left out. Returns the N carries, linear in the term neurons.
    """
    (n,) = gen.shape
    can_generate = np.ones(n, bool) if can_generate is None else can_generate
    rows_g, rows_p, bias, sums = [], [], [], []
    for i in range(1, n):
        starts = [k for k in range(i) if can_generate[k]] + ([-1] if carry_in else [])
        for k in starts:
            gk = np.zeros(n, np.int64)
            pk = np.zeros(n, np.int64)
            if k >= 0:
                gk[k] = 1
            pk[k + 1 : i] = 1
            rows_g.append(gk)
            rows_p.append(pk)
            bias.append(-(int(gk.sum() + pk.sum()) - 1))
            sums.append(i)
    terms = g.neurons(
        name,
        gen.matmul(np.array(rows_g)) + prop.matmul(np.array(rows_p)) + np.array(bias),
        "CARRY_AND",
        stage,
        "AND(g_k, p_k+1..p_i-1): the run that carries into bit i",
    )
    to_carry = np.zeros((n, len(sums)), np.int64)
    to_carry[sums, np.arange(len(sums))] = 1
    carries = terms.matmul(to_carry)
    if carry_in:
        carries = carries + np.eye(n, dtype=np.int64)[0]
    return carries
