"""Reading a program file through its front end: C (.c), sqasm assembly (.asq, .sq, .s) or a
numeric image (anything else). Every front end ends in the same place, a `Program`: the image,
and a source map from each word back to the file, line and function it came from."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..ir.errors import LoopmlpError
from ..ir.machine import Machine, check_bits
from .assembler import assemble_labels, bits_needed
from .sources import CppOptions, read_text

DEFAULT_BITS = 16
ASSEMBLY_SUFFIXES = {".asq", ".sq", ".s"}
_SEPARATORS = re.compile(r"[\s,]+")
# `#@ FILE:LINE [FUNCTION] [-- NOTE]`: the words after it came from there (`#@` alone: from no
# source); `#@ memory K`: the program needs a machine of at least K words; `#@ exit WORD`: the
# word (a label or an address) whose low 8 bits are the exit status when the machine halts;
# `#@ args WORD COUNT`: the block of COUNT words from WORD that the loader writes the program's
# arguments into before its first step (see runtime/loader.py).
_MARKER = re.compile(
    r"#@[ \t]*(?:(?P<file>\S(?:.*\S)?):(?P<line>\d+)"
    r"(?:[ \t]+(?P<function>[^\s-][^\s]*))?(?:[ \t]+--[ \t]+(?P<note>.*?))?)?[ \t]*$"
)
_MEMORY = re.compile(r"#@[ \t]*memory[ \t]+(\d+)[ \t]*$")
_BITS = re.compile(r"#@[ \t]*bits[ \t]+(\d+)[ \t]*$")
_EXIT = re.compile(r"#@[ \t]*exit[ \t]+(\S+)[ \t]*$")
_ARGS = re.compile(r"#@[ \t]*args[ \t]+(\S+)[ \t]+(\d+)[ \t]*$")


@dataclass(frozen=True)
class SourceLocation:
    """Where a word came from: a file and line, the function it belongs to (if the source
    language has functions), and what a deliberate fault there means."""

    file: str
    line: int
    function: str | None = None
    note: str | None = None

    def __str__(self) -> str:
        if self.line == 0 and self.function:  # generated code with no line of its own
            return f"{self.function} ({self.file})"
        return f"{self.file}:{self.line}" + (f" in {self.function}" if self.function else "")


@dataclass(frozen=True)
class Program:
    """A program ready to load: its image for an N-bit machine, the smallest memory it runs
    in, and a source map (one entry per word; None where a word has no source)."""

    name: str
    image: list[int]
    bits: int
    min_words: int = 0
    source_map: tuple[SourceLocation | None, ...] = ()
    assembly: str | None = None  # the sqasm a front end generated, if it went through sqasm
    exit_address: int | None = None  # the word holding the exit status at halt (None: 0)
    args: tuple[int, int] | None = None  # the arguments' block: its address and words

    def machine(self, words: int | None = None, io: bool = True) -> Machine:
        """The machine it runs on: K words if given, else the smallest that holds it."""
        if words is not None and words < self.min_words and self.min_words > len(self.image):
            raise LoopmlpError(
                f"{self.name}: the program was compiled for a machine of {self.min_words} words "
                f"('#@ memory {self.min_words}'; {len(self.image)} of them code and data), "
                f"but --words is {words}"
            )
        return Machine.for_image(max(len(self.image), self.min_words), self.bits, words, io)

    def location(self, address: int) -> SourceLocation | None:
        """The source of the word at `address` (None outside the image or without a map)."""
        if 0 <= address < len(self.source_map):
            return self.source_map[address]
        return None


@dataclass(frozen=True)
class FrontEnd:
    """A source language: `read(name, text, bits, words, stack, cpp, heap)` turns a file's text
    into a Program for an N-bit machine (of `words` words, if given; `stack` and `heap`: C's
    stack and heap sizes; `cpp`: C's preprocessor options)."""

    language: str
    default_bits: int
    read: Callable[[str, str, int, int | None, int | None, CppOptions | None, int | None], Program]


def parse_image(text: str, bits: int = 16, file: str = "<input>") -> list[int]:
    """Integers separated by whitespace or commas, '#' comments; each must fit N bits."""
    image: list[int] = []
    for line_no, line in enumerate(text.splitlines(), 1):
        body = line.split("#", 1)[0]
        for match in re.finditer(r"[^\s,]+", body):
            word = match.group()
            try:
                value = int(word, 10)
            except ValueError:
                raise LoopmlpError(
                    f"{file}:{line_no}:{match.start() + 1}: expected an integer, found "
                    f"'{word[:20]}'"
                ) from None
            if not -(1 << (bits - 1)) <= value < (1 << bits):
                raise LoopmlpError(
                    f"{file}:{line_no}:{match.start() + 1}: word {len(image)} = {value} "
                    "does not fit "
                    f"{bits} bits (needs {bits_needed(value)})"
                )
            image.append(value - (1 << bits) if value >= 1 << (bits - 1) else value)
    return image


def _read_assembly(
    name: str,
    text: str,
    bits: int,
    words: int | None,
    stack: int | None,
    cpp: CppOptions | None,
    heap: int | None = None,
) -> Program:
    image, lines, labels = assemble_labels(text, bits, name)
    return Program(
        name,
        image,
        bits,
        _min_words(text),
        _source_map(name, text, lines),
        exit_address=_exit_address(name, text, labels, len(image)),
        args=_args_block(name, text, labels, len(image)),
    )


def _read_image(
    name: str,
    text: str,
    bits: int,
    words: int | None,
    stack: int | None,
    cpp: CppOptions | None,
    heap: int | None = None,
) -> Program:
    return Program(name, parse_image(text, bits, name), bits)


def _read_c(
    name: str,
    text: str,
    bits: int,
    words: int | None,
    stack: int | None,
    cpp: CppOptions | None,
    heap: int | None = None,
) -> Program:
    from .cc import compile_c

    compiled = compile_c(text, name, bits, words, stack, options=cpp, heap=heap)
    return Program(
        name,
        compiled.image,
        bits,
        compiled.words,
        _source_map(name, compiled.text, compiled.lines),
        compiled.text,
        compiled.exit_address,
        compiled.args,
    )


def _declared_bits(text: str) -> int | None:
    """The word width an `#@ bits N` line says the program was compiled for."""
    found = {int(m.group(1)) for m in map(_BITS.match, text.splitlines()) if m}
    if len(found) > 1:
        raise LoopmlpError(f"conflicting '#@ bits' lines: {sorted(found)}")
    return found.pop() if found else None


def _exit_address(name: str, text: str, labels: dict[str, int], length: int) -> int | None:
    """The address an `#@ exit WORD` line names (a label or an address of the image)."""
    found = [
        (number, m.group(1)) for number, m in enumerate(map(_EXIT.match, text.splitlines()), 1) if m
    ]
    if len({word for _, word in found}) > 1:
        raise LoopmlpError(f"{name}: conflicting '#@ exit' lines: {[w for _, w in found]}")
    if not found:
        return None
    line, word = found[0]
    address = int(word) if word.isdigit() else labels.get(word)
    if address is None:
        raise LoopmlpError(f"{name}:{line}: '#@ exit {word}': unknown label '{word}'")
    if address >= length:
        raise LoopmlpError(
            f"{name}:{line}: '#@ exit {word}': address {address} is not a word of the program "
            f"(0 to {length - 1})"
        )
    return address


def _args_block(
    name: str, text: str, labels: dict[str, int], length: int
) -> tuple[int, int] | None:
    """The block an `#@ args WORD COUNT` line names: its address and its words."""
    found = [
        (number, m.group(1), int(m.group(2)))
        for number, m in enumerate(map(_ARGS.match, text.splitlines()), 1)
        if m
    ]
    if len({(word, count) for _, word, count in found}) > 1:
        raise LoopmlpError(f"{name}: conflicting '#@ args' lines")
    if not found:
        return None
    line, word, count = found[0]
    address = int(word) if word.isdigit() else labels.get(word)
    if address is None:
        raise LoopmlpError(f"{name}:{line}: '#@ args {word}': unknown label '{word}'")
    if count < 2 or address + count > length:
        raise LoopmlpError(
            f"{name}:{line}: '#@ args {word} {count}': not a block of at least 2 words of the "
            f"program (0 to {length - 1})"
        )
    return address, count


def _min_words(text: str) -> int:
    found = [int(m.group(1)) for m in map(_MEMORY.match, text.splitlines()) if m]
    return max(found, default=0)


def _source_map(name: str, text: str, lines: list[int]) -> tuple[SourceLocation | None, ...]:
    """Each word's source: the `#@` marker in force at its line, or its own line without markers."""
    marks: list[int] = []
    places: list[SourceLocation | None] = []
    for number, text_line in enumerate(text.splitlines(), 1):
        if text_line.startswith("#@") and not (
            _MEMORY.match(text_line)
            or _BITS.match(text_line)
            or _EXIT.match(text_line)
            or _ARGS.match(text_line)
        ):
            m = _MARKER.match(text_line)
            if m is None:
                continue
            marks.append(number)
            places.append(
                None
                if m.group("file") is None
                else SourceLocation(
                    m.group("file"), int(m.group("line")), m.group("function"), m.group("note")
                )
            )
    if not marks:
        return tuple(SourceLocation(name, line) for line in lines)
    result: list[SourceLocation | None] = []
    for line in lines:
        i = bisect.bisect_right(marks, line) - 1
        result.append(places[i] if i >= 0 else SourceLocation(name, line))
    return tuple(result)


ASSEMBLY = FrontEnd("sqasm", DEFAULT_BITS, _read_assembly)
IMAGE = FrontEnd("numeric image", DEFAULT_BITS, _read_image)
C = FrontEnd("C", 32, _read_c)
FRONT_ENDS = {".c": C, **{suffix: ASSEMBLY for suffix in ASSEMBLY_SUFFIXES}}


def front_end(path: str | Path) -> FrontEnd:
    """The front end that reads `path`, by its suffix (a numeric image by default)."""
    return FRONT_ENDS.get(Path(path).suffix.lower(), IMAGE)


def read_program(
    path: str | Path,
    bits: int | None = None,
    words: int | None = None,
    stack: int | None = None,
    cpp: CppOptions | None = None,
    heap: int | None = None,
) -> Program:
    """Read a program file through its front end (N defaults to the front end's own: 32 for C,
    16 otherwise); `stack`, `heap` and `cpp` (-D, -U, -I) are for C programs only."""
    reader = front_end(path)
    if stack is not None and reader is not C:
        raise LoopmlpError(f"{path}: --stack is for C programs")
    if heap is not None and reader is not C:
        raise LoopmlpError(f"{path}: --heap is for C programs")
    if cpp and reader is not C:
        raise LoopmlpError(f"{path}: -D, -U and -I are for C programs")
    text = read_text(path)
    declared = _declared_bits(text) if reader is ASSEMBLY else None
    if declared is not None and bits is not None and bits != declared:
        raise LoopmlpError(
            f"{path}: the program was compiled for N={declared} ('#@ bits "
            f"{declared}'), but the machine's N is {bits}"
        )
    bits = declared or (reader.default_bits if bits is None else bits)
    check_bits(bits)
    program = reader.read(str(path), text, bits, words, stack, cpp, heap)
    if not program.image:
        raise LoopmlpError(f"{path}: empty program (no words)")
    return program


def load_program(path: str | Path, bits: int = DEFAULT_BITS) -> list[int]:
    """The program's image as signed N-bit words."""
    return read_program(path, bits).image
