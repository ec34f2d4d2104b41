"""The library: every function a program may call without defining it, and the routines.

`LIBRARY` is the one table of the C functions: each entry is a signature and either its C
source (compiled with the program when the program calls it) or its emitter (code in place of
each call, from `builtins`). `RT` holds the SUBLEQ routines, linked when the generated code
uses them (for an operator, or a printf conversion).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import arith, arith_unsigned, builtins, printing, routines
from . import syntax as S
from .gen import CodeGen
from .routines import Routine
from .values import Val

CHARP = S.CHAR_POINTER
CONST_CHARP = S.pointer(S.CType("char", const=True))

RT: dict[str, Routine] = {
    r.name: r
    for r in (
        Routine("rt_mul", 2, 1, (), arith.mul),
        Routine("rt_div", 2, 2, (), arith.div),
        Routine("rt_shl", 2, 1, (), arith.shl),
        Routine("rt_shr", 2, 1, (), arith.shr),
        Routine("rt_and", 2, 1, (), arith.and_),
        Routine("rt_low", 2, 1, (), arith.low_bits),
        Routine("rt_udiv", 2, 2, ("rt_div", "rt_shr"), arith_unsigned.udiv),
        Routine("rt_ushr", 2, 1, (), arith_unsigned.ushr),
        Routine("rt_putd", 1, 0, (), printing.putd),
        Routine("rt_putu", 1, 0, ("rt_putd",), printing.putu),
        Routine("rt_putx", 1, 0, (), printing.put_digits(4, "a")),
        Routine("rt_putX", 1, 0, (), printing.put_digits(4, "A")),
        Routine("rt_puto", 1, 0, (), printing.put_digits(3, "0")),
        Routine("rt_puts", 1, 0, (), printing.puts_),
        Routine("rt_lt", 2, 1, (), arith.less_than),
        Routine("rt_load", 1, 1, (), routines.load),
        Routine("rt_store", 2, 0, (), routines.store),
        Routine("rt_push", 1, 0, (), routines.push),
        Routine("rt_pop", 0, 1, (), routines.pop),
    )
}

Emitter = Callable[[CodeGen, S.Call, "str | None", bool], Val]


@dataclass(frozen=True)
class LibraryFunction:
    """A library function: its signature (`params` None: printf's `...`), and its C source or
    the emitter of its calls."""

    returns: S.CType
    params: tuple[S.CType, ...] | None
    source: str | None = None
    emit: Emitter | None = None


def _printer(routine: str) -> LibraryFunction:
    """One of the number printers behind printf's conversions (the run-time printf calls
    them): one argument, printed by `routine`."""
    argument = CHARP if routine == "rt_puts" else S.INT
    return LibraryFunction(S.VOID, (argument,), emit=builtins.routine_call(routine))


LIBRARY: dict[str, LibraryFunction] = {
    # built in: the code of each call is emitted in place
    "putchar": LibraryFunction(S.INT, (S.INT,), emit=builtins.putchar),
    "getchar": LibraryFunction(S.INT, (), emit=builtins.getchar),
    "puts": LibraryFunction(S.INT, (CHARP,), emit=builtins.puts),
    "printf": LibraryFunction(S.INT, None, emit=builtins.printf),
    "exit": LibraryFunction(S.VOID, (S.INT,), emit=builtins.exit_),
    "__putd": _printer("rt_putd"),
    "__putu": _printer("rt_putu"),
    "__putx": _printer("rt_putx"),
    "__putX": _printer("rt_putX"),
    "__puto": _printer("rt_puto"),
    "__puts": _printer("rt_puts"),
    # written in C: compiled with the program when it calls them
    "abs": LibraryFunction(
        S.INT,
        (S.INT,),
        source="int abs(int x) { return x < 0 ? -x : x; }",
    ),
    "strlen": LibraryFunction(
        S.INT,
        (CONST_CHARP,),
        source="int strlen(const char *s) { int n = 0; while (s[n]) n++; return n; }",
    ),
    "strcmp": LibraryFunction(
        S.INT,
        (CONST_CHARP, CONST_CHARP),
        source=(
            "int strcmp(const char *a, const char *b) { while (*a && *a == *b) { a++; b++; } "
            "return *a - *b; }"
        ),
    ),
    "strcpy": LibraryFunction(
        CHARP,
        (CHARP, CONST_CHARP),
        source=(
            "char *strcpy(char *d, const char *s) { char *p = d; while ((*p++ = *s++)) ; "
            "return d; }"
        ),
    ),
    "strcat": LibraryFunction(
        CHARP,
        (CHARP, CONST_CHARP),
        source=(
            "char *strcat(char *d, const char *s) { char *p = d; while (*p) p++; "
            "while ((*p++ = *s++)) ; return d; }"
        ),
    ),
    "memset": LibraryFunction(
        CHARP,
        (CHARP, S.INT, S.INT),
        source=(
            "char *memset(char *d, int c, int n) { int i; for (i = 0; i < n; i++) d[i] = c; "
            "return d; }"
        ),
    ),
    "atoi": LibraryFunction(
        S.INT,
        (CONST_CHARP,),
        source=(
            "int atoi(const char *s) { int n = 0, neg = 0; "
            "while (*s == ' ' || (*s >= '\\t' && *s <= '\\r')) s++; "  # what isspace is
            "if (*s == '-' || *s == '+') { neg = *s == '-'; s++; } "
            "while (*s >= '0' && *s <= '9') { n = n * 10 + (*s - '0'); s++; } "
            "return neg ? -n : n; }"
        ),
    ),
    "__printf": LibraryFunction(
        S.INT,
        (CHARP, S.pointer(S.INT)),
        source=r"""
/* printf with a format known only at run time; a: the arguments, in order. */
int __printf(char *f, int *a) {
    int c, fl, w, p;
    while ((c = *f++)) {
        if (c != '%') { putchar(c); continue; }
        fl = 0;
        while (1) {
            c = *f;
            if (c == '-') fl = fl | 1;
            else if (c == '+') fl = fl | 2;
            else if (c == ' ') fl = fl | 4;
            else if (c == '0') fl = fl | 8;
            else if (c == '#') fl = fl | 16;
            else break;
            f++;
        }
        w = 0;
        if (*f == '*') { w = *a++; f++; }
        else while (*f >= '0' && *f <= '9') w = w * 10 + (*f++ - '0');
        p = -1;
        if (*f == '.') {
            f++;
            p = 0;
            if (*f == '*') { p = *a++; f++; if (p < 0) p = -1; }
            else while (*f >= '0' && *f <= '9') p = p * 10 + (*f++ - '0');
        }
        if (*f == 'h') { f++; if (*f == 'h') { f++; fl = fl | 32; } else fl = fl | 64; }
        else if (*f == 'l') { f++; if (*f == 'l') f++; }
        else if (*f == 'z') f++;
        c = *f++;
        if (c == 0) return 0;
        if (c == '%') putchar('%');
        else if (c == 'd' || c == 'i' || c == 'u' || c == 'x' || c == 'X' || c == 'o'
                 || c == 'c' || c == 's' || c == 'p') {
            if (fl || w || p >= 0 || c == 'p') __pf(c, fl, w, p, *a++);
            else if (c == 'd' || c == 'i') __putd(*a++);
            else if (c == 'u') __putu(*a++);
            else if (c == 'x') __putx(*a++);
            else if (c == 'X') __putX(*a++);
            else if (c == 'o') __puto(*a++);
            else if (c == 'c') putchar(*a++);
            else __puts(*a++);
        }
        else { putchar('%'); putchar(c); }
    }
    return 0;
}
""",
    ),
    "__pf": LibraryFunction(
        S.VOID,
        (S.INT, S.INT, S.INT, S.INT, S.INT),
        source=r"""
/* One conversion: c its letter, fl the flag bits of formats.py, w the width (0: none), p the
   precision (-1: none), x the value. Prints as glibc does. */
void __pf(int c, int fl, int w, int p, int x) {
    char d[1];
    char *s = 0, *pre = "";
    int n = 0, zeros = 0, b = 10, up = 0, q, pad, t, t2, lim;
    int left, plus = 0, space = 0, zero = 0, alt = 0, hh = 0, h = 0;
    if (fl >= 64) { h = 1; fl = fl - 64; }
    if (fl >= 32) { hh = 1; fl = fl - 32; }
    if (fl >= 16) { alt = 1; fl = fl - 16; }
    if (fl >= 8) { zero = 1; fl = fl - 8; }
    if (fl >= 4) { space = 1; fl = fl - 4; }
    if (fl >= 2) { plus = 1; fl = fl - 2; }
    left = fl;
    if (w < 0) { left = 1; w = -w; }
    if (c == 'c' || c == 's' || (c == 'p' && !x)) {
        if (c == 'c') { d[0] = x; s = d; n = 1; }
        else if (c == 's') { s = x; while ((p < 0 || n < p) && s[n]) n++; }
        else { s = "(nil)"; n = 5; }
        zero = 0;
    } else {
        if (hh || h) {  /* to 8 or 16 bits (no change where a word has no more) */
            x = x & (hh ? (1 << 8) - 1 : (1 << 16) - 1);
            if ((c == 'd' || c == 'i') && x >= (hh ? 1 << 7 : 1 << 15))
                x = x - (hh ? 1 << 8 : 1 << 16);
        }
        if (c == 'd' || c == 'i') {
            if (x < 0) { pre = "-"; x = -x; }
            else if (plus) pre = "+";
            else if (space) pre = " ";
        } else if (c == 'o') b = 8;
        else if (c != 'u') {
            b = 16;
            up = c == 'X';
            if (c == 'p') pre = plus ? "+0x" : space ? " 0x" : "0x";
            else if (alt && x) pre = up ? "0X" : "0x";
        }
        if (p >= 0) zero = 0;
        else p = 1;
        q = x;  /* how many digits: the printers print them */
        n = 1;
        if (x < 0) { q = ((x >> 1) & __INT_MAX__) / (b >> 1); n = 2; }
        lim = b == 10 ? __INT_MAX__ / 10 : b == 16 ? __INT_MAX__ / 16 : __INT_MAX__ / 8;
        for (t = b; q >= t; t = b == 10 ? t + t2 : b == 16 ? t + t : t) {
            n++;
            if (t > lim) break;
            t2 = t + t;
            t = t2 + t2;
            t = t + t;
        }
        if (!x && !p) n = 0;
        zeros = p - n;
        if (alt && c == 'o' && zeros <= 0 && (x || !n)) zeros = 1;
        if (zeros < 0) zeros = 0;
    }
    pad = w - n - zeros;
    for (t = 0; pre[t]; t++) pad--;
    if (!left && !zero) while (pad-- > 0) putchar(' ');
    while (*pre) putchar(*pre++);
    if (zero && !left) while (pad-- > 0) putchar('0');
    while (zeros-- > 0) putchar('0');
    if (s) for (q = 0; q < n; q++) putchar(s[q]);
    else if (n && b == 10) __putu(x);
    else if (n && b == 8) __puto(x);
    else if (n && up) __putX(x);
    else if (n) __putx(x);
    while (pad-- > 0) putchar(' ');
}
""",
    ),
}
