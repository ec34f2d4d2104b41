"""Program sources: a file's text (one-line errors for what is not a text file), and the C
preprocessor's options. Both the readers of program files and the C front end use them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..ir.errors import LoopmlpError
from ..ir.files import existing_file


@dataclass(frozen=True)
class CppOptions:
    """C's preprocessor options: `-D NAME[=VALUE]` and `-U NAME` in the order given
    (("D", "NAME=VALUE") or ("U", "NAME")), and the `-I DIR` search directories."""

    macros: tuple[tuple[str, str], ...] = ()
    include: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.macros or self.include)


MAX_PROGRAM_BYTES = 64 << 20  # a program file larger than this is refused unread


def read_text(path: str | Path) -> str:
    """A program file's text, with one-line errors for missing, unreadable or binary files."""
    p = existing_file(path, "a program file", MAX_PROGRAM_BYTES)
    try:
        data = p.read_bytes()
    except OSError as err:
        raise LoopmlpError(f"{path}: cannot read: {err.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line_start = data.rfind(b"\n", 0, err.start) + 1
        line = data.count(b"\n", 0, err.start) + 1
        col = len(data[line_start : err.start].decode("utf-8")) + 1  # in characters, 1-based
        raise LoopmlpError(
            f"{path}:{line}:{col}: not UTF-8 (byte 0x{data[err.start]:02x}): not a text file, "
            "or one in another encoding"
        ) from None
    if "\0" in text:
        raise LoopmlpError(f"{path}: not a text file (contains NUL bytes)")
    return text
