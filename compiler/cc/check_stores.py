"""check, the objects whose every store converts: a `_Bool` (to 0 or 1), a bit-field (to its
width's bits) and a `signed char`, `unsigned char`, `short` or `unsigned short` (to gcc's 8 or
16 bits); see check_ints.stored.

A plain assignment converts its value; a compound assignment and `++`/`--` of such an object
become `t = stored(t op v)`, reading t again (through a temporary pointer where reaching t has
side effects, `a[i++].f += 2`), and the value of `t++` is t's before, kept in a temporary."""

from __future__ import annotations

from pycparser import c_ast

from . import syntax as S
from .check_records import clone, pure
from .check_wide import WideIntegers


class ConvertingStores(WideIntegers):
    """Compound assignments and `++`/`--` of a _Bool, a bit-field or a char or short type that
    wraps (see check_expr)."""

    def converts(self, ctype: S.CType) -> bool:
        """Whether a store to an object of this type converts the value (a _Bool, a bit-field
        narrower than the word, a char or short type that wraps)."""
        return ctype.kind == "_Bool" or 0 < ctype.width < self.bits or bool(self.wraps(ctype))

    def converting_update(self, op: str, target: S.Expr, value: S.Expr, node: c_ast.Node) -> S.Expr:
        """`target op= value` (op as integer_operation gives it: `u/=`, ...) as `target =
        stored(target op value)`; its value is what target holds after."""
        loc = self.loc(node)
        effects, target, again = self.twice(target, node)
        new = self.folded(S.Binary(S.COMPOUND[op], again, value, loc=loc, ctype=S.INT))
        store = S.Assign("=", target, self.stored(target.ctype, new), loc=loc, ctype=target.ctype)
        return S.Comma([*effects, store], loc=loc, ctype=target.ctype) if effects else store

    def converting_incdec(self, op: str, prefix: bool, target: S.Expr, node: c_ast.Node) -> S.Expr:
        """`++t`, `t--`, ...: t = stored(t ± 1) (a _Bool's `++` makes it 1, its `--` toggles
        it); a postfix one's value is t's before, kept in a temporary."""
        loc = self.loc(node)
        one = S.Num(1, loc=loc)
        effects, target, again = self.twice(target, node)
        if prefix:
            new = S.Binary(op[0], again, one, loc=loc, ctype=S.INT)
            store = S.Assign(
                "=", target, self.stored(target.ctype, new), loc=loc, ctype=target.ctype
            )
            return S.Comma([*effects, store], loc=loc, ctype=target.ctype) if effects else store
        old = self.scalar_temporary(S.INT, loc, "old")
        keep = S.Assign("=", old, again, loc=loc, ctype=S.INT)
        new = S.Binary(op[0], clone(old), one, loc=loc, ctype=S.INT)
        store = S.Assign("=", target, self.stored(target.ctype, new), loc=loc, ctype=target.ctype)
        return S.Comma([*effects, keep, store, clone(old)], loc=loc, ctype=target.ctype)

    def twice(self, target: S.Expr, node: c_ast.Node) -> tuple[list[S.Expr], S.Expr, S.Expr]:
        """What to evaluate first, then the target to store to and a copy of it to read: the
        target itself where reaching it has no side effects, else `*p` twice, p a temporary
        holding its address."""
        if pure(target):
            return [], target, clone(target)
        assert isinstance(target, S.Deref)  # (a variable is pure)
        loc = target.loc
        at = self.scalar_temporary(target.pointer.ctype, loc, "at")
        keep = S.Assign("=", at, target.pointer, loc=loc, ctype=at.ctype)
        first = S.Deref(at, loc=loc, ctype=target.ctype)
        return [keep], first, S.Deref(clone(at), loc=loc, ctype=target.ctype)

    def scalar_temporary(self, ctype: S.CType, loc: S.Loc, what: str) -> S.Expr:
        """A new one-word local of the current function (outside one, where only `sizeof` may
        hold such an expression, unevaluated: a cell no code reaches; a static initializer
        that holds one is refused as not constant)."""
        fn = self.function
        if fn is None:
            return S.VarRef(S.Var("", ctype, "local", None, loc, what), loc=loc, ctype=ctype)
        var = S.Var("", ctype, "local", fn.name, loc, self.label("t", fn.name, what))
        fn.locals.append(var)
        return S.VarRef(var, loc=loc, ctype=ctype)
