"""Which variables are live after each statement: what a recursive call must save.

A backward pass over the statements: each loop is iterated to its fixpoint, and the whole
body again until what is live at every label settles (a `goto` makes a cycle of its own).
Approximations are on the safe side: an expression statement reads every variable it names
(its assignment targets aside) and kills only the variables it assigns as a whole, and a
variable whose address is taken counts as read everywhere. A statement expression's
statements are gone over as statements, each with everything that the statement holding it
reads, and what is live after that, live after it.

What a call inside a statement must keep (`needed`) is finer than what is live before it: a
value the statement itself computes before the call and reads after it (`v = 1, w = f(n)`,
`(x = f(n)) + f(m)`) is live across the call although the statement assigns it, so only the
assignments made after the statement's last call count as kills there.
"""

from __future__ import annotations

from collections.abc import Iterator

from . import syntax as S
from .values import has_call, statement_expressions

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


def targets(node: object) -> set[S.Var]:
    """The variables an expression or statement assigns with `=` (the others' targets are
    among what `uses` finds)."""
    found: set[S.Var] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, S.Assign) and item.op == "=" and isinstance(item.target, S.VarRef):
            found.add(item.target.var)
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, S.Expr | S.Stmt | S.Case):
            stack.extend(
                v for v in vars(item).values() if isinstance(v, list | S.Expr | S.Stmt | S.Case)
            )
    return found


def _parts(e: S.Expr) -> list[S.Expr]:
    """A comma expression's operands in order, nested commas flattened."""
    if isinstance(e, S.Comma):
        return [part for sub in e.exprs for part in _parts(sub)]
    return [e]


def _kills(stmt: S.Stmt, after_calls: bool) -> set[S.Var]:
    """The variables a statement surely assigns as a whole (after its last call only, if
    `after_calls`): a declaration's variable, the targets of `x = ...` at the top of an
    expression statement's comma operands."""
    if isinstance(stmt, S.Declare):
        return {stmt.var}
    if not isinstance(stmt, S.ExprStmt):
        return set()
    parts = _parts(stmt.expr)
    if after_calls:  # from the last operand that calls: its own `x = ...` writes x after it
        calling = [i for i, e in enumerate(parts) if has_call(e)]
        parts = parts[calling[-1] :] if calling else parts
    return {
        e.target.var
        for e in parts
        if isinstance(e, S.Assign) and e.op == "=" and isinstance(e.target, S.VarRef)
    }


def _own(stmt: S.Stmt) -> list[S.Expr]:
    """The expressions a statement evaluates itself (not those of the statements inside it)."""
    if isinstance(stmt, S.ExprStmt):
        return [stmt.expr]
    if isinstance(stmt, S.Declare):
        return stmt.init if isinstance(stmt.init, list) else [stmt.init] if stmt.init else []
    own = [getattr(stmt, name, None) for name in ("test", "step", "value")]
    return [e for e in own if isinstance(e, S.Expr)]


def statements(stmt: S.Stmt) -> Iterator[S.Stmt]:
    """stmt and every statement inside it (those of its statement expressions too)."""
    yield stmt
    for child in vars(stmt).values():
        items = child if isinstance(child, list) else [child]
        for item in items:
            if isinstance(item, S.Stmt):
                yield from statements(item)
            elif isinstance(item, S.Case):
                for sub in item.body:
                    yield from statements(sub)
            elif isinstance(item, S.Expr):
                for inner in statement_expressions(item):
                    yield from statements(inner.body)


def defs(stmt: S.Stmt) -> set[S.Var]:
    """The variables a statement surely assigns as a whole."""
    return _kills(stmt, after_calls=False)


class Liveness:
    """live_after[id(statement)]: the variables some later read may still need."""

    def __init__(self, fn: S.Function) -> None:
        """Work out what is live after each statement of `fn`'s body."""
        self.live_after: dict[int, Live] = {}
        self.always = frozenset(v for v in fn.params + fn.locals if v.address_taken)
        self.at_label: dict[str, Live] = {}  # live where each label is
        self.open: list[int] = []  # the statements around the one being gone over
        self.exits: dict[int, Live] = {}  # live where a jump inside a statement goes
        assert fn.body is not None
        while True:  # what reaches a goto's label backwards only shows on the next pass
            before = dict(self.at_label)
            self.block(fn.body.items, frozenset(), None)
            if self.at_label == before:
                break

    def needed(self, stmt: S.Stmt) -> Live:
        """What a call inside `stmt` must keep: what the statement reads or assigns (an
        assigned value may be read later in it), what is live after it unless the statement
        assigns it after its last call, and what is live where a break, continue or goto in
        it goes."""
        after = self.live_after.get(id(stmt), frozenset())
        late = _kills(stmt, after_calls=True)
        mentioned = uses(stmt) | (targets(_own(stmt)) - late)
        jumps = self.exits.get(id(stmt), frozenset())
        return frozenset(mentioned) | (after - late) | jumps | self.always

    def block(self, items: list[S.Stmt], after: Live, loop: tuple[Live, Live] | None) -> Live:
        """Live before a list of statements, given live after the last."""
        for item in reversed(items):
            after = self.stmt(item, after, loop)
        return after

    def stmt(self, s: S.Stmt, after: Live, loop: tuple[Live, Live] | None) -> Live:
        """Live before s, given live after it; `loop` is (after the loop, at its continue)."""
        self.open.append(id(s))
        live = self.statement(s, after, loop)
        inner = [b for e in _own(s) for b in statement_expressions(e)]
        if inner:  # (what any point of s may need is live after each of their statements)
            outer = live | after | frozenset(uses(s))
            for expr in inner:
                live |= self.block(expr.body.items, outer, None)
        self.open.pop()
        if isinstance(s, S.Break | S.Continue | S.Goto):  # where it goes, for the statements
            for around in self.open:  # around it (see `needed`)
                self.exits[around] = self.exits.get(around, frozenset()) | live
        return live

    def statement(self, s: S.Stmt, after: Live, loop: tuple[Live, Live] | None) -> Live:
        """Live before s (see `stmt`)."""
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
        if isinstance(s, S.Goto):
            return self.at_label.get(s.name, frozenset())
        if isinstance(s, S.Labeled):
            live = self.stmt(s.body, after, loop) | self.at_label.get(s.name, frozenset())
            self.at_label[s.name] = live
            return live
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
