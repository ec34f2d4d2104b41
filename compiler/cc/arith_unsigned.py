"""Unsigned arithmetic routines: division and logical right shift of N-bit words read as
0 ... 2^N - 1. Each is built on its signed routine (`arith.div`, `arith.shr`), which gives the
same answer for operands below 2^(N-1); a word of 2^(N-1) or more (negative as a signed word)
is brought below that first. Arguments and results are negated (see `routines.Routine`)."""

from __future__ import annotations

from .arith import read_bits
from .asm import Asm, Z
from .routines import Routine, call_routine, cells, result, take


def ushr(asm: Asm, r: Routine) -> None:
    """-(x >> n), logical (n <= 0: x; n >= N: 0). As `arith.shr` reads the bits N-2 ... n of
    x >= 0 from the top of 2x + 1, this reads them for any x, with res = 1 first where the
    top bit is set: (x >> n) = 2^(N-1-n) + the bits read."""
    out = r.result()
    x, n, y, res, cnt = cells(asm, r, "x", "n", "y", "res", "cnt")
    L = asm.fresh
    top, all_out, zeros, zero, one_in, done = (L() for _ in range(6))
    one = asm.const(1)
    take(asm, r.param(0), x)
    take(asm, r.param(1), n)
    asm.negate(x, out)
    asm.if_le0(n, r.exit)
    asm.set_const(asm.bits - 1, cnt)  # bits N-2 ... n: N-1-n of them; none: all_out
    asm.ins(n, cnt, all_out)
    asm.clear(res)
    asm.move(x, y)
    asm.sign(x, neg=top, nonneg=None)
    asm.ins(y, Z)  # y' = 2y + 1, its top bit by its sign
    asm.ins(one, Z)
    asm.ins(Z, y, one_in)
    asm.ins(Z, Z, zeros)
    asm.label(top)
    asm.set_const(1, res)
    asm.ins(y, Z)
    asm.ins(one, Z)
    asm.ins(Z, y, one_in)
    asm.ins(Z, Z, zero)
    read_bits(asm, y, res, cnt, done, zeros, one_in, one, zero=zero)
    asm.label(done)
    asm.negate(res, out)
    asm.jump(r.exit)
    asm.label(all_out)  # n >= N - 1: 1 for n = N - 1 and a top bit set, else 0
    asm.clear(out)
    asm.sign(x, neg=None, nonneg=r.exit)
    asm.zero(cnt, yes=None, no=r.exit)  # cnt = N-1-n
    asm.set_const(-1, out)


def udiv(asm: Asm, r: Routine, div: str = "rt_div") -> None:
    """-(a / b) and -(a % b), unsigned (b != 0: callers check). Both below 2^(N-1): the signed
    division. b of 2^(N-1) or more: the quotient is 1 where a >= b, else 0. Else a of 2^(N-1)
    or more is 2h + c with h = a >> 1 (logical) and c its low bit: h = q'b + r' by the signed
    division, so a = 2q'b + (2r' + c), and 2r' + c < 2b takes at most one more b. Its
    difference with b, as a word, is negative exactly when it is below b. `div` names the
    signed division routine called."""
    quotient, remainder = r.result(0), r.result(1)
    a, b, h, c, q, rem, t = cells(asm, r, "a", "b", "h", "c", "q", "rem", "t")
    big_a, big_b, done = asm.fresh(), asm.fresh(), asm.fresh()
    take(asm, r.param(0), a)
    take(asm, r.param(1), b)
    asm.sign(b, neg=big_b, nonneg=None)
    asm.sign(a, neg=big_a, nonneg=None)
    call_routine(asm, div, [a, b])
    asm.move(result(div, 0), quotient)
    asm.move(result(div, 1), remainder)
    asm.jump(r.exit)
    asm.label(big_b)  # q = 0 and the remainder a, unless a >= b (both negative as words)
    asm.clear(quotient)
    asm.negate(a, remainder)
    asm.sign(a, neg=None, nonneg=r.exit)
    asm.move(a, t)  # a - b: no overflow between two negative words
    asm.sub(b, t)
    asm.sign(t, neg=r.exit, nonneg=None)
    asm.set_const(-1, quotient)
    asm.negate(t, remainder)
    asm.jump(r.exit)
    asm.label(big_a)
    asm.move(a, h)
    asm.sub(asm.const(-(1 << (asm.bits - 1))), h)  # a - 2^(N-1) >= 0
    call_routine(asm, "rt_shr", [h, asm.const(1)])
    asm.negate(result("rt_shr"), h)
    asm.add_const(1 << (asm.bits - 2), h)  # h = a >> 1
    asm.move(a, c)  # c = a - 2h
    asm.sub(h, c)
    asm.sub(h, c)
    call_routine(asm, div, [h, b])
    asm.negate(result(div, 0), q)
    asm.negate(result(div, 1), rem)
    asm.double(q)
    asm.double(rem)
    asm.add(c, rem)
    asm.move(rem, t)
    asm.sub(b, t)
    asm.sign(t, neg=done, nonneg=None)
    asm.add_const(1, q)
    asm.move(t, rem)
    asm.label(done)
    asm.negate(q, quotient)
    asm.negate(rem, remainder)
