"""The pieces of the random C generator (cfuzz): constants, shape flags, expressions with
what they read and write, and the scopes of function bodies."""

from __future__ import annotations

from dataclasses import dataclass, field

EDGES = [0, 1, -1, 2, -2, 3, 7, 8, 16, 31, 32, 255, 256, 65536, 2147483647, -2147483648]
EDGES += [-2147483647, 1 << 30, -(1 << 30), 100, -100, 12345, 46341]
DIVISORS = [1, 2, 3, -2, 7, -7, 10, 256, 2147483647, -2147483648, 46341]
ARITH = ["+", "-", "*", "&", "|", "^", "<", "<=", ">", ">=", "==", "!="]
COMPARISONS = ["<", "<=", ">", ">=", "==", "!="]
COMPOUND = ["+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>="]
CONVERSIONS = ["%d", "%i", "%u", "%x", "%c", "%s"]
TEXT = ["", " ", "a", "=", ":", "x", "\\n", "\\t", "%%", "<", ", ", "\\\\", '\\"']
ANY = "*"  # an unknown object: what a pointer reaches, or what a call may write
IO = "io"  # the output, written by printf, putchar, puts and any call


@dataclass(frozen=True)
class Shapes:
    """Which shapes of program are generated (each on by default)."""

    calls_in_conditions: bool = True  # calls inside &&, || and ?: operands
    arg_side_effects: bool = True  # ++, -- and assignments in the arguments of calls
    comma_calls: bool = True  # calls inside comma expressions
    printf_side_effects: bool = True  # calls and assignments in printf's arguments
    nested_runtime_printf: bool = True  # printf with a run-time format outside main
    address_params: bool = True  # &param passed down to a callee
    calls_in_comparisons: bool = True  # calls as operands of < <= > >= == != and !
    exit_value: bool = False  # main returns a computed value & 255 (else 0)
    records: bool = True  # structs (nested, with arrays; copied, passed and returned by
    # value) and two-dimensional arrays, global and local
    unsigned: bool = True  # unsigned / % >> comparisons and conversions
    pointers: bool = True  # calls through a table of function pointers
    heap: bool = True  # main's malloc'd array, freed at the end
    wide: bool = True  # long long and unsigned long long arithmetic, a long long local
    # live across calls, printf's %lld %llu %llx
    narrow: bool = True  # globals of the types whose stores convert: unsigned and signed
    # char, short, unsigned short, _Bool, and a struct of bit-fields


DEFAULT_SHAPES = Shapes()


@dataclass(frozen=True)
class Ex:
    """An expression's text and what it reads, writes, and whether it calls a function."""

    text: str
    reads: frozenset = frozenset()
    writes: frozenset = frozenset()
    calls: bool = False

    def __or__(self, other: Ex) -> Ex:
        return Ex(
            "", self.reads | other.reads, self.writes | other.writes, self.calls or other.calls
        )

    @property
    def pure(self) -> bool:
        return not self.writes and not self.calls


def lit(v: int) -> str:
    if v == -2147483648:
        return "(-2147483647 - 1)"
    return str(v) if v >= 0 else f"({v})"


@dataclass
class Function:
    name: str
    params: list[str]  # int parameters after the depth d
    pointer: bool  # a last parameter int *p


@dataclass
class Scope:
    """What a function body may use."""

    fn: Function | None  # None: main
    scalars: list[str]
    arrays: list[str]
    visible: set[str]  # objects a call or *p may reach
    addressable: list[str]  # locals whose address may be passed down
    calls_left: int
    in_loop: bool = False
    counters: list[str] = field(default_factory=list)  # loop counters: read only
    records: list[str] = field(default_factory=list)  # struct S variables
    matrices: list[str] = field(default_factory=list)  # int [4][4] arrays
    wide: str = ""  # the function's long long local, if it has one


# the struct every program may use, and a function that takes and returns it by value
RECORD = "struct S { int a; int b[4]; struct { int x, y; } in; };"
MIX = (
    "struct S mix(struct S s, int k) { s.a += k; s.in.x ^= k; s.b[k & 3] = s.in.y - s.a; "
    "return s; }"
)


# the functions main's and every function's table of pointers holds (pure: no calls, no I/O)
OPERATIONS = [
    "int op_add(int a, int b) { return a + b; }",
    "int op_sub(int a, int b) { return a - b; }",
    "int op_xor(int a, int b) { return a ^ (b >> 1); }",
    "int op_min(int a, int b) { return a < b ? a : b; }",
]
TABLE = "int (*ops[4])(int, int) = { op_add, op_sub, op_xor, op_min };"
UNSIGNED_OPS = ["/", "%", ">>", "<", ">=", "+", "*", "-", "&", "^"]
WIDE_OPS = ["+", "-", "*", "/", "%", "<<", ">>", "&", "|", "^", "<", "<=", ">", "==", "!="]
WIDE_TYPES = ["long long", "unsigned long long"]
# what an int operand is scaled by to reach the high word: |int * scale| < 2^63, so the
# dividend of a / or % is never LLONG_MIN
WIDE_SCALES = ["1", "3", "65536", "2147483648LL", "(-1000003)", "4294967295LL"]
WIDE_CONVERSIONS = {"%lld": "long long", "%llu": "unsigned long long", "%llx": "unsigned long long"}
# the globals whose every store converts (gcc's char and short widths, _Bool, bit-fields), by
# how a program names them; each is read, assigned, compound-assigned and stepped
NARROW = ["gc", "gsc", "gh", "guh", "gbo", "gb.u", "gb.s", "gb.b", "gb.c"]
NARROW_TYPES = {
    "gc": "unsigned char",
    "gsc": "signed char",
    "gh": "short",
    "guh": "unsigned short",
    "gbo": "_Bool",
}
BITS = "struct B { unsigned u : 5; int s : 7; _Bool b : 1; unsigned char c; };"


# a long long's two halves folded into an int (gcc converts out-of-range values modulo 2^32)
FOLD = "int fold(long long v) { return (int)(v >> 32) ^ (int)v; }"


def fx(e: Ex) -> tuple:
    return e.reads, e.writes, e.calls


def union(exs: list[Ex]) -> Ex:
    total = Ex("")
    for e in exs:
        total = total | e
    return total


def indent(lines: list[str]) -> list[str]:
    return ["    " + line for line in lines]
