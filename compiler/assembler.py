"""sqasm assembly (Oleg Mazonka's syntax, docs/sqasm.md) to a numeric image, with located errors."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ..ir.errors import LoopmlpError

ESCAPES = {"n": 10, "t": 9, "\\": 92, '"': 34, "'": 39, "0": 0}
PUNCTUATION = set(":;.?+-(),")


class AsmError(LoopmlpError):
    """An assembly error: `file:line:col: message`."""


@dataclass(frozen=True)
class Token:
    kind: str  # "name", "num", "char", "str", "nl", or the punctuation character itself
    text: str
    value: object
    line: int
    col: int


def _fail(file: str, line: int, col: int, message: str) -> AsmError:
    return AsmError(f"{file}:{line}:{col}: {message}")


# The common tokens of ASCII text, read by one regular expression: a compiled program of
# 100,000 words is tokenized several times faster than character by character. Anything else
# (quotes, other characters, a number `int` cannot read) is left to the careful reader below,
# which locates each error.
_FAST = re.compile(
    r"(?P<nl>\n)|[ \t\f\v]+|#[^\n]*|(?P<num>[0-9][A-Za-z0-9_]*)"
    r"|(?P<name>[A-Za-z_$][A-Za-z0-9_$]*)|(?P<punct>[:;.?+\-(),])|(?P<other>.)",
    re.DOTALL,
)


def tokenize(text: str, file: str = "<input>") -> list[Token]:
    """Split sqasm text into tokens; '#' comments are dropped, newlines kept as 'nl' tokens."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # any line ending, CR alone too
    if text.isascii():
        fast = _tokenize_fast(text)
        if fast is not None:
            return fast
    return _tokenize(text, file)


def _tokenize_fast(text: str) -> list[Token] | None:
    """The tokens of text without quotes or odd characters (None: let `_tokenize` read it)."""
    tokens: list[Token] = []
    line, line_start = 1, 0
    for match in _FAST.finditer(text):
        kind = match.lastgroup
        if kind is None:  # blanks or a comment
            continue
        at = match.start()
        word = match.group()
        if kind == "nl":
            tokens.append(Token("nl", word, None, line, at - line_start + 1))
            line, line_start = line + 1, at + 1
        elif kind == "name":
            tokens.append(Token("name", word, None, line, at - line_start + 1))
        elif kind == "punct":
            tokens.append(Token(word, word, None, line, at - line_start + 1))
        elif kind == "num":
            try:
                value = int(word, 0)
            except ValueError:
                return None
            tokens.append(Token("num", word, value, line, at - line_start + 1))
        else:
            return None
    tokens.append(Token("nl", "", None, line, len(text) - line_start + 1))
    return tokens


def _tokenize(text: str, file: str) -> list[Token]:
    """`tokenize`, character by character: any text, every error located."""
    tokens: list[Token] = []
    i, line, line_start, n = 0, 1, 0, len(text)

    def escape(j: int, quote_line: int, quote_col: int) -> tuple[int, int]:
        if j >= n or text[j] == "\n":
            raise _fail(file, quote_line, quote_col, "unterminated escape")
        if text[j] not in ESCAPES:
            raise _fail(file, line, j - line_start + 1, f"unknown escape '\\{text[j]}'")
        return ESCAPES[text[j]], j + 1

    while i < n:
        ch, col = text[i], i - line_start + 1
        if ch == "\n":
            tokens.append(Token("nl", ch, None, line, col))
            i, line, line_start = i + 1, line + 1, i + 1
        elif ch in " \t\r\f\v":
            i += 1
        elif ch == "#":
            while i < n and text[i] != "\n":
                i += 1
        elif ch.isdigit():
            j = i
            while j < n and (text[j].isalnum() or text[j] == "_"):
                j += 1
            word = text[i:j]
            try:
                value = int(word, 0)
            except ValueError:
                raise _fail(file, line, col, f"bad number '{word}'") from None
            tokens.append(Token("num", word, value, line, col))
            i = j
        elif ch.isalpha() or ch in "_$":  # `$` as C compilers allow it in names
            j = i
            while j < n and (text[j].isalnum() or text[j] in "_$"):
                j += 1
            tokens.append(Token("name", text[i:j], None, line, col))
            i = j
        elif ch == "'":
            j = i + 1
            if j >= n or text[j] == "\n":
                raise _fail(file, line, col, "unterminated character constant")
            if text[j] == "\\":
                value, j = escape(j + 1, line, col)
            else:
                value, j = ord(text[j]), j + 1
            if j >= n or text[j] != "'":
                raise _fail(file, line, col, "unterminated character constant (expected ')")
            tokens.append(Token("char", text[i : j + 1], value, line, col))
            i = j + 1
        elif ch == '"':
            j, chars = i + 1, []
            while True:
                if j >= n or text[j] == "\n":
                    raise _fail(file, line, col, "unterminated string")
                if text[j] == '"':
                    break
                if text[j] == "\\":
                    value, j = escape(j + 1, line, col)
                else:
                    value, j = ord(text[j]), j + 1
                chars.append(value)
            tokens.append(Token("str", text[i : j + 1], chars, line, col))
            i = j + 1
        elif ch in PUNCTUATION:
            tokens.append(Token(ch, ch, None, line, col))
            i += 1
        else:
            raise _fail(file, line, col, f"unexpected character {ch!r}")
    tokens.append(Token("nl", "", None, line, i - line_start + 1))
    return tokens


@dataclass
class Item:
    """One word to emit: an expression tree, evaluated once all labels are known."""

    expr: tuple
    address: int
    token: Token
    origin: int | None = None  # where '?' is evaluated, if not at `address` (a copied `A`)


class _Parser:
    def __init__(self, tokens: list[Token], file: str) -> None:
        self.tokens, self.file, self.pos = tokens, file, 0
        self.items: list[Item] = []
        self.labels: dict[str, int] = {}
        self.label_tokens: dict[str, Token] = {}

    def peek(self) -> Token:
        return self.tokens[self.pos]

    def take(self) -> Token:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def error(self, tok: Token, message: str) -> AsmError:
        return _fail(self.file, tok.line, tok.col, message)

    def program(self) -> None:
        while self.pos < len(self.tokens):
            tok = self.peek()
            if tok.kind in ("nl", ";"):
                self.take()
            else:
                self.statement()

    def labels_here(self) -> None:
        """Any number of `name:` before the next word; they name that word's address."""
        while self.peek().kind == "name" and self.tokens[self.pos + 1].kind == ":":
            tok = self.take()
            self.take()
            if tok.text in self.labels:
                first = self.label_tokens[tok.text]
                raise self.error(
                    tok, f"duplicate label '{tok.text}' (first defined at line {first.line})"
                )
            self.labels[tok.text] = len(self.items)
            self.label_tokens[tok.text] = tok

    def at_end_of_statement(self) -> bool:
        return self.peek().kind in ("nl", ";")

    def statement(self) -> None:
        self.labels_here()
        if self.at_end_of_statement():
            return
        if self.peek().kind == ".":
            self.take()
            self.labels_here()
            while not self.at_end_of_statement():
                tok = self.peek()
                if tok.kind == "str":
                    self.take()
                    assert isinstance(tok.value, list)  # a string token holds its character codes
                    for ch in tok.value:
                        self.items.append(Item(("num", ch), len(self.items), tok))
                else:
                    self.items.append(Item(self.expression(), len(self.items), tok))
                self.labels_here()
            return
        start = len(self.items)
        words: list[Item] = []
        while not self.at_end_of_statement():
            tok = self.peek()
            if len(words) == 3:
                raise self.error(
                    tok, "an instruction has at most 3 items (expected ';' or newline)"
                )
            if tok.kind == "str":
                raise self.error(tok, "a string is only allowed in a data line (starting with '.')")
            item = Item(self.expression(), start + len(words), tok)
            words.append(item)
            self.items.append(item)
            self.labels_here()
        if len(words) == 1:  # `A` means `A A ?`
            self.items.append(Item(words[0].expr, start + 1, words[0].token, origin=start))
        if len(words) <= 2:  # `A B` means `A B ?`: the next instruction
            self.items.append(Item(("num", start + 3), start + 2, words[0].token))

    def expression(self) -> tuple:
        """A sum of signed terms, `("sum", [(sign, atom), ...])`: parentheses and minus signs
        only decide each term's sign, so the expression is parsed without recursion (any
        depth of nesting) and evaluated as one sum."""
        terms: list[tuple[int, tuple]] = []
        groups: list[tuple[int, Token]] = []  # the sign of each open '(' and where it opened
        sign = 1
        while True:
            tok = self.take()  # a term: signs and '(' until an atom
            if tok.kind == "-":
                sign = -sign
                continue
            if tok.kind == "(":
                groups.append((sign, tok))
                sign = 1
                continue
            if tok.kind in ("num", "char"):
                atom: tuple = ("num", tok.value)
            elif tok.kind == "name":
                atom = ("label", tok)
            elif tok.kind == "?":
                atom = ("here",)
            else:
                raise self.error(
                    tok,
                    f"expected a number, label, '?', '-', '(' or 'c' but found {_describe(tok)}",
                )
            outer = 1
            for group_sign, _ in groups:
                outer *= group_sign
            terms.append((outer * sign, atom))
            while groups and self.peek().kind == ")":
                self.take()
                groups.pop()
            if self.peek().kind in ("+", "-"):
                sign = 1 if self.take().kind == "+" else -1
                continue
            if groups:
                raise self.error(self.peek(), f"expected ')' but found {_describe(self.peek())}")
            return ("sum", terms)

    def evaluate(self, expr: tuple, address: int) -> int:
        if expr[0] == "num":
            return expr[1]
        return sum(sign * self.atom(atom, address) for sign, atom in expr[1])

    def atom(self, atom: tuple, address: int) -> int:
        if atom[0] == "num":
            return atom[1]
        if atom[0] == "here":
            return address + 1
        tok = atom[1]
        if tok.text not in self.labels:
            raise self.error(tok, f"unknown label '{tok.text}'")
        return self.labels[tok.text]


@functools.lru_cache(maxsize=1 << 16)
def operand_terms(text: str) -> tuple[tuple[int, str | int | None], ...] | None:
    """One operand's expression as signed terms: a number, a label's name, or None for `?`
    (None: not a single well-formed expression; assembling the text says why)."""
    tokens = _tokenize_fast(text)
    if tokens is None:
        return None
    parser = _Parser(tokens, "<operand>")
    try:
        kind, terms = parser.expression()
    except AsmError:
        return None
    if parser.peek().kind != "nl" or parser.pos != len(tokens) - 1:
        return None
    assert kind == "sum"
    out: list[tuple[int, str | int | None]] = []
    for sign, atom in terms:
        if atom[0] == "num":
            out.append((sign, atom[1]))
        elif atom[0] == "label":
            out.append((sign, atom[1].text))
        else:
            out.append((sign, None))
    return tuple(out)


def _describe(tok: Token) -> str:
    if tok.kind == "nl":
        return "end of line" if tok.text else "end of file"
    return f"'{tok.text}'"


def assemble(text: str, bits: int = 16, file: str = "<input>") -> list[int]:
    """Assemble sqasm text to signed N-bit words; every value must fit N bits (signed or
    unsigned)."""
    return assemble_lines(text, bits, file)[0]


def assemble_lines(text: str, bits: int = 16, file: str = "<input>") -> tuple[list[int], list[int]]:
    """`assemble`, and the source line each word came from."""
    image, lines, _ = assemble_labels(text, bits, file)
    return image, lines


def assemble_labels(
    text: str, bits: int = 16, file: str = "<input>"
) -> tuple[list[int], list[int], dict[str, int]]:
    """`assemble_lines`, and the address of each label."""
    parser = _Parser(tokenize(text, file), file)
    parser.program()
    image = []
    for item in parser.items:
        origin = item.address if item.origin is None else item.origin
        value = parser.evaluate(item.expr, origin)
        if not -(1 << (bits - 1)) <= value < (1 << bits):
            raise parser.error(
                item.token,
                f"value {value} at address {item.address} does not fit {bits} bits "
                f"(needs {bits_needed(value)})",
            )
        image.append(value - (1 << bits) if value >= 1 << (bits - 1) else value)
    return image, [item.token.line for item in parser.items], dict(parser.labels)


def bits_needed(value: int) -> int:
    """The smallest N for which `value` is a valid N-bit word (signed or unsigned)."""
    n = 1
    while not -(1 << (n - 1)) <= value < (1 << n):
        n += 1
    return n
