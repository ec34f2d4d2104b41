"""The library: every function a program may call without defining it, and the routines.

`LIBRARY` is the one table of the C functions: each entry is a signature and either its C
source (compiled with the program when the program calls it) or its emitter (code in place of
each call, from `builtins`). `RT` holds the SUBLEQ routines, linked when the generated code
uses them (for an operator, or a printf conversion).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..sources import CppOptions
from . import arith, builtins, printing, routines
from . import syntax as S
from .gen import CodeGen
from .routines import Routine
from .values import Val

CHARP = S.CType("char", 1)
CONST_CHARP = S.CType("char", 1, const=True)
VOIDP = S.CType("void", 1)
CONST_VOIDP = S.CType("void", 1, const=True)
LIBC = Path(__file__).with_name("libc")
DEFAULT_HEAP = 1024  # words of heap when the program calls malloc, calloc or realloc

RT: dict[str, Routine] = {
    r.name: r
    for r in (
        Routine("rt_mul", 2, 1, (), arith.mul),
        Routine("rt_div", 2, 2, (), arith.div),
        Routine("rt_shl", 2, 1, (), arith.shl),
        Routine("rt_shr", 2, 1, (), arith.shr),
        Routine("rt_and", 2, 1, (), arith.and_),
        Routine("rt_low", 2, 1, (), arith.low_bits),
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
    needs: tuple[str, ...] = ()  # the library functions in C that its emitted code calls


def libc_units(file: str) -> dict[str, str]:
    """The units of `libc/FILE`, by each name they define: a unit starts at a line
    `//@ NAME...` and runs to the next one, after what the file has before its first unit
    (its macros); its text keeps the file's line numbers, so that a source location in it is
    a line of the file."""
    units: dict[str, str] = {}
    lines = (LIBC / file).read_text().splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.startswith("//@ ")]
    prelude = "".join(lines[: starts[0]])
    for start, end in zip(starts, starts[1:] + [len(lines)], strict=True):
        text = prelude + "\n" * (start - starts[0]) + "".join(lines[start:end])
        for name in lines[start].split()[1:]:
            units[name] = text
    return units


def library_options(heap: int = DEFAULT_HEAP) -> CppOptions:
    """What the library's C is preprocessed with: the size of the heap's array."""
    return CppOptions((("D", f"__HEAP_WORDS__={heap}"),))


def _c(units: dict[str, str], name: str, returns: S.CType, *params: S.CType) -> LibraryFunction:
    """The library function `name`, written in C in one of `units` (a file's, see libc_units)."""
    return LibraryFunction(returns, params, source=units[name])


HEAP, STRING, CTYPE = libc_units("heap.c"), libc_units("string.c"), libc_units("ctype.c")
STDLIB = libc_units("stdlib.c")
CHARPP = S.CType("char", 2)
INTP = S.CType("int", 1)


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
    "abort": LibraryFunction(S.VOID, (), emit=builtins.abort),
    "__assert_fail": LibraryFunction(
        S.VOID, (CONST_CHARP, CONST_CHARP, S.INT), emit=builtins.assert_fail
    ),
    "free": LibraryFunction(S.VOID, (VOIDP,), emit=builtins.free, needs=("__free",)),
    "realloc": LibraryFunction(VOIDP, (VOIDP, S.INT), emit=builtins.realloc, needs=("__realloc",)),
    "__putd": _printer("rt_putd"),
    "__putu": _printer("rt_putu"),
    "__putx": _printer("rt_putx"),
    "__putX": _printer("rt_putX"),
    "__puto": _printer("rt_puto"),
    "__puts": _printer("rt_puts"),
    # written in C: compiled with the program when it calls them
    "malloc": _c(HEAP, "malloc", VOIDP, S.INT),
    "calloc": _c(HEAP, "calloc", VOIDP, S.INT, S.INT),
    "__free": _c(HEAP, "__free", S.INT, VOIDP),
    "__realloc": _c(HEAP, "__realloc", VOIDP, VOIDP, S.INT),
    "strlen": _c(STRING, "strlen", S.INT, CONST_CHARP),
    "strcmp": _c(STRING, "strcmp", S.INT, CONST_CHARP, CONST_CHARP),
    "strncmp": _c(STRING, "strncmp", S.INT, CONST_CHARP, CONST_CHARP, S.INT),
    "memcmp": _c(STRING, "memcmp", S.INT, CONST_VOIDP, CONST_VOIDP, S.INT),
    "strcpy": _c(STRING, "strcpy", CHARP, CHARP, CONST_CHARP),
    "strncpy": _c(STRING, "strncpy", CHARP, CHARP, CONST_CHARP, S.INT),
    "strcat": _c(STRING, "strcat", CHARP, CHARP, CONST_CHARP),
    "strncat": _c(STRING, "strncat", CHARP, CHARP, CONST_CHARP, S.INT),
    "memset": _c(STRING, "memset", VOIDP, VOIDP, S.INT, S.INT),
    "memcpy": _c(STRING, "memcpy", VOIDP, VOIDP, CONST_VOIDP, S.INT),
    "memmove": _c(STRING, "memmove", VOIDP, VOIDP, CONST_VOIDP, S.INT),
    "strchr": _c(STRING, "strchr", CHARP, CONST_CHARP, S.INT),
    "strrchr": _c(STRING, "strrchr", CHARP, CONST_CHARP, S.INT),
    "strstr": _c(STRING, "strstr", CHARP, CONST_CHARP, CONST_CHARP),
    "strspn": _c(STRING, "strspn", S.INT, CONST_CHARP, CONST_CHARP),
    "strcspn": _c(STRING, "strcspn", S.INT, CONST_CHARP, CONST_CHARP),
    "abs": _c(STDLIB, "abs", S.INT, S.INT),
    "labs": _c(STDLIB, "labs", S.INT, S.INT),
    "atoi": _c(STDLIB, "atoi", S.INT, CONST_CHARP),
    "atol": _c(STDLIB, "atol", S.INT, CONST_CHARP),
    "__strtou": _c(STDLIB, "__strtou", S.INT, CONST_CHARP, CHARPP, S.INT, INTP),
    "strtol": _c(STDLIB, "strtol", S.INT, CONST_CHARP, CHARPP, S.INT),
    "strtoul": _c(STDLIB, "strtoul", S.INT, CONST_CHARP, CHARPP, S.INT),
    "rand": _c(STDLIB, "rand", S.INT),
    "srand": _c(STDLIB, "srand", S.VOID, S.INT),
    "isupper": _c(CTYPE, "isupper", S.INT, S.INT),
    "islower": _c(CTYPE, "islower", S.INT, S.INT),
    "isalpha": _c(CTYPE, "isalpha", S.INT, S.INT),
    "isdigit": _c(CTYPE, "isdigit", S.INT, S.INT),
    "isxdigit": _c(CTYPE, "isxdigit", S.INT, S.INT),
    "isalnum": _c(CTYPE, "isalnum", S.INT, S.INT),
    "isspace": _c(CTYPE, "isspace", S.INT, S.INT),
    "isblank": _c(CTYPE, "isblank", S.INT, S.INT),
    "isprint": _c(CTYPE, "isprint", S.INT, S.INT),
    "isgraph": _c(CTYPE, "isgraph", S.INT, S.INT),
    "iscntrl": _c(CTYPE, "iscntrl", S.INT, S.INT),
    "ispunct": _c(CTYPE, "ispunct", S.INT, S.INT),
    "toupper": _c(CTYPE, "toupper", S.INT, S.INT),
    "tolower": _c(CTYPE, "tolower", S.INT, S.INT),
    "__printf": LibraryFunction(
        S.INT,
        (CHARP, S.CType("int", 1)),
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
