"""Statements to SUBLEQ: blocks, if, loops (tested at the bottom), switch, goto, declarations."""

from __future__ import annotations

from . import syntax as S
from .asm import Z
from .gen import CodeGen
from .squares import loop_squares
from .values import Val

SWITCH_LINEAR = 4  # a switch of at most this many cases compares them in turn


class Statements:
    """A function's statements (a part of codegen.FunctionGen)."""

    # -- statements -----------------------------------------------------------------------
    def stmt(self: CodeGen, s: S.Stmt) -> None:
        """The code for a statement; its line becomes the source place of what it emits."""
        asm = self.asm
        if not isinstance(s, S.Block):
            self.begin(s)
        if isinstance(s, S.Block):
            for item in s.items:
                self.stmt(item)
        elif isinstance(s, S.ExprStmt):
            self.discard(s.expr)
        elif isinstance(s, S.Declare):
            self.declare(s)
        elif isinstance(s, S.If):
            other, end = asm.fresh(), asm.fresh()
            self.cond(s.test, None, other if s.other else end)
            self.stmt(s.then)
            if s.other is not None:
                asm.jump(end)
                asm.label(other)
                self.stmt(s.other)
            asm.label(end)
        elif isinstance(s, (S.While, S.DoWhile, S.For)):
            self.loop(s)
        elif isinstance(s, S.Break):
            asm.jump(self.breaks[-1])
        elif isinstance(s, S.Continue):
            asm.jump(self.continues[-1])
        elif isinstance(s, S.Return):
            if s.value is not None:
                self.value(s.value, self.rv(self.fn.name))
            asm.jump(self.epilogue)
        elif isinstance(s, S.Switch):
            self.switch(s)
        elif isinstance(s, S.Labeled):
            asm.label(self.goto_label(s.name))
            self.stmt(s.body)
        elif isinstance(s, S.Goto):
            asm.jump(self.goto_label(s.name))
        else:
            raise TypeError(f"no code for {type(s).__name__}")

    def statement_value(self: CodeGen, e: S.StmtExpr, dest: str | None, used: bool) -> Val:
        """A statement expression: its statements, then (if `used` and not void) its last
        one's value, into dest or a temporary; a call among them saves what is live across
        that statement, and the statement around it is the one compiled again after."""
        outer, where = self.current, self.asm.where
        items = e.body.items
        valued = used and not e.ctype.is_void
        for item in items[:-1] if valued else items:
            self.stmt(item)
        result = Val(Z)
        if valued:
            last = items[-1]
            assert isinstance(last, S.ExprStmt)
            self.begin(last)
            out, is_temp = self.target(dest)
            self.value(last.expr, out)
            result = self.result(out, is_temp)
        self.current, self.asm.where = outer, where
        return result

    def goto_label(self: CodeGen, name: str) -> str:
        """The assembly label of the function's C label `name` (C's labels are per function)."""
        if name not in self.places:
            self.places[name] = self.asm.fresh("goto")
        return self.places[name]

    def loop(self: CodeGen, s: S.While | S.DoWhile | S.For) -> None:
        """Test at the bottom: one branch per iteration."""
        asm = self.asm
        body, test, step, end = asm.fresh(), asm.fresh(), asm.fresh(), asm.fresh()
        if isinstance(s, S.For) and s.init is not None:
            self.stmt(s.init)
        outside = dict(self.squares)
        if not isinstance(s, S.DoWhile):
            for var in loop_squares(s, self.program.recursive(self.fn.name)):
                square, odd = asm.cell(asm.fresh("sq")), asm.cell(asm.fresh("sq"))
                self.release(self.arith("*", Val(var.label), Val(var.label), square))
                asm.clear(odd)  # -(2v + 1)
                asm.sub(var.label, odd)
                asm.sub(var.label, odd)
                asm.add_const(-1, odd)
                self.squares[var] = (square, odd)
            asm.jump(test)
        asm.label(body)
        self.breaks.append(end)
        self.continues.append(step)
        self.stmt(s.body)
        self.breaks.pop()
        self.continues.pop()
        asm.label(step)
        self.begin(s)  # (the test and the step: the loop's own line)
        if isinstance(s, S.For) and s.step is not None:
            self.discard(s.step)
        asm.label(test)
        if s.test is None:
            asm.jump(body)
        else:
            self.cond(s.test, body, None)
        asm.label(end)
        self.squares = outside

    def switch(self: CodeGen, s: S.Switch) -> None:
        """The code for `switch`: the jump to its case (see `dispatch`), then the case bodies in
        order."""
        asm = self.asm
        v = self.value(s.value)
        end = asm.fresh()
        labels = [asm.fresh() for _ in s.cases]
        default = end
        valued = []
        for case, label in zip(s.cases, labels, strict=True):
            if case.value is None:
                default = label
            else:
                valued.append((asm.wrap(case.value), label))
        self.dispatch(v, sorted(valued, key=lambda case: case[0]), default)
        self.release(v)
        self.breaks.append(end)
        for case, label in zip(s.cases, labels, strict=True):
            asm.label(label)
            for item in case.body:
                self.stmt(item)
        self.breaks.pop()
        asm.label(end)

    def dispatch(self: CodeGen, v: Val, cases: list[tuple[int, str]], default: str) -> None:
        """Go to the label of the case whose value (cases: sorted, distinct) v equals, else to
        `default`: a comparison each for a few cases, a binary search over more (about log2 n
        comparisons of v, not n)."""
        asm = self.asm
        if len(cases) <= SWITCH_LINEAR:
            for value, label in cases:
                nxt = asm.fresh()
                self.equal(v, self.const(value), label, nxt)
                asm.label(nxt)
            asm.jump(default)
            return
        mid = len(cases) // 2
        lower, upper = asm.fresh(), asm.fresh()
        self.less(v, self.const(cases[mid][0]), lower, upper)
        asm.label(lower)
        self.dispatch(v, cases[:mid], default)
        asm.label(upper)
        self.dispatch(v, cases[mid:], default)

    def preset(self: CodeGen, s: S.Declare) -> bool:
        """Make a declaration's constant initial value the variable's data, if it has one."""
        var, init = s.var, s.init
        if var.on_stack or init is None:
            return False
        elements = init if isinstance(init, list) else [init]
        words = []
        for e in elements:
            if isinstance(e, S.Num):
                words.append(self.program.word(e.value))
            elif isinstance(e, S.Str | S.WideStr):
                words.append(e.label)
            elif isinstance(e, S.AddrOf) and not e.var.on_stack and e.var.storage == "global":
                words.append(e.var.label)
            else:
                return False
        self.initial[var] = words + ["0"] * (var.ctype.size - len(words))
        return True

    def declare(self: CodeGen, s: S.Declare) -> None:
        """The code for a local's initial value (an array's elements past the initializer are 0)."""
        var, init = s.var, s.init
        if init is None:
            return
        if isinstance(init, list):
            for i in range(var.ctype.size):
                element = init[i] if i < len(init) else S.Num(0, loc=s.loc)
                if var.on_stack:
                    neg = self.var_address_neg(var)
                    self.asm.add_const(-i, neg.cell)
                    v = self.value(element)
                    self.store(neg, v)
                    self.release(neg, v)
                else:
                    self.value(element, f"{var.label}+{i}" if i else var.label)
            return
        if var.on_stack:
            v = self.value(init)
            neg = self.var_address_neg(var)
            self.store(neg, v)
            self.release(neg, v)
        else:
            self.assign_var(var.label, None, init, var)
