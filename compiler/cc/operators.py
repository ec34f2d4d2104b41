"""The arithmetic and bitwise operators to SUBLEQ: inline where cheap, else run-time routines."""

from __future__ import annotations

from . import syntax as S
from .asm import Z
from .gen import CodeGen
from .squares import squared
from .values import Val, walk

LOGICAL = {"&": "&&", "|": "||", "^": "!="}
COMPARISONS = ("<", "<=", ">", ">=", "==", "!=", "&&", "||")
# what an operand that may be left unevaluated can hold: nothing that assigns, calls, reads
# memory through a pointer or divides (a fault)
HARMLESS = (S.Num, S.VarRef, S.Unary, S.Binary)


def truth(e: S.Expr) -> bool:
    """Whether e's value is 0 or 1: a comparison, && or ||, or !."""
    return (isinstance(e, S.Binary) and e.op in COMPARISONS) or (
        isinstance(e, S.Unary) and e.op == "!"
    )


def harmless(e: S.Expr) -> bool:
    """Whether evaluating e has no effect and cannot fault, so that skipping it changes
    nothing."""
    return all(
        isinstance(sub, HARMLESS) and getattr(sub, "op", "") not in ("/", "%", "u/", "u%")
        for sub in walk(e)
    )


class Operators:
    """Unary and binary operators (a part of codegen.FunctionGen)."""

    # -- operators ------------------------------------------------------------------------
    def unary(self: CodeGen, e: S.Unary, dest: str | None) -> Val:
        """The code for unary -, ~ and ! (~v is -v - 1)."""
        asm = self.asm
        if e.op == "!":
            return self.boolean(e, dest)
        v = self.value(e.operand)
        out, is_temp = self.target(dest)
        asm.negate(v.cell, out)  # -v; ~v is -v - 1
        if e.op == "~":
            asm.add_const(-1, out)
        self.release(v)
        return self.result(out, is_temp)

    def binary(self: CodeGen, e: S.Binary, dest: str | None) -> Val:
        """The code for an arithmetic or bitwise operator on two operands."""
        var = squared(e)
        if var is not None and var in self.squares:  # kept by the loop
            return self.deliver(Val(self.squares[var][0]), dest)
        if e.op in LOGICAL and truth(e.left) and truth(e.right) and harmless(e.right):
            # both 0 or 1: & is &&, | is ||, ^ is != (the right one may go unevaluated, as
            # it has no effect and cannot fault)
            logical = S.Binary(LOGICAL[e.op], e.left, e.right, loc=e.loc, ctype=e.ctype)
            return self.boolean(logical, dest)
        a = self.hold(self.value(e.left), e.right)
        b = self.value(e.right)
        r = self.arith(e.op, a, b, dest)
        self.release(*(v for v in (a, b) if v.cell != r.cell))
        return r

    def arith(self: CodeGen, op: str, a: Val, b: Val, dest: str | None) -> Val:
        """a op b for the arithmetic and bitwise operators. The caller releases a and b, unless
        the result is one of them (with no dest, a temporary operand may take the result)."""
        asm = self.asm
        if op in "+-" and dest is None and a.temp and a.cell != b.cell:
            if b.const is not None:
                asm.add_const(b.const if op == "+" else -b.const, a.cell)
            elif op == "+":
                asm.add(b.cell, a.cell)
            else:
                asm.sub(b.cell, a.cell)
            return a
        if op == "+":
            out, is_temp = self.target(dest)
            if b.const is not None:
                asm.move(a.cell, out)
                asm.add_const(b.const, out)
            else:
                asm.clear(out)
                asm.ins(a.cell, Z)
                asm.ins(b.cell, Z)
                asm.ins(Z, out)
                asm.ins(Z, Z)
            return self.result(out, is_temp)
        if op == "-":
            out, is_temp = self.target(dest)
            if a.const is not None:
                asm.set_const(a.const, out)
            else:
                asm.move(a.cell, out)
            asm.sub(b.cell, out)
            return self.result(out, is_temp)
        if op == "*":
            if b.const is None and a.const is not None:
                a, b = b, a
            if b.const is not None and self.cheap_multiplier(b.const):
                return self.mul_const(a, b.const, dest)
            return self.routine(self.arith_routine("rt_mul"), [a, b], dest)
        if op in ("/", "%"):
            if b.const is None:
                self.check_divisor(b.cell)
            elif b.const == 0:
                asm.jump(self.cold("division by zero"))
            elif self.power_of_two(abs(b.const)):
                return self.div_power_of_two(op, a, b.const, dest)
            divide = self.arith_routine("rt_div")
            return self.routine(divide, [a, b], dest, result=0 if op == "/" else 1)
        if op in ("u/", "u%"):
            if b.const is None:
                self.check_divisor(b.cell)
            elif b.const == 0:
                asm.jump(self.cold("division by zero"))
            elif self.power_of_two(b.const):  # a shift, or the low bits
                k = self.const(b.const.bit_length() - 1)
                return self.routine("rt_ushr" if op == "u/" else "rt_low", [a, k], dest)
            divide = self.arith_routine("rt_udiv")
            return self.routine(divide, [a, b], dest, result=0 if op == "u/" else 1)
        if op == "u>>":
            return self.routine("rt_ushr", [a, b], dest)
        if op in ("<<", ">>"):
            if op == "<<" and b.const is not None and 0 <= b.const < self.bits:
                out, is_temp = self.target(dest)
                asm.move(a.cell, out)
                for _ in range(b.const):
                    asm.double(out)
                return self.result(out, is_temp)
            return self.routine("rt_shl" if op == "<<" else "rt_shr", [a, b], dest)
        if op in ("&", "|", "^"):
            if a.const is not None and b.const is None:
                a, b = b, a
            if op == "&" and b.const is not None and self.run_of_ones(b.const) is not None:
                return self.and_run(a, b.const, dest)
            both = self.routine("rt_and", [a, b], None)
            if op == "&":
                return self.deliver(both, dest)
            out, is_temp = self.target(dest)  # a | b = a + b - (a & b); a ^ b = a + b - 2 (a & b)
            asm.clear(out)
            asm.ins(a.cell, Z)
            asm.ins(b.cell, Z)
            asm.ins(Z, out)
            asm.ins(Z, Z)
            asm.sub(both.cell, out)
            if op == "^":
                asm.sub(both.cell, out)
            self.release(both)
            return self.result(out, is_temp)
        raise ValueError(op)

    def check_divisor(self: CodeGen, cell: str) -> None:
        """A fault if the divisor is 0: one instruction here for a positive divisor, the rest
        (0 or negative?) after the function."""
        asm = self.asm
        fault, check, back, below = self.cold("division by zero"), *(asm.fresh() for _ in "123")
        where = asm.where
        asm.ins(Z, cell, check)
        asm.label(back)

        def stub() -> None:
            asm.where = where
            asm.label(check)
            asm.ins(asm.const(-1), cell, below)  # cell + 1 <= 0: it was negative
            asm.ins(asm.const(1), cell, fault)  # back to 0: always jumps
            asm.label(below)
            asm.ins(asm.const(1), cell, back)  # back to below 0: always jumps

        self.colds.append(stub)

    def arith_routine(self: CodeGen, name: str) -> str:
        """rt_mul, rt_div or rt_udiv, or (unless the level keeps arithmetic compact) its form
        with the unrolled fast paths, rt_fmul, rt_fdiv or rt_fudiv."""
        return name if self.program.trades("compact_arith") else "rt_f" + name[3:]

    def power_of_two(self: CodeGen, m: int) -> bool:
        """m is 2^c with 1 <= c <= N-2 (a divisor whose quotient is a shift)."""
        return 2 <= m < 1 << (self.bits - 1) and m & (m - 1) == 0

    def run_of_ones(self: CodeGen, mask: int) -> tuple[int, int | None] | None:
        """(lo, hi) when the mask's ones are the bits lo ... hi-1 (hi None: up to the top);
        else None."""
        if mask == 0 or mask == -1:
            return None
        lo = (mask & -mask).bit_length() - 1
        if mask < 0:
            return (lo, None) if (mask >> lo) == -1 else None
        hi = mask.bit_length()
        return (lo, hi) if mask == (1 << hi) - (1 << lo) and hi < self.bits else None

    def div_power_of_two(self: CodeGen, op: str, a: Val, c: int, dest: str | None) -> Val:
        """a / c or a % c for c = +-2^k. The quotient (a + (a < 0 ? 2^k - 1 : 0)) >> k
        truncates toward zero; the remainder has a's sign and |a|'s low k bits (|INT_MIN|
        is INT_MIN, whose low bits are those of 2^(N-1))."""
        asm = self.asm
        k = abs(c).bit_length() - 1
        t = self.temp()
        nonneg, done = asm.fresh(), asm.fresh()
        asm.move(a.cell, t)
        asm.sign(t, neg=None, nonneg=nonneg)
        if op == "%":
            asm.negate(a.cell, t)
        else:
            asm.add_const((1 << k) - 1, t)
        asm.label(nonneg)
        if op == "%":
            low = self.routine("rt_low", [Val(t, temp=True), self.const(k)], None)
            self.release(Val(t, temp=True))
            out, is_temp = self.target(dest)
            asm.move(low.cell, out)
            asm.sign(a.cell, neg=None, nonneg=done)
            asm.negate(low.cell, out)
            asm.label(done)
            self.release(low)
            return self.result(out, is_temp)
        q = self.routine("rt_shr", [Val(t, temp=True), self.const(k)], None)
        self.release(Val(t, temp=True))
        out, is_temp = self.target(dest)
        if c > 0:
            asm.move(q.cell, out)
        else:
            asm.negate(q.cell, out)
        self.release(q)
        return self.result(out, is_temp)

    def and_run(self: CodeGen, a: Val, mask: int, dest: str | None) -> Val:
        """a & mask for a mask whose ones are one run, bits lo ... hi-1 (hi None: to the top):
        the low hi bits of a less its low lo bits."""
        asm = self.asm
        run = self.run_of_ones(mask)
        assert run is not None  # (the caller checked)
        lo, hi = run
        out, is_temp = self.target(dest)
        low = self.routine("rt_low", [a, self.const(hi)], None) if hi is not None else None
        below = self.routine("rt_low", [a, self.const(lo)], None) if lo else None
        if low is not None:
            asm.move(low.cell, out)
        else:
            asm.move(a.cell, out)
        if below is not None:
            asm.sub(below.cell, out)
        self.release(*(v for v in (low, below) if v is not None))
        return self.result(out, is_temp)

    def cheap_multiplier(self: CodeGen, c: int) -> bool:
        """Multiplying by c with doublings and adds beats calling rt_mul."""
        m = abs(c)
        return m < 1 << (self.bits - 1) and m.bit_length() + m.bit_count() <= 14

    def mul_const(self: CodeGen, a: Val, c: int, dest: str | None) -> Val:
        """a * c by doublings and adds along c's bits (negated for c < 0)."""
        asm = self.asm
        out, is_temp = self.target(dest)
        m = abs(c)
        if m == 0:
            asm.clear(out)
            return self.result(out, is_temp)
        build = out if c > 0 else self.temp()
        asm.move(a.cell, build)
        for bit in bin(m)[3:]:
            asm.double(build)
            if bit == "1":
                asm.add(a.cell, build)
        if c < 0:
            asm.negate(build, out)
            self.release(Val(build, temp=True))
        return self.result(out, is_temp)
