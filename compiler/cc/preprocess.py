"""The C preprocessor subset: comments, line splices, the standard headers, object-like #define.

No system `cpp` is needed. Line numbers are kept (a directive or a comment becomes blank
lines), so pycparser's coordinates are the source's. `#include` of <stdio.h>, <stdlib.h> or
<string.h> is accepted: their functions are built in. Anything else is refused with its place.
"""

from __future__ import annotations

import re

from ...ir.errors import LoopmlpError

HEADERS = {"stdio.h", "stdlib.h", "string.h"}
PREDEFINED = {"EOF": "(-1)", "NULL": "0", "EXIT_SUCCESS": "0", "EXIT_FAILURE": "1"}
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DIRECTIVE = re.compile(r"\s*#\s*([A-Za-z_]*)(.*)")


class CError(LoopmlpError):
    """A C source error: `FILE:LINE:COL: message`, one line."""

    @staticmethod
    def at(file: str, line: int, col: int, message: str) -> CError:
        """An error at `file:line:col`."""
        return CError(f"{file}:{line}:{col}: {message}")


def strip_comments(text: str, file: str) -> str:
    """Comments become spaces (newlines kept); string and character literals are left alone."""
    out: list[str] = []
    i, n, line, line_start = 0, len(text), 1, 0
    while i < n:
        ch = text[i]
        if ch == "\n":
            line, line_start = line + 1, i + 1
            out.append(ch)
            i += 1
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise CError.at(file, line, i - line_start + 1, "unterminated comment")
            chunk = text[i : end + 2]
            out.append(" " + "\n" * chunk.count("\n"))
            line += chunk.count("\n")
            if "\n" in chunk:
                line_start = i + chunk.rfind("\n") + 1
            i = end + 2
        elif ch in "\"'":
            j = i + 1
            while j < n and text[j] != ch and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _splice(text: str) -> list[str]:
    """Backslash-newline joins lines; the joined line is followed by blanks to keep numbering."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line, extra = lines[i], 0
        while line.endswith("\\") and i + extra + 1 < len(lines):
            extra += 1
            line = line[:-1] + lines[i + extra]
        out.append(line)
        out.extend([""] * extra)
        i += extra + 1
    return out


def _expand(line: str, macros: dict[str, str], active: frozenset[str] = frozenset()) -> str:
    """Replace macro names outside string and character literals (a macro never expands itself)."""
    out: list[str] = []
    i, n = 0, len(line)
    while i < n:
        ch = line[i]
        if ch in "\"'":
            j = i + 1
            while j < n and line[j] != ch:
                j += 2 if line[j] == "\\" else 1
            out.append(line[i : j + 1])
            i = j + 1
            continue
        match = _IDENT.match(line, i) if (ch.isalpha() or ch == "_") else None
        if match:
            name = match.group()
            if name in macros and name not in active:
                out.append(" " + _expand(macros[name], macros, active | {name}) + " ")
            else:
                out.append(name)
            i = match.end()
            continue
        if ch.isdigit():  # a number's letters (0x1F, 10u) are not names
            j = i
            while j < n and (line[j].isalnum() or line[j] in "_."):
                j += 1
            out.append(line[i:j])
            i = j
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def preprocess(text: str, file: str) -> str:
    """The source as pycparser reads it, line for line."""
    macros = dict(PREDEFINED)
    lines = _splice(strip_comments(text, file))
    out: list[str] = []
    for number, line in enumerate(lines, 1):
        directive = _DIRECTIVE.match(line)
        if not directive:
            out.append(_expand(line, macros))
            continue
        col = line.index("#") + 1
        name, rest = directive.group(1), directive.group(2).strip()
        if name == "include":
            header = re.fullmatch(r"<\s*([\w./]+)\s*>", rest)
            if not header or header.group(1) not in HEADERS:
                what = rest or "#include without a file"
                raise CError.at(
                    file,
                    number,
                    col,
                    f"not supported: #include {what} "
                    "(only <stdio.h>, <stdlib.h> and <string.h>, which are built in)",
                )
        elif name == "define":
            match = re.match(r"([A-Za-z_][A-Za-z0-9_]*)(\(?)\s*(.*)", rest)
            if not match:
                raise CError.at(file, number, col, "#define needs a name")
            if match.group(2):
                raise CError.at(
                    file, number, col, f"not supported: function-like macro {match.group(1)}()"
                )
            macros[match.group(1)] = match.group(3)
        elif name == "undef":
            macros.pop(rest.split()[0] if rest else "", None)
        elif name == "pragma" or (name == "" and not rest):
            pass  # `#pragma` is ignored; a lone `#` is the null directive
        else:
            raise CError.at(file, number, col, f"not supported: #{name}")
        out.append("")
    return "\n".join(out)
