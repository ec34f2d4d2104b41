"""check: pycparser's AST to the typed tree, refusing what the front end does not support.

Every refusal and every error is one line that names the file, line and column. Names are
resolved here (scopes, prototypes, the built-in library), types are checked lightly (what a
C compiler would reject is rejected), arrays used as values become their addresses, and
constant expressions (array sizes, case labels, global initialisers) are evaluated.
"""

from __future__ import annotations

from pycparser import c_ast

from . import syntax as S
from .fold import fold_binary, fold_unary
from .preprocess import CError

SUPPORTED_TYPES = {("int",): S.INT, ("char",): S.CHAR, ("void",): S.VOID, ("signed",): S.INT,
                   ("signed", "int"): S.INT, ("signed", "char"): S.CHAR}
ESCAPES = {"n": 10, "t": 9, "r": 13, "0": 0, "\\": 92, "'": 39, '"': 34, "a": 7, "b": 8,
           "f": 12, "v": 11, "?": 63, "e": 27}
COMPOUND = {"+=": "+", "-=": "-", "*=": "*", "/=": "/", "%=": "%", "<<=": "<<", ">>=": ">>",
            "&=": "&", "|=": "|", "^=": "^"}
BINARY = {"+", "-", "*", "/", "%", "<<", ">>", "&", "|", "^", "<", "<=", ">", ">=", "==", "!=",
          "&&", "||"}

# The built-in library: name -> (return type, parameter types, or None for printf's `...`).
BUILTINS: dict[str, tuple[S.CType, tuple[S.CType, ...] | None]] = {
    "putchar": (S.INT, (S.INT,)),
    "getchar": (S.INT, ()),
    "puts": (S.INT, (S.CType("char", 1),)),
    "printf": (S.INT, None),
    "exit": (S.VOID, (S.INT,)),
    # the printers behind printf's conversions (used by the library's run-time printf)
    "__putd": (S.VOID, (S.INT,)),
    "__putu": (S.VOID, (S.INT,)),
    "__putx": (S.VOID, (S.INT,)),
    "__puts": (S.VOID, (S.CType("char", 1),)),
}


def literal_format(e: S.Expr) -> bool:
    """A printf format known when compiling: a string literal, or `c ? f1 : f2` of such."""
    if isinstance(e, S.Cond):
        return literal_format(e.then) and literal_format(e.other)
    return isinstance(e, S.Str)


class Checker:
    """Checks one translation unit (the program, then the library functions it uses)."""

    def __init__(self, file: str, bits: int) -> None:
        self.file, self.bits = file, bits
        self.globals: list[S.Var] = []
        self.functions: dict[str, S.Function] = {}
        self.strings: list[S.Str] = []
        self.scopes: list[dict[str, object]] = [{}]
        self.enums: set[str] = set()
        self.function: S.Function | None = None
        self.loops = 0  # loops and switches around the statement being checked
        self.switches = 0
        self.names: dict[str, int] = {}

    # -- errors and places ----------------------------------------------------------------
    def loc(self, node: c_ast.Node | None) -> S.Loc:
        coord = getattr(node, "coord", None)
        if coord is None:
            return S.Loc(0, 0)
        return S.Loc(coord.line or 0, coord.column or 1)

    def error(self, node: c_ast.Node | None, message: str) -> CError:
        loc = self.loc(node)
        return CError.at(self.file, loc.line, loc.col, message)

    def unsupported(self, node: c_ast.Node | None, what: str) -> CError:
        return self.error(node, f"not supported: {what}")

    # -- names ----------------------------------------------------------------------------
    def lookup(self, name: str, node: c_ast.Node) -> object:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        raise self.error(node, f"'{name}' undeclared")

    def declare(self, name: str, thing: object, node: c_ast.Node) -> None:
        scope = self.scopes[-1]
        old = scope.get(name)
        if old is not None and not (isinstance(old, S.Function) and isinstance(thing, S.Function)):
            raise self.error(node, f"redefinition of '{name}'")
        scope[name] = thing

    def unique(self, base: str) -> str:
        count = self.names.get(base, 0)
        self.names[base] = count + 1
        return base if count == 0 else f"{base}_{count}"

    # -- types ----------------------------------------------------------------------------
    def ctype(self, node: c_ast.Node) -> S.CType:
        """The type a declarator describes (not functions)."""
        if isinstance(node, c_ast.TypeDecl):
            inner = node.type
            if isinstance(inner, c_ast.IdentifierType):
                names = tuple(n for n in inner.names if n not in ("const", "volatile"))
                if names in SUPPORTED_TYPES:
                    return SUPPORTED_TYPES[names]
                raise self.unsupported(node, f"type '{' '.join(inner.names)}' (int, char and void only)")
            if isinstance(inner, c_ast.Enum):
                self.enum(inner)
                return S.INT
            kind = type(inner).__name__.lower()
            raise self.unsupported(inner, kind)
        if isinstance(node, c_ast.PtrDecl):
            inner = self.ctype(node.type)
            if inner.is_array:
                raise self.unsupported(node, "pointer to an array")
            return S.CType(inner.base, inner.pointers + 1)
        if isinstance(node, c_ast.ArrayDecl):
            inner = self.ctype(node.type)
            if inner.is_array:
                raise self.unsupported(node, "multi-dimensional array")
            if inner.is_void:
                raise self.error(node, "array of void")
            if node.dim is None:
                return S.CType(inner.base, inner.pointers, -1)  # the length comes from the initializer
            length = self.constant(node.dim)
            if length <= 0:
                raise self.error(node.dim, f"array size must be positive, got {length}")
            return S.CType(inner.base, inner.pointers, length)
        if isinstance(node, c_ast.FuncDecl):
            raise self.unsupported(node, "function pointer")
        raise self.unsupported(node, type(node).__name__)

    def enum(self, node: c_ast.Enum) -> None:
        if node.values is None:
            return
        value = 0
        for item in node.values.enumerators:
            if item.value is not None:
                value = self.constant(item.value)
            self.declare(item.name, S.Num(value, loc=self.loc(item)), item)
            value += 1

    def constant(self, node: c_ast.Node) -> int:
        value = self.const_value(self.expr(node))
        if value is None:
            raise self.error(node, "expected a constant expression")
        return value

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

    # -- the unit -------------------------------------------------------------------------
    def unit(self, ast: c_ast.FileAST) -> None:
        for node in ast.ext:
            if isinstance(node, c_ast.FuncDef):
                self.function_def(node)
            elif isinstance(node, c_ast.Decl):
                self.global_decl(node)
            elif isinstance(node, c_ast.Typedef):
                raise self.unsupported(node, "typedef")
            elif isinstance(node, c_ast.Pragma):
                continue
            else:
                raise self.unsupported(node, type(node).__name__)

    def storage(self, decl: c_ast.Decl) -> bool:
        """True for `static`; refuses other storage classes that change meaning."""
        for word in decl.storage:
            if word == "extern":
                raise self.unsupported(decl, "extern")
            if word not in ("static", "register", "auto"):
                raise self.unsupported(decl, word)
        return "static" in decl.storage

    def prototype(self, decl: c_ast.Decl, node: c_ast.FuncDecl) -> S.Function:
        returns = self.ctype(node.type)
        if returns.is_array:
            raise self.error(node, "a function cannot return an array")
        params: list[S.Var] = []
        plist = node.args.params if node.args is not None else []
        if len(plist) == 1 and isinstance(plist[0], c_ast.Typename) and \
                self.ctype(plist[0].type).is_void:
            plist = []
        for p in plist:
            if isinstance(p, c_ast.EllipsisParam):
                raise self.unsupported(p, "variadic function")
            if isinstance(p, c_ast.ID):
                raise self.unsupported(p, "old-style parameter list")
            ptype = self.ctype(p.type)
            if ptype.is_array:
                ptype = ptype.decayed()
            if ptype.is_void:
                raise self.error(p, "a parameter cannot be void")
            name = p.name or f"_{len(params)}"
            params.append(S.Var(name, ptype, "param", decl.name, self.loc(p)))
        return S.Function(decl.name, returns, params, self.loc(decl))

    def known_function(self, decl: c_ast.Decl, fn: S.Function) -> S.Function:
        old = self.functions.get(fn.name)
        if fn.name in BUILTINS:
            raise self.error(decl, f"'{fn.name}' is built in and cannot be declared again here")
        if old is None:
            self.functions[fn.name] = fn
            self.declare(fn.name, fn, decl)
            return fn
        if [p.ctype for p in old.params] != [p.ctype for p in fn.params] or old.returns != fn.returns:
            raise self.error(decl, f"conflicting types for '{fn.name}'")
        return old

    def global_decl(self, decl: c_ast.Decl) -> None:
        if isinstance(decl.type, c_ast.FuncDecl):
            self.storage(decl)
            self.known_function(decl, self.prototype(decl, decl.type))
            return
        if decl.name is None:  # `enum e { ... };`
            if isinstance(decl.type, c_ast.Enum):
                self.enum(decl.type)
                return
            raise self.unsupported(decl.type, type(decl.type).__name__.lower())
        self.storage(decl)
        var = self.static_var(decl, f"g_{decl.name}")
        self.globals.append(var)
        self.declare(decl.name, var, decl)

    def static_var(self, decl: c_ast.Decl, label: str) -> S.Var:
        """A variable with static storage and its initial words."""
        ctype = self.ctype(decl.type)
        if ctype.is_void:
            raise self.error(decl, f"variable '{decl.name}' declared void")
        init_words: list[int | str]
        if decl.init is None:
            if ctype.length == -1:
                raise self.error(decl, f"array size missing in '{decl.name}'")
            init_words = [0] * ctype.size
        elif ctype.is_array:
            elements = self.array_init(decl, ctype)
            ctype = S.CType(ctype.base, ctype.pointers, max(ctype.length, len(elements))
                            if ctype.length != -1 else len(elements))
            init_words = [self.static_word(e) for e in elements] + [0] * (ctype.length - len(elements))
        else:
            if isinstance(decl.init, c_ast.InitList):
                raise self.unsupported(decl.init, "braces around a scalar initializer")
            init_words = [self.static_word(self.value(self.expr(decl.init)))]
        return S.Var(decl.name, ctype, "global", None, self.loc(decl), self.unique(label),
                     init=init_words)

    def array_init(self, decl: c_ast.Decl, ctype: S.CType) -> list[S.Expr]:
        """An array's initial elements: `{...}` or, for a char array, a string literal."""
        init = decl.init
        if isinstance(init, c_ast.Constant) and init.type == "string":
            if ctype.base != "char" or ctype.pointers:
                raise self.error(init, "a string initializes only a char array")
            data = self.string_bytes(init)
            elements: list[S.Expr] = [S.Num(b, loc=self.loc(init)) for b in data + b"\0"]
            if ctype.length not in (-1, None) and len(elements) - 1 == ctype.length:
                elements.pop()  # char s[3] = "abc": no room for the NUL, as C allows
        elif isinstance(init, c_ast.InitList):
            elements = []
            for item in init.exprs:
                if isinstance(item, (c_ast.InitList, c_ast.NamedInitializer)):
                    raise self.unsupported(item, "nested or designated initializer")
                elements.append(self.value(self.expr(item)))
        else:
            raise self.error(init, "an array needs a {...} initializer")
        if ctype.length not in (-1, None) and len(elements) > ctype.length:
            raise self.error(init, f"too many initializers for '{decl.name}' ({len(elements)} > {ctype.length})")
        return elements

    def static_word(self, e: S.Expr) -> int | str:
        """A word of static data: a constant, or the address of a string or a global."""
        value = self.const_value(e)
        if value is not None:
            return value
        if isinstance(e, S.Str):
            return e.label
        if isinstance(e, S.AddrOf) and e.var.storage == "global":
            return e.var.label
        if isinstance(e, S.Binary) and e.op in "+-" and isinstance(e.left, (S.Str, S.AddrOf)):
            offset = self.const_value(e.right)
            if offset is not None:
                base = self.static_word(e.left)
                return f"{base}{'+' if e.op == '+' else '-'}{offset}"
        raise self.error_at(e, "initializer element is not constant")

    def error_at(self, e: S.Expr | S.Stmt, message: str) -> CError:
        return CError.at(self.file, e.loc.line, e.loc.col, message)

    # -- functions ------------------------------------------------------------------------
    def function_def(self, node: c_ast.FuncDef) -> None:
        decl = node.decl
        if node.param_decls:
            raise self.unsupported(node, "old-style parameter declarations")
        self.storage(decl)
        fn = self.known_function(decl, self.prototype(decl, decl.type))
        if fn.body is not None:
            raise self.error(decl, f"redefinition of '{fn.name}'")
        proto = self.prototype(decl, decl.type)
        fn.params = proto.params  # the definition's names
        for p in fn.params:
            p.label = self.unique(f"p_{fn.name}_{p.name}")
        self.function = fn
        self.scopes.append({p.name: p for p in fn.params if not p.name.startswith("_")})
        fn.body = self.block(node.body, new_scope=False)
        self.scopes.pop()
        self.function = None

    def local_decl(self, decl: c_ast.Decl) -> S.Stmt:
        fn = self.function
        assert fn is not None
        if isinstance(decl.type, c_ast.FuncDecl):
            self.known_function(decl, self.prototype(decl, decl.type))
            return S.Block([], loc=self.loc(decl))
        if decl.name is None:
            if isinstance(decl.type, c_ast.Enum):
                self.enum(decl.type)
                return S.Block([], loc=self.loc(decl))
            raise self.unsupported(decl.type, type(decl.type).__name__.lower())
        if self.storage(decl):
            var = self.static_var(decl, f"s_{fn.name}_{decl.name}")
            self.globals.append(var)
            self.declare(decl.name, var, decl)
            return S.Block([], loc=self.loc(decl))
        ctype = self.ctype(decl.type)
        if ctype.is_void:
            raise self.error(decl, f"variable '{decl.name}' declared void")
        init: S.Expr | list[S.Expr] | None = None
        if ctype.is_array:
            if decl.init is not None:
                init = self.array_init(decl, ctype)
                length = len(init) if ctype.length == -1 else ctype.length
                ctype = S.CType(ctype.base, ctype.pointers, length)
            elif ctype.length == -1:
                raise self.error(decl, f"array size missing in '{decl.name}'")
        elif decl.init is not None:
            if isinstance(decl.init, c_ast.InitList):
                raise self.unsupported(decl.init, "braces around a scalar initializer")
            init = self.value(self.expr(decl.init))
            self.assignable(ctype, init, decl.init)
        var = S.Var(decl.name, ctype, "local", fn.name, self.loc(decl),
                    self.unique(f"v_{fn.name}_{decl.name}"))
        fn.locals.append(var)
        self.declare(decl.name, var, decl)
        return S.Declare(var, init, loc=self.loc(decl))

    # -- statements -----------------------------------------------------------------------
    def block(self, node: c_ast.Compound, new_scope: bool = True) -> S.Block:
        if new_scope:
            self.scopes.append({})
        items = [self.stmt(item) for item in (node.block_items or [])]
        if new_scope:
            self.scopes.pop()
        return S.Block(items, loc=self.loc(node))

    def stmt(self, node: c_ast.Node) -> S.Stmt:
        loc = self.loc(node)
        if isinstance(node, c_ast.Compound):
            return self.block(node)
        if isinstance(node, c_ast.Decl):
            return self.local_decl(node)
        if isinstance(node, c_ast.DeclList):
            return S.Block([self.local_decl(d) for d in node.decls], loc=loc)
        if isinstance(node, c_ast.EmptyStatement):
            return S.Block([], loc=loc)
        if isinstance(node, c_ast.If):
            return S.If(self.test(node.cond), self.stmt(node.iftrue),
                        self.stmt(node.iffalse) if node.iffalse is not None else None, loc=loc)
        if isinstance(node, (c_ast.While, c_ast.DoWhile)):
            test = self.test(node.cond)
            self.loops += 1
            body = self.stmt(node.stmt)
            self.loops -= 1
            return S.While(test, body, loc=loc) if isinstance(node, c_ast.While) \
                else S.DoWhile(body, test, loc=loc)
        if isinstance(node, c_ast.For):
            self.scopes.append({})
            init = None
            if isinstance(node.init, c_ast.DeclList):
                init = self.stmt(node.init)
            elif node.init is not None:
                init = S.ExprStmt(self.expr(node.init), loc=self.loc(node.init))
            test = self.test(node.cond) if node.cond is not None else None
            step = self.expr(node.next) if node.next is not None else None
            self.loops += 1
            body = self.stmt(node.stmt)
            self.loops -= 1
            self.scopes.pop()
            return S.For(init, test, step, body, loc=loc)
        if isinstance(node, c_ast.Break):
            if not (self.loops or self.switches):
                raise self.error(node, "break outside a loop or switch")
            return S.Break(loc=loc)
        if isinstance(node, c_ast.Continue):
            if not self.loops:
                raise self.error(node, "continue outside a loop")
            return S.Continue(loc=loc)
        if isinstance(node, c_ast.Return):
            return self.return_stmt(node)
        if isinstance(node, c_ast.Switch):
            return self.switch(node)
        if isinstance(node, (c_ast.Case, c_ast.Default)):
            raise self.unsupported(node, "a case label that is not directly in a switch's block")
        if isinstance(node, (c_ast.Goto, c_ast.Label)):
            raise self.unsupported(node, "goto and labels")
        return S.ExprStmt(self.expr(node), loc=loc)

    def return_stmt(self, node: c_ast.Return) -> S.Stmt:
        fn = self.function
        assert fn is not None
        loc = self.loc(node)
        if node.expr is None:
            if not fn.returns.is_void and fn.name != "main":
                raise self.error(node, f"'return' with no value in function returning {fn.returns}")
            return S.Return(None, loc=loc)
        value = self.expr(node.expr)
        if fn.returns.is_void:
            if not value.ctype.is_void:
                raise self.error(node, "'return' with a value in a void function")
            return S.Block([S.ExprStmt(value, loc=loc), S.Return(None, loc=loc)], loc=loc)
        if value.ctype.is_void:
            raise self.error(node.expr, "void value not ignored as it ought to be")
        return S.Return(self.value(value), loc=loc)

    def switch(self, node: c_ast.Switch) -> S.Stmt:
        value = self.value(self.expr(node.cond))
        body = node.stmt
        items = body.block_items or [] if isinstance(body, c_ast.Compound) else [body]
        cases: list[S.Case] = []
        seen: dict[int | None, c_ast.Node] = {}
        self.switches += 1
        self.scopes.append({})
        for item in items:
            if isinstance(item, (c_ast.Case, c_ast.Default)):
                key = self.constant(item.expr) if isinstance(item, c_ast.Case) else None
                if key in seen:
                    what = "default label" if key is None else f"case value {key}"
                    raise self.error(item, f"duplicate {what}")
                seen[key] = item
                stmts = [self.stmt(s) for s in (item.stmts or [])]
                cases.append(S.Case(key, stmts, self.loc(item)))
            elif not cases:
                if isinstance(item, c_ast.Decl):
                    raise self.unsupported(item, "a declaration before the first case")
                self.stmt(item)  # checked, but never reached
            else:
                cases[-1].body.append(self.stmt(item))
        self.scopes.pop()
        self.switches -= 1
        return S.Switch(value, cases, loc=self.loc(node))

    def test(self, node: c_ast.Node) -> S.Expr:
        e = self.value(self.expr(node))
        if e.ctype.is_void:
            raise self.error(node, "a void value used as a condition")
        return e

    # -- expressions ----------------------------------------------------------------------
    def value(self, e: S.Expr) -> S.Expr:
        """An expression used for its value: an array becomes its address."""
        if isinstance(e, S.VarRef) and e.ctype.is_array:
            e.var.address_taken = True
            return S.AddrOf(e.var, loc=e.loc, ctype=e.ctype.decayed())
        if isinstance(e, S.Str):
            return e
        return e

    def scalar(self, node: c_ast.Node) -> S.Expr:
        e = self.value(self.expr(node))
        if e.ctype.is_void:
            raise self.error(node, "void value not ignored as it ought to be")
        return e

    def assignable(self, target: S.CType, value: S.Expr, node: c_ast.Node) -> None:
        if value.ctype.is_void:
            raise self.error(node, "void value not ignored as it ought to be")

    def lvalue(self, node: c_ast.Node, what: str) -> S.Expr:
        e = self.expr(node)
        if isinstance(e, S.VarRef) and not e.ctype.is_array:
            return e
        if isinstance(e, S.Deref):
            return e
        raise self.error(node, f"lvalue required as {what}")

    def string_bytes(self, node: c_ast.Constant) -> bytes:
        raw = node.value
        if raw[:1] in "LuU":
            raise self.unsupported(node, "wide string")
        return self.unescape(raw[1:-1], node)

    def unescape(self, body: str, node: c_ast.Node) -> bytes:
        out = bytearray()
        i = 0
        while i < len(body):
            ch = body[i]
            if ch != "\\":
                out += ch.encode("utf-8")
                i += 1
                continue
            i += 1
            esc = body[i] if i < len(body) else ""
            if esc == "x":
                j = i + 1
                while j < len(body) and body[j] in "0123456789abcdefABCDEF":
                    j += 1
                if j == i + 1:
                    raise self.error(node, "\\x used with no following hex digits")
                out.append(int(body[i + 1 : j], 16) & 0xFF)
                i = j
            elif esc in "01234567":
                j = i
                while j < len(body) and j < i + 3 and body[j] in "01234567":
                    j += 1
                out.append(int(body[i:j], 8) & 0xFF)
                i = j
            elif esc in ESCAPES:
                out.append(ESCAPES[esc])
                i += 1
            else:
                raise self.error(node, f"unknown escape sequence '\\{esc}'")
        return bytes(out)

    def number(self, node: c_ast.Constant) -> S.Expr:
        loc = self.loc(node)
        if node.type == "string":
            data = self.string_bytes(node)
            s = S.Str(data, f"_s{len(self.strings) + 1}_{self.file_tag()}", loc=loc,
                      ctype=S.CType("char", 1))
            self.strings.append(s)
            return s
        if node.type == "char":
            raw = node.value
            if raw[:1] in "LuU":
                raise self.unsupported(node, "wide character")
            data = self.unescape(raw[1:-1], node)
            if len(data) != 1:
                raise self.unsupported(node, f"multi-character constant {raw}")
            return S.Num(data[0], loc=loc)
        text = node.value.lower()
        if node.type in ("float", "double") or ("." in text and not text.startswith("0x")):
            raise self.unsupported(node, f"floating-point constant {node.value}")
        digits = text.rstrip("ul")
        if digits != text:
            raise self.unsupported(node, f"integer suffix in {node.value} (int only)")
        base = 16 if digits.startswith("0x") else 8 if digits.startswith("0") and len(digits) > 1 else 10
        try:
            value = int(digits, base)
        except ValueError:
            raise self.error(node, f"invalid number {node.value}") from None
        if value >= 1 << self.bits:
            raise self.error(node, f"integer constant {node.value} does not fit {self.bits} bits")
        return S.Num(fold_unary("+", value, self.bits), loc=loc)

    def file_tag(self) -> str:
        return "lib" if self.file.startswith("<") else "u"

    def expr(self, node: c_ast.Node) -> S.Expr:
        loc = self.loc(node)
        if isinstance(node, c_ast.Constant):
            return self.number(node)
        if isinstance(node, c_ast.ID):
            thing = self.lookup(node.name, node)
            if isinstance(thing, S.Num):
                return S.Num(thing.value, loc=loc)
            if isinstance(thing, S.Function):
                raise self.unsupported(node, f"function '{node.name}' used as a value (function pointers)")
            assert isinstance(thing, S.Var)
            return S.VarRef(thing, loc=loc, ctype=thing.ctype)
        if isinstance(node, c_ast.UnaryOp):
            return self.unary(node)
        if isinstance(node, c_ast.BinaryOp):
            if node.op not in BINARY:
                raise self.unsupported(node, f"operator {node.op}")
            left, right = self.scalar(node.left), self.scalar(node.right)
            return self.folded(S.Binary(node.op, left, right, loc=loc,
                                        ctype=self.binary_type(node, left, right)))
        if isinstance(node, c_ast.Assignment):
            target = self.lvalue(node.lvalue, "left operand of assignment")
            value = self.scalar(node.rvalue)
            if node.op != "=" and node.op not in COMPOUND:
                raise self.unsupported(node, f"operator {node.op}")
            return S.Assign(node.op, target, value, loc=loc, ctype=target.ctype)
        if isinstance(node, c_ast.TernaryOp):
            test = self.test(node.cond)
            then, other = self.value(self.expr(node.iftrue)), self.value(self.expr(node.iffalse))
            ctype = then.ctype if then.ctype == other.ctype or not then.ctype.is_pointer \
                else then.ctype if then.ctype.is_pointer else other.ctype
            if then.ctype.is_void != other.ctype.is_void:
                raise self.error(node, "one branch of ?: is void and the other is not")
            return S.Cond(test, then, other, loc=loc, ctype=ctype)
        if isinstance(node, c_ast.ExprList):
            exprs = [self.value(self.expr(e)) for e in node.exprs]
            return S.Comma(exprs, loc=loc, ctype=exprs[-1].ctype)
        if isinstance(node, c_ast.FuncCall):
            return self.call(node)
        if isinstance(node, c_ast.ArrayRef):
            base, index = self.scalar(node.name), self.scalar(node.subscript)
            if index.ctype.is_pointer and not base.ctype.is_pointer:
                base, index = index, base  # i[a] is a[i]
            if not base.ctype.is_pointer:
                raise self.error(node, "subscripted value is neither array nor pointer")
            return S.Deref(S.Binary("+", base, index, loc=loc, ctype=base.ctype),
                           loc=loc, ctype=base.ctype.element())
        if isinstance(node, c_ast.Cast):
            to = self.ctype(node.to_type.type)
            if to.is_array:
                raise self.error(node, "cast to an array type")
            inner = self.value(self.expr(node.expr))
            if to.is_void:
                return S.Comma([inner, S.Num(0, loc=loc)], loc=loc, ctype=S.VOID)
            if inner.ctype.is_void:
                raise self.error(node, "void value not ignored as it ought to be")
            return self.retyped(inner, to)
        if isinstance(node, c_ast.StructRef):
            raise self.unsupported(node, "struct and union members")
        if isinstance(node, c_ast.CompoundLiteral):
            raise self.unsupported(node, "compound literal")
        raise self.unsupported(node, type(node).__name__)

    def folded(self, e: S.Expr) -> S.Expr:
        """A constant expression as the number it is (operands without side effects only)."""
        operands = [e.operand] if isinstance(e, S.Unary) else [e.left, e.right]
        if all(isinstance(x, S.Num) for x in operands):
            value = self.const_value(e)
            if value is not None:
                return S.Num(value, loc=e.loc)
        return e

    def retyped(self, e: S.Expr, to: S.CType) -> S.Expr:
        """The same value with another type (casts between these types change nothing)."""
        e.ctype = to
        return e

    def binary_type(self, node: c_ast.BinaryOp, left: S.Expr, right: S.Expr) -> S.CType:
        op = node.op
        lp, rp = left.ctype.is_pointer, right.ctype.is_pointer
        if op == "+" and (lp or rp):
            if lp and rp:
                raise self.error(node, "invalid operands to binary + (two pointers)")
            return left.ctype if lp else right.ctype
        if op == "-" and lp:
            return S.INT if rp else left.ctype
        if (lp or rp) and op in ("*", "/", "%", "<<", ">>", "&", "|", "^"):
            raise self.error(node, f"invalid operands to binary {op} (a pointer)")
        return S.INT

    def unary(self, node: c_ast.UnaryOp) -> S.Expr:
        loc, op = self.loc(node), node.op
        if op == "sizeof":
            if isinstance(node.expr, c_ast.Typename):
                return S.Num(self.ctype(node.expr.type).size, loc=loc)
            inner = self.expr(node.expr)
            if inner.ctype.is_void:
                raise self.error(node, "sizeof of a void expression")
            size = len(inner.data) + 1 if isinstance(inner, S.Str) else inner.ctype.size
            return S.Num(size, loc=loc)
        if op in ("++", "--", "p++", "p--"):
            target = self.lvalue(node.expr, "increment operand" if "+" in op else "decrement operand")
            return S.IncDec(op.lstrip("p"), not op.startswith("p"), target, loc=loc, ctype=target.ctype)
        if op == "&":
            inner = self.expr(node.expr)
            if isinstance(inner, S.VarRef):
                inner.var.address_taken = True
                return S.AddrOf(inner.var, loc=loc, ctype=S.CType(inner.ctype.base, inner.ctype.pointers + 1))
            if isinstance(inner, S.Deref):
                return self.retyped(inner.pointer, inner.ctype.decayed()
                                    if inner.ctype.is_array else S.CType(inner.ctype.base, inner.ctype.pointers + 1))
            raise self.error(node, "lvalue required as unary '&' operand")
        if op == "*":
            inner = self.scalar(node.expr)
            if not inner.ctype.is_pointer:
                raise self.error(node, "invalid type argument of unary '*'")
            target = inner.ctype.element()
            if target.is_void:
                raise self.error(node, "dereferencing a void pointer")
            return S.Deref(inner, loc=loc, ctype=target)
        operand = self.scalar(node.expr)
        if op == "+":
            return operand
        if op in ("-", "~", "!"):
            if operand.ctype.is_pointer and op != "!":
                raise self.error(node, f"wrong type argument to unary {op}")
            return self.folded(S.Unary(op, operand, loc=loc))
        raise self.unsupported(node, f"operator {op}")

    def call(self, node: c_ast.FuncCall) -> S.Expr:
        loc = self.loc(node)
        if not isinstance(node.name, c_ast.ID):
            raise self.unsupported(node, "calling through a function pointer")
        name = node.name.name
        args = [self.scalar(a) for a in (node.args.exprs if node.args is not None else [])]
        if name in BUILTINS and name not in self.functions:
            returns, params = BUILTINS[name]
        else:
            fn = None
            for scope in reversed(self.scopes):
                if name in scope:
                    fn = scope[name]
                    break
            if fn is None:
                from .library import LIBRARY  # the library's prototypes, linked when used

                if name not in LIBRARY:
                    raise self.error(node, f"implicit declaration of function '{name}'")
                fn = self.library_prototype(name)
            if not isinstance(fn, S.Function):
                raise self.error(node, f"called object '{name}' is not a function")
            returns, params = fn.returns, tuple(p.ctype for p in fn.params)
        if params is None:  # printf
            if not args:
                raise self.error(node, "too few arguments to function 'printf'")
            if len(args) > 16:
                raise self.unsupported(node, "printf with more than 16 arguments")
            self.check_formats(args[0], len(args) - 1, node)
            if not literal_format(args[0]):  # a format known only at run time
                if "__printf" not in self.functions:
                    self.library_prototype("__printf")
                if self.function is not None:
                    self.function.calls.add("__printf")
        elif len(args) != len(params):
            more = "many" if len(args) > len(params) else "few"
            raise self.error(node, f"too {more} arguments to function '{name}'")
        if self.function is not None:
            self.function.calls.add(name)
        return S.Call(name, args, loc=loc, ctype=returns)

    def check_formats(self, fmt: S.Expr, count: int, node: c_ast.Node) -> None:
        """A printf format known now: only the supported conversions, one argument each."""
        if isinstance(fmt, S.Cond):
            self.check_formats(fmt.then, count, node)
            self.check_formats(fmt.other, count, node)
            return
        if not isinstance(fmt, S.Str):
            return
        data, i, used = fmt.data, 0, 0
        while i < len(data):
            if data[i] == ord("%"):
                conv = chr(data[i + 1]) if i + 1 < len(data) else ""
                if conv == "%":
                    i += 2
                    continue
                if not conv or conv not in "diuxcs":
                    shown = data[i : i + 2].decode("latin-1")
                    raise self.unsupported(node, f"printf conversion '{shown}' (%d %i %u %x %c %s %% only)")
                used += 1
                i += 2
            else:
                i += 1
        if used != count:
            raise self.error(node, f"printf: the format has {used} conversions for {count} arguments")

    def library_prototype(self, name: str) -> S.Function:
        from .library import LIBRARY

        returns, params = LIBRARY[name][0]
        fn = S.Function(name, returns, [S.Var(f"_{i}", t, "param", name, S.Loc(0, 0))
                                        for i, t in enumerate(params)], S.Loc(0, 0))
        self.functions[name] = fn
        self.scopes[0][name] = fn
        return fn
