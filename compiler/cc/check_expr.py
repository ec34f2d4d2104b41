"""check, the expressions: names, literals, operators and calls to the typed tree.

Arrays used as values become their addresses; operators on constants are folded; calls are
checked against prototypes, the built-in library (putchar, getchar, puts, printf, exit) and
the C library functions (linked when called).
"""

from __future__ import annotations

import re

from pycparser import c_ast

from . import syntax as S
from .check_gnu import GnuExpressions
from .check_ints import promoted, usual
from .check_pointers import FunctionPointers
from .check_stores import ConvertingStores
from .check_wide import int_as_long_long
from .formats import FormatError, Spec, parse_format
from .library import LIBRARY, NO_FILES
from .syntax import BINARY, COMPOUND, literal_format

SIZE_T_RESULTS = {"strlen", "strspn", "strcspn"}  # library functions whose C type is size_t
SCANNERS = {"scanf": 0, "sscanf": 1, "fscanf": 1}  # where each one's format is


class ExprChecker(GnuExpressions, FunctionPointers, ConvertingStores):
    """The expressions: names, literals, operators and calls to the typed tree (see
    check.Checker, which adds statements and declarations)."""

    def constant(self, node: c_ast.Node, otherwise: str = "") -> int:
        """The value of a constant expression in the source; anything else is an error (or,
        with `otherwise`, the construct it makes, not supported)."""
        e = self.expr(node)
        value = self.const_value(self.converted(S.INT, e, node) if e.ctype.is_wide else e)
        if value is None and otherwise:
            raise self.unsupported(node, otherwise)
        if value is None:
            raise self.error(node, "expected a constant expression")
        return value

    def test(self, node: c_ast.Node) -> S.Expr:
        """A condition: any value that is not void."""
        e = self.rvalue(self.expr(node))
        if e.ctype.is_void:
            raise self.error(node, "a void value used as a condition")
        if e.ctype.is_struct:
            raise self.error(node, "used struct type value where scalar is required")
        return self.truth(e)

    # -- expressions ----------------------------------------------------------------------
    def rvalue(self, e: S.Expr) -> S.Expr:
        """An expression used for its value: an array becomes its address."""
        if isinstance(e, S.VarRef) and e.ctype.is_array:
            e.var.address_taken = True
            return S.AddrOf(e.var, loc=e.loc, ctype=e.ctype.decayed())
        if isinstance(e, S.Deref) and e.ctype.is_array:  # *&a, (&a)[i]: the array's address
            return self.retyped(e.pointer, e.ctype.decayed())
        return e

    def scalar(self, node: c_ast.Node) -> S.Expr:
        """An operand: an expression's value, which must not be void."""
        e = self.operand(node)
        if e.ctype.is_wide:
            raise self.unsupported(node, f"a '{e.ctype}' value here (an integer of one word only)")
        return e

    def operand(self, node: c_ast.Node) -> S.Expr:
        """An operator's operand: a scalar, or a long long (see check_wide)."""
        e = self.rvalue(self.expr(node))
        if e.ctype.is_void:
            raise self.error(node, "void value not ignored as it ought to be")
        if e.ctype.is_record and not e.ctype.is_wide:
            raise self.error(node, f"a value of type '{e.ctype}' where a scalar is required")
        return e

    def assignable(self, target: S.CType, value: S.Expr, node: c_ast.Node) -> None:
        """Refuse a void value as the value assigned to a `target`."""
        if value.ctype.is_void:
            raise self.error(node, "void value not ignored as it ought to be")
        if value.ctype.is_struct and not target.is_struct:
            raise self.error(
                node, f"incompatible types: '{value.ctype}' where '{target}' is wanted"
            )
        self.convertible(target, value, node)

    def lvalue(self, node: c_ast.Node, what: str) -> S.Expr:
        """An expression that can be assigned: a variable (not an array) or `*p`, not const
        (`what` is the operand it is: `left operand of assignment`, `increment operand`)."""
        e = self.expr(node)
        if (
            isinstance(node, c_ast.Cast)
            or e.ctype.is_array
            or not isinstance(e, S.VarRef | S.Deref)
        ):
            raise self.error(node, f"lvalue required as {what}")
        change = what.split()[0] if "crement" in what else "assignment"
        if isinstance(e, S.VarRef) and e.var.readonly:
            raise self.error(node, f"{change} of read-only variable '{e.var.name}'")
        if e.ctype.const:
            raise self.error(node, f"{change} of read-only location")
        return e

    def expr(self, node: c_ast.Node) -> S.Expr:
        """An expression to the typed tree: names, literals, operators, calls, subscripts, casts."""
        loc = self.loc(node)
        if isinstance(node, c_ast.Constant):
            return self.number(node)
        if isinstance(node, c_ast.ID):
            if self.designates_function(node.name):
                return self.function_value(node)
            thing = self.lookup(node.name, node)
            if isinstance(thing, S.Num):  # an enumeration constant (int, or unsigned int)
                return S.Num(thing.value, loc=loc, ctype=thing.ctype)
            if isinstance(thing, S.Str):  # __func__
                return thing
            assert isinstance(thing, S.Var)
            return S.VarRef(thing, loc=loc, ctype=thing.ctype)
        if isinstance(node, c_ast.UnaryOp):
            return self.unary(node)
        if isinstance(node, c_ast.BinaryOp):
            if node.op not in BINARY:
                raise self.unsupported(node, f"operator {node.op}")
            left, right = self.operand(node.left), self.operand(node.right)
            if left.ctype.is_wide or right.ctype.is_wide:
                return self.wide_binary(node.op, left, right, node)
            ctype = self.binary_type(node, left, right)
            if node.op in "+-" and (left.ctype.is_pointer or right.ctype.is_pointer):
                return self.pointer_arithmetic(node.op, left, right, loc, ctype)
            op = node.op
            if left.ctype.is_integer and right.ctype.is_integer:
                op, left, right, ctype = self.integer_operation(op, left, right)
            return self.folded(S.Binary(op, left, right, loc=loc, ctype=ctype))
        if isinstance(node, c_ast.Assignment):
            target = self.lvalue(node.lvalue, "left operand of assignment")
            if target.ctype.is_record and not target.ctype.is_wide:
                return self.record_assignment(node, target)
            value = self.operand(node.rvalue)
            if node.op != "=" and node.op not in COMPOUND:
                raise self.unsupported(node, f"operator {node.op}")
            if target.ctype.is_wide or value.ctype.is_wide:
                return self.wide_assignment(node, target, value)
            op = node.op
            if op == "=":
                self.convertible(target.ctype, value, node)
                value = self.converted(target.ctype, value, node)
            else:  # p *= 2, x -= p: what the operator refuses on pointers
                self.binary_type(
                    c_ast.BinaryOp(COMPOUND[op], None, None, node.coord), target, value
                )
                op = self.compound_operation(op, target, value)
                if self.converts(target.ctype):
                    return self.converting_update(op, target, value, node)
                step = self.element_words(target.ctype)
                if op in ("+=", "-=") and step != 1:  # p += k moves k elements
                    value = self.folded(
                        S.Binary("*", value, S.Num(step, loc=loc), loc=loc, ctype=value.ctype)
                    )
            return S.Assign(op, target, value, loc=loc, ctype=target.ctype)
        if isinstance(node, c_ast.TernaryOp):
            test = self.test(node.cond)
            then, other = self.rvalue(self.expr(node.iftrue)), self.rvalue(self.expr(node.iffalse))
            if then.ctype.is_wide or other.ctype.is_wide:
                return self.wide_cond(test, then, other, node)
            if then.ctype.is_void or other.ctype.is_void:  # (gcc: void, when only one is)
                return S.Cond(test, then, other, loc=loc, ctype=S.VOID)
            ctype = self.cond_type(then, other)
            for branch in (then, other):  # (one function pointer type from both branches)
                self.convertible(ctype, branch, node)
            if (then.ctype.is_struct or other.ctype.is_struct) and (
                then.ctype.record is not other.ctype.record
            ):
                raise self.error(node, "type mismatch in conditional expression")
            return S.Cond(test, then, other, loc=loc, ctype=ctype)
        if isinstance(node, c_ast.ExprList):
            exprs = [self.rvalue(self.expr(e)) for e in node.exprs]
            return S.Comma(exprs, loc=loc, ctype=exprs[-1].ctype)
        if isinstance(node, c_ast.FuncCall):
            return self.call(node)
        if isinstance(node, c_ast.StructRef):
            return self.member(node)
        if isinstance(node, c_ast.CompoundLiteral):
            return self.compound_literal(node)
        if isinstance(node, c_ast.ArrayRef):
            base, index = self.scalar(node.name), self.operand(node.subscript)
            if index.ctype.is_wide:  # (an address is a word: the index's low word)
                index = self.converted(S.INT, index, node)
            if index.ctype.is_pointer and not base.ctype.is_pointer:
                base, index = index, base  # i[a] is a[i]
            if not base.ctype.is_pointer:
                raise self.error(node, "subscripted value is neither array nor pointer")
            if index.ctype.is_pointer:
                raise self.error(node, "array subscript is not an integer")
            return S.Deref(
                self.pointer_arithmetic("+", base, index, loc, base.ctype),
                loc=loc,
                ctype=base.ctype.element(),
            )
        if isinstance(node, c_ast.Cast):
            to = self.ctype(node.to_type.type)
            if to.is_array:
                raise self.error(node, "cast to an array type")
            if to.is_wide:
                return self.converted(to, self.operand(node.expr), node)
            inner = self.rvalue(self.expr(node.expr))
            if to.is_record and inner.ctype.is_struct and inner.ctype.record is to.record:
                return self.retyped(inner, to)  # (gcc's: a struct cast to its own type)
            if to.is_record:
                raise self.error(node, "conversion to non-scalar type requested")
            if to.is_void:
                return S.Comma([inner, S.Num(0, loc=loc)], loc=loc, ctype=S.VOID)
            if inner.ctype.is_void:
                raise self.error(node, "void value not ignored as it ought to be")
            if inner.ctype.is_wide:
                return self.converted(to, inner, node)
            if inner.ctype.is_struct:
                raise self.error(node, "aggregate value used where a scalar was expected")
            self.convertible(to, inner, node)
            if to.kind == "_Bool":
                return self.retyped(self.stored(to, inner), to)
            return self.narrowed(self.retyped(inner, to))
        if isinstance(node, c_ast.Compound | c_ast.GenericSelection):
            return self.gnu_expression(node)  # (check_gnu)
        raise self.refuse(node)

    def is_int_min_magnitude(self, node: c_ast.Node) -> bool:
        """Whether node is the decimal constant 2^(N-1), whose negation is INT_MIN."""
        return (
            isinstance(node, c_ast.Constant)
            and node.type == "int"
            and node.value.isdigit()
            and int(node.value) == 1 << (self.bits - 1)
        )

    def cond_type(self, then: S.Expr, other: S.Expr) -> S.CType:
        """The type of `c ? then : other`: a pointer's if either is one (a null pointer
        constant, 0, takes the other's type; `void *` and another pointer give `void *`)."""
        if then.ctype.is_integer and other.ctype.is_integer:
            return usual(then.ctype, other.ctype, self.bits)
        if not (then.ctype.is_pointer or other.ctype.is_pointer):
            return then.ctype
        null = [isinstance(e, S.Num) and e.value == 0 for e in (then, other)]
        if null[0] or not then.ctype.is_pointer:
            return other.ctype if other.ctype.is_pointer else then.ctype
        if null[1] or not other.ctype.is_pointer:
            return then.ctype
        return other.ctype if other.ctype.element().is_void else then.ctype

    def folded(self, e: S.Expr) -> S.Expr:
        """A constant expression as the number it is (operands without side effects only)."""
        if isinstance(e, S.Unary):
            operands = [e.operand]
        else:
            assert isinstance(e, S.Binary)
            operands = [e.left, e.right]
        if all(isinstance(x, S.Num) for x in operands):
            value = self.const_value(e)
            if value is not None:
                return S.Num(value, loc=e.loc, ctype=e.ctype)
        return e

    def retyped(self, e: S.Expr, to: S.CType) -> S.Expr:
        """The same value with another type (casts between these types change nothing: every
        scalar is one word, and a signed and an unsigned one are the same bits)."""
        e.ctype = to
        return e

    def binary_type(self, node: c_ast.BinaryOp, left: S.Expr, right: S.Expr) -> S.CType:
        """The type of `left op right`: pointer arithmetic keeps the pointer, the rest is int."""
        op = node.op
        lp, rp = left.ctype.is_pointer, right.ctype.is_pointer
        if op not in ("==", "!=", "&&", "||") and any(
            S.points_to_function(e.ctype) for e in (left, right)
        ):  # (gcc's extensions: arithmetic as on char *, ordered comparisons)
            raise self.unsupported(node, f"operator {op} on a function pointer")
        if op == "+" and (lp or rp):
            if lp and rp:
                raise self.error(node, "invalid operands to binary + (two pointers)")
            return left.ctype if lp else right.ctype
        if op == "-" and lp:
            return S.INT if rp else left.ctype
        if op == "-" and rp:
            raise self.error(node, "invalid operands to binary - (an integer minus a pointer)")
        if (lp or rp) and op in ("*", "/", "%", "<<", ">>", "&", "|", "^"):
            raise self.error(node, f"invalid operands to binary {op} (a pointer)")
        return S.INT  # (integer operands: see integer_operation)

    def pointer_arithmetic(
        self, op: str, left: S.Expr, right: S.Expr, loc: S.Loc, ctype: S.CType
    ) -> S.Expr:
        """`p + i`, `p - i`, `p - q` in words: i counts elements, and an element is a word but
        for a pointer to an array (`&a + 1` is past the whole array)."""
        pointer = left if left.ctype.is_pointer else right
        size = pointer.ctype.element().size
        if size != 1 and left.ctype.is_pointer and right.ctype.is_pointer:  # &b - &a
            words = S.Binary("-", left, right, loc=loc, ctype=S.INT)
            return self.folded(S.Binary("/", words, S.Num(size, loc=loc), loc=loc, ctype=S.INT))
        if size != 1 and left is pointer:
            right = self.folded(S.Binary("*", right, S.Num(size, loc=loc), loc=loc))
        elif size != 1:
            left = self.folded(S.Binary("*", left, S.Num(size, loc=loc), loc=loc))
        return S.Binary(op, left, right, loc=loc, ctype=ctype)

    def unary(self, node: c_ast.UnaryOp) -> S.Expr:
        """A unary operator: sizeof, ++ and --, &, *, +, -, ~ and !."""
        loc, op = self.loc(node), node.op
        if op not in ("sizeof", "++", "--", "p++", "p--", "&", "*", "+", "-", "~", "!"):
            raise self.unsupported(node, f"operator {op}")  # _Alignof, GNU's && on labels
        if op == "sizeof":
            if isinstance(node.expr, c_ast.Typename):
                ctype = self.ctype(node.expr.type)
                if ctype.kind == "function" or not self.complete(ctype):
                    raise self.error(node, f"invalid application of 'sizeof' to type '{ctype}'")
                return S.Num(ctype.size, loc=loc, ctype=S.SIZE_T)
            inner = self.expr(node.expr)
            if inner.ctype.is_void:
                raise self.error(node, "sizeof of a void expression")
            if isinstance(inner, S.Deref) and inner.ctype.width:
                raise self.error(node, "'sizeof' applied to a bit-field")
            if inner.ctype.length == S.UNSIZED:  # `extern int a[];` before its definition
                raise self.error(node, "invalid application of 'sizeof' to incomplete type")
            size = (
                len(inner.data) + 1
                if isinstance(inner, S.Str)
                else len(inner.points) + 1
                if isinstance(inner, S.WideStr)
                else inner.ctype.size
            )
            return S.Num(size, loc=loc, ctype=S.SIZE_T)
        if op in ("++", "--", "p++", "p--"):
            target = self.lvalue(
                node.expr, "increment operand" if "+" in op else "decrement operand"
            )
            if target.ctype.is_struct:
                raise self.error(
                    node, f"wrong type argument to {'increment' if '+' in op else 'decrement'}"
                )
            if S.points_to_function(target.ctype):
                raise self.unsupported(node, f"operator {op.lstrip('p')} on a function pointer")
            if target.ctype.is_wide:
                return self.wide_incdec(op.lstrip("p"), not op.startswith("p"), target, node)
            if self.converts(target.ctype):
                return self.converting_incdec(op.lstrip("p"), not op.startswith("p"), target, node)
            step = self.element_words(target.ctype)
            if step != 1:  # p++ moves one element: p += k, and p++ is then that less k
                change = "+=" if "+" in op else "-="
                moved = S.Assign(change, target, S.Num(step, loc=loc), loc=loc, ctype=target.ctype)
                if not op.startswith("p"):
                    return moved
                back = S.Num(-step if "+" in op else step, loc=loc)
                return S.Binary("+", moved, back, loc=loc, ctype=target.ctype)
            return S.IncDec(
                op.lstrip("p"), not op.startswith("p"), target, loc=loc, ctype=target.ctype
            )
        if op == "&":
            inner = self.expr(node.expr)
            if isinstance(node.expr, c_ast.Cast):  # a cast's value is no object
                raise self.error(node, "lvalue required as unary '&' operand")
            if isinstance(inner, S.FuncAddr) or (  # &f, &*p: the function's address
                isinstance(node.expr, c_ast.UnaryOp)
                and node.expr.op == "*"
                and S.points_to_function(inner.ctype)
            ):
                return inner
            if isinstance(inner, S.VarRef) and inner.ctype.length == S.UNSIZED:
                raise self.unsupported(
                    node, f"'&' of '{inner.var.name}' before its length is known"
                )
            if isinstance(inner, S.VarRef) and inner.var in self.registers:
                raise self.error(node, f"address of register variable '{inner.var.name}' requested")
            if isinstance(inner, S.VarRef):
                inner.var.address_taken = True
                return S.AddrOf(inner.var, loc=loc, ctype=inner.ctype.address())
            if isinstance(inner, S.Deref) and inner.ctype.width:
                raise self.error(node, "cannot take address of bit-field")
            if isinstance(inner, S.Deref):
                return self.retyped(inner.pointer, inner.ctype.address())
            raise self.error(node, "lvalue required as unary '&' operand")
        if op == "*":
            inner = self.scalar(node.expr)
            if not inner.ctype.is_pointer:
                raise self.error(node, "invalid type argument of unary '*'")
            element = inner.ctype.element()
            if element.kind == "function":  # *p designates the function: its address again
                return inner
            if element.is_void:
                raise self.error(node, "dereferencing a void pointer")
            return S.Deref(inner, loc=loc, ctype=element)
        if op == "-" and self.is_int_min_magnitude(node.expr):  # -2147483648: INT_MIN, an int
            return S.Num(-(1 << (self.bits - 1)), loc=loc)
        operand = self.operand(node.expr)
        if operand.ctype.is_wide:
            return self.wide_unary(op, operand, node)
        if op == "+":
            return operand
        if op in ("-", "~", "!"):
            if operand.ctype.is_pointer and op != "!":
                raise self.error(node, f"wrong type argument to unary {op}")
            ctype = promoted(operand.ctype, self.bits) if op != "!" else S.INT
            return self.folded(S.Unary(op, operand, loc=loc, ctype=ctype))
        raise self.unsupported(node, f"operator {op}")

    def call(self, node: c_ast.FuncCall) -> S.Expr:
        """A call, checked against a prototype, a built-in or the library (and printf's format)."""
        loc = self.loc(node)
        if not isinstance(node.name, c_ast.ID) or isinstance(self.find(node.name.name), S.Var):
            return self.pointer_call(node)
        name = node.name.name
        given = node.args.exprs if node.args is not None else []
        args = [self.argument(a) for a in given]
        if name == "__builtin_expect" and name not in self.functions:  # gcc's: a hint, e's value
            if len(args) != 2 or self.const_value(args[1]) is None:
                raise self.error(node, "__builtin_expect takes a value and a constant")
            return args[0]
        fn = None
        for scope in reversed(self.scopes):
            if name in scope:
                fn = scope[name]
                break
        if fn is not None and not isinstance(fn, S.Function):  # int printf = 3; printf("x")
            raise self.error(node, f"called object '{name}' is not a function")
        library = name not in self.program_defines  # (the program's own prototype or none)
        if name in SCANNERS and library and len(args) > SCANNERS[name]:
            self.scan_format(args[SCANNERS[name]], node)
        if name == "memset" and library and len(args) == 3 and unsigned_bytes(args[0].ctype):
            name = "__umemset"  # (its bytes as an unsigned char holds them: -1 is 255)
            fn = self.functions.get(name)  # (declared by its first call)
        entry = LIBRARY.get(name)
        if entry is not None and entry.emit is not None and name not in self.functions:
            returns, params = entry.returns, entry.params  # built in
            for helper in entry.needs:  # (the library functions its code calls)
                self.link(helper)
        else:
            if fn is None:
                if name in NO_FILES:
                    raise self.unsupported(
                        node, f"{name}: not in the library (the machine has no files)"
                    )
                if name in ("__asm__", "__asm"):  # (gcc's keywords, in any C standard)
                    raise self.unsupported(node, "inline assembly")
                if name.startswith("__builtin_"):
                    raise self.unsupported(node, f"gcc's built-in function '{name}'")
                if entry is None or entry.source is None:  # (the library needs no prototype)
                    raise self.error(node, f"implicit declaration of function '{name}'")
                fn = self.library_prototype(name)
            if not isinstance(fn, S.Function):
                raise self.error(node, f"called object '{name}' is not a function")
            returns, params = fn.returns, fn.param_types()
        if params is None:  # printf, and sprintf and snprintf after their buffer (and size)
            at = entry.format_at if entry is not None else 0
            if any(a.ctype.is_wide for a in args[at + 1 :]):
                args = self.wide_format(args, at, node)
            if len(args) <= at:
                raise self.error(node, f"too few arguments to function '{name}'")
            prints = name in ("printf", "fprintf")
            self.check_formats(args[at], len(args) - at - 1, node, prints, rewritten=True)
            if not literal_format(args[at]) and prints:  # read only at run time
                self.link("__printf")
        elif isinstance(fn, S.Function) and not fn.prototyped:  # `int f();`: see prototyped
            for arg, place in zip(args, given, strict=True):
                if arg.ctype.is_record:
                    raise self.unsupported(
                        place, f"a '{arg.ctype}' argument to '{name}' before its prototype"
                    )
            self.unprototyped_calls.setdefault(name, []).append(([a.ctype for a in args], node))
        elif len(args) != len(params) and not (
            isinstance(fn, S.Function) and fn.variadic and len(args) > len(params)
        ):
            more = "many" if len(args) > len(params) else "few"
            raise self.error(node, f"too {more} arguments to function '{name}'")
        for k, (arg, place) in enumerate(zip(args, given, strict=True)):
            wanted = params[k] if params is not None and k < len(params) else None
            if wanted is not None and (wanted.is_wide or arg.ctype.is_wide):
                arg = self.converted(wanted, arg, place)
                args[k] = self.address_of(self.made(arg), place) if wanted.is_wide else arg
            elif wanted is not None and wanted.is_record:
                if arg.ctype.record is not wanted.record:
                    raise self.error(place, f"incompatible type for argument {k + 1} of '{name}'")
                args[k] = self.address_of(arg, place)  # (see check_records.by_value)
            elif wanted is None and arg.ctype.is_wide:  # (printf's are read above)
                raise self.unsupported(place, f"a '{arg.ctype}' argument in the '...' of '{name}'")
            elif arg.ctype.is_record:
                raise self.error(place, f"incompatible type for argument {k + 1} of '{name}'")
            elif wanted is not None:
                self.convertible(wanted, arg, node)
                args[k] = self.converted(wanted, arg, place)
        if self.function is not None:
            self.function.calls.add(name)
        size_t = name in SIZE_T_RESULTS and entry is not None and entry.source is not None
        if size_t and name in self.functions and self.functions[name].file != "<library>":
            size_t = False  # the program's own function or prototype: its declared type
        call = S.Call(name, args, loc=loc, ctype=S.SIZE_T if size_t else returns)
        return self.record_call(call, returns) if returns.is_record else call

    def element_words(self, ctype: S.CType) -> int:
        """How many words `p + 1` moves a pointer of this type (1 for anything else)."""
        if not ctype.is_pointer or not ctype.element().is_record and not ctype.element().is_array:
            return 1
        if not self.complete(ctype.element()):
            raise self.error(None, f"arithmetic on a pointer to incomplete type '{ctype}'")
        return ctype.element().size

    def compound_literal(self, node: c_ast.CompoundLiteral) -> S.Expr:  # (Initializers')
        raise NotImplementedError

    def argument(self, node: c_ast.Node) -> S.Expr:
        """An argument's value: a scalar, or a record (passed by value)."""
        e = self.rvalue(self.expr(node))
        if e.ctype.is_void:
            raise self.error(node, "void value not ignored as it ought to be")
        return e

    def check_formats(
        self, fmt: S.Expr, count: int, node: c_ast.Node, pf: bool = True, rewritten: bool = False
    ) -> None:
        """A printf format known now: only the supported conversions, an argument for each
        (and for each `*`); the library's `__pf` is linked for those it prints (`pf`). Once
        `rewritten` (wide_format has printed each long long), an `ll` left is given an int."""
        if isinstance(fmt, S.Cond):
            self.check_formats(fmt.then, count, node, pf, rewritten)
            self.check_formats(fmt.other, count, node, pf, rewritten)
            return
        if not isinstance(fmt, S.Str):
            return
        try:
            pieces = parse_format(fmt.data)
        except FormatError as err:
            raise self.unsupported(node, str(err)) from None
        specs = [p for p in pieces if isinstance(p, Spec)]
        used = sum(spec.arguments for spec in specs)
        if used > count:  # (more arguments than conversions: C evaluates and ignores them)
            raise self.error(
                node,
                f"printf: the format takes {used} argument{'s' * (used != 1)} and is given {count}",
            )
        for spec in specs:
            if rewritten and spec.length == "ll":
                raise self.unsupported(node, int_as_long_long(spec))
        if pf and not all(spec.plain for spec in specs):
            self.link("__pf")

    def link(self, name: str) -> None:
        """The current function calls the library function `name` (declared if it is not)."""
        if name not in self.functions:
            self.library_prototype(name)
        if self.function is not None:
            self.function.calls.add(name)

    def scan_format(self, fmt: S.Expr, node: c_ast.Node) -> None:
        """Refuse, in a scanf format known when compiling, a conversion that libc/scanf.c would
        fault at run time (a 64-bit `ll` or `j`, floating point, `%p`, wide characters)."""
        if not isinstance(fmt, S.Str):
            return
        text = fmt.data.split(b"\0", 1)[0].decode("latin-1")
        text = re.sub(
            r"%\*?\d*l?\[\^?\]?[^\]]*\]", "", text
        )  # (a scan set's text is no conversion)
        for m in re.finditer(r"%(\*?)(\d*)(hh|h|ll|l|j|z|t|L|q)?(.)", text):
            size, conv = m.group(3) or "", m.group(4)
            if conv == "%":
                continue
            if (
                size in ("ll", "j", "L", "q")
                or conv in "aAeEfFgGpCS"
                or size == "l"
                and conv in "cs["
            ):
                raise self.unsupported(node, f"scanf conversion '{m.group(0)}'")

    def library_prototype(self, name: str) -> S.Function:
        """Declare a library function from its signature in `LIBRARY` (parameters unnamed)."""
        entry = LIBRARY[name]
        returns, params = entry.returns, entry.params or ()
        fn = S.Function(
            name,
            returns,
            [S.Var("", t, "param", name, S.Loc(0, 0)) for t in params],
            S.Loc(0, 0),
            file="<library>",
            signature=tuple(params),  # (a record parameter's changes when it is defined)
            variadic=entry.variadic,
        )
        self.functions[name] = fn
        self.scopes[0][name] = fn
        if fn.variadic:
            self.va_block(fn)
        return fn

    def va_block(self, fn: S.Function) -> None:  # (Variadic's)
        raise NotImplementedError


def unsigned_bytes(t: S.CType) -> bool:
    """Whether t points to (or is an array of) unsigned char."""
    element = t.element() if t.is_pointer or t.is_array else None
    return element is not None and element.kind == "char" and element.unsigned
