"""Which variables are live after each statement: what a recursive call must save.

A backward pass over the structured statements (no goto, so loops are the only cycles; each
is iterated to its fixpoint). Approximations are on the safe side: an expression statement
reads every variable it names (its assignment targets aside) and kills only the variables it
assigns as a whole, and a variable whose address is taken counts as read everywhere.
"""

from __future__ import annotations

from . import syntax as S

Live = frozenset[S.Var]


def uses(node: object) -> set[S.Var]:
    """The variables an expression or statement reads."""
    found: set[S.Var] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, S.Assign) and item.op == "=" and isinstance(item.target, S.VarRef):
            stack.append(item.value)  # the target is written, not read
            continue
        if isinstance(item, S.VarRef | S.AddrOf):
            found.add(item.var)
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, S.Expr | S.Stmt | S.Case):
            stack.extend(
                v for v in vars(item).values() if isinstance(v, list | S.Expr | S.Stmt | S.Case)
            )
    return found


def defs(stmt: S.Stmt) -> set[S.Var]:
    """The variables a statement surely assigns as a whole."""
    if isinstance(stmt, S.Declare):
        return {stmt.var}
    if isinstance(stmt, S.ExprStmt):
        exprs = stmt.expr.exprs if isinstance(stmt.expr, S.Comma) else [stmt.expr]
        return {
            e.target.var
            for e in exprs
            if isinstance(e, S.Assign) and e.op == "=" and isinstance(e.target, S.VarRef)
        }
    return set()


class Liveness:
    """live_after[id(statement)]: the variables some later read may still need."""

    def __init__(self, fn: S.Function) -> None:
        """Work out what is live after each statement of `fn`'s body."""
        self.live_after: dict[int, Live] = {}
        self.always = frozenset(v for v in fn.params + fn.locals if v.address_taken)
        assert fn.body is not None
        self.block(fn.body.items, frozenset(), None)

    def needed(self, stmt: S.Stmt) -> Live:
        """What a call inside `stmt` must keep: what the statement reads, and what is live
        after it unless the statement assigns it."""
        after = self.live_after.get(id(stmt), frozenset())
        return frozenset(uses(stmt)) | (after - defs(stmt)) | self.always

    def block(self, items: list[S.Stmt], after: Live, loop: tuple[Live, Live] | None) -> Live:
        """Live before a list of statements, given live after the last."""
        for item in reversed(items):
            after = self.stmt(item, after, loop)
        return after

    def stmt(self, s: S.Stmt, after: Live, loop: tuple[Live, Live] | None) -> Live:
        """Live before s, given live after it; `loop` is (after the loop, at its continue)."""
        self.live_after[id(s)] = after | self.live_after.get(id(s), frozenset())
        after = self.live_after[id(s)]
        if isinstance(s, S.Block):
            return self.block(s.items, after, loop)
        if isinstance(s, S.If):
            then = self.stmt(s.then, after, loop)
            other = self.stmt(s.other, after, loop) if s.other is not None else after
            return frozenset(uses(s.test)) | then | other
        if isinstance(s, S.While | S.DoWhile | S.For):
            return self.loop(s, after, loop)
        if isinstance(s, S.Break):
            return loop[0] if loop else after
        if isinstance(s, S.Continue):
            return loop[1] if loop else after
        if isinstance(s, S.Return):
            return frozenset(uses(s.value)) if s.value is not None else frozenset()
        if isinstance(s, S.Switch):
            live = after
            for case in reversed(s.cases):  # a case falls through into the next
                live = self.block(case.body, live, (after, loop[1] if loop else after))
                self.live_after[id(case)] = live
            entries = [self.live_after[id(c)] for c in s.cases]
            if not any(c.value is None for c in s.cases):
                entries.append(after)
            return frozenset(uses(s.value)).union(*entries)
        return frozenset(uses(s)) | (after - defs(s))

    def loop(
        self, s: S.While | S.DoWhile | S.For, after: Live, outer: tuple[Live, Live] | None
    ) -> Live:
        """Live before a loop: its body is gone over until what is live at the test settles."""
        test = frozenset(uses(s.test)) if s.test is not None else frozenset()
        step = (
            frozenset(uses(s.step)) if isinstance(s, S.For) and s.step is not None else frozenset()
        )
        head = test | after  # live where the test is evaluated
        while True:
            at_continue = step | head
            body = self.stmt(s.body, at_continue, (after, at_continue))
            new_head = test | after | body if s.test is not None else body
            if new_head == head:
                break
            head = new_head
        entry = body if isinstance(s, S.DoWhile) else head
        if isinstance(s, S.For) and s.init is not None:
            return self.stmt(s.init, entry, outer)
        return entry
