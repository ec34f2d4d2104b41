"""Expressions to SUBLEQ: values into cells.

`value(e, dest)` emits code that leaves e's value in a cell and returns that cell (a variable's
own cell, a constant, or a temporary the caller releases); with `dest`, the value ends in
dest. Callers pass a dest only where e cannot observe it (`values.observes`), so operands are
always computed before dest is written. Memory through a pointer is read and written by
instructions whose operand words are patched with the address first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import syntax as S
from .asm import IO, Where, Z
from .conditions import Conditions
from .library import RT
from .routines import call, param
from .values import Val, has_call, observes

if TYPE_CHECKING:
    from .codegen import Program


class Expressions(Conditions):
    """The expression half of a function's code generator (see codegen.FunctionGen)."""

    # provided by FunctionGen
    program: Program

    def temp(self) -> str:
        """A temporary cell (see FunctionGen.temp)."""

    def release(self, *vals: Val) -> None:
        """Free the temporaries among `vals`."""

    def call(self, e: S.Call, dest: str | None) -> Val:
        """The code for a call (see FunctionGen.call)."""

    def cold(self, note: str) -> str:
        """A label for a fault stub (see FunctionGen.cold)."""

    def var_address_neg(self, var: S.Var) -> Val:
        """Minus a variable's address (see FunctionGen.var_address_neg)."""

    # -- small helpers --------------------------------------------------------------------
    def const(self, value: int) -> Val:
        """A constant's cell, its value wrapped to N bits and known."""
        value = self.asm.wrap(value)
        return Val(self.asm.const(value), const=value)

    def hold(self, v: Val, *later: S.Expr) -> Val:
        """v, copied aside if evaluating `later` may call a function and overwrite it."""
        if v.volatile and any(has_call(e) for e in later):
            t = self.temp()
            self.asm.move(v.cell, t)
            return Val(t, temp=True)
        return v

    def deliver(self, v: Val, dest: str | None) -> Val:
        """v, or v moved into dest."""
        if dest is None or v.cell == dest:
            return v if dest is None else Val(dest)
        if v.const is not None:
            self.asm.set_const(v.const, dest)
        else:
            self.asm.move(v.cell, dest)
        self.release(v)
        return Val(dest)

    def target(self, dest: str | None) -> tuple[str, bool]:
        """Where to build a result: dest, or a new temporary."""
        return (dest, False) if dest is not None else (self.temp(), True)

    def result(self, cell: str, is_temp: bool) -> Val:
        """The value built in `cell` (a temporary if `is_temp`)."""
        return Val(cell, temp=is_temp)

    # -- values ---------------------------------------------------------------------------
    def value(self, e: S.Expr, dest: str | None = None) -> Val:
        """Code leaving e's value in a cell, or in `dest`; returns where it is."""
        if isinstance(e, S.Num):
            return self.deliver(self.const(e.value), dest)
        if isinstance(e, S.VarRef):
            if e.var.on_stack:
                return self.load(self.var_address_neg(e.var), dest)
            return self.deliver(Val(e.var.label), dest)
        if isinstance(e, S.Str):
            return self.deliver(Val(self.asm.const(e.label)), dest)
        if isinstance(e, S.AddrOf):
            if e.var.on_stack:
                neg = self.var_address_neg(e.var)
                out, is_temp = self.target(dest)
                self.asm.negate(neg.cell, out)
                self.release(neg)
                return self.result(out, is_temp)
            return self.deliver(Val(self.asm.const(e.var.label)), dest)
        if isinstance(e, S.Deref):
            return self.read(e.pointer, dest)
        if isinstance(e, S.Unary):
            return self.unary(e, dest)
        if isinstance(e, S.Binary):
            if e.op in ("<", "<=", ">", ">=", "==", "!=", "&&", "||"):
                return self.boolean(e, dest)
            return self.binary(e, dest)
        if isinstance(e, S.Assign):
            return self.assign(e, dest)
        if isinstance(e, S.IncDec):
            return self.incdec(e, dest, used=True)
        if isinstance(e, S.Cond):
            out, is_temp = self.target(dest)
            other, end = self.asm.fresh(), self.asm.fresh()
            self.cond(e.test, None, other)
            self.value(e.then, out)
            self.asm.jump(end)
            self.asm.label(other)
            self.value(e.other, out)
            self.asm.label(end)
            return self.result(out, is_temp)
        if isinstance(e, S.Comma):
            for sub in e.exprs[:-1]:
                self.discard(sub)
            return self.value(e.exprs[-1], dest)
        if isinstance(e, S.Call):
            return self.call(e, dest)
        raise TypeError(f"no code for {type(e).__name__}")

    def neg_value(self, e: S.Expr) -> Val:
        """A new temporary holding -e (a sum or a difference with a constant costs no copy)."""
        asm = self.asm
        if isinstance(e, S.Binary) and e.op == "+":
            a = self.hold(self.value(e.left), e.right)
            b = self.value(e.right)
            out = self.temp()
            asm.clear(out)
            asm.sub(a.cell, out)
            asm.sub(b.cell, out)
            self.release(a, b)
        elif isinstance(e, S.Binary) and e.op == "-" and isinstance(e.right, S.Num):
            a = self.value(e.left)
            out = self.temp()
            asm.negate(a.cell, out)
            asm.add_const(e.right.value, out)
            self.release(a)
        else:
            v = self.value(e)
            out = self.temp()
            asm.negate(v.cell, out)
            self.release(v)
        return Val(out, temp=True)

    def discard(self, e: S.Expr) -> None:
        """Evaluate e for its effects only."""
        if isinstance(e, S.IncDec):
            self.incdec(e, None, used=False)
        elif isinstance(e, S.Assign):
            self.release(self.assign(e, None, used=False))
        elif isinstance(e, S.Comma):
            for sub in e.exprs:
                self.discard(sub)
        elif isinstance(e, S.Call):
            self.release(self.call(e, None, used=False))
        elif isinstance(e, S.Cond):
            other, end = self.asm.fresh(), self.asm.fresh()
            self.cond(e.test, None, other)
            self.discard(e.then)
            self.asm.jump(end)
            self.asm.label(other)
            self.discard(e.other)
            self.asm.label(end)
        else:
            self.release(self.value(e))

    # -- memory through pointers ----------------------------------------------------------
    def pointer_parts(self, pointer: S.Expr, *later: S.Expr) -> list[Val]:
        """Values whose sum is the pointer (a + i: two, no addition needed)."""
        if isinstance(pointer, S.Binary) and pointer.op == "+":
            a = self.hold(self.value(pointer.left), pointer.right, *later)
            return [a, self.hold(self.value(pointer.right), *later)]
        return [self.hold(self.value(pointer), *later)]

    def address_neg(self, pointer: S.Expr) -> Val:
        """A temporary holding minus the address (patching an operand word from it: 2 steps)."""
        parts = self.pointer_parts(pointer)
        out = self.temp()
        self.asm.clear(out)
        for part in parts:
            self.asm.sub(part.cell, out)
        self.release(*parts)
        return Val(out, temp=True)

    def read(self, pointer: S.Expr, dest: str | None) -> Val:
        """*pointer."""
        if not self.program.tradeoffs.memory_routines:
            return self.load(self.address_neg(pointer), dest)
        parts = self.pointer_parts(pointer)
        for part in parts:  # the argument, negated: minus the address
            self.asm.sub(part.cell, param("rt_load", 0))
        self.release(*parts)
        return self.routine("rt_load", [], dest)

    def write(self, pointer: S.Expr, value: S.Expr) -> Val:
        """*pointer = value; the value stored."""
        if not self.program.tradeoffs.memory_routines:
            neg = self.address_neg(pointer)
            v = self.value(value)
            self.store(neg, v)
            self.release(neg)
            return v
        parts = self.pointer_parts(pointer, value)
        v = self.value(value)
        for part in parts:
            self.asm.sub(part.cell, param("rt_store", 0))
        self.release(*parts)
        self.routine("rt_store", [v], None, result=None, first=1)
        return v

    def patch(self, word: str, neg: Val) -> None:
        """Set an operand word to the address whose negation `neg` holds."""
        self.asm.clear(word)
        self.asm.sub(neg.cell, word)

    def load(self, neg: Val, dest: str | None) -> Val:
        """mem[address], read by an instruction patched from `neg`; into dest or a temporary."""
        asm = self.asm
        word = asm.fresh("w")
        self.patch(word, neg)
        self.release(neg)
        out, is_temp = self.target(dest)
        asm.clear(out)
        asm.ins("0", Z, fixed=True).labels.insert(0, word)  # Z = -mem[address]
        asm.ins(Z, out)
        asm.ins(Z, Z)
        return self.result(out, is_temp)

    def store(self, neg: Val, v: Val) -> None:
        """mem[address] = v."""
        asm = self.asm
        clear, put = asm.fresh("w"), asm.fresh("w")
        self.patch(clear, neg)
        self.patch(f"{clear}+1", neg)
        self.patch(f"{put}+1", neg)
        asm.ins("0", "0", fixed=True).labels.insert(0, clear)
        asm.ins(v.cell, Z)
        asm.ins(Z, "0", fixed=True).labels.insert(0, put)
        asm.ins(Z, Z)

    def update(self, neg: Val, op: str, v: Val) -> None:
        """mem[address] += v or -= v in place."""
        asm = self.asm
        word = asm.fresh("w")
        self.patch(f"{word}+1", neg)
        if op == "-":
            asm.ins(v.cell, "0", fixed=True).labels.insert(0, word)
        else:
            asm.ins(v.cell, Z)
            asm.ins(Z, "0", fixed=True).labels.insert(0, word)
            asm.ins(Z, Z)

    # -- assignment -----------------------------------------------------------------------
    def direct_var(self, e: S.Expr) -> S.Var | None:
        """The variable an lvalue names directly (not on the stack, not through a pointer)."""
        if isinstance(e, S.VarRef) and not e.var.on_stack:
            return e.var
        return None

    def lvalue_neg(self, e: S.Expr) -> Val:
        """Minus the address an lvalue names (a variable or `*p`)."""
        if isinstance(e, S.VarRef):
            return self.var_address_neg(e.var)
        assert isinstance(e, S.Deref)
        return self.address_neg(e.pointer)

    def assign(self, e: S.Assign, dest: str | None, used: bool = True) -> Val:
        """The assignment's effect; its value (the value stored) if `used`."""
        var = self.direct_var(e.target)
        op, value = S.COMPOUND.get(e.op), e.value
        if var is not None and op is None and isinstance(value, S.Binary) and value.op in "+-":
            left, right = value.left, value.right  # x = x + y, x = x - y, x = y + x: in place
            if isinstance(left, S.VarRef) and left.var is var and not observes(right, var):
                op, value = value.op, right
            elif (
                value.op == "+"
                and isinstance(right, S.VarRef)
                and right.var is var
                and not observes(left, var)
            ):
                op, value = "+", left
        if var is not None:
            self.assign_var(var.label, op, value, var)
            return self.deliver(Val(var.label), dest) if used else Val(var.label)
        if op is None and isinstance(e.target, S.Deref):
            r = self.write(e.target.pointer, value)
            return self.deliver(r, dest) if used else (self.release(r) or Val(Z))
        neg = self.lvalue_neg(e.target)
        v = self.value(value)
        if op is None:
            self.store(neg, v)
            r = v
        elif op in "+-" and not used:
            self.update(neg, op, v)
            self.release(v)
            r = Val(Z)
        else:
            old = self.load(Val(neg.cell), None)
            r = self.arith(op, old, v, None)
            self.release(*(x for x in (old, v) if x.cell != r.cell))
            self.store(neg, r)
        self.release(neg)
        if used:
            return self.deliver(r, dest)
        self.release(r)
        return Val(Z)

    def assign_var(self, x: str, op: str | None, value: S.Expr, var: S.Var) -> None:
        """x = value, or x op= value, for a variable's own cell."""
        asm = self.asm
        if op is None and not observes(value, var):
            self.value(value, x)
            return
        v = self.value(value)
        if op is None:
            asm.move(v.cell, x)
        elif op in "+-" and v.const is not None:
            asm.add_const(v.const if op == "+" else -v.const, x)
        elif op == "+":
            asm.add(v.cell, x)
        elif op == "-":
            asm.sub(v.cell, x)
        else:
            r = self.arith(op, Val(x), v, None)
            asm.move(r.cell, x)
            self.release(r)  # (a fresh result: x is not a temporary)
        self.release(v)

    def incdec(self, e: S.IncDec, dest: str | None, used: bool) -> Val:
        """The code for ++ and --, prefix or postfix; the value too if `used`."""
        asm = self.asm
        step = 1 if e.op == "++" else -1
        var = self.direct_var(e.target)
        if var is not None:
            x = var.label
            if not used or e.prefix:
                asm.add_const(step, x)
                return self.deliver(Val(x), dest) if used else Val(x)
            out, is_temp = self.target(dest)
            asm.move(x, out)
            asm.add_const(step, x)
            return self.result(out, is_temp)
        neg = self.lvalue_neg(e.target)
        old = None
        if used and not e.prefix:
            old = self.load(Val(neg.cell), dest)
        self.update(neg, "+", self.const(step))
        if used and e.prefix:
            old = self.load(Val(neg.cell), dest)
        self.release(neg)
        return old if old is not None else Val(Z)

    # -- operators ------------------------------------------------------------------------
    def unary(self, e: S.Unary, dest: str | None) -> Val:
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

    def binary(self, e: S.Binary, dest: str | None) -> Val:
        """The code for an arithmetic or bitwise operator on two operands."""
        a = self.hold(self.value(e.left), e.right)
        b = self.value(e.right)
        r = self.arith(e.op, a, b, dest)
        self.release(*(v for v in (a, b) if v.cell != r.cell))
        return r

    def arith(self, op: str, a: Val, b: Val, dest: str | None) -> Val:
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
            return self.routine("rt_mul", [a, b], dest)
        if op in ("/", "%"):
            if b.const is None:
                asm.zero(b.cell, yes=self.cold("division by zero"), no=None)
            elif b.const == 0:
                asm.jump(self.cold("division by zero"))
            elif self.power_of_two(abs(b.const)):
                return self.div_power_of_two(op, a, b.const, dest)
            return self.routine("rt_div", [a, b], dest, result=0 if op == "/" else 1)
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

    def power_of_two(self, m: int) -> bool:
        """m is 2^c with 1 <= c <= N-2 (a divisor whose quotient is a shift)."""
        return 2 <= m < 1 << (self.bits - 1) and m & (m - 1) == 0

    def run_of_ones(self, mask: int) -> tuple[int, int | None] | None:
        """(lo, hi) when the mask's ones are the bits lo ... hi-1 (hi None: up to the top);
        else None."""
        if mask == 0 or mask == -1:
            return None
        lo = (mask & -mask).bit_length() - 1
        if mask < 0:
            return (lo, None) if (mask >> lo) == -1 else None
        hi = mask.bit_length()
        return (lo, hi) if mask == (1 << hi) - (1 << lo) and hi < self.bits else None

    def div_power_of_two(self, op: str, a: Val, c: int, dest: str | None) -> Val:
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

    def and_run(self, a: Val, mask: int, dest: str | None) -> Val:
        """a & mask for a mask whose ones are one run, bits lo ... hi-1 (hi None: to the top):
        the low hi bits of a less its low lo bits."""
        asm = self.asm
        lo, hi = self.run_of_ones(mask)
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

    def cheap_multiplier(self, c: int) -> bool:
        """Multiplying by c with doublings and adds beats calling rt_mul."""
        m = abs(c)
        return m < 1 << (self.bits - 1) and m.bit_length() + m.bit_count() <= 14

    def mul_const(self, a: Val, c: int, dest: str | None) -> Val:
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

    def routine(
        self, name: str, args: list[Val], dest: str | None, result: int | None = 0, first: int = 0
    ) -> Val:
        """Call a run-time routine with arguments from its parameter `first` on (those before
        are set already); its result number `result` (None: nothing)."""
        r = RT[name]
        self.uses(name)
        for i, arg in enumerate(args, first):
            self.asm.sub(arg.cell, r.param(i))  # routines take their arguments negated
        call(self.asm, r.entry, r.ret)
        if result is None:
            return Val(Z)
        out, is_temp = self.target(dest)
        self.asm.negate(r.result(result), out)  # and give their results negated
        return self.result(out, is_temp)

    def uses(self, name: str) -> None:
        """Link the run-time routine `name` into the program."""

    def deliver_result(self, cell: str, dest: str | None) -> Val:
        """A function's return cell: read in place until the next call (see `hold`)."""
        if dest is None:
            return Val(cell, volatile=True)
        self.asm.move(cell, dest)
        return Val(dest)

    # -- output ---------------------------------------------------------------------------
    def put_bytes(self, data: bytes) -> None:
        """Output: an instruction per byte, or (text as data) a string printed by rt_puts."""
        program = self.program
        if program.tradeoffs.text_as_data and len(data) >= 4 and 0 not in data:
            label = program.texts.setdefault(data, f"_text{len(program.texts) + 1}")
            self.routine("rt_puts", [Val(self.asm.const(label))], None, result=None)
            return
        for byte in data:
            self.asm.ins(self.asm.const(byte), IO)

    def where(self, loc: S.Loc, function: str) -> None:
        """Set the source place of what is emitted next: `loc`'s line in `function`."""
        self.asm.where = Where(loc.file or self.fn.file, loc.line, function)
