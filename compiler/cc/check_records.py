"""check, structs and unions as values: members as words at an offset from the record's address,
and a record's assignment as one assignment per word."""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

from pycparser import c_ast

from . import syntax as S
from .check_types import TypeChecker


class Records(TypeChecker):
    """Member access and record copies (see check_expr.ExprChecker, which adds the rest)."""

    def expr(self, node: c_ast.Node) -> S.Expr:  # (ExprChecker's)
        raise NotImplementedError

    def scalar(self, node: c_ast.Node) -> S.Expr:  # (ExprChecker's)
        raise NotImplementedError

    def rvalue(self, e: S.Expr) -> S.Expr:  # (ExprChecker's)
        raise NotImplementedError

    def made(self, e: S.Expr) -> S.Expr:  # (check_wide.Wide's)
        raise NotImplementedError

    def member(self, node: c_ast.StructRef) -> S.Expr:
        """`r.name` or `p->name`: the word(s) at the member's offset from the record's address."""
        loc = self.loc(node)
        if node.type == "->":
            pointer = self.rvalue(self.expr(node.name))
            if not pointer.ctype.is_pointer or not pointer.ctype.element().is_record:
                raise self.error(node, f"invalid type argument of '->' (have '{pointer.ctype}')")
            record = pointer.ctype.element()
        else:
            value = self.expr(node.name)
            if not value.ctype.is_record:
                raise self.error(
                    node, f"request for member '{node.field.name}' in something not a structure"
                )
            record = value.ctype
            pointer = self.address_of(value, node)
        assert record.record is not None
        if not record.record.complete:
            raise self.error(node, f"dereferencing pointer to incomplete type '{record}'")
        found = record.record.member(node.field.name)
        if found is None:
            raise self.error(node.field, f"'{record}' has no member named '{node.field.name}'")
        ctype = replace(found.ctype, const=True) if record.const else found.ctype
        return S.Deref(self.offset(pointer, found.offset, ctype, loc), loc=loc, ctype=ctype)

    def offset(self, pointer: S.Expr, words: int, to: S.CType, loc: S.Loc) -> S.Expr:
        """A pointer to a `to` that is `words` words past `pointer`."""
        if not words:
            return replace(pointer, ctype=S.pointer(to))
        return S.Binary("+", pointer, S.Num(words, loc=loc), loc=loc, ctype=S.pointer(to))

    def address_of(self, value: S.Expr, node: c_ast.Node | None) -> S.Expr:
        """A pointer to the object a record-valued expression is (a call's result: the
        caller's temporary it was returned in)."""
        if isinstance(value, S.VarRef):
            value.var.address_taken = True
            return S.AddrOf(value.var, loc=value.loc, ctype=value.ctype.address())
        if isinstance(value, S.Deref):
            return value.pointer
        if isinstance(value, S.Comma):  # (effects, then the value: a long long's assignment)
            last = value.exprs[-1]
            pointer = self.address_of(self.made(last) if last.ctype.is_wide else last, node)
            if isinstance(pointer, S.Comma):
                return S.Comma(
                    [*value.exprs[:-1], *pointer.exprs], loc=value.loc, ctype=pointer.ctype
                )
            return S.Comma([*value.exprs[:-1], pointer], loc=value.loc, ctype=pointer.ctype)
        raise self.unsupported(node, "a struct or union value that is not a variable or *p")

    def record_words(self, value: S.Expr, node: c_ast.Node | None) -> list[S.Expr]:
        """Each word of a record, read through the record's address; what must come first (a
        call returning the record, the address computed once) comes with the first word."""
        effects, words, _ = self.record_access(value, node)
        if effects and words:
            words[0] = S.Comma([*effects, words[0]], loc=value.loc, ctype=S.INT)
        elif effects:
            words = [S.Comma(effects, loc=value.loc, ctype=S.INT)]
        return words

    def record_access(
        self, value: S.Expr, node: c_ast.Node | None
    ) -> tuple[list[S.Expr], list[S.Expr], S.Expr]:
        """What to evaluate first, then each word of a record (an lvalue: `*(address + k)`),
        and its address (without side effects, once the first are evaluated).
        The address is used once per word, so one with side effects (`a[i++]`, `*p++`) is
        computed once, first, into a temporary of the function's."""
        pointer = self.address_of(value, node)
        effects: list[S.Expr] = []
        if isinstance(pointer, S.Comma):  # (a call, then its temporary's address)
            effects, pointer = pointer.exprs[:-1], pointer.exprs[-1]
        if not pure(pointer):
            fn = self.function
            if fn is None:
                raise self.error(node, "initializer element is not constant")
            label = self.label("t", fn.name, "at")
            temporary = S.Var("", pointer.ctype, "local", fn.name, value.loc, label)
            fn.locals.append(temporary)
            at = S.VarRef(temporary, loc=value.loc, ctype=pointer.ctype)
            effects = [*effects, S.Assign("=", at, pointer, loc=value.loc, ctype=pointer.ctype)]
            pointer = S.VarRef(temporary, loc=value.loc, ctype=pointer.ctype)
        words: list[S.Expr] = [
            S.Deref(self.offset(clone(pointer), k, S.INT, value.loc), loc=value.loc, ctype=S.INT)
            for k in range(value.ctype.size)
        ]
        return effects, words, pointer

    def record_assignment(self, node: c_ast.Assignment, target: S.Expr) -> S.Expr:
        """`a = b` of structs or unions: each word assigned in turn."""
        if node.op != "=":
            raise self.error(node, f"invalid operands to binary {node.op[:-1]} (a struct)")
        value = self.rvalue(self.expr(node.rvalue))
        if not value.ctype.is_record or value.ctype.record is not target.ctype.record:
            raise self.error(
                node,
                f"incompatible types when assigning to type '{target.ctype}' from type "
                f"'{value.ctype}'",
            )
        if read_only_member(target.ctype):  # (C: not a modifiable lvalue)
            if isinstance(target, S.VarRef):
                raise self.error(node, f"assignment of read-only variable '{target.var.name}'")
            raise self.error(node, "assignment of read-only location")
        return self.copy_record(target, value, node)

    def copy_record(self, target: S.Expr, value: S.Expr, node: c_ast.Node) -> S.Expr:
        """Each word of `value` assigned to the word of `target` it is in (the two addresses
        computed first, the value's then the target's); the value is the target, as an
        assignment's is (`a = b = c`)."""
        loc = self.loc(node)
        value_first, sources, _ = self.record_access(value, node)
        target_first, targets, at = self.record_access(target, node)
        copies: list[S.Expr] = [
            S.Assign("=", t, v, loc=loc, ctype=S.INT) for t, v in zip(targets, sources, strict=True)
        ]
        steps = [*value_first, *target_first, *copies, clone(at)]
        return S.Deref(S.Comma(steps, loc=loc, ctype=at.ctype), loc=loc, ctype=target.ctype)

    # -- records passed and returned by value ---------------------------------------------
    def by_value(self, fn: S.Function, scope: dict[str, object]) -> list[S.Stmt]:
        """Records passed by value arrive as a pointer to the caller's object and are copied,
        first thing, into a local of the parameter's name (the copies are returned); a
        record returned by value is written through a hidden first parameter, a pointer to
        where the caller wants it."""
        params: list[S.Var] = []
        copies: list[S.Stmt] = []
        if fn.returns.is_record:
            label = self.label("p", fn.name, "result")
            params.append(S.Var("", fn.returns.address(), "param", fn.name, fn.loc, label))
        for p in fn.params:
            if not p.ctype.is_record:
                params.append(p)
                continue
            pointer = S.Var("", p.ctype.address(), "param", fn.name, p.loc, p.label)
            local = S.Var(
                p.name, p.ctype, "local", fn.name, p.loc, self.label("v", fn.name, p.name)
            )
            local.readonly = p.readonly
            fn.locals.append(local)
            if p.name:
                scope[p.name] = local
            source = S.Deref(
                S.VarRef(pointer, loc=p.loc, ctype=pointer.ctype), loc=p.loc, ctype=p.ctype
            )
            copies.append(S.Declare(local, self.record_words(source, None), loc=p.loc))
            params.append(pointer)
        fn.params = params
        return copies

    def return_record(
        self, node: c_ast.Return, fn: S.Function, value: S.Expr | None = None
    ) -> S.Stmt:
        """`return r;` from a function returning a record: r (or `value`, r converted) copied
        to where the caller's pointer says, and that pointer returned."""
        loc = self.loc(node)
        if node.expr is None:
            raise self.error(node, f"'return' with no value in function returning {fn.returns}")
        value = value or self.rvalue(self.expr(node.expr))
        if not value.ctype.is_record or value.ctype.record is not fn.returns.record:
            raise self.error(node.expr, f"incompatible types when returning type '{value.ctype}'")
        result = fn.params[0]
        target = S.Deref(S.VarRef(result, loc=loc, ctype=result.ctype), loc=loc, ctype=fn.returns)
        copy = self.copy_record(target, value, node)
        answer = S.VarRef(result, loc=loc, ctype=result.ctype)
        return S.Block([S.ExprStmt(copy, loc=loc), S.Return(answer, loc=loc)], loc=loc)

    def record_call(self, call: S.Call, returns: S.CType) -> S.Expr:
        """A call of a function returning a record: the caller's temporary (a local of its
        own) is passed first, and the value is that temporary, once the call is made."""
        fn = self.function
        if fn is None:
            raise self.error_at(call, "initializer element is not constant")
        temporary = S.Var(
            "", returns, "local", fn.name, call.loc, self.label("t", fn.name, call.name)
        )
        temporary.address_taken = True
        fn.locals.append(temporary)
        address = S.AddrOf(temporary, loc=call.loc, ctype=returns.address())
        call.args.insert(0, address)
        call.ctype = returns.address()
        after = S.AddrOf(temporary, loc=call.loc, ctype=returns.address())
        pointer = S.Comma([call, after], loc=call.loc, ctype=returns.address())
        return S.Deref(pointer, loc=call.loc, ctype=returns)


def read_only_member(ctype: S.CType) -> bool:
    """Whether a record has a const member (in a member record too, or an array's element)."""
    while ctype.is_array:
        ctype = ctype.element()
    if not ctype.is_struct:
        return False
    assert ctype.record is not None
    return any(m.ctype.const or read_only_member(m.ctype) for m in ctype.record.members)


def pure(e: S.Expr) -> bool:
    """Whether evaluating e has no side effects and reads no changing pointer twice."""
    if isinstance(e, S.Num | S.VarRef | S.AddrOf | S.Str | S.WideStr):
        return True
    if isinstance(e, S.Binary):
        return pure(e.left) and pure(e.right)
    if isinstance(e, S.Deref):
        return pure(e.pointer)
    if isinstance(e, S.Unary):  # (-, ~ and !)
        return pure(e.operand)
    if isinstance(e, S.Call) and e.pointer is None and e.name == "__ll_low":  # (a long long's
        return all(pure(a) for a in e.args)  # low word: `b[k]` with k a long long)
    return False


def clone(e: S.Expr) -> S.Expr:
    """A copy of a pure expression's tree (its variables are the same variables), so that no
    node sits in the typed tree twice."""
    changes: dict[str, Any] = {
        f.name: clone(getattr(e, f.name))
        for f in fields(e)
        if isinstance(getattr(e, f.name), S.Expr)
    }
    return replace(e, **changes)
