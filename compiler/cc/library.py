"""The run-time library: SUBLEQ routines for what one instruction cannot do, and C functions.

SUBLEQ subtracts and branches on <= 0, so multiplication, division, shifts, bitwise
operators and number printing are routines, written for few steps per call: they look at a
word's bits from the top (the sign bit; a word doubles to bring the next bit up) and skip
leading zeros, so their cost grows with the size of the numbers, not with N. Every routine
takes its arguments in its own cells and is called like a C function (`codegen.Callee`);
only the routines a program uses are linked. The C part of the library (`LIBRARY`) is
compiled with the program when it calls one of those functions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import syntax as S
from .asm import IO, Asm, Z

CHARP = S.CType("char", 1)


@dataclass(frozen=True)
class Routine:
    """A hand-written routine: its cells follow from its name (see `cells`)."""

    name: str
    params: int
    results: int  # result cells: _r (the value), then _r2 (the remainder of division)
    needs: tuple[str, ...]
    body: Callable[[Asm, Routine], None]

    def param(self, i: int) -> str:
        return f"{self.name}_a{i}"

    def result(self, i: int = 0) -> str:
        return f"{self.name}_r" if i == 0 else f"{self.name}_r{i + 1}"

    @property
    def entry(self) -> str:
        return self.name

    @property
    def exit(self) -> str:
        return f"{self.name}_exit"

    def scratch(self, what: str) -> str:
        return f"{self.name}_{what}"

    def emit(self, asm: Asm) -> None:
        """The routine's code and cells; it returns through its exit instruction."""
        asm.label(self.entry)
        self.body(asm, self)
        asm.label(self.exit)
        asm.ins(Z, Z, "0", fixed=True)  # the return jump: its target is patched by each caller
        for i in range(self.params):
            asm.cell(self.param(i))
        for i in range(self.results):
            asm.cell(self.result(i))


def _cells(asm: Asm, r: Routine, *names: str) -> list[str]:
    cells = [r.scratch(n) for n in names]
    for c in cells:
        asm.cell(c)
    return cells


def _count(asm: Asm, counter: str, done: str) -> None:
    """counter -= 1; go to `done` once it reaches 0."""
    asm.ins(asm.const(1), counter, done)


def mul(asm: Asm, r: Routine) -> None:
    """r = a * b (mod 2^N). The multiplier is the operand of smaller magnitude; its bits are
    taken from the top, after its leading zeros are skipped: r = 2r (+ x), once per bit."""
    a, b = r.param(0), r.param(1)
    out = r.result()
    m, x, t, cnt = _cells(asm, r, "m", "x", "t", "cnt")
    L = asm.fresh
    negative, chosen, swap_pos, minus_x, loop_start, skip, main, loop, no_add = (
        L(), L(), L(), L(), L(), L(), L(), L(), L())
    # m = |a| and x = b * sign(a): the product is m * x.
    asm.sign(a, neg=negative, nonneg=None)
    asm.move(a, m)
    asm.move(b, x)
    asm.jump(chosen)
    asm.label(negative)
    asm.negate(a, m)
    asm.negate(b, x)
    asm.label(chosen)
    # Multiply by the smaller magnitude: (m, x) := (x, m) or (-x, -m) when that is smaller.
    asm.sign(m, neg=loop_start, nonneg=None)  # m = INT_MIN: keep
    asm.sign(x, neg=minus_x, nonneg=None)
    asm.clear(t)  # t = m - x; swap if > 0
    asm.add(m, t)
    asm.ins(x, t, loop_start)
    asm.label(swap_pos)
    asm.add(t, x)  # x := x + (m - x) = m
    asm.sub(t, m)  # m := m - (m - x) = x
    asm.jump(loop_start)
    asm.label(minus_x)
    asm.clear(t)  # t = -(m + x); if <= 0, -x <= m: use -x
    asm.sub(m, t)
    asm.ins(x, t, loop_start)
    asm.add(t, x)  # x := x - m - x = -m
    asm.add(t, m)  # m := m - m - x = -x
    asm.label(loop_start)
    asm.clear(out)
    asm.set_const(asm.bits, cnt)
    asm.label(skip)  # leading zeros: m > 0 has its top bit clear
    asm.if_le0(m, main)
    asm.double(m)
    asm.sub(asm.const(1), cnt)
    asm.jump(skip)
    asm.label(main)
    asm.zero(m, yes=r.exit, no=None)  # m = 0: the product is 0
    asm.label(loop)
    asm.double(out)
    asm.sign(m, neg=None, nonneg=no_add)
    asm.add(x, out)
    asm.label(no_add)
    asm.double(m)
    _count(asm, cnt, r.exit)
    asm.jump(loop)


def div(asm: Asm, r: Routine) -> None:
    """a / b and a % b, truncating toward zero (b != 0: callers check). Long division of
    |a| by |b| as unsigned N-bit words, one bit of the quotient per bit of |a| after its
    leading zeros; the signs are put back at the end."""
    a, b = r.param(0), r.param(1)
    quotient, remainder = r.result(0), r.result(1)
    ua, ub, nub, q, rem, sa, sb, cnt = _cells(asm, r, "ua", "ub", "nub", "q", "rem", "sa", "sb", "cnt")
    L = asm.fresh
    a_neg, a_done, b_neg, b_done, big, skip, main, loop, no_bit, take, subtract, le, step, fix = (
        L(), L(), L(), L(), L(), L(), L(), L(), L(), L(), L(), L(), L(), L())
    p, n, q_pos, q_neg, big_a = L(), L(), L(), L(), L()
    for x, ux, sx, neg, done in ((a, ua, sa, a_neg, a_done), (b, ub, sb, b_neg, b_done)):
        asm.clear(sx)
        asm.sign(x, neg=neg, nonneg=None)
        asm.move(x, ux)
        asm.jump(done)
        asm.label(neg)
        asm.negate(x, ux)
        asm.sub(asm.const(-1), sx)
        asm.label(done)
    asm.clear(q)
    asm.clear(rem)
    asm.sign(ub, neg=big, nonneg=None)  # |b| = 2^(N-1): b is INT_MIN
    asm.negate(ub, nub)
    asm.set_const(asm.bits, cnt)
    asm.label(skip)
    asm.if_le0(ua, main)
    asm.double(ua)
    asm.sub(asm.const(1), cnt)
    asm.jump(skip)
    asm.label(main)
    asm.zero(ua, yes=fix, no=None)
    asm.label(loop)
    asm.double(rem)  # rem = 2 rem + the next bit of |a|
    asm.sign(ua, neg=None, nonneg=no_bit)
    asm.sub(asm.const(-1), rem)
    asm.label(no_bit)
    asm.double(ua)
    asm.double(q)
    asm.sign(rem, neg=subtract, nonneg=None)  # rem >= 2^(N-1) > |b| as unsigned
    asm.ins(ub, rem, le)  # rem -= |b|; <= 0: equal (take) or below (undo)
    asm.jump(take)
    asm.label(le)
    asm.zero(rem, yes=take, no=None)
    asm.sub(nub, rem)  # rem was below |b|: undo
    asm.jump(step)
    asm.label(subtract)
    asm.sub(ub, rem)
    asm.label(take)
    asm.sub(asm.const(-1), q)
    asm.label(step)
    _count(asm, cnt, fix)
    asm.jump(loop)
    asm.label(big)  # b = INT_MIN: q = 1 if a = INT_MIN (then rem = 0), else q = 0, rem = |a|
    asm.sign(ua, neg=big_a, nonneg=None)
    asm.move(ua, rem)
    asm.jump(fix)
    asm.label(big_a)
    asm.sub(asm.const(-1), q)
    asm.label(fix)  # the quotient is negative when the signs differ; the remainder has a's sign
    asm.zero(sa, yes=p, no=n)
    asm.label(p)
    asm.move(rem, remainder)
    asm.zero(sb, yes=q_pos, no=q_neg)
    asm.label(n)
    asm.negate(rem, remainder)
    asm.zero(sb, yes=q_neg, no=q_pos)
    asm.label(q_pos)
    asm.move(q, quotient)
    asm.jump(r.exit)
    asm.label(q_neg)
    asm.negate(q, quotient)


def shl(asm: Asm, r: Routine) -> None:
    """x << n: n doublings (n <= 0: x; n >= N: 0)."""
    x, n = r.param(0), r.param(1)
    out, t = r.result(), _cells(asm, r, "t")[0]
    loop, zero = asm.fresh(), asm.fresh()
    asm.move(x, out)
    asm.if_le0(n, r.exit)
    asm.set_const(asm.bits, t)  # t = N - n; <= 0: every bit shifted out
    asm.ins(n, t, zero)
    asm.label(loop)
    asm.double(out)
    _count(asm, n, r.exit)
    asm.jump(loop)
    asm.label(zero)
    asm.clear(out)


def shr(asm: Asm, r: Routine) -> None:
    """x >> n, arithmetic: the top N - n bits of x, sign-extended (n <= 0: x; n >= N: 0 or -1)."""
    x, n = r.param(0), r.param(1)
    out = r.result()
    keep = _cells(asm, r, "keep")[0]
    L = asm.fresh
    all_out, negative, start, skip, loop, no_bit = L(), L(), L(), L(), L(), L()
    asm.move(x, out)
    asm.if_le0(n, r.exit)
    asm.set_const(asm.bits, keep)  # keep = N - n bits
    asm.ins(n, keep, all_out)
    asm.clear(out)
    asm.sign(x, neg=negative, nonneg=None)
    asm.label(skip)  # x >= 0: its leading zeros give zeros
    asm.if_le0(x, start)
    asm.double(x)
    _count(asm, keep, r.exit)
    asm.jump(skip)
    asm.label(negative)
    asm.sub(asm.const(1), out)  # out = -1: the sign bit's copies
    asm.label(start)
    asm.zero(x, yes=r.exit, no=None)
    asm.label(loop)
    asm.double(out)
    asm.sign(x, neg=None, nonneg=no_bit)
    asm.sub(asm.const(-1), out)
    asm.label(no_bit)
    asm.double(x)
    _count(asm, keep, r.exit)
    asm.jump(loop)
    asm.label(all_out)  # n >= N: 0, or -1 for a negative x
    asm.clear(out)
    asm.sign(x, neg=None, nonneg=r.exit)
    asm.sub(asm.const(1), out)


def and_(asm: Asm, r: Routine) -> None:
    """a & b, bit by bit from the top; stops when either runs out of ones."""
    a, b = r.param(0), r.param(1)
    out = r.result()
    cnt = _cells(asm, r, "cnt")[0]
    L = asm.fresh
    loop, a_set, no_bit, rest, rest_loop = L(), L(), L(), L(), L()
    asm.clear(out)
    asm.set_const(asm.bits, cnt)
    asm.label(loop)
    asm.zero(a, yes=rest, no=None)
    asm.zero(b, yes=rest, no=None)
    asm.double(out)
    asm.sign(a, neg=a_set, nonneg=no_bit)
    asm.label(a_set)
    asm.sign(b, neg=None, nonneg=no_bit)
    asm.sub(asm.const(-1), out)
    asm.label(no_bit)
    asm.double(a)
    asm.double(b)
    _count(asm, cnt, r.exit)
    asm.jump(loop)
    asm.label(rest)  # every remaining bit of the result is 0: shift them in
    asm.label(rest_loop)
    asm.double(out)
    _count(asm, cnt, r.exit)
    asm.jump(rest_loop)


def low_bits(asm: Asm, r: Routine) -> None:
    """x & (2^k - 1) for 0 < k < N: shift the low k bits to the top, then take them."""
    x, k = r.param(0), r.param(1)
    out = r.result()
    cnt = _cells(asm, r, "cnt")[0]
    L = asm.fresh
    up, take, no_bit = L(), L(), L()
    asm.set_const(asm.bits, cnt)  # N - k doublings bring bit k-1 to the top
    asm.sub(k, cnt)
    asm.label(up)
    asm.double(x)
    _count(asm, cnt, take)
    asm.jump(up)
    asm.label(take)
    asm.clear(out)
    loop = asm.fresh()
    asm.label(loop)
    asm.double(out)
    asm.sign(x, neg=None, nonneg=no_bit)
    asm.sub(asm.const(-1), out)
    asm.label(no_bit)
    asm.double(x)
    _count(asm, k, r.exit)
    asm.jump(loop)


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
    x = r.param(0)
    v, np_, nP, P, ch, t = _cells(asm, r, "v", "np", "nP", "P", "ch", "t")
    table = r.scratch("pow10")
    asm.cell(table, [str(p) for p in powers_of_ten(asm.bits)] + ["0"])
    L = asm.fresh
    negative, go, skip, found, digits, digit, more, last = L(), L(), L(), L(), L(), L(), L(), L()
    asm.sign(x, neg=negative, nonneg=None)
    asm.negate(x, v)
    asm.jump(go)
    asm.label(negative)
    asm.ins(asm.const(ord("-")), IO)
    asm.move(x, v)
    asm.label(go)
    asm.negate(asm.const(table), np_)  # np = -(address of the current power)

    def load_negated_power() -> None:
        word = asm.fresh("w")
        asm.clear(word)
        asm.sub(np_, word)
        asm.clear(nP)
        load = asm.ins("0", nP, fixed=True)  # nP = -table[i]
        load.labels.insert(0, word)
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
    asm.set_const(ord("0"), t)
    asm.sub(v, t)
    asm.ins(t, IO)


def putu(asm: Asm, r: Routine) -> None:
    """Print x as an unsigned N-bit number: as putd below 2^(N-1); above, the quotient and
    the remainder of the unsigned division by 10 (rt_div's loop, entered with |a| = x)."""
    x = r.param(0)
    t = _cells(asm, r, "t")[0]
    ret1, ret2, big = asm.fresh(), asm.fresh(), asm.fresh()
    asm.sign(x, neg=big, nonneg=None)
    _call(asm, "rt_putd", [x], ret1)
    asm.label(ret1)
    asm.jump(r.exit)
    asm.label(big)
    # x / 10 and x % 10 as unsigned: x - 10 * q, with q from dividing x/2 (positive) by 5.
    half, q, rem = _cells(asm, r, "half", "q", "rem")
    _call(asm, "rt_shr", [x, asm.const(1)], None)
    asm.move(RT["rt_shr"].result(), half)
    asm.sub(asm.const(1 << (asm.bits - 1)), half)  # logical, not arithmetic: clear the top bit
    _call(asm, "rt_div", [half, asm.const(5)], None)
    asm.move(RT["rt_div"].result(), q)
    _call(asm, "rt_mul", [q, asm.const(10)], None)
    asm.move(x, rem)  # rem = x - 10 q (mod 2^N), in 0..9
    asm.sub(RT["rt_mul"].result(), rem)
    _call(asm, "rt_putd", [q], ret2)
    asm.label(ret2)
    asm.set_const(ord("0"), t)
    asm.add(rem, t)
    asm.ins(t, IO)


def putx(asm: Asm, r: Routine) -> None:
    """Print x in lower-case hexadecimal without leading zeros: nibbles from the top (the first
    has N mod 4 bits when N is not a multiple of 4)."""
    x = r.param(0)
    d, k, nb, left, started, t = _cells(asm, r, "d", "k", "nb", "left", "started", "t")
    L = asm.fresh
    nibble, bit, no_bit, done_bits, show, letter, printed = L(), L(), L(), L(), L(), L(), L()
    count = -(-asm.bits // 4)
    asm.set_const(count, left)
    asm.set_const(asm.bits - 4 * (count - 1), nb)
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
    _count(asm, k, done_bits)
    asm.jump(bit)
    asm.label(done_bits)
    asm.set_const(4, nb)
    asm.zero(d, yes=None, no=show)  # a zero nibble prints only after a nonzero one, or last
    asm.zero(started, yes=None, no=show)
    asm.ins(asm.const(1), left, printed)  # left -= 1; the last nibble always prints
    asm.jump(nibble)
    asm.label(show)
    asm.set_const(1, started)
    asm.set_const(10, t)  # t = 10 - d; <= 0: a letter
    asm.ins(d, t, letter)
    asm.set_const(ord("0"), t)
    asm.add(d, t)
    asm.ins(t, IO)
    _count(asm, left, r.exit)
    asm.jump(nibble)
    asm.label(letter)
    asm.set_const(ord("a") - 10, t)
    asm.add(d, t)
    asm.ins(t, IO)
    _count(asm, left, r.exit)
    asm.jump(nibble)
    asm.label(printed)  # left reached 0 on a zero nibble: print "0"
    asm.ins(asm.const(ord("0")), IO)


def puts_(asm: Asm, r: Routine) -> None:
    """Print the characters at s up to its NUL (no newline)."""
    s = r.param(0)
    ns, ch = _cells(asm, r, "ns", "ch")
    loop, word = asm.fresh(), asm.fresh("w")
    asm.negate(s, ns)
    asm.label(loop)
    asm.clear(word)
    asm.sub(ns, word)
    asm.clear(ch)
    load = asm.ins("0", Z, fixed=True)  # Z = -*s
    load.labels.insert(0, word)
    asm.ins(Z, ch)
    asm.ins(Z, Z)
    asm.zero(ch, yes=r.exit, no=None)
    asm.ins(ch, IO)
    asm.sub(asm.const(1), ns)
    asm.jump(loop)


def _call(asm: Asm, name: str, args: list[str], ret: str | None) -> None:
    """Call another routine from inside a routine (routines are never recursive)."""
    routine = RT[name]
    for i, arg in enumerate(args):
        asm.move(arg, routine.param(i))
    ret = ret or asm.fresh("ret")
    target = f"{routine.exit}+2"
    asm.clear(target)
    asm.sub(asm.const(f"(-{ret})"), target)
    asm.jump(routine.entry)
    asm.label(ret)


RT: dict[str, Routine] = {
    r.name: r
    for r in (
        Routine("rt_mul", 2, 1, (), mul),
        Routine("rt_div", 2, 2, (), div),
        Routine("rt_shl", 2, 1, (), shl),
        Routine("rt_shr", 2, 1, (), shr),
        Routine("rt_and", 2, 1, (), and_),
        Routine("rt_low", 2, 1, (), low_bits),
        Routine("rt_putd", 1, 0, (), putd),
        Routine("rt_putu", 1, 0, ("rt_putd", "rt_shr", "rt_div", "rt_mul"), putu),
        Routine("rt_putx", 1, 0, (), putx),
        Routine("rt_puts", 1, 0, (), puts_),
    )
}

# Library functions written in C: name -> ((return type, parameter types), source).
LIBRARY: dict[str, tuple[tuple[S.CType, tuple[S.CType, ...]], str]] = {
    "abs": ((S.INT, (S.INT,)), "int abs(int x) { return x < 0 ? -x : x; }"),
    "strlen": ((S.INT, (CHARP,)), "int strlen(char *s) { int n = 0; while (s[n]) n++; return n; }"),
    "strcmp": ((S.INT, (CHARP, CHARP)),
               "int strcmp(char *a, char *b) { while (*a && *a == *b) { a++; b++; } return *a - *b; }"),
    "strcpy": ((CHARP, (CHARP, CHARP)),
               "char *strcpy(char *d, char *s) { char *p = d; while ((*p++ = *s++)) ; return d; }"),
    "strcat": ((CHARP, (CHARP, CHARP)),
               "char *strcat(char *d, char *s) { char *p = d; while (*p) p++; "
               "while ((*p++ = *s++)) ; return d; }"),
    "memset": ((CHARP, (CHARP, S.INT, S.INT)),
               "char *memset(char *d, int c, int n) { int i; for (i = 0; i < n; i++) d[i] = c; return d; }"),
    "atoi": ((S.INT, (CHARP,)),
             "int atoi(char *s) { int n = 0, neg = 0; while (*s == ' ' || *s == '\\t' || *s == '\\n') s++; "
             "if (*s == '-' || *s == '+') { neg = *s == '-'; s++; } "
             "while (*s >= '0' && *s <= '9') { n = n * 10 + (*s - '0'); s++; } return neg ? -n : n; }"),
    "__printf": ((S.INT, (CHARP, S.CType("int", 1))), r"""
int __printf(char *f, int *args) {
    int c;
    while ((c = *f++)) {
        if (c != '%') { putchar(c); continue; }
        c = *f++;
        if (c == 'd' || c == 'i') __putd(*args++);
        else if (c == 'u') __putu(*args++);
        else if (c == 'x') __putx(*args++);
        else if (c == 'c') putchar(*args++);
        else if (c == 's') __puts(*args++);
        else if (c == '%') putchar('%');
        else if (c == 0) return 0;
        else { putchar('%'); putchar(c); }
    }
    return 0;
}
"""),
}
