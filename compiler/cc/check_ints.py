"""check, the integer types: their names (`unsigned long int`, `short`, ...), the integer
promotions and the usual arithmetic conversions, and the operators whose answer depends on
signedness.

Every integer type is one N-bit word and an unsigned value is the same word read from 0 to
2^N - 1, so adding, multiplying, the bitwise operators and conversions between int and
unsigned are the same code for both (a cast to a char or short type keeps that type's bits:
`narrowed`). Two kinds of object convert every value stored in them (`stored`): a `_Bool`
holds `v != 0`, and a bit-field its width's bits, as gcc's build keeps them. What differs is
named in the tree: a comparison of unsigned operands compares
the words each biased by 2^(N-1) (which wraps), and `/`, `%` and `>>` become `u/`, `u%` and
`u>>` (run-time routines in `arith_unsigned`), unless every operand is known to be below
2^(N-1), where the signed operators agree and cost less.
"""

from __future__ import annotations

from collections import Counter

from pycparser import c_ast

from . import syntax as S
from .scope import CheckerState

COMPARISONS = ("<", "<=", ">", ">=")
WIDTHS = {"char": 8, "short": 16}  # the bits of gcc's char and short types
TRUTHS = ("<", "<=", ">", ">=", "==", "!=", "&&", "||")  # operators whose value is 0 or 1
SPECIFIERS = {"void", "char", "short", "int", "long", "signed", "unsigned"}


def integer_type(names: tuple[str, ...]) -> S.CType | None:
    """The type that a list of type specifiers names, in any order C allows (`long unsigned
    int`), or None if they name none of these. `long` is `int` (one word)."""
    if "_Bool" in names:
        return S.BOOL if names == ("_Bool",) else None
    count = Counter(names)
    wide = count["long"] == 2
    if wide:
        count["long"] = 1
    if not names or set(count) - SPECIFIERS or any(n > 1 for n in count.values()):
        return None
    sign = count["signed"] + count["unsigned"]
    if count["void"]:
        return S.VOID if len(names) == 1 else None
    if sign > 1 or count["short"] + count["long"] + count["char"] > 1:
        return None
    if count["char"] and count["int"]:
        return None
    if wide:
        return S.ULLONG if count["unsigned"] else S.LLONG
    kind = "char" if count["char"] else "short" if count["short"] else "int"
    spelled = "long" if count["long"] else "signed" if count["char"] and count["signed"] else ""
    return S.CType(kind, unsigned=bool(count["unsigned"]), spelled=spelled)


def promoted(t: S.CType, bits: int) -> S.CType:
    """C's integer promotion on an N-bit (`bits`) machine: _Bool, char and short of either
    sign become int (the values of `unsigned char` and `unsigned short` fit int), and so does
    a bit-field narrower than int; int and unsigned int stay."""
    if t.kind in ("char", "short", "_Bool") or (t.kind == "int" and not t.unsigned):
        return S.INT
    if t.kind == "int" and 0 < t.width < bits:
        return S.INT
    return S.UINT if t.kind == "int" else t


def usual(a: S.CType, b: S.CType, bits: int) -> S.CType:
    """The usual arithmetic conversions of two integer types: unsigned int if either promoted
    operand is unsigned, else int (`long` being `int`, nothing is wider)."""
    return S.UINT if promoted(a, bits).unsigned or promoted(b, bits).unsigned else S.INT


class IntegerTypes(CheckerState):
    """The checker's integer types (a part of check_expr.ExprChecker)."""

    def folded(self, e: S.Expr) -> S.Expr:  # (ExprChecker's)
        raise NotImplementedError

    def integer_operation(
        self, op: str, left: S.Expr, right: S.Expr
    ) -> tuple[str, S.Expr, S.Expr, S.CType]:
        """`left op right` on integers as C types it: the operator (`u/`, `u%`, `u>>` where
        the unsigned answer may differ), the operands (biased for an unsigned comparison) and
        the result's type."""
        if op in ("&&", "||", "==", "!="):
            return op, left, right, S.INT
        if op in ("<<", ">>"):
            ctype = promoted(left.ctype, self.bits)
            if op == ">>" and ctype.unsigned and not self.below_half(left):
                op = "u>>"
            return op, left, right, ctype
        ctype = usual(left.ctype, right.ctype, self.bits)
        if op in COMPARISONS:
            if ctype.unsigned:
                bias = -(1 << (self.bits - 1))
                left, right = (
                    self.folded(S.Binary("+", e, S.Num(bias, loc=e.loc), loc=e.loc))
                    for e in (left, right)
                )
            return op, left, right, S.INT
        if op in ("/", "%") and ctype.unsigned:
            if not (self.below_half(left) and self.below_half(right)):
                op = "u" + op
        return op, left, right, ctype

    def compound_operation(self, op: str, target: S.Expr, value: S.Expr) -> str:
        """A compound assignment's operator (`/=`, ...), or its unsigned form (`u/=`) where
        the target's and the value's types make the operation unsigned."""
        if target.ctype.is_integer and value.ctype.is_integer:
            plain = S.COMPOUND[op]
            unsigned_op = self.integer_operation(plain, target, value)[0]
            if unsigned_op != plain:
                return unsigned_op + "="
        return op

    def below_half(self, e: S.Expr) -> bool:
        """Whether e is known to be below 2^(N-1) whatever its type says: a constant that is,
        and strlen's length (shorter than memory)."""
        if isinstance(e, S.Num):
            return e.value >= 0
        return isinstance(e, S.Call) and e.name == "strlen"

    def wraps(self, t: S.CType) -> int | None:
        """The width at which an object of type t wraps when stored to, as in gcc's build: 8
        for `signed char` and `unsigned char`, 16 for `short` and `unsigned short` (below
        the word's). None for the types that hold the whole word: the rest, and plain `char`,
        whose values here are a string's bytes, 0 to 255 (see the word model)."""
        width = WIDTHS.get(t.kind)
        if width is None or width >= self.bits:
            return None
        if t.kind == "char" and not (t.unsigned or "signed" in t.spelled.split()):
            return None
        return width

    def known_range(self, e: S.Expr) -> tuple[int, int] | None:
        """The least and greatest values e can have, where the tree tells them."""
        if isinstance(e, S.Num) and not e.ctype.is_wide:
            return e.value, e.value
        width = self.wraps(e.ctype)
        if width is not None:  # (every store into such an object wraps)
            if e.ctype.unsigned:
                return 0, (1 << width) - 1
            return -(1 << (width - 1)), (1 << (width - 1)) - 1
        if isinstance(e, S.Binary):
            if e.op in TRUTHS:
                return 0, 1
            if e.op == "&":
                masks = [x.value for x in (e.left, e.right) if isinstance(x, S.Num)]
                if masks and masks[0] >= 0:
                    return 0, masks[0]
        if isinstance(e, S.Unary) and e.op == "!":
            return 0, 1
        return None

    def narrowed(self, e: S.Expr) -> S.Expr:
        """A cast's value: to a char or short type, the bits that type has in gcc's build
        (`(unsigned char)x` is x & 255, `(char)200` is ((200 + 128) & 255) - 128 = -56), as
        C converts; objects of those types still hold a whole word."""
        to = e.ctype
        width = WIDTHS.get(to.kind)
        if width is None or width >= self.bits:
            return e
        e = self.wrapped(e, width, to.unsigned)
        e.ctype = to
        return e

    def stored(self, to: S.CType, e: S.Expr) -> S.Expr:
        """The value an object of type `to` holds once e is stored in it: for a _Bool 0 or 1
        (`e != 0`; an address is not 0), for a bit-field its width's bits and for a char or
        short type that wraps (`wraps`) its 8 or 16 (unsigned: modulo 2^w; signed: two's
        complement in w bits, as gcc's build wraps them), left as it is where it is known to
        fit (a constant, a value of a type that fits, a comparison's 0 or 1, `x & 15`); for
        any other type e itself."""
        if to.kind == "_Bool":
            if e.ctype.kind == "_Bool" or isinstance(e, S.Num) and e.value in (0, 1):
                return e
            if isinstance(e, S.Binary) and e.op in TRUTHS or isinstance(e, S.Unary) and e.op == "!":
                return e  # (already 0 or 1)
            if isinstance(e, S.AddrOf | S.Str | S.FuncAddr):
                return S.Num(1, loc=e.loc, ctype=to)
            return self.folded(S.Binary("!=", e, S.Num(0, loc=e.loc), loc=e.loc, ctype=to))
        width = to.width if 0 < to.width < self.bits else self.wraps(to)
        if width is None:
            return e
        low, high = (
            (0, (1 << width) - 1) if to.unsigned else (-(1 << (width - 1)), (1 << (width - 1)) - 1)
        )
        known = self.known_range(e)
        if known is not None and low <= known[0] and known[1] <= high:
            return e  # (it fits: nothing to convert)
        e = self.wrapped(e, width, to.unsigned)
        if to.width == 0:  # (a char or short: its range is known from here on)
            e.ctype = to
        return e

    def wrapped(self, e: S.Expr, width: int, unsigned: bool) -> S.Expr:
        """e's low `width` bits, read as unsigned (`e & (2^w - 1)`) or as two's complement
        (`((e + 2^(w-1)) & (2^w - 1)) - 2^(w-1)`)."""
        ctype = e.ctype
        half = 1 << (width - 1)
        if not unsigned:
            e = self.folded(S.Binary("+", e, S.Num(half, loc=e.loc), loc=e.loc, ctype=ctype))
        mask = S.Num((1 << width) - 1, loc=e.loc)
        e = self.folded(S.Binary("&", e, mask, loc=e.loc, ctype=ctype))
        if not unsigned:
            e = self.folded(S.Binary("-", e, S.Num(half, loc=e.loc), loc=e.loc, ctype=ctype))
        return e

    def integer_literal(self, node: c_ast.Constant, value: int, base: int, suffix: str) -> S.Num:
        """An integer constant with C's type for its value, base and suffix: int, then (hex,
        octal or a `u`) unsigned int, then long long (`long` being `int`), then (hex, octal or
        a `u`) unsigned long long; `ll` starts at long long. A long long's Num holds the
        value modulo 2^64."""
        unsigned_ok = base != 10 or "u" in suffix
        fits = [(S.INT, self.bits - 1), (S.UINT, self.bits), (S.LLONG, 63), (S.ULLONG, 64)]
        for ctype, width in fits:
            if "ll" in suffix and not ctype.is_wide:
                continue
            if "u" in suffix and not ctype.unsigned:
                continue
            if ctype.unsigned and not unsigned_ok:
                continue
            if value < 1 << width and ctype.is_wide and self.bits != 32:
                raise self.unsupported(
                    node, f"integer constant {node.value} (a long long: N = 32 only)"
                )
            if value < 1 << width:
                word = value - (1 << self.bits) if value >= 1 << (self.bits - 1) else value
                return S.Num(value if ctype.is_wide else word, loc=self.loc(node), ctype=ctype)
        raise self.error(node, f"integer constant {node.value} is too large for its type")
