"""The C front end: a small C (int, char, pointers, arrays, recursion, printf) to sqasm.

    preprocess -> pycparser -> check (typed tree) -> codegen (+ library) -> peephole -> sqasm

`compile_c` returns the sqasm text (with `#@ FILE:LINE FUNCTION` source comments) and the
memory the program needs: its code and data, plus a stack when it recurses.
"""

from __future__ import annotations

from dataclasses import dataclass

from pycparser import c_parser

from ...ir.errors import LoopmlpError
from ..assembler import assemble
from .asm import render
from .check import Checker
from .codegen import LEVELS, Program
from .library import LIBRARY
from .preprocess import CError, preprocess
from .syntax import Unit

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


class _Parser(c_parser.CParser):
    """pycparser, placing every syntax error at a line and column (some of its messages name
    only the file): at the next token, or at the end of the input."""

    def _parse_error(self, msg, coord):
        if not hasattr(coord, "line"):
            try:
                tok = self._peek()
                coord = self._tok_coord(tok) if tok is not None else coord
            except (AttributeError, TypeError):  # another pycparser: keep its place
                pass
        super()._parse_error(msg, coord)


def parse(text: str, file: str, checker: Checker) -> None:
    """Preprocess, parse and check one source file into `checker` (syntax errors as CError)."""
    source = preprocess(text, file)
    try:
        ast = _Parser().parse(source, filename=file)
    except c_parser.ParseError as err:
        raise CError(_syntax_error(str(err), file, source)) from None
    checker.file = file
    checker.unit(ast)


def _syntax_error(message: str, file: str, source: str) -> str:
    """pycparser's `file:line:col: before: x` as `file:line:col: syntax error before 'x'`."""
    if message.startswith(file + ":"):
        place, _, rest = message[len(file) + 1 :].partition(": ")
        numbers = place.split(":")
        if all(n.isdigit() for n in numbers) and numbers[0]:
            line, col = numbers[0], numbers[1] if len(numbers) > 1 else "1"
        else:  # only the file: the end of the input
            lines = source.rstrip().split("\n")
            line, col, rest = (
                str(len(lines)),
                str(len(lines[-1]) + 1),
                place + (": " + rest if rest else ""),
            )
        rest = rest.strip()
        if rest.startswith("before:"):
            return f"{file}:{line}:{col}: syntax error before '{rest[len('before:') :].strip()}'"
        return f"{file}:{line}:{col}: syntax error: {rest.lower() if rest else 'unexpected input'}"
    return f"{file}:1:1: syntax error: {message}"


def check_source(text: str, file: str, bits: int) -> Unit:
    """The checked unit, with the library functions it calls (and theirs) linked in."""
    checker = Checker(file, bits)
    parse(text, file, checker)
    while True:
        missing = sorted(
            name
            for fn in list(checker.functions.values())
            for name in fn.calls
            if name in LIBRARY and checker.functions[name].body is None
        )
        if not missing:
            break
        for name in dict.fromkeys(missing):
            parse(LIBRARY[name][1], "<library>", checker)
    return Unit(file, checker.globals, checker.functions, checker.strings)


def compile_c(
    text: str,
    file: str = "<input>",
    bits: int = DEFAULT_BITS,
    words: int | None = None,
    stack: int | None = None,
    level: int | None = None,
) -> CompiledC:
    """Compile C source to sqasm for an N-bit machine of `words` words (None: the smallest).

    The code is generated at each level of `codegen.LEVELS` (or only at `level`) to learn
    its size; the level with the smallest memory, and of those the fewest steps, is generated
    once more with the end of memory (where the stack check stops) known."""
    if bits < MIN_BITS:
        raise LoopmlpError(f"{file}: C programs need words of at least {MIN_BITS} bits, got {bits}")
    unit = check_source(text, file, bits)
    choices = []
    for tried in range(len(LEVELS)) if level is None else [level]:
        probe = Program(unit, bits, stack_end=0, tradeoffs=LEVELS[tried])
        length = len(assemble(render(probe.generate()), 32, file))  # (its size only)
        stack_size = (DEFAULT_STACK if stack is None else stack) if probe.stack_used else 0
        size = words if words is not None else _power_of_two(length + stack_size)
        choices.append((size, tried, length, stack_size, probe.stack_used))
    size, chosen, length, stack_size, uses_stack = min(choices)
    if size < length + stack_size:
        what = f"{length} words of code and data" + (
            f" and a stack of {stack_size}" if stack_size else ""
        )
        raise LoopmlpError(
            f"{file}: the program needs {length + stack_size} words ({what}), "
            f"but the machine has {size}"
        )
    limit = min(1 << (bits - 1), 65536)  # addresses stay positive N-bit values
    if size > limit:
        raise LoopmlpError(
            f"{file}: the program needs {size} words, more than a C program can "
            f"address at N={bits} ({limit})"
        )
    final = Program(unit, bits, stack_end=size, tradeoffs=LEVELS[chosen])
    text_out = _header(file, bits, size, length, uses_stack) + render(final.generate())
    image = assemble(text_out, bits, file)
    if len(image) != length:
        raise RuntimeError("the end of memory changed the program's size")
    return CompiledC(text_out, image, size, size - length if uses_stack else 0)


def _power_of_two(words: int) -> int:
    size = 16
    while size < words:
        size *= 2
    return size


def _header(file: str, bits: int, words: int, length: int, uses_stack: bool) -> str:
    stack = f", stack {words - length} words" if uses_stack else ""
    return (
        f"# {file}, compiled by loopmlp cc for N={bits}: {length} words of code and data{stack}\n"
        f"#@ bits {bits}\n"
        f"#@ memory {words}\n"
    )
