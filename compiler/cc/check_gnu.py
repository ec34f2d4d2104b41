"""check, gcc's statement expressions `({ ...; e; })` and C11's `_Generic`.

A statement expression is a block in a scope of its own whose value is its last statement's
when that is an expression statement (else it is void; that statement's `x++` keeps the value
before the increment, and a bare `({ ... });` there gives its value); its statements are
statements like any other (labels, loops, calls: see liveness); a `break` or `continue` that
would leave it is refused, and a `goto` into it from outside or a case label of a switch
around it is an error, as in gcc.

`_Generic(e, T: x, ..., default: y)` chooses by gcc's type of e after lvalue conversion (an
array or a function becomes a pointer, the top level's qualifiers go): that type is worked
out here as gcc's x86-64 build types it (`long` apart from `int`, `17L` a long, `sizeof` an
unsigned long, `p - q` a long, a bit-field gcc's type of its bits: see bit_field_type), from
the declarations' own words (`CType.spelled`); only the chosen expression is checked and
evaluated. Where this compiler cannot know gcc's type (an enum, a typedef of loopmlp's
headers such as `size_t`, a library call's value) it refuses.
"""

from __future__ import annotations

from dataclasses import replace

from pycparser import c_ast

from . import syntax as S
from .check_ints import WIDTHS
from .check_records import Records
from .library import LIBRARY

LONG = S.CType("int", spelled="long")
ULONG = S.CType("int", unsigned=True, spelled="long")
QUALIFIERS = ("volatile", "restrict")
UNKNOWN = ("enum", "header")  # types whose gcc type this compiler does not know


class GnuExpressions(Records):
    """Statement expressions and `_Generic` (a part of check_expr.ExprChecker)."""

    def expr(self, node: c_ast.Node) -> S.Expr:  # (ExprChecker's)
        raise NotImplementedError

    def rvalue(self, e: S.Expr) -> S.Expr:  # (ExprChecker's)
        raise NotImplementedError

    def block(self, node: c_ast.Compound, new_scope: bool = True) -> S.Block:  # (Checker's)
        raise NotImplementedError

    def gnu_expression(self, node: c_ast.Compound | c_ast.GenericSelection) -> S.Expr:
        """A statement expression or a generic selection."""
        if isinstance(node, c_ast.Compound):
            return self.statement_expression(node)
        return self.expr(self.selected(node).expr)

    # -- statement expressions ------------------------------------------------------------
    def statement_expression(self, node: c_ast.Compound) -> S.Expr:
        """`({ ...; e; })`: its block, valued by its last expression statement."""
        if self.function is None:
            raise self.error(node, "braced-group within expression allowed only inside a function")
        todo = list(node.block_items or [])
        while todo:  # (a case label of a switch around it)
            item = todo.pop()
            if isinstance(item, c_ast.Case | c_ast.Default):
                raise self.error(item, "switch jumps into statement expression")
            if not isinstance(item, c_ast.Switch):
                todo += [child for _, child in item.children()]
        valued = node.block_items[-1] if node.block_items else None
        while isinstance(valued, c_ast.Label):
            valued = valued.stmt
        self.valued.add(id(valued))
        labels, gotos = set(self.goto_labels), len(self.gotos)
        body = self.block(node)
        inside = {id(goto) for goto in self.gotos[gotos:]}
        self.sealed.append((set(self.goto_labels) - labels, inside))
        last = body.items[-1] if body.items else None
        labelled: list[S.Labeled] = []
        while isinstance(last, S.Labeled):  # (`l: e;` last is `l: ; e;`, valued by e)
            labelled.append(last)
            last = last.body
        if labelled and isinstance(last, S.ExprStmt):
            empty = [S.Labeled(s.name, S.Block([], loc=s.loc), loc=s.loc) for s in labelled]
            body.items[-1:] = [*empty, last]
        ctype = S.VOID
        if isinstance(last, S.ExprStmt):
            last.expr = self.rvalue(last.expr)
            ctype = last.expr.ctype
            if ctype.is_record:
                raise self.unsupported(
                    node, f"a statement expression whose value is a '{ctype}' (one word only)"
                )
        leaving = _leaving(body, loop=False, switch=False)
        if leaving is not None:
            what = "break" if isinstance(leaving, S.Break) else "continue"
            raise self.error_at(leaving, f"not supported: '{what}' out of a statement expression")
        return S.StmtExpr(body, loc=self.loc(node), ctype=ctype)

    def no_jumps_into_statement_expressions(self) -> None:
        """Refuse a goto from outside a statement expression to a label inside it, as gcc
        does (then forget the function's statement expressions)."""
        for labels, inside in self.sealed:
            for goto in self.gotos:
                if goto.name in labels and id(goto) not in inside:
                    raise self.error(goto, "jump into statement expression")
        self.sealed = []

    # -- _Generic -------------------------------------------------------------------------
    def selected(self, node: c_ast.GenericSelection) -> c_ast.GenericAssociation:
        """The association that `_Generic` chooses by its controlling expression's type."""
        control = self.converted_type(self.gcc_type(node.expr), node.expr)
        chosen: list[tuple[c_ast.GenericAssociation, S.CType]] = []
        default = None
        for assoc in node.associations:
            if assoc.type is None:
                default = assoc
                continue
            ctype = self.ctype(assoc.type)
            self.known(ctype, assoc.type)
            for _assoc, seen in chosen:
                if compatible(ctype, seen):
                    raise self.error(assoc, "'_Generic' specifies two compatible types")
            chosen.append((assoc, ctype))
        for assoc, ctype in chosen:
            if compatible(control, ctype):
                return assoc
        if default is None:
            raise self.error(
                node.expr,
                f"'_Generic' selector of type '{_spell(control)}' is not compatible with any"
                " association",
            )
        return default

    def known(self, ctype: S.CType, node: c_ast.Node) -> None:
        """Refuse a type whose gcc type this compiler does not know (see UNKNOWN)."""
        for part in _parts(ctype):
            words = part.spelled.split()
            if "enum" in words:
                raise self.unsupported(
                    node,
                    "_Generic over an enum type (gcc makes it unsigned int or int by its values)",
                )
            if "header" in words:
                raise self.unsupported(
                    node, f"_Generic over a typedef of loopmlp's headers ('{part}' here)"
                )

    def converted_type(self, ctype: S.CType, node: c_ast.Node) -> S.CType:
        """A type after lvalue conversion: an array's or a function's is a pointer, and the
        top level's qualifiers go; a bit-field's is gcc's type of its bits (bit_field_type)."""
        self.known(ctype, node)
        ctype = bit_field_type(ctype)
        if ctype.is_array:
            return S.pointer(ctype.element())
        if ctype.kind == "function":
            return S.pointer(ctype)
        words = [w for w in ctype.spelled.split() if w not in QUALIFIERS]
        return replace(ctype, const=False, spelled=" ".join(words))

    def operand_type(self, node: c_ast.Node) -> S.CType:
        """gcc's type of an operand's value."""
        return self.converted_type(self.gcc_type(node), node)

    def gcc_type(self, node: c_ast.Node) -> S.CType:
        """gcc's type of an expression (x86-64: int 32 bits, long and long long 64)."""
        if isinstance(node, c_ast.Constant) and node.type != "string":
            return literal_type(node) or self.refused_type(node)
        if isinstance(node, c_ast.BinaryOp):
            if node.op in ("<", "<=", ">", ">=", "==", "!=", "&&", "||"):
                return S.INT
            left, right = self.operand_type(node.left), self.operand_type(node.right)
            if node.op in ("<<", ">>"):
                return promote(left)
            if left.is_pointer and right.is_pointer and node.op == "-":
                return LONG
            if left.is_pointer or right.is_pointer:
                return left if left.is_pointer else right
            return arithmetic(left, right) or self.refused_type(node)
        if isinstance(node, c_ast.UnaryOp) and node.op in ("-", "+", "~"):
            return promote(self.operand_type(node.expr))
        if isinstance(node, c_ast.UnaryOp) and node.op == "!":
            return S.INT
        if isinstance(node, c_ast.UnaryOp) and node.op in ("sizeof", "_Alignof"):
            return ULONG
        if isinstance(node, c_ast.UnaryOp) and node.op in ("++", "--", "p++", "p--"):
            return self.operand_type(node.expr)
        if isinstance(node, c_ast.Cast):
            return self.ctype(node.to_type)
        if isinstance(node, c_ast.TernaryOp):
            then, other = self.operand_type(node.iftrue), self.operand_type(node.iffalse)
            if then.is_integer and other.is_integer or then.is_wide or other.is_wide:
                return arithmetic(then, other) or self.refused_type(node)
            return self.refused_type(node) if then != other else then
        if isinstance(node, c_ast.Assignment):
            return self.operand_type(node.lvalue)
        if isinstance(node, c_ast.ExprList):
            return self.gcc_type(node.exprs[-1])
        if isinstance(node, c_ast.GenericSelection):
            return self.gcc_type(self.selected(node).expr)
        if isinstance(node, c_ast.FuncCall) and isinstance(node.name, c_ast.ID):
            if node.name.name in LIBRARY:  # (its type is loopmlp's: size_t, long)
                return self.refused_type(node)
        if isinstance(
            node,
            c_ast.ID
            | c_ast.Constant
            | c_ast.FuncCall
            | c_ast.StructRef
            | c_ast.ArrayRef
            | c_ast.CompoundLiteral
            | c_ast.UnaryOp,
        ):
            return self.expr(node).ctype
        return self.refused_type(node)

    def refused_type(self, node: c_ast.Node) -> S.CType:
        """Refuse a controlling expression whose gcc type is not known here."""
        raise self.unsupported(node, "_Generic on this expression (its gcc type is not known)")


def _spell(t: S.CType) -> str:
    """A type as gcc names it (`long`, `signed char`, where the words say more than `str`; a
    bit-field's type of its own by the narrowest standard type that holds it: `short int:12`)."""
    if t.width:
        sign = "unsigned" if t.unsigned else "signed" if t.width <= 8 else ""
        name = "char" if t.width <= 8 else "short int" if t.width <= 16 else "int"
        if name == "short int" and t.unsigned:
            name, sign = "short unsigned int", ""
        return f"{sign} {name}".strip() + f":{t.width}"
    words = t.spelled.split()
    if t.is_integer and ("long" in words or "signed" in words):
        return ("unsigned " if t.unsigned else "") + ("long" if "long" in words else "signed char")
    return str(t)


def _leaving(s: S.Stmt, loop: bool, switch: bool) -> S.Stmt | None:
    """A break or continue in s that leaves it (`loop`, `switch`: inside one, in s)."""
    if isinstance(s, S.Break):
        return None if loop or switch else s
    if isinstance(s, S.Continue):
        return None if loop else s
    if isinstance(s, S.While | S.DoWhile | S.For):
        return _leaving(s.body, True, switch)
    if isinstance(s, S.Switch):
        found = [_leaving(item, loop, True) for case in s.cases for item in case.body]
        return next((f for f in found if f is not None), None)
    children = [s.then, s.other] if isinstance(s, S.If) else []
    children += s.items if isinstance(s, S.Block) else []
    children += [s.body] if isinstance(s, S.Labeled) else []
    found = [_leaving(c, loop, switch) for c in children if c is not None]
    return next((f for f in found if f is not None), None)


def _parts(t: S.CType) -> list[S.CType]:
    """t and the types it is made of."""
    out = [t]
    if t.of is not None:
        out += _parts(t.of)
    for p in t.params or ():
        out += _parts(p)
    return out


def literal_type(node: c_ast.Constant) -> S.CType | None:
    """gcc's type of an integer or character constant on x86-64 (None: not one it types)."""
    text = node.value.lower()
    if text.lstrip("lu8")[:1] == "'":
        return S.INT if text[:1] == "'" else None
    digits = text.rstrip("ul")
    suffix = text[len(digits) :]
    base = 16 if digits.startswith("0x") else 8 if digits.startswith("0") and digits != "0" else 10
    try:
        value = int(digits, base)
    except ValueError:
        return None
    signed = [[S.INT, LONG], [LONG], [S.LLONG]][suffix.count("l")]
    unsigned = [[S.UINT, ULONG], [ULONG], [S.ULLONG]][suffix.count("l")]
    if "u" in suffix:
        candidates = unsigned
    elif base == 10:
        candidates = signed
    else:  # (a hex or octal constant takes the unsigned type of each rank too)
        candidates = [t for pair in zip(signed, unsigned, strict=True) for t in pair]
    for ctype in candidates:
        bits = (32 if _rank(ctype) == 1 else 64) - (0 if ctype.unsigned else 1)
        if value < 1 << bits:
            return ctype
    return None


def _rank(t: S.CType) -> int:
    """An integer type's conversion rank: int 1, long 2, long long 3."""
    return 3 if t.is_wide else 2 if "long" in t.spelled.split() else 1


def bit_field_type(t: S.CType) -> S.CType:
    """gcc's type of a bit-field's value: its declared type when its bits are all the type's,
    else the standard type of that many bits (8: a char, 16: a short, 32: an int, of its
    sign), else a type of its own (t, with its width) that matches no type name."""
    if not t.width:
        return t
    bits = 1 if t.kind == "_Bool" else WIDTHS.get(t.kind, 64 if _rank(t) > 1 else 32)
    if t.width == bits:
        return replace(t, width=0)
    standard = {
        8: S.CType("char", unsigned=t.unsigned, spelled="" if t.unsigned else "signed"),
        16: S.CType("short", unsigned=t.unsigned),
        32: S.UINT if t.unsigned else S.INT,
    }
    return standard.get(t.width, t)


def promote(t: S.CType) -> S.CType:
    """C's integer promotion of gcc's type (_Bool, char, short and a bit-field of fewer bits
    than an int become int)."""
    if t.kind in ("char", "short", "_Bool") or t.width:
        return S.INT
    return replace(t, const=False)


def arithmetic(a: S.CType, b: S.CType) -> S.CType | None:
    """The usual arithmetic conversions of gcc's x86-64 types (None: not integers)."""
    if not all(t.is_integer or t.is_wide for t in (a, b)):
        return None
    a, b = promote(a), promote(b)
    bits = {1: 32, 2: 64, 3: 64}
    if a.unsigned == b.unsigned:
        high = a if _rank(a) >= _rank(b) else b
    else:
        u, s = (a, b) if a.unsigned else (b, a)
        if _rank(u) >= _rank(s):
            high = u
        elif bits[_rank(s)] > bits[_rank(u)]:
            high = s
        else:
            high = replace(s, unsigned=True)
    return {1: S.UINT if high.unsigned else S.INT, 2: ULONG if high.unsigned else LONG}.get(
        _rank(high), S.ULLONG if high.unsigned else S.LLONG
    )


def compatible(a: S.CType, b: S.CType) -> bool:
    """Whether two types are compatible as C says (a struct is only itself; `int f()` is
    compatible with a prototype whose parameters promotion leaves alone)."""
    if a.kind != b.kind or a.unsigned != b.unsigned or a.const != b.const or a.width != b.width:
        return False
    if set(a.spelled.split()) != set(b.spelled.split()):
        return False
    if a.kind == "struct":
        return a.record is b.record
    if a.kind in ("pointer", "array"):
        assert a.of is not None and b.of is not None
        if a.kind == "array" and S.UNSIZED not in (a.length, b.length) and a.length != b.length:
            return False
        return compatible(a.of, b.of)
    if a.kind == "function":
        assert a.of is not None and b.of is not None
        if not compatible(a.of, b.of):
            return False
        if a.params is None or b.params is None:
            given = a.params if a.params is not None else b.params or ()
            return all(p.kind not in ("char", "short") for p in given)
        return len(a.params) == len(b.params) and all(
            compatible(_unqualified(p), _unqualified(q))
            for p, q in zip(a.params, b.params, strict=True)
        )
    return True


def _unqualified(t: S.CType) -> S.CType:
    """t without its top level's qualifiers (a parameter's do not count in its function's type)."""
    words = [w for w in t.spelled.split() if w not in QUALIFIERS]
    return replace(t, const=False, spelled=" ".join(words))
