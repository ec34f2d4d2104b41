"""The program being generated: its plan (call graph, stack frames, labels' numbers), the
trade-off level, and what generating its functions adds to it (see codegen.generate)."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from . import syntax as S
from .asm import Asm
from .errors import CError

EXIT_WORD = "_exit_value"  # main's return cell, which exit() writes too: the exit status
# The block main(int argc, char **argv) reads its arguments from: the loader writes argc, then
# argv[0..argc-1] (addresses of words of the block), NULL, then the NUL-terminated strings
# (see runtime/loader.py); as compiled it holds zeros: argc 0 and argv[0] NULL.
ARGS = "_args"
ARGS_WORDS = 256


@dataclass(frozen=True)
class Tradeoffs:
    """Space against time. Each choice makes the code smaller and its runs take more steps;
    `compile_c` takes the first of `LEVELS` that gives the smallest memory."""

    shared_saves: bool = False  # recursive calls save words through rt_push and rt_pop
    text_as_data: bool = False  # printf's literal text as strings, printed by rt_puts
    memory_routines: bool = False  # *p read and written by rt_load and rt_store
    compare_routine: bool = False  # a < b between two variables by rt_lt
    # *, / and % by rt_mul, rt_div and rt_udiv alone, without rt_fmul's, rt_fdiv's and
    # rt_fudiv's unrolled paths for small multipliers and quotients (some 400 words each)
    compact_arith: bool = False


LEVELS = (
    Tradeoffs(),
    Tradeoffs(compact_arith=True),
    Tradeoffs(compact_arith=True, shared_saves=True),
    Tradeoffs(compact_arith=True, shared_saves=True, text_as_data=True),
    Tradeoffs(compact_arith=True, shared_saves=True, text_as_data=True, memory_routines=True),
    Tradeoffs(
        compact_arith=True,
        shared_saves=True,
        text_as_data=True,
        memory_routines=True,
        compare_routine=True,
    ),
)


class CodeUnit:
    """The whole program as the generator sees it: the typed unit, its call graph, the
    trade-off level, and what the functions' code adds as it is generated (the routines it
    uses, printf's texts and argument block, whether it uses the stack)."""

    def __init__(
        self, unit: S.Unit, bits: int, stack_end: int, tradeoffs: Tradeoffs = LEVELS[0]
    ) -> None:
        """Plan the program: its call graph and what each function can reach."""
        self.unit, self.bits, self.stack_end = unit, bits, stack_end
        self._tradeoffs = tradeoffs
        self.consulted: set[str] = set()  # the trade-offs the code's generation asked about
        self.texts: dict[bytes, str] = {}  # those strings, by contents
        self.asm = Asm(bits)
        self.routines: set[str] = set()
        self.frames: dict[str, int] = {}  # function -> words in its stack frame
        self.printf_words = 0  # the most arguments a printf with a run-time format passes
        self.stack_used = False
        self.printf_args = S.Var(
            "_printf_args",
            S.array(S.INT, 1),
            "global",
            None,
            S.Loc(0, 0),
            "_printf_args",
        )
        # the functions a call through a pointer may reach: those whose address is taken
        self.pointed = [fn for fn in unit.functions.values() if fn.address and fn.body is not None]
        calls = nx.DiGraph()
        for fn in unit.functions.values():
            calls.add_node(fn.name)
            calls.add_edges_from((fn.name, callee) for callee in fn.calls)
            for count, variadic in fn.pointer_calls:
                targets = self.targets(count, variadic)
                calls.add_edges_from((fn.name, callee) for callee in targets)
        self.calls = calls
        self.called = {callee for fn in unit.functions.values() for callee in fn.calls}
        self.numbers = {name: i for i, name in enumerate(unit.functions, 1)}  # for labels
        self.reach = {name: nx.descendants(calls, name) for name in calls}

    def targets(self, count: int, variadic: bool = False) -> list[str]:
        """The functions a call through a pointer with `count` arguments (named ones, through
        a pointer to a `variadic` function) may reach, and those whose address went through a
        `void *`, which may come back as a pointer of any shape."""
        return [
            fn.name
            for fn in self.pointed
            if len(fn.params) == count and fn.variadic == variadic or fn.escapes
        ]

    def callees(self, call: S.Call) -> list[str]:
        """The functions a call may enter: the one it names, or those its pointer may hold."""
        if call.pointer is None:
            return [call.name]
        ftype = call.pointer.ctype.element()
        if ftype.variadic:
            return self.targets(len(ftype.params or ()), True)
        return self.targets(len(call.args))

    def linked(self) -> set[str]:
        """The functions the program needs besides main: those main reaches, and every function
        whose address is taken with those it reaches."""
        roots = [fn.name for fn in self.pointed]
        return self.reach["main"].union(roots, *(self.reach[name] for name in roots))

    def trades(self, choice: str) -> bool:
        """Whether this level makes the space-for-time `choice` (a field of Tradeoffs); what
        was asked is kept, so a level differing only in choices never asked needs no code of
        its own (see compile_c)."""
        self.consulted.add(choice)
        return bool(getattr(self._tradeoffs, choice))

    def recursive(self, name: str) -> bool:
        """Whether `name` can be active twice (it calls itself, directly or not)."""
        return any(c == name or name in self.reach[c] for c in self.calls.successors(name))

    def reaches(self, callee: str, caller: str) -> bool:
        """Whether calling `callee` may re-enter `caller` (so its cells must be saved)."""
        return callee == caller or caller in self.reach.get(callee, ())  # (descendants: not itself)

    def error(self, loc: S.Loc, message: str) -> CError:
        """An error at `loc` in the program's file, to raise."""
        return CError.at(loc.file or self.unit.file, loc.line, loc.col, message)

    def plan_frame(self, fn: S.Function) -> None:
        """A recursive function's arrays and address-taken variables get stack slots."""
        offset = 0
        for var in fn.params + fn.locals:
            in_memory = var.address_taken or not var.ctype.is_scalar  # arrays and records
            var.on_stack = self.recursive(fn.name) and in_memory
            if var.on_stack:
                var.offset = offset
                offset += var.ctype.size
        self.frames[fn.name] = offset

    def word(self, w: int | str) -> str:
        """A data word as sqasm: a label as it is, a number wrapped (negatives in parentheses)."""
        if isinstance(w, str):
            return w
        w = self.asm.wrap(w)
        return str(w) if w >= 0 else f"({w})"
