"""Memory and assignment to SUBLEQ: reads and writes through pointers, =, op= and ++/--.

Memory through a pointer is read and written by instructions whose operand words are patched
with the address first (or, at the smaller trade-off levels, by rt_load and rt_store).
"""

from __future__ import annotations

from . import syntax as S
from .asm import Z
from .gen import CodeGen
from .routines import param
from .values import Val, observes


class Memory:
    """Memory through pointers and assignment (a part of codegen.FunctionGen)."""

    # -- memory through pointers ----------------------------------------------------------
    def pointer_parts(self: CodeGen, pointer: S.Expr, *later: S.Expr) -> list[Val]:
        """Values whose sum is the pointer (a + i: two, no addition needed)."""
        if isinstance(pointer, S.Binary) and pointer.op == "+":
            a = self.hold(self.value(pointer.left), pointer.right, *later)
            return [a, self.hold(self.value(pointer.right), *later)]
        return [self.hold(self.value(pointer), *later)]

    def address_neg(self: CodeGen, pointer: S.Expr) -> Val:
        """A temporary holding minus the address (patching an operand word from it: 2 steps)."""
        parts = self.pointer_parts(pointer)
        out = self.temp()
        self.asm.clear(out)
        for part in parts:
            self.asm.sub(part.cell, out)
        self.release(*parts)
        return Val(out, temp=True)

    def read(self: CodeGen, pointer: S.Expr, dest: str | None) -> Val:
        """*pointer."""
        if not self.program.trades("memory_routines"):
            return self.load(self.address_neg(pointer), dest)
        parts = self.pointer_parts(pointer)
        for part in parts:  # the argument, negated: minus the address
            self.asm.sub(part.cell, param("rt_load", 0))
        self.release(*parts)
        return self.routine("rt_load", [], dest)

    def write(self: CodeGen, pointer: S.Expr, value: S.Expr) -> Val:
        """*pointer = value; the value stored."""
        if not self.program.trades("memory_routines"):
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

    def patch(self: CodeGen, word: str, neg: Val) -> None:
        """Set an operand word to the address whose negation `neg` holds."""
        self.asm.clear(word)
        self.asm.sub(neg.cell, word)

    def load(self: CodeGen, neg: Val, dest: str | None) -> Val:
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

    def store(self: CodeGen, neg: Val, v: Val) -> None:
        """mem[address] = v (v is read before the word is cleared: the address may be v's own
        cell, as in `*p = g` with p == &g)."""
        asm = self.asm
        clear, put = asm.fresh("w"), asm.fresh("w")
        self.patch(clear, neg)
        self.patch(f"{clear}+1", neg)
        self.patch(f"{put}+1", neg)
        asm.ins(v.cell, Z)
        asm.ins("0", "0", fixed=True).labels.insert(0, clear)
        asm.ins(Z, "0", fixed=True).labels.insert(0, put)
        asm.ins(Z, Z)

    def update(self: CodeGen, neg: Val, op: str, v: Val) -> None:
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
    def direct_var(self: CodeGen, e: S.Expr) -> S.Var | None:
        """The variable an lvalue names directly (not on the stack, not through a pointer)."""
        if isinstance(e, S.VarRef) and not e.var.on_stack:
            return e.var
        return None

    def lvalue_neg(self: CodeGen, e: S.Expr) -> Val:
        """Minus the address an lvalue names (a variable or `*p`)."""
        if isinstance(e, S.VarRef):
            return self.var_address_neg(e.var)
        assert isinstance(e, S.Deref)
        return self.address_neg(e.pointer)

    def assign(self: CodeGen, e: S.Assign, dest: str | None, used: bool = True) -> Val:
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
            if used:
                return self.deliver(r, dest)
            self.release(r)
            return Val(Z)
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

    def assign_var(self: CodeGen, x: str, op: str | None, value: S.Expr, var: S.Var) -> None:
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

    def incdec(self: CodeGen, e: S.IncDec, dest: str | None, used: bool) -> Val:
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
