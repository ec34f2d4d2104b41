"""A loop's squares: `i * i` in the test of a `while` or `for` loop, for a local word i that
the loop changes only by statements `i++;` and `i--;` (or the step `i++`), is kept in a cell of
its own: i * i once before the loop, then (i + 1)^2 = i^2 + 2i + 1 and (i - 1)^2 = i^2 - 2i + 1
at each change (with -(2i + 1) in a second cell, `i++` adds to the square in one instruction and
to that cell in another), equal modulo 2^N to the product the test would compute. So
`t * t <= n` costs no multiplication per iteration.

Only where nothing else can change i or reach the loop's inside from elsewhere: i's address is
not taken, it is not on a stack (the function is not recursive, so the cell is its own), and the
loop holds no label a goto may enter by.
"""

from __future__ import annotations

from collections.abc import Iterator

from . import syntax as S
from .liveness import statements
from .values import walk


def squared(e: S.Expr) -> S.Var | None:
    """The variable e squares (`v * v`), if it is that."""
    if (
        isinstance(e, S.Binary)
        and e.op == "*"
        and isinstance(e.left, S.VarRef)
        and isinstance(e.right, S.VarRef)
        and e.left.var is e.right.var
    ):
        return e.left.var
    return None


def steps(e: S.Expr, var: S.Var) -> bool:
    """Whether e is `var++`, `++var`, `var--` or `--var`."""
    return isinstance(e, S.IncDec) and isinstance(e.target, S.VarRef) and e.target.var is var


def _expressions(stmt: S.Stmt) -> Iterator[S.Expr]:
    """The expressions a statement evaluates itself (not those of the statements inside it)."""
    if isinstance(stmt, S.ExprStmt):
        yield stmt.expr
    elif isinstance(stmt, S.Declare):
        init = stmt.init if isinstance(stmt.init, list) else [stmt.init] if stmt.init else []
        yield from init
    else:
        for name in ("test", "step", "value"):
            e = getattr(stmt, name, None)
            if isinstance(e, S.Expr):
                yield e


def loop_squares(loop: S.While | S.For, recursive: bool) -> list[S.Var]:
    """The variables whose squares the loop's test reads and whose cells can follow them."""
    if loop.test is None or recursive:
        return []
    wanted = {v for sub in walk(loop.test) if (v := squared(sub)) is not None}
    wanted = {
        v
        for v in wanted
        if v.storage in ("local", "param")
        and not v.address_taken
        and not v.on_stack
        and v.ctype.is_integer
        and not v.ctype.is_wide
    }
    inside = list(statements(loop.body))
    if not wanted or any(isinstance(s, S.Labeled) for s in inside):
        return []
    steps_ok = [loop.step] if isinstance(loop, S.For) and loop.step is not None else []
    steps_ok += [s.expr for s in inside if isinstance(s, S.ExprStmt)]
    exprs = [loop.test, *steps_ok, *(e for s in inside for e in _expressions(s))]
    changed = set()
    for e in exprs:
        for sub in walk(e):
            target = sub.target if isinstance(sub, (S.Assign, S.IncDec)) else None
            if isinstance(target, S.VarRef) and target.var in wanted:
                if not any(sub is ok and steps(ok, target.var) for ok in steps_ok):
                    changed.add(target.var)
    return sorted(wanted - changed, key=lambda v: v.label)
