"""The loader: a program's command-line arguments written into the block of words it reserves
for them (`#@ args`), in the image, before its first step, as an operating system's loader
writes them onto a new process's stack. The program computes nothing of them itself.

The block, from its first word: argc; argv[0] .. argv[argc - 1], the addresses of their
strings; a NULL (0); then the strings, one byte a word, each ending in a NUL.
"""

from __future__ import annotations

import os

from ..compiler.build import Program
from ..ir.errors import LoopmlpError


def argument_words(address: int, argv: list[bytes]) -> list[int]:
    """The block's words for `argv` when it starts at `address` (the words after them are
    left as they are)."""
    strings = address + 1 + len(argv) + 1
    pointers: list[int] = []
    text: list[int] = []
    for arg in argv:
        pointers.append(strings + len(text))
        text += [*arg, 0]
    return [len(argv), *pointers, 0, *text]


def load_arguments(program: Program, name: str, args: tuple[str, ...] = ()) -> list[int]:
    """`program`'s image with argv = [name, *args] in its block (its image as it is when it
    reserves none: such a program takes no arguments); refused in one line when they do not
    fit."""
    if program.args is None:
        return program.image
    address, words = program.args
    argv = [os.fsencode(name), *map(os.fsencode, args)]  # the bytes as given
    block = argument_words(address, argv)
    if len(block) > words:
        raise LoopmlpError(
            f"{name}: the arguments need {len(block)} words (argc, argv[] and its NULL, and "
            f"each string with its NUL), more than the {words} the program reserves for them"
        )
    top = 1 << program.bits
    image = list(program.image)
    image[address : address + len(block)] = [w - top if w >= top >> 1 else w for w in block]
    return image
