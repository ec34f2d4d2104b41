"""The typed tree of a checked C program: what `check` makes of pycparser's AST, `codegen` reads.

Every scalar (int, char, a pointer) is one machine word, so sizeof of each is 1; an array or a
struct is a run of words. The checker turns member access and subscripts into address
arithmetic in words, so the code generator sees words and addresses, not types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace


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


@dataclass(eq=False)
class Record:
    """A struct or union: its members at their word offsets, and its size in words (a union's
    members all start at 0). Two records are the same type only if they are the same object."""

    kind: str  # "struct" or "union"
    tag: str | None  # None: an anonymous struct or union
    members: list[Member] = field(default_factory=list)
    size: int = 0
    complete: bool = False  # its members are known (`struct s;` declares it incomplete)

    def member(self, name: str) -> Member | None:
        """The member called `name`, or one of an anonymous member's own (at its offset in
        this record), or None."""
        for m in self.members:
            if m.name == name:
                return m
            if not m.name and m.ctype.record is not None:
                inner = m.ctype.record.member(name)
                if inner is not None:
                    return replace(inner, offset=m.offset + inner.offset)
        return None

    def names(self) -> list[str]:
        """The names its members give, those of anonymous members' included."""
        out: list[str] = []
        for m in self.members:
            if m.name:
                out.append(m.name)
            elif m.ctype.record is not None:
                out += m.ctype.record.names()
        return out

    def __str__(self) -> str:
        return f"{self.kind} {self.tag}" if self.tag else f"{self.kind} <anonymous>"


@dataclass(frozen=True)
class Member:
    """A member of a struct or union: its name ("" for an anonymous struct or union, whose
    members are the record's), type and word offset."""

    name: str
    ctype: CType
    offset: int


# Every integer type is one word; `unsigned` is a flag. `long` is `int` (N bits); `short` is
# kept apart only because an `unsigned short`, like a char, promotes to int. A `_Bool` holds 0
# or 1: every store to it converts (see check_ints.stored).
INTEGERS = ("char", "short", "int", "_Bool")


@dataclass(frozen=True)
class CType:
    """A C type. `kind` is "int", "short", "char", "_Bool" or "void"; "pointer" (to `of`), "array"
    (`length` of `of`), "struct" (its `record`, a struct or a union) or "function" (returning
    `of`). `const`: this type is const-qualified (`const char *` is a pointer to a const char).
    `width`: a bit-field's (a member of a record, a word of its own whose every store keeps
    that many bits). Every scalar is one word; an array's and a record's size is their words."""

    kind: str
    of: CType | None = None
    length: int | None = None  # an array's (UNSIZED: `a[]`, until its initializer gives one)
    const: bool = False
    unsigned: bool = False
    record: Record | None = None
    params: tuple[CType, ...] | None = None  # a function's (None: not said, `int f()`)
    # What C's type system tells apart that the words do not, read by _Generic alone and
    # ignored by `==`: words among "long", "signed" (a signed char), "enum", "volatile",
    # "restrict", "header" (a typedef of loopmlp's headers, which may not be gcc's type).
    spelled: str = field(default="", compare=False)
    width: int = 0  # a bit-field's bits (0: not a bit-field)
    variadic: bool = False  # a function's: `...` after its parameters

    @property
    def is_array(self) -> bool:
        """Whether it is an array."""
        return self.kind == "array"

    @property
    def is_void(self) -> bool:
        """Whether it is plain `void`."""
        return self.kind == "void"

    @property
    def is_pointer(self) -> bool:
        """Whether it is a pointer (an array is not)."""
        return self.kind == "pointer"

    @property
    def is_record(self) -> bool:
        """Whether it is a struct or a union."""
        return self.kind == "struct"

    @property
    def is_struct(self) -> bool:
        """Whether it is a struct or a union of the program's (not a long long's two words)."""
        return self.kind == "struct" and self.record is not WIDE

    @property
    def is_wide(self) -> bool:
        """Whether it is `long long` or `unsigned long long` (two words, see check_wide)."""
        return self.record is WIDE

    @property
    def is_integer(self) -> bool:
        """Whether it is an integer type (char, int and their kin)."""
        return self.kind in INTEGERS

    @property
    def is_scalar(self) -> bool:
        """Whether a value of it is one word: an integer or a pointer."""
        return self.kind in INTEGERS or self.kind == "pointer"

    @property
    def size(self) -> int:
        """Its size in words: an array's elements', a record's members', else 1."""
        if self.kind == "array":
            assert self.of is not None and self.length is not None
            return self.length * self.of.size if self.length != UNSIZED else UNSIZED
        if self.kind == "struct":
            assert self.record is not None
            return self.record.size
        return 1

    def element(self) -> CType:
        """What an array holds or a pointer points to."""
        assert self.of is not None, self
        return self.of

    def decayed(self) -> CType:
        """An array used as a value is a pointer to its first element."""
        return pointer(self.element()) if self.kind == "array" else self

    def address(self) -> CType:
        """The type of a pointer to this (`&x`)."""
        return pointer(self)

    def unqualified(self) -> CType:
        """The type with `const` left out at every level (`const char *` is `char *`)."""
        of = self.of.unqualified() if self.of is not None else None
        return replace(self, const=False, of=of)

    def __str__(self) -> str:
        """The type as C writes it (`char *`, `int[4]`, `int (*)[4]`)."""
        return spell(self, "")


def spell(t: CType, inner: str) -> str:
    """`t` as C writes a declaration of `inner` (a declarator; "" for a type name)."""
    if t.kind == "pointer":
        assert t.of is not None
        star = "*" + (" const " if t.const else "") + inner
        if t.of.kind in ("array", "function"):
            return spell(t.of, f"({star.strip()})")
        return spell(t.of, star)
    if t.kind == "array":
        assert t.of is not None
        return spell(t.of, f"{inner}[{'' if t.length == UNSIZED else t.length}]")
    if t.kind == "function":
        assert t.of is not None
        params = "" if t.params is None else ", ".join(str(p) for p in t.params) or "void"
        params += ", ..." if t.variadic else ""
        return spell(t.of, f"{inner}({params})")
    name = str(t.record) if t.record is not None else t.kind
    signed = t.kind == "char" and "signed" in t.spelled.split()
    sign = "unsigned " if t.unsigned else "signed " if signed else ""
    text = ("const " if t.const else "") + sign + name
    if not inner:
        return text
    return text + ("" if inner.startswith("[") else " ") + inner


def tagged(t: CType, word: str) -> CType:
    """t with `word` among what it spells (see CType.spelled)."""
    return t if word in t.spelled.split() else replace(t, spelled=f"{t.spelled} {word}".strip())


def function_type(fn: Function) -> CType:
    """The type of a function (its parameters' as declared)."""
    return CType("function", of=fn.returns, params=fn.param_types(), variadic=fn.variadic)


def points_to_function(t: CType) -> bool:
    """Whether `t` is a pointer to a function."""
    return t.kind == "pointer" and t.of is not None and t.of.kind == "function"


def pointer(to: CType, const: bool = False) -> CType:
    """A pointer to `to`."""
    return CType("pointer", of=to, const=const)


def array(of: CType, length: int) -> CType:
    """An array of `length` `of`s."""
    return CType("array", of=of, length=length)


UNSIZED = -1  # the length of an array declared `a[]`, until its initializer gives one
INT, CHAR, VOID, BOOL = CType("int"), CType("char"), CType("void"), CType("_Bool")
UINT = CType("int", unsigned=True)
SIZE_T = UINT  # sizeof's type, and strlen's
CHAR_POINTER = pointer(CHAR)
# long long: a record of two words, low word first, without members a program can name (its
# operators are calls of the library's longlong.c); the kind and tag spell it `long long`
WIDE = Record("long", "long", size=2, complete=True)
LLONG = CType("struct", record=WIDE)
ULLONG = CType("struct", record=WIDE, unsigned=True)


@dataclass(frozen=True)
class TypeName:
    """A typedef name: the type it stands for (or why it is refused where it is used)."""

    ctype: CType
    refused: str = ""


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

    @property
    def unsigned(self) -> bool:
        """Whether its C type is an unsigned integer type: the word is the same, but the
        checker makes comparisons, division, remainder and right shift unsigned."""
        return self.ctype.unsigned and self.ctype.is_integer


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
class WideStr(Expr):
    """A wide string literal `L"..."`: the address of its wchar_t code points, one a word, in
    data (NUL-terminated)."""

    points: tuple[int, ...]
    label: str = ""


@dataclass(eq=False)
class Unary(Expr):
    """`op operand` for -, ~ and !."""

    op: str  # "-", "~", "!"
    operand: Expr


@dataclass(eq=False)
class Binary(Expr):
    """`left op right` for the arithmetic, bitwise, comparison and logical operators."""

    op: str  # + - * / % << >> & | ^ < <= > >= == != && ||, and unsigned u/ u% u>>
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
class StmtExpr(Expr):
    """gcc's statement expression `({ ...; e; })`: its block runs in order; when its type is
    not void, its last statement is the expression statement whose value it is."""

    body: Block


@dataclass(eq=False)
class Call(Expr):
    """A call of a function by name, or through a pointer (`pointer`; `name` is then "")."""

    name: str
    args: list[Expr]
    pointer: Expr | None = field(default=None, kw_only=True)


@dataclass(eq=False)
class FuncAddr(Expr):
    """A function's name used as a value, or `&f`: its address (a pointer to the function)."""

    name: str


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
    # its calls through pointers: their arities (named parameters), and whether variadic
    pointer_calls: set[tuple[int, bool]] = field(default_factory=set)
    address: str = ""  # the label of its address, once taken ("": never used as a value)
    escapes: bool = False  # its address may be held in a `void *`: any pointer call may reach it
    file: str = ""  # the source it was defined in (the program's, or the library's)
    variadic: bool = False  # `...`: its unnamed arguments go to the words of `va_block`
    va_block: Var | None = None
    # the parameters' types as declared (`params` may differ: a struct passed by value
    # arrives as a pointer, see check_records.by_value); None: those of `params`
    signature: tuple[CType, ...] | None = None
    prototyped: bool = True  # False: declared `int f();`, its parameters not said

    def param_types(self) -> tuple[CType, ...]:
        """The parameters' types as declared."""
        if self.signature is not None:
            return self.signature
        return tuple(p.ctype for p in self.params)


@dataclass(eq=False)
class Unit:
    """A checked translation unit: globals in order, functions by name, string literals."""

    file: str
    globals: list[Var]
    functions: dict[str, Function]
    strings: list[Str | WideStr]


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
    "u/=": "u/",  # the unsigned forms the checker gives (the source never spells them)
    "u%=": "u%",
    "u>>=": "u>>",
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
