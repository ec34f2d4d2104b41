"""Conditions to SUBLEQ: branches, not 0 or 1.

`cond(e, yes, no)` goes to one of two labels (None: fall through). Comparisons are exact on
all N-bit values: SUBLEQ's one test is r <= 0 on a wrapped difference, so where a
subtraction could overflow, the operands' signs decide first.
"""

from __future__ import annotations

from . import syntax as S
from .asm import Z
from .gen import CodeGen
from .routines import call, param, result, ret
from .values import Val


class Conditions:
    """Branches on conditions (a part of codegen.FunctionGen)."""

    def boolean(self: CodeGen, e: S.Expr, dest: str | None) -> Val:
        """0 or 1 from a condition: cleared first, then 1 unless e is false. A call in e that
        may re-enter this function would overwrite dest (one of its cells) between the two,
        so then the result is built in a temporary, which calls save."""
        if dest is not None and self.reenters(e):
            return self.deliver(self.boolean(e, None), dest)
        out, is_temp = self.target(dest)  # dest is never read by e (see `observes`)
        no = self.asm.fresh()
        self.asm.clear(out)
        self.cond(e, None, no)
        self.asm.sub(self.asm.const(-1), out)
        self.asm.label(no)
        return self.result(out, is_temp)

    def cond(self: CodeGen, e: S.Expr, yes: str | None, no: str | None) -> None:
        """Go to `yes` if e is nonzero, else to `no` (None: fall through)."""
        asm = self.asm
        if isinstance(e, S.Num):
            asm.jump(yes if e.value else no)
            return
        if isinstance(e, S.Unary) and e.op == "!":
            self.cond(e.operand, no, yes)
            return
        if isinstance(e, S.Binary) and e.op in ("&&", "||"):
            end = asm.fresh()
            if e.op == "&&":
                self.cond(e.left, None, no or end)
            else:
                self.cond(e.left, yes or end, None)
            self.cond(e.right, yes, no)
            asm.label(end)
            return
        if isinstance(e, S.Comma):
            for sub in e.exprs[:-1]:
                self.discard(sub)
            self.cond(e.exprs[-1], yes, no)
            return
        if isinstance(e, S.Binary) and e.op in ("<", "<=", ">", ">=", "==", "!="):
            a = self.hold(self.value(e.left), e.right)
            b = self.value(e.right)
            end = asm.fresh()
            y, n = yes or end, no or end
            if e.op == "<":
                self.less(a, b, y, n)
            elif e.op == ">":
                self.less(b, a, y, n)
            elif e.op == "<=":
                self.less(b, a, n, y)
            elif e.op == ">=":
                self.less(a, b, n, y)
            elif e.op == "==":
                self.equal(a, b, y, n)
            else:
                self.equal(a, b, n, y)
            asm.label(end)
            self.release(a, b)
            return
        v = self.value(e)
        end = asm.fresh()
        asm.zero(v.cell, yes=no or end, no=yes or end)
        asm.label(end)
        self.release(v)

    def equal(self: CodeGen, a: Val, b: Val, yes: str, no: str) -> None:
        """Go to `yes` if a == b, else to `no`."""
        asm = self.asm
        if a.const is not None and b.const is None:
            a, b = b, a
        if b.const == 0:
            asm.zero(a.cell, yes=yes, no=no)
            return
        t = self.temp()
        le = asm.fresh()
        if b.const is not None:  # t = c - a
            asm.set_const(b.const, t)
            asm.ins(a.cell, t, le)
        else:  # t = a - b
            asm.move(a.cell, t)
            asm.ins(b.cell, t, le)
        asm.jump(no)
        asm.label(le)  # t <= 0: t + 1 <= 0 means below zero
        asm.ins(asm.const(-1), t, no)
        asm.jump(yes)
        self.release(Val(t, temp=True))

    def less(self: CodeGen, a: Val, b: Val, yes: str, no: str) -> None:
        """a < b, signed and exact: same signs subtract without overflow; else the signs decide."""
        asm = self.asm
        top = (1 << (self.bits - 1)) - 1
        t = self.temp()
        if a.const is not None and b.const is not None:
            asm.jump(yes if a.const < b.const else no)
        elif b.const is not None:
            c = b.const
            if c == -top - 1:
                asm.jump(no)
            elif c == 0:
                asm.sign(a.cell, neg=yes, nonneg=no)
            elif c > 0:
                asm.if_le0(a.cell, yes)  # a <= 0 < c
                asm.set_const(c, t)  # t = c - a; <= 0: a >= c
                asm.ins(a.cell, t, no)
                asm.jump(yes)
            else:
                negative = asm.fresh()
                asm.sign(a.cell, neg=negative, nonneg=no)
                asm.label(negative)
                asm.set_const(c, t)
                asm.ins(a.cell, t, no)
                asm.jump(yes)
        elif a.const is not None:
            c = a.const
            if c == top:
                asm.jump(no)
            elif c >= 0:
                asm.if_le0(b.cell, no)  # b <= 0 <= c
                asm.set_const(c + 1, t)  # t = c + 1 - b; <= 0: b > c
                asm.ins(b.cell, t, yes)
                asm.jump(no)
            elif c == -1:
                asm.sign(b.cell, neg=no, nonneg=yes)
            else:
                negative = asm.fresh()
                asm.sign(b.cell, neg=negative, nonneg=yes)
                asm.label(negative)
                asm.set_const(c + 1, t)
                asm.ins(b.cell, t, yes)
                asm.jump(no)
        elif self.program.trades("compare_routine"):  # 5 instructions instead of 17
            self.uses("rt_lt")
            asm.sub(a.cell, param("rt_lt", 0))
            asm.sub(b.cell, param("rt_lt", 1))
            call(asm, "rt_lt", ret("rt_lt"))
            asm.if_le0(result("rt_lt"), yes)
            asm.jump(no)
        else:
            self.less_cells(a.cell, b.cell, t, yes, no)
        self.release(Val(t, temp=True))

    def less_cells(self: CodeGen, x: str, y: str, t: str, yes: str, no: str) -> None:
        """Go to `yes` if x < y (signed), else to `no`, as `Asm.if_less` decides, with the
        cases of x <= 0 or y <= 0 after the function: both positive take one instruction
        each to see so, and then y - x (no overflow) decides."""
        asm = self.asm
        x_le, y_test, y_le, same = (asm.fresh() for _ in range(4))
        where = asm.where
        asm.ins(Z, x, x_le)
        asm.label(y_test)  # x >= 0
        asm.ins(Z, y, y_le)
        asm.label(same)
        asm.move(y, t)
        asm.ins(x, t, no)  # y - x <= 0
        asm.jump(yes)

        def stub() -> None:
            asm.where = where
            below_x, below_y = asm.fresh(), asm.fresh()
            asm.label(x_le)
            asm.ins(asm.const(-1), x, below_x)  # x + 1 <= 0: x < 0
            asm.ins(asm.const(1), x, y_test)  # x = 0: always jumps
            asm.label(below_x)
            asm.ins(asm.const(1), x)
            asm.sign(y, neg=same, nonneg=yes)  # x < 0 <= y
            asm.label(y_le)  # x >= 0 >= y
            asm.ins(asm.const(-1), y, below_y)
            asm.ins(asm.const(1), y, same)  # y = 0: always jumps
            asm.label(below_y)
            asm.ins(asm.const(1), y, no)  # y < 0 <= x: always jumps

        self.colds.append(stub)
