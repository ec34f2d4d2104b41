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
    """A hand-written routine. Its cells follow from its name. Calls pass every argument
    negated (`x param`: one instruction, as the routine leaves its parameters at 0) and get
    every result negated (the caller's `d d; result d` turns it back)."""

    name: str
    params: int
    results: int  # the value; for division also the remainder
    needs: tuple[str, ...]
    body: Callable[[Asm, Routine], None]

    def param(self, i: int) -> str:
        return f"{self.name}_a{i}"

    def result(self, i: int = 0) -> str:
        return f"{self.name}_r{i}"

    @property
    def entry(self) -> str:
        return self.name

    @property
    def ret(self) -> str:
        return f"{self.name}_R"

    @property
    def exit(self) -> str:
        return f"{self.name}_exit"

    def scratch(self, what: str) -> str:
        return f"{self.name}_{what}"

    def emit(self, asm: Asm) -> None:
        """The routine's code and cells."""
        asm.label(self.entry)
        enter(asm, self.ret, self.exit)
        self.body(asm, self)
        asm.label(self.exit)
        asm.ins(Z, Z, "0", fixed=True)  # the return jump; `enter` sets its target
        asm.cell(self.ret)
        for i in range(self.params):
            asm.cell(self.param(i))
        for i in range(self.results):
            asm.cell(self.result(i))


def enter(asm: Asm, ret: str, exit_: str) -> None:
    """A callee's first instructions: the return address the caller left as -ret in `ret`
    becomes the target of the exit jump, and `ret` is 0 again for the next call."""
    target = f"{exit_}+2"
    asm.clear(target)
    asm.sub(ret, target)
    asm.clear(ret)


def call(asm: Asm, entry: str, ret: str) -> None:
    """Jump to a callee, leaving minus the return address in its `ret` cell (one instruction:
    -address <= 0, so it always jumps)."""
    back = asm.fresh("back")
    asm.ins(asm.const(back), ret, entry)
    asm.label(back)


def _cells(asm: Asm, r: Routine, *names: str) -> list[str]:
    cells = [r.scratch(n) for n in names]
    for c in cells:
        asm.cell(c)
    return cells


def _count(asm: Asm, counter: str, done: str) -> None:
    """counter -= 1; go to `done` once it reaches 0."""
    asm.ins(asm.const(1), counter, done)


def _take(asm: Asm, param: str, cell: str) -> None:
    """cell = the argument (param holds its negation), and param = 0 again."""
    asm.negate(param, cell)
    asm.clear(param)


def _skip_leading_zeros(asm: Asm, x: str, cnt: str, done: str) -> None:
    """While x > 0 (its top bit clear): x doubles and cnt counts one bit less; then `done`."""
    skip = asm.fresh()
    asm.label(skip)
    asm.if_le0(x, done)
    asm.double(x)
    asm.sub(asm.const(1), cnt)
    asm.jump(skip)


def mul(asm: Asm, r: Routine) -> None:
    """-(a * b) mod 2^N. The multiplier m is the operand of smaller magnitude; its bits come
    from the top after its leading zeros: acc = 2 acc - y for a one, 2 acc for a zero."""
    out = r.result()
    m, y, t, cnt = _cells(asm, r, "m", "y", "t", "cnt")
    L = asm.fresh
    negative, plain, minus_y, swap_minus, start, main, loop, no_bit = (L() for _ in range(8))
    a, b = r.param(0), r.param(1)  # -a and -b
    asm.negate(a, m)  # m * y is the product, with m = |a|: (a, b) or (-a, -b)
    asm.sign(m, neg=negative, nonneg=None)
    asm.negate(b, y)
    asm.jump(plain)
    asm.label(negative)
    asm.move(a, m)
    asm.move(b, y)
    asm.label(plain)
    asm.clear(a)
    asm.clear(b)
    asm.sign(m, neg=start, nonneg=None)  # m = INT_MIN stays
    asm.sign(y, neg=minus_y, nonneg=None)
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
    asm.label(start)
    asm.clear(out)
    asm.set_const(asm.bits, cnt)
    _skip_leading_zeros(asm, m, cnt, main)
    asm.label(main)
    asm.zero(m, yes=r.exit, no=None)
    asm.label(loop)
    asm.double(out)
    asm.sign(m, neg=None, nonneg=no_bit)
    asm.sub(y, out)
    asm.label(no_bit)
    asm.double(m)
    _count(asm, cnt, r.exit)
    asm.jump(loop)


def div(asm: Asm, r: Routine) -> None:
    """-(a / b) and -(a % b), truncating toward zero (b != 0: callers check). Long division
    of |a| by |b| as unsigned N-bit words, a quotient bit per bit of |a| after its leading
    zeros; then the signs: the quotient is negative when a's and b's differ, the remainder
    has a's."""
    quotient, remainder = r.result(0), r.result(1)
    ua, ub, nub, q, rem, sa, sb, cnt = _cells(asm, r, "ua", "ub", "nub", "q", "rem", "sa", "sb", "cnt")
    L = asm.fresh
    big, main, loop, no_bit, take, subtract, le, step, fix, p, n, q_pos, q_neg, big_a = (
        L() for _ in range(14))
    for i, (ux, sx) in enumerate(((ua, sa), (ub, sb))):
        param, done = r.param(i), L()
        asm.negate(param, ux)  # ux = x
        asm.clear(sx)
        asm.sign(ux, neg=None, nonneg=done)
        asm.move(param, ux)  # |x| = -x, as an unsigned word (INT_MIN stays)
        asm.sub(asm.const(-1), sx)
        asm.label(done)
        asm.clear(param)
    asm.clear(q)
    asm.clear(rem)
    asm.sign(ub, neg=big, nonneg=None)  # |b| = 2^(N-1): b is INT_MIN
    asm.negate(ub, nub)
    asm.set_const(asm.bits, cnt)
    _skip_leading_zeros(asm, ua, cnt, main)
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


def shl(asm: Asm, r: Routine) -> None:
    """-(x << n): n doublings of -x (n <= 0: -x; n >= N: 0)."""
    out = r.result()
    n, t = _cells(asm, r, "n", "t")
    loop, zero = asm.fresh(), asm.fresh()
    asm.move(r.param(0), out)  # -x
    asm.clear(r.param(0))
    _take(asm, r.param(1), n)
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
    """-(x >> n), arithmetic: the top N - n bits of x, sign-extended (n <= 0: x; n >= N: 0 or
    -1). Built negated, acc = 2 acc - bit, from 1 = -(-1) when x < 0 (the sign's copies)."""
    out = r.result()
    x, n, keep = _cells(asm, r, "x", "n", "keep")
    L = asm.fresh
    all_out, negative, nonneg, loop, no_bit = L(), L(), L(), L(), L()
    _take(asm, r.param(0), x)
    _take(asm, r.param(1), n)
    asm.negate(x, out)
    asm.if_le0(n, r.exit)
    asm.set_const(asm.bits, keep)  # keep = N - n bits; <= 0: all shifted out
    asm.ins(n, keep, all_out)
    asm.clear(out)
    asm.sign(x, neg=negative, nonneg=None)
    _skip_leading_zeros(asm, x, keep, nonneg)  # x >= 0: its leading zeros give zeros
    asm.label(nonneg)
    asm.zero(x, yes=r.exit, no=loop)
    asm.label(negative)
    asm.sub(asm.const(-1), out)
    asm.label(loop)
    asm.if_le0(keep, r.exit)
    asm.double(out)
    asm.sign(x, neg=None, nonneg=no_bit)
    asm.sub(asm.const(1), out)
    asm.label(no_bit)
    asm.double(x)
    asm.sub(asm.const(1), keep)
    asm.jump(loop)
    asm.label(all_out)  # n >= N: 0, or -(-1) for a negative x
    asm.clear(out)
    asm.sign(x, neg=None, nonneg=r.exit)
    asm.sub(asm.const(-1), out)


def and_(asm: Asm, r: Routine) -> None:
    """-(a & b), bit by bit from the top; when either runs out of ones the rest are zeros."""
    out = r.result()
    a, b, cnt = _cells(asm, r, "a", "b", "cnt")
    L = asm.fresh
    loop, a_set, no_bit, rest = L(), L(), L(), L()
    _take(asm, r.param(0), a)
    _take(asm, r.param(1), b)
    asm.clear(out)
    asm.set_const(asm.bits, cnt)
    asm.label(loop)
    asm.zero(a, yes=rest, no=None)
    asm.zero(b, yes=rest, no=None)
    asm.double(out)
    asm.sign(a, neg=a_set, nonneg=no_bit)
    asm.label(a_set)
    asm.sign(b, neg=None, nonneg=no_bit)
    asm.sub(asm.const(1), out)
    asm.label(no_bit)
    asm.double(a)
    asm.double(b)
    _count(asm, cnt, r.exit)
    asm.jump(loop)
    asm.label(rest)  # shift in the remaining zeros
    asm.double(out)
    _count(asm, cnt, r.exit)
    asm.jump(rest)


def low_bits(asm: Asm, r: Routine) -> None:
    """-(x & (2^k - 1)) for 0 < k < N: shift the low k bits to the top, then take them."""
    out = r.result()
    x, k, cnt = _cells(asm, r, "x", "k", "cnt")
    L = asm.fresh
    up, loop, no_bit = L(), L(), L()
    _take(asm, r.param(0), x)
    _take(asm, r.param(1), k)
    asm.set_const(asm.bits, cnt)  # N - k doublings bring bit k-1 to the top
    asm.sub(k, cnt)
    asm.clear(out)
    asm.label(up)
    asm.double(x)
    _count(asm, cnt, loop)
    asm.jump(up)
    asm.label(loop)
    asm.double(out)
    asm.sign(x, neg=None, nonneg=no_bit)
    asm.sub(asm.const(1), out)
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
    x, v, np_, nP, P, ch = _cells(asm, r, "x", "v", "np", "nP", "P", "ch")
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
    x, q, t = _cells(asm, r, "x", "q", "t")
    big, printed = asm.fresh(), asm.fresh()
    half = 1 << (asm.bits - 1)
    _take(asm, r.param(0), x)
    asm.sign(x, neg=big, nonneg=None)
    _call(asm, "rt_putd", [x])
    asm.jump(r.exit)
    asm.label(big)
    asm.sub(asm.const(half), x)  # h: the top bit cleared
    _call(asm, "rt_div", [x, asm.const(10)])
    rd = RT["rt_div"]
    asm.negate(rd.result(0), q)
    asm.add_const(half // 10, q)
    asm.negate(rd.result(1), t)
    asm.add_const(half % 10 - 10, t)  # t = h % 10 + R - 10; >= 0: carry
    asm.sign(t, neg=printed, nonneg=None)
    asm.sub(asm.const(-1), q)
    asm.add_const(-10, t)
    asm.label(printed)
    asm.add_const(10 + ord("0"), t)
    _call(asm, "rt_putd", [q])
    asm.ins(t, IO)


def putx(asm: Asm, r: Routine) -> None:
    """Print x in lower-case hexadecimal without leading zeros: nibbles from the top (the first
    has N mod 4 bits when N is not a multiple of 4)."""
    x, d, k, nb, left, started, t = _cells(asm, r, "x", "d", "k", "nb", "left", "started", "t")
    L = asm.fresh
    nibble, bit, no_bit, done_bits, show, letter, out, last_zero = (L() for _ in range(8))
    count = -(-asm.bits // 4)
    _take(asm, r.param(0), x)
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
    asm.zero(d, yes=None, no=show)  # a zero nibble prints after a nonzero one, or when last
    asm.zero(started, yes=None, no=show)
    _count(asm, left, last_zero)
    asm.jump(nibble)
    asm.label(last_zero)
    asm.ins(asm.const(ord("0")), IO)
    asm.jump(r.exit)
    asm.label(show)
    asm.set_const(1, started)
    asm.set_const(ord("0"), t)
    asm.add(d, t)
    asm.set_const(10, k)  # 10 - d <= 0: a letter, 'a' + d - 10
    asm.ins(d, k, letter)
    asm.jump(out)
    asm.label(letter)
    asm.add_const(ord("a") - 10 - ord("0"), t)
    asm.label(out)
    asm.ins(t, IO)
    _count(asm, left, r.exit)
    asm.jump(nibble)


def puts_(asm: Asm, r: Routine) -> None:
    """Print the characters at s up to its NUL (no newline)."""
    ns, ch = _cells(asm, r, "ns", "ch")
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


def _call(asm: Asm, name: str, args: list[str]) -> None:
    """Call another routine from inside a routine (routines are never recursive)."""
    routine = RT[name]
    for i, arg in enumerate(args):
        asm.sub(arg, routine.param(i))
    call(asm, routine.entry, routine.ret)


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
        Routine("rt_putu", 1, 0, ("rt_putd", "rt_div"), putu),
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
