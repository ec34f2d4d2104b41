"""Expressions to SUBLEQ: values into cells.

`value(e, dest)` emits code that leaves e's value in a cell and returns that cell (a variable's
own cell, a constant, or a temporary the caller releases); with `dest`, the value ends in
dest. Callers pass a dest only where e cannot observe it (`values.observes`), so operands are
always computed before dest is written.
"""

from __future__ import annotations

from . import syntax as S
from .asm import IO, Where, Z
from .gen import CodeGen
from .library import RT
from .routines import call
from .values import Val, has_call


class Expressions:
    """Values of expressions (a part of codegen.FunctionGen)."""

    # -- small helpers --------------------------------------------------------------------
    def const(self: CodeGen, value: int) -> Val:
        """A constant's cell, its value wrapped to N bits and known."""
        value = self.asm.wrap(value)
        return Val(self.asm.const(value), const=value)

    def hold(self: CodeGen, v: Val, *later: S.Expr) -> Val:
        """v, copied aside if evaluating `later` may call a function and overwrite it."""
        if v.volatile and any(has_call(e) for e in later):
            t = self.temp()
            self.asm.move(v.cell, t)
            return Val(t, temp=True)
        return v

    def deliver(self: CodeGen, v: Val, dest: str | None) -> Val:
        """v, or v moved into dest."""
        if dest is None or v.cell == dest:
            return v if dest is None else Val(dest)
        if v.const is not None:
            self.asm.set_const(v.const, dest)
        else:
            self.asm.move(v.cell, dest)
        self.release(v)
        return Val(dest)

    def target(self: CodeGen, dest: str | None) -> tuple[str, bool]:
        """Where to build a result: dest, or a new temporary."""
        return (dest, False) if dest is not None else (self.temp(), True)

    def result(self: CodeGen, cell: str, is_temp: bool) -> Val:
        """The value built in `cell` (a temporary if `is_temp`)."""
        return Val(cell, temp=is_temp)

    # -- values ---------------------------------------------------------------------------
    def value(self: CodeGen, e: S.Expr, dest: str | None = None) -> Val:
        """Code leaving e's value in a cell, or in `dest`; returns where it is."""
        if isinstance(e, S.Num):
            return self.deliver(self.const(e.value), dest)
        if isinstance(e, S.VarRef):
            if e.var.on_stack:
                return self.load(self.var_address_neg(e.var), dest)
            return self.deliver(Val(e.var.label), dest)
        if isinstance(e, S.Str | S.WideStr):
            return self.deliver(Val(self.asm.const(e.label)), dest)
        if isinstance(e, S.FuncAddr):
            address = self.program.unit.functions[e.name].address
            return self.deliver(Val(self.asm.const(address)), dest)
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
        if isinstance(e, S.StmtExpr):
            return self.statement_value(e, dest, used=True)
        raise TypeError(f"no code for {type(e).__name__}")

    def neg_value(self: CodeGen, e: S.Expr) -> Val:
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

    def discard(self: CodeGen, e: S.Expr) -> None:
        """Evaluate e for its effects only."""
        if isinstance(e, S.IncDec):
            if isinstance(e.target, S.VarRef) and e.target.var in self.squares:
                self.follow_square(e.op, e.target.var)
            self.incdec(e, None, used=False)
        elif isinstance(e, S.Assign):
            self.release(self.assign(e, None, used=False))
        elif isinstance(e, S.Comma):
            for sub in e.exprs:
                self.discard(sub)
        elif isinstance(e, S.Call):
            self.release(self.call(e, None, used=False))
        elif isinstance(e, S.StmtExpr):
            self.statement_value(e, None, used=False)
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

    def follow_square(self: CodeGen, op: str, var: S.Var) -> None:
        """The square of var kept by a loop (see `squares`), and step = -(2v + 1) with it, before
        var++ or var--: (v + 1)^2 = v^2 + 2v + 1, (v - 1)^2 = v^2 - 2v + 1."""
        asm = self.asm
        square, step = self.squares[var]
        if op == "++":
            asm.sub(step, square)
            asm.add_const(-2, step)
        else:
            asm.sub(var.label, square)
            asm.sub(var.label, square)
            asm.add_const(1, square)
            asm.add_const(2, step)

    def routine(
        self: CodeGen,
        name: str,
        args: list[Val],
        dest: str | None,
        result: int | None = 0,
        first: int = 0,
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

    def deliver_result(self: CodeGen, cell: str, dest: str | None) -> Val:
        """A function's return cell: read in place until the next call (see `hold`)."""
        if dest is None:
            return Val(cell, volatile=True)
        self.asm.move(cell, dest)
        return Val(dest)

    # -- output ---------------------------------------------------------------------------
    def put_bytes(self: CodeGen, data: bytes) -> None:
        """Output: an instruction per byte, or (text as data) a string printed by rt_puts."""
        program = self.program
        if program.trades("text_as_data") and len(data) >= 4 and 0 not in data:
            label = program.texts.setdefault(data, f"_text{len(program.texts) + 1}")
            self.routine("rt_puts", [Val(self.asm.const(label))], None, result=None)
            return
        for byte in data:
            self.asm.ins(self.asm.const(byte), IO)

    def where(self: CodeGen, loc: S.Loc, function: str) -> None:
        """Set the source place of what is emitted next: `loc`'s line in `function`."""
        self.asm.where = Where(loc.file or self.fn.file, loc.line, function)
