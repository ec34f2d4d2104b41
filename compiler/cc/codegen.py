"""codegen: the typed tree to SUBLEQ, function by function, with the calling convention.

Calling convention. Every function has its parameters, locals, temporaries and return value
in cells of its own (static frames), so reading a variable costs nothing. A call copies the
arguments into the callee's parameter cells, writes the return address into the callee's
exit instruction (`Z Z ret`) and jumps; a variadic function's unnamed arguments go to the
words of a block of its own (`Function.va_block`), which `va_arg` reads. Recursion: when
the callee can reach the caller again, the caller pushes the cells it still needs (its
variables, live temporaries and its own return address, and the blocks of variadic functions
its va_lists may read) on a stack before the call and pops them after; functions that are
never re-entered never touch the stack. Arguments that call or assign are computed before the
push, so what is pushed (and popped) already holds their effects; a value a statement builds
in one of its own cells while such a call runs is built in a temporary, which is pushed.
A call through a function pointer passes its arguments and return address through shared
cells instead, to an entry of the callee's own (see `indirect`), and saves the same way.
A recursive function's arrays and variables whose address is taken live in a stack frame,
so every activation has its own. The stack grows upward from the end of the program to the
end of memory; overflowing it, like dividing by zero, stops the machine with a fault at the
instruction of the C line that did it.
"""

from __future__ import annotations

from collections.abc import Callable

from . import syntax as S
from .asm import Asm, Data, Where, Z
from .codeunit import ARGS, ARGS_WORDS, EXIT_WORD, CodeUnit
from .conditions import Conditions
from .errors import CError
from .expressions import Expressions
from .indirect import CALL_VALUE, IndirectCalls, emit_call_cells
from .library import LIBRARY, RT
from .liveness import Liveness, statements
from .memory import Memory
from .operators import Operators
from .routines import NSP, STACK, call, enter, param, pop_word, push_word, result, ret
from .statements import Statements
from .values import Val, has_call, has_effect, observes, walk

RUNTIME = "<runtime>"  # where the hand-written routines come from, in source maps


def generate(program: CodeUnit) -> Asm:
    """The program's code, not yet optimised: main, the functions it reaches, the routines
    they use, the data."""
    unit = program.unit
    main = unit.functions.get("main")
    if main is None or main.body is None:
        raise CError.at(unit.file, 1, 1, "no function 'main'")

    def place(name: str) -> tuple[int, int]:  # by line, then as defined (not as a set iterates)
        fn = unit.functions.get(name)
        return (fn.loc.line, program.numbers[name]) if fn is not None else (0, 0)

    for pointed in unit.functions.values():
        if pointed.address and pointed.body is None:
            raise program.error(pointed.loc, f"undefined reference to '{pointed.name}'")
    order = ["main"] + sorted(program.linked() - {"main"}, key=place)
    for name in order:
        fn = unit.functions.get(name)
        if fn is not None and fn.body is not None:
            program.plan_frame(fn)
            FunctionGen(program, fn).emit()
    emit_routines(program)
    emit_data(program)
    return program.asm


def emit_routines(program: CodeUnit) -> None:
    """Emit the run-time routines used, and the routines they need."""
    done: set[str] = set()
    todo = sorted(program.routines)
    while todo:
        name = todo.pop()
        if name in done:
            continue
        done.add(name)
        program.asm.where = Where(RUNTIME, 0, name)
        RT[name].emit(program.asm)
        todo.extend(RT[name].needs)


def emit_data(program: CodeUnit) -> None:
    """Emit the data: Z, globals, string literals, printf's texts and arguments, the stack."""
    asm = program.asm
    asm.where = None
    asm.cell(Z)
    for var in program.unit.globals:
        asm.cell(var.label, [program.word(w) for w in var.init or [0]], f"{var.name}")
    for s in program.unit.strings:
        if isinstance(s, S.WideStr):
            shown = "".join(
                chr(p) if 32 <= p < 127 and chr(p) not in '"\\' else f"\\x{p & 0xFFFFFFFF:x}"
                for p in s.points
            )
            asm.cell(s.label, [program.word(p) for p in s.points] + ["0"], f'L"{shown}"')
            continue
        text = s.data.decode("latin-1").encode("unicode_escape").decode("ascii").replace('"', '\\"')
        asm.cell(s.label, [str(b) for b in s.data] + ["0"], f'"{text}"')
    for data, label in program.texts.items():
        asm.cell(label, [str(b) for b in data] + ["0"], repr(data.decode("latin-1")))
    if program.printf_words:
        asm.cell(program.printf_args.label, ["0"] * program.printf_words)
    emit_call_cells(program)
    if program.unit.functions["main"].params:
        asm.cell(ARGS, ["0"] * ARGS_WORDS, "argc, argv[], NULL, the strings: the loader's")
    if program.stack_used:
        asm.cell(NSP, [f"(-{STACK})"], "minus the stack pointer")
        asm.data.append(Data([], [STACK], "the stack: from here to the end of memory"))


class FunctionGen(Statements, Expressions, Memory, Operators, Conditions, IndirectCalls):
    """One function's code: the function itself, its temporaries, stack and calls here; its
    statements, expressions, memory, operators and branches in the parts (see gen.CodeGen)."""

    def __init__(self, program: CodeUnit, fn: S.Function) -> None:
        """A code generator for `fn` within `program`."""
        self.program, self.fn, self.asm, self.bits = program, fn, program.asm, program.bits
        self.free: list[str] = []
        self.live: list[str] = []
        self.temps: list[str] = []
        self.breaks: list[str] = []
        self.continues: list[str] = []
        self.places: dict[str, str] = {}
        self.squares: dict[S.Var, tuple[str, str]] = {}
        self.colds: list[Callable[[], None]] = []
        self.current: S.Stmt | None = None  # the statement being compiled
        self.liveness = Liveness(fn) if program.recursive(fn.name) else None
        self.initial: dict[S.Var, list[str]] = {}  # variables whose initial value is data
        self.epilogue = self.asm.fresh("ret")
        self.frame = program.frames.get(fn.name, 0)

    # -- labels of a function's cells (see syntax.label) -----------------------------------
    def entry(self, name: str) -> str:
        """The label of a function's first instruction."""
        return S.label(f"f{self.program.numbers[name]}", name)

    def exit_of(self, name: str) -> str:
        """The label of a function's return jump, whose target each call sets."""
        return S.label(f"f{self.program.numbers[name]}x", name, "exit")

    def rv(self, name: str) -> str:
        """The cell a function returns its value in (main's is the exit word)."""
        if name == "main":
            return EXIT_WORD
        return S.label(f"f{self.program.numbers[name]}v", name, "value")

    def ret(self, name: str) -> str:
        """The cell a caller leaves minus its return address in."""
        return S.label(f"f{self.program.numbers[name]}r", name, "return")

    @property
    def fp(self) -> str:
        """The cell holding this function's frame pointer."""
        return S.label(f"f{self.program.numbers[self.fn.name]}p", self.fn.name, "frame")

    def begin(self, s: S.Stmt) -> None:
        """`s` is compiled next: its line is the source place of what is emitted, and what
        is live across it is what a call in it saves."""
        self.where(s.loc, self.fn.name)
        self.current = s

    # -- temporaries ----------------------------------------------------------------------
    def temp(self) -> str:
        """A temporary cell (a released one again if there is one), live until released."""
        if self.free:
            name = self.free.pop()
        else:
            name = S.label(f"f{self.program.numbers[self.fn.name]}t{len(self.temps)}", self.fn.name)
            self.temps.append(name)
        self.live.append(name)
        return name

    def release(self, *vals: Val) -> None:
        """Free the temporaries among `vals`."""
        for v in vals:
            if v.temp:
                self.live.remove(v.cell)
                self.free.append(v.cell)

    def cold(self, note: str) -> str:
        """A label for a fault stub placed after the function (this C line, this reason)."""
        label, where = self.asm.fresh("fault"), self.asm.where

        def stub() -> None:
            self.asm.where = where
            self.asm.label(label)
            self.asm.fault(note)

        self.colds.append(stub)
        return label

    def uses(self, name: str) -> None:
        """Link the run-time routine `name` into the program."""
        self.program.routines.add(name)

    # -- the function ---------------------------------------------------------------------
    def emit(self) -> None:
        """The function's code: entry, frame, body, the return jump, fault stubs, then its cells."""
        asm, fn = self.asm, self.fn
        asm.where = Where(fn.file, fn.loc.line, fn.name)
        body = asm.fresh("body")
        if fn.address and fn.name != "main":  # (main's comes after its code: the run starts here)
            self.pointer_entry(body)
        if fn.name == "main" and fn.params:  # once, before main's entry (a call of main skips it)
            argc, argv = fn.params
            asm.move(ARGS, argc.label)
            self.initial[argv] = [f"{ARGS}+1"]
        asm.label(self.entry(fn.name))
        # called by name, or main through a pointer: the run's own entry then sets its return
        called = fn.name in self.program.called or (fn.name == "main" and bool(fn.address))
        if called:
            enter(asm, self.ret(fn.name), self.exit_of(fn.name))
        asm.label(body)
        if self.frame:
            self.program.stack_used = True
            asm.clear(self.fp)
            asm.sub(NSP, self.fp)  # fp = sp
            self.stack_check(self.frame)
            asm.sub(asm.const(self.frame), NSP)
            for p in fn.params:
                if p.on_stack:
                    self.store(self.var_address_neg(p), Val(p.label))
        assert fn.body is not None
        once = fn.name == "main" and not self.program.recursive("main")
        once = once and not any(isinstance(s, S.Labeled) for s in statements(fn.body))
        for item in fn.body.items:  # main's own declarations run once (no goto goes back before
            # them): their values are data
            if not (once and isinstance(item, S.Declare) and self.preset(item)):
                self.stmt(item)
        if fn.name == "main" and called:  # falling off main returns 0 (a nested main's value
            asm.clear(self.rv(fn.name))  # may be in the cell)
        asm.label(self.epilogue)
        if self.frame:
            asm.clear(NSP)
            asm.sub(self.fp, NSP)
        if fn.address and not fn.returns.is_void:  # where a call through a pointer reads it
            asm.move(self.rv(fn.name), CALL_VALUE)
        asm.where = Where(fn.file, fn.loc.line, fn.name)
        asm.ins(
            Z, Z, "(-1)" if fn.name == "main" and not called else "0", fixed=True
        ).labels.insert(0, self.exit_of(fn.name))
        if fn.address and fn.name == "main":
            self.pointer_entry(body)
        for stub in self.colds:
            stub()
        asm.where = None
        for var in fn.params + fn.locals:
            if not var.on_stack or var.storage == "param":  # (arguments arrive in a cell)
                words = self.initial.get(var, ["0"] * var.ctype.size)
                asm.cell(var.label, words, var.name)
        for t in self.temps:
            asm.cell(t)
        if not fn.returns.is_void or fn.name == "main":
            asm.cell(self.rv(fn.name))
        if self.frame:
            asm.cell(self.fp)
        if called:  # main starts with 1 here: its return goes to -1, which halts
            asm.cell(self.ret(fn.name), ["1" if fn.name == "main" else "0"])

    # -- the stack ------------------------------------------------------------------------
    def stack_check(self, words: int) -> None:
        """Fault unless `words` more fit below the end of memory: sp + words <= end."""
        asm, end = self.asm, self.program.stack_end
        over, under = asm.fresh("k"), asm.fresh("k")
        asm.cell(over, [self.program.word(words - end - 1)])
        asm.cell(under, [self.program.word(end + 1 - words)])
        asm.ins(over, NSP, self.cold_stack(under))  # nsp - (words - end - 1) <= 0: overflow
        asm.sub(under, NSP)

    def cold_stack(self, under: str) -> str:
        """A label for a stack-overflow fault stub after the function (the check undone first)."""
        label, where = self.asm.fresh("fault"), self.asm.where

        def stub() -> None:
            self.asm.where = where
            self.asm.label(label)
            self.asm.sub(under, NSP)
            self.asm.fault("stack overflow")

        self.colds.append(stub)
        return label

    def push(self, cells: list[str]) -> None:
        """Save `cells` on the stack once they are known to fit, inline or through rt_push."""
        asm = self.asm
        self.program.stack_used = True
        self.stack_check(len(cells))
        for cell in cells:
            if self.program.trades("shared_saves"):  # 2 instructions here instead of 9
                self.uses("rt_push")
                asm.sub(cell, param("rt_push", 0))
                call(asm, "rt_push", ret("rt_push"))
            else:
                push_word(asm, cell)  # the stack holds -cell

    def pop(self, cells: list[str]) -> None:
        """Restore `cells` from the stack, in the reverse order of `push`."""
        asm = self.asm
        for cell in reversed(cells):
            if self.program.trades("shared_saves"):
                self.uses("rt_pop")
                call(asm, "rt_pop", ret("rt_pop"))
                asm.negate(result("rt_pop"), cell)
            else:
                pop_word(asm, cell)

    def saved_cells(self, live: list[str]) -> list[str]:
        """What this function still needs after a call that may re-enter it: its return
        address, the live temporaries, and the variables live across the current statement."""
        fn = self.fn
        assert self.liveness is not None and self.current is not None
        needed = self.liveness.needed(self.current)
        cells = [v.label for v in fn.params + fn.locals if not v.on_stack and v in needed]
        if self.frame:
            cells.append(self.fp)
        return cells + [f"{self.exit_of(fn.name)}+2"] + live

    def va_blocks(self, callee: S.Function) -> list[str]:
        """The unnamed arguments a call of `callee` may overwrite while a va_list here may still
        read them: the blocks of the variadic functions it reaches that are this one or may
        have called it (and passed their va_list down)."""
        here = self.fn.name
        return [
            f"{f.va_block.label}+{i}"
            for f in self.program.unit.functions.values()
            if f.va_block is not None
            and self.program.reaches(callee.name, f.name)
            and (f is self.fn or self.program.reaches(f.name, here))
            for i in range(f.va_block.ctype.size)
        ]

    def var_address_neg(self, var: S.Var) -> Val:
        """Minus a variable's address: fp + offset for a stack slot."""
        if not var.on_stack:
            return Val(self.asm.const(f"(-{var.label})"))
        out = self.temp()
        self.asm.clear(out)
        self.asm.sub(self.fp, out)
        self.asm.add_const(-var.offset, out)
        return Val(out, temp=True)

    # -- calls ----------------------------------------------------------------------------
    def reenters(self, e: S.Expr) -> bool:
        """Whether evaluating e may call a function that can re-enter this one, which then
        overwrites this function's cells (those the caller does not save: a destination)."""
        calls = (sub for sub in walk(e) if isinstance(sub, S.Call))
        program = self.program
        return any(
            program.reaches(name, self.fn.name) for call in calls for name in program.callees(call)
        )

    def call(self, e: S.Call, dest: str | None, used: bool = True) -> Val:
        """The code for a call: a built-in's own code, or a call of a function defined here."""
        if e.pointer is not None:
            return self.call_pointer(e, dest, used)
        builtin = LIBRARY.get(e.name)
        if builtin is not None and builtin.emit is not None:
            return builtin.emit(self, e, dest, used)
        fn = self.program.unit.functions.get(e.name)
        if fn is None or fn.body is None:
            raise self.program.error(e.loc, f"undefined reference to '{e.name}'")
        return self.call_function(fn, e.args, dest, used)

    def call_function(
        self, fn: S.Function, args: list[S.Expr], dest: str | None, used: bool
    ) -> Val:
        """Call `fn`: the arguments into its parameter cells, saving what re-entry may clobber."""
        asm = self.asm
        saving = self.program.reaches(fn.name, self.fn.name)
        outer = list(self.live)
        saved = self.saved_cells(outer) + self.va_blocks(fn) if saving else []
        if len(args) > len(fn.params) or any(has_call(a) or has_effect(a) for a in args):
            # in order and aside, before the save: a call may clobber the parameters, and a
            # saved variable the arguments change (`f(n - 1, i++)`) is saved changed; so are
            # the unnamed arguments of a variadic function, which may be read from its block
            vals = [self.neg_value(arg) for arg in args]
            if saving:
                self.push(saved)
            for i, v in enumerate(vals):
                if i < len(fn.params):
                    asm.negate(v.cell, fn.params[i].label)
                else:
                    assert fn.va_block is not None  # (the checker counted them)
                    asm.negate(v.cell, f"{fn.va_block.label}+{i - len(fn.params)}")
                self.release(v)
        else:
            if saving:
                self.push(saved)
            self.assign_params(fn.params, args)
        call(asm, self.entry(fn.name), self.ret(fn.name))
        if saving:
            self.pop(saved)
        if fn.returns.is_void or not used:
            return Val(Z)
        if fn is self.fn and dest is None:  # our own return cell may be the destination later
            out = self.temp()
            asm.move(self.rv(fn.name), out)
            return Val(out, temp=True)
        return self.deliver_result(self.rv(fn.name), dest)

    def assign_params(self, params: list[S.Var], args: list[S.Expr]) -> None:
        """params = args, all at once: a parameter is written once no argument still to be
        computed reads it (f(n - 1, b, a) inside f(n, a, b)); a cycle of such reads is broken
        by computing one argument aside."""
        pending = dict(enumerate(args))
        aside: dict[int, Val] = {}
        while pending:
            ready = [
                i
                for i in pending
                if not any(
                    j != i and j not in aside and observes(pending[j], params[i]) for j in pending
                )
            ]
            if not ready:
                i = next(j for j in pending if j not in aside)
                aside[i] = self.neg_value(pending[i])
                continue
            i = ready[0]
            if i in aside:
                self.asm.negate(aside[i].cell, params[i].label)
                self.release(aside.pop(i))
            else:
                self.assign_param(params[i], pending[i])
            del pending[i]

    def assign_param(self, p: S.Var, arg: S.Expr) -> None:
        """p = arg, in place where arg is p plus or minus something (f(n - 1) inside f)."""
        op, value = None, arg
        if isinstance(arg, S.Binary) and arg.op in "+-" and not p.on_stack:
            left, right = arg.left, arg.right
            if isinstance(left, S.VarRef) and left.var is p and not observes(right, p):
                op, value = arg.op, right
            elif (
                arg.op == "+"
                and isinstance(right, S.VarRef)
                and right.var is p
                and not observes(left, p)
            ):
                op, value = "+", left
        self.assign_var(p.label, op, value, p)
