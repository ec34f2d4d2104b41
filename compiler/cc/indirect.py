"""Calls through function pointers: a pointer to a function is the address of a second entry
of its own, which takes the arguments and the return address from cells every such call
shares, and the function leaves its value in another shared cell as it returns.

A call through a pointer writes its arguments (negated) into `_call_a0`, `_call_a1`, ...,
leaves minus its return address in `_call_R` and jumps to the pointer (its own jump's target,
patched with the pointer's value). The second entry sets the function's return jump from
`_call_R`, moves the arguments into the parameters' cells and goes on into the body. Nothing
runs between the caller writing the shared cells and the entry reading them, so a call
through a pointer that re-enters the caller needs only what a direct call saves: what the
call may reach is every function whose address is taken with as many parameters
(`CodeUnit.targets`), and the call graph holds those edges.
"""

from __future__ import annotations

from . import syntax as S
from .asm import Z
from .codeunit import CodeUnit
from .gen import CodeGen
from .routines import enter
from .values import Val, has_call, has_effect

CALL_RETURN, CALL_VALUE = "_call_R", "_call_v"


def call_argument(i: int) -> str:
    """The shared cell a call through a pointer leaves minus its i-th argument in."""
    return f"_call_a{i}"


def emit_call_cells(program: CodeUnit) -> None:
    """The shared cells of calls through pointers (when some function's address is taken or
    some call goes through a pointer): an argument cell for each parameter of a function that
    may be called so and for each named argument of a call, as many as the most of either (a
    pointer from a `void *` may be of a type with more parameters than any function has, or
    null and never called)."""
    functions = program.unit.functions.values()
    counts = [count for fn in functions for count, _ in fn.pointer_calls]
    if not program.pointed and not counts:
        return
    asm = program.asm
    asm.cell(CALL_RETURN)
    asm.cell(CALL_VALUE)
    for i in range(max([len(fn.params) for fn in program.pointed] + counts)):
        asm.cell(call_argument(i))


class IndirectCalls:
    """Calls through pointers and the entry they arrive at (a part of codegen.FunctionGen)."""

    def pointer_entry(self: CodeGen, body: str) -> None:
        """The function's entry for calls through a pointer (labelled with its address): the
        return jump and the parameters from the shared cells, then on to `body`."""
        asm, fn = self.asm, self.fn
        asm.label(fn.address)
        enter(asm, CALL_RETURN, self.exit_of(fn.name))
        for i, p in enumerate(fn.params):
            asm.negate(call_argument(i), p.label)
            asm.clear(call_argument(i))
        asm.jump(body)

    def call_pointer(self: CodeGen, e: S.Call, dest: str | None, used: bool) -> Val:
        """Call through `e.pointer`, saving what a function it may reach could clobber."""
        asm, program = self.asm, self.program
        assert e.pointer is not None
        ftype = e.pointer.ctype.element()
        named = len(ftype.params or ()) if ftype.variadic else len(e.args)
        callees = [program.unit.functions[name] for name in program.callees(e)]
        saving = any(program.reaches(fn.name, self.fn.name) for fn in callees)
        saved = self.saved_cells(list(self.live)) if saving else []
        if saving and ftype.variadic:
            blocks = [cell for fn in callees for cell in self.va_blocks(fn)]
            saved += list(dict.fromkeys(blocks))
        if ftype.variadic or any(has_call(x) or has_effect(x) for x in [e.pointer, *e.args]):
            # in order and aside, before the save (as for a direct call)
            target = self.neg_value(e.pointer)
            vals = [self.aside(arg) for arg in e.args]
            if saving:
                self.push(saved)
        else:
            if saving:
                self.push(saved)
            target = self.neg_value(e.pointer)
            vals = [self.value(arg) for arg in e.args]
        # the unnamed arguments go to the block of each variadic function with as many named
        # parameters it may reach (one reached through a `void *` of another shape would be
        # called as C leaves undefined: it is given none, and no block gets words past its end)
        blocks = [
            fn.va_block.label
            for fn in callees
            if fn.va_block is not None and fn.variadic and len(fn.params) == named
        ]
        for i, v in enumerate(vals):
            if i < named:
                asm.sub(v.cell, call_argument(i))
            for block in blocks if i >= named else ():
                asm.move(v.cell, f"{block}+{i - named}")
            self.release(v)
        jump, back = asm.fresh("via"), asm.fresh("back")
        asm.clear(f"{jump}+2")
        asm.sub(target.cell, f"{jump}+2")
        self.release(target)
        asm.ins(asm.const(back), CALL_RETURN, "0", fixed=True).labels.insert(0, jump)
        asm.label(back)
        if saving:
            self.pop(saved)
        if e.ctype.is_void or not used:
            return Val(Z)
        return self.deliver_result(CALL_VALUE, dest)

    def aside(self: CodeGen, arg: S.Expr) -> Val:
        """arg's value in a temporary of its own (later arguments may change its cells)."""
        out = self.temp()
        self.value(arg, out)
        return Val(out, temp=True)
