"""codegen: the typed tree to SUBLEQ, function by function, with the calling convention.

Calling convention. Every function has its parameters, locals, temporaries and return value
in cells of its own (static frames), so reading a variable costs nothing. A call copies the
arguments into the callee's parameter cells, writes the return address into the callee's
exit instruction (`Z Z ret`) and jumps. Recursion: when the callee can reach the caller
again, the caller pushes the cells it still needs (its variables, live temporaries and its
own return address) on a stack before the call and pops them after; functions that are
never re-entered never touch the stack. Arguments that call or assign are computed before the
push, so what is pushed (and popped) already holds their effects; a value a statement builds
in one of its own cells while such a call runs is built in a temporary, which is pushed.
A recursive function's arrays and variables whose address is taken live in a stack frame,
so every activation has its own. The stack grows upward from the end of the program to the
end of memory; overflowing it, like dividing by zero, stops the machine with a fault at the
instruction of the C line that did it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import networkx as nx

from . import syntax as S
from .asm import Asm, Data, Where, Z
from .builtins import BUILTIN_CALLS
from .errors import CError
from .expressions import Expressions
from .library import RT
from .liveness import Liveness
from .peephole import optimise
from .routines import NSP, STACK, call, enter, param, pop_word, push_word, result, ret
from .values import Val, has_call, has_effect, observes, walk

EXIT_WORD = "_exit_value"  # main's return cell, which exit() writes too: the exit status
RUNTIME = "<runtime>"  # where the hand-written routines come from, in source maps


@dataclass(frozen=True)
class Tradeoffs:
    """Space against time. Each choice makes the code smaller and its runs take more steps;
    `compile_c` takes the first of `LEVELS` that gives the smallest memory."""

    shared_saves: bool = False  # recursive calls save words through rt_push and rt_pop
    text_as_data: bool = False  # printf's literal text as strings, printed by rt_puts
    memory_routines: bool = False  # *p read and written by rt_load and rt_store
    compare_routine: bool = False  # a < b between two variables by rt_lt


LEVELS = (
    Tradeoffs(),
    Tradeoffs(shared_saves=True),
    Tradeoffs(shared_saves=True, text_as_data=True),
    Tradeoffs(shared_saves=True, text_as_data=True, memory_routines=True),
    Tradeoffs(shared_saves=True, text_as_data=True, memory_routines=True, compare_routine=True),
)


class Program:
    """The whole program: the functions main reaches, the routines they use, the data."""

    def __init__(
        self, unit: S.Unit, bits: int, stack_end: int, tradeoffs: Tradeoffs = LEVELS[0]
    ) -> None:
        """Plan the program: its call graph and what each function can reach."""
        self.unit, self.bits, self.stack_end = unit, bits, stack_end
        self.tradeoffs = tradeoffs
        self.texts: dict[bytes, str] = {}  # those strings, by contents
        self.asm = Asm(bits)
        self.routines: set[str] = set()
        self.frames: dict[str, int] = {}  # function -> words in its stack frame
        self.printf_words = 0  # the most arguments a printf with a run-time format passes
        self.stack_used = False
        self.printf_args = S.Var(
            "_printf_args",
            S.CType("int", 0, 1),
            "global",
            None,
            S.Loc(0, 0),
            "_printf_args",
        )
        calls = nx.DiGraph()
        for fn in unit.functions.values():
            calls.add_node(fn.name)
            calls.add_edges_from((fn.name, callee) for callee in fn.calls)
        self.calls = calls
        self.numbers = {name: i for i, name in enumerate(unit.functions, 1)}  # for labels
        self.reach = {name: nx.descendants(calls, name) for name in calls}

    def recursive(self, name: str) -> bool:
        """Whether `name` can be active twice (it calls itself, directly or not)."""
        return any(c == name or name in self.reach[c] for c in self.calls.successors(name))

    def reaches(self, callee: str, caller: str) -> bool:
        """Whether calling `callee` may re-enter `caller` (so its cells must be saved)."""
        return callee == caller or caller in self.reach.get(callee, ())  # (descendants: not itself)

    def error(self, loc: S.Loc, message: str) -> CError:
        """An error at `loc` in the program's file, to raise."""
        return CError.at(loc.file or self.unit.file, loc.line, loc.col, message)

    def generate(self) -> Asm:
        """The program's code: main, the functions it reaches, the routines, the data; optimised."""
        unit = self.unit
        main = unit.functions.get("main")
        if main is None or main.body is None:
            raise CError.at(unit.file, 1, 1, "no function 'main'")
        order = ["main"] + sorted(
            self.reach["main"] - {"main"},
            key=lambda n: unit.functions[n].loc.line if n in unit.functions else 0,
        )
        for name in order:
            fn = unit.functions.get(name)
            if fn is not None and fn.body is not None:
                self.plan_frame(fn)
                FunctionGen(self, fn).emit()
        self.emit_routines()
        self.emit_data(order)
        optimise(self.asm, keep={EXIT_WORD})  # read by the host at halt, never by the program
        return self.asm

    def plan_frame(self, fn: S.Function) -> None:
        """A recursive function's arrays and address-taken variables get stack slots."""
        offset = 0
        for var in fn.params + fn.locals:
            var.on_stack = self.recursive(fn.name) and (var.address_taken or var.ctype.is_array)
            if var.on_stack:
                var.offset = offset
                offset += var.ctype.size
        self.frames[fn.name] = offset

    def emit_routines(self) -> None:
        """Emit the run-time routines used, and the routines they need."""
        done: set[str] = set()
        todo = sorted(self.routines)
        while todo:
            name = todo.pop()
            if name in done:
                continue
            done.add(name)
            self.asm.where = Where(RUNTIME, 0, name)
            RT[name].emit(self.asm)
            todo.extend(RT[name].needs)

    def emit_data(self, order: list[str]) -> None:
        """Emit the data: Z, globals, string literals, printf's texts and arguments, the stack."""
        asm = self.asm
        asm.where = None
        asm.cell(Z)
        for var in self.unit.globals:
            asm.cell(var.label, [self.word(w) for w in var.init or [0]], f"{var.name}")
        for s in self.unit.strings:
            text = (
                s.data.decode("latin-1")
                .encode("unicode_escape")
                .decode("ascii")
                .replace('"', '\\"')
            )
            asm.cell(s.label, [str(b) for b in s.data] + ["0"], f'"{text}"')
        for data, label in self.texts.items():
            asm.cell(label, [str(b) for b in data] + ["0"], repr(data.decode("latin-1")))
        if self.printf_words:
            asm.cell(self.printf_args.label, ["0"] * self.printf_words)
        if self.stack_used:
            asm.cell(NSP, [f"(-{STACK})"], "minus the stack pointer")
            asm.data.append(Data([], [STACK], "the stack: from here to the end of memory"))

    def word(self, w: int | str) -> str:
        """A data word as sqasm: a label as it is, a number wrapped (negatives in parentheses)."""
        if isinstance(w, str):
            return w
        w = self.asm.wrap(w)
        return str(w) if w >= 0 else f"({w})"


class FunctionGen(Expressions):
    """One function's code: statements, calls, temporaries, the frame."""

    def __init__(self, program: Program, fn: S.Function) -> None:
        """A code generator for `fn` within `program`."""
        self.program, self.fn, self.asm, self.bits = program, fn, program.asm, program.bits
        self.free: list[str] = []
        self.live: list[str] = []
        self.temps: list[str] = []
        self.breaks: list[str] = []
        self.continues: list[str] = []
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
        asm.label(self.entry(fn.name))
        called = self.program.calls.in_degree(fn.name) > 0
        if called:
            enter(asm, self.ret(fn.name), self.exit_of(fn.name))
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
        for item in fn.body.items:  # main's own declarations run once: their values are data
            if not (once and isinstance(item, S.Declare) and self.preset(item)):
                self.stmt(item)
        if fn.name == "main" and called:  # falling off main returns 0 (a nested main's value
            asm.clear(self.rv(fn.name))  # may be in the cell)
        asm.label(self.epilogue)
        if self.frame:
            asm.clear(NSP)
            asm.sub(self.fp, NSP)
        asm.where = Where(fn.file, fn.loc.line, fn.name)
        asm.ins(
            Z, Z, "(-1)" if fn.name == "main" and not called else "0", fixed=True
        ).labels.insert(0, self.exit_of(fn.name))
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
            if self.program.tradeoffs.shared_saves:  # 2 instructions here instead of 9
                self.uses("rt_push")
                asm.sub(cell, param("rt_push", 0))
                call(asm, "rt_push", ret("rt_push"))
            else:
                push_word(asm, cell)  # the stack holds -cell

    def pop(self, cells: list[str]) -> None:
        """Restore `cells` from the stack, in the reverse order of `push`."""
        asm = self.asm
        for cell in reversed(cells):
            if self.program.tradeoffs.shared_saves:
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
        return any(self.program.reaches(call.name, self.fn.name) for call in calls)

    def call(self, e: S.Call, dest: str | None, used: bool = True) -> Val:
        """The code for a call: a built-in's own code, or a call of a function defined here."""
        builtin = BUILTIN_CALLS.get(e.name)
        if builtin is not None:
            return builtin(self, e, dest, used)
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
        saved = self.saved_cells(outer) if saving else []
        if any(has_call(a) or has_effect(a) for a in args):
            # in order and aside, before the save: a call may clobber the parameters, and a
            # saved variable the arguments change (`f(n - 1, i++)`) is saved changed
            vals = [self.neg_value(arg) for arg in args]
            if saving:
                self.push(saved)
            for p, v in zip(fn.params, vals, strict=True):
                asm.negate(v.cell, p.label)
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

    # -- statements -----------------------------------------------------------------------
    def stmt(self, s: S.Stmt) -> None:
        """The code for a statement; its line becomes the source place of what it emits."""
        asm = self.asm
        if not isinstance(s, S.Block):
            self.where(s.loc, self.fn.name)
            self.current = s
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
        else:
            raise TypeError(f"no code for {type(s).__name__}")

    def loop(self, s: S.While | S.DoWhile | S.For) -> None:
        """Test at the bottom: one branch per iteration."""
        asm = self.asm
        body, test, step, end = asm.fresh(), asm.fresh(), asm.fresh(), asm.fresh()
        if isinstance(s, S.For) and s.init is not None:
            self.stmt(s.init)
        if not isinstance(s, S.DoWhile):
            asm.jump(test)
        asm.label(body)
        self.breaks.append(end)
        self.continues.append(step)
        self.stmt(s.body)
        self.breaks.pop()
        self.continues.pop()
        asm.label(step)
        self.where(s.loc, self.fn.name)
        self.current = s
        if isinstance(s, S.For) and s.step is not None:
            self.discard(s.step)
        asm.label(test)
        if s.test is None:
            asm.jump(body)
        else:
            self.cond(s.test, body, None)
        asm.label(end)

    def switch(self, s: S.Switch) -> None:
        """The code for `switch`: a comparison per case, then the case bodies in order."""
        asm = self.asm
        v = self.value(s.value)
        end = asm.fresh()
        labels = [asm.fresh() for _ in s.cases]
        default = end
        for case, label in zip(s.cases, labels, strict=True):
            if case.value is None:
                default = label
                continue
            nxt = asm.fresh()
            self.equal(v, self.const(case.value), label, nxt)
            asm.label(nxt)
        self.release(v)
        asm.jump(default)
        self.breaks.append(end)
        for case, label in zip(s.cases, labels, strict=True):
            asm.label(label)
            for item in case.body:
                self.stmt(item)
        self.breaks.pop()
        asm.label(end)

    def preset(self, s: S.Declare) -> bool:
        """Make a declaration's constant initial value the variable's data, if it has one."""
        var, init = s.var, s.init
        if var.on_stack or init is None:
            return False
        elements = init if isinstance(init, list) else [init]
        words = []
        for e in elements:
            if isinstance(e, S.Num):
                words.append(self.program.word(e.value))
            elif isinstance(e, S.Str):
                words.append(e.label)
            elif isinstance(e, S.AddrOf) and not e.var.on_stack and e.var.storage == "global":
                words.append(e.var.label)
            else:
                return False
        self.initial[var] = words + ["0"] * (var.ctype.size - len(words))
        return True

    def declare(self, s: S.Declare) -> None:
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
