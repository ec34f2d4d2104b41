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
    """e and every expression inside it."""
    yield e
    for child in vars(e).values():
        if isinstance(child, S.Expr):
            yield from walk(child)
        elif isinstance(child, list):
            for item in child:
                if isinstance(item, S.Expr):
                    yield from walk(item)


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
