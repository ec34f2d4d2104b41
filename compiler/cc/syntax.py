"""The typed tree of a checked C program: what `check` makes of pycparser's AST, `codegen` reads.

Every scalar (int, char, a pointer) is one machine word, so sizeof of each is 1 and pointer
arithmetic is integer arithmetic; types are kept to check programs and to answer sizeof.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


def label(tag: str, *names: str) -> str:
    """The sqasm label of something the program names: `TAG_NAMES`. TAG (letters and the
    thing's own number, never an underscore) is unique to the thing, so two labels are equal
    only for one thing; the C names after the first underscore are there for a reader (a
    character a label cannot hold becomes `_`). The compiler's own labels start with `_`, or
    are `Z` or `rt_...`, whose tags hold no number: no C name can give one of them."""
    return f"{tag}_" + "_".join(re.sub(r"[^A-Za-z0-9_]", "_", name) for name in names)


@dataclass(frozen=True)
class Loc:
    """A place in a source: line and column, and the file ("": the unit's own)."""

    line: int
    col: int
    file: str = ""


@dataclass(frozen=True)
class CType:
    """`base` behind `pointers` levels of pointer; with `length`, a one-dimensional array of it;
    with `target_length`, a pointer to an array of that many (`&a`: `int (*)[4]`). `const`:
    the base is const (`const char *`, `const int`)."""

    base: str  # "int", "char" or "void"
    pointers: int = 0
    length: int | None = None
    target_length: int | None = None
    const: bool = False

    @property
    def is_array(self) -> bool:
        """Whether it is an array."""
        return self.length is not None

    @property
    def is_void(self) -> bool:
        """Whether it is plain `void`."""
        return self.base == "void" and self.pointers == 0 and self.length is None

    @property
    def is_pointer(self) -> bool:
        """Whether it is a pointer (an array is not)."""
        return self.pointers > 0 and self.length is None

    @property
    def size(self) -> int:
        """Its size in words: an array's length, else 1."""
        return self.length if self.length is not None else 1

    def element(self) -> CType:
        """What an array holds or a pointer points to."""
        if self.length is not None:
            return CType(self.base, self.pointers, const=self.const)
        return CType(self.base, self.pointers - 1, self.target_length, const=self.const)

    def decayed(self) -> CType:
        """An array used as a value is a pointer to its first element."""
        if self.length is None:
            return self
        return CType(self.base, self.pointers + 1, const=self.const)

    def address(self) -> CType:
        """The type of a pointer to this (`&x`)."""
        return CType(self.base, self.pointers + 1, None, self.length, self.const)

    def __str__(self) -> str:
        """The type as C writes it (`char *`, `int[4]`, `int (*)[4]`)."""
        text = ("const " if self.const else "") + self.base
        if self.target_length is not None:
            stars = "*" * (self.pointers - 1)
            return f"{text} {stars}(*)[{self.target_length}]"
        text += " " + "*" * self.pointers if self.pointers else ""
        return text + (f"[{self.length}]" if self.length is not None else "")


UNSIZED = -1  # the length of an array declared `a[]`, until its initializer gives one
INT, CHAR, VOID = CType("int"), CType("char"), CType("void")


@dataclass(eq=False)
class Var:
    """A variable: a global (a static local is a global with a local name), a local, a parameter."""

    name: str
    ctype: CType
    storage: str  # "global", "local" or "param"
    function: str | None
    loc: Loc
    label: str = ""  # its cell (an array's first cell)
    address_taken: bool = False
    init: list[int | str] | None = None  # a global's initial words (numbers or label expressions)
    readonly: bool = False  # declared const itself (`const int n`, `int *const p`)
    on_stack: bool = False  # lives in a stack frame (set by the code generator)
    offset: int = 0  # its place in the frame, when on the stack


@dataclass(eq=False)
class Expr:
    """An expression: its place and its type."""

    loc: Loc = field(kw_only=True)
    ctype: CType = field(default=INT, kw_only=True)
    # C's type is unsigned (sizeof's and strlen's size_t, a hex or octal constant above INT_MAX,
    # and what the usual arithmetic conversions make of them): the word is the same, but
    # comparisons are unsigned and division, remainder and right shift are refused where the
    # value may be 2^(N-1) or more (see check_expr.unsigned_operands)
    unsigned: bool = field(default=False, kw_only=True)


@dataclass(eq=False)
class Num(Expr):
    """An integer constant."""

    value: int


@dataclass(eq=False)
class VarRef(Expr):
    """A variable, as a value or as the target of an assignment."""

    var: Var


@dataclass(eq=False)
class Str(Expr):
    """A string literal: the address of its characters (a NUL-terminated array in data)."""

    data: bytes
    label: str = ""


@dataclass(eq=False)
class Unary(Expr):
    """`op operand` for -, ~ and !."""

    op: str  # "-", "~", "!"
    operand: Expr


@dataclass(eq=False)
class Binary(Expr):
    """`left op right` for the arithmetic, bitwise, comparison and logical operators."""

    op: str  # + - * / % << >> & | ^ < <= > >= == != && ||
    left: Expr
    right: Expr


@dataclass(eq=False)
class Assign(Expr):
    """`target = value`, or a compound assignment such as `+=`."""

    op: str  # "=", "+=", "-=", ...
    target: Expr  # a VarRef or a Deref
    value: Expr


@dataclass(eq=False)
class IncDec(Expr):
    """`++` or `--` on a target, prefix or postfix."""

    op: str  # "++" or "--"
    prefix: bool
    target: Expr


@dataclass(eq=False)
class Cond(Expr):
    """`test ? then : other`."""

    test: Expr
    then: Expr
    other: Expr


@dataclass(eq=False)
class Comma(Expr):
    """`a, b, ...`: each in order; the value is the last one's."""

    exprs: list[Expr]


@dataclass(eq=False)
class Call(Expr):
    """A call of a function by name."""

    name: str
    args: list[Expr]


@dataclass(eq=False)
class Deref(Expr):
    """`*pointer` (`a[i]` is `*(a + i)`)."""

    pointer: Expr


@dataclass(eq=False)
class AddrOf(Expr):
    """`&var`, and an array used as a value."""

    var: Var


@dataclass(eq=False)
class Stmt:
    """A statement: its place."""

    loc: Loc = field(kw_only=True)


@dataclass(eq=False)
class Block(Stmt):
    """`{ ... }`: statements in order."""

    items: list[Stmt]


@dataclass(eq=False)
class ExprStmt(Stmt):
    """An expression evaluated for its effects."""

    expr: Expr


@dataclass(eq=False)
class Declare(Stmt):
    """A local's declaration: its initial value (an expression, or an array's elements)."""

    var: Var
    init: Expr | list[Expr] | None


@dataclass(eq=False)
class If(Stmt):
    """`if (test) then else other` (other None: no else)."""

    test: Expr
    then: Stmt
    other: Stmt | None


@dataclass(eq=False)
class While(Stmt):
    """`while (test) body`."""

    test: Expr
    body: Stmt


@dataclass(eq=False)
class DoWhile(Stmt):
    """`do body while (test);`."""

    body: Stmt
    test: Expr


@dataclass(eq=False)
class For(Stmt):
    """`for (init; test; step) body`; each of the first three may be missing."""

    init: Stmt | None
    test: Expr | None
    step: Expr | None
    body: Stmt


@dataclass(eq=False)
class Break(Stmt):
    """`break`: out of the innermost loop or switch."""


@dataclass(eq=False)
class Continue(Stmt):
    """`continue`: on to the innermost loop's next iteration."""


@dataclass(eq=False)
class Labeled(Stmt):
    """`name: stmt`: a place `goto name` jumps to, within its function."""

    name: str
    body: Stmt


@dataclass(eq=False)
class Goto(Stmt):
    """`goto name`."""

    name: str


@dataclass(eq=False)
class Return(Stmt):
    """`return`, with a value or without."""

    value: Expr | None


@dataclass(eq=False)
class Case:
    """`case value:` (None: `default:`) and the statements up to the next label."""

    value: int | None
    body: list[Stmt]
    loc: Loc


@dataclass(eq=False)
class Switch(Stmt):
    """`switch (value)` and its cases in order."""

    value: Expr
    cases: list[Case]


@dataclass(eq=False)
class Function:
    """A function: its signature, its body (None: only declared), locals and callees."""

    name: str
    returns: CType
    params: list[Var]
    loc: Loc
    body: Block | None = None
    locals: list[Var] = field(default_factory=list)
    calls: set[str] = field(default_factory=set)
    file: str = ""  # the source it was defined in (the program's, or the library's)
    variadic: bool = False  # `...`: its unnamed arguments go to the words of `va_block`
    va_block: Var | None = None


@dataclass(eq=False)
class Unit:
    """A checked translation unit: globals in order, functions by name, string literals."""

    file: str
    globals: list[Var]
    functions: dict[str, Function]
    strings: list[Str]


# The operators of the tree: a compound assignment's arithmetic, and every binary operator.
COMPOUND = {
    "+=": "+",
    "-=": "-",
    "*=": "*",
    "/=": "/",
    "%=": "%",
    "<<=": "<<",
    ">>=": ">>",
    "&=": "&",
    "|=": "|",
    "^=": "^",
}
BINARY = {
    "+",
    "-",
    "*",
    "/",
    "%",
    "<<",
    ">>",
    "&",
    "|",
    "^",
    "<",
    "<=",
    ">",
    ">=",
    "==",
    "!=",
    "&&",
    "||",
}


def literal_format(e: Expr) -> bool:
    """A printf format known when compiling: a string literal, or `c ? f1 : f2` of such."""
    if isinstance(e, Cond):
        return literal_format(e.then) and literal_format(e.other)
    return isinstance(e, Str)
