"""Printing routines behind printf: decimal (signed and unsigned), hexadecimal, octal, strings.

A number prints digit by digit from a table of the base's powers, largest first: for each
power P the digit is counted by adding P to v = -(what is left) until v > 0 (two steps a
count), and one subtraction of P puts v back. A leading zero costs one such test and prints
nothing; below the table's middle power the powers above it are passed over in one test. The
character is counted in c = '0' + digit - 256: below 0, so the count's own instruction always
jumps, and its low 8 bits are the character. Words of 2^(N-1) and more (unsigned) find their
first digit by arithmetic (`unsigned_top`); rt_putu borrows rt_putd's digit loop."""

from __future__ import annotations

from collections.abc import Callable

from .asm import IO, Asm, Z
from .routines import Routine, cells, take

BYTE = 256  # the port prints the low 8 bits: c = character - 256 prints as the character


def powers(base: int, bits: int) -> list[int]:
    """base^k >= base that fit an N-bit signed word, largest first: a printer's table."""
    out, p = [], base
    while p < 1 << (bits - 1):
        out.append(p)
        p *= base
    return out[::-1]


def set_address(asm: Asm, word: str, label: str) -> None:
    """word = the address `label` (a field of an instruction patched at run time)."""
    asm.clear(word)
    asm.sub(asm.const(f"-{label}"), word)


def letter_check(asm: Asm, c: str, s: str, ten: int, high: str) -> None:
    """Go to `high` when c holds a digit of 10 or more (c >= `ten`)."""
    asm.ins(s, s, fixed=True)  # s = -c; s + ten <= 0 is c >= ten
    asm.sub(c, s)
    asm.ins(asm.const(-ten), s, high)


LABELS: tuple[str, ...] = ("v", "c", "cnt", "s", "ntab", "ptab", "start", "dig", "add", "undo")
LABELS += ("found", "count", "print", "out", "lead", "units")


def labels(name: str) -> dict[str, str]:
    """The cells and labels of the digit loop in routine `name` (see `digit_loop`)."""
    return {k: f"{name}_{k}" for k in LABELS}


def digit_loop(asm: Asm, name: str, base: int, letter: str) -> None:
    """The digits of v = -u (u >= 0 as an unsigned word: v = -2^(N-1) holds 2^(N-1)).

    Entered at `start` (leading zeros print nothing), or at `found` with a first digit partly
    counted. `add` and `undo` add and subtract the current power: their first words walk the
    two tables, their jump targets tell the leading zeros (to `found` when one is not 0, to
    `lead` when it is) from the digits that print (`count`, `print`); `found` switches them.
    cnt counts the powers up to 1. The last digit, the units, restores all of them, so that
    every call starts with them as the image has them."""
    n = labels(name)
    v, c, cnt, s = n["v"], n["c"], n["cnt"], n["s"]
    table = powers(base, asm.bits)
    asm.cell(v)
    asm.cell(c)
    asm.cell(cnt, [str(1 - len(table))])
    asm.cell(n["ntab"], [f"({-p})" for p in table])  # a bare -p would join the word before
    asm.cell(n["ptab"], [str(p) for p in table])
    minus_one = asm.const(-1)
    asm.label(n["start"])
    if len(table) >= 3:  # below the middle power, the powers above it are skipped at once
        skip = len(table) // 2 + 1
        middle, big = table[skip - 1], asm.fresh()
        asm.ins(asm.const(-middle), v, big)  # v + Q <= 0: u >= Q
        asm.ins(asm.const(middle), v)  # back to -u
        asm.sub(asm.const(-skip), n["add"])
        asm.sub(asm.const(-skip), n["undo"])
        asm.ins(asm.const(-skip), cnt, n["dig"])  # cnt stays <= 0: jumps
        asm.label(big)
        asm.ins(asm.const(middle), v)  # back to -u
    asm.label(n["dig"])
    asm.set_const(ord("0") - BYTE, c)
    asm.label(n["add"])
    asm.ins(n["ntab"], v, n["found"], fixed=True)  # v += P; <= 0: one more
    asm.label(n["undo"])
    asm.ins(n["ptab"], v, n["lead"], fixed=True)  # v -= P: the remainder (<= 0: jumps)
    asm.label(n["found"])  # the first digit that is not 0: from now on digits print
    asm.ins(asm.const(f"{n['lead']}-{n['print']}"), f"{n['undo']}+2", fixed=True)
    asm.ins(asm.const(f"{n['found']}-{n['count']}"), f"{n['add']}+2")
    asm.label(n["count"])
    asm.ins(minus_one, c, n["add"], fixed=True)  # c < 0: jumps
    high, units_high, units_out = asm.fresh(), asm.fresh(), asm.fresh()
    if base > 10:
        asm.cell(s)
        asm.label(high)
        asm.ins(asm.const(-(ord(letter) - ord("0") - 10)), c, n["out"])  # c < 0: jumps
    asm.label(n["print"])
    if base > 10:
        letter_check(asm, c, s, ord("0") + 10 - BYTE, high)
    asm.label(n["out"])
    asm.ins(c, IO, fixed=True)
    asm.label(n["lead"])  # the next power
    asm.ins(minus_one, n["add"], fixed=True)
    asm.sub(minus_one, n["undo"])
    asm.ins(minus_one, cnt, n["dig"])
    asm.label(n["units"])  # v = -(the last digit); cnt = 1
    asm.sub(asm.const(len(table)), n["add"])
    asm.sub(asm.const(len(table)), n["undo"])
    set_address(asm, f"{n['add']}+2", n["found"])
    set_address(asm, f"{n['undo']}+2", n["lead"])
    asm.sub(asm.const(len(table)), cnt)
    asm.set_const(ord("0"), c)
    asm.sub(v, c)
    if base > 10:
        letter_check(asm, c, s, ord("0") + 10, units_high)
        asm.jump(units_out)
        asm.label(units_high)
        asm.add_const(ord(letter) - ord("0") - 10, c)
        asm.label(units_out)
    asm.ins(c, IO)


def unsigned_top(asm: Asm, name: str, base: int, h: str) -> None:
    """Print u = h + 2^(N-1) (h >= 0) with the digit loop of `name`, every digit shown. With P
    the largest power in the table and 2^(N-1) = q0 P + R: where base P > u, u = q0 P + h + R
    and v = (P - R) - h <= 0 is -(h + R - P), a first digit of q0 + 1 or more (`found` counts
    on); v > 0 is the digit q0 with h + R = P - v left (v - P, and `found` counts it once
    more than c). Where base P may be <= u (then u < 2 base P), h >= base P - 2^(N-1) prints
    '1' and then u - base P."""
    n = labels(name)
    v, c = n["v"], n["c"]
    half = 1 << (asm.bits - 1)
    p = powers(base, asm.bits)[0]
    wide = base * p - half  # u >= base P: h >= wide
    narrow, is_wide = asm.fresh(), asm.fresh()
    if wide < half:
        if wide:
            asm.set_const(wide, v)  # v = -(h - wide) <= 0: u >= base P
            asm.ins(h, v, is_wide)
            asm.jump(narrow)
            asm.label(is_wide)
        else:
            asm.negate(h, v)
        asm.ins(asm.const(ord("1")), IO)
        asm.set_const(ord("0") - 1 - BYTE, c)  # `found` counts the first digit from '0'
        asm.jump(n["found"])
        asm.label(narrow)
    if wide:
        q0, rest = divmod(half, p)
        asm.set_const(ord("0") + q0 - BYTE, c)
        asm.set_const(p - rest, v)
        asm.ins(h, v, n["found"])
        asm.sub(asm.const(1), c)
        asm.ins(asm.const(p), v, n["found"])  # -(h + R) > -P: jumps


def putd(asm: Asm, r: Routine) -> None:
    """Print x in decimal: '-' and v = x below 0, else v = -x (INT_MIN holds 2^(N-1))."""
    (x,) = cells(asm, r, "x")
    v = labels(r.name)["v"]
    negative = asm.fresh()
    asm.negate(r.param(0), x)
    asm.sign(x, neg=negative, nonneg=None)
    asm.negate(x, v)
    asm.ins(r.param(0), r.param(0), labels(r.name)["start"])  # 0: jumps
    asm.label(negative)
    asm.ins(asm.const(ord("-")), IO)
    asm.negate(r.param(0), v)
    asm.ins(r.param(0), r.param(0), labels(r.name)["start"])
    digit_loop(asm, r.name, 10, "0")


def putu(asm: Asm, r: Routine) -> None:
    """Print x as an unsigned N-bit number with rt_putd's digit loop, its return jump set to
    this routine's: x >= 0 as rt_putd prints it, x < 0 as 2^(N-1) + h (see `unsigned_top`)."""
    (h,) = cells(asm, r, "h")
    d = "rt_putd"
    big = asm.fresh()
    set_address(asm, f"{d}_exit+2", r.exit)
    take(asm, r.param(0), h)
    asm.sign(h, neg=big, nonneg=None)
    asm.negate(h, labels(d)["v"])
    asm.jump(labels(d)["start"])
    asm.label(big)
    asm.sub(asm.const(-(1 << (asm.bits - 1))), h)  # h: the top bit cleared
    unsigned_top(asm, d, 10, h)


def put_digits(width: int, letter: str) -> Callable[[Asm, Routine], None]:
    """A printer of x in base 2^width (hexadecimal: 4, octal: 3) without leading zeros, its
    digits above 9 from `letter`; x < 0 is the unsigned word x + 2^N."""
    base = 1 << width

    def body(asm: Asm, r: Routine) -> None:
        (h,) = cells(asm, r, "h")
        big = asm.fresh()
        take(asm, r.param(0), h)
        asm.sign(h, neg=big, nonneg=None)
        asm.negate(h, labels(r.name)["v"])
        asm.jump(labels(r.name)["start"])
        asm.label(big)
        asm.sub(asm.const(-(1 << (asm.bits - 1))), h)
        unsigned_top(asm, r.name, base, h)
        digit_loop(asm, r.name, base, letter)

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
