"""Arithmetic routines: multiply, divide, shift, and. Arguments and results are negated
(see `routines.Routine`); every loop walks bits from the top."""

from __future__ import annotations

from .asm import Asm, Z
from .routines import Routine, cells, count_down, take


def mul(asm: Asm, r: Routine, levels: int = 0) -> None:
    """-(a * b) mod 2^N. The multiplier m is the operand of smaller magnitude; its bits N-2 ... 0
    are read from the top of m' = 2m + 1 (see `read_bits`): res = 2 res + y for a one, 2 res
    for a zero, and leading zeros cost 4 steps each. m = 2^(N-1) (a is INT_MIN) makes y's
    N-1 doublings. With `levels`, a multiplier below 2^levels takes `small_multiplier`, and
    two positive operands skip the signs' cases."""
    out = r.result()
    m, y, t, cnt, res = cells(asm, r, "m", "y", "t", "cnt", "res")
    L = asm.fresh
    negative, plain, minus_y, swap_minus, start, big, zeros, one_in, done, nothing = (
        L() for _ in range(10)
    )
    signs, slow = L(), L()
    a, b = r.param(0), r.param(1)  # -a and -b
    if levels:
        asm.clear(m)
        asm.ins(a, m, signs)  # m = a; <= 0: the signs' cases
        asm.clear(y)
        asm.ins(b, y, signs)
        asm.clear(t)
        asm.sub(a, t)
        asm.clear(a)
        asm.clear(b)
        asm.ins(y, t, start)  # t = a - b <= 0: a is the smaller
        asm.add(t, y)  # y = a
        asm.sub(t, m)  # m = b
        asm.jump(start)
    asm.label(signs)
    asm.negate(a, m)  # m * y is the product, with m = |a|: (a, b) or (-a, -b)
    asm.classify(m, positive=None, zero=nothing, negative=negative)
    asm.negate(b, y)
    asm.jump(plain)
    asm.label(negative)
    asm.move(a, m)
    asm.move(b, y)
    asm.label(plain)
    asm.clear(a)
    asm.clear(b)
    asm.sign(m, neg=big, nonneg=None)
    asm.classify(y, positive=None, zero=nothing, negative=minus_y)
    asm.move(m, t)  # t = m - y; > 0: y is the smaller
    asm.ins(y, t, start)
    asm.add(t, y)  # y = m
    asm.sub(t, m)  # m = y
    asm.jump(start)
    asm.label(minus_y)
    asm.clear(t)  # t = -(m + y) <= 0: -y <= m, so multiply by -y
    asm.sub(m, t)
    asm.ins(y, t, swap_minus)
    asm.jump(start)
    asm.label(swap_minus)
    asm.add(t, y)  # y = -m
    asm.add(t, m)  # m = -y
    asm.label(start)  # 0 < m < 2^(N-1)
    if levels:
        small_multiplier(asm, r, m, y, levels, slow)
    asm.label(slow)
    asm.set_const(asm.bits - 1, cnt)
    asm.clear(res)
    asm.ins(m, Z)  # m' = 2m + 1, its top bit by its sign
    asm.ins(asm.const(1), Z)
    asm.ins(Z, m, one_in)
    asm.ins(Z, Z, zeros)
    read_bits(asm, m, res, cnt, done, zeros, one_in, y)
    asm.label(big)  # y 2^(N-1)
    asm.set_const(asm.bits - 1, cnt)
    asm.move(y, res)
    asm.label(big + "_loop")
    asm.double(res)
    count_down(asm, cnt, done)
    asm.jump(big + "_loop")
    asm.label(done)
    asm.negate(res, out)
    asm.jump(r.exit)
    asm.label(nothing)  # a zero operand
    asm.clear(a)
    asm.clear(b)
    asm.clear(out)


def small_multiplier(asm: Asm, r: Routine, m: str, y: str, levels: int, slow: str) -> None:
    """The result -(m y) for 0 < m < 2^levels (else to `slow`, m and y as they were: m above
    2^levels goes there at once), in steps
    that grow with m's bit length, unrolled: e_0 = y, e_(k+1) = -2 e_k (so e_k = (-2)^k y)
    until 2^(k+1) passes m, while m counts down to t = m + 1 - 2^(k+1) (t - 2^k <= 0:
    2^(k+1) > m); then m's bits from that top one down, each by t - 2^k <= 0 (not set: t is
    restored), and each set bit's y 2^k taken from e_k: into the result for even k (out -=
    e_k), into `odd` for odd k (odd -= e_k, so odd = minus their sum), out -= odd at the end;
    all modulo 2^N."""
    levels = min(levels, asm.bits - 2)
    out, odd, t = r.result(), r.scratch("odd"), m
    e = [y] + cells(asm, r, *(f"e{k}" for k in range(1, levels)))
    stop = [asm.fresh("top") for _ in range(levels)]
    bit = [asm.fresh("bit") for _ in range(levels - 1)] + [asm.fresh("prod")]
    small = asm.fresh()
    asm.cell(odd)
    asm.ins(asm.const(1 << levels), t, small)  # t = m - 2^levels; <= 0: small enough
    asm.add_const(1 << levels, t)
    asm.jump(slow)
    asm.label(small)
    asm.clear(out)
    asm.clear(odd)
    for k in range(levels):  # t = m + 1 - 2^k (the first test adds 2^levels back)
        asm.ins(asm.const((1 << k) - (1 << levels if k == 0 else 0)), t, stop[k])
        if k + 1 < levels:
            asm.clear(e[k + 1])
            asm.sub(e[k], e[k + 1])
            asm.sub(e[k], e[k + 1])
    asm.add_const((1 << levels) - 1, t)  # m >= 2^levels: m again, for the loop
    asm.jump(slow)

    def take_bit(k: int) -> None:
        asm.sub(e[k], odd if k % 2 else out)

    for k in range(levels):  # the top bit is k: t = m + 1 - 2^(k+1)
        asm.label(stop[k])
        asm.add_const(1 << k, t)
        take_bit(k)
        asm.jump(bit[k - 1] if k else bit[-1])
    for k in reversed(range(levels - 1)):  # t = (m's bits k ... 0) + 1
        asm.label(bit[k])
        restore = asm.fresh()
        asm.ins(asm.const(1 << k), t, restore)
        take_bit(k)
        asm.jump(bit[k - 1] if k else bit[-1])
        asm.label(restore)
        asm.add_const(1 << k, t)
    asm.label(bit[-1])
    asm.sub(odd, out)
    asm.jump(r.exit)


def div(asm: Asm, r: Routine, levels: int = 0) -> None:
    """-(a / b) and -(a % b), truncating toward zero (b != 0: callers check). |a| by |b| as
    unsigned words, one step per bit of the quotient: the divisor doubles into d = |b| 2^s, the
    largest such <= |a|; then s + 1 times a bit is taken while R >= d (R -= d), and R, q and
    m = q |b| double; the remainder is |a| - m. R stays below 2d, so R - d has the right sign
    modulo 2^N. Then the signs: the quotient is negative when a's and b's differ, the
    remainder has a's. With `levels`, a quotient below 2^levels takes `small_quotient`."""
    quotient, remainder = r.result(0), r.result(1)
    ua, ub, d, dm, ndm, t, q, rem, m, sa, sb, cnt, g = cells(
        asm, r, "ua", "ub", "d", "dm", "ndm", "t", "q", "rem", "m", "sa", "sb", "cnt", "g"
    )
    L = asm.fresh
    big, align, stop, last, loop, low, done, small = (L() for _ in range(8))
    fix, p, n, q_pos, q_neg, big_a = (L() for _ in range(6))
    a_zero, signs, slow = L(), L(), L()
    if levels:  # a > 0 and b > 0: no signs to fix (g = 0 says so to the shared code)
        unrolled, small_pos, too_big, end, fast_end = (L() for _ in range(5))
        a, b = r.param(0), r.param(1)  # -a, and -b: small_quotient's nd_0 (cleared after)
        asm.clear(t)
        asm.ins(a, t, signs)  # t = a; <= 0: the signs' cases
        asm.clear(ub)
        asm.ins(b, ub, signs)
        asm.add_const(1, t)  # (a + 1 may wrap: the next instruction brings it back)
        asm.clear(quotient)  # minus the quotient, built by small_quotient
        asm.ins(ub, t, small_pos)  # t = a + 1 - b <= 0: a < b
        small_quotient(asm, r, ub, b, t, d, quotient, levels, unrolled, end, too_big)
        asm.label(end)
        asm.ins(Z, g, fast_end)  # g = 0: no signs
        asm.clear(b)
        asm.negate(quotient, q)
        asm.move(t, rem)
        asm.add_const(-1, rem)
        asm.clear(g)
        asm.jump(fix)
        asm.label(small_pos)  # a < b: q = 0, the remainder a
        asm.move(a, remainder)
        asm.clear(a)
        asm.clear(b)
        asm.jump(r.exit)
        asm.label(too_big)  # the quotient has `levels` bits or more: the loop goes on aligning
        from_fast, go_on = L(), L()
        asm.clear(b)
        asm.ins(Z, g, from_fast)
        asm.clear(g)
        asm.jump(go_on)
        asm.label(from_fast)
        asm.negate(a, ua)
        asm.clear(a)
        asm.clear(sa)
        asm.clear(sb)
        asm.clear(q)
        asm.label(go_on)  # d = |b| 2^levels <= |a|, t = |a| - d (>= 0; 0 is as good)
        asm.set_const(min(levels, asm.bits - 2) + 1, cnt)
        asm.move(ua, rem)
        asm.jump(align)
    asm.label(signs)
    for i, (ux, sx) in enumerate(((ua, sa), (ub, sb))):
        param, positive = r.param(i), L()
        asm.negate(param, ux)  # ux = x
        asm.clear(sx)
        asm.classify(ux, positive=positive, zero=a_zero if i == 0 else positive, negative=None)
        asm.move(param, ux)  # |x| = -x, as an unsigned word (INT_MIN stays)
        asm.sub(asm.const(-1), sx)
        asm.label(positive)
        asm.clear(param)
    asm.clear(q)
    asm.sign(ub, neg=big, nonneg=None)  # |b| = 2^(N-1): b is INT_MIN
    if levels:
        asm.sign(ua, neg=slow, nonneg=None)  # |a| = 2^(N-1): a is INT_MIN
        asm.move(ua, t)
        asm.ins(ub, t, small)
        asm.add_const(1, t)
        asm.set_const(1, g)
        asm.clear(quotient)
        asm.sub(ub, r.param(1))  # small_quotient's nd_0
        asm.jump(unrolled)
    asm.label(slow)
    asm.move(ua, t)  # t = |a| - |b|; <= 0: q is 0 or 1
    asm.ins(ub, t, small)
    asm.move(ua, rem)
    asm.move(ub, d)
    asm.set_const(1, cnt)  # s + 1 quotient bits
    asm.label(align)  # t = |a| - d > 0: does 2d fit?
    asm.ins(d, t, stop)  # t = |a| - 2d
    asm.sub(asm.const(-1), cnt)
    asm.ins(d, Z)
    asm.ins(Z, d)
    asm.ins(Z, Z, align)
    asm.label(small)  # |a| <= |b|: t = 0 is q = 1 and no remainder, else rem = |a|
    asm.clear(rem)
    asm.zero(t, yes=None, no=small + "_below")
    asm.sub(asm.const(-1), q)
    asm.jump(fix)
    asm.label(small + "_below")
    asm.move(ua, rem)
    asm.jump(fix)
    asm.label(stop)  # 2d > |a| (t < 0), or 2d = |a| (t = 0: one more doubling)
    asm.zero(t, yes=None, no=last)
    asm.double(d)
    asm.sub(asm.const(-1), cnt)
    asm.label(last)
    asm.clear(m)
    asm.move(d, dm)  # dm = d - 1: R - dm > 0 is R >= d
    asm.add_const(-1, dm)
    asm.negate(dm, ndm)
    asm.label(loop)
    asm.ins(dm, rem, low)  # R -= d - 1; <= 0: R < d, undo
    asm.sub(asm.const(1), rem)
    asm.ins(q, Z)  # q = 2q + 1
    asm.ins(asm.const(1), Z)
    asm.ins(Z, q)
    asm.clear(Z)
    asm.ins(m, Z)  # m = 2m + |b|
    asm.ins(ub, Z)
    asm.ins(Z, m)
    asm.clear(Z)
    count_down(asm, cnt, done)
    asm.ins(rem, Z)
    asm.ins(Z, rem)
    asm.ins(Z, Z, loop)
    asm.label(low)
    asm.sub(ndm, rem)
    asm.double(q)
    asm.double(m)
    count_down(asm, cnt, done)
    asm.ins(rem, Z)
    asm.ins(Z, rem)
    asm.ins(Z, Z, loop)
    asm.label(done)
    asm.move(ua, rem)
    asm.sub(m, rem)
    asm.jump(fix)
    asm.label(a_zero)  # 0 / b = 0 % b = 0
    asm.clear(r.param(0))
    asm.clear(r.param(1))
    asm.clear(quotient)
    asm.clear(remainder)
    asm.jump(r.exit)
    asm.label(big)  # b = INT_MIN: q = 1 if a = INT_MIN (then rem = 0), else q = 0, rem = |a|
    asm.clear(rem)
    asm.sign(ua, neg=big_a, nonneg=None)
    asm.move(ua, rem)
    asm.jump(fix)
    asm.label(big_a)
    asm.sub(asm.const(-1), q)
    asm.label(fix)  # results negated: the remainder has a's sign, the quotient a's times b's
    asm.zero(sa, yes=p, no=n)
    asm.label(p)
    asm.negate(rem, remainder)
    asm.zero(sb, yes=q_pos, no=q_neg)
    asm.label(n)
    asm.move(rem, remainder)
    asm.zero(sb, yes=q_neg, no=q_pos)
    asm.label(q_pos)
    asm.negate(q, quotient)
    asm.jump(r.exit)
    asm.label(q_neg)
    asm.move(q, quotient)
    if levels:  # last, so that it falls into the return
        asm.jump(r.exit)
        asm.label(fast_end)
        asm.clear(r.param(0))
        asm.clear(r.param(1))
        asm.negate(t, remainder)  # -(t - 1)
        asm.add_const(1, remainder)


def small_quotient(
    asm: Asm,
    r: Routine,
    b: str,
    nb: str,
    t: str,
    big: str,
    nq: str,
    levels: int,
    entry: str,
    end: str,
    slow: str,
) -> None:
    """From `entry`, for 0 < b <= a < 2^(N-1) with nb = -b, t = a + 1 - b and nq = 0:
    nq = -(a / b) and t = a % b + 1, then to `end`, in steps that grow with the quotient's bit
    length, unrolled; a quotient of 2^levels or more goes to `slow` instead, with
    big = b 2^levels <= a and t = a - big (b and nq as they were).
    d_0 = b, d_(k+1) = 2 d_k (and nd_k = -d_k) until 2 d_k passes a, while t = a + 1 - d_(k+1)
    counts down (<= 0: 2 d_k > a; it cannot overflow, as d_k <= a); then the quotient's bits
    from that top one down, without restoring: with t = R + 1 (R the remainder so far), bit k
    is set where t - d_k > 0; where it is not, t = R + 1 - 2 d_(k-1) stays so, and bit k - 1
    is set where t + d_(k-1) > 0 (one instruction either way, and t is the remainder + 1 at
    the end). The quotient is built negated, nq -= 2^k, whose result <= 0 makes the jump on
    to the next bit free."""
    levels = min(levels, asm.bits - 2)
    d = [b] + cells(asm, r, *(f"d{k}" for k in range(1, levels)))
    nd = [nb] + cells(asm, r, *(f"nd{k}" for k in range(1, levels)))
    stop = [asm.fresh("top") for _ in range(levels)]
    bit = [asm.fresh("bit") for _ in range(levels - 1)] + [end]
    asm.label(entry)
    for k in range(levels):
        asm.ins(d[k], t, stop[k])
        if k + 1 < levels:
            asm.clear(nd[k + 1])
            asm.sub(d[k], nd[k + 1])
            asm.sub(d[k], nd[k + 1])
            asm.negate(nd[k + 1], d[k + 1])
    asm.clear(big)  # the quotient has more bits: t = a + 1 - 2 d_(levels-1)
    asm.sub(nd[-1], big)
    asm.sub(nd[-1], big)
    asm.add_const(-1, t)
    asm.jump(slow)
    under = [asm.fresh("under") for _ in range(levels - 1)] + [asm.fresh("under")]
    for k in range(levels):  # the top bit is k: t = a + 1 - 2 d_k, as under[k - 1] wants it
        asm.label(stop[k])
        asm.ins(asm.const(1 << k), nq, under[k - 1])  # always jumps
    for k in reversed(range(levels - 1)):
        asm.label(bit[k])  # t = R + 1, R < 2 d_k the remainder so far
        asm.ins(d[k], t, under[k - 1])  # t = R + 1 - d_k; <= 0: R < d_k
        asm.ins(asm.const(1 << k), nq, bit[k - 1] if k else end)  # always jumps
        asm.label(under[k])  # t = R + 1 - 2 d_k: R < d_k went unrestored
        asm.ins(nd[k], t, under[k - 1])  # t = R + 1 - d_k; <= 0: R < d_k
        asm.ins(asm.const(1 << k), nq, bit[k - 1] if k else end)  # always jumps
    asm.label(under[-1])  # after bit 0: t = R + 1 - d_0
    asm.sub(nd[0], t)


def shl(asm: Asm, r: Routine) -> None:
    """-(x << n): n doublings of -x (n <= 0: -x; n >= N: 0)."""
    out = r.result()
    n, t = cells(asm, r, "n", "t")
    loop, zero = asm.fresh(), asm.fresh()
    asm.move(r.param(0), out)  # -x
    asm.clear(r.param(0))
    take(asm, r.param(1), n)
    asm.if_le0(n, r.exit)
    asm.set_const(asm.bits, t)  # t = N - n; <= 0: every bit shifted out
    asm.ins(n, t, zero)
    asm.double(out)  # then a count before each doubling
    asm.label(loop)
    count_down(asm, n, r.exit)
    asm.ins(out, Z)
    asm.ins(Z, out)
    asm.ins(Z, Z, loop)
    asm.label(zero)
    asm.clear(out)


def read_bits(
    asm: Asm,
    y: str,
    res: str,
    cnt: str,
    done: str,
    zeros: str,
    one_in: str,
    addend: str,
    zero: str | None = None,
) -> None:
    """res = 2 res + bit * addend for cnt bits from the top of y, whose current top bit the
    caller knows:
    `zeros` for a 0 while res is still 0 (a count and a doubling), `one_in` for a 1 (it
    clears Z), `zero` (a label the caller may name) for a 0 once res is not. y must not
    reach 0 (a 1 below the bits read keeps it off): doubling it then tells its next bit by
    its sign. Then `done`."""
    zero = zero or asm.fresh()
    asm.label(zeros)  # leading zeros: res stays 0
    count_down(asm, cnt, done)
    asm.ins(y, Z)
    asm.ins(Z, y, one_in)
    asm.ins(Z, Z, zeros)
    asm.label(one_in)
    asm.clear(Z)  # res = 2 res + addend
    asm.ins(res, Z)
    asm.ins(addend, Z)
    asm.ins(Z, res)
    asm.clear(Z)
    count_down(asm, cnt, done)
    asm.ins(y, Z)
    asm.ins(Z, y, one_in)
    asm.ins(Z, Z, zero)
    asm.label(zero)  # res = 2 res
    asm.ins(res, Z)
    asm.ins(Z, res)
    asm.clear(Z)
    count_down(asm, cnt, done)
    asm.ins(y, Z)
    asm.ins(Z, y, one_in)
    asm.ins(Z, Z, zero)


def shr(asm: Asm, r: Routine) -> None:
    """-(x >> n), arithmetic (n <= 0: x; n >= N - 1: 0 or -1). For x < 0, x >> n = ~(~x >> n)
    with ~x >= 0. Of y >= 0 the bits N-2 ... n are read from the top of y' = 2y + 1 (the 1
    keeps y' off 0): a leading zero costs 4 steps, a bit after them 7 or 8."""
    out = r.result()
    x, n, y, res, cnt, sx = cells(asm, r, "x", "n", "y", "res", "cnt", "sx")
    L = asm.fresh
    all_out, nonneg, start, zeros, one_in, done, positive = (L() for _ in range(7))
    take(asm, r.param(0), x)
    take(asm, r.param(1), n)
    asm.negate(x, out)
    asm.if_le0(n, r.exit)
    asm.set_const(asm.bits - 1, cnt)  # bits N-2 ... n: N-1-n of them; none: all shifted out
    asm.ins(n, cnt, all_out)
    asm.clear(res)
    asm.classify(x, positive=nonneg, zero=r.exit, negative=None)
    asm.set_const(1, sx)
    asm.negate(x, y)  # ~x = -x - 1
    asm.add_const(-1, y)
    asm.zero(y, yes=done, no=start)
    asm.label(nonneg)
    asm.clear(sx)
    asm.move(x, y)
    asm.label(start)
    asm.ins(y, Z)  # y' = 2y + 1, its top bit by its sign
    asm.ins(asm.const(1), Z)
    asm.ins(Z, y, one_in)
    asm.ins(Z, Z, zeros)
    read_bits(asm, y, res, cnt, done, zeros, one_in, asm.const(1))
    asm.label(done)  # x >= 0: -res; x < 0: -~res = res + 1
    asm.zero(sx, yes=positive, no=None)
    asm.move(res, out)
    asm.sub(asm.const(-1), out)
    asm.jump(r.exit)
    asm.label(positive)
    asm.negate(res, out)
    asm.jump(r.exit)
    asm.label(all_out)  # n >= N - 1: 0, or -(-1) for a negative x
    asm.clear(out)
    asm.sign(x, neg=None, nonneg=r.exit)
    asm.sub(asm.const(-1), out)


def and_(asm: Asm, r: Routine) -> None:
    """-(a & b). a rotates: N times a = 2a + (a's top bit & b's top bit) while b doubles, so a
    ends as a & b. Each doubling tells the next top bit by its sign, but a 0 looks like a 1:
    where both look set, a = 0 means the result is 0 (no bits kept, none left) and b = 0
    that no more bits are kept (a then only doubles)."""
    out = r.result()
    a, b, cnt = cells(asm, r, "a", "b", "cnt")
    L = asm.fresh
    both, neither, a_set, a_set_in, b_set_in, a_neg, b_neg, odd, tail, done, nothing = (
        L() for _ in range(11)
    )
    one = asm.const(1)
    minus_one = asm.const(-1)
    take(asm, r.param(0), a)
    take(asm, r.param(1), b)
    asm.set_const(asm.bits + 1, cnt)  # a count before each of the N bits
    a_positive = L()
    asm.classify(a, positive=a_positive, zero=nothing, negative=None)
    asm.classify(b, positive=neither, zero=nothing, negative=both)
    asm.label(a_positive)
    asm.classify(b, positive=neither, zero=nothing, negative=neither)
    asm.label(neither)  # a bit of a & b that is 0: a = 2a
    count_down(asm, cnt, done)
    asm.ins(a, Z)
    asm.ins(Z, a, a_set_in)
    asm.clear(Z)
    asm.ins(b, Z)  # a's next top bit is 0: whatever b's is
    asm.ins(Z, b)
    asm.ins(Z, Z, neither)
    asm.label(a_set_in)
    asm.clear(Z)
    asm.label(a_set)  # a's next top bit looks set: b decides
    asm.ins(b, Z)
    asm.ins(Z, b, b_set_in)
    asm.ins(Z, Z, neither)
    asm.label(b_set_in)
    asm.clear(Z)
    asm.label(both)  # both look set
    count_down(asm, cnt, done)
    asm.ins(minus_one, a, a_neg)  # a + 1 > 0: a was 0
    asm.ins(Z, Z, nothing)
    asm.label(a_neg)
    asm.ins(one, a)
    asm.ins(minus_one, b, b_neg)  # b + 1 > 0: b was 0
    asm.ins(Z, Z, tail)
    asm.label(b_neg)
    asm.ins(one, b)
    asm.ins(a, Z)  # a = 2a + 1
    asm.ins(Z, a, odd)
    asm.clear(Z)
    asm.ins(minus_one, a)
    asm.ins(b, Z)
    asm.ins(Z, b)
    asm.ins(Z, Z, neither)
    asm.label(odd)  # 2a <= 0: 2a + 1 <= 0 is a set top bit
    asm.clear(Z)
    asm.ins(minus_one, a, a_set)
    asm.ins(b, Z)
    asm.ins(Z, b)
    asm.ins(Z, Z, neither)
    asm.label(tail)  # b's bits are all 0: a doubles for this bit and the rest
    asm.sub(minus_one, cnt)
    asm.label(tail + "_loop")
    count_down(asm, cnt, done)
    asm.ins(a, Z)
    asm.ins(Z, a)
    asm.ins(Z, Z, tail + "_loop")
    asm.label(nothing)
    asm.clear(a)
    asm.label(done)
    asm.negate(a, out)


def low_bits(asm: Asm, r: Routine) -> None:
    """-(x & (2^k - 1)) for 0 < k < N: N - k doublings bring the low k bits to the top (4 steps
    each), a 1 below them keeps the word off 0, and they are read from there."""
    out = r.result()
    x, k, cnt, res = cells(asm, r, "x", "k", "cnt", "res")
    L = asm.fresh
    up, read, zeros, one_in, done = L(), L(), L(), L(), L()
    take(asm, r.param(0), x)
    take(asm, r.param(1), k)
    asm.clear(res)
    asm.zero(x, yes=done, no=None)
    asm.set_const(asm.bits + 1, cnt)  # N - k + 1: a count before each doubling
    asm.sub(k, cnt)
    asm.label(up)
    count_down(asm, cnt, read)
    asm.ins(x, Z)
    asm.ins(Z, x)
    asm.ins(Z, Z, up)
    asm.label(read)
    asm.move(k, cnt)
    asm.ins(asm.const(-1), x, one_in)  # the 1 below; <= 0: the top bit is set
    asm.ins(Z, Z, zeros)
    read_bits(asm, x, res, cnt, done, zeros, one_in, asm.const(1))
    asm.label(done)
    asm.negate(res, out)


def less_than(asm: Asm, r: Routine) -> None:
    """a < b, signed: the result is 0 when it holds and 1 when not (one `Z r yes` tests it)."""
    a, b, t = cells(asm, r, "a", "b", "t")
    yes, no = asm.fresh(), asm.fresh()
    take(asm, r.param(0), a)
    take(asm, r.param(1), b)
    asm.if_less(a, b, t, yes, no)
    asm.label(no)
    asm.set_const(1, r.result())
    asm.jump(r.exit)
    asm.label(yes)
    asm.clear(r.result())
