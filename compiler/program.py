"""Reading a program file: sqasm assembly (.asq, .sq, .s) or a numeric image (anything else)."""

from __future__ import annotations

import re
from pathlib import Path

from ..ir.errors import LoopmlpError
from ..ir.machine import check_bits
from .assembler import _bits_needed, assemble

ASSEMBLY_SUFFIXES = {".asq", ".sq", ".s"}
_SEPARATORS = re.compile(r"[\s,]+")


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
                    f"{file}:{line_no}:{match.start() + 1}: expected an integer, found '{word[:20]}'"
                ) from None
            if not -(1 << (bits - 1)) <= value < (1 << bits):
                raise LoopmlpError(
                    f"{file}:{line_no}:{match.start() + 1}: word {len(image)} = {value} does not fit "
                    f"{bits} bits (needs {_bits_needed(value)})"
                )
            image.append(value - (1 << bits) if value >= 1 << (bits - 1) else value)
    return image


def existing_file(path: str | Path, what: str) -> Path:
    """`path` as a Path, or the one-line error for a missing file or a directory."""
    p = Path(path)
    if not p.exists():
        raise LoopmlpError(f"{path}: no such file")
    if p.is_dir():
        raise LoopmlpError(f"{path}: is a directory, not {what}")
    return p


def read_text(path: str | Path) -> str:
    """A program file's text, with one-line errors for missing, unreadable or binary files."""
    p = existing_file(path, "a program file")
    try:
        data = p.read_bytes()
    except OSError as err:
        raise LoopmlpError(f"{path}: cannot read: {err.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise LoopmlpError(f"{path}: not a text file (byte {err.start} is not UTF-8)") from None
    if "\0" in text:
        raise LoopmlpError(f"{path}: not a text file (contains NUL bytes)")
    return text


def load_program(path: str | Path, bits: int = 16) -> list[int]:
    """The program's image as signed N-bit words."""
    check_bits(bits)
    text = read_text(path)
    if Path(path).suffix.lower() in ASSEMBLY_SUFFIXES:
        image = assemble(text, bits, str(path))
    else:
        image = parse_image(text, bits, str(path))
    if not image:
        raise LoopmlpError(f"{path}: empty program (no words)")
    return image
