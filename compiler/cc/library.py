"""The library: every function a program may call without defining it, and the routines.

`LIBRARY` is the one table of the C functions: each entry is a signature and either its C
source (compiled with the program when the program calls it) or its emitter (code in place of
each call, from `builtins`). `RT` holds the SUBLEQ routines, linked when the generated code
uses them (for an operator, or a printf conversion).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from ..sources import CppOptions
from . import arith, arith_unsigned, builtins, printing, routines, sorting
from . import syntax as S
from .gen import CodeGen
from .routines import Routine
from .values import Val

CHARP = S.CHAR_POINTER
CONST_CHARP = S.pointer(S.CType("char", const=True))
VOIDP = S.pointer(S.VOID)
CONST_VOIDP = S.pointer(S.CType("void", const=True))
LIBC = Path(__file__).with_name("libc")
DEFAULT_HEAP = 1024  # words of heap when the program calls malloc, calloc or realloc
# rt_fmul's multipliers below 2^8 and rt_fdiv's quotients below 2^12 take the unrolled path
# (some 34 words a bit)
FAST_MULTIPLIER, FAST_QUOTIENT = 8, 12

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
        # the same, with the unrolled paths for a small multiplier or quotient (see
        # `codeunit.Tradeoffs.compact_arith`)
        Routine("rt_fmul", 2, 1, (), partial(arith.mul, levels=FAST_MULTIPLIER)),
        Routine("rt_fdiv", 2, 2, (), partial(arith.div, levels=FAST_QUOTIENT)),
        Routine(
            "rt_fudiv", 2, 2, ("rt_fdiv", "rt_shr"), partial(arith_unsigned.udiv, div="rt_fdiv")
        ),
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
    needs: tuple[str, ...] = ()  # the library functions in C that its emitted code calls
    format_at: int = 0  # (`params` None) which argument is the printf format
    variadic: bool = False  # (written in C) `...` after `params`
    address: str | None = None  # (built in) the function in C that its address is


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
STDLIB, PRINTF = libc_units("stdlib.c"), libc_units("printf.c")
LONGLONG, WCHAR = libc_units("longlong.c"), libc_units("wchar.c")
STDIO = libc_units("stdio.c")
SCANF = libc_units("scanf.c")
# sprintf's and snprintf's printf: all of printf.c, its first line `#define __TO_BUFFER`
TO_BUFFER = "#define __TO_BUFFER\n" + (LIBC / "printf.c").read_text().split("\n", 1)[1]
CHARPP = S.pointer(S.CHAR_POINTER)
INTP = S.pointer(S.INT)


def _printer(routine: str) -> LibraryFunction:
    """One of the number printers behind printf's conversions (the run-time printf calls
    them): one argument, printed by `routine`."""
    argument = CHARP if routine == "rt_puts" else S.INT
    return LibraryFunction(S.VOID, (argument,), emit=builtins.routine_call(routine))


def _long_long() -> dict[str, LibraryFunction]:
    """The functions of longlong.c, which the checker calls for long long's operators."""
    ll = S.LLONG
    table = {
        "__ll_make": (ll, S.UINT, S.UINT),
        "__ll_from_int": (ll, S.INT),
        "__ll_from_uint": (ll, S.UINT),
        "__ll_low": (S.UINT, ll),
        "__ll_bool": (S.INT, ll),
        "__ll_neg": (ll, ll),
        "__ll_not": (ll, ll),
        "__ll_shl": (ll, ll, S.INT),
        "__ll_shr": (ll, ll, S.INT),
        "__ll_ushr": (ll, ll, S.INT),
        "__ll_cmp": (S.INT, ll, ll),
        "__ll_ucmp": (S.INT, ll, ll),
        "__ll_udivmod": (ll, ll, ll, S.pointer(ll)),
        "__ll_str": (CHARP, ll, S.INT, CHARP),
    }
    for name in ("add", "sub", "mul", "and", "or", "xor", "div", "mod", "udiv", "umod"):
        table[f"__ll_{name}"] = (ll, ll, ll)
    return {name: _c(LONGLONG, name, *types) for name, types in table.items()}


PRINTS = ("__printf",)  # the run-time printf, which vprintf and vfprintf call
# <stdio.h>'s functions of files, which a program may name but not call
NO_FILES = frozenset(
    "fopen freopen fclose fread fwrite fseek ftell rewind feof ferror clearerr remove rename"
    " tmpfile tmpnam setvbuf setbuf fgetpos fsetpos".split()
)

LIBRARY: dict[str, LibraryFunction] = {
    # built in: the code of each call is emitted in place
    "putchar": LibraryFunction(S.INT, (S.INT,), emit=builtins.putchar),
    "getchar": LibraryFunction(S.INT, (), emit=builtins.getchar),
    "puts": LibraryFunction(S.INT, (CHARP,), emit=builtins.puts),
    "printf": LibraryFunction(S.INT, None, emit=builtins.printf),
    "sprintf": LibraryFunction(
        S.INT, None, emit=builtins.sprintf, needs=("__snprintf",), format_at=1
    ),
    "snprintf": LibraryFunction(
        S.INT, None, emit=builtins.sprintf, needs=("__snprintf",), format_at=2
    ),
    "fprintf": LibraryFunction(S.INT, None, emit=builtins.printf, format_at=1, address="__fprintf"),
    "__fprintf": LibraryFunction(S.INT, (VOIDP, CONST_CHARP), STDIO["__fprintf"], variadic=True),
    "__stream_fault": LibraryFunction(S.VOID, (), emit=builtins.stream_fault),
    "vprintf": LibraryFunction(S.INT, (CONST_CHARP, S.INT), emit=builtins.vprintf, needs=PRINTS),
    "vfprintf": LibraryFunction(
        S.INT, (VOIDP, CONST_CHARP, S.INT), emit=builtins.vprintf, needs=PRINTS
    ),
    "fputs": LibraryFunction(S.INT, (CONST_CHARP, VOIDP), emit=builtins.fputs),
    "fputc": LibraryFunction(S.INT, (S.INT, VOIDP), emit=builtins.fputc),
    "putc": LibraryFunction(S.INT, (S.INT, VOIDP), emit=builtins.fputc),
    "fgetc": LibraryFunction(S.INT, (VOIDP,), emit=builtins.fgetc),
    "getc": LibraryFunction(S.INT, (VOIDP,), emit=builtins.fgetc),
    "fflush": LibraryFunction(S.INT, (VOIDP,), emit=builtins.fflush),
    "exit": LibraryFunction(S.VOID, (S.INT,), emit=builtins.exit_),
    "abort": LibraryFunction(S.VOID, (), emit=builtins.abort),
    "__format_fault": LibraryFunction(S.VOID, (), emit=builtins.format_fault),
    "__scan_fault": LibraryFunction(S.VOID, (), emit=builtins.scan_fault),
    "__stdin_only": LibraryFunction(S.VOID, (VOIDP,), emit=builtins.stdin_only),
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
    "__heap_alloc": _c(HEAP, "__heap_alloc", VOIDP, S.INT),
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
    "__umemset": _c(STRING, "__umemset", VOIDP, VOIDP, S.INT, S.INT),
    "memcpy": _c(STRING, "memcpy", VOIDP, VOIDP, CONST_VOIDP, S.INT),
    "memmove": _c(STRING, "memmove", VOIDP, VOIDP, CONST_VOIDP, S.INT),
    "strchr": _c(STRING, "strchr", CHARP, CONST_CHARP, S.INT),
    "strrchr": _c(STRING, "strrchr", CHARP, CONST_CHARP, S.INT),
    "strstr": _c(STRING, "strstr", CHARP, CONST_CHARP, CONST_CHARP),
    "strspn": _c(STRING, "strspn", S.INT, CONST_CHARP, CONST_CHARP),
    "strcspn": _c(STRING, "strcspn", S.INT, CONST_CHARP, CONST_CHARP),
    "scanf": LibraryFunction(S.INT, (CONST_CHARP,), source=SCANF["scanf"], variadic=True),
    "sscanf": LibraryFunction(
        S.INT, (CONST_CHARP, CONST_CHARP), source=SCANF["sscanf"], variadic=True
    ),
    "fscanf": LibraryFunction(S.INT, (VOIDP, CONST_CHARP), source=SCANF["fscanf"], variadic=True),
    "ungetc": _c(SCANF, "ungetc", S.INT, S.INT, VOIDP),
    "__getchar": _c(SCANF, "__getchar", S.INT),
    "__unget": _c(SCANF, "__unget", S.INT, S.INT),
    "fgets": _c(SCANF, "fgets", CHARP, CHARP, S.INT, VOIDP),
    "memchr": _c(STRING, "memchr", VOIDP, CONST_VOIDP, S.INT, S.INT),
    "strpbrk": _c(STRING, "strpbrk", CHARP, CONST_CHARP, CONST_CHARP),
    "strtok": _c(STRING, "strtok", CHARP, CHARP, CONST_CHARP),
    "strdup": _c(STRING, "strdup", CHARP, CONST_CHARP),
    "wcslen": _c(WCHAR, "wcslen", S.INT, S.pointer(S.CType("int", const=True))),
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
    "__printf": _c(PRINTF, "__printf", S.INT, CHARP, INTP),
    "__pf": _c(PRINTF, "__pf", S.VOID, S.INT, S.INT, S.INT, S.INT, S.INT),
    "__snprintf": LibraryFunction(S.INT, (CHARP, S.INT, CHARP, INTP), source=TO_BUFFER),
    **_long_long(),
    "qsort": LibraryFunction(S.VOID, sorting.QSORT_PARAMS, source=sorting.QSORT),
    "bsearch": LibraryFunction(sorting.VOIDP, sorting.BSEARCH_PARAMS, source=sorting.BSEARCH),
}
