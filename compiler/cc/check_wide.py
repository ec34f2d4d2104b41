"""check, long long and unsigned long long: two-word values lowered to library calls.

A long long is a record of two words, low word first (`syntax.WIDE`), so variables, arrays,
members, parameters and results of it are what records are, copied word by word. Every
operator on it becomes a call of a function of libc/longlong.c, written in C on unsigned
words and taking and returning the value as a record; a constant's value is folded here, and
only made a value (`__ll_make`) where an operator needs one at run time. The usual
arithmetic conversions: any int operand widens (by its sign, or zero for an unsigned int),
and the answer is unsigned long long if either operand is.
"""

from __future__ import annotations

from dataclasses import replace

from pycparser import c_ast

from . import syntax as S
from .check_records import Records, clone, pure
from .formats import CHAR_LENGTH, FLAGS, SHORT_LENGTH, Spec, parse_format

WORD = 1 << 32  # a long long's words are 32 bits whatever the machine's N
ALL = 1 << 64
CALLS = {
    "+": "__ll_add",
    "-": "__ll_sub",
    "*": "__ll_mul",
    "&": "__ll_and",
    "|": "__ll_or",
    "^": "__ll_xor",
}
COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")


def signed(v: int, bits: int) -> int:
    """v (modulo 2^bits) read as a two's complement number."""
    v %= 1 << bits
    return v - (1 << bits) if v >= 1 << (bits - 1) else v


def fold(op: str, a: int, b: int, ctype: S.CType) -> int | None:
    """`a op b` of two constants of a long long type (values modulo 2^64), as gcc computes
    it; None where it is left to run time (a division by 0)."""
    x, y = (v if ctype.unsigned else signed(v, 64) for v in (a, b))
    if op in COMPARISONS:
        return int(
            {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y, "==": x == y, "!=": x != y}[op]
        )
    if op in ("/", "%"):
        if y == 0:
            return None
        q = abs(x) // abs(y) * (1 if (x < 0) == (y < 0) else -1)
        return (q if op == "/" else x - q * y) % ALL
    if op == "<<":
        return (x << (b % 64)) % ALL
    if op == ">>":
        return (x >> (b % 64)) % ALL
    table = {"+": x + y, "-": x - y, "*": x * y, "&": x & y, "|": x | y, "^": x ^ y}
    return table[op] % ALL


class WideIntegers(Records):
    """The checker's long long (a part of check_expr.ExprChecker)."""

    def link(self, name: str) -> None:  # (ExprChecker's)
        raise NotImplementedError

    def converts(self, ctype: S.CType) -> bool:  # (ConvertingStores')
        raise NotImplementedError

    def converting_update(
        self, op: str, target: S.Expr, value: S.Expr, node: c_ast.Node
    ) -> S.Expr:  # (ConvertingStores')
        raise NotImplementedError

    def binary_type(self, node: c_ast.BinaryOp, left: S.Expr, right: S.Expr) -> S.CType:
        raise NotImplementedError  # (ExprChecker's)

    def check_formats(
        self, fmt: S.Expr, count: int, node: c_ast.Node, pf: bool = True, rewritten: bool = False
    ) -> None:
        raise NotImplementedError  # (ExprChecker's)

    def pointer_arithmetic(
        self, op: str, left: S.Expr, right: S.Expr, loc: S.Loc, ctype: S.CType
    ) -> S.Expr:
        raise NotImplementedError  # (ExprChecker's)

    # -- conversions ----------------------------------------------------------------------
    def converted(self, to: S.CType, e: S.Expr, node: c_ast.Node | None) -> S.Expr:
        """e converted to `to`, as it is stored in an object of that type: an integer widens
        to a long long by its sign, a long long keeps its low word as an integer (as a _Bool,
        whether it is 0), and a _Bool or a bit-field keeps what it holds (see `stored`)."""
        if to.is_wide:
            return self.widened(to, e, node)
        if not e.ctype.is_wide:
            return self.stored(to, e)
        if not to.is_integer:
            raise self.unsupported(node, f"converting '{e.ctype}' to '{to}'")
        if to.kind == "_Bool":
            return self.truth(e)
        if isinstance(e, S.Num):
            low = signed(e.value, self.bits)
            return self.stored(to, self.narrowed(S.Num(low, loc=e.loc, ctype=to)))
        return self.stored(to, self.narrowed(self.wide_call("__ll_low", [e], to, e.loc)))

    def widened(self, to: S.CType, e: S.Expr, node: c_ast.Node | None) -> S.Expr:
        """e as a value of the long long type `to`."""
        if e.ctype.is_wide:
            if isinstance(e, S.Num):
                return S.Num(e.value, loc=e.loc, ctype=to)
            return replace(e, ctype=to)
        if not e.ctype.is_integer:
            raise self.unsupported(node, f"converting '{e.ctype}' to '{to}'")
        if isinstance(e, S.Num):
            value = e.value % (1 << self.bits) if e.ctype.unsigned else e.value
            return S.Num(value % ALL, loc=e.loc, ctype=to)
        unsigned = e.ctype.kind == "int" and e.ctype.unsigned
        return self.wide_call("__ll_from_uint" if unsigned else "__ll_from_int", [e], to, e.loc)

    def made(self, e: S.Expr) -> S.Expr:
        """A long long value as an object a call can be given: a constant made at run time."""
        if not isinstance(e, S.Num):
            return e
        words: list[S.Expr] = [S.Num(signed(e.value >> k, 32), loc=e.loc) for k in (0, 32)]
        return self.wide_call("__ll_make", words, e.ctype, e.loc)

    def wide_call(self, name: str, args: list[S.Expr], returns: S.CType, loc: S.Loc) -> S.Expr:
        """A call of the library's `name`, long long arguments passed by their address (as
        records are) and a long long result returned in a temporary of the caller's."""
        self.link(name)
        passed = [self.address_of(self.made(a), None) if a.ctype.is_wide else a for a in args]
        call = S.Call(name, passed, loc=loc, ctype=returns)
        return self.record_call(call, returns) if returns.is_wide else call

    def truth(self, e: S.Expr) -> S.Expr:
        """A condition's value as an int: 1 where a long long is not 0."""
        if not e.ctype.is_wide:
            return e
        if isinstance(e, S.Num):
            return S.Num(int(e.value != 0), loc=e.loc)
        return self.wide_call("__ll_bool", [e], S.INT, e.loc)

    # -- operators ------------------------------------------------------------------------
    def wide_binary(self, op: str, left: S.Expr, right: S.Expr, node: c_ast.Node) -> S.Expr:
        """`left op right` where an operand is a long long."""
        loc = self.loc(node)
        pointer = left.ctype.is_pointer or right.ctype.is_pointer
        if pointer and op in ("+", "-") and isinstance(node, c_ast.BinaryOp):
            # an offset from an address is a word: the long long's low word
            left, right = (self.converted(S.INT, e, node) for e in (left, right))
            ctype = self.binary_type(node, left, right)
            return self.pointer_arithmetic(op, left, right, loc, ctype)
        if pointer:
            raise self.unsupported(node, f"operator {op} on a pointer and a long long")
        if op in ("&&", "||"):
            return self.int_binary(op, self.truth(left), self.truth(right), loc)
        if op in ("<<", ">>"):
            count = self.converted(S.INT, right, node)
            if not left.ctype.is_wide:
                return self.int_binary(op, left, count, loc)
            if isinstance(left, S.Num) and isinstance(count, S.Num):
                return S.Num(
                    fold(op, left.value, count.value, left.ctype) or 0, loc=loc, ctype=left.ctype
                )
            name = "__ll_shl" if op == "<<" else "__ll_ushr" if left.ctype.unsigned else "__ll_shr"
            return self.wide_call(name, [left, count], left.ctype, loc)
        unsigned = any(e.ctype.is_wide and e.ctype.unsigned for e in (left, right))
        ctype = S.ULLONG if unsigned else S.LLONG
        left, right = self.widened(ctype, left, node), self.widened(ctype, right, node)
        if isinstance(left, S.Num) and isinstance(right, S.Num):
            value = fold(op, left.value, right.value, ctype)
            if value is not None:
                return S.Num(value, loc=loc, ctype=S.INT if op in COMPARISONS else ctype)
        if op in COMPARISONS:
            order = self.wide_call(
                "__ll_ucmp" if unsigned else "__ll_cmp", [left, right], S.INT, loc
            )
            return S.Binary(op, order, S.Num(0, loc=loc), loc=loc, ctype=S.INT)
        if op in ("/", "%"):
            name = {"/": "__ll_div", "%": "__ll_mod"}[op]
            name = name.replace("__ll_", "__ll_u") if unsigned else name
        elif op in CALLS:
            name = CALLS[op]
        else:
            raise self.unsupported(node, f"operator {op} on long long")
        return self.wide_call(name, [left, right], ctype, loc)

    def int_binary(self, op: str, left: S.Expr, right: S.Expr, loc: S.Loc) -> S.Expr:
        """`left op right` of int operands, typed as integer_operation types them."""
        op, left, right, ctype = self.integer_operation(op, left, right)
        return self.folded(S.Binary(op, left, right, loc=loc, ctype=ctype))

    def wide_unary(self, op: str, operand: S.Expr, node: c_ast.Node) -> S.Expr:
        """`-x`, `~x`, `!x` or `+x` of a long long."""
        loc = self.loc(node)
        if op == "!":
            return self.int_binary("==", self.truth(operand), S.Num(0, loc=loc), loc)
        if op == "+":
            return operand
        if isinstance(operand, S.Num):
            value = -operand.value if op == "-" else ~operand.value
            return S.Num(value % ALL, loc=loc, ctype=operand.ctype)
        return self.wide_call(
            "__ll_neg" if op == "-" else "__ll_not", [operand], operand.ctype, loc
        )

    # -- assignments ----------------------------------------------------------------------
    def wide_assignment(self, node: c_ast.Assignment, target: S.Expr, value: S.Expr) -> S.Expr:
        """`t = v` or `t op= v` where t or v is a long long (t read again for `op=`, but for
        an int t where its answer's low word is the low words': `i += v` is `i += (int)v`; not
        for a _Bool, which is whether the whole answer is 0)."""
        if (
            not target.ctype.is_wide
            and target.ctype.kind != "_Bool"
            and node.op
            in (
                "+=",
                "-=",
                "*=",
                "&=",
                "|=",
                "^=",
                "<<=",
                ">>=",
            )
        ):
            value = self.converted(S.INT, value, node)
            op = self.compound_operation(node.op, target, value)
            if self.converts(target.ctype):
                return self.converting_update(op, target, value, node)
            return S.Assign(op, target, value, loc=self.loc(node), ctype=target.ctype)
        if node.op != "=":
            self.readable_again(target, node)
            value = self.wide_binary(S.COMPOUND[node.op], clone(target), value, node)
        return self.store(target, value, node)

    def store(self, target: S.Expr, value: S.Expr, node: c_ast.Node) -> S.Expr:
        """target = value converted to target's type; its value is target's after."""
        loc = self.loc(node)
        value = self.converted(target.ctype, value, node)
        if not target.ctype.is_wide:
            return S.Assign("=", target, value, loc=loc, ctype=target.ctype)
        copy = self.copy_record(target, self.made(value), node)
        self.readable_again(target, node)
        return S.Comma([copy, clone(target)], loc=loc, ctype=target.ctype)

    def wide_incdec(self, op: str, prefix: bool, target: S.Expr, node: c_ast.Node) -> S.Expr:
        """`++x`, `x--`, ... of a long long: x = x ± 1, the value before it kept for `x++`."""
        self.readable_again(target, node)
        one = S.Num(1, loc=self.loc(node))
        if prefix:
            return self.store(target, self.wide_binary(op[0], clone(target), one, node), node)
        old = self.temporary(target.ctype, node)
        keep = self.store(old, clone(target), node)
        change = self.store(target, self.wide_binary(op[0], clone(old), one, node), node)
        return S.Comma([keep, change, clone(old)], loc=old.loc, ctype=target.ctype)

    def wide_cond(self, test: S.Expr, then: S.Expr, other: S.Expr, node: c_ast.Node) -> S.Expr:
        """`c ? a : b` where a or b is a long long: the chosen one stored in a temporary."""
        if not all(e.ctype.is_integer or e.ctype.is_wide for e in (then, other)):
            raise self.unsupported(node, "?: of a long long and a value that is no integer")
        unsigned = any(e.ctype.is_wide and e.ctype.unsigned for e in (then, other))
        result = self.temporary(S.ULLONG if unsigned else S.LLONG, node)
        loc = self.loc(node)
        chosen = S.Cond(
            test,
            self.store(clone(result), then, node),
            self.store(clone(result), other, node),
            loc=loc,
            ctype=result.ctype,
        )
        return S.Comma([chosen, result], loc=loc, ctype=result.ctype)

    def temporary(self, ctype: S.CType, node: c_ast.Node) -> S.Expr:
        """A new local of the current function, for a value the checker keeps."""
        fn = self.function
        if fn is None:
            raise self.error(node, "initializer element is not constant")
        loc = self.loc(node)
        var = S.Var("", ctype, "local", fn.name, loc, self.label("t", fn.name, "wide"))
        var.address_taken = True
        fn.locals.append(var)
        return S.VarRef(var, loc=loc, ctype=ctype)

    def readable_again(self, target: S.Expr, node: c_ast.Node) -> None:
        """Refuse a target that reading again could change (`a[i++] += x`)."""
        if not pure(target):
            raise self.unsupported(
                node,
                "a long long stored to at a place with side effects or long long arithmetic "
                "(a[i++], a[k + 1] with k a long long)",
            )

    # -- printf ---------------------------------------------------------------------------
    def wide_format(self, args: list[S.Expr], at: int, node: c_ast.Node) -> list[S.Expr]:
        """printf's arguments with each long long printed into text first (`__ll_str`): its
        conversion becomes `%s` with the same width and `-` flag (a `+` or space flag is the
        text's), as glibc prints it. The format is refused as it is without a long long (a
        conversion not printed, too few arguments); a long long where an int is read (a `*`,
        a conversion without `l`, `ll` or `z`, which gcc's build reads 32 bits of) is refused,
        and one more than the format takes is evaluated and ignored, as C does."""
        fmt = args[at]
        if not isinstance(fmt, S.Str):
            raise self.unsupported(node, "a long long printed with a format not known now")
        self.check_formats(fmt, len(args) - at - 1, node, False)
        pieces = parse_format(fmt.data)
        out = bytearray()
        given = iter(args[at + 1 :])
        values: list[S.Expr] = []
        for piece in pieces:
            if isinstance(piece, bytes):
                out += piece.replace(b"%", b"%%")
                continue
            for _ in range(piece.arguments - 1):  # a `*`'s width or precision
                star = next(given)
                if star.ctype.is_wide:
                    raise self.unsupported(node, "a long long as a printf width or precision")
                values.append(star)
            value = next(given)
            if not value.ctype.is_wide and piece.length == "ll":
                raise self.unsupported(node, int_as_long_long(piece))
            if not value.ctype.is_wide:
                out += spelled(piece).encode()
                values.append(value)
                continue
            signs = FLAGS["+"] | FLAGS[" "]
            if (
                piece.conv not in "diuoxX"
                or piece.flags & ~(FLAGS["-"] | signs)
                or piece.length not in ("l", "ll", "z")
            ):
                raise self.unsupported(
                    node,
                    "printf of a long long other than %lld %lli %llu %llo %llx %llX with a "
                    "width and the flags - + and space",
                )
            if piece.precision is not None:
                raise self.unsupported(node, "printf of a long long with a precision")
            out += spelled(replace(piece, conv="s", flags=piece.flags & FLAGS["-"])).encode()
            buffer = self.temporary(S.array(S.CHAR, 24), node)
            assert isinstance(buffer, S.VarRef)
            address = S.AddrOf(buffer.var, loc=buffer.loc, ctype=S.CHAR_POINTER)
            sign = 256 if piece.flags & FLAGS["+"] else 512 if piece.flags & FLAGS[" "] else 0
            letter = "d" if piece.conv in "di" else piece.conv
            conv = S.Num(ord(letter) + sign, loc=value.loc)
            values.append(
                self.wide_call("__ll_str", [value, conv, address], S.CHAR_POINTER, value.loc)
            )
        # the arguments the format does not take (a long long's low word: what is evaluated)
        values += [self.converted(S.INT, e, node) if e.ctype.is_wide else e for e in given]
        data = bytes(out)
        shown = S.Str(data, loc=fmt.loc, ctype=fmt.ctype, label=fmt.label)
        if fmt in self.strings:
            self.strings[self.strings.index(fmt)] = shown
        return [*args[:at], shown, *values]


def spelled(spec: Spec) -> str:
    """A conversion as printf's format spells it (its length modifier a char's or short's)."""
    flags = "".join(c for c, bit in FLAGS.items() if spec.flags & bit)
    width = "" if spec.width is None else str(spec.width)
    precision = "" if spec.precision is None else "." + str(spec.precision)
    length = "hh" if spec.flags & CHAR_LENGTH else "h" if spec.flags & SHORT_LENGTH else ""
    return f"%{flags}{width}{precision}{length}{spec.conv}"


def int_as_long_long(spec: Spec) -> str:
    """What a one-word value (an int, a long: N bits here) given to printf's `%lld` (`%llx`,
    ...) is refused as."""
    return (
        f"printf conversion '%ll{spec.conv}' of a one-word value "
        "(gcc's build reads 64 bits for it; pass a long long)"
    )
