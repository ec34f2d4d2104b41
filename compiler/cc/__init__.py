"""The C front end: a small C (int, char, pointers, arrays, recursion, printf) to sqasm.

    preprocess -> parse -> check -> link the library -> for each trade-off level:
        generate -> optimise -> measure; then choose -> render -> assemble

`compile_c` returns the sqasm text (with `#@ FILE:LINE FUNCTION` source comments, and `#@ exit`
naming the word that holds main's value at halt) and the memory the program needs: its code
and data, plus a stack when it recurses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pycparser import c_ast

from ...ir.errors import LoopmlpError
from ..assembler import assemble_labels
from .asm import Asm, image, layout, size
from .check import Checker
from .codegen import generate
from .codeunit import ARGS, ARGS_WORDS, EXIT_WORD, LEVELS, CodeUnit
from .errors import CError
from .library import DEFAULT_HEAP, LIBRARY, library_options
from .nesting import BRACKET_LIMIT, TREE_LIMIT, Place, run_deep, too_deep
from .parse import parse
from .peephole import optimise
from .preprocess import CppOptions, preprocess
from .scope import address_limit
from .syntax import Unit

__all__ = [
    "BRACKET_LIMIT",
    "DEFAULT_BITS",
    "DEFAULT_HEAP",
    "DEFAULT_STACK",
    "TREE_LIMIT",
    "CError",
    "CompiledC",
    "check_source",
    "compile_c",
    "heap_words",
]

DEFAULT_BITS = 32
DEFAULT_STACK = 128
MIN_BITS = 8


@dataclass(frozen=True)
class CompiledC:
    """A C program as sqasm: the text, its image and the memory it runs in."""

    text: str
    image: list[int]
    words: int  # K: code and data, and the stack if it has one, rounded up to a power of two
    stack: int  # words left for the stack (0: the program never uses one)
    exit_address: int  # the word main's value and exit's argument are left in
    lines: list[int] = field(default_factory=list, repr=False)  # each word's line in `text`
    args: tuple[int, int] | None = None  # main(argc, argv)'s block: its address and words


@dataclass(frozen=True)
class Candidate:
    """The program generated at one trade-off level, measured: the smallest memory wins."""

    level: int  # its index in LEVELS
    size: int  # the machine's K it would run in
    need: int  # words it needs: code and data, and its stack
    length: int  # words of code and data (0: not assembled, its variables alone too many)
    stack: int  # words of stack it asks for (0: none)
    uses_stack: bool
    over: bool  # more than the machine can address
    code: Asm | None = field(default=None, repr=False)  # (None: not kept)
    consulted: frozenset[str] = frozenset()  # the trade-offs its generation asked about

    def key(self) -> tuple[bool, int, int]:
        """What `choose` compares: fitting first, then the smallest memory, then the first level
        (the fewest steps)."""
        return (self.over, self.size, self.level)


def compile_c(
    text: str,
    file: str = "<input>",
    bits: int = DEFAULT_BITS,
    words: int | None = None,
    stack: int | None = None,
    level: int | None = None,
    options: CppOptions | None = None,
    heap: int | None = None,
) -> CompiledC:
    """Compile C source to sqasm for an N-bit machine of `words` words (None: the smallest),
    preprocessed with `options` (-D, -U, -I); `heap`: the words malloc hands out (None:
    DEFAULT_HEAP; a program that never calls malloc, calloc or realloc has no heap).

    The code is generated at each level of `codeunit.LEVELS` (or only at `level`) to learn
    its size; the level with the smallest memory, and of those the fewest steps, is generated
    once more with the end of memory (where the stack check stops) known."""
    return run_deep(lambda: _compile_c(text, file, bits, words, stack, level, options, heap))


def compile_c_levels(
    text: str,
    levels: list[int],
    file: str = "<input>",
    bits: int = DEFAULT_BITS,
    stack: int | None = None,
) -> dict[int, CompiledC]:
    """The program compiled at each of `levels` (as `compile_c(..., level=k)` would), its
    front end run once: for tools that compare the levels."""

    def compile_all() -> dict[int, CompiledC]:
        unit, deepest = _front_end(text, file, bits, None, None)
        try:
            cap = _memory_cap(file, bits, None)
            measured = {k: _measure(unit, bits, None, stack, k, cap, file) for k in levels}
            return {k: _final(unit, bits, stack, m, cap, file) for k, m in measured.items()}
        except RecursionError:
            raise too_deep(file, deepest) from None

    if bits < MIN_BITS:
        raise LoopmlpError(f"{file}: C programs need words of at least {MIN_BITS} bits, got {bits}")
    return run_deep(compile_all)


def check_source(
    text: str, file: str, bits: int, options: CppOptions | None = None, heap: int | None = None
) -> Unit:
    """The checked unit, with the library functions it calls (and theirs) linked in."""
    return run_deep(lambda: _front_end(text, file, bits, None, options, heap))[0]


def _compile_c(
    text: str,
    file: str,
    bits: int,
    words: int | None,
    stack: int | None,
    level: int | None,
    options: CppOptions | None,
    heap: int | None,
) -> CompiledC:
    """The pipeline: the front end, then the back end at each level, then the chosen one."""
    if bits < MIN_BITS:
        raise LoopmlpError(f"{file}: C programs need words of at least {MIN_BITS} bits, got {bits}")
    heap = heap_words(file, bits, heap)
    unit, deepest = _front_end(text, file, bits, words, options, heap)
    try:
        cap = _memory_cap(file, bits, words)
        levels = range(len(LEVELS)) if level is None else [level]
        candidates: list[Candidate] = []
        for tried in levels:
            if candidates and same_code(candidates[-1], tried):
                continue  # its code is the last level's, and that level wins the tie
            candidates.append(_measure(unit, bits, words, stack, tried, cap, file))
        best = choose(candidates)
        return _final(unit, bits, stack, best, cap, file)
    except RecursionError:
        raise too_deep(file, deepest) from None


def heap_words(file: str, bits: int, heap: int | None) -> int:
    """The heap's size: `heap` if given (refused if it cannot be), else DEFAULT_HEAP, or a
    quarter of what the words can address when that is less."""
    limit, limit_words = address_limit(bits, None)
    if heap is None:
        return min(DEFAULT_HEAP, limit // 4)
    if heap < 3:
        raise LoopmlpError(f"{file}: a heap needs at least 3 words, got {heap}")
    if heap > limit:
        raise LoopmlpError(f"{file}: a heap of {heap:,} words is more than {limit_words}")
    return heap


def _front_end(
    text: str,
    file: str,
    bits: int,
    words: int | None,
    options: CppOptions | None,
    heap: int | None = None,
) -> tuple[Unit, Place]:
    """preprocess -> parse -> check -> link the library: the checked unit, and the place of the
    deepest node of its syntax tree (`words`: the machine's K, when chosen: no array may be
    larger; `heap`: the heap's words)."""
    checker = Checker(file, bits)
    checker.words = words
    tree, deepest = parse(preprocess(text, file, bits, options), file)
    _check(checker, tree, file, deepest)
    link_library(checker, heap_words(file, bits, heap))
    checker.pointer_va_blocks()
    return Unit(file, checker.globals, checker.functions, checker.strings), deepest


def _check(checker: Checker, tree: c_ast.FileAST, file: str, deepest: Place) -> None:
    """Check a syntax tree into `checker` (a tree too deep to follow refused at `deepest`)."""
    checker.file = file
    try:
        checker.unit(tree)
    except RecursionError:
        raise too_deep(file, deepest) from None


def link_library(checker: Checker, heap: int = DEFAULT_HEAP) -> None:
    """Check the library functions written in C that the program calls (and those they call);
    functions written in one unit (the heap's) are checked together, once. The heap's array
    has `heap` words."""
    sizes = library_options(heap)
    while True:
        missing = sorted(
            name
            for fn in list(checker.functions.values())
            for name in fn.calls | ({fn.name} if fn.address else set())
            if name in LIBRARY
            and LIBRARY[name].source is not None
            and checker.functions[name].body is None
        )
        if not missing:
            if "__getchar" in checker.functions:  # (getchar reads what scanf gave back)
                for fn in checker.functions.values():
                    if fn.calls & {"getchar", "getc", "fgetc"} and fn.name != "__getchar":
                        fn.calls.add("__getchar")
            return
        for source in dict.fromkeys(LIBRARY[name].source for name in missing):
            assert source is not None
            text = preprocess(source, "<library>", checker.bits, sizes)
            tree, deepest = parse(text, "<library>")
            _check(checker, tree, "<library>", deepest)


def back_end(unit: Unit, bits: int, stack_end: int, level: int) -> tuple[Asm, bool, frozenset[str]]:
    """generate -> optimise: the program's code at a trade-off level, whether it uses the
    stack (which ends at `stack_end`), and the trade-offs its generation asked about."""
    program = CodeUnit(unit, bits, stack_end=stack_end, tradeoffs=LEVELS[level])
    asm = generate(program)
    optimise(asm, keep={EXIT_WORD, ARGS})  # read or written by the host
    return asm, program.stack_used, frozenset(program.consulted)


def _memory_cap(file: str, bits: int, words: int | None) -> tuple[int, str]:
    """The most words the program may have (and what sets that), refusing a machine larger than
    its words can address."""
    limit, limit_words = address_limit(bits, None)
    if words is not None and words > limit:
        raise LoopmlpError(
            f"{file}: a machine of {words:,} words was asked for, more than {limit_words}"
        )
    return address_limit(bits, words)


def _measure(
    unit: Unit,
    bits: int,
    words: int | None,
    stack: int | None,
    level: int,
    cap: tuple[int, str],
    file: str,
) -> Candidate:
    """generate -> optimise at one level, and the size the code assembles to (only the chosen
    level is rendered and assembled)."""
    limit = cap[0]
    asm, uses_stack, consulted = back_end(unit, bits, 0, level)
    static = {var.label for var in unit.globals} | {s.label for s in unit.strings}
    data = sum(len(d.values) for d in asm.data if static.intersection(d.labels))
    if data > limit:  # the variables and strings alone are too many: not worth assembling
        return Candidate(level, limit, data, 0, 0, False, over=True, consulted=consulted)
    length = size(asm)  # (what it assembles to; only the chosen level is assembled)
    stack_size = (DEFAULT_STACK if stack is None else stack) if uses_stack else 0
    need = length + stack_size
    memory = words if words is not None else _power_of_two(need)
    return Candidate(
        level, memory, need, length, stack_size, uses_stack, need > limit, asm, consulted
    )


def same_code(measured: Candidate, level: int) -> bool:
    """Whether `level` generates the code `measured` has: every trade-off asked about while
    generating it is chosen alike at both levels."""
    return all(
        getattr(LEVELS[measured.level], choice) == getattr(LEVELS[level], choice)
        for choice in measured.consulted
    )


def choose(candidates: list[Candidate]) -> Candidate:
    """The candidate that fits in the smallest memory (of those, the first level)."""
    return min(candidates, key=Candidate.key)


def _final(
    unit: Unit, bits: int, stack: int | None, best: Candidate, cap: tuple[int, str], file: str
) -> CompiledC:
    """The chosen level generated again with the end of memory known, rendered and assembled."""
    if best.over:
        if not best.length:
            what = "words for its variables and string literals alone"
        elif best.stack:
            asked = " (--stack)" if stack is not None else ""
            what = f"words ({best.length:,} of code and data and a stack of {best.stack:,}{asked})"
        else:
            what = "words of code and data"
        raise LoopmlpError(f"{file}: the program needs {best.need:,} {what}, more than {cap[1]}")
    asm = best.code
    if asm is None or best.uses_stack:  # the stack checks need the end of memory
        asm, _, _ = back_end(unit, bits, best.size, best.level)
    arguments = bool(unit.functions["main"].params)
    header = _header(file, bits, best.size, best.length, best.uses_stack, arguments)
    laid = layout(asm)
    text = header + laid.text
    words = image(laid, bits)
    if words is None:  # the assembler says what is wrong, and where
        words, lines, labels = assemble_labels(text, bits, file)
    else:
        skip = header.count("\n")
        lines, labels = [line + skip for _, line in laid.words], laid.labels
    if len(words) != best.length:
        raise RuntimeError("the program assembled to another size than measured")
    stack_left = best.size - best.length if best.uses_stack else 0
    args = (labels[ARGS], ARGS_WORDS) if arguments else None
    return CompiledC(text, words, best.size, stack_left, labels[EXIT_WORD], lines, args)


def _power_of_two(words: int) -> int:
    k = 16
    while k < words:
        k *= 2
    return k


def _header(
    file: str, bits: int, words: int, length: int, uses_stack: bool, arguments: bool
) -> str:
    stack = f", stack {words - length} words" if uses_stack else ""
    return (
        f"# {file}, compiled by loopmlp cc for N={bits}: {length} words of code and data{stack}\n"
        f"#@ bits {bits}\n"
        f"#@ memory {words}\n"
        f"#@ exit {EXIT_WORD}\n"
    ) + (f"#@ args {ARGS} {ARGS_WORDS}\n" if arguments else "")
