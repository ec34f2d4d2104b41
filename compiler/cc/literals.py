"""check, the literals: strings (adjacent ones joined), characters and integers as words.

String literals are read as C's translation phases 5 and 6 say: each literal's escapes, then
the literals joined. An integer's type follows from its value, base and suffix
(`check_ints.integer_literal`). A wide literal (`L'x'`, `L"..."`) holds code points, the
source's UTF-8 decoded, as wchar_t (`int`) words. Multi-character constants, C11's `u`, `U` and
`u8` literals and floating point are refused with their place.
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
        """A string literal's bytes, escapes resolved. Adjacent literals are one constant to
        the parser (`"\\x41" "B"`); each part's escapes are read before the parts are joined,
        as C's translation phases 5 and 6 say."""
        raw = self.plain_or_wide(node)
        if raw[:1] == "L":
            raise self.error(node, "char-array initialized from wide string")
        return bytes(c for body in literal_bodies(raw) for c in self.characters(body, node))

    def wide_points(self, node: c_ast.Constant) -> tuple[int, ...]:
        """A wide string literal's wchar_t code points (the source's UTF-8 decoded), escapes
        resolved, each as the word holds it."""
        raw = self.plain_or_wide(node)
        if raw[:1] != "L":
            raise self.error(node, "wchar_t-array initialized from non-wide string")
        points = [c for body in literal_bodies(raw) for c in self.characters(body, node, True)]
        return tuple(self.wchar(c, node) for c in points)

    def plain_or_wide(self, node: c_ast.Constant) -> str:
        """A literal's spelling, refusing C11's prefixes (gcc -std=c99 reads `u` as a name)."""
        raw = node.value
        prefix = raw[: min(raw.find(q) for q in "'\"" if q in raw)]
        if prefix not in ("", "L"):
            raise self.unsupported(node, f"{raw}: C11's {prefix}-prefixed literal, not C99's")
        return raw

    def wchar(self, value: int, node: c_ast.Node) -> int:
        """A wide character's value as a 32-bit wchar_t (`int`) holds it, in the word."""
        value = value - (1 << 32) if value >= 1 << 31 else value
        if not -(1 << (self.bits - 1)) <= value < 1 << (self.bits - 1):
            raise self.unsupported(node, f"wide character {value:#x} in a {self.bits}-bit int")
        return value

    def characters(self, body: str, node: c_ast.Node, wide: bool = False) -> list[int]:
        """The characters of a literal's body, with hex, octal, named and universal escapes
        resolved: bytes (the source's UTF-8, as gcc's), or for a wide literal code points."""
        out: list[int] = []
        mask = 0xFFFFFFFF if wide else 0xFF
        i = 0
        while i < len(body):
            ch = body[i]
            if ch != "\\":
                out.extend([ord(ch)] if wide else ch.encode("utf-8"))
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
                out.append(int(body[i + 1 : j], 16) & mask)
                i = j
            elif esc in "01234567":
                j = i
                while j < len(body) and j < i + 3 and body[j] in "01234567":
                    j += 1
                out.append(int(body[i:j], 8) & mask)
                i = j
            elif esc in ESCAPES:
                out.append(ESCAPES[esc])
                i += 1
            elif esc in "uU":
                digits = body[i + 1 : i + (5 if esc == "u" else 9)]
                if len(digits) != (4 if esc == "u" else 8) or any(
                    d not in "0123456789abcdefABCDEF" for d in digits
                ):
                    raise self.error(node, f"incomplete universal character name \\{esc}{digits}")
                point = int(digits, 16)
                if (point < 0xA0 and point not in (0x24, 0x40, 0x60)) or (
                    0xD800 <= point <= 0xDFFF or point > 0x10FFFF
                ):
                    raise self.error(node, f"\\{esc}{digits} is not a valid universal character")
                out.extend([point] if wide else chr(point).encode("utf-8"))
                i += 1 + len(digits)
            else:
                raise self.error(node, f"unknown escape sequence '\\{esc}'")
        return out

    def number(self, node: c_ast.Constant) -> S.Expr:
        """A literal: a string, a character, or an integer (decimal, octal, hex) as a word."""
        loc = self.loc(node)
        if node.type == "string" and node.value[:1] == "L":
            points = S.WideStr(
                self.wide_points(node),
                f"_s{len(self.strings) + 1}_{self.file_tag()}",
                loc=loc,
                ctype=S.pointer(S.INT),
            )
            self.strings.append(points)
            return points
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
            raw = self.plain_or_wide(node)
            wide = raw[:1] == "L"
            chars = self.characters(raw[1 + wide : -1], node, wide)
            if len(chars) != 1:
                raise self.unsupported(node, f"multi-character constant {raw}")
            return S.Num(self.wchar(chars[0], node) if wide else chars[0], loc=loc)
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
