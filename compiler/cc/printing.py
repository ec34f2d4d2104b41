"""Printing routines behind printf: decimal (signed and unsigned), hexadecimal, octal, strings."""

from __future__ import annotations

from collections.abc import Callable

from .asm import IO, Asm, Z
from .routines import Routine, call_routine, cells, count_down, result, take


def powers_of_ten(bits: int) -> list[int]:
    """10^k >= 10 below 2^(N-1), largest first: the decimal printer's table."""
    powers, p = [], 10
    while p < 1 << (bits - 1):
        powers.append(p)
        p *= 10
    return powers[::-1]


def putd(asm: Asm, r: Routine) -> None:
    """Print x in decimal. v = -|x| (which holds INT_MIN too); each power of ten from the
    table is added to v while v stays <= 0, counting the digit; leading zeros are skipped."""
    x, v, np_, nP, P, ch = cells(asm, r, "x", "v", "np", "nP", "P", "ch")
    table = r.scratch("pow10")
    asm.cell(table, [str(p) for p in powers_of_ten(asm.bits)] + ["0"])
    L = asm.fresh
    negative, go, skip, found, digits, digit, more, last = (L() for _ in range(8))
    asm.negate(r.param(0), x)
    asm.sign(x, neg=negative, nonneg=None)
    asm.move(r.param(0), v)
    asm.jump(go)
    asm.label(negative)
    asm.ins(asm.const(ord("-")), IO)
    asm.move(x, v)
    asm.label(go)
    asm.clear(r.param(0))
    asm.negate(asm.const(table), np_)  # np = -(address of the current power)

    def load_negated_power() -> None:
        word = asm.fresh("w")
        asm.clear(word)
        asm.sub(np_, word)
        asm.clear(nP)
        asm.ins("0", nP, fixed=True).labels.insert(0, word)  # nP = -table[i]
        asm.zero(nP, yes=last, no=None)

    asm.label(skip)  # powers above |x| print nothing
    load_negated_power()
    asm.ins(nP, v, found)  # v += P; <= 0: |x| >= P
    asm.negate(nP, P)
    asm.sub(P, v)
    asm.sub(asm.const(1), np_)
    asm.jump(skip)
    asm.label(found)
    asm.set_const(ord("1"), ch)
    asm.jump(digit)
    asm.label(digits)
    load_negated_power()
    asm.set_const(ord("0"), ch)
    asm.label(digit)
    asm.ins(nP, v, more)  # v += P; <= 0: one more
    asm.negate(nP, P)
    asm.sub(P, v)
    asm.ins(ch, IO)
    asm.sub(asm.const(1), np_)
    asm.jump(digits)
    asm.label(more)
    asm.sub(asm.const(-1), ch)
    asm.jump(digit)
    asm.label(last)  # the units: '0' - v
    asm.set_const(ord("0"), ch)
    asm.sub(v, ch)
    asm.ins(ch, IO)


def putu(asm: Asm, r: Routine) -> None:
    """Print x as an unsigned N-bit number: as putd below 2^(N-1). Above, x = h + 2^(N-1)
    with h = x without its top bit, and 2^(N-1) = 10 D + R: the number is
    10 (D + h / 10) + (h % 10 + R), with one carry when h % 10 + R >= 10."""
    x, q, t = cells(asm, r, "x", "q", "t")
    big, printed = asm.fresh(), asm.fresh()
    half = 1 << (asm.bits - 1)
    take(asm, r.param(0), x)
    asm.sign(x, neg=big, nonneg=None)
    call_routine(asm, "rt_putd", [x])
    asm.jump(r.exit)
    asm.label(big)
    asm.sub(asm.const(half), x)  # h: the top bit cleared
    call_routine(asm, "rt_div", [x, asm.const(10)])
    asm.negate(result("rt_div", 0), q)
    asm.add_const(half // 10, q)
    asm.negate(result("rt_div", 1), t)
    asm.add_const(half % 10 - 10, t)  # t = h % 10 + R - 10; >= 0: carry
    asm.sign(t, neg=printed, nonneg=None)
    asm.sub(asm.const(-1), q)
    asm.add_const(-10, t)
    asm.label(printed)
    asm.add_const(10 + ord("0"), t)
    call_routine(asm, "rt_putd", [q])
    asm.ins(t, IO)


def put_digits(width: int, letter: str) -> Callable[[Asm, Routine], None]:
    """A printer of x in base 2^width (hexadecimal: 4, octal: 3) without leading zeros, its
    digits above 9 from `letter`: groups of `width` bits from the top (the first has the
    N mod width bits left over)."""

    def body(asm: Asm, r: Routine) -> None:
        x, d, k, nb, left, started, t = cells(asm, r, "x", "d", "k", "nb", "left", "started", "t")
        L = asm.fresh
        nibble, bit, no_bit, done_bits, show, high, out, last_zero = (L() for _ in range(8))
        count = -(-asm.bits // width)
        take(asm, r.param(0), x)
        asm.set_const(count, left)
        asm.set_const(asm.bits - width * (count - 1), nb)
        asm.clear(started)
        asm.label(nibble)
        asm.clear(d)
        asm.move(nb, k)
        asm.label(bit)
        asm.double(d)
        asm.sign(x, neg=None, nonneg=no_bit)
        asm.sub(asm.const(-1), d)
        asm.label(no_bit)
        asm.double(x)
        count_down(asm, k, done_bits)
        asm.jump(bit)
        asm.label(done_bits)
        asm.set_const(width, nb)
        asm.zero(d, yes=None, no=show)  # a zero digit prints after a nonzero one, or when last
        asm.zero(started, yes=None, no=show)
        count_down(asm, left, last_zero)
        asm.jump(nibble)
        asm.label(last_zero)
        asm.ins(asm.const(ord("0")), IO)
        asm.jump(r.exit)
        asm.label(show)
        asm.set_const(1, started)
        asm.set_const(ord("0"), t)
        asm.add(d, t)
        if width == 4:
            asm.set_const(10, k)  # 10 - d <= 0: a letter, `letter` + d - 10
            asm.ins(d, k, high)
            asm.jump(out)
            asm.label(high)
            asm.add_const(ord(letter) - 10 - ord("0"), t)
        asm.label(out)
        asm.ins(t, IO)
        count_down(asm, left, r.exit)
        asm.jump(nibble)

    return body


def puts_(asm: Asm, r: Routine) -> None:
    """Print the characters at s up to its NUL (no newline)."""
    ns, ch = cells(asm, r, "ns", "ch")
    loop, word = asm.fresh(), asm.fresh("w")
    asm.move(r.param(0), ns)  # -s
    asm.clear(r.param(0))
    asm.label(loop)
    asm.clear(word)
    asm.sub(ns, word)
    asm.clear(ch)
    asm.ins("0", Z, fixed=True).labels.insert(0, word)  # Z = -*s
    asm.ins(Z, ch)
    asm.ins(Z, Z)
    asm.zero(ch, yes=r.exit, no=None)
    asm.ins(ch, IO)
    asm.sub(asm.const(1), ns)
    asm.jump(loop)
