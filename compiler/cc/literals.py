"""check, the literals: strings (adjacent ones joined), characters and integers as words.

String literals are read as C's translation phases 5 and 6 say: each literal's escapes, then
the literals joined. An integer's type follows from its value, base and suffix
(`check_ints.integer_literal`). Wide and multi-character constants and floating point are
refused with their place.
"""

from __future__ import annotations

from pycparser import c_ast

from . import syntax as S
from .check_ints import IntegerTypes

ESCAPES = {
    "n": 10,
    "t": 9,
    "r": 13,
    "0": 0,
    "\\": 92,
    "'": 39,
    '"': 34,
    "a": 7,
    "b": 8,
    "f": 12,
    "v": 11,
    "?": 63,
    "e": 27,
}


def literal_bodies(raw: str) -> list[str]:
    """The bodies of the adjacent string literals `"..." "..."` spelled in `raw`."""
    bodies, i, n = [], raw.index('"'), len(raw)
    while i < n:
        j = i + 1
        while j < n and raw[j] != '"':
            j += 2 if raw[j] == "\\" else 1
        bodies.append(raw[i + 1 : j])
        i = j + 1
        while i < n and raw[i] != '"':  # the space between two literals
            i += 1
    return bodies


class Literals(IntegerTypes):
    """The checker's literals (a part of check_expr.ExprChecker)."""

    def string_bytes(self, node: c_ast.Constant) -> bytes:
        """A string literal's bytes, escapes resolved (wide strings refused). Adjacent literals
        are one constant to the parser (`"\\x41" "B"`); each part's escapes are read before
        the parts are joined, as C's translation phases 5 and 6 say."""
        raw = node.value
        if raw[:1] in "LuU":
            raise self.unsupported(node, "wide string")
        return b"".join(self.unescape(body, node) for body in literal_bodies(raw))

    def unescape(self, body: str, node: c_ast.Node) -> bytes:
        """The bytes of a literal's body, with hex, octal and named escapes resolved."""
        out = bytearray()
        i = 0
        while i < len(body):
            ch = body[i]
            if ch != "\\":
                out += ch.encode("utf-8")
                i += 1
                continue
            i += 1
            esc = body[i] if i < len(body) else ""
            if esc == "x":
                j = i + 1
                while j < len(body) and body[j] in "0123456789abcdefABCDEF":
                    j += 1
                if j == i + 1:
                    raise self.error(node, "\\x used with no following hex digits")
                out.append(int(body[i + 1 : j], 16) & 0xFF)
                i = j
            elif esc in "01234567":
                j = i
                while j < len(body) and j < i + 3 and body[j] in "01234567":
                    j += 1
                out.append(int(body[i:j], 8) & 0xFF)
                i = j
            elif esc in ESCAPES:
                out.append(ESCAPES[esc])
                i += 1
            elif esc in "uU":  # valid C99, but a universal character is not one byte
                raise self.unsupported(node, f"universal character name '\\{esc}'")
            else:
                raise self.error(node, f"unknown escape sequence '\\{esc}'")
        return bytes(out)

    def number(self, node: c_ast.Constant) -> S.Expr:
        """A literal: a string, a character, or an integer (decimal, octal, hex) as a word."""
        loc = self.loc(node)
        if node.type == "string":
            data = self.string_bytes(node)
            s = S.Str(
                data,
                f"_s{len(self.strings) + 1}_{self.file_tag()}",
                loc=loc,
                ctype=S.CHAR_POINTER,
            )
            self.strings.append(s)
            return s
        if node.type != "string" and node.value.lstrip("LuU8")[:1] == "'":
            if node.type != "char":  # the parser takes 'ab' for an int
                raise self.unsupported(node, f"multi-character constant {node.value}")
            raw = node.value
            if raw[:1] in "LuU":
                raise self.unsupported(node, "wide character")
            data = self.unescape(raw[1:-1], node)
            if len(data) != 1:
                raise self.unsupported(node, f"multi-character constant {raw}")
            return S.Num(data[0], loc=loc)
        text = node.value.lower()
        if node.type in ("float", "double") or ("." in text and not text.startswith("0x")):
            raise self.unsupported(node, f"floating-point constant {node.value}")
        digits = text.rstrip("ul")
        base = (
            16
            if digits.startswith("0x")
            else 8
            if digits.startswith("0") and len(digits) > 1
            else 10
        )
        try:
            value = int(digits, base)
        except ValueError:
            raise self.error(node, f"invalid number {node.value}") from None
        return self.integer_literal(node, value, base, text[len(digits) :])

    def file_tag(self) -> str:
        """A tag for string labels: `lib` in the library's sources, `u` in the program's."""
        return "lib" if self.file.startswith("<") else "u"
