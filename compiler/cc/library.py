"""The run-time library: the SUBLEQ routines by name, and the functions written in C.

A C library function is compiled with the program when the program calls it; a routine is
linked when the generated code uses it (for an operator, or a printf conversion).
"""

from __future__ import annotations

from . import arith, printing, routines
from . import syntax as S
from .routines import Routine

CHARP = S.CType("char", 1)
CONST_CHARP = S.CType("char", 1, const=True)

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
        Routine("rt_putu", 1, 0, ("rt_putd", "rt_div"), printing.putu),
        Routine("rt_putx", 1, 0, (), printing.putx),
        Routine("rt_puts", 1, 0, (), printing.puts_),
        Routine("rt_lt", 2, 1, (), arith.less),
        Routine("rt_load", 1, 1, (), routines.load),
        Routine("rt_store", 2, 0, (), routines.store),
        Routine("rt_push", 1, 0, (), routines.push),
        Routine("rt_pop", 0, 1, (), routines.pop),
    )
}

# Library functions written in C: name -> ((return type, parameter types), source).
LIBRARY: dict[str, tuple[tuple[S.CType, tuple[S.CType, ...]], str]] = {
    "abs": ((S.INT, (S.INT,)), "int abs(int x) { return x < 0 ? -x : x; }"),
    "strlen": (
        (S.INT, (CONST_CHARP,)),
        "int strlen(const char *s) { int n = 0; while (s[n]) n++; return n; }",
    ),
    "strcmp": (
        (S.INT, (CONST_CHARP, CONST_CHARP)),
        (
            "int strcmp(const char *a, const char *b) "
            "{ while (*a && *a == *b) { a++; b++; } return *a - *b; }"
        ),
    ),
    "strcpy": (
        (CHARP, (CHARP, CONST_CHARP)),
        "char *strcpy(char *d, const char *s) { char *p = d; while ((*p++ = *s++)) ; return d; }",
    ),
    "strcat": (
        (CHARP, (CHARP, CONST_CHARP)),
        (
            "char *strcat(char *d, const char *s) { char *p = d; while (*p) p++; "
            "while ((*p++ = *s++)) ; return d; }"
        ),
    ),
    "memset": (
        (CHARP, (CHARP, S.INT, S.INT)),
        (
            "char *memset(char *d, int c, int n) { int i; "
            "for (i = 0; i < n; i++) d[i] = c; return d; }"
        ),
    ),
    "atoi": (
        (S.INT, (CONST_CHARP,)),
        (
            "int atoi(const char *s) { int n = 0, neg = 0; "
            "while (*s == ' ' || (*s >= '\\t' && *s <= '\\r')) s++; "  # what isspace is
            "if (*s == '-' || *s == '+') { neg = *s == '-'; s++; } "
            "while (*s >= '0' && *s <= '9') { n = n * 10 + (*s - '0'); s++; } "
            "return neg ? -n : n; }"
        ),
    ),
    "__printf": (
        (S.INT, (CHARP, S.CType("int", 1))),
        r"""
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
""",
    ),
}
