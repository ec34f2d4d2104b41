"""The C front end: a small C (int, char, pointers, arrays, recursion, printf) to sqasm.

    preprocess -> pycparser -> check (typed tree) -> codegen (+ library) -> peephole -> sqasm

`compile_c` returns the sqasm text (with `#@ FILE:LINE FUNCTION` source comments, and `#@ exit`
naming the word that holds main's value at halt) and the memory the program needs: its code
and data, plus a stack when it recurses.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from pycparser import c_ast, c_parser

from ...ir.errors import LoopmlpError
from ..assembler import assemble
from .asm import render
from .check import Checker
from .codegen import EXIT_WORD, LEVELS, Program
from .errors import CError
from .library import LIBRARY
from .preprocess import CppOptions, location, preprocess
from .scope import address_limit
from .syntax import Unit

DEFAULT_BITS = 32
DEFAULT_STACK = 128
MIN_BITS = 8

# Nesting. The parser, the checker and the code generator recurse on the program's structure,
# so they run in a thread of their own with a deep stack: BRACKET_LIMIT parentheses, brackets
# and braces open at once and a tree TREE_LIMIT nodes deep (an else-if chain or a sum of many
# terms is as deep as it is long) are within RECURSION_LIMIT frames, which a stack of
# THREAD_STACK bytes holds with room to spare (a few hundred bytes of C stack a frame).
# Deeper programs get one located line, `FILE:LINE:COL: nesting too deep (limit D)`.
BRACKET_LIMIT = 1000
TREE_LIMIT = 4000
RECURSION_LIMIT = 60_000
THREAD_STACK = 256 << 20


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


def parse(
    text: str, file: str, checker: Checker, options: CppOptions | None = None
) -> tuple[int, int, int, str]:
    """Preprocess, parse and check one source file into `checker` (syntax errors as CError);
    the depth of its syntax tree and the place of its deepest node."""
    source = preprocess(text, file, checker.bits, options)
    _check_brackets(source, file)
    parser = _Parser()
    try:
        ast = parser.parse(source, filename=file)
    except c_parser.ParseError as err:
        raise CError(_syntax_error(str(err), file, source)) from None
    except RecursionError:  # a chain the parser recurses on (else-if, unary operators, ...)
        raise _too_deep(file, _parser_place(parser, source)) from None
    deepest = _check_depth(ast, file)
    checker.file = file
    try:
        checker.unit(ast)
    except RecursionError:
        raise _too_deep(file, deepest) from None
    return deepest


T = TypeVar("T")


def _too_deep(file: str, place: tuple[int, int, int, str]) -> CError:
    """The located refusal of a program nested deeper than the compiler follows."""
    _, line, col, where = place
    return CError.at(where or file, line, col, f"nesting too deep (limit {TREE_LIMIT})")


def _parser_place(parser: _Parser, source: str) -> tuple[int, int, int, str]:
    """Where the parser was when it gave up: its next token, or the end of the input."""
    try:
        tok = parser._peek()
        if tok is not None:
            coord = parser._tok_coord(tok)
            return (0, coord.line, coord.column or 1, coord.file or "")
    except (AttributeError, TypeError, RecursionError):  # another pycparser
        pass
    return (0, *_end(source))


def _end(source: str) -> tuple[int, int, str]:
    """The line, column and file of the end of preprocessed source."""
    lines = source.rstrip().split("\n")
    where, line = location(source, len(lines))
    return line, len(lines[-1]) + 1, where or ""


def _check_brackets(source: str, file: str) -> None:
    """Refuse, at the bracket, more than BRACKET_LIMIT of `( [ {` open at once (comments are
    gone; string and character literals are skipped)."""
    depth, line, line_start, i, n = 0, 1, 0, 0, len(source)
    while i < n:
        ch = source[i]
        if ch == "\n":
            line, line_start = line + 1, i + 1
        elif ch == "#" and i == line_start:  # a `# LINE "FILE"` marker
            end = source.find("\n", i)
            i = (end if end >= 0 else n) - 1
        elif ch in "\"'":
            j = i + 1
            while j < n and source[j] not in (ch, "\n"):
                j += 2 if source[j] == "\\" else 1
            i = j
        elif ch in "([{":
            depth += 1
            if depth > BRACKET_LIMIT:
                where, line = location(source, line)
                raise CError.at(
                    where or file,
                    line,
                    i - line_start + 1,
                    f"nesting too deep (limit {BRACKET_LIMIT} parentheses, "
                    "brackets and braces open at once)",
                )
        elif ch in ")]}":
            depth = max(depth - 1, 0)
        i += 1


def _check_depth(ast: c_ast.Node, file: str) -> tuple[int, int, int, str]:
    """The depth of the syntax tree and the place of its deepest node (walked without
    recursion); deeper than TREE_LIMIT is refused at the first node past it."""
    deepest = (0, 1, 1, "")
    todo: list[tuple[c_ast.Node, int, int, int, str]] = [(ast, 0, 1, 1, "")]
    while todo:
        node, depth, line, col, where = todo.pop()
        coord = getattr(node, "coord", None)
        if coord is not None and coord.line:
            line, col, where = coord.line, coord.column or 1, coord.file or ""
        if depth > TREE_LIMIT:
            raise _too_deep(file, (depth, line, col, where))
        deepest = max(deepest, (depth, line, col, where))
        todo.extend((child, depth + 1, line, col, where) for _, child in node.children())
    return deepest


def _deep(work: Callable[[], T]) -> T:
    """`work()` in a thread with a THREAD_STACK-byte stack and RECURSION_LIMIT frames (the
    limit is the interpreter's, raised for the call and put back after)."""
    result: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            result.append(work())
        except BaseException as err:  # noqa: BLE001 (re-raised in the caller's thread)
            failure.append(err)

    old_stack, old_limit = threading.stack_size(), sys.getrecursionlimit()
    try:
        threading.stack_size(THREAD_STACK)
        deep = True
    except (ValueError, RuntimeError):  # a platform that will not give a thread this stack:
        deep = False  # the usual limit, then (a located line for what is deeper)
    thread = threading.Thread(target=run, name="loopmlp-cc", daemon=True)
    if deep:
        sys.setrecursionlimit(max(old_limit, RECURSION_LIMIT))
    try:
        try:
            thread.start()
        finally:
            threading.stack_size(old_stack)
        thread.join()
    finally:
        sys.setrecursionlimit(old_limit)
    if failure:
        raise failure[0]
    return result[0]


def _syntax_error(message: str, file: str, source: str) -> str:
    """pycparser's `file:line:col: before: x` as `file:line:col: syntax error before 'x'`
    (the file is the main one or a header; without a line: the end of the input)."""
    placed = re.match(r"(.+?):(\d+)(?::(\d+))?: (.*)", message, re.S)
    if placed:
        where, line, col, rest = (
            placed.group(1),
            placed.group(2),
            placed.group(3) or "1",
            placed.group(4),
        )
    else:
        end_line, end_col, end_file = _end(source)
        where, line, col = end_file or file, str(end_line), str(end_col)
        rest = message.partition(": ")[2] if ": " in message else message
    rest = re.sub(r",?\s*see https?://\S*", "", rest).strip()  # the parser's own pointers
    # the parser sees a comment only where a backslash-newline split its `/` and `*`
    if rest.lower().startswith("comments are not supported"):
        return f"{where}:{line}:{col}: not supported: a comment split by a backslash-newline"
    if rest.startswith("before:"):
        return f"{where}:{line}:{col}: syntax error before '{rest[len('before:') :].strip()}'"
    return f"{where}:{line}:{col}: syntax error: {rest.lower() if rest else 'unexpected input'}"


def check_source(text: str, file: str, bits: int, options: CppOptions | None = None) -> Unit:
    """The checked unit, with the library functions it calls (and theirs) linked in."""
    return _deep(lambda: _check_source(text, file, bits, None, options))[0]


def _check_source(
    text: str,
    file: str,
    bits: int,
    words: int | None = None,
    options: CppOptions | None = None,
) -> tuple[Unit, tuple[int, int, int, str]]:
    """The checked unit and the place of the deepest node of its syntax tree (`words`: the
    machine's K, when it is chosen: no array may be larger)."""
    checker = Checker(file, bits)
    checker.words = words
    deepest = parse(text, file, checker, options)
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
    return Unit(file, checker.globals, checker.functions, checker.strings), deepest


def compile_c(
    text: str,
    file: str = "<input>",
    bits: int = DEFAULT_BITS,
    words: int | None = None,
    stack: int | None = None,
    level: int | None = None,
    options: CppOptions | None = None,
) -> CompiledC:
    """Compile C source to sqasm for an N-bit machine of `words` words (None: the smallest),
    preprocessed with `options` (-D, -U, -I).

    The code is generated at each level of `codegen.LEVELS` (or only at `level`) to learn
    its size; the level with the smallest memory, and of those the fewest steps, is generated
    once more with the end of memory (where the stack check stops) known."""
    return _deep(lambda: _compile_c(text, file, bits, words, stack, level, options))


def _compile_c(
    text: str,
    file: str,
    bits: int,
    words: int | None,
    stack: int | None,
    level: int | None,
    options: CppOptions | None,
) -> CompiledC:
    if bits < MIN_BITS:
        raise LoopmlpError(f"{file}: C programs need words of at least {MIN_BITS} bits, got {bits}")
    unit, deepest = _check_source(text, file, bits, words, options)
    try:
        return _generate(unit, file, bits, words, stack, level)
    except RecursionError:
        raise _too_deep(file, deepest) from None


def _generate(
    unit: Unit, file: str, bits: int, words: int | None, stack: int | None, level: int | None
) -> CompiledC:
    limit, limit_words = address_limit(bits, None)
    if words is not None and words > limit:
        raise LoopmlpError(
            f"{file}: a machine of {words:,} words was asked for, more than {limit_words}"
        )
    cap, cap_words = address_limit(bits, words)
    static = {var.label for var in unit.globals} | {s.label for s in unit.strings}
    choices = []
    for tried in range(len(LEVELS)) if level is None else [level]:
        probe = Program(unit, bits, stack_end=0, tradeoffs=LEVELS[tried])
        asm = probe.generate()
        data = sum(len(d.values) for d in asm.data if static.intersection(d.labels))
        if data > cap:  # the variables and strings alone are too many: not worth assembling
            choices.append((True, cap, tried, data, 0, 0, False))
            continue
        length = len(assemble(render(asm), 32, file))  # (its size only)
        stack_size = (DEFAULT_STACK if stack is None else stack) if probe.stack_used else 0
        need = length + stack_size
        size = words if words is not None else _power_of_two(need)
        choices.append((need > cap, size, tried, need, length, stack_size, probe.stack_used))
    over, size, chosen, need, length, stack_size, uses_stack = min(choices)
    if over:
        if not length:
            what = "words for its variables and string literals alone"
        elif stack_size:
            asked = " (--stack)" if stack is not None else ""
            what = f"words ({length:,} of code and data and a stack of {stack_size:,}{asked})"
        else:
            what = "words of code and data"
        raise LoopmlpError(f"{file}: the program needs {need:,} {what}, more than {cap_words}")
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
        f"#@ exit {EXIT_WORD}\n"
    )
