"""The C front end's one error: a located line, `FILE:LINE:COL: message` (every stage's)."""

from __future__ import annotations

from ...ir.errors import LoopmlpError


class CError(LoopmlpError):
    """A C source error: `FILE:LINE:COL: message`, one line."""

    @staticmethod
    def at(file: str, line: int, col: int, message: str) -> CError:
        """An error at `file:line:col`."""
        return CError(f"{file}:{line}:{col}: {message}")
