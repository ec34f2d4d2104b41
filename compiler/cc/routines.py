"""Hand-written SUBLEQ routines: the calling convention they share, and helpers to write them.

SUBLEQ subtracts and branches on <= 0, so multiplication, division, shifts, bitwise operators
and number printing are routines (`arith`, `printing`), written for few steps per call: they
look at a word's bits from the top (the sign bit; a word doubles to bring the next bit up,
and the doubling's own branch tells that bit), and division takes a step per quotient bit. Only
the routines a program uses are linked (see `library.RT`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .asm import Asm, Z

NSP, STACK = "_nsp", "_stack"  # minus the stack pointer; the stack's first word


def param(name: str, i: int) -> str:
    """A routine's i-th parameter cell."""
    return f"{name}_a{i}"


def result(name: str, i: int = 0) -> str:
    """A routine's i-th result cell (division has two: quotient and remainder)."""
    return f"{name}_r{i}"


def ret(name: str) -> str:
    """The cell a caller leaves minus its return address in."""
    return f"{name}_R"


@dataclass(frozen=True)
class Routine:
    """A hand-written routine. Its cells follow from its name. Calls pass every argument
    negated (`x param`: one instruction, as the routine leaves its parameters at 0) and get
    every result negated (the caller's `d d; result d` turns it back)."""

    name: str
    params: int
    results: int  # the value; for division also the remainder
    needs: tuple[str, ...]
    body: Callable[[Asm, Routine], None]

    def param(self, i: int) -> str:
        """The routine's i-th parameter cell."""
        return param(self.name, i)

    def result(self, i: int = 0) -> str:
        """The routine's i-th result cell."""
        return result(self.name, i)

    @property
    def entry(self) -> str:
        """The label of the routine's first instruction."""
        return self.name

    @property
    def ret(self) -> str:
        """The cell a caller leaves minus its return address in."""
        return ret(self.name)

    @property
    def exit(self) -> str:
        """The label of the routine's return jump."""
        return f"{self.name}_exit"

    def scratch(self, what: str) -> str:
        """A cell of the routine's own, named after `what`."""
        return f"{self.name}_{what}"

    def emit(self, asm: Asm) -> None:
        """The routine's code and cells."""
        asm.label(self.entry)
        enter(asm, self.ret, self.exit)
        self.body(asm, self)
        asm.label(self.exit)
        asm.ins(Z, Z, "0", fixed=True)  # the return jump; `enter` sets its target
        asm.cell(self.ret)
        for i in range(self.params):
            asm.cell(self.param(i))
        for i in range(self.results):
            asm.cell(self.result(i))


def enter(asm: Asm, ret: str, exit_: str) -> None:
    """A callee's first instructions: the return address the caller left as -ret in `ret`
    becomes the target of the exit jump, and `ret` is 0 again for the next call."""
    target = f"{exit_}+2"
    asm.clear(target)
    asm.sub(ret, target)
    asm.clear(ret)


def call(asm: Asm, entry: str, ret: str) -> None:
    """Jump to a callee, leaving minus the return address in its `ret` cell (one instruction:
    -address <= 0, so it always jumps)."""
    back = asm.fresh("back")
    asm.ins(asm.const(back), ret, entry)
    asm.label(back)


def cells(asm: Asm, r: Routine, *names: str) -> list[str]:
    """Scratch cells of a routine, named after it."""
    cells = [r.scratch(n) for n in names]
    for c in cells:
        asm.cell(c)
    return cells


def count_down(asm: Asm, counter: str, done: str) -> None:
    """counter -= 1; go to `done` once it reaches 0."""
    asm.ins(asm.const(1), counter, done)


def take(asm: Asm, param: str, cell: str) -> None:
    """cell = the argument (param holds its negation), and param = 0 again."""
    asm.negate(param, cell)
    asm.clear(param)


def call_routine(asm: Asm, name: str, args: list[str]) -> None:
    """Call a routine by name from inside another (routines are never recursive)."""
    for i, arg in enumerate(args):
        asm.sub(arg, param(name, i))
    call(asm, name, ret(name))


def push_word(asm: Asm, cell: str) -> None:
    """mem[sp] = -cell; sp += 1 (three operand words patched with the stack pointer)."""
    clear, put = asm.fresh("w"), asm.fresh("w")
    for word in (clear, f"{clear}+1", f"{put}+1"):
        asm.clear(word)
        asm.sub(NSP, word)
    asm.ins("0", "0", fixed=True).labels.insert(0, clear)  # mem[sp] = 0
    asm.ins(cell, "0", fixed=True).labels.insert(0, put)  # mem[sp] = -cell
    asm.sub(asm.const(1), NSP)


def pop_word(asm: Asm, cell: str) -> None:
    """sp -= 1; cell = -mem[sp]."""
    asm.sub(asm.const(-1), NSP)
    word = asm.fresh("w")
    asm.clear(word)
    asm.sub(NSP, word)
    asm.clear(cell)
    asm.ins("0", cell, fixed=True).labels.insert(0, word)


def push(asm: Asm, r: Routine) -> None:
    """rt_push(x): x on the stack (its argument arrives negated, so x itself is stored)."""
    push_word(asm, r.param(0))
    asm.clear(r.param(0))


def pop(asm: Asm, r: Routine) -> None:
    """rt_pop() -> -x, x being the word on top of the stack."""
    pop_word(asm, r.result(0))


def load(asm: Asm, r: Routine) -> None:
    """rt_load(address) -> -mem[address] (its argument, negated, is minus the address)."""
    word = asm.fresh("w")
    asm.clear(word)
    asm.sub(r.param(0), word)
    asm.clear(r.result())
    asm.ins("0", r.result(), fixed=True).labels.insert(0, word)
    asm.clear(r.param(0))


def store(asm: Asm, r: Routine) -> None:
    """rt_store(address, value): mem[address] = value."""
    clear, put = asm.fresh("w"), asm.fresh("w")
    for word in (clear, f"{clear}+1", f"{put}+1"):
        asm.clear(word)
        asm.sub(r.param(0), word)
    asm.ins("0", "0", fixed=True).labels.insert(0, clear)
    asm.ins(r.param(1), "0", fixed=True).labels.insert(0, put)  # 0 - (-value)
    asm.clear(r.param(0))
    asm.clear(r.param(1))
