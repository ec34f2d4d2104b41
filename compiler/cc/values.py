"""Values during code generation: where a value is (`Val`), and what an expression may read."""

from __future__ import annotations

from dataclasses import dataclass

from . import syntax as S


@dataclass(frozen=True)
class Val:
    """Where a value is: a cell, whether it is a temporary to release, its value if constant,
    and whether it is a callee's return cell (valid only until the next call)."""

    cell: str
    temp: bool = False
    const: int | None = None
    volatile: bool = False


def walk(e: S.Expr):
    """e and every expression inside it (those of a statement expression's statements too)."""
    yield e
    for child in vars(e).values():
        yield from _inside(child)


def _inside(item: object):
    """The expressions in an expression, a statement, a case or a list of them."""
    if isinstance(item, S.Expr):
        yield from walk(item)
    elif isinstance(item, S.Stmt | S.Case):
        for child in vars(item).values():
            yield from _inside(child)
    elif isinstance(item, list):
        for sub in item:
            yield from _inside(sub)


def statement_expressions(e: S.Expr) -> list[S.StmtExpr]:
    """The statement expressions in e, not those inside their statements."""
    found: list[S.StmtExpr] = []
    todo = [e]
    while todo:
        item = todo.pop()
        if isinstance(item, S.StmtExpr):
            found.append(item)
            continue
        for child in vars(item).values():
            items = child if isinstance(child, list) else [child]
            todo.extend(sub for sub in items if isinstance(sub, S.Expr))
    return found


def observes(e: S.Expr, var: S.Var) -> bool:
    """Whether evaluating e may read var (so var cannot receive e's value before e is done)."""
    for sub in walk(e):
        if isinstance(sub, S.VarRef) and sub.var is var:
            return True
        if (var.address_taken or var.storage == "global") and isinstance(sub, (S.Call, S.Deref)):
            return True
    return False


def has_call(e: S.Expr) -> bool:
    """Whether evaluating e calls a function."""
    return any(isinstance(sub, S.Call) for sub in walk(e))


def has_effect(e: S.Expr) -> bool:
    """Whether evaluating e assigns something (`=`, a compound assignment, `++`, `--`)."""
    return any(isinstance(sub, (S.Assign, S.IncDec)) for sub in walk(e))
