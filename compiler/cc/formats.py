"""printf's formats read when compiling: text and conversion specifications, as C99 spells them.

A format known when compiling is parsed once into pieces: text to print as it is, and
conversions (`%[flags][width][.precision][length]conversion`). Plain `%d %i %u %x %X %o %c
%s` (no flags, width or precision) are printed by the fast routines; every other conversion
goes to the library's `__pf`, which takes the same flag bits as this module. A format ends
at its first NUL.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

# Flag bits shared with the library's `__pf` (see library.py): the five flags, then the length
# modifiers that narrow the value (hh: to a char, h: to a short, as glibc converts them).
FLAGS = {"-": 1, "+": 2, " ": 4, "0": 8, "#": 16}
CHAR_LENGTH, SHORT_LENGTH = 32, 64
CONVERSIONS = "diuxXocsp"
STAR = "*"  # a width or precision taken from the next argument


class FormatError(ValueError):
    """A format this compiler does not print; the message names the conversion."""


@dataclass(frozen=True)
class Spec:
    """One conversion: its letter, flag bits, width and precision (a number, STAR, or None)."""

    conv: str
    flags: int = 0
    width: int | str | None = None
    precision: int | str | None = None
    length: str = ""  # `l`, `ll` or `z` as written (hh and h are flag bits)

    @property
    def arguments(self) -> int:
        """How many arguments it takes: one per `*`, and the value."""
        return (self.width == STAR) + (self.precision == STAR) + 1

    @property
    def plain(self) -> bool:
        """Whether a fast routine prints it: no flags, no width, no precision, no hh or h."""
        return (
            self.conv in "diuxXocs"
            and self.flags == 0
            and self.width is None
            and self.precision is None
        )


@functools.lru_cache(maxsize=1024)
def parse_format(data: bytes) -> tuple[bytes | Spec, ...]:
    """The pieces of a format: runs of text, and conversions (`%%` is text). Each format is
    parsed once: the checker's reading is the one the generator prints from."""
    data = data.split(b"\0", 1)[0]
    pieces: list[bytes | Spec] = []
    text = bytearray()
    i, n = 0, len(data)
    while i < n:
        if data[i] != ord("%"):
            text.append(data[i])
            i += 1
            continue
        start, i = i, i + 1
        flags = 0
        while i < n and chr(data[i]) in FLAGS:
            flags |= FLAGS[chr(data[i])]
            i += 1
        width, i = _number(data, i)
        precision = None
        if i < n and data[i] == ord("."):
            precision, i = _number(data, i + 1)
            precision = 0 if precision is None else precision
        length = ""
        if data.startswith(b"hh", i):
            flags, i = flags | CHAR_LENGTH, i + 2
        elif data.startswith(b"h", i):
            flags, i = flags | SHORT_LENGTH, i + 1
        elif data.startswith(b"ll", i):
            length, i = "ll", i + 2
        elif i < n and chr(data[i]) in "lz":
            length, i = chr(data[i]), i + 1
        conv = chr(data[i]) if i < n else ""
        shown = data[start : i + 1].decode("latin-1")
        if conv in ("c", "s") and data[i - 1 : i] == b"l":
            raise FormatError(f"printf conversion '{shown}' (a wide character or string)")
        if conv == "%" and width != STAR and precision != STAR:
            text.append(ord("%"))  # glibc prints `%5%` as `%`
            i += 1
            continue
        if not conv or conv not in CONVERSIONS:
            raise FormatError(
                f"printf conversion '{shown}' (flags -+ #0, width, precision, hh h l ll z, "
                "and %d %i %u %x %X %o %c %s %p %% only)"
            )
        if text:
            pieces.append(bytes(text))
            text.clear()
        pieces.append(Spec(conv, flags & ~_ignored(conv), width, precision, length))
        i += 1
    if text:
        pieces.append(bytes(text))
    return tuple(pieces)


def _number(data: bytes, i: int) -> tuple[int | str | None, int]:
    """A width or precision at i: digits, `*`, or nothing (None); and where it ends."""
    if i < len(data) and data[i] == ord("*"):
        return STAR, i + 1
    j = i
    while j < len(data) and chr(data[j]).isdigit():
        j += 1
    return (int(data[i:j]) if j > i else None), j


def _ignored(conv: str) -> int:
    """Flags glibc ignores for a conversion (so a plain conversion stays plain)."""
    if conv in "cs":
        return FLAGS["+"] | FLAGS[" "] | FLAGS["0"] | FLAGS["#"] | CHAR_LENGTH | SHORT_LENGTH
    if conv in "di":
        return FLAGS["#"]
    if conv == "p":
        return FLAGS["#"] | CHAR_LENGTH | SHORT_LENGTH
    return FLAGS["+"] | FLAGS[" "]  # u x X o
