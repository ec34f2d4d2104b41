"""check, the state every part of the checker shares: scopes, places, labels and errors."""

from __future__ import annotations

from pycparser import c_ast

from . import syntax as S
from .constfold import fold_binary, fold_unary
from .constructs import construct
from .errors import CError


def address_limit(bits: int, words: int | None) -> tuple[int, str]:
    """The most words a C program can have on an N-bit machine (of `words` words, if chosen),
    and what sets that limit, in words for a message."""
    limit = min(1 << (bits - 1), 65536)  # addresses stay positive N-bit values
    if words is not None and words < limit:
        return words, f"the machine's {words:,} words (K)"
    return limit, f"the {limit:,} words a C program can address at N={bits}"


class CheckerState:
    """The checker's state: what it has declared, its scopes and places, and its errors."""

    def __init__(self, file: str, bits: int) -> None:
        """Empty state for checking `file` with `bits`-bit words."""
        self.file, self.bits = file, bits
        self.words: int | None = None  # the machine's K, when it is chosen
        self.globals: list[S.Var] = []
        self.functions: dict[str, S.Function] = {}
        # the functions the program defines anywhere in its file: a call of memset or of a
        # scanner is the library's (see ExprChecker.call) only where the program has no body
        self.program_defines: set[str] = set()
        self.objects: dict[str, S.Var] = {}  # the globals with linkage, by name (extern ones too)
        self.initialised: set[str] = set()  # those defined with an initializer
        self.linkages: dict[str, bool] = {}  # whether a file-scope name is static
        self.external_functions: set[str] = set()  # declared once without inline, or extern
        self.registers: set[S.Var] = set()  # variables declared `register`: no `&` of them
        # calls of functions declared `int f();`, before a prototype says their parameters:
        # by name, each call's argument types and node (checked when the prototype comes)
        self.unprototyped_calls: dict[str, list[tuple[list[S.CType], c_ast.Node]]] = {}
        # compound literals outside functions: their initial words as expressions (a static
        # struct may be initialized from one, as gcc allows)
        self.static_literals: dict[S.Var, list[S.Expr]] = {}
        self.strings: list[S.Str | S.WideStr] = []
        self.function_names: dict[S.Function, S.Str] = {}  # each function's `__func__`
        # calls through pointers to variadic functions: named arguments -> most unnamed ones
        self.va_pointer_calls: dict[int, int] = {}
        self.scopes: list[dict[str, object]] = [{}]
        self.enums: set[str] = set()
        self.function: S.Function | None = None
        self.loops = 0  # loops and switches around the statement being checked
        self.switches = 0
        # where `break` goes, innermost last: None for a loop's or a switch's own; a label for
        # a switch made of labels (see check_switch)
        self.breaks: list[str | None] = []
        # the cases found in each switch made of labels being checked (None: another switch)
        self.cases: list[tuple[list[tuple[int | None, str, c_ast.Node]], int] | None] = []
        self.labelled = 0  # switches made of labels so far
        # struct, union and enum specifiers already checked, by node (its declarators share
        # one node: `struct s {...} v, w;` defines s once): the node, and its record
        self.defined: dict[int, tuple[c_ast.Node, object]] = {}
        self.labels = 0  # variables labelled so far
        self.goto_labels: dict[str, c_ast.Node] = {}  # the function's `name:`s
        self.gotos: list[c_ast.Goto] = []  # and its `goto name`s
        # each statement expression's labels and the gotos inside it (see check_gnu)
        self.sealed: list[tuple[set[str], set[int]]] = []
        # the expression statements that give a statement expression its value, by node
        self.valued: set[int] = set()
        self.place = S.Loc(1, 1)  # the last place a node gave (see `loc`)

    # -- errors and places ----------------------------------------------------------------
    def loc(self, node: c_ast.Node | None) -> S.Loc:
        """A node's line, column and file; where pycparser gives it none (a designator), the
        first place inside it, else the last place seen."""
        todo = [node] if node is not None else []
        while todo:
            item = todo.pop(0)
            coord = getattr(item, "coord", None)
            if coord is not None and coord.line:
                self.place = S.Loc(coord.line, coord.column or 1, coord.file or "")
                return self.place
            todo.extend(child for _, child in item.children())
        return self.place

    def error(self, node: c_ast.Node | None, message: str) -> CError:
        """An error at a node's place, to raise."""
        loc = self.loc(node)
        return CError.at(loc.file or self.file, loc.line, loc.col, message)

    def address_limit(self) -> tuple[int, str]:
        """The most words a C program can address here, and what sets that limit."""
        return address_limit(self.bits, self.words)

    def unsupported(self, node: c_ast.Node | None, what: str) -> CError:
        """A `not supported: what` error at a node's place, to raise."""
        return self.error(node, f"not supported: {what}")

    def refuse(self, node: c_ast.Node) -> CError:
        """`not supported: ...` naming what a node is in C's words, to raise."""
        return self.unsupported(node, construct(node))

    # -- names ----------------------------------------------------------------------------
    def lookup(self, name: str, node: c_ast.Node) -> object:
        """What a name means in the innermost scope that declares it."""
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        if name in ("__func__", "__FUNCTION__"):
            return self.function_name(name, node)
        if name == "__INT_MAX__":  # as gcc predefines it (the library's printf needs it)
            return S.Num((1 << (self.bits - 1)) - 1, loc=self.loc(node))
        raise self.error(node, f"'{name}' undeclared")

    def function_name(self, name: str, node: c_ast.Node) -> S.Str:
        """`__func__` (C99) and gcc's `__FUNCTION__`: the function's name, one string of its own."""
        fn = self.function
        if fn is None:
            raise self.error(node, f"'{name}' is not defined outside of function scope")
        if fn not in self.function_names:
            label = f"_s{len(self.strings) + 1}_{'lib' if self.file.startswith('<') else 'u'}"
            self.function_names[fn] = S.Str(
                fn.name.encode(), label, loc=fn.loc, ctype=S.CHAR_POINTER
            )
            self.strings.append(self.function_names[fn])
        own = self.function_names[fn]
        return S.Str(own.data, own.label, loc=self.loc(node), ctype=own.ctype)

    def find(self, name: str) -> object:
        """What a name (or a tag: `struct s`) means in the innermost scope declaring it, or None."""
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return None

    def declare(self, name: str, thing: object, node: c_ast.Node) -> None:
        """Bind a name in the innermost scope (a function may be declared again, nothing else)."""
        scope = self.scopes[-1]
        old = scope.get(name)
        if old is not None and not (isinstance(old, S.Function) and isinstance(thing, S.Function)):
            raise self.error(node, f"redefinition of '{name}'")
        scope[name] = thing

    def label(self, kind: str, *names: str) -> str:
        """A new variable's label: its kind (g, s, v, p) and a number of its own, then its
        names (see `syntax.label`)."""
        self.labels += 1
        return S.label(f"{kind}{self.labels}", *names)

    def error_at(self, e: S.Expr | S.Stmt | S.Var | S.Function, message: str) -> CError:
        """An error at the place of a typed-tree node, a variable or a function, to raise."""
        return CError.at(e.loc.file or self.file, e.loc.line, e.loc.col, message)

    def const_value(self, e: S.Expr) -> int | None:
        """The value of a constant expression, or None."""
        if isinstance(e, S.Num):
            return e.value
        if isinstance(e, S.Unary):
            v = self.const_value(e.operand)
            return None if v is None else fold_unary(e.op, v, self.bits)
        if isinstance(e, S.Binary):
            left = self.const_value(e.left)
            if left is not None and e.op in ("&&", "||") and (left == 0) == (e.op == "&&"):
                return int(e.op == "||")
            right = self.const_value(e.right)
            if left is None or right is None:
                return None
            return fold_binary(e.op, left, right, self.bits)
        if isinstance(e, S.Cond):
            test = self.const_value(e.test)
            return None if test is None else self.const_value(e.then if test else e.other)
        return None
