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

    def member(self, node: c_ast.StructRef) -> S.Expr:
        """`r.name` or `p->name`: the word(s) at the member's offset from the record's address."""
        loc = self.loc(node)
        if node.type == "->":
            pointer = self.scalar(node.name)
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

    def address_of(self, value: S.Expr, node: c_ast.Node) -> S.Expr:
        """A pointer to the object a record-valued expression is."""
        if isinstance(value, S.VarRef):
            value.var.address_taken = True
            return S.AddrOf(value.var, loc=value.loc, ctype=value.ctype.address())
        if isinstance(value, S.Deref):
            return value.pointer
        raise self.unsupported(node, "a struct or union value that is not a variable or *p")

    def record_words(self, value: S.Expr, node: c_ast.Node) -> list[S.Expr]:
        """Each word of a record, read (or assigned) through the record's address; the address
        is computed once per word, so it must have no side effects."""
        pointer = self.address_of(value, node)
        if not pure(pointer):
            raise self.unsupported(node, "copying a struct or union reached through side effects")
        return [
            S.Deref(self.offset(clone(pointer), k, S.INT, value.loc), loc=value.loc, ctype=S.INT)
            for k in range(value.ctype.size)
        ]

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
        loc = self.loc(node)
        copies: list[S.Expr] = [
            S.Assign("=", t, v, loc=loc, ctype=S.INT)
            for t, v in zip(
                self.record_words(target, node), self.record_words(value, node), strict=True
            )
        ]
        if not copies:  # an empty struct
            copies = [S.Num(0, loc=loc)]
        return S.Comma(copies, loc=loc, ctype=S.VOID)


def pure(e: S.Expr) -> bool:
    """Whether evaluating e has no side effects and reads no changing pointer twice."""
    if isinstance(e, S.Num | S.VarRef | S.AddrOf | S.Str):
        return True
    if isinstance(e, S.Binary):
        return pure(e.left) and pure(e.right)
    if isinstance(e, S.Deref):
        return pure(e.pointer)
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
