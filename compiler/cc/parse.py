"""Parsing: preprocessed C to pycparser's syntax tree, every syntax error one located line."""

from __future__ import annotations

import re

from pycparser import c_ast, c_parser

from .attributes import without_attributes
from .errors import CError
from .nesting import Place, check_brackets, check_depth, too_deep
from .preprocess import location


def parse(source: str, file: str) -> tuple[c_ast.FileAST, Place]:
    """The syntax tree of preprocessed source, and the place of its deepest node (nesting
    deeper than the limits is refused, see nesting)."""
    check_brackets(source, file)
    parser = _Parser()
    try:
        ast = parser.parse(source, filename=file)
    except c_parser.ParseError as err:
        raise CError(
            _gnu_construct(source, file) or _syntax_error(str(err), file, source)
        ) from None
    except RecursionError:  # a chain the parser recurses on (else-if, unary operators, ...)
        raise too_deep(file, _parser_place(parser, source)) from None
    return ast, check_depth(ast, file)


class _Parser(c_parser.CParser):
    """pycparser, placing every syntax error at a line and column (some of its messages name
    only the file): at the next token, or at the end of the input. gcc's `__attribute__((...))`
    is taken out of the tokens it reads (see attributes.without_attributes)."""

    def __init__(self) -> None:
        super().__init__()
        self.clex.token = without_attributes(self.clex.token)

    def _parse_block_item(self):
        return self._typedef_label() or super()._parse_block_item()

    def _parse_statement(self):
        return self._typedef_label() or super()._parse_statement()

    def _parse_jump_statement(self):
        """`goto T;` where T is also a typedef name (labels are a namespace of their own)."""
        if self._peek_type() == "GOTO" and self._peek_type(2) == "TYPEID":
            if self._peek_type(3) == "SEMI":
                tok, name = self._advance(), self._advance()
                self._advance()
                return c_ast.Goto(name.value, self._tok_coord(tok))
        return super()._parse_jump_statement()

    def _typedef_label(self) -> c_ast.Label | None:
        """`T: statement` where T is also a typedef name, or None."""
        if self._peek_type() != "TYPEID" or self._peek_type(2) != "COLON":
            return None
        name = self._advance()
        self._advance()
        if self._starts_statement():
            stmt = self._parse_pragmacomp_or_statement()
        else:
            stmt = c_ast.EmptyStatement(self._tok_coord(name))
        return c_ast.Label(name.value, stmt, self._tok_coord(name))

    def _parse_primary_expression(self):
        """gcc's statement expression `({ ... })` as a StatementExpression (a bare one, the
        last statement of another, gives that one its value)."""
        if self._peek_type() == "LPAREN" and self._peek_type(2) == "LBRACE":
            block = super()._parse_primary_expression()
            return StatementExpression(block.block_items, block.coord)
        return super()._parse_primary_expression()

    def _parse_error(self, msg, coord):
        if not hasattr(coord, "line"):
            try:
                tok = self._peek()
                coord = self._tok_coord(tok) if tok is not None else coord
            except (AttributeError, TypeError):  # another pycparser: keep its place
                pass
        super()._parse_error(msg, coord)

    def _parse_designator(self):
        """gcc's range designator, `[low ... high]`, as `ArrayDesignator(BinaryOp("...", low,
        high))`; any other designator as pycparser parses it."""
        if self._peek_type() != "LBRACKET":
            return super()._parse_designator()
        tok = self._advance()
        low = self._parse_constant_expression()
        if ellipsis := self._accept("ELLIPSIS"):
            high = self._parse_constant_expression()
            low = c_ast.BinaryOp("...", low, high, self._tok_coord(ellipsis))
        self._expect("RBRACKET")
        return c_ast.ArrayDesignator(low, self._tok_coord(tok))


# gcc's extensions the grammar does not read, named where a program that fails to parse has one
# (at the pattern's group where it has one)
GNU_CONSTRUCTS = [
    (r"\b(?:__typeof__|__typeof|typeof)\s*\(", "gcc's typeof"),
    (r"\?\s*:", "gcc's ?: with its middle operand left out"),
    (r"\bcase\b[^:;]*?\.\.\.", "gcc's case ranges (case a ... b:)"),
    (r"\b(?:__asm__|__asm|asm)\b", "inline assembly"),
    (r"\bgoto\s*\*", "gcc's computed goto (goto *)"),
    (r"(?:[=(,{:?]|\breturn)\s*(&&)\s*[A-Za-z_]", "gcc's label addresses (&&label)"),
]


def _gnu_construct(source: str, file: str) -> str | None:
    """`FILE:LINE:COL: not supported: WHAT` for the first of gcc's extensions the grammar does
    not read (GNU_CONSTRUCTS) in preprocessed source that failed to parse, or None."""
    found = []
    # (literals blanked, same length: a "?:" in a string is no operator)
    code = re.sub(
        r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'", lambda m: " " * len(m.group()), source
    )
    for pattern, what in GNU_CONSTRUCTS:
        for m in re.finditer(pattern, code):
            line_start = code.rfind("\n", 0, m.start()) + 1
            if code.startswith("#", line_start):  # (a line marker)
                continue
            found.append((m.start(m.lastindex or 0), what, line_start))  # (a group: the place)
            break
    if not found:
        return None
    at, what, line_start = min(found)
    where, line = location(source, source.count("\n", 0, at) + 1)
    return f"{where or file}:{line}:{at - line_start + 1}: not supported: {what}"


class StatementExpression(c_ast.Compound):
    """gcc's `({ ... })`: a block that is an expression (see check_gnu)."""


def _parser_place(parser: _Parser, source: str) -> Place:
    """Where the parser was when it gave up: its next token, or the end of the input."""
    try:
        tok = parser._peek()
        if tok is not None:
            coord = parser._tok_coord(tok)
            return (0, coord.line, coord.column or 1, coord.file or "")
    except (AttributeError, TypeError, RecursionError):  # another pycparser
        pass
    return (0, *_end(source))


def _end(source: str) -> tuple[int, int, str]:
    """The line, column and file of the end of preprocessed source."""
    lines = source.rstrip().split("\n")
    where, line = location(source, len(lines))
    return line, len(lines[-1]) + 1, where or ""


def _syntax_error(message: str, file: str, source: str) -> str:
    """pycparser's `file:line:col: before: x` as `file:line:col: syntax error before 'x'`
    (the file is the main one or a header; without a line: the end of the input)."""
    placed = re.match(r"(.+?):(\d+)(?::(\d+))?: (.*)", message, re.S)
    if placed:
        where, line, col, rest = (
            placed.group(1),
            placed.group(2),
            placed.group(3) or "1",
            placed.group(4),
        )
    else:
        end_line, end_col, end_file = _end(source)
        where, line, col = end_file or file, str(end_line), str(end_col)
        rest = message.partition(": ")[2] if ": " in message else message
    rest = re.sub(r",?\s*see https?://\S*", "", rest).strip()  # the parser's own pointers
    # the parser sees a comment only where a backslash-newline split its `/` and `*`
    if rest.lower().startswith("comments are not supported"):
        return f"{where}:{line}:{col}: not supported: a comment split by a backslash-newline"
    if rest.startswith("before:"):
        return f"{where}:{line}:{col}: syntax error before '{rest[len('before:') :].strip()}'"
    return f"{where}:{line}:{col}: syntax error: {rest.lower() if rest else 'unexpected input'}"
